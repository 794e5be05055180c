"""The register's «Следующий шаг»: what the manager does next for a case and from when, read
off the escalation's decision (escalation.py computes the date where it decides) and the case's
events. Pure: a table from the decision's status to words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.figures.case_events import active_hold
from pipeline.models import Decision, Event
from pipeline.wording.russian import format_date_short

NOTHING = "—"
FILE_IT = "подать заявление в суд и записать событие court_filed"
NAME_THE_COURT = "укажите суд (court: в деле)"


@dataclass(frozen=True)
class NextStep:
    words: str
    on: date | None = None  # the day it may be done; None: now, or when something happens


def next_step(
    decision: Decision, events: Sequence[Event] = (), court_named: bool = True, court_waiting: str = ""
) -> NextStep:
    """The next step after `decision` is carried out. `court_named`: the case names its court
    (`court:`), without which no application is made; `court_waiting`: why the court plan makes
    none yet (court_filing.filing_problem), for a case ready for court."""
    if decision.status == "ready_for_court":
        return NextStep((court_waiting or "подготовить заявление в суд") if court_named else NAME_THE_COURT)
    if decision.status == "on_hold":
        hold = active_hold(events)
        return NextStep(f"на паузе ({hold.reason})" if hold is not None and hold.reason else "на паузе")
    words = _WORDS[decision.status](decision) if decision.status in _WORDS else NOTHING
    on = decision.next_on if words != NOTHING else None
    return NextStep(f"{words} {format_date_short(on)}" if on else words, on)


def _dated(before: str) -> Callable[[Decision], str]:
    """Words that need the decision's date: «—» when the decision has none."""
    return lambda decision: before if decision.next_on else NOTHING


def _after_notice(decision: Decision) -> str:
    if decision.next_on is None:
        return NOTHING
    if decision.next_letter == "overdue_notice":
        return "повторное уведомление не ранее"
    return "направить претензию не ранее"


_WORDS: dict[str, Callable[[Decision], str]] = {
    "not_due": _dated("уведомление о просрочке не ранее"),
    "overdue": _dated("уведомление о просрочке не ранее"),
    "notified": _after_notice,
    "pretension_sent": _dated("готово к суду не ранее"),
    "instalment_demanded": _dated("готово к суду не ранее"),
    "instalments": _dated("следующий платёж"),
    "promised": _dated("ждать оплату до"),
    "application_ready": lambda _: FILE_IT,
    "court_order_cancelled": lambda decision: FILE_IT if decision.issue else "исковое заявление после отмены приказа",
    "in_court": lambda _: "ждать определения или решения суда и записать его событие",
    "court_order": lambda _: "предъявить судебный приказ к исполнению",
    "judgment": lambda _: "получить исполнительный лист и предъявить его к исполнению",
    "limitation_expired": lambda _: "списать долг: записать событие written_off",
}
