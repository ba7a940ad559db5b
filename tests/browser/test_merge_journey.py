"""Issue 21, done when: the HMIS Lead merges a duplicate and undoes it. Agency A entered Grace
Yazzie a second time (Agency B's client); the Lead goes from the home page to the merge
page, compares the two records side by side, meets a clear error without losing what was
typed, merges the duplicate into B's record, finds the duplicate's page leading to the
survivor's, and undoes the merge. axe on every page at desktop width and at 375 px, where
nothing scrolls sideways."""

import re
from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import Project
from clients.models import CaseNote, Client, ClientMerge
from hmis.models import User

from .conftest import axe_both_widths, sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def test_the_lead_merges_a_duplicate_and_undoes_it(page, axe_clean):
    from playwright.sync_api import expect

    from clients.notes import note_add
    from tests.clients.states import license_of, make_client

    call_command("seed_demo", verbosity=0)
    grace = Client.objects.get(first_name="Grace", last_name="Yazzie")
    worker_a = User.objects.get(username="worker_a")
    shelter = Project.objects.get(name="Riverbend Emergency Shelter")
    duplicate = make_client(worker_a, project=shelter, first="Grace", last="Yazie", dob=grace.dob, ssn="219110007")
    note = note_add(actor=worker_a, license=license_of(worker_a, shelter.agency), client=duplicate,
                    text="Asked about the food pantry.", note_date=date.today())

    sign_in_as(page, "lead")
    page.goto("/")
    page.get_by_role("link", name="Merge duplicate client records").click()
    page.wait_for_url(re.compile(r"/clients/merges/$"))
    axe_both_widths(page, axe_clean)

    page.get_by_role("link", name="Merge two records").click()
    page.get_by_label("HMIS Client ID of the first record").fill(grace.display_id)
    page.get_by_label("HMIS Client ID of the second record").fill(duplicate.display_id)
    page.get_by_role("button", name="Compare the records").click()
    compare = page.locator("[data-testid=merge-compare]")
    expect(compare).to_contain_text("Yazzie")
    expect(compare).to_contain_text("Yazie")
    expect(compare).to_contain_text("Case notes: 1")
    axe_both_widths(page, axe_clean)

    # Merging without a reason or the confirmation: said plainly, the IDs and the choice kept
    tick(page, "Keep the first record")
    page.get_by_role("button", name="Merge the records").click()
    expect(page.locator("[data-testid=error-summary]")).to_contain_text("Say why these two records are the same person")
    expect(page.get_by_label("HMIS Client ID of the second record")).to_have_value(duplicate.display_id)
    axe_both_widths(page, axe_clean)

    tick(page, "Keep the first record")
    page.get_by_label("Why these are the same person").fill("Same SSN and date of birth; surname misspelled.")
    tick(page, "I checked that both records are the same person.")
    page.get_by_role("button", name="Merge the records").click()
    page.wait_for_url(re.compile(r"/clients/merges/$"))
    expect(page.locator(".hmis-messages")).to_contain_text(f"Client {duplicate.display_id} was merged into client "
                                                            f"{grace.display_id}")
    expect(page.locator("[data-testid=merge-row]").first).to_contain_text(duplicate.display_id)
    axe_both_widths(page, axe_clean)
    assert CaseNote.objects.get(pk=note.pk).client_id == grace.pk

    # The duplicate's page leads to the survivor's, which now holds the note
    page.goto(f"/clients/{duplicate.client_id}/")
    page.wait_for_url(re.compile(rf"/clients/{grace.client_id}/$"))
    axe_both_widths(page, axe_clean)

    page.goto("/clients/merges/")
    page.get_by_role("button", name=f"Undo the merge of {duplicate.display_id}").click()
    page.wait_for_url(re.compile(r"/clients/merges/$"))
    expect(page.locator(".hmis-messages")).to_contain_text("they are two records again")
    expect(page.locator("[data-testid=merge-row]").first).to_contain_text("Undone")
    axe_both_widths(page, axe_clean)
    assert CaseNote.objects.get(pk=note.pk).client_id == duplicate.pk
    assert ClientMerge.objects.get().undone_at is not None
