"""H1 in the browser: the 3.917 follow-up questions and the exit's 3.12.A / 3.12.B show
only when they apply, and hiding never loses what was typed. axe on each page."""

import re

import pytest
from django.core.management import call_command

from enrollments.models import Enrollment

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_h1_prior_living_follow_ups_and_the_exit_subsidy_show_only_when_they_apply(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    sheltered = Enrollment.objects.filter(project__name="Riverbend Emergency Shelter", relationship_to_hoh=1,
                                          exit_date__isnull=True).order_by("pk").first()
    sign_in_as(page, "worker_a")

    page.goto(f"/enrollments/enroll/{sheltered.client.client_id}/")
    times = page.get_by_label(re.compile(r"^Times homeless"))
    assert times.is_visible()  # no project chosen yet: every question shows
    page.get_by_label(re.compile(r"^Project")).first.select_option(label="Riverbend Rapid Re-Housing")
    page.get_by_label(re.compile(r"^Prior living situation")).select_option("116")
    page.get_by_label(re.compile(r"^Times homeless")).select_option("2")
    # RRH asks 3.917B: a year in their own rental asks no history, and no "night before".
    page.get_by_label(re.compile(r"^Prior living situation")).select_option("410")
    page.get_by_label(re.compile(r"^Length of stay")).select_option("5")
    times.wait_for(state="hidden")
    assert not page.get_by_label(re.compile(r"^On the streets")).is_visible()
    axe_clean(page)
    # Back to the street: the history shows again, with the answer typed before.
    page.get_by_label(re.compile(r"^Prior living situation")).select_option("116")
    times.wait_for(state="visible")
    assert times.input_value() == "2"

    page.goto(f"/enrollments/{sheltered.enrollment_id}/exit/")
    subsidy = page.get_by_label(re.compile(r"^Type of the ongoing housing subsidy"))
    other = page.get_by_label(re.compile(r"^The other destination"))
    assert not subsidy.is_visible() and not other.is_visible()
    page.get_by_label(re.compile(r"^Destination")).select_option("435")
    assert subsidy.is_visible() and not other.is_visible()
    axe_clean(page)
    page.get_by_label(re.compile(r"^Destination")).select_option("17")
    assert other.is_visible() and not subsidy.is_visible()
