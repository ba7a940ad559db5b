"""H4: APR/CAPER Q22b-Q22g, Q23d, Q23e, Q24e and Q25a on one hand-built data set (Q24a and Q24b on their own)
(reports/hud/SPEC_APR_CAPER.md 1.4, 2.3, 2.4, 5.1, 6.1, 6.2). Every expected cell is stated
and explained. Reporting period 01/01/2026 to 06/30/2026 (tests/reports/test_hud_rules).

Household-type columns (HH5): Total, Without Children, With Children and Adults, With Only
Children, Unknown Household Type.

Length of participation (Q22b, Q22d) is exit − start for leavers (the exit day is not a day
in the project) and report end + 1 − start for stayers (the report end day is one).

The data set (`stays`):

B Housing (PSH, project type 3):
- H1, with children and adults, all stayers:
  - Pat, head (born 1980), from 01/01/2026, moved in 01/08/2026; homeless since
    12/02/2025. Participation 07/01 − 01/01 = 181 days; to move-in 7 days (on the top
    boundary of "7 days or less"); prior to housing 01/08/2026 − 12/02/2025 = 37 days.
  - Cody, child (born 2015), with Pat from 01/01/2026: takes Pat's move-in (7 days) and,
    as a child who started with the head, Pat's date homelessness started (37 days), not
    his own 06/01/2025 (which would be 221 days). Participation 181 days.
  - Adam, adult, joined late on 03/01/2026, after the move-in: his own start is his
    move-in (0 days); homeless since 02/01/2026: 28 days prior to housing. Participation
    07/01 − 03/01 = 122 days.
- H2: Quinn, alone, 02/01 to 04/01/2026, never moved in (a household with no move-in),
  left to rental with an RRH subsidy (435/431). Participation 59 days.
- H3: Rae, alone, 03/02 to 05/31/2026, moved in 03/17/2026 (15 days: the bottom boundary
  of "15 to 21 days"), no date homelessness started; left to 435 with VASH (419).
  Participation 90 days (top of "61 to 90 days").
- H4: Sol, alone, stayer from 06/01/2026, not moved in yet. Participation 30 days.

A Shelter (emergency shelter entry-exit, type 0), one person a household, all adults:
- Val, stayer from 05/31/2026: 31 days (the bottom boundary of "31 to 60 days", not one band
  low); homeless since 05/01/2026: 30 days before her start (top of "22 to 30 days").
- Wes, 01/01 to 01/08/2026: 7 days; his date homelessness started (01/05/2026) is after his
  start, so not valid: data not collected; left to 435 with an HCV voucher (433).
- Xia, 01/01/2024 to 01/02/2026 (2024 is a leap year): 366 + 365 + 1 = 732 days; homeless
  since 12/25/2023: 7 days before her start; left to an emergency shelter (101).

An HP project (homelessness prevention, type 12):
- Zed, alone, 02/01 to 03/01/2026: 28 days; left to 435 with another subsidy (420): HP
  leavers are not in Q23d, and HP is not a project type of Q22e.

Sex (4.21) and veteran status (3.07, adults): Pat female, not a veteran; Cody male (a
child: no veteran row); Adam male, veteran "doesn't know" (8); Quinn prefers not to say
her sex (9), veteran not collected (99); Rae female, not a veteran; Sol sex "doesn't know"
(8), not a veteran; Val female veteran, disabled (3.08 = 1) and in a shelter four or more
times for 12 months in three years: chronically homeless; Wes male veteran and Xia (sex
not collected, 99) a veteran, neither disabled: not chronically homeless; Zed no sex
recorded at all, not a veteran.

Race and ethnicity (3.04): Pat, Val and Xia white; Cody black and white (multi-racial, not
Hispanic); Adam Hispanic and Asian (at least one race and Hispanic); Quinn Hispanic only; Rae
black; Wes American Indian; Sol none ("doesn't know") and Zed none (not collected): unknown.
"""

from datetime import date

