"""Dates are policy (DESIGN conv. 8): HUD fiscal year and business days.

The HUD fiscal year runs 1 October to 30 September and is named for the calendar
year it ends in (FY2027 = 2026-10-01 .. 2027-09-30). Business days skip weekends
and US federal holidays (the `holidays` package's observed dates).
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def fiscal_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_start(fiscal_year: int) -> date:
    return date(fiscal_year - 1, 10, 1)


def fiscal_year_end(fiscal_year: int) -> date:
    return date(fiscal_year, 9, 30)


def current_fiscal_year_start(day: date | None = None) -> date:
    return fiscal_year_start(fiscal_year_of(day or today()))


@lru_cache(maxsize=64)
def _federal_holidays(year: int):
    return holidays.US(years=year, observed=True)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (Feb 29 -> Feb 28)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate_day))
        except ValueError:
            continue
    raise ValueError(day)


def hours_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


def entry_deadline(information_date: date, timeliness_hours: int) -> datetime:
    """D1: the latest timely entry time for information collected on a date.

    Counted as HUD's data quality report counts days: information collected on
    day D and entered by the end of day D + 3 is within 72 hours. So the clock
    starts at the end of the collection day."""
    start_of_day = timezone.make_aware(datetime.combine(information_date, datetime.min.time()))
    return start_of_day + timedelta(days=1, hours=timeliness_hours)


def is_late(information_date: date, entered_at: datetime, timeliness_hours: int) -> bool:
    return entered_at > entry_deadline(information_date, timeliness_hours)


class Urgency:
    """How near a due date is, in words a work list shows ("3 days overdue", "due today",
    "due in 5 days"), for anything with ``due``, ``today`` and ``verb`` (WorkItem, Due)."""

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due).days

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def urgency(self) -> str:
        days = self.days_overdue
        if days > 0:
            return f"{days} day{'' if days == 1 else 's'} overdue"
        if days == 0:
            return f"{self.verb} today"
        return f"{self.verb} in {-days} day{'' if days == -1 else 's'}"
