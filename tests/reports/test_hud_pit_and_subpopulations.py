"""H4: the point-in-time counts of the APR and CAPER (Q7b persons, Q8b households) and the
veteran and chronically homeless sub-population tables Q25d, Q25i, Q25j, Q26d and Q26e
(reports/hud/SPEC_APR_CAPER.md 5b, 6.1, 6.2), each on a hand-built data set with every cell
stated and explained. Reporting period 01/01/2026 to 06/30/2026; helpers from test_hud_rules.

Household-type columns (HH5): Total, Without Children, With Children and Adults, With Only
Children, Unknown Household Type. Q25d and Q25j drop "With Only Children" (veterans are adults).

The last Wednesdays in the period: January 28, 2026 and April 29, 2026. July's (07/29/2026)
and October's (10/28/2026) are after the report end: those rows are blank.
"""

from datetime import date

import pytest

from enrollments.models import Assessment
from reports.hud import tables
from tests.reports.test_hud_rules import bed_nights, built, by_label, nbn_shelter, person, stay, written

pytestmark = pytest.mark.django_db
D = date
JAN, APR = D(2026, 1, 28), D(2026, 4, 29)
BLANK_ROW = ["", "", "", "", ""]
SINCE_2024 = D(2024, 1, 1)


def test_h4_pit_nights_are_last_wednesdays_inside_the_period():
    # The report period of the tests: January and April only.
    assert tables.pit_nights(D(2026, 1, 1), D(2026, 6, 30)) == {
        "January": JAN, "April": APR, "July": None, "October": None}
    # An operating year from October: the four nights, October's in 2025 (10/31/2025 is a Friday).
    assert tables.pit_nights(D(2025, 10, 1), D(2026, 9, 30)) == {
        "January": JAN, "April": APR, "July": D(2026, 7, 29), "October": D(2025, 10, 29)}
    # A period ending 01/20/2027, before January's last Wednesday (01/27/2027): January is
    # the one of 2026; a period of two Januaries takes the later.
    assert tables.pit_nights(D(2026, 1, 1), D(2027, 1, 20))["January"] == JAN
    assert tables.pit_nights(D(2026, 1, 1), D(2027, 1, 31))["January"] == D(2027, 1, 27)
    # A period ending on a Tuesday mid-January has no January night at all (not 01/13).
    assert tables.pit_nights(D(2026, 1, 1), D(2026, 1, 20))["January"] is None


