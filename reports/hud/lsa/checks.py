"""HUD's LSA upload checks, run on the 12 files before the zip is offered (issue 20).

``check(files, scope)`` takes the files as report.py holds them (file name -> list of row dicts,
values int / str / date / datetime / None; text such as 'yyyy-mm-dd' is read too) and returns
every failure as a ``Problem``: the file, the row (1-based) and column where there is one, a
message in plain words for the HMIS Lead, ``blocking`` (HDX 2.0 "Upload Error" or "Data Error",
which stop a submission) or not ("Warning", which HDX takes with an explanation), and HDX's flag
ID where HUD's flag list has one.

Sources, in this order of authority (abtassociates/LSASampleCode):
- the LSA Programming Specifications, ``docs/02 - HDX Upload.md`` (2.8-2.12: the LSA files) and
  ``docs/04 - Project Descriptor Data.md`` (4.1-4.7: the HMIS CSV project descriptor files);
- HDX's flag list, ``Other Documentation/Full Flag List for Vendors September 2026.csv``: each
  check below names its flag (``flag=N``) and states the flag's condition in a comment.

Only checks that can be decided from the files alone are here: flags that compare with HUD's
expected report dates (2), the CoC the upload is made in (4), HUD's table of valid LSACalculated
parameter combinations (681, 683), HUD's ZIP / geocode crosswalks, the HIC or earlier submissions
(781, 783) are HDX's own. Where the flag list and the specification text differ the reading chosen
is said beside the check. Valid values (flag 112) come from HUD's data dictionary (lists.py).
Flags HDX applies to official uploads only are warnings in a project-focused LSA (OFFICIAL_ONLY).
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter

from . import layout, lists

LSA_FILES = ("LSAReport", "LSAPerson", "LSAHousehold", "LSAExit", "LSACalculated")
PDDE_FILES = ("Organization", "Project", "Funder", "ProjectCoC", "Inventory", "HMISParticipation", "Affiliation")
SAME_KIND_LIMIT = 25  # past this many problems of one kind in one file, one line says how many more


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (the header is not counted); None for a file- or upload-wide problem
    column: str | None
    message: str
    blocking: bool = True  # HDX "Upload Error" / "Data Error"; False = "Warning"
    flag: int | None = None  # HDX's flag ID


# ---------------------------------------------------------------------------------------------
# values

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
_INTEGER = re.compile(r"^-?(0|[1-9]\d*)$")  # HDX's pattern refuses leading zeros ('^0[\d]+$', flags 45-111)

DATE_COLUMNS = {"ReportStart", "ReportEnd", "LookbackDate", "OperatingStartDate", "OperatingEndDate", "StartDate",
                "EndDate", "InventoryStartDate", "InventoryEndDate"}
TEXT_COLUMNS = {"ReportCoC", "SoftwareVendor", "SoftwareName", "VendorContact", "VendorEmail", "ProjectID"}


def as_int(value):
    if type(value) is int:  # the common case first: the checks read millions of cells
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    return None


def as_date(value):
    """A date column's value: a date (not a datetime, which HDX would read 'yyyy-mm-dd hh:mm:ss')."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_datetime(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATETIME.match(value.strip()):
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    return None


def _day(value):
    """The date of a date or datetime column (for comparisons), or None."""
    stamp = as_datetime(value)
    return stamp.date() if stamp else as_date(value)


def _text(value) -> str | None:
    if value is None:
        return None
    if type(value) is int:
        return str(value)
    text = str(value).strip()
    return text or None


def household_types(value) -> frozenset:
    """An LSAPerson household-type list (HHTypeEST 12, HoHPSH 9, -1...) as HHType codes; the digit 9
    is unknown household type (99). As HDX reads it (flags 117-128): -1 holds no type."""
    number = as_int(value)
    if number is None or number < 0:
        return frozenset()
    return _types_of(number)


@lru_cache(maxsize=4096)
def _types_of(number: int) -> frozenset:
    return frozenset(99 if digit == "9" else int(digit) for digit in str(number) if digit in "1239")


TYPE_WORDS = {0: "all", 1: "adult-only", 2: "adult-child", 3: "child-only", 99: "unknown-type"}
GROUP_WORDS = {"EST": "ES/SH/TH", "RRH": "RRH", "PSH": "PSH"}


# ---------------------------------------------------------------------------------------------
# flags by column

# Date and datetime formats (flags 29-44, 54-56): "must be in yyyy-mm-dd [hh:mm:ss] format".
FORMAT_FLAGS = {
    ("ProjectCoC", "DateCreated"): 29, ("ProjectCoC", "DateUpdated"): 30,
    ("Organization", "DateCreated"): 31, ("Organization", "DateUpdated"): 32,
    ("Project", "OperatingStartDate"): 33, ("Project", "OperatingEndDate"): 34,
    ("Project", "DateCreated"): 35, ("Project", "DateUpdated"): 36,
    ("Funder", "StartDate"): 37, ("Funder", "EndDate"): 38, ("Funder", "DateCreated"): 39, ("Funder", "DateUpdated"): 40,
    ("Inventory", "InventoryStartDate"): 41, ("Inventory", "InventoryEndDate"): 42,
    ("Inventory", "DateCreated"): 43, ("Inventory", "DateUpdated"): 44,
    ("LSAReport", "ReportStart"): 54, ("LSAReport", "ReportEnd"): 55, ("LSAReport", "ReportDate"): 56,
}
# LSAReport's data quality counts: "must be a positive integer or zero" (flags 57-106; SSN4Digit has none).
COUNT_FLAGS = {
    "NoCoC": 71, "NotOneHoH": 104, "RelationshipToHoH": 86, "MoveInDate": 106, "UnduplicatedClient": 57,
    "HouseholdEntry": 67, "ClientEntry": 63, "AdultHoHEntry": 61, "ClientExit": 65, "SSN4Digit": None,
    "SSNNotProvided": 72, "SSNMissingOrInvalid": 73, "ClientSSNNotUnique": 74, "DistinctSSNValueNotUnique": 75,
    "DisablingCond": 88, "LivingSituation": 90, "LengthOfStay": 92, "HomelessDate": 94, "TimesHomeless": 96,
    "MonthsHomeless": 98, "Destination": 102,
}
# Inventory counts: "must be a positive number or zero" (flags 45-53).
BED_FLAGS = {"UnitInventory": 45, "BedInventory": 46, "CHVetBedInventory": 47, "YouthVetBedInventory": 48,
             "VetBedInventory": 49, "CHYouthBedInventory": 50, "YouthBedInventory": 51, "CHBedInventory": 52,
             "OtherBedInventory": 53}
DEDICATED_BEDS = ("CHVetBedInventory", "YouthVetBedInventory", "VetBedInventory", "CHYouthBedInventory",
                  "YouthBedInventory", "CHBedInventory", "OtherBedInventory")
ROW_TOTAL_FLAGS = {"LSAPerson": 108, "LSAHousehold": 109, "LSAExit": 110}
MISSING_FLAGS = {**FORMAT_FLAGS, **{("Inventory", c): f for c, f in BED_FLAGS.items()},
                 **{("LSAReport", c): f for c, f in COUNT_FLAGS.items()},
                 **{(n, "RowTotal"): f for n, f in ROW_TOTAL_FLAGS.items()}, ("LSACalculated", "Value"): 111,
                 ("ProjectCoC", "Geocode"): 812, ("ProjectCoC", "ZIP"): 806}
# columns of the LSA files that are not list codes checked by flag 112 (text, or counts with their own flags)
NOT_CODES = TEXT_COLUMNS | set(COUNT_FLAGS) | {"RowTotal", "Value"}
EMPTY_FLAGS = {"LSAPerson": 15, "LSAHousehold": 16, "LSAExit": 17, "LSACalculated": 18}
UNIQUE_ID_FLAGS = {"Organization": ("OrganizationID", 20), "Project": ("ProjectID", 21),
                   "Inventory": ("InventoryID", 22), "Funder": ("FunderID", 23), "ProjectCoC": ("ProjectCoCID", 24),
                   "HMISParticipation": ("HMISParticipationID", None), "Affiliation": ("AffiliationID", None)}

# LSAPerson: a project group's population columns hold household types within HHType{G} (or HoH{G}).
# (column, reference column, flags for "{ref} = -1 but {column} > -1" [EST, RRH, PSH], and for each household
# type the flags for "type in {column} but not in {ref}" [EST, RRH, PSH]); flags 114-245.
PERSON_POPULATIONS = (
    ("HoH", "HHType", (114, 115, 116), {1: (117, 118, 119), 2: (120, 121, 122), 3: (123, 124, 125),
                                         99: (126, 127, 128)}),
    ("HHChronic", "HHType", (144, 145, 146), {1: (147, 148, 149), 2: (150, 151, 152), 3: (153, 154, 155),
                                               99: (156, 157, 158)}),
    # 160 and 161: the flag text names the other group; the condition (RRH for 160, PSH for 161) is followed
    ("HHVet", "HHType", (159, 160, 161), {1: (162, 163, 164), 2: (165, 166, 167), 99: (168, 169, 170)}),
    ("HHDisability", "HHType", (171, 172, 173), {1: (174, 175, 176), 2: (177, 178, 179), 3: (180, 181, 182),
                                                  99: (183, 184, 185)}),
    ("HHFleeingDV", "HHType", (186, 187, 188), {1: (189, 190, 191), 2: (192, 193, 194), 3: (195, 196, 197),
                                                 99: (198, 199, 200)}),
    ("HHParent", "HHType", (201, 202, 203), {1: (204, 205, 206), 2: (207, 208, 209), 3: (210, 211, 212),
                                              99: (213, 214, 215)}),
    ("AIR", "HHType", (216, 217, 218), {1: (219, 220, 221), 2: (222, 223, 224), 3: (225, 226, 227),
                                         99: (228, 229, 230)}),
    # 243-245 (unknown household type) follow the list's numbering; their text was not read
    ("AIRHoH", "HoH", (231, 232, 233), {1: (234, 235, 236), 2: (237, 238, 239), 3: (240, 241, 242),
                                         99: (243, 244, 245)}),
    ("AIRHoH", "AIR", (246, 247, 248), {1: (249, 250, 251), 2: (252, 253, 254), 3: (255, 256, 257),
                                         99: (258, 259, 260)}),
)
REFERENCE_WORDS = {"HHType": "not served in", "HoH": "not a head of household in", "AIR": "not active in residence in"}
POPULATION_WORDS = {"HoH": "a head of household", "HHChronic": "in a chronically homeless household",
                    "HHVet": "in a veteran household", "HHDisability": "in a household with a disabled adult or HoH",
                    "HHFleeingDV": "in a household fleeing domestic violence", "HHParent": "in a parenting household",
                    "AIR": "active in residence", "AIRHoH": "a head of household active in residence"}


def _person_rules():
    """LSAPerson's age columns against the group's household types (flags 261-290)."""
    rules = []
    for g, (ao, ac, ac3) in (("EST", (261, 267, 273)), ("RRH", (263, 269, 274)), ("PSH", (265, 271, 275))):
        t = f"HHType{g}"
        rules += [
            (ao, (f"HHAdultAgeAO{g}", t), lambda r, g=g, t=t: 1 not in household_types(r[t])
             and r[f"HHAdultAgeAO{g}"] > -1, f"HHAdultAgeAO{g} must be -1 for people not served in adult-only "
             f"households in {GROUP_WORDS[g]}."),
            (ao + 1, (f"HHAdultAgeAO{g}", t), lambda r, g=g, t=t: 1 in household_types(r[t])
             and r[f"HHAdultAgeAO{g}"] == -1, f"HHAdultAgeAO{g} cannot be -1 for people served in adult-only "
             f"households in {GROUP_WORDS[g]}."),
            (ac, (f"HHAdultAgeAC{g}", t), lambda r, g=g, t=t: 2 not in household_types(r[t])
             and r[f"HHAdultAgeAC{g}"] > -1, f"HHAdultAgeAC{g} must be -1 for people not served in adult-child "
             f"households in {GROUP_WORDS[g]}."),
            (ac3, (f"AC3Plus{g}", t), lambda r, g=g, t=t: 2 not in household_types(r[t]) and r[f"AC3Plus{g}"] == 1,
             f"AC3Plus{g} cannot be 1 for people not served in adult-child households in {GROUP_WORDS[g]}."),
        ]
    # 276-280 EST, 281-285 RRH, 286-290 PSH (290, min above max, follows the numbering; its text was not read)
    for g, first in (("EST", 276), ("RRH", 281), ("PSH", 286)):
        t, low, high = f"HHType{g}", f"{g}AgeMin", f"{g}AgeMax"
        rules += [
            (first, (low, t), lambda r, t=t, c=low: r[c] != -1 and r[t] == -1,
             f"{low} must be -1 for people not served in {GROUP_WORDS[g]}."),
            (first + 1, (high, t), lambda r, t=t, c=high: r[c] != -1 and r[t] == -1,
             f"{high} must be -1 for people not served in {GROUP_WORDS[g]}."),
            (first + 2, (low, t), lambda r, t=t, c=low: r[c] == -1 and r[t] > -1,
             f"{low} cannot be -1 for people served in {GROUP_WORDS[g]}."),
            (first + 3, (high, t), lambda r, t=t, c=high: r[c] == -1 and r[t] > -1,
             f"{high} cannot be -1 for people served in {GROUP_WORDS[g]}."),
            (first + 4, (low, high), lambda r, a=low, b=high: r[a] > r[b] and r[b] != -1 and r[a] < 98,
             f"{low} cannot be greater than {high}."),
        ]
    return rules


def _has(value, hh_type) -> bool:
    """Whether a household-type list (HHTypeEST 12, AdultRRH 129, -1...) holds hh_type (99 for the digit 9)."""
    return hh_type in household_types(value)


_AGES = tuple(f"{g}Age{m}" for g in ("EST", "RRH", "PSH") for m in ("Min", "Max"))
_AGE_MINS, _AGE_MAXES = ("ESTAgeMin", "RRHAgeMin", "PSHAgeMin"), ("ESTAgeMax", "RRHAgeMax", "PSHAgeMax")
# the age groups a one-year report period can span (flags 292-300): lowest minimum -> highest possible maximum
AGE_STEPS = ((0, 2, 292), (2, 5, 293), (5, 17, 294), (17, 21, 295), (21, 24, 296), (24, 34, 297), (34, 44, 298),
             (44, 54, 299), (54, 64, 300))
