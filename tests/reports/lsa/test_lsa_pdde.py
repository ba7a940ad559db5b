"""Issue 20: LSA section 4, the project descriptor files (reports/hud/lsa/sql/04_pdde.sql).

Rule H4: HUD reports follow HUD's programming specifications. Section numbers are those of HUD's
LSA Programming Specifications, docs/04 - Project Descriptor Data.md (abtassociates/LSASampleCode).
The report period is FY2026: ReportStart 2025-10-01, ReportEnd 2026-09-30, so LookbackDate is
2018-10-01 (3.1). Section 4 reads only lsa_Report and the hmis_* views, so these tests run 04_pdde.sql
right after pipeline.prepare, without section 3.
"""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from agencies.models import Affiliation, HmisParticipation, Inventory, ProjectCoc, ProjectFunder
from reports.hud.lsa import pipeline
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 10, 1), date(2026, 9, 30)
SQL = Path(pipeline.__file__).with_name("sql")

# HUD's headers, copied from "Other Documentation/LSA Data Dictionary - Columns.csv" (files 10-16).
HUD_HEADERS = {
    "lsa_Organization": ["OrganizationID", "OrganizationName", "VictimServiceProvider", "OrganizationCommonName",
                         "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"],
    "lsa_Project": ["ProjectID", "OrganizationID", "ProjectName", "ProjectCommonName", "OperatingStartDate",
                    "OperatingEndDate", "ContinuumProject", "ProjectType", "HousingType", "RRHSubType",
                    "ResidentialAffiliation", "TargetPopulation", "HOPWAMedAssistedLivingFac", "PITCount",
                    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"],
    "lsa_Funder": ["FunderID", "ProjectID", "Funder", "OtherFunder", "GrantID", "StartDate", "EndDate",
                   "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"],
    "lsa_ProjectCoC": ["ProjectCoCID", "ProjectID", "CoCCode", "Geocode", "Address1", "Address2", "City", "State",
                       "ZIP", "GeographyType", "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID"],
    "lsa_Inventory": ["InventoryID", "ProjectID", "CoCCode", "HouseholdType", "Availability", "UnitInventory",
                      "BedInventory", "CHVetBedInventory", "YouthVetBedInventory", "VetBedInventory",
                      "CHYouthBedInventory", "YouthBedInventory", "CHBedInventory", "OtherBedInventory", "ESBedType",
                      "InventoryStartDate", "InventoryEndDate", "DateCreated", "DateUpdated", "UserID",
                      "DateDeleted", "ExportID"],
    "lsa_HMISParticipation": ["HMISParticipationID", "ProjectID", "HMISParticipationType",
                              "HMISParticipationStatusStartDate", "HMISParticipationStatusEndDate", "DateCreated",
                              "DateUpdated", "UserID", "DateDeleted", "ExportID"],
    "lsa_Affiliation": ["AffiliationID", "ProjectID", "ResProjectID", "DateCreated", "DateUpdated", "UserID",
                        "DateDeleted", "ExportID"],
}


@pytest.fixture(autouse=True)
def recorded_elsewhere(tenancy):
    """The tenancy's projects start with a project CoC record (2.03) for another CoC only, TS-599,
    so each test says which of them have one for TS-500 (coc_row). Without any 2.03 record a
    project would get one made from the CoC it is recorded in (reports/hud/lsa/source.py), and
    be exported; with only another CoC's, 4.1 leaves it out."""
    for project in (tenancy.shelter_a, tenancy.outreach_a, tenancy.housing_b, tenancy.protected_b,
                    tenancy.shelter_c, tenancy.shelter_v):
        coc_row(project, "TS-599")


def coc_row(project, code="TS-500"):
    return ProjectCoc.objects.create(project=project, coc_code=code, geocode="290001", zip_code="63101",
                                     geography_type=1, city="Springfield", state="MO")


def pid(project):
    """The HMIS ProjectID the views give a project made here (no source ID kept): its key."""
    return str(project.pk)


def run(cursor, scope=1, projects=(), start=START, end=END, report_id=1):
    pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=start, end=end, scope=scope,
                                                 projects=tuple(projects), report_id=report_id))
    cursor.execute((SQL / "04_pdde.sql").read_text())


def rows(cursor, sql):
    cursor.execute(sql)
    return cursor.fetchall()


