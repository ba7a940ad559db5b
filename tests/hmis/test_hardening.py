"""Hardening of sign-in and of what the app leaves behind (issue 14, section 3):
lockout per account name rather than per address, no client data in caches, a new
session key after the second factor (U8, U10), and files under var/ for the app's
own user only."""

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from tests.clients.helpers import consent_step
from tests.clients.states import make_client
from tests.factories import confirmed_totp_device

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NO_STORE = "no-store"


def password_step(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- Lockout: per account name, not per address ------------------------------------


def test_failures_for_many_account_names_from_one_address_do_not_lock_out_another_person_there(tenancy, settings, password):
    """Behind the TLS proxy everyone shares one address."""
    proxy = "198.51.100.7"
    names = [tenancy.worker_b.username, tenancy.viewer_b.username, "nobody-1", "nobody-2", "nobody-3", "nobody-4"]
    for name in names * 2:
        password_step(Client(REMOTE_ADDR=proxy), name, "Wrong-Guess-1234")
    assert len(names) * 2 > settings.AXES_FAILURE_LIMIT
    response = password_step(Client(REMOTE_ADDR=proxy), tenancy.worker_a.username, password)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))


def test_failures_on_one_account_from_many_addresses_lock_that_account(tenancy, settings, password):
    for n in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), tenancy.worker_a.username, "Wrong-Guess-1234")
    locked = password_step(Client(REMOTE_ADDR="203.0.113.200"), tenancy.worker_a.username, password)
    assert locked.status_code == 429
    # Only that account: another person at one of those addresses signs in.
    other = password_step(Client(REMOTE_ADDR="203.0.113.1"), tenancy.worker_b.username, password)
    assert other.status_code == 302


# --- Cache-Control: no-store on everything with client data -------------------------


def assert_no_store(response):
    assert NO_STORE in response.get("Cache-Control", ""), response.get("Cache-Control")
    assert response.get("Pragma") == "no-cache"


