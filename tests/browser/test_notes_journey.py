"""Issue 21, case notes and files: a case worker at Agency A adds a note and uploads a file
on Rosa Delgado's page (full sharing), adds a note from her stay's page, meets a clear
error without losing what she typed, and a worker of Agency B sees the shared note.
axe on every page, at desktop width and at 375 px, and the section never scrolls sideways."""

import re

import pytest
from django.core.management import call_command

from clients.models import CaseNote, Client, ClientFile

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def checked_and_at_phone_width(page, axe_clean):
    axe_clean(page)
    page.set_viewport_size(PHONE)
    axe_clean(page)
    section = page.locator("[data-testid=notes-section]")
    if section.count():
        overflow = section.evaluate("el => el.scrollWidth - el.clientWidth")
        wide = section.evaluate("el => [...el.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > "
                                "el.getBoundingClientRect().right + 1).map(e => e.tagName + '.' + e.className + ' '"
                                " + Math.round(e.getBoundingClientRect().width)).slice(0, 8)")
        assert overflow <= 0, f"the notes section scrolls sideways by {overflow} px at 375 px: {wide}"
    page.set_viewport_size(DESKTOP)


def test_c12_e5_a_case_worker_adds_a_note_and_a_file_and_another_agency_sees_the_shared_note(page, axe_clean,
                                                                                            settings, tmp_path):
    from playwright.sync_api import expect

    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = "", ""  # no scanner: the file waits in quarantine (E5)
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(first_name="Rosa", last_name="Delgado")
    stay = rosa.enrollments.filter(agency__name__contains="Riverbend").first() or rosa.enrollments.first()

    sign_in_as(page, "worker_a")
    page.goto(f"/clients/{rosa.client_id}/")
    expect(page.get_by_role("heading", name="Notes and files")).to_be_visible()
    checked_and_at_phone_width(page, axe_clean)

    # A note on the client
    page.locator("summary", has_text="Add a note").click()
    page.locator("textarea[name=note-text]").fill("Met at the day center. Wants help replacing her ID.")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(re.compile(rf"/clients/{rosa.client_id}/$"))
    expect(page.locator("[data-testid=note]").first).to_contain_text("Wants help replacing her ID")
    checked_and_at_phone_width(page, axe_clean)

    # A file: kept in quarantine, so listed without a link until the scanner finds it clean
    page.locator("summary", has_text="Upload a file").click()
    page.locator("input[name=file-upload]").set_input_files(
        files=[{"name": "rosa-id-card.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 a scanned ID"}])
    page.locator("input[name=file-description]").fill("State ID, front and back")
    page.get_by_role("button", name="Upload file").click()
    page.wait_for_url(re.compile(rf"/clients/{rosa.client_id}/$"))
    expect(page.locator("[data-testid=file]").first).to_contain_text("rosa-id-card.pdf")
    expect(page.locator("[data-testid=file-awaiting-scan]").first).to_be_visible()
    record = ClientFile.objects.get()
    assert record.file.name == f"client-files/{record.uuid}.bin"  # the stored name carries no PII (E1)
    checked_and_at_phone_width(page, axe_clean)

    # A bad submission: a clear error, the text kept, focus on the summary
    page.locator("summary", has_text="Add a note").click()
    page.locator("input[name=note-note_date]").fill("2001-01-01")
    page.locator("textarea[name=note-text]").fill("Typed before the error: nothing lost")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("[data-testid=error-summary]")).to_contain_text("No active ROI of your agency covers")
    expect(page.locator("textarea[name=note-text]")).to_have_value("Typed before the error: nothing lost")
    checked_and_at_phone_width(page, axe_clean)

    # A note from the stay's page comes back to the stay
    page.goto(f"/enrollments/{stay.enrollment_id}/")
    page.locator("summary", has_text="Add a note").click()
    page.locator("textarea[name=note-text]").fill("Bed assigned; follow up on the housing application.")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(re.compile(rf"/enrollments/{stay.enrollment_id}/$"))
    expect(page.locator("[data-testid=note]", has_text="follow up on the housing application")).to_be_visible()
    assert CaseNote.objects.get(text__contains="housing application").enrollment_id == stay.pk
    checked_and_at_phone_width(page, axe_clean)

    # Agency B sees what Rosa's full consent shares, and cannot correct it
    page.context.clear_cookies()
    sign_in_as(page, "worker_b")
    page.goto(f"/clients/{rosa.client_id}/")
    expect(page.locator("[data-testid=notes]")).to_contain_text("Wants help replacing her ID")
    expect(page.get_by_role("link", name=re.compile("Correct this note"))).to_have_count(0)
    checked_and_at_phone_width(page, axe_clean)
    assert len(axe_clean.pages_checked) >= 10
