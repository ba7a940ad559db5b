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
from django.db import transaction

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


ONE_INSERT_MAX = 100  # entries written in one statement (a search shows at most 25)


def log_shown(clients, *, kind: str, actor, agency=None, note: str = "", model=None) -> None:
    """Record that these clients were shown in a list (search results, duplicate
    candidates): one entry per client in one INSERT, so a client's audit printout (R2)
    lists every search that showed them without a search costing a query per result.
    ``clients`` need only ``pk`` and ``client_id`` when ``model`` names their model."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    clients = list(clients)
    if not clients:
        return
    model = model or type(clients[0])
    fields = {"content_type": ContentType.objects.get_for_model(model), "action": AuditEntry.Action.ACCESS,
              "access_kind": kind, "actor": actor, "agency": agency, "cid": get_cid(),
              "additional_data": {"note": note} if note else None}
    connection = transaction.get_connection()
    if connection.in_atomic_block or len(clients) > ONE_INSERT_MAX or connection.vendor != "postgresql":
        AuditEntry.objects.bulk_create([  # in batches the database accepts
            AuditEntry(object_pk=str(c.pk), object_id=c.pk, object_repr=_repr(model, c), client_ref=c.client_id,
                       **fields) for c in clients])
        return
    # Outside a transaction one INSERT is atomic and committed by itself, before the page
    # that shows these clients is served (bulk_create() would add BEGIN and COMMIT, two
    # more round trips). What every entry shares is prepared once, from one entry, by
    # the model's own fields; per client only its id, reference and repr (as unnest()
    # arrays): on every search this was 25 model instances and their INSERT compiled.
    prototype = AuditEntry(**fields)
    columns, select, params = [], [], []
    for field in AuditEntry._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in _PER_CLIENT:
            select.append(f"shown.{field.attname}")
        else:
            # Cast to the column's type: an untyped NULL would be text, which jsonb or inet refuse.
            select.append(f"%s::{field.db_type(connection)}")
            params.append(field.get_db_prep_save(field.pre_save(prototype, add=True), connection))
    params += [[str(c.pk) for c in clients], [c.pk for c in clients], [_repr(model, c) for c in clients],
               [c.client_id for c in clients]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(AuditEntry._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[]) "
            f"AS shown({', '.join(_PER_CLIENT)})", params)


_PER_CLIENT = ("object_pk", "object_id", "object_repr", "client_ref")  # in unnest()'s order


def _repr(model, client) -> str:
    """The client's text as its model writes it (never the name: see Client.__str__). For a
    stand-in (a search result's summary) the model's __str__ reads the same attributes
    from it (Client: display_id), without building a model instance per client."""
    return str(client) if isinstance(client, model) else model.__str__(client)


@contextlib.contextmanager
def acting_as(user, agency_id=None):
    """Attribute audit entries written outside a request (Celery tasks, commands)."""
    with set_extra_data(context_data={"actor": user, "agency_id": agency_id, "remote_addr": None}):
        yield
