"""Issue 20: LSACalculated averages (LSA spec section 8, sql/08_averages.sql) and counts (section 9,
sql/09_counts.sql), checked on hand-made rows of the temporary tables they read (tlsa_Household, tlsa_Exit,
tlsa_HHID, tlsa_Enrollment, tlsa_Person...), so each expected value follows from the spec alone.

The tables are created here with the columns of HUD's "LSA Temporary and Reference Tables" that sections 8
and 9 read (bit columns boolean, as 03_core.sql makes them); the report period is 10/01/2025 - 09/30/2026.
"""

from datetime import date

import pytest
from django.db import connection

from agencies.models import ProjectCoc
from reports.hud.lsa import layout, pipeline
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, nbn_shelter, person, stay

pytestmark = pytest.mark.django_db

START, END = date(2025, 10, 1), date(2026, 9, 30)
SQL = pipeline.SQL_DIR

HOUSEHOLD = {
    "HoHID": "varchar(32)", "HHType": "int", "Stat": "int", "HHChronic": "int", "HHVet": "int",
    "HHDisability": "int", "HHFleeingDV": "int", "HoHRaceEthnicity": "int", "HHAdult": "int", "HHChild": "int",
    "HHAdultAge": "int", "HHParent": "int", "RRHStatus": "int", "RRHMoveIn": "int", "RRHPreMoveInDays": "int",
    "PSHStatus": "int", "PSHMoveIn": "int", "PSHHousedDays": "int", "ESDays": "int", "THDays": "int",
    "ESTDays": "int", "RRHPSHPreMoveInDays": "int", "RRHHousedDays": "int", "SystemDaysNotPSHHoused": "int",
    "SystemHomelessDays": "int", "Other3917Days": "int", "TotalHomelessDays": "int", "SystemPath": "int",
    "ReportID": "int"}
HOUSEHOLD_DEFAULTS = {"HHType": 1, "Stat": 5, "HHChronic": 0, "HHVet": 0, "HHDisability": 0, "HHFleeingDV": 0,
                      "HoHRaceEthnicity": 5, "HHAdult": 1, "HHChild": 0, "HHAdultAge": 25, "HHParent": 0,
                      "RRHStatus": 0, "RRHMoveIn": -1, "RRHPreMoveInDays": 0, "PSHStatus": 0, "PSHMoveIn": -1,
                      "PSHHousedDays": 0, "ESDays": 0, "THDays": 0, "ESTDays": 0, "RRHPSHPreMoveInDays": 0,
                      "RRHHousedDays": 0, "SystemDaysNotPSHHoused": 0, "SystemHomelessDays": 0, "Other3917Days": 0,
                      "TotalHomelessDays": 0, "SystemPath": -1, "ReportID": 1}
EXIT = {
    "HoHID": "varchar(32)", "HHType": "int", "QualifyingExitHHID": "varchar(32)", "Cohort": "int", "Stat": "int",
    "ExitFrom": "int", "ExitTo": "int", "ReturnTime": "int", "HHVet": "int", "HHChronic": "int",
    "HHDisability": "int", "HHFleeingDV": "int", "HoHRaceEthnicity": "int", "HHAdultAge": "int", "HHParent": "int",
    "AC3Plus": "int", "SystemPath": "int", "ReportID": "int"}
EXIT_DEFAULTS = {"HHType": 1, "Cohort": 0, "Stat": 5, "ExitFrom": 2, "ExitTo": 410, "ReturnTime": -1, "HHVet": 0,
                 "HHChronic": 0, "HHDisability": 0, "HHFleeingDV": 0, "HoHRaceEthnicity": 5, "HHAdultAge": 25,
                 "HHParent": 0, "AC3Plus": 0, "SystemPath": 1, "ReportID": 1}
HHID = {
    "HouseholdID": "varchar(32)", "HoHID": "varchar(32)", "EnrollmentID": "varchar(32)", "ProjectID": "varchar(32)",
    "LSAProjectType": "int", "EntryDate": "date", "MoveInDate": "date", "ExitDate": "date", "ActiveHHType": "int",
    "Active": "boolean", "AIR": "boolean", "HHChronic": "int", "HHVet": "int", "HHDisability": "int",
    "HHFleeingDV": "int", "HHAdultAge": "int", "HHParent": "int", "AC3Plus": "int"}
