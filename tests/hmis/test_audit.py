"""Audit (DESIGN conv. 5): every change of a domain model is logged with its actor
and agency context, in web requests and in Celery tasks; reads are logged by kind."""

import pytest
from auditlog.registry import auditlog
from celery import shared_task
from django.apps import apps
from django.urls import reverse

from agencies.models import Agency, Coc
from hmis.audit import DOMAIN_APPS, NEVER_AUDITED, acting_as, log_access
from hmis.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def test_every_domain_model_is_audited():
    missing = [
        model._meta.label
        for app in DOMAIN_APPS
        if apps.is_installed(app) or app in {c.label for c in apps.get_app_configs()}
        for model in apps.get_app_config(app).get_models()
        if model._meta.label_lower not in NEVER_AUDITED and not auditlog.contains(model)
    ]
    assert missing == []


def test_password_hashes_and_session_keys_never_reach_the_audit_log(tenancy):
    user = tenancy.worker_a
    user.set_password("Another-Lamp-2230")
    user.save()
    for entry in AuditEntry.objects.filter(content_type__model="user"):
        assert "password" not in (entry.changes or {})
        assert "current_session_key" not in (entry.changes or {})


def test_changes_made_through_a_page_record_the_actor_and_their_agency_context(tenancy, signed_in):
    from agencies.models import License

    # An administrator who also holds a license works in that agency's context.
    from tests.factories import LicenseFactory

    LicenseFactory(user=tenancy.admin, agency=tenancy.agency_a, role=License.Role.DESIGNATED_CONTACT)
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:coc_edit", args=[tenancy.coc1.pk]),
        {"code": "TS-500", "name": "Renamed CoC", "no_sharing_policy": "no_record", "roi_validity_months": 12,
         "timeliness_hours": 72, "idle_lock_minutes": 15, "practice_case_attempts": 3,
         "reapply_wait_months": 6, "opt_out_alert_threshold": 2, "roi_expiry_warning_days": 30},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(content_type__model="coc", object_pk=str(tenancy.coc1.pk)).latest("timestamp")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == tenancy.admin
    assert entry.agency == tenancy.agency_a
    assert entry.changes_dict["name"][1] == "Renamed CoC"


@shared_task
def rename_agency_task(agency_id, actor_id, new_name):
    """A task in the project's style: ids in, the actor named for the audit."""
    actor = User.objects.get(pk=actor_id)
    with acting_as(actor):
        agency = Agency.objects.get(pk=agency_id)
        agency.name = new_name
        agency.save()


def test_changes_made_in_a_celery_task_record_the_actor(tenancy):
    rename_agency_task.delay(tenancy.agency_b.pk, tenancy.admin.pk, "Agency B renamed")
    entry = AuditEntry.objects.filter(content_type__model="agency", object_pk=str(tenancy.agency_b.pk)).latest("timestamp")
    assert entry.actor == tenancy.admin
    assert entry.changes_dict["name"][1] == "Agency B renamed"


def test_reads_are_logged_with_how_the_record_was_seen(tenancy):
    coc = Coc.objects.get(pk=tenancy.coc1.pk)
    entry = log_access(coc, kind=AuditEntry.AccessKind.PRINT, actor=tenancy.worker_a, agency=tenancy.agency_a,
                       client_ref="H7Q2-K9XM")
    entry.refresh_from_db()
    assert entry.action == AuditEntry.Action.ACCESS
    assert entry.access_kind == "print"
    assert entry.actor == tenancy.worker_a and entry.agency == tenancy.agency_a
    assert AuditEntry.objects.filter(client_ref="H7Q2-K9XM").count() == 1
