"""H4: System Performance Measures 4.1-4.6, 5.1, 5.2, 7a.1, 7b.1 and 7b.2 (reports/hud/spm_measures.py,
reports/hud/SPEC_SPM_HIC_PIT_LSA.md 1.5-1.8) on one hand-built CoC, every cell stated and explained.

Reporting period: federal fiscal year 10/01/2025 to 09/30/2026 ("current FY"); the Previous FY column
is the same report over 10/01/2024 to 09/30/2025. Each table's columns: Previous FY, Current FY,
Difference (current − previous; percentages in points); Measure 7's last column is HUD's "% Difference":
the change relative to the previous FY for persons (blank when the previous FY had none), in points
for the percentage.

The CoC (TS-500), adults born 01/01/1980 unless said:
- B Housing (PSH, Agency B), CoC-funded (2.06 = 2, CoC PSH, since 2020):
  - Sue (head) from 06/01/2024, moved in 06/15/2024, still there, with her son Kid (born 2015, no
    move-in of his own). Sue's income: start (06/01/2024) earned $900; annual 06/10/2025 (the first
    anniversary + 9 days) earned $500; annual 05/20/2026 (the second anniversary − 12 days) earned $800.
  - Uma from 01/15/2025, moved in 02/01/2025, exited 03/31/2026 to 422 (family, permanent). Start: no
    income; exit: unemployment insurance $200.
  - Wes from 05/01/2025, moved in 05/10/2025, exited 06/15/2026 to 116 (place not meant for
    habitation). No start record; exit record earned $1,000.
  - Yan from 02/01/2026, exited 03/01/2026 to 410 (rental) without moving in. No income records.
- V Housing (PSH, Agency B), funded by HUD/VASH (20) only: not CoC-funded.
  - Val from 03/01/2024, still there, no move-in. Start: no income; annuals 03/05/2025 and 03/05/2026
    earned $900 each: income growth Measure 4 must not see.
- R Housing (RRH, Agency B), no funder: Ray from 01/10/2026, moved in 02/01/2026, exited 07/31/2026 to
  435 (rental with subsidy).
- A TH (TH, Agency A), CoC-funded (5, CoC TH, since 2020): Tom from 11/01/2025, exited 04/30/2026 to
  410. Start: SSI $600; exit: SSI $300 (his income fell).
- A Shelter (ES entry-exit, Agency A): Fay from 02/01/2026, still there (no earlier stay); Gus from
  03/01/2026, still there, and an earlier stay 03/01/2024 to 03/31/2024 (its exit 700 days before his
  new start); Hal from 03/01/2026, still there, and an earlier stay 02/01/2024 to 02/28/2024 (exit
  732 days before); Xia from 04/01/2026, exited 05/15/2026 to 116.
- A Outreach (SO, Agency A): Ola 12/01/2025 to 01/20/2026, to 312 (family, temporary); Pat 02/01/2026
  to 05/01/2026, to 410; Quin 03/01/2026 to 04/01/2026, deceased (24)."""

from datetime import date

import pytest

from agencies.models import License, Project, ProjectFunder
from clients.models import Client
from consent.visibility import Viewer
from reports.hud.spm_measures import anniversary_year, hdx_values, measure_tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_questions import record
from tests.reports.test_hud_rules import person, stay

pytestmark = pytest.mark.django_db
START, END = date(2025, 10, 1), date(2026, 9, 30)
START_STAGE, EXIT_STAGE, ANNUAL_STAGE = 1, 3, 5
D = date


