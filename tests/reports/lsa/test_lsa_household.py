"""Issue 20, rule H4: LSA section 6 (LSAHousehold), reports/hud/lsa/sql/06_household.sql.

Section 6 reads the household enrollments of section 3 (tlsa_HHID, tlsa_Enrollment), so each test states
the tlsa_HHID rows section 3 would have made for its households (effective entry, move-in and exit dates,
household types, ExitDest, Active) and runs section 6 on them; tlsa_Person (section 5) and lsa_ProjectCoC
(section 4) are stood in for the same way when the real steps have not run. The report period is
10/01/2025 - 09/30/2026 (LookbackDate 10/01/2018) throughout. Section numbers are those of HUD's
"06 - LSAHousehold.md".
"""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from reports.hud.lsa import layout, pipeline
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db
START, END = date(2025, 10, 1), date(2026, 9, 30)
SECTION_6 = Path(pipeline.SQL_DIR, "06_household.sql")

HHID_COLUMNS = ("HouseholdID", "HoHID", "EnrollmentID", "ProjectID", "LSAProjectType", "EntryDate", "MoveInDate",
                "ExitDate", "EntryHHType", "ActiveHHType", "ExitDest", "Active", "AIR", "HHChronic", "HHVet",
                "HHDisability", "HHFleeingDV", "HHAdultAge", "HHParent", "AC3Plus")
ES, TH, PSH, RRH, NBN = 0, 2, 3, 13, 1


def hhid(household, hoh, project_type, entry, exit_date=None, move_in=None, *, hh_type=1, active=True, dest=-1,
         enrollment=None, air=None, members=None, **flags):
    """One tlsa_HHID row (and its members' tlsa_Enrollment rows): as section 3 / 5.1 would set it."""
    row = {"HouseholdID": household, "HoHID": hoh, "EnrollmentID": enrollment or f"E-{household}",
           "ProjectID": f"P{project_type}", "LSAProjectType": project_type, "EntryDate": entry,
           "MoveInDate": move_in, "ExitDate": exit_date, "EntryHHType": hh_type, "ActiveHHType": hh_type,
           "ExitDest": dest, "Active": active, "AIR": active if air is None else air, "HHChronic": 0, "HHVet": 0,
           "HHDisability": 0, "HHFleeingDV": 0, "HHAdultAge": 25, "HHParent": 0, "AC3Plus": 0} | flags
    # members: (PersonalID, ActiveAge); by default the head of household alone, aged 25-34 (group 34)
    row["members"] = members if members is not None else [(hoh, 34)]
    return row


def run_section_6(cursor, rows, *, scope=1, geography=None, race=None):
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END, scope=scope))
    pipeline.run_steps(cursor, until="03")
    cursor.execute("TRUNCATE tlsa_HHID, tlsa_Enrollment")
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS tlsa_Person (PersonalID varchar(32), RaceEthnicity int)")
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS lsa_ProjectCoC "
                   "(ProjectID varchar(32), CoCCode varchar(6), GeographyType int)")
    cursor.execute("TRUNCATE tlsa_Person, lsa_ProjectCoC")
    for row in rows:
        cursor.execute(f"INSERT INTO tlsa_HHID ({', '.join(HHID_COLUMNS)}) VALUES ({', '.join(['%s'] * len(HHID_COLUMNS))})",
                       [row[c] for c in HHID_COLUMNS])
        for personal_id, age in row["members"]:
            cursor.execute("INSERT INTO tlsa_Enrollment (EnrollmentID, PersonalID, HouseholdID, RelationshipToHoH, "
                           "LSAProjectType, EntryDate, ExitDate, ActiveAge, Active) VALUES (%s, %s, %s, %s, %s, %s, "
                           "%s, %s, %s)",
                           [f"{row['EnrollmentID']}-{personal_id}", personal_id, row["HouseholdID"],
                            1 if personal_id == row["HoHID"] else 2, row["LSAProjectType"], row["EntryDate"],
                            row["ExitDate"], age, row["Active"]])
    for hoh in {row["HoHID"] for row in rows}:
        cursor.execute("INSERT INTO tlsa_Person (PersonalID, RaceEthnicity) VALUES (%s, %s)", [hoh, race or 6])
    for project_type in {row["LSAProjectType"] for row in rows}:
        cursor.execute("INSERT INTO lsa_ProjectCoC (ProjectID, CoCCode, GeographyType) VALUES (%s, 'TS-500', %s)",
                       [f"P{project_type}", (geography or {}).get(project_type, 1)])
    cursor.execute(SECTION_6.read_text())


