"""The limitation period (исковая давность) of a case's debt: when the shop can no longer
count on a court to collect it. Pure: the due date, the events and the calendar are passed in.

- ГК РФ ст. 196 п. 1: three years. ст. 200 п. 2: for an obligation with a fixed term of
  performance it runs from the end of that term; ст. 191: a term begins on the day after the
  event that starts it. ст. 192 п. 1, 3: a term of years ends on the same date of its last
  year (28.02 for 29.02); ст. 193: a last day that is not a working day moves to the next one.
  Courts read the last day two ways: the date of the due date, or of the first day overdue,
  three years on; the later is taken (20.05.2026 for a debt due by 19.05.2023): a debt is
  never called time-barred too early.
- ст. 203: an act of the debtor acknowledging the debt interrupts it; it runs anew, the time
  before not counted. п. 20 постановления Пленума ВС РФ от 29.09.2015 № 43: such acts include
  a request for or an agreement on instalments; a partial payment acknowledges only the part
  paid, unless the debtor says otherwise. So an `instalments` agreement interrupts; payments do
  not (the case file cannot tell what the debtor said when paying), nor does an oral `promise`.
  For a schedule, the period of the whole debt ends with that of its last instalment.
- ст. 204 п. 1: it does not run from the day the shop goes to court while the court protects
  the right; п. 18 постановления Пленума № 43: after a court order is cancelled it runs on, and
  an unexpired part shorter than six months is extended to six months. After a judgment, or
  while the court order stands, the claim is no longer a matter of this period (enforcement has
  terms of its own): None.
docs/legal-basis.md lists the sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.figures.calendar import WorkCalendar
from pipeline.figures.months import add_months, add_years
from pipeline.models import Event
from pipeline.wording.russian import format_date_short

YEARS = 3  # ГК РФ ст. 196 п. 1
FLOOR_MONTHS = 6  # п. 18 постановления Пленума ВС РФ № 43
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Limitation:
    """The last day of the period (moved to a working day) and how it was counted, a line a step."""

    end: date
    steps: tuple[str, ...]

    def expired(self, as_of: date) -> bool:
        return as_of > self.end


@dataclass
class _Count:
    end: date  # the last day so far, before ст. 193
    steps: list[str]
    in_court: date | None = None  # the day the shop went to court, while the court protects the right
    left_days: int = 0  # the days of the period left on that day, that day included


def limitation_period(due_date: date | None, events: Sequence[Event], work_calendar: WorkCalendar) -> Limitation | None:
    """The limitation period of the debt due by `due_date`, given the case's events (in date order,
    those known on the date asked about). None: no due date, or the court has the claim."""
    if due_date is None:
        return None
    start = due_date + ONE_DAY  # the first day overdue: the three years are counted from it
    count = _Count(
        add_years(start, YEARS),
        [f"срок оплаты — по {format_date_short(due_date)}: давность считается с {format_date_short(start)}"],
    )
    for event in events:
        if event.kind == "judgment":
            return None
        step = _STEPS.get(event.kind)
        if step is not None:
            step(count, event)
    if count.in_court is not None:
        return None
    end = work_calendar.term_end(count.end)
    if end != count.end:
        count.steps.append(f"{format_date_short(count.end)} — нерабочий день: срок истекает {format_date_short(end)}")
    return Limitation(end, tuple(count.steps))


def _acknowledged(count: _Count, event: Event) -> None:
    """ст. 203: an instalment agreement acknowledges the debt; the period runs anew, for the whole
    debt from the day after the later of the agreement and its last instalment."""
    last = max((instalment.date for instalment in event.schedule), default=event.date)
    start = max(event.date, last) + ONE_DAY
    count.end, count.in_court = add_years(start, YEARS), None
    count.steps.append(
        f"{format_date_short(event.date)} — соглашение о рассрочке, долг признан (ст. 203 ГК РФ): давность считается "
        f"заново с {format_date_short(start)}"
    )


def _filed(count: _Count, event: Event) -> None:
    """ст. 204 п. 1: from the day of filing the period stands still; a filing after it ran out saves nothing."""
    if count.in_court is not None:
        return
    if event.date > count.end:
        count.steps.append(f"{format_date_short(event.date)} — обращение в суд после истечения срока")
        return
    count.in_court, count.left_days = event.date, (count.end - event.date).days + 1
    count.steps.append(
        f"{format_date_short(event.date)} — обращение в суд (ст. 204 ГК РФ): срок не течёт, "
        f"оставалось {count.left_days} дн."
    )


def _order_cancelled(count: _Count, event: Event) -> None:
    """п. 18 Пленума № 43: the period runs on from the day after the cancellation, at least six months."""
    if count.in_court is None:
        return
    count.end = max(event.date + timedelta(days=count.left_days), add_months(event.date, FLOOR_MONTHS))
    count.in_court = None
    count.steps.append(
        f"{format_date_short(event.date)} — судебный приказ отменён: срок течёт дальше, не менее шести месяцев "
        f"(п. 18 постановления Пленума ВС РФ № 43), до {format_date_short(count.end)}"
    )


_STEPS = {"instalments": _acknowledged, "court_filed": _filed, "court_order_cancelled": _order_cancelled}