AGE_WORDS = {0: "under 1", 2: "1 to 2", 5: "3 to 5", 17: "6 to 17", 21: "18 to 21", 24: "22 to 24", 34: "25 to 34",
             44: "35 to 44", 54: "45 to 54", 64: "55 to 64"}
_ADULTS = ("AdultEST", "AdultRRH", "AdultPSH")
_ADULTS_HOH = (*_ADULTS, "HoHEST", "HoHRRH", "HoHPSH")
_RRHSO = ("HHTypeRRHSONoMI", "HHTypeRRHSOMI")
# flags 350-394: a person with a status (chronically homeless, veteran, disabled, fleeing DV) who was an adult or
# head of household of a household type in a project group must be in that household type's population there.
# (status words, the person's test, population column, flags [EST, RRH, PSH] per household type)
_CHRONIC = ("chronically homeless (DisabilityStatus, CHTime, CHTimeStatus)",
            lambda r: r["DisabilityStatus"] == 1 and ((r["CHTime"] == 365 and r["CHTimeStatus"] in (1, 2))
                                                       or (r["CHTime"] == 400 and r["CHTimeStatus"] == 2)),
            ("DisabilityStatus", "CHTime", "CHTimeStatus"), "HHChronic", "a chronically homeless household",
            {1: (350, 354, 358), 2: (351, 355, 359), 3: (352, 356, 360), 99: (353, 357, 361)})
STATUS_POPULATIONS = (
    _CHRONIC,
    ("veterans (VetStatus 1)", lambda r: r["VetStatus"] == 1, ("VetStatus",), "HHVet", "a veteran household",
     {1: (362, 365, 368), 2: (363, 366, 369), 99: (364, 367, 370)}),
    ("disabled (DisabilityStatus 1)", lambda r: r["DisabilityStatus"] == 1, ("DisabilityStatus",), "HHDisability",
     "a household with a disabled adult or head", {1: (371, 375, 379), 2: (372, 376, 380), 3: (373, 377, 381),
                                                    99: (374, 378, 382)}),
    ("fleeing domestic violence (DVStatus 1)", lambda r: r["DVStatus"] == 1, ("DVStatus",), "HHFleeingDV",
     "a household fleeing domestic violence", {1: (383, 387, 391), 2: (384, 388, 392), 3: (385, 389, 393),
                                              99: (386, 390, 394)}),
)


def _known(r, columns):
    return [r[c] for c in columns if r[c] != -1]


def _person_rules_more():
    """LSAPerson flags 291-349: ages against each other and the household types, and VetStatus,
    DisabilityStatus, DVStatus, CHTime and CHTimeStatus against who is an adult or head of household."""
    rules = [
        (291, _AGES, lambda r: max(r[c] for c in _AGES) >= 98 and min(_known(r, _AGES) or [99]) < 98,
         "The ages are unknown (98 or 99) in one age column but known in another."),
        (301, (*_AGE_MAXES, "HHTypeEST", "HHTypeRRH", "HHTypePSH"),
         lambda r: max(r[c] for c in _AGE_MAXES) in (98, 99)
         and any(_has(r[f"HHType{g}"], t) for g in ("EST", "RRH", "PSH") for t in (1, 3)),
         "The age cannot be unknown (98 or 99) for people served in adult-only or child-only households."),
    ]
    for low, high, flag in AGE_STEPS:
        rules.append((flag, (*_AGE_MINS, *_AGE_MAXES),
                      lambda r, low=low, high=high: min(_known(r, _AGE_MINS) or [None]) == low
                      and high < max(r[c] for c in _AGE_MAXES) < 98,
                      f"The lowest age is {AGE_WORDS[low]}, so in a report period of one year the highest age cannot be "
                      f"above {AGE_WORDS[high]}."))
    for index, g in enumerate(("EST", "RRH", "PSH")):
        t, low, high, words = f"HHType{g}", f"{g}AgeMin", f"{g}AgeMax", GROUP_WORDS[g]
        ao, ac, air = f"HHAdultAgeAO{g}", f"HHAdultAgeAC{g}", f"AIRAdult{g}"
        rules += [
            ((302, 306, 310)[index], (t, low, high),
             lambda r, t=t, low=low, high=high: (_has(r[t], 1) or _has(r[t], 3)) and max(r[low], r[high]) >= 98,
             f"People served in adult-only or child-only households in {words} cannot have an unknown age."),
            ((303, 307, 311)[index], (t, high), lambda r, t=t, high=high: _has(r[t], 1) and -1 < r[high] < 21,
             f"People served in adult-only households in {words} must be 18 or older at some point ({high})."),
            ((304, 308, 312)[index], (t, low), lambda r, t=t, low=low: _has(r[t], 3) and 17 < r[low] < 98,
             f"People served in child-only households in {words} must be under 18 at some point ({low})."),
            ((305, 309, 313)[index], (t, low, high),
             lambda r, t=t, low=low, high=high: _has(r[t], 1) and _has(r[t], 3) and (r[low], r[high]) != (17, 21),
             f"People served in both adult-only and child-only households in {words} within one year must be 6 to "
             f"17 ({low} 17) and 18 to 21 ({high} 21)."),
            ((314, 315, 316)[index], (air, high),
             lambda r, air=air, high=high: r[air] > -1 and (r[high] < 21 or r[high] >= 98) and r[high] > -1,
             f"Adults active in residence in {words} ({air}) cannot have a highest age under 18 or unknown."),
            ((317, 321, 325)[index], (ao, ac, low),
             lambda r, ao=ao, ac=ac, low=low: 18 in (r[ao], r[ac]) and 21 < r[low] < 98,
             f"People 22 or older ({low}) cannot be in households in {words} whose oldest adult is 18 to 21 "
             f"({ao} or {ac} 18)."),
            ((318, 322, 326)[index], (ao, ac, low),
             lambda r, ao=ao, ac=ac, low=low: 24 in (r[ao], r[ac]) and 24 < r[low] < 98,
             f"People 25 or older ({low}) cannot be in households in {words} whose oldest adult is 22 to 24 "
             f"({ao} or {ac} 24)."),
            ((319, 323, 327)[index], (ao, high), lambda r, ao=ao, high=high: r[ao] == 55 and -1 < r[high] < 64,
             f"People under 55 ({high}) cannot be in adult-only households in {words} whose adults are all 55 or "
             f"older ({ao} 55)."),
            ((320, 324, 328)[index], (ac, high, air),
             lambda r, ac=ac, high=high, air=air: r[ac] == 55 and -1 < r[high] < 64 and _has(r[air], 2),
             f"Adults under 55 ({high}) active in adult-child households in {words} cannot be in households whose "
             f"adults are all 55 or older ({ac} 55)."),
        ]
    for flag, column, who in ((337, "VetStatus", _ADULTS), (339, "DisabilityStatus", _ADULTS_HOH),
                              (341, "DVStatus", _ADULTS_HOH), (343, "CHTime", _ADULTS_HOH),
                              (345, "CHTimeStatus", _ADULTS_HOH)):
        people = "adults" if who == _ADULTS else "adults or heads of household"
        rules.append((flag, (column, *who, *_RRHSO),
                      lambda r, c=column, w=who: r[c] != -1 and max(r[x] for x in w) == -1
                      and all(r[x] == -1 for x in _RRHSO),
                      f"{column} must be -1 (not applicable) for people who are not {people}."))
        if flag != 345:
            rules.append((flag + 1, (column, *who, *_RRHSO),
                          lambda r, c=column, w=who: r[c] == -1 and max(r[x] for x in w) > -1
                          and all(r[x] == -1 for x in _RRHSO),
                          f"{column} cannot be -1 (not applicable) for {people}."))
    rules += [
        (346, ("CHTimeStatus", "CHTime", *_ADULTS_HOH, *_RRHSO),
         lambda r: r["CHTimeStatus"] == -1 and max(r[x] for x in _ADULTS_HOH) > -1 and r["CHTime"] not in (-1, 0, 270)
         and all(r[x] == -1 for x in _RRHSO),
         "CHTimeStatus cannot be -1 (not applicable) for adults or heads of household with 365 or more days "
         "(CHTime)."),
        (347, ("CHTime", "CHTimeStatus"), lambda r: r["CHTime"] == 365 and r["CHTimeStatus"] not in (1, 2, 3, 99),
         "With CHTime 365 (365 days or more), CHTimeStatus must be 1, 2, 3 or 99."),
        (348, ("CHTime", "CHTimeStatus"), lambda r: r["CHTime"] == 400 and r["CHTimeStatus"] != 2,
         "With CHTime 400 (12 months or more in three years), CHTimeStatus must be 2 (4 or more times)."),
        (349, ("CHTime", "CHTimeStatus"), lambda r: r["CHTime"] in (0, 270) and r["CHTimeStatus"] not in (-1, 99),
         "With CHTime 0 or 270 (under 365 days), CHTimeStatus must be -1 or 99."),
    ]
    for words, test, status_columns, population, household_words, by_type in STATUS_POPULATIONS:
        for hh_type, flags in by_type.items():
            for index, g in enumerate(("EST", "RRH", "PSH")):
                t, pop, head, adult = f"HHType{g}", f"{population}{g}", f"HoH{g}", f"Adult{g}"
                if hh_type == 1:  # adult-only: everyone is an adult
                    columns, served = (t, pop), (lambda r, t=t: _has(r[t], 1))
                elif hh_type == 3:  # child-only: the head of household
                    columns, served = (t, head, pop), (lambda r, t=t, head=head: _has(r[t], 3) and _has(r[head], 3))
                elif population == "HHVet":  # veterans are adults
                    columns, served = (t, adult, pop), (lambda r, t=t, a=adult, h=hh_type: _has(r[t], h)
                                                        and _has(r[a], h))
                else:
                    columns, served = (t, head, adult, pop), (
                        lambda r, t=t, head=head, a=adult, h=hh_type: _has(r[t], h) and (_has(r[head], h)
                                                                                       or _has(r[a], h)))
                rules.append((flags[index], (pop, *status_columns, *columns[:-1]),
                              lambda r, test=test, served=served, pop=pop, h=hh_type: test(r) and served(r)
                              and not _has(r[pop], h),
                              f"These people are {words} and were served in {TYPE_WORDS[hh_type]} households in "
                              f"{GROUP_WORDS[g]}, but {pop} does not place them in {household_words} of that type."))
    return rules


PERSON_RULES = _person_rules() + _person_rules_more()

# LSAHousehold row rules (flags 463-523): (flag, columns, test on the row's integers, message).
# A value missing or not an integer skips the rule (it is reported as such elsewhere).
_NOT_SERVED = "the household was not served in {g} in the report period ({g2}Status 0-2)"
_SERVED = "the household was served in {g} in the report period ({g2}Status above 2)"
_EXITED = "the household exited {g} in the report period ({g2}Status 12 or 22)"
_NOT_EXITED = "the household did not exit {g} in the report period ({g2}Status not 12 or 22)"


