"""Issue 20 (H4): LSA section 7, LSAExit (reports/hud/lsa/sql/07_exit.sql).

HUD's LSA Programming Specifications, docs/07 - LSAExit.md. Report period 2025-10-01 to 2026-09-30,
so (3.2) exit cohort -2 runs 2023-10-01 to 2024-09-30, -1 2024-10-01 to 2025-09-30 and 0
2025-10-01 to 2026-03-30 (ReportEnd - 6 months); LookbackDate 2018-10-01.

Most tests fill section 3's tables (tlsa_CohortDates, tlsa_HHID, tlsa_Enrollment, with the columns
"LSA Temporary and Reference Tables" gives them) by hand and run section 7 alone, so each rule of
section 7 is pinned whatever state section 3 is in. The last tests run section 3 on households made
through the HMIS (test_hud_rules.person / stay) and section 7 after it.
"""

from datetime import date

import pytest
from django.db import connection

from reports.hud.lsa import pipeline
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db

EXIT_SQL = pipeline.SQL_DIR / "07_exit.sql"
START, END = date(2025, 10, 1), date(2026, 9, 30)

# Section 3's tables as "LSA Temporary and Reference Tables" defines them (the contract 03_core.sql fills).
CORE_TABLES = """
DROP TABLE IF EXISTS tlsa_CohortDates;
CREATE TEMP TABLE tlsa_CohortDates (Cohort int, CohortStart date, CohortEnd date, LookbackDate date, ReportID int);
INSERT INTO tlsa_CohortDates VALUES
    (-2, '2023-10-01', '2024-09-30', '2018-10-01', 1), (-1, '2024-10-01', '2025-09-30', '2018-10-01', 1),
    (0, '2025-10-01', '2026-03-30', '2018-10-01', 1), (1, '2025-10-01', '2026-09-30', '2018-10-01', 1);
DROP TABLE IF EXISTS tlsa_HHID;
CREATE TEMP TABLE tlsa_HHID (
    HouseholdID varchar(32), HoHID varchar(32), EnrollmentID varchar(32), ProjectID varchar(32), LSAProjectType int,
    EntryDate date, MoveInDate date, ExitDate date, LastBednight date, EntryHHType int, ActiveHHType int,
    Exit1HHType int, Exit2HHType int, ExitDest int, Active boolean, AIR boolean, ExitCohort int, HHChronic int,
    HHVet int, HHDisability int, HHFleeingDV int, HHAdultAge int, HHParent int, AC3Plus int, Step varchar(10));
DROP TABLE IF EXISTS tlsa_Enrollment;
CREATE TEMP TABLE tlsa_Enrollment (
    EnrollmentID varchar(32), PersonalID varchar(32), HouseholdID varchar(32), RelationshipToHoH int,
    ProjectID varchar(32), LSAProjectType int, EntryDate date, MoveInDate date, ExitDate date, LastBednight date,
    EntryAge int, ActiveAge int, Exit1Age int, Exit2Age int, DisabilityStatus int, DVStatus int, Active boolean,
    AIR boolean, PITOctober boolean, PITJanuary boolean, PITApril boolean, PITJuly boolean, CH boolean,
    HIV boolean, SMI boolean, SUD boolean, Step varchar(10));
"""


def prepared(cursor):
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END))
    cursor.execute(CORE_TABLES)


def household(cursor, hhid, hoh, entry, exit_date=None, *, ptype=0, dest=None, hhtype=1, move_in=None,
              age=34, disability=0, dv=None, enrollment_id=None):
    """A tlsa_HHID row and its head's tlsa_Enrollment row (the same ages in every cohort column)."""
    if dest is None:
        dest = -1 if exit_date is None else 410
    cursor.execute(
        "INSERT INTO tlsa_HHID (HouseholdID, HoHID, EnrollmentID, ProjectID, LSAProjectType, EntryDate, MoveInDate, "
        "ExitDate, EntryHHType, ActiveHHType, Exit1HHType, Exit2HHType, ExitDest) "
        "VALUES (%s, %s, %s, 'P1', %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [hhid, hoh, enrollment_id or f"{hhid}-{hoh}", ptype, entry, move_in, exit_date, hhtype, hhtype, hhtype, hhtype,
         dest])
    member(cursor, hhid, hoh, 1, age, disability=disability, dv=dv, enrollment_id=enrollment_id)


