"""H4: the HIC columns HUD asks beyond beds and units (reports/hud/hic_pit.py build_hic):
inventory under development listed apart, the funding sources (2.06), HMIS participation,
geocode and address, housing type and target population, on a hand-built CoC, every
expected cell stated with its reason. HUD's layout: "99 HIC Output from LSA Files.sql"
(HMIS/LSASampleCode) and the column list of HUD's 2025 HIC data; the readings chosen where
HUD is silent are stated in hic_pit.FUNDING_COLUMNS and build_hic.

The HIC date is Wednesday 01/28/2026 (the last ten days of January). CoC TS-500:
- A Shelter (ES entry-exit, agency A, HMIS participating since 2020, target population NA,
  site-based single site; ProjectCoC geocode 290001, 1 Main St, Springfield MO 65801).
  Funders: ESG emergency shelter (8) from 10/01/2025; two "Local or Other" funders (46),
  "County Grant" and "City General Fund"; a CoC transitional housing grant (5) that ended
  12/31/2025, before the night (not the project's funding that night). Inventory: 10
  year-round facility beds for households without children (2 of them veteran beds), open
  since 2020 (current); 6 beds / 2 units for households with children opening 03/01/2026
  (under development: after the night, within a year); 5 more opening 02/01/2027 (more than a
  year away: not in this HIC). Ann sleeps there on the night.
- B Housing (PSH, agency B, HMIS, geocode 290003, ZIP 65802 only). Funders: CoC PSH (2)
  10/01/2024-09/30/2026, HUD/VASH (20), and CoC Builds (56) starting 07/01/2026 (the LSA's
  Funder.csv carries a grant that starts after the HIC date: it is counted). 4 beds without
  children, all CH beds; nobody moved in.
- A RRH (RRH housing, subtype 2, agency A, HMIS, scattered site, geocode 290001). Funders:
  ESG RRH (10), ESG-RUSH (53), the Unsheltered Special NOFO (54), VA GPD low demand (38) and
  HOPWA permanent housing (15). 3 beds without children; nobody moved in.
- A New TH (TH, agency A) opens 04/01/2026: HMIS participating from then; 8 beds / 3 units for
  households with children from 04/01/2026; no funder recorded.
- A Later PSH opens 03/01/2027, more than a year after the night: not in this HIC."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import HmisParticipation, Inventory, Project, ProjectCoc, ProjectFunder
from reports.hud import hic_pit, tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import by_label, person, stay

pytestmark = pytest.mark.django_db
D = date
NIGHT = D(2026, 1, 28)
OPEN = D(2020, 1, 1)
GRANT_START = D(2024, 10, 1)


def describe(project, geocode, participation_start=OPEN, **place):
    ProjectCoc.objects.create(project=project, coc_code="TS-500", geocode=geocode, **place)
    HmisParticipation.objects.create(project=project, participation_type=1, start_date=participation_start)


def fund(project, code, start=GRANT_START, end=None, other=""):
    ProjectFunder.objects.create(project=project, funder=code, other_funder=other, grant_id="G-1", start_date=start,
                                 end_date=end)


def beds(project, household_type, count, units, start=OPEN, es=None, **by_subpopulation):
    es_fields = {"es_bed_type": es[0], "availability": es[1]} if es else {}
    return Inventory.objects.create(project=project, coc_code="TS-500", household_type=household_type,
                                    bed_inventory=count, unit_inventory=units, start_date=start,
                                    other_beds=count - sum(by_subpopulation.values()), **by_subpopulation,
                                    **es_fields)


@pytest.fixture
def hic(tenancy):
    t = tenancy
    facility_year_round = (1, 1)
    shelter = t.shelter_a
    Project.objects.filter(pk=shelter.pk).update(target_population=4, housing_type=1)
    describe(shelter, "290001", address1="1 Main St", city="Springfield", state="MO", zip_code="65801")
    fund(shelter, 8, start=D(2025, 10, 1))
    fund(shelter, 46, other="County Grant")
    fund(shelter, 46, other="City General Fund")
    fund(shelter, 5, start=D(2024, 1, 1), end=D(2025, 12, 31))  # ended before the night
    beds(shelter, 1, 10, 10, es=facility_year_round, vet_beds=2)
    beds(shelter, 3, 6, 2, start=D(2026, 3, 1), es=facility_year_round)  # under development
    beds(shelter, 1, 5, 5, start=D(2027, 2, 1), es=facility_year_round)  # more than a year away
    t.ann = person(t, "Ann", D(1980, 1, 1))
    stay(t, t.ann, shelter, "H-ANN", D(2026, 1, 10))

    Project.objects.filter(pk=t.housing_b.pk).update(housing_type=2)
    describe(t.housing_b, "290003", zip_code="65802")
    fund(t.housing_b, 2, end=D(2026, 9, 30))
    fund(t.housing_b, 20)
    fund(t.housing_b, 56, start=D(2026, 7, 1))
    beds(t.housing_b, 1, 4, 4, ch_beds=4)

    t.rrh = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A RRH", project_type=13, rrh_subtype=2,
                           housing_type=3)
    describe(t.rrh, "290001")
    for code in (10, 53, 54, 38, 15):
        fund(t.rrh, code)
    beds(t.rrh, 1, 3, 3)

    t.new_th = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A New TH", project_type=2,
                              operating_start=D(2026, 4, 1), housing_type=1)
    describe(t.new_th, "290001", participation_start=D(2026, 4, 1))
    beds(t.new_th, 3, 8, 3, start=D(2026, 4, 1))

    later = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Later PSH", project_type=3,
                           operating_start=D(2027, 3, 1))
    describe(later, "290001", participation_start=D(2027, 3, 1))
    beds(later, 1, 12, 12, start=D(2027, 3, 1))
    return t


def run(t):
    """{table code: [(row label, {column: value})]} through tables.build, the report's own path."""
    built = tables.build("hic", hic_pit.coc_projects(t.coc1), NIGHT, NIGHT)
    return {table.code: [(label, dict(zip(table.columns[1:], [c.count for c in cells], strict=True)))
                         for label, cells in table.rows] for table in built}


