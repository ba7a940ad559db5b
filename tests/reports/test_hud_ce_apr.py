"""H4: the Coordinated Entry APR (FY2026; reports/hud/ce_apr.py, SPEC_APR_CAPER.md 6.3)
on one hand-built data set, every cell stated and explained. Reporting period
01/01/2026 to 06/30/2026, so CE events count for Q9c/Q9d up to 09/28/2026 (+ 90 days).
Helpers from test_hud_rules."""

from datetime import date

import pytest

from agencies.models import CeParticipation, License, Project
from consent.visibility import Viewer
from enrollments.models import CeAssessment, CeEvent
from reports.hud import tables
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import END, START, built, by_label, person, stay, written

pytestmark = pytest.mark.django_db
HH = ["", "Total", "Without Children", "With Children and Adults", "With Only Children", "Unknown Household Type"]
PHONE, VIRTUAL, IN_PERSON = 1, 2, 3
CRISIS, HOUSING = 1, 2
PLACED, NOT_PLACED = 1, 2
ACCEPTED, CLIENT_REJECTED, PROVIDER_REJECTED = 1, 2, 3


def participates(project, since, until=None, access_point=1):
    fields = dict(prevention_assessment=0, crisis_assessment=1, housing_assessment=1, direct_services=0) \
        if access_point else {}
    CeParticipation.objects.create(project=project, start_date=since, end_date=until, access_point=access_point,
                                   receives_referrals=1, **fields)


def assessed(t, enrollment, day, kind, level, status):
    return CeAssessment.objects.create(enrollment=enrollment, information_date=day, assessment_location="Hub",
                                       assessment_type=kind, assessment_level=level, prioritization_status=status,
                                       entered_by=t.worker_a, agency=enrollment.agency)


def event(t, enrollment, day, kind, result=None, **fields):
    return CeEvent.objects.create(enrollment=enrollment, information_date=day, event=kind, referral_result=result,
                                  result_date=day if result else None, entered_by=t.worker_a, agency=enrollment.agency,
                                  **fields)


