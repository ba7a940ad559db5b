"""Issue 20: LSA section 3, core concepts and data universe (reports/hud/lsa/sql/03_core.sql).

HUD's LSA Programming Specifications (docs/03 - Core Concepts and Data Universe.md) are the
authority: each test builds small households by hand and states, for each checked column, the
value the specification gives and why. The report is the annual LSA 10/01/2025 - 09/30/2026 unless
said (LookbackDate 10/01/2018), CoC TS-500.
"""

from datetime import date

import pytest
from django.db import connection

from enrollments.models import Enrollment
from reports.hud.lsa import pipeline
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db

START, END = date(2025, 10, 1), date(2026, 9, 30)


def run(start=START, end=END, scope=1):
    cursor = connection.cursor()
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=start, end=end, scope=scope))
    pipeline.run_steps(cursor, until="03")
    return cursor


def rows(cursor, sql):
    cursor.execute(sql)
    names = [d.name for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def households(cursor):
    return {r["householdid"]: r for r in rows(cursor, "SELECT * FROM tlsa_HHID")}


def enrollments(cursor):
    return {r["enrollmentid"]: r for r in rows(cursor, "SELECT * FROM tlsa_Enrollment")}


def test_h4_cohort_dates_of_an_annual_lsa():
    """3.2: for 10/01/2025 - 09/30/2026 (LSAScope 1) every cohort is there.
    -2/-1: the report period less 2 years / 1 year. 0: ReportStart to ReportEnd - 6 months
    (03/30/2026, later than ReportStart). 1: the report period. 10-13: 10/31 of the start's year,
    1/31, 4/30 and 7/31 of the end's year, each a single day, all inside the period.
    LookbackDate is ReportStart - 7 years, ReportID lsa_Report's."""
    cursor = run()
    got = {r["cohort"]: (r["cohortstart"], r["cohortend"]) for r in rows(cursor, "SELECT * FROM tlsa_CohortDates")}
    assert got == {
        -2: (date(2023, 10, 1), date(2024, 9, 30)),
        -1: (date(2024, 10, 1), date(2025, 9, 30)),
        0: (date(2025, 10, 1), date(2026, 3, 30)),
        1: (date(2025, 10, 1), date(2026, 9, 30)),
        10: (date(2025, 10, 31), date(2025, 10, 31)),
        11: (date(2026, 1, 31), date(2026, 1, 31)),
        12: (date(2026, 4, 30), date(2026, 4, 30)),
        13: (date(2026, 7, 31), date(2026, 7, 31)),
    }
    cursor.execute("SELECT DISTINCT LookbackDate, ReportID FROM tlsa_CohortDates")
    assert cursor.fetchall() == [(date(2018, 10, 1), 1)]


def test_h4_cohort_dates_of_a_hic_and_of_a_short_period():
    """3.2: a HIC (LSAScope 3) on 01/28/2026 has only the active cohort 1 (01/28/2026 both ends):
    exit and point-in-time cohorts are included only when LSAScope <> 3.
    A systemwide LSA 01/01/2026 - 03/31/2026: cohort 0 ends on ReportEnd since ReportEnd - 6 months
    (09/30/2025) <= ReportStart; of the point-in-time dates only 01/31/2026 is in the period (10/31/2026,
    04/30/2026 and 07/31/2026 are not), so only cohort 11 of 10-13."""
    cursor = run(date(2026, 1, 28), date(2026, 1, 28), scope=3)
    assert rows(cursor, "SELECT Cohort, CohortStart, CohortEnd FROM tlsa_CohortDates") == [
        {"cohort": 1, "cohortstart": date(2026, 1, 28), "cohortend": date(2026, 1, 28)}]
    cursor = run(date(2026, 1, 1), date(2026, 3, 31))
    got = {r["cohort"]: (r["cohortstart"], r["cohortend"]) for r in rows(cursor, "SELECT * FROM tlsa_CohortDates")}
    assert got == {
        -2: (date(2024, 1, 1), date(2024, 3, 31)),
        -1: (date(2025, 1, 1), date(2025, 3, 31)),
        0: (date(2026, 1, 1), date(2026, 3, 31)),
        1: (date(2026, 1, 1), date(2026, 3, 31)),
        11: (date(2026, 1, 31), date(2026, 1, 31)),
    }


def test_h4_record_selection_leaves_out_invalid_households(tenancy):
    """3.3 Record Selection, each household in A Shelter (ES entry-exit, TS-500) unless said:
    - KEEP: Ann alone, entered 11/01/2025: meets every criterion.
    - TWO: Bob and Cy both RelationshipToHoH 1: "exactly one enrollment record where
      RelationshipToHoH = 1" fails, the household and both enrollments are left out.
    - VSP: Dee in V Shelter, whose organization is a victim service provider (VictimServiceProvider = 0
      is required).
    - OTHER: Eve's EnrollmentCoC is TS-501, not ReportCoC.
    - OLD: Fay exited 06/01/2018, before LookbackDate 10/01/2018 (ExitDate > LookbackDate is required);
      ONLOOK exited on LookbackDate itself, also out; AFTER exited 10/02/2018, the day after: kept. These
      three are in A Old Shelter, operating since 01/01/2010 (an exit must also follow OperatingStartDate).
    - OUT: Gus in A Outreach (SO, type 4): not a project type the LSA's enrollments use.
    - LATE: Hal entered 10/01/2026, after ReportEnd.
    - SAME: Ida entered and exited on 01/05/2026: an ExitDate must be later than the EntryDate.
    In tlsa_Enrollment only Ann's, Jo's (AFTER) enrollments are."""
    t = tenancy
    old = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Old Shelter", operating_start=date(2010, 1, 1))
    keep = stay(t, person(t, "Ann"), t.shelter_a, "KEEP", date(2025, 11, 1))
    stay(t, person(t, "Bob"), t.shelter_a, "TWO", date(2025, 11, 1))
    stay(t, person(t, "Cy"), t.shelter_a, "TWO", date(2025, 11, 1))
    stay(t, person(t, "Dee"), t.shelter_v, "VSP", date(2025, 11, 1))
    eve = stay(t, person(t, "Eve"), t.shelter_a, "OTHER", date(2025, 11, 1))
    Enrollment.objects.filter(pk=eve.pk).update(enrollment_coc="TS-501")
    stay(t, person(t, "Fay"), old, "OLD", date(2017, 1, 1), date(2018, 6, 1))
    stay(t, person(t, "Flo"), old, "ONLOOK", date(2017, 1, 1), date(2018, 10, 1))
    after = stay(t, person(t, "Jo"), old, "AFTER", date(2017, 1, 1), date(2018, 10, 2))
    stay(t, person(t, "Gus"), t.outreach_a, "OUT", date(2025, 11, 1))
    stay(t, person(t, "Hal"), t.shelter_a, "LATE", date(2026, 10, 1))
    stay(t, person(t, "Ida"), t.shelter_a, "SAME", date(2026, 1, 5), date(2026, 1, 5))
    cursor = run()
    assert set(households(cursor)) == {"KEEP", "AFTER"}
    assert set(enrollments(cursor)) == {keep.enrollment_id, after.enrollment_id}
    hh = households(cursor)["KEEP"]
    assert (hh["enrollmentid"], hh["hohid"], hh["lsaprojecttype"], hh["entrydate"], hh["exitdate"], hh["exitdest"]) \
        == (keep.enrollment_id, keep.client.client_id, 0, date(2025, 11, 1), None, -1)


def test_h4_rrh_services_only_is_type_15_and_rrh_housing_13(tenancy):
    """3.3 LSAProjectType: ProjectType 13 with RRHSubType 1 (services only) is 15, with RRHSubType 2
    (housing) stays 13; PSH stays 3. The type is copied to every member's tlsa_Enrollment row (3.4)."""
    t = tenancy
    rrh_so = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH-SO", project_type=13, rrh_subtype=1)
    rrh = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH", project_type=13, rrh_subtype=2)
    stay(t, person(t, "Ann"), rrh_so, "SO", date(2025, 11, 1))
    kid = stay(t, person(t, "Kid", date(2016, 1, 1)), rrh_so, "SO", date(2025, 11, 1), head=False)
    stay(t, person(t, "Bob"), rrh, "RRH", date(2025, 11, 1))
    stay(t, person(t, "Cy"), t.housing_b, "PSH", date(2025, 11, 1))
    cursor = run()
    assert {k: v["lsaprojecttype"] for k, v in households(cursor).items()} == {"SO": 15, "RRH": 13, "PSH": 3}
    assert enrollments(cursor)[kid.enrollment_id]["lsaprojecttype"] == 15


def test_h4_night_by_night_dates_come_from_bed_nights(tenancy):
    """3.3 EntryDate/ExitDate/LastBedNight and 3.4 for night-by-night ES (ProjectType 1):
    - GONE: Ann entered 11/01/2025, bed nights 11/03, 11/04, 11/05/2025, no exit. EntryDate is the first
      bed night 11/03/2025 ("begins with a bed night"); LastBednight 11/05/2025; no bed night in the 90
      days ending on ReportEnd, so the auto-exit: ExitDate = LastBedNight + 1 = 11/06/2025, ExitDest 99
      (the effective exit differs from the (missing) recorded one). Her son Sam (member) has a bed night on
      11/04/2025 only: his EntryDate 11/04/2025, LastBednight 11/04/2025, ExitDate 11/05/2025
      (LastBedNight + 1, as the household has an exit).
    - STAY: Bob entered 09/01/2026, bed nights 09/01 and 09/20/2026, no exit: LastBedNight + 90 days is
      after ReportEnd, so no exit (ExitDate NULL, ExitDest -1).
    - LEFT: Cy entered 01/01/2026, bed nights 01/01 and 02/10/2026, exit recorded 03/01/2026 with
      destination 410: for LSAProjectType 1 with ExitDate < ReportEnd the exit is LastBedNight + 1 =
      02/11/2026 and, the recorded exit being changed, ExitDest is 99, not 410.
    - NONE: Dee entered 01/01/2026 with no bed night: a night-by-night enrollment needs one (3.3 Record
      Selection), so the household is left out."""
    t = tenancy
    nbn = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Night Shelter", project_type=1)
    ann = stay(t, person(t, "Ann"), nbn, "GONE", date(2025, 11, 1))
    bed_nights(t, ann, date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5))
    sam = stay(t, person(t, "Sam", date(2015, 1, 1)), nbn, "GONE", date(2025, 11, 1), head=False)
    bed_nights(t, sam, date(2025, 11, 4))
    bob = stay(t, person(t, "Bob"), nbn, "STAY", date(2026, 9, 1))
    bed_nights(t, bob, date(2026, 9, 1), date(2026, 9, 20))
    cy = stay(t, person(t, "Cy"), nbn, "LEFT", date(2026, 1, 1), date(2026, 3, 1), destination=410)
    bed_nights(t, cy, date(2026, 1, 1), date(2026, 2, 10))
    stay(t, person(t, "Dee"), nbn, "NONE", date(2026, 1, 1))
    cursor = run()
    hh = households(cursor)
    assert set(hh) == {"GONE", "STAY", "LEFT"}
    got = {k: (v["lsaprojecttype"], v["entrydate"], v["lastbednight"], v["exitdate"], v["exitdest"])
           for k, v in hh.items()}
    assert got == {
        "GONE": (1, date(2025, 11, 3), date(2025, 11, 5), date(2025, 11, 6), 99),
        "STAY": (1, date(2026, 9, 1), date(2026, 9, 20), None, -1),
        "LEFT": (1, date(2026, 1, 1), date(2026, 2, 10), date(2026, 2, 11), 99),
    }
    en = enrollments(cursor)
    assert (en[sam.enrollment_id]["entrydate"], en[sam.enrollment_id]["lastbednight"],
            en[sam.enrollment_id]["exitdate"]) == (date(2025, 11, 4), date(2025, 11, 4), date(2025, 11, 5))
    assert (en[ann.enrollment_id]["entrydate"], en[ann.enrollment_id]["exitdate"]) \
        == (date(2025, 11, 3), date(2025, 11, 6))


