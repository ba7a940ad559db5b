"""manage.py backup and restore (PostgreSQL): a backup restored into a fresh database holds
the same rows, the same clients (names, decrypted SSNs), ROIs, stays and documents; a
damaged backup, a non-empty target and another key's backup are refused plainly."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clients.models import Client
from consent.models import Roi
from enrollments.models import Enrollment
from hmis import backup as backups
from tests.clients.states import enroll, make_client

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

# Run in the restored database: every table's rows, and a sample of records as people see them.
READ_BACK = """
import json
from django.db import connection
from clients.models import Client
from consent.models import Roi
from enrollments.models import Enrollment
from hmis.backup import row_counts
print(json.dumps({
    "counts": row_counts(),
    "clients": sorted([c.client_id, c.first_name, c.last_name, c.ssn_last4, c.ssn] for c in Client.objects.all()),
    "rois": sorted([r.pk, r.sharing_level, str(r.signed_on)] for r in Roi.objects.all()),
    "stays": sorted([e.enrollment_id, e.client.client_id, str(e.entry_date)] for e in Enrollment.objects.all()),
}))
"""


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for PostgreSQL (the SQLite default is backed up by copying var/)")


@pytest.fixture
def fresh_database(postgresql):
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database: str, media: Path, settings) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"
    return os.environ | {"DATABASE_URL": url, "MEDIA_ROOT": str(media), "PII_KEY": settings.PII_KEY,
                         "DJANGO_SETTINGS_MODULE": "hmis.settings"}


def _some_data(tenancy, settings):
    people = [make_client(tenancy.worker_a, project=tenancy.shelter_a, first=first, last="Backus", ssn=ssn,
                          ssn_data_quality=quality)
              for first, ssn, quality in (("Ida", "111223333", 1), ("Joel", "444556666", 1), ("Kira", "", 99))]
    enroll(tenancy.worker_a, people[0], tenancy.shelter_a)
    document = Path(settings.MEDIA_ROOT) / "consent" / "2026" / "roi-scan.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 a scanned consent form")
    return people, document


def test_backup_restores_into_a_fresh_database_with_the_same_rows_and_records(
        tenancy, settings, tmp_path, fresh_database):
    people, document = _some_data(tenancy, settings)
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out), stdout=open(os.devnull, "w"))

    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.dump", "documents.tar"}
    assert manifest["tables"]["clients_client"] == 3 and manifest["documents"] == 1
    assert "0007_system_state" in manifest["migrations"]["hmis"]
    assert manifest["pii_key_fingerprint"] != settings.PII_KEY and len(manifest["pii_key_fingerprint"]) == 64
    assert settings.PII_KEY not in (out / "manifest.json").read_text()
    assert settings.SECRET_KEY not in (out / "manifest.json").read_text()

    media = tmp_path / "restored-documents"
    env = _env(fresh_database, media, settings)
    done = subprocess.run([sys.executable, "manage.py", "restore", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Row counts match the manifest" in done.stdout

    read = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", READ_BACK], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert read.returncode == 0, read.stderr
    restored = json.loads(read.stdout)
    assert restored["counts"] == backups.row_counts() == manifest["tables"]
    assert restored["clients"] == sorted(
        [c.client_id, c.first_name, c.last_name, c.ssn_last4, c.ssn] for c in Client.objects.all())
    assert ["111223333", "444556666", ""] == [next(c[4] for c in restored["clients"] if c[0] == p.client_id)
                                               for p in people]
    assert restored["rois"] == sorted([r.pk, r.sharing_level, str(r.signed_on)] for r in Roi.objects.all())
    assert restored["stays"] == sorted(
        [e.enrollment_id, e.client.client_id, str(e.entry_date)] for e in Enrollment.objects.all())
    assert len(restored["stays"]) == 1
    assert (media / "consent" / "2026" / "roi-scan.pdf").read_bytes() == document.read_bytes()

    # Restoring again onto the now-filled database is refused, plainly.
    again = subprocess.run([sys.executable, "manage.py", "restore", str(out)], cwd=ROOT,
                           env=env | {"MEDIA_ROOT": str(tmp_path / "elsewhere")}, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode != 0
    assert f"The database {fresh_database} is not empty" in again.stderr and "Traceback" not in again.stderr


def test_damaged_backup_and_another_keys_backup_are_refused_before_anything_is_restored(
        tenancy, settings, tmp_path, postgresql):
    _some_data(tenancy, settings)
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out), stdout=open(os.devnull, "w"))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", "--out", str(out))

    settings.PII_KEY = "a-key-that-did-not-write-this-backup-0123456789abcd"
    with pytest.raises(CommandError, match=r"This backup was written with another PII_KEY \(fingerprint "):
        call_command("restore", str(out))

    with (out / "database.dump").open("ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(CommandError, match="The backup is damaged: database.dump does not match its SHA-256"):
        call_command("restore", str(out))
    assert Client.objects.count() == 3  # nothing touched