def _household_rules():
    rules = []
    for g, flags in (("EST", (489, 491, 493)), ("RRH", (495, 497, 499)), ("PSH", (501, 503, 505))):
        words = {"g": GROUP_WORDS[g], "g2": g}
        status = f"{g}Status"
        for flag, column in zip(flags, ("Geography", "LivingSit", "Destination"), strict=True):
            col = f"{g}{column}"
            if column == "Destination":
                rules.append((flag, (col, status), lambda r, c=col, s=status: r[c] != -1 and r[s] not in (12, 22),
                              f"{col} must be -1 when " + _NOT_EXITED.format(**words) + "."))
                rules.append((flag + 1, (col, status), lambda r, c=col, s=status: r[c] == -1 and r[s] in (12, 22),
                              f"{col} cannot be -1 when " + _EXITED.format(**words) + "."))
            else:
                rules.append((flag, (col, status), lambda r, c=col, s=status: r[c] != -1 and r[s] <= 2,
                              f"{col} must be -1 when " + _NOT_SERVED.format(**words) + "."))
                rules.append((flag + 1, (col, status), lambda r, c=col, s=status: r[c] == -1 and r[s] > 2,
                              f"{col} cannot be -1 when " + _SERVED.format(**words) + "."))
    for g, (ac3, adult_age, parent, air) in (("EST", (463, 467, 471, 519)), ("RRH", (464, 468, 472, 520)),
                                             ("PSH", (465, 469, 473, 522))):
        words = {"g": GROUP_WORDS[g], "g2": g}
        s = f"{g}Status"
        rules += [
            (ac3, (f"{g}AC3Plus", s, "HHType"), lambda r, g=g, s=s: r[f"{g}AC3Plus"] == 1 and r[s] <= 2
             and r["HHType"] == 2, f"{g}AC3Plus must be 0 when " + _NOT_SERVED.format(**words) + "."),
            (adult_age, (f"{g}AdultAge", s, "HHType"), lambda r, g=g, s=s: r[f"{g}AdultAge"] > -1 and r[s] <= 2
             and r["HHType"] in (1, 2), f"{g}AdultAge must be -1 when " + _NOT_SERVED.format(**words) + "."),
            (parent, (f"{g}Parent", s), lambda r, g=g, s=s: r[f"{g}Parent"] == 1 and r[s] <= 2,
             f"{g}Parent must be 0 when " + _NOT_SERVED.format(**words) + "."),
            (air, (f"{g}AIR", s), lambda r, g=g, s=s: r[f"{g}AIR"] == 1 and r[s] <= 2,
             f"{g}AIR must be 0 when " + _NOT_SERVED.format(**words) + "."),
        ]
    for g, flag, air_flag in (("RRH", 478, 521), ("PSH", 480, 523)):
        words = {"g": GROUP_WORDS[g], "g2": g}
        m, s = f"{g}MoveIn", f"{g}Status"
        rules += [
            (flag, (m, s), lambda r, m=m, s=s: r[m] != -1 and r[s] <= 2,
             f"{m} must be -1 when " + _NOT_SERVED.format(**words) + "."),
            (flag + 1, (m, s), lambda r, m=m, s=s: r[m] == -1 and r[s] > 2,
             f"{m} cannot be -1 when " + _SERVED.format(**words) + "."),
            (air_flag, (f"{g}AIR", s, m), lambda r, g=g, m=m, s=s: r[f"{g}AIR"] == 1 and r[s] > 2 and r[m] == 0,
             f"{g}AIR must be 0 for a household still waiting to move in ({m} 0)."),
        ]
    ages = ("HHAdultAge", "ESTAdultAge", "RRHAdultAge", "PSHAdultAge")
    rules += [
        (466, (*ages, "HHType"), lambda r: max(r[c] for c in ages) > -1 and r["HHType"] not in (1, 2),
         "HHAdultAge, ESTAdultAge, RRHAdultAge and PSHAdultAge must all be -1 for a household that is neither "
         "adult-only nor adult-child (HHType)."),
        (474, ("HHParent", "ESTParent", "RRHParent", "PSHParent", "RRHSOStatus"),
         lambda r: r["HHParent"] != max(r["ESTParent"], r["RRHParent"], r["PSHParent"]) and r["RRHSOStatus"] <= 2,
         "HHParent must be 1 exactly when ESTParent, RRHParent or PSHParent is 1."),
        (475, ("HHParent", "HHAdult", "HHChild", "HHNoDOB"),
         lambda r: r["HHParent"] == 1 and r["HHAdult"] + r["HHChild"] + r["HHNoDOB"] < 2,
         "HHParent cannot be 1 for a household of fewer than two people (HHAdult + HHChild + HHNoDOB)."),
        (482, ("ESDays", "ESTStatus"), lambda r: r["ESDays"] != 0 and r["ESTStatus"] == 0,
         "ESDays must be 0 when the household was not served in ES/SH/TH (ESTStatus 0)."),
        (483, ("THDays", "ESTStatus"), lambda r: r["THDays"] != 0 and r["ESTStatus"] == 0,
         "THDays must be 0 when the household was not served in ES/SH/TH (ESTStatus 0)."),
        (485, ("ESTDays", "ESTStatus"), lambda r: r["ESTDays"] != 0 and r["ESTStatus"] == 0,
         "ESTDays must be 0 when the household was not served in ES/SH/TH (ESTStatus 0)."),
        (487, ("ESTDays", "ESDays", "THDays"), lambda r: r["ESTDays"] < max(r["ESDays"], r["THDays"]),
         "ESTDays cannot be lower than ESDays or THDays."),
        (507, ("RRHPreMoveInDays", "RRHStatus"), lambda r: r["RRHPreMoveInDays"] != 0 and r["RRHStatus"] == 0,
         "RRHPreMoveInDays must be 0 when the household was not enrolled in RRH (RRHStatus 0)."),
        (508, ("RRHPSHPreMoveInDays", "RRHStatus", "PSHStatus"),
         lambda r: r["RRHPSHPreMoveInDays"] != 0 and r["RRHStatus"] == 0 and r["PSHStatus"] == 0,
         "RRHPSHPreMoveInDays must be 0 when the household was not enrolled in RRH or PSH."),
        (509, ("RRHHousedDays", "RRHStatus", "RRHMoveIn"),
         lambda r: r["RRHHousedDays"] != 0 and (r["RRHStatus"] <= 2 or r["RRHMoveIn"] not in (1, 2)),
         "RRHHousedDays must be 0 when the household was not housed in RRH in the report period."),
        (511, ("PSHHousedDays", "PSHStatus", "PSHMoveIn"),
         lambda r: r["PSHHousedDays"] != 0 and (r["PSHStatus"] <= 2 or r["PSHMoveIn"] not in (1, 2)),
         "PSHHousedDays must be 0 when the household was not housed in PSH in the report period."),
        (512, ("PSHHousedDays", "PSHStatus", "PSHMoveIn"),
         lambda r: r["PSHHousedDays"] == 0 and r["PSHStatus"] > 2 and r["PSHMoveIn"] in (1, 2),
         "PSHHousedDays cannot be 0 for a household housed in PSH in the report period."),
        (513, ("SystemHomelessDays", "ESTDays"), lambda r: r["SystemHomelessDays"] < r["ESTDays"],
         "SystemHomelessDays cannot be lower than ESTDays."),
        (514, ("SystemHomelessDays", "RRHPSHPreMoveInDays"),
         lambda r: r["SystemHomelessDays"] < r["RRHPSHPreMoveInDays"],
         "SystemHomelessDays cannot be lower than RRHPSHPreMoveInDays."),
        (515, ("SystemDaysNotPSHHoused", "RRHHousedDays"), lambda r: r["SystemDaysNotPSHHoused"] < r["RRHHousedDays"],
         "SystemDaysNotPSHHoused cannot be lower than RRHHousedDays."),
        (516, ("SystemDaysNotPSHHoused", "SystemHomelessDays"),
         lambda r: r["SystemDaysNotPSHHoused"] < r["SystemHomelessDays"],
         "SystemDaysNotPSHHoused cannot be lower than SystemHomelessDays."),
        (517, ("TotalHomelessDays", "SystemHomelessDays"), lambda r: r["TotalHomelessDays"] < r["SystemHomelessDays"],
         "TotalHomelessDays cannot be lower than SystemHomelessDays."),
        (518, ("TotalHomelessDays", "Other3917Days"), lambda r: r["TotalHomelessDays"] < r["Other3917Days"],
         "TotalHomelessDays cannot be lower than Other3917Days."),
    ]
    return rules


def _expected_household_type(r):
    """Flag 443: AC with an adult and a child; else UN (99) with anyone without a valid date of birth; else AO
    with adults only, CO with children only."""
    if r["HHAdult"] > 0 and r["HHChild"] > 0:
        return 2
    if r["HHNoDOB"] > 0:
        return 99
    if r["HHAdult"] > 0:
        return 1
    return 3 if r["HHChild"] > 0 else None


def _fleeing_mismatch(r):
    """Flag 461: HHFleeingDV 2 needs a 2 and no 1 among the groups; 1 needs a 1; 0 needs all 0."""
    groups = (r["ESTFleeingDV"], r["RRHFleeingDV"], r["PSHFleeingDV"])
    if r["HHFleeingDV"] == 2:
        return max(groups) != 2 or 1 in groups
    if r["HHFleeingDV"] == 1:
        return 1 not in groups
    if r["HHFleeingDV"] == 0:
        return max(groups) > 0
    return False


def _household_rules_more():
    """LSAHousehold flags 442-462: the household's members and type, its statuses, and each population column of
    a project group (Chronic, Vet, Disability, FleeingDV) against the group's status and the household-wide one."""
    statuses = ("ESTStatus", "RRHStatus", "PSHStatus", "RRHSOStatus")
    rules = [
        (442, ("HHAdult", "HHChild", "HHNoDOB"), lambda r: r["HHAdult"] == r["HHChild"] == r["HHNoDOB"] == 0,
         "A household must have at least one person: HHAdult, HHChild and HHNoDOB are all 0."),
        (443, ("HHType", "HHAdult", "HHChild", "HHNoDOB"),
         lambda r: _expected_household_type(r) not in (None, r["HHType"]),
         "HHType does not match the household's members: AO has adults and no children, AC adults and children, "
         "CO children and no adults, UN someone without a valid date of birth and not both adults and children."),
        (444, statuses, lambda r: all(r[s] <= 2 for s in statuses),
         "The household was served in none of ES/SH/TH, RRH, PSH or RRH-SO in the report period (every Status 0 "
         "or 2), so it does not belong in LSAHousehold."),
        (448, ("HHChronic", "ESTChronic", "RRHChronic", "PSHChronic", "RRHSOStatus"),
         lambda r: (r["HHChronic"] == 1 and max(r["ESTChronic"], r["RRHChronic"], r["PSHChronic"]) == 0
                    and r["RRHSOStatus"] <= 2)
         or (r["HHChronic"] != 1 and max(r["ESTChronic"], r["RRHChronic"], r["PSHChronic"]) == 1),
         "HHChronic must be 1 exactly when ESTChronic, RRHChronic or PSHChronic is 1."),
        (453, ("HHType", "HHVet", "ESTVet", "RRHVet", "PSHVet"),
         lambda r: max(r["HHVet"], r["ESTVet"], r["RRHVet"], r["PSHVet"]) == 1 and r["HHType"] == 3,
         "A child-only household (HHType 3) cannot be a veteran household (HHVet, ESTVet, RRHVet, PSHVet)."),
        (461, ("HHFleeingDV", "ESTFleeingDV", "RRHFleeingDV", "PSHFleeingDV", "RRHSOStatus"),
         lambda r: r["RRHSOStatus"] <= 2 and _fleeing_mismatch(r),
         "HHFleeingDV does not agree with ESTFleeingDV, RRHFleeingDV and PSHFleeingDV (1 needs a 1 among them, 2 "
         "needs a 2 and no 1, 0 needs all 0)."),
        (462, ("HHType", "ESTAC3Plus", "RRHAC3Plus", "PSHAC3Plus"),
         lambda r: max(r["ESTAC3Plus"], r["RRHAC3Plus"], r["PSHAC3Plus"]) == 1 and r["HHType"] != 2,
         "ESTAC3Plus, RRHAC3Plus and PSHAC3Plus must be 0 for a household that is not adult-child (HHType 2)."),
    ]
    for population, first, whole in (("Chronic", 445, None), ("Vet", 449, 452), ("Disability", 454, 457),
                                      ("FleeingDV", 458, None)):
        for offset, g in enumerate(("EST", "RRH", "PSH")):
            col, status = f"{g}{population}", f"{g}Status"
            words = {"g": GROUP_WORDS[g], "g2": g}
            rules.append((first + offset, (col, status), lambda r, c=col, s=status: r[c] == 1 and r[s] <= 2,
                          f"{col} must be 0 when " + _NOT_SERVED.format(**words) + "."))
        if whole:
            columns = [f"{g}{population}" for g in ("EST", "RRH", "PSH")]
            rules.append((whole, (f"HH{population}", *columns, "RRHSOStatus"),
                          lambda r, h=f"HH{population}", cs=columns: r[h] != max(r[c] for c in cs)
                          and r["RRHSOStatus"] <= 2,
                          f"HH{population} must be 1 exactly when {', '.join(columns[:2])} or {columns[2]} is 1."))
    return rules


HOUSEHOLD_RULES = _household_rules() + _household_rules_more()

# LSAExit row rules (flags 525-539).
EXIT_RULES = (
    (525, ("HHType", "HHVet"), lambda r: r["HHType"] == 3 and r["HHVet"] == 1,
     "HHVet must be 0 for a child-only household (HHType 3)."),
    (528, ("HHType", "HHAdultAge"), lambda r: r["HHAdultAge"] > -1 and r["HHType"] not in (1, 2),
     "HHAdultAge must be -1 for a household that is neither adult-only nor adult-child (HHType)."),
    (529, ("HHType", "AC3Plus"), lambda r: r["AC3Plus"] == 1 and r["HHType"] != 2,
     "AC3Plus must be 0 for a household that is not adult-child (HHType 2)."),
    (530, ("SystemPath", "ExitFrom"), lambda r: r["SystemPath"] == -1 and r["ExitFrom"] not in (5, 6, 7, 8),
     "SystemPath can be -1 only for an exit from RRH or PSH (ExitFrom 5-8)."),
    (536, ("SystemPath", "ExitFrom"),
     lambda r: r["ExitFrom"] in (2, 4) and r["SystemPath"] not in (1, 3, 5, 7, 9, 10, 12),
     "An exit from ES or SH (ExitFrom 2 or 4) needs a SystemPath that includes ES/SH (1, 3, 5, 7, 9, 10 or 12)."),
    (537, ("SystemPath", "ExitFrom"), lambda r: r["ExitFrom"] == 3 and r["SystemPath"] not in (2, 3, 6, 7, 12),
     "An exit from TH (ExitFrom 3) needs a SystemPath that includes TH (2, 3, 6, 7 or 12)."),
    (538, ("SystemPath", "ExitFrom"),
     lambda r: r["ExitFrom"] in (5, 7) and r["SystemPath"] not in (-1, 4, 5, 6, 7, 10, 11, 12),
     "An exit from RRH (ExitFrom 5 or 7) needs a SystemPath that includes RRH (-1, 4, 5, 6, 7, 10, 11 or 12)."),
    (539, ("SystemPath", "ExitFrom"),
     lambda r: r["ExitFrom"] in (6, 8) and r["SystemPath"] not in (-1, 8, 9, 10, 11, 12),
     "An exit from PSH (ExitFrom 6 or 8) needs a SystemPath that includes PSH (-1, 8, 9, 10, 11 or 12)."),
)

# People vs households by project group and household type (flags 647-673): (people < households, people but
# no households) flags per household type, for EST, RRH, PSH.
PEOPLE_HOUSEHOLD_FLAGS = {1: ((647, 650), (648, 651), (649, 652)), 2: ((656, 659), (657, 660), (658, 661)),
                          3: ((668, 671), (669, 672), (670, 673))}
# LSACalculated's project-type universes for the people active in residence of each LSAPerson group (9.3).
AIR_UNIVERSE = {"EST": 16, "RRH": 14, "PSH": 15}
CALCULATED_KEY = ("Cohort", "Universe", "HHType", "Population", "SystemPath", "ProjectID", "ReportRow")

RESIDENTIAL_TYPES = (0, 1, 2, 3, 8, 9, 10)  # ES, TH, PSH, SH, OPH; RRH only with housing (RRHSubType 2)

# Flags HDX applies to official uploads only ("Flag Applied to Official Uploads Only" = 1). An official upload is
# systemwide (flag 1), so for a project-focused LSA they are listed as warnings.
OFFICIAL_ONLY = frozenset({1, 2, 3, 4, *range(292, 301), 305, 309, 313, *range(688, 779)})
# Columns whose list of valid values section 4's checks already hold (with the specification's words).
LIST_CHECKED_ELSEWHERE = {("LSAReport", "LSAScope"), ("Organization", "VictimServiceProvider"),
                          ("Project", "ProjectType"), ("Project", "HousingType"), ("Project", "RRHSubType"),
                          ("Project", "ResidentialAffiliation"), ("ProjectCoC", "GeographyType"),
                          ("Inventory", "HouseholdType"), ("Inventory", "Availability"), ("Inventory", "ESBedType"),
                          ("HMISParticipation", "HMISParticipationType")}

# Heads of household in LSAPerson against households in LSAHousehold (flags 616-646): for each population, the
# flags for (fewer heads than households, heads but no household) in EST, RRH, PSH.
HEAD_POPULATIONS = {"Chronic": ((617, 618), (619, 620), (621, 622)), "Vet": ((623, 624), (625, 626), (627, 628)),
                    "Disability": ((629, 630), (631, 632), (633, 634)),
                    "FleeingDV": ((635, 636), (637, 638), (639, 640)), "Parent": ((641, 642), (643, 644), (645, 646))}
HEAD_POPULATION_WORDS = {"Chronic": "chronically homeless households", "Vet": "veteran households",
                         "Disability": "households with a disabled member",
                         "FleeingDV": "households fleeing domestic violence", "Parent": "parenting households"}

