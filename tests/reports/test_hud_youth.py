"""H4: the APR's youth tables Q27a-Q27m (reports/hud/SPEC_APR_CAPER.md 1.6, 6.1; Q27c gender is gone
in FY2026) on one hand-built data set, every cell stated and explained. Reporting period
01/01/2026 to 06/30/2026 (tests/reports/test_hud_rules). Ages are at the later of the report
start and the person's own start.

Youth: aged 12-24 in a household where no member is 25 or older; a member of unknown age
does not disqualify the household (HUD's Data Lab code, tables.youth_persons).

Household-type columns (HH5): Total, Without Children, With Children and Adults, With Only
Children, Unknown Household Type.

The data set (`youth`):

Y Housing (RRH, project type 13, funded by YHDP, 2.06 funder 43):
- Y1: Yas, 19 (born 06/15/2006), alone (without children), 01/10 to 04/10/2026 (90 days),
  moved in 01/20/2026 (10 days), homeless since 01/01/2026 (19 days before the move-in),
  came from a place not meant for habitation (116), left to rental with a Foster Youth to
  Independence voucher (435/438), disabling condition no. Start record: earned $600, C3 "not
  enrolled" (0) and "K12: dropped out" (2). Exit record: earned $800, C3 "enrolled and
  attending" (2), "pursuing a high school diploma or GED" (0).
- Y2: Pia, 17 (born 09/01/2008), head, with her baby Bo (born 10/01/2025, the head's child):
  a household of children only; 02/01 to 05/01/2026 (89 days), never moved in, came from
  foster care (215), both left to foster care (215, excluded from the positive-destination
  rate), Pia's disabling condition yes. Pia's start record: no income, C3 "enrolled but
  not attending" (1), "pursuing a high school diploma or GED" (0). Exit record: TANF $200,
  C3 not asked.
- Y3: Ray, 22 (born 05/01/2003), head, Sam, 23 (born 03/01/2002), his partner, and Cy
  (born 01/01/2024), Ray's child: with children and adults; all from 01/05/2026, stayers
  (177 days); moved in 02/04/2026 (30 days). Ray came from an emergency shelter (101),
  homeless since 12/01/2025 (65 days before the move-in); Sam has no date homelessness
  started. Ray's start record: earned $1,000; Sam has no start record.

A Shelter (emergency shelter, entry-exit, type 0; no YHDP funding):
- Y4: Ted, 20, head, with Uma, 30 (his partner), from 03/01/2026: Uma is 25 or older, so
  neither is youth (Ted, from a place not meant for habitation, is in no Q27 table).
- Y5: Val, 15 (born 04/01/2010), head, and her brother Wyn, 16 (born 11/01/2009): children
  only; 01/15 to 01/20/2026 (5 days), both left to a family member's place, temporary
  (312); Val homeless since 01/10/2026 (5 days before the start; Wyn, a child who started
  with her, takes her date). Val's 3.917 living situation is not collected (99). Val's
  start and exit records: no income; disabling condition no. Wyn's start record says SSI
  yes, but he is neither an adult nor a head: not in Q27g-Q27i. Val also has a C3 start
  record ("doesn't know"), but A Shelter is not YHDP-funded: not in Q27m.
- Y6: Xan, 21 (born 12/01/2004), head, with Zed (no date of birth, quality 99, a
  non-relation): unknown household type; from 02/15/2026, a stayer (136 days); Xan's prior
  living situation "doesn't know" (8), homeless since 01/01/2026 (45 days before his
  start). Xan's start record: income "doesn't know" (8). Zed's unknown age does not stop
  Xan being youth; Zed himself is not (his age is unknown).

Youth: Yas, Pia, Ray, Sam, Val, Wyn, Xan (7). Not youth: Bo and Cy (under 12), Ted and Uma
(a member 30), Zed (age unknown). Youth adults and heads (Q27g-Q27i): Yas, Pia, Ray, Sam,
Val, Xan (not Wyn). Youth heads (Q27d): Yas, Pia, Ray, Val, Xan.
"""

