"""The Bank of Russia key-rate history that ГК РФ ст. 395 interest is computed from:
loading the shipped (or the user's) CSV table, looking up the rate of a day, naming
the rows the Bank of Russia's data have not confirmed, and warning when the table
may be out of date. `pipeline rates update` (commands/rates.py) writes the user's table."""

from __future__ import annotations

import csv
import functools
import io
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline.errors import CalculationError
from pipeline.models import KeyRate
from pipeline.resources import key_rates_text

SHIPPED_TABLE = "pipeline/figures/data/key_rates.csv"
# The user's table in the working folder, which `pipeline rates update` writes.
USER_TABLE = Path("key_rates.csv")
COLUMNS = ("effective_from", "rate_percent", "confirmed")
# The Bank of Russia changes the rate at most every six weeks or so; a table
# whose last change is older than this has probably missed one.
STALE_AFTER_DAYS = 60


@functools.cache
def load_key_rates() -> tuple[KeyRate, ...]:
    """The key-rate table shipped in the package, read once per process."""
    text = key_rates_text()
    return parse_key_rates(text, SHIPPED_TABLE)


def load_working_key_rates(user_table: Path = USER_TABLE) -> tuple[KeyRate, ...]:
    """The user's table (`key_rates.csv` in the working folder) when there is one, else the shipped one."""
    return load_key_rates_from(user_table) if user_table.is_file() else load_key_rates()


def load_key_rates_from(path: Path | str) -> tuple[KeyRate, ...]:
    """A key-rate table from a CSV file with the shipped table's columns."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CalculationError(f"{path}: не удалось прочитать таблицу ключевых ставок: {err}") from err
    return parse_key_rates(text, str(path))


def parse_key_rates(text: str, source: str) -> tuple[KeyRate, ...]:
    """Parse and validate CSV text; `source` names the file in error messages."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
        raise CalculationError(f"{source}:1: ожидается заголовок {','.join(COLUMNS)}, получено {header}")
    key_rates: list[KeyRate] = []
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        key_rates.append(parse_row(row, f"{source}:{line}"))
    if not key_rates:
        raise CalculationError(f"{source}: таблица ключевых ставок пуста")
    key_rates.sort(key=lambda key_rate: key_rate.effective_from)
    for earlier, later in zip(key_rates, key_rates[1:], strict=False):
        if earlier.effective_from == later.effective_from:
            raise CalculationError(f"{source}: дата {format_day(later.effective_from)} встречается в таблице дважды")
    return tuple(key_rates)


def data_rows(text: str, columns: tuple[str, ...], source: str) -> list[tuple[list[str], str]]:
    """The non-blank rows of a shipped data table's CSV `text` whose header is `columns`: each row's
    stripped cells with "file:line" for error messages; `source` names the file."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != columns:
        raise CalculationError(f"{source}:1: ожидается заголовок {','.join(columns)}, получено {header}")
    rows = []
    for row in reader:
        if row and any(cell.strip() for cell in row):
            where = f"{source}:{reader.line_num}"
            rows.append((data_cells(row, columns, where), where))
    return rows


def data_cells(row: list[str], columns: tuple[str, ...], where: str) -> list[str]:
    """The stripped cells of one row of a shipped data table (key rates, the work calendar)."""
    if len(row) != len(columns):
        raise CalculationError(f"{where}: ожидается {len(columns)} столбца ({','.join(columns)}), а их {len(row)}")
    return [cell.strip() for cell in row]


def data_date(day_text: str, where: str) -> date:
    """A date cell of a data table, or a CalculationError naming the row."""
    try:
        return date.fromisoformat(day_text)
    except ValueError as err:
        raise CalculationError(f"{where}: дата «{day_text}» не в формате ГГГГ-ММ-ДД") from err


def parse_row(row: list[str], where: str) -> KeyRate:
    """One CSV row as a KeyRate; `where` is "file:line" for the error message."""
    day_text, rate_text, confirmed_text = data_cells(row, COLUMNS, where)
    effective_from = data_date(day_text, where)
    try:
        rate_percent = Decimal(rate_text)
    except InvalidOperation as err:
        raise CalculationError(f"{where}: ставка «{rate_text}» не число (пример: 16.50)") from err
    if not rate_percent.is_finite() or rate_percent < 0 or rate_percent > 100:
        raise CalculationError(f"{where}: ставка «{rate_text}» вне диапазона 0..100 %")
    if confirmed_text not in ("yes", "no"):
        raise CalculationError(f"{where}: confirmed должно быть yes или no, а не «{confirmed_text}»")
    return KeyRate(effective_from, rate_percent, confirmed_text == "yes")


def find_key_rate(day: date, key_rates: Sequence[KeyRate]) -> KeyRate:
    """The row in force on `day`: the latest effective_from on or before it (table sorted)."""
    position = bisect_right(key_rates, day, key=lambda key_rate: key_rate.effective_from)
    if position == 0:
        first = f"таблица начинается с {format_day(key_rates[0].effective_from)}" if key_rates else "таблица пуста"
        raise CalculationError(f"нет ключевой ставки на {format_day(day)}: {first}")
    return key_rates[position - 1]


def staleness_warning(as_of: date, key_rates: Sequence[KeyRate]) -> str | None:
    """A warning when `as_of` is more than 60 days past the table's last rate change."""
    if not key_rates:
        return None
    last_change = max(key_rate.effective_from for key_rate in key_rates)
    if (as_of - last_change).days <= STALE_AFTER_DAYS:
        return None
    return (
        f"таблица ключевых ставок могла устареть: последнее изменение {format_day(last_change)}, "
        f"расчёт на {format_day(as_of)} — обновите таблицу: pipeline rates update"
    )


