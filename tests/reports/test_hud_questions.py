"""H4: APR/CAPER questions Q9a/Q9b, Q11, Q12, Q13a1–Q13c2, Q14a/Q14b and Q15 on hand-built
data (reports/hud/SPEC_APR_CAPER.md, 1, 5c, 6.1, 6.2). Every expected cell is stated and
explained. Reporting period 01/01/2026 to 06/30/2026 throughout.

Household-type columns (HH5): Total, Without Children, With Children and Adults, With Only
Children, Unknown Household Type. Q13's columns: Total Persons, Without Children, Adults in
HH with Children & Adults, Children in HH with Children & Adults, With Only Children,
Unknown Household Type."""

from datetime import date, timedelta

import pytest

from agencies.models import Project
from enrollments.models import Assessment, CurrentLivingSituation
from reports.hud import tables
from tests.reports.test_hud_rules import END, START, bed_nights, by_label, nbn_shelter, stay, written
from tests.reports.test_hud_rules import person as rule_person

pytestmark = pytest.mark.django_db
NO_RACE = dict(am_ind_ak_native=False, asian=False, black_af_american=False, hispanic_latinao=False,
               mid_east_n_african=False, native_hi_pacific=False, white=False, race_none=99)
FEB = date(2026, 2, 1)


def person(t, first, born=date(1980, 1, 1), **fields):
    """A client (tests/reports/test_hud_rules.person) with no race recorded unless said."""
    return rule_person(t, first, born, **(NO_RACE | fields))


def tables_of(kind, *projects):
    """{code: [(row label, [cell counts]), ...]} in HUD's row order, through tables.build."""
    chosen = Project.objects.filter(pk__in=[p.pk for p in projects])
    return {t.code: [(label, [c.count for c in cells]) for label, cells in t.rows]
            for t in tables.build(kind, chosen, START, END)}


def record(t, enrollment, stage, day, **answers):
    """An assessment (one HMIS CSV row of each kind it carries) with the answers given."""
    return Assessment.objects.create(enrollment=enrollment, stage=stage, information_date=day,
                                     entered_by=t.worker_a, agency=enrollment.agency, **answers)