@pytest.fixture
def coc(tenancy):
    t = tenancy
    psh = t.housing_b
    ProjectFunder.objects.create(project=psh, funder=2, start_date=D(2020, 1, 1))
    vash = ProjectFactory(agency=t.agency_b, coc=t.coc1, name="V Housing", project_type=3)
    ProjectFunder.objects.create(project=vash, funder=20, start_date=D(2020, 1, 1))
    rrh = ProjectFactory(agency=t.agency_b, coc=t.coc1, name="R Housing", project_type=13, rrh_subtype=2)
    th = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A TH", project_type=2)
    ProjectFunder.objects.create(project=th, funder=5, start_date=D(2020, 1, 1))
    b = dict(user=t.worker_b, project=psh)

    sue = stay(t, person(t, "Sue", **b), psh, "S1", D(2024, 6, 1), move_in_date=D(2024, 6, 15))
    record(t, sue, START_STAGE, D(2024, 6, 1), income_from_any_source=1, earned=1, earned_amount=900)
    record(t, sue, ANNUAL_STAGE, D(2025, 6, 10), income_from_any_source=1, earned=1, earned_amount=500)
    record(t, sue, ANNUAL_STAGE, D(2026, 5, 20), income_from_any_source=1, earned=1, earned_amount=800)
    stay(t, person(t, "Kid", D(2015, 1, 1), **b), psh, "S1", D(2024, 6, 1), head=False)
    uma = stay(t, person(t, "Uma", **b), psh, "U1", D(2025, 1, 15), D(2026, 3, 31), move_in_date=D(2025, 2, 1),
               destination=422)
    record(t, uma, START_STAGE, D(2025, 1, 15), income_from_any_source=0)
    record(t, uma, EXIT_STAGE, D(2026, 3, 31), income_from_any_source=1, unemployment=1, unemployment_amount=200)
    wes = stay(t, person(t, "Wes", **b), psh, "W1", D(2025, 5, 1), D(2026, 6, 15), move_in_date=D(2025, 5, 10),
               destination=116)
    record(t, wes, EXIT_STAGE, D(2026, 6, 15), income_from_any_source=1, earned=1, earned_amount=1000)
    stay(t, person(t, "Yan", **b), psh, "Y1", D(2026, 2, 1), D(2026, 3, 1), destination=410)

    val = stay(t, person(t, "Val", **b), vash, "V1", D(2024, 3, 1))
    record(t, val, START_STAGE, D(2024, 3, 1), income_from_any_source=0)
    record(t, val, ANNUAL_STAGE, D(2025, 3, 5), income_from_any_source=1, earned=1, earned_amount=900)
    record(t, val, ANNUAL_STAGE, D(2026, 3, 5), income_from_any_source=1, earned=1, earned_amount=900)
    stay(t, person(t, "Ray", **b), rrh, "R1", D(2026, 1, 10), D(2026, 7, 31), move_in_date=D(2026, 2, 1),
         destination=435)

    tom = stay(t, person(t, "Tom"), th, "T1", D(2025, 11, 1), D(2026, 4, 30), destination=410)
    record(t, tom, START_STAGE, D(2025, 11, 1), income_from_any_source=1, ssi=1, ssi_amount=600)
    record(t, tom, EXIT_STAGE, D(2026, 4, 30), income_from_any_source=1, ssi=1, ssi_amount=300)

    es = t.shelter_a
    stay(t, person(t, "Fay"), es, "F1", D(2026, 2, 1))
    gus = person(t, "Gus")
    stay(t, gus, es, "G0", D(2024, 3, 1), D(2024, 3, 31), destination=116)
    stay(t, gus, es, "G1", D(2026, 3, 1))
    hal = person(t, "Hal")
    stay(t, hal, es, "H0", D(2024, 2, 1), D(2024, 2, 28), destination=116)
    stay(t, hal, es, "H1", D(2026, 3, 1))
    stay(t, person(t, "Xia"), es, "X1", D(2026, 4, 1), D(2026, 5, 15), destination=116)

    so = t.outreach_a
    for name, entry, exit_date, destination in (("Ola", D(2025, 12, 1), D(2026, 1, 20), 312),
                                                ("Pat", D(2026, 2, 1), D(2026, 5, 1), 410),
                                                ("Quin", D(2026, 3, 1), D(2026, 4, 1), 24)):
        stay(t, person(t, name), so, name, entry, exit_date, destination=destination, date_of_engagement=entry)
    return t


def measured(t, viewer=None):
    """{code: [[previous, current, difference] per row]} and the tables themselves."""
    built = measure_tables(Project.objects.filter(coc=t.coc1), START, END, viewer)
    return {table.code: [[c.count for c in cells] for _, cells in table.rows] for table in built}, built


def names(table, row, column=1):
    ids = table.rows[row][1][column].ids
    return sorted(Client.objects.filter(client_id__in=ids).values_list("first_name", flat=True))


