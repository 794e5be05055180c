"""Terms counted in months and years (ГК РФ ст. 192): a term of months or years ends on the
same day of the month in its last month; when that month has no such day, on its last day
(ст. 192 п. 3). Pure."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` months later, or the last day of that month when it is shorter
    (31.01 + 1 month = 28.02 or 29.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same day `years` years later; 29.02 goes to 28.02 in a common year."""
    return add_months(day, 12 * years)
