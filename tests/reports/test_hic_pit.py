"""H4: the Housing Inventory Count and the sheltered Point-in-Time count of CoC TS-500
(reports/hud/hic_pit.py; reports/hud/SPEC_SPM_HIC_PIT_LSA.md sections 2 and 3) on one
hand-built data set, every cell stated and explained. The reports go through
test_hud_rules.built, which passes the report end, 06/30/2026, as the night of the count
(start and end are both that night in a real run; the HIC and PIT read the end).

Everyone is born on January 1, so ages on the night are plain: born 1980 is 46.

CoC TS-500 (tenancy's CoC 1). Projects with inventory (2.07) and HMIS participation (2.08):
- A Shelter (ES entry-exit, HMIS, target population NA, site-based single site, geocode
  290001): year-round facility beds for households without children, 10 beds / 10 units
  (2 veteran beds, 8 other); for households with children, 6 beds / 2 units; a seasonal
  inventory of 5 beds that ended 03/31/2026, before the night: not counted. 16 beds.
- A Night Shelter (ES night-by-night, HMIS): 20 year-round facility beds without children
  and 4 seasonal beds 06/01 to 09/30/2026 (active on the night). 24 beds.
- A Transitional (TH, HMIS): 8 beds / 3 units for households with children.
- B Housing (PSH, HMIS): 5 beds / 5 units without children: 2 CH beds, 1 CH veteran bed,
  2 other.
- A Motel (ES, voucher beds, NOT participating in HMIS, target population DV, PITCount 4):
  5 year-round beds without children.
- A Outreach (street outreach) and B Clinic (services only) are not residential: no row.
  C Shelter is in CoC TS-501: not in this CoC's count.

People (one person a household unless said; stays open unless an exit is given):
- A Shelter: Ann (1980; Black and Hispanic/Latina/e/o; start record: mental health
  disorder yes, DV survivor yes and currently fleeing) from 06/01/2026; Vic (1990, veteran,
  chronically homeless: 3.08 yes and homeless since 01/01/2024; start record: alcohol use)
  from 06/01/2026; Yara (2007, Hispanic/Latina/e/o only) from 06/10/2026; Pia (2005, head,
  Asian and White) with her son Bo (2025) from 06/05/2026; Cal from 06/01 to 06/30/2026,
  leaving ON the night (not in a bed that night); Sol from 06/01/2026, also in B Housing.
- A Night Shelter: Hal (2000) with a bed night on 06/30/2026; Ida with one on 06/29 only;
  Ezra (1970; 3.08 yes, homeless since 06/01/2025) from 01/02/2026 with a bed night on
  06/30/2026: seven months homeless at entry (not chronically homeless then), thirteen by
  the night, so chronically homeless on the night of the count.
- A Transitional: Tia (1995, head) and her son Tom (2020) from 05/01/2026.
- B Housing: Pam moved in 06/01/2026; Pat entered 06/01/2026 and has not moved in; Sol
  (head of his own PSH household) moved in 06/15/2026.
Race is White only unless said (the intake default)."""

from datetime import date

import pytest

from agencies.models import HmisParticipation, Inventory, Project, ProjectCoc
from reports.hud import hic_pit, tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_pit_and_subpopulations import record
from tests.reports.test_hud_rules import bed_nights, built, ids, person, stay

pytestmark = pytest.mark.django_db
D = date
NIGHT = D(2026, 6, 30)
JUNE = D(2026, 6, 1)
OPEN = D(2020, 1, 1)


def describe(t, project, code="TS-500", geocode="290001", participation=1, **fields):
    ProjectCoc.objects.create(project=project, coc_code=code, geocode=geocode)
    HmisParticipation.objects.create(project=project, participation_type=participation, start_date=OPEN)
    if fields:
        Project.objects.filter(pk=project.pk).update(**fields)