def test_h4_move_in_dates(tenancy):
    """3.3 MoveInDate and ExitDate, 3.4 MoveInDate:
    - LATE: PSH (B Housing), entered 10/15/2025, exited 01/10/2026, MoveInDate 02/01/2026: a move-in after
      the exit is ignored (MoveInDate NULL); the exit stays 01/10/2026 with its destination 410.
    - SAMEPSH: PSH, move-in 03/01/2026 = exit 03/01/2026: "not counted as housed in PSH", MoveInDate NULL.
    - RRH: RRH housing, entered 01/01/2026, move-in = exit = 03/01/2026, destination 410: housed in RRH on
      the exit date, so MoveInDate 03/01/2026 and the effective ExitDate is MoveInDate + 1 = 03/02/2026;
      ExitDest keeps 410 (the recorded exit is the MoveInDate, the one exception in 3.3 ExitDest).
    - KID: PSH, HoH Ann entered 10/15/2025, moved in 11/01/2025, still there; her child Kim joined on
      12/01/2025: a household move-in before a member's entry gives the member her EntryDate as
      MoveInDate (12/01/2025); Ann's is 11/01/2025."""
    t = tenancy
    rrh = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH", project_type=13, rrh_subtype=2)
    stay(t, person(t, "Bob"), t.housing_b, "LATE", date(2025, 10, 15), date(2026, 1, 10), destination=410,
         move_in_date=date(2026, 2, 1))
    stay(t, person(t, "Cy"), t.housing_b, "SAMEPSH", date(2025, 10, 15), date(2026, 3, 1), destination=410,
         move_in_date=date(2026, 3, 1))
    stay(t, person(t, "Dee"), rrh, "RRH", date(2026, 1, 1), date(2026, 3, 1), destination=410,
         move_in_date=date(2026, 3, 1))
    ann = stay(t, person(t, "Ann"), t.housing_b, "KID", date(2025, 10, 15), move_in_date=date(2025, 11, 1))
    kim = stay(t, person(t, "Kim", date(2015, 5, 5)), t.housing_b, "KID", date(2025, 12, 1), head=False)
    cursor = run()
    got = {k: (v["moveindate"], v["exitdate"], v["exitdest"]) for k, v in households(cursor).items()}
    assert got == {
        "LATE": (None, date(2026, 1, 10), 410),
        "SAMEPSH": (None, date(2026, 3, 1), 410),
        "RRH": (date(2026, 3, 1), date(2026, 3, 2), 410),
        "KID": (date(2025, 11, 1), None, -1),
    }
    en = enrollments(cursor)
    assert en[ann.enrollment_id]["moveindate"] == date(2025, 11, 1)
    assert en[kim.enrollment_id]["moveindate"] == date(2025, 12, 1)