HHID_DEFAULTS = {"LSAProjectType": 0, "ActiveHHType": 1, "Active": True, "AIR": True, "HHChronic": 0, "HHVet": 0,
                 "HHDisability": 0, "HHFleeingDV": 0, "HHAdultAge": 25, "HHParent": 0, "AC3Plus": 0}
ENROLLMENT = {
    "EnrollmentID": "varchar(32)", "PersonalID": "varchar(32)", "HouseholdID": "varchar(32)",
    "RelationshipToHoH": "int", "ProjectID": "varchar(32)", "LSAProjectType": "int", "EntryDate": "date",
    "MoveInDate": "date", "ExitDate": "date", "ActiveAge": "int", "Active": "boolean", "AIR": "boolean",
    "PITOctober": "boolean", "PITJanuary": "boolean", "PITApril": "boolean", "PITJuly": "boolean"}
ENROLLMENT_DEFAULTS = {"RelationshipToHoH": 1, "LSAProjectType": 0, "EntryDate": date(2025, 9, 1), "ActiveAge": 34,
                       "Active": True, "AIR": True}
PERSON = {"PersonalID": "varchar(32)", "RaceEthnicity": "int", "VetStatus": "int", "DisabilityStatus": "int",
          "CHTime": "int", "CHTimeStatus": "int", "DVStatus": "int"}
PERSON_DEFAULTS = {"RaceEthnicity": 5, "VetStatus": 0, "DisabilityStatus": 0, "CHTime": 0, "CHTimeStatus": -1,
                   "DVStatus": 0}


def _table(cursor, name, columns, defaults, rows):
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    for row in rows:
        values = defaults | row
        names = list(values)
        cursor.execute(f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                       [values[n] for n in names])


def run(*, scope=1, start=START, end=END, households=(), exits=(), hhids=(), enrollments=(), persons=(),
        projects=(), participations=()):
    """prepare (views, lsa_Report), the hand-made section 3-7 tables, then 08 and 09; lsa_Calculated's rows."""
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=start, end=end, scope=scope))
        cursor.execute("DROP TABLE IF EXISTS tlsa_CohortDates")
        cursor.execute("CREATE TEMP TABLE tlsa_CohortDates (Cohort int, CohortStart date, CohortEnd date, "
                       "LookbackDate date, ReportID int)")
        cohorts = [(1, start, end)]
        if scope != 3:  # 3.2: no exit or point-in-time cohorts for the HIC
            cohorts += [(0, start, date(2026, 3, 30)), (-1, date(2024, 10, 1), date(2025, 9, 30)),
                        (-2, date(2023, 10, 1), date(2024, 9, 30)), (10, date(2025, 10, 31), date(2025, 10, 31)),
                        (11, date(2026, 1, 31), date(2026, 1, 31)), (12, date(2026, 4, 30), date(2026, 4, 30)),
                        (13, date(2026, 7, 31), date(2026, 7, 31))]
        for cohort, cohort_start, cohort_end in cohorts:
            cursor.execute("INSERT INTO tlsa_CohortDates VALUES (%s, %s, %s, %s, 1)",
                           [cohort, cohort_start, cohort_end, date(2018, 10, 1)])
        _table(cursor, "tlsa_Household", HOUSEHOLD, HOUSEHOLD_DEFAULTS, households)
        _table(cursor, "tlsa_Exit", EXIT, EXIT_DEFAULTS, exits)
        _table(cursor, "tlsa_HHID", HHID, HHID_DEFAULTS, hhids)
        _table(cursor, "tlsa_Enrollment", ENROLLMENT, ENROLLMENT_DEFAULTS, enrollments)
        _table(cursor, "tlsa_Person", PERSON, PERSON_DEFAULTS, persons)
        _table(cursor, "lsa_Project", {"ProjectID": "varchar(32)", "ProjectType": "int"}, {}, projects)
        _table(cursor, "lsa_HMISParticipation",
               {"ProjectID": "varchar(32)", "HMISParticipationType": "int",
                "HMISParticipationStatusStartDate": "timestamp", "HMISParticipationStatusEndDate": "timestamp"},
               {"HMISParticipationType": 1, "HMISParticipationStatusStartDate": date(2020, 1, 1)}, participations)
        cursor.execute((SQL / "08_averages.sql").read_text())
        cursor.execute((SQL / "09_counts.sql").read_text())
        cursor.execute("SELECT * FROM lsa_Calculated")
        columns = [d.name for d in cursor.description]
        rows = cursor.fetchall()
        cursor.execute("SELECT EnrollmentID, PITOctober, PITJanuary, PITApril, PITJuly FROM tlsa_Enrollment")
        pit = {row[0]: row[1:] for row in cursor.fetchall()}
    return columns, rows, pit