def beds(project, household_type, beds, units, start=OPEN, end=None, es=None, **by_subpopulation):
    counts = {"other_beds": beds - sum(by_subpopulation.values())} | by_subpopulation
    es_fields = {"es_bed_type": es[0], "availability": es[1]} if es else {}
    return Inventory.objects.create(project=project, coc_code="TS-500", household_type=household_type,
                                    bed_inventory=beds, unit_inventory=units, start_date=start, end_date=end,
                                    **es_fields, **counts)


@pytest.fixture
def night(tenancy):
    t = tenancy
    t.nbn = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Night Shelter", project_type=1)
    t.th = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Transitional", project_type=2)
    t.motel = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Motel", project_type=0)
    describe(t, t.shelter_a, target_population=4, housing_type=1)
    describe(t, t.nbn)
    describe(t, t.th)
    describe(t, t.housing_b)
    describe(t, t.motel, participation=0, target_population=1, pit_count=4)
    describe(t, t.outreach_a)
    describe(t, t.shelter_c, code="TS-501")
    year_round, seasonal = (1, 1), (1, 2)
    beds(t.shelter_a, 1, 10, 10, es=year_round, vet_beds=2)
    beds(t.shelter_a, 3, 6, 2, es=year_round)
    beds(t.shelter_a, 1, 5, 5, start=D(2025, 11, 1), end=D(2026, 3, 31), es=seasonal)  # ended: not counted
    beds(t.nbn, 1, 20, 20, es=year_round)
    beds(t.nbn, 1, 4, 4, start=JUNE, end=D(2026, 9, 30), es=seasonal)
    beds(t.th, 3, 8, 3)
    beds(t.housing_b, 1, 5, 5, ch_beds=2, ch_vet_beds=1)
    beds(t.motel, 1, 5, 5, es=(2, 1))
    beds(t.shelter_c, 1, 50, 50, es=year_round)  # another CoC's

    shelter = t.shelter_a
    b = dict(user=t.worker_b, project=t.housing_b)
    t.ann = person(t, "Ann", D(1980, 1, 1), white=False, black_af_american=True, hispanic_latinao=True)
    ann = stay(t, t.ann, shelter, "H-ANN", JUNE)
    record(t, ann, 1, JUNE, mental_health_disorder=1, domestic_violence_survivor=1, currently_fleeing=1)
    t.vic = person(t, "Vic", D(1990, 1, 1), veteran_status=1)
    vic = stay(t, t.vic, shelter, "H-VIC", JUNE, disabling_condition=1, date_to_street_essh=D(2024, 1, 1))
    record(t, vic, 1, JUNE, substance_use_disorder=1)
    t.yara = person(t, "Yara", D(2007, 1, 1), white=False, hispanic_latinao=True)
    stay(t, t.yara, shelter, "H-YARA", D(2026, 6, 10))
    t.pia = person(t, "Pia", D(2005, 1, 1), asian=True)
    stay(t, t.pia, shelter, "H-PIA", D(2026, 6, 5))
    t.bo = person(t, "Bo", D(2025, 1, 1))
    stay(t, t.bo, shelter, "H-PIA", D(2026, 6, 5), head=False)
    stay(t, person(t, "Cal"), shelter, "H-CAL", JUNE, NIGHT, destination=116)
    t.sol = person(t, "Sol")
    stay(t, t.sol, shelter, "H-SOL1", JUNE)
    t.hal = person(t, "Hal", D(2000, 1, 1))
    bed_nights(t, stay(t, t.hal, t.nbn, "H-HAL", JUNE), NIGHT)
    bed_nights(t, stay(t, person(t, "Ida"), t.nbn, "H-IDA", JUNE), D(2026, 6, 29))
    t.ezra = person(t, "Ezra", D(1970, 1, 1))
    bed_nights(t, stay(t, t.ezra, t.nbn, "H-EZRA", D(2026, 1, 2), disabling_condition=1,
                       date_to_street_essh=D(2025, 6, 1)), NIGHT)
    t.tia, t.tom = person(t, "Tia", D(1995, 1, 1)), person(t, "Tom", D(2020, 1, 1))
    stay(t, t.tia, t.th, "H-TIA", D(2026, 5, 1))
    stay(t, t.tom, t.th, "H-TIA", D(2026, 5, 1), head=False)
    t.pam = person(t, "Pam", **b)
    stay(t, t.pam, t.housing_b, "H-PAM", JUNE, move_in_date=JUNE)
    stay(t, person(t, "Pat", **b), t.housing_b, "H-PAT", JUNE)
    stay(t, t.sol, t.housing_b, "H-SOL2", JUNE, move_in_date=D(2026, 6, 15))
    return t