def member(cursor, hhid, personal_id, relationship=2, age=5, *, disability=None, dv=None, enrollment_id=None):
    """A household member's tlsa_Enrollment row, with the household's dates (section 3.4)."""
    cursor.execute(
        "INSERT INTO tlsa_Enrollment (EnrollmentID, PersonalID, HouseholdID, RelationshipToHoH, ProjectID, "
        "LSAProjectType, EntryDate, MoveInDate, ExitDate, EntryAge, ActiveAge, Exit1Age, Exit2Age, DisabilityStatus, "
        "DVStatus) SELECT %s, %s, HouseholdID, %s, ProjectID, LSAProjectType, EntryDate, MoveInDate, ExitDate, "
        "%s, %s, %s, %s, %s, %s FROM tlsa_HHID WHERE HouseholdID = %s",
        [enrollment_id or f"{hhid}-{personal_id}", personal_id, relationship, age, age, age, age, disability, dv, hhid])


def run_exit(cursor):
    cursor.execute(EXIT_SQL.read_text())


def exits(cursor, hoh):
    """tlsa_Exit rows of a head of household as dicts, by cohort."""
    cursor.execute("SELECT * FROM tlsa_Exit WHERE HoHID = %s ORDER BY Cohort", [hoh])
    names = [d.name for d in cursor.description]
    return {row[names.index("cohort")]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def cohorts(cursor):
    cursor.execute("SELECT HouseholdID, ExitCohort FROM tlsa_HHID ORDER BY HouseholdID")
    return dict(cursor.fetchall())


def test_h4_exit_disqualified_by_new_enrollment_10_days_later(tenancy):
    """7.1: a qualifying exit is followed by at least 14 days with no ES/SH/TH/RRH/PSH enrollment of the
    household (same HoHID and household type).

    Ann leaves shelter (ES1) on 2025-11-01 and enters TH (TH1) on 2025-11-11, 10 days later: ES1's exit
    does not qualify (ExitCohort NULL). TH1 exits on 2026-01-15 with nothing after: it qualifies in
    cohort 0. Her one tlsa_Exit row (7.2) is TH1: ExitFrom 3 (TH), ExitTo 410.
    Stat (7.10) is 5, continuous engagement: ES1, the previous enrollment, exited after TH1's entry - 15 days.
    LastInactive (7.11) is 2025-11-10: ES1 padded by 6 days reaches 2025-11-07 only, so the day before
    TH1's entry is a day with no enrollment; SystemPath (7.12) counts enrollments after it: TH only, 2.

    Bob's two shelter stays are 15 days apart (exit 2025-11-01 to a temporary place, 101; entry
    2025-11-16): both exits qualify in cohort 0. 7.2 reports the earliest exit to a permanent
    destination: the second (2026-01-15, 410), not the earlier one to a temporary destination.
    """
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "ES1", "ann", date(2025, 9, 1), date(2025, 11, 1), dest=101)
        household(cursor, "TH1", "ann", date(2025, 11, 11), date(2026, 1, 15), ptype=2, dest=410)
        household(cursor, "ES2", "bob", date(2025, 9, 1), date(2025, 11, 1), dest=101)
        household(cursor, "ES3", "bob", date(2025, 11, 16), date(2026, 1, 15), dest=410)
        run_exit(cursor)
        assert cohorts(cursor) == {"ES1": None, "TH1": 0, "ES2": 0, "ES3": 0}
        ann = exits(cursor, "ann")
        assert list(ann) == [0]
        assert {k: ann[0][k] for k in ("qualifyingexithhid", "exitfrom", "exitto", "stat", "lastinactive",
                                       "systempath")} == {
            "qualifyingexithhid": "TH1", "exitfrom": 3, "exitto": 410, "stat": 5,
            "lastinactive": date(2025, 11, 10), "systempath": 2}
        bob = exits(cursor, "bob")
        assert list(bob) == [0]
        assert (bob[0]["qualifyingexithhid"], bob[0]["exitto"]) == ("ES3", 410)


