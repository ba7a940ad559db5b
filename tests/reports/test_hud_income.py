"""H4: income and benefits in the APR and CAPER: the income snapshot (which IncomeBenefits
record is "at start", "at the annual assessment", "at exit"), Q6c's income rows, Q16, Q17,
Q18, Q19a1, Q19a2, Q19b, Q20a, Q20b and Q21 (reports/hud/SPEC_APR_CAPER.md 3.3, 4, 5c,
6.1, 6.2). Every expected cell is stated and explained. Reporting period 01/01/2026 to
06/30/2026. Cells HUD leaves empty are "".

The data set (fixture ``incomes``), all in A Shelter, adults born 1980:
- I1 (with children and adults): Ann, head, since 03/15/2025, a stayer: her anniversary is
  03/15/2026; Kid (born 06/01/2015, 10), since 03/15/2025; Fay, an adult who joined on
  04/01/2026, after the anniversary.
  Ann's start record (03/15/2025): income yes, earned $500; SNAP; Medicaid. Her annual
  assessment is dated 04/14/2026, the anniversary + 30 days, just inside: earned $500 and
  SSI $300 (total $800); SNAP and WIC; Medicaid.
  Kid's start record: Medicaid and SCHIP; no annual assessment.
  Fay's start record (04/01/2026): no income, no benefits, no insurance.
- I2: Bo, head, since 02/01/2025, a stayer: anniversary 02/01/2026. Start record: income
  "yes" with no source named (a data issue), no benefits, no insurance. His annual
  assessment is dated 03/04/2026, the anniversary + 31 days, just outside (earned $700).
- I3: Cy, head, since 02/01/2026 (not a year yet). His start record is dated 02/02/2026,
  a day after his start: it is no start record (earned $1,200, Medicare, all ignored).
- I4: Di, head, 01/10/2026 to 03/31/2026, disabling condition yes. Start record: SSDI $900;
  benefits and insurance "doesn't know" (8). Exit record on 03/31/2026: SSDI $900 and
  earned $400 (total $1,300); no benefits; no insurance.
- I5: Ed, head, 01/05/2026 to 04/30/2026. Start record: income "prefers not to answer"
  (9), benefits and insurance not asked. No exit record.
Adults: Ann, Fay, Bo, Cy, Di, Ed (6); adult stayers Ann, Fay, Bo, Cy (4); leavers Di, Ed.
"""

from datetime import date
from decimal import Decimal

import pytest

from enrollments.models import Assessment
from reports.hud import tables
from tests.reports.test_hud_questions import person, record, tables_of
from tests.reports.test_hud_rules import by_label, stay, written

pytestmark = pytest.mark.django_db
START_STAGE, EXIT_STAGE, ANNUAL_STAGE = 1, 3, 5
ANN_START, BO_START = date(2025, 3, 15), date(2025, 2, 1)


@pytest.fixture
def incomes(tenancy):
    t = tenancy
    shelter = t.shelter_a
    ann = stay(t, person(t, "Ann"), shelter, "I1", ANN_START)
    record(t, ann, START_STAGE, ANN_START, income_from_any_source=1, earned=1, earned_amount=500,
           benefits_from_any_source=1, snap=1, insurance_from_any_source=1, medicaid=1)
    record(t, ann, ANNUAL_STAGE, date(2026, 4, 14), income_from_any_source=1, earned=1, earned_amount=500, ssi=1,
           ssi_amount=300, benefits_from_any_source=1, snap=1, wic=1, insurance_from_any_source=1, medicaid=1)
    kid = stay(t, person(t, "Kid", date(2015, 6, 1)), shelter, "I1", ANN_START, head=False)
    record(t, kid, START_STAGE, ANN_START, insurance_from_any_source=1, medicaid=1, schip=1)
    fay = stay(t, person(t, "Fay"), shelter, "I1", date(2026, 4, 1), head=False)
    record(t, fay, START_STAGE, date(2026, 4, 1), income_from_any_source=0, benefits_from_any_source=0,
           insurance_from_any_source=0)
    bo = stay(t, person(t, "Bo"), shelter, "I2", BO_START)
    record(t, bo, START_STAGE, BO_START, income_from_any_source=1, benefits_from_any_source=0,
           insurance_from_any_source=0)
    record(t, bo, ANNUAL_STAGE, date(2026, 3, 4), income_from_any_source=1, earned=1, earned_amount=700)
    cy = stay(t, person(t, "Cy"), shelter, "I3", date(2026, 2, 1))
    record(t, cy, START_STAGE, date(2026, 2, 2), income_from_any_source=1, earned=1, earned_amount=1200,
           insurance_from_any_source=1, medicare=1)
    di = stay(t, person(t, "Di"), shelter, "I4", date(2026, 1, 10), date(2026, 3, 31), destination=410,
              disabling_condition=1)
    record(t, di, START_STAGE, date(2026, 1, 10), income_from_any_source=1, ssdi=1, ssdi_amount=900,
           benefits_from_any_source=8, insurance_from_any_source=8)
    record(t, di, EXIT_STAGE, date(2026, 3, 31), income_from_any_source=1, ssdi=1, ssdi_amount=900, earned=1,
           earned_amount=400, benefits_from_any_source=0, insurance_from_any_source=0)
    ed = stay(t, person(t, "Ed"), shelter, "I5", date(2026, 1, 5), date(2026, 4, 30), destination=410)
    record(t, ed, START_STAGE, date(2026, 1, 5), income_from_any_source=9)
    return dict(ann=ann, kid=kid, fay=fay, bo=bo, cy=cy, di=di, ed=ed)


