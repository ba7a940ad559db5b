"""Journey of issue 'Agency participation and user licensing lifecycle': a director
signs the agreement; a representative requests a user; the HMIS Lead approves; the
user completes training and signs in; the yearly recertification suspends and
restores. axe checks every page visited."""

import re
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, License
from compliance.models import PracticeCase, TrainingModule
from compliance.services import run_recertification
from hmis import dates
from tests.factories import TEST_PASSWORD, AgencyFactory, LicenseFactory, UserFactory, sign_agreement
from tests.timetravel import noon

from .conftest import tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "3132333435363738393031323334353637383930"


def sign_in(page, username, password, key=KEY):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    if "setup" in page.url:
        return
    page.get_by_label(re.compile("Code from your authenticator")).fill(f"{totp(bytes.fromhex(key)):06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/$"))


def person(username, agency, role):
    user = UserFactory(username=username, first_name=username.split("_")[0].capitalize())
    TOTPDevice.objects.create(user=user, name="test", key=KEY, confirmed=True)
    LicenseFactory(user=user, agency=agency, role=role)
    return user


def do_training(page, axe_clean, *, courses, agreement=True, practice=False):
    page.goto("/training/")
    axe_clean(page)
    for code in courses:
        course = TrainingModule.objects.get(code=code)
        page.goto(f"/training/courses/{code}/")
        for i, question in enumerate(course.questions):
            page.locator(f"label[for='id_q{i}_{question['answer']}']").click()
        axe_clean(page)
        page.get_by_role("button", name="Submit answers").click()
        page.wait_for_url(re.compile(r"/training/$"))
    if agreement:
        page.goto("/training/user-agreement/")
        for label in page.locator("label.usa-checkbox__label").all():
            label.click()
        axe_clean(page)
        page.get_by_role("button", name="Sign", exact=True).click()
        page.wait_for_url(re.compile(r"/training/$"))
    if practice:
        for segment in ("entry", "update", "exit"):
            page.goto(f"/training/practice/0/{segment}/")
            page.get_by_label(re.compile("What you entered")).fill(f"Practice client: {segment} data entered.")
            page.get_by_role("button", name="Submit for review").click()
            page.wait_for_url(re.compile(r"/training/$"))


def test_a1_u1_u2_u4_director_signs_rep_requests_lead_approves_user_trains_and_recertifies(page, axe_clean, browser, live_server):
    call_command("seed_demo", verbosity=0)
    agency = AgencyFactory(name="Agency E: Eastside Youth Services", cocs=[Agency.objects.first().cocs.first()], signed=False)
    agency.projects.create(coc=agency.cocs.first(), name="Eastside Youth Shelter", project_type=0,
                           operating_start=date(2020, 1, 1))
    person("director_e", agency, License.Role.EXECUTIVE_DIRECTOR)
    person("rep_e", agency, License.Role.AUTHORIZED_REPRESENTATIVE)

    # The director signs the agreement.
    sign_in(page, "director_e", TEST_PASSWORD)
    assert "has not signed" in page.get_by_test_id("apa-warning").inner_text()
    page.get_by_role("link", name="Read and sign it").click()
    page.wait_for_url(re.compile(r"/my-agency/agreement/$"))
    axe_clean(page)
    page.get_by_label(re.compile("^Your full name")).fill("Elena Eastwood")
    tick(page, "I have read the agreement above")
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_test_id("apa-status").get_by_text("Signed for this fiscal year").wait_for()
    axe_clean(page)
    page.get_by_role("button", name="Sign out").click()

    # The representative requests an account.
    sign_in(page, "rep_e", TEST_PASSWORD)
    page.get_by_role("link", name="My agency").click()
    page.wait_for_url(re.compile(r"/my-agency/$"))
    axe_clean(page)
    page.get_by_role("link", name="Request a user account").click()
    page.get_by_label(re.compile("^First name")).fill("Tariq")
    page.get_by_label(re.compile("^Last name")).fill("Osei")
    page.get_by_label(re.compile("^Email")).fill("tariq@eastside.example.org")
    page.get_by_label(re.compile("^Username")).fill("tosei")
    page.get_by_label(re.compile("^Access level")).select_option("full")
    tick(page, "Eastside Youth Shelter")
    page.get_by_label(re.compile("^Why the person needs access")).fill("New youth shelter case manager")
    axe_clean(page)
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/my-agency/$"))
    page.get_by_role("button", name="Sign out").click()

    # The HMIS Lead approves; the first password is shown once.
    from hmis.demo import DEMO_PASSWORD, totp_key_for

    sign_in(page, "lead", DEMO_PASSWORD, totp_key_for("lead"))
    page.get_by_role("link", name="User access requests").first.click()  # also in "Waiting on you"
    page.wait_for_url(re.compile(r"/access-requests/$"))
    axe_clean(page)
    page.get_by_role("button", name="Approve tosei").click()
    message = page.get_by_text(re.compile("first password")).inner_text()
    first_password = message.rsplit(": ", 1)[1].strip()
    page.get_by_role("button", name="Sign out").click()

    # The new user enrols an authenticator, chooses a password and trains.
    sign_in(page, "tosei", first_password)
    secret = page.get_by_test_id("totp-secret").inner_text()
    from base64 import b32decode

    page.get_by_label("Six-digit code shown by your authenticator app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Old password").fill(first_password)
    page.get_by_label(re.compile(r"^New password( \*)?$")).fill("Maple-Harbor-4417")
    page.get_by_label("New password confirmation").fill("Maple-Harbor-4417")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("training-warning").is_visible()
    do_training(page, axe_clean, courses=["security-privacy", "data-standards", "software-basics"], practice=True)

    lead = browser.new_context(base_url=live_server.url).new_page()
    TOTPDevice.objects.filter(user__username="lead").update(last_t=-1)  # a TOTP code is accepted once per 30 s
    sign_in(lead, "lead", DEMO_PASSWORD, totp_key_for("lead"))
    lead.goto("/training/reviews/")
    axe_clean(lead)
    for _ in range(3):
        lead.get_by_role("button", name="Pass tosei").first.click()
        lead.wait_for_url(re.compile(r"/training/reviews/$"))
    assert PracticeCase.objects.filter(user__username="tosei", status="passed").count() == 3
    lead.context.close()

    page.goto("/")
    assert page.get_by_test_id("training-warning").count() == 0
    page.get_by_role("link", name="Clients", exact=True).click()
    page.wait_for_url(re.compile(r"/clients/$"))
    axe_clean(page)

    # Next fiscal year: recertification suspends, then restores when done.
    next_year = dates.fiscal_year_of(dates.today()) + 1
    sign_agreement(agency, fiscal_year=next_year)
    with time_machine.travel(noon(dates.fiscal_year_start(next_year) + (date(2000, 1, 2) - date(2000, 1, 1)))):
        run_recertification()
        license = License.objects.get(user__username="tosei")
        assert license.status == "suspended"
        sign_in(page, "tosei", "Maple-Harbor-4417", b32decode(secret).hex())
        assert page.get_by_role("heading", name="No active license").is_visible()
        assert page.get_by_text(re.compile("recertification not done")).is_visible()
        axe_clean(page)
        do_training(page, axe_clean, courses=["security-privacy", "data-standards"])
        license.refresh_from_db()
        assert license.status == "active"
        page.goto("/")
        assert page.get_by_text("You are working for Agency E").is_visible()
