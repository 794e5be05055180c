"""The list Russian Post's «Отправка» gives back for a batch (the batch's
orders exported as .xlsx or .csv): one row per letter with its ШПИ, the
14-digit tracking number, and the ORDERNUM we sent (post.py), our journal
number. Read leniently, because the export's columns are the service's to
change: the header row is the first within HEADER_SEARCH_ROWS that names a
tracking column (ШПИ, трек-номер, почтовый идентификатор, barcode); the
journal number is taken from the order column when there is one, else from
any cell of the row.

A domestic ШПИ is 14 digits: the index of the accepting office (6), the month
(2), the item's number (5) and a check digit: the digits in odd places (1st,
3rd, … 13th) summed and tripled, plus those in even places; the check digit
makes the total a multiple of 10.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.errors import InputError
from pipeline.models import Problem

HEADER_SEARCH_ROWS = 20
MAX_LIST_BYTES = 20 * 1024 * 1024
_TRACKING_HEADER = re.compile(r"шпи|трек|track|barcode|почтов\w* идентификатор|штрих", re.IGNORECASE)
_ORDER_HEADER = re.compile(r"ordernum|order-num|(номер|№) заказа", re.IGNORECASE)
_JOURNAL_NUMBER = re.compile(r"\b[А-ЯЁA-Z]{2}-\d{4}-\d{4}\b")
_NOT_DIGITS = re.compile(r"[\s\u00a0-]")


@dataclass(frozen=True)
class ReturnedRow:
    """One letter of the returned list: where it is, our number (None: not found) and the ШПИ as written."""

    line: int
    column: int  # of the ШПИ, from 1
    number: str | None
    tracking: str


def read_returned_list(path: Path) -> list[ReturnedRow]:
    """The letters of the post's list; InputError (one line naming the file) when it cannot be read."""
    rows = _table(path)
    header_at, tracking_column, order_column = _header(rows, path)
    found = []
    for line, cells in rows[header_at + 1 :]:
        tracking = _cell(cells, tracking_column)
        if not tracking and not any(cells):
            continue
        order = _cell(cells, order_column) if order_column is not None else ""
        number = _journal_number(order) or _journal_number(" ".join(cells))
        found.append(ReturnedRow(line, tracking_column + 1, number, _NOT_DIGITS.sub("", tracking)))
    return found


def tracking_problem(tracking: str) -> str | None:
    """What is wrong with a domestic ШПИ, in Russian; None when it is right."""
    if not tracking:
        return "ШПИ пуст"
    if not tracking.isdigit() or len(tracking) != 14:
        return f"ШПИ «{tracking}» — не 14 цифр"
    if int(tracking[13]) != check_digit(tracking[:13]):
        return f"ШПИ «{tracking}»: контрольная цифра не сходится (должна быть {check_digit(tracking[:13])})"
    return None


def check_digit(first13: str) -> int:
    odd = sum(int(digit) for digit in first13[0::2])
    even = sum(int(digit) for digit in first13[1::2])
    return (10 - (odd * 3 + even) % 10) % 10


def _journal_number(text: str) -> str | None:
    match = _JOURNAL_NUMBER.search(text.upper())
    return match.group(0) if match else None


def _cell(cells: Sequence[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _header(rows: Sequence[tuple[int, list[str]]], path: Path) -> tuple[int, int, int | None]:
    """(index of the header row, its tracking column, its order column or None)."""
    for at, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        tracking = next((i for i, text in enumerate(cells) if _TRACKING_HEADER.search(text)), None)
        if tracking is not None:
            order = next((i for i, text in enumerate(cells) if _ORDER_HEADER.search(text) and i != tracking), None)
            return at, tracking, order
    raise _unreadable(path, "не найден столбец ШПИ", "нужен список партии из «Отправки» со столбцом ШПИ")


def _table(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells as text) of every row of the first sheet, or of the CSV file."""
    if not path.is_file():
        raise _unreadable(path, "нет такого файла", "проверьте путь к списку из «Отправки»")
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            raise _unreadable(path, "файл слишком большой", "нужен список одной партии")
        if path.suffix.lower() == ".xlsx":
            return list(_xlsx_rows(path))
        if path.suffix.lower() == ".csv":
            return _csv_rows(path.read_bytes())
    except OSError as err:
        raise _unreadable(path, f"файл не читается: {err.strerror}", "проверьте путь и права") from err
    except csv.Error as err:
        raise _unreadable(path, f"CSV не читается: {err}", "сохраните список из Excel заново как .csv") from err
    # openpyxl's own errors for a damaged or foreign file (its XML parser's are SyntaxError).
    except (BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, SyntaxError, EOFError) as err:
        raise _unreadable(path, "файл Excel повреждён или не .xlsx", "сохраните список как .xlsx или .csv") from err
    raise _unreadable(path, f"формат «{path.suffix}» не читается", "сохраните список как .xlsx или .csv")


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield line, [_text(value) for value in values]
    finally:
        workbook.close()


def _text(value: object) -> str:
    """A cell as text; a ШПИ stored as a number keeps all its digits (no «8.008E+13»)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _printable(str(value))


def _csv_rows(raw: bytes) -> list[tuple[int, list[str]]]:
    """UTF-8 (with or without BOM), else Windows-1251, which Russian Excel writes; `;`, `,` or tab."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, [_printable(cell) for cell in cells]) for cells in reader]


def _printable(text: str) -> str:
    """The cell without control or bidi characters, which would reach the messages otherwise."""
    return "".join(character for character in text if character.isprintable()).strip()


def _unreadable(path: Path, message: str, hint: str) -> InputError:
    return InputError([Problem(str(path), None, None, "", message, hint)])