def snapshots():
    from agencies.models import Project
    from tests.reports.test_hud_rules import END, START

    return tables.income_snapshots(tables.people(Project.objects.all(), START, END), END)


# --- The income snapshot, on its own ----------------------------------------------------------------


def test_h4_income_snapshot_start_annual_and_exit_records(incomes):
    snaps = snapshots()
    ann, bo, cy, fay, kid = (snaps[incomes[k].pk] for k in ("ann", "bo", "cy", "fay", "kid"))
    # At start: the stage-1 record dated on the start date; Cy's, a day late, is none.
    assert ann.start.information_date == ANN_START and cy.start is None
    # Annual: anniversary 03/15/2026; 04/14/2026 is 30 days after, inside (inclusive).
    assert ann.anniversary == date(2026, 3, 15) and ann.annual == "found"
    assert ann.annual_record.information_date == date(2026, 4, 14)
    # Bo: anniversary 02/01/2026; 03/04/2026 is 31 days after: outside, so required but missing.
    assert bo.annual == "missing" and bo.annual_record is None
    # Cy has not been in the project a year; Fay joined after her head's anniversary.
    assert cy.annual == "not required" and fay.annual == "not required" and fay.anniversary == date(2026, 3, 15)
    # Kid is keyed to Ann's anniversary, was there for it, and has no assessment.
    assert kid.annual == "missing"
    # At exit: Di's exit record is dated on her exit; Ed has none. Stayers have no exit.
    assert snaps[incomes["di"].pk].exit.information_date == date(2026, 3, 31)
    assert snaps[incomes["ed"].pk].exit is None and ann.exit is None


def test_h4_annual_window_is_30_days_either_side_of_the_heads_anniversary(tenancy):
    """Unit: 30 days before the anniversary is inside, 31 before is outside; an assessment
    after the report end is not one yet; a 29 February start has its anniversary on 28 February."""
    t = tenancy
    one = stay(t, person(t, "Early"), t.shelter_a, "W1", date(2025, 5, 1))
    record(t, one, ANNUAL_STAGE, date(2026, 4, 1))  # anniversary 05/01/2026 − 30 days: inside
    two = stay(t, person(t, "Earlier"), t.shelter_a, "W2", date(2025, 5, 1))
    record(t, two, ANNUAL_STAGE, date(2026, 3, 31))  # − 31 days: outside
    three = stay(t, person(t, "Late"), t.shelter_a, "W3", date(2025, 6, 20))
    record(t, three, ANNUAL_STAGE, date(2026, 7, 1))  # anniversary 06/20/2026, but after the report end
    snaps = snapshots()
    assert snaps[one.pk].annual == "found" and snaps[two.pk].annual == "missing"
    assert snaps[three.pk].annual == "missing"
    assert tables.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert tables.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_h4_cash_income_total_earned_and_ranges_unit():
    """[DL determine_total_income]: Total Monthly Income when above 0, else the sum of the
    sources answered yes (a source answered no does not count); $150.50 is above $150."""
    a = Assessment(income_from_any_source=1, earned=1, earned_amount=Decimal("100"), ssi=0, ssi_amount=Decimal("50"),
                   total_monthly_income=None)
    income = tables.cash_income(a)
    assert (income.status, income.total, income.earned, income.other) == ("known", 100, 100, 0)
    assert tables.income_range(income) == "$1 - $150"
    a.total_monthly_income = Decimal("150.50")
    assert tables.income_range(tables.cash_income(a)) == "$151 - $250"
    assert tables.cash_income(a).other == Decimal("50.50")
    assert tables.income_range(tables.cash_income(Assessment(income_from_any_source=0))) == "No Income"
    assert tables.income_range(tables.cash_income(Assessment(income_from_any_source=8))) == tables.DK_PNTA
    assert tables.income_range(tables.cash_income(Assessment(income_from_any_source=99))) == tables.NOT_COLLECTED
    assert tables.income_range(tables.cash_income(None)) == tables.NOT_COLLECTED
    # Q6c data issues: "no" with a source yes; "yes" with none.
    assert tables.income_quality(Assessment(income_from_any_source=0, ssi=1)) == "issue"
    assert tables.income_quality(Assessment(income_from_any_source=1)) == "issue"
    assert tables.income_quality(Assessment(income_from_any_source=1, ssi=1)) is None
    assert [tables.change_kind(b, a) for b, a in [(5, 0), (5, 3), (5, 5), (5, 7), (0, 4), (0, 0)]] == [
        "lost", "less", "same", "more", "gained", "neither"]