@pytest.fixture
def ce(tenancy):
    """Three projects of Agency A, all Continuum projects:
    - CE Hub (coordinated entry, type 14): an access point receiving referrals since 2025;
    - A Shelter: receiving referrals (not an access point) from 2025 to 03/31/2026 only;
    - A Outreach (street outreach): an access point since 2025.
    Adults born 1980. Assessments (4.19) as date type/level/prioritization; events (4.20):
    - Ann (CE Hub, household A1, alone, from 01/10): assessed 02/01 phone/crisis/placed;
      diversion (2) 02/10 with a referral result recorded (HUD reads none for diversion) and
      4.20.A "yes" (re-housed in a safe alternative);
      PSH referral (14) 03/01 accepted. Also in A Outreach (household A2, from 03/01, no
      assessment): an EHV referral (17) on 03/05, later, but not in her assessment's project.
    - Bob (CE Hub, B1, alone, from 12/01/2025, a veteran, sex not collected): assessed
      12/15/2025 in person/crisis/placed (before the period: not counted) and 03/10
      virtual/housing/not placed; RRH referral (13) 07/20 client rejected (after the end,
      within 90 days); ES bed referral (10) 10/15 accepted (more than 90 days: out).
    - Cara (head) and Kid (born 2018), CE Hub, C1, from 01/15: Cara assessed 04/01 in
      person/housing/placed; referral to a scheduled housing needs assessment (4) 03/20,
      before the assessment; ES bed referral (10) 04/05 provider rejected.
    - Eve (head, CE Hub, E1, from 02/01) assessed 02/15 phone/crisis/not placed; prevention
      referral (1) 02/20. Her daughter Fay (born 2015) joined the household on 03/01, after
      the assessment date: not in the report, and Eve's household was adults only then.
    - Gus (A Shelter, G1, alone, from 01/05): assessed 02/20 phone/crisis/placed (the
      shelter took part then); TH referral (11) 04/15, after its participation ended: out.
    - Hal (A Outreach, H1, alone, from 04/20, never engaged, sex not collected): assessed
      05/01 virtual/crisis/not placed; street outreach referral (6) 05/02; assessed again
      07/10 (after the end) and referred to housing navigation (7) 07/15, after that
      assessment: out of Q9d. Not engaged: in "Count of Clients" only, not the DQ universe.
    - Ivy (CE Hub, I1, from 10/01/2025) assessed only 11/01/2025, before the period: not a
      person of the report; her post-placement case management referral (5) on 01/10, with
      4.20.B "yes" (enrolled in aftercare), is CE activity of the year (Q10)."""
    t = tenancy
    t.hub = ProjectFactory(agency=t.agency_a, coc=t.coc1, name="CE Hub", project_type=14)
    participates(t.hub, date(2025, 1, 1))
    participates(t.shelter_a, date(2025, 1, 1), date(2026, 3, 31), access_point=0)
    participates(t.outreach_a, date(2025, 1, 1))

    ann = stay(t, person(t, "Ann"), t.hub, "A1", date(2026, 1, 10))
    assessed(t, ann, date(2026, 2, 1), PHONE, CRISIS, PLACED)
    event(t, ann, date(2026, 2, 10), 2, ACCEPTED, prob_sol_div_rr_result=1)
    event(t, ann, date(2026, 3, 1), 14, ACCEPTED)
    ann_outreach = stay(t, ann.client, t.outreach_a, "A2", date(2026, 3, 1))
    event(t, ann_outreach, date(2026, 3, 5), 17)

    bob = stay(t, person(t, "Bob", veteran_status=1, sex=99), t.hub, "B1", date(2025, 12, 1))
    assessed(t, bob, date(2025, 12, 15), IN_PERSON, CRISIS, PLACED)
    assessed(t, bob, date(2026, 3, 10), VIRTUAL, HOUSING, NOT_PLACED)
    event(t, bob, date(2026, 7, 20), 13, CLIENT_REJECTED)
    event(t, bob, date(2026, 10, 15), 10, ACCEPTED)

    cara = stay(t, person(t, "Cara"), t.hub, "C1", date(2026, 1, 15))
    stay(t, person(t, "Kid", date(2018, 1, 1)), t.hub, "C1", date(2026, 1, 15), head=False)
    assessed(t, cara, date(2026, 4, 1), IN_PERSON, HOUSING, PLACED)
    event(t, cara, date(2026, 3, 20), 4)
    event(t, cara, date(2026, 4, 5), 10, PROVIDER_REJECTED)

    eve = stay(t, person(t, "Eve"), t.hub, "E1", date(2026, 2, 1))
    stay(t, person(t, "Fay", date(2015, 1, 1)), t.hub, "E1", date(2026, 3, 1), head=False)
    assessed(t, eve, date(2026, 2, 15), PHONE, CRISIS, NOT_PLACED)
    event(t, eve, date(2026, 2, 20), 1)

    gus = stay(t, person(t, "Gus"), t.shelter_a, "G1", date(2026, 1, 5))
    assessed(t, gus, date(2026, 2, 20), PHONE, CRISIS, PLACED)
    event(t, gus, date(2026, 4, 15), 11, ACCEPTED)

    hal = stay(t, person(t, "Hal", sex=99), t.outreach_a, "H1", date(2026, 4, 20))
    assessed(t, hal, date(2026, 5, 1), VIRTUAL, CRISIS, NOT_PLACED)
    event(t, hal, date(2026, 5, 2), 6)
    assessed(t, hal, date(2026, 7, 10), IN_PERSON, HOUSING, PLACED)
    event(t, hal, date(2026, 7, 15), 7)

    ivy = stay(t, person(t, "Ivy"), t.hub, "I1", date(2025, 10, 1))
    assessed(t, ivy, date(2025, 11, 1), PHONE, CRISIS, PLACED)
    event(t, ivy, date(2026, 1, 10), 5, referral_case_manage_after=1)
    return t


