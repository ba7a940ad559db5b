"""The HMIS CSV FY2026 format ("2026 v1.0"): files, headers, column types, value lists.

The header rows are HUD's FY2026 (``fy2026_headers.txt``, the authority for names and
order). Column types, nullability and value lists come from the FY2024 data dictionary
and picklists, with the FY2026 changes of ../shared/hud/README.md applied here.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
CSV_VERSION = "2026 v1.0"
DATE_FORMAT = "%Y-%m-%d"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str            # "S" string, "I" integer, "D" date, "T" timestamp, "M" money
    length: int | None   # for strings
    nullable: bool
    values: frozenset | None  # allowed integer values, when a HUD list applies
    # "M+" in HUD's dictionary: an amount that is never negative (HMIS CSV Format Specifications,
    # Data Types); "M" (Services.FAAmount) is an amount of either sign.
    positive: bool = False


# FY2026 columns missing from the FY2024 dictionary, and FY2024 entries HUD changed.
FY2026_COLUMNS = {
    ("Client", "Sex"): ("I", None, False, "4.21"),
    ("Client", "HispanicLatinao"): ("I", None, False, "yesno01"),
    ("Enrollment", "MentalHealthConsultation"): ("I", None, True, "V10"),
    ("Enrollment", "HoHLeaseholder"): ("I", None, True, "1.7"),
}
FY2026_LISTS = {
    "4.21": {0, 1, 8, 9, 99},
    "V10": {1, 2, 3, 4},
    "yesno01": {0, 1},
    "2.02.6": {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14},
    "3.01.5": {1, 2, 8, 9, 99}, "3.02.2": {1, 2, 8, 9, 99}, "3.03.2": {1, 2, 8, 9, 99},
}
RACE_COLUMNS = {"AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican",
                "NativeHIPacific", "White"}
# Lists the FY2024 metadata gets wrong or that FY2026 changed: checked by our own code instead.
UNCHECKED_LISTS = {"1.1"}
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+$")
SSN_WITH_DASHES = re.compile(r"^\d{3}-\d{2}-\d{4}$")


@cache
def headers() -> dict[str, list[str]]:
    """File name -> columns, in HUD's file order."""
    files = {}
    for line in (HERE / "hmis_csv_fy2026_headers.txt").read_text().splitlines():
        if ":" in line:
            name, columns = line.split(":", 1)
            files[name.strip()] = [c.strip() for c in columns.split(",")]
    return files


FILES = list(headers())
REQUIRED_FILES = ("Export.csv", "Organization.csv", "Project.csv")


