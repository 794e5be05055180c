"""What a case's history (`events:`) says on a date, for the escalation rules: when a
letter counts as received, whether the case is in court, on hold, under a promise or
an instalment schedule. Pure: the events, payments and calendar are passed in.

ГК РФ ст. 165.1 п. 1: a message has its effect from its delivery, and counts as
delivered also when it reached the addressee but was not handed over for reasons on
their side; п. 67 постановления Пленума ВС РФ от 23.06.2015 № 25: for instance a
letter returned after its storage period at the post office (docs/legal-basis.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pipeline.figures.calendar import WorkCalendar
from pipeline.models import Event, Instalment, JournalEntry, Payment

COURT_KINDS = ("court_filed", "court_order_issued", "court_order_cancelled", "judgment")


@dataclass(frozen=True)
class Received:
    """The day a letter's terms run from, and how the history knows it (for the register's reason)."""

    day: date
    words: str  # «получено 05.06.2026», «вернулось 05.06.2026», «отправлено 02.06.2026», «от 01.06.2026»


@dataclass(frozen=True)
class ScheduleState:
    """An agreed instalment schedule on a date: the first instalment the payments since the
    agreement do not cover (None: all are paid) and its last day by ГК РФ ст. 193."""

    agreed: Event
    due: Instalment | None
    last_day: date | None


def received(letter: JournalEntry, events: Sequence[Event]) -> Received:
    """The day the terms of `letter` run from: its delivery (or handing over in person), or its
    return to the shop (counted as delivered, ст. 165.1), when the history knows one; else the day
    it was mailed; else the letter's own date. Never before the letter's date.

    A later start is the safer one for the shop: a court counts the debtor's term from the day
    the letter reached him, so counting from the letter's date could call a term run that has not.
    """
    naming = [event for event in events if event.document == letter.number and event.date >= letter.as_of]
    for verb, kinds in _EVIDENCE:
        found = [event.date for event in naming if (event.kind, event.channel) in kinds]
        if found:
            return Received(min(found), f"{verb} {min(found):%d.%m.%Y}")
    return Received(letter.as_of, f"от {letter.as_of:%d.%m.%Y}")


# What tells when a letter arrived, best first: (words, the (kind, channel) pairs that say so).
_EVIDENCE: tuple[tuple[str, frozenset[tuple[str, str | None]]], ...] = (
    ("получено", frozenset({("delivered", None), ("sent", "in_person")})),
    ("вернулось", frozenset({("returned", None)})),
    ("отправлено", frozenset({("sent", "registered_post"), ("sent", "email")})),
)


def last_of(events: Sequence[Event], *kinds: str) -> Event | None:
    """The latest event of these kinds (events are in date order: the last one written)."""
    found = [event for event in events if event.kind in kinds]
    return found[-1] if found else None


def active_hold(events: Sequence[Event]) -> Event | None:
    """The hold in force: the latest of the holds and resumes, when it is a hold."""
    latest = last_of(events, "hold", "resume")
    return latest if latest is not None and latest.kind == "hold" else None


def promise_covering(events: Sequence[Event], as_of: date) -> Event | None:
    """The latest promise whose date to pay by is `as_of` or later."""
    promises = [event for event in events if event.kind == "promise" and event.pay_by and event.pay_by >= as_of]
    return promises[-1] if promises else None


def schedule_state(
    events: Sequence[Event], payments: Sequence[Payment], as_of: date, work_calendar: WorkCalendar
) -> ScheduleState | None:
    """The latest instalment agreement on `as_of`, against the payments made since it was agreed
    (on its day too: a first payment is often made on signing). None: no agreement."""
    agreed = last_of(events, "instalments")
    if agreed is None:
        return None
    paid = sum((payment.amount for payment in payments if agreed.date <= payment.date <= as_of), Decimal("0"))
    owed = Decimal("0")
    for instalment in agreed.schedule:
        owed += instalment.amount
        if paid < owed:
            return ScheduleState(agreed, instalment, work_calendar.term_end(instalment.date))
    return ScheduleState(agreed, None, None)