def report(t):
    return built("ce_apr", t.hub, t.shelter_a, t.outreach_a)


# Persons reported (one row each, on the household's latest assessment in the period):
# Ann, Bob, Cara, Kid, Eve, Gus, Hal = 7 (not Fay, who joined after Eve's assessment; not
# Ivy, assessed only before the period). Households and their type on the assessment date:
# A1, B1, E1 (Eve alone then), G1, H1 adults only; C1 (Cara + Kid) with children and adults.


def test_h4_ce_apr_q5a_both_columns_and_blank_rows(ce):
    q5a = report(ce)["Q5a"]
    # DQ column: Hal (street outreach, never engaged) is left out; "Count of Clients" has him.
    assert q5a["Total number of persons served"] == [6, 7]
    assert q5a["Number of adults (age 18 or over)"] == [5, 6]  # Ann, Bob, Cara, Eve, Gus (+ Hal)
    assert q5a["Number of children (under age 18)"] == [1, 1]  # Kid
    assert q5a["Number of persons with unknown age"] == [0, 0]
    assert q5a["Number of veterans"] == [1, 1]  # Bob
    assert q5a["Number of youth under age 25"] == [0, 0]  # Kid is 8, in a household with an adult
    assert q5a["Number of adult heads of household"] == [5, 6]  # every household has an adult head
    assert q5a["Number of child and unknown-age heads of household"] == [0, 0]
    # The rows the CE APR leaves blank (leavers, stayers, chronic, parenting youth, 365 days).
    for label in ("Number of leavers", "Number of adult leavers", "Number of adult and head of household leavers",
                  "Number of stayers", "Number of adult stayers", "Number of chronically homeless persons",
                  "Number of parenting youth under age 25 with children",
                  "Heads of households and adult stayers in the project 365 days or more"):
        assert q5a[label] == ["", ""], label


def test_h4_ce_apr_q6a_reads_the_dq_universe(ce):
    q6a = report(ce)["Q6a"]
    # Everyone has a valid name, SSN, date of birth and race; Bob's sex was not collected:
    # 1 of the 6 DQ persons = 16.67%. Hal's is not collected either, but he is not in the
    # DQ universe (never engaged in street outreach).
    assert q6a["Name"] == [0, 0, 0, 0, "0.00%"]
    assert q6a["Social Security Number"] == [0, 0, 0, 0, "0.00%"]
    assert q6a["Date of Birth"] == [0, 0, 0, 0, "0.00%"]
    assert q6a["Race and Ethnicity"] == [0, 0, "", 0, "0.00%"]
    assert q6a["Sex"] == [0, 1, "", 1, "16.67%"]
    assert q6a["Overall Score"] == ["", "", "", 1, "16.67%"]


def test_h4_ce_apr_q7a_q8a_persons_and_households_on_the_assessment_date(ce):
    r = report(ce)
    q7a, q8a = r["Q7a"], r["Q8a"]
    # Total, Without Children, With Children and Adults, With Only Children, Unknown.
    assert q7a["Adults"] == [6, 5, 1, 0, 0]  # Ann, Bob, Eve, Gus, Hal adults only; Cara with her child
    assert q7a["Children"] == [1, 0, 1, 0, 0]  # Kid. Not Fay: she joined after Eve's assessment
    assert q7a["Client Doesn't Know/Prefers Not to Answer"] == [0, 0, 0, 0, 0]
    assert q7a["Data Not Collected"] == [0, 0, 0, 0, 0]
    assert q7a["Total"] == [7, 5, 2, 0, 0]
    assert q7a["For PSH & RRH – the total persons served who moved into housing"] == [""] * 5  # blank in the CE APR
    assert q8a["Total Households"] == [6, 5, 1, 0, 0]  # A1, B1, E1, G1, H1; C1
    assert list(q8a.values())[1] == [""] * 5  # the move-in row: blank


