"""H1 in the browser: follow-up questions show and hide as answers change (static/js/
dependent_questions.js), on a form that starts from the stay's last answers. axe on it."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from enrollments.models import Enrollment

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_h1_follow_ups_follow_the_answers_on_an_update_carried_forward(page, axe_clean):
    call_command("seed_demo", verbosity=0)  # Rosa's update: income by source, DV Yes (hmis/demo.py)
    stay = Enrollment.objects.get(client__search_name="rosa delgado", exit_date__isnull=True)
    sign_in_as(page, "worker_a")
    page.goto(reverse("enrollments:assessment_new", args=[stay.enrollment_id]))
    assert page.get_by_test_id("carried-forward").is_visible()
    income = page.get_by_label(re.compile(r"^Income from any source"))
    amount = page.locator("[name=earned_amount]")
    assert amount.input_value() == "1250.00" and amount.is_visible()  # carried forward, income Yes
    income.select_option("0")
    assert not amount.is_visible()  # no income: no sources asked
    income.select_option("1")
    assert amount.is_visible()
    when = page.locator("[name=when_occurred]")
    assert when.is_visible()  # survivor: Yes, carried forward
    page.get_by_label(re.compile(r"^Survivor of domestic violence")).select_option("0")
    assert not when.is_visible()
    page.get_by_label(re.compile(r"^Stage")).select_option(label="Annual assessment")
    assert not page.get_by_label(re.compile(r"^Survivor of domestic violence")).is_visible()  # 4.11: update only
    axe_clean(page)