from datetime import date

import pytest

from agencies.models import ProjectFunder
from enrollments.models import Enrollment
from reports.hud import tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_questions import person, record
from tests.reports.test_hud_rules import built, by_label, stay, written

pytestmark = pytest.mark.django_db
D = date
START_STAGE, EXIT_STAGE = 1, 3
NONE5 = [0, 0, 0, 0, 0]


def member(t, client, project, household, entry, exit_date=None, relationship=2, **fields):
    """A household member who is not the head, with their relationship to the head (3.15)."""
    e = stay(t, client, project, household, entry, exit_date, head=False, **fields)
    Enrollment.objects.filter(pk=e.pk).update(relationship_to_hoh=relationship)
    e.refresh_from_db()
    return e


@pytest.fixture
def youth(tenancy):
    t = tenancy
    housing = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="Y Housing", project_type=13)
    ProjectFunder.objects.create(project=housing, funder=43, start_date=D(2020, 1, 1))
    shelter = t.shelter_a

    yas = stay(t, person(t, "Yas", D(2006, 6, 15)), housing, "Y1", D(2026, 1, 10), D(2026, 4, 10),
               move_in_date=D(2026, 1, 20), date_to_street_essh=D(2026, 1, 1), living_situation=116,
               destination=435, destination_subsidy_type=438)
    record(t, yas, START_STAGE, D(2026, 1, 10), income_from_any_source=1, earned=1, earned_amount=600,
           current_school_attend=0, most_recent_ed_status=2)
    record(t, yas, EXIT_STAGE, D(2026, 4, 10), income_from_any_source=1, earned=1, earned_amount=800,
           current_school_attend=2, current_ed_status=0)

    pia = stay(t, person(t, "Pia", D(2008, 9, 1)), housing, "Y2", D(2026, 2, 1), D(2026, 5, 1),
               living_situation=215, destination=215, disabling_condition=1)
    record(t, pia, START_STAGE, D(2026, 2, 1), income_from_any_source=0, current_school_attend=1, current_ed_status=0)
    record(t, pia, EXIT_STAGE, D(2026, 5, 1), income_from_any_source=1, tanf=1, tanf_amount=200)
    stay(t, person(t, "Bo", D(2025, 10, 1)), housing, "Y2", D(2026, 2, 1), D(2026, 5, 1), head=False,
         destination=215)

    ray = stay(t, person(t, "Ray", D(2003, 5, 1)), housing, "Y3", D(2026, 1, 5), move_in_date=D(2026, 2, 4),
               living_situation=101, date_to_street_essh=D(2025, 12, 1))
    record(t, ray, START_STAGE, D(2026, 1, 5), income_from_any_source=1, earned=1, earned_amount=1000)
    member(t, person(t, "Sam", D(2002, 3, 1)), housing, "Y3", D(2026, 1, 5), relationship=3)
    stay(t, person(t, "Cy", D(2024, 1, 1)), housing, "Y3", D(2026, 1, 5), head=False)

    stay(t, person(t, "Ted", D(2005, 8, 1)), shelter, "Y4", D(2026, 3, 1), living_situation=116)
    member(t, person(t, "Uma", D(1995, 7, 1)), shelter, "Y4", D(2026, 3, 1), relationship=3)

    val = stay(t, person(t, "Val", D(2010, 4, 1)), shelter, "Y5", D(2026, 1, 15), D(2026, 1, 20),
               living_situation=99, date_to_street_essh=D(2026, 1, 10), destination=312)
    record(t, val, START_STAGE, D(2026, 1, 15), income_from_any_source=0, current_school_attend=8)
    record(t, val, EXIT_STAGE, D(2026, 1, 20), income_from_any_source=0)
    wyn = member(t, person(t, "Wyn", D(2009, 11, 1)), shelter, "Y5", D(2026, 1, 15), D(2026, 1, 20), relationship=4,
                 destination=312)
    record(t, wyn, START_STAGE, D(2026, 1, 15), income_from_any_source=1, ssi=1, ssi_amount=900)

    xan = stay(t, person(t, "Xan", D(2004, 12, 1)), shelter, "Y6", D(2026, 2, 15), living_situation=8,
               date_to_street_essh=D(2026, 1, 1))
    record(t, xan, START_STAGE, D(2026, 2, 15), income_from_any_source=8)
    member(t, person(t, "Zed", None, dob_data_quality=99), shelter, "Y6", D(2026, 2, 15), relationship=5)
    return [housing, shelter]


