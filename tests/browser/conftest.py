"""Browser tests: Playwright driving Debian's Chromium against pytest-django's
live server, with axe checking every page visited."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(os.environ.get("HMIS_TEST_ARTIFACTS", "test-artifacts"))


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("HMIS_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium).")
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM}")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


class AxeChecker:
    """Runs axe-core on the page and fails on any violation, listing them."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.pages_checked = []

    def __call__(self, page):
        results = self.axe.run(page)
        self.pages_checked.append(page.url)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def axe_clean():
    return AxeChecker()


def sign_in_as(page, username):
    """The real sign-in of a demo login: password, then the current TOTP code."""
    import re

    from django_otp.oath import totp

    from hmis.demo import DEMO_PASSWORD, totp_key_for

    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label(re.compile("Code from your authenticator")).fill(f"{totp(bytes.fromhex(totp_key_for(username))):06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/$"))


def tick(page, label):
    """USWDS draws its own boxes and moves the real input off-screen: click the label."""
    page.locator("label", has_text=label).first.click()


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def axe_both_widths(page, axe_clean):
    """axe at a desktop's and a phone's width, and at the phone's width nothing scrolls sideways."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        axe_clean(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 375 px ({width} px wide)"
    page.set_viewport_size(DESKTOP)