import pytest

from enrollments.hud_lists import ServiceRecordType
from enrollments.models import ProgramAnswers, Service
from reports.hud import tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import built, by_label, ids, person, stay, written

pytestmark = pytest.mark.django_db
D = date
RACE_FIELDS = ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
               "native_hi_pacific", "white")


def race(race_none=None, **chosen):
    """3.04 answers: the races given, every other one "no"; RaceNone only when none is."""
    return {f: chosen.get(f, False) for f in RACE_FIELDS} | {"race_none": race_none if race_none or chosen else 99}


@pytest.fixture
def stays(tenancy):
    t = tenancy
    b = dict(user=t.worker_b, project=t.housing_b)
    hp = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Prevention", project_type=12)
    housing, shelter = t.housing_b, t.shelter_a
    stay(t, person(t, "Pat", **race(white=True), sex=0, veteran_status=0, **b), housing, "H1", D(2026, 1, 1), move_in_date=D(2026, 1, 8),
         date_to_street_essh=D(2025, 12, 2))
    stay(t, person(t, "Cody", D(2015, 3, 1), **race(black_af_american=True, white=True), sex=1, **b), housing, "H1", D(2026, 1, 1), head=False,
         date_to_street_essh=D(2025, 6, 1))
    stay(t, person(t, "Adam", D(1990, 1, 1), **race(hispanic_latinao=True, asian=True), sex=1, veteran_status=8, **b), housing, "H1", D(2026, 3, 1), head=False,
         date_to_street_essh=D(2026, 2, 1))
    stay(t, person(t, "Quinn", **race(hispanic_latinao=True), sex=9, veteran_status=99, **b), housing, "H2", D(2026, 2, 1), D(2026, 4, 1), destination=435,
         destination_subsidy_type=431, date_to_street_essh=D(2026, 1, 1))
    stay(t, person(t, "Rae", **race(black_af_american=True), sex=0, veteran_status=0, **b), housing, "H3", D(2026, 3, 2), D(2026, 5, 31), move_in_date=D(2026, 3, 17),
         destination=435, destination_subsidy_type=419)
    stay(t, person(t, "Sol", **race(race_none=8), sex=8, veteran_status=0, **b), housing, "H4", D(2026, 6, 1), date_to_street_essh=D(2026, 1, 1))
    stay(t, person(t, "Val", **race(white=True), sex=0, veteran_status=1), shelter, "S1", D(2026, 5, 31), date_to_street_essh=D(2026, 5, 1),
         disabling_condition=1, times_homeless_past_three_years=4, months_homeless_past_three_years=112)
    stay(t, person(t, "Wes", **race(am_ind_ak_native=True), sex=1, veteran_status=1), shelter, "S2", D(2026, 1, 1), D(2026, 1, 8), destination=435,
         destination_subsidy_type=433, date_to_street_essh=D(2026, 1, 5))
    stay(t, person(t, "Xia", **race(white=True), sex=99, veteran_status=1), shelter, "S3", D(2024, 1, 1), D(2026, 1, 2), destination=101,
         date_to_street_essh=D(2023, 12, 25))
    stay(t, person(t, "Zed", **race(), sex=None, veteran_status=0), hp, "P1", D(2026, 2, 1), D(2026, 3, 1), destination=435,
         destination_subsidy_type=420)
    return t, [housing, shelter, hp]


def test_h4_q22_to_q25a_are_in_the_reports_hud_puts_them_in():
    """Notes 6.1/6.2: Q22b and Q24b are APR-only, Q22d and Q24a CAPER-only; both have the others; the Data Quality report has none."""
    apr, caper, dq = (set(tables.REPORTS[k][1]) for k in ("apr", "caper", "dq"))
    both = {"Q22c", "Q22e", "Q22f", "Q22g", "Q23d", "Q23e", "Q24e", "Q25a"}
    assert both | {"Q22b", "Q24b"} <= apr and not {"Q22d", "Q24a"} & apr
    assert both | {"Q22d", "Q24a"} <= caper and not {"Q22b", "Q24b"} & caper
    assert not dq & (both | {"Q22b", "Q22d", "Q24a", "Q24b"})