# LSACalculated's consistency (flags 688-778), with the household types and populations each flag lists
# ("lc_flag_product" columns of HUD's flag list).
HH_TYPES = (1, 2, 3, 99)
SUB_POPS = {0: (13, 15, 18, 19), 1: (10, 11, 13, 14, 15, 18, 19, 34), 2: (12, 13, 15, 18, 19), 3: (15, 18, 19, 35),
            99: (13, 15, 18, 19)}
SUB_POPS_ALL = {h: (0, *pops) for h, pops in SUB_POPS.items()}
NIGHT_POPS = {0: (0,), 1: (0, 10, 11), 2: (0,), 3: (0,), 99: (0,)}
TRAIT_POPS = {0: (50, 53), 1: (50, 53), 2: (50, 53), 3: (53,), 99: (50, 53)}  # row 55 / 57 populations
TRAIT_HOUSEHOLD = {50: 13, 53: 15, 5054: 18, 5154: 18, 5254: 18, 5055: 19, 5155: 19, 5255: 19}
TRAIT_POPS_COC = {0: (50, 53, 5054, 5055), 1: (50, 53, 5054, 5055), 2: (50, 53, 5054, 5055, 5154, 5155),
                  3: (53, 5254, 5255), 99: (53,)}
TYPE_SUM_POPS = (0, 13, 15, 18, 19)
SNAPSHOTS = (10, 11, 12, 13)
COHORTS = (1, *SNAPSHOTS)
EST_PARTS = (11, 12, 13)  # ES, SH, TH: their CoC-wide counts against ES/SH/TH together (Universe 16)
# CoC-level universes and the project types counted in them (9.3): a project's counts (Universe 10) add up to
# its type's.
UNIVERSE_TYPES = {11: (0, 1), 12: (8,), 13: (2,), 14: (13,), 15: (3,), 16: (0, 1, 2, 8)}
UNIVERSE_WORDS = {11: "ES", 12: "SH", 13: "TH", 14: "RRH", 15: "PSH", 16: "ES/SH/TH"}
ROW_WORDS = {53: "people", 54: "households", 55: "people with the characteristic", 56: "bed nights",
             57: "bed nights of people with the characteristic"}


# ---------------------------------------------------------------------------------------------


def check(files: dict[str, list[dict]], scope: int) -> list["Problem"]:
    """Every failure of HUD's upload checks that the files alone can show, in file order."""
    checks = _Checks(files, scope)
    checks.run()
    return checks.result()