# --- Q6c ----------------------------------------------------------------------------------------------


def test_h4_q6c_income_at_start_annual_and_exit(incomes):
    q = dict(tables_of("apr", incomes["ann"].project)["Q6c"])
    # Leavers Di and Ed both have destination 410.
    # Columns: doesn't know/prefers not, missing, data issues, total, % of issue rate.
    assert q["Destination (3.12)"] == [0, 0, "", 0, "0.00%"]  # no data-issue test for 3.12
    # Adults and heads: Ann, Fay, Bo, Cy, Di, Ed (Kid is a child, not a head). Errors: Ed
    # (prefers not to answer), Cy (his record is dated a day after his start, so there is no
    # start record: missing), Bo ("yes" with no source: a data issue). 3 of 6.
    assert q["Income and Sources (4.02) at Start"] == [1, 1, 1, 3, "50.00%"]
    # Adult and head stayers due an annual assessment: Ann and Bo (Cy not a year in; Fay
    # joined after the anniversary). Bo's is 31 days after it, so none counts: 1 of 2.
    assert q["Income and Sources (4.02) at Annual Assessment"] == [0, 1, 0, 1, "50.00%"]
    # Adult and head leavers Di and Ed: Ed has no exit record. 1 of 2.
    assert q["Income and Sources (4.02) at Exit"] == [0, 1, 0, 1, "50.00%"]


# --- Q16, Q17, Q18 -------------------------------------------------------------------------------------


def test_h4_q16_cash_income_ranges(incomes, tmp_path):
    """Read through `manage.py hud_report apr --out DIR` (HUD's CSV layout)."""
    q = by_label(written(tmp_path, "apr", incomes["ann"].project)["Q16"])
    # Start (6 adults): Bo ("yes", no amount) and Fay (no) have no income; Ann $500; Di $900;
    # Ed prefers not to answer; Cy has no start record (not collected).
    # Annual (4 adult stayers): Ann $800; Fay and Cy not yet required; Bo without one in the window.
    # Exit (2 leavers): Di $1,300; Ed has no exit record (not collected).
    assert q == {
        "No Income": ["2", "0", "0"],
        "$1 - $150": ["0", "0", "0"],
        "$151 - $250": ["0", "0", "0"],
        "$251 - $500": ["1", "0", "0"],
        "$501 - $1,000": ["1", "1", "0"],
        "$1,001 - $1,500": ["0", "0", "1"],
        "$1,501 - $2,000": ["0", "0", "0"],
        "$2,001+": ["0", "0", "0"],
        tables.DK_PNTA: ["1", "0", "0"],
        tables.NOT_COLLECTED: ["1", "0", "1"],
        "Number of adult stayers not yet required to have an annual assessment": ["", "2", ""],
        "Number of adult stayers without required annual assessment": ["", "1", ""],
        "Total Adults": ["6", "4", "2"],
    }


def test_h4_q17_cash_income_sources(incomes):
    q = dict(tables_of("apr", incomes["ann"].project)["Q17"])
    # Start: Ann earned, Di SSDI (Cy's earned income is on no start record). Annual: Ann
    # earned and SSI. Exit: Di earned and SSDI.
    assert q["Earned Income"] == [1, 1, 1]
    assert q["Supplemental Security Income (SSI)"] == [0, 1, 0]
    assert q["Social Security Disability Insurance (SSDI)"] == [1, 0, 1]
    others = set(tables.Q17_LABELS) - {"Earned Income", "Supplemental Security Income (SSI)",
                                       "Social Security Disability Insurance (SSDI)"}
    assert all(q[label] == [0, 0, 0] for label in others)
    # Income known at start and at the annual assessment: Ann; at start and exit: Di (Ed
    # prefers not to answer at start and has no exit record).
    assert q[tables.INFO_BOTH] == ["", 1, 1]


