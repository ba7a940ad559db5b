"""Issue 20: LSA section 5, LSAPerson (reports/hud/lsa/sql/05_person.sql), on hand-built people.

Section 5 reads the enrollments section 3 prepared (tlsa_HHID, tlsa_Enrollment: effective dates,
LSAProjectType, ActiveAge groups, household types, enrollment DisabilityStatus/DVStatus) and the
HMIS data itself (hmis_Client, 3.917 on hmis_Enrollment, hmis_Disabilities, bed nights). So these
tests record the people in HMIS (person/stay), then state section 3's results for them by hand
(``Household``), which keeps each expectation here about section 5 alone. Report period:
10/01/2025 - 09/30/2026 throughout. Section numbers are HUD's LSA Programming Specifications.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import connection

from agencies.models import ProjectCoc
from enrollments.models import Assessment, Enrollment
from reports.hud.lsa import layout, pipeline
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db
START, END = date(2025, 10, 1), date(2026, 9, 30)
RACES = ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
         "native_hi_pacific", "white")


def someone(t, name, *races, **fields):
    """A client with exactly the races given (3.04) and the other fields given."""
    return person(t, name, **{r: r in races for r in RACES}, **fields)


@dataclass
class Household:
    """Section 3's rows for one HMIS household: the head's enrollment first. ``ages`` are the
    members' ActiveAge groups (3.5), ``dv`` their enrollment DVStatus (3.4)."""

    enrollments: list
    lsa_type: int
    hh_type: int
    ages: list
    entry: date
    exit: date | None = None
    move_in: date | None = None
    last_bed: date | None = None
    dv: list = field(default_factory=list)


def run(cursor, households, *, extra_projects=()):
    """Section 5 over the households given: section 3's tables as stated, every project in lsa_Project."""
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END))
    pipeline.run_steps(cursor, until="03")  # creates tlsa_HHID / tlsa_Enrollment with HUD's columns
    cursor.execute("TRUNCATE tlsa_HHID; TRUNCATE tlsa_Enrollment")
    # lsa_Project is section 4's (04_pdde.sql); section 5 reads only its ProjectID.
    cursor.execute("DROP TABLE IF EXISTS lsa_Project; CREATE TEMP TABLE lsa_Project (ProjectID varchar(32))")
    cursor.execute("INSERT INTO lsa_Project SELECT ProjectID FROM hmis_Project")
    for hh in households:
        head = hh.enrollments[0]
        cursor.execute("SELECT ProjectID FROM hmis_Project WHERE project_pk = %s", [head.project_id])
        project_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO tlsa_HHID (HouseholdID, HoHID, EnrollmentID, ProjectID, LSAProjectType, EntryDate, "
            "MoveInDate, ExitDate, LastBednight, ActiveHHType) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [head.household_id, head.client.client_id, head.enrollment_id, project_id, hh.lsa_type, hh.entry,
             hh.move_in, hh.exit, hh.last_bed, hh.hh_type])
        for i, e in enumerate(hh.enrollments):
            cursor.execute(
                "INSERT INTO tlsa_Enrollment (EnrollmentID, PersonalID, HouseholdID, RelationshipToHoH, ProjectID, "
                "LSAProjectType, EntryDate, MoveInDate, ExitDate, LastBednight, EntryAge, ActiveAge, "
                "DisabilityStatus, DVStatus) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [e.enrollment_id, e.client.client_id, e.household_id, e.relationship_to_hoh, project_id,
                 hh.lsa_type, hh.entry, hh.move_in, hh.exit, hh.last_bed, hh.ages[i], hh.ages[i],
                 e.disabling_condition if e.disabling_condition in (0, 1) else None,
                 hh.dv[i] if hh.dv else None])
    cursor.execute((pipeline.SQL_DIR / "05_person.sql").read_text())


def people(cursor, *columns):
    cursor.execute(f"SELECT PersonalID, {', '.join(columns)} FROM tlsa_Person")
    return {row[0]: row[1:] for row in cursor.fetchall()}


