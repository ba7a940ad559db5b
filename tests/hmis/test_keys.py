"""The PII key's fingerprint: recorded in the database, a different key refused with a plain
message at every start (no InvalidToken traceback), and rotation to a new key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.test import RequestFactory

from clients.models import Client
from clients.selectors import search_clients
from consent.visibility import Viewer
from hmis import crypto, keys
from hmis.models import SystemState
from tests.clients.states import license_of, make_client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OTHER_KEY = "another-checkout-generated-this-key-0123456789abcdef"
PLAIN = "This database was written with another PII_KEY (fingerprint "


def test_first_migrate_records_the_key_fingerprint_never_the_key(settings):
    recorded = SystemState.objects.get(name=SystemState.PII_KEY_FINGERPRINT).value
    assert recorded == crypto.fingerprint()
    assert settings.PII_KEY not in recorded
    assert crypto.fingerprint("a") != crypto.fingerprint("b")


def test_another_key_is_refused_with_the_plain_message(settings):
    settings.PII_KEY = OTHER_KEY
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    message = str(refused.value)
    assert PLAIN in message and "Start with the key it was written with, or restore" in message
    assert "InvalidToken" not in message
    settings.PII_KEY = OTHER_KEY + "x"
    with pytest.raises(CommandError, match="(?s)was filled with another PII_KEY.*make bench BENCH_REBUILD=1"):
        call_command("bench", "--check-key")


@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_manage_py_refuse_to_start_with_another_key_without_a_traceback():
    if connection.vendor != "postgresql":
        pytest.skip("a second process reaches the test database on PostgreSQL only")
    db = connection.settings_dict
    env = os.environ | {"PII_KEY": OTHER_KEY, "DJANGO_SETTINGS_MODULE": "hmis.settings",
                        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"}
    for command in ([sys.executable, "-c", "import hmis.wsgi"], [sys.executable, "manage.py", "migrate"]):
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        assert PLAIN in done.stderr
        assert "Traceback" not in done.stderr and "InvalidToken" not in done.stderr


def test_a_database_without_fingerprint_but_ssns_of_another_key_is_not_stamped(tenancy, settings):
    make_client(tenancy.worker_a, project=tenancy.shelter_a)
    SystemState.objects.filter(name=SystemState.PII_KEY_FINGERPRINT).delete()
    settings.PII_KEY = OTHER_KEY
    with pytest.raises(keys.KeyMismatch, match="holds SSNs encrypted with another PII_KEY"):
        keys.record()
    assert not SystemState.objects.filter(name=SystemState.PII_KEY_FINGERPRINT).exists()


def test_an_ssn_of_another_key_reads_as_a_plain_error_not_a_traceback(tenancy, settings):
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    settings.PII_KEY = OTHER_KEY
    with pytest.raises(crypto.UndecryptableValue) as error:
        _ = Client.objects.get(pk=client.pk).ssn
    assert "cannot be read with the configured PII_KEY" in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__  # no InvalidToken chained
    page = keys.UndecryptableValueMiddleware(lambda request: None).process_exception(
        RequestFactory().get("/clients/x"), error.value)
    assert page.status_code == 500
    assert b"cannot be read with the configured PII_KEY" in page.content


def test_rotation_re_encrypts_every_ssn_and_last4_search_still_finds_the_client(tenancy, settings, monkeypatch):
    old_key = settings.PII_KEY
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Rotia", last="Keyes", ssn="314159265")
    before = Client.objects.get(pk=client.pk)
    new_key = "the-new-pii-key-for-rotation-0123456789abcdefghijkl"
    monkeypatch.setenv("NEW_PII_KEY", new_key)
    call_command("rotate_pii_key", stdout=open(os.devnull, "w"))

    after = Client.objects.get(pk=client.pk)
    assert after.ssn_encrypted != before.ssn_encrypted and after.ssn_last4_hash != before.ssn_last4_hash
    assert SystemState.objects.get(name=SystemState.PII_KEY_FINGERPRINT).value == crypto.fingerprint(new_key)
    with pytest.raises(keys.KeyMismatch):  # the old key is now refused
        keys.verify()

    settings.PII_KEY = new_key
    keys.verify()
    assert Client.objects.get(pk=client.pk).ssn == "314159265"
    viewer = Viewer(user=tenancy.worker_a, license=license_of(tenancy.worker_a, tenancy.shelter_a.agency))
    found = search_clients(viewer=viewer, ssn_last4="9265")
    assert [c.client_id for c in found] == [client.client_id]
    assert settings.PII_KEY != old_key


def test_rotation_refuses_a_short_key_and_changes_nothing(tenancy, monkeypatch):
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    before = Client.objects.get(pk=client.pk).ssn_encrypted
    monkeypatch.setenv("NEW_PII_KEY", "short")
    with pytest.raises(CommandError, match="Nothing was changed. The new PII_KEY is too short"):
        call_command("rotate_pii_key")
    assert Client.objects.get(pk=client.pk).ssn_encrypted == before