class _Checks:
    def __init__(self, files, scope):
        self.files = {name: list(files.get(name) or []) for name in layout.FILES}
        self.present = {name for name in layout.FILES if name in files and files[name] is not None}
        self.scope = scope
        self.problems: list[Problem] = []
        self.kinds: Counter = Counter()
        report = self.files["LSAReport"]
        self.report = report[0] if report else {}
        self.report_id = _text(self.report.get("ReportID"))
        self.start = as_date(self.report.get("ReportStart"))
        self.end = as_date(self.report.get("ReportEnd"))
        self.coc = _text(self.report.get("ReportCoC"))
        # the LSA files' values as integers (None where not one), parsed once: they are the big files
        self.ints = {name: [_integers(row) for row in self.files[name]] for name in LSA_FILES[1:]}
        self._tallies = self._household_tallies = None
        self.projects = {}
        for row in self.files["Project"]:
            self.projects.setdefault(_text(row.get("ProjectID")), row)

    def add(self, file, row, column, message, blocking=True, flag=None, kind=None):
        if flag in OFFICIAL_ONLY and self.scope == 2:
            blocking = False  # HDX applies the flag to official (systemwide) uploads only; a project-focused LSA is not
        key = (file, column, flag, kind or message)
        self.kinds[key] += 1
        if self.kinds[key] <= SAME_KIND_LIMIT:
            self.problems.append(Problem(file, row, column, message, blocking, flag))

    def result(self):
        for (file, column, flag, _), count in self.kinds.items():
            if count > SAME_KIND_LIMIT:
                blocking = next(p.blocking for p in self.problems if p.file == file and p.flag == flag
                                and p.column == column)
                self.problems.append(Problem(file, None, column, f"...and {count - SAME_KIND_LIMIT} more rows with "
                                             "the same problem as above.", blocking, flag))
        order = {name: n for n, name in enumerate(layout.FILES)}
        return sorted(self.problems, key=lambda p: order.get(p.file, len(order)))

    def run(self):
        self.shape()
        self.required_values()
        self.formats()
        self.report_row()
        self.report_ids()
        self.row_totals()
        self.empty_files()
        self.duplicate_rows()
        self.person_rows()
        self.household_rows()
        self.exit_rows()
        self.calculated_rows()
        self.person_vs_household()
        self.air_vs_calculated()
        self.unduplicated_client()
        self.valid_values()
        self.heads_vs_households()
        self.young_veterans()
        self.calculated_consistency()
        self.unique_ids()
        self.organizations()
        self.project_rows()
        self.funders()
        self.project_cocs()
        self.inventory()
        self.participation()
        self.affiliations()

    # --- the files and their values ----------------------------------------------------------

    def shape(self):
        for name, columns in layout.FILES.items():
            if name not in self.present:
                self.add(name, None, None, f"{name}.csv is missing from the upload: HDX 2.0 needs all 12 files.")
                continue
            wanted = set(columns)
            for number, row in enumerate(self.files[name], start=1):
                missing = wanted - row.keys()
                if missing:
                    self.add(name, number, None, f"The row lacks HUD's column(s) "
                             f"{', '.join(c for c in columns if c in missing)}.", kind="shape")

    def required_values(self):
        """2.8: no value in LSAReport may be NULL; elsewhere, the columns HUD's data dictionary marks
        not nullable (layout.NULLABLE holds the others)."""
        for name, columns in layout.FILES.items():
            nullable = layout.NULLABLE.get(name, set())
            parsed = self.ints.get(name)
            for number, row in enumerate(self.files[name], start=1):
                if parsed is not None:
                    if None not in parsed[number - 1].values():  # every value a number, so none is missing
                        continue
                elif None not in row.values() and "" not in row.values():
                    continue
                for column in columns:
                    if column in nullable or column not in row or _text(row[column]) is not None:
                        continue
                    self.add(name, number, column, f"{column} has no value; HUD requires one in {name}.",
                             flag=MISSING_FLAGS.get((name, column)))

    def formats(self):
        """Dates 'yyyy-mm-dd', datetimes 'yyyy-mm-dd hh:mm:ss' (flags 29-44, 54-56); the integer columns of the
        LSA files are integers (flag 112, "invalid value"); DateDeleted is NULL in every PDDE file (4.1-4.7)."""
        for name, columns in layout.FILES.items():
            parsed = self.ints.get(name)
            for number, row in enumerate(self.files[name], start=1):
                if parsed is not None:  # LSAPerson...LSACalculated: only the cells that are not integers
                    ints = parsed[number - 1]
                    if None not in ints.values():
                        continue
                    columns = [c for c, v in ints.items() if v is None]
                for column in columns:
                    value = row.get(column)
                    if _text(value) is None:
                        continue
                    flag = FORMAT_FLAGS.get((name, column))
                    if column == "DateDeleted":
                        self.add(name, number, column, "DateDeleted must be empty: HDX takes no deleted records.")
                    elif column in layout.DATETIME_COLUMNS:
                        if as_datetime(value) is None:
                            self.add(name, number, column, f"{column} '{value}' is not a date and time written "
                                     "yyyy-mm-dd hh:mm:ss.", flag=flag, kind="datetime")
                    elif column in DATE_COLUMNS:
                        if as_date(value) is None:
                            self.add(name, number, column, f"{column} '{value}' is not a date written yyyy-mm-dd.",
                                     flag=flag, kind="date")
                    elif name in LSA_FILES and column not in NOT_CODES and as_int(value) is None:
                        self.add(name, number, column, f"{column} '{value}' is not a whole number.", flag=112,
                                 kind="integer")

    # --- LSAReport ---------------------------------------------------------------------------

    def report_row(self):
        rows = self.files["LSAReport"]
        if "LSAReport" not in self.present:
            return
        if len(rows) != 1:
            # flag 19: n_ids > 1 ("we expect only one row"); no row at all is no LSA either
            self.add("LSAReport", None, None, f"LSAReport has {len(rows)} rows; HDX 2.0 takes exactly one.",
                     flag=19 if len(rows) > 1 else None)
        if not rows:
            return
        r = self.report
        if as_int(r.get("ReportID")) is not None and as_int(r.get("ReportID")) < 1:
            self.add("LSAReport", 1, "ReportID", f"ReportID {r.get('ReportID')} must be above 0.")
        if self.coc and not re.match(r"^[A-Z]{2}-\d{3}$", self.coc):
            self.add("LSAReport", 1, "ReportCoC", f"ReportCoC '{self.coc}' is not a CoC code like XX-500.")
        for column, flag in COUNT_FLAGS.items():
            # flags 57-106: each data quality count "must be a positive integer or zero"
            value = r.get(column)
            if _text(value) is not None and (as_int(value) is None or as_int(value) < 0):
                self.add("LSAReport", 1, column, f"{column} '{value}' must be a whole number, 0 or more.", flag=flag)
        scope = as_int(r.get("LSAScope"))
        if scope is not None and scope not in (1, 2, 3):
            self.add("LSAReport", 1, "LSAScope", f"LSAScope '{r.get('LSAScope')}' must be 1 (systemwide), "
                     "2 (project-focused) or 3 (HIC).", flag=112)
        elif scope is not None and scope != self.scope:
            self.add("LSAReport", 1, "LSAScope", f"LSAScope is {scope} but the LSA was run with scope {self.scope}.")
        if scope == 2:
            # flag 1 (official uploads only): lsascope ~= 1. A project-focused LSA is a test upload.
            self.add("LSAReport", 1, "LSAScope", "A project-focused LSA (LSAScope 2) can be uploaded to HDX 2.0 for "
                     "review only, not as the CoC's official submission, which must be systemwide.",
                     blocking=False, flag=1)
        if self.start and self.end:
            if self.end < self.start:
                self.add("LSAReport", 1, "ReportEnd", "ReportEnd is before ReportStart.")
            if scope == 3 and self.start != self.end:
                self.add("LSAReport", 1, "ReportEnd", "For the HIC (LSAScope 3) ReportStart and ReportEnd are both "
                         "the date of the count (spec 3.1).")
            lookback = as_date(r.get("LookbackDate"))
            expected = _years_before(self.start, 7)
            if lookback and lookback != expected:
                self.add("LSAReport", 1, "LookbackDate", f"LookbackDate is {lookback:%Y-%m-%d}; it must be ReportStart "
                         f"less 7 years, {expected:%Y-%m-%d} (spec 3.1).")
        stamp = as_datetime(r.get("ReportDate"))
        if stamp and self.end and stamp.date() < self.end:
            # flag 3 (official uploads only): datepart(reportdate) < reportend
            self.add("LSAReport", 1, "ReportDate", f"ReportDate {stamp:%Y-%m-%d} is before ReportEnd "
                     f"{self.end:%Y-%m-%d}: an official LSA is run after its report period ends.", flag=3)

    def report_ids(self):
        """Flag 5 (diff_repid = 1): one ReportID across LSAReport, LSAPerson, LSAHousehold, LSAExit and
        LSACalculated. 4.1-4.7: each PDDE file's ExportID must match LSAReport.ReportID (no flag number)."""
        if self.report_id is None:
            return
        for name in LSA_FILES[1:] + PDDE_FILES:
            column = "ReportID" if name in LSA_FILES else "ExportID"
            same = as_int(self.report.get("ReportID"))  # the common case, compared as numbers without text
            wrong = [(n, _text(row.get(column))) for n, row in enumerate(self.files[name], start=1)
                     if not (same is not None and row.get(column) == same)
                     and _text(row.get(column)) is not None and _text(row.get(column)) != self.report_id]
            if wrong:
                values = ", ".join(sorted({v for _, v in wrong}))
                self.add(name, wrong[0][0] if len(wrong) == 1 else None, column,
                         f"{len(wrong)} row(s) carry {column} {values}, not LSAReport's ReportID {self.report_id}: "
                         "the files come from different runs.", flag=5 if name in LSA_FILES else None)

    # --- the LSA files -------------------------------------------------------------------------

    def row_totals(self):
        # flags 108-110: RowTotal in LSAPerson, LSAHousehold, LSAExit; 2.9-2.11: "all values must be integers > 0"
        for name, flag in ROW_TOTAL_FLAGS.items():
            for number, row in enumerate(self.files[name], start=1):
                value = row.get("RowTotal")
                if _text(value) is not None and (as_int(value) is None or as_int(value) < 1):
                    self.add(name, number, "RowTotal", f"RowTotal '{value}' must be a whole number above 0.",
                             flag=flag, kind="rowtotal")
        for number, row in enumerate(self.files["LSACalculated"], start=1):
            value = row.get("Value")
            if _text(value) is not None and (as_int(value) is None or as_int(value) < 0):
                # flag 111: Value "must be a positive number or zero"
                self.add("LSACalculated", number, "Value", f"Value '{value}' must be a whole number, 0 or more.",
                         flag=111, kind="value")

    def empty_files(self):
        # flags 15-18 (warnings): no rows in LSAPerson / LSAHousehold / LSAExit / LSACalculated.
        # 2: for the HIC, LSAHousehold and LSAExit are empty by design.
        for name, flag in EMPTY_FLAGS.items():
            if name not in self.present or self.files[name]:
                continue
            if self.scope == 3 and name in layout.NOT_FOR_HIC:
                continue
            self.add(name, None, None, f"{name} has no rows. That is right only if there was no one to report: "
                     "please confirm.", blocking=False, flag=flag)

    def duplicate_rows(self):
        """Rows with the same values in every column but RowTotal: 2.9-2.11 ask for one row per combination.
        Flags 395 (LSAPerson), 524 (LSAHousehold) and 540 (LSAExit), Upload Errors.
        LSACalculated: one row per Cohort, Universe, HHType, Population, SystemPath, (ProjectID,) ReportRow
        (flags 680 CoC-level, 682 project-level)."""
        for name, flag in (("LSAPerson", 395), ("LSAHousehold", 524), ("LSAExit", 540)):
            columns = [c for c in layout.FILES[name] if c not in ("RowTotal", "ReportID")]
            seen = {}
            for number, row in enumerate(self.files[name], start=1):
                key = tuple(map(row.get, columns))
                if key in seen:
                    self.add(name, number, None, f"Row {number} repeats the characteristics of row {seen[key]}: "
                             "each combination must be one row, its RowTotal the count.", flag=flag, kind="duplicate")
                else:
                    seen[key] = number
        seen = {}
        for number, row in enumerate(self.files["LSACalculated"], start=1):
            key = tuple(_text(row.get(c)) for c in CALCULATED_KEY)
            if key in seen:
                project = key[CALCULATED_KEY.index("ProjectID")]
                self.add("LSACalculated", number, None, f"Row {number} repeats the Cohort, Universe, HHType, Population, "
                         f"SystemPath{', ProjectID' if project else ''} and ReportRow of row {seen[key]}.",
                         flag=682 if project else 680, kind="duplicate")
            else:
                seen[key] = number

    def person_rows(self):
        """LSAPerson's internal consistency (flags 113-290): a group's population columns can only hold household
        types in which the person was served in that group (HHType{G}), was head of household (HoH{G}) or was
        active in residence (AIR{G}); the age columns follow the household types. Rows sharing the values a
        rule reads share its outcome, so each combination is worked out once."""
        served = ("HHTypeEST", "HHTypeRRH", "HHTypePSH", "HHTypeRRHSONoMI", "HHTypeRRHSOMI")
        families = [(g, index, population, reference, unserved, by_type)
                    for population, reference, unserved, by_type in PERSON_POPULATIONS
                    for index, g in enumerate(("EST", "RRH", "PSH"))]
        read = sorted({f"{x}{g}" for g, _, population, reference, _, _ in families for x in (population, reference)})
        outcomes = {}
        for number, r in enumerate(self.ints["LSAPerson"], start=1):
            # flag 113: hhtypeest = hhtyperrh = hhtypepsh = hhtyperrhsonomi = hhtyperrhsomi = -1
            if all(r.get(c) == -1 for c in served):
                self.add("LSAPerson", number, "HHTypeEST", "The people in this row were served in none of ES/SH/TH, "
                         "RRH, PSH or RRH-SO (every HHType column is -1), so they do not belong in LSAPerson.",
                         flag=113, kind="113")
            key = tuple(map(r.get, read))
            if key not in outcomes:
                outcomes[key] = list(_person_population_problems(r, families))
            for column, message, flag, kind in outcomes[key]:
                self.add("LSAPerson", number, column, message, flag=flag, kind=kind)
        self._rule_rows("LSAPerson", PERSON_RULES)

    def household_rows(self):
        self._rule_rows("LSAHousehold", HOUSEHOLD_RULES)

    def exit_rows(self):
        self._rule_rows("LSAExit", EXIT_RULES)

    def _rule_rows(self, name, rules):
        """Each rule on each row; a rule is skipped where a value it reads is missing or not a number (reported
        as such elsewhere). Rows sharing the values the rules read share the outcome."""
        read = sorted({c for _, columns, _, _ in rules for c in columns})
        outcomes = {}
        for number, r in enumerate(self.ints[name], start=1):
            key = tuple(map(r.get, read))
            if key not in outcomes:
                found = []
                complete = None not in key
                for flag, columns, test, message in rules:
                    if not complete and any(r.get(c) is None for c in columns):
                        continue
                    if test(r):
                        shown = ", ".join(f"{c} {r[c]}" for c in columns)
                        found.append((columns[0], f"{message} ({shown})", flag))
                outcomes[key] = found
            for column, message, flag in outcomes[key]:
                self.add(name, number, column, message, flag=flag, kind=str(flag))

    def calculated_rows(self):
        """Flags 677 (Universe 10 without a ProjectID), 679 (a ProjectID on a row that is not Universe 10), 780
        (a ProjectID not in Project.csv). 2.12 says ProjectID is for ReportRow 53-57 with Universe 10, but 10.1
        puts it on the project-level data quality rows (901-921, Universe 10) too: the flags' reading, Universe
        10 <=> ProjectID, is followed."""
        cells = {}
        for number, row in enumerate(self.files["LSACalculated"], start=1):
            universe, project = as_int(row.get("Universe")), _text(row.get("ProjectID"))
            if universe == 10 and project is None:
                self.add("LSACalculated", number, "ProjectID", "A project-level row (Universe 10) has no ProjectID.",
                         flag=677, kind="677")
            elif universe is not None and universe != 10 and project is not None:
                self.add("LSACalculated", number, "ProjectID", f"ProjectID {project} is on a row that is not "
                         f"project-level (Universe {universe}); it must be empty there.", flag=679, kind="679")
            if project is not None and project not in self.projects:
                self.add("LSACalculated", number, "ProjectID", f"ProjectID {project} is not in Project.csv.",
                         flag=780, kind="780")
            key = tuple(as_int(row.get(c)) if c != "ProjectID" else project for c in CALCULATED_KEY)
            value = as_int(row.get("Value"))
            if value is not None:
                cells.setdefault(key, (value, number))
        self.cells = cells
        # Counts that must agree inside LSACalculated (9.3-9.5), compared where both rows are present:
        for (cohort, universe, hh, population, path, project, report_row), (value, number) in cells.items():
            where = _cell_words(universe, hh, population, project)
            if report_row == 53:
                households = cells.get((cohort, universe, hh, population, path, project, 54))
                if households and value > 0 and households[0] == 0:
                    # flags 704 (project level) / 705 (CoC level): people > 0 and households = 0
                    self.add("LSACalculated", number, "Value", f"{where}: {value} people (ReportRow 53) but no "
                             "households (ReportRow 54).", flag=704 if project else 705, kind="people-hh")
                elif households and value < households[0]:
                    # flags 701 / 702 (warnings): people < households
                    self.add("LSACalculated", number, "Value", f"{where}: fewer people ({value}, ReportRow 53) than "
                             f"households ({households[0]}, ReportRow 54).", blocking=False,
                             flag=701 if project else 702, kind="people<hh")
                full = cells.get((1, universe, hh, population, path, project, 53))
                if cohort in (10, 11, 12, 13) and population == 0 and full and value > full[0]:
                    # flags 714 (project) / 716 (CoC): a point-in-time count above the full period's
                    self.add("LSACalculated", number, "Value", f"{where}: {value} people on the point-in-time date "
                             f"(Cohort {cohort}) but {full[0]} in the whole report period (Cohort 1).",
                             flag=714 if project else 716, kind="pit>full")
            if report_row == 56 and cohort == 1 and population in (0, 10, 11):
                people = cells.get((1, universe, hh, population, path, project, 53))
                if people and value < people[0]:
                    # flags 706 (project) / 708 (CoC): bed nights < people
                    self.add("LSACalculated", number, "Value", f"{where}: {value} bed nights (ReportRow 56) for "
                             f"{people[0]} people (ReportRow 53); each has at least one night.",
                             flag=706 if project else 708, kind="nights<people")

    # --- counts that must agree across files -----------------------------------------------------

    def person_vs_household(self):
        """Flags 647-673: in each project group, at least as many people (LSAPerson, household type in HHType{G})
        as households (LSAHousehold, HHType, {G}Status above 2 = served in the report period), and households
        wherever there are people. Not for the HIC, whose LSAHousehold is empty."""
        if self.scope == 3 or not self.files["LSAHousehold"] or not self.files["LSAPerson"]:
            return
        for index, g in enumerate(("EST", "RRH", "PSH")):
            for hh_type, flags in PEOPLE_HOUSEHOLD_FLAGS.items():
                people = self._people(f"HHType{g}", hh_type)
                households = self._households(f"{g}Status", lambda v: v > 2, hh_type)
                less, none = flags[index]
                kind = f"{TYPE_WORDS[hh_type]} households in {GROUP_WORDS[g]}"
                if people > 0 and households == 0:
                    self.add("LSAHousehold", None, "HHType", f"{kind[0].upper()}{kind[1:]}: LSAPerson has {people} people "
                             "but LSAHousehold has no such household.", flag=none)
                elif people < households:
                    self.add("LSAHousehold", None, "HHType", f"{kind[0].upper()}{kind[1:]}: fewer people ({people}, LSAPerson) "
                             f"than households ({households}, LSAHousehold).", flag=less)

    def air_vs_calculated(self):
        """Flags 684 / 685: people and households active in residence must be the same in LSAPerson (AIR{G}) and
        LSAHousehold ({G}AIR = 1) as in LSACalculated (Cohort 1, Population 0, ReportRow 53 / 54, Universe 16
        ES/SH/TH, 14 housed in RRH, 15 housed in PSH: 9.3), overall (HHType 0) and by household type. A row
        absent from LSACalculated counts 0. Not for the HIC (its active cohort is the night of the count)."""
        if self.scope == 3 or not self.files["LSACalculated"]:
            return
        for g, universe in AIR_UNIVERSE.items():
            for hh_type in (0, 1, 2, 3, 99):
                calc = self.cells.get((1, universe, hh_type, 0, -1, None, 53), (0, None))[0]
                people = self._people(f"AIR{g}", hh_type)
                if people != calc:
                    self.add("LSACalculated", None, "Value", f"People active in residence in {GROUP_WORDS[g]}, "
                             f"{TYPE_WORDS[hh_type]} households: LSAPerson counts {people} (AIR{g}), LSACalculated "
                             f"{calc} (Universe {universe}, HHType {hh_type}, ReportRow 53). They must be the same.",
                             flag=684)
                calc = self.cells.get((1, universe, hh_type, 0, -1, None, 54), (0, None))[0]
                households = self._households(f"{g}AIR", lambda v: v == 1, hh_type)
                if households != calc:
                    self.add("LSACalculated", None, "Value", f"Households active in residence in {GROUP_WORDS[g]}, "
                             f"{TYPE_WORDS[hh_type]} households: LSAHousehold counts {households} ({g}AIR 1), LSACalculated "
                             f"{calc} (Universe {universe}, HHType {hh_type}, ReportRow 54). They must be the same.",
                             flag=685)

    def unduplicated_client(self):
        """2.8: UnduplicatedClient is the count of distinct PersonalIDs in LSAPerson, and 2.9: the sum of LSAPerson's
        RowTotal is the number of active clients, so the two are equal. HDX (flag 674) refuses it lower; higher
        is reported as a warning (HDX does not flag it)."""
        reported = as_int(self.report.get("UnduplicatedClient"))
        if reported is None or "LSAPerson" not in self.present:
            return
        people = sum(r.get("RowTotal") or 0 for r in self.ints["LSAPerson"])
        if reported < people:
            self.add("LSAReport", 1, "UnduplicatedClient", f"UnduplicatedClient is {reported} but LSAPerson's "
                     f"RowTotals add up to {people} people.", flag=674)
        elif reported > people:
            self.add("LSAReport", 1, "UnduplicatedClient", f"UnduplicatedClient is {reported} but LSAPerson's "
                     f"RowTotals add up to {people} people; HUD defines them as the same count (spec 2.8).",
                     blocking=False)

    def _people(self, column, hh_type):
        """Sum of LSAPerson's RowTotal over rows whose household-type list in column holds hh_type (0: any)."""
        if self._tallies is None:
            by_value = Counter()
            columns = [f"{x}{g}" for x in ("HHType", "AIR") for g in ("EST", "RRH", "PSH")]
            for r in self.ints["LSAPerson"]:
                total = r.get("RowTotal") or 0
                for c in columns:
                    by_value[c, r.get(c)] += total
            self._tallies = defaultdict(Counter)
            for (c, value), total in by_value.items():
                types = household_types(value)
                if types:
                    self._tallies[c][0] += total
                    for t in types:
                        self._tallies[c][t] += total
        return self._tallies[column][hh_type]

    def _households(self, column, test, hh_type):
        """Sum of LSAHousehold's RowTotal over rows whose column passes test, of household type hh_type (0: any)."""
        if self._household_tallies is None:
            self._household_tallies = Counter()
            columns = [f"{g}{x}" for g in ("EST", "RRH", "PSH") for x in ("Status", "AIR")]
            for r in self.ints["LSAHousehold"]:
                total, kind = r.get("RowTotal") or 0, r.get("HHType")
                for c in columns:
                    self._household_tallies[c, r.get(c), kind] += total
        return sum(total for (c, value, kind), total in self._household_tallies.items()
                   if c == column and value is not None and test(value) and hh_type in (0, kind))

    # --- valid values (HUD's lists, lists.py) ------------------------------------------------------

    def valid_values(self):
        """Flag 112 (Upload Error): every column with a list in HUD's LSA data dictionary holds one of its values.
        A value that is not a whole number is reported by formats() in the LSA files; in the project descriptor
        files it is reported here."""
        for name, columns in lists.COLUMN_LISTS.items():
            parsed = self.ints.get(name)
            seen = _distinct_values(parsed, list(columns)) if parsed else {}
            for column in columns:
                if (name, column) in LIST_CHECKED_ELSEWHERE:
                    continue
                valid = lists.valid_values(name, column)
                if parsed is not None and seen.get(column, {None}) <= valid | {None}:
                    continue  # every value of the column is HUD's (the common case: one pass, no row by row)
                for number, row in enumerate(self.files[name], start=1):
                    value = parsed[number - 1].get(column) if parsed is not None else as_int(row.get(column))
                    if value in valid:
                        continue
                    if value is None and (parsed is not None or _text(row.get(column)) is None):
                        continue  # missing (required_values) or not a whole number (formats)
                    shown = value if value is not None else f"'{row.get(column)}'"
                    self.add(name, number, column, f"{column} {shown} is not one of HUD's values for it (list "
                             f"{lists.list_name(name, column)} in HUD's LSA data dictionary).", flag=112,
                             kind=f"list {column}")

    # --- heads of household (LSAPerson) against households (LSAHousehold), flags 616-646 -------------

    def heads_vs_households(self):
        """Each household in LSAHousehold has one head of household in LSAPerson: by household type and the
        characteristics both files carry (the project groups it was served in, {G}Status above 2 / HoH{G}; active in
        residence, {G}AIR 1 / AIRHoH{G}; the head's RaceEthnicity) the counts are equal (616), and heads in a
        population of a group ({G}Chronic, Vet, Disability, FleeingDV, Parent = 1 / HH{pop}{G}) are not fewer
        than such households (617-646, "fewer"), nor without any (the "zero" flags, by household type). Households
        served only in RRH-SO have no HoH{G} column to meet and are left out. Not for the HIC."""
        if self.scope == 3 or not self.files["LSAHousehold"] or not self.files["LSAPerson"]:
            return
        groups = ("EST", "RRH", "PSH")
        pops = tuple(HEAD_POPULATIONS)
        person_columns = ["RowTotal", "RaceEthnicity", *(f"{x}{g}" for g in groups for x in ("HoH", "AIRHoH")),
                          *(f"HH{p}{g}" for p in pops for g in groups)]
        household_columns = ["RowTotal", "HHType", "HoHRaceEthnicity", *(f"{g}{x}" for g in groups
                                                                          for x in ("Status", "AIR", *pops))]
        # rows sharing the values read here are counted together: their number is far below the files' rows
        person_kinds, household_kinds = Counter(), Counter()
        for r in self.ints["LSAPerson"]:
            person_kinds[tuple(map(r.get, person_columns[1:]))] += r.get("RowTotal") or 0
        for r in self.ints["LSAHousehold"]:
            household_kinds[tuple(map(r.get, household_columns[1:]))] += r.get("RowTotal") or 0
        if any(None in kind for kind in person_kinds) or any(None in kind for kind in household_kinds):
            return  # a value missing or not a whole number: reported as such, and the counts cannot be compared
        heads, households = Counter(), Counter()
        for kind, total in person_kinds.items():
            r = dict(zip(person_columns[1:], kind, strict=True))
            for t in HH_TYPES:
                head = tuple(_has(r[f"HoH{g}"], t) for g in groups)
                if not any(head):
                    continue
                key = (t, head, tuple(_has(r[f"AIRHoH{g}"], t) for g in groups), r["RaceEthnicity"])
                heads[key, None] += total
                for p in pops:
                    for g, served in zip(groups, head, strict=True):
                        if served and _has(r[f"HH{p}{g}"], t):
                            heads[key, (p, g)] += total
        for kind, total in household_kinds.items():
            r = dict(zip(household_columns[1:], kind, strict=True))
            active = tuple(r[f"{g}Status"] > 2 for g in groups)
            if not any(active):
                continue
            key = (r["HHType"], active, tuple(r[f"{g}AIR"] == 1 for g in groups), r["HoHRaceEthnicity"])
            households[key, None] += total
            for p in pops:
                for g, served in zip(groups, active, strict=True):
                    if served and r[f"{g}{p}"] == 1:
                        households[key, (p, g)] += total
        for key in sorted({k for k, part in (*heads, *households) if part is None}, key=repr):
            people, homes = heads[key, None], households[key, None]
            if people != homes:
                self.add("LSAHousehold", None, "HHType", f"{_head_words(key)}: LSAPerson has {people} head(s) of "
                         f"household, LSAHousehold {homes} household(s). They must be the same.", flag=616, kind="616")
        for p, flags in HEAD_POPULATIONS.items():
            for index, g in enumerate(groups):
                fewer, zero = flags[index]
                words = f"{HEAD_POPULATION_WORDS[p]} in {GROUP_WORDS[g]}"
                by_type = defaultdict(lambda: [0, 0])
                for key in sorted({k for k, part in (*heads, *households) if part == (p, g)}, key=repr):
                    people, homes = heads[key, (p, g)], households[key, (p, g)]
                    by_type[key[0]][0] += people
                    by_type[key[0]][1] += homes
                    if people < homes:
                        self.add("LSAHousehold", None, f"{g}{p}", f"{_head_words(key)}, {words}: fewer heads of "
                                 f"household in LSAPerson (HH{p}{g}, {people}) than households in LSAHousehold ({g}{p} "
                                 f"1, {homes}).", flag=fewer, kind=str(fewer))
                for t, (people, homes) in sorted(by_type.items()):
                    if people > 0 and homes == 0:
                        self.add("LSAHousehold", None, f"{g}{p}", f"{TYPE_WORDS[t].capitalize()} {words}: LSAPerson "
                                 f"has {people} head(s) of household (HH{p}{g}) but LSAHousehold no such household.",
                                 flag=zero)

    def young_veterans(self):
        """Flag 441 (Warning): veterans who were 6-17 at their earliest enrollment in the report period (their
        lowest age, ESTAgeMin / RRHAgeMin / PSHAgeMin, is 17)."""
        count = sum(r.get("RowTotal") or 0 for r in self.ints["LSAPerson"]
                    if r.get("VetStatus") == 1 and None not in (r.get(c) for c in _AGE_MINS)
                    and min(_known(r, _AGE_MINS) or [None]) == 17)
        if count:
            self.add("LSAPerson", None, "VetStatus", f"{count} veteran(s) were 6-17 years old at their earliest "
                     "enrollment in the report period. Please check this is right in the HMIS.", blocking=False,
                     flag=441)

    # --- LSACalculated's counts against each other, flags 688-778 ------------------------------------

    def calculated_consistency(self):
        """The counts of LSACalculated (9.3-9.5) must agree with each other: a subpopulation within its population,
        a point-in-time cohort within the report period, bed nights against people and the nights of the period,
        ES, SH and TH against ES/SH/TH together, household types against all households, and projects against
        their project type CoC-wide. A row absent from LSACalculated is 0 (counts are only written when above 0,
        section 8). HDX applies these flags to official uploads."""
        if not self.cells:
            return
        slices = defaultdict(dict)  # (cohort, universe, hh type, project, row) -> population -> value
        for (cohort, universe, hh, population, path, project, row), (value, _) in self.cells.items():
            if path == -1 and row in (53, 54, 55, 56, 57):
                slices[cohort, universe, hh, project, row][population] = value
        self.slices = slices
        # the report period's nights (774-778); HDX reads 777/778 for the annual period only, so not for the HIC
        self.nights = ((self.end - self.start).days + 1 if self.start and self.end and self.end >= self.start
                       and self.scope != 3 else None)
        coc = sorted({u for (_, u, _, project, _) in slices if project is None and u is not None and u != 10})
        projects = sorted({project for (_, _, _, project, _) in slices if project is not None})
        places = [(u, None) for u in coc] + [(10, project) for project in projects]
        self._subpopulations(places, coc)
        self._bed_nights(places)
        if 16 in coc or any(u in coc for u in EST_PARTS):
            self._est_parts()
        self._household_types(places)
        self._project_sums(coc, projects)

    def _v(self, cohort, universe, hh, population, row, project=None):
        return self.slices.get((cohort, universe, hh, project, row), {}).get(population, 0)

    def _calc(self, flags, project, message, blocking=True):
        """One LSACalculated problem; flags = (project-level flag, CoC-level flag)."""
        flag = flags[0] if project is not None else flags[1]
        self.add("LSACalculated", None, "Value", message, blocking=blocking, flag=flag, kind=str(flag))

    def _subpopulations(self, places, coc):
        v = self._v
        for u, pid in places:
            where = _place_words(u, pid)
            for c in COHORTS:
                for h, pops in SUB_POPS.items():
                    people = v(c, u, h, 0, 53, pid)
                    for p in pops:  # 688 / 689: people in a population <= all people
                        if v(c, u, h, p, 53, pid) > people:
                            self._calc((688, 689), pid, f"{where}, {_cell(c, h)}: {v(c, u, h, p, 53, pid)} people in "
                                       f"Population {p} but {people} people in all (Population 0, ReportRow 53).")
                    pairs = (TRAIT_POPS if pid else TRAIT_POPS_COC)[h]
                    if pid and h == 99:
                        pairs = (53,)
                    for p in pairs:  # 691 / 692 (warnings): people with a trait <= people in such households
                        p2 = TRAIT_HOUSEHOLD[p]
                        if v(c, u, h, p, 55, pid) > v(c, u, h, p2, 53, pid):
                            self._calc((691, 692), pid, f"{where}, {_cell(c, h)}: {v(c, u, h, p, 55, pid)} people in "
                                       f"Population {p} (ReportRow 55) but {v(c, u, h, p2, 53, pid)} people in "
                                       f"Population {p2} households (ReportRow 53).", blocking=False)
                    if c == 1:  # 718 / 719 (warnings): none with the trait, yet people in such households
                        for p in (TRAIT_POPS[h] if h != 99 else (53,)):
                            p2 = TRAIT_HOUSEHOLD[p]
                            if v(1, u, h, p, 55, pid) == 0 and v(1, u, h, p2, 53, pid) > 0:
                                self._calc((718, 719), pid, f"{where}, {_cell(1, h)}: no people in Population {p} "
                                           f"(ReportRow 55) but {v(1, u, h, p2, 53, pid)} in Population {p2} "
                                           "households (ReportRow 53).", blocking=False)
                for h in (0, 1, 2, 3, 99):  # 715 / 717: a point-in-time count <= the report period's
                    if c == 1:
                        continue
                    for p, value in self.slices.get((c, u, h, pid, 55), {}).items():
                        full = v(1, u, h, p, 55, pid)
                        if value > full:
                            self._calc((715, 717), pid, f"{where}, {_cell(c, h)}, Population {p}: {value} people with "
                                       f"the characteristic on the date but {full} in the whole report period.")
        for u in coc:
            for c in COHORTS:
                for h in (0, 1, 2, 3, 99):
                    people = v(c, u, h, 0, 53)
                    traits = self.slices.get((c, u, h, None, 55), {})
                    for p, value in traits.items():
                        if 56 <= p <= 82 and value > people:  # 690
                            self._calc((None, 690), None, f"{_place_words(u, None)}, {_cell(c, h)}: {value} people "
                                       f"in Population {p} (ReportRow 55) but {people} people in all (ReportRow 53).")
                        if h == 2 and 5153 <= p <= 5171 and value > v(c, u, 2, 12, 53):  # 693 (warning)
                            self._calc((None, 693), None, f"{_place_words(u, None)}, {_cell(c, h)}: {value} people in "
                                       f"Population {p} but {v(c, u, 2, 12, 53)} people in parenting youth households "
                                       "(Population 12).", blocking=False)
                        if h != 3 and 5053 <= p <= 5071 and value > traits.get(50, 0):  # 698
                            self._calc((None, 698), None, f"{_place_words(u, None)}, {_cell(c, h)}: {value} veterans "
                                       f"in Population {p} but {traits.get(50, 0)} veterans in all (Population 50).")
                        parent = p % 100
                        if (h != 3 and 5000 <= p < 5100 and (parent == 53 or 56 <= parent <= 71)) or (
                                h in (2, 3) and 5100 <= p < 5300 and (parent == 53 or 56 <= parent <= 71)):
                            if value > traits.get(parent, 0):  # 699 (veterans) / 700 (parenting youth and children)
                                flag = 699 if p < 5100 else 700
                                self._calc((None, flag), None, f"{_place_words(u, None)}, {_cell(c, h)}: {value} "
                                           f"people in Population {p} but {traits.get(parent, 0)} in Population "
                                           f"{parent}, which holds them.")

    def _bed_nights(self, places):
        v, nights = self._v, self.nights
        for u, pid in places:
            where = _place_words(u, pid)
            for h in (0, 1, 2, 3, 99):
                for p in TRAIT_POPS[h]:
                    nights_p, people_p = v(1, u, h, p, 57, pid), v(1, u, h, p, 55, pid)
                    if nights_p < people_p:  # 707 / 709
                        self._calc((707, 709), pid, f"{where}, {_cell(1, h)}, Population {p}: {nights_p} bed nights "
                                   f"(ReportRow 57) for {people_p} people (ReportRow 55); each has at least one.")
                    if nights_p > 0 and people_p == 0:  # 711 / 713
                        self._calc((711, 713), pid, f"{where}, {_cell(1, h)}, Population {p}: {nights_p} bed nights "
                                   "(ReportRow 57) but no people (ReportRow 55).")
                    all_nights, all_people = v(1, u, h, 0, 56, pid), v(1, u, h, 0, 53, pid)
                    if (nights and all_people >= people_p and all_nights >= nights_p and nights_p > 0 and people_p > 0
                            and all_nights - nights_p > nights * (all_people - people_p)):  # 774 / 776
                        self._calc((774, 776), pid, f"{where}, {_cell(1, h)}: the people not in Population {p} have "
                                   f"{all_nights - nights_p} bed nights, more than {nights} nights for each of the "
                                   f"{all_people - people_p} of them.")
                for p in NIGHT_POPS[h]:
                    bed_nights, people = v(1, u, h, p, 56, pid), v(1, u, h, p, 53, pid)
                    if bed_nights > 0 and people == 0:  # 710 / 712
                        self._calc((710, 712), pid, f"{where}, {_cell(1, h)}, Population {p}: {bed_nights} bed nights "
                                   "(ReportRow 56) but no people (ReportRow 53).")
                    if nights and people and bed_nights / people > nights:  # 778 / 777
                        self._calc((778, 777), pid, f"{where}, {_cell(1, h)}, Population {p}: an average stay of "
                                   f"{bed_nights / people:.0f} nights, longer than the {nights} nights of the report "
                                   "period.")

    def _est_parts(self):
        """Flags 720-734: the CoC-wide ES, SH and TH counts (Universes 11-13) against ES/SH/TH unduplicated (16)."""
        v = self._v

        def parts(c, h, p, r):
            return [v(c, u, h, p, r) for u in EST_PARTS]

        def whole(c, h, p, r):
            return v(c, 16, h, p, r)

        def overlap(c, h, p, r):
            return sum(parts(c, h, p, r)) - whole(c, h, p, r)

        def say(flag, c, h, p, r, text):
            self._calc((None, flag), None, f"ES/SH/TH, {_cell(c, h)}, Population {p}, {ROW_WORDS[r]}: ES, SH and TH "
                       f"{'+'.join(map(str, parts(c, h, p, r)))}, ES/SH/TH together {whole(c, h, p, r)}: {text}")

        for h in (0, 1, 2, 3, 99):
            for p in NIGHT_POPS[h]:
                if sum(parts(1, h, p, 56)) < whole(1, h, p, 56):
                    say(720, 1, h, p, 56, "the parts cannot add up to less than the whole.")
            for p in SUB_POPS_ALL[h]:
                for r, less, most in ((54, 724, 725), (53, 727, 729)):
                    if sum(parts(1, h, p, r)) < whole(1, h, p, r):
                        say(less, 1, h, p, r, "the parts cannot add up to less than the whole.")
                    if max(parts(1, h, p, r)) > whole(1, h, p, r):
                        say(most, 1, h, p, r, "no part can be larger than the whole.")
                served = sum(1 for x in parts(1, h, p, 53) if x > 0)
                if sum(parts(1, h, p, 53)) > whole(1, h, p, 53) * served:
                    say(728, 1, h, p, 53, f"the parts can add up to at most the whole times {served}, the number of "
                        "project types serving them.")
                for c in SNAPSHOTS:
                    for r, flag in ((54, 731), (53, 732)):
                        if sum(parts(c, h, p, r)) < whole(c, h, p, r):
                            say(flag, c, h, p, r, "the parts cannot add up to less than the whole.")
            for p in SUB_POPS[h]:
                for c, r, flag in ((1, 54, 726), (1, 53, 730), *((c, 53, 734) for c in SNAPSHOTS)):
                    if overlap(c, h, p, r) > 0 and overlap(c, h, p, r) > overlap(c, h, 0, r):
                        say(flag, c, h, p, r, f"the overlap ({overlap(c, h, p, r)}) cannot be larger than for all "
                            f"people ({overlap(c, h, 0, r)}).")
        for h in HH_TYPES:
            if overlap(1, h, 0, 56) > 0 and overlap(1, h, 0, 56) > overlap(1, 0, 0, 56):
                say(721, 1, h, 0, 56, f"the overlap ({overlap(1, h, 0, 56)}) cannot be larger than for all households "
                    f"({overlap(1, 0, 0, 56)}).")
            for c in SNAPSHOTS:
                if overlap(c, h, 0, 53) > 0 and overlap(c, h, 0, 53) > overlap(1, h, 0, 56):
                    say(733, c, h, 0, 53, f"the overlap on the date ({overlap(c, h, 0, 53)}) cannot be larger than the "
                        f"overlap of bed nights in the report period ({overlap(1, h, 0, 56)}).")
        for c in SNAPSHOTS:
            if overlap(c, 0, 0, 53) > 0 and overlap(c, 0, 0, 53) > overlap(1, 0, 0, 56):
                say(733, c, 0, 0, 53, f"the overlap on the date ({overlap(c, 0, 0, 53)}) cannot be larger than the "
                    f"overlap of bed nights in the report period ({overlap(1, 0, 0, 56)}).")
        if whole(1, 0, 0, 56) and overlap(1, 0, 0, 56) / whole(1, 0, 0, 56) >= 0.01:
            say(722, 1, 0, 0, 56, "1% or more of the bed nights overlap: people in two of ES, SH and TH at once, or "
                "not exited properly in the HMIS.")
        for p in (10, 11):
            if overlap(1, 1, p, 56) > 0 and overlap(1, 1, p, 56) > overlap(1, 1, 0, 56):
                say(723, 1, 1, p, 56, f"the overlap ({overlap(1, 1, p, 56)}) cannot be larger than for all people "
                    f"({overlap(1, 1, 0, 56)}).")

    def _household_types(self, places):
        """Flags 735-755: adult-only, adult-child, child-only and unknown households against all households."""
        v = self._v
        for u, pid in places:
            where = _place_words(u, pid)

            def types(c, p, r, u=u, pid=pid):
                return [v(c, u, h, p, r, pid) for h in HH_TYPES]

            def say(flags, c, p, r, text, u=u, pid=pid, where=where):
                self._calc(flags, pid, f"{where}, Cohort {c}, Population {p}, {ROW_WORDS[r]}: AO, AC, CO, UN "
                           f"{'+'.join(map(str, types(c, p, r)))}, all households {v(c, u, 0, p, r, pid)}: {text}")

            def spill(c, p, r, u=u, pid=pid):
                return sum(types(c, p, r)) - v(c, u, 0, p, r, pid)

            if spill(1, 0, 56) < 0:
                say((736, 735), 1, 0, 56, "the household types cannot add up to less than all households.")
            total = v(1, u, 0, 0, 56, pid)
            if total and spill(1, 0, 56) / total >= 0.01 and (pid is not None or u in (11, 12, 13, 15, 16)):
                say((739, 737), 1, 0, 56, "1% or more of the bed nights are counted in two household types.")
            for p in (50, 53):
                if spill(1, p, 57) > 0 and spill(1, p, 57) > spill(1, 0, 56):
                    say((741, 740), 1, p, 57, f"the overlap ({spill(1, p, 57)}) cannot be larger than for all "
                        f"people ({spill(1, 0, 56)}).")
            for p in TYPE_SUM_POPS:
                households = v(1, u, 0, p, 54, pid)
                if households and abs(spill(1, p, 54)) / households >= 0.01:
                    say((743, 742), 1, p, 54, "each household has one household type, so they must add up to all.")
                if max(types(1, p, 53)) > v(1, u, 0, p, 53, pid):
                    say((745, 744), 1, p, 53, "no household type can have more people than all households.")
                if spill(1, p, 53) < 0:
                    say((747, 746), 1, p, 53, "the household types cannot add up to fewer people than all.")
                for c in SNAPSHOTS:
                    households = v(c, u, 0, p, 54, pid)
                    if households and abs(spill(c, p, 54)) / households >= 0.01:
                        say((749, 748), c, p, 54, "each household has one household type, so they must add up to all.")
                    if spill(c, p, 53) < 0:
                        say((753, 752), c, p, 53, "the household types cannot add up to fewer people than all.")
                    if p and spill(c, p, 53) > 0 and spill(c, p, 53) > spill(c, 0, 53):
                        say((751, 750), c, p, 53, f"the overlap ({spill(c, p, 53)}) cannot be larger than for all "
                            f"people ({spill(c, 0, 53)}).")
            for c in SNAPSHOTS:
                if spill(c, 0, 53) > 0 and spill(c, 0, 53) > spill(1, 0, 56):
                    say((754, 755), c, 0, 53, f"the overlap on the date ({spill(c, 0, 53)}) cannot be larger than the "
                        f"overlap of bed nights in the report period ({spill(1, 0, 56)}).")

    def _project_sums(self, coc, projects):
        """Flags 757-772: the projects of a project type (Universe 10, their ProjectType in Project.csv) against
        the CoC-wide count for that type (Universes 11-16)."""
        v = self._v
        for u, kinds in UNIVERSE_TYPES.items():
            members = [p for p in projects if as_int(self.projects.get(p, {}).get("ProjectType")) in kinds]
            if u not in coc and not members:
                continue

            def each(c, h, p, r, members=members):
                return [v(c, 10, h, p, r, pid) for pid in members] or [0]

            def say(flag, c, h, p, r, text, u=u):
                self._calc((None, flag), None, f"{UNIVERSE_WORDS[u]} (Universe {u}), {_cell(c, h)}, Population {p}, "
                           f"{ROW_WORDS[r]}: its projects {sum(each(c, h, p, r))} together, CoC-wide "
                           f"{v(c, u, h, p, r)}: {text}")

            def over(c, h, p, r, u=u):
                return sum(each(c, h, p, r)) - v(c, u, h, p, r)

            for h in (0, 1, 2, 3, 99):
                for p in NIGHT_POPS[h]:
                    if over(1, h, p, 56) < 0:
                        say(757, 1, h, p, 56, "the projects cannot add up to less than the CoC-wide count.")
                for p in SUB_POPS_ALL[h]:
                    for r, most, less in ((54, 762, 763), (53, 765, 766)):
                        if max(each(1, h, p, r)) > v(1, u, h, p, r):
                            say(most, 1, h, p, r, "no project can count more than the CoC-wide count.")
                        if over(1, h, p, r) < 0:
                            say(less, 1, h, p, r, "the projects cannot add up to less than the CoC-wide count.")
                    serving = sum(1 for x in each(1, h, p, 53) if x > 0)
                    if sum(each(1, h, p, 53)) > v(1, u, h, p, 53) * serving:
                        say(767, 1, h, p, 53, f"the projects can add up to at most the CoC-wide count times {serving}, "
                            "the number of projects serving them.")
                    for c in SNAPSHOTS:
                        for r, flag in ((54, 769), (53, 770)):
                            if over(c, h, p, r) < 0:
                                say(flag, c, h, p, r, "the projects cannot add up to less than the CoC-wide count.")
                for p in SUB_POPS[h]:
                    for c, r, flag in ((1, 54, 764), (1, 53, 768), *((c, 53, 772) for c in SNAPSHOTS)):
                        if over(c, h, p, r) > 0 and over(c, h, p, r) > over(c, h, 0, r):
                            say(flag, c, h, p, r, f"the overlap ({over(c, h, p, r)}) cannot be larger than for all "
                                f"people ({over(c, h, 0, r)}).")
                for c in SNAPSHOTS:
                    if over(c, h, 0, 53) > 0 and over(c, h, 0, 53) > over(1, h, 0, 56):
                        say(771, c, h, 0, 53, f"the overlap on the date ({over(c, h, 0, 53)}) cannot be larger than "
                            f"the overlap of bed nights in the report period ({over(1, h, 0, 56)}).")
            for h in HH_TYPES:
                if over(1, h, 0, 56) > 0 and over(1, h, 0, 56) > over(1, 0, 0, 56):
                    say(760, 1, h, 0, 56, f"the overlap ({over(1, h, 0, 56)}) cannot be larger than for all households "
                        f"({over(1, 0, 0, 56)}).")
            for p in (10, 11):
                if over(1, 1, p, 56) > 0 and over(1, 1, p, 56) > over(1, 1, 0, 56):
                    say(761, 1, 1, p, 56, f"the overlap ({over(1, 1, p, 56)}) cannot be larger than for all people "
                        f"({over(1, 1, 0, 56)}).")
            coc_nights, project_nights = v(1, u, 0, 0, 56), sum(each(1, 0, 0, 56))
            if u in (11, 12, 13, 15, 16) and ((coc_nights == 0 and project_nights > 0) or (
                    coc_nights and (project_nights - coc_nights) / coc_nights >= 0.01)):
                say(758, 1, 0, 0, 56, "1% or more of the bed nights are counted in two projects at once: people "
                    "not exited properly in the HMIS, or a programming error.")

    # --- project descriptor files (section 4) -------------------------------------------------------

    def unique_ids(self):
        # flags 20-24: one row per OrganizationID / ProjectID / InventoryID / FunderID / ProjectCoCID (HMIS CSV keys;
        # HMISParticipationID and AffiliationID are keys too, without a flag)
        for name, (column, flag) in UNIQUE_ID_FLAGS.items():
            counts = Counter(_text(r.get(column)) for r in self.files[name] if _text(r.get(column)) is not None)
            for value, count in counts.items():
                if count > 1:
                    self.add(name, None, column, f"{count} rows share {column} {value}; there must be one.", flag=flag)
        # flag 25: one ProjectCoC row per ProjectID and CoCCode
        pairs = Counter((_text(r.get("ProjectID")), _text(r.get("CoCCode"))) for r in self.files["ProjectCoC"])
        for (project, coc), count in pairs.items():
            if count > 1 and project:
                self.add("ProjectCoC", None, "ProjectID", f"{count} ProjectCoC rows for project {project} in {coc}; "
                         "there must be one.", flag=25)

    def organizations(self):
        """4.2: exactly one Organization row for every OrganizationID in Project.csv; VictimServiceProvider in (0,1)."""
        known = {_text(r.get("OrganizationID")) for r in self.files["Organization"]}
        for number, row in enumerate(self.files["Project"], start=1):
            organization = _text(row.get("OrganizationID"))
            if organization and organization not in known:
                self.add("Project", number, "OrganizationID", f"Project {_text(row.get('ProjectID'))}'s organization "
                         f"{organization} is not in Organization.csv.")
        for number, row in enumerate(self.files["Organization"], start=1):
            value = row.get("VictimServiceProvider")
            if _text(value) is not None and as_int(value) not in (0, 1):
                self.add("Organization", number, "VictimServiceProvider", f"VictimServiceProvider '{value}' must be 0 "
                         "or 1.")

    def project_rows(self):
        """4.1's column rules for Project.csv."""
        lookback = as_date(self.report.get("LookbackDate"))
        types = (0, 1, 2, 3, 8, 13) if self.scope == 2 else (0, 1, 2, 3, 8, 9, 10, 13)
        for number, row in enumerate(self.files["Project"], start=1):
            name = _text(row.get("ProjectName")) or _text(row.get("ProjectID"))
            if _text(row.get("ContinuumProject")) is not None and as_int(row.get("ContinuumProject")) != 1:
                self.add("Project", number, "ContinuumProject", f"{name}: ContinuumProject must be 1 (4.1).")
            kind = as_int(row.get("ProjectType"))
            if _text(row.get("ProjectType")) is not None and kind not in types:
                self.add("Project", number, "ProjectType", f"{name}: ProjectType {row.get('ProjectType')} is not one "
                         f"the LSA takes ({', '.join(map(str, types))}) (4.1).")
            subtype = as_int(row.get("RRHSubType"))
            has_subtype = _text(row.get("RRHSubType")) is not None
            if kind == 13 and subtype not in (1, 2):
                self.add("Project", number, "RRHSubType", f"{name}: an RRH project needs RRHSubType 1 (services only) "
                         "or 2 (housing with or without services) (4.1).")
            elif kind != 13 and has_subtype:
                self.add("Project", number, "RRHSubType", f"{name}: RRHSubType must be empty for a project that is "
                         "not RRH (4.1).")
            affiliation = _text(row.get("ResidentialAffiliation"))
            if subtype == 1 and kind == 13 and as_int(affiliation) not in (0, 1):
                self.add("Project", number, "ResidentialAffiliation", f"{name}: an RRH services-only project needs "
                         "ResidentialAffiliation 0 or 1 (4.1).")
            elif not (subtype == 1 and kind == 13) and affiliation is not None:
                self.add("Project", number, "ResidentialAffiliation", f"{name}: ResidentialAffiliation must be empty "
                         "unless the project is RRH services-only (RRHSubType 1) (4.1).")
            housing = row.get("HousingType")
            if not (kind == 13 and subtype == 1):
                if _text(housing) is None:
                    # flag 801: missing(housingtype) & rrhsubtype ~= 1
                    self.add("Project", number, "HousingType", f"{name} has no HousingType.", flag=801)
                elif as_int(housing) not in (1, 2, 3):
                    self.add("Project", number, "HousingType", f"{name}: HousingType '{housing}' must be 1, 2 or 3.")
            start, end = as_date(row.get("OperatingStartDate")), as_date(row.get("OperatingEndDate"))
            if end and ((lookback and end <= lookback) or (start and end <= start)):
                self.add("Project", number, "OperatingEndDate", f"{name}: OperatingEndDate {end:%Y-%m-%d} must be "
                         "after the LookbackDate and after OperatingStartDate (4.1).")

    def _active_projects(self):
        """Projects operating in the report period: OperatingEndDate NULL or after ReportStart (4.3, 4.5), and
        (our reading, so a project not yet open is not asked for records) OperatingStartDate on or before
        ReportEnd."""
        for project, row in self.projects.items():
            if project is None:
                continue
            start, end = as_date(row.get("OperatingStartDate")), as_date(row.get("OperatingEndDate"))
            if self.start and end and end <= self.start:
                continue
            if self.end and start and start > self.end:
                continue
            yield project, row

    def _unknown_projects(self, name, column="ProjectID"):
        for number, row in enumerate(self.files[name], start=1):
            project = _text(row.get(column))
            if project and project not in self.projects:
                self.add(name, number, column, f"{column} {project} is not in Project.csv.", kind="unknown project")

    def funders(self):
        """4.3: every Funder row's project is in Project.csv, the record is active in the report period, and every
        project active in the period has at least one Funder row."""
        self._unknown_projects("Funder")
        funded = {_text(r.get("ProjectID")) for r in self.files["Funder"]}
        for number, row in enumerate(self.files["Funder"], start=1):
            start, end = as_date(row.get("StartDate")), as_date(row.get("EndDate"))
            if end and ((self.start and end < self.start) or (start and end <= start)):
                self.add("Funder", number, "EndDate", f"Funder {_text(row.get('FunderID'))} ended {end:%Y-%m-%d}, "
                         "before the report period or its own start (4.3 exports only active funding).")
        for project, row in self._active_projects():
            if project not in funded:
                self.add("Project", None, "ProjectID", f"{_text(row.get('ProjectName')) or project} has no Funder "
                         "record active in the report period; HDX requires at least one (4.3).")

    def project_cocs(self):
        """4.4: exactly one ProjectCoC row per project, for ReportCoC, with Geocode (6 digits, flag 26), ZIP (5
        digits, flag 28) and GeographyType (1, 2 or 3). Flag 804: a project missing from ProjectCoC.csv."""
        self._unknown_projects("ProjectCoC")
        located = {_text(r.get("ProjectID")) for r in self.files["ProjectCoC"]}
        for project, row in self.projects.items():
            if project and project not in located:
                self.add("ProjectCoC", None, "ProjectID", f"{_text(row.get('ProjectName')) or project} is missing "
                         "from ProjectCoC.csv.", flag=804)
        for number, row in enumerate(self.files["ProjectCoC"], start=1):
            coc = _text(row.get("CoCCode"))
            if coc and self.coc and coc != self.coc:
                self.add("ProjectCoC", number, "CoCCode", f"CoCCode {coc} is not the report's CoC {self.coc}; only "
                         "its records are exported (4.4).")
            geocode, zip_code = _text(row.get("Geocode")), _text(row.get("ZIP"))
            if geocode and not re.match(r"^\d{6}$", geocode):
                self.add("ProjectCoC", number, "Geocode", f"Geocode '{geocode}' must be exactly 6 digits.", flag=26)
            if zip_code and not re.match(r"^\d{5}$", zip_code):
                self.add("ProjectCoC", number, "ZIP", f"ZIP '{zip_code}' must be exactly 5 digits.", flag=28)
            geography = row.get("GeographyType")
            if _text(geography) is not None and as_int(geography) not in (1, 2, 3):
                self.add("ProjectCoC", number, "GeographyType", f"GeographyType '{geography}' must be 1, 2 or 3.")

    def inventory(self):
        """4.5 and flags 45-53, 784-793."""
        self._unknown_projects("Inventory")
        stocked = set()
        for number, row in enumerate(self.files["Inventory"], start=1):
            project_id = _text(row.get("ProjectID"))
            stocked.add(project_id)
            project = self.projects.get(project_id, {})
            kind, subtype = as_int(project.get("ProjectType")), as_int(project.get("RRHSubType"))
            counts = {}
            for column, flag in BED_FLAGS.items():
                value = row.get(column)
                if _text(value) is None:
                    continue
                counts[column] = as_int(value)
                if counts[column] is None or counts[column] < 0:
                    self.add("Inventory", number, column, f"{column} '{value}' must be a whole number, 0 or more.",
                             flag=flag)
            if all(isinstance(counts.get(c), int) for c in ("BedInventory", *DEDICATED_BEDS)):
                dedicated = sum(counts[c] for c in DEDICATED_BEDS)
                if dedicated != counts["BedInventory"]:
                    # flag 786: sum of the seven bed columns ~= BedInventory
                    self.add("Inventory", number, "BedInventory", f"BedInventory is {counts['BedInventory']} but the "
                             f"seven dedicated and other bed columns add up to {dedicated}; they must be equal.",
                             flag=786)
                if counts["CHVetBedInventory"] + counts["YouthVetBedInventory"] + counts["VetBedInventory"] > 0 \
                        and as_int(row.get("HouseholdType")) == 4:
                    self.add("Inventory", number, "VetBedInventory", "Veteran beds cannot be for households with only "
                             "children (HouseholdType 4).", flag=787)
            units, beds = counts.get("UnitInventory"), counts.get("BedInventory")
            if isinstance(units, int) and isinstance(beds, int) and units > beds:
                self.add("Inventory", number, "UnitInventory", f"{units} units for {beds} beds: there cannot be more "
                         "units than beds.", flag=785)
            household = row.get("HouseholdType")
            if _text(household) is not None and as_int(household) not in (1, 3, 4):
                self.add("Inventory", number, "HouseholdType", f"HouseholdType '{household}' must be 1, 3 or 4 (4.5).")
            if kind == 8 and as_int(household) == 3 and isinstance(beds, int) and beds > 0:
                self.add("Inventory", number, "HouseholdType", "A safe haven has beds for households with adults and "
                         "children; safe havens serve households without children or with only children.", flag=793)
            for column, flag in (("ESBedType", 788), ("Availability", 789)):
                value = row.get(column)
                if kind in (0, 1):
                    if _text(value) is None:
                        self.add("Inventory", number, column, f"An emergency shelter's inventory needs {column}.",
                                 flag=flag)
                    elif as_int(value) not in (1, 2, 3):
                        self.add("Inventory", number, column, f"{column} '{value}' must be 1, 2 or 3 (4.5).")
                elif kind is not None and _text(value) is not None:
                    self.add("Inventory", number, column, f"{column} must be empty for a project that is not an "
                             "emergency shelter (4.5).")
            start, end = as_date(row.get("InventoryStartDate")), as_date(row.get("InventoryEndDate"))
            if kind in (0, 1) and as_int(row.get("Availability")) == 2 and _text(row.get("InventoryEndDate")) is None:
                self.add("Inventory", number, "InventoryEndDate", "Seasonal beds (Availability 2) need an end date.",
                         flag=791)
            if start and end and end < start:
                self.add("Inventory", number, "InventoryEndDate", "InventoryEndDate is before InventoryStartDate.",
                         flag=784)
            # 4.5: InventoryStartDate < ReportEnd; read leniently as on or before ReportEnd (a HIC counts the beds
            # of the count's date)
            if start and self.end and start > self.end:
                self.add("Inventory", number, "InventoryStartDate", f"The inventory starts {start:%Y-%m-%d}, after the "
                         "report period; only inventory active in the period is exported (4.5).")
            if end and self.start and end < self.start:
                self.add("Inventory", number, "InventoryEndDate", f"The inventory ended {end:%Y-%m-%d}, before the "
                         "report period; only inventory active in the period is exported (4.5).")
            coc = _text(row.get("CoCCode"))
            if coc and self.coc and coc != self.coc:
                self.add("Inventory", number, "CoCCode", f"CoCCode {coc} is not the report's CoC {self.coc} (4.5).")
            if kind == 13 and subtype == 1:
                self.add("Inventory", number, "ProjectID", f"Project {project_id} is RRH services-only, which has no "
                         "inventory in the LSA (4.5).")
        for project, row in self._active_projects():
            if project not in stocked and not (as_int(row.get("ProjectType")) == 13
                                               and as_int(row.get("RRHSubType")) == 1):
                self.add("Inventory", None, "ProjectID", f"{_text(row.get('ProjectName')) or project} is active in the "
                         "report period but has no inventory record; HDX requires at least one (4.5).")

    def participation(self):
        """4.6: HMIS participation documented for every day of the report period on which the project operated.
        A status end date is read as the last day covered (the reading that asks least)."""
        self._unknown_projects("HMISParticipation")
        spans = defaultdict(list)
        for number, row in enumerate(self.files["HMISParticipation"], start=1):
            kind = row.get("HMISParticipationType")
            if _text(kind) is not None and as_int(kind) not in (0, 1, 2):
                self.add("HMISParticipation", number, "HMISParticipationType", f"HMISParticipationType '{kind}' must "
                         "be 0, 1 or 2.")
            start = _day(row.get("HMISParticipationStatusStartDate"))
            end = _day(row.get("HMISParticipationStatusEndDate"))
            if start:
                spans[_text(row.get("ProjectID"))].append((start, end or date.max))
        if not (self.start and self.end):
            return
        for project, row in self._active_projects():
            first = max(self.start, as_date(row.get("OperatingStartDate")) or self.start)
            last = self.end
            end = as_date(row.get("OperatingEndDate"))
            if end:
                last = min(last, end - timedelta(days=1))
            gap = _first_uncovered(first, last, spans.get(project, []))
            if gap:
                self.add("HMISParticipation", None, "ProjectID", f"{_text(row.get('ProjectName')) or project} has no "
                         f"HMIS participation record for {gap:%Y-%m-%d}, a day it operated in the report period (4.6).")

    def affiliations(self):
        """4.7: Affiliation rows belong to RRH services-only projects with ResidentialAffiliation 1 and name a
        residential project; each such project active in the period has at least one. The residential project
        may be outside Project.csv (another CoC's, or not a continuum project): then it is only a warning."""
        self._unknown_projects("Affiliation")
        affiliated = set()
        for number, row in enumerate(self.files["Affiliation"], start=1):
            project_id, residence = _text(row.get("ProjectID")), _text(row.get("ResProjectID"))
            affiliated.add(project_id)
            project = self.projects.get(project_id)
            if project and not (as_int(project.get("ProjectType")) == 13 and as_int(project.get("RRHSubType")) == 1
                                and as_int(project.get("ResidentialAffiliation")) == 1):
                self.add("Affiliation", number, "ProjectID", f"Project {project_id} is not an RRH services-only project "
                         "with a residential affiliation (RRHSubType 1, ResidentialAffiliation 1) (4.7).")
            if not residence:
                continue
            home = self.projects.get(residence)
            if home is None:
                self.add("Affiliation", number, "ResProjectID", f"ResProjectID {residence} is not in Project.csv, so "
                         "it cannot be seen to be a residential project.", blocking=False)
            elif not _residential(home):
                self.add("Affiliation", number, "ResProjectID", f"ResProjectID {residence} is not a residential "
                         "project (ES, SH, TH, PSH, OPH or RRH with housing).")
        for project, row in self._active_projects():
            if (as_int(row.get("ProjectType")) == 13 and as_int(row.get("RRHSubType")) == 1
                    and as_int(row.get("ResidentialAffiliation")) == 1 and project not in affiliated):
                self.add("Affiliation", None, "ProjectID", f"{_text(row.get('ProjectName')) or project} has a "
                         "residential affiliation but no Affiliation record; HDX requires at least one (4.7).")