def values(rows):
    """{(ReportRow, Cohort, Universe, HHType, Population, SystemPath, ProjectID): Value}"""
    return {(r[7], r[1], r[2], r[3], r[4], r[5], r[6]): r[0] for r in rows}


def test_h4_lsacalculated_has_hud_columns_in_order():
    """8.1 / data dictionary: Value Cohort Universe HHType Population SystemPath ProjectID ReportRow ReportID, so
    SELECT * is the CSV; with no households nothing is reported (8: averages only over values > 0, counts > 0)."""
    columns, rows, _ = run()
    assert columns == [c.lower() for c in layout.FILES["LSACalculated"]]
    assert rows == []


def test_h4_length_of_time_homeless_averages_rows_1_to_9():
    """Three active households (8.4, 8.5):
    - V1: AO (HHType 1), veteran (HHVet 1), disabled (HHDisability 1), ESDays 10, SystemPath 1 (ES/SH only);
    - A2: AO, ESDays 21, SystemPath 1;
    - F3: AC (HHType 2), ESDays 0, THDays 30, SystemPath 2 (TH only).
    Row 1 (ESDays), All (population 0), HHType 0: the average of the values > 0 only, 10 and 21 = 15.5, rounded
    to 16 (F3's 0 is left out); HHType 1 the same; no HHType 2 row for ESDays (none > 0).
    Row 2 (THDays): 30 for HHType 0 and 2.  Veteran (13): row 1 = 10 for HHType 0 and 1, no HHType 3 (8.3).
    Subpopulation Disabled (18) with parent All: ID 18; with parent Veteran: 1318 (8.3) = 10.
    8.5 by SystemPath: row 1 SystemPath 1 = 16; row 2 SystemPath 2 = 30; row 1 is not reported for SystemPath 2
    (ESDays only for paths 1,3,5,7,9,10,12); subpopulations are not reported by path (8.3)."""
    _, rows, _ = run(households=[
        {"HoHID": "V1", "HHVet": 1, "HHDisability": 1, "ESDays": 10, "SystemPath": 1},
        {"HoHID": "A2", "ESDays": 21, "SystemPath": 1},
        {"HoHID": "F3", "HHType": 2, "HHAdult": 1, "HHChild": 1, "THDays": 30, "SystemPath": 2}])
    got = values(rows)
    assert got[(1, 1, -1, 0, 0, -1, None)] == 16
    assert got[(1, 1, -1, 1, 0, -1, None)] == 16
    assert (1, 1, -1, 2, 0, -1, None) not in got
    assert got[(2, 1, -1, 0, 0, -1, None)] == 30
    assert got[(2, 1, -1, 2, 0, -1, None)] == 30
    assert got[(1, 1, -1, 0, 13, -1, None)] == 10
    assert got[(1, 1, -1, 1, 13, -1, None)] == 10
    assert got[(1, 1, -1, 0, 18, -1, None)] == 10
    assert got[(1, 1, -1, 1, 1318, -1, None)] == 10
    assert got[(1, 1, -1, 0, 0, 1, None)] == 16
    assert got[(2, 1, -1, 0, 0, 2, None)] == 30
    assert (1, 1, -1, 0, 0, 2, None) not in got
    assert not any(k[4] == 1318 and k[5] != -1 for k in got)
    assert {r[8] for r in rows} == {1}  # ReportID = lsa_Report.ReportID