def test_h4_q27_tables_are_in_the_apr_only_in_hud_order():
    """Notes 6.1/6.2: the youth tables follow Q26 in the APR (no Q27c since FY2026); the CAPER
    and the Data Quality report have none."""
    q27 = ["Q27a", "Q27b", "Q27d", "Q27e", "Q27f1", "Q27f2", "Q27g", "Q27h", "Q27i", "Q27j", "Q27k", "Q27l", "Q27m"]
    apr = tables.REPORTS["apr"][1]
    assert apr[-len(q27):] == q27
    assert not set(q27) & (set(tables.REPORTS["caper"][1]) | set(tables.REPORTS["dq"][1]))


def test_h4_youth_are_12_to_24_with_no_member_25_or_older(youth):
    q27a = built("apr", *youth)["Q27a"]
    assert list(q27a) == ["12-17", "18-24", "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected", "Total"]
    assert q27a["12-17"] == [3, 0, 0, 3, 0]         # Pia (with her baby), Val and Wyn: children only
    assert q27a["18-24"] == [4, 1, 2, 0, 1]         # Yas alone; Ray and Sam (with Cy); Xan (with Zed, age unknown)
    # A youth's age is known by definition: these rows stay 0.
    assert q27a["Client Doesn't Know/Prefers Not to Answer"] == NONE5
    assert q27a["Data Not Collected"] == NONE5
    # Not Bo, Cy (under 12), Ted (his partner Uma is 30), Uma, Zed (age unknown).
    assert q27a["Total"] == [7, 1, 2, 3, 1]


def test_h4_q27b_parenting_youth_by_the_heads_age(youth, tmp_path):
    files = written(tmp_path, "apr", *youth)
    assert files["Q27b"][0] == ["", "Total Parenting Youth", "Total Children of Parenting Youth", "Total Persons",
                                "Total Households"]
    q27b = by_label(files["Q27b"])
    # Pia (17) heads a household with her child Bo: 1 parent, 1 child, 2 persons, 1 household.
    assert q27b["Parent youth < 18"] == ["1", "1", "2", "1"]
    # Ray (22) with his child Cy: Ray and Sam (an adult, his partner) are the parents.
    assert q27b["Parent youth 18 to 24"] == ["2", "1", "3", "1"]
    # Val and Wyn (siblings, no child of the head), Xan (Zed is no child of his) and Ted
    # (not youth) are in neither row.

    # Q5a's youth rows read the same definitions: the youth of Q27a (its total) and the
    # parenting youth households of Q27b (Pia's and Ray's, counted by their heads).
    report = built("apr", *youth)
    assert report["Q5a"]["Number of youth under age 25"] == [report["Q27a"]["Total"][0]] * 2
    assert report["Q5a"]["Number of parenting youth under age 25 with children"] == [2, 2]