def funding(**ones):
    """Every funding column 0 but those given."""
    return {column: 0 for column in hic_pit.FUNDING_COLUMNS} | ones


def picked(row, columns):
    return {c: row[c] for c in columns}


def test_h4_hic_lists_inventory_under_development_apart(hic):
    rows = run(hic)["HIC"]
    # One row per project, inventory type and bed type; current rows first. Not A Later PSH (it
    # opens more than a year after the night) nor A Shelter's beds of 02/01/2027.
    assert [(label, row["Inventory Type"]) for label, row in rows] == [
        ("A New TH", "U"), ("A RRH", "C"), ("A Shelter", "C"), ("A Shelter", "U"), ("B Housing", "C")]
    shelter_now, shelter_later = (row for label, row in rows if label == "A Shelter")
    # A Shelter's current row: its 10 year-round beds without children (2 veteran beds); Ann in a
    # bed that night: PIT count 1, 1 / 10 = 10.00%.
    assert picked(shelter_now, ["beginsOperationsWithinYear", "Beds HH w/ Children", "Beds HH w/o Children",
                                "Veteran Beds HH w/o Children", "Year-Round Beds", "Total Beds", "PIT Count",
                                "Utilization Rate"]) == {
        "beginsOperationsWithinYear": "", "Beds HH w/ Children": 0, "Beds HH w/o Children": 10,
        "Veteran Beds HH w/o Children": 2, "Year-Round Beds": 10, "Total Beds": 10, "PIT Count": 1,
        "Utilization Rate": "10.00%"}
    # Its row under development: the 6 beds / 2 units for families opening 03/01/2026, flagged
    # beginsOperationsWithinYear 1; nobody can sleep in them yet: PIT count 0 (HUD's sample SQL),
    # no utilization.
    assert picked(shelter_later, ["beginsOperationsWithinYear", "Bed Type", "Beds HH w/ Children",
                                  "Units HH w/ Children", "Beds HH w/o Children", "Year-Round Beds", "Total Beds",
                                  "PIT Count", "Utilization Rate"]) == {
        "beginsOperationsWithinYear": 1, "Bed Type": "F", "Beds HH w/ Children": 6, "Units HH w/ Children": 2,
        "Beds HH w/o Children": 0, "Year-Round Beds": 6, "Total Beds": 6, "PIT Count": 0, "Utilization Rate": ""}
    # A New TH opens 04/01/2026: all its inventory is under development. Its HMIS participation
    # is the status it opens with (its 2.08 row starts 04/01/2026): "Yes".
    new_th = dict(rows)["A New TH"]
    assert picked(new_th, ["HMIS Participating", "beginsOperationsWithinYear", "Project Type", "Beds HH w/ Children",
                           "Units HH w/ Children", "Total Beds", "PIT Count", "Utilization Rate"]) == {
        "HMIS Participating": "Yes", "beginsOperationsWithinYear": 1, "Project Type": "TH",
        "Beds HH w/ Children": 8, "Units HH w/ Children": 3, "Total Beds": 8, "PIT Count": 0,
        "Utilization Rate": ""}


