"""`manage.py seed_demo`: the demo HMIS of the README, loaded twice without change."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from agencies.models import Agency, Coc, License
from hmis.demo import DEMO_PASSWORD, LOGINS, totp_secret_for
from hmis.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_loads_the_demo_and_prints_every_login_with_password_and_totp_secret():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for login in LOGINS:
        assert login.username in printed
        assert totp_secret_for(login.username) in printed
    assert DEMO_PASSWORD in printed

    policies = dict(Coc.objects.values_list("code", "no_sharing_policy"))
    assert sorted(policies.values()) == ["locked_record", "no_record"]
    a, b, c, v = (Agency.objects.get(name__startswith=f"Agency {x}:") for x in "ABCV")
    assert a.cocs.get().no_sharing_policy == b.cocs.get().no_sharing_policy == "no_record"
    assert c.cocs.get().no_sharing_policy == "locked_record"
    assert v.is_victim_service_provider
    assert len({p.project_type for p in a.projects.all()} | {p.project_type for p in b.projects.all()}) >= 4
    assert User.objects.get(username="lead").is_system_admin

    def license(username):
        return License.objects.get(user__username=username)

    assert license("director_a").role == "executive_director" and license("director_a").agency == a
    assert license("rep_a").role == "authorized_representative"
    assert license("worker_a").access_level == "full"
    assert license("viewer_b").access_level == "view_only" and license("viewer_b").agency == b
    assert license("reporter_b").access_level == "reporting_only"
    assert license("worker_c").agency == c and license("worker_v").agency == v


def test_seed_demo_has_clients_in_every_consent_state():
    from clients.models import Client
    from consent.models import ClientLock, OptOutTally

    call_command("seed_demo", stdout=StringIO())
    by_name = {c.search_name: c for c in Client.objects.all()}
    assert by_name["rosa delgado"].sharing == "full"
    assert by_name["james whitaker"].sharing == "limited"
    assert by_name["denise harlow"].sharing == "none" and by_name["denise harlow"].rois.get().expires_on < by_name["denise harlow"].created_at.date()
    assert by_name["samuel ortiz"].rois.get().revoked_on is not None
    assert ClientLock.objects.filter(client=by_name["amara nwosu"], part="demographics", status="active").exists()
    assert by_name["henry lindqvist"].entered_in_protected_project
    assert by_name["lily brandt"].locked_to_agency.name.startswith("Agency C")
    assert by_name["mateo delgado"].rois.get() == by_name["rosa delgado"].rois.get()
    assert OptOutTally.objects.exists()


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = row_counts()
    audit_before = AuditEntry.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == before
    assert AuditEntry.objects.count() == audit_before


def test_demo_logins_sign_in_with_the_printed_password(client):
    call_command("seed_demo", stdout=StringIO())
    for login in LOGINS:
        assert User.objects.get(username=login.username).check_password(DEMO_PASSWORD)