def test_h4_questions_are_in_the_reports_hud_puts_them_in():
    """Notes 6.1/6.2: the APR has all of them; the CAPER has Q13a1-c1 but not Q13a2-c2; the
    Data Quality report has none."""
    ours = ["Q9a", "Q9b", "Q11", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q13a2", "Q13b2", "Q13c2", "Q14a", "Q14b", "Q15"]
    assert set(ours) <= set(tables.REPORTS["apr"][1])
    assert set(tables.REPORTS["caper"][1]) & set(ours) == set(ours) - {"Q13a2", "Q13b2", "Q13c2"}
    assert not set(tables.REPORTS["dq"][1]) & set(ours)


# --- Q11 Age and Q12 Race and Ethnicity -----------------------------------------------------------------


@pytest.fixture
def demographics(tenancy):
    """A Shelter, stays from 02/01/2026 unless said:
    - A1 (with children and adults): Ann (head, born 03/01/1990: 35), Tot (born 2023: 3),
      Kid (born 06/01/2014: 11);
    - A2 (child only): Teen, head, born 05/01/2009: 16;
    - A3 (unknown type): Old (born 1955: 71) and Unk (no date of birth, "doesn't know");
    - A4 (adults only): Young, born 09/01/2007, since 06/01/2025: 17 at her start but aged
      at the report start (the later date), 18;
    - A5 (adults only, a member joining late): Dad (born 1980, from 03/01/2026: 46) and Son
      (born 04/15/2008) who joined on 05/01/2026: aged at his own start, 18 (he was 17 at
      his father's);
    - A6 (unknown type): Nc, no date of birth, not collected (99).
    Race and ethnicity (3.04): Ann white; Tot black and white; Kid Hispanic, white and
    Asian; Teen Asian, black and white; Old none, prefers not to answer (9); Unk American
    Indian with "doesn't know" (8) as well; Young Hispanic; Dad Hispanic and Middle Eastern;
    Son none, not collected (99); Nc none and no answer at all."""
    t = tenancy
    shelter = t.shelter_a
    stay(t, person(t, "Ann", date(1990, 3, 1), white=True), shelter, "A1", FEB)
    stay(t, person(t, "Tot", date(2023, 1, 1), black_af_american=True, white=True), shelter, "A1", FEB, head=False)
    stay(t, person(t, "Kid", date(2014, 6, 1), hispanic_latinao=True, white=True, asian=True), shelter, "A1", FEB,
         head=False)
    stay(t, person(t, "Teen", date(2009, 5, 1), asian=True, black_af_american=True, white=True), shelter, "A2", FEB)
    stay(t, person(t, "Old", date(1955, 1, 1), race_none=9), shelter, "A3", FEB)
    stay(t, person(t, "Unk", None, dob_data_quality=8, am_ind_ak_native=True, race_none=8), shelter, "A3", FEB,
         head=False)
    stay(t, person(t, "Young", date(2007, 9, 1), hispanic_latinao=True), shelter, "A4", date(2025, 6, 1))
    stay(t, person(t, "Dad", date(1980, 1, 1), hispanic_latinao=True, mid_east_n_african=True), shelter, "A5",
         date(2026, 3, 1))
    stay(t, person(t, "Son", date(2008, 4, 15)), shelter, "A5", date(2026, 5, 1), head=False)
    stay(t, person(t, "Nc", None, dob_data_quality=99, race_none=None), shelter, "A6", FEB)
    return t


def test_h4_q11_age_bands_by_household_type(demographics, tmp_path):
    files = written(tmp_path, "apr", demographics.shelter_a)
    assert files["Q11"][0] == ["", "Total", *tables.HOUSEHOLD_TYPES]
    q11 = by_label(files["Q11"])
    assert [row[0] for row in files["Q11"][1:]] == [
        "Under 5", "5-12", "13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+",
        "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected", "Total"]
    assert q11["Under 5"] == ["1", "0", "1", "0", "0"]   # Tot, 3, with his mother
    assert q11["5-12"] == ["1", "0", "1", "0", "0"]      # Kid, 11
    assert q11["13-17"] == ["1", "0", "0", "1", "0"]     # Teen, 16, heading a child-only household
    # Young (18 at the report start, the later of it and her start) and Son (18 at his own
    # start, which makes A5 a household without children): both adults only.
    assert q11["18-24"] == ["2", "2", "0", "0", "0"]
    assert q11["25-34"] == ["0", "0", "0", "0", "0"]
    assert q11["35-44"] == ["1", "0", "1", "0", "0"]     # Ann, 35 (her birthday is after 02/01)
    assert q11["45-54"] == ["1", "1", "0", "0", "0"]     # Dad, 46
    assert q11["55-64"] == ["0", "0", "0", "0", "0"]
    assert q11["65+"] == ["1", "0", "0", "0", "1"]       # Old, 71, whose household has an unknown age
    assert q11["Client Doesn't Know/Prefers Not to Answer"] == ["1", "0", "0", "0", "1"]  # Unk (DOB quality 8)
    assert q11["Data Not Collected"] == ["1", "0", "0", "0", "1"]  # Nc (99)
    assert q11["Total"] == ["10", "3", "3", "1", "3"]    # A4 + A5; A1; A2; A3 + A6
    assert "Q11" in written(tmp_path / "caper", "caper", demographics.shelter_a)


def test_h4_q12_race_and_ethnicity_single_pairs_and_multiracial(demographics):
    q12 = tables_of("apr", demographics.shelter_a)["Q12"]
    labels = [label for label, _ in q12]
    # 7 single answers, the 21 pairs, 2 multiracial rows, doesn't know, not collected, total.
    assert len(labels) == 33 and len(set(labels)) == 33
    assert labels[:8] == ["American Indian, Alaska Native, or Indigenous", "Asian or Asian American",
                          "Black, African American, or African", "Hispanic/Latina/e/o",
                          "Middle Eastern or North African", "Native Hawaiian or Pacific Islander", "White",
                          "American Indian, Alaska Native, or Indigenous & Asian or Asian American"]
    assert labels[-5:] == [tables.MULTI_HISPANIC, tables.MULTI_OTHER, "Client Doesn't Know/Prefers Not to Answer",
                           "Data Not Collected", "Total"]
    rows = dict(q12)
    expected = {
        "White": [1, 0, 1, 0, 0],                                                  # Ann
        "Black, African American, or African & White": [1, 0, 1, 0, 0],            # Tot: two races, one pair row
        tables.MULTI_HISPANIC: [1, 0, 1, 0, 0],                                    # Kid: three, one Hispanic
        tables.MULTI_OTHER: [1, 0, 0, 1, 0],                                       # Teen: three, none Hispanic
        "Client Doesn't Know/Prefers Not to Answer": [1, 0, 0, 0, 1],              # Old: no race, prefers not (9)
        # Unk: a race recorded with "doesn't know" too: HUD's reference code counts the race.
        "American Indian, Alaska Native, or Indigenous": [1, 0, 0, 0, 1],
        "Hispanic/Latina/e/o": [1, 1, 0, 0, 0],                                    # Young
        "Hispanic/Latina/e/o & Middle Eastern or North African": [1, 1, 0, 0, 0],  # Dad
        "Data Not Collected": [2, 1, 0, 0, 1],                                     # Son (99), Nc (no answer)
        "Total": [10, 3, 3, 1, 3],
    }
    for label, counts in rows.items():
        assert counts == expected.get(label, [0, 0, 0, 0, 0]), label


# --- Q14 Domestic violence and Q15 Living situation --------------------------------------------------


@pytest.fixture
def histories(tenancy):
    """A Shelter from 02/01/2026; adults and heads of household are asked 3.917 and 4.11:
    - Amy (alone): came from the street (116); start record: a survivor, within the past
      three months.
    - Bea (head) and her son Cub (born 2018; a child, not asked): Bea came from a
      psychiatric facility (204); start record "no", an update on 04/01/2026 "yes, six
      months to a year ago", and a record dated 07/10/2026, after the report end, "no".
    - Cal, 15, heading a child-only household: came from a friend's room (336); "doesn't
      know" (8) to 4.11.
    - Dot (head) and Eli, whose age is not known (unknown household type; Eli, neither
      adult nor head, is not counted): Dot came from a subsidized rental (435); a survivor,
      when not collected.
    - Fay (alone): prior situation "doesn't know" (8); no 4.11 record at all.
    - Gil (alone): prior situation never recorded; his only record asked about health, not
      4.11 (left empty: not asked).
    - Hal (head, from 02/01) and Ivy, an adult who joined on 04/01/2026: Hal came from a
      shelter (101), "no"; Ivy from a rental without subsidy (410), a survivor, one year
      ago or more."""
    t = tenancy
    s = t.shelter_a
    amy = stay(t, person(t, "Amy"), s, "D1", FEB, living_situation=116)
    record(t, amy, 1, FEB, domestic_violence_survivor=1, when_occurred=1)
    bea = stay(t, person(t, "Bea"), s, "D2", FEB, living_situation=204)
    stay(t, person(t, "Cub", date(2018, 1, 1)), s, "D2", FEB, head=False, living_situation=99)
    record(t, bea, 1, FEB, domestic_violence_survivor=0)
    record(t, bea, 2, date(2026, 4, 1), domestic_violence_survivor=1, when_occurred=3)
    record(t, bea, 2, date(2026, 7, 10), domestic_violence_survivor=0)
    cal = stay(t, person(t, "Cal", date(2010, 6, 1)), s, "D3", FEB, living_situation=336)
    record(t, cal, 1, FEB, domestic_violence_survivor=8)
    dot = stay(t, person(t, "Dot"), s, "D4", FEB, living_situation=435)
    stay(t, person(t, "Eli", None, dob_data_quality=99), s, "D4", FEB, head=False)
    record(t, dot, 1, FEB, domestic_violence_survivor=1, when_occurred=99)
    stay(t, person(t, "Fay"), s, "D5", FEB, living_situation=8)
    gil = stay(t, person(t, "Gil"), s, "D6", FEB)
    record(t, gil, 1, FEB, general_health_status=1)
    hal = stay(t, person(t, "Hal"), s, "D7", FEB, living_situation=101)
    record(t, hal, 1, FEB, domestic_violence_survivor=0)
    ivy = stay(t, person(t, "Ivy"), s, "D7", date(2026, 4, 1), head=False, living_situation=410)
    record(t, ivy, 1, date(2026, 4, 1), domestic_violence_survivor=1, when_occurred=4)
    return t


def test_h4_q15_prior_living_situation_of_adults_and_heads(histories, tmp_path):
    rows = written(tmp_path, "caper", histories.shelter_a)["Q15"]
    assert rows[0] == ["", "Total", *tables.HOUSEHOLD_TYPES]
    blank, zero = ["", "", "", "", ""], ["0", "0", "0", "0", "0"]
    # Adults and heads: Amy, Bea, Cal (a child heading a household), Dot, Fay, Gil, Hal and
    # Ivy (joined later: her own prior situation). Cub and Eli are not asked: not counted.
    assert rows[1:] == [
        ["Homeless Situations", *blank],
        ["Place not meant for habitation", "1", "1", "0", "0", "0"],  # Amy
        ["Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home shelter",
         "1", "1", "0", "0", "0"],  # Hal
        ["Safe Haven", *zero],
        ["Subtotal", "2", "2", "0", "0", "0"],
        ["Institutional Settings", *blank],
        ["Foster care home or foster care group home", *zero],
        ["Hospital or other residential non-psychiatric medical facility", *zero],
        ["Jail, prison or juvenile detention facility", *zero],
        ["Long-term care facility or nursing home", *zero],
        ["Psychiatric hospital or other psychiatric facility", "1", "0", "1", "0", "0"],  # Bea, with her son
        ["Substance abuse treatment facility or detox center", *zero],
        ["Subtotal", "1", "0", "1", "0", "0"],
        ["Temporary Situations", *blank],
        ["Transitional housing for homeless persons (including homeless youth)", *zero],
        ["Residential project or halfway house with no homeless criteria", *zero],
        ["Hotel or motel paid for without emergency shelter voucher", *zero],
        ["Host Home (non-crisis)", *zero],
        ["Staying or living in a friend's room, apartment or house", "1", "0", "0", "1", "0"],  # Cal, child only
        ["Staying or living in a family member's room, apartment or house", *zero],
        ["Subtotal", "1", "0", "0", "1", "0"],
        ["Permanent Situations", *blank],
        ["Rental by client, no ongoing housing subsidy", "1", "1", "0", "0", "0"],  # Ivy
        ["Rental by client, with ongoing housing subsidy", "1", "0", "0", "0", "1"],  # Dot, unknown type
        ["Owned by client, with ongoing housing subsidy", *zero],
        ["Owned by client, no ongoing housing subsidy", *zero],
        ["Subtotal", "2", "1", "0", "0", "1"],
        ["Client Doesn't Know/Prefers Not to Answer", "1", "1", "0", "0", "0"],  # Fay (8)
        ["Data Not Collected", "1", "1", "0", "0", "0"],  # Gil (never recorded)
        ["Subtotal", "2", "2", "0", "0", "0"],
        ["Total", "8", "5", "1", "1", "1"],  # Without: Amy, Fay, Gil, Hal, Ivy
    ]


def test_h4_q14a_domestic_violence_history_uses_the_latest_answer_by_the_report_end(histories):
    q14a = dict(tables_of("apr", histories.shelter_a)["Q14a"])
    # Yes: Amy; Bea (her latest answer on or before 06/30 is the 04/01 "yes"; the 07/10
    # "no" is after the report end); Dot; Ivy.
    assert q14a["Yes"] == [4, 2, 1, 0, 1]
    assert q14a["No"] == [1, 1, 0, 0, 0]  # Hal
    assert q14a["Client Doesn't Know/Prefers Not to Answer"] == [1, 0, 0, 1, 0]  # Cal, the child head
    # Fay (no record) and Gil (a record that did not ask 4.11).
    assert q14a["Data Not Collected"] == [2, 2, 0, 0, 0]
    assert q14a["Total"] == [8, 5, 1, 1, 1]


def test_h4_q14b_survivors_by_when_it_occurred(histories, tmp_path):
    files = written(tmp_path, "apr", histories.shelter_a)
    q14b = by_label(files["Q14b"])
    assert [row[0] for row in files["Q14b"][1:]] == [
        "Within the past three months", "Three to six months ago", "Six months to one year", "One year ago, or more",
        "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected", "Total"]
    assert q14b["Within the past three months"] == ["1", "1", "0", "0", "0"]  # Amy
    assert q14b["Three to six months ago"] == ["0", "0", "0", "0", "0"]
    assert q14b["Six months to one year"] == ["1", "0", "1", "0", "0"]  # Bea, from her latest answer
    assert q14b["One year ago, or more"] == ["1", "1", "0", "0", "0"]  # Ivy
    assert q14b["Client Doesn't Know/Prefers Not to Answer"] == ["0", "0", "0", "0", "0"]
    assert q14b["Data Not Collected"] == ["1", "0", "0", "0", "1"]  # Dot: when not collected (99)
    assert q14b["Total"] == ["4", "2", "1", "0", "1"]  # the four "yes" of Q14a


# --- Q13 Physical and mental health conditions ------------------------------------------------------


@pytest.fixture
def conditions(tenancy):
    """A Shelter, stays from 02/01/2026 unless said; 3.08 is "no" unless said:
    - C1 (with children and adults): Mom (head, 3.08 yes), start record: mental health
      disorder and both alcohol and drug use disorders; an update on 05/01/2026: mental
      health only; an annual assessment on 08/01/2026 (after the report end): physical.
      Kid1 (born 2016), start record: developmental disability. Unk (age unknown, 3.08
      not collected, no record).
    - Solo (alone, 3.08 yes) from 02/01 to 04/15/2026: start record physical and chronic
      health condition; exit record physical, chronic health and HIV/AIDS.
    - Lee (alone) from 02/01 to 03/01/2026: start record every answer "no"; exit record:
      alcohol use disorder.
    - Kay, 14, heading a child-only household, 3.08 yes, no condition recorded.
    - Pat (alone), 3.08 "doesn't know" (8); her start record asked only about income.
    - Nox (alone, no date of birth: unknown household type): start record mental health.
    Leavers: Solo, Lee. Stayers: Mom, Kid1, Unk, Kay, Pat, Nox."""
    t = tenancy
    s = t.shelter_a
    no = dict(physical_disability=0, developmental_disability=0, chronic_health_condition=0, hiv_aids=0,
              mental_health_disorder=0, substance_use_disorder=0)
    mom = stay(t, person(t, "Mom"), s, "C1", FEB, disabling_condition=1)
    record(t, mom, 1, FEB, **(no | dict(mental_health_disorder=1, substance_use_disorder=3)))
    record(t, mom, 2, date(2026, 5, 1), **(no | dict(mental_health_disorder=1)))
    record(t, mom, 5, date(2026, 8, 1), **(no | dict(physical_disability=1)))
    kid = stay(t, person(t, "Kid1", date(2016, 1, 1)), s, "C1", FEB, head=False)
    record(t, kid, 1, FEB, **(no | dict(developmental_disability=1)))
    stay(t, person(t, "Unk", None, dob_data_quality=99), s, "C1", FEB, head=False, disabling_condition=99)
    solo = stay(t, person(t, "Solo"), s, "C2", FEB, date(2026, 4, 15), disabling_condition=1, destination=410)
    record(t, solo, 1, FEB, **(no | dict(physical_disability=1, chronic_health_condition=1)))
    record(t, solo, 3, date(2026, 4, 15), **(no | dict(physical_disability=1, chronic_health_condition=1, hiv_aids=1)))
    lee = stay(t, person(t, "Lee"), s, "C3", FEB, date(2026, 3, 1), destination=410)
    record(t, lee, 1, FEB, **no)
    record(t, lee, 3, date(2026, 3, 1), **(no | dict(substance_use_disorder=1)))
    stay(t, person(t, "Kay", date(2011, 6, 1)), s, "C4", FEB, disabling_condition=1)
    pat = stay(t, person(t, "Pat"), s, "C5", FEB, disabling_condition=8)
    record(t, pat, 1, FEB, income_from_any_source=0)
    nox = stay(t, person(t, "Nox", None, dob_data_quality=99), s, "C6", FEB)
    record(t, nox, 1, FEB, **(no | dict(mental_health_disorder=1)))
    return t


def test_h4_q13_conditions_at_start_exit_and_for_stayers(conditions):
    report = tables_of("apr", conditions.shelter_a)
    empty = [0, 0, 0, 0, 0, 0]
    expected = {
        # Start records, every person.
        "Q13a1": {"Mental Health Disorder": [2, 0, 1, 0, 0, 1],  # Mom (adult with a child), Nox (unknown)
                  "Both Alcohol and Drug Use Disorders": [1, 0, 1, 0, 0, 0],  # Mom
                  "Chronic Health Condition": [1, 1, 0, 0, 0, 0],  # Solo
                  "Developmental Disability": [1, 0, 0, 1, 0, 0],  # Kid1 (child with an adult)
                  "Physical Disability": [1, 1, 0, 0, 0, 0]},  # Solo
        # Exit records, leavers only: Solo and Lee.
        "Q13b1": {"Alcohol Use Disorder": [1, 1, 0, 0, 0, 0],  # Lee
                  "Chronic Health Condition": [1, 1, 0, 0, 0, 0], "HIV/AIDS": [1, 1, 0, 0, 0, 0],
                  "Physical Disability": [1, 1, 0, 0, 0, 0]},  # Solo, all three
        # Stayers: the latest record on or before the report end (Mom's 05/01 update, not
        # her 08/01 annual assessment; Kid1's and Nox's start records).
        "Q13c1": {"Mental Health Disorder": [2, 0, 1, 0, 0, 1], "Developmental Disability": [1, 0, 0, 1, 0, 0]},
    }
    for code, cells in expected.items():
        assert report[code][0][0] == "Mental Health Disorder" and len(report[code]) == 8
        for label, counts in report[code]:
            assert counts == cells.get(label, empty), (code, label)


def test_h4_q13_number_of_conditions(conditions, tmp_path):
    files = written(tmp_path, "apr", conditions.shelter_a)
    assert files["Q13a2"][0] == ["", "Total Persons", "Without Children", "Adults in HH with Children & Adults",
                                 "Children in HH with Children & Adults", "With Only Children",
                                 "Unknown Household Type"]
    labels = ["None", "1 Condition", "2 Conditions", "3+ Conditions", "Condition Unknown",
              "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected", "Total"]
    assert [row[0] for row in files["Q13a2"][1:]] == labels

    def counts(code):
        return {label: [int(v) for v in values] for label, values in by_label(files[code]).items()}

    assert counts("Q13a2") == {
        "None": [1, 1, 0, 0, 0, 0],  # Lee: no condition and 3.08 "no"
        "1 Condition": [2, 0, 0, 1, 0, 1],  # Kid1; Nox (a condition outweighs 3.08 "no")
        "2 Conditions": [1, 1, 0, 0, 0, 0],  # Solo
        "3+ Conditions": [1, 0, 1, 0, 0, 0],  # Mom: mental health + both alcohol and drug (two) = 3
        "Condition Unknown": [1, 0, 0, 0, 1, 0],  # Kay: 3.08 yes, no condition recorded; child-only household
        "Client Doesn't Know/Prefers Not to Answer": [1, 1, 0, 0, 0, 0],  # Pat: 3.08 = 8, no disability record
        # Unk: 3.08 not collected. Of unknown age in a household with children and adults,
        # so in neither of its columns: counted under unknown household type.
        "Data Not Collected": [1, 0, 0, 0, 0, 1],
        "Total": [8, 3, 1, 1, 1, 2],
    }
    assert counts("Q13b2") == {label: [0] * 6 for label in labels} | {
        "1 Condition": [1, 1, 0, 0, 0, 0],  # Lee at exit: alcohol
        "3+ Conditions": [1, 1, 0, 0, 0, 0],  # Solo at exit: three
        "Total": [2, 2, 0, 0, 0, 0],
    }
    assert counts("Q13c2") == {label: [0] * 6 for label in labels} | {
        "1 Condition": [3, 0, 1, 1, 0, 1],  # Mom (05/01 update), Kid1, Nox
        "Condition Unknown": [1, 0, 0, 0, 1, 0],  # Kay
        "Client Doesn't Know/Prefers Not to Answer": [1, 1, 0, 0, 0, 0],  # Pat
        "Data Not Collected": [1, 0, 0, 0, 0, 1],  # Unk
        "Total": [6, 1, 1, 1, 1, 2],
    }
    caper = written(tmp_path / "caper", "caper", conditions.shelter_a)
    assert {"Q13a1", "Q13b1", "Q13c1"} <= set(caper) and not {"Q13a2", "Q13b2", "Q13c2"} & set(caper)


# --- Q9a, Q9b Contacts and engagements ----------------------------------------------------------------


def contact(t, enrollment, day, situation=116):
    CurrentLivingSituation.objects.create(enrollment=enrollment, information_date=day, current_living_situation=situation,
                                          entered_by=t.worker_a, agency=enrollment.agency)


@pytest.fixture
def outreach(tenancy):
    """A Outreach (street outreach) and A Night Shelter (night-by-night), adults alone
    unless said:
    - Sam from 01/05/2026: contacts 01/05 and 02/01 on the street (116), engaged 02/01
      (a contact that day: not counted twice), a contact on 03/01 after the engagement
      (not counted): 2 contacts, first on the street; engaged in the period.
    - Tia from 11/01/2025, never engaged: contacts 11/01/2025 in a rental (410), 12/01/2025
      and 01/10/2026 on the street: 3 contacts (those before the report start count), the
      first "not staying on the streets".
    - Uma from 03/01/2026, engaged 03/01 with no contact recorded that day, a contact on
      03/05 after it: her only contact is the engagement itself, situation unknown.
    - Vic from 01/02/2026, never engaged: 10 daily contacts from 01/02, the first "worker
      unable to determine" (37).
    - Wes from 12/01/2025, engaged 12/15/2025 before the period; contacts 12/10 and 12/15/2025
      and 02/01/2026 (after his engagement): neither contacted up to his engagement in the
      period nor engaged in it: in neither table.
    - Yul (head) and his son Zed (born 2016): both contacted and engaged on 02/01/2026;
      Yul once, on the street; Zed, a child who is not the head, is not counted.
    - Kim, 15, heading a child-only household, never engaged: contacts 04/01 in a shelter
      (101) and 04/02: counted (a head of household), 2 contacts.
    - Nia in A Night Shelter from 01/03/2026, a bed night and a contact in a friend's room
      (336) on 01/03, engaged that day: 1 contact, not on the streets."""
    t = tenancy
    so, nbn = t.outreach_a, nbn_shelter(t)
    d = date
    sam = stay(t, person(t, "Sam"), so, "O1", d(2026, 1, 5), date_of_engagement=d(2026, 2, 1))
    for day in (d(2026, 1, 5), d(2026, 2, 1), d(2026, 3, 1)):
        contact(t, sam, day)
    tia = stay(t, person(t, "Tia"), so, "O2", d(2025, 11, 1))
    contact(t, tia, d(2025, 11, 1), 410)
    contact(t, tia, d(2025, 12, 1))
    contact(t, tia, d(2026, 1, 10))
    uma = stay(t, person(t, "Uma"), so, "O3", d(2026, 3, 1), date_of_engagement=d(2026, 3, 1))
    contact(t, uma, d(2026, 3, 5))
    vic = stay(t, person(t, "Vic"), so, "O4", d(2026, 1, 2))
    for n in range(10):
        contact(t, vic, d(2026, 1, 2) + timedelta(days=n), 37 if n == 0 else 116)
    wes = stay(t, person(t, "Wes"), so, "O5", d(2025, 12, 1), date_of_engagement=d(2025, 12, 15))
    for day in (d(2025, 12, 10), d(2025, 12, 15), d(2026, 2, 1)):
        contact(t, wes, day)
    for first, born, head in (("Yul", date(1980, 1, 1), True), ("Zed", date(2016, 1, 1), False)):
        contact(t, stay(t, person(t, first, born), so, "O6", d(2026, 2, 1), head=head,
                        date_of_engagement=d(2026, 2, 1)), d(2026, 2, 1))
    kim = stay(t, person(t, "Kim", date(2010, 6, 1)), so, "O7", d(2026, 4, 1))
    contact(t, kim, d(2026, 4, 1), 101)
    contact(t, kim, d(2026, 4, 2))
    nia = stay(t, person(t, "Nia"), nbn, "O8", d(2026, 1, 3), date_of_engagement=d(2026, 1, 3))
    bed_nights(t, nia, d(2026, 1, 3))
    contact(t, nia, d(2026, 1, 3), 336)
    return t, so, nbn


def test_h4_q9a_persons_contacted(outreach, tmp_path):
    t, so, nbn = outreach
    files = written(tmp_path, "caper", so, nbn)
    assert files["Q9a"][0] == tables.CONTACT_COLUMNS
    q9a = {label: [int(v) for v in values] for label, values in by_label(files["Q9a"]).items()}
    # All persons contacted, first contact NOT / WAS staying on the streets, ES or SH,
    # worker unable to determine. Adults and heads contacted in the period up to their
    # engagement, or engaged in it: Sam, Tia, Uma, Vic, Yul, Kim, Nia (7; not Wes, not Zed).
    assert q9a == {
        "Once": [3, 1, 1, 1],  # Nia (friend's room), Yul (street), Uma (the engagement alone: unknown)
        "2-5 Times": [3, 1, 2, 0],  # Tia (rental first), Sam and Kim (street / shelter first)
        "6-9 Times": [0, 0, 0, 0],
        "10+ Times": [1, 0, 0, 1],  # Vic, first "worker unable to determine"
        "Total Persons Contacted": [7, 2, 3, 2],
    }
    # The other tables count street outreach clients once engaged only: not Tia, Vic, Kim.
    q7a = by_label(files["Q7a"])
    assert q7a["Total"][0] == "6"  # Sam, Uma, Wes, Yul, Zed, Nia


def test_h4_q9b_persons_engaged_and_rate(outreach, tmp_path):
    t, so, nbn = outreach
    q9b = by_label(written(tmp_path, "apr", so, nbn)["Q9b"])
    # Engaged in the period: Sam, Uma, Yul, Nia (Wes was engaged before it).
    assert q9b["Once"] == ["3", "1", "1", "1"]  # Nia, Yul, Uma
    assert q9b["2-5 Contacts"] == ["1", "0", "1", "0"]  # Sam
    assert q9b["6-9 Contacts"] == ["0", "0", "0", "0"]
    assert q9b["10+ Contacts"] == ["0", "0", "0", "0"]
    assert q9b["Total Persons Engaged"] == ["4", "1", "2", "1"]
    # Engaged / contacted per column: 4/7, 1/2, 2/3, 1/2.
    assert q9b["Rate of Engagement"] == ["0.5714", "0.5000", "0.6667", "0.5000"]  # HUD's CSV: fractions


def test_h4_q9_is_zero_without_outreach_or_night_by_night_projects(demographics):
    q9a = dict(tables_of("apr", demographics.shelter_a)["Q9a"])
    assert q9a["Total Persons Contacted"] == [0, 0, 0, 0]