def unconfirmed_key_rates(periods: Iterable[tuple[date, date]], key_rates: Sequence[KeyRate]) -> tuple[KeyRate, ...]:
    """The unconfirmed rows (table sorted) in force on some day of the (first, last day) periods:
    rates from secondary tables that the Bank of Russia's data have not confirmed."""
    periods = list(periods)
    found = []
    for index, key_rate in enumerate(key_rates):
        if key_rate.confirmed:
            continue
        following = key_rates[index + 1].effective_from if index + 1 < len(key_rates) else date.max
        if any(first < following and key_rate.effective_from <= last for first, last in periods):
            found.append(key_rate)
    return tuple(found)


def describe_key_rates(key_rates: Iterable[KeyRate]) -> str:
    """«23.03.2026 — 15,00 %, 27.04.2026 — 14,50 %»: each row's first day and rate."""
    return ", ".join(
        f"{format_day(key_rate.effective_from)} — {format_percent(key_rate.rate_percent)} %" for key_rate in key_rates
    )


def format_percent(rate: Decimal) -> str:
    """16.5 → «16,50»: two decimals and a decimal comma, as Russian documents write it."""
    return f"{rate:.2f}".replace(".", ",")


def unconfirmed_error(key_rates: Sequence[KeyRate]) -> str:
    """Why a ст. 395 calculation over unconfirmed rows is not issued, and what to do."""
    subject = "ключевая ставка не подтверждена" if len(key_rates) == 1 else "ключевые ставки не подтверждены"
    return (
        f"{subject} Банком России: {describe_key_rates(key_rates)}: "
        f"запустите «pipeline rates update» или укажите --allow-unconfirmed-rates"
    )


def unconfirmed_warning(key_rates: Sequence[KeyRate]) -> str:
    """The warning of a calculation issued over unconfirmed rows with --allow-unconfirmed-rates."""
    one = len(key_rates) == 1
    subject = "ключевая ставка не подтверждена" if one else "ключевые ставки не подтверждены"
    return (
        f"{subject} Банком России: {describe_key_rates(key_rates)} — проценты посчитаны по {'ней' if one else 'ним'}, "
        f"как разрешено --allow-unconfirmed-rates; письмо {'её' if one else 'их'} называет"
    )


def format_key_rates(key_rates: Iterable[KeyRate]) -> str:
    """The CSV text of a table, in the shipped table's columns, sorted by date."""
    lines = [",".join(COLUMNS)]
    for key_rate in sorted(key_rates, key=lambda key_rate: key_rate.effective_from):
        confirmed = "yes" if key_rate.confirmed else "no"
        lines.append(f"{key_rate.effective_from.isoformat()},{key_rate.rate_percent:.2f},{confirmed}")
    return "\n".join(lines) + "\n"


def format_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")
