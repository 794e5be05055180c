"""The batch's report in lines for the manager: what was (or, in a dry run, would be) issued for
each case, and why each open case gets nothing new. cli.py prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.commands.worklist import status_title
from pipeline.documents import document_kind
from pipeline.figures.next_step import next_step
from pipeline.wording.russian import format_rub

if TYPE_CHECKING:
    from pipeline.commands.batch import BatchReport, CaseOutcome


def issued_lines(report: BatchReport) -> list[str]:
    """A real run: one line per letter it issued. A dry run: one line per case it would issue to,
    «case: client, debt → будет выпущено: title number; …», the side letters included."""
    if report.dry_run:
        return [_would_issue(outcome) for outcome in report.outcomes if outcome.new or outcome.side_planned]
    lines = []
    for outcome in report.outcomes:
        if outcome.new:
            lines.append(f"{outcome.case.id}: {outcome.title} {outcome.number} ({outcome.decision.reason})")
        lines += [
            f"{outcome.case.id}: {document_kind(entry.kind).title} {entry.number}"
            for entry in outcome.side
            if entry.number in outcome.side_new
        ]
    return lines


def waiting_lines(report: BatchReport) -> list[str]:
    """A heading and one line per open case that gets nothing new, with the reason."""
    waiting = report.waiting
    if not waiting:
        return []
    return [f"Без нового документа ({len(waiting)}):", *(f"  {_why(outcome)}" for outcome in waiting)]


def _would_issue(outcome: CaseOutcome) -> str:
    letters = [(outcome.kind, outcome.number)] if outcome.new and outcome.kind else []
    letters += list(outcome.side_planned)
    titles = "; ".join(f"{document_kind(kind).title} {number}" for kind, number in letters if kind)
    client = outcome.case.client.name
    return f"{outcome.case.id}: {client}, {format_rub(outcome.figures.outstanding)} → будет выпущено: {titles}"


def _why(outcome: CaseOutcome) -> str:
    """«case: status (reason); the next step and its date» — the step only when it has a date."""
    status, reason = status_title(outcome), outcome.decision.reason
    step = next_step(outcome.decision, outcome.case.events)
    return (
        f"{outcome.case.id}: {status}"
        + (f" ({reason})" if reason and reason not in status else "")
        + (f"; {step.words}" if step.on else "")
    )