def test_h4_pdde_tables_have_huds_columns_in_order(tenancy):
    """Each of the seven tables' columns, in order, is HUD's header for its file (Columns.csv files
    10-16), so SELECT * is the CSV (LSA 2, section 4 Target tables)."""
    with connection.cursor() as cursor:
        run(cursor)
        for table, header in HUD_HEADERS.items():
            columns, _ = pipeline.fetch(cursor, table)
            assert columns == [c.lower() for c in header], table


def test_h4_project_selection_systemwide(tenancy):
    """4.1 Record Selection, systemwide: ContinuumProject = 1, a ProjectCoC record for ReportCoC,
    ProjectType in (0,1,2,3,8,9,10,13), OperatingEndDate NULL or (> LookbackDate and > start)."""
    t = tenancy
    for project in (t.shelter_a, t.outreach_a, t.shelter_v):
        coc_row(project)
    coc_row(t.shelter_c, "TS-501")
    oph = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Housing Only", project_type=9)
    not_continuum = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Private", continuum_project=0)
    closed_long_ago = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Old", operating_start=date(2015, 1, 1),
                                     operating_end=date(2018, 10, 1))
    closed_in_lookback = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Closed", operating_start=date(2015, 1, 1),
                                        operating_end=date(2019, 6, 30))
    ends_before_start = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Backwards",
                                       operating_start=date(2020, 1, 1), operating_end=date(2019, 12, 31))
    for project in (oph, not_continuum, closed_long_ago, closed_in_lookback, ends_before_start):
        coc_row(project)
    with connection.cursor() as cursor:
        run(cursor)
        got = {name for (name,) in rows(cursor, "SELECT ProjectName FROM lsa_Project")}
    # In: ES "A Shelter"; OPH 9 (exported as PDDE only, 4.1); "V Shelter" (section 4 sets no victim service
    # provider condition); "A Closed" (ended 2019-06-30 > LookbackDate 2018-10-01).
    # Out: "A Outreach" (SO, type 4); "B Housing" (no ProjectCoC record: no CoCCode = ReportCoC);
    # "C Shelter" (ProjectCoC TS-501 only); "A Private" (ContinuumProject 0); "A Old" (ended on
    # LookbackDate, not after it); "A Backwards" (OperatingEndDate not > OperatingStartDate).
    assert got == {"A Shelter", "A Housing Only", "V Shelter", "A Closed"}


def test_h4_project_values(tenancy):
    """4.1 Target: RRHSubType NULL unless ProjectType 13; ResidentialAffiliation NULL unless RRHSubType 1;
    HousingType not read for RRH services only (NULL, as HUD's sample code writes it); UserID and
    DateDeleted NULL; ExportID = ReportID as text; PITCount as recorded."""
    t = tenancy
    rrh_so = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH SO", project_type=13, rrh_subtype=1,
                            housing_type=1, residential_affiliation=1)
    rrh = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH", project_type=13, rrh_subtype=2,
                         housing_type=3, residential_affiliation=1)
    t.shelter_a.rrh_subtype, t.shelter_a.housing_type, t.shelter_a.pit_count = 2, 1, 12
    t.shelter_a.save()
    for project in (rrh_so, rrh, t.shelter_a):
        coc_row(project)
    with connection.cursor() as cursor:
        run(cursor, report_id=7)
        got = {r[0]: r[1:] for r in rows(cursor, "SELECT ProjectName, HousingType, RRHSubType, ResidentialAffiliation, "
                                                 "PITCount, UserID, DateDeleted, ExportID FROM lsa_Project")}
    assert got == {
        "A RRH SO": (None, 1, 1, None, None, None, "7"),  # services only: no housing type; affiliation kept
        "A RRH": (3, 2, None, None, None, None, "7"),  # RRH housing: affiliation is for services only
        "A Shelter": (1, None, None, 12, None, None, "7"),  # not RRH: the stray RRHSubType is dropped
    }


def test_h4_project_focused_scope_keeps_selected_projects(tenancy):
    """4.1 Record Selection, project-focused (LSAScope 2): only the user-selected ProjectIDs with a ProjectCoC
    record for ReportCoC. "A Outreach" is selected too but is SO (type 4): 3.1 limits selection to
    ES/SH/TH/RRH/PSH, "so records for other project types are never included when LSAScope = 2"."""
    t = tenancy
    for project in (t.shelter_a, t.outreach_a, t.housing_b, t.shelter_v):
        coc_row(project)
    with connection.cursor() as cursor:
        run(cursor, scope=2, projects=[pid(t.shelter_a), pid(t.outreach_a)])
        got = rows(cursor, "SELECT ProjectName FROM lsa_Project")
        orgs = rows(cursor, "SELECT OrganizationName FROM lsa_Organization")
    assert got == [("A Shelter",)]
    assert orgs == [("Agency A",)]  # 4.2: only the organizations of the exported projects