def test_h4_q27d_living_situation_of_youth_heads(youth, tmp_path):
    q27d = built("apr", *youth)["Q27d"]
    assert q27d["Place not meant for habitation"] == [1, 1, 0, 0, 0]  # Yas (not Ted: not youth)
    # Ray; Sam, a youth adult but not a head, is not counted.
    assert q27d["Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home "
                "shelter"] == [1, 0, 1, 0, 0]
    assert q27d["Foster care home or foster care group home"] == [1, 0, 0, 1, 0]  # Pia, a head of 17
    assert q27d["Client Doesn't Know/Prefers Not to Answer"] == [1, 0, 0, 0, 1]  # Xan (8)
    assert q27d["Data Not Collected"] == [1, 0, 0, 1, 0]  # Val (99), a head of 15
    assert q27d["Total"] == [5, 1, 1, 2, 1]  # the youth heads: Yas, Pia, Ray, Val, Xan
    # Heading rows carry no numbers; the subtotals: homeless Yas + Ray; institutional Pia;
    # doesn't know + not collected: Xan + Val.
    rows = written(tmp_path, "apr", *youth)["Q27d"]
    assert rows[1] == ["Homeless Situations", "", "", "", "", ""]
    assert [cells for label, *cells in rows if label == "Subtotal"] == [
        ["2", "1", "1", "0", "0"], ["1", "0", "0", "1", "0"], ["0"] * 5, ["0"] * 5, ["2", "0", "0", "1", "1"]]


def test_h4_q27e_and_q27j_length_of_participation_of_youth(youth, tmp_path):
    report = built("apr", *youth)
    q27e = report["Q27e"]
    assert list(q27e) == [label for label, _, _ in tables.LENGTH_BANDS] + ["Total"]
    # Total, Leavers, Stayers.
    assert q27e["30 days or less"] == [2, 2, 0]       # Val, Wyn: 5 days
    assert q27e["31 to 60 days"] == [0, 0, 0]
    assert q27e["61 to 90 days"] == [2, 2, 0]         # Yas 90, Pia 89
    assert q27e["91 to 180 days"] == [3, 0, 3]        # Ray, Sam 177; Xan 136
    assert q27e["181 to 365 days"] == [0, 0, 0]
    assert q27e["Total"] == [7, 4, 3]
    files = written(tmp_path, "apr", *youth)
    assert files["Q27j"][0] == ["", "Leavers", "Stayers"]
    q27j = by_label(files["Q27j"])
    # Leavers 90, 89, 5, 5: mean 189 / 4 = 47.25, median (5 + 89) / 2 = 47. Stayers 177, 177,
    # 136: mean 490 / 3 = 163.3333, median 177.
    assert q27j["Average Length"] == ["47.2500", "163.3333"]
    assert q27j["Median Length"] == ["47.0000", "177.0000"]


def test_h4_q27f1_and_q27f2_exit_destinations_of_youth(youth):
    report = built("apr", *youth)
    q27f1 = report["Q27f1"]
    # The youth leavers: Yas (435, without children), Pia (215, children only), Val and Wyn
    # (312, children only). Bo left too, but is not youth.
    assert q27f1["Total"] == [4, 1, 0, 3, 0]
    assert q27f1["Total persons exiting to positive housing destinations"][0] == 1  # Yas (RRH, permanent)
    # Pia left an RRH for foster care: excluded from the rate, which is 1 of 4 − 1.
    assert q27f1["Total persons whose destinations excluded them from the calculation"][0] == 1
    q23c = report["Q23c"]
    assert q27f1["Total persons exiting to positive housing destinations"][0] == \
        q23c["Total persons exiting to positive housing destinations"][0]  # no adult leaver who is not youth
    assert q23c["Total"][0] == 5  # Q23c also has Bo
    q27f2 = report["Q27f2"]
    assert q27f2["Foster Youth to Independence Initiative (FYI)"] == [1, 1, 0, 0, 0]  # Yas
    assert q27f2["Total"] == [1, 1, 0, 0, 0]


def test_h4_q27g_income_sources_of_youth_adults_and_heads(youth):
    q27g = built("apr", *youth)["Q27g"]
    # At start, at the annual assessment (stayers), at exit (leavers).
    assert q27g["Earned Income"] == [2, 0, 1]  # start Yas, Ray; no stayer is due an annual; exit Yas
    assert q27g["Temporary Assistance for Needy Families (TANF)"] == [0, 0, 1]  # Pia at exit (a head of 17)
    assert q27g["Supplemental Security Income (SSI)"] == [0, 0, 0]  # Wyn's SSI: a child, not a head
    # Known at start and exit: Yas, Pia, Val (the shell's label says adults here too).
    assert q27g["Adults with Income Information at Start and Annual Assessment/Exit"] == ["", 0, 3]