def test_h4_hic_summary_keeps_beds_under_development_out_of_the_totals(hic):
    summary = dict(run(hic)["HIC-Summary"])
    wanted = ["Beds HH w/ Children", "Units HH w/ Children", "Beds HH w/o Children", "Year-Round Beds", "Total Beds",
              "Veteran Beds", "CH Beds", "PIT Count", "Utilization Rate"]
    # ES: A Shelter's current beds only (10 without children, 2 veteran); Ann: 1 / 10.
    assert picked(summary["ES"], wanted) == {
        "Beds HH w/ Children": 0, "Units HH w/ Children": 0, "Beds HH w/o Children": 10, "Year-Round Beds": 10,
        "Total Beds": 10, "Veteran Beds": 2, "CH Beds": 0, "PIT Count": 1, "Utilization Rate": "10.00%"}
    # TH: A New TH is not open on the night: nothing.
    assert summary["TH"]["Total Beds"] == 0
    # Total: 10 (A Shelter) + 4 (B Housing, 4 CH beds) + 3 (A RRH) = 17 beds; 1 / 17 = 5.88%.
    assert picked(summary["Total"], wanted) == {
        "Beds HH w/ Children": 0, "Units HH w/ Children": 0, "Beds HH w/o Children": 17, "Year-Round Beds": 17,
        "Total Beds": 17, "Veteran Beds": 2, "CH Beds": 4, "PIT Count": 1, "Utilization Rate": "5.88%"}
    # Under development, apart: A Shelter's 6 beds / 2 units and A New TH's 8 / 3, all for families:
    # 14 beds, 5 units; no one in them, no utilization.
    assert picked(summary["Under Development"], wanted) == {
        "Beds HH w/ Children": 14, "Units HH w/ Children": 5, "Beds HH w/o Children": 0, "Year-Round Beds": 14,
        "Total Beds": 14, "Veteran Beds": 0, "CH Beds": 0, "PIT Count": 0, "Utilization Rate": ""}
    assert list(summary) == ["ES", "TH", "SH", "RRH", "PSH", "OPH", "Total", "Under Development"]


def test_h4_hic_funding_sources_from_the_funders_of_the_night(hic):
    rows = run(hic)["HIC"]
    shelter_now, shelter_later = (row for label, row in rows if label == "A Shelter")
    # A Shelter: ESG emergency shelter (8) sets the ESG total and its ES column; the CoC TH grant
    # (5) ended 12/31/2025, before the night: every CoC column 0. The two local funders (46) set
    # federalFundingOther; their names, in order, are the "specify" text.
    expected = funding(mcKinneyVentoEsg=1, mcKinneyVentoEsgEs=1, federalFundingOther=1)
    assert picked(shelter_now, hic_pit.FUNDING) == expected | {
        "federalFundingOtherSpecify": "City General Fund, County Grant"}
    # The project's funding is the same on its row under development.
    assert picked(shelter_later, hic_pit.FUNDING) == picked(shelter_now, hic_pit.FUNDING)
    # B Housing: CoC PSH (2) sets the CoC total and its PSH column; HUD/VASH (20) federalFundingVash;
    # CoC Builds (56), starting 07/01/2026, counts in the CoC total (no column of its own).
    assert picked(dict(rows)["B Housing"], hic_pit.FUNDING) == funding(
        mcKinneyVentoCoc=1, mcKinneyVentoCocPsh=1, federalFundingVash=1) | {"federalFundingOtherSpecify": ""}
    # A RRH: ESG RRH (10) and ESG-RUSH (53) set the ESG total and their own columns; the
    # Unsheltered Special NOFO (54) its own column, not the CoC total; GPD low demand (38) the GPD
    # total and GpdLd; HOPWA permanent housing (15) the HOPWA total and HopwaPh.
    assert picked(dict(rows)["A RRH"], hic_pit.FUNDING) == funding(
        mcKinneyVentoEsg=1, mcKinneyVentoEsgRrh=1, mcKinneyVentoEsgRUSH=1, mcKinneyVentoUnshelt=1,
        federalFundingGpd=1, federalFundingGpdLd=1, federalFundingHopwa=1, federalFundingHopwaPh=1,
    ) | {"federalFundingOtherSpecify": ""}
    # A New TH has no funder record: 99 in every funding column (HUD's sample SQL), nothing to specify.
    assert picked(dict(rows)["A New TH"], hic_pit.FUNDING) == {column: 99 for column in hic_pit.FUNDING_COLUMNS} | {
        "federalFundingOtherSpecify": ""}