def test_h4_hic_scope_selects_as_systemwide(tenancy):
    """4.1: "When the LSAScope is Systemwide (1) or HIC (3)" the same selection applies; a HIC runs on one day
    (3.1: ReportStart = ReportEnd = the count date). A project that closed before the count but after
    LookbackDate is still a PDDE record (4.1 keeps seven years)."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.housing_b)
    closed = ProjectFactory(agency=t.agency_b, coc=t.coc1, name="B Closed", operating_end=date(2025, 12, 31))
    coc_row(closed)
    with connection.cursor() as cursor:
        run(cursor, scope=3, start=date(2026, 1, 28), end=date(2026, 1, 28))
        got = {name for (name,) in rows(cursor, "SELECT ProjectName FROM lsa_Project")}
    assert got == {"A Shelter", "B Housing", "B Closed"}


def test_h4_organization_one_record_per_organization(tenancy):
    """4.2: Organization records for lsa_Project.OrganizationID, exactly one per OrganizationID; agency A runs
    two exported projects and appears once; agency V's VictimServiceProvider is 1, A's 0; agency B has no
    exported project (no ProjectCoC record) and is not exported."""
    t = tenancy
    second = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Second Shelter")
    for project in (t.shelter_a, second, t.shelter_v):
        coc_row(project)
    with connection.cursor() as cursor:
        run(cursor)
        got = sorted(rows(cursor, "SELECT OrganizationName, VictimServiceProvider, UserID, DateDeleted, ExportID "
                                  "FROM lsa_Organization"))
    assert got == [("Agency A", 0, None, None, "1"), ("Agency V", 1, None, None, "1")]


def test_h4_funder_window(tenancy):
    """4.3: Funder records of exported projects where EndDate is NULL or (EndDate >= ReportStart and
    EndDate > StartDate)."""
    t = tenancy
    coc_row(t.shelter_a)
    for start, end, grant in [
        (date(2020, 1, 1), None, "open"),  # in: no end date
        (date(2020, 1, 1), date(2025, 10, 1), "ends on ReportStart"),  # in: EndDate >= ReportStart
        (date(2020, 1, 1), date(2025, 9, 30), "ended before"),  # out: EndDate < ReportStart
        (date(2025, 10, 15), date(2025, 10, 15), "one day"),  # out: EndDate not > StartDate
    ]:
        ProjectFunder.objects.create(project=t.shelter_a, funder=2, start_date=start, end_date=end, grant_id=grant)
    ProjectFunder.objects.create(project=t.housing_b, funder=2, start_date=date(2020, 1, 1), grant_id="not exported")
    with connection.cursor() as cursor:
        run(cursor)
        got = {grant for (grant,) in rows(cursor, "SELECT GrantID FROM lsa_Funder")}
    assert got == {"open", "ends on ReportStart"}  # "B Housing" is not in lsa_Project (no ProjectCoC record)


def test_h4_project_coc_only_report_coc(tenancy):
    """4.4: ProjectCoC records of exported projects with CoCCode = ReportCoC; a project serving TS-500 and
    TS-501 exports its TS-500 record only. ZIP, Geocode and GeographyType as recorded."""
    t = tenancy
    coc_row(t.shelter_a)
    coc_row(t.shelter_a, "TS-501")
    with connection.cursor() as cursor:
        run(cursor)
        got = rows(cursor, "SELECT CoCCode, Geocode, ZIP, GeographyType, City, State, ExportID FROM lsa_ProjectCoC")
    assert got == [("TS-500", "290001", "63101", 1, "Springfield", "MO", "1")]


def test_h4_inventory_selection_and_values(tenancy):
    """4.5: Inventory of exported projects, not RRH services only, CoCCode = ReportCoC, InventoryEndDate NULL or
    (>= ReportStart and > InventoryStartDate); Availability and ESBedType only for ES (0,1); the seven bed
    columns never NULL (0 when none) and BedInventory their sum."""
    t = tenancy
    rrh_so = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH SO", project_type=13, rrh_subtype=1)
    for project in (t.shelter_a, t.housing_b, rrh_so):
        coc_row(project)
    coc_row(t.shelter_a, "TS-501")

    def inventory(project, name_beds, coc="TS-500", start=date(2020, 1, 1), end=None, **beds):
        return Inventory.objects.create(project=project, coc_code=coc, household_type=1, unit_inventory=name_beds,
                                        bed_inventory=name_beds, start_date=start, end_date=end, es_bed_type=1,
                                        availability=1, **beds)

    es = inventory(t.shelter_a, 10, other_beds=8, vet_beds=2)
    psh = inventory(t.housing_b, 5, other_beds=None, ch_beds=5)  # an import left OtherBedInventory empty
    inventory(t.shelter_a, 3, coc="TS-501", other_beds=3)  # out: other CoC
    inventory(t.shelter_a, 4, end=date(2025, 9, 30), other_beds=4)  # out: ended before ReportStart
    inventory(t.shelter_a, 6, start=date(2026, 10, 1), other_beds=6)  # out: starts after ReportEnd (4.5 Target)
    inventory(rrh_so, 2, other_beds=2)  # out: RRH services only has no inventory in the LSA
    with connection.cursor() as cursor:
        run(cursor)
        got = {r[0]: r[1:] for r in rows(cursor, "SELECT InventoryID, Availability, ESBedType, BedInventory, "
                                                 "VetBedInventory, CHBedInventory, OtherBedInventory, "
                                                 "CHVetBedInventory FROM lsa_Inventory")}
    assert got == {
        str(es.pk): (1, 1, 10, 2, 0, 8, 0),  # ES keeps Availability and ESBedType
        str(psh.pk): (None, None, 5, 0, 5, 0, 0),  # PSH: both NULL; empty OtherBedInventory written 0
    }


def test_h4_hmis_participation_of_projects_operating_in_the_period(tenancy):
    """4.6: every HMISParticipation record of exported projects whose OperatingEndDate is NULL or > ReportStart.
    "A Closed" ended 2025-06-30, before ReportStart: its records are not exported though the project is
    (4.1 keeps it). A project with no record reads as participating from its operating start (source.py)."""
    t = tenancy
    closed = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Closed", operating_end=date(2025, 6, 30))
    for project in (t.shelter_a, t.housing_b, closed):
        coc_row(project)
    HmisParticipation.objects.create(project=t.shelter_a, participation_type=0, start_date=date(2020, 1, 1),
                                     end_date=date(2024, 1, 1))
    HmisParticipation.objects.create(project=t.shelter_a, participation_type=1, start_date=date(2024, 1, 1))
    HmisParticipation.objects.create(project=closed, participation_type=1, start_date=date(2020, 1, 1),
                                     end_date=date(2025, 6, 30))
    with connection.cursor() as cursor:
        run(cursor)
        got = sorted(rows(cursor, "SELECT p.ProjectName, h.HMISParticipationType, h.HMISParticipationStatusStartDate, "
                                  "h.HMISParticipationStatusEndDate, h.ExportID FROM lsa_HMISParticipation h "
                                  "JOIN lsa_Project p USING (ProjectID)"))
    assert got == [
        ("A Shelter", 0, date(2020, 1, 1), date(2024, 1, 1), "1"),
        ("A Shelter", 1, date(2024, 1, 1), None, "1"),
        ("B Housing", 1, t.housing_b.operating_start, None, "1"),
    ]


def test_h4_affiliation_of_rrh_services_only(tenancy):
    """4.7: Affiliation records of exported projects with RRHSubType 1 and ResidentialAffiliation 1 whose
    OperatingEndDate is NULL or > ReportStart. "A RRH SO Closed" ended on ReportStart: not after it."""
    t = tenancy
    rrh_so = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH SO", project_type=13, rrh_subtype=1,
                            residential_affiliation=1)
    closed = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH SO Closed", project_type=13, rrh_subtype=1,
                            residential_affiliation=1, operating_end=date(2025, 10, 1))
    for project in (rrh_so, closed, t.housing_b):
        coc_row(project)
    kept = Affiliation.objects.create(project=rrh_so, residential_project=t.housing_b)
    Affiliation.objects.create(project=closed, residential_project=t.housing_b)
    with connection.cursor() as cursor:
        run(cursor)
        got = rows(cursor, "SELECT AffiliationID, ProjectID, ResProjectID, UserID, DateDeleted, ExportID "
                           "FROM lsa_Affiliation")
    assert got == [(str(kept.pk), pid(rrh_so), pid(t.housing_b), None, None, "1")]