def test_h4_operating_dates_bound_the_effective_dates(tenancy):
    """3.3: "anything that occurs outside of date range in which a project is both operating and
    participating in HMIS is disregarded". A Late Shelter operates 12/01/2025 - 05/01/2026 (no
    participation record: it participates while it operates). Ann entered 11/01/2025 and never exited:
    EntryDate is the later of OperatingStartDate/HMISStart, 12/01/2025 (EntryDate priority 3); ExitDate is
    the OperatingEndDate 05/01/2026 (ExitDate priority 5), so ExitDest 99 (an adjusted exit)."""
    t = tenancy
    late = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Late Shelter", operating_start=date(2025, 12, 1),
                          operating_end=date(2026, 5, 1))
    stay(t, person(t, "Ann"), late, "H", date(2025, 11, 1))
    cursor = run()
    hh = households(cursor)["H"]
    assert (hh["entrydate"], hh["exitdate"], hh["exitdest"]) == (date(2025, 12, 1), date(2026, 5, 1), 99)


def test_h4_household_types(tenancy):
    """3.5/3.6, stays in A Shelter from 11/01/2025 (EntryAge is the age group at entry):
    - AO: Ann (born 01/01/1980: 45 at entry, EntryAge 54 = "45 to 54") alone -> 1.
    - AC: Bob (born 1980) with his daughter Bea (born 2015, EntryAge 17 = "6 to 17") -> 2.
    - CO: Cal (born 01/01/2010, 15 at entry, EntryAge 17) alone as HoH -> 3.
    - UN: Dee (born 1980) with Dex, who has no DOB (EntryAge 99): 1 adult, 0 children, 1 unknown -> 99.
    The period started before these entries, so Active/Exit1/Exit2HHType equal EntryHHType."""
    t = tenancy
    ann = stay(t, person(t, "Ann"), t.shelter_a, "AO", date(2025, 11, 1))
    stay(t, person(t, "Bob"), t.shelter_a, "AC", date(2025, 11, 1))
    stay(t, person(t, "Bea", date(2015, 3, 1)), t.shelter_a, "AC", date(2025, 11, 1), head=False)
    cal = stay(t, person(t, "Cal", date(2010, 1, 1)), t.shelter_a, "CO", date(2025, 11, 1))
    stay(t, person(t, "Dee"), t.shelter_a, "UN", date(2025, 11, 1))
    dex = stay(t, person(t, "Dex", None), t.shelter_a, "UN", date(2025, 11, 1), head=False)
    cursor = run()
    got = {k: (v["entryhhtype"], v["activehhtype"], v["exit1hhtype"], v["exit2hhtype"])
           for k, v in households(cursor).items()}
    assert got == {"AO": (1, 1, 1, 1), "AC": (2, 2, 2, 2), "CO": (3, 3, 3, 3), "UN": (99, 99, 99, 99)}
    en = enrollments(cursor)
    assert (en[ann.enrollment_id]["entryage"], en[cal.enrollment_id]["entryage"], en[dex.enrollment_id]["entryage"]) \
        == (54, 17, 99)