@pytest.fixture
def nights(tenancy):
    """One person a household unless said; adults born 1980; stays still open unless an exit is given.

    A Shelter (emergency shelter, entry-exit, residential):
    - Ann (P1) from 01/01/2026: present both nights.
    - Ben (P2) from 02/01/2026, after January's night: April only.
    - Cal (P3) 01/05 to 01/28/2026, leaving ON January's night: the exit day is not a night
      in a residential project, so neither night.
    - Jo (P9, head, born 2010) and Kim (born 2012) from 01/15/2026: a household of children
      only, both nights.
    - Lee: two stays, P10a 01/02 to 02/01/2026 (present in January) and P10b from 03/01/2026
      (reported, present in April): counted each night by whichever stay was open.
    - Max (P11, head) and Ned (adult) from 01/05/2026; Max left 04/01/2026, Ned stayed.

    A Outreach (street outreach, not residential):
    - Dee (P4) from 01/02/2026, engaged 01/10/2026, left ON April's night: counted that
      night too (the exit day counts outside residential projects).

    B Housing (PSH):
    - Eve (P5, head, born 1990) and her daughter Fay (born 2018) from 01/10/2026, moved in
      02/15/2026: not yet housed on January's night, both counted in April.
    - Gus (P6) from 01/05/2026, never moved in: neither night.

    A Night Shelter (night-by-night):
    - Hal (P7) from 01/01/2026 with bed nights 01/28 and 04/28/2026: January only.
    - Ida (P8) from 01/20/2026 with bed nights 01/27 and 04/29/2026: April only."""
    t = tenancy
    b = dict(user=t.worker_b, project=t.housing_b)
    nbn = nbn_shelter(t)
    shelter = t.shelter_a
    stay(t, person(t, "Ann"), shelter, "P1", D(2026, 1, 1))
    stay(t, person(t, "Ben"), shelter, "P2", D(2026, 2, 1))
    stay(t, person(t, "Cal"), shelter, "P3", D(2026, 1, 5), JAN, destination=116)
    stay(t, person(t, "Jo", D(2010, 3, 1)), shelter, "P9", D(2026, 1, 15))
    stay(t, person(t, "Kim", D(2012, 3, 1)), shelter, "P9", D(2026, 1, 15), head=False)
    lee = person(t, "Lee")
    stay(t, lee, shelter, "P10a", D(2026, 1, 2), D(2026, 2, 1), destination=116)
    stay(t, lee, shelter, "P10b", D(2026, 3, 1))
    stay(t, person(t, "Max"), shelter, "P11", D(2026, 1, 5), D(2026, 4, 1), destination=116)
    stay(t, person(t, "Ned"), shelter, "P11", D(2026, 1, 5), head=False)
    stay(t, person(t, "Dee"), t.outreach_a, "P4", D(2026, 1, 2), APR, date_of_engagement=D(2026, 1, 10),
         destination=116)
    stay(t, person(t, "Eve", D(1990, 1, 1), **b), t.housing_b, "P5", D(2026, 1, 10), move_in_date=D(2026, 2, 15))
    stay(t, person(t, "Fay", D(2018, 1, 1), **b), t.housing_b, "P5", D(2026, 1, 10), head=False)
    stay(t, person(t, "Gus", **b), t.housing_b, "P6", D(2026, 1, 5))
    bed_nights(t, stay(t, person(t, "Hal"), nbn, "P7", D(2026, 1, 1)), JAN, D(2026, 4, 28))
    bed_nights(t, stay(t, person(t, "Ida"), nbn, "P8", D(2026, 1, 20)), D(2026, 1, 27), APR)
    return t, [shelter, t.outreach_a, t.housing_b, nbn]


def test_h4_q7b_persons_on_the_last_wednesdays(nights):
    t, projects = nights
    q7b = built("apr", *projects)["Q7b"]
    # January 28: Ann, Jo, Kim, Lee (first stay), Max, Ned, Dee, Hal = 8.
    # Not: Ben (started later), Cal (left that day), Eve and Fay (not moved in), Gus (never
    # moved in), Ida (no bed night that night).
    # Without children: Ann, Lee, Max, Ned, Dee, Hal = 6; only children: Jo, Kim = 2.
    assert q7b["January"] == [8, 6, 0, 2, 0]
    # April 29: Ann, Ben, Jo, Kim, Lee (second stay), Ned, Dee (left that day: outreach),
    # Eve, Fay, Ida = 10. Not: Cal, Max (left 04/01), Gus, Hal (bed night on the 28th only).
    # Without children: Ann, Ben, Lee, Ned, Dee, Ida = 6; with children and adults: Eve,
    # Fay = 2; only children: Jo, Kim = 2.
    assert q7b["April"] == [10, 6, 2, 2, 0]
    # No last Wednesday of July or October in the period: blank, not 0.
    assert q7b["July"] == BLANK_ROW and q7b["October"] == BLANK_ROW


def test_h4_q8b_households_on_the_last_wednesdays(nights):
    t, projects = nights
    q8b = built("caper", *projects)["Q8b"]
    # Households with someone present, counted by their heads.
    # January: P1 Ann, P9 Jo, P10a Lee, P11 Max, P4 Dee, P7 Hal = 6; only P9 is children only.
    assert q8b["January"] == [6, 5, 0, 1, 0]
    # April: P1 Ann, P2 Ben, P9 Jo, P10b Lee, P11 (Ned there; counted by its head Max, whose
    # own stay had ended), P4 Dee, P5 Eve, P8 Ida = 8; P5 with children and adults, P9
    # children only, the other six without children.
    assert q8b["April"] == [8, 6, 1, 1, 0]
    assert q8b["July"] == BLANK_ROW and q8b["October"] == BLANK_ROW