def test_h4_q22b_average_and_median_length_of_participation(stays, tmp_path):
    t, projects = stays
    files = written(tmp_path, "apr", *projects)
    assert files["Q22b"][0] == ["", "Leavers", "Stayers"]
    q22b = by_label(files["Q22b"])
    # Leavers: Wes 7, Zed 28, Quinn 59, Rae 90, Xia 732: sum 916 / 5 = 183.20, middle 59.
    # Stayers: Sol 30, Val 31 (report end day counted), Adam 122, Pat 181, Cody 181: sum
    # 545 / 5 = 109, middle 122. Four decimals, as HUD's Data Lab code writes them.
    assert q22b["Average Length"] == ["183.2000", "109.0000"]
    assert q22b["Median Length"] == ["59.0000", "122.0000"]
    assert "Q22b" not in written(tmp_path / "caper", "caper", *projects)


def test_h4_median_of_an_even_count_is_the_mean_of_the_middle_two_unit():
    assert tables._median([30, 31, 122, 181]) == "76.5000"
    assert tables._median([]) == "0.0000" and tables._mean([]) == "0.0000"
    assert tables._mean([7, 7, 0]) == "4.6667" and tables._mean([7, 7, 0], "1") == "5"
    assert tables._mean([1, 2], "1") == "2" and tables._mean([2, 3], "1") == "2"  # halves to even, as R rounds


def test_h4_q22c_time_from_start_to_move_in(stays):
    t, projects = stays
    q22c = built("apr", *projects)["Q22c"]
    assert list(q22c) == ["7 days or less", "8 to 14 days", "15 to 21 days", "22 to 30 days", "31 to 60 days",
                          "61 to 90 days", "91 to 180 days", "181 to 365 days", "366 to 730 days (1-2 Yrs)",
                          "Total (persons moved into housing)", "Average length of time to housing",
                          "Persons who were exited without move-in", "Total persons"]
    # Pat and Cody 7 days (the boundary), Adam 0 (joined after the move-in: his own start).
    assert q22c["7 days or less"] == [3, 0, 3, 0, 0]
    assert q22c["8 to 14 days"] == [0, 0, 0, 0, 0]
    assert q22c["15 to 21 days"] == [1, 1, 0, 0, 0]  # Rae, 15 days
    assert q22c["Total (persons moved into housing)"] == [4, 1, 3, 0, 0]
    # Whole days: (7 + 7 + 0 + 15) / 4 = 7.25 -> 7; Rae alone 15; H1 (7 + 7 + 0) / 3 = 4.67
    # -> 5; nobody: 0.
    assert q22c["Average length of time to housing"] == ["7", "15", "5", "0", "0"]
    # Quinn left without moving in; Sol, a stayer not yet housed, is in neither row.
    assert q22c["Persons who were exited without move-in"] == [1, 1, 0, 0, 0]
    assert q22c["Total persons"] == [5, 2, 3, 0, 0]
    # The shelter's and HP's persons are not in it; every number drills down to its clients.
    assert ids("apr", "Q22c", "7 days or less", *projects) == {
        p.client.client_id for p in t.housing_b.enrollments.filter(household_id="H1")}