def test_h4_race_ethnicity_veteran_and_adult_only_columns(tenancy):
    """5.4, one A Shelter household (ES entry-exit, type 0) and two single adults:
    - Ann (head, 25-34): Asian and White -> RaceEthnicity 25 (the LSA values 2 and 5 in numeric
      order); VeteranStatus 1 -> VetStatus 1; 3.08 no -> DisabilityStatus 0; DVStatus 10 -> 0.
    - Dan, her son (6-17, RelationshipToHoH 2): nothing marked, RaceNone missing -> 99; a child who
      is not a head of household: VetStatus, DisabilityStatus, DVStatus, CHTime, CHTimeStatus -1.
    - Bea (head): HispanicLatinao only -> 6; VeteranStatus 8 (doesn't know) -> 98; DVStatus 98.
    - Cal (head): White marked but RaceNone 9 (prefers not to answer) -> 98 "regardless of any
      other data"; VeteranStatus missing (99) -> 99; DisabilityStatus missing -> 99; no DV record -> 99.
    - Eve (head): AmIndAKNative, BlackAfAmerican, MidEastNAfrican -> 137.
    No one has 3.917 data (LivingSituation NULL): the adults' few ES days give CHTime 0 and, data
    missing, CHTimeStatus 99 (5.10); Dan, not an adult or head, is -1/-1.
    Household columns (5.12/5.13): Ann's household is AC (2) with a veteran adult -> HHVetEST 2 for
    both Ann and Dan; Dan's RelationshipToHoH 2 makes it a parenting household -> HHParentEST 2;
    Dan is no adult -> AdultEST -1 and HoHEST -1; ESTAgeMin/Max are the age groups 17 and 34."""
    t = tenancy
    day = date(2026, 1, 5)
    ann = someone(t, "Ann", "asian", "white", veteran_status=1)
    dan = someone(t, "Dan", born=date(2012, 1, 1))
    bea = someone(t, "Bea", "hispanic_latinao", veteran_status=8)
    cal = someone(t, "Cal", "white", race_none=9, veteran_status=99)
    eve = someone(t, "Eve", "am_ind_ak_native", "black_af_american", "mid_east_n_african", veteran_status=0)
    households = [
        Household([stay(t, ann, t.shelter_a, "H1", day), stay(t, dan, t.shelter_a, "H1", day, head=False)],
                  0, 2, [34, 17], day, dv=[10, None]),
        Household([stay(t, bea, t.shelter_a, "H2", day)], 0, 1, [44], day, dv=[98]),
        Household([stay(t, cal, t.shelter_a, "H3", day, disabling_condition=99)], 0, 1, [54], day),
        Household([stay(t, eve, t.shelter_a, "H4", day)], 0, 1, [24], day),
    ]
    with connection.cursor() as cursor:
        run(cursor, households)
        got = people(cursor, "HoHAdult", "RaceEthnicity", "VetStatus", "DisabilityStatus", "DVStatus", "CHTime",
                     "CHTimeStatus")
        assert got == {
            ann.client_id: (3, 25, 1, 0, 0, 0, 99),
            dan.client_id: (0, 99, -1, -1, -1, -1, -1),
            bea.client_id: (3, 6, 98, 0, 98, 0, 99),
            cal.client_id: (3, 98, 99, 99, 99, 0, 99),
            eve.client_id: (3, 137, 0, 0, 99, 0, 99),
        }
        got = people(cursor, "HHTypeEST", "HoHEST", "AdultEST", "HHVetEST", "HHParentEST", "ESTAgeMin", "ESTAgeMax",
                     "HHTypeRRH", "RRHAgeMin")
        assert got[ann.client_id] == (2, 2, 2, 2, 2, 34, 34, -1, -1)
        assert got[dan.client_id] == (2, -1, -1, 2, 2, 17, 17, -1, -1)
        assert got[bea.client_id] == (1, 1, 1, -1, -1, 44, 44, -1, -1)


