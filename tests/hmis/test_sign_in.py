"""Sign-in and sessions through the real pages: U8 (one place at a time), U9 (idle
lock), U10 (second factor for every login), and lockout after repeated failures."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import confirmed_totp_device

pytestmark = pytest.mark.django_db


def password_step(client, user, password):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_u10_password_alone_opens_nothing(tenancy, password):
    client = Client()
    confirmed_totp_device(tenancy.worker_a)
    response = password_step(client, tenancy.worker_a, password)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("agencies:agency_list")).status_code == 302


def test_u10_first_sign_in_enrols_an_authenticator_by_qr_code_and_gives_backup_codes(tenancy, password):
    client = Client()
    response = password_step(client, tenancy.worker_a, password)
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup"))
    assert b"<svg" in page.content and b"otpauth" not in page.content  # QR drawn, not leaked as text
    device = TOTPDevice.objects.get(user=tenancy.worker_a, confirmed=False)
    # A reload shows the same key rather than a new one.
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=tenancy.worker_a).count() == 1

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert "did not match" in wrong.content.decode()

    response = client.post(reverse("two_factor_setup"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_backup_codes"))
    codes_page = client.get(response["Location"]).content.decode()
    assert codes_page.count("<code>") == 10
    assert client.get(reverse("home")).status_code == 200
    # Codes are shown once.
    assert "<code>" not in client.get(reverse("two_factor_backup_codes")).content.decode()


def test_u10_every_sign_in_asks_for_the_current_code(tenancy, password):
    device = confirmed_totp_device(tenancy.worker_a)
    client = Client()
    password_step(client, tenancy.worker_a, password)
    refused = client.post(reverse("two_factor_verify"), {"token": "12345"})
    assert "did not match" in refused.content.decode()
    # django-otp throttles: right after a wrong code even the right one waits a second.
    throttled = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert "wait" in throttled.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    accepted = client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": "/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_u10_a_backup_code_signs_in_once(tenancy, password):
    from hmis.services import replace_backup_codes

    confirmed_totp_device(tenancy.worker_a)
    code = replace_backup_codes(user=tenancy.worker_a)[0]
    first = Client()
    password_step(first, tenancy.worker_a, password)
    assert first.post(reverse("two_factor_verify"), {"token": code}).status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()
    second = Client()
    password_step(second, tenancy.worker_a, password)
    assert "did not match" in second.post(reverse("two_factor_verify"), {"token": code}).content.decode()


def test_repeated_wrong_passwords_lock_the_account_name(tenancy, settings, password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, tenancy.worker_a, "Wrong-Guess-1234")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # Even the right password is refused while locked.
    assert password_step(Client(), tenancy.worker_a, password).status_code == 429


def test_wrong_password_message_keeps_the_username(tenancy):
    response = password_step(Client(), tenancy.worker_a, "Wrong-Guess-1234")
    page = response.content.decode()
    assert "do not match" in page and 'value="worker_a"' in page


def test_u8_a_new_sign_in_ends_the_older_session_and_tells_it_why(tenancy, password):
    device = confirmed_totp_device(tenancy.worker_a)
    office = Client()
    password_step(office, tenancy.worker_a, password)
    office.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert office.get(reverse("home")).status_code == 200

    laptop = Client()
    password_step(laptop, tenancy.worker_a, password)
    device.refresh_from_db()
    device.last_t = -1  # allow the same 30-second code again in this test
    device.save()
    laptop.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert laptop.get(reverse("home")).status_code == 200

    response = office.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed in somewhere else" in response.content.decode()
    assert laptop.get(reverse("home")).status_code == 200


def test_u9_an_idle_session_locks_after_the_cocs_minutes_and_the_password_unlocks_it(tenancy, signed_in, password):
    tenancy.coc1.idle_lock_minutes = 10
    tenancy.coc1.save()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = signed_in(tenancy.worker_a)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=9))
        assert client.get(reverse("home")).status_code == 200  # activity resets the clock
        clock.shift(timedelta(minutes=10, seconds=5))
        locked = client.get(reverse("home"))
        assert locked.status_code == 302 and locked["Location"].startswith(reverse("session_locked"))
        page = client.get(locked["Location"]).content.decode()
        assert "after 10 minutes" in page
        # Every other page stays closed while locked.
        assert client.get(reverse("home")).status_code == 302
        assert "not right" in client.post(reverse("session_locked"), {"password": "nope-nope-1"}).content.decode()
        unlocked = client.post(reverse("session_locked"), {"password": password, "next": "/"})
        assert unlocked.status_code == 302 and unlocked["Location"] == "/"
        assert client.get(reverse("home")).status_code == 200


def test_u9_default_idle_lock_is_fifteen_minutes(tenancy, signed_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(tenancy.worker_a)
        client.get(reverse("home"))
        clock.shift(timedelta(minutes=14, seconds=50))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=15, seconds=10))
        assert client.get(reverse("home"))["Location"].startswith(reverse("session_locked"))


def test_u9_heartbeat_from_an_open_page_counts_as_activity(tenancy, signed_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(tenancy.worker_a)
        client.get(reverse("home"))
        clock.shift(timedelta(minutes=14))
        assert client.post(reverse("session_heartbeat")).status_code == 204
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("home")).status_code == 200


def test_u9_repeated_wrong_passwords_on_the_lock_screen_sign_out(tenancy, signed_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(tenancy.worker_a)
        client.get(reverse("home"))
        clock.shift(timedelta(minutes=16))
        client.get(reverse("home"))
        for _ in range(5):
            response = client.post(reverse("session_locked"), {"password": "Not-It-0000"})
        assert response.status_code == 302 and response["Location"] == reverse("login")
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_sign_out_needs_a_post_and_ends_the_session(tenancy, signed_in):
    client = signed_in(tenancy.worker_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_login_page_rejects_an_offsite_next(tenancy, signed_in):
    client = signed_in(tenancy.worker_a)
    response = client.post(reverse("session_heartbeat"))
    assert response.status_code == 204
    from django.test import RequestFactory

    from hmis.views import _safe_next

    request = RequestFactory().get("/?next=https://evil.example/")
    assert _safe_next(request) == reverse("home")
