"""H1, D2 in the browser: the federal partners' follow-up questions show and hide as
answers change (static/js/dependent_questions.js), including one asked after either of
two questions (R16.A after R16.1 or R16.2). axe on the page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from enrollments.models import Enrollment

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_h1_d2_rhy_exit_follow_ups_follow_the_answers(page, axe_clean):
    call_command("seed_demo", verbosity=0)
    stay = Enrollment.objects.get(client__search_name="rosa delgado", exit_date__isnull=True)
    # The HMIS Lead's choice for this shelter (D2): RHY's exit elements R16 and R18 too.
    stay.project.required_elements = ["4.02", "4.03", "4.04", "4.05-4.10", "4.11", "R16", "R18"]
    stay.project.save(update_fields=["required_elements"])
    sign_in_as(page, "worker_a")
    page.goto(reverse("enrollments:exit", args=[stay.enrollment_id]))
    coerced = page.locator("[name=coerced_to_continue_work]")
    assert not coerced.is_visible()  # neither R16.1 nor R16.2 answered yet
    page.get_by_label(re.compile(r"^Ever afraid to quit")).select_option("0")
    page.get_by_label(re.compile(r"^Ever promised work")).select_option("1")
    assert coerced.is_visible()  # R16.2 Yes asks it
    page.get_by_label(re.compile(r"^Ever promised work")).select_option("0")
    assert not coerced.is_visible()
    page.get_by_label(re.compile(r"^Ever afraid to quit")).select_option("1")
    assert coerced.is_visible()  # so does R16.1 Yes
    sessions = page.locator("[name=session_count_at_exit]")
    assert not sessions.is_visible()
    page.get_by_label(re.compile(r"^Counseling received by client")).select_option("1")
    assert sessions.is_visible() and page.locator("[name=individual_counseling]").is_visible()
    assert page.locator("[name=sessions_in_plan]").is_visible()  # R18.2 is asked either way
    axe_clean(page)