def test_h4_chronic_time_by_days_months_and_exclusions(tenancy):
    """5.5-5.10, A Shelter (ES entry-exit, 0) unless said; everyone disabled (3.08 yes) and each
    enrollment's 3.917 complete unless said, so CHTimeStatus is never 99 by accident:
    - Fay: in ES since 03/01/2025, a stayer: LastActive = ReportEnd 09/30/2026, one episode of 579
      days ending in the last year -> CHTime 365, CHTimeStatus 1; disabled -> HHChronic 1, so
      HHChronicEST 1 (AO).
    - Gil: in ES since 03/01/2026, on the street since 01/01/2026 (3.917): 273 days (270 band),
      but 3.917 says 4+ times (4) and 12+ months (112) on an entry in the year ending on LastActive
      -> rule 4 outranks the day count: CHTime 400, CHTimeStatus 2; HHChronic 1.
    - Hal: in ES since 01/01/2025 (a stayer) but in a TH project 02/01/2025 - 01/01/2026: the TH
      dates are excluded (5.7) even though the ES enrollment covers them, leaving 31 + 273 = 304
      days in two episodes -> CHTime 270, CHTimeStatus -1 (nothing missing); HHChronic 6
      ("homeless > 6 months with disability"), not 1 -> HHChronicEST -1.
    - Ivy: in ES since 06/01/2026 from the street but no DateToStreetESSH: 122 days -> CHTime 0 and,
      3.917 missing for an ES enrollment, CHTimeStatus 99; disabled -> HHChronic 9 (status unknown).
    - Jo: four ES stays of 100 days each (11/01/2023, 05/01/2024, 05/01/2025, 06/01/2026, the last
      exiting 09/09/2026 = LastActive, so CHStart = 09/10/2023): 400 days in 4 episodes -> 365/2.
    - Kim: night-by-night ES (1) bed nights 06/01, 06/05 and 06/20/2026; exit 06/21 = LastActive: the
      3 days between 06/01 and 06/05 (under 7 apart) count (5.8) -> episodes 06/01-06/05 (5 days)
      and 06/20 (1 day) in ch_Episodes (5.9); CHTime 0."""
    t = tenancy
    th = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Transitional", project_type=2)
    nbn = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Night Shelter", project_type=1)
    complete = dict(disabling_condition=1, living_situation=116, length_of_stay=4, times_homeless_past_three_years=1,
                    months_homeless_past_three_years=101)

    def es(client, hh, entry, exit_date=None, **fields):
        e = stay(t, client, t.shelter_a, hh, entry, exit_date, **(complete | {"date_to_street_essh": entry} | fields))
        return Household([e], 0, 1, [44], entry, exit_date)

    fay, gil, hal, ivy, jo, kim = (someone(t, n) for n in ("Fay", "Gil", "Hal", "Ivy", "Jo", "Kim"))
    households = [
        es(fay, "F1", date(2025, 3, 1)),
        es(gil, "G1", date(2026, 3, 1), date_to_street_essh=date(2026, 1, 1), times_homeless_past_three_years=4,
           months_homeless_past_three_years=112),
        es(hal, "H1", date(2025, 1, 1)),
        Household([stay(t, hal, th, "H2", date(2025, 2, 1), date(2026, 1, 1), **(complete | {
            "living_situation": 101, "length_of_stay": 2, "date_to_street_essh": date(2025, 1, 1)}))],
            2, 1, [44], date(2025, 2, 1), date(2026, 1, 1)),
        es(ivy, "I1", date(2026, 6, 1), date_to_street_essh=None),
        es(jo, "J1", date(2023, 11, 1), date(2024, 2, 9)),
        es(jo, "J2", date(2024, 5, 1), date(2024, 8, 9)),
        es(jo, "J3", date(2025, 5, 1), date(2025, 8, 9)),
        es(jo, "J4", date(2026, 6, 1), date(2026, 9, 9)),
    ]
    kim_stay = stay(t, kim, nbn, "K1", date(2026, 6, 1), date(2026, 6, 21), date_to_street_essh=date(2026, 6, 1),
                    **complete)
    bed_nights(t, kim_stay, date(2026, 6, 1), date(2026, 6, 5), date(2026, 6, 20))
    households.append(Household([kim_stay], 1, 1, [44], date(2026, 6, 1), date(2026, 6, 21),
                                last_bed=date(2026, 6, 20)))
    with connection.cursor() as cursor:
        run(cursor, households)
        got = people(cursor, "LastActive", "CHStart", "CHTime", "CHTimeStatus", "HHChronicEST")
        assert got == {
            fay.client_id: (END, date(2023, 10, 1), 365, 1, 1),
            gil.client_id: (END, date(2023, 10, 1), 400, 2, 1),
            hal.client_id: (END, date(2023, 10, 1), 270, -1, -1),
            ivy.client_id: (END, date(2023, 10, 1), 0, 99, -1),
            jo.client_id: (date(2026, 9, 9), date(2023, 9, 10), 365, 2, 1),
            kim.client_id: (date(2026, 6, 21), date(2023, 6, 22), 0, -1, -1),
        }
        cursor.execute("SELECT p.PersonalID, h.HHChronic FROM tlsa_HHID h JOIN tlsa_Person p ON p.PersonalID = h.HoHID "
                       "WHERE h.Active AND h.LSAProjectType = 0")
        assert dict(cursor.fetchall()) == {fay.client_id: 1, gil.client_id: 1, hal.client_id: 6, ivy.client_id: 9,
                                           jo.client_id: 1}
        cursor.execute("SELECT PersonalID, episodeStart, episodeEnd, episodeDays FROM ch_Episodes "
                       "WHERE PersonalID IN (%s, %s) ORDER BY 1, 2", [kim.client_id, hal.client_id])
        assert sorted(cursor.fetchall()) == sorted([
            (kim.client_id, date(2026, 6, 1), date(2026, 6, 5), 5),
            (kim.client_id, date(2026, 6, 20), date(2026, 6, 20), 1),
            (hal.client_id, date(2025, 1, 1), date(2025, 1, 31), 31),
            (hal.client_id, date(2026, 1, 1), date(2026, 9, 30), 273),
        ])
        cursor.execute("SELECT count(*) FROM ch_Exclude WHERE PersonalID = %s", [hal.client_id])
        assert cursor.fetchone()[0] == 334  # 02/01/2025 - 12/31/2025 in TH


