"""The limitation period of a debt (ГК РФ ст. 196, 200, 191–193, 203, 204; п. 18, 20 постановления
Пленума ВС РФ от 29.09.2015 № 43), each row worked out by hand. The weekdays: Sat 23.05.2026,
Sun 28.02.2027, Mon 02.07.2029, Thu 01.10.2026, Wed 09.02.2028 (pipeline/figures/calendar.py)."""

from datetime import date
from decimal import Decimal

import pytest
from factories import day

from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.limitation import limitation_period
from pipeline.figures.months import add_months, add_years
from pipeline.models import Event, Instalment

CALENDAR = load_work_calendar()


def event(kind: str, on: str, **fields) -> Event:
    return Event(kind, day(on), **fields)


def schedule(agreed: str, *dates: str) -> Event:
    return event("instalments", agreed, schedule=tuple(Instalment(day(d), Decimal("1000.00")) for d in dates))


FILED = event("court_filed", "2026-03-01", court="мировой судья судебного участка № 5")


@pytest.mark.parametrize(
    ("due", "events", "end"),
    [
        # due Fri 19.05.2023: counted from 20.05.2023, three years: Wed 20.05.2026
        ("2023-05-19", [], "2026-05-20"),
        # due Mon 22.05.2023: from 23.05.2023 to Sat 23.05.2026 → Mon 25.05.2026 (ст. 193)
        ("2023-05-22", [], "2026-05-25"),
        # due 28.02.2024: from Thu 29.02.2024; 2027 has no 29.02 → Sun 28.02.2027 (ст. 192 п. 3) → Mon 01.03.2027
        ("2024-02-28", [], "2027-03-01"),
        # an oral promise and a hold interrupt nothing; payments are no input at all (п. 20 Пленума № 43)
        (
            "2023-05-19",
            [event("promise", "2025-01-10", pay_by=day("2025-02-01")), event("hold", "2025-03-01", reason="спор")],
            "2026-05-20",
        ),
        # an instalment agreement of 01.04.2026 acknowledges the debt (ст. 203): anew from the day after its
        # last instalment, 01.07.2026 → from 02.07.2026 to Mon 02.07.2029
        ("2023-05-19", [schedule("2026-04-01", "2026-05-01", "2026-07-01")], "2029-07-02"),
        # ... even after the period ran out (a written acknowledgement, ст. 206 п. 2)
        ("2023-05-19", [schedule("2026-06-10", "2026-07-01")], "2029-07-02"),
        # filed 01.03.2026 with 81 days left (01.03 … 20.05 inclusive); order issued, cancelled 01.04.2026:
        # 01.04 + 81 = 21.06.2026, under six months → 01.04 + 6 months = Thu 01.10.2026 (п. 18 Пленума № 43)
        (
            "2023-05-19",
            [FILED, event("court_order_issued", "2026-03-10"), event("court_order_cancelled", "2026-04-01")],
            "2026-10-01",
        ),
        # filed 03.03.2025 with 1 044 days left to 10.01.2028; cancelled 01.04.2025: 01.04.2025 + 1 044 days
        # = Wed 09.02.2028 (the 30 days 03.03 … 01.04 do not count)
        (
            "2025-01-09",
            [
                event("court_filed", "2025-03-03", court="мировой судья"),
                event("court_order_cancelled", "2025-04-01"),
            ],
            "2028-02-09",
        ),
        # filed after the period ran out (20.05.2026): nothing saved
        ("2023-05-19", [event("court_filed", "2026-06-01", court="мировой судья")], "2026-05-20"),
    ],
)
def test_the_limitation_period_ends(due, events, end):
    limitation = limitation_period(day(due), events, CALENDAR)
    assert limitation is not None
    assert limitation.end == day(end)


@pytest.mark.parametrize(
    "events",
    [
        [FILED],  # in court: the period stands still (ст. 204 п. 1)
        [FILED, event("court_order_issued", "2026-03-10")],  # the order stands
        [FILED, event("judgment", "2026-04-01")],  # decided: enforcement has terms of its own
    ],
)
def test_no_period_runs_while_the_court_has_the_claim(events):
    assert limitation_period(day("2023-05-19"), events, CALENDAR) is None


def test_no_due_date_no_period():
    assert limitation_period(None, [], CALENDAR) is None


def test_the_period_expires_the_day_after_its_last_day_and_says_how_it_was_counted():
    limitation = limitation_period(
        day("2023-05-19"),
        [FILED, event("court_order_cancelled", "2026-04-01")],
        CALENDAR,
    )
    assert limitation is not None
    assert (limitation.expired(day("2026-10-01")), limitation.expired(day("2026-10-02"))) == (False, True)
    assert limitation.steps == (
        "срок оплаты — по 19.05.2023: давность считается с 20.05.2023",
        "01.03.2026 — обращение в суд (ст. 204 ГК РФ): срок не течёт, оставалось 81 дн.",
        "01.04.2026 — судебный приказ отменён: срок течёт дальше, не менее шести месяцев "
        "(п. 18 постановления Пленума ВС РФ № 43), до 01.10.2026",
    )


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 4, 1), 6, date(2026, 10, 1)),
    ],
)
def test_months_end_on_the_same_day_or_the_last_of_a_shorter_month(start, months, end):
    assert add_months(start, months) == end


def test_a_year_from_29_february_ends_on_28_february():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