def test_h4_q22d_caper_length_of_participation_by_household_type(stays, tmp_path):
    t, projects = stays
    files = written(tmp_path, "caper", *projects)
    assert files["Q22d"][0] == ["", "Total", *tables.HOUSEHOLD_TYPES]
    q22d = by_label(files["Q22d"])
    assert q22d["7 days or less"] == ["1", "1", "0", "0", "0"]           # Wes, 7
    assert q22d["8 to 14 days"] == ["0", "0", "0", "0", "0"]
    assert q22d["15 to 21 days"] == ["0", "0", "0", "0", "0"]
    assert q22d["22 to 30 days"] == ["2", "2", "0", "0", "0"]            # Zed 28, Sol 30
    assert q22d["31 to 60 days"] == ["2", "2", "0", "0", "0"]            # Val 31 (stayer on the boundary), Quinn 59
    assert q22d["61 to 90 days"] == ["1", "1", "0", "0", "0"]            # Rae 90
    assert q22d["91 to 180 days"] == ["1", "0", "1", "0", "0"]           # Adam 122, joined H1 late
    assert q22d["181 to 365 days"] == ["2", "0", "2", "0", "0"]          # Pat, Cody 181
    assert q22d["366 to 730 days (1-2 Yrs)"] == ["0", "0", "0", "0", "0"]
    assert q22d["731 days or more"] == ["1", "1", "0", "0", "0"]         # Xia 732
    assert q22d["Total"] == ["10", "7", "3", "0", "0"]
    assert "Q22d" not in written(tmp_path / "apr", "apr", *projects)


def test_h4_q22e_time_prior_to_housing_from_the_date_homelessness_started(stays):
    t, projects = stays
    report = built("caper", *projects)
    q22e = report["Q22e"]
    assert list(q22e) == [*(label for label, _, _ in tables.LONG_BANDS), "Total (persons moved into housing)",
                          "Not yet moved into housing", "Data not collected", "Total persons"]
    assert q22e["7 days or less"] == [1, 1, 0, 0, 0]     # Xia: shelter start 01/01/2024 − 12/25/2023
    assert q22e["8 to 14 days"] == [0, 0, 0, 0, 0]
    # Adam 28 (his own date: an adult who joined late); Val 30 (top of the band).
    assert q22e["22 to 30 days"] == [2, 1, 1, 0, 0]
    # Pat 37 and Cody, a child who started with the head, on Pat's date: 37, not his own 221.
    assert q22e["31 to 60 days"] == [2, 0, 2, 0, 0]
    assert q22e["181 to 365 days"] == [0, 0, 0, 0, 0]
    assert q22e["Total (persons moved into housing)"] == [5, 2, 3, 0, 0]
    # Quinn (left) and Sol (stays) were never housed in the PSH, whatever their 3.917 dates.
    assert q22e["Not yet moved into housing"] == [2, 2, 0, 0, 0]
    # Rae has no date; Wes's date is after his start.
    assert q22e["Data not collected"] == [2, 2, 0, 0, 0]
    # Zed's HP stay is not a project type of Q22e.
    assert q22e["Total persons"] == [9, 6, 3, 0, 0]
    assert report["Q22e"] == built("apr", *projects)["Q22e"]


def test_h4_q23d_leavers_to_rental_with_subsidy_by_subsidy_type(stays, tmp_path):
    t, projects = stays
    files = written(tmp_path, "apr", *projects)
    q23d = by_label(files["Q23d"])
    assert list(q23d) == [label for _, label in tables.SUBSIDY_TYPES] + ["Total"]
    assert q23d["VASH housing subsidy"] == ["1", "1", "0", "0", "0"]                        # Rae
    assert q23d["RRH or equivalent subsidy"] == ["1", "1", "0", "0", "0"]                   # Quinn
    assert q23d["HCV voucher (tenant or project based) (not dedicated)"] == ["1", "1", "0", "0", "0"]  # Wes
    # Zed left an HP project: not in Q23d. Xia left to a shelter.
    assert q23d["Rental by client, with other ongoing housing subsidy"] == ["0", "0", "0", "0", "0"]
    assert q23d["GPD TIP housing subsidy"] == ["0", "0", "0", "0", "0"]
    assert q23d["Total"] == ["3", "3", "0", "0", "0"]
    assert "Q23d" in written(tmp_path / "caper", "caper", *projects)