def test_h4_dv_status_and_a_person_in_est_and_rrh_with_different_household_types(tenancy):
    """5.4 DVStatus and 5.12-5.14, project groups:
    - Lou: alone in A Shelter (ES, AO) with enrollment DVStatus 2, and head of an RRH household
      (LSAProjectType 13, moved in 02/01/2026 -> AIR) with her son Kit (3-5) with DVStatus 1: her
      DVStatus is the first by priority over her active enrollments -> 1; both households have an
      adult fleeing DV (person-level DVStatus 1) -> HHFleeingDV 1 -> HHFleeingDVEST 1 (AO),
      HHFleeingDVRRH 2 (AC). HHTypeEST 1, HHTypeRRH 2, HoHRRH 2, AdultRRH 2, AIRRRH 2, AIRHoHRRH 2;
      RRH household with a child: HHParentRRH 2; AC household with one child: AC3PlusRRH 0;
      AC3PlusEST 0 (served in EST, not in an AC3Plus household); AC adults 25-34 -> HHAdultAgeACRRH
      25, HHAdultAgeAOEST 25, HHAdultAgeACEST -1 (no AC household in EST).
    - Kit: child, DVStatus -1; in the RRH household only: HHTypeRRH 2, HoHRRH -1, AdultRRH -1,
      HHFleeingDVRRH 2, RRHAgeMin 5, EST columns -1, AC3PlusEST -1 (not served in EST).
    - Mo: DVStatus 3 (survivor, fleeing unknown) -> 3 -> HHFleeingDV 2 -> HHFleeingDVEST -1 (only
      HHFleeingDV 1 is reported there).
    - Ned: two enrollments, DVStatus 98 and none -> 98 (priority 5 before missing)."""
    t = tenancy
    rrh = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Rapid Rehousing", project_type=13, rrh_subtype=2)
    lou, kit, mo, ned = someone(t, "Lou"), someone(t, "Kit", born=date(2021, 1, 1)), someone(t, "Mo"), someone(t, "Ned")
    jan, feb = date(2026, 1, 5), date(2026, 2, 1)
    households = [
        Household([stay(t, lou, t.shelter_a, "L1", jan)], 0, 1, [34], jan, dv=[2]),
        Household([stay(t, lou, rrh, "L2", jan), stay(t, kit, rrh, "L2", jan, head=False)], 13, 2, [34, 5], jan,
                  move_in=feb, dv=[1, None]),
        Household([stay(t, mo, t.shelter_a, "M1", jan)], 0, 1, [44], jan, dv=[3]),
        Household([stay(t, ned, t.shelter_a, "N1", jan)], 0, 1, [44], jan, dv=[98]),
        Household([stay(t, ned, rrh, "N2", jan)], 13, 1, [44], jan),
    ]
    with connection.cursor() as cursor:
        run(cursor, households)
        got = people(cursor, "DVStatus", "HHTypeEST", "HHTypeRRH", "HoHRRH", "AdultRRH", "AIRRRH", "AIRHoHRRH",
                     "HHFleeingDVEST", "HHFleeingDVRRH", "HHParentRRH", "AC3PlusEST", "AC3PlusRRH",
                     "HHAdultAgeAOEST", "HHAdultAgeACEST", "HHAdultAgeACRRH", "RRHAgeMin", "ESTAgeMin")
        assert got[lou.client_id] == (1, 1, 2, 2, 2, 2, 2, 1, 2, 2, 0, 0, 25, -1, 25, 34, 34)
        assert got[kit.client_id] == (-1, -1, 2, -1, -1, 2, -1, -1, 2, 2, -1, 0, -1, -1, 25, 5, -1)
        assert got[mo.client_id][:1] == (3,) and got[mo.client_id][7] == -1
        assert got[ned.client_id][0] == 98
        cursor.execute("SELECT HouseholdID, HHFleeingDV FROM tlsa_HHID")
        assert dict(cursor.fetchall()) == {"L1": 1, "L2": 1, "M1": 2, "N1": 0, "N2": 0}


