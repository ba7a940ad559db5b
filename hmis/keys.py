"""Which PII_KEY wrote this database, and refusing to run with another one.

The database records the fingerprint of the PII key (hmis/crypto.py::fingerprint: an
HMAC of a constant, never the key) the first time it is migrated. Every entry point
compares it with the configured key before it reads or writes anything:

- manage.py commands (runserver, migrate, the commands of the apps): a system check
  of error level (hmis.E001), which Django runs before a command and which stops it;
- gunicorn (and any WSGI server): hmis/wsgi.py, once the application is loaded;
- the Celery worker and beat: their ``worker_init`` and ``beat_init`` signals.

A system check alone would miss gunicorn and Celery, which run no checks; a check in
AppConfig.ready() would query the database while apps load (Django warns against it,
and under the test runner it would reach the configured database, not the test one).
``manage.py shell`` and ``dbshell`` run no checks on purpose: they are the tools to
look at a database whose key is in doubt.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connections

from hmis import crypto

FINGERPRINT_SHOWN = 16  # characters of the fingerprint in messages: enough to tell keys apart


class KeyMismatch(Exception):
    """This database (or backup) was written with another PII_KEY than the configured one."""


def short(fingerprint: str) -> str:
    return fingerprint[:FINGERPRINT_SHOWN]


def mismatch_message(recorded: str, what: str = "This database") -> str:
    return (
        f"{what} was written with another PII_KEY (fingerprint {short(recorded)}; the configured key's is "
        f"{short(crypto.fingerprint())}). Start with the key it was written with, or restore a backup taken with "
        "this key (manage.py restore). To change keys, run manage.py rotate_pii_key with the old key configured "
        "(see README, \"Keys\")."
    )


def recorded_fingerprint(using: str = "default") -> str | None:
    """The fingerprint recorded in the database; None when there is none yet (a new
    database, or one migrated before the table existed) or the database cannot be read."""
    from hmis.models import SystemState

    try:
        row = SystemState.objects.using(using).filter(name=SystemState.PII_KEY_FINGERPRINT).first()
    except DatabaseError:
        # No table yet (migrate on an empty database), or no database: not this check's
        # to report (migrate creates the table; /healthz reports the database).
        connections[using].close_if_unusable_or_obsolete()
        return None
    return row.value if row else None


def verify(using: str = "default") -> None:
    """Raise KeyMismatch with the plain message if the database was written with another key."""
    recorded = recorded_fingerprint(using)
    if recorded is not None and recorded != crypto.fingerprint():
        raise KeyMismatch(mismatch_message(recorded))


def _sample_readable(using: str, tables) -> bool:
    """Whether an SSN of the database (if it holds any) decrypts with the configured key."""
    from clients.models import Client

    if Client._meta.db_table not in tables:
        return True
    sample = (Client.objects.using(using).exclude(ssn_encrypted="").order_by("pk")
              .values_list("ssn_encrypted", flat=True).first())
    try:
        crypto.decrypt(sample or "")
    except crypto.UndecryptableValue:
        return False
    return True


UNRECORDED_MISMATCH = (
    "This database holds SSNs encrypted with another PII_KEY than the configured one (it has no recorded key "
    "fingerprint: it was written before fingerprints were kept). Start with the key it was written with."
)


def verify_deep(using: str = "default") -> None:
    """verify(), and for a database with no fingerprint yet, one of its SSNs decrypted."""
    verify(using)
    if recorded_fingerprint(using) is None:
        tables = connections[using].introspection.table_names()
        if not _sample_readable(using, tables):
            raise KeyMismatch(UNRECORDED_MISMATCH)


def record(using: str = "default") -> None:
    """Record the configured key's fingerprint if the database has none yet. A database
    that already holds SSNs must be readable with the key (one is decrypted): a database
    filled by a checkout with another generated key is refused, not stamped as ours."""
    from hmis.models import SystemState

    tables = connections[using].introspection.table_names()
    if SystemState._meta.db_table not in tables or recorded_fingerprint(using) is not None:
        return  # migrated back to before the table, or recorded already
    if not _sample_readable(using, tables):
        raise KeyMismatch(UNRECORDED_MISMATCH)
    SystemState.objects.using(using).get_or_create(
        name=SystemState.PII_KEY_FINGERPRINT, defaults={"value": crypto.fingerprint()})


# --- Entry points -------------------------------------------------------------------------


def check_pii_key(app_configs=None, **kwargs):
    """System check (registered in hmis/apps.py): every manage.py command that runs
    checks stops here with the plain message."""
    try:
        verify()
    except KeyMismatch as mismatch:
        return [checks.Error(str(mismatch), id="hmis.E001")]
    return []


def refuse_to_start() -> None:
    """For processes that run no system checks (gunicorn, Celery): exit with the plain
    message, no traceback."""
    try:
        verify()
    except KeyMismatch as mismatch:
        raise SystemExit(f"Refusing to start: {mismatch}") from None
    finally:
        # A worker forked after this (gunicorn's preload) must not share the connection.
        connections.close_all()


def refuse_to_start_celery(**kwargs) -> None:
    refuse_to_start()


def record_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate of the hmis app: the first migrate records the key's fingerprint."""
    from django.core.management.base import CommandError

    try:
        record(using)
    except KeyMismatch as mismatch:
        raise CommandError(str(mismatch)) from None


