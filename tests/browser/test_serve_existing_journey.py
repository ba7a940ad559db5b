"""Issue 21, duplicates: a case worker finds a client another agency serves, chooses
"Serve this client", records consent (C1) and links them: no name typed again, no second
client created (D5). axe checks each page at desktop width and at 375 px (a phone)."""

import re

import pytest
from django.core.management import call_command

from clients.models import Client

from .conftest import axe_both_widths, sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def test_d5_search_serve_this_client_consent_links_without_a_second_client(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(search_name="rosa delgado")
    clients_before = Client.objects.count()

    sign_in_as(page, "worker_b")
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name or HMIS Client ID").fill("Rosa Delgadoo")
    page.get_by_role("cell", name="Rosa Delgado").wait_for()
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name=f"Serve this client {rosa.display_id}").click()

    # Consent first, as always (C1); the page says who is being served, by Client ID.
    page.wait_for_url(re.compile(r"/clients/intake/\?from=start$"))
    assert "rosa" not in page.url.lower() and "delgado" not in page.url.lower()  # E1
    assert page.get_by_test_id("serving").get_by_text(f"Serving client {rosa.display_id}").is_visible()
    axe_both_widths(page, axe_clean)
    page.get_by_label("Project serving the client").select_option(label="Northside Transitional Housing")
    tick(page, "Full: participating agencies")
    tick(page, "I told the client that someone at risk")
    page.get_by_role("button", name="Record consent").click()

    # The client step: linking is the one primary action, nothing to type.
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    serving = page.get_by_test_id("serving")
    assert serving.get_by_text("Rosa Delgado").is_visible()
    assert page.get_by_label(re.compile(r"^First name")).count() == 0
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name=f"Link {rosa.display_id}").click()
    page.get_by_test_id("covered").get_by_text("Rosa Delgado").wait_for()
    axe_both_widths(page, axe_clean)

    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(rf"/clients/{rosa.client_id}/$"))
    assert page.get_by_text("Your agency serves this client").is_visible()
    assert Client.objects.count() == clients_before
    assert Client.objects.filter(search_name="rosa delgado").count() == 1


def test_d5_a_match_found_at_intake_makes_link_primary_and_asks_why_to_create_anyway(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(search_name="rosa delgado")
    sign_in_as(page, "worker_b")
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Name or HMIS Client ID").fill("Delgado, Rosa")
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="None of these: start an intake with what you typed").click()
    page.wait_for_url(re.compile(r"/clients/intake/\?from=start$"))
    page.get_by_label("Project serving the client").select_option(label="Northside Transitional Housing")
    tick(page, "Full: participating agencies")
    tick(page, "I told the client that someone at risk")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    # What was typed in the search is in the form: nothing typed is lost.
    assert page.get_by_label(re.compile(r"^First name")).input_value() == "Rosa"
    assert page.get_by_label(re.compile(r"^Last name")).input_value() == "Delgado"
    tick(page, "Data not collected")
    tick(page, "Full DOB reported")
    tick(page, "White")
    page.get_by_role("button", name="Check for existing clients").click()
    page.locator("#matches-heading").wait_for()
    link = page.get_by_role("button", name=f"Link {rosa.display_id}")
    assert "usa-button--outline" not in link.get_attribute("class")
    create = page.get_by_role("button", name="None of these: create a new client anyway")
    assert "usa-button--outline" in create.get_attribute("class")
    axe_both_widths(page, axe_clean)
    create.click()  # no reason given: refused, with the reason asked for and focus on the summary
    page.get_by_test_id("error-summary").wait_for()
    assert Client.objects.filter(search_name="rosa delgado").count() == 1
    axe_both_widths(page, axe_clean)
    link = page.get_by_role("button", name=f"Link {rosa.display_id}")
    link.click()
    page.get_by_test_id("covered").get_by_text("Rosa Delgado").wait_for()
    assert Client.objects.filter(search_name="rosa delgado").count() == 1