def test_h4_active_in_residence_and_adult_health_conditions(tenancy):
    """5.1/5.2 AIR vs active, 5.4 HIV/SMI/SUD, 5.13 AIR columns, RRH-SO:
    - Quin: B Housing (PSH, 3) since 06/01/2025, not moved in: active, not AIR (no bed night) ->
      HHTypePSH 1, AIRPSH -1, AIRHoHPSH -1; her HIV record does not count: HIV/SMI/SUD -1 (only
      people with an AIR enrollment are reported).
    - Rae: PSH, moved in 07/01/2025 -> AIR: AIRPSH 1, AIRAdultPSH 1. Her start assessment says HIV/AIDS
      yes -> HIV 1; mental health disorder yes but not indefinite -> SMI 0; drug use disorder (2),
      indefinite -> SUD 1. 3.08 no, but HIV/SUD make DisabilityStatus 1 (5.4 priority 2).
    - Sam: A Shelter 09/01/2025 - exited 10/01/2025 = ReportStart: active (exit >= ReportStart) but
      not AIR (exit not > ReportStart) -> HHTypeEST 1, AIREST -1; adult not AIR -> HIV -1.
    - Tess: RRH services only (RRHSubType 1 -> LSAProjectType 15), moved in: RRH-SO is
      non-residential, never AIR -> HHTypeRRHSOMI 1, HHTypeRRHSONoMI -1, RRHSOAgeMin 34, HIV -1."""
    t = tenancy
    so = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH Services", project_type=13, rrh_subtype=1)
    quin, rae, sam, tess = (someone(t, n) for n in ("Quin", "Rae", "Sam", "Tess"))
    q_stay = stay(t, quin, t.housing_b, "Q1", date(2025, 6, 1))
    r_stay = stay(t, rae, t.housing_b, "R1", date(2025, 6, 1))
    for e in (q_stay, r_stay):
        Assessment.objects.create(enrollment=e, stage=1, information_date=e.entry_date, entered_by=t.worker_a,
                                  agency=e.agency, hiv_aids=1, mental_health_disorder=1,
                                  mental_health_disorder_indefinite=0, substance_use_disorder=2,
                                  substance_use_disorder_indefinite=1)
    households = [
        Household([q_stay], 3, 1, [44], date(2025, 6, 1)),
        Household([r_stay], 3, 1, [44], date(2025, 6, 1), move_in=date(2025, 7, 1)),
        Household([stay(t, sam, t.shelter_a, "S1", date(2025, 9, 1), START)], 0, 1, [44], date(2025, 9, 1), START),
        Household([stay(t, tess, so, "T1", date(2026, 1, 5))], 15, 1, [34], date(2026, 1, 5),
                  move_in=date(2026, 2, 1)),
    ]
    with connection.cursor() as cursor:
        run(cursor, households)
        got = people(cursor, "HHTypePSH", "AIRPSH", "AIRHoHPSH", "AIRAdultPSH", "HHTypeEST", "AIREST",
                     "HHTypeRRHSOMI", "HHTypeRRHSONoMI", "RRHSOAgeMin", "HIV", "SMI", "SUD", "DisabilityStatus")
        assert got == {
            quin.client_id: (1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0),
            rae.client_id: (1, 1, 1, 1, -1, -1, -1, -1, -1, 1, 0, 1, 1),
            sam.client_id: (-1, -1, -1, -1, 1, -1, -1, -1, -1, -1, -1, -1, 0),
            tess.client_id: (-1, -1, -1, -1, -1, -1, 1, -1, 34, -1, -1, -1, 0),
        }
        cursor.execute("SELECT HouseholdID, Active, AIR FROM tlsa_HHID")
        assert {r[0]: r[1:] for r in cursor.fetchall()} == {
            "Q1": (True, False), "R1": (True, True), "S1": (True, False), "T1": (True, False)}


