"""Audit trail (DESIGN conv. 5): every change and every read of client data.

Changes: django-auditlog is registered here for every model of the HMIS's own
apps, so a new model is audited without anyone remembering to. A model can say
``audit_exclude = [...]`` (never logged, e.g. password hashes), ``audit_mask = [...]``
(logged masked, e.g. SSN shown as its last 4) and ``audit_m2m = [...]``.

Reads: ``log_access`` writes an ACCESS entry with how the record was seen; the
actor and agency come from the request (AuditContextMiddleware) or from the
``acting_as`` context in Celery tasks.
"""

import contextlib

from auditlog.context import set_extra_data
from auditlog.registry import auditlog
from django.apps import apps

DOMAIN_APPS = ("hmis", "agencies", "clients", "consent", "enrollments", "compliance", "reports")
NEVER_AUDITED = {"hmis.auditentry"}


def register_domain_models() -> None:
    for app_label in DOMAIN_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.label_lower in NEVER_AUDITED or auditlog.contains(model):
                continue
            auditlog.register(
                model,
                exclude_fields=list(getattr(model, "audit_exclude", [])),
                mask_fields=list(getattr(model, "audit_mask", [])),
                m2m_fields=set(getattr(model, "audit_m2m", [])),
            )


def log_access(obj, *, kind: str, actor=None, agency=None, client_ref: str = "", note: str = ""):
    """Record that ``obj`` was read. ``kind`` is one of AuditEntry.AccessKind."""
    from .models import AuditEntry

    extra = {"access_kind": kind, "client_ref": client_ref}
    if actor is not None:
        extra["actor"] = actor
    if agency is not None:
        extra["agency"] = agency
    return AuditEntry.objects.log_create(
        obj,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        changes=None,
        additional_data={"note": note} if note else None,
        **extra,
    )


def log_shown(clients, *, kind: str, actor, agency=None, note: str = "") -> None:
    """Record that these clients were shown in a list (search results, duplicate
    candidates): one entry per client in one INSERT, so a client's audit printout (R2)
    lists every search that showed them without a search costing a query per result."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    clients = list(clients)
    if not clients:
        return
    content_type = ContentType.objects.get_for_model(type(clients[0]))
    cid = get_cid()
    AuditEntry.objects.bulk_create([
        AuditEntry(content_type=content_type, object_pk=str(c.pk), object_id=c.pk, object_repr=str(c),
                   action=AuditEntry.Action.ACCESS, access_kind=kind, client_ref=c.client_id, actor=actor,
                   agency=agency, cid=cid, additional_data={"note": note} if note else None)
        for c in clients
    ])


@contextlib.contextmanager
def acting_as(user, agency_id=None):
    """Attribute audit entries written outside a request (Celery tasks, commands)."""
    with set_extra_data(context_data={"actor": user, "agency_id": agency_id, "remote_addr": None}):
        yield