def test_h4_psh_and_rrh_averages_rows_10_to_16():
    """8.6 / 8.7 (population All, HHType 0):
    - R1: RRHStatus 12 (exited), RRHMoveIn 0 (never moved in), RRHPreMoveInDays 40 -> row 12 = 40;
    - R2: RRHStatus 21 (active at report end), RRHMoveIn 1, RRHPreMoveInDays 10, RRHHousedDays 100 ->
      row 14 (start to move-in, RRHStatus > 2 and moved in) = 10, row 16 (move-in to report end) = 100;
    - P3: PSHStatus 11, PSHMoveIn 2, PSHHousedDays 365 -> row 11 = 365; row 10 (exited) absent.
    R1's 40 is not in row 14 (no move-in) and R2's 10 not in row 12 (not exited)."""
    _, rows, _ = run(households=[
        {"HoHID": "R1", "RRHStatus": 12, "RRHMoveIn": 0, "RRHPreMoveInDays": 40},
        {"HoHID": "R2", "RRHStatus": 21, "RRHMoveIn": 1, "RRHPreMoveInDays": 10, "RRHHousedDays": 100},
        {"HoHID": "P3", "PSHStatus": 11, "PSHMoveIn": 2, "PSHHousedDays": 365}])
    got = values(rows)
    assert got[(12, 1, -1, 0, 0, -1, None)] == 40
    assert got[(14, 1, -1, 0, 0, -1, None)] == 10
    assert got[(16, 1, -1, 0, 0, -1, None)] == 100
    assert got[(11, 1, -1, 0, 0, -1, None)] == 365
    assert (10, 1, -1, 0, 0, -1, None) not in got
    assert (13, 1, -1, 0, 0, -1, None) not in got
    assert (15, 1, -1, 0, 0, -1, None) not in got


def test_h4_days_to_return_averages_by_exit_cohort_universe_and_destination():
    """tlsa_Exit (8.8 - 8.11), AO households:
    - E1: Cohort 0, exited ES (ExitFrom 2) to rental (ExitTo 410, permanent -> Universe 2), returned after 100
      days, SystemPath 1, Stat 2;
    - E2: the same with ReturnTime 201, Stat 1 (first time homeless, subpopulation 20);
    - E3: Cohort -1, exited TH (ExitFrom 3) to ES (101, temporary -> Universe 3), back after 30 days, path 2;
    - E4: Cohort 0, ES to 410, no return (ReturnTime -1): left out of every average.
    Cohort 0, Universe 2: row 18 (from ES) = (100 + 201) / 2 = 150.5 -> 151; row 117 (ExitTo 410) = 151;
    row 24 (SystemPath 1, SystemPath column 1) = 151; row 36 (any path, SystemPath -1) = 151; row 23 = 151.
    Row 23 subpopulation 20 (Stat 1) = 201; subpopulation 21 (Stat 2) is not reported in row 23 (8.3).
    Cohort -1, Universe 3: row 19 (from TH) = 30, row 101 (ExitTo 101) = 30, row 25 (path 2) = 30."""
    _, rows, _ = run(exits=[
        {"HoHID": "E1", "ReturnTime": 100, "Stat": 2},
        {"HoHID": "E2", "ReturnTime": 201, "Stat": 1},
        {"HoHID": "E3", "Cohort": -1, "ExitFrom": 3, "ExitTo": 101, "ReturnTime": 30, "SystemPath": 2},
        {"HoHID": "E4"}])
    got = values(rows)
    assert got[(18, 0, 2, 0, 0, -1, None)] == 151
    assert got[(18, 0, 2, 1, 0, -1, None)] == 151
    assert got[(117, 0, 2, 0, 0, -1, None)] == 151
    assert got[(24, 0, 2, 0, 0, 1, None)] == 151
    assert got[(36, 0, 2, 0, 0, -1, None)] == 151
    assert got[(23, 0, 2, 0, 0, -1, None)] == 151
    assert got[(23, 0, 2, 0, 20, -1, None)] == 201
    assert not any(k[0] == 23 and k[4] == 21 for k in got)
    assert got[(19, -1, 3, 0, 0, -1, None)] == 30
    assert got[(101, -1, 3, 0, 0, -1, None)] == 30
    assert got[(25, -1, 3, 0, 0, 2, None)] == 30
    assert not any(k[1] == 0 and k[2] == 3 for k in got)