def coc1(t):
    return [p for p in hic_pit.coc_projects(t.coc1)]


# The HIC columns these tests explain; tests/reports/test_hic_columns.py explains the others (inventory
# type, funding sources, address) on its own data set.
ELSEWHERE = {*hic_pit.FUNDING, *hic_pit.ADDRESS, "Inventory Type", "beginsOperationsWithinYear"}


def explained(rows):
    return {label: [v for c, v in zip(hic_pit.HIC_COLUMNS[1:], row, strict=True) if c not in ELSEWHERE]
            for label, row in rows.items()}


# --- HIC ------------------------------------------------------------------------------------------


def test_h4_hic_rows_beds_units_dedicated_participation_and_utilization(night):
    t = night
    hic = explained(built("hic", *coc1(t))["HIC"])
    # One row per residential project with inventory active on 06/30/2026: not A Outreach or
    # B Clinic (not residential), not C Shelter (CoC TS-501, not one of the projects).
    assert list(hic) == ["A Motel", "A Night Shelter", "A Shelter", "A Transitional", "B Housing"]
    head = ["Agency A", t.agency_a.pk]
    # A Shelter: ES, facility beds (F), HMIS participating, NA, single site, not a VSP.
    # With children: 6 beds / 2 units; without children: 10 beds / 10 units, 2 of them veteran
    # beds; no youth or CH beds (CH beds are reported for PSH only). The seasonal inventory
    # ended 03/31/2026: not in any count. Year-round 16 = total 16; no DV beds (not a DV project).
    # PIT count 6: Ann, Vic, Yara, Pia, Bo and Sol in a bed that night (Cal left on the night:
    # the exit day is no night in the shelter). Utilization 6 / 16 = 37.50%.
    assert hic["A Shelter"] == [*head, t.shelter_a.pk, "2026-06-30", "ES", "F", "290001", "Yes", "NA",
                                "Site-based - single site", 0,
                                6, 2, 0, 0, 0, 10, 10, 2, 0, 0, 0, 0, 0,
                                16, "", 0, "", "", 0, 16, 6, "37.50%"]
    # A Night Shelter: 20 year-round beds without children (20 units) and 4 seasonal beds
    # available 06/01 to 09/30/2026, 24 beds in all. PIT count 2: Hal and Ezra, with a bed night
    # on the night; Ida's last bed night was 06/29. 2 / 24 = 8.33%.
    assert hic["A Night Shelter"] == [*head, t.nbn.pk, "2026-06-30", "ES", "F", "290001", "Yes", "", "", 0,
                                      0, 0, 0, 0, 0, 20, 20, 0, 0, 0, 0, 0, 0,
                                      20, "", 4, "2026-06-01", "2026-09-30", 0, 24, 2, "8.33%"]
    # A Transitional: 8 beds / 3 units for households with children; Tia and Tom: 2 / 8 = 25.00%.
    # TH has no bed type (ES only).
    assert hic["A Transitional"] == [*head, t.th.pk, "2026-06-30", "TH", "", "290001", "Yes", "", "", 0,
                                     8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                     8, "", 0, "", "", 0, 8, 2, "25.00%"]
    # B Housing (PSH): 5 beds / 5 units without children; veteran beds 1 (the CH veteran bed),
    # CH beds 3 (2 CH + 1 CH veteran: a bed can count in two subpopulations). PIT count 2: Pam
    # and Sol, moved in on or before the night; Pat has not moved in. 2 / 5 = 40.00%.
    assert hic["B Housing"] == ["Agency B", t.agency_b.pk, t.housing_b.pk, "2026-06-30", "PSH", "", "290001",
                                "Yes", "", "", 0,
                                0, 0, 0, 0, 0, 5, 5, 1, 0, 3, 0, 0, 0,
                                5, "", 0, "", "", 0, 5, 2, "40.00%"]
    # A Motel: voucher beds (V), not participating in HMIS ("No"): the HMIS holds no stays, so
    # the PIT count is the project's recorded PITCount, 4; 5 DV beds (a DV project's year-round
    # beds); 4 / 5 = 80.00%.
    assert hic["A Motel"] == [*head, t.motel.pk, "2026-06-30", "ES", "V", "290001", "No", "DV", "", 0,
                              0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0, 0,
                              5, 5, 0, "", "", 0, 5, 4, "80.00%"]


