"""Journey of issue 'Stand up the HMIS': the HMIS Lead signs in with TOTP, creates an
agency, adds a person and grants licenses; the new person enrols their
authenticator, chooses a password and switches agency. axe checks every page."""

import re
from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from hmis.demo import DEMO_PASSWORD, totp_key_for

from .conftest import tick as click_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tick(page, label):
    click_label(page, label)
    assert page.get_by_label(label).is_checked()


def code_for_key(hex_key: str) -> str:
    return f"{totp(bytes.fromhex(hex_key)):06d}"


def code_for_secret(secret: str) -> str:
    return f"{totp(b32decode(secret)):06d}"


def test_t3_u10_admin_sets_up_an_agency_and_a_new_person_enrols_and_switches_agency(page, axe_clean):
    call_command("seed_demo", verbosity=0)

    # The HMIS Lead signs in: password, then the code from the authenticator.
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    axe_clean(page)
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    axe_clean(page)
    page.get_by_label(re.compile("Code from your authenticator")).fill(code_for_key(totp_key_for("lead")))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name="HMIS administration").is_visible()
    axe_clean(page)

    # Create an agency; a mistake first, to check the error page too.
    page.get_by_role("link", name="Agencies", exact=True).first.click()
    page.wait_for_url(re.compile(r"/agencies/$"))
    axe_clean(page)
    page.get_by_role("link", name="Add an agency").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This field is required.").first.wait_for()
    axe_clean(page)
    page.locator("#id_name").fill("Agency D: Lakeside Outreach")
    tick(page, "MO-500 Riverbend City & County CoC")
    page.get_by_label("Status").select_option("participating")
    page.get_by_label("Where the privacy notice is published").fill("https://lakeside.example.org/privacy")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/agencies/\d+/$"))
    assert page.get_by_role("heading", name="Agency D: Lakeside Outreach").is_visible()
    axe_clean(page)

    # Add a project to it.
    page.get_by_role("link", name="Add a project").click()
    page.get_by_label("CoC").select_option(label="MO-500 Riverbend City & County CoC")
    page.get_by_label("Name").fill("Lakeside Street Outreach")
    page.get_by_label("HUD project type").select_option("4")
    page.get_by_label("Operating start date").fill("2025-10-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    axe_clean(page)

    # Add a person and grant licenses at Agency D and Agency A.
    page.get_by_role("link", name="People", exact=True).first.click()
    page.wait_for_url(re.compile(r"/people/$"))
    axe_clean(page)
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Username").fill("jordan")
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Email address").fill("jordan@example.org")
    page.get_by_label("First password").fill("Copper-Kettle-5150")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    axe_clean(page)
    for agency, project in (("Agency D: Lakeside Outreach", "Lakeside Street Outreach"),
                            ("Agency A: Riverbend Family Services", "Riverbend Emergency Shelter")):
        page.get_by_role("link", name="Grant a license").click()
        page.get_by_label(re.compile(r"^Agency( \*)?$")).select_option(label=agency)
        page.get_by_label("Role").select_option("end_user")
        page.get_by_label("Access level").select_option("full")
        tick(page, f"{agency}: {project}")
        page.get_by_label("Reason for granting without a User Access Request").fill("HMIS Lead onboarding")
        axe_clean(page)
        page.get_by_role("button", name="Grant license").click()
        page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert page.get_by_role("cell", name="Lakeside Street Outreach").is_visible()
    axe_clean(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # Jordan signs in for the first time: enrols an authenticator by QR code.
    page.get_by_label("Username").fill("jordan")
    page.get_by_label("Password").fill("Copper-Kettle-5150")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.locator(".hmis-qr svg").is_visible()
    axe_clean(page)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Six-digit code shown by your authenticator app").fill(code_for_secret(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/backup-codes/"))
    assert page.get_by_test_id("backup-codes").locator("li").count() == 10
    axe_clean(page)
    page.get_by_role("link", name="Continue").click()

    # ... then chooses their own password.
    page.wait_for_url(re.compile(r"/accounts/password/"))
    axe_clean(page)
    page.get_by_label("Old password").fill("Copper-Kettle-5150")
    page.get_by_label(re.compile(r"^New password( \*)?$")).fill("Juniper-Falls-7214")
    page.get_by_label("New password confirmation").fill("Juniper-Falls-7214")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("agency-context").inner_text() == "Agency A: Riverbend Family Services"
    axe_clean(page)

    # Licensed at two agencies, Jordan works in one at a time and switches.
    page.get_by_label("Working for", exact=True).select_option(label="Agency D: Lakeside Outreach")
    page.get_by_role("button", name="Switch agency").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("agency-context").inner_text() == "Agency D: Lakeside Outreach"
    # A1: the new agency's director has not signed the partner agreement yet.
    assert "has not signed the Agency Partner Agreement" in page.get_by_test_id("apa-warning").inner_text()
    axe_clean(page)
    assert len(axe_clean.pages_checked) >= 15