def test_h4_hic_has_no_averages():
    """Section 8 is required only when LSAScope <> 3: a HIC run reports no averages even with households."""
    _, rows, _ = run(scope=3, start=date(2026, 1, 28), end=date(2026, 1, 28),
                     households=[{"HoHID": "V1", "ESDays": 10, "SystemPath": 1}],
                     exits=[{"HoHID": "E1", "ReturnTime": 100}])
    assert rows == []


def test_h4_point_in_time_cohorts(tenancy):
    """9.2, PIT dates 10/31/2025 (10), 1/31/2026 (11), 4/30/2026 (12), 7/31/2026 (13), AIR enrollments only:
    - ES-EE entered 10/15/2025, no exit: in all four (EntryDate <= each date);
    - TH entered 9/1/2025, exited 1/31/2026: October only (ExitDate must be > the date, 1/31 is not);
    - RRH entered 9/1/2025, moved in 2/1/2026: April and July only (MoveInDate <= the date);
    - ES-NbN entered 10/1/2025 with bed nights 1/31/2026 and 4/29/2026: January only (a bed night ON the date);
    - an ES-EE enrollment that is not AIR: none."""
    t = tenancy
    nbn = stay(t, person(t, "Nina"), nbn_shelter(t), "HN", date(2025, 10, 1))
    bed_nights(t, nbn, date(2026, 1, 31), date(2026, 4, 29))
    _, _, pit = run(
        hhids=[{"HouseholdID": h, "HoHID": h, "ProjectID": "P", "LSAProjectType": pt}
               for h, pt in (("HE", 0), ("HT", 2), ("HR", 13), ("HN", 1), ("HX", 0))],
        enrollments=[
            {"EnrollmentID": "E-ES", "PersonalID": "HE", "HouseholdID": "HE", "EntryDate": date(2025, 10, 15)},
            {"EnrollmentID": "E-TH", "PersonalID": "HT", "HouseholdID": "HT", "LSAProjectType": 2,
             "ExitDate": date(2026, 1, 31)},
            {"EnrollmentID": "E-RRH", "PersonalID": "HR", "HouseholdID": "HR", "LSAProjectType": 13,
             "MoveInDate": date(2026, 2, 1)},
            {"EnrollmentID": nbn.enrollment_id, "PersonalID": "HN", "HouseholdID": "HN", "LSAProjectType": 1,
             "EntryDate": date(2025, 10, 1)},
            {"EnrollmentID": "E-X", "PersonalID": "HX", "HouseholdID": "HX", "AIR": False}])
    assert pit["E-ES"] == (True, True, True, True)
    assert pit["E-TH"] == (True, False, False, False)
    assert pit["E-RRH"] == (False, False, True, True)
    assert pit[nbn.enrollment_id] == (False, True, False, False)
    assert pit["E-X"] == (False, False, False, False)


