"""Issue 20: LSA sections 10 (data quality rows of LSACalculated) and 11 (LSAReport's data quality
counts): reports/hud/lsa/sql/10_dq.sql and 11_report.sql.

Rule H4: HUD reports follow HUD's programming specifications. Section numbers are those of HUD's LSA
Programming Specifications (docs/10 - LSACalculated Data Quality Counts.md, docs/11 - LSAReport.md,
abtassociates/LSASampleCode). The report period is FY2026: ReportStart 2025-10-01, ReportEnd 2026-09-30.

Each test builds HMIS records, runs section 4 (04_pdde.sql: lsa_Project, lsa_Organization,
lsa_HMISParticipation), then writes by hand the rows of tlsa_HHID, tlsa_Enrollment and tlsa_Person that
sections 3 and 5 would make (the tables are created with 03_core.sql's own CREATE statements), so each
count is checked on exactly the flags it reads; then runs 10_dq.sql and 11_report.sql.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from agencies.models import HmisParticipation, ProjectCoc
from clients.models import Client
from enrollments.models import Enrollment
from reports.hud.lsa import pipeline
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db

START, END = date(2025, 10, 1), date(2026, 9, 30)
SQL = Path(pipeline.__file__).with_name("sql")
DQ_COUNTS = ["NoCoC", "NotOneHoH", "RelationshipToHoH", "MoveInDate", "UnduplicatedClient", "HouseholdEntry",
             "ClientEntry", "AdultHoHEntry", "ClientExit", "SSN4Digit", "SSNNotProvided", "SSNMissingOrInvalid",
             "ClientSSNNotUnique", "DistinctSSNValueNotUnique", "DisablingCond", "LivingSituation", "LengthOfStay",
             "HomelessDate", "TimesHomeless", "MonthsHomeless", "Destination"]


def coc_row(project, code="TS-500"):
    return ProjectCoc.objects.create(project=project, coc_code=code, geocode="290001", zip_code="63101",
                                     geography_type=1)


def pid(project):
    return str(project.pk)


def prepare(cursor, scope=1):
    """lsa_Report, section 4's tables, and empty tlsa_HHID / tlsa_Enrollment / tlsa_Person."""
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END, scope=scope))
    cursor.execute((SQL / "04_pdde.sql").read_text())
    core = (SQL / "03_core.sql").read_text()
    for table in ("tlsa_HHID", "tlsa_Enrollment"):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(re.search(rf"CREATE TEMP TABLE {table} \(.*?\);", core, re.S).group(0))
    cursor.execute("DROP TABLE IF EXISTS tlsa_Person")
    cursor.execute("CREATE TEMP TABLE tlsa_Person (PersonalID varchar(32), SSNValid int, ReportID int)")


def insert(cursor, table, **values):
    columns = ", ".join(values)
    cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(values))})", list(values.values()))


def hhid(cursor, enrollment, lsa_type, active=True, air=True, **values):
    """A tlsa_HHID row for a HoH's HMIS enrollment (3.3), Active / AIR as section 5.1 would set them."""
    insert(cursor, "tlsa_HHID", **({
        "HouseholdID": enrollment.household_id, "HoHID": enrollment.client.client_id,
        "EnrollmentID": enrollment.enrollment_id, "ProjectID": pid(enrollment.project), "LSAProjectType": lsa_type,
        "EntryDate": enrollment.entry_date, "ExitDate": enrollment.exit_date, "Active": active, "AIR": air} | values))


def member(cursor, enrollment, lsa_type, age=40, active=True, air=True, **values):
    """A tlsa_Enrollment row for an HMIS enrollment (3.4), Active / AIR as section 5.2 would set them."""
    insert(cursor, "tlsa_Enrollment", **({
        "EnrollmentID": enrollment.enrollment_id, "PersonalID": enrollment.client.client_id,
        "HouseholdID": enrollment.household_id, "RelationshipToHoH": enrollment.relationship_to_hoh,
        "ProjectID": pid(enrollment.project), "LSAProjectType": lsa_type, "EntryDate": enrollment.entry_date,
        "ExitDate": enrollment.exit_date, "ActiveAge": age, "DisabilityStatus": 0, "Active": active, "AIR": air}
        | values))


