"""The escalation rules of the monthly batch, one row per rule: what a debtor
gets next given the days overdue and what the journal says was sent."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from factories import day, make_case, make_shop, make_terms, rate_table

from pipeline.figures.calc import compute_figures
from pipeline.figures.escalation import STATUS_TITLES, decide, last_notice
from pipeline.models import CollectionsTerms, JournalEntry

AS_OF = day("2026-06-01")
RATES = rate_table(("2025-01-01", "16.00"))


def figures_at(days_overdue: int, outstanding: str = "10000.00"):
    """Figures of a case `days_overdue` days past its due date on AS_OF."""
    due = AS_OF - timedelta(days=days_overdue)
    case = make_case(order_date="2025-01-01", invoice_date="2025-01-01", due_date=due.isoformat())
    figures = compute_figures(case, make_shop(), AS_OF, RATES)
    return replace(figures, outstanding=Decimal(outstanding), days_overdue=days_overdue if Decimal(outstanding) else 0)


def sent(kind: str, days_ago: int, number: str = "") -> JournalEntry:
    prefix = {"overdue_notice": "УВ", "pretension": "ПР"}[kind]
    return JournalEntry(
        number=number or f"{prefix}-2026-{days_ago:04d}",
        case_id="T-1",
        kind=kind,
        as_of=AS_OF - timedelta(days=days_ago),
        outstanding=Decimal("10000.00"),
        days_overdue=0,
        penalty=Decimal("0.00"),
        storage=Decimal("0.00"),
        claim=Decimal("10000.00"),
        docx_sha256="",
        pdf_sha256="",
        template_sha256="",
    )


NOTICE, PRETENSION = "overdue_notice", "pretension"


@pytest.mark.parametrize(
    ("days_overdue", "outstanding", "history", "issue", "status"),
    [
        # nothing outstanding: closed, whatever was sent before
        (0, "0.00", [], None, "closed"),
        (0, "0.00", [sent(NOTICE, 40), sent(PRETENSION, 20)], None, "closed"),
        # not yet due
        (0, "10000.00", [], None, "not_due"),
        # one day overdue is enough for the notice
        (1, "10000.00", [], NOTICE, "notified"),
        # long overdue but never notified: the notice first, never a pretension straight away
        (200, "10000.00", [], NOTICE, "notified"),
        # pretension: overdue ≥ 30 days and a notice at least 7 days earlier
        (40, "10000.00", [sent(NOTICE, 10)], PRETENSION, "pretension_sent"),
        (40, "10000.00", [sent(NOTICE, 7)], PRETENSION, "pretension_sent"),
        (30, "10000.00", [sent(NOTICE, 20)], PRETENSION, "pretension_sent"),
        # the notice is too recent: wait
        (40, "10000.00", [sent(NOTICE, 6)], None, "notified"),
        # not yet 30 days overdue, notice within 30 days: nothing again
        (29, "10000.00", [sent(NOTICE, 20)], None, "notified"),
        # after a pretension nothing new; ready for court once the answer period (10 days from the day
        # after the letter, ГК РФ ст. 191; the last day moved to a working day, ст. 193) has run out.
        # 10 days ago = Fri 22.05.2026: the period is 23.05–01.06, its last day is AS_OF itself.
        (60, "10000.00", [sent(NOTICE, 40), sent(PRETENSION, 9)], None, "pretension_sent"),
        (60, "10000.00", [sent(NOTICE, 40), sent(PRETENSION, 10)], None, "pretension_sent"),
        # 12 days ago = Wed 20.05: the 10th day is Sat 30.05, moved to Mon 01.06 = AS_OF: still running
        (60, "10000.00", [sent(NOTICE, 40), sent(PRETENSION, 12)], None, "pretension_sent"),
        # 13 days ago = Tue 19.05: the last day is Fri 29.05, run out by Mon 01.06
        (60, "10000.00", [sent(NOTICE, 40), sent(PRETENSION, 13)], None, "ready_for_court"),
        (200, "10000.00", [sent(NOTICE, 190), sent(PRETENSION, 150)], None, "ready_for_court"),
    ],
)
def test_escalation_rules(days_overdue, outstanding, history, issue, status):
    decision = decide(figures_at(days_overdue, outstanding), make_terms(), history, AS_OF)
    assert (decision.issue, decision.status) == (issue, status)
    assert decision.status in STATUS_TITLES


def test_notice_is_repeated_after_30_days_while_the_pretension_is_not_yet_due():
    terms = replace(make_terms(), pretension_after_days=90)
    assert decide(figures_at(60), terms, [sent(NOTICE, 29)], AS_OF).issue is None
    assert decide(figures_at(60), terms, [sent(NOTICE, 30)], AS_OF).issue == NOTICE


def test_collections_terms_change_the_thresholds():
    terms = replace(
        make_terms(),
        collections=CollectionsTerms(notice_after_days=5, notice_before_pretension_days=14, repeat_after_days=60),
    )
    assert decide(figures_at(4), terms, [], AS_OF).status == "overdue"
    assert decide(figures_at(5), terms, [], AS_OF).issue == NOTICE
    assert decide(figures_at(40), terms, [sent(NOTICE, 13)], AS_OF).issue is None
    assert decide(figures_at(40), terms, [sent(NOTICE, 14)], AS_OF).issue == PRETENSION


def test_a_repeated_run_of_the_same_date_returns_the_journalled_document():
    today = sent(NOTICE, 0, "УВ-2026-0007")
    decision = decide(figures_at(3), make_terms(), [today], AS_OF)
    assert (decision.issue, decision.issued, decision.status) == (None, today, "notified")


def test_documents_dated_after_the_as_of_date_are_not_history():
    assert decide(figures_at(3), make_terms(), [sent(NOTICE, -5)], AS_OF).issue == NOTICE


def test_the_pretension_recounts_the_latest_earlier_notice():
    history = [sent(NOTICE, 70, "УВ-2026-0001"), sent(NOTICE, 35, "УВ-2026-0009"), sent(NOTICE, 0, "УВ-2026-0010")]
    assert last_notice(history, AS_OF).number == "УВ-2026-0009"
    assert last_notice([], AS_OF) is None
