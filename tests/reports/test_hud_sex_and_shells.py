"""H4: the FY2026 CoC APR and ESG CAPER question lists and the table shells HUD's CSV names
(reports/hud/SPEC_APR_CAPER.md 6.1, 6.2), each on a hand-built case whose every expected cell
is stated with its reason. Reporting period 01/01/2026 to 06/30/2026 throughout.

Sex in FY2026: no Q10 table. Gender (3.06) left the FY2026 data standards and the FY2026
APR and CAPER report Sex (4.21) in Q24e; neither report has a Q10 any more (the FY2026
question lists of the implementations read for the notes: HUD's Data Lab FY26 code goes from
Q9 to Q11; the FY2026 generators of the open-source warehouse list no question 10 for the
APR nor for the CAPER). Q24e itself is tested in test_hud_length_and_exits.py.

Household-type columns (HH5): Total, Without Children, With Children and Adults, With Only
Children, Unknown Household Type."""

from datetime import date

import pytest

from enrollments.models import Enrollment
from reports.hud import tables
from tests.reports.test_hud_rules import contacts, person, stay, written

pytestmark = pytest.mark.django_db
HH5 = ["", "Total", "Without Children", "With Children and Adults", "With Only Children", "Unknown Household Type"]
JAN5, MAR1 = date(2026, 1, 5), date(2026, 3, 1)

# The FY2026 question lists, table by table (notes 6.1 and 6.2).
FY2026_APR = ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b", "Q8a", "Q8b", "Q9a", "Q9b",
              "Q11", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q13a2", "Q13b2", "Q13c2", "Q14a", "Q14b", "Q15", "Q16",
              "Q17", "Q18", "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21", "Q22a1", "Q22b", "Q22c", "Q22e",
              "Q22f", "Q22g", "Q23c", "Q23d", "Q23e", "Q24b", "Q24e", "Q25a", "Q25b", "Q25d", "Q25i", "Q25j",
              "Q26a", "Q26b", "Q26d", "Q26e", "Q27a", "Q27b", "Q27d", "Q27e", "Q27f1", "Q27f2", "Q27g", "Q27h",
              "Q27i", "Q27j", "Q27k", "Q27l", "Q27m"]
FY2026_CAPER = ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b", "Q8a", "Q8b", "Q9a", "Q9b",
                "Q11", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q14a", "Q14b", "Q15", "Q16", "Q17", "Q19b", "Q20a",
                "Q21", "Q22a2", "Q22c", "Q22d", "Q22e", "Q22f", "Q22g", "Q23c", "Q23d", "Q23e", "Q24a", "Q24e",
                "Q25a", "Q26b"]


def test_h4_fy2026_question_lists_have_no_q10_and_sex_in_q24e():
    """Every table of each FY2026 report, in HUD's order, and nothing else: the CAPER has
    Q22a2 and Q22d where the APR has Q22a1 and Q22b, Q24a where the APR has Q24b, one
    veteran (Q25a) and one chronic (Q26b) table, no Q18, Q19a, Q20b or Q27."""
    assert tables.REPORTS["apr"][1] == FY2026_APR
    assert tables.REPORTS["caper"][1] == FY2026_CAPER
    for kind in ("apr", "caper"):
        assert not [code for code in tables.REPORTS[kind][1] if code.startswith("Q10")]
        assert "Q24e" in tables.REPORTS[kind][1]


# --- Q23c Exit Destination (and Q25i, Q27f1, which share its rows) --------------------------------------

# HUD's 42 rows: per group a heading without numbers, each destination of 3.12.1, a subtotal.
Q23C_LABELS = [
    "Homeless Situations",
    "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or "
    "anywhere outside)",
    "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home shelter",
    "Safe Haven",
    "Subtotal",
    "Institutional Situations",
    "Foster care home or foster care group home",
    "Hospital or other residential non-psychiatric medical facility",
    "Jail, prison or juvenile detention facility",
    "Long-term care facility or nursing home",
    "Psychiatric hospital or other psychiatric facility",
    "Substance abuse treatment facility or detox center",
    "Subtotal",
    "Temporary Situations",
    "Transitional housing for homeless persons (including homeless youth)",
    "Residential project or halfway house with no homeless criteria",
    "Hotel or motel paid for without emergency shelter voucher",
    "Host Home (non-crisis)",
    "Staying or living with family, temporary tenure (e.g., room, apartment, or house)",
    "Staying or living with friends, temporary tenure (e.g., room, apartment, or house)",
    "Moved from one HOPWA funded project to HOPWA TH",
    "Subtotal",
    "Permanent Situations",
    "Staying or living with family, permanent tenure",
    "Staying or living with friends, permanent tenure",
    "Moved from one HOPWA funded project to HOPWA PH",
    "Rental by client, no ongoing housing subsidy",
    "Rental by client, with ongoing housing subsidy",
    "Owned by client, with ongoing housing subsidy",
    "Owned by client, no ongoing housing subsidy",
    "Subtotal",
    "Other Situations",
    "No Exit Interview completed",
    "Other",
    "Deceased",
    "Client Doesn't Know/Prefers Not to Answer",
    "Data Not Collected",
    "Subtotal",
    "Total",
    "Total persons exiting to positive housing destinations",
    "Total persons whose destinations excluded them from the calculation",
    "Percentage",
]


