"""Issue 16, its first "done when": a family of three (head, partner, child of 8) from
intake through project start, an update, an annual assessment and an exit to a
subsidized rental, in the browser as a case worker; then the HMIS Lead downloads the
HMIS CSV export and every answer the journey typed is read back from its file and
column. axe on every page (desktop), and at 375 px on the enroll, update and exit pages.

The project is Riverbend Rapid Re-Housing (hmis/demo.py: agency A, CoC MO-500, funded
by CoC RRH), whose forms ask income, benefits, insurance, disabilities and DV (the
common elements, agencies/requirements.py)."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command

from enrollments.models import Enrollment
from hmis import dates

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "Riverbend Rapid Re-Housing"
SURNAME = "Vasquez-Oyelaran"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# The household's days. The stay starts 360 days ago (consent signed that day, so it
# covers the start, C6), the update 100 days in, and the annual assessment today: within
# 30 days of the head's first anniversary (enrollments/services.annual_due_window).
TODAY = dates.today()
ENTRY = TODAY - timedelta(days=360)
UPDATE_DAY = ENTRY + timedelta(days=100)
# The child is 8 at project start (8 years and about 40 days old on ENTRY).
CHILD_DOB = ENTRY - timedelta(days=8 * 365 + 40)
HEAD_DOB, PARTNER_DOB = "1987-03-14", "1985-11-02"


# --- page helpers --------------------------------------------------------------------


def checked_and_at_phone_width(page, axe_clean):
    """axe at desktop width, then at 375 px (the layout changes, so can its faults)."""
    axe_clean(page)
    page.set_viewport_size(PHONE)
    axe_clean(page)
    page.set_viewport_size(DESKTOP)


def mark(page, name, *, on=True):
    """A source / type checkbox (USWDS hides the input: click its label)."""
    box = page.locator(f"input[type=checkbox][name={name}]")
    if box.is_checked() != on:
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked() == on, name


def answer(page, name, value):
    page.locator(f"select[name={name}]").select_option(value)


def settle(page, select, **option):
    """The enroll page asks the server which 3.917 questions follow an answer and swaps
    them in (static/js/hmis.js): wait for that answer before typing the next."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    try:
        with page.expect_response(lambda r: r.request.method == "POST" and "/enrollments/enroll/" in r.url,
                                  timeout=5_000):
            select.select_option(**option)
    except PlaywrightTimeout:
        return  # nothing was re-asked
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def add_person(page, first, dob, axe_clean):
    page.get_by_label(re.compile(r"^First name")).fill(first)
    page.get_by_label(re.compile(r"^Last name")).fill(SURNAME)
    tick(page, "Data not collected")  # SSN not collected: SSNDataQuality 99
    page.get_by_label(re.compile(r"^Date of birth")).first.fill(dob)
    tick(page, "Full DOB reported")  # DOBDataQuality 1
    tick(page, "White")  # White 1, every other race 0
    page.get_by_role("button", name="Check and add this person").click()
    page.get_by_test_id("covered").get_by_text(f"{first} {SURNAME}").wait_for()
    axe_clean(page)


