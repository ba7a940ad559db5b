"""Issue 21, households: a case worker adds a child to a household's stay, changes the head
of household, and exits a member on their own date, in the browser; axe on every page at
desktop width and at 375 px.

The household is the demo's (hmis/demo.py): Rosa Delgado (head) and her son Mateo in the
Riverbend Emergency Shelter since today. Tomas, her partner, joined them (set up through the
service); Lucia, a baby named on the same consent, is added in the browser."""

import re
from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import License
from clients import services as client_services
from clients.models import Client
from enrollments import households
from enrollments.models import Enrollment, HeadChange
from hmis import dates
from hmis.demo import DEMO_CLIENT_DEFAULTS

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def checked_and_at_phone_width(page, axe_clean):
    axe_clean(page)
    page.set_viewport_size(PHONE)
    axe_clean(page)
    # Issue 21: every page at 375 px without sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 375 px"
    page.set_viewport_size(DESKTOP)


def the_delgados():
    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(search_name="rosa delgado")
    license = License.objects.get(user__username="worker_a", agency__name=rosa.entered_by_agency.name)
    roi = rosa.rois.get()
    household = rosa.household_memberships.get().household
    made = {}
    for first, born in (("Tomas", date(1982, 4, 4)), ("Lucia", date(dates.today().year - 1, 1, 15))):
        made[first] = client_services.client_create(
            actor=license.user, license=license, roi=roi, household=household, first_name=first, last_name="Delgado",
            dob=born, ssn="", ssn_data_quality=99, **{k: v for k, v in DEMO_CLIENT_DEFAULTS.items()
                                                     if k != "ssn_data_quality"} | {"hispanic_latinao": True})
    rosa_stay = Enrollment.objects.get(client=rosa)
    households.add_member(actor=license.user, license=license, enrollment=rosa_stay, client=made["Tomas"],
                          relationship=3, entry_date=dates.today())
    return rosa, made["Tomas"], made["Lucia"], rosa_stay


def test_case_worker_adds_a_child_changes_the_head_and_exits_a_member(page, axe_clean):
    rosa, tomas, lucia, rosa_stay = the_delgados()
    sign_in_as(page, "worker_a")

    # From the client's page to the household of her open stay.
    page.goto(f"/clients/{rosa.client_id}/")
    page.get_by_role("link", name="Household of the stay in Riverbend Emergency Shelter").click()
    page.wait_for_url(re.compile(rf"/enrollments/{rosa_stay.enrollment_id}/"))
    household = page.get_by_test_id("household")
    household.get_by_role("link", name=f"Tomas Delgado ({tomas.display_id})", exact=True).wait_for()
    checked_and_at_phone_width(page, axe_clean)

    # 1. Add Lucia, the baby: found by name, added as the head's child on today's date.
    household.get_by_role("link", name="Add a member").click()
    page.wait_for_url(re.compile(r"/household/add/"))
    checked_and_at_phone_width(page, axe_clean)
    page.get_by_label(re.compile("^Find the client")).fill("Lucia Delgado")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Add Lucia Delgado to the household").click()
    page.wait_for_url(re.compile(r"/household/add/\?client="))
    page.get_by_label(re.compile(r"^Relationship to the head")).select_option("2")
    checked_and_at_phone_width(page, axe_clean)
    page.get_by_role("button", name="Add to the household").click()
    lucia_stay = Enrollment.objects.get(client=lucia)
    page.wait_for_url(re.compile(rf"/enrollments/{lucia_stay.enrollment_id}/$"))
    page.get_by_text(f"Client {lucia.display_id} joined the household").wait_for()
    assert (lucia_stay.household_id, lucia_stay.relationship_to_hoh) == (rosa_stay.household_id, 2)
    checked_and_at_phone_width(page, axe_clean)

    # 2. Tomas becomes head of household; Rosa is recorded as his spouse or partner.
    page.goto(f"/enrollments/{rosa_stay.enrollment_id}/")
    page.get_by_role("link", name="Change head of household").click()
    page.wait_for_url(re.compile(r"/household/head/"))
    checked_and_at_phone_width(page, axe_clean)
    radio = page.get_by_role("radio", name=re.compile("^Tomas Delgado"))
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    page.get_by_label(re.compile(r"head until now, becomes")).select_option("3")
    page.get_by_role("button", name="Change head of household").click()
    page.wait_for_url(re.compile(rf"/enrollments/{rosa_stay.enrollment_id}/$"))
    page.get_by_text(f"Tomas Delgado ({tomas.display_id}) is now head of household.").wait_for()
    assert dict(Enrollment.objects.filter(household_id=rosa_stay.household_id)
                .values_list("client__first_name", "relationship_to_hoh")) == {
        "Rosa": 3, "Tomas": 1, "Mateo": 2, "Lucia": 2}
    assert HeadChange.objects.get().previous_head_id == rosa_stay.pk
    history = page.get_by_test_id("household-history")
    history.get_by_text("became head of household", exact=False).wait_for()
    checked_and_at_phone_width(page, axe_clean)

    # 3. Rosa leaves the stay on her own date; the rest of the household stays.
    page.get_by_role("link", name=f"Remove Rosa Delgado ({rosa.display_id}) from the household").click()
    page.wait_for_url(re.compile(r"/household/remove/"))
    page.get_by_label(re.compile(r"^Destination")).select_option("422")  # staying with family, temporary
    checked_and_at_phone_width(page, axe_clean)
    page.get_by_role("button", name="Record this member's exit").click()
    page.wait_for_url(re.compile(rf"/enrollments/{rosa_stay.enrollment_id}/$"))
    page.get_by_text("left the household's stay").wait_for()
    rosa_stay.refresh_from_db()
    assert (rosa_stay.exit_date, rosa_stay.destination) == (dates.today(), 422)
    assert Enrollment.objects.filter(household_id=rosa_stay.household_id, exit_date__isnull=True).count() == 3
    checked_and_at_phone_width(page, axe_clean)
