"""HUD's lists of valid values for the LSA upload's columns (issue 20, rule H4).

Source: HUD's LSA data dictionary in abtassociates/LSASampleCode, the FY2025 LSA submitted in FY2026:
- "Other Documentation/LSA Data Dictionary - Lists.csv": each list's id, name and values (LISTS below keeps
  HUD's list ids and names);
- "Other Documentation/LSA Data Dictionary - Columns.csv", column "List": which list each column takes
  (COLUMN_LISTS below).
HDX 2.0 refuses a value outside its column's list: flag 112 ("Valid Values", Upload Error: "There is an
invalid value for the following field. See the LSA Dictionary for a list of valid values.";
"Full Flag List for Vendors September 2026.csv"). checks.py applies these lists to the built files.

One reading beside the dictionary: ReportRow 921 (10.20, night-by-night enrollments without bed nights) is
in the LSA Programming Specifications (docs/10 - LSACalculated Data Quality Counts.md) but not yet in the
dictionary's ReportRow list; the specification is followed.
"""

from itertools import combinations


def _span(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


def _race_ethnicity() -> frozenset:
    """List 6, RaceEthnicityLSA: every combination of the seven categories (1 American Indian, Alaska Native,
    or Indigenous; 2 Asian or Asian American; 3 Black, African American, or African; 4 Native Hawaiian or
    Pacific Islander; 5 White; 6 Hispanic/Latina/o; 7 Middle Eastern or North African), written as the
    category digits in ascending order (1, 12, 1234567...), and 98 / 99."""
    codes = {98, 99}
    for size in range(1, 8):
        codes |= {int("".join(map(str, combo))) for combo in combinations(range(1, 8), size)}
    return frozenset(codes)


def _populations() -> frozenset:
    """List 32, Population (LSACalculated): the single populations and the household-type-by-characteristic
    combinations, as the dictionary lists them."""
    codes = {0} | _span(10, 48) | _span(50, 77) | _span(86, 97)
    codes |= {1015, 1048} | _span(1018, 1044)
    codes |= {1115, 1148, 1190, 1191} | _span(1118, 1144)
    codes |= {1215, 1248, 1290, 1291} | _span(1218, 1244)
    codes |= {1315, 1347, 1348} | _span(1318, 1345)
    codes |= {1415, 1448} | _span(1418, 1445)
    codes |= _span(1519, 1548)
    for prefix in (50, 51, 52):  # veteran, parenting youth 18-24, parenting child: by characteristic
        codes |= _span(prefix * 100 + 53, prefix * 100 + 77) | {prefix * 100 + 97}
    return frozenset(codes)


LIVING_SITUATIONS = frozenset({-1, 98, 99, 101, 116, 118, 204, 205, 206, 207, 215, 225, 302, 314, 329, 332, 335,
                               336, 410, 411, 419, 420, 421, 428, 431, 433, 434, 436, 437, 438, 439, 440})
DESTINATIONS = frozenset({-1, 24, 98, 99, 101, 116, 118, 204, 205, 206, 207, 215, 225, 302, 312, 313, 314, 327,
                          329, 332, 410, 411, 419, 420, 421, 422, 423, 426, 428, 431, 433, 434, 436, 437, 438, 439,
                          440})

# HUD's list id -> (list name, valid values)
LISTS: dict[int, tuple[str, frozenset]] = {
    1: ("LSAScope", frozenset({1, 2, 3})),
    2: ("Stat", frozenset({1, 2, 3, 4, 5})),
    3: ("ReturnTime", frozenset({-1, 30, 60, 90, 180, 365, 547, 730})),
    4: ("HHType", frozenset({1, 2, 3, 99})),
    5: ("NoYes", frozenset({0, 1})),
    6: ("RaceEthnicityLSA", _race_ethnicity()),
    8: ("ZeroToThree", frozenset({0, 1, 2, 3})),
    9: ("HHAdultAge", frozenset({-1, 18, 24, 25, 55})),
    10: ("ProjectGroupStatus", frozenset({0, 2, 11, 12, 21, 22})),
    11: ("MoveInStatus", frozenset({-1, 0, 1, 2})),
    12: ("LOTHDays", frozenset({0, 7, 30, 60, 90, 180, 365, 547, 730, 1094, 1095})),
    13: ("GeographyLSA", frozenset({-1, 1, 2, 3, 99})),
    14: ("LivingSitLSA", LIVING_SITUATIONS),
    15: ("DestinationLSA", DESTINATIONS),
    16: ("TimeHousedInPSH", frozenset({0, 3, 6, 12, 24, 36, 48, 60, 84, 120, 121})),
    17: ("SystemPath", frozenset({-1, *range(1, 13)})),
    18: ("AgeGroupLSA", frozenset({-1, 0, 2, 5, 17, 21, 24, 34, 44, 54, 64, 65, 98, 99})),
    20: ("NoYesOthersLSA", frozenset({-1, 0, 1, 98, 99})),
    21: ("CHTime", frozenset({-1, 0, 270, 365, 400})),
    22: ("CHTimeStatus", frozenset({-1, 1, 2, 3, 99})),
    23: ("DVStatus", frozenset({-1, 0, 1, 2, 3, 98, 99})),
    24: ("HHTypeCombos", frozenset({-1, 1, 2, 3, 9, 12, 13, 19, 23, 29, 39, 123, 129, 139, 239, 1239})),
    25: ("HHTypeCombosNoCO", frozenset({-1, 1, 2, 9, 12, 19, 29, 129})),
    27: ("ExitCohorts", frozenset({-2, -1, 0})),
    28: ("ExitFrom", frozenset(range(2, 11))),
    29: ("CohortsAll", frozenset({-2, -1, 0, 1, 10, 11, 12, 13})),
    30: ("Universe", frozenset({-1, 2, 3, 4, *range(10, 19)})),
    31: ("HHTypeCalc", frozenset({0, 1, 2, 3, 99})),
    32: ("Population", _populations()),
    33: ("ReportRow", frozenset(_span(1, 16) | _span(18, 36) | _span(53, 57) | _span(63, 66) | _span(101, 136)
                                | _span(901, 921))),
    34: ("ProjectType", frozenset({0, 1, 2, 3, 8, 9, 10, 13})),
    35: ("RRHSubType", frozenset({1, 2})),
    36: ("TargetPopulation", frozenset({1, 3, 4})),
    37: ("HousingType", frozenset({1, 2, 3})),
    38: ("Funder", frozenset({*range(1, 12), *range(13, 28), 29, 30, *range(33, 49), *range(50, 57)})),
    39: ("HHTypeHMIS", frozenset({1, 3, 4})),
    40: ("Availability", frozenset({1, 2, 3})),
    41: ("BedType", frozenset({1, 2, 3})),
    42: ("GeographyType", frozenset({1, 2, 3, 99})),
    43: ("HHChronic", frozenset({0, 1, 2, 3, 4, 5, 6, 9})),
    44: ("NoYesNA", frozenset({-1, 0, 1})),
    45: ("NoYesHOPWA", frozenset({0, 1, 2})),
    47: ("HMISParticipationType", frozenset({0, 1, 2})),
    48: ("HHFleeingDV", frozenset({0, 1, 2, 3})),
}


def _household_columns() -> dict[str, int]:
    columns = {"Stat": 2, "ReturnTime": 3, "HHType": 4, "HHChronic": 43, "HHVet": 5, "HHDisability": 5,
               "HHFleeingDV": 48, "HoHRaceEthnicity": 6, "HHAdult": 8, "HHChild": 8, "HHNoDOB": 8,
               "HHAdultAge": 9, "HHParent": 5, "SystemPath": 17, "RRHSOStatus": 10, "RRHSOMoveIn": 11}
    for g in ("EST", "RRH", "PSH"):
        columns.update({f"{g}Status": 10, f"{g}Geography": 13, f"{g}LivingSit": 14, f"{g}Destination": 15,
                        f"{g}Chronic": 5, f"{g}Vet": 5, f"{g}Disability": 5, f"{g}FleeingDV": 48, f"{g}AC3Plus": 5,
                        f"{g}AdultAge": 9, f"{g}Parent": 5, f"{g}AIR": 5})
    columns.update({"RRHMoveIn": 11, "PSHMoveIn": 11, "RRHPreMoveInDays": 12, "PSHHousedDays": 16})
    for days in ("ESDays", "THDays", "ESTDays", "RRHPSHPreMoveInDays", "RRHHousedDays", "SystemDaysNotPSHHoused",
                 "SystemHomelessDays", "Other3917Days", "TotalHomelessDays"):
        columns[days] = 12
    return columns


def _person_columns() -> dict[str, int]:
    columns = {"RaceEthnicity": 6, "VetStatus": 20, "DisabilityStatus": 20, "CHTime": 21, "CHTimeStatus": 22,
               "DVStatus": 23, "RRHSOAgeMin": 18, "RRHSOAgeMax": 18, "HHTypeRRHSONoMI": 24, "HHTypeRRHSOMI": 24,
               "HHTypeES": 24, "HHTypeSH": 24, "HHTypeTH": 24, "HIV": 44, "SMI": 44, "SUD": 44}
    for g in ("EST", "RRH", "PSH"):
        columns.update({f"{g}AgeMin": 18, f"{g}AgeMax": 18, f"HHType{g}": 24, f"HoH{g}": 24, f"Adult{g}": 25,
                        f"AIRAdult{g}": 25, f"HHChronic{g}": 24, f"HHVet{g}": 25, f"HHDisability{g}": 24,
                        f"HHFleeingDV{g}": 24, f"HHAdultAgeAO{g}": 9, f"HHAdultAgeAC{g}": 9, f"HHParent{g}": 24,
                        f"AC3Plus{g}": 44, f"AIR{g}": 24, f"AIRHoH{g}": 24})
    return columns


# file -> column -> HUD's list id (Columns.csv, column "List")
COLUMN_LISTS: dict[str, dict[str, int]] = {
    "LSAReport": {"LSAScope": 1},
    "LSAHousehold": _household_columns(),
    "LSAPerson": _person_columns(),
    "LSAExit": {"Cohort": 27, "Stat": 2, "ExitFrom": 28, "ExitTo": 15, "ReturnTime": 3, "HHType": 4, "HHVet": 5,
                "HHChronic": 43, "HHDisability": 5, "HHFleeingDV": 48, "HoHRaceEthnicity": 6, "HHAdultAge": 9,
                "HHParent": 5, "AC3Plus": 5, "SystemPath": 17},
    "LSACalculated": {"Cohort": 29, "Universe": 30, "HHType": 31, "Population": 32, "SystemPath": 17,
                      "ReportRow": 33},
    "Organization": {"VictimServiceProvider": 5},
    "Project": {"ProjectType": 34, "HousingType": 37, "RRHSubType": 35, "ResidentialAffiliation": 5,
                "TargetPopulation": 36, "HOPWAMedAssistedLivingFac": 45},
    "Funder": {"Funder": 38},
    "ProjectCoC": {"GeographyType": 42},
    "Inventory": {"HouseholdType": 39, "Availability": 40, "ESBedType": 41},
    "HMISParticipation": {"HMISParticipationType": 47},
}


def valid_values(file: str, column: str) -> frozenset | None:
    """The values HUD's dictionary allows in file.column, or None for a column without a list."""
    list_id = COLUMN_LISTS.get(file, {}).get(column)
    return LISTS[list_id][1] if list_id is not None else None


def list_name(file: str, column: str) -> str | None:
    list_id = COLUMN_LISTS.get(file, {}).get(column)
    return LISTS[list_id][0] if list_id is not None else None