def test_h4_people_and_household_counts_rows_53_to_55():
    """9.3 / 9.4, active cohort (1) = AIR enrollments:
    - household HV in ES project PE: veteran (HHVet 1) AO HoH "vet" (VetStatus 1, RaceEthnicity 3) alone;
    - household HF in ES project PE: AC parenting youth (HHParent 1, HHAdultAge 18): HoH "mom" (ActiveAge 21) and
      child "kid" (ActiveAge 2);
    - household HT in TH project PT: "vet" again, AO, veteran;
    - household HN in ES project PE: not AIR, never counted.
    Row 53 (people), Universe 10, project PE, All, HHType 0 = 3 (vet, mom, kid); project PT = 1.
    Universe 16 (ES/SH/TH unduplicated) = 3: vet is in ES and TH but counted once; Universe 11 (ES) = 3,
    Universe 13 (TH) = 1.  Row 54 (households = HoHID/ActiveHHType): Universe 16 = 2 (vet/AO counted once,
    mom/AC); HHType 2 = 1.  Veteran households (13), Universe 16, HHType 1: 1 household, 1 person.
    Parenting youth households (12), HHType 2: 2 people (row 53), 1 household (54).
    Row 55 Veteran (50), Universe 16, HHType 0 = 1; by project PE = 1 (50 is required by ProjectID).
    Row 55 Parenting Youth (51), Universe 11, HHType 2 = 1 (the parent, not the child); not by project.
    Row 55 age 1-2 (87, maximum ActiveAge 2) Universe 11 HHType 2 = 1; 1290 (age 18-21 in a parenting youth
    household) = 1 for PE; 5060 (veteran x Black only) Universe 16 HHType 0 = 1."""
    _, rows, _ = run(
        hhids=[
            {"HouseholdID": "HV", "HoHID": "vet", "ProjectID": "PE", "HHVet": 1},
            {"HouseholdID": "HF", "HoHID": "mom", "ProjectID": "PE", "ActiveHHType": 2, "HHParent": 1,
             "HHAdultAge": 18},
            {"HouseholdID": "HT", "HoHID": "vet", "ProjectID": "PT", "LSAProjectType": 2, "HHVet": 1},
            {"HouseholdID": "HN", "HoHID": "gone", "ProjectID": "PE", "AIR": False}],
        enrollments=[
            {"EnrollmentID": "1", "PersonalID": "vet", "HouseholdID": "HV", "ProjectID": "PE"},
            {"EnrollmentID": "2", "PersonalID": "mom", "HouseholdID": "HF", "ProjectID": "PE", "ActiveAge": 21},
            {"EnrollmentID": "3", "PersonalID": "kid", "HouseholdID": "HF", "ProjectID": "PE", "ActiveAge": 2,
             "RelationshipToHoH": 2},
            {"EnrollmentID": "4", "PersonalID": "vet", "HouseholdID": "HT", "ProjectID": "PT", "LSAProjectType": 2},
            {"EnrollmentID": "5", "PersonalID": "gone", "HouseholdID": "HN", "ProjectID": "PE", "AIR": False}],
        persons=[{"PersonalID": "vet", "VetStatus": 1, "RaceEthnicity": 3}, {"PersonalID": "mom"},
                 {"PersonalID": "kid"}])
    got = values(rows)
    assert got[(53, 1, 10, 0, 0, -1, "PE")] == 3
    assert got[(53, 1, 10, 0, 0, -1, "PT")] == 1
    assert got[(53, 1, 16, 0, 0, -1, None)] == 3
    assert got[(53, 1, 11, 0, 0, -1, None)] == 3
    assert got[(53, 1, 13, 0, 0, -1, None)] == 1
    assert got[(54, 1, 16, 0, 0, -1, None)] == 2
    assert got[(54, 1, 16, 2, 0, -1, None)] == 1
    assert got[(53, 1, 16, 1, 13, -1, None)] == 1
    assert got[(54, 1, 16, 1, 13, -1, None)] == 1
    assert got[(53, 1, 16, 2, 12, -1, None)] == 2
    assert got[(54, 1, 16, 2, 12, -1, None)] == 1
    assert got[(55, 1, 16, 0, 50, -1, None)] == 1
    assert got[(55, 1, 10, 0, 50, -1, "PE")] == 1
    assert got[(55, 1, 11, 2, 51, -1, None)] == 1
    assert not any(k[0] == 55 and k[2] == 10 and k[4] == 51 for k in got)
    assert got[(55, 1, 11, 2, 87, -1, None)] == 1
    assert got[(55, 1, 10, 2, 1290, -1, "PE")] == 1
    assert got[(55, 1, 16, 0, 5060, -1, None)] == 1
    assert not any(k[2] in (12, 14, 15) for k in got)  # no SH, RRH or PSH enrollments
    assert all(v > 0 for v in got.values())