@pytest.fixture
def leavers(tenancy):
    """A Shelter (an emergency shelter, entry/exit), everyone from 01/05/2026; leavers on
    03/01/2026 unless said:
    - D1 (with children and adults): Mom (35) and Kid (10), both to 410 rental, no subsidy;
    - D2 (with only children): Teen (15), head, to 435 rental with a subsidy;
    - D3 (unknown type: no date of birth, not collected): Nob, to 101 emergency shelter;
    - one-person households, adults (without children): Fam 312 (family, temporary), Host 332
      (Host Home), Jail 207, Foster 215, Dead 24, Dk 8 (doesn't know), Bad 336 (a living
      situation, not a destination), Nodest (no destination), Noint 30 (no exit interview);
    - not leavers: Stays (no exit) and Late (exits 07/15/2026, after the report end)."""
    t = tenancy
    shelter = t.shelter_a
    stay(t, person(t, "Mom", date(1990, 6, 1)), shelter, "D1", JAN5, MAR1, destination=410)
    stay(t, person(t, "Kid", date(2015, 6, 1)), shelter, "D1", JAN5, MAR1, head=False, destination=410)
    stay(t, person(t, "Teen", date(2010, 5, 1)), shelter, "D2", JAN5, MAR1, destination=435)
    stay(t, person(t, "Nob", None, dob_data_quality=99), shelter, "D3", JAN5, MAR1, destination=101)
    for n, (first, code) in enumerate([("Fam", 312), ("Host", 332), ("Jail", 207), ("Foster", 215), ("Dead", 24),
                                       ("Dk", 8), ("Bad", 336), ("Nodest", None), ("Noint", 30)]):
        stay(t, person(t, first), shelter, f"S{n}", JAN5, MAR1, destination=code)
    stay(t, person(t, "Stays"), shelter, "S9", JAN5)
    stay(t, person(t, "Late"), shelter, "S10", JAN5, date(2026, 7, 15), destination=410)
    return t


def test_h4_q23c_one_row_per_destination_as_hud_shell(leavers, tmp_path):
    files = written(tmp_path, "caper", leavers.shelter_a)
    q23c = files["Q23c"]
    assert q23c[0] == HH5
    assert [row[0] for row in q23c[1:]] == Q23C_LABELS
    rows = q23c[1:]
    cells = {i: row[1:] for i, row in enumerate(rows)}
    blank, zero = [""] * 5, ["0"] * 5
    # Headings carry no numbers.
    for heading in (0, 5, 13, 22, 31):
        assert cells[heading] == blank
    assert cells[1] == zero                                # 116: nobody
    assert cells[2] == ["1", "0", "0", "0", "1"]           # 101: Nob, unknown household type
    assert cells[3] == zero                                # 118
    assert cells[4] == ["1", "0", "0", "0", "1"]           # homeless subtotal: Nob
    assert cells[6] == ["1", "1", "0", "0", "0"]           # 215: Foster
    assert cells[8] == ["1", "1", "0", "0", "0"]           # 207: Jail
    assert cells[12] == ["2", "2", "0", "0", "0"]          # institutional subtotal: Foster, Jail
    assert cells[17] == ["1", "1", "0", "0", "0"]          # 332: Host
    assert cells[18] == ["1", "1", "0", "0", "0"]          # 312: Fam
    assert cells[21] == ["2", "2", "0", "0", "0"]          # temporary subtotal: Host, Fam
    assert cells[26] == ["2", "0", "2", "0", "0"]          # 410: Mom and Kid (Late left after the end)
    assert cells[27] == ["1", "0", "0", "1", "0"]          # 435: Teen, a child-only household
    assert cells[30] == ["3", "0", "2", "1", "0"]          # permanent subtotal
    assert cells[32] == ["1", "1", "0", "0", "0"]          # 30: Noint
    assert cells[33] == zero                               # 17
    assert cells[34] == ["1", "1", "0", "0", "0"]          # 24: Dead
    assert cells[35] == ["1", "1", "0", "0", "0"]          # 8: Dk
    # Reading chosen: 336 is not a valid destination and counts, with no destination at all,
    # as not collected, so that the subtotals add up to the Total.
    assert cells[36] == ["2", "2", "0", "0", "0"]          # Bad (336), Nodest
    assert cells[37] == ["5", "5", "0", "0", "0"]          # other subtotal: Noint, Dead, Dk, Bad, Nodest
    assert cells[38] == ["13", "9", "2", "1", "1"]         # Total: 13 leavers; not Stays nor Late
    # Positive from an emergency shelter: permanent destinations and Host Home (332):
    # Mom, Kid, Teen, Host; excluded: foster care (215) and deceased (24): Foster, Dead.
    assert cells[39] == ["4", "1", "2", "1", "0"]
    assert cells[40] == ["2", "2", "0", "0", "0"]
    # Per column, positive / (total − excluded), as HUD's CSV writes it (a fraction):
    # 4 / 11; 1 / 7; 2 / 2; 1 / 1; 0 / 1.
    assert cells[41] == ["0.3636", "0.1429", "1.0000", "1.0000", "0.0000"]
    # Every row but the headings, the Total's companions and the percentage sums to its
    # subtotal: the group rows' totals add up to the Total.
    assert sum(int(cells[i][0]) for i in (4, 12, 21, 30, 37)) == int(cells[38][0])