def fake_member(cursor, enrollment_id, personal_id, household_id, project, rel=1, age=40, exit_date=None,
                active=True, air=True):
    """A tlsa_Enrollment row with no HMIS record behind it: for the counts that read only tlsa_Enrollment."""
    insert(cursor, "tlsa_Enrollment", EnrollmentID=enrollment_id, PersonalID=personal_id, HouseholdID=household_id,
           RelationshipToHoH=rel, ProjectID=pid(project), LSAProjectType=project.project_type, EntryDate=START,
           ExitDate=exit_date, ActiveAge=age, DisabilityStatus=0, Active=active, AIR=air)


def run_dq(cursor):
    cursor.execute((SQL / "10_dq.sql").read_text())
    cursor.execute((SQL / "11_report.sql").read_text())


def dq_rows(cursor):
    """{(ReportRow, ProjectID): Value} of lsa_Calculated's rows 901-921, after checking the static columns
    of 10.1 (Cohort 1, Universe 10, HHType 0, Population 0, SystemPath -1, ReportID) and 10.21 (Value > 0)."""
    cursor.execute("SELECT Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID "
                   "FROM lsa_Calculated WHERE ReportRow BETWEEN 901 AND 921")
    found = cursor.fetchall()
    for value, cohort, universe, hh_type, population, path, project, _row, report in found:
        assert (cohort, universe, hh_type, population, path, report) == (1, 10, 0, 0, -1, 1)
        assert value > 0 and project is not None
    return {(row, project): value for value, _, _, _, _, _, project, row, _ in found}


def report(cursor, *columns):
    cursor.execute(f"SELECT {', '.join(columns or DQ_COUNTS)} FROM lsa_Report")
    return dict(zip(columns or DQ_COUNTS, cursor.fetchone(), strict=True))


def test_h4_every_count_is_zero_without_data(tenancy):
    """11.9: none of LSAReport's 32 columns may be NULL: with no enrollment every count is 0, and section 10
    writes no row (10.21: a Value is always > 0). 10_dq.sql creates lsa_Calculated when 08 has not."""
    with connection.cursor() as cursor:
        prepare(cursor)
        cursor.execute("DROP TABLE IF EXISTS lsa_Calculated")
        run_dq(cursor)
        assert report(cursor) == dict.fromkeys(DQ_COUNTS, 0)
        assert dq_rows(cursor) == {}