@cache
def _lists() -> dict[str, frozenset]:
    lists: dict[str, set] = {}
    with open(HERE / "hmis_csv_fy2024_picklists.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            try:
                lists.setdefault(row["List"].strip(), set()).add(int(row["Value"].strip()))
            except ValueError:
                continue
    lists.update(FY2026_LISTS)
    lists["2.06.1"] = (lists.get("2.06.1", set()) - {12, 47, 48, 49}) | {56}
    return {k: frozenset(v) for k, v in lists.items()}


def value_list(name: str) -> frozenset:
    """HUD's values of one list by its number ("3.12.1"): the FY2024 picklists with the
    FY2026 changes applied. KeyError for a list HUD does not have."""
    return _lists()[name]


def _kind(type_text: str) -> tuple[str, int | None]:
    type_text = type_text.strip()
    if type_text.startswith("S"):
        return "S", int(type_text[1:] or 0) or None
    return {"I": "I", "D": "D", "T": "T"}.get(type_text, "M" if type_text.startswith("M") else "S"), None


@cache
def fy2024_columns(file_name: str) -> list[str]:
    """The columns of one file in HMIS CSV FY2024 (2024 v1.x), in the dictionary's order: an
    export of the older version is known by them (its Client.csv has the gender columns FY2026
    dropped and no Sex), and named as such rather than listed column by column."""
    table = file_name.removesuffix(".csv")
    names = []
    with open(HERE / "hmis_csv_fy2024_dictionary.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["csv"].strip() == table:
                name = re.sub(r"\[\d+\]$", "", row["name"].strip())
                if name not in names:
                    names.append(name)
    return names


@cache
def columns(file_name: str) -> list[Column]:
    table = file_name.removesuffix(".csv")
    meta = {}
    with open(HERE / "hmis_csv_fy2024_dictionary.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["csv"].strip() == table:
                name = re.sub(r"\[\d+\]$", "", row["name"].strip())
                meta.setdefault(name, row)
    result = []
    for name in headers()[file_name]:
        if (table, name) in FY2026_COLUMNS:
            kind, length, nullable, list_name = FY2026_COLUMNS[(table, name)]
        elif name in meta:
            kind, length = _kind(meta[name]["type"])
            nullable = meta[name]["null"].strip().upper() == "Y"
            list_name = meta[name]["list"].strip()
        else:  # a FY2026 column with no metadata: optional text
            kind, length, nullable, list_name = "S", None, True, ""
        positive = kind == "M" and name in meta and meta[name]["type"].strip() == "M+"
        if table == "Client" and name in RACE_COLUMNS:
            list_name = "yesno01"
        values = None
        if kind == "I" and list_name and list_name not in UNCHECKED_LISTS:
            values = _lists().get(list_name)
        result.append(Column(name, kind, length, nullable, values, positive))
    return result


# What a PositiveSmallIntegerField (every coded answer here) can hold: a code outside HUD's list
# but inside this range is kept as given; one outside it cannot be stored and is an error.
STORABLE_CODES = range(0, 32768)
# HUD's whole numbers are codes and counts, none below 0; the widest column that holds one here
# (PositiveIntegerField, a PostgreSQL integer) stops at 2,147,483,647. Narrower columns are checked
# against the model by the importer (importer.storage_checks).
LARGEST_WHOLE_NUMBER = 2_147_483_647
# HUD's money: digits with an optional point and cents, no "$", thousands separators or exponent.
AMOUNT = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
# Timestamps are stored with their time zone: a year at the very edge of what Python holds
# (1 or 9999) cannot be moved into UTC, so it is not a storable timestamp.
TIMESTAMP_YEARS = range(2, 9999)
# Columns HUD marks required that real exports leave empty for some rows, kept empty with a
# warning (H3): 3.16 Enrollment CoC is collected for the head of household only (FY2026 Data
# Dictionary 3.16), and HUD's own FY2026 sample leaves it empty for the other members.
OPTIONAL_IN_PRACTICE = {"EnrollmentCoC"}


class Doubtful(ValueError):
    """A value-level data-quality problem (H3): the cell loads as ``value``, with a warning."""

    def __init__(self, value, message):
        super().__init__(message)
        self.value = value


def parse(column: Column, raw: str):
    """The Python value of one cell, or raise ValueError with a message for the person
    (a structural fault), or Doubtful (the value loads, listed as a warning)."""
    text = raw.strip()
    if text == "":
        if column.nullable or column.name in OPTIONAL_IN_PRACTICE:
            return None
        if column.kind == "I" and column.values is not None:
            # An empty HUD answer (Sex, RelationshipToHoH...) is data quality, not structure: loaded
            # empty where this HMIS can hold empty, and counted by the data quality reports.
            raise Doubtful(None, "empty, though HUD requires an answer")
        raise ValueError("a value is required")
    if column.kind == "I":
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if column.values is not None and value not in column.values:
            if value not in STORABLE_CODES:
                raise ValueError(f"{value} is not in HUD's value list and cannot be stored (0 to 32767)")
            raise Doubtful(value, f"{value} is not in HUD's value list: kept as given")
        if value < 0:
            raise ValueError(f"{value} is negative: HUD's whole numbers are codes and counts, never below 0")
        if value > LARGEST_WHOLE_NUMBER:
            raise ValueError(f"{value} is too large to store (at most {LARGEST_WHOLE_NUMBER:,})")
        return value
    if column.kind == "D":
        # fromisoformat is the fast path for the usual YYYY-MM-DD; strptime also takes 2026-1-5.
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                pass
        try:
            return datetime.strptime(text[:10], DATE_FORMAT).date()
        except ValueError:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if column.kind == "T":
        stamp = None
        if len(text) == 19 and text[4] == "-" and text[7] == "-" and text[10] in " T" and text[13] == ":" == text[16]:
            try:
                stamp = datetime.fromisoformat(text)
            except ValueError:
                pass
        for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", DATE_FORMAT):
            if stamp is not None:
                break
            try:
                stamp = datetime.strptime(text, fmt)
            except ValueError:
                continue
        if stamp is None:
            raise ValueError(f"{text!r} is not a timestamp (YYYY-MM-DD HH:MM:SS)")
        if stamp.year not in TIMESTAMP_YEARS:
            raise ValueError(f"{text!r} is not a timestamp this HMIS can store (years 2 to 9998)")
        return stamp
    if column.kind == "M":
        if not AMOUNT.match(text):
            raise ValueError(f"{text!r} is not an amount (digits and cents, as 1234.50)")
        value = Decimal(text)
        if value < 0 and column.positive:
            raise ValueError(f"{text} is negative: HUD's amounts in this column are never below 0")
        if -value.as_tuple().exponent > 2:
            raise ValueError(f"{text!r} has more than two decimal places: amounts are in dollars and cents")
        return value
    if "\x00" in text:
        # A NUL never belongs in HMIS data and no text column can hold one (PostgreSQL refuses it):
        # it is the mark of a damaged file or of UTF-16 read without its byte-order mark, so the
        # import is refused with its place rather than the byte silently dropped.
        raise ValueError("holds a NUL character (byte 0): the file is damaged or not UTF-8 text")
    if column.name == "SSN" and SSN_WITH_DASHES.match(text):
        # HUD's SSN is nine digits (S9); many systems write 123-45-6789. A value-level fault (H3):
        # read as its nine digits, listed without quoting the number.
        raise Doubtful(text.replace("-", ""), "written with dashes: read as its nine digits")
    if column.length and len(text) > column.length:
        raise ValueError(f"{len(text)} characters, longer than the {column.length} HUD allows")
    return text


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