def test_h4_q25i_and_q27f1_have_q23c_rows(leavers, tmp_path):
    """The veterans' and the youths' exit destinations are laid out as Q23c (HUD's Data Lab
    and the warehouse alike): the same 42 labels under the same header."""
    files = written(tmp_path, "apr", leavers.shelter_a)
    for code in ("Q23c", "Q25i", "Q27f1"):
        assert files[code][0] == HH5
        assert [row[0] for row in files[code][1:]] == Q23C_LABELS
    # Youth (12-24, nobody 25 or older in the household): Teen only, 435, positive.
    q27f1 = files["Q27f1"][1:]
    assert q27f1[27][1:] == ["1", "0", "0", "1", "0"]
    assert q27f1[38][1:] == ["1", "0", "0", "1", "0"]
    assert q27f1[41][1:] == ["1.0000", "0.0000", "0.0000", "1.0000", "0.0000"]
    # No veteran among them: every count 0.
    assert files["Q25i"][39][1:] == ["0"] * 5


# --- Q5a: the two counts -----------------------------------------------------------------------------------


def test_h4_q5a_counts_clients_for_dq_and_all_clients(tenancy, tmp_path):
    """A Outreach (street outreach), both contacted on 03/01/2026: Eng, engaged that day,
    and Never, not engaged. Column B ("for DQ") counts a street outreach client only once
    engaged by the report end: Eng; column C counts every client of the report: both."""
    t = tenancy
    mar1 = date(2026, 3, 1)
    for first, engaged_on in (("Eng", mar1), ("Never", None)):
        e = stay(t, person(t, first), t.outreach_a, f"Q{first}", mar1, date_of_engagement=engaged_on)
        contacts(t, e, mar1)
    q5a = written(tmp_path, "apr", t.outreach_a)["Q5a"]
    assert q5a[0] == ["Category", "Count of Clients for DQ", "Count of Clients"]
    rows = {row[0]: row[1:] for row in q5a[1:]}
    assert len(rows) == 16
    assert rows["Total number of persons served"] == ["1", "2"]
    assert rows["Number of adults (age 18 or over)"] == ["1", "2"]   # both born 1980
    assert rows["Number of stayers"] == ["1", "2"]
    assert rows["Number of adult heads of household"] == ["1", "2"]
    assert rows["Number of leavers"] == ["0", "0"]


# --- Q6b and Q6c: the FY2024/FY2026 columns ----------------------------------------------------------------

DQ_HEADER = ["Data Element", "Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues",
             "Total", "% of Issue Rate"]


def enrol(t, client, household, entry, exit_date=None, **fields):
    """A stay in A Shelter with any of its 3.15/3.16/3.08 answers given."""
    values = {"relationship_to_hoh": 1, "enrollment_coc": t.coc1.code, "disabling_condition": 0} | fields
    return Enrollment.objects.create(client=client, project=t.shelter_a, household_id=household, entry_date=entry,
                                     information_date=entry, exit_date=exit_date, entered_by=t.worker_a,
                                     agency=t.agency_a, **values)