def test_h4_return_time_100_days_no_return_and_past_730(tenancy):
    """7.3 and 7.13: ReturnTime is the days from the qualifying exit to the earliest later entry of
    the household 15-730 days after it, -1 when there is none; LSAExit reports it by bucket.

    Cara exits 2025-10-20 and re-enters shelter 2026-01-28, 100 days later: tlsa_Exit.ReturnTime 100
    (actual days, section 8 averages them), LSAExit ReturnTime 180 (the 91-180 days bucket).
    Dan exits 2025-10-20 and never returns: -1 in both.
    Eli exits 2024-01-10 (cohort -2) and re-enters 2026-01-11, 732 days later: past 730, -1.
    Cara's new stay (still open) starts 100 days after the exit, not within 14, so her exit qualifies.
    """
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "C1", "cara", date(2025, 9, 1), date(2025, 10, 20))
        household(cursor, "C2", "cara", date(2026, 1, 28))
        household(cursor, "D1", "dan", date(2025, 9, 1), date(2025, 10, 20))
        household(cursor, "E1", "eli", date(2023, 12, 1), date(2024, 1, 10))
        household(cursor, "E2", "eli", date(2026, 1, 11))
        run_exit(cursor)
        assert exits(cursor, "cara")[0]["returntime"] == 100
        assert exits(cursor, "dan")[0]["returntime"] == -1
        assert exits(cursor, "eli")[-2]["returntime"] == -1
        cursor.execute("SELECT Cohort, ReturnTime, RowTotal FROM lsa_Exit ORDER BY Cohort, ReturnTime")
        assert cursor.fetchall() == [(-2, -1, 1), (0, -1, 1), (0, 180, 1)]


def test_h4_exits_in_each_of_the_three_cohorts(tenancy):
    """3.2 and 7.1: one household can be in all three exit cohorts, a tlsa_Exit row in each.

    Fay leaves shelter on 2024-03-01 (cohort -2), 2025-03-01 (cohort -1), 2026-03-01 (cohort 0) and
    2026-05-01 (after cohort 0 ends on 2026-03-30: in no cohort), each stay starting a month before.
    ReturnTime (7.3): -2 and -1 come back 337 days later (2025-02-01, 2026-02-01; bucket 365); cohort
    0 comes back 31 days later (2026-04-01, bucket 60).
    Stat (7.10): for -2 there is no earlier stay, 1 (first time); for -1 and 0 the previous stay ended
    337 days before the entry, to an ES (ExitDest 101, temporary): 3.
    LSAExit (7.13) has one row per cohort, RowTotal 1 each.
    """
    with connection.cursor() as cursor:
        prepared(cursor)
        for n, (entry, leave) in enumerate([(date(2024, 2, 1), date(2024, 3, 1)), (date(2025, 2, 1), date(2025, 3, 1)),
                                            (date(2026, 2, 1), date(2026, 3, 1)), (date(2026, 4, 1), date(2026, 5, 1))]):
            household(cursor, f"F{n}", "fay", entry, leave, dest=101)
        run_exit(cursor)
        assert cohorts(cursor) == {"F0": -2, "F1": -1, "F2": 0, "F3": None}
        fay = exits(cursor, "fay")
        assert {c: (r["qualifyingexithhid"], r["returntime"], r["stat"]) for c, r in fay.items()} == {
            -2: ("F0", 337, 1), -1: ("F1", 337, 3), 0: ("F2", 31, 3)}
        cursor.execute("SELECT Cohort, Stat, ExitFrom, ExitTo, ReturnTime, HHType, SystemPath, RowTotal, ReportID "
                       "FROM lsa_Exit ORDER BY Cohort")
        assert cursor.fetchall() == [(-2, 1, 2, 101, 365, 1, 1, 1, 1), (-1, 3, 2, 101, 365, 1, 1, 1, 1),
                                     (0, 3, 2, 101, 60, 1, 1, 1, 1)]


