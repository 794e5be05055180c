"""The rules of a case's history (`events:`) the schema cannot express: the events
follow the order of their dates and never precede the order; a letter is received
or returned only after it was sent; a collection resumes only after a hold; a
court order follows a filing. Each problem is one located line with its fix.

`check_events` runs with the other case rules on the loaded data (read
defensively, like rules.py). What needs the journal or the as-of date — a `sent`
naming a letter the journal does not know, an event after the as-of date — is
`check_events_in_run`, which the batch calls for every valid case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.inputs.legal_rules import check_not_before
from pipeline.inputs.load import LoadedFile, Path_, dotted
from pipeline.inputs.rules import FIRST_DAY, LAST_DAY, get, parse_date, text_or_none
from pipeline.models import Case, Event, JournalEntry, Problem

RECEIVED = ("delivered", "returned")


@dataclass
class _Seen:
    """What the events above the current one established."""

    last: date | None = None  # the latest date so far
    sent: set[str] = field(default_factory=set)  # documents sent
    received: dict[str, date] = field(default_factory=dict)  # document → delivered or returned, since last sent
    hold: date | None = None  # collection on hold since
    filed: bool = False
    order_issued: bool = False


@dataclass(frozen=True)
class _At:
    """One event being checked: the file, its path in the list, its data and date."""

    loaded: LoadedFile
    path: Path_
    event: dict[str, Any]
    day: date

    def problem(self, key: str, message: str, hint: str) -> Problem:
        return self.loaded.problem((*self.path, key), message, hint)


def _date(value: Any) -> date | None:
    """A real date within the years; anything else the schema has already reported."""
    day = parse_date(value)
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def check_events(loaded: LoadedFile, data: dict[str, Any]) -> Iterator[Problem]:
    events = get(data, "events")
    order_date = _date(get(data, "order", "date"))
    seen = _Seen()
    for i, event in enumerate(events if isinstance(events, list) else []):
        day = _date(get(event, "date"))
        kind = text_or_none(get(event, "kind"))
        if day is None or kind is None or not isinstance(event, dict):
            continue
        at = _At(loaded, ("events", i), event, day)
        yield from check_not_before(
            loaded, (*at.path, "date"), day, order_date, "событие не может быть раньше заказ-наряда"
        )
        if seen.last is not None and day < seen.last:
            yield at.problem(
                "date",
                f"события идут по порядку дат, а это раньше предыдущего ({seen.last:%d.%m.%Y})",
                "переставьте событие на его место в списке или исправьте дату",
            )
        yield from _KIND_RULES.get(kind, _nothing)(at, seen, data)
        _remember(kind, at, seen)


def _nothing(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    return iter(())


def _sent(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    if at.event.get("tracking") is not None and at.event.get("channel") in ("in_person", "email"):
        yield at.problem(
            "tracking", "ШПИ бывает только у заказного письма", "уберите tracking или укажите channel: registered_post"
        )


def _received(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    document = text_or_none(at.event.get("document"))
    if document is None:
        return
    if document not in seen.sent:
        yield at.problem(
            "document",
            f"письмо {document} не отправлялось: выше нет события sent с этим номером",
            f"добавьте раньше kind: sent с document: {document} или исправьте номер",
        )
    elif document in seen.received:
        yield at.problem(
            "document",
            f"письмо {document} уже получено или вернулось {seen.received[document]:%d.%m.%Y}",
            "оставьте одно событие delivered или returned на одну отправку",
        )


def _hold(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    if seen.hold is not None:
        yield at.problem(
            "kind",
            f"взыскание уже приостановлено {seen.hold:%d.%m.%Y}",
            "добавьте перед этим kind: resume или уберите повторный hold",
        )


def _promise(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    yield from check_not_before(
        at.loaded, (*at.path, "pay_by"), _date(at.event.get("pay_by")), at.day, "обещанная дата раньше самого обещания"
    )


def _instalments(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    schedule = at.event.get("schedule")
    earlier, message = at.day, "платёж по графику не может быть раньше соглашения о рассрочке"
    for i, item in enumerate(schedule if isinstance(schedule, list) else []):
        day = _date(get(item, "date"))
        yield from check_not_before(at.loaded, (*at.path, "schedule", i, "date"), day, earlier, message)
        if day is not None and day >= earlier:
            earlier, message = day, "платежи графика идут по порядку дат, а этот раньше предыдущего"


def _car_collected(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
    end = _date(get(data, "storage", "end"))
    if end is not None and end != at.day:
        yield at.problem(
            "date",
            f"заказчик забрал автомобиль в другой день, чем сказано в storage.end ({end:%d.%m.%Y})",
            "исправьте одну из дат",
        )


_Rule = Callable[[_At, _Seen, dict[str, Any]], Iterator[Problem]]


def _needs(earlier: Callable[[_Seen], object], message: str, hint: str) -> _Rule:
    """The rule of an event that only follows another: `earlier` says whether it came."""

    def rule(at: _At, seen: _Seen, data: dict[str, Any]) -> Iterator[Problem]:
        if not earlier(seen):
            yield at.problem("kind", message, hint)

    return rule


_NEEDS_FILING = _needs(
    lambda seen: seen.filed,
    "в суд ещё не подано: выше нет события court_filed",
    "добавьте раньше kind: court_filed с датой подачи и судом",
)
_KIND_RULES: dict[str, _Rule] = {
    "sent": _sent,
    "delivered": _received,
    "returned": _received,
    "hold": _hold,
    "resume": _needs(
        lambda seen: seen.hold,
        "возобновлять нечего: взыскание не приостановлено",
        "добавьте раньше kind: hold с причиной или уберите resume",
    ),
    "promise": _promise,
    "instalments": _instalments,
    "court_order_issued": _NEEDS_FILING,
    "judgment": _NEEDS_FILING,
    "court_order_cancelled": _needs(
        lambda seen: seen.order_issued,
        "отменять нечего: выше нет события court_order_issued",
        "добавьте раньше kind: court_order_issued с датой судебного приказа",
    ),
    "car_collected": _car_collected,
}


def _remember(kind: str, at: _At, seen: _Seen) -> None:
    seen.last = max(seen.last or at.day, at.day)
    document = text_or_none(at.event.get("document"))
    if kind == "sent" and document is not None:
        seen.sent.add(document)
        seen.received.pop(document, None)  # sent again (after a return): it may be received again
    elif kind in RECEIVED and document is not None and document in seen.sent:
        seen.received.setdefault(document, at.day)
    elif kind in ("hold", "resume"):
        seen.hold = at.day if kind == "hold" else None
    seen.filed = seen.filed or kind == "court_filed"
    seen.order_issued = (seen.order_issued or kind == "court_order_issued") and kind != "court_order_cancelled"


# --- in the batch: the journal and the as-of date --------------------------------


def check_events_in_run(case: Case, history: Sequence[JournalEntry], as_of: date) -> list[Problem]:
    """The problems of a valid case's events that only a run can see: an event after the as-of
    date (a typo in the year, as a rule), and a `sent` naming a letter that is neither in the
    journal for this case nor a document of the case; a letter sent before it was issued."""
    issued = {entry.number: entry for entry in history}
    own = case_document_numbers(case)
    problems = []
    for event in case.events:
        if event.date > as_of:
            problems.append(
                event_problem(
                    case,
                    event,
                    "date",
                    f"событие позже даты расчёта ({as_of:%d.%m.%Y})",
                    f"дата не позже {as_of.isoformat()}; проверьте год и месяц",
                )
            )
        if event.kind == "sent" and event.document is not None:
            problems.extend(_sent_in_run(case, event, issued.get(event.document), own))
    return problems


def _sent_in_run(case: Case, event: Event, entry: JournalEntry | None, own: frozenset[str]) -> Iterator[Problem]:
    document = event.document or ""
    if entry is None and document not in own:
        yield event_problem(
            case,
            event,
            "document",
            f"письма {document} нет ни в журнале по этому делу, ни среди документов дела",
            "укажите номер из журнала (pipeline history ДЕЛО) или номер счёта, уведомления о хранении",
        )
    elif entry is not None and event.date < entry.as_of:
        yield event_problem(
            case,
            event,
            "date",
            f"письмо {document} выпущено {entry.as_of:%d.%m.%Y}, отправить его раньше нельзя",
            f"дата не раньше {entry.as_of.isoformat()}",
        )


def case_document_numbers(case: Case) -> frozenset[str]:
    """The numbers the case file itself gives its documents: the invoice's and the storage notice's."""
    numbers = (
        case.invoice.number if case.invoice else None,
        case.storage.notice.number if case.storage and case.storage.notice else None,
    )
    return frozenset(number for number in numbers if number)


def event_problem(case: Case, event: Event, key: str, message: str, hint: str) -> Problem:
    """A problem at `key` of `event` (at the event itself when the key is not written)."""
    marks = {mark.key: mark for mark in event.marks}
    mark = marks.get(key) or marks.get("")
    path = ("events", event.index, key)
    return Problem(str(case.source), mark.line if mark else 1, mark.column if mark else 1, dotted(path), message, hint)