def test_h4_hic_summary_by_project_type(night):
    t = night
    summary = built("hic", *coc1(t))["HIC-Summary"]
    # Columns: beds w/ children, units w/ children, beds w/o children, beds only children,
    # year-round, seasonal, overflow, total, veteran, youth, CH, PIT count, utilization.
    # ES = A Shelter + A Night Shelter + A Motel: 6 beds / 2 units with children; 10 + 20 + 5 = 35
    # without; year-round 16 + 20 + 5 = 41; seasonal 4; total 45; veteran 2; PIT 6 + 2 + 4 = 12;
    # 12 / 45 = 26.67%.
    assert summary["ES"] == [6, 2, 35, 0, 41, 4, 0, 45, 2, 0, 0, 12, "26.67%"]
    assert summary["TH"] == [8, 3, 0, 0, 8, 0, 0, 8, 0, 0, 0, 2, "25.00%"]
    assert summary["SH"] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "0.00%"]
    assert summary["RRH"] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "0.00%"]
    assert summary["PSH"] == [0, 0, 5, 0, 5, 0, 0, 5, 1, 0, 3, 2, "40.00%"]
    assert summary["OPH"] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "0.00%"]
    # Total: 14 / 5 with children, 40 without, 54 year-round, 4 seasonal, 58 beds, 3 veteran,
    # 3 CH; PIT 12 + 2 + 2 = 16 (Sol counted in both A Shelter and B Housing, as each project
    # counts its beds), 16 / 58 = 27.59%.
    assert summary["Total"] == [14, 5, 40, 0, 54, 4, 0, 58, 3, 0, 3, 16, "27.59%"]


def test_h4_hic_pit_count_keeps_client_ids(night):
    t = night
    chosen = coc1(t)
    pit = hic_pit.HIC_COLUMNS.index("PIT Count") - 1  # the first column is the row label
    assert ids("hic", "HIC", "A Night Shelter", *chosen, column=pit) == {t.hal.client_id, t.ezra.client_id}
    assert ids("hic", "HIC", "B Housing", *chosen, column=pit) == {t.pam.client_id, t.sol.client_id}


def test_h4_hic_needs_inventory_active_on_the_night(night):
    t = night
    # Once A Transitional's inventory ends the day before the night, it has no row.
    Inventory.objects.filter(project=t.th).update(end_date=D(2026, 6, 29))
    assert "A Transitional" not in built("hic", *coc1(t))["HIC"]
    # An end ON the night still counts (the end date is the inventory's last day, LSA 4.5).
    Inventory.objects.filter(project=t.th).update(end_date=NIGHT)
    assert built("hic", *coc1(t))["HIC"]["A Transitional"][-3:] == [8, 2, "25.00%"]


# --- PIT ------------------------------------------------------------------------------------------

# The people of the sheltered count on 06/30/2026, by household:
# - without children, ES: Ann (46), Vic (36, veteran, chronically homeless), Yara (19), Hal (26, NbN),
#   Ezra (56, NbN, chronically homeless on the night);
# - with children, ES: Pia (21) and Bo (1), a parenting youth household; TH: Tia (31) and Tom (6).
# Not counted: Cal (left on the night), Ida (no bed night that night), Pam and Pat (PSH is not
# sheltered), Sol (in A Shelter but housed in B Housing that night: counted where he sleeps).
ZERO = [0, 0, 0, 0]