def test_h4_point_in_time_counts_use_the_pit_cohorts():
    """9.3 cohorts 10-13: an ES-EE stay from 10/15/2025 to 2/15/2026 is in the October and January counts
    (row 53, Universe 11 = 1) and not in April or July (no row)."""
    _, rows, _ = run(
        hhids=[{"HouseholdID": "H", "HoHID": "p", "ProjectID": "PE"}],
        enrollments=[{"EnrollmentID": "1", "PersonalID": "p", "HouseholdID": "H", "ProjectID": "PE",
                      "EntryDate": date(2025, 10, 15), "ExitDate": date(2026, 2, 15)}],
        persons=[{"PersonalID": "p"}])
    got = values(rows)
    assert got[(53, 10, 11, 0, 0, -1, None)] == 1
    assert got[(53, 11, 11, 0, 0, -1, None)] == 1
    assert (53, 12, 11, 0, 0, -1, None) not in got
    assert (53, 13, 11, 0, 0, -1, None) not in got


def test_h4_bed_nights_rows_56_and_57(tenancy):
    """9.5, report period ends 9/30/2026; one chronically homeless veteran "p" (VetStatus 1, DisabilityStatus 1,
    CHTime 365, CHTimeStatus 1):
    - ES-EE project PE from 9/21/2026, no exit: 9/21-9/30 = 10 nights;
    - TH project PT from 9/25/2026, no exit: 6 nights (9/25-9/30), all while also in ES;
    - RRH project PR, moved in 9/28/2026, exited 9/30/2026: 9/28 and 9/29 = 2 (the exit day is not a night);
    - ES-NbN project PN: bed nights 9/1/2026 and 9/2/2026 and one (9/3) after its exit on 9/3: 2.
    Row 56 (All): project PE = 10, PT = 6, PR = 2, PN = 2; Universe 11 (ES) = 12; 13 (TH) = 6; 14 (RRH) = 2;
    16 (ES/SH/TH unduplicated): 9/1, 9/2 and 9/21-9/30 = 12 (the TH nights are already ES nights).
    Row 57 Veteran (50) and Chronically homeless (53), Universe 16 = 12."""
    t = tenancy
    nbn = stay(t, person(t, "Nina"), nbn_shelter(t), "HN", date(2026, 9, 1), date(2026, 9, 3))
    bed_nights(t, nbn, date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 3))
    _, rows, _ = run(
        hhids=[{"HouseholdID": h, "HoHID": "p", "ProjectID": p, "LSAProjectType": pt}
               for h, p, pt in (("HE", "PE", 0), ("HT", "PT", 2), ("HR", "PR", 13), ("HN", "PN", 1))],
        enrollments=[
            {"EnrollmentID": "E", "PersonalID": "p", "HouseholdID": "HE", "ProjectID": "PE",
             "EntryDate": date(2026, 9, 21)},
            {"EnrollmentID": "T", "PersonalID": "p", "HouseholdID": "HT", "ProjectID": "PT", "LSAProjectType": 2,
             "EntryDate": date(2026, 9, 25)},
            {"EnrollmentID": "R", "PersonalID": "p", "HouseholdID": "HR", "ProjectID": "PR", "LSAProjectType": 13,
             "EntryDate": date(2026, 9, 1), "MoveInDate": date(2026, 9, 28), "ExitDate": date(2026, 9, 30)},
            {"EnrollmentID": nbn.enrollment_id, "PersonalID": "p", "HouseholdID": "HN", "ProjectID": "PN",
             "LSAProjectType": 1, "EntryDate": date(2026, 9, 1), "ExitDate": date(2026, 9, 3)}],
        persons=[{"PersonalID": "p", "VetStatus": 1, "DisabilityStatus": 1, "CHTime": 365, "CHTimeStatus": 1}])
    got = values(rows)
    assert got[(56, 1, 10, 0, 0, -1, "PE")] == 10
    assert got[(56, 1, 10, 0, 0, -1, "PT")] == 6
    assert got[(56, 1, 10, 0, 0, -1, "PR")] == 2
    assert got[(56, 1, 10, 0, 0, -1, "PN")] == 2
    assert got[(56, 1, 11, 0, 0, -1, None)] == 12
    assert got[(56, 1, 13, 0, 0, -1, None)] == 6
    assert got[(56, 1, 14, 0, 0, -1, None)] == 2
    assert got[(56, 1, 16, 0, 0, -1, None)] == 12
    assert got[(56, 1, 16, 1, 0, -1, None)] == 12
    assert got[(57, 1, 16, 0, 50, -1, None)] == 12
    assert got[(57, 1, 16, 0, 53, -1, None)] == 12
    assert got[(57, 1, 10, 1, 53, -1, "PE")] == 10