def household(cursor, hoh, hh_type=1):
    cursor.execute("SELECT * FROM tlsa_Household WHERE HoHID = %s AND HHType = %s", [hoh, hh_type])
    names = [d.name for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) == 1, found
    return dict(zip(names, found[0], strict=True))


def pick(values, *columns):
    return {c: values[c.lower()] for c in columns}


def test_h4_stat_first_time_returns_and_continuous():
    """6.9 Stat / ReturnTime, one household each. FirstEntry is the earliest active EntryDate; the prior
    exit looked at is the household's (same HoHID and HHType) latest ExitDate in the 730 days before it.
    - ANN: no earlier enrollment -> Stat 1 (first time), ReturnTime -1.
    - BOB: exited 06/01/2025 to 410 (permanent, 400-499), back 11/01/2025 -> Stat 2, ReturnTime 153 days
      (grouped to 180 = 91-180 days in LSAHousehold, 6.19).
    - CAT: exited 09/01/2025 to 101 (temporary, 100-399), back 10/15/2025 -> Stat 3, ReturnTime 44 (-> 60).
    - DAN: exited 01/01/2024 to 99 (unknown, < 100), back 12/01/2025 = 700 days -> Stat 4 (-> 730).
    - EVE: exited 09/25/2025, back 10/03/2025, 8 days (< 15) -> Stat 5 (continuous), ReturnTime -1.
    - FAY: entered 06/01/2025, before ReportStart, still there -> Stat 5; ESTStatus 11 (6.3: entry before
      ReportStart, no exit)."""
    rows = [
        hhid("A1", "ANN", ES, date(2026, 1, 10), date(2026, 2, 9), dest=410),
        hhid("B0", "BOB", ES, date(2025, 3, 1), date(2025, 6, 1), dest=410, active=False),
        hhid("B1", "BOB", ES, date(2025, 11, 1)),
        hhid("C0", "CAT", ES, date(2025, 8, 1), date(2025, 9, 1), dest=101, active=False),
        hhid("C1", "CAT", ES, date(2025, 10, 15)),
        hhid("D0", "DAN", TH, date(2023, 6, 1), date(2024, 1, 1), dest=99, active=False),
        hhid("D1", "DAN", ES, date(2025, 12, 1)),
        hhid("E0", "EVE", ES, date(2025, 9, 1), date(2025, 9, 25), dest=101, active=False),
        hhid("E1", "EVE", ES, date(2025, 10, 3)),
        hhid("F1", "FAY", ES, date(2025, 6, 1)),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        got = {hoh: pick(household(cursor, hoh), "Stat", "ReturnTime", "StatEnrollmentID", "ESTStatus")
               for hoh in ("ANN", "BOB", "CAT", "DAN", "EVE", "FAY")}
        cursor.execute("SELECT Stat, ReturnTime FROM lsa_Household ORDER BY Stat, ReturnTime")
        uploaded = cursor.fetchall()
    assert got == {
        "ANN": {"Stat": 1, "ReturnTime": -1, "StatEnrollmentID": None, "ESTStatus": 22},
        "BOB": {"Stat": 2, "ReturnTime": 153, "StatEnrollmentID": "E-B0", "ESTStatus": 21},
        "CAT": {"Stat": 3, "ReturnTime": 44, "StatEnrollmentID": "E-C0", "ESTStatus": 21},
        "DAN": {"Stat": 4, "ReturnTime": 700, "StatEnrollmentID": "E-D0", "ESTStatus": 21},
        "EVE": {"Stat": 5, "ReturnTime": -1, "StatEnrollmentID": "E-E0", "ESTStatus": 21},
        "FAY": {"Stat": 5, "ReturnTime": -1, "StatEnrollmentID": None, "ESTStatus": 11},
    }
    assert uploaded == [(1, -1), (2, 180), (3, 60), (4, 730), (5, -1), (5, -1)]


def test_h4_system_path_es_rrh_psh():
    """One household through ES, RRH and PSH in the report period (6.3, 6.4, 6.11, 6.13, 6.15, 6.18):
    ES 11/01-12/01/2025 (exit to 302), RRH 12/01/2025 entry, move-in 01/15/2026, exit 03/01/2026 (to 435),
    PSH 03/01/2026 entry, move-in 03/10/2026, still housed at ReportEnd.
    sys_Time, one status per date (6.11, 6.13): PSH housed 03/10-09/30/2026 = 205 days (1); RRH housed
    01/15-02/28/2026 = 45 (2); ES 11/01-11/30/2025 = 30 (4; the exit day is not a night); RRH before move-in
    12/01/2025-01/14/2026 = 45 (6); PSH before move-in 03/01-03/09/2026 = 9 (5).
    So ESDays 30, THDays 0, ESTDays 30, RRHPSHPreMoveInDays 54, RRHHousedDays 45, SystemHomelessDays 84,
    SystemDaysNotPSHHoused 129, PSHHousedDays 205; RRHPreMoveInDays (6.10) 45. Statuses: EST 22, RRH 22
    (entered and exited in the period), PSH 21; RRHMoveIn / PSHMoveIn 1 (move-in in the period);
    ESTDestination 302, RRHDestination 435, PSHDestination -1 (still enrolled). SystemPath 10
    (ES/SH + RRH + PSH: ESDays >= 1, THDays 0, RRHStatus >= 2, PSHStatus >= 11, PSHMoveIn <> 2).
    In LSAHousehold (6.19) the days are grouped: 30 -> 30, 54 -> 60, 45 -> 60, 84 -> 90, 129 -> 180,
    PSHHousedDays 205 -> 12 (181-365 days)."""
    rows = [
        hhid("S1", "SAM", ES, date(2025, 11, 1), date(2025, 12, 1), dest=302),
        hhid("S2", "SAM", RRH, date(2025, 12, 1), date(2026, 3, 1), date(2026, 1, 15), dest=435),
        hhid("S3", "SAM", PSH, date(2026, 3, 1), None, date(2026, 3, 10)),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows, geography={ES: 1, RRH: 2, PSH: 3})
        got = household(cursor, "SAM")
        cursor.execute("SELECT RowTotal, ESDays, ESTDays, RRHPSHPreMoveInDays, RRHHousedDays, SystemHomelessDays, "
                       "SystemDaysNotPSHHoused, PSHHousedDays, RRHPreMoveInDays, SystemPath FROM lsa_Household")
        uploaded = cursor.fetchall()
    assert pick(got, "ESDays", "THDays", "ESTDays", "RRHPSHPreMoveInDays", "RRHHousedDays", "SystemHomelessDays",
                "SystemDaysNotPSHHoused", "PSHHousedDays", "RRHPreMoveInDays", "Other3917Days",
                "TotalHomelessDays") == {
        "ESDays": 30, "THDays": 0, "ESTDays": 30, "RRHPSHPreMoveInDays": 54, "RRHHousedDays": 45,
        "SystemHomelessDays": 84, "SystemDaysNotPSHHoused": 129, "PSHHousedDays": 205, "RRHPreMoveInDays": 45,
        "Other3917Days": 0, "TotalHomelessDays": 84}
    assert pick(got, "ESTStatus", "RRHStatus", "PSHStatus", "RRHMoveIn", "PSHMoveIn", "ESTDestination",
                "RRHDestination", "PSHDestination", "ESTGeography", "RRHGeography", "PSHGeography", "SystemPath",
                "Stat") == {
        "ESTStatus": 22, "RRHStatus": 22, "PSHStatus": 21, "RRHMoveIn": 1, "PSHMoveIn": 1, "ESTDestination": 302,
        "RRHDestination": 435, "PSHDestination": -1, "ESTGeography": 1, "RRHGeography": 2, "PSHGeography": 3,
        "SystemPath": 10, "Stat": 1}
    assert uploaded == [(1, 30, 30, 60, 60, 90, 180, 12, 60, 10)]


def test_h4_days_across_report_start_and_continuous_engagement():
    """System use days before ReportStart count when they are part of the continuous engagement that runs
    into the report period (6.12 LastInactive, 6.13, 6.16).
    - KIM: TH 07/01-08/28/2025 (inactive: exited before ReportStart), then ES 09/01-10/31/2025 (active).
      FirstEntry 09/01/2025; the TH stay padded by 6 days (to 09/03) reaches FirstEntry - 1, so LastInactive
      is the day before the TH entry, 06/30/2025. THDays = 07/01-08/27 = 58, ESDays = 09/01-10/30 = 60 (two
      months, half of it before ReportStart). ESTStatus 12 (entered before ReportStart, exited in the period),
      Stat 5, SystemPath 3 (ES/SH + TH).
    - LEO: RRH 08/01-09/20/2025 never moved in (inactive), ES from 09/25/2025 (active). LastInactive
      07/31/2025; RRH days before move-in 08/01-09/19 = 50 count as RRHPSHPreMoveInDays; RRHStatus 0 becomes
      2 (served only in the continuous period before ReportStart, 6.16), so SystemPath is 5 (ES/SH + RRH).
      RRHPreMoveInDays (6.10) is 0: it counts active RRH enrollments only."""
    rows = [
        hhid("K0", "KIM", TH, date(2025, 7, 1), date(2025, 8, 28), dest=101, active=False),
        hhid("K1", "KIM", ES, date(2025, 9, 1), date(2025, 10, 31), dest=410),
        hhid("L0", "LEO", RRH, date(2025, 8, 1), date(2025, 9, 20), dest=101, active=False),
        hhid("L1", "LEO", ES, date(2025, 9, 25)),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        kim, leo = household(cursor, "KIM"), household(cursor, "LEO")
    columns = ("FirstEntry", "LastInactive", "Stat", "ESTStatus", "RRHStatus", "ESDays", "THDays",
               "RRHPSHPreMoveInDays", "RRHPreMoveInDays", "SystemPath")
    assert pick(kim, *columns) == {
        "FirstEntry": date(2025, 9, 1), "LastInactive": date(2025, 6, 30), "Stat": 5, "ESTStatus": 12,
        "RRHStatus": 0, "ESDays": 60, "THDays": 58, "RRHPSHPreMoveInDays": 0, "RRHPreMoveInDays": 0,
        "SystemPath": 3}
    assert pick(leo, *columns) == {
        "FirstEntry": date(2025, 9, 25), "LastInactive": date(2025, 7, 31), "Stat": 5, "ESTStatus": 11,
        "RRHStatus": 2, "ESDays": 371, "THDays": 0, "RRHPSHPreMoveInDays": 50, "RRHPreMoveInDays": 0,
        "SystemPath": 5}


def test_h4_rrh_days_before_move_in():
    """6.10 RRHPreMoveInDays counts every date from the RRH entry to the day before move-in, even those
    spent in a shelter at the same time; the system use days (6.13) give each date one status, ES first.
    RRH entry 09/01/2025, move-in 11/10/2025, no exit; ES 10/01-10/21/2025 at the same time.
    RRHPreMoveInDays = 09/01-11/09 = 70 (-> 90 in LSAHousehold). sys_Time: ES 10/01-10/20 = 20 days (4);
    RRH before move-in = the other 50 days (6); housed in RRH 11/10/2025-09/30/2026 = 325 days (2).
    RRHStatus 11 (entered before ReportStart, no exit), RRHMoveIn 1 (move-in in the period), ESTStatus 22,
    Stat 5 (FirstEntry before ReportStart), SystemPath 5 (ES/SH + RRH)."""
    rows = [
        hhid("R1", "ROY", RRH, date(2025, 9, 1), None, date(2025, 11, 10)),
        hhid("R2", "ROY", ES, date(2025, 10, 1), date(2025, 10, 21), dest=435),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        got = household(cursor, "ROY")
        cursor.execute("SELECT RRHPreMoveInDays, RRHHousedDays FROM lsa_Household")
        uploaded = cursor.fetchall()
        # the periods overlap, so the household is resolved date by date in sys_Time: 20 + 50 + 325 dates
        cursor.execute("SELECT sysStatus, count(*) FROM sys_Time GROUP BY sysStatus ORDER BY sysStatus")
        by_status = cursor.fetchall()
    assert pick(got, "RRHPreMoveInDays", "ESDays", "RRHPSHPreMoveInDays", "RRHHousedDays", "RRHStatus", "RRHMoveIn",
                "ESTStatus", "Stat", "SystemPath") == {
        "RRHPreMoveInDays": 70, "ESDays": 20, "RRHPSHPreMoveInDays": 50, "RRHHousedDays": 325, "RRHStatus": 11,
        "RRHMoveIn": 1, "ESTStatus": 22, "Stat": 5, "SystemPath": 5}
    assert uploaded == [(90, 365)]
    assert by_status == [(2, 325), (4, 20), (6, 50)]


def test_h4_household_whose_type_changes():
    """6.1: each distinct HoHID + ActiveHHType is one LSA household. GUS was in ES alone (AO, HHType 1)
    10/10-11/10/2025, then from 01/05/2026 with two children (AC, HHType 2): two households.
    - (GUS, 1): HHAdult 1, HHChild 0; ESTStatus 22; ESDays 10/10-11/09 = 31; Stat 1.
    - (GUS, 2): HHAdult 1, HHChild 2 (6.2: members with an ActiveAge under 18), HHParent 1; ESTStatus 21;
      ESDays 01/05-09/30/2026 = 269. The AO stay is another household type, so it is not a prior exit
      (6.9) and not continuous engagement (6.12): Stat 1, LastInactive 01/04/2026.
    - JO was 17 on one AC enrollment and 18-21 on a later one with the same head and type (6.2: anyone served
      as both adult and child is counted as a child), so HOPE's AC household has HHAdult 1, HHChild 1.
    LSAHousehold has one row for each (RowTotal 1 each)."""
    rows = [
        hhid("G1", "GUS", ES, date(2025, 10, 10), date(2025, 11, 10), dest=101),
        hhid("G2", "GUS", ES, date(2026, 1, 5), hh_type=2, HHParent=1, members=[("GUS", 34), ("KID1", 5), ("KID2", 10)]),
        hhid("H1", "HOPE", ES, date(2025, 10, 2), date(2025, 12, 1), hh_type=2, dest=101,
             members=[("HOPE", 44), ("JO", 17)]),
        hhid("H2", "HOPE", TH, date(2026, 2, 1), hh_type=2, members=[("HOPE", 44), ("JO", 21)]),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        alone, family, hope = household(cursor, "GUS", 1), household(cursor, "GUS", 2), household(cursor, "HOPE", 2)
        cursor.execute("SELECT RowTotal, HHType, HHAdult, HHChild FROM lsa_Household ORDER BY HHType, HHChild")
        uploaded = cursor.fetchall()
    columns = ("HHAdult", "HHChild", "HHNoDOB", "HHParent", "ESTStatus", "ESDays", "Stat", "LastInactive")
    assert pick(alone, *columns) == {"HHAdult": 1, "HHChild": 0, "HHNoDOB": 0, "HHParent": 0, "ESTStatus": 22,
                                     "ESDays": 31, "Stat": 1, "LastInactive": date(2025, 10, 9)}
    assert pick(family, *columns) == {"HHAdult": 1, "HHChild": 2, "HHNoDOB": 0, "HHParent": 1, "ESTStatus": 21,
                                      "ESDays": 269, "Stat": 1, "LastInactive": date(2026, 1, 4)}
    assert pick(hope, "HHAdult", "HHChild") == {"HHAdult": 1, "HHChild": 1}
    assert uploaded == [(1, 1, 1, 0), (1, 2, 1, 1), (1, 2, 1, 2)]


def test_h4_living_situation_and_street_days_from_3917(tenancy):
    """6.6 ESTLivingSit and 6.14 Other3917Days read the HoH's HMIS enrollment (3.917). NED entered ES on
    01/10/2026 from a place not meant for habitation (116), homeless since 12/01/2025 (DateToStreetESSH).
    LastInactive is 01/09/2026 (no earlier system use). Street days: 01/09/2026 (LastInactive, 6.14's
    "later of DateToStreetESSH or LastInactive" to the day before entry) stored in sys_Time as status 7,
    plus 12/01/2025-01/08/2026 = 39 days before LastInactive, counted: Other3917Days 40. ESDays 01/10-09/30
    = 264; TotalHomelessDays = SystemHomelessDays 264 + 40 = 304 (6.15). ESTLivingSit 116."""
    ned = person(tenancy, "Ned")
    enrollment = stay(tenancy, ned, tenancy.shelter_a, "N1", date(2026, 1, 10), living_situation=116,
                      date_to_street_essh=date(2025, 12, 1))
    rows = [hhid("N1", ned.client_id, ES, date(2026, 1, 10), enrollment=enrollment.enrollment_id)]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        got = household(cursor, ned.client_id)
    assert pick(got, "ESTLivingSit", "LastInactive", "ESDays", "Other3917Days", "SystemHomelessDays",
                "TotalHomelessDays", "RRHLivingSit") == {
        "ESTLivingSit": 116, "LastInactive": date(2026, 1, 9), "ESDays": 264, "Other3917Days": 40,
        "SystemHomelessDays": 264, "TotalHomelessDays": 304, "RRHLivingSit": -1}


def test_h4_lsa_household_is_hud_file_aggregated():
    """6.19: lsa_Household has LSAHousehold.csv's 67 columns in HUD's order (layout.FILES); RowTotal counts
    households with the same values in every other column: two single adults in the same shelter stay
    make one row of 2. No column is NULL. A HIC run (LSAScope 3) does not need section 6: no rows."""
    rows = [hhid("X1", "XAV", ES, date(2026, 1, 10)), hhid("Y1", "YVE", ES, date(2026, 1, 10))]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        names, found = pipeline.fetch(cursor, "lsa_Household")
        run_section_6(cursor, rows, scope=3)
        cursor.execute("SELECT count(*) FROM lsa_Household")
        hic_rows = cursor.fetchone()[0]
    assert names == [c.lower() for c in layout.FILES["LSAHousehold"]]
    assert len(found) == 1 and found[0][0] == 2
    assert None not in found[0]
    assert hic_rows == 0


def test_h4_night_by_night_bed_nights(tenancy):
    """Night-by-night ES (LSAProjectType 1) counts bed nights only (6.12, 6.13). OLA stayed in a
    night-by-night shelter on 09/28/2025 (enrollment exited 09/29/2025, inactive), then entered again on
    10/01/2025 in HMIS but first stayed 10/03 (section 3 moved the entry to the first bed night, 10/03) and
    stayed 10/03, 10/04 and 10/20/2025 (exit 10/21).
    - The 09/28 bed night, padded 6 days (to 10/04), covers FirstEntry - 1: LastInactive 09/27/2025, so the
      09/28 night counts too: ESDays 4. The prior exit (09/29) was 4 days before FirstEntry: Stat 5.
    - ESTLivingSit 99: the LSA entry date (10/03) differs from the HMIS entry date (10/01) (6.6)."""
    ola = person(tenancy, "Ola")
    before = stay(tenancy, ola, tenancy.shelter_a, "O0", date(2025, 9, 28), date(2025, 9, 29))
    now = stay(tenancy, ola, tenancy.shelter_a, "O1", date(2025, 10, 1), date(2025, 10, 21), living_situation=116)
    bed_nights(tenancy, before, date(2025, 9, 28))
    bed_nights(tenancy, now, date(2025, 10, 3), date(2025, 10, 4), date(2025, 10, 20))
    rows = [hhid("O0", ola.client_id, NBN, date(2025, 9, 28), date(2025, 9, 29), dest=101, active=False,
                 enrollment=before.enrollment_id),
            hhid("O1", ola.client_id, NBN, date(2025, 10, 3), date(2025, 10, 21), dest=101,
                 enrollment=now.enrollment_id)]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        got = household(cursor, ola.client_id)
    assert pick(got, "LastInactive", "ESDays", "Stat", "ESTStatus", "ESTLivingSit", "SystemPath") == {
        "LastInactive": date(2025, 9, 27), "ESDays": 4, "Stat": 5, "ESTStatus": 22, "ESTLivingSit": 99,
        "SystemPath": 1}