def test_h4_q18_income_categories(incomes):
    q = dict(tables_of("apr", incomes["ann"].project)["Q18"])
    assert q == {
        # Start: Ann $500 earned only; at the annual, $500 earned + $300 SSI: both.
        "Adults with Only Earned Income (i.e., Employment Income)": [1, 0, 0],
        # Start: Di's SSDI; at exit she also earns: both.
        "Adults with Only Other Income": [1, 0, 0],
        "Adults with Both Earned and Other Income": [0, 1, 1],
        "Adults with No Income": [2, 0, 0],  # Bo, Fay
        "Adults with Client Doesn't Know/Prefers Not to Answer Income Information": [1, 0, 0],  # Ed
        "Adults with Missing Income Information": [1, 0, 1],  # Cy at start; Ed at exit
        "Number of adult stayers not yet required to have an annual assessment": ["", 2, ""],  # Fay, Cy
        "Number of adult stayers without required annual assessment": ["", 1, ""],  # Bo
        "Total Adults": [6, 4, 2],
        "1 or more source of income": [2, 1, 1],  # Ann, Di | Ann | Di
        tables.INFO_BOTH: ["", 1, 1],
    }


# --- Q19a1, Q19a2, Q19b --------------------------------------------------------------------------------


def test_h4_q19a1_income_change_for_stayers(incomes):
    """Only Ann: a stayer with an annual assessment in the window and income known at both
    points (Bo's is outside the window; Fay and Cy are not due). Earned $500 -> $500
    (same), other $0 -> $300 (gained), total $500 -> $800 (more). Columns: lost, less,
    same, more, gained, neither, total adults, performance measure, percent."""
    q = dict(tables_of("apr", incomes["ann"].project)["Q19a1"])
    assert q == {
        "Number of Adults with Earned Income (i.e., Employment Income)": [0, 0, 1, 0, 0, 0, 1, 0, "0.00%"],
        "Average Change in Earned Income": ["0.00", "0.00", "", "0.00", "0.00", "", "", "0.00", ""],
        "Number of Adults with Other Income": [0, 0, 0, 0, 1, 0, 1, 1, "100.00%"],
        "Average Change in Other Income": ["0.00", "0.00", "", "0.00", "300.00", "", "", "300.00", ""],
        "Number of Adults with Any Income (i.e., Total Income)": [0, 0, 0, 1, 0, 0, 1, 1, "100.00%"],
        "Average Change in Overall Income": ["0.00", "0.00", "", "300.00", "0.00", "", "300.00", "300.00", ""],
    }


def test_h4_q19a2_income_change_for_leavers(incomes):
    """Only Di (Ed prefers not to answer at start and has no exit record): earned $0 ->
    $400 (gained), other $900 -> $900 (same), total $900 -> $1,300 (more)."""
    q = dict(tables_of("apr", incomes["ann"].project)["Q19a2"])
    assert q == {
        "Number of Adults with Earned Income (i.e., Employment Income)": [0, 0, 0, 0, 1, 0, 1, 1, "100.00%"],
        "Average Change in Earned Income": ["0.00", "0.00", "", "0.00", "400.00", "", "", "400.00", ""],
        "Number of Adults with Other Income": [0, 0, 1, 0, 0, 0, 1, 0, "0.00%"],
        "Average Change in Other Income": ["0.00", "0.00", "", "0.00", "0.00", "", "", "0.00", ""],
        "Number of Adults with Any Income (i.e., Total Income)": [0, 0, 0, 1, 0, 0, 1, 1, "100.00%"],
        "Average Change in Overall Income": ["0.00", "0.00", "", "400.00", "0.00", "", "400.00", "400.00", ""],
    }


def test_h4_q19b_disabling_conditions_and_income_at_exit(incomes):
    """Adult leavers with 3.08 yes/no and an exit record answering 4.02 yes/no: Di only
    (Ed has no exit record), disabling condition yes, adults only (AO). She has earned
    income and SSDI at exit. Per household type: with DC, without, total, % with DC."""
    q = dict(tables_of("caper", incomes["ann"].project)["Q19b"])
    none = [0, 0, 0, "0.00%"]
    assert q["Earned Income"] == [1, 0, 1, "100.00%", *none, *none]
    assert q["Social Security Disability Insurance (SSDI)"] == [1, 0, 1, "100.00%", *none, *none]
    assert q["Supplemental Security Income (SSI)"] == none * 3
    assert q["No Sources"] == none * 3
    assert q["Unduplicated Total Adults"] == [1, 0, 1, "", 0, 0, 0, "", 0, 0, 0, ""]
    assert len(q) == 17