def test_pages_with_client_data_are_not_stored_by_any_cache(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    worker = signed_in(tenancy.worker_a)
    home = worker.get(reverse("home"))
    detail = worker.get(reverse("clients:detail", args=[person.client_id]))
    assert home.status_code == 200 and detail.status_code == 200
    assert_no_store(home)
    assert_no_store(detail)


def test_ssn_reveal_is_not_stored_by_any_cache(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn="123456789")
    revealed = signed_in(tenancy.worker_a).post(reverse("clients:reveal_ssn", args=[person.client_id]))
    assert revealed.content.decode().strip() == "123-45-6789"
    assert_no_store(revealed)


def test_pdf_and_csv_downloads_are_not_stored_by_any_cache(tenancy, signed_in):
    from reports.hud import runner
    from reports.models import ReportRun

    report = ReportRun.objects.create(kind="apr", start=date(2026, 1, 1), end=date(2026, 6, 30), requested_by=tenancy.admin)
    report.projects.set([tenancy.shelter_a])
    runner.run(report)
    admin = signed_in(tenancy.admin)
    pdf = admin.get(reverse("reports:hud_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_no_store(pdf)
    table = admin.get(reverse("reports:hud_table_csv", args=[report.pk, "Q5a"]))
    licenses = admin.get(reverse("license_dashboard"), {"format": "csv"})
    assert table["Content-Type"] == licenses["Content-Type"] == "text/csv"
    assert_no_store(table)
    assert_no_store(licenses)


def test_redirects_and_the_sign_in_page_are_not_stored_either(tenancy):
    anonymous = Client()
    assert_no_store(anonymous.get(reverse("home")))
    assert_no_store(anonymous.get(reverse("login")))


def test_static_files_keep_their_own_caching(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve static/ without collectstatic (read when the client starts)
    response = Client().get(f"{settings.STATIC_URL}css/hmis.css")
    assert response.status_code == 200
    assert NO_STORE not in response.get("Cache-Control", "")


# --- A new session key after the second factor (U10), the one session of U8 --------


def assert_rotated(browser, user, before):
    cookie = django_settings.SESSION_COOKIE_NAME
    after = browser.cookies[cookie].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    user.refresh_from_db()
    assert user.current_session_key == after  # U8 records the new key, so it is not signed out
    assert browser.get(reverse("home")).status_code == 200
    stale = Client()
    stale.cookies[cookie] = before
    refused = stale.get(reverse("home"))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("login"))


def test_u8_u10_an_authenticator_code_gives_the_session_a_new_key(tenancy, password):
    device = confirmed_totp_device(tenancy.worker_a)
    browser = Client()
    password_step(browser, tenancy.worker_a.username, password)
    before = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    accepted = browser.post(reverse("two_factor_verify"), {"token": current_code(device), "next": "/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    assert_rotated(browser, tenancy.worker_a, before)


def test_u8_u10_a_backup_code_gives_the_session_a_new_key(tenancy, password):
    from hmis.services import replace_backup_codes

    confirmed_totp_device(tenancy.worker_a)
    code = replace_backup_codes(user=tenancy.worker_a)[0]
    browser = Client()
    password_step(browser, tenancy.worker_a.username, password)
    before = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert browser.post(reverse("two_factor_verify"), {"token": code, "next": "/"}).status_code == 302
    assert_rotated(browser, tenancy.worker_a, before)


def test_u8_u10_enrolling_an_authenticator_gives_the_session_a_new_key(tenancy, password):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    browser = Client()
    password_step(browser, tenancy.worker_a.username, password)
    browser.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=tenancy.worker_a, confirmed=False)
    before = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    enrolled = browser.post(reverse("two_factor_setup"), {"token": current_code(device), "next": "/"})
    assert enrolled.status_code == 302
    assert "<code>" in browser.get(enrolled["Location"]).content.decode()  # the backup codes survive the new key
    assert_rotated(browser, tenancy.worker_a, before)


# --- Files under var/ are for the app's own user only --------------------------------


def test_an_uploaded_consent_scan_and_its_folders_are_for_the_app_user_only(tenancy, signed_in, settings):
    from consent.models import RoiDocument

    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a,
                 document=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 a scan"))
    path = Path(RoiDocument.objects.get().file.path)
    assert mode(path) == 0o600
    media = Path(settings.MEDIA_ROOT)
    folder = path.parent
    while True:
        assert mode(folder) == 0o700, folder
        if folder == media:
            break
        folder = folder.parent


def test_var_folder_database_mail_broker_and_keys_are_for_the_app_user_only(tmp_path):
    """Run as the embedded default (SQLite, file mail, filesystem broker) in a fresh
    process whose inherited umask is the usual 022, with var/ and one subfolder made
    earlier with open modes."""
    var = tmp_path / "var"
    (var / "documents").mkdir(parents=True)
    var.chmod(0o755)
    (var / "documents").chmod(0o755)
    code = (
        "from django.db import connection; connection.cursor().execute('create table t (x int)');"
        "from django.core.mail import send_mail; send_mail('Subject', 'Body', 'a@example.org', ['b@example.org']);"
        "from hmis.celery import app; app.send_task('hmis.tasks.no_such_task')"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT", "DEBUG", "HTTPS",
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["HMIS_VAR_DIR"] = str(var)
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, umask=0o022)
    assert result.returncode == 0, result.stdout + result.stderr
    folders = [var, var / "documents", var / "mail", var / "staticfiles", var / "celery", var / "celery" / "queue",
               var / "celery" / "processed"]
    assert {str(f): mode(f) for f in folders} == {str(f): 0o700 for f in folders}
    mails, messages = list((var / "mail").iterdir()), list((var / "celery" / "queue").iterdir())
    assert mails and messages
    files = [var / "hmis.sqlite3", var / "secret_key", var / "pii_key", *mails, *messages]
    assert {str(f): mode(f) for f in files} == {str(f): 0o600 for f in files}