def test_h4_household_populations_from_the_qualifying_exit(tenancy):
    """7.9: population columns read the qualifying exit's HouseholdID, HoH and adults only where so said.

    Gia (34, a veteran, Black and Hispanic/Latina) heads an adult-child household (HHType 2) with
    three children (relationship 2, ages 5, 5 and 17) leaving RRH in cohort 0:
      HHVet 1 (an adult veteran); HHParent 1 (a member is the HoH's child); AC3Plus 1 (AC, 3 under 18);
      HHAdultAge 25 (oldest 34: not all 18-21 or 18-24, youngest 5: not all 55+);
      HHFleeingDV 2 (Gia's DVStatus 2; a child's DVStatus 1 does not count, not an adult);
      HHDisability 0 (a child's DisabilityStatus 1 does not count; Gia's is 0);
      HoHRaceEthnicity 36 (Black 3, Hispanic/Latina 6, as section 5.4 joins them).
    Hal (21) and Ida (24) are an adult-only household: oldest 24, HHAdultAge 24. Jon (21) alone: 18.
    Kim (64) with Lee (65): youngest 55 or over, 55. A child-only household (HHType 3): -1.
    """
    gia = person(tenancy, "Gia", date(1991, 1, 1), veteran_status=1, black_af_american=True, hispanic_latinao=True,
                 white=False)
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "G1", gia.client_id, date(2025, 6, 1), date(2025, 12, 1), ptype=13, hhtype=2, dv=2)
        member(cursor, "G1", "kid1", age=5, dv=1, disability=1)
        member(cursor, "G1", "kid2", age=5)
        member(cursor, "G1", "kid3", age=17)
        household(cursor, "H1", "hal", date(2025, 6, 1), date(2025, 12, 1), age=21)
        member(cursor, "H1", "ida", 3, age=24)
        household(cursor, "J1", "jon", date(2025, 6, 1), date(2025, 12, 1), age=21)
        household(cursor, "K1", "kim", date(2025, 6, 1), date(2025, 12, 1), age=64)
        member(cursor, "K1", "lee", 3, age=65)
        household(cursor, "M1", "max", date(2025, 6, 1), date(2025, 12, 1), age=17, hhtype=3)
        run_exit(cursor)
        row = exits(cursor, gia.client_id)[0]
        assert {k: row[k] for k in ("hhtype", "exitfrom", "hhvet", "hhparent", "ac3plus", "hhadultage",
                                    "hhfleeingdv", "hhdisability", "hohraceethnicity")} == {
            "hhtype": 2, "exitfrom": 7, "hhvet": 1, "hhparent": 1, "ac3plus": 1, "hhadultage": 25, "hhfleeingdv": 2,
            "hhdisability": 0, "hohraceethnicity": 36}
        assert exits(cursor, "hal")[0]["hhadultage"] == 24
        assert exits(cursor, "jon")[0]["hhadultage"] == 18
        assert exits(cursor, "kim")[0]["hhadultage"] == 55
        assert exits(cursor, "max")[0]["hhadultage"] == -1
        assert (exits(cursor, "hal")[0]["hhparent"], exits(cursor, "hal")[0]["ac3plus"]) == (0, 0)