def test_h4_q27h_income_categories_of_youth(youth, tmp_path):
    files = written(tmp_path, "apr", *youth)
    assert files["Q27h"][0] == ["", "Number of Youth at Start", "Number of Youth at Annual Assessment (Stayers)",
                                "Number of Youth at Exit (Leavers)"]
    q27h = by_label(files["Q27h"])
    # Start: the six youth adults and heads; annual: the stayers Ray, Sam, Xan (none due yet);
    # exit: the leavers Yas, Pia, Val.
    assert q27h["Youth with Only Earned Income (i.e., Employment Income)"] == ["2", "0", "1"]  # Yas, Ray; Yas
    assert q27h["Youth with Only Other Income"] == ["0", "0", "1"]                          # Pia's TANF at exit
    assert q27h["Youth with Both Earned and Other Income"] == ["0", "0", "0"]
    assert q27h["Youth with No Income"] == ["2", "0", "1"]                                  # Pia, Val; Val
    assert q27h["Youth with Client Doesn't Know/Prefers Not to Answer Income Information"] == ["1", "0", "0"]  # Xan
    assert q27h["Youth with Missing Income Information"] == ["1", "0", "0"]                 # Sam: no start record
    assert q27h["Number of youth stayers not yet required to have an annual assessment"] == ["", "3", ""]
    assert q27h["Number of youth stayers without required annual assessment"] == ["", "0", ""]
    assert q27h["Total Youth"] == ["6", "3", "3"]
    assert q27h["1 or more source of income"] == ["2", "0", "2"]                            # Yas, Ray; Yas, Pia
    assert q27h["Youth with Income Information at Start and Annual Assessment/Exit"] == ["", "0", "3"]


def test_h4_q27i_disabling_conditions_and_income_of_youth_at_exit(youth, tmp_path):
    files = written(tmp_path, "apr", *youth)
    header = files["Q27i"][0]
    assert len(header) == 17 and header[1:5] == [
        "AO: Youth with Disabling Condition", "AO: Youth without Disabling Condition", "AO: Total Youths",
        "AO: % with Disabling Condition by Source"]
    assert [h.split(":")[0] for h in header[1::4]] == ["AO", "AC", "CO", "UK"]
    q27i = by_label(files["Q27i"])
    # Youth leavers with 3.08 yes/no and 4.02 yes/no at exit: Yas (no condition, without
    # children), Pia (condition, children only), Val (no condition, children only).
    # (percentages as HUD's CSV writes them: 100.00% is 1.0000)
    empty = ["0", "0", "0", "0.0000"]
    assert q27i["Earned Income"] == ["0", "1", "1", "0.0000"] + empty * 3                      # Yas
    assert q27i["Temporary Assistance for Needy Families (TANF)"] == empty * 2 + ["1", "0", "1", "1.0000"] + empty
    assert q27i["No Sources"] == empty * 2 + ["0", "1", "1", "0.0000"] + empty                 # Val
    assert q27i["Unduplicated Total Youth"] == ["0", "1", "1", "", "0", "0", "0", "", "1", "1", "2", "", "0", "0",
                                                "0", ""]


def test_h4_q27k_time_from_start_to_move_in_of_youth(youth):
    q27k = built("apr", *youth)["Q27k"]
    # The youth of the RRH: Yas, Pia, Ray, Sam.
    assert q27k["8 to 14 days"] == [1, 1, 0, 0, 0]                   # Yas, 10 days
    assert q27k["22 to 30 days"] == [2, 0, 2, 0, 0]                  # Ray and Sam, 30 days (not Cy: not youth)
    assert q27k["Total (persons moved into housing)"] == [3, 1, 2, 0, 0]
    assert q27k["Average length of time to housing"] == ["23", "10", "30", "0", "0"]  # (10 + 30 + 30) / 3
    assert q27k["Persons who were exited without move-in"] == [1, 0, 0, 1, 0]  # Pia
    assert q27k["Total persons"] == [4, 1, 2, 1, 0]


