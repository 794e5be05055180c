"""An agreed instalment schedule's figures: the equal monthly split of a sum, and what the
debtor has paid under the agreement and what is left of it on a date. Pure: the events,
payments and working-day calendar are passed in.

The schedule is an agreement of the parties (ГК РФ ст. 421); a missed instalment makes the
whole remainder due only because the agreement says so (its clause on early payment): ст. 811
п. 2 ГК РФ gives a lender that right by law for a loan, a contract debt has it by contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from pipeline.figures.calendar import WorkCalendar
from pipeline.figures.case_events import schedule_state
from pipeline.figures.money import KOPECK, ZERO
from pipeline.figures.months import add_months
from pipeline.models import Event, Instalment, Payment


def equal_monthly(total: Decimal, count: int, first: date) -> tuple[Instalment, ...]:
    """`total` in `count` monthly instalments from `first`: each the share rounded down to the
    kopeck, the last one the rest (19 940,50 / 3 = 6 646,83 + 6 646,83 + 6 646,84); the same
    day of each month, or its last day in a shorter month (ГК РФ ст. 192 п. 3)."""
    if count < 1:
        raise ValueError("an instalment schedule has at least one instalment")
    share = (total / count).quantize(KOPECK, rounding=ROUND_DOWN)
    amounts = [share] * (count - 1) + [total - share * (count - 1)]
    return tuple(Instalment(add_months(first, month), amount) for month, amount in enumerate(amounts))


def schedule_total(agreed: Event) -> Decimal:
    """The sum the debtor acknowledged and agreed to pay: the schedule's instalments together."""
    return sum((instalment.amount for instalment in agreed.schedule), ZERO)


@dataclass(frozen=True)
class ScheduleFigures:
    """An agreement's figures on a date: what was agreed, paid under it and left of it, and the
    first instalment missed (unpaid after its last day, ст. 193), if any."""

    agreed: Event
    total: Decimal
    paid: Decimal
    remainder: Decimal
    missed: Instalment | None
    missed_last_day: date | None


def schedule_figures(
    events: Sequence[Event], payments: Sequence[Payment], as_of: date, work_calendar: WorkCalendar
) -> ScheduleFigures | None:
    """The latest agreement known on `as_of` and its figures; None: no agreement. Payments count
    from the agreement's own day (a first payment is often made on signing)."""
    state = schedule_state([event for event in events if event.date <= as_of], payments, as_of, work_calendar)
    if state is None:
        return None
    total = schedule_total(state.agreed)
    paid = sum((p.amount for p in payments if state.agreed.date <= p.date <= as_of), ZERO)
    missed = state.due is not None and state.last_day is not None and as_of > state.last_day
    return ScheduleFigures(
        state.agreed,
        total,
        paid,
        max(ZERO, total - paid),
        state.due if missed else None,
        state.last_day if missed else None,
    )
