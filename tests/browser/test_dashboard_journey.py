"""Issue 21, the client dashboard in a browser: a case worker at Agency A opens Rosa Delgado's
page (household with her son, stays, consent in plain words, due dates, one primary action),
names the stay's case manager on the stay's page and sees it on the dashboard; a worker of
Agency B sees what Rosa's consent shares and no action. axe on every page, at desktop width
and at 375 px, where the client page never scrolls sideways (document scrollWidth <= 375)."""

import re

import pytest
from django.core.management import call_command

from clients.models import Client

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 10)"""


def fits_a_phone(page, axe_clean):
    """axe at desktop width, then at 375 px: axe again and no sideways scroll."""
    axe_clean(page)
    page.set_viewport_size(PHONE)
    try:
        axe_clean(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{page.url} is {width} px wide at 375 px: {page.evaluate(WIDE)}"
    finally:
        page.set_viewport_size(DESKTOP)


def test_a_case_worker_reads_the_dashboard_names_the_case_manager_and_another_agency_sees_less(page, axe_clean):
    from playwright.sync_api import expect

    call_command("seed_demo", verbosity=0)
    rosa = Client.objects.get(first_name="Rosa", last_name="Delgado")
    mateo = Client.objects.get(first_name="Mateo", last_name="Delgado")

    sign_in_as(page, "worker_a")
    page.goto(f"/clients/{rosa.client_id}/")
    dashboard = page.locator("[data-testid=dashboard]")
    expect(dashboard.get_by_role("heading", name="At a glance")).to_be_visible()
    expect(page.locator("[data-testid=age]")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("[data-testid=household]")).to_contain_text(mateo.display_id)
    expect(page.locator("[data-testid=household]")).to_contain_text(re.compile(r"age \d+"))
    expect(page.locator("[data-testid=consent-words]")).to_contain_text("Shares their record")
    # One filled button: the action that fits Rosa's state; the others are outline buttons.
    actions = page.locator("[data-testid=actions] a.usa-button:not(.usa-button--outline)")
    expect(actions).to_have_count(1)
    fits_a_phone(page, axe_clean)

    # The stay's page: name the case manager (staff of Agency A only)
    stays = page.locator("[data-testid=current-stays]")
    if stays.count():
        stays.locator("a").first.click()
    else:
        page.locator("[data-testid=past-stays] a").first.click()
    page.wait_for_url(re.compile(r"/enrollments/\w+/$"))
    section = page.locator("[data-testid=case-manager-section]")
    expect(section.get_by_label(re.compile("^Case manager"))).to_be_visible()
    options = section.locator("option").all_inner_texts()
    assert "Not assigned" in options and not any("worker_b" in o or "Agency B" in o for o in options)
    chosen = next(o for o in options if o != "Not assigned")
    section.get_by_label(re.compile("^Case manager")).select_option(label=chosen)
    axe_clean(page)
    section.get_by_role("button", name="Save case manager").click()
    page.wait_for_url(re.compile(r"/enrollments/\w+/$"))
    expect(page.locator("[data-testid=stay-case-manager]")).to_have_text(chosen)
    axe_clean(page)

    page.goto(f"/clients/{rosa.client_id}/")
    expect(page.locator("[data-testid=case-manager]")).to_contain_text(chosen)
    fits_a_phone(page, axe_clean)

    # Another agency: what Rosa's consent shares, no action buttons.
    page.context.clear_cookies()
    sign_in_as(page, "worker_b")
    page.goto(f"/clients/{rosa.client_id}/")
    expect(page.locator("[data-testid=dashboard]")).to_be_visible()
    expect(page.locator("[data-testid=actions]")).to_have_count(0)
    fits_a_phone(page, axe_clean)

    # Limited sharing (James Whitaker): identifiers and age only.
    james = Client.objects.get(first_name="James", last_name="Whitaker")
    page.goto(f"/clients/{james.client_id}/")
    expect(page.locator("[data-testid=age]")).to_be_visible()
    expect(page.locator("[data-testid=household]")).to_have_count(0)
    fits_a_phone(page, axe_clean)