def test_h4_ages_at_the_later_of_entry_and_cohort_start(tenancy):
    """3.5 ActiveAge/Exit1Age and 3.6 ActiveHHType/Exit1HHType:
    - ACT: Amy, born 08/15/2007, entered 06/01/2025 (before ReportStart) and is still there: EntryAge 17
      (17 at entry), ActiveAge 21 (18 on ReportStart 10/01/2025, "18 to 21"); EntryHHType 3 (CO) but
      ActiveHHType 1 (AO), as the household is active with an EntryDate before ReportStart.
    - EX1: Eli, born 08/01/2006, entered 06/01/2024 and exited 03/01/2025, inside exit cohort -1
      (10/01/2024 - 09/30/2025): EntryAge 17; Exit1Age 21 (18 on CohortStart 10/01/2024); ActiveAge = EntryAge
      (exited before ReportStart); Exit2Age = EntryAge (exit not in cohort -2's 10/01/2023 - 09/30/2024).
      EntryHHType 3; ActiveHHType 3 (ExitDate < ReportStart: EntryHHType); Exit1HHType 1 (entered before
      CohortStart -1 and exited after it: Exit1Age); Exit2HHType 3 (EntryDate >= CohortStart -2 10/01/2023:
      EntryHHType)."""
    t = tenancy
    amy = stay(t, person(t, "Amy", date(2007, 8, 15)), t.shelter_a, "ACT", date(2025, 6, 1))
    eli = stay(t, person(t, "Eli", date(2006, 8, 1)), t.shelter_a, "EX1", date(2024, 6, 1), date(2025, 3, 1))
    cursor = run()
    en = enrollments(cursor)
    assert (en[amy.enrollment_id]["entryage"], en[amy.enrollment_id]["activeage"]) == (17, 21)
    assert tuple(en[eli.enrollment_id][k] for k in ("entryage", "activeage", "exit1age", "exit2age")) \
        == (17, 17, 21, 17)
    got = {k: (v["entryhhtype"], v["activehhtype"], v["exit1hhtype"], v["exit2hhtype"])
           for k, v in households(cursor).items()}
    assert got == {"ACT": (3, 1, 3, 3), "EX1": (3, 3, 1, 3)}