def test_h4_hic_project_descriptors_geocode_address_housing_type_target_population(hic):
    listed = run(hic)["HIC"]
    rows = dict(listed)
    place = ["Geo Code", *hic_pit.ADDRESS, "housingType", "Target Population", "HMIS Participating",
             "Victim Service Provider", "HIC Date"]
    # ProjectCoC (2.03) for TS-500; housing type (2.02.D), target population (2.02.7), HMIS
    # participation on the night (2.08), the organization's VSP flag, the night.
    # A Shelter's current row (its row under development has the same descriptors).
    assert picked(next(r for label, r in listed if label == "A Shelter"), place) == {
        "Geo Code": "290001", "address1": "1 Main St", "address2": "", "city": "Springfield", "state": "MO",
        "zip": "65801", "housingType": "Site-based - single site", "Target Population": "NA",
        "HMIS Participating": "Yes", "Victim Service Provider": 0, "HIC Date": "2026-01-28"}
    # B Housing: only a ZIP recorded; clustered site; no target population recorded (blank).
    assert picked(rows["B Housing"], place) == {
        "Geo Code": "290003", "address1": "", "address2": "", "city": "", "state": "", "zip": "65802",
        "housingType": "Site-based - clustered/multiple sites", "Target Population": "",
        "HMIS Participating": "Yes", "Victim Service Provider": 0, "HIC Date": "2026-01-28"}
    assert rows["A RRH"]["housingType"] == "Tenant-based - scattered site"
    # Dedicated beds: B Housing's 4 CH beds (PSH) for households without children.
    assert rows["B Housing"]["CH Beds HH w/o Children"] == 4


def test_h4_hic_command_writes_hud_column_names(hic, tmp_path):
    """`manage.py hud_report hic` (the path a CoC's administrator takes for the CSV): the header
    row is HUD's HDX column names, in order."""
    call_command("hud_report", "hic", "--coc", "TS-500", "--date", NIGHT.isoformat(), "--out", str(tmp_path),
                 stdout=io.StringIO())
    with open(tmp_path / "HIC.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:12] == ["Project Name", "Organization Name", "HMIS Org ID", "HMIS Project ID", "HIC Date",
                           "Project Type", "Bed Type", "Geo Code", "HMIS Participating", "Inventory Type",
                           "beginsOperationsWithinYear", "Target Population"]
    assert header[12:17] == ["mcKinneyVentoEsg", "mcKinneyVentoEsgEs", "mcKinneyVentoEsgRrh",
                             "mcKinneyVentoEsgRUSH", "mcKinneyVentoCoc"]
    assert "CH Beds HH w only Children" in header and "CH Beds HH w/ only Children" not in header
    assert header[-3:] == ["Total Beds", "PIT Count", "Utilization Rate"]
    written = by_label(rows)
    # A New TH, its only row: under development, no funder (99), "Yes".
    new_th = dict(zip(header[1:], written["A New TH"], strict=True))
    assert (new_th["Inventory Type"], new_th["beginsOperationsWithinYear"], new_th["mcKinneyVentoCoc"],
            new_th["HMIS Participating"]) == ("U", "1", "99", "Yes")
