"""Issue 21: the home page's work lists and the header search box. A case worker finds a
client from the header (the search is POSTed: no name in the URL, E1); the home page is
axe-clean at desktop width and at 375 px, never scrolls sideways, and the header stays on
one row at 1,366 px, for a case worker and for the HMIS Lead (the longest menu)."""

import re

import pytest
from django.core.management import call_command

from clients.models import Client

from .conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def no_sideways_scrolling(page):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                         " > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className)"
                         ".slice(0, 8)")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px: {wide}"


def header_on_one_row(page):
    """The logo, the search box and every menu item share one row (no wrapped header)."""
    rows = page.evaluate("""() => {
        const header = document.querySelector('header.usa-header');
        const items = [...header.querySelectorAll('.usa-logo, .hmis-header-search, .usa-nav__primary-item,'
                                                  + ' .hmis-usermenu > *')]
            .filter(e => e.getBoundingClientRect().height > 0);
        return items.map(e => { const r = e.getBoundingClientRect(); return [e.className, r.top, r.bottom]; });
    }""")
    assert rows, "nothing measured in the header"
    # One row: every item overlaps vertically with every other.
    lowest_top = max(top for _, top, _ in rows)
    highest_bottom = min(bottom for _, _, bottom in rows)
    assert lowest_top < highest_bottom, f"the header wraps: {rows}"
    spans = sorted(page.evaluate("""() => [...document.querySelectorAll('header .usa-logo, header .hmis-header-search,'
        + ' header .usa-nav__primary-item, header .hmis-usermenu > *')].map(e => {
            const r = e.getBoundingClientRect(); return [r.left, r.right, e.className]; })"""))
    for (_, right, name), (left, _, following) in zip(spans, spans[1:], strict=False):
        assert right <= left + 1, f"{name} overlaps {following} in the header: {spans}"
    assert max(right for _, right, _ in spans) <= page.viewport_size["width"]


def check_home(page, axe_clean):
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        page.goto("/")
        axe_clean(page)
        no_sideways_scrolling(page)
        assert page.locator("#hmis-header-search-text").is_visible()
        if size is WIDE:
            header_on_one_row(page)
        else:
            navbar = page.locator(".usa-navbar").bounding_box()
            assert navbar["height"] < 80, f"the phone header wraps: {navbar}"
    page.set_viewport_size(WIDE)


def test_e1_a_case_worker_finds_a_client_from_the_header_search_box(page, axe_clean, live_server):
    call_command("seed_demo")
    henry = Client.objects.get(search_name="henry lindqvist")
    page.set_viewport_size(WIDE)
    sign_in_as(page, "worker_b")
    check_home(page, axe_clean)
    intakes = page.locator("[data-testid=incomplete]")
    assert henry.display_id in intakes.inner_text() and "Henry Lindqvist" in intakes.inner_text()
    assert re.search(r"due in \d+ days?|\d+ days? overdue|due today", intakes.inner_text())

    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        page.goto("/")
        page.get_by_label("Find a client").fill("Lindqvist")
        page.get_by_role("button", name="Find", exact=True).click()
        page.wait_for_load_state()
        assert "Lindqvist" not in page.url  # POSTed: the name never in a URL (E1)
        assert henry.display_id in page.locator("main").inner_text()
        axe_clean(page)  # the results table's width at 375 px belongs to the client search page's own check


def test_the_hmis_leads_home_fits_and_counts_what_waits(page, axe_clean, live_server):
    call_command("seed_demo")
    page.set_viewport_size(WIDE)
    sign_in_as(page, "lead")
    check_home(page, axe_clean)
    waiting = page.locator("[data-testid=lead-waiting]")
    assert "Requests to lock records" in waiting.inner_text()
    waiting.get_by_role("link", name="Requests to lock records").click()
    page.wait_for_url(re.compile(r"/consent/"))