def test_h4_an_invalid_dob_on_one_enrollment_makes_every_entry_age_unknown(tenancy):
    """3.5 EntryAge (in A Old Shelter, operating since 2010): Lu, born 01/01/2020, was HoH of a household
    entered 06/01/2019, before her DOB
    (DOB > EntryDate: 99) and of another entered 11/01/2025 (she would be 5): "if there is any enrollment
    in tlsa_Enrollment where EntryAge = 99, EntryAge for all enrollments should be set to 99". Both 99,
    and her ActiveAge on the second stays 99 (EntryAge 98/99 is kept)."""
    t = tenancy
    old = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Old Shelter", operating_start=date(2010, 1, 1))
    lu = person(t, "Lu", date(2020, 1, 1))
    first = stay(t, lu, old, "H1", date(2019, 6, 1), date(2019, 7, 1))
    second = stay(t, lu, old, "H2", date(2025, 11, 1))
    cursor = run()
    en = enrollments(cursor)
    assert (en[first.enrollment_id]["entryage"], en[second.enrollment_id]["entryage"],
            en[second.enrollment_id]["activeage"]) == (99, 99, 99)


def test_h4_members_follow_the_head_of_household(tenancy):
    """3.4 ExitDate and DisabilityStatus, 3.6 ActiveHHType, in A Shelter:
    - DONE: Ann (HoH, DisablingCondition 1) entered 11/01/2025 and exited 02/01/2026; her partner Al never
      exited and her partner Bo exited 03/01/2026: "no household member's enrollment may continue past the
      head of household's ... exit date", so both have ExitDate 02/01/2026. DisabilityStatus: Ann 1
      (DisablingCondition 1), Al NULL (DisablingCondition 99 is neither 0 nor 1), Bo 0.
    - MIXED: Cat (born 1980) entered 06/01/2025 with her son Cole (born 2015), who left on 08/01/2025, before
      ReportStart; Cat is still there. EntryHHType 2 (AC: an adult and a child); the household is active
      and entered before ReportStart, so ActiveHHType counts only members with no exit or an exit on or after
      ReportStart: Cat alone, 1 (AO)."""
    t = tenancy
    ann = stay(t, person(t, "Ann"), t.shelter_a, "DONE", date(2025, 11, 1), date(2026, 2, 1), disabling_condition=1)
    al = stay(t, person(t, "Al"), t.shelter_a, "DONE", date(2025, 11, 1), head=False, disabling_condition=99)
    bo = stay(t, person(t, "Bo"), t.shelter_a, "DONE", date(2025, 11, 1), date(2026, 3, 1), head=False)
    stay(t, person(t, "Cat"), t.shelter_a, "MIXED", date(2025, 6, 1))
    stay(t, person(t, "Cole", date(2015, 1, 1)), t.shelter_a, "MIXED", date(2025, 6, 1), date(2025, 8, 1), head=False)
    cursor = run()
    en = enrollments(cursor)
    assert {e.enrollment_id: (en[e.enrollment_id]["exitdate"], en[e.enrollment_id]["disabilitystatus"])
            for e in (ann, al, bo)} == {
        ann.enrollment_id: (date(2026, 2, 1), 1),
        al.enrollment_id: (date(2026, 2, 1), None),
        bo.enrollment_id: (date(2026, 2, 1), 0),
    }
    hh = households(cursor)["MIXED"]
    assert (hh["entryhhtype"], hh["activehhtype"]) == (2, 1)


