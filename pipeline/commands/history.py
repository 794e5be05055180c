"""`history`: one case's letters from the journal and its events from the case file,
in date order, one Russian line each. Reads the journal, never writes it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.documents import BY_NAME
from pipeline.errors import InputError
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Case, Event, JournalEntry, Problem, exit_code, warning
from pipeline.store.journal import journal_path, open_journal_readonly
from pipeline.wording.russian import format_date_short, format_rub


@dataclass(frozen=True)
class HistoryReport:
    lines: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.warnings)


def run_history(case_path: Path, shop_path: Path, state_dir: Path) -> HistoryReport:
    """The history of one case; InputError when the files are wrong."""
    inputs = validate_inputs([case_path], shop_path)
    if inputs.problems or inputs.shop is None:
        raise InputError(list(inputs.problems))
    case = inputs.cases[0]
    journal = open_journal_readonly(state_dir)
    if journal is None:
        missing = warning(f"журнала нет ({journal_path(state_dir)}): показаны только события дела (--state DIR)")
        return HistoryReport(history_lines(case, ()), (*inputs.warnings, missing))
    try:
        letters = journal.history(case.id)
    finally:
        journal.close()
    return HistoryReport(history_lines(case, letters), inputs.warnings)


def history_lines(case: Case, letters: Sequence[JournalEntry]) -> tuple[str, ...]:
    """A heading, then the letters and events by date (dated_history)."""
    heading = f"Дело {case.id}, {case.client.name}: писем в журнале {len(letters)}, событий {len(case.events)}"
    return (heading, *(f"{format_date_short(day)}  {words}" for day, words in dated_history(letters, case.events)))


def dated_history(letters: Sequence[JournalEntry], events: Sequence[Event]) -> list[tuple[date, str]]:
    """The letters and events by date, in words; on one day a letter before the events (it is
    issued, then sent), events in the file's order."""
    dated = [(entry.as_of, 0, entry.number, letter_words(entry)) for entry in letters]
    dated += [(event.date, 1, f"{event.index:04d}", event_words(event)) for event in events]
    return [(day, words) for day, _, _, words in sorted(dated)]


def letter_words(entry: JournalEntry) -> str:
    kind = BY_NAME.get(entry.kind)
    return f"выпущено {entry.number}: {kind.title if kind else entry.kind}"


def event_words(event: Event) -> str:
    words = _WORDS[event.kind](event)
    return f"{words} — {event.note}" if event.note else words


def _sent(event: Event) -> str:
    if event.channel == "in_person":
        return f"вручено лично {event.document}"
    if event.channel == "email":
        return f"отправлено {event.document} по электронной почте"
    return f"отправлено {event.document} заказным письмом" + (f", ШПИ {event.tracking}" if event.tracking else "")


def _returned(event: Event) -> str:
    because = f" ({event.reason})" if event.reason else ""
    return f"вернулось {event.document}{because}: считается доставленным (ст. 165.1 ГК РФ)"


def _promise(event: Event) -> str:
    amount = f" {format_rub(event.amount)}" if event.amount else ""
    return f"обещано оплатить{amount} до {format_date_short(event.pay_by) if event.pay_by else '?'}"


def _instalments(event: Event) -> str:
    payments = "; ".join(f"{format_date_short(item.date)} — {format_rub(item.amount)}" for item in event.schedule)
    return f"рассрочка, платежей {len(event.schedule)}: {payments}"


def _court(words: str) -> Callable[[Event], str]:
    """A court event's words, then what the case gives: the court, its case number, the sum awarded."""

    def text(event: Event) -> str:
        details = [
            f"дело {event.court_case}" if event.court_case else "",
            f"присуждено {format_rub(event.amount)}" if event.amount else "",
        ]
        return ", ".join([f"{words}: {event.court}" if event.court else words, *filter(None, details)])

    return text


_WORDS: dict[str, Callable[[Event], str]] = {
    "sent": _sent,
    "delivered": lambda event: f"получено {event.document}",
    "returned": _returned,
    "promise": _promise,
    "hold": lambda event: f"взыскание приостановлено: {event.reason}",
    "resume": lambda event: "взыскание возобновлено" + (f": {event.reason}" if event.reason else ""),
    "instalments": _instalments,
    "court_filed": _court("подано в суд"),
    "court_order_issued": _court("выдан судебный приказ"),
    "court_order_cancelled": _court("судебный приказ отменён"),
    "judgment": _court("решение суда"),
    "written_off": lambda event: f"долг списан: {event.reason}",
    "car_collected": lambda event: "заказчик забрал автомобиль",
}