def test_h4_ce_apr_q9a_q9b_latest_assessment_in_the_period(ce):
    r = report(ce)
    # Heads by their household's latest assessment in the period (Bob's in-person assessment
    # of 12/15/2025 is before the period; Hal's of 07/10 after it).
    assert r["Q9a"] == {
        "Phone": [3, 3, 0, 0, 0],  # Ann, Eve, Gus
        "Virtual": [2, 2, 0, 0, 0],  # Bob (03/10), Hal (05/01)
        "In-person": [1, 0, 1, 0, 0],  # Cara
        "Total Households Assessed": [6, 5, 1, 0, 0],
    }
    assert r["Q9b"] == {
        "Placed on Prioritization List (Prioritized)": [3, 2, 1, 0, 0],  # Ann, Gus; Cara
        "Not Placed on Prioritization List": [3, 3, 0, 0, 0],  # Bob, Eve, Hal
        # Placed of those with either status, per column: 3/6; 2/5; 1/1; none.
        "Percent of Assessed Prioritized": ["50.00%", "40.00%", "100.00%", "0.00%", "0.00%"],
    }


def test_h4_ce_apr_q9c_latest_access_event_on_or_after_the_assessment(ce):
    q9c = report(ce)["Q9c"]
    assert q9c["Referral to Prevention Assistance project"] == [1, 1, 0, 0, 0]  # Eve, 02/20
    # Ann's diversion of 02/10. Its recorded referral result is not a diversion result (4.20.A).
    assert q9c["Problem Solving/Diversion/Rapid Resolution intervention or service"] == [1, 1, 0, 0, 0]
    assert q9c["Referral to scheduled Coordinated Entry Crisis Needs Assessment"] == [0, 0, 0, 0, 0]
    # Cara's referral of 03/20 is before her household's assessment (04/01): not hers to report.
    assert q9c["Referral to scheduled Coordinated Entry Housing Needs Assessment"] == [0, 0, 0, 0, 0]
    assert q9c["Total"] == [2, 2, 0, 0, 0]
    # Ann's diversion has 4.20.A "yes": re-housed, 1 of the 1 household whose latest access event
    # is a diversion (adults only); no diversions in the other columns.
    assert q9c["Result: Client housed/Re-Housed in a safe alternative"] == [1, 1, 0, 0, 0]
    assert q9c["Percent of successful referrals to Problem Solving/Diversion/Rapid Resolution"] == [
        "100.00%", "100.00%", "0.00%", "0.00%", "0.00%"]