def test_h4_exit_from_housing_and_system_path(tenancy):
    """7.2 ExitFrom, 7.11 LastInactive, 7.12 SystemPath.

    Nia: shelter 2025-06-01 to 2025-08-01, RRH from 2025-08-05 (moved in 2025-09-01) to 2025-12-01.
    The shelter exit is followed by RRH 4 days later: not qualifying. The RRH exit is: ExitFrom 5 (RRH
    after move-in). LastInactive: the shelter stay padded by 6 days (to 2025-08-07) covers the day before
    RRH entry, so the last inactive day is the day before the shelter entry, 2025-05-31; SystemPath
    counts ES and RRH: 5 (ES/SH + RRH). Stat 5: the shelter exit was within 15 days of RRH entry.
    Oto: PSH moved in 2024-01-01, exits 2025-12-01: ExitFrom 6, housed before CohortStart: SystemPath -1.
    Pam: RRH entry 2025-10-05, never moved in, exits 2026-02-01: ExitFrom 7; SystemPath 4 (RRH only);
    no earlier stay: Stat 1.
    """
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "N1", "nia", date(2025, 6, 1), date(2025, 8, 1), dest=101)
        household(cursor, "N2", "nia", date(2025, 8, 5), date(2025, 12, 1), ptype=13, move_in=date(2025, 9, 1))
        household(cursor, "O1", "oto", date(2023, 12, 1), date(2025, 12, 1), ptype=3, move_in=date(2024, 1, 1))
        household(cursor, "P1", "pam", date(2025, 10, 5), date(2026, 2, 1), ptype=13)
        run_exit(cursor)
        nia, oto, pam = exits(cursor, "nia")[0], exits(cursor, "oto")[0], exits(cursor, "pam")[0]
        assert (nia["qualifyingexithhid"], nia["exitfrom"], nia["lastinactive"], nia["systempath"], nia["stat"]) == (
            "N2", 5, date(2025, 5, 31), 5, 5)
        assert (oto["exitfrom"], oto["systempath"]) == (6, -1)
        assert (pam["exitfrom"], pam["systempath"], pam["stat"]) == (7, 4, 1)


def test_h4_chronic_homelessness_of_exit_households(tenancy):
    """7.4-7.9 HHChronic.

    Quin, disabled (DisabilityStatus 1), was in entry/exit shelter from 2024-09-01 to 2025-11-01 (cohort
    0): 426 ES nights in one episode ending in the year before his LastActive (2025-11-01): CHTime 365,
    CHTimeStatus 1 (7.8), so HHChronic 1 (chronically homeless).
    Rae, disabled, stayed 300 nights (2025-01-05 to 2025-11-01): CHTime 270, no missing 3.917 data
    (none is recorded for these hand-made enrollments): HHChronic 6.
    Sam, not disabled, stayed 100 nights: CHTime 0: HHChronic 0.
    Tia entered shelter on 2025-06-01 (an HMIS enrollment) saying she had been homeless 12+ months (113)
    four or more times (4) in three years, disabled, and left 2025-11-01: 7.4 sets CHTime 400 /
    CHTimeStatus 2 directly: HHChronic 1.
    """
    tia = person(tenancy, "Tia", date(1980, 1, 1))
    tia_stay = stay(tenancy, tia, tenancy.shelter_a, "T1", date(2025, 6, 1), date(2025, 11, 1), disabling_condition=1,
                    months_homeless_past_three_years=113, times_homeless_past_three_years=4, living_situation=116,
                    length_of_stay=4, date_to_street_essh=date(2024, 6, 1))
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "Q1", "quin", date(2024, 9, 1), date(2025, 11, 1), disability=1)
        household(cursor, "R1", "rae", date(2025, 1, 5), date(2025, 11, 1), disability=1)
        household(cursor, "S1", "sam", date(2025, 7, 24), date(2025, 11, 1))
        household(cursor, "T1", tia.client_id, date(2025, 6, 1), date(2025, 11, 1), disability=1,
                  enrollment_id=tia_stay.enrollment_id)
        run_exit(cursor)
        cursor.execute("SELECT PersonalID, CHTime, CHTimeStatus, DisabilityStatus FROM tlsa_ExitHoHAdult "
                       "ORDER BY PersonalID")
        assert cursor.fetchall() == sorted([("quin", 365, 1, 1), ("rae", 270, -1, 1), ("sam", 0, -1, 0),
                                            (tia.client_id, 400, 2, 1)])
        assert [exits(cursor, p)[0]["hhchronic"] for p in ("quin", "rae", "sam", tia.client_id)] == [1, 6, 0, 1]


