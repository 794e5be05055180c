"""The working-day calendar of ГК РФ ст. 193: the shipped one against the official production
calendars 2025–2027 (ТК РФ ст. 112 and the постановления on transfers of days off), and its rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.errors import CalculationError
from pipeline.figures.calendar import (
    CalendarRow,
    WorkCalendar,
    build_work_calendar,
    load_work_calendar,
    parse_calendar_rows,
    weekends_only,
)

HEADER = "date,kind,source\n"


def d(text: str) -> date:
    return date.fromisoformat(text)


# The official production calendars, written out by hand: the weekdays (Monday to Friday) that are
# days off, and the Saturdays that are working days.
OFFICIAL = {
    # ПП РФ от 04.10.2024 № 1335: 04.01 → 02.05, 05.01 → 31.12, 23.02 → 08.05, 08.03 → 13.06, 01.11 → 03.11.
    # 247 working days: 261 weekdays − 15 days off + 1 working Saturday.
    2025: (
        {
            *("2025-01-01", "2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07", "2025-01-08"),
            *("2025-05-01", "2025-05-02", "2025-05-08", "2025-05-09"),
            *("2025-06-12", "2025-06-13", "2025-11-03", "2025-11-04", "2025-12-31"),
        },
        {"2025-11-01"},
        247,
    ),
    # ПП РФ от 24.09.2025 № 1466: 03.01 → 09.01, 04.01 → 31.12; ТК РФ ст. 112 ч. 2: 08.03 (Sunday) → 09.03,
    # 09.05 (Saturday) → 11.05. 247 working days: 261 weekdays − 14 days off.
    2026: (
        {
            *("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"),
            *("2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11", "2026-06-12", "2026-11-04", "2026-12-31"),
        },
        set(),
        247,
    ),
    # ПП РФ от 17.09.2026 № 1187: 02.01 → 05.11, 03.01 → 31.12, 20.02 (Saturday, worked) → 22.02;
    # ТК РФ ст. 112 ч. 2: 01.05 → 03.05, 09.05 → 10.05, 12.06 → 14.06.
    # 247 working days: 261 weekdays − 15 days off + 1 working Saturday.
    2027: (
        {
            *("2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"),
            *("2027-02-22", "2027-02-23", "2027-03-08", "2027-05-03", "2027-05-10", "2027-06-14"),
            *("2027-11-04", "2027-11-05", "2027-12-31"),
        },
        {"2027-02-20"},
        247,
    ),
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_shipped_calendar_is_the_official_production_calendar(year):
    weekdays_off, working_saturdays, working_days = OFFICIAL[year]
    calendar = load_work_calendar()
    days = [date(year, 1, 1) + timedelta(days=n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
    assert {day.isoformat() for day in days if day.weekday() < 5 and not calendar.is_working_day(day)} == weekdays_off
    assert {day.isoformat() for day in days if day.weekday() >= 5 and calendar.is_working_day(day)} == working_saturdays
    assert sum(calendar.is_working_day(day) for day in days) == working_days


@pytest.mark.parametrize(
    ("last_day", "term_end"),
    [
        ("2026-08-08", "2026-08-10"),  # a Saturday → Monday
        ("2026-08-10", "2026-08-10"),  # a Monday stays
        ("2026-12-31", "2027-01-11"),  # a day off, then 01–08.01 holidays and 09–10.01 a weekend
        ("2025-11-01", "2025-11-01"),  # a Saturday worked (ПП РФ № 1335) stays
        ("2025-11-02", "2025-11-05"),  # Sunday, then 03.11 (day off moved from 01.11) and 04.11 (holiday)
        ("2027-02-20", "2027-02-20"),  # a Saturday worked (ПП РФ № 1187) stays
        ("2027-02-21", "2027-02-24"),  # Sunday, 22.02 (moved from 20.02), 23.02 (holiday) → Wednesday
        ("2026-05-09", "2026-05-12"),  # a holiday on a Saturday, Sunday, 11.05 (ТК РФ ст. 112 ч. 2) → Tuesday
    ],
)
def test_a_term_ends_on_the_next_working_day(last_day, term_end):
    assert load_work_calendar().term_end(d(last_day)) == d(term_end)


def test_a_term_of_days_begins_the_next_day():
    # ГК РФ ст. 191: 03.08.2026 + 5 days = 08.08.2026 (Saturday) → ст. 193: 10.08.2026
    assert load_work_calendar().term_after(d("2026-08-03"), 5) == d("2026-08-10")
    assert load_work_calendar().term_after(d("2026-08-03"), 0) == d("2026-08-03")


def test_the_shipped_calendar_is_built_once():
    assert load_work_calendar() is load_work_calendar()


def test_a_row_wins_over_the_package_for_its_date():
    saturday, monday = d("2030-06-01"), d("2030-06-03")
    rows = (
        CalendarRow(saturday, "working_day", "test"),
        CalendarRow(monday, "holiday", "test"),
        CalendarRow(d("2030-06-04"), "working_day", "test"),
    )
    calendar = build_work_calendar([d("2030-06-04")], [], rows)
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(monday)
    assert calendar.is_working_day(d("2030-06-04"))  # the package's day off, corrected
    assert not calendar.is_working_day(d("2030-06-02"))  # a plain Sunday


def test_weekends_only_knows_no_holidays():
    assert weekends_only().term_end(d("2027-01-01")) == d("2027-01-01")  # a Friday
    assert weekends_only().term_end(d("2027-01-02")) == d("2027-01-04")


def test_a_year_outside_the_calendar_is_an_error():
    with pytest.raises(CalculationError, match=r"^нет производственного календаря на 2101 год"):
        load_work_calendar().term_end(d("2101-01-03"))


def test_every_shipped_row_cites_its_source():
    from importlib import resources

    text = resources.files("pipeline.figures").joinpath("data/work_calendar.csv").read_text(encoding="utf-8")
    rows = parse_calendar_rows(text, "work_calendar.csv")
    assert {row.day.year for row in rows} == {2025, 2026, 2027}
    for row in rows:
        assert row.source.startswith(("ПП РФ от 04.10.2024 № 1335", "ПП РФ от 24.09.2025 № 1466")) or (
            row.source.startswith(("ПП РФ от 17.09.2026 № 1187", "ТК РФ ст. 112 ч. 2"))
        ), row


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2025-13-01,holiday,x\n", "t.csv:2: дата «2025-13-01» не в формате ГГГГ-ММ-ДД"),
        ("2025-01-01,day_off,x\n", "t.csv:2: kind должно быть holiday или working_day, а не «day_off»"),
        ("2025-01-01,holiday,\n", "t.csv:2: не указан источник (постановление или статья закона)"),
        ("2025-01-01,holiday\n", "t.csv:2: ожидается 3 столбца (date,kind,source), а их 2"),
        ("2025-01-01,holiday,x\n2025-01-01,working_day,y\n", "t.csv:3: дата 01.01.2025 встречается дважды"),
    ],
)
def test_a_malformed_row_names_the_file_and_line(body, message):
    with pytest.raises(CalculationError) as caught:
        parse_calendar_rows(HEADER + body, "t.csv")
    assert str(caught.value) == message


def test_a_table_without_its_header_is_rejected():
    with pytest.raises(CalculationError, match=r"^t\.csv:1: ожидается заголовок date,kind,source"):
        parse_calendar_rows("2025-01-01,holiday,x\n", "t.csv")


def test_the_calendar_made_year_by_year_is_the_one_made_all_at_once():
    # Every day of 1999–2101 as the calendar built for all 101 years at once (before: a fifth of a
    # build with nothing to do) says it is; each year is now made when first asked.
    from importlib import resources

    from pipeline.figures.calendar import FIRST_YEAR, LAST_YEAR, package_calendar

    text = resources.files("pipeline.figures").joinpath("data/work_calendar.csv").read_text(encoding="utf-8")
    all_at_once = build_work_calendar(*package_calendar(FIRST_YEAR, LAST_YEAR), parse_calendar_rows(text, "csv"))
    year_by_year = load_work_calendar()
    day, last = d("1999-01-01"), d("2101-12-31")
    while day <= last:
        assert year_by_year.is_working_day(day) == all_at_once.is_working_day(day), day
        day += timedelta(days=1)


def test_a_year_is_made_only_when_a_day_of_it_is_asked():
    asked = []

    def year_days(year):
        asked.append(year)
        return (frozenset({date(year, 1, 1)}), frozenset())

    calendar = WorkCalendar(year_days)
    assert calendar.term_end(d("2026-12-31")) == d("2026-12-31")  # a Thursday
    assert calendar.term_end(d("2027-01-01")) == d("2027-01-04")  # the day off, then a weekend
    assert calendar.is_working_day(d("2026-06-01"))
    assert asked == [2026, 2027]  # each year once, and no other
