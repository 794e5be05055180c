"""Russia's working days, for terms that end on one (ГК РФ ст. 193: when the last day of a
term is a non-working day, the term ends on the next working day).

The days off are the `holidays` package's Russian calendar (ТК РФ ст. 112 and the
Government's transfers of days off it knows), corrected by `data/work_calendar.csv`:
each row a date that is a day off (`holiday`) or a working day (`working_day`, e.g.
a Saturday worked in exchange for a Monday off), citing the постановление or the
article it comes from. The calendar is data, built once per process
(`load_work_calendar`) and passed to the calculation like the key-rate table.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from pipeline.errors import CalculationError
from pipeline.figures.rates import data_cells, data_date

SHIPPED_CALENDAR = "pipeline/figures/data/work_calendar.csv"
COLUMNS = ("date", "kind", "source")
KINDS = ("holiday", "working_day")
# The years the calendar is built for: those a case's dates may have (2000–2099, inputs/rules.py)
# and the next, where a term begun in December 2099 ends.
FIRST_YEAR = 2000
LAST_YEAR = 2100
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CalendarRow:
    """One correction: `day` is a day off (kind "holiday") or a working day ("working_day")."""

    day: date
    kind: str
    source: str


@dataclass(frozen=True)
class WorkCalendar:
    """Non-working days of a five-day week in Russia, for the years `first_year`..`last_year`.

    `days_off` are the public holidays and the days off moved onto weekdays;
    `working_weekends` are the Saturdays and Sundays that are working days by a transfer.
    """

    days_off: frozenset[date]
    working_weekends: frozenset[date]
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return day in self.working_weekends
        return day not in self.days_off

    def term_end(self, last_day: date) -> date:
        """ГК РФ ст. 193: the day a term ends whose last day is `last_day`: that day when it is
        a working day, else the next working day."""
        if not self.first_year <= last_day.year <= self.last_year:
            raise CalculationError(
                f"нет производственного календаря на {last_day.year} год: "
                f"срок, истекающий {last_day:%d.%m.%Y}, не рассчитать"
            )
        day = last_day
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def term_after(self, start: date, days: int) -> date:
        """The last day of a term of `days` days that begins after `start` (ГК РФ ст. 191:
        from the next day; so it ends on `start` + `days`), moved by ст. 193."""
        return self.term_end(start + timedelta(days=days))


def weekends_only(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> WorkCalendar:
    """A calendar without holidays: every Monday to Friday works (for tests and examples)."""
    return WorkCalendar(frozenset(), frozenset(), first_year, last_year)


@functools.cache
def load_work_calendar() -> WorkCalendar:
    """The shipped calendar: the `holidays` package's Russia corrected by the shipped rows,
    built once per process."""
    text = resources.files("pipeline.figures").joinpath("data/work_calendar.csv").read_text(encoding="utf-8")
    days_off, working_weekends = package_calendar(FIRST_YEAR, LAST_YEAR)
    return build_work_calendar(days_off, working_weekends, parse_calendar_rows(text, SHIPPED_CALENDAR))


def package_calendar(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The `holidays` package's Russian days off and working weekends for the years given.

    Its holiday list holds the days off; the Saturdays worked in exchange for a day off
    are kept apart (`weekend_workdays`), and only by versions that know them.
    """
    import holidays

    russia = holidays.country_holidays("RU", years=range(first_year, last_year + 1))
    working_weekends: set[date] = getattr(russia, "weekend_workdays", set())
    return frozenset(russia.keys()), frozenset(working_weekends)


def build_work_calendar(
    days_off: Iterable[date],
    working_weekends: Iterable[date],
    rows: Iterable[CalendarRow],
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> WorkCalendar:
    """`days_off` and `working_weekends` corrected by `rows`: a row's kind wins for its date."""
    off = set(days_off)
    working = {day for day in working_weekends if day.weekday() >= 5}
    for row in rows:
        if row.kind == "holiday":
            off.add(row.day)
            working.discard(row.day)
        else:
            off.discard(row.day)
            if row.day.weekday() >= 5:
                working.add(row.day)
    return WorkCalendar(frozenset(off), frozenset(working), first_year, last_year)


def parse_calendar_rows(text: str, source: str) -> tuple[CalendarRow, ...]:
    """The correction rows of a CSV text; `source` names the file in error messages."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
        raise CalculationError(f"{source}:1: ожидается заголовок {','.join(COLUMNS)}, получено {header}")
    rows: dict[date, CalendarRow] = {}
    for cells in reader:
        if not cells or all(not cell.strip() for cell in cells):
            continue
        row = parse_calendar_row(cells, f"{source}:{reader.line_num}")
        if row.day in rows:
            raise CalculationError(f"{source}:{reader.line_num}: дата {row.day:%d.%m.%Y} встречается дважды")
        rows[row.day] = row
    return tuple(rows[day] for day in sorted(rows))


def parse_calendar_row(cells: list[str], where: str) -> CalendarRow:
    day_text, kind, source = data_cells(cells, COLUMNS, where)
    day = data_date(day_text, where)
    if kind not in KINDS:
        raise CalculationError(f"{where}: kind должно быть holiday или working_day, а не «{kind}»")
    if not source:
        raise CalculationError(f"{where}: не указан источник (постановление или статья закона)")
    return CalendarRow(day, kind, source)