def test_h4_q27l_time_prior_to_housing_of_youth(youth):
    q27l = built("apr", *youth)["Q27l"]
    assert q27l["7 days or less"] == [2, 0, 0, 2, 0]       # Val 5 days; Wyn, a child, on her date: 5
    assert q27l["15 to 21 days"] == [1, 1, 0, 0, 0]        # Yas: 01/20 − 01/01
    assert q27l["31 to 60 days"] == [1, 0, 0, 0, 1]        # Xan: shelter start 02/15 − 01/01
    assert q27l["61 to 90 days"] == [1, 0, 1, 0, 0]        # Ray: 02/04 − 12/01/2025
    assert q27l["Total (persons moved into housing)"] == [5, 1, 1, 2, 1]
    assert q27l["Not yet moved into housing"] == [1, 0, 0, 1, 0]  # Pia, never moved in
    assert q27l["Data not collected"] == [1, 0, 1, 0, 0]   # Sam, an adult with no date of his own
    assert q27l["Total persons"] == [7, 1, 2, 3, 1]


def test_h4_q27m_education_status_of_youth_heads_leaving_yhdp_projects(youth, tmp_path):
    files = written(tmp_path, "apr", *youth)
    assert files["Q27m"][0] == ["Current school and attendance", "At Project Start", "At Project Exit"]
    rows = files["Q27m"][1:]
    # Youth heads who left Y Housing (YHDP): Yas and Pia. Val left A Shelter, not YHDP-funded.
    assert rows[0] == ["Not currently enrolled in any school or educational course", "1", "0"]  # Yas at start
    assert rows[1] == ["Currently enrolled but NOT attending regularly", "1", "0"]            # Pia at start
    assert rows[2] == ["Currently enrolled and attending regularly", "0", "1"]                # Yas at exit
    assert rows[3] == ["Client Doesn't Know/Prefers Not to Answer", "0", "0"]                 # not Val's 8
    assert rows[5] == ["For those not enrolled – most recent education status", "", ""]
    q27m = dict((row[0], row[1:]) for row in rows[6:16])
    assert q27m["K12: Dropped out"] == ["1", "0"]                                              # Yas at start
    assert rows[16] == ["For those currently enrolled – current status", "", ""]
    # Pia at start; Yas at exit.
    assert rows[17] == ["Pursuing a high school diploma or GED", "1", "1"]
    # Pia's exit record did not ask C3: she has no exit row, so the exit total is Yas alone.
    assert rows[-1] == ["Total", "2", "1"]
    assert len(rows) == 25


def test_h4_q27b_a_head_under_18_with_an_adult_partner_is_in_the_under_18_row(tenancy):
    """A Shelter, from 02/01/2026: Ada, 17 (born 06/01/2008), head; Ben, 19 (born 06/01/2006),
    her partner; Cal (born 12/01/2025), the head's child. The row is the head's age (HUD's
    row names the parent's age; [DL] would use the household type, with children and
    adults, and say "18 to 24"): "< 18", with both Ada and Ben as parenting youth."""
    t = tenancy
    feb = D(2026, 2, 1)
    stay(t, person(t, "Ada", D(2008, 6, 1)), t.shelter_a, "P1", feb)
    member(t, person(t, "Ben", D(2006, 6, 1)), t.shelter_a, "P1", feb, relationship=3)
    member(t, person(t, "Cal", D(2025, 12, 1)), t.shelter_a, "P1", feb)
    q27b = built("apr", t.shelter_a)["Q27b"]
    assert q27b["Parent youth < 18"] == [2, 1, 3, 1]
    assert q27b["Parent youth 18 to 24"] == [0, 0, 0, 0]
