"""The state duty (государственная пошлина) on a claim for money: НК РФ ст. 333.19 for the
courts of general jurisdiction and the magistrates, ст. 333.21 for the arbitrazh courts.

The scales are dated data (`data/state_duty.csv`, one row a band or the court-order rule,
each with the date it took effect and its source), like the key rates; this module is pure:
the table is passed in, and `state_duty` is a function of (article, procedure, claim, date).

Rounding: the duty is a сбор, computed in full roubles, under 50 kopecks dropped and 50
kopecks or more rounded up (НК РФ п. 6 ст. 52; письмо Минфина России от 28.05.2025
№ 03-05-04-03/52566 applies it to the state duty). A court order costs 50 % of the action's
duty (ст. 333.19 п. 1 пп. 2; ст. 333.21 п. 1 пп. 3, not less than 8 000 руб.): half of the
action's duty *as rounded*, rounded again — the literal reading («50 процентов размера
государственной пошлины»), and never less than halving the unrounded amount.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pipeline.errors import CalculationError
from pipeline.figures.rates import data_date, data_rows, format_day
from pipeline.resources import figures_data_text
from pipeline.wording.russian import format_money, format_number

SHIPPED_TABLE = "pipeline/figures/data/state_duty.csv"
COLUMNS = ("effective_from", "article", "item", "over", "base", "percent", "cap", "minimum", "source")
ARTICLES = ("333.19", "333.21")
ITEMS = ("action", "order")
ROUBLE = Decimal("1")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class DutyRow:
    """One row of the table: a band of the action's scale (item "action": `base` plus `percent`
    of the claim over `over`, at most `cap`) or the court-order rule (item "order": `percent`
    of the action's duty, at least `minimum`)."""

    effective_from: date
    article: str
    item: str
    over: Decimal
    base: Decimal
    percent: Decimal
    cap: Decimal | None
    minimum: Decimal
    source: str


@dataclass(frozen=True)
class StateDuty:
    """The duty on one application, with the arithmetic a person can check."""

    article: str  # "333.19" | "333.21"
    procedure: str  # "court_order" | "action" | "simplified"
    claim: Decimal
    amount: Decimal  # whole roubles
    lines: tuple[str, ...]  # the arithmetic, in Russian
    citation: str  # «подп. 1 п. 1 ст. 333.19 НК РФ»


def round_duty(value: Decimal) -> Decimal:
    """НК РФ п. 6 ст. 52: full roubles, 50 kopecks and more up, less dropped."""
    return value.quantize(ROUBLE, rounding=ROUND_HALF_UP)


def state_duty(article: str, procedure: str, claim: Decimal, day: date, table: Sequence[DutyRow]) -> StateDuty:
    """The duty under `article` for an application of `procedure` on a claim of `claim` roubles
    sent to court on `day`, by the rows of `table` in force that day."""
    if claim <= 0:
        raise CalculationError(f"цена иска {claim} руб.: пошлина считается только с положительной суммы")
    rows = rows_in_force(article, day, table)
    band, upper = find_band(claim, [row for row in rows if row.item == "action"])
    action, lines = action_duty(band, upper, claim)
    item = f"подп. 1 п. 1 ст. {article} НК РФ"
    if procedure != "court_order":
        return StateDuty(article, procedure, claim, action, tuple(lines), item)
    order_rule = next((row for row in rows if row.item == "order"), None)
    if order_rule is None:
        raise CalculationError(f"нет правила ст. {article} НК РФ о пошлине за судебный приказ на {format_day(day)}")
    amount, order_lines = order_duty(order_rule, action)
    order_item = "подп. 2" if article == "333.19" else "подп. 3"
    return StateDuty(
        article, procedure, claim, amount, (*lines, *order_lines), f"{order_item} п. 1 ст. {article} НК РФ"
    )


def rows_in_force(article: str, day: date, table: Sequence[DutyRow]) -> list[DutyRow]:
    """The rows of `article` of the latest scale that took effect on or before `day`."""
    dates = sorted({row.effective_from for row in table if row.article == article})
    position = bisect_right(dates, day)
    if position == 0:
        first = f"таблица начинается с {format_day(dates[0])}" if dates else "таблица пуста"
        raise CalculationError(f"нет ставок госпошлины ст. {article} НК РФ на {format_day(day)}: {first}")
    effective = dates[position - 1]
    return [row for row in table if row.article == article and row.effective_from == effective]


def find_band(claim: Decimal, bands: Sequence[DutyRow]) -> tuple[DutyRow, Decimal | None]:
    """The band whose lower bound is the highest one below the (positive) claim, and the next
    band's bound. The scales are continuous at their edges («до 100 000» and «от 100 001» give
    the same duty at 100 000), so a claim between two whole roubles (100 000,50) simply belongs
    to the band above."""
    below = sorted((band for band in bands if band.over < claim), key=lambda band: band.over)
    if not below:
        raise CalculationError(f"шкала госпошлины не покрывает цену иска {claim} руб.")
    above = [band.over for band in bands if band.over >= claim]
    return below[-1], min(above) if above else None


def action_duty(band: DutyRow, upper: Decimal | None, claim: Decimal) -> tuple[Decimal, list[str]]:
    """The action's duty in the band (below `upper`), rounded, with its arithmetic."""
    if band.percent == 0:
        limit = f" ≤ {format_number(upper)}" if upper is not None else ""
        return round_duty(band.base), [f"цена иска {format_money(claim)}{limit}: {format_number(band.base)}"]
    excess = claim - band.over
    exact = band.base + excess * band.percent / HUNDRED
    base, over, rate = format_number(band.base), format_number(band.over), format_number(band.percent)
    formula = f"{base} + ({format_money(claim)} − {over}) × {rate} %"
    lines = [f"{formula} = {format_number(exact)}"]
    if band.cap is not None and exact > band.cap:
        lines.append(f"но не более {format_number(band.cap)}")
        exact = band.cap
    amount = round_duty(exact)
    lines.append(f"округлено до полного рубля (п. 6 ст. 52 НК РФ): {format_number(amount)}")
    return amount, lines


def order_duty(rule: DutyRow, action: Decimal) -> tuple[Decimal, list[str]]:
    """The court order's share of the action's duty, rounded, and at least the minimum."""
    half = action * rule.percent / HUNDRED
    amount = round_duty(half)
    share = f"{format_number(action)} × {format_number(rule.percent)} % = {format_number(half)}"
    line = f"судебный приказ: {share} → {format_number(amount)}"
    if amount < rule.minimum:
        amount = rule.minimum
        line += f", но не менее {format_number(rule.minimum)}"
    return amount, [line]


@functools.cache
def load_state_duty() -> tuple[DutyRow, ...]:
    """The shipped table, read once per process."""
    return parse_state_duty(figures_data_text("state_duty.csv"), SHIPPED_TABLE)


def parse_state_duty(text: str, source: str) -> tuple[DutyRow, ...]:
    """The rows of a CSV text with the shipped table's columns; `source` names the file in errors."""
    rows = tuple(parse_duty_row(cells, where) for cells, where in data_rows(text, COLUMNS, source))
    if not rows:
        raise CalculationError(f"{source}: таблица госпошлины пуста")
    return rows


def parse_duty_row(cells: list[str], where: str) -> DutyRow:
    day_text, article, item, over, base, rate, cap, minimum, source = cells
    if article not in ARTICLES:
        raise CalculationError(f"{where}: статья «{article}» — ожидается {' или '.join(ARTICLES)}")
    if item not in ITEMS:
        raise CalculationError(f"{where}: item «{item}» — ожидается action или order")
    if not source:
        raise CalculationError(f"{where}: не указан источник (статья и редакция закона)")
    return DutyRow(
        effective_from=data_date(day_text, where),
        article=article,
        item=item,
        over=data_amount(over or "0", where),
        base=data_amount(base or "0", where),
        percent=data_amount(rate, where),
        cap=data_amount(cap, where) if cap else None,
        minimum=data_amount(minimum or "0", where),
        source=source,
    )


def data_amount(text: str, where: str) -> Decimal:
    """A non-negative decimal cell of a data table (roubles or percent)."""
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise CalculationError(f"{where}: «{text}» не число (пример: 100000 или 2.5)") from err
    if not value.is_finite() or value < 0:
        raise CalculationError(f"{where}: «{text}» — ожидается неотрицательное число")
    return value