def rows_of(table, *labels):
    return {label: table[label] for label in labels}


def test_h4_pit_households_with_children(night):
    pit = built("pit", *coc1(night))["PIT-1"]
    # Columns: ES, TH, SH, Total. Households: Pia's (ES) and Tia's (TH).
    assert pit["Total number of households"] == [1, 1, 0, 2]
    assert pit["Total number of persons"] == [2, 2, 0, 4]
    assert pit["Number of persons (under age 18)"] == [1, 1, 0, 2]  # Bo, Tom
    assert pit["Number of persons (18 - 24)"] == [1, 0, 0, 1]  # Pia
    assert pit["Number of persons (25 - 34)"] == [0, 1, 0, 1]  # Tia
    for label in ("Number of persons (35 - 44)", "Number of persons (45 - 54)", "Number of persons (55 - 64)",
                  "Number of persons (over age 64)", "Number of persons (age unknown)"):
        assert pit[label] == ZERO, label
    # Race: Pia is Asian and White (multi-racial); Bo, Tia, Tom White only.
    assert pit["Multi-Racial (not Hispanic/Latina/e/o)"] == [1, 0, 0, 1]
    assert pit["White (only)"] == [1, 2, 0, 3]
    other_races = set(hic_pit.PIT_RACE_ROWS) - {"Multi-Racial (not Hispanic/Latina/e/o)", "White (only)"}
    assert all(pit[label] == ZERO for label in other_races)
    # Neither household is chronically homeless; the TH column is not asked (blank).
    assert pit["Chronically homeless households"] == [0, "", 0, 0]
    assert pit["Chronically homeless persons"] == [0, "", 0, 0]


def test_h4_pit_households_without_children_and_only_children(night):
    report = built("pit", *coc1(night))
    pit = report["PIT-3"]
    # Ann, Vic, Yara (A Shelter), Hal and Ezra (A Night Shelter): five one-person households in ES.
    assert pit["Total number of households"] == [5, 0, 0, 5]
    assert pit["Total number of persons"] == [5, 0, 0, 5]
    assert pit["Number of persons (18 - 24)"] == [1, 0, 0, 1]  # Yara, 19
    assert pit["Number of persons (25 - 34)"] == [1, 0, 0, 1]  # Hal, 26
    assert pit["Number of persons (35 - 44)"] == [1, 0, 0, 1]  # Vic, 36
    assert pit["Number of persons (45 - 54)"] == [1, 0, 0, 1]  # Ann, 46
    assert pit["Number of persons (55 - 64)"] == [1, 0, 0, 1]  # Ezra, 56
    assert pit["Number of persons (over age 64)"] == ZERO
    assert pit["Number of persons (age unknown)"] == ZERO
    assert "Number of persons (under age 18)" not in pit  # adults only
    # Race: Ann Black and Hispanic/Latina/e/o; Yara Hispanic/Latina/e/o only; Vic, Hal, Ezra White.
    assert pit["Black, African American, or African & Hispanic/Latina/e/o"] == [1, 0, 0, 1]
    assert pit["Hispanic/Latina/e/o (only)"] == [1, 0, 0, 1]
    assert pit["White (only)"] == [3, 0, 0, 3]
    others = set(hic_pit.PIT_RACE_ROWS) - {"Black, African American, or African & Hispanic/Latina/e/o",
                                           "Hispanic/Latina/e/o (only)", "White (only)"}
    assert all(pit[label] == ZERO for label in others)
    # Vic: 3.08 yes, homeless since 01/01/2024 (over a year before his 06/01/2026 start); Ezra:
    # homeless since 06/01/2025, a year and more by the night (not yet at his 01/02/2026 start).
    assert pit["Chronically homeless persons"] == [2, "", 0, 2]
    assert "Chronically homeless households" not in pit
    # No household of only children that night: every cell 0 (the TH chronic cells blank).
    only = report["PIT-2"]
    assert all(cells == ZERO for label, cells in only.items() if not label.startswith("Chronically"))
    assert only["Chronically homeless households"] == [0, "", 0, 0]