def read_export(path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {name: list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8-sig")))
                for name in archive.namelist() if name.endswith(".csv")}


def only(rows, **where):
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


# --- the journey ---------------------------------------------------------------------


def intake_and_enroll_the_family(page, axe_clean) -> dict:
    """Steps 1 and 2 as worker_a: intake, the household's project start, and the
    partner's and the child's own start answers. Returns the stays by first name."""
    call_command("seed_demo", verbosity=0)
    sign_in_as(page, "worker_a")

    # 1. Intake: consent first (dated the project start), then head, partner and child.
    page.get_by_role("link", name="New intake").click()
    page.wait_for_url(re.compile(r"/clients/intake/$"))
    axe_clean(page)
    page.get_by_label("Project serving the client").select_option(label=PROJECT)
    tick(page, "Full: participating agencies")
    page.get_by_label(re.compile("^Date signed or given")).fill(ENTRY.isoformat())
    tick(page, "I told the client that someone at risk")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    axe_clean(page)
    add_person(page, "Marisol", HEAD_DOB, axe_clean)
    add_person(page, "Tunde", PARTNER_DOB, axe_clean)
    add_person(page, "Ines", CHILD_DOB.isoformat(), axe_clean)
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(r"/clients/[0-9A-Z]{8}/$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith(f"Marisol {SURNAME}")  # lands on the head
    axe_clean(page)

    # 2. Enroll the household: the head's 3.917 and project-start answers.
    page.get_by_role("link", name="Enroll in a project").click()
    page.wait_for_url(re.compile(r"/enrollments/enroll/"))
    checked_and_at_phone_width(page, axe_clean)
    settle(page, page.get_by_label(re.compile(r"^Project")).first, label=PROJECT)
    page.get_by_label(re.compile(r"^Project start date")).fill(ENTRY.isoformat())
    page.get_by_label(re.compile(r"^Date the information was collected")).fill(ENTRY.isoformat())
    head_row = page.get_by_label(re.compile(f"^Marisol {SURNAME}"))
    assert head_row.evaluate("s => s.options[s.selectedIndex].text") == "Self (head of household)"
    page.get_by_label(re.compile(f"^Tunde {SURNAME}")).select_option("3")  # spouse or partner
    page.get_by_label(re.compile(f"^Ines {SURNAME}")).select_option("2")  # child
    settle(page, page.get_by_label(re.compile(r"^Prior living situation")), value="116")  # place not meant for habitation
    settle(page, page.get_by_label(re.compile(r"^Length of stay")), value="4")  # one month or more, under 90 days
    page.get_by_label(re.compile(r"^Approximate date this episode")).fill((ENTRY - timedelta(days=60)).isoformat())
    page.get_by_label(re.compile(r"^Times homeless")).select_option("1")  # one time
    page.get_by_label(re.compile(r"^Months homeless")).select_option("102")  # 2 months
    page.get_by_label(re.compile(r"^Disabling condition")).select_option("1")  # Yes: the disability below
    answer(page, "income_from_any_source", "1")
    mark(page, "earned")
    page.locator("[name=earned_amount]").fill("1200.00")
    mark(page, "child_support")
    page.locator("[name=child_support_amount]").fill("300.00")
    answer(page, "benefits_from_any_source", "1")
    mark(page, "snap")
    answer(page, "insurance_from_any_source", "1")
    mark(page, "medicaid")
    for name in ("physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
                 "substance_use_disorder"):
        answer(page, name, "0")
    answer(page, "mental_health_disorder", "1")
    answer(page, "mental_health_disorder_indefinite", "1")  # long-continued and indefinite: Yes
    answer(page, "domestic_violence_survivor", "0")
    axe_clean(page)
    page.get_by_role("button", name="Enroll", exact=True).click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    axe_clean(page)

    stays = {s.client.first_name: s for s in Enrollment.objects.filter(client__last_name=SURNAME)
             .select_related("client")}
    head, partner, child = stays["Marisol"], stays["Tunde"], stays["Ines"]
    assert page.url.endswith(f"/enrollments/{head.enrollment_id}/")

    # The partner's project-start answers, on the partner's own stay: an adult is asked
    # income, benefits, insurance, disabilities and DV (enrollments/elements.py).
    page.goto(f"/enrollments/{partner.enrollment_id}/")
    page.get_by_role("link", name="Project-start answers of this member").click()
    page.wait_for_url(re.compile(r"/start-answers/$"))
    axe_clean(page)
    answer(page, "income_from_any_source", "1")
    mark(page, "unemployment")
    page.locator("[name=unemployment_amount]").fill("450.00")
    answer(page, "benefits_from_any_source", "0")
    answer(page, "insurance_from_any_source", "0")
    for name in ("physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
                 "mental_health_disorder", "substance_use_disorder"):
        answer(page, name, "0")
    answer(page, "domestic_violence_survivor", "0")
    page.get_by_role("button", name="Record answers").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    # The partner's 3.917 and 3.08 (asked of every adult): on the stay's entry answers page.
    page.get_by_role("link", name="Change entry answers or move-in date").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    axe_clean(page)
    page.get_by_label(re.compile(r"^Prior living situation")).select_option("116")
    page.get_by_label(re.compile(r"^Length of stay")).select_option("4")
    page.get_by_label(re.compile(r"^Disabling condition")).select_option("0")
    page.get_by_role("button", name="Save", exact=True).click()
    # This page has no live re-asking: the homelessness history that follows a homeless
    # situation (3.917B) is asked when the page comes back, what was typed kept.
    page.locator("[data-error-summary]").wait_for()
    axe_clean(page)
    assert page.get_by_label(re.compile(r"^Prior living situation")).input_value() == "116"
    page.get_by_label(re.compile(r"^Approximate date this episode")).fill((ENTRY - timedelta(days=60)).isoformat())
    page.get_by_label(re.compile(r"^Times homeless")).select_option("1")
    page.get_by_label(re.compile(r"^Months homeless")).select_option("102")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))

    # The child's: HUD asks a child insurance and disabilities only (4.04, 4.05–4.10).
    page.goto(f"/enrollments/{child.enrollment_id}/")
    page.get_by_role("link", name="Project-start answers of this member").click()
    page.wait_for_url(re.compile(r"/start-answers/$"))
    axe_clean(page)
    for not_asked in ("income_from_any_source", "benefits_from_any_source", "domestic_violence_survivor"):
        assert page.locator(f"[name={not_asked}]").count() == 0, not_asked
    answer(page, "insurance_from_any_source", "1")
    mark(page, "schip")
    for name in ("physical_disability", "chronic_health_condition", "hiv_aids", "mental_health_disorder",
                 "substance_use_disorder"):
        answer(page, name, "0")
    answer(page, "developmental_disability", "1")  # no "indefinite" follow-up: disabling as such (4.06)
    page.get_by_role("button", name="Record answers").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    # 3.08 is asked of every client; the enroll page asks the head's only. The child's
    # developmental disability makes it Yes: on the child's entry answers page, which
    # asks no 3.917 of a child (asked of heads and adults).
    page.get_by_role("link", name="Change entry answers or move-in date").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    axe_clean(page)
    assert page.locator("[name=living_situation]").count() == 0
    page.get_by_label(re.compile(r"^Disabling condition")).select_option("1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    return stays


def download_the_export_as_the_lead(page, tmp_path) -> dict[str, list[dict]]:
    """The HMIS Lead signs in and downloads the HMIS CSV export of all CoCs."""
    page.context.clear_cookies()
    sign_in_as(page, "lead")
    page.goto("/reports/hmis-csv/export/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    export_path = tmp_path / "export.zip"
    download.value.save_as(export_path)
    return read_export(export_path)


def test_family_of_three_from_intake_to_exit_reads_back_from_the_hmis_csv_export(page, axe_clean, tmp_path):
    stays = intake_and_enroll_the_family(page, axe_clean)
    head = stays["Marisol"]

    # 3. An update for the head: it starts from the start answers, marked carried forward.
    page.goto(f"/enrollments/{head.enrollment_id}/")
    page.get_by_role("link", name="Update or annual assessment").click()
    page.wait_for_url(re.compile(r"/assessments/new/$"))
    assert page.get_by_test_id("carried-forward").is_visible()
    assert page.locator("[name=earned_amount]").input_value() == "1200.00"
    assert page.locator("[name=child_support_amount]").input_value() == "300.00"
    assert page.locator("input[name=snap]").is_checked() and page.locator("input[name=medicaid]").is_checked()
    assert page.locator("select[name=mental_health_disorder_indefinite]").input_value() == "1"
    page.get_by_label(re.compile(r"^Stage")).select_option(label="Update")
    page.get_by_label(re.compile(r"^Date the information was collected")).fill(UPDATE_DAY.isoformat())
    page.locator("[name=earned_amount]").fill("1350.00")  # a raise: the one changed answer
    # The carried total ($1,500.00) no longer adds up: the case worker types the new one.
    page.locator("[name=total_monthly_income]").fill("1650.00")
    checked_and_at_phone_width(page, axe_clean)
    page.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    axe_clean(page)

    # 4. The annual assessment: carried forward from the update; child support has stopped.
    page.get_by_role("link", name="Update or annual assessment").click()
    page.wait_for_url(re.compile(r"/assessments/new/$"))
    assert page.get_by_test_id("carried-forward").is_visible()
    assert page.locator("[name=earned_amount]").input_value() == "1350.00"  # the update's answer
    page.get_by_label(re.compile(r"^Stage")).select_option(label="Annual assessment")
    page.get_by_label(re.compile(r"^Date the information was collected")).fill(TODAY.isoformat())
    mark(page, "child_support", on=False)
    page.locator("[name=total_monthly_income]").fill("1350.00")
    axe_clean(page)
    page.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    axe_clean(page)

    # 5. Exit the household to a rental with an HCV voucher; answers carried from the annual.
    page.get_by_role("link", name="Exit the household").click()
    page.wait_for_url(re.compile(r"/exit/$"))
    assert page.get_by_test_id("carried-forward").is_visible()
    assert page.locator("[name=earned_amount]").input_value() == "1350.00"
    assert not page.locator("input[name=child_support]").is_checked()
    page.get_by_label(re.compile(r"^Project exit date")).fill(TODAY.isoformat())
    page.get_by_label(re.compile(r"^Destination")).select_option("435")
    page.get_by_label(re.compile(r"^Type of the ongoing housing subsidy")).select_option("433")
    checked_and_at_phone_width(page, axe_clean)
    page.get_by_role("button", name="Record exit").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    axe_clean(page)
    assert set(Enrollment.objects.filter(client__last_name=SURNAME).values_list("exit_date", flat=True)) == {TODAY}

    # 6. The HMIS Lead downloads the export (all CoCs) in the browser.
    files = download_the_export_as_the_lead(page, tmp_path)
    axe_clean(page)  # the export page, still shown after the download

    # 7. Every answer typed above, cell by cell.
    ids = {name: stay.client.client_id for name, stay in stays.items()}
    hid, pid, cid = ids["Marisol"], ids["Tunde"], ids["Ines"]

    # Client.csv: the names and dates of birth typed at intake; SSN "Data not collected"
    # is SSNDataQuality 99 (3.02.2); "Full DOB reported" is DOBDataQuality 1 (3.03.2);
    # White ticked is White 1 and every other race/ethnicity 0 (3.04).
    for first, dob in (("Marisol", HEAD_DOB), ("Tunde", PARTNER_DOB), ("Ines", CHILD_DOB.isoformat())):
        row = only(files["Client.csv"], PersonalID=ids[first])
        assert (row["FirstName"], row["LastName"], row["DOB"]) == (first, SURNAME, dob)
        assert (row["SSN"], row["SSNDataQuality"], row["DOBDataQuality"]) == ("", "99", "1")
        assert row["White"] == "1" and row["BlackAfAmerican"] == "0" and row["Asian"] == "0"

    # Enrollment.csv: one household, RelationshipToHoH 1 self / 3 partner / 2 child (3.15);
    # the head's 3.917: 116, LengthOfStay 4, the episode's date, 1 time, 102 = 2 months;
    # DisablingCondition 1 (typed Yes).
    project_id = str(head.project_id)
    head_row = only(files["Enrollment.csv"], PersonalID=hid)
    partner_row = only(files["Enrollment.csv"], PersonalID=pid)
    child_row = only(files["Enrollment.csv"], PersonalID=cid)
    assert [r["RelationshipToHoH"] for r in (head_row, partner_row, child_row)] == ["1", "3", "2"]
    # The partner's, typed on the entry answers page: the same history, no disabling condition (0).
    assert (partner_row["LivingSituation"], partner_row["LengthOfStay"], partner_row["DateToStreetESSH"],
            partner_row["TimesHomelessPastThreeYears"], partner_row["MonthsHomelessPastThreeYears"],
            partner_row["DisablingCondition"]) == ("116", "4", (ENTRY - timedelta(days=60)).isoformat(), "1", "102", "0")
    # The child: 3.917 is not asked of a child (empty); DisablingCondition 1, typed on the
    # child's entry answers page.
    assert (child_row["LivingSituation"], child_row["DisablingCondition"]) == ("", "1")
    assert {r["HouseholdID"] for r in (head_row, partner_row, child_row)} == {head.household_id}
    assert {r["ProjectID"] for r in (head_row, partner_row, child_row)} == {project_id}
    assert {r["EntryDate"] for r in (head_row, partner_row, child_row)} == {ENTRY.isoformat()}
    assert head_row["EnrollmentCoC"] == "MO-500"  # the project's CoC (3.16)
    assert (head_row["LivingSituation"], head_row["LengthOfStay"], head_row["DateToStreetESSH"],
            head_row["TimesHomelessPastThreeYears"], head_row["MonthsHomelessPastThreeYears"],
            head_row["DisablingCondition"]) == ("116", "4", (ENTRY - timedelta(days=60)).isoformat(), "1", "102", "1")

    # Exit.csv: every member exits today (the household exits together) to 435 with
    # DestinationSubsidyType 433, HCV voucher (3.12, 3.12.A).
    for person in (hid, pid, cid):
        row = only(files["Exit.csv"], PersonalID=person)
        assert (row["ExitDate"], row["Destination"], row["DestinationSubsidyType"]) == (TODAY.isoformat(), "435", "433")

    # IncomeBenefits.csv, the head: DataCollectionStage 1 start, 2 update, 5 annual, 3 exit.
    income = files["IncomeBenefits.csv"]
    start = only(income, PersonalID=hid, DataCollectionStage="1")
    # Start: income Yes (1) from earned 1200.00 and child support 300.00; the total is
    # their sum, 1500.00 (4.02.18); SNAP Yes (4.03); Medicaid Yes (4.04), nothing else.
    assert start["InformationDate"] == ENTRY.isoformat()
    assert (start["IncomeFromAnySource"], start["Earned"], start["EarnedAmount"], start["ChildSupport"],
            start["ChildSupportAmount"], start["TotalMonthlyIncome"]) == ("1", "1", "1200.00", "1", "300.00", "1500.00")
    assert start["Unemployment"] == "0" and start["UnemploymentAmount"] == ""  # a source not marked: No, no amount
    assert (start["BenefitsFromAnySource"], start["SNAP"], start["WIC"]) == ("1", "1", "0")
    assert (start["InsuranceFromAnySource"], start["Medicaid"], start["Medicare"]) == ("1", "1", "0")
    update = only(income, PersonalID=hid, DataCollectionStage="2")
    # Update: the raise (1350.00) and its total 1650.00; the rest carried forward unchanged.
    assert update["InformationDate"] == UPDATE_DAY.isoformat()
    assert (update["EarnedAmount"], update["ChildSupportAmount"], update["TotalMonthlyIncome"]) == \
        ("1350.00", "300.00", "1650.00")
    assert (update["SNAP"], update["Medicaid"]) == ("1", "1")
    annual = only(income, PersonalID=hid, DataCollectionStage="5")
    # Annual: child support unmarked, so ChildSupport 0 and no amount; total = earned alone.
    assert annual["InformationDate"] == TODAY.isoformat()
    assert (annual["Earned"], annual["EarnedAmount"], annual["ChildSupport"], annual["ChildSupportAmount"],
            annual["TotalMonthlyIncome"]) == ("1", "1350.00", "0", "", "1350.00")
    at_exit = only(income, PersonalID=hid, DataCollectionStage="3")
    # Exit: the annual's answers, carried forward and confirmed.
    assert at_exit["InformationDate"] == TODAY.isoformat()
    assert (at_exit["EarnedAmount"], at_exit["ChildSupport"], at_exit["TotalMonthlyIncome"], at_exit["SNAP"],
            at_exit["Medicaid"]) == ("1350.00", "0", "1350.00", "1", "1")
    # The partner's start: unemployment 450.00 (the total, its sum), no benefits, no insurance.
    partner_start = only(income, PersonalID=pid, DataCollectionStage="1")
    assert (partner_start["IncomeFromAnySource"], partner_start["Unemployment"], partner_start["UnemploymentAmount"],
            partner_start["TotalMonthlyIncome"], partner_start["BenefitsFromAnySource"],
            partner_start["InsuranceFromAnySource"]) == ("1", "1", "450.00", "450.00", "0", "0")
    # The child's start: insurance only, SCHIP; income and benefits not asked of a child (empty).
    child_start = only(income, PersonalID=cid, DataCollectionStage="1")
    assert (child_start["InsuranceFromAnySource"], child_start["SCHIP"], child_start["Medicaid"]) == ("1", "1", "0")
    assert child_start["IncomeFromAnySource"] == "" and child_start["BenefitsFromAnySource"] == ""

    # Disabilities.csv: one row per type (list 1.3: 5 physical, 6 developmental, 7 chronic,
    # 8 HIV/AIDS, 9 mental health, 10 substance use). The head's mental health disorder is
    # Yes (1) with IndefiniteAndImpairs 1, at every stage (carried forward); other types 0.
    disabilities = files["Disabilities.csv"]
    for stage in ("1", "2", "5", "3"):
        mental = only(disabilities, PersonalID=hid, DataCollectionStage=stage, DisabilityType="9")
        assert (mental["DisabilityResponse"], mental["IndefiniteAndImpairs"]) == ("1", "1"), stage
        physical = only(disabilities, PersonalID=hid, DataCollectionStage=stage, DisabilityType="5")
        assert physical["DisabilityResponse"] == "0", stage
    # The child's developmental disability Yes: no IndefiniteAndImpairs asked (4.06).
    developmental = only(disabilities, PersonalID=cid, DataCollectionStage="1", DisabilityType="6")
    assert (developmental["DisabilityResponse"], developmental["IndefiniteAndImpairs"]) == ("1", "")
    assert only(disabilities, PersonalID=pid, DataCollectionStage="1", DisabilityType="9")["DisabilityResponse"] == "0"

    # HealthAndDV.csv: DV No (0) at the head's start and update (4.11: start and update
    # only, so no row at the annual assessment or exit); the partner's start No; none for the child.
    health = files["HealthAndDV.csv"]
    assert only(health, PersonalID=hid, DataCollectionStage="1")["DomesticViolenceSurvivor"] == "0"
    assert only(health, PersonalID=hid, DataCollectionStage="2")["DomesticViolenceSurvivor"] == "0"
    assert not [r for r in health if r["PersonalID"] == hid and r["DataCollectionStage"] in ("3", "5")]
    assert only(health, PersonalID=pid, DataCollectionStage="1")["DomesticViolenceSurvivor"] == "0"
    assert not [r for r in health if r["PersonalID"] == cid]


def test_exit_collects_each_members_exit_answers_for_the_hmis_csv_export(page, axe_clean, tmp_path):
    stays = intake_and_enroll_the_family(page, axe_clean)
    partner, child = stays["Tunde"], stays["Ines"]
    page.goto(f"/enrollments/{stays['Marisol'].enrollment_id}/")
    page.get_by_role("link", name="Exit the household").click()
    page.wait_for_url(re.compile(r"/exit/$"))
    page.get_by_label(re.compile(r"^Project exit date")).fill(TODAY.isoformat())
    page.get_by_label(re.compile(r"^Destination")).select_option("435")
    page.get_by_label(re.compile(r"^Type of the ongoing housing subsidy")).select_option("433")
    page.get_by_role("button", name="Record exit").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    # The household exited from the head's page; each other member's exit answers are asked on
    # their own stay, starting from their last answers (carried forward), confirmed as they are.
    assert "Record each other member's exit answers" in page.content()
    for stay in (partner, child):
        page.goto(f"/enrollments/{stay.enrollment_id}/")
        assert page.get_by_role("link", name="Update or annual assessment").count() == 0  # the stay is closed
        page.get_by_role("link", name="Exit answers of this member").click()
        page.wait_for_url(re.compile(r"/exit-answers/$"))
        assert "carried forward" in page.content()
        axe_clean(page)
        page.get_by_role("button", name="Record answers").click()
        page.wait_for_url(re.compile(rf"/enrollments/{stay.enrollment_id}/$"))

    files = download_the_export_as_the_lead(page, tmp_path)
    income, disabilities = files["IncomeBenefits.csv"], files["Disabilities.csv"]
    # Expected: the partner's exit row (DataCollectionStage 3) with their start answers carried
    # forward (unemployment 450.00), and the child's with insurance (SCHIP) and the
    # developmental disability (DisabilityType 6) Yes.
    partner_exit = [r for r in income if r["PersonalID"] == partner.client.client_id and r["DataCollectionStage"] == "3"]
    child_exit = [r for r in income if r["PersonalID"] == child.client.client_id and r["DataCollectionStage"] == "3"]
    child_disability = [r for r in disabilities if r["PersonalID"] == child.client.client_id
                        and r["DataCollectionStage"] == "3" and r["DisabilityType"] == "6"]
    assert [(r["IncomeFromAnySource"], r["UnemploymentAmount"]) for r in partner_exit] == [("1", "450.00")]
    assert [(r["InsuranceFromAnySource"], r["SCHIP"]) for r in child_exit] == [("1", "1")]
    assert [r["DisabilityResponse"] for r in child_disability] == ["1"]