def test_h4_entry_age_data_quality_rules(tenancy):
    """3.5 EntryAge, stays in A Shelter from 11/01/2025:
    - Dot: DOBDataQuality 8 (client doesn't know), DOB recorded anyway: priority 1, EntryAge 98.
    - Hoa: HoH born on her EntryDate 11/01/2025: priority 5 (HoH with DOB = EntryDate), 99.
    - Old: born 01/01/1915, 110 at entry: DOB + 105 years <= EntryDate, 99.
    - Amy: born 11/01/2007, 18 exactly on her EntryDate 11/01/2025: DOB + 18 years <= EntryDate, 21."""
    t = tenancy
    dot = stay(t, person(t, "Dot", date(1990, 1, 1), dob_data_quality=8), t.shelter_a, "D", date(2025, 11, 1))
    hoa = stay(t, person(t, "Hoa", date(2025, 11, 1)), t.shelter_a, "H", date(2025, 11, 1))
    old = stay(t, person(t, "Old", date(1915, 1, 1)), t.shelter_a, "O", date(2025, 11, 1))
    amy = stay(t, person(t, "Amy", date(2007, 11, 1)), t.shelter_a, "A", date(2025, 11, 1))
    cursor = run()
    en = enrollments(cursor)
    assert [en[e.enrollment_id]["entryage"] for e in (dot, hoa, old, amy)] == [98, 99, 99, 21]