def test_h4_spm_measure_4_income_growth_of_coc_funded_adults(coc):
    m, built = measured(coc)
    # Stayers (current FY): Sue only: in B Housing (CoC PSH) on 09/30/2026 for 852 days. Kid is a
    # child; Val's project is funded by HUD/VASH only, so her growth is not seen; Fay, Gus, Hal are
    # in an ES, not a Measure 4 project type. Previous FY: Sue again (487 days by 09/30/2025); Uma
    # (259 days) and Wes (153 days) were not yet there a year, and were not leavers then.
    # Sue now: latest annual 05/20/2026 ($800 earned) against the annual before it (06/10/2025,
    # $500), not against her start ($900): increased earned and total. A year ago: 06/10/2025 ($500)
    # against her start ($900): no increase.
    assert m["4.1"] == [[1, 1, 0], [0, 1, 1], ["0.00%", "100.00%", "100.00%"]]
    assert m["4.2"] == [[1, 1, 0], [0, 0, 0], ["0.00%", "0.00%", "0.00%"]]  # no non-employment income
    assert m["4.3"] == [[1, 1, 0], [0, 1, 1], ["0.00%", "100.00%", "100.00%"]]
    assert names(built[0], 1) == ["Sue"]
    # Leavers (current FY): Tom (A TH, CoC TH), Uma, Wes, Yan (B Housing); none a year ago.
    # Tom's SSI fell $600 -> $300: no increase. Uma: no income at start, $200 unemployment at exit:
    # increased non-employment and total income. Wes had no start record: his $1,000 at exit is not
    # an increase (the earlier record must exist). Yan: no records.
    assert m["4.4"] == [[0, 4, 4], [0, 0, 0], ["0.00%", "0.00%", "0.00%"]]
    assert m["4.5"] == [[0, 4, 4], [0, 1, 1], ["0.00%", "25.00%", "25.00%"]]
    assert m["4.6"] == [[0, 4, 4], [0, 1, 1], ["0.00%", "25.00%", "25.00%"]]
    assert names(built[3], 0) == ["Tom", "Uma", "Wes", "Yan"]
    assert names(built[4], 1) == ["Uma"]


def test_h4_spm_measure_5_first_time_homeless(coc):
    m, built = measured(coc)
    # 5.1 current FY: entries into ES/SH/TH in the period: Fay, Gus, Hal, Xia (A Shelter), Tom (A TH).
    # Gus's earlier shelter stay exited 700 days before his 03/01/2026 start: within 24 months, so
    # not first-time. Hal's exited 732 days before: outside, first-time. Previous FY: no ES/SH/TH entry.
    assert m["5.1"] == [[0, 5, 5], [0, 1, 1], [0, 4, 4]]
    assert names(built[6], 1) == ["Gus"]
    assert names(built[6], 2) == ["Fay", "Hal", "Tom", "Xia"]
    # 5.2 adds PH entries: Ray (RRH, 01/10/2026) and Yan (PSH, 02/01/2026), both first-time (Ray's
    # and Yan's only stays). Previous FY: Uma (PSH 01/15/2025) and Wes (PSH 05/01/2025), first-time.
    # Sue, Kid and Val started before either period.
    assert m["5.2"] == [[2, 7, 5], [0, 1, 1], [2, 6, 4]]
    assert names(built[7], 0, column=0) == ["Uma", "Wes"]