class UndecryptableValueMiddleware:
    """A value that cannot be decrypted with the configured key (a record copied in from a
    database with another key) answers with the plain message, not a traceback page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, crypto.UndecryptableValue):
            return None
        import logging

        from django.http import HttpResponse
        from django.utils.html import escape

        logging.getLogger("hmis.keys").error("%s (path %s)", exception, request.path)
        return HttpResponse(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cannot read this record</title>"
            f"</head>\n<body><main><h1>Cannot read this record</h1><p>{escape(str(exception))}</p>"
            "<p>Nothing you saved was lost. Tell the HMIS Lead help desk.</p></main></body></html>",
            status=500,
        )


# --- Rotation -------------------------------------------------------------------------------


def rotate(new_key: str, log=print) -> int:
    """Re-encrypt every SSN and recompute its keyed hashes with ``new_key``, and record the
    new key's fingerprint, in one transaction: either all of it or nothing. Run with the
    old key configured and the HMIS stopped; then replace PII_KEY with the new key.
    Returns the number of clients re-encrypted."""
    import hashlib
    import hmac

    from django.db import connection, transaction

    from clients.models import Client
    from hmis.models import SystemState

    new_key = new_key.strip()
    if len(new_key) < 32:
        raise KeyMismatch("The new PII_KEY is too short: use at least 32 random characters "
                          "(python -c \"import secrets; print(secrets.token_urlsafe(50))\").")
    if new_key == settings.PII_KEY:
        raise KeyMismatch("The new PII_KEY is the configured key: nothing to rotate.")
    with transaction.atomic():
        record()
        state = SystemState.objects.select_for_update().get(name=SystemState.PII_KEY_FINGERPRINT)
        if state.value != crypto.fingerprint():
            raise KeyMismatch(mismatch_message(state.value))
        fernet = crypto._fernet_for(crypto.derive(new_key, "ssn-encryption"))
        ssn_key, last4_key = crypto.derive(new_key, "ssn"), crypto.derive(new_key, "ssn-last4")

        def hashed(key, value):
            return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

        table = connection.ops.quote_name(Client._meta.db_table)
        sql = f"UPDATE {table} SET ssn_encrypted = %s, ssn_hash = %s, ssn_last4_hash = %s WHERE id = %s"
        done, batch = 0, []
        rows = Client.objects.exclude(ssn_encrypted="").order_by("pk").values_list("pk", "ssn_encrypted")
        for pk, token in rows.iterator(chunk_size=5000):
            digits = crypto.decrypt(token)  # a value under yet another key stops the whole rotation
            batch.append((fernet.encrypt(digits.encode()).decode() if digits else "",
                          hashed(ssn_key, digits) if len(digits) == 9 else "",
                          hashed(last4_key, digits[-4:]) if len(digits) >= 4 else "", pk))
            if len(batch) == 5000:
                with connection.cursor() as cursor:
                    cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                log(f"re-encrypted {done:,} clients")
        if batch:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            done += len(batch)
        state.value = crypto.fingerprint(new_key)
        state.save(update_fields=["value", "updated_at"])
    return done