def test_h4_ce_apr_q9d_latest_referral_by_the_specs_steps(ce):
    q9d = report(ce)["Q9d"]
    zero = [0, 0, 0, 0, 0]
    # Ann: PSH (03/01, her assessment's project) rather than the later EHV (03/05, A Outreach).
    assert q9d["PSH project resource opening"] == [1, 1, 0, 0, 0]
    assert q9d["Referral to Emergency Housing Voucher (EHV)"] == zero
    # Bob: RRH on 07/20 (within 90 days of the end); the ES bed of 10/15 is too late.
    assert q9d["RRH project resource opening"] == [1, 1, 0, 0, 0]
    # Cara: ES bed on 04/05 (with children and adults).
    assert q9d["Emergency Shelter bed opening"] == [1, 0, 1, 0, 0]
    # Hal: street outreach (05/02); the navigation referral (07/15) follows his 07/10 assessment.
    assert q9d["Street Outreach project or services"] == [1, 1, 0, 0, 0]
    assert q9d["Housing Navigation project or services"] == zero
    # Gus: the TH referral (04/15) was after A Shelter stopped taking part in CE (03/31).
    assert q9d["Transitional Housing bed/unit opening"] == zero
    for label in ("Post-placement/follow-up case management", "Non-continuum services: Ineligible for continuum services",
                  "Non continuum services: No availability in continuum services",
                  "Joint TH-RRH project/unit/resource opening", "Other PH project",
                  "Referral to emergency assistance/flex fund/furniture assistance",
                  "Referral to a Housing Stability Voucher", "No result recorded",
                  "Result: Enrolled in Aftercare project"):
        assert q9d[label] == zero, label
    assert q9d["Total"] == [4, 3, 1, 0, 0]  # Ann, Bob, Hal; Cara
    # Prioritized (Q9b row 1): Ann, Gus (adults only), Cara; referred: Ann and Cara.
    # 2/3; 1/2; 1/1; none.
    assert q9d["Of the total HH prioritized (Q9b row 1) what percentage received a referral"] == [
        "66.67%", "50.00%", "100.00%", "0.00%", "0.00%"]
    # Results of the referrals to residential projects (Ann PSH, Bob RRH, Cara ES; not Hal's outreach):
    assert q9d["Result: Successful referral: client accepted"] == [1, 1, 0, 0, 0]  # Ann
    assert q9d["Result: Unsuccessful referral: client rejected"] == [1, 1, 0, 0, 0]  # Bob
    assert q9d["Result: Unsuccessful referral: provider rejected"] == [1, 0, 1, 0, 0]  # Cara
    # Accepted of residential referrals: 1/3; 1/2 (Ann, Bob); 0/1 (Cara); none.
    assert q9d["Percent of successful referrals to residential projects"] == [
        "33.33%", "50.00%", "0.00%", "0.00%", "0.00%"]
    assert len(q9d) == 22


def test_h4_ce_apr_q10_every_occurrence_in_the_period(ce):
    q10 = report(ce)["Q10"]
    # Columns: total occurrences; accepted; client rejected; provider rejected; re-housed; aftercare.
    blank = ["", "", "", "", ""]
    # Assessments in the period, whoever and whichever stay: crisis = Ann, Eve, Gus (A Shelter
    # took part then), Hal; housing = Bob (03/10), Cara. Not Bob's or Ivy's of 2025, nor Hal's of 07/10.
    assert q10["Crisis Needs Assessment"] == [4, *blank]
    assert q10["Housing Needs Assessment"] == [2, *blank]
    assert q10["Referral to Prevention Assistance project"] == [1, *blank]  # Eve
    # Ann's diversion, re-housed (4.20.A "yes"); no referral results for a diversion.
    assert q10["Problem Solving/Diversion/Rapid Resolution intervention or service"] == [1, "", "", "", 1, ""]
    assert q10["Referral to scheduled Coordinated Entry Crisis Needs Assessment"] == [0, *blank]
    # Cara's of 03/20 is activity of the year though before her assessment.
    assert q10["Referral to scheduled Coordinated Entry Housing Needs Assessment"] == [1, *blank]
    # Ivy's, though she is no person of Q5-Q9, enrolled in aftercare (4.20.B "yes"). (Q9d's aftercare
    # row stays 0: Ivy is not a head reported there.)
    assert q10["Referral to post-placement/follow-up case management"] == [1, "", "", "", "", 1]
    assert q10["Referral to Street Outreach project or services"] == [1, *blank]  # Hal 05/02 (not 07/15: after the end)
    assert q10["Referral to Housing Navigation project or services"] == [0, *blank]
    assert q10["Referral to Non-continuum services: Ineligible for continuum services"] == [0, *blank]
    assert q10["Referral to Non continuum services: No availability in continuum services"] == [0, *blank]
    assert q10["Referral to Emergency Shelter bed opening"] == [1, 0, 0, 1, "", ""]  # Cara (Bob's of 10/15: after)
    assert q10["Referral to Transitional Housing bed/unit opening"] == [0, 0, 0, 0, "", ""]  # Gus: not taking part
    assert q10["Referral to Joint TH-RRH project/unit/resource opening"] == [0, 0, 0, 0, "", ""]
    assert q10["Referral to RRH project resource opening"] == [0, 0, 0, 0, "", ""]  # Bob's of 07/20: after the end
    assert q10["Referral to PSH project resource opening"] == [1, 1, 0, 0, "", ""]  # Ann, accepted
    assert q10["Referral to Other PH project/unit/resource opening"] == [0, 0, 0, 0, "", ""]
    assert q10["Referral to emergency assistance/flex fund/furniture assistance"] == [0, *blank]
    assert q10["Referral to Emergency Housing Voucher (EHV)"] == [1, 0, 0, 0, "", ""]  # Ann, no result
    assert q10["Referral to a Housing Stability Voucher"] == [0, 0, 0, 0, "", ""]
    assert len(q10) == 20


