"""Template variables of the instalment agreement, the demand of its remainder and the
write-off act: the groups `instalments` and `write_off`. Pure: the case, its figures and
the working-day calendar in, printable strings out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from pipeline.figures.calc import compute_balance
from pipeline.figures.calendar import WorkCalendar
from pipeline.figures.case_events import last_of
from pipeline.figures.instalments import ScheduleFigures, schedule_figures
from pipeline.figures.limitation import Limitation, limitation_period
from pipeline.models import Case, Figures, Instalment
from pipeline.wording.russian import format_date_long, format_date_short, format_money, format_rub, plural

Money = Callable[[Decimal], dict[str, Any]]  # context.money: an amount in every printed form

TIME_BARRED = "истёк срок исковой давности"
# НК РФ ст. 266 п. 2: a debt past its limitation period is a bad debt for the profit tax
# (checked on news.kodeks.ru/view/902316499, письмо Минфина России от 24.11.2011 № 03-03-06/1/776).
TAX_NOTE = (
    "Для целей налогообложения прибыли задолженность, по которой истёк срок исковой давности, признаётся "
    "безнадёжной (п. 2 ст. 266 НК РФ)."
)


def _instalment_row(number: int, instalment: Instalment) -> dict[str, Any]:
    return {
        "number": number,
        "date": format_date_long(instalment.date),
        "date_short": format_date_short(instalment.date),
        "amount": format_money(instalment.amount),
        "amount_rub": format_rub(instalment.amount),
    }


def _missed_block(state: ScheduleFigures) -> dict[str, Any] | None:
    if state.missed is None or state.missed_last_day is None:
        return None
    return {
        "date": format_date_long(state.missed.date),
        "date_short": format_date_short(state.missed.date),
        "amount": format_rub(state.missed.amount),
        "last_day_short": format_date_short(state.missed_last_day),
    }


def instalments_block(case: Case, figures: Figures, work_calendar: WorkCalendar, money: Money) -> dict[str, Any] | None:
    """instalments.*: the latest agreement known on the as-of date — the sum acknowledged (the schedule's
    total) and what of it was the order's principal on the eve of the agreement, the schedule, what was
    paid under it and is left, and the first instalment missed. None: no agreement."""
    state = schedule_figures(case.events, case.payments, figures.as_of, work_calendar)
    if state is None:
        return None
    agreed = state.agreed
    principal = compute_balance(figures.total, [p for p in case.payments if p.date < agreed.date], agreed.date)[1]
    count = len(agreed.schedule)
    return {
        "date": format_date_long(agreed.date),
        "date_short": format_date_short(agreed.date),
        "total": money(state.total),
        "principal": money(principal),
        "other": money(state.total - principal) if state.total > principal else None,
        "count": count,
        "count_text": f"{count} {plural(count, 'платёж', 'платежа', 'платежей')}",
        "rows": [_instalment_row(number, item) for number, item in enumerate(agreed.schedule, start=1)],
        "first_date_short": format_date_short(agreed.schedule[0].date),
        "last_date_short": format_date_short(agreed.schedule[-1].date),
        "paid": money(state.paid),
        "has_payments": state.paid > 0,
        "remainder": money(state.remainder),
        "missed": _missed_block(state),
    }


def write_off_day(case: Case, as_of: date) -> date:
    """The write-off act's date: the `written_off` event's, else the as-of date (a limitation candidate)."""
    written_off = last_of([event for event in case.events if event.date <= as_of], "written_off")
    return written_off.date if written_off is not None else as_of


def write_off_block(case: Case, figures: Figures, work_calendar: WorkCalendar, money: Money) -> dict[str, Any] | None:
    """write_off.*: a debt written off (`written_off`) or past its limitation period on the as-of date —
    the principal left on the act's date, the reason, and the limitation period counted step by step.
    None: neither."""
    known = [event for event in case.events if event.date <= figures.as_of]
    written_off = last_of(known, "written_off")
    day = write_off_day(case, figures.as_of)
    limitation = limitation_period(figures.due_date, [event for event in known if event.date <= day], work_calendar)
    time_barred = limitation is not None and limitation.expired(day)
    if written_off is None and not time_barred:
        return None
    principal = compute_balance(figures.total, case.payments, day)[1]
    return {
        "date": format_date_long(day),
        "date_short": format_date_short(day),
        "decided": written_off is not None,
        "reason": written_off.reason if written_off is not None and written_off.reason else TIME_BARRED,
        "principal": money(principal),
        "limitation": _limitation_block(limitation, time_barred),
        "time_barred": time_barred,
        "tax_note": TAX_NOTE if time_barred else "",
    }


def _limitation_block(limitation: Limitation | None, expired: bool) -> dict[str, Any] | None:
    if limitation is None:
        return None
    return {
        "end": format_date_long(limitation.end),
        "end_short": format_date_short(limitation.end),
        "expired": expired,
        "steps": list(limitation.steps),
    }
