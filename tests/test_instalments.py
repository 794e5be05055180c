"""An instalment schedule's figures, worked out by hand: the equal monthly split in kopecks, and what
was paid under the agreement and is left of it. 2026 weekdays: Sun 15.11, Mon 16.11."""

from decimal import Decimal

import pytest
from factories import day, pay

from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.instalments import equal_monthly, schedule_figures, schedule_total
from pipeline.models import Event, Instalment

CALENDAR = load_work_calendar()


def amounts(schedule):
    return [str(instalment.amount) for instalment in schedule]


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        # 19 940,50 / 3 = 6 646,8333…: 6 646,83 twice, the last 19 940,50 − 13 293,66 = 6 646,84
        ("19940.50", 3, ["6646.83", "6646.83", "6646.84"]),
        # 10 000,00 / 3 = 3 333,33…: 3 333,33 twice, the last 3 333,34
        ("10000.00", 3, ["3333.33", "3333.33", "3333.34"]),
        # 100,00 / 7 = 14,2857…: 14,28 six times (85,68), the last 14,32
        ("100.00", 7, ["14.28"] * 6 + ["14.32"]),
        # an even split stays even
        ("9000.00", 3, ["3000.00", "3000.00", "3000.00"]),
        ("500.00", 1, ["500.00"]),
    ],
)
def test_equal_monthly_instalments_leave_the_kopecks_to_the_last(total, count, expected):
    schedule = equal_monthly(Decimal(total), count, day("2026-10-15"))
    assert amounts(schedule) == expected
    assert sum(instalment.amount for instalment in schedule) == Decimal(total)


def test_equal_monthly_dates_keep_the_day_or_take_the_last_of_a_shorter_month():
    schedule = equal_monthly(Decimal("300.00"), 3, day("2026-12-31"))
    assert [instalment.date for instalment in schedule] == [day("2026-12-31"), day("2027-01-31"), day("2027-02-28")]


def test_a_schedule_needs_one_instalment_at_least():
    with pytest.raises(ValueError):
        equal_monthly(Decimal("100.00"), 0, day("2026-10-15"))


AGREED = Event("instalments", day("2026-09-15"), schedule=equal_monthly(Decimal("19940.50"), 3, day("2026-10-15")))


@pytest.mark.parametrize(
    ("payments", "as_of", "paid", "remainder", "missed", "last_day"),
    [
        # the first paid 14.10; on Mon 16.11 (15.11 is a Sunday, ст. 193) the second is not yet missed
        ([pay("2026-10-14", "6646.83")], "2026-11-16", "6646.83", "13293.67", None, None),
        # on Tue 17.11 it is: 19 940,50 − 6 646,83 = 13 293,67 left
        ([pay("2026-10-14", "6646.83")], "2026-11-17", "6646.83", "13293.67", "2026-11-15", "2026-11-16"),
        # a payment before the agreement is not under it; one after the as-of date is not yet made
        (
            [pay("2026-09-01", "6646.83"), pay("2026-11-20", "1.00")],
            "2026-11-17",
            "0.00",
            "19940.50",
            "2026-10-15",
            "2026-10-15",
        ),
        # paid on the agreement's own day, all of it
        ([pay("2026-09-15", "19940.50")], "2026-12-31", "19940.50", "0.00", None, None),
    ],
)
def test_schedule_figures(payments, as_of, paid, remainder, missed, last_day):
    figures = schedule_figures([AGREED], payments, day(as_of), CALENDAR)
    assert figures is not None
    assert (figures.total, figures.paid, figures.remainder) == (Decimal("19940.50"), Decimal(paid), Decimal(remainder))
    assert (figures.missed.date if figures.missed else None) == (day(missed) if missed else None)
    assert figures.missed_last_day == (day(last_day) if last_day else None)


def test_no_agreement_known_on_the_date_no_figures():
    assert schedule_figures([], [], day("2026-11-17"), CALENDAR) is None
    assert schedule_figures([AGREED], [], day("2026-09-14"), CALENDAR) is None


def test_the_schedule_total_is_what_the_debtor_acknowledges():
    event = Event("instalments", day("2026-04-01"), schedule=(Instalment(day("2026-05-01"), Decimal("3000.00")),))
    assert schedule_total(event) == Decimal("3000.00")
