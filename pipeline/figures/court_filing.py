"""Whether a court application of a given kind may be made for a case on a date: the court plan
(court.py) with what only the case and the letters already sent can say — a cancelled court
order, the pretension period of АПК РФ ч. 5 ст. 4 — and the one line that says why not.

Pure: the thresholds and the duty table are passed in, like court.plan_court.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from pipeline.figures.court import COURT_ORDER, CourtPlan, CourtRule, plan_court
from pipeline.figures.state_duty import DutyRow
from pipeline.models import Case, Figures, SentLetter

COURT_ORDER_KIND, CLAIM_KIND = "court_order", "claim"
COURT_KINDS = (COURT_ORDER_KIND, CLAIM_KIND)


def last_pretension(sent: Sequence[SentLetter]) -> SentLetter | None:
    """The latest pretension among the letters sent, if any."""
    pretensions = [letter for letter in sent if letter.kind == "pretension"]
    return max(pretensions, key=lambda letter: letter.date) if pretensions else None


def pretension_period_run(case: Case, sent: Sequence[SentLetter], as_of: date) -> bool:
    """АПК РФ ч. 5 ст. 4: a business dispute goes to court once the period (30 calendar days unless the
    contract sets another: terms.pretension_response_days) has run from sending the pretension.

    With no pretension in `sent` (a plain build, which knows no journal) the period is taken as run: the
    application is made when the lawyer names it, and the lawyer attaches the pretension and its proof
    of sending, which the attachment list asks for. A pretension sent too recently is never overlooked."""
    pretension = last_pretension(sent)
    if pretension is None:
        return True
    return as_of >= pretension.date + timedelta(days=case.terms.pretension_response_days)


def plan_filing(
    case: Case,
    figures: Figures,
    sent: Sequence[SentLetter],
    rules: Sequence[CourtRule],
    duty_table: Sequence[DutyRow],
) -> CourtPlan | None:
    """The court plan on the figures' date, with the cancelled order from the case and the
    pretension period from the letters sent."""
    return plan_court(
        case,
        figures,
        order_cancelled=order_cancelled(case, figures.as_of),
        pretension_period_run=pretension_period_run(case, sent, figures.as_of),
        rules=rules,
        duty_table=duty_table,
    )


def order_cancelled(case: Case, as_of: date) -> bool:
    """A court order was cancelled (ГПК РФ ст. 129): `order_cancelled:` in the case, or the event."""
    return case.order_cancelled is not None or any(
        event.kind == "court_order_cancelled" and event.date <= as_of for event in case.events
    )


def filing_problem(kind: str, plan: CourtPlan | None) -> str:
    """Why an application of `kind` cannot be made on this plan, in Russian; "" when it can."""
    if plan is None:
        return "взыскивать нечего: задолженности нет"
    if not plan.decision.ready:
        return f"не готово к суду: {plan.decision.waiting}"
    if plan.court is None:
        return f"не указан суд: {plan.missing_court}"
    is_order = plan.decision.procedure == COURT_ORDER
    if kind == COURT_ORDER_KIND and not is_order:
        return f"судебный приказ невозможен — {plan.decision.reason}; соберите исковое заявление: --only claim"
    if kind == CLAIM_KIND and is_order:
        return (
            f"требование подлежит рассмотрению в приказном производстве — {plan.decision.reason}; исковое "
            "заявление подаётся после отмены судебного приказа (добавьте в дело order_cancelled: с датой "
            "определения об отмене); соберите заявление о выдаче судебного приказа: --only court_order"
        )
    return ""