def test_h4_pit_tables_are_in_both_reports_and_files(nights, tmp_path):
    t, projects = nights
    for kind in ("apr", "caper"):
        codes = tables.REPORTS[kind][1]
        assert codes.index("Q7a") < codes.index("Q7b") < codes.index("Q8a") < codes.index("Q8b") < codes.index("Q9a")
    files = written(tmp_path, "apr", *projects)
    assert files["Q7b"][0] == ["", "Total", "Without Children", "With Children and Adults", "With Only Children",
                               "Unknown Household Type"]
    rows = by_label(files["Q7b"])
    assert rows["April"] == ["10", "6", "2", "2", "0"]
    assert rows["July"] == BLANK_ROW  # written as empty cells
    assert [r[0] for r in files["Q8b"][1:]] == ["January", "April", "July", "October"]


# --- Veterans (Q25d, Q25i, Q25j) and chronically homeless persons (Q26d, Q26e) ---------------------------


def record(t, enrollment, stage, day, **answers):
    return Assessment.objects.create(enrollment=enrollment, stage=stage, information_date=day,
                                     entered_by=t.worker_a, agency=enrollment.agency, **answers)


@pytest.fixture
def subpops(tenancy):
    """All in A Shelter (emergency shelter: no prior-living-situation gate for chronic
    homelessness). Chronically homeless (CH) = 3.08 yes and homeless since 01/01/2024.

    Veterans (3.07 yes, adults):
    - Vic (V1), born 03/01/2000, from 02/01/2026, stayer, CH: aged 25 on his start.
      Records: start (02/01) mental health; update (05/01) mental health and alcohol use.
    - Walt (V2, head), born 1960, 02/01 to 03/15/2026, not CH: 66. Left to rental with
      VASH (435/419) with his grandson Xav (born 2016, not a veteran, same exit): a household
      with children and adults. Walt's start record says mental health (he is not CH).
    - Yan (V3), born 06/15/1990, from 06/01/2025 (aged on the report start: 35), left
      04/30/2026 to a place not meant for habitation (116).
    - Zoe (V4), born 05/01/2005, 03/01 to 06/01/2026: 20; left to rental without subsidy (410).
    - Cy (V5, head of a household of children only), born 2012, 3.07 recorded "yes" but a
      child: not a veteran. CH (3.08 yes, homeless since 2024), stayer from 02/01/2026.
      Records: start developmental disability; an annual record dated 07/15/2026, after
      the report end, adding mental health: not read.
    Not veterans:
    - Uma (U1), 02/01 to 05/01/2026, 3.07 no, left to rental with an RRH subsidy (435/431).
    - Mom (C1, head, born 1985) CH and her son Kid (born 2019, 3.08 no) from 02/01/2026:
      Kid is CH through his mother (same start). Mom's start record: chronic health condition.
    - Nod (C2), no date of birth (quality 99), CH, stayer from 02/01/2026: age unknown, so an
      unknown household type.
    - Lou (C3), born 1970, CH, 01/10 to 04/10/2026 (left to an emergency shelter, 101):
      aged 56 on 01/10. Start record: physical disability and HIV/AIDS; exit record
      (04/10): physical disability."""
    t = tenancy
    shelter = t.shelter_a
    feb = D(2026, 2, 1)
    ch = dict(disabling_condition=1, date_to_street_essh=SINCE_2024)
    vic = stay(t, person(t, "Vic", D(2000, 3, 1), veteran_status=1), shelter, "V1", feb, **ch)
    record(t, vic, 1, feb, mental_health_disorder=1, mental_health_disorder_indefinite=1)
    record(t, vic, 2, D(2026, 5, 1), mental_health_disorder=1, substance_use_disorder=1)
    walt = stay(t, person(t, "Walt", D(1960, 1, 1), veteran_status=1), shelter, "V2", feb, D(2026, 3, 15),
                destination=435, destination_subsidy_type=419)
    record(t, walt, 1, feb, mental_health_disorder=1)
    stay(t, person(t, "Xav", D(2016, 1, 1), veteran_status=0), shelter, "V2", feb, D(2026, 3, 15), head=False,
         destination=435, destination_subsidy_type=419)
    stay(t, person(t, "Yan", D(1990, 6, 15), veteran_status=1), shelter, "V3", D(2025, 6, 1), D(2026, 4, 30),
         destination=116)
    stay(t, person(t, "Zoe", D(2005, 5, 1), veteran_status=1), shelter, "V4", D(2026, 3, 1), D(2026, 6, 1),
         destination=410)
    cy = stay(t, person(t, "Cy", D(2012, 1, 1), veteran_status=1), shelter, "V5", feb, **ch)
    record(t, cy, 1, feb, developmental_disability=1)
    record(t, cy, 5, D(2026, 7, 15), developmental_disability=1, mental_health_disorder=1)
    stay(t, person(t, "Uma", veteran_status=0), shelter, "U1", feb, D(2026, 5, 1), destination=435,
         destination_subsidy_type=431)
    mom = stay(t, person(t, "Mom", D(1985, 1, 1), veteran_status=0), shelter, "C1", feb, **ch)
    record(t, mom, 1, feb, chronic_health_condition=1, chronic_health_condition_indefinite=1)
    stay(t, person(t, "Kid", D(2019, 1, 1)), shelter, "C1", feb, head=False)
    stay(t, person(t, "Nod", None, dob_data_quality=99, veteran_status=0), shelter, "C2", feb, **ch)
    lou = stay(t, person(t, "Lou", D(1970, 1, 1), veteran_status=0), shelter, "C3", D(2026, 1, 10), D(2026, 4, 10),
               destination=101, **ch)
    record(t, lou, 1, D(2026, 1, 10), physical_disability=1, physical_disability_indefinite=1, hiv_aids=1)
    record(t, lou, 3, D(2026, 4, 10), physical_disability=1, physical_disability_indefinite=1)
    return t