def test_h4_chronic_episodes_gaps_and_missing_data(tenancy):
    """7.6 gaps, 7.7 episodes, 7.8 CHTime/CHTimeStatus (including 99), 7.9 HHChronic.

    Zoe, disabled: shelter 2024-11-01 to 2025-05-01 (181 nights) and again 2025-05-06 to 2025-11-01
    (179 nights). The 5 days between (2025-05-01..05) are a gap of less than 7 days: counted (7.6),
    so one episode of 365 days, 2024-11-01 to 2025-10-31 (7.7), ending in the year before LastActive:
    365/1, HHChronic 1. Her first exit is followed by an entry 5 days later: only the second qualifies.
    Vic, not disabled: four 100-night stays separated by 12 days (2024-11-01, 2025-02-20, 2025-06-11,
    2025-09-30; the last exits 2026-01-08, cohort 0): four episodes, 400 days: 365/2 (7.8); with
    DisabilityStatus 0, HHChronic 4 (long-term homeless without disability).
    Wes, disabled, entered A Shelter (an HMIS enrollment) with LivingSituation 99 and stayed 300 nights:
    CHTime 270 (7.8), and the living situation is missing on an enrollment exiting in the cohort
    period: CHTimeStatus 99; HHChronic 5 (homeless over 6 months with disability, missing data).
    """
    wes = person(tenancy, "Wes", date(1980, 1, 1))
    wes_stay = stay(tenancy, wes, tenancy.shelter_a, "W1", date(2025, 1, 5), date(2025, 11, 1), disabling_condition=1,
                    living_situation=99)
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "Z1", "zoe", date(2024, 11, 1), date(2025, 5, 1), disability=1, dest=101)
        household(cursor, "Z2", "zoe", date(2025, 5, 6), date(2025, 11, 1), disability=1)
        for n, (entry, leave) in enumerate([(date(2024, 11, 1), date(2025, 2, 9)), (date(2025, 2, 20), date(2025, 5, 31)),
                                            (date(2025, 6, 11), date(2025, 9, 19)), (date(2025, 9, 30), date(2026, 1, 8))]):
            household(cursor, f"V{n}", "vic", entry, leave, dest=101)
        household(cursor, "W1", wes.client_id, date(2025, 1, 5), date(2025, 11, 1), disability=1,
                  enrollment_id=wes_stay.enrollment_id)
        run_exit(cursor)
        cursor.execute("SELECT PersonalID, episodeStart, episodeEnd, episodeDays FROM ch_Episodes_exit "
                       "WHERE PersonalID IN ('zoe', 'vic') ORDER BY PersonalID DESC, episodeStart")
        assert cursor.fetchall() == [
            ("zoe", date(2024, 11, 1), date(2025, 10, 31), 365),
            ("vic", date(2024, 11, 1), date(2025, 2, 8), 100), ("vic", date(2025, 2, 20), date(2025, 5, 30), 100),
            ("vic", date(2025, 6, 11), date(2025, 9, 18), 100), ("vic", date(2025, 9, 30), date(2026, 1, 7), 100)]
        cursor.execute("SELECT count(*) FROM ch_Include_exit WHERE PersonalID = 'zoe'")
        assert cursor.fetchone()[0] == 365
        cursor.execute("SELECT PersonalID, QualifyingExitHHID, CHTime, CHTimeStatus FROM tlsa_ExitHoHAdult "
                       "ORDER BY QualifyingExitHHID")
        assert cursor.fetchall() == [("vic", "V3", 365, 2), (wes.client_id, "W1", 270, 99), ("zoe", "Z2", 365, 1)]
        assert [exits(cursor, p)[0]["hhchronic"] for p in ("zoe", "vic", wes.client_id)] == [1, 4, 5]