_INT_OR_NONE = {int, type(None)}


def _integers(row: dict) -> dict:
    """The row's values as integers, None where a value is missing or not a whole number. A row of integers and
    NULLs (as the SQL steps give them) is taken as it is."""
    if set(map(type, row.values())) <= _INT_OR_NONE:
        return row
    return {c: v if type(v) is int else as_int(v) for c, v in row.items()}


def _distinct_values(rows, columns) -> dict:
    """column -> the set of its values over the rows, read column-wise in one pass."""
    try:
        return {c: set(map(itemgetter(c), rows)) for c in columns}
    except KeyError:  # a row without a column (reported by shape())
        return {c: {r.get(c) for r in rows} for c in columns}


def _person_population_problems(r, families):
    """(column, message, flag, kind) for one LSAPerson row's population columns (flags 114-260)."""
    for g, index, population, reference, unserved_flags, type_flags in families:
        ref_col, col = f"{reference}{g}", f"{population}{g}"
        ref, value = r.get(ref_col), r.get(col)
        if ref is None or value is None:
            continue
        what = POPULATION_WORDS[population]
        if ref == -1:
            if value > -1:
                yield (col, f"{ref_col} is -1 ({REFERENCE_WORDS[reference]} {GROUP_WORDS[g]}) but {col} says they "
                       f"were {what} there.", unserved_flags[index], f"{col}{reference}-1")
            continue
        for hh_type in sorted(household_types(value) - household_types(ref)):
            flags = type_flags.get(hh_type)
            yield (col, f"{col} ({value}) says they were {what} in {TYPE_WORDS[hh_type]} households in "
                   f"{GROUP_WORDS[g]}, but {ref_col} ({ref}) has no such household type.",
                   flags[index] if flags else None, f"{col}{reference}{hh_type}")