def test_h4_q24e_sex_by_household_type(stays, tmp_path):
    t, projects = stays
    files = written(tmp_path, "caper", *projects)
    assert files["Q24e"][0] == ["", "Total", *tables.HOUSEHOLD_TYPES]
    q24e = by_label(files["Q24e"])
    assert q24e["Female"] == ["3", "2", "1", "0", "0"]       # Rae, Val; Pat (H1)
    assert q24e["Male"] == ["3", "1", "2", "0", "0"]         # Wes; Cody, Adam (H1)
    assert q24e["Client Doesn't Know/Prefers Not to Answer"] == ["2", "2", "0", "0", "0"]  # Quinn 9, Sol 8
    assert q24e["Data Not Collected"] == ["2", "2", "0", "0", "0"]  # Xia 99, Zed none
    assert q24e["Total"] == ["10", "7", "3", "0", "0"]
    assert "Q24e" in written(tmp_path / "apr", "apr", *projects)


def test_h4_q25a_veterans_by_chronic_homelessness(stays):
    t, projects = stays
    q25a = built("apr", *projects)["Q25a"]
    # Columns: Total, Without Children, With Children and Adults, Unknown (no child-only column).
    assert q25a["Chronically Homeless Veteran"] == [1, 1, 0, 0]      # Val
    assert q25a["Non-Chronically Homeless Veteran"] == [2, 2, 0, 0]  # Wes, Xia
    assert q25a["Not a Veteran"] == [4, 3, 1, 0]                     # Rae, Sol, Zed; Pat (H1)
    assert q25a["Client Doesn't Know/Prefers Not to Answer"] == [1, 0, 1, 0]  # Adam
    assert q25a["Data Not Collected"] == [1, 1, 0, 0]                # Quinn
    assert q25a["Total"] == [9, 7, 2, 0]                             # the adults (not Cody)
    assert built("caper", *projects)["Q25a"] == q25a


# Race group columns of Q22f, Q22g (and Q23e after its Total): American Indian, Asian, Black,
# Hispanic, Middle Eastern, Native Hawaiian, White, At Least 1 Race and Hispanic,
# Multi-racial (not Hispanic), Unknown.


def test_h4_q22f_time_to_move_in_by_race_and_ethnicity(stays, tmp_path):
    t, projects = stays
    files = written(tmp_path, "apr", *projects)
    assert files["Q22f"][0] == ["", *tables.race_groups()]
    assert files["Q22f"][0][-3:] == ["At Least 1 Race and Hispanic/Latina/e/o",
                                     "Multi-racial (does not include Hispanic/Latina/e/o)",
                                     "Unknown (Doesn’t Know, Prefers not to Answer, Data not Collected)"]
    q22f = by_label(files["Q22f"])
    # PSH persons who moved in within the period: Rae (black, 15 days), Pat (white, 7), Adam
    # (Hispanic and Asian, 0: joined after the move-in), Cody (black and white, 7).
    assert q22f["Persons Moved Into Housing"] == ["0", "0", "1", "0", "0", "0", "1", "1", "1", "0"]
    # Quinn (Hispanic only) left without moving in; Sol, not housed but staying, is in neither.
    assert q22f["Persons who were exited without move-in"] == ["0", "0", "0", "1", "0", "0", "0", "0", "0", "0"]
    zero = "0.0000"
    assert q22f["Average time to Move-In"] == [zero, zero, "15.0000", zero, zero, zero, "7.0000", zero, "7.0000", zero]
    assert q22f["Median time to Move-In"] == [zero, zero, "15.0000", zero, zero, zero, "7.0000", zero, "7.0000", zero]
    assert "Q22f" in written(tmp_path / "caper", "caper", *projects)


