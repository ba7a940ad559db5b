"""Journeys of issue 'Compliance and client rights': a client's audit request from
logging to PDF; a second violation's 30-day suspension; a monitoring visit to its
compliance letter. axe checks every page visited."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import Agency, License
from clients.models import Client
from compliance.models import MonitoringVisit, Violation
from compliance.sanctions import run_sanctions
from hmis import dates
from hmis.models import User

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def downloaded_text(page, link_name) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    download = info.value
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(open(download.path(), "rb").read())).pages)
    text = " ".join(text.split())  # table cells wrap lines
    return text, download.suggested_filename


def test_r1_r2_a_clients_audit_request_from_logging_to_pdf(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(search_name="rosa delgado")
    sign_in_as(page, "worker_a")
    page.goto(f"/clients/{rosa.client_id}/")
    axe_clean(page)
    page.get_by_role("link", name="Copies, audits, corrections and grievances").click()
    page.wait_for_url(re.compile("/client-rights/"))
    axe_clean(page)
    tick(page, "An audit of who viewed")
    page.get_by_label("Written request received on").fill(dates.today().isoformat())
    page.get_by_label("Language of the printout").select_option("es")
    page.get_by_role("button", name="Log request").click()
    page.get_by_text("The request is logged with its due date.").wait_for()
    due = dates.add_business_days(dates.today(), 5)
    assert page.get_by_test_id("due").first.inner_text() == due.strftime("%m/%d/%Y")
    axe_clean(page)
    text, filename = downloaded_text(page, re.compile("Produce the printout"))
    assert filename == f"audit-{rosa.display_id}-es.pdf"
    assert "Quién accedió a su expediente" in text and "Wanda Walker" in text and "vio" in text
    assert "Client Advocate, 555-0142" in text


def test_s1_a_second_violation_suspends_30_days_whatever_the_remedy(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    omar = User.objects.get(username="outreach_ab")
    agency_a = Agency.objects.get(name__startswith="Agency A")
    agency_b = Agency.objects.get(name__startswith="Agency B")
    lead = User.objects.get(username="lead")
    Violation.objects.create(user=omar, agency=agency_b, occurred_on=dates.today() - timedelta(days=500),
                             description="Left a session open", tier=1, recorded_by=lead,
                             suspended_on=dates.today() - timedelta(days=500), lifted_at=timezone.now())

    sign_in_as(page, "lead")
    page.get_by_role("link", name="Compliance").click()
    axe_clean(page)
    page.get_by_role("link", name="Violations and sanctions").click()
    axe_clean(page)
    page.get_by_label("Person").select_option(label="outreach_ab")
    page.get_by_label("Agency where it happened").select_option(label=agency_a.name)
    page.get_by_label("Happened on").fill(dates.today().isoformat())
    page.get_by_label("What happened").fill("Printed a client list and left it on a bus")
    page.get_by_role("button", name="Record violation and suspend").click()
    page.get_by_role("heading", name=re.compile("2nd violation by")).wait_for()
    until = dates.today() + timedelta(days=30)
    assert page.get_by_test_id("minimum-until").inner_text() == until.strftime("%m/%d/%Y")
    axe_clean(page)
    assert set(License.objects.filter(user=omar).values_list("status", flat=True)) == {"suspended"}

    # the director reports the remedy from the agency's compliance page: it does not shorten the 30 days
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, "director_a")
    page.goto("/my-agency/")
    page.get_by_role("link", name=re.compile("^Compliance:")).click()
    axe_clean(page)
    page.get_by_label("What the agency did to remedy it").fill("Printing disabled; retrained on 11/20")
    page.get_by_role("button", name="Report the remedy").click()
    page.get_by_text("The remedy is reported to the HMIS Lead.").wait_for()
    assert page.get_by_text(f"at least until {until:%m/%d/%Y}").count() == 1
    axe_clean(page)
    assert set(License.objects.filter(user=omar).values_list("status", flat=True)) == {"suspended"}

    run_sanctions(until - timedelta(days=1))
    assert set(License.objects.filter(user=omar).values_list("status", flat=True)) == {"suspended"}
    run_sanctions(until)
    assert set(License.objects.filter(user=omar).values_list("status", flat=True)) == {"active"}
    page.reload()
    assert page.get_by_text(re.compile("Suspension: lifted")).count() == 1


def test_a11_a_monitoring_visit_to_its_compliance_letter(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    agency_a = Agency.objects.get(name__startswith="Agency A")
    sign_in_as(page, "lead")
    page.goto("/compliance/monitoring/")
    axe_clean(page)
    page.locator("#id_agency").select_option(label=agency_a.name)
    page.get_by_label("Visit date").fill((dates.today() + timedelta(days=13)).isoformat())
    page.get_by_role("button", name="Schedule and notify the agency").click()
    # The error is in the summary at the top and beside its field: the field's own message.
    page.locator("#id_visit_on_error").get_by_text(re.compile("Agencies get at least 2 weeks' notice")).wait_for()
    axe_clean(page)
    page.get_by_label("Visit date").fill((dates.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Schedule and notify the agency").click()
    page.get_by_role("heading", name=re.compile("Monitoring of Agency A")).wait_for()
    axe_clean(page)

    # three weeks pass: the visit took place
    visit = MonitoringVisit.objects.get()
    MonitoringVisit.objects.filter(pk=visit.pk).update(
        visit_on=dates.today() - timedelta(days=7), noticed_on=dates.today() - timedelta(days=21),
        letter_due_on=dates.add_business_days(dates.today() - timedelta(days=7), 10))
    page.reload()
    page.locator("#id_description").fill("Signed consent forms are not scanned")
    tick(page, "Not compliant")
    page.locator("#id_corrective_action").fill("Scan the signed ROIs of the last year")
    tick(page, "Riverbend Emergency Shelter")
    page.get_by_role("button", name="Add finding").click()
    page.get_by_text("Finding recorded.").wait_for()
    axe_clean(page)
    page.get_by_role("button", name="Send the compliance letter").click()
    page.get_by_test_id("letter").get_by_text(re.compile("Sent")).wait_for()
    axe_clean(page)
    text, filename = downloaded_text(page, "Compliance letter (PDF)")
    assert filename == f"compliance-letter-{visit.pk}.pdf"
    cure = dates.today() + timedelta(days=30)
    for expected in ("Agency Director: Dana Director", "Authorized Representatives: Ray Representative",
                     "HMIS Advisory Committee", "Signed consent forms are not scanned", "Riverbend Emergency Shelter",
                     cure.strftime("%m/%d/%Y")):
        assert expected in text, expected


PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_r1_r2_an_audit_request_taken_at_another_agency_is_produced_by_the_serving_one(page, axe_clean, viewport):
    """Issue 21: Rosa (served by Agency A) hands her audit request in at Agency B; Will at B
    logs it with her Client ID and date of birth and never sees her name; Wanda at A finds
    it waiting on her home page and produces the printout."""
    from compliance.models import ClientRightsRequest

    call_command("seed_demo", verbosity=0)
    if viewport:
        page.set_viewport_size(viewport)
    rosa = Client.objects.get(search_name="rosa delgado")
    sign_in_as(page, "worker_b")
    page.get_by_role("link", name="Client requests for a copy or an audit").click()
    axe_clean(page)
    page.get_by_label("HMIS Client ID").fill(rosa.display_id)
    page.get_by_label("Client's date of birth").fill(rosa.dob.isoformat())
    tick(page, "An audit of who viewed")
    page.get_by_label("Written request received on").fill(dates.today().isoformat())
    page.get_by_role("button", name="Log the request").click()
    page.get_by_text(re.compile(f"Logged for client {rosa.display_id}")).wait_for()
    axe_clean(page)
    assert "Delgado" not in page.content()
    made = ClientRightsRequest.objects.get()
    assert made.agency.name.startswith("Agency A") and made.taken_at.name.startswith("Agency B")

    page.context.clear_cookies()
    sign_in_as(page, "worker_a")
    assert page.get_by_test_id("rights-due").text_content() == "1 to produce"
    page.get_by_role("link", name="Client requests for a copy or an audit").click()
    axe_clean(page)
    page.get_by_test_id("to-produce").get_by_role("link", name=rosa.display_id).click()
    page.get_by_text(re.compile("Handed in at Agency B")).wait_for()
    axe_clean(page)
    text, filename = downloaded_text(page, re.compile("Produce the printout"))
    assert filename == f"audit-{rosa.display_id}-en.pdf" and "Who accessed your HMIS record" in text
    if viewport:  # nothing scrolls sideways at a phone's width
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