# --- Q20a, Q20b, Q21 -----------------------------------------------------------------------------------


def test_h4_q20a_q20b_non_cash_benefits(incomes):
    found = tables_of("apr", incomes["ann"].project)
    q = dict(found["Q20a"])
    # Start: Ann SNAP. Annual: Ann SNAP and WIC. Exit: Di none.
    assert q[tables.Q20_LABELS[0]] == [1, 1, 0]
    assert q[tables.Q20_LABELS[1]] == [0, 1, 0]
    assert all(q[label] == [0, 0, 0] for label in tables.Q20_LABELS[2:])
    q = dict(found["Q20b"])
    assert q == {
        "No Sources": [2, 0, 1],  # Bo, Fay at start; Di at exit
        "1 + Source(s)": [1, 1, 0],  # Ann
        tables.DK_PNTA: [1, 0, 0],  # Di at start (8)
        # Start: Cy (no start record), Ed (not asked). Annual: Fay, Cy (not due), Bo (outside
        # the window). Exit: Ed (no exit record).
        "Data Not Collected/Not stayed long enough for Annual Assessment": [2, 3, 1],
        "Total": [6, 4, 2],
    }


def test_h4_q21_health_insurance_of_every_person(incomes):
    """All persons, children included (4.04 is asked of all): 7 at start, 5 stayers, 2 leavers."""
    q = dict(tables_of("apr", incomes["ann"].project)["Q21"])
    assert q == {
        "Medicaid": [2, 1, 0],  # Ann and Kid at start; Ann at the annual assessment
        "Medicare": [0, 0, 0],  # Cy's record is a day after his start: not counted
        "State Children's Health Insurance Program": [1, 0, 0],  # Kid
        "Veteran's Health Administration (VHA) Medical Services": [0, 0, 0],
        "Employer-Provided Health Insurance": [0, 0, 0],
        "Health Insurance Obtained Through COBRA": [0, 0, 0],
        "Private Pay Health Insurance": [0, 0, 0],
        "State Health Insurance for Adults": [0, 0, 0],
        "Indian Health Services Program": [0, 0, 0],
        "Other": [0, 0, 0],
        "No Health Insurance": [2, 0, 1],  # Fay, Bo | Di at exit
        tables.DK_PNTA: [1, 0, 0],  # Di at start
        # Start: Cy, Ed. Annual: Kid (due with Ann's anniversary, none), Bo (outside). Exit: Ed.
        tables.NOT_COLLECTED: [2, 2, 1],
        "Number of Stayers Not Yet Required to Have an Annual Assessment": ["", 2, ""],  # Fay, Cy
        "1 Source of Health Insurance": [1, 1, 0],  # Ann
        "More than 1 Source of Health Insurance": [1, 0, 0],  # Kid
    }


def test_h4_income_questions_are_in_the_reports_hud_puts_them_in(incomes, tmp_path):
    """Notes 6.1/6.2: the APR has Q16-Q21 (Q19a1, Q19a2, Q19b, Q20a, Q20b); the CAPER has
    Q16, Q17, Q19b, Q20a and Q21 only; the Data Quality report none. Each drills down:
    Q16's "$501 - $1,000" at start is Di."""
    (tmp_path / "apr").mkdir()
    (tmp_path / "caper").mkdir()
    apr = written(tmp_path / "apr", "apr", incomes["ann"].project)
    assert {"Q16", "Q17", "Q18", "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21"} <= set(apr)
    caper = written(tmp_path / "caper", "caper", incomes["ann"].project)
    income = {"Q16", "Q17", "Q18", "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21"}
    assert income & set(caper) == {"Q16", "Q17", "Q19b", "Q20a", "Q21"}
    assert not income & set(tables.REPORTS["dq"][1])
    from agencies.models import Project

    q16 = next(t for t in tables.build("apr", Project.objects.filter(pk=incomes["ann"].project.pk),
                                       date(2026, 1, 1), date(2026, 6, 30)) if t.code == "Q16")
    cells = dict(q16.rows)["$501 - $1,000"]
    assert cells[0].ids == {incomes["di"].client.client_id} and cells[1].ids == {incomes["ann"].client.client_id}
