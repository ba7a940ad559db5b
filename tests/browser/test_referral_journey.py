"""Issue 21, referrals: a case worker at Agency A refers a client to Agency B's project; B's
worker finds it on the home page, accepts it, records B's own consent (C1), links the
client and enrolls them; the referral shows the stay, and A's worker reads the answer in
'Our referrals' and the alert (Client ID only, E1). axe checks each page at desktop width
and at 375 px (a phone), where nothing scrolls sideways."""

import re

import pytest
from django.core.management import call_command

from clients.models import Client
from enrollments.models import Enrollment, Referral
from hmis.models import Notification

from .conftest import axe_both_widths, sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def test_e1_refer_to_another_agency_which_accepts_and_enrolls(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(search_name="rosa delgado")

    # Agency A's worker refers Rosa from her page.
    sign_in_as(page, "worker_a")
    page.goto(f"/clients/{rosa.client_id}/")
    page.get_by_test_id("refer").click()
    page.wait_for_url(re.compile(rf"/enrollments/refer/{rosa.client_id}/$"))
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name="Send the referral").click()  # nothing chosen: told, nothing lost
    page.get_by_test_id("error-summary").wait_for()
    axe_both_widths(page, axe_clean)
    page.get_by_label("Project to refer the client to").select_option(
        label="Agency B: Northside Housing Partners: Northside Transitional Housing")
    page.get_by_label("Why you refer the client").fill("Ready for transitional housing; wants to work nearby.")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(re.compile(r"/enrollments/referrals/[0-9A-Z]{10}/$"))
    referral = Referral.objects.get()
    assert page.get_by_test_id("history").get_by_text("Referred by").is_visible()
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name="Sign out").click()

    # Agency B's worker sees it waiting on the home page and in the queue.
    sign_in_as(page, "worker_b")
    assert page.get_by_test_id("referrals-waiting").text_content() == "1 waiting"
    told = Notification.objects.get(recipient__username="worker_b", subject__contains="New referral")
    assert rosa.display_id in told.subject and "Rosa" not in told.subject + told.body  # E1
    page.get_by_role("link", name="Referrals to us").click()
    page.wait_for_url(re.compile(r"/enrollments/referrals/to-us/$"))
    assert page.get_by_test_id("days-waiting").text_content() == "Waiting since today"
    axe_both_widths(page, axe_clean)
    page.get_by_role("link", name=rosa.display_id).click()
    page.wait_for_url(re.compile(rf"/enrollments/referrals/{referral.referral_id}/$"))
    assert page.get_by_test_id("client-name").inner_text() == "Rosa Delgado"
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name="Accept and enroll").click()

    # B does not serve Rosa yet: its own consent first (C1), then link her; nothing typed again.
    page.get_by_test_id("next-step").wait_for()
    axe_both_widths(page, axe_clean)
    page.get_by_role("button", name=f"Record consent and serve client {rosa.display_id}").click()
    page.wait_for_url(re.compile(r"/clients/intake/\?from=start$"))
    page.get_by_label("Project serving the client").select_option(label="Northside Transitional Housing")
    tick(page, "Full: participating agencies")
    tick(page, "I told the client that someone at risk")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_url(re.compile(r"/clients/intake/\d+/$"))
    page.get_by_role("button", name=f"Link {rosa.display_id}").click()
    page.get_by_test_id("covered").get_by_text("Rosa Delgado").wait_for()
    page.get_by_role("button", name="Finish intake").click()
    page.wait_for_url(re.compile(rf"/clients/{rosa.client_id}/$"))

    # Back on the referral: enroll in the project, chosen already.
    page.goto(f"/enrollments/referrals/{referral.referral_id}/")
    page.get_by_role("link", name="Enroll in Northside Transitional Housing").click()
    page.wait_for_url(re.compile(rf"/enrollments/enroll/{rosa.client_id}/\?project=\d+$"))
    axe_both_widths(page, axe_clean)
    for label, value in ((r"^Prior living situation", "116"), (r"^Length of stay", "4"),
                         (r"^Times homeless", "1"), (r"^Months homeless", "103"), (r"^Disabling condition", "0")):
        page.get_by_label(re.compile(label)).select_option(value)
    page.get_by_label(re.compile(r"^Approximate date this episode")).fill("2026-01-05")
    for question in page.locator("select[name$='_from_any_source'], select[name$='_disability'], "
                                 "select[name='chronic_health_condition'], select[name='hiv_aids'], "
                                 "select[name='mental_health_disorder'], select[name='substance_use_disorder'], "
                                 "select[name='domestic_violence_survivor']").all():
        if question.is_visible():
            question.select_option("0")
    page.get_by_role("button", name="Enroll").click()
    page.wait_for_url(re.compile(r"/enrollments/[0-9A-Z]{10}/$"))
    stay = Enrollment.objects.get(client=rosa, project__name="Northside Transitional Housing")
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.enrollment == stay
    page.get_by_role("button", name="Sign out").click()

    # A's worker reads the answer: the alert (Client ID only) and 'Our referrals'.
    sign_in_as(page, "worker_a")
    alerts = Notification.objects.filter(recipient__username="worker_a", subject__contains=rosa.display_id)
    assert alerts.count() == 2 and not any("Rosa" in n.subject + n.body for n in alerts)
    page.goto("/enrollments/referrals/ours/")
    assert page.get_by_test_id("referral-row").get_by_text("Accepted").is_visible()
    axe_both_widths(page, axe_clean)
    page.get_by_role("link", name=rosa.display_id).click()
    history = page.get_by_test_id("history")
    assert history.get_by_text("Accepted by").is_visible()
    assert history.get_by_text("Stay opened in the project").is_visible()
    axe_both_widths(page, axe_clean)