def test_h4_lsa_person_is_aggregated_with_huds_columns(tenancy):
    """5.15: lsa_Person has LSAPerson.csv's 66 columns in HUD's order; people with the same values
    in every column are one row, RowTotal = 2; no column is NULL; ReportID = lsa_Report's. An
    enrollment ended before the report (exit 09/01/2025) is not active: its person is not counted."""
    t = tenancy
    jan = date(2026, 1, 5)
    uma, vic, wes = someone(t, "Uma", "white"), someone(t, "Vic", "white"), someone(t, "Wes", "white")
    households = [Household([stay(t, c, t.shelter_a, f"U{i}", jan)], 0, 1, [44], jan) for i, c in enumerate((uma, vic))]
    households.append(Household([stay(t, wes, t.shelter_a, "W1", date(2025, 6, 1), date(2025, 9, 1))], 0, 1, [44],
                                date(2025, 6, 1), date(2025, 9, 1)))
    with connection.cursor() as cursor:
        run(cursor, households)
        columns, rows = pipeline.fetch(cursor, "lsa_Person")
        assert [c.lower() for c in columns] == [c.lower() for c in layout.FILES["LSAPerson"]]
        assert len(columns) == 66
        assert len(rows) == 1 and rows[0][0] == 2 and rows[0][-1] == 1
        assert all(v is not None for v in rows[0])


