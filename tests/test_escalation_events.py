"""The escalation rules that read a case's events, one table per rule: a letter's terms
run from its delivery or return (ГК РФ ст. 165.1); a hold stops the letters until a
resume; a promise postpones them to the day after the promised date; an instalment
schedule replaces them while it is kept; a court event or a write-off ends them.

AS_OF is Monday 01.06.2026. The 2026 calendar's days off near it: Fri 01.05, Mon 11.05,
and every Saturday and Sunday (pipeline/figures/calendar.py).
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from factories import day, make_terms, pay
from test_escalation import AS_OF, NOTICE, PRETENSION, figures_at, sent

from pipeline.figures.escalation import STATUS_TITLES, decide, status_words
from pipeline.models import Event, Instalment, JournalEntry


def event(kind: str, on: str, **fields) -> Event:
    return Event(kind, day(on), **fields)


def decided(days_overdue: int, history, events, payments=(), outstanding: str = "10000.00", as_of: date = AS_OF):
    return decide(figures_at(days_overdue, outstanding), make_terms(), history, as_of, events, payments)


# The pretension ПР-2026-0020 is dated 12.05.2026 (20 days before AS_OF); 10 days to answer.
PRETENSION_20 = sent(PRETENSION, 20, "ПР-2026-0020")
AGREED, MISSED = "instalment_agreement", "missed_instalment_notice"
PR = "ПР-2026-0020"


@pytest.mark.parametrize(
    ("events", "status"),
    [
        # no history: from the letter's date, 12.05 + 10 = Fri 22.05, run out
        ([], "ready_for_court"),
        # delivered Fri 22.05: + 10 = Mon 01.06 = AS_OF, the last day: still running
        (
            [
                event("sent", "2026-05-13", document=PR, channel="registered_post"),
                event("delivered", "2026-05-22", document=PR),
            ],
            "pretension_sent",
        ),
        # returned Thu 21.05 (counts as delivered, ст. 165.1): + 10 = Sun 31.05 → Mon 01.06: still running
        (
            [
                event("sent", "2026-05-13", document=PR, channel="registered_post"),
                event("returned", "2026-05-21", document=PR),
            ],
            "pretension_sent",
        ),
        # returned Tue 19.05: + 10 = Fri 29.05, run out
        (
            [
                event("sent", "2026-05-13", document=PR, channel="registered_post"),
                event("returned", "2026-05-19", document=PR),
            ],
            "ready_for_court",
        ),
        # mailed Wed 20.05, delivery unknown: from the mailing, + 10 = Sat 30.05 → Mon 01.06: still running
        ([event("sent", "2026-05-20", document=PR, channel="registered_post")], "pretension_sent"),
        # handed over in person Fri 15.05: delivered that day, + 10 = Mon 25.05, run out
        ([event("sent", "2026-05-15", document=PR, channel="in_person")], "ready_for_court"),
        # the delivery of another letter does not move this one's term
        ([event("delivered", "2026-05-29", document="ПР-2026-0099")], "ready_for_court"),
        # a delivery after AS_OF is not yet history
        (
            [
                event("sent", "2026-05-13", document=PR, channel="registered_post"),
                event("delivered", "2026-06-02", document=PR),
            ],
            "ready_for_court",
        ),
    ],
)
def test_the_pretension_answer_period_runs_from_its_delivery(events, status):
    decision = decided(60, [sent(NOTICE, 40), PRETENSION_20], events)
    assert (decision.issue, decision.status) == (None, status)


# The notice УВ-2026-0010 is dated Fri 22.05.2026 (10 days before AS_OF); a pretension 7 days after it at the earliest.
NOTICE_10 = sent(NOTICE, 10, "УВ-2026-0010")
UV = "УВ-2026-0010"


@pytest.mark.parametrize(
    ("events", "issue", "reason"),
    [
        # from the letter's date: 10 days ≥ 7
        ([], PRETENSION, "после уведомления УВ-2026-0010"),
        # delivered Tue 26.05: 6 days < 7; not before 26.05 + 7 = 02.06
        (
            [event("delivered", "2026-05-26", document=UV)],
            None,
            "уведомление УВ-2026-0010 получено 26.05.2026, претензия не ранее 02.06.2026",
        ),
        # delivered Mon 25.05: 7 days
        ([event("delivered", "2026-05-25", document=UV)], PRETENSION, "после уведомления УВ-2026-0010"),
        # returned Wed 27.05: 5 days
        (
            [event("returned", "2026-05-27", document=UV)],
            None,
            "уведомление УВ-2026-0010 вернулось 27.05.2026, претензия не ранее 03.06.2026",
        ),
    ],
)
def test_the_pretension_waits_for_the_notice_to_be_received(events, issue, reason):
    history = [NOTICE_10]
    events = [event("sent", "2026-05-22", document=UV, channel="registered_post"), *events] if events else []
    decision = decided(40, history, events)
    assert (decision.issue, decision.reason) == (issue, reason)


HOLD = event("hold", "2026-05-20", reason="идут переговоры")


@pytest.mark.parametrize(
    ("history", "events", "outstanding", "issue", "status", "title"),
    [
        # on hold: no letter, however long overdue, even the first notice
        ([], [HOLD], "10000.00", None, "on_hold", "на паузе: идут переговоры"),
        # on hold after a pretension: not «ready for court» either
        ([sent(NOTICE, 90), sent(PRETENSION, 60)], [HOLD], "10000.00", None, "on_hold", "на паузе: идут переговоры"),
        # resumed: the ordinary rules again
        ([], [HOLD, event("resume", "2026-05-25")], "10000.00", NOTICE, "notified", "уведомление направлено"),
        # a hold dated after AS_OF is not yet in force
        (
            [],
            [event("hold", "2026-06-02", reason="переговоры")],
            "10000.00",
            NOTICE,
            "notified",
            "уведомление направлено",
        ),
        # paid: closed, hold or not
        ([], [HOLD], "0.00", None, "closed", "закрыто"),
    ],
)
def test_a_hold_stops_the_letters_until_a_resume(history, events, outstanding, issue, status, title):
    decision = decided(200, history, events, outstanding=outstanding)
    assert (decision.issue, decision.status, status_words(decision)) == (issue, status, title)


@pytest.mark.parametrize(
    ("pay_by", "issue", "title"),
    [
        # promised to pay by AS_OF itself: nothing up to and including that day
        ("2026-06-01", None, "обещана оплата до 01.06.2026"),
        ("2026-06-10", None, "обещана оплата до 10.06.2026"),
        # the promised day was yesterday: AS_OF is the day after, the letters go on
        ("2026-05-31", NOTICE, "уведомление направлено"),
    ],
)
def test_a_promise_postpones_the_letters_to_the_day_after_the_promised_date(pay_by, issue, title):
    decision = decided(45, [], [event("promise", "2026-05-25", pay_by=day(pay_by))])
    assert (decision.issue, status_words(decision)) == (issue, title)


def test_a_promise_made_after_the_as_of_date_is_not_yet_history():
    promise = event("promise", "2026-06-02", pay_by=day("2026-06-10"))
    assert decided(45, [], [promise]).issue == NOTICE


# Agreed Wed 01.04.2026: 3 000 by Fri 01.05 (a holiday, then the weekend: the last day is Mon 04.05,
# ст. 193), 3 000 by Mon 01.06, 4 000 by Wed 01.07.
SCHEDULE = event(
    "instalments",
    "2026-04-01",
    schedule=(
        Instalment(day("2026-05-01"), Decimal("3000.00")),
        Instalment(day("2026-06-01"), Decimal("3000.00")),
        Instalment(day("2026-07-01"), Decimal("4000.00")),
    ),
)


def journalled(kind: str, on: str, number: str) -> JournalEntry:
    """A document of `kind` the journal holds, dated `on`."""
    return replace(sent(NOTICE, 0, number), kind=kind, as_of=day(on))


# The agreement СР-2026-0001 was issued on the day of the schedule.
AGREEMENT = journalled("instalment_agreement", "2026-04-01", "СР-2026-0001")
DEMANDED = "требование об оплате остатка по рассрочке направлено"


@pytest.mark.parametrize(
    ("payments", "as_of", "issue", "status", "title"),
    [
        # the first instalment paid: the second is due on AS_OF itself, not yet missed
        (
            [pay("2026-04-30", "3000.00")],
            "2026-06-01",
            None,
            "instalments",
            "рассрочка по графику, следующий платёж 01.06.2026",
        ),
        # paid on the day of the agreement: it counts
        (
            [pay("2026-04-01", "3000.00")],
            "2026-06-01",
            None,
            "instalments",
            "рассрочка по графику, следующий платёж 01.06.2026",
        ),
        # nothing paid: on Mon 04.05 (the moved last day) the first is not yet missed ...
        ([], "2026-05-04", None, "instalments", "рассрочка по графику, следующий платёж 01.05.2026"),
        # ... on Tue 05.05 it is: the demand of the whole remainder goes out that day
        ([], "2026-05-05", MISSED, "instalment_demanded", DEMANDED),
        # a payment before the agreement is not a payment under it
        ([pay("2026-03-15", "3000.00")], "2026-06-01", MISSED, "instalment_demanded", DEMANDED),
        # 4 000 paid covers the first (3 000) but not the second (cumulative 6 000), due Mon 01.06: missed on Tue 02.06
        ([pay("2026-04-30", "4000.00")], "2026-06-02", MISSED, "instalment_demanded", DEMANDED),
        # a late payment that catches up before the next run: on schedule again
        (
            [pay("2026-05-20", "3000.00")],
            "2026-05-25",
            None,
            "instalments",
            "рассрочка по графику, следующий платёж 01.06.2026",
        ),
    ],
)
def test_an_instalment_schedule_replaces_the_letters_while_it_is_kept(payments, as_of, issue, status, title):
    decision = decided(60, [sent(NOTICE, 40), AGREEMENT], [SCHEDULE], payments, as_of=day(as_of))
    assert (decision.issue, decision.status, status_words(decision)) == (issue, status, title)


@pytest.mark.parametrize(
    ("history", "as_of", "issue"),
    [
        # no agreement in the journal: the batch issues it (numbered СР-…), dated the schedule's day
        ([], "2026-04-02", AGREED),
        # an agreement journalled before this schedule was agreed is another's
        ([journalled("instalment_agreement", "2026-03-02", "СР-2026-0001")], "2026-04-02", AGREED),
        # issued once
        ([AGREEMENT], "2026-04-02", None),
        # a missed instalment before any agreement was journalled: the demand, not the agreement
        ([], "2026-05-05", MISSED),
    ],
)
def test_the_agreement_is_issued_once_then_the_demand_after_a_missed_instalment(history, as_of, issue):
    assert decided(60, history, [SCHEDULE], as_of=day(as_of)).issue == issue


# The demand ТР-2026-0001 dated Tue 05.05.2026; the answer period is the pretension's, 10 days.
DEMAND = journalled(MISSED, "2026-05-05", "ТР-2026-0001")


@pytest.mark.parametrize(
    ("events", "as_of", "status", "reason"),
    [
        # 05.05 + 10 = Fri 15.05: on that day the period still runs
        ([], "2026-05-15", "instalment_demanded", "требование ТР-2026-0001 от 05.05.2026, ответ до 15.05.2026"),
        # from Sat 16.05: ready for court; no new demand, however many instalments are missed since
        ([], "2026-06-02", "ready_for_court", "требование ТР-2026-0001 от 05.05.2026, срок ответа истёк 15.05.2026"),
        # delivered Wed 13.05: 13.05 + 10 = Sat 23.05 → Mon 25.05 (ст. 193)
        (
            [event("delivered", "2026-05-13", document="ТР-2026-0001")],
            "2026-05-25",
            "instalment_demanded",
            "требование ТР-2026-0001 получено 13.05.2026, ответ до 25.05.2026",
        ),
    ],
)
def test_after_the_demand_its_answer_period_runs_then_the_case_is_ready_for_court(events, as_of, status, reason):
    decision = decided(60, [AGREEMENT, DEMAND], [SCHEDULE, *events], as_of=day(as_of))
    assert (decision.issue, decision.status, decision.reason) == (None, status, reason)


def test_a_repeated_run_of_the_demand_day_returns_the_demand():
    decision = decided(60, [AGREEMENT, DEMAND], [SCHEDULE], as_of=day("2026-05-05"))
    assert (decision.issued, decision.status) == (DEMAND, "instalment_demanded")


@pytest.mark.parametrize(
    ("days_overdue", "events", "issue", "title"),
    [
        # due Fri 17.02.2023: counted from 18.02.2023, three years to Wed 18.02.2026, run out by 01.06.2026
        (1200, [], None, "кандидат на списание: срок исковой давности истёк 18.02.2026"),
        # due Sun 28.05.2023: to Fri 29.05.2026, run out on Mon 01.06
        (1100, [], None, "кандидат на списание: срок исковой давности истёк 29.05.2026"),
        # due Mon 29.05.2023: to Sat 30.05.2026 → Mon 01.06.2026 (ст. 193) = AS_OF, the last day: letters go on
        (1099, [], NOTICE, "уведомление направлено"),
        # written off: closed, not a candidate any more
        (
            1200,
            [event("written_off", "2026-05-04", reason="истёк срок исковой давности")],
            None,
            "закрыто: долг списан 04.05.2026 (истёк срок исковой давности)",
        ),
        # in court since 10.02.2026, before 18.02.2026: the period does not run (ст. 204)
        (
            1200,
            [event("court_filed", "2026-02-10", court="мировой судья судебного участка № 5")],
            None,
            "подано в суд 10.02.2026",
        ),
    ],
)
def test_a_debt_past_its_limitation_period_is_a_candidate_for_writing_off(days_overdue, events, issue, title):
    # The key-rate table of these tests starts in 2025: the figures of a recent debt, its due date moved back.
    figures = replace(figures_at(60), due_date=AS_OF - timedelta(days=days_overdue), days_overdue=days_overdue)
    decision = decide(figures, make_terms(), [], AS_OF, events)
    assert (decision.issue, status_words(decision)) == (issue, title)


def test_a_schedule_paid_in_full_leaves_the_ordinary_rules():
    payments = [pay("2026-04-30", "10000.00")]  # no agreement needed any more either
    # what is still outstanding beyond the schedule (say, the penalty) is collected as usual
    assert decided(60, [], [SCHEDULE], payments).issue == NOTICE
    assert decided(60, [], [SCHEDULE], payments, outstanding="0.00").status == "closed"


FILED = event("court_filed", "2026-05-20", court="мировой судья судебного участка № 5")


@pytest.mark.parametrize(
    ("events", "status", "title"),
    [
        ([FILED], "in_court", "подано в суд 20.05.2026"),
        ([FILED, event("court_order_issued", "2026-05-27")], "court_order", "выдан судебный приказ 27.05.2026"),
        (
            [FILED, event("court_order_issued", "2026-05-27"), event("court_order_cancelled", "2026-05-29")],
            "court_order_cancelled",
            "судебный приказ отменён 29.05.2026",
        ),
        ([FILED, event("judgment", "2026-05-29")], "judgment", "решение суда 29.05.2026"),
        # a hold does not take a case out of court
        ([FILED, HOLD], "in_court", "подано в суд 20.05.2026"),
        (
            [FILED, event("written_off", "2026-05-30", reason="должник признан банкротом")],
            "closed",
            "закрыто: долг списан 30.05.2026 (должник признан банкротом)",
        ),
    ],
)
def test_court_events_and_a_write_off_end_the_letters(events, status, title):
    decision = decided(200, [sent(NOTICE, 90), sent(PRETENSION, 60)], events)
    assert (decision.issue, decision.status, status_words(decision)) == (None, status, title)


def test_a_repeated_run_returns_the_journalled_document_whatever_the_events():
    today = sent(NOTICE, 0, "УВ-2026-0007")
    decision = decided(3, [today], [HOLD])
    assert (decision.issued, decision.status) == (today, "notified")


def test_every_status_has_its_register_words():
    statuses = {"on_hold", "promised", "instalments", "instalment_demanded", "in_court", "court_order"}
    statuses |= {"limitation_expired"}
    assert statuses | {"court_order_cancelled", "judgment"} <= set(STATUS_TITLES)