@pytest.fixture
def universal(tenancy):
    """A Shelter, from 01/05/2026 unless said; adults born 1980 unless said, veteran 0.
    - household U1: Vet (head, veteran 8), Kidvet (born 2015, a child, veteran 1), Norel
      (3.15 none), Rel99 (3.15 99);
    - one-person households, each its head: Nov (veteran 99); Hd1 and Hd2, both heads of
      U3; Coc1 (3.16 blank), Coc2 (3.16 XX-999, not the report's CoC); Dis8 (3.08 8),
      Dis99 (3.08 99); Ovl, whose reported stay starts 01/10/2026 inside her earlier stay
      in the same shelter (12/01/2025 to 02/01/2026); Bwd, exit 02/15/2026 before his
      start 03/01/2026.
    13 persons, all of known age; 10 heads (Vet, Nov, Hd1, Hd2, Coc1, Coc2, Dis8, Dis99,
    Ovl, Bwd)."""
    t = tenancy
    enrol(t, person(t, "Vet", veteran_status=8), "U1", JAN5)
    enrol(t, person(t, "Kidvet", date(2015, 6, 1), veteran_status=1), "U1", JAN5, relationship_to_hoh=2)
    enrol(t, person(t, "Norel"), "U1", JAN5, relationship_to_hoh=None)
    enrol(t, person(t, "Rel99"), "U1", JAN5, relationship_to_hoh=99)
    enrol(t, person(t, "Nov", veteran_status=99), "U2", JAN5)
    enrol(t, person(t, "Hd1"), "U3", JAN5)
    enrol(t, person(t, "Hd2"), "U3", JAN5)
    enrol(t, person(t, "Coc1"), "U4", JAN5, enrollment_coc="")
    enrol(t, person(t, "Coc2"), "U5", JAN5, enrollment_coc="XX-999")
    enrol(t, person(t, "Dis8"), "U6", JAN5, disabling_condition=8)
    enrol(t, person(t, "Dis99"), "U7", JAN5, disabling_condition=99)
    ovl = person(t, "Ovl")
    enrol(t, ovl, "U8", date(2025, 12, 1), date(2026, 2, 1), destination=410)
    enrol(t, ovl, "U9", date(2026, 1, 10))
    enrol(t, person(t, "Bwd"), "U10", date(2026, 3, 1), date(2026, 2, 15), destination=410)
    return t


def test_h4_q6b_universal_elements_in_hud_columns(universal, tmp_path):
    q6b = written(tmp_path, "dq", universal.shelter_a)["Q6b"]
    assert q6b[0] == DQ_HEADER
    assert [row[0] for row in q6b[1:]] == ["Veteran Status (3.07)", "Project Start Date (3.10)",
                                           "Relationship to Head of Household (3.15)", "Enrollment CoC (3.16)",
                                           "Disabling Condition (3.08)"]
    rows = {row[0]: row[1:] for row in q6b[1:]}
    # Vet doesn't know (8), Nov missing (99), Kidvet a child veteran (an issue): 3 of the 13
    # persons of known age.
    assert rows["Veteran Status (3.07)"] == ["1", "1", "1", "3", "0.2308"]
    # Ovl starts inside her earlier stay; Bwd leaves before he starts: 2 of 13.
    assert rows["Project Start Date (3.10)"] == ["0", "0", "2", "2", "0.1538"]
    # Norel has none (missing); Rel99's 99 is outside 1-5, Hd1 and Hd2 share a household
    # with two heads (issues): 4 of 13.
    assert rows["Relationship to Head of Household (3.15)"] == ["0", "1", "3", "4", "0.3077"]
    # Heads only: Coc1 blank (missing), Coc2 not the report's CoC (an issue): 2 of 10.
    assert rows["Enrollment CoC (3.16)"] == ["0", "1", "1", "2", "0.2000"]
    # Dis8 doesn't know, Dis99 not collected: 2 of 13.
    assert rows["Disabling Condition (3.08)"] == ["1", "1", "0", "2", "0.1538"]


def test_h4_q6c_income_and_housing_in_hud_columns(universal, tmp_path):
    """Same persons: leavers Bwd (410; his stay ends in the period) only; no income records
    at all, so every adult or head misses 4.02 at start; Bwd misses it at exit."""
    q6c = written(tmp_path, "dq", universal.shelter_a)["Q6c"]
    assert q6c[0] == DQ_HEADER
    rows = {row[0]: row[1:] for row in q6c[1:]}
    assert list(rows) == ["Destination (3.12)", "Income and Sources (4.02) at Start",
                          "Income and Sources (4.02) at Annual Assessment", "Income and Sources (4.02) at Exit"]
    assert rows["Destination (3.12)"] == ["0", "0", "", "0", "0.0000"]  # 3.12 has no data-issue test
    # Adults and heads: the 12 adults (Kidvet is a child, not a head), all missing.
    assert rows["Income and Sources (4.02) at Start"] == ["0", "12", "0", "12", "1.0000"]
    assert rows["Income and Sources (4.02) at Annual Assessment"] == ["0", "0", "0", "0", "0.0000"]  # nobody due
    assert rows["Income and Sources (4.02) at Exit"] == ["0", "1", "0", "1", "1.0000"]  # Bwd