def test_h4_households_without_a_coc(tenancy):
    """11.1 NoCoC and 10.4 (row 905). "A Shelter" and "V Shelter" serve TS-500 (ProjectCoC).
    H1 Ann, HoH, no EnrollmentCoC: NoCoC (no CoC) and 905 (no HoH enrollment with a CoC).
    H2 Bob, HoH, EnrollmentCoC TS-501: NoCoC (not one of the project's CoC codes); not 905 (a CoC is recorded).
    H3 Cat, HoH, TS-500: neither.
    H4 Dan, no CoC, exited 2025-09-01 (before ReportStart): neither (not active in the period).
    H5 Eve, no CoC, at "V Shelter" (victim service provider): not NoCoC (11.1 counts non-VSP organizations
    only); 905 (10.4 has no such condition).
    So NoCoC = 2 (H1, H2); 905 = 1 for A Shelter and 1 for V Shelter."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.shelter_v)
    made = [stay(t, person(t, "Ann"), t.shelter_a, "H1", date(2025, 11, 1)),
            stay(t, person(t, "Bob"), t.shelter_a, "H2", date(2025, 11, 1)),
            stay(t, person(t, "Cat"), t.shelter_a, "H3", date(2025, 11, 1)),
            stay(t, person(t, "Dan"), t.shelter_a, "H4", date(2025, 6, 1), date(2025, 9, 1)),
            stay(t, person(t, "Eve"), t.shelter_v, "H5", date(2025, 11, 1))]
    for enrollment, coc in zip(made, ["", "TS-501", "TS-500", "", ""], strict=True):
        Enrollment.objects.filter(pk=enrollment.pk).update(enrollment_coc=coc)
    with connection.cursor() as cursor:
        prepare(cursor)
        run_dq(cursor)
        assert report(cursor, "NoCoC") == {"NoCoC": 2}
        assert dq_rows(cursor) == {(905, pid(t.shelter_a)): 1, (905, pid(t.shelter_v)): 1}


def test_h4_households_without_exactly_one_head_and_invalid_relationships(tenancy):
    """11.2 NotOneHoH, 11.3 RelationshipToHoH, 10.6 (row 907), 10.7 (row 908), all at "A Shelter" (TS-500).
    H1: Ann and Bob both HoH: NotOneHoH; 907 counts both enrollments.
    H2: Cat is a child of the HoH and no one is HoH: NotOneHoH; 907 counts Cat's enrollment.
    H3: Dan HoH, Eve with no RelationshipToHoH: 908 counts Eve's enrollment; H3 is in tlsa_HHID and Active
    (Dan's household is valid), so 11.3 counts Eve's enrollment too.
    H4: two HoHs at "C Shelter" (TS-501, not in lsa_Project): not counted anywhere.
    So NotOneHoH = 2, RelationshipToHoH = 1, 907 = 3, 908 = 1. Also: 905 = 1 (10.4: H2 has no HoH enrollment
    recording a CoC) and 909 = 1 (10.8: Dan's household, AIR)."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.shelter_c, "TS-501")
    entry = date(2025, 11, 1)
    stay(t, person(t, "Ann"), t.shelter_a, "H1", entry)
    stay(t, person(t, "Bob"), t.shelter_a, "H1", entry)
    stay(t, person(t, "Cat", date(2015, 1, 1)), t.shelter_a, "H2", entry, head=False)
    dan = stay(t, person(t, "Dan"), t.shelter_a, "H3", entry)
    eve = stay(t, person(t, "Eve"), t.shelter_a, "H3", entry, head=False)
    Enrollment.objects.filter(pk=eve.pk).update(relationship_to_hoh=None)
    for name in ("Fay", "Gus"):
        enrollment = stay(t, person(t, name), t.shelter_c, "H4", entry)
        Enrollment.objects.filter(pk=enrollment.pk).update(enrollment_coc="TS-501")
    with connection.cursor() as cursor:
        prepare(cursor)
        hhid(cursor, dan, 0)
        run_dq(cursor)
        assert report(cursor, "NotOneHoH", "RelationshipToHoH") == {"NotOneHoH": 2, "RelationshipToHoH": 1}
        a = pid(t.shelter_a)
        assert dq_rows(cursor) == {(905, a): 1, (907, a): 3, (908, a): 1, (909, a): 1}


def test_h4_invalid_move_in_dates(tenancy):
    """11.4 MoveInDate: tlsa_HHID enrollments in RRH/PSH (LSAProjectType 3, 13, 15), Active, whose effective
    MoveInDate is NULL (3.3 dropped an invalid one) while HMIS has a MoveInDate <= ReportEnd.
    Ann (PSH, active, HMIS move-in 2025-09-01 before her 2025-11-01 entry, dropped): counted.
    Bob (PSH, active, valid move-in kept in tlsa_HHID): not counted.
    Cat (PSH, active, no HMIS move-in): not counted.
    Dan (PSH, HMIS move-in dropped, but not Active): not counted.
    So MoveInDate = 1."""
    t = tenancy
    coc_row(t.housing_b)
    entry = date(2025, 11, 1)
    ann = stay(t, person(t, "Ann"), t.housing_b, "H1", entry, move_in_date=date(2025, 9, 1))
    bob = stay(t, person(t, "Bob"), t.housing_b, "H2", entry, move_in_date=date(2025, 12, 1))
    cat = stay(t, person(t, "Cat"), t.housing_b, "H3", entry)
    dan = stay(t, person(t, "Dan"), t.housing_b, "H4", entry, move_in_date=date(2025, 9, 1))
    with connection.cursor() as cursor:
        prepare(cursor)
        hhid(cursor, ann, 3)
        hhid(cursor, bob, 3, MoveInDate=date(2025, 12, 1))
        hhid(cursor, cat, 3)
        hhid(cursor, dan, 3, active=False, air=False)
        run_dq(cursor)
        assert report(cursor, "MoveInDate") == {"MoveInDate": 1}


def test_h4_baseline_counts_systemwide_and_hic(tenancy):
    """11.5 and 10.8-10.11 (rows 909-912), over tlsa_HHID / tlsa_Enrollment rows with AIR or (Active and
    LSAScope <> 3):
    H1 at A Shelter: Ann (HoH, 40, AIR) and Kid (child, 5, AIR).
    H2 at A Shelter: Bob (HoH, 40, Active, not AIR: exited on ReportStart, 5.1), ExitDate 2025-10-01.
    H3 at B Housing: Ann again (HoH, AIR), exited 2026-02-01.
    Systemwide: UnduplicatedClient 3 (Ann, Kid, Bob); HouseholdEntry 3; ClientEntry 4; AdultHoHEntry 3 (Kid
    is neither 18-65 nor HoH); ClientExit 2 PersonalIDs (Bob, Ann).
    By project (909 households, 910 enrollments, 911 adult/HoH enrollments, 912 people exiting):
    A Shelter 2, 3, 2, 1 (Bob); B Housing 1, 1, 1, 1 (Ann).
    HIC (LSAScope 3): AIR only, so Bob's H2 drops out: 2, 2, 3, 2, 1."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.housing_b)

    def build(cursor):
        for household, project, exit_date, air in [("H1", t.shelter_a, None, True),
                                                   ("H2", t.shelter_a, START, False),
                                                   ("H3", t.housing_b, date(2026, 2, 1), True)]:
            insert(cursor, "tlsa_HHID", HouseholdID=household, HoHID="x", EnrollmentID=f"{household}-hoh",
                   ProjectID=pid(project), LSAProjectType=project.project_type, EntryDate=START, ExitDate=exit_date,
                   Active=True, AIR=air)
        fake_member(cursor, "E1", "ann", "H1", t.shelter_a)
        fake_member(cursor, "E2", "kid", "H1", t.shelter_a, rel=2, age=5)
        fake_member(cursor, "E3", "bob", "H2", t.shelter_a, exit_date=START, air=False)
        fake_member(cursor, "E4", "ann", "H3", t.housing_b, exit_date=date(2026, 2, 1))

    counts = ["UnduplicatedClient", "HouseholdEntry", "ClientEntry", "AdultHoHEntry", "ClientExit"]
    with connection.cursor() as cursor:
        prepare(cursor)
        build(cursor)
        run_dq(cursor)
        assert report(cursor, *counts) == dict(zip(counts, [3, 3, 4, 3, 2], strict=True))
        a, b = pid(t.shelter_a), pid(t.housing_b)
        # (these rows have no HMIS enrollment behind them: only rows 909-912, which read tlsa_* alone)
        assert {key: value for key, value in dq_rows(cursor).items() if key[0] <= 912} == {
            (909, a): 2, (910, a): 3, (911, a): 2, (912, a): 1, (909, b): 1, (910, b): 1, (911, b): 1, (912, b): 1}
        prepare(cursor, scope=3)
        build(cursor)
        run_dq(cursor)
        assert report(cursor, *counts) == dict(zip(counts, [2, 2, 3, 2, 1], strict=True))


def test_h4_ssn_issues(tenancy):
    """11.6 SSNValid and the SSN counts, over people with an AIR or Active enrollment (systemwide).
    Ann: SSNDataQuality 8 -> SSNValid 9 (SSNNotProvided).
    Bob: SSNDataQuality 2, last four digits only (this HMIS stores the digits: '1234') -> 4 (SSN4Digit).
    Cat: '000123456' begins '000' -> 0; Fay: '123456789' is a listed sequence -> 0 (SSNMissingOrInvalid 2).
    Dan and Eve share a valid SSN -> 1 each; Eve's only enrollment is not active, but she is in tlsa_Person
    ("regardless of LSAScope"): Dan is counted in ClientSSNNotUnique (1), Eve is not (not active);
    DistinctSSNValueNotUnique counts the one shared value (1).
    Gus: a valid unique SSN -> 1, counted nowhere."""
    t = tenancy
    coc_row(t.shelter_a)
    people = {}
    for name, quality, ssn in [("Ann", 8, "312411111"), ("Bob", 2, "1234"), ("Cat", 1, "000123456"),
                               ("Dan", 1, "312455555"), ("Eve", 1, "312455555"), ("Fay", 1, "123456789"),
                               ("Gus", 1, "312466666")]:
        client = person(t, name)
        client.set_ssn(ssn)
        client.ssn_data_quality = quality
        client.save()
        people[name] = client
    with connection.cursor() as cursor:
        prepare(cursor)
        for i, (name, client) in enumerate(people.items()):
            insert(cursor, "tlsa_Person", PersonalID=client.client_id, ReportID=1)
            fake_member(cursor, f"E{i}", client.client_id, f"H{i}", t.shelter_a,
                        active=name != "Eve", air=name != "Eve")
        pipeline.fill_ssns(cursor)
        run_dq(cursor)
        assert report(cursor, "SSN4Digit", "SSNNotProvided", "SSNMissingOrInvalid", "ClientSSNNotUnique",
                      "DistinctSSNValueNotUnique") == {
            "SSN4Digit": 1, "SSNNotProvided": 1, "SSNMissingOrInvalid": 2, "ClientSSNNotUnique": 1,
            "DistinctSSNValueNotUnique": 1}
        cursor.execute("SELECT PersonalID, SSNValid FROM tlsa_Person")
        valid = dict(cursor.fetchall())
    assert {name: valid[c.client_id] for name, c in people.items()} == {
        "Ann": 9, "Bob": 4, "Cat": 0, "Dan": 1, "Eve": 1, "Fay": 0, "Gus": 1}


def test_h4_enrollment_data_issues(tenancy):
    """11.7 and 10.12-10.19 (rows 913-920), all enrollments AIR and Active.
    e1 Ann, HoH at A Shelter (ES, LSAProjectType 0): DisabilityStatus 99 (DisablingCond); LivingSituation
      missing (LivingSituation); LengthOfStay 8 (LengthOfStay); no DateToStreetESSH in ES (HomelessDate);
      no TimesHomeless in ES (TimesHomeless); MonthsHomeless 113, valid; exited with Destination 99
      (Destination).
    e2 Kid, child of Ann, age unknown (ActiveAge 99): DisabilityStatus NULL (DisablingCond, every client);
      missing LivingSituation etc. not counted (not an adult or HoH); 920 counts Kid; exited to 410.
    e3 Bob, HoH at B Housing (PSH, 3), came from a rental (410), not from the street: DateToStreetESSH
      2026-05-01 after his 2026-01-01 entry (HomelessDate); Times/Months missing but not asked of him;
      exited to 435 with no DestinationSubsidyType (Destination).
    e4 Cat, HoH at B Housing, from the street (116): MonthsHomeless missing (MonthsHomeless); exited to 410.
    So DisablingCond 2, LivingSituation 1, LengthOfStay 1, HomelessDate 2, TimesHomeless 1,
    MonthsHomeless 1, Destination 2."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.housing_b)
    entry, out = date(2026, 1, 1), date(2026, 3, 1)
    e1 = stay(t, person(t, "Ann"), t.shelter_a, "H1", entry, out, length_of_stay=8,
              months_homeless_past_three_years=113, destination=99)
    e2 = stay(t, person(t, "Kid", date(2016, 1, 1)), t.shelter_a, "H1", entry, out, head=False, destination=410)
    e3 = stay(t, person(t, "Bob"), t.housing_b, "H3", entry, out, living_situation=410, length_of_stay=2,
              previous_street_essh=0, date_to_street_essh=date(2026, 5, 1), destination=435)
    e4 = stay(t, person(t, "Cat"), t.housing_b, "H4", entry, out, living_situation=116, length_of_stay=3,
              date_to_street_essh=date(2025, 1, 1), times_homeless_past_three_years=2, destination=410)
    with connection.cursor() as cursor:
        prepare(cursor)
        member(cursor, e1, 0, DisabilityStatus=99)
        member(cursor, e2, 0, age=99, DisabilityStatus=None)
        member(cursor, e3, 3)
        member(cursor, e4, 3, DisabilityStatus=1)
        run_dq(cursor)
        assert report(cursor, "DisablingCond", "LivingSituation", "LengthOfStay", "HomelessDate", "TimesHomeless",
                      "MonthsHomeless", "Destination") == {
            "DisablingCond": 2, "LivingSituation": 1, "LengthOfStay": 1, "HomelessDate": 2, "TimesHomeless": 1,
            "MonthsHomeless": 1, "Destination": 2}
        a, b = pid(t.shelter_a), pid(t.housing_b)
        rows = {key: value for key, value in dq_rows(cursor).items() if 913 <= key[0] <= 920}
    assert rows == {(913, a): 2, (914, a): 1, (915, a): 1, (916, a): 1, (916, b): 1, (917, a): 1, (918, b): 1,
                    (919, a): 1, (919, b): 1, (920, a): 1}


def test_h4_enrollments_active_after_operating_end(tenancy):
    """10.2 (rows 901, 902): tlsa_Enrollment enrollments in a project whose OperatingEndDate (2026-03-31) is in
    the report period: Ann has no HMIS exit (901); Bob exited 2026-05-01, after the project closed (902);
    Cat exited 2026-03-15 (neither). Dan, at A Shelter (still operating), has no exit: not counted."""
    t = tenancy
    closing = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Closing", operating_end=date(2026, 3, 31))
    coc_row(closing)
    coc_row(t.shelter_a)
    entry = date(2025, 11, 1)
    made = [stay(t, person(t, "Ann"), closing, "H1", entry),
            stay(t, person(t, "Bob"), closing, "H2", entry, date(2026, 5, 1)),
            stay(t, person(t, "Cat"), closing, "H3", entry, date(2026, 3, 15)),
            stay(t, person(t, "Dan"), t.shelter_a, "H4", entry)]
    with connection.cursor() as cursor:
        prepare(cursor)
        for enrollment in made:
            member(cursor, enrollment, 0)
        run_dq(cursor)
        rows = {key: value for key, value in dq_rows(cursor).items() if key[0] in (901, 902)}
    assert rows == {(901, pid(closing)): 1, (902, pid(closing)): 1}


def test_h4_night_by_night_exit_discrepancies_and_missing_bed_nights(tenancy):
    """10.3 (rows 903, 904) and 10.20 (row 921) at a night-by-night shelter (ProjectType 1), entries 2026-01-05.
    a: no exit, last bed night 2026-06-01 <= ReportEnd - 90 days (2026-07-02): 903.
    b: no exit, last bed night 2026-09-01: none.
    c: exited 2026-05-10, last bed night 2026-05-01, not the night before exit: 904.
    d: exited 2026-05-10, last bed night 2026-05-09: none.
    e: no exit, no bed night: not 903 (no LastBedNight to compare); 921 (no bed night in the enrollment).
    f: like e but its household is not in tlsa_HHID: not 903/904 (10.3 needs tlsa_HHID); 921 (10.20 does not).
    So 903 = 1, 904 = 1, 921 = 2."""
    t = tenancy
    nbn = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Night Shelter", project_type=1)
    coc_row(nbn)
    entry = date(2026, 1, 5)
    cases = {"a": (None, date(2026, 6, 1)), "b": (None, date(2026, 9, 1)),
             "c": (date(2026, 5, 10), date(2026, 5, 1)), "d": (date(2026, 5, 10), date(2026, 5, 9)),
             "e": (None, None), "f": (None, None)}
    made = {}
    for key, (exit_date, night) in cases.items():
        made[key] = stay(t, person(t, f"Nbn{key}"), nbn, f"N{key}", entry, exit_date)
        if night:
            bed_nights(t, made[key], night)
    with connection.cursor() as cursor:
        prepare(cursor)
        for key, enrollment in made.items():
            if key != "f":
                hhid(cursor, enrollment, 1)
        run_dq(cursor)
        rows = {key: value for key, value in dq_rows(cursor).items() if key[0] in (903, 904, 921)}
    assert rows == {(903, pid(nbn)): 1, (904, pid(nbn)): 1, (921, pid(nbn)): 2}


def test_h4_enrollments_in_non_participating_periods(tenancy):
    """10.5 (row 906): A Shelter did not participate in HMIS until 2026-01-01 (HMISParticipationType 0 from
    2020-01-01, 1 from 2026-01-01). Ann entered 2025-11-01: no participating record starts by her entry (906).
    Bob entered 2026-02-01: covered. Cat entered 2025-11-01 but her (HoH) enrollment is in TS-501: not counted
    (10.5 requires the HoH's EnrollmentCoC = ReportCoC). So 906 = 1."""
    t = tenancy
    coc_row(t.shelter_a)
    HmisParticipation.objects.create(project=t.shelter_a, participation_type=0, start_date=date(2020, 1, 1),
                                     end_date=date(2026, 1, 1))
    HmisParticipation.objects.create(project=t.shelter_a, participation_type=1, start_date=date(2026, 1, 1))
    stay(t, person(t, "Ann"), t.shelter_a, "H1", date(2025, 11, 1))
    stay(t, person(t, "Bob"), t.shelter_a, "H2", date(2026, 2, 1))
    cat = stay(t, person(t, "Cat"), t.shelter_a, "H3", date(2025, 11, 1))
    Enrollment.objects.filter(pk=cat.pk).update(enrollment_coc="TS-501")
    with connection.cursor() as cursor:
        prepare(cursor)
        run_dq(cursor)
        rows = {key: value for key, value in dq_rows(cursor).items() if key[0] == 906}
    assert rows == {(906, pid(t.shelter_a)): 1}


def test_h4_client_ssn_kept_out_of_unrelated_clients(tenancy):
    """11.6: SSNValid is set for the people in tlsa_Person only; a client outside it is never read."""
    t = tenancy
    outsider = person(t, "Zed")
    Client.objects.filter(pk=outsider.pk).update(ssn_data_quality=8)
    with connection.cursor() as cursor:
        prepare(cursor)
        pipeline.fill_ssns(cursor)
        run_dq(cursor)
        assert report(cursor, "SSNNotProvided", "UnduplicatedClient") == {"SSNNotProvided": 0, "UnduplicatedClient": 0}



def test_h4_whole_pipeline_runs_sections_10_and_11(tenancy):
    """Sections 4, 10 and 11 after the real sections 3-9, through report.build (which also checks each file's
    header against HUD's): Ann, HoH at A Shelter (ES entry/exit, TS-500; ProjectCoC, Funder, Inventory and
    participation on record), in residence from 2025-11-01. UnduplicatedClient, HouseholdEntry, ClientEntry and
    AdultHoHEntry are 1 (11.5); LSACalculated row 910 is 1 for A Shelter (10.9); A Shelter's PDDE records are
    exported (4.1-4.6) and pass HUD's upload checks."""
    from agencies.models import Inventory, ProjectFunder
    from reports.hud.lsa import report as lsa_report

    t = tenancy
    t.shelter_a.housing_type = 1  # site-based (HDX requires a HousingType for ES, flag 801)
    t.shelter_a.save()
    for elsewhere in (t.housing_b, t.shelter_v):  # recorded for another CoC only: not exported (4.1)
        coc_row(elsewhere, "TS-599")
    coc_row(t.shelter_a)
    ProjectFunder.objects.create(project=t.shelter_a, funder=2, start_date=date(2020, 1, 1))
    Inventory.objects.create(project=t.shelter_a, coc_code="TS-500", household_type=1, unit_inventory=10,
                             bed_inventory=10, other_beds=10, start_date=date(2020, 1, 1), es_bed_type=1,
                             availability=1)
    stay(t, person(t, "Ann"), t.shelter_a, "H1", date(2025, 11, 1))
    lsa = lsa_report.build(pipeline.Parameters(coc="TS-500", start=START, end=END))
    (row,) = lsa.files["LSAReport"]
    assert {c: row[c] for c in ("UnduplicatedClient", "HouseholdEntry", "ClientEntry", "AdultHoHEntry", "NoCoC",
                                "NotOneHoH")} == {
        "UnduplicatedClient": 1, "HouseholdEntry": 1, "ClientEntry": 1, "AdultHoHEntry": 1, "NoCoC": 0,
        "NotOneHoH": 0}
    assert [r["Value"] for r in lsa.files["LSACalculated"]
            if r["ReportRow"] == 910 and r["ProjectID"] == pid(t.shelter_a)] == [1]
    for name in ("Project", "Organization", "Funder", "ProjectCoC", "Inventory", "HMISParticipation"):
        assert len(lsa.files[name]) == 1, name
    pdde = {"Organization", "Project", "Funder", "ProjectCoC", "Inventory", "HMISParticipation", "Affiliation"}
    # HUD's upload checks (checks.py) find nothing blocking in the project descriptor files
    assert [p for p in lsa.problems if p.file in pdde and p.blocking] == []


def test_h4_project_focused_rows_only_for_selected_projects(tenancy):
    """10.1: ProjectID must match a Project.csv ProjectID. In a project-focused LSA (LSAScope 2) of A Shelter,
    tlsa_Enrollment still holds systemwide enrollments (3.1: system use is read systemwide); an active
    enrollment at B Housing, not exported, makes no row; Ann's at A Shelter makes row 910 = 1."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.housing_b)
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END, scope=2,
                                                     projects=(pid(t.shelter_a),)))
        cursor.execute((SQL / "04_pdde.sql").read_text())
        core = (SQL / "03_core.sql").read_text()
        for table in ("tlsa_HHID", "tlsa_Enrollment"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(re.search(rf"CREATE TEMP TABLE {table} \(.*?\);", core, re.S).group(0))
        fake_member(cursor, "E1", "ann", "H1", t.shelter_a)
        fake_member(cursor, "E2", "bob", "H2", t.housing_b)
        run_dq(cursor)
        assert {key: value for key, value in dq_rows(cursor).items() if key[0] == 910} == {(910, pid(t.shelter_a)): 1}
