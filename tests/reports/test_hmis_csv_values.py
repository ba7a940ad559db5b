"""HMIS CSV cell values (issue 7), read the fast way (issue 8) with the same answers."""

from datetime import date, datetime

import pytest

from reports.hmis_csv.spec import Column, parse

DAY = Column("EntryDate", "D", None, False, None)
STAMP = Column("DateCreated", "T", None, False, None)


@pytest.mark.parametrize("text, value", [
    ("2026-11-01", date(2026, 11, 1)),
    (" 2026-11-01 ", date(2026, 11, 1)),
    ("2026-1-5", date(2026, 1, 5)),  # not ISO, but HUD's YYYY-MM-DD read leniently as before
    ("2026-11-01 10:20:30", date(2026, 11, 1)),  # a timestamp in a date column: its date
])
def test_dates_read_iso_first_and_leniently_after(text, value):
    assert parse(DAY, text) == value


@pytest.mark.parametrize("text, value", [
    ("2026-11-01 10:20:30", datetime(2026, 11, 1, 10, 20, 30)),
    ("2026-11-01T10:20:30", datetime(2026, 11, 1, 10, 20, 30)),
    ("2026-11-01 10:20", datetime(2026, 11, 1, 10, 20)),
    ("2026-11-01", datetime(2026, 11, 1)),
])
def test_timestamps_take_the_four_forms(text, value):
    assert parse(STAMP, text) == value


@pytest.mark.parametrize("column, text, message", [
    (DAY, "2026-13-01", "is not a date (YYYY-MM-DD)"),
    (DAY, "11/01/2026", "is not a date (YYYY-MM-DD)"),
    (STAMP, "2026-11-01 25:00:00", "is not a timestamp"),
    (STAMP, "", "a value is required"),
])
def test_bad_values_say_what_is_wrong(column, text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(column, text)
