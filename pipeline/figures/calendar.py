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
from collections.abc import Callable, Iterable
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


YearDays = tuple[frozenset[date], frozenset[date]]  # a year's days off, and its working weekends
NO_DAYS: YearDays = (frozenset(), frozenset())


class WorkCalendar:
    """Non-working days of a five-day week in Russia, for the years `first_year`..`last_year`.

    A year's days off are its public holidays and the days off moved onto weekdays; its working
    weekends are the Saturdays and Sundays worked by a transfer. Both come from `year_days` the
    first time a day of that year is asked: a run looks at a few years, not at the hundred and one
    the calendar covers (making them all took a fifth of a build with nothing to do).
    """

    def __init__(self, year_days: Callable[[int], YearDays], first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR):
        self.first_year = first_year
        self.last_year = last_year
        self._year_days = year_days
        self._years: dict[int, YearDays] = {}

    def _days_of(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self._year_days(year)  # two threads may both make it: the same days
        return days

    def is_working_day(self, day: date) -> bool:
        days_off, working_weekends = self._days_of(day.year)
        if day.weekday() >= 5:
            return day in working_weekends
        return day not in days_off

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
    return WorkCalendar(lambda year: NO_DAYS, first_year, last_year)


@functools.cache
def load_work_calendar() -> WorkCalendar:
    """The shipped calendar: the `holidays` package's Russia corrected by the shipped rows, each
    year made when first asked; one calendar per process."""
    text = resources.files("pipeline.figures").joinpath("data/work_calendar.csv").read_text(encoding="utf-8")
    rows = parse_calendar_rows(text, SHIPPED_CALENDAR)

    def year_days(year: int) -> YearDays:
        # The package's days of the year and of the years around it (a day moved across New Year
        # would be found with its own year), as making all the calendar's years at once gave them.
        nearby = range(max(year - 1, FIRST_YEAR), min(year + 1, LAST_YEAR) + 1)
        days_off, working_weekends = package_calendar(nearby.start, nearby.stop - 1) if nearby else NO_DAYS
        return corrected_days(
            (day for day in days_off if day.year == year),
            (day for day in working_weekends if day.year == year),
            (row for row in rows if row.day.year == year),
        )

    return WorkCalendar(year_days)


def package_calendar(first_year: int, last_year: int) -> YearDays:
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
    off, working = corrected_days(days_off, working_weekends, rows)
    by_year: dict[int, tuple[set[date], set[date]]] = {}
    for days, index in ((off, 0), (working, 1)):
        for day in days:
            by_year.setdefault(day.year, (set(), set()))[index].add(day)
    years = {year: (frozenset(off), frozenset(working)) for year, (off, working) in by_year.items()}
    return WorkCalendar(lambda year: years.get(year, NO_DAYS), first_year, last_year)


def corrected_days(days_off: Iterable[date], working_weekends: Iterable[date], rows: Iterable[CalendarRow]) -> YearDays:
    """The days off and the working weekends (only Saturdays and Sundays), each row's kind winning for its date."""
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
    return frozenset(off), frozenset(working)


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