def test_h4_hic_counts_people_in_oph_on_the_count_date(tenancy):
    """9.6, HIC (LSAScope 3) on 1/28/2026, OPH project (ProjectType 9) participating in HMIS:
    - household O1: HoH entered 1/1/2026, moved in 1/10/2026, with a child entered 1/1/2026: 2 people;
    - household O2: HoH entered 1/1/2026, moved in 1/29/2026 (after the count date): not counted;
    - household O3: HoH moved in 1/5/2026 but exited 1/28/2026 (not > the date): not counted.
    Row 53, Cohort 1, Universe 10, HHType 0, Population 0, ProjectID = the OPH project = 2."""
    t = tenancy
    oph = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Housing Only", project_type=9)
    jan1 = date(2026, 1, 1)
    stay(t, person(t, "Olga"), oph, "O1", jan1, move_in_date=date(2026, 1, 10))
    stay(t, person(t, "Otto", date(2015, 1, 1)), oph, "O1", jan1, head=False)
    stay(t, person(t, "Omar"), oph, "O2", jan1, move_in_date=date(2026, 1, 29))
    stay(t, person(t, "Opal"), oph, "O3", jan1, date(2026, 1, 28), move_in_date=date(2026, 1, 5))
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=date(2026, 1, 28), end=date(2026, 1, 28)))
        cursor.execute("SELECT ProjectID FROM hmis_Project WHERE ProjectName = 'A Housing Only'")
        project_id = cursor.fetchone()[0]
    _, rows, _ = run(scope=3, start=date(2026, 1, 28), end=date(2026, 1, 28),
                     projects=[{"ProjectID": project_id, "ProjectType": 9}],
                     participations=[{"ProjectID": project_id}])
    assert values(rows) == {(53, 1, 10, 0, 0, -1, project_id): 2}


def test_h4_sections_3_to_9_together_count_a_shelter_stay(tenancy):
    """The whole chain (03-09 on real records): Ann (born 1980) enters A Shelter (ES entry-exit, LSAProjectType 0)
    alone on 9/21/2026 and is still there at the report end 9/30/2026.  She is AIR (5.2), so row 53 (people),
    Cohort 1, Universe 10 (A Shelter) and 11 (ES), All, HHType 0 and 1 (AO) = 1; row 54 (households) = 1;
    row 56 (bed nights, 9.5) = 10 (9/21-9/30); she is in no point-in-time cohort (the last, 7/31, is before)."""
    t = tenancy
    # 4.1: a project is in lsa_Project (so its households can be active, 5.1) with a ProjectCoC record for the CoC
    ProjectCoc.objects.create(project=t.shelter_a, coc_code="TS-500", geocode="290001", zip_code="63101",
                              geography_type=1)
    stay(t, person(t, "Ann"), t.shelter_a, "H1", date(2026, 9, 21))
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END))
        pipeline.run_steps(cursor, until="09")
        cursor.execute("SELECT ProjectID FROM hmis_Project WHERE ProjectName = 'A Shelter'")
        shelter = cursor.fetchone()[0]
        cursor.execute("SELECT * FROM lsa_Calculated WHERE ReportRow BETWEEN 53 AND 57")
        got = values(cursor.fetchall())
    assert got[(53, 1, 10, 0, 0, -1, shelter)] == 1
    assert got[(53, 1, 11, 1, 0, -1, None)] == 1
    assert got[(54, 1, 16, 0, 0, -1, None)] == 1
    assert got[(56, 1, 10, 0, 0, -1, shelter)] == 10
    assert not any(k[1] != 1 for k in got)