def test_h4_stat_after_earlier_exits_and_night_by_night_padding(tenancy):
    """7.10 Stat from the previous exit's destination; 7.11 bed nights padded by 6 days.

    Ray leaves shelter on 2025-03-01 to a permanent destination (410), qualifying for cohort -1
    (Stat 1, nothing before; ReturnTime 92: he is back on 2025-06-01), and leaves again on 2025-11-01
    (cohort 0): the previous exit is 92 days before that entry, 15-730 days, to 400-499: Stat 2.
    Sue's earlier exit was to an unknown destination (99): Stat 4.
    Ted: night-by-night shelter (LSAProjectType 1) from 2025-05-01 with bed nights on 05-01 and 05-10,
    exit 2025-05-11; TH from 2025-05-14 to 2025-11-01. Only the TH exit qualifies (the shelter exit is
    3 days before). Padded bed nights cover 05-01..05-07 and 05-10..05-16, so the day before TH entry
    (05-13) is covered and 05-08/05-09 are not: LastInactive 2025-05-09; SystemPath 3 (ES/SH + TH).
    """
    ted = person(tenancy, "Ted")
    nbn = stay(tenancy, ted, tenancy.shelter_a, "TB1", date(2025, 5, 1), date(2025, 5, 11))
    bed_nights(tenancy, nbn, date(2025, 5, 1), date(2025, 5, 10))
    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "R1", "ray", date(2025, 1, 1), date(2025, 3, 1), dest=410)
        household(cursor, "R2", "ray", date(2025, 6, 1), date(2025, 11, 1), dest=101)
        household(cursor, "S1", "sue", date(2025, 1, 1), date(2025, 3, 1), dest=99)
        household(cursor, "S2", "sue", date(2025, 6, 1), date(2025, 11, 1), dest=101)
        household(cursor, "TB1", ted.client_id, date(2025, 5, 1), date(2025, 5, 11), ptype=1, dest=101,
                  enrollment_id=nbn.enrollment_id)
        household(cursor, "TT1", ted.client_id, date(2025, 5, 14), date(2025, 11, 1), ptype=2)
        run_exit(cursor)
        ray = exits(cursor, "ray")
        assert {c: (r["stat"], r["returntime"]) for c, r in ray.items()} == {-1: (1, 92), 0: (2, -1)}
        assert exits(cursor, "sue")[0]["stat"] == 4
        assert cohorts(cursor)["TB1"] is None
        ted_row = exits(cursor, ted.client_id)[0]
        assert (ted_row["qualifyingexithhid"], ted_row["exitfrom"], ted_row["lastinactive"], ted_row["systempath"]) == (
            "TT1", 3, date(2025, 5, 9), 3)


def test_h4_project_focused_exits_only_from_selected_projects(tenancy):
    """7.1: in a project-focused LSA (LSAScope 2) exit cohorts are limited to exits from the selected
    projects. Uma's exit is from P1, the selected one; Val's from P2: only Uma has a tlsa_Exit row."""
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END, scope=2, projects=("P1",)))
        cursor.execute(CORE_TABLES)
        household(cursor, "U1", "uma", date(2025, 6, 1), date(2025, 12, 1))
        household(cursor, "V1", "val", date(2025, 6, 1), date(2025, 12, 1))
        cursor.execute("UPDATE tlsa_HHID SET ProjectID = 'P2' WHERE HouseholdID = 'V1'")
        run_exit(cursor)
        cursor.execute("SELECT HoHID FROM tlsa_Exit")
        assert cursor.fetchall() == [("uma",)]


def test_h4_lsa_exit_has_hud_columns_in_order_and_no_nulls(tenancy):
    """7.13: LSAExit has HUD's 17 columns in the data dictionary's order; none may be NULL."""
    from reports.hud.lsa import layout

    with connection.cursor() as cursor:
        prepared(cursor)
        household(cursor, "W1", "wes", date(2025, 6, 1), date(2025, 12, 1))
        run_exit(cursor)
        columns, rows = pipeline.fetch(cursor, "lsa_Exit")
        assert columns == [c.lower() for c in layout.FILES["LSAExit"]]
        assert len(rows) == 1 and None not in rows[0]


# Section 3 run on households made through the HMIS, then section 7.

def run_core_and_exit(cursor):
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END))
    pipeline.run_steps(cursor, until="03")
    run_exit(cursor)