def test_h4_spm_measure_7_exits_and_retention(coc):
    m, built = measured(coc)
    # 7a.1: street outreach leavers Ola (312, temporary) and Pat (410, permanent); Quin died (24)
    # and leaves the measure. (Ola + Pat) / 2 = 100%. None a year ago: no relative change of persons.
    assert m["7a.1"] == [[0, 2, ""], [0, 1, ""], [0, 1, ""], ["0.00%", "100.00%", "100.00%"]]
    assert names(built[8], 1) == ["Ola"]
    # 7b.1: leavers of ES/SH/TH/PH, latest exit: Tom (TH, 410), Ray (RRH, 435), Xia (ES, 116) and Yan
    # (PSH, 410, never moved in). Uma and Wes left PSH after moving in: 7b.2 has them. Fay, Gus, Hal,
    # Sue, Kid and Val are still in. 3 of 4 to permanent = 75%. A year ago nobody left.
    assert m["7b.1"] == [[0, 4, ""], [0, 3, ""], ["0.00%", "75.00%", "75.00%"]]
    assert names(built[9], 0) == ["Ray", "Tom", "Xia", "Yan"]
    # 7b.2: PSH stayers who moved in: Sue, and Kid with his mother's move-in (3.20 is the head's);
    # leavers after moving in: Uma (422, permanent) and Wes (116). Val, a stayer never moved in, is
    # left out. Retained or to permanent: Sue, Kid, Uma = 3 of 4. Previous FY: Sue, Kid, Uma and Wes
    # were all still in, moved in by 09/30/2025: 4 of 4. % Difference: 4 -> 4 persons 0.00%, 4 -> 3
    # retained -25.00% (a quarter fewer), 100% -> 75% -25.00 points.
    assert m["7b.2"] == [[4, 4, "0.00%"], [4, 3, "-25.00%"], ["100.00%", "75.00%", "-25.00%"]]
    assert names(built[10], 1) == ["Kid", "Sue", "Uma"]


def test_h4_spm_measures_layout_and_hdx_variables(coc):
    _, built = measured(coc)
    assert [t.code for t in built] == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5.1", "5.2", "7a.1", "7b.1", "7b.2"]
    assert all(t.columns == ["", "Previous FY", "Current FY", "Difference"] for t in built[:8])
    assert all(t.columns == ["", "Previous FY", "Current FY", "% Difference"] for t in built[8:])
    assert built[0].rows[0][0] == "Universe: Number of adults (system stayers)"
    values = hdx_values(built)
    assert values["AdultStayers_4"] == 1 and values["AdultLeavers_4"] == 4
    assert values["IncreaseOther4_5"] == 1 and values["ESSHTHWithPriorSvc5_1"] == 1
    assert values["SOExit_7"] == 2 and values["ESSHTHRRHToPH_7"] == 3 and values["PHClientsStayOrExitPH_7"] == 3


def test_h4_spm_measures_read_the_coc_in_a_few_queries(coc, django_assert_max_num_queries):
    """The stays (one query), the CoC-funded projects of each year (two), the income records of
    the CoC-funded stays (one): no query per person."""
    with django_assert_max_num_queries(4):
        measure_tables(Project.objects.filter(coc=coc.coc1), START, END)


def test_h4_spm_annual_assessment_window_unit():
    entry = D(2024, 6, 1)
    assert anniversary_year(D(2025, 5, 2), entry) == 1  # 30 days before the first anniversary
    assert anniversary_year(D(2025, 5, 1), entry) is None  # 31 days before
    assert anniversary_year(D(2024, 6, 20), entry) is None  # not an anniversary: 19 days after the start
    assert anniversary_year(D(2027, 1, 3), D(2024, 12, 20)) == 2  # the window crosses the new year


def test_h4_spm_another_agency_gets_no_client_id_it_may_not_see(coc):
    """Agency B's reporter gets the CoC's numbers (the SPM is the CoC's submission), but no cell
    names a client B may not see: Ola's record is locked to Agency A (C10), so her Client ID is in
    no cell (7a.1's temporary-destination cell still counts her: 1, with no ID). The others are
    Agency B's own clients or shared by Agency A in full within the CoC."""
    t = coc
    Client.objects.filter(first_name="Ola").update(locked_to_agency=t.agency_a)
    viewer_b = Viewer(t.reporter_b, License.objects.get(user=t.reporter_b), for_reports=True)
    for_b, built_for_b = measured(t, viewer_b)
    for_lead, built_for_lead = measured(t)
    assert for_b == for_lead

    def seen(built):
        return {name for table in built for row in range(len(table.rows)) for column in (0, 1)
                for name in names(table, row, column)}

    assert "Ola" in seen(built_for_lead)
    assert seen(built_for_b) == seen(built_for_lead) - {"Ola"}
    assert for_b["7a.1"][1] == [0, 1, ""] and names(built_for_b[8], 1) == []