def test_h4_q22g_time_prior_to_housing_by_race_and_ethnicity(stays):
    t, projects = stays
    q22g = built("caper", *projects)["Q22g"]
    # Housed with a valid date homelessness started (as Q22e): Pat 37, Val 30, Xia 7 (white);
    # Adam 28 (Hispanic and Asian); Cody 37 (black and white, on Pat's date). Rae and Wes
    # (no valid date) are left out; Zed's HP stay is not counted.
    assert q22g["Persons Moved into Housing"] == [0, 0, 0, 0, 0, 0, 3, 1, 1, 0]
    # Quinn (Hispanic) and Sol (unknown) were never housed in the PSH.
    assert q22g["Persons Not Yet Moved into Housing"] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
    zero = "0.0000"
    # White: (37 + 30 + 7) / 3 = 24.6667, median 30.
    assert q22g["Average time to Move-In"] == [zero] * 6 + ["24.6667", "28.0000", "37.0000", zero]
    assert q22g["Median time to Move-In"] == [zero] * 6 + ["30.0000", "28.0000", "37.0000", zero]
    assert "Q22g" in built("apr", *projects)


def test_h4_q23e_destination_group_by_race_and_ethnicity(stays):
    t, projects = stays
    q23e = built("apr", *projects)["Q23e"]
    assert list(q23e) == ["Homeless Situations", "Institutional Situations", "Temporary Situations",
                          "Permanent Situations", "Other Situations", "Total"]
    # Columns: Total, then the race groups. Xia (white) left to a shelter.
    assert q23e["Homeless Situations"] == [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert q23e["Institutional Situations"] == [0] * 11
    assert q23e["Temporary Situations"] == [0] * 11
    # 435 (every HP leaver too: Q23e has no project-type filter): Wes (American Indian), Rae
    # (black), Quinn (Hispanic), Zed (unknown).
    assert q23e["Permanent Situations"] == [4, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    assert q23e["Other Situations"] == [0] * 11
    assert q23e["Total"] == [5, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1]
    assert "Q23e" in built("caper", *projects)


@pytest.fixture
def prevention(tenancy):
    """A Prevention (HP, type 12) alone, stays from 01/15/2026, leavers on 03/01/2026 unless
    said, with the housing assessment at exit (W5) given:
    - P1: Hope (head) and her son Hal (born 2015), both "maintained the housing, with the
      subsidy they had at start" (1/2): with children and adults;
    - P2: Ian, "moved to a new unit without an ongoing subsidy" (2/12);
    - P3: Jo, "doesn't know" (8);
    - P4: Kit, no assessment recorded at all: not collected;
    - P5: Lia, "maintained" (1) but no subsidy information: not collected (see assessment_row);
    - P6: Max, "deceased" (10);
    - P7: Ned, still in the project with an assessment (3): a stayer, not counted."""
    t = tenancy
    hp = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Prevention", project_type=12)
    jan, mar, adult = D(2026, 1, 15), D(2026, 3, 1), D(1980, 1, 1)

    def leaver(first, household, assessment=None, subsidy=None, born=adult, head=True, exit_date=mar):
        e = stay(t, person(t, first, born), hp, household, jan, exit_date, head=head, destination=410)
        if assessment is not None:
            ProgramAnswers.objects.create(enrollment=e, housing_assessment=assessment, subsidy_information=subsidy)

    leaver("Hope", "P1", 1, 2)
    leaver("Hal", "P1", 1, 2, born=D(2015, 1, 1), head=False)
    leaver("Ian", "P2", 2, 12)
    leaver("Jo", "P3", 8)
    leaver("Kit", "P4")
    leaver("Lia", "P5", 1)
    leaver("Max", "P6", 10)
    leaver("Ned", "P7", 3, exit_date=None)
    return hp


def test_h4_q24a_prevention_housing_assessment_at_exit(prevention, tmp_path):
    files = written(tmp_path, "caper", prevention)
    assert files["Q24a"][0] == ["", "Total", *tables.HOUSEHOLD_TYPES]
    assert [row[0] for row in files["Q24a"][1:]] == [label for label, _, _ in tables.ASSESSMENT_ROWS] + [
        "Client Doesn't Know/Prefers Not to Answer", "Data not collected (no exit interview completed)", "Total"]
    q24a = by_label(files["Q24a"])
    none = ["0"] * 5
    assert q24a["Able to maintain the housing they had at project start--With the subsidy they had at project "
                "start"] == ["2", "0", "2", "0", "0"]                                      # Hope and Hal
    assert q24a["Able to maintain the housing they had at project start--Without a subsidy"] == none
    assert q24a["Moved to new housing unit--Without an on-going subsidy"] == ["1", "1", "0", "0", "0"]  # Ian
    assert q24a["Moved to new housing unit--With on-going subsidy"] == none
    assert q24a["Moved in with family/friends on a temporary basis"] == none  # Ned stays: not counted
    assert q24a["Client died"] == ["1", "1", "0", "0", "0"]                                  # Max
    assert q24a["Client Doesn't Know/Prefers Not to Answer"] == ["1", "1", "0", "0", "0"]   # Jo
    assert q24a["Data not collected (no exit interview completed)"] == ["2", "2", "0", "0", "0"]  # Kit, Lia
    assert q24a["Total"] == ["7", "5", "2", "0", "0"]                                       # the leavers
    assert "Q24a" not in written(tmp_path / "apr", "apr", prevention)


def moving_on(t, enrollment, kind, day):
    Service.objects.create(enrollment=enrollment, date_provided=day, information_date=day, entered_by=t.worker_b,
                           agency=enrollment.agency, record_type=ServiceRecordType.MOVING_ON, type_provided=kind)


def test_h4_q24b_moving_on_assistance_to_psh_households(tenancy):
    """B Housing (PSH), stays from 12/01/2025 unless said, all stayers:
    - M1: Mia (head) and her daughter Ava (born 2016): Mia given subsidized housing
      application help (1) twice, on 02/01 and 03/01, and a housing referral (4) on 04/01;
      Ava given "other" help (5), but only heads count;
    - M2: Nat, alone, from 01/05/2026: financial assistance (2) on 06/30/2026 (the report
      end: in);
    - M3: Ona, alone: financial assistance (2) on 12/20/2025, before the period: not counted.
    Mia counts once in row 1 though helped twice there, and again in row 4 (a head is in
    each row of a kind she was given)."""
    t = tenancy
    b = dict(user=t.worker_b, project=t.housing_b)
    jan = D(2026, 1, 5)
    mia = stay(t, person(t, "Mia", **b), t.housing_b, "M1", D(2025, 12, 1))
    ava = stay(t, person(t, "Ava", D(2016, 1, 1), **b), t.housing_b, "M1", D(2025, 12, 1), head=False)
    nat = stay(t, person(t, "Nat", **b), t.housing_b, "M2", jan)
    ona = stay(t, person(t, "Ona", **b), t.housing_b, "M3", D(2025, 12, 1))
    moving_on(t, mia, 1, D(2026, 2, 1))
    moving_on(t, mia, 1, D(2026, 3, 1))
    moving_on(t, mia, 4, D(2026, 4, 1))
    moving_on(t, ava, 5, D(2026, 4, 1))
    moving_on(t, nat, 2, D(2026, 6, 30))
    moving_on(t, ona, 2, D(2025, 12, 20))
    q24b = built("apr", t.housing_b)["Q24b"]
    assert list(q24b) == ["Subsidized housing application assistance", "Financial assistance for Moving On",
                          "Non-financial assistance for Moving On", "Housing referral/placement", "Other"]
    assert q24b["Subsidized housing application assistance"] == [1, 0, 1, 0, 0]  # Mia, with a child
    assert q24b["Financial assistance for Moving On"] == [1, 1, 0, 0, 0]        # Nat (not Ona: before the period)
    assert q24b["Non-financial assistance for Moving On"] == [0, 0, 0, 0, 0]
    assert q24b["Housing referral/placement"] == [1, 0, 1, 0, 0]                # Mia
    assert q24b["Other"] == [0, 0, 0, 0, 0]                                     # Ava is not a head
