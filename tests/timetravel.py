"""Time travel helpers for tests."""

from datetime import date, datetime, time

from django.utils import timezone


def noon(day: date) -> datetime:
    """Midday in the HMIS's time zone. A bare date is midnight UTC, which is still the
    day before in the Americas."""
    return timezone.make_aware(datetime.combine(day, time(12)))
