"""Migrations run back to zero and forward again, on an empty and on a loaded database;
agency groups left behind by that (or by a deleted agency) never stop a new agency."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from agencies import services as agency_services
from agencies.models import Agency
from tests.factories import CocFactory, HmisLeadFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]

# Every app with migrations back to zero, except Django's auth and contenttypes: they hold
# no HMIS data, and auth's own 0002 cannot shrink Permission.name back to 50 characters
# while a permission has a longer name (clients' "serve_client" has 56). Keeping auth
# keeps its groups, which is how leftover `agency:N` groups arise.
ZERO_ALL = """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
for label in sorted(MigrationLoader(connection).migrated_apps - {"auth", "contenttypes"}):
    call_command("migrate", label, "zero", verbosity=0)
left = set(connection.introspection.table_names()) - {"django_migrations", "django_content_type", "auth_permission",
                                                      "auth_group", "auth_group_permissions"}
assert not left, left
"""

CHECK_AGENCIES = """
from agencies.models import Agency
from django.contrib.auth.models import Group
agencies = list(Agency.objects.select_related("group"))
assert agencies and all(a.group.name == f"agency:{a.pk}" for a in agencies), [(a.pk, a.group.name) for a in agencies]
assert not Group.objects.filter(name__startswith="agency:", agency__isnull=True).exists()
print(len(agencies), "agencies")
"""


@pytest.mark.django_db
def test_a_new_agency_takes_over_the_name_of_an_orphan_group_without_its_members():
    lead = HmisLeadFactory()
    admin = UserFactory(is_system_admin=True)
    coc = CocFactory(lead=lead)
    first = agency_services.agency_save(actor=admin, name="First Agency", cocs=[coc])
    # Left from an agency that is gone (its table migrated to zero and back restarts the numbering).
    stale = Group.objects.create(name=f"agency:{first.pk + 1}")
    former_member = UserFactory()
    former_member.groups.add(stale)

    second = agency_services.agency_save(actor=admin, name="Second Agency", cocs=[coc])

    assert second.pk == first.pk + 1
    assert second.group.name == f"agency:{second.pk}"
    assert not former_member.groups.filter(pk=second.group.pk).exists()
    assert not Group.objects.filter(pk=stale.pk).exists()


@pytest.mark.django_db
def test_deleting_an_agency_deletes_its_group():
    lead = HmisLeadFactory()
    admin = UserFactory(is_system_admin=True)
    agency = agency_services.agency_save(actor=admin, name="Short-lived Agency", cocs=[CocFactory(lead=lead)])
    group_pk = agency.group.pk
    Agency.objects.filter(pk=agency.pk).delete()
    assert not Group.objects.filter(pk=group_pk).exists()


@pytest.fixture
def scratch_database(tmp_path):
    """A database of the suite's kind for child processes, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_migrations_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # CREATE DATABASE runs outside a transaction
def test_every_app_migrates_to_zero_and_forward_on_an_empty_and_a_loaded_database(scratch_database, tmp_path):
    env = os.environ | {"DATABASE_URL": scratch_database, "DJANGO_SETTINGS_MODULE": "hmis.settings",
                        "MEDIA_ROOT": str(tmp_path / "documents")}

    def run(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, f"manage.py {' '.join(args[:2])}:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        return done.stdout

    run("migrate", "-v0")  # empty database: forward,
    run("shell", "-v0", "-c", ZERO_ALL)  # back to zero,
    run("migrate", "-v0")  # and forward again
    run("seed_demo")  # rows made through the services (agencies, people, clients, consents, stays)
    run("shell", "-v0", "-c", ZERO_ALL)  # loaded database: back to zero (the agency groups stay),
    run("migrate", "-v0")  # forward,
    run("seed_demo")  # and new agencies get the numbers of the leftover groups
    assert "agencies" in run("shell", "-v0", "-c", CHECK_AGENCIES)