def test_h4_q25d_age_of_veterans(subpops):
    report = built("apr", subpops.shelter_a)
    q25d = report["Q25d"]
    # Total, Without Children, With Children and Adults, Unknown Household Type.
    assert list(q25d) == ["18-24", "25-34", "35-44", "45-54", "55-64", "65+",
                          "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected", "Total"]
    assert q25d["18-24"] == [1, 1, 0, 0]  # Zoe, 20
    assert q25d["25-34"] == [1, 1, 0, 0]  # Vic, 25 on his start
    assert q25d["35-44"] == [1, 1, 0, 0]  # Yan, 35 on the report start (he started before it)
    assert q25d["45-54"] == q25d["55-64"] == [0, 0, 0, 0]
    assert q25d["65+"] == [1, 0, 1, 0]  # Walt, with his grandson
    # Veterans are adults: no unknown ages. Cy's "yes" is not counted (a child).
    assert q25d["Client Doesn't Know/Prefers Not to Answer"] == q25d["Data Not Collected"] == [0, 0, 0, 0]
    assert q25d["Total"] == [4, 3, 1, 0]
    assert report["Q5a"]["Number of veterans"] == [4, 4]  # the same four


def test_h4_q25i_exit_destinations_of_veterans(subpops, tmp_path):
    files = written(tmp_path, "apr", subpops.shelter_a)
    # Q23c's five columns, "With Only Children" kept (HUD's Data Lab and [GR] alike).
    assert files["Q25i"][0] == ["", "Total", "Without Children", "With Children and Adults", "With Only Children",
                                "Unknown Household Type"]
    q25i = by_label(files["Q25i"])
    # Veteran leavers: Walt (435, with children and adults), Yan (116), Zoe (410). Xav, Uma
    # and Lou left too but are not veterans; Vic is a stayer.
    # One row per destination under its group, each group with its subtotal (Q23c's 42 rows).
    assert len(files["Q25i"]) == 1 + 42
    assert q25i["Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway "
                "station/airport or anywhere outside)"] == ["1", "1", "0", "0", "0"]  # Yan
    assert q25i["Rental by client, no ongoing housing subsidy"] == ["1", "1", "0", "0", "0"]  # Zoe
    assert q25i["Rental by client, with ongoing housing subsidy"] == ["1", "0", "1", "0", "0"]  # Walt
    assert q25i["Subtotal"] == ["0"] * 5  # the last subtotal, Other Situations': none
    assert q25i["Total"] == ["3", "2", "1", "0", "0"]
    # Positive for an emergency shelter: permanent destinations: Walt and Zoe; none excluded; 2 of 3.
    assert q25i["Total persons exiting to positive housing destinations"][0] == "2"
    assert q25i["Total persons whose destinations excluded them from the calculation"][0] == "0"
    assert q25i["Percentage"][0] == "0.6667"  # 66.67%: HUD's CSV writes the fraction