def test_h4_household_population_identifiers(tenancy):
    """5.12 on active households, 5.13/5.14 on their members (A Shelter, ES):
    - A1: Yan, 18-21 (ActiveAge 21), head of an AC household with three children 0-17 (17, 5, 2):
      HHAdultAge 18 (the oldest member is 18-21); AC3Plus 1 (AC and 3 children); the children are
      RelationshipToHoH 2 -> HHParent 1. Yan and each child: HHAdultAgeACEST 18, HHAdultAgeAOEST -1,
      AC3PlusEST 1, HHParentEST 2 (AC).
    - A2: Zed and his partner Abe (RelationshipToHoH 3), both 55+ (groups 64 and 65), AO: HHAdultAge 55 (the youngest is 55+);
      Zed: HHAdultAgeAOEST 55.
    - A3: Bo, 22-24 alone: HHAdultAge 24.
    - A4: Cy (34) and partner Di (21): HHAdultAge 25 (all others).
    - A5: Ed, unknown age (99) head alone, household type UN (99): HHAdultAge -1; Ed is a head but
      no adult: HoHAdult 2 -> VetStatus -1 (adults only) but DisabilityStatus 0 (heads too);
      HHTypeEST 9."""
    t = tenancy
    jan = date(2026, 1, 5)
    yan, k1, k2, k3 = someone(t, "Yan"), someone(t, "K1"), someone(t, "K2"), someone(t, "K3")
    zed, abe, bo, cy, di, ed = (someone(t, n, veteran_status=0) for n in ("Zed", "Abe", "Bo", "Cy", "Di", "Ed"))

    def members(hh, head, *others, relationship=2):
        rest = [stay(t, o, t.shelter_a, hh, jan, head=False) for o in others]
        for e in rest:  # 2 child; 3 spouse or partner
            Enrollment.objects.filter(pk=e.pk).update(relationship_to_hoh=relationship)
            e.relationship_to_hoh = relationship
        return [stay(t, head, t.shelter_a, hh, jan)] + rest

    households = [
        Household(members("A1", yan, k1, k2, k3), 0, 2, [21, 17, 5, 2], jan),
        Household(members("A2", zed, abe, relationship=3), 0, 1, [64, 65], jan),
        Household(members("A3", bo), 0, 1, [24], jan),
        Household(members("A4", cy, di, relationship=3), 0, 1, [34, 21], jan),
        Household(members("A5", ed), 0, 99, [99], jan),
    ]
    with connection.cursor() as cursor:
        run(cursor, households)
        cursor.execute("SELECT HouseholdID, HHAdultAge, AC3Plus, HHParent FROM tlsa_HHID")
        assert {r[0]: r[1:] for r in cursor.fetchall()} == {
            "A1": (18, 1, 1), "A2": (55, 0, 0), "A3": (24, 0, 0), "A4": (25, 0, 0), "A5": (-1, 0, 0)}
        got = people(cursor, "HHAdultAgeAOEST", "HHAdultAgeACEST", "AC3PlusEST", "HHParentEST", "HHTypeEST")
        assert got[yan.client_id] == (-1, 18, 1, 2, 2)
        assert got[k1.client_id] == (-1, 18, 1, 2, 2)
        assert got[zed.client_id] == (55, -1, 0, -1, 1)
        assert got[bo.client_id] == (24, -1, 0, -1, 1)
        assert got[ed.client_id] == (-1, -1, 0, -1, 9)
        assert people(cursor, "HoHAdult", "VetStatus", "DisabilityStatus")[ed.client_id] == (2, -1, 0)


