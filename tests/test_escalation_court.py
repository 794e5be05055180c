"""The escalation's last steps and its side letters, one table per rule: once a demand's answer
period has run, the court application the case's court plan allows is issued once (a court
order, or the claim after an order was cancelled, ГПК РФ ст. 129); the reminder, the notice to
collect the car and the prepayment letter go beside whatever the escalation decides, unless the
letters are stopped.

AS_OF is Monday 01.06.2026 (test_escalation.py); the pretension ПР-2026-0020 is dated 12.05.2026
with 10 days to answer: 12.05 + 10 = Fri 22.05, run out on AS_OF.
"""

from dataclasses import replace

import pytest
from factories import make_terms
from test_escalation import AS_OF, NOTICE, PRETENSION, figures_at, sent
from test_escalation_events import event

from pipeline.figures.escalation import decide, side_letters
from pipeline.models import JournalEntry

PRETENSION_20 = sent(PRETENSION, 20, "ПР-2026-0020")


def issued(kind: str, days_ago: int, number: str) -> JournalEntry:
    return replace(sent(NOTICE, days_ago), kind=kind, number=number)


@pytest.mark.parametrize(
    ("history", "events", "application", "status", "issue"),
    [
        # the answer period has run and no court is named (no application allowed): ready, nothing issued
        ([PRETENSION_20], [], None, "ready_for_court", None),
        # the court plan allows a court order: it is issued
        ([PRETENSION_20], [], "court_order", "application_ready", "court_order"),
        # the order was issued 5 days ago (СП-2026-0001): never a second one; the shop files it
        ([PRETENSION_20, issued("court_order", 5, "СП-2026-0001")], [], "court_order", "application_ready", None),
        # the answer period still runs (delivered Fri 22.05 + 10 = Mon 01.06, the last day): no application
        (
            [PRETENSION_20],
            [
                event("sent", "2026-05-13", document="ПР-2026-0020", channel="registered_post"),
                event("delivered", "2026-05-22", document="ПР-2026-0020"),
            ],
            "court_order",
            "pretension_sent",
            None,
        ),
        # filed 25.05: in court, no letters, no application
        (
            [PRETENSION_20, issued("court_order", 10, "СП-2026-0001")],
            [event("court_filed", "2026-05-25", court="Мировой судья судебного участка № 5")],
            "court_order",
            "in_court",
            None,
        ),
        # the order cancelled 28.05 and the plan now allows the claim: the claim is issued
        (
            [PRETENSION_20, issued("court_order", 10, "СП-2026-0001")],
            [
                event("court_filed", "2026-05-25", court="Мировой судья судебного участка № 5"),
                event("court_order_issued", "2026-05-26"),
                event("court_order_cancelled", "2026-05-28"),
            ],
            "claim",
            "court_order_cancelled",
            "claim",
        ),
        # … and once the claim was issued after the cancellation (29.05), not again
        (
            [PRETENSION_20, issued("court_order", 10, "СП-2026-0001"), issued("claim", 3, "ИЗ-2026-0001")],
            [
                event("court_filed", "2026-05-25", court="Мировой судья судебного участка № 5"),
                event("court_order_issued", "2026-05-26"),
                event("court_order_cancelled", "2026-05-28"),
            ],
            "claim",
            "court_order_cancelled",
            None,
        ),
    ],
)
def test_the_court_application_comes_once_after_the_demands(history, events, application, status, issue):
    decision = decide(figures_at(60), make_terms(), history, AS_OF, events, application=application)
    assert (decision.status, decision.issue) == (status, issue)


def test_the_application_issued_today_is_this_runs_document():
    today = issued("court_order", 0, "СП-2026-0002")
    decision = decide(figures_at(60), make_terms(), [PRETENSION_20, today], AS_OF, application="court_order")
    assert (decision.status, decision.issue, decision.issued) == ("application_ready", None, today)


REMINDER, COLLECT, PREPAY = "payment_reminder", "collect_car_notice", "prepayment_notice"


@pytest.mark.parametrize(
    ("due", "history", "letters"),
    [
        # due by their rules and never issued: all three, in SIDE_KINDS' order
        ((REMINDER, COLLECT, PREPAY), [], (REMINDER, COLLECT, PREPAY)),
        # each goes once per case: issued 40 days ago, or today in an earlier run of this date
        ((REMINDER, COLLECT), [issued(REMINDER, 40, "НП-2026-0001"), issued(COLLECT, 40, "ЗА-2026-0001")], ()),
        ((PREPAY,), [issued(PREPAY, 60, "ПО-2026-0001")], ()),
        ((PREPAY,), [issued(PREPAY, 0, "ПО-2026-0002")], ()),
        # one issued does not stop another
        ((REMINDER, PREPAY), [issued(REMINDER, 5, "НП-2026-0001")], (PREPAY,)),
        # not due by their rules: nothing
        ((), [], ()),
    ],
)
def test_side_letters(due, history, letters):
    assert side_letters(due, history) == letters


def test_side_letters_go_with_the_escalations_letter_and_not_when_stopped():
    figures = replace(figures_at(10), documents_due=(NOTICE, PREPAY))
    # 10 days overdue, never notified: the notice, and the prepayment letter beside it
    decision = decide(figures, make_terms(), [], AS_OF)
    assert (decision.issue, decision.also) == (NOTICE, (PREPAY,))
    # on hold since 25.05: no letter at all
    hold = [event("hold", "2026-05-25", reason="переговоры")]
    decision = decide(figures, make_terms(), [], AS_OF, hold)
    assert (decision.status, decision.issue, decision.also) == ("on_hold", None, ())
    # a side letter issued yesterday does not count as the escalation's letter: the notice is still due
    yesterday = issued(PREPAY, 1, "ПО-2026-0001")
    assert decide(figures, make_terms(), [yesterday], AS_OF).issue == NOTICE