def test_h4_q25j_subsidies_of_veterans(subpops, tmp_path):
    files = written(tmp_path, "apr", subpops.shelter_a)
    assert files["Q25j"][0] == ["", "Total", "Without Children", "With Children and Adults", "Unknown Household Type"]
    q25j = by_label(files["Q25j"])
    # Only Walt is a veteran leaving to 435: VASH, with children and adults. Xav (same exit)
    # is a child and Uma (RRH subsidy) not a veteran.
    assert q25j["VASH housing subsidy"] == ["1", "0", "1", "0"]
    assert q25j["RRH or equivalent subsidy"] == ["0", "0", "0", "0"]
    assert q25j["Total"] == ["1", "0", "1", "0"]


def test_h4_q26d_age_of_chronically_homeless_persons(subpops):
    q26d = built("apr", subpops.shelter_a)["Q26d"]
    # CH persons: Vic (25), Cy (14, children only), Mom (41) and Kid (7, through his mother),
    # Nod (age unknown), Lou (56). Blank cells: no child in a household without children, no
    # adult or unknown age in a household of children only.
    assert q26d["0 - 17"] == [2, "", 1, 1, 0]  # Kid; Cy
    assert q26d["18-24"] == [0, 0, 0, "", 0]
    assert q26d["25-34"] == [1, 1, 0, "", 0]  # Vic
    assert q26d["35-44"] == [1, 0, 1, "", 0]  # Mom
    assert q26d["45-54"] == [0, 0, 0, "", 0]
    assert q26d["55-64"] == [1, 1, 0, "", 0]  # Lou
    assert q26d["65+"] == [0, 0, 0, "", 0]
    assert q26d["Client Doesn't Know/Prefers Not to Answer"] == [0, 0, 0, "", 0]
    assert q26d["Data Not Collected"] == [1, 0, 0, "", 1]  # Nod (DOB quality 99)
    assert q26d["Total"] == [6, 2, 2, 1, 1]


def test_h4_q26e_conditions_of_chronically_homeless_persons(subpops):
    q26e = built("apr", subpops.shelter_a)["Q26e"]
    # At start (all CH persons' start records), at the latest record on or before the report
    # end for stayers, at exit for leavers. Walt's mental health is not here (not CH).
    assert q26e["Mental Health Disorder"] == [1, 1, 0]  # Vic at start and on his 05/01 update
    assert q26e["Alcohol Use Disorder"] == [0, 1, 0]  # Vic's update only
    assert q26e["Drug Use Disorder"] == [0, 0, 0]
    assert q26e["Both Alcohol and Drug Use Disorders"] == [0, 0, 0]
    assert q26e["Chronic Health Condition"] == [1, 1, 0]  # Mom: her start record is also her latest
    assert q26e["HIV/AIDS"] == [1, 0, 0]  # Lou at start; not on his exit record
    # Cy: the 07/15 annual record (after the report end) is not his latest; his start record is.
    assert q26e["Developmental Disability"] == [1, 1, 0]
    assert q26e["Physical Disability"] == [1, 0, 1]  # Lou at start and at exit


def test_h4_subpopulation_tables_are_apr_only_in_hud_order():
    """FY2026: no Q25c/Q26c (gender) and no Q26f; the CAPER keeps Q25a and Q26b only."""
    apr, caper = tables.REPORTS["apr"][1], tables.REPORTS["caper"][1]
    assert [c for c in apr if c.startswith(("Q25", "Q26"))] == ["Q25a", "Q25b", "Q25d", "Q25i", "Q25j", "Q26a",
                                                                "Q26b", "Q26d", "Q26e"]
    assert [c for c in caper if c.startswith(("Q25", "Q26"))] == ["Q25a", "Q26b"]
