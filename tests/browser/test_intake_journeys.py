"""Journeys of issue 'Consent-first client records': intakes with full, limited and
no sharing under each CoC switch, and a search that links instead of duplicating.
axe checks every page visited."""

import re

import pytest
from django.core.management import call_command

from clients.models import Client
from consent.models import OptOutTally

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def consent(page, axe_clean, *, project, sharing, verbal=False):
    page.get_by_role("link", name="New intake").click()
    page.wait_for_url(re.compile(r"/clients/intake/$"))
    assert page.get_by_text("lock their record").first.is_visible()  # C10 warning before signing
    axe_clean(page)
    page.get_by_label("Project serving the client").select_option(label=project)
    tick(page, sharing)
    if verbal:
        tick(page, "Verbal")
    tick(page, "I told the client that someone at risk")
    page.get_by_role("button", name="Record consent").click()


def enter_client(page, axe_clean, *, first, last, dob, ssn="", race="White"):
    page.get_by_label(re.compile(r"^First name")).fill(first)
    page.get_by_label(re.compile(r"^Last name")).fill(last)
    page.get_by_label(re.compile(r"^Social Security Number")).fill(ssn)
    tick(page, "Full SSN reported" if ssn else "Data not collected")
    page.get_by_label(re.compile(r"^Date of birth")).first.fill(dob)
    tick(page, "Full DOB reported")
    tick(page, race)
    page.get_by_role("button", name="Check for existing clients").click()
    page.locator("#matches-heading").wait_for()
    axe_clean(page)


def test_c1_c2_intake_with_full_sharing(page, axe_clean, demo):
    sign_in_as(page, "worker_a")
    consent(page, axe_clean, project="Riverbend Emergency Shelter", sharing="Full: participating agencies", verbal=True)
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    assert page.get_by_text("Consent recorded").is_visible()
    axe_clean(page)
    enter_client(page, axe_clean, first="Beatriz", last="Achterberg", dob="1993-02-14", ssn="212-55-0199")
    assert page.get_by_text("No existing client matches").is_visible()
    page.get_by_role("button", name="Create the client").click()
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    assert page.get_by_test_id("covered").get_by_text("Beatriz Achterberg").is_visible()
    axe_clean(page)
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(r"/clients/[0-9A-Z]{8}/$"))
    assert page.get_by_text("XXX-XX-0199").is_visible()
    axe_clean(page)
    page.get_by_role("button", name=re.compile("Reveal SSN")).click()
    page.get_by_text("212-55-0199").wait_for()


def test_c2_intake_with_limited_sharing_shows_other_agencies_identifiers_only(page, axe_clean, demo, browser, live_server):
    sign_in_as(page, "worker_a")
    consent(page, axe_clean, project="Riverbend Rapid Re-Housing", sharing="Limited: other agencies")
    enter_client(page, axe_clean, first="Odalys", last="Fairweather", dob="1987-10-30", ssn="212-55-0288")
    page.get_by_role("button", name="Create the client").click()
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(r"/clients/[0-9A-Z]{8}/$"))
    client_url = page.url

    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in_as(other, "worker_b")
    other.goto(client_url)
    assert other.get_by_text("Basic identifiers only").is_visible()
    assert other.get_by_role("heading", name="Demographics").count() == 0
    axe_clean(other)
    other.context.close()


def test_c3_no_sharing_under_no_record_ends_with_offline_guidance(page, axe_clean, demo):
    clients_before = Client.objects.count()
    sign_in_as(page, "worker_a")
    consent(page, axe_clean, project="Riverbend Emergency Shelter", sharing="No sharing")
    page.wait_for_url(re.compile(r"/clients/intake/declined/\d+/$"))
    assert page.get_by_role("heading", name="No HMIS record for this client").is_visible()
    axe_clean(page)
    with page.expect_download() as spanish:
        page.get_by_role("link", name=re.compile("español")).click()
    assert spanish.value.suggested_filename == "offline-intake-form-es.pdf"
    assert Client.objects.count() == clients_before
    assert OptOutTally.objects.get(project__name="Riverbend Emergency Shelter").count == 2  # seed had 1


def test_c3_no_sharing_under_locked_record_locks_the_record_first(page, axe_clean, demo):
    sign_in_as(page, "worker_c")
    consent(page, axe_clean, project="Prairie Night Shelter", sharing="No sharing")
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    assert page.get_by_text("locked to Agency C").is_visible()
    enter_client(page, axe_clean, first="Wendell", last="Strausbaugh", dob="1961-07-07")
    page.get_by_role("button", name="Create the client").click()
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(r"/clients/[0-9A-Z]{8}/$"))
    assert page.get_by_text(re.compile("Locked to Agency C")).first.is_visible()
    axe_clean(page)
    created = Client.objects.get(search_name="wendell strausbaugh")
    assert created.locked_to_agency.name.startswith("Agency C")


def test_d5_search_finds_an_existing_client_and_the_intake_links_instead_of_duplicating(page, axe_clean, demo):
    sign_in_as(page, "worker_b")
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name or HMIS Client ID").fill("Rosa Delgadoo")
    page.get_by_role("cell", name="Rosa Delgado").wait_for()  # htmx, as you type, despite the typo
    axe_clean(page)
    consent(page, axe_clean, project="Northside Transitional Housing", sharing="Full: participating agencies")
    enter_client(page, axe_clean, first="Rosa", last="Delgado", dob="1984-03-09")
    assert page.get_by_text("This may be someone already in the HMIS").is_visible()
    rosa = Client.objects.get(search_name="rosa delgado")
    page.get_by_role("button", name=f"Link {rosa.display_id}").click()
    page.get_by_test_id("covered").get_by_text("Rosa Delgado").wait_for()
    axe_clean(page)
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(rf"/clients/{rosa.client_id}/$"))
    assert page.get_by_text("Your agency serves this client").is_visible()
    assert Client.objects.filter(search_name="rosa delgado").count() == 1