def test_h4_ce_apr_q4a_lists_the_participating_projects(ce):
    chosen = Project.objects.filter(pk__in=[ce.hub.pk, ce.shelter_a.pk, ce.outreach_a.pk])
    q4a = next(t for t in tables.build("ce_apr", chosen, START, END) if t.code == "Q4a")
    rows = {cells[1].count: [c.count for c in cells] for _, cells in q4a.rows}  # by project name
    # Project type; access point (2.09 overlapping the period); total clients; households.
    assert {name: (r[3], r[5], r[-2], r[-1]) for name, r in rows.items()} == {
        "A Outreach": (4, 1, 1, 1),  # Hal (Ann's A2 stay there has no assessment)
        "A Shelter": (0, 0, 1, 1),  # Gus; receives referrals but is not an access point
        "CE Hub": (14, 1, 5, 4),  # Ann, Bob, Cara, Kid, Eve in A1, B1, C1, E1
    }


def test_h4_ce_apr_another_agency_sees_no_client_of_records_not_shared(ce):
    """Agency B's reporter, had it the projects, would count none of Agency A's
    assessments and events (entered under consents B is not within: the records are
    Agency A's), so no Client ID of them reaches a cell."""
    from reports.hud import ce_apr

    chosen = Project.objects.filter(pk__in=[ce.hub.pk, ce.shelter_a.pk, ce.outreach_a.pk])
    other = Viewer(ce.reporter_b, License.objects.get(user=ce.reporter_b), for_reports=True)
    built_for_b = ce_apr.build(chosen, START, END, viewer=other)
    assert all(not c.ids for t in built_for_b for _, cells in t.rows for c in cells if t.code != "Q4a")
    own = Viewer(ce.director_a, License.objects.get(user=ce.director_a), for_reports=True)
    q7a = next(t for t in ce_apr.build(chosen, START, END, viewer=own) if t.code == "Q7a")
    assert dict(q7a.rows)["Total"][0].count == 7  # Agency A sees its own records


def test_h4_ce_apr_command_writes_huds_files(ce, tmp_path):
    files = written(tmp_path, "ce_apr", ce.hub, ce.shelter_a, ce.outreach_a)
    assert sorted(files) == sorted(["Q4a", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9c", "Q9d", "Q10"])
    assert files["Q4a"][0] == tables.Q4A_COLUMNS
    assert files["Q5a"][0] == ["Category", "Count of Clients for DQ", "Count of Clients"]
    for code in ("Q7a", "Q8a", "Q9a", "Q9b", "Q9c", "Q9d"):
        assert files[code][0] == HH, code
    assert files["Q10"][0] == ["Assessment/Event", "Total Occurrences", "Successful Referral",
                               "Unsuccessful Referral: client rejected", "Unsuccessful Referral: provider rejected",
                               "Re-housed in safe alternative", "Enrolled in aftercare"]
    assert by_label(files["Q9a"])["Total Households Assessed"] == ["6", "5", "1", "0", "0"]
    assert by_label(files["Q5a"])["Number of leavers"] == ["", ""]
    assert by_label(files["Q10"])["Referral to Emergency Shelter bed opening"] == ["1", "0", "0", "1", "", ""]
    assert [row[0] for row in files["Q10"][1:3]] == ["Crisis Needs Assessment", "Housing Needs Assessment"]