def test_h4_pit_additional_populations(night):
    pit = built("pit", *coc1(night))["PIT-4"]
    # Adults only, from the latest disability / DV record on or before the night:
    assert pit["Adults with a Serious Mental Illness"] == [1, 0, 0, 1]  # Ann
    assert pit["Adults with a Substance Use Disorder"] == [1, 0, 0, 1]  # Vic (alcohol)
    assert pit["Adults with HIV/AIDS"] == ZERO
    assert pit["Adult Survivors of Domestic Violence (currently fleeing)"] == [1, 0, 0, 1]  # Ann


def test_h4_pit_youth_households(night):
    report = built("pit", *coc1(night))
    alone = report["PIT-5"]
    # Unaccompanied youth: Yara (19), alone, every member under 25 and no child of hers.
    assert alone["Total number of households"] == [1, 0, 0, 1]
    assert alone["Total number of persons"] == [1, 0, 0, 1]
    assert alone["Number of persons (under age 18)"] == ZERO
    assert alone["Number of persons (18 - 24)"] == [1, 0, 0, 1]
    assert alone["Hispanic/Latina/e/o (only)"] == [1, 0, 0, 1]
    assert alone["Chronically homeless persons"] == [0, "", 0, 0]
    parenting = report["PIT-6"]
    # Pia (21, head) with her son Bo: a parenting youth household (no member 25 or over).
    assert parenting["Total number of households"] == [1, 0, 0, 1]
    assert parenting["Total number of persons"] == [2, 0, 0, 2]
    assert parenting["Total parenting youth"] == [1, 0, 0, 1]
    assert parenting["Total children of parenting youth"] == [1, 0, 0, 1]
    assert parenting["Number of parenting youth under age 18"] == ZERO
    assert parenting["Children in households with parenting youth under age 18"] == ZERO
    assert parenting["Number of parenting youth age 18 to 24"] == [1, 0, 0, 1]
    assert parenting["Children in households with parenting youth age 18 to 24"] == [1, 0, 0, 1]
    # Race of the parents only: Pia, multi-racial; Bo (White) is not counted there.
    assert parenting["Multi-Racial (not Hispanic/Latina/e/o)"] == [1, 0, 0, 1]
    assert parenting["White (only)"] == ZERO
    assert parenting["Chronically homeless households"] == [0, "", 0, 0]


def test_h4_pit_veteran_households(night):
    report = built("pit", *coc1(night))
    # No veteran in a household with children: every cell 0 (the TH chronic cells blank).
    families = report["PIT-7"]
    assert all(cells in (ZERO, [0, "", 0, 0]) for cells in families.values())
    vets = report["PIT-8"]
    # Vic: a veteran alone in A Shelter, chronically homeless, White.
    assert vets["Total number of households"] == [1, 0, 0, 1]
    assert vets["Total number of persons"] == [1, 0, 0, 1]
    assert vets["Total number of veterans"] == [1, 0, 0, 1]
    assert vets["White (only)"] == [1, 0, 0, 1]
    assert vets["Chronically homeless persons"] == [1, "", 0, 1]
    assert vets["Chronically homeless veterans"] == [1, "", 0, 1]


def test_h4_pit_cells_keep_client_ids(night):
    t = night
    chosen = coc1(t)
    # Households cells count households but keep every member's Client ID.
    assert ids("pit", "PIT-1", "Total number of households", *chosen, column=3) == {
        t.pia.client_id, t.bo.client_id, t.tia.client_id, t.tom.client_id}
    assert ids("pit", "PIT-8", "Total number of veterans", *chosen, column=0) == {t.vic.client_id}


def test_h4_system_reports_are_registered():
    assert {"spm", "hic", "pit"} <= set(tables.REPORTS)
    assert tables.REPORTS["hic"][1] == hic_pit.HIC_CODES
    assert tables.REPORTS["pit"][1] == hic_pit.PIT_CODES