def test_h4_chronic_time_before_moving_into_permanent_housing(tenancy):
    """5.8 (3.917 for PSH), 5.7 (housed dates excluded), 5.10. B Housing (PSH, 3), entered 01/05/2026
    from a psychiatric facility (204) after 1-3 months (LengthOfStay 3), disabled, moved in 03/01/2026:
    - Gus: on the street or in ES/SH before the facility (PreviousStreetESSH 1) since 12/01/2024:
      12/01/2024 - 02/28/2026 (the day before move-in) = 455 ES/SH/Street days in one episode
      ending after LastActive - 1 year -> CHTime 365, CHTimeStatus 1; housed from 03/01/2026 on:
      ch_Exclude holds 03/01 - 09/30/2026 (214 days).
    - Hye: the same but not on the street before the facility (PreviousStreetESSH 0): 3.917 gives
      no days -> CHTime 0; nothing missing -> CHTimeStatus -1."""
    t = tenancy
    jan, mar = date(2026, 1, 5), date(2026, 3, 1)
    gus, hye = someone(t, "Gus"), someone(t, "Hye")
    common = dict(disabling_condition=1, living_situation=204, length_of_stay=3, date_to_street_essh=date(2024, 12, 1),
                  times_homeless_past_three_years=2, months_homeless_past_three_years=110)
    households = [
        Household([stay(t, gus, t.housing_b, "P1", jan, previous_street_essh=1, **common)], 3, 1, [44], jan,
                  move_in=mar),
        Household([stay(t, hye, t.housing_b, "P2", jan, previous_street_essh=0, **common)], 3, 1, [44], jan,
                  move_in=mar),
    ]
    with connection.cursor() as cursor:
        run(cursor, households)
        got = people(cursor, "CHTime", "CHTimeStatus", "HHChronicPSH")
        assert got == {gus.client_id: (365, 1, 1), hye.client_id: (0, -1, -1)}
        cursor.execute("SELECT PersonalID, min(excludeDate), max(excludeDate), count(*) FROM ch_Exclude GROUP BY 1")
        assert {r[0]: r[1:] for r in cursor.fetchall()} == {
            gus.client_id: (mar, END, 214), hye.client_id: (mar, END, 214)}
        cursor.execute("SELECT episodeStart, episodeEnd, episodeDays FROM ch_Episodes WHERE PersonalID = %s",
                       [gus.client_id])
        assert cursor.fetchall() == [(date(2024, 12, 1), date(2026, 2, 28), 455)]


def test_h4_sections_3_to_5_together(tenancy):
    """The whole chain (3.3-3.6, section 4, section 5) on HMIS data alone (A Shelter given its
    ProjectCoC row for TS-500, which section 4 requires of lsa_Project). Ann (born 1980,
    Asian, a veteran), head, with her son Bo (born 2015) in A Shelter (ES entry-exit) from
    01/05/2026, still there: both active and AIR (5.1/5.2); the household is AC (3.6: an adult and a
    child). Ann: HoHAdult 3, RaceEthnicity 2, VetStatus 1, ESTAgeMin/Max 54 (45-54 at entry),
    HHTypeEST 2, HHVetEST 2. Bo: ESTAgeMin 17 (6-17), VetStatus -1, HHTypeEST 2. Cy, whose stay
    ended 09/01/2025, is not active and not in LSAPerson. Two rows, RowTotal 1 each."""
    t = tenancy
    ProjectCoc.objects.create(project=t.shelter_a, coc_code="TS-500", geocode="291890", geography_type=1)  # section 4
    ann = someone(t, "Ann", "asian", veteran_status=1)
    bo = someone(t, "Bo", born=date(2015, 1, 1))
    cy = someone(t, "Cy")
    jan = date(2026, 1, 5)
    stay(t, ann, t.shelter_a, "I1", jan)
    stay(t, bo, t.shelter_a, "I1", jan, head=False)
    stay(t, cy, t.shelter_a, "I2", date(2025, 6, 1), date(2025, 9, 1))
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=START, end=END))
        pipeline.run_steps(cursor, until="05")
        got = people(cursor, "HoHAdult", "RaceEthnicity", "VetStatus", "ESTAgeMin", "ESTAgeMax", "HHTypeEST",
                     "HHVetEST", "AIREST")
        assert got == {ann.client_id: (3, 2, 1, 54, 54, 2, 2, 2), bo.client_id: (0, 99, -1, 17, 17, 2, 2, 2)}
        cursor.execute("SELECT RowTotal FROM lsa_Person")
        assert cursor.fetchall() == [(1,), (1,)]