def _residential(project) -> bool:
    kind = as_int(project.get("ProjectType"))
    return kind in RESIDENTIAL_TYPES or (kind == 13 and as_int(project.get("RRHSubType")) == 2)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _first_uncovered(first: date, last: date, spans) -> date | None:
    """The first day in [first, last] no span (start, end inclusive) covers, or None."""
    day = first
    for start, end in sorted(spans):
        if day > last:
            return None
        if start > day:
            return day
        if end >= day:
            if end == date.max:
                return None
            day = end + timedelta(days=1)
    return day if day <= last else None


def _cell_words(universe, hh_type, population, project) -> str:
    where = f"project {project}" if project else f"Universe {universe}"
    return f"{where}, HHType {hh_type}, Population {population}"


def _place_words(universe, project) -> str:
    if project is not None:
        return f"Project {project}"
    return f"{UNIVERSE_WORDS.get(universe, 'Universe')} (Universe {universe})"


def _cell(cohort, hh_type) -> str:
    return f"Cohort {cohort}, HHType {hh_type}"


def _head_words(key) -> str:
    hh_type, served, air, race = key
    groups = [GROUP_WORDS[g] for g, s in zip(("EST", "RRH", "PSH"), served, strict=True) if s]
    residing = [GROUP_WORDS[g] for g, s in zip(("EST", "RRH", "PSH"), air, strict=True) if s]
    return (f"{TYPE_WORDS[hh_type].capitalize()} households served in {' and '.join(groups)}"
            f"{', active in residence in ' + ' and '.join(residing) if residing else ''}, head's RaceEthnicity {race}")