def test_h4_exit_to_recodes_hmis_destinations(tenancy):
    """7.2 ExitTo is tlsa_HHID.ExitDest, which section 3.3 recodes from the HMIS Destination.

    Four people leave A Shelter (entry/exit ES) on 2025-11-01, cohort 0, ExitFrom 2 (ES):
      Ann to 435 (rental with a subsidy) of subsidy type 419 (VASH): ExitTo 419, the subsidy type;
      Ben to 8 (client doesn't know): ExitTo 98;  Cal to 30 (no exit interview): ExitTo 99;
      Dee to 435 with no subsidy type recorded: ExitTo 99.
    """
    t = tenancy
    cases = {"Ann": ({"destination": 435, "destination_subsidy_type": 419}, 419), "Ben": ({"destination": 8}, 98),
             "Cal": ({"destination": 30}, 99), "Dee": ({"destination": 435}, 99)}
    ids = {}
    for name, (fields, _) in cases.items():
        client = person(t, name)
        stay(t, client, t.shelter_a, f"X-{name}", date(2025, 9, 1), date(2025, 11, 1), **fields)
        ids[name] = client.client_id
    with connection.cursor() as cursor:
        run_core_and_exit(cursor)
        got = {name: (exits(cursor, ids[name])[0]["exitto"], exits(cursor, ids[name])[0]["exitfrom"])
               for name in cases}
        assert got == {name: (expected, 2) for name, (_, expected) in cases.items()}


def test_h4_family_exit_return_and_disqualified_exit_from_hmis_data(tenancy):
    """Sections 3 and 7 together on HMIS households.

    Eva (born 1990) and her three children (born 2015, 2018 and 2020; RelationshipToHoH 2) stay in A
    Shelter from 2025-06-01 to 2025-12-01, and come back on 2026-03-11, 100 days later (household H2,
    still open). The exit qualifies for cohort 0 (nothing within 14 days): HHType 2 (adult and
    children, 3.6), AC3Plus 1 (three under 18), HHParent 1, HHAdultAge 25 (Eva is 35), ReturnTime 100
    (LSAExit bucket 180, 7.13), Stat 1 (no earlier stay), SystemPath 1 (ES only).
    Finn leaves A Shelter on 2025-11-01 and enters again on 2025-11-11, 10 days later, leaving on
    2026-01-15: only the second exit qualifies (7.1), ReturnTime -1, Stat 5 (previous exit within 15
    days of the entry).
    """
    t = tenancy
    eva = person(t, "Eva", date(1990, 1, 1))
    kids = [person(t, f"Kid{year}", date(year, 1, 1)) for year in (2015, 2018, 2020)]
    for household, entry, leave in (("H1", date(2025, 6, 1), date(2025, 12, 1)), ("H2", date(2026, 3, 11), None)):
        stay(t, eva, t.shelter_a, household, entry, leave, destination=101 if leave else None)
        for kid in kids:
            stay(t, kid, t.shelter_a, household, entry, leave, head=False, destination=101 if leave else None)
    finn = person(t, "Finn", date(1970, 1, 1))
    first = stay(t, finn, t.shelter_a, "F1", date(2025, 9, 1), date(2025, 11, 1), destination=101)
    second = stay(t, finn, t.shelter_a, "F2", date(2025, 11, 11), date(2026, 1, 15), destination=410)
    with connection.cursor() as cursor:
        run_core_and_exit(cursor)
        row = exits(cursor, eva.client_id)
        assert list(row) == [0]
        assert {k: row[0][k] for k in ("hhtype", "ac3plus", "hhparent", "hhadultage", "returntime", "stat",
                                       "systempath", "exitfrom", "exitto")} == {
            "hhtype": 2, "ac3plus": 1, "hhparent": 1, "hhadultage": 25, "returntime": 100, "stat": 1,
            "systempath": 1, "exitfrom": 2, "exitto": 101}
        cursor.execute("SELECT EnrollmentID, ExitCohort FROM tlsa_HHID WHERE HoHID = %s", [finn.client_id])
        assert dict(cursor.fetchall()) == {first.enrollment_id: None, second.enrollment_id: 0}
        finn_row = exits(cursor, finn.client_id)[0]
        assert (finn_row["returntime"], finn_row["stat"], finn_row["exitto"]) == (-1, 5, 410)
        cursor.execute("SELECT ReturnTime, HHType, AC3Plus, RowTotal FROM lsa_Exit ORDER BY HHType")
        assert cursor.fetchall() == [(-1, 1, 0, 1), (180, 2, 1, 1)]

