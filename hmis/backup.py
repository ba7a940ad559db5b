"""Backup and restore of the database and the uploaded documents (PostgreSQL only).

A backup is a folder:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``documents.tar``: everything under MEDIA_ROOT (the scanned consent forms);
- ``manifest.json``: when, the rows of every table, the SHA-256 of each file above, the
  migrations applied, and the fingerprint of the PII key the data was written with
  (never a key: SECRET_KEY and PII_KEY are kept apart, see README "Keys").

The row counts are taken inside the same snapshot pg_dump reads (``pg_export_snapshot``
in a repeatable-read transaction, ``pg_dump --snapshot``), so they describe the dump
exactly even while people keep working.

The embedded SQLite default has no backup command: stop the app and copy var/ (README).
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hmis import crypto, keys

FORMAT = 1
DUMP = "database.dump"
DOCUMENTS = "documents.tar"
MANIFEST = "manifest.json"
# A database is "empty" for a restore when none of these holds a row: no HMIS Lead, CoC,
# agency, person or client. `migrate` itself fills a few tables (training modules, the
# key fingerprint, content types), so "no rows anywhere" would refuse a freshly migrated
# database, which is what docker-compose's migrate service leaves.
SIGNS_OF_DATA = ("hmis_user", "agencies_hmislead", "agencies_coc", "agencies_agency", "clients_client")

class BackupError(Exception):
    """A refusal with a plain message (the commands print it, no traceback)."""


# --- Helpers ------------------------------------------------------------------------------


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore are for PostgreSQL. The embedded SQLite default keeps everything under var/: "
            "stop the HMIS and copy that folder (README, \"Backups\").")


def _pg_env() -> dict:
    """libpq's environment for the configured database; the password never goes on a command line."""
    db = connection.settings_dict
    env = os.environ.copy()
    for variable, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                            ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", db.get("NAME"))):
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    options = db.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _tool_major(tool: str) -> int:
    path = shutil.which(tool)
    if not path:
        raise BackupError(f"{tool} is not installed. Install PostgreSQL's client tools "
                          "(Debian: postgresql-client) of the server's major version or newer.")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if not match:
        raise BackupError(f"Cannot tell the version of {tool} from: {output.strip()}")
    return int(match.group(1))


def server_major() -> int:
    return connection.pg_version // 10000 if connection.pg_version >= 100000 else connection.pg_version // 100


def check_tool_version(tool: str, needed: int, what: str) -> int:
    major = _tool_major(tool)
    if major < needed:
        raise BackupError(
            f"{tool} is version {major}, older than {what} ({needed}); it cannot be used. Install the client tools "
            f"of version {needed} or newer (Debian: postgresql-client-{needed}) and run this again.")
    return major


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup -------------------------------------------------------------------------------


def backup(out: Path, log=print) -> dict:
    _require_postgresql()
    connection.ensure_connection()
    pg_dump_major = check_tool_version("pg_dump", server_major(), f"the server ({connection.pg_version})")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty. Give a new folder, e.g. --out /backups/$(date +%F).")
    out.mkdir(mode=0o700, parents=True, exist_ok=True)

    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(),
                "database": {"engine": "postgresql", "name": connection.settings_dict["NAME"],
                             "server_version": connection.pg_version, "pg_dump_major": pg_dump_major}}
    # One snapshot for the counts and the dump: they describe the same data.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        manifest["tables"] = row_counts()
        manifest["migrations"] = _applied_migrations()
        recorded = keys.recorded_fingerprint()
        log(f"Dumping the database ({sum(manifest['tables'].values()):,} rows in {len(manifest['tables'])} tables)")
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={out / DUMP}"],
            env=_pg_env(), capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[-2000:]}")
    # The fingerprint of the key the data was written with (the database's record), or,
    # for a database that has none yet, the configured key's.
    manifest["pii_key_fingerprint"] = recorded or crypto.fingerprint()

    media = Path(settings.MEDIA_ROOT)
    documents = 0
    with tarfile.open(out / DOCUMENTS, "w") as archive:
        if media.exists():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)), recursive=False)
                    documents += 1
    manifest["documents"] = documents
    log(f"Copied {documents} uploaded document file(s)")
    manifest["files"] = {name: sha256(out / name) for name in (DUMP, DOCUMENTS)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


# --- Restore ------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup made by manage.py backup.")
    try:
        manifest = json.loads(path.read_text())
    except ValueError:
        raise BackupError(f"{path} is not readable JSON: the backup is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is of format {manifest.get('format')!r}; this version restores format {FORMAT}.")
    return manifest


def verify_checksums(folder: Path, manifest: dict) -> None:
    for name, expected in manifest["files"].items():
        path = Path(folder) / name
        if not path.exists():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if sha256(path) != expected:
            raise BackupError(f"The backup is damaged: {name} does not match its SHA-256 in {MANIFEST}.")


def _refuse_unless_empty() -> None:
    """Refuse a target that holds HMIS data, or tables this HMIS does not know."""
    name = connection.settings_dict["NAME"]
    tables = set(_tables())
    ours = set(connection.introspection.django_table_names()) | {"django_migrations"}
    foreign = sorted(tables - ours)
    if foreign:
        raise BackupError(
            f"The database {name} holds tables this HMIS does not know ({', '.join(foreign[:5])}"
            f"{' and more' if len(foreign) > 5 else ''}): is DATABASE_URL pointing at the right database? Restore "
            "only onto an empty database: create a new one (createdb), point DATABASE_URL at it and run restore again.")
    holding = {}
    with connection.cursor() as cursor:
        for table in SIGNS_OF_DATA:
            if table in tables:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                if rows := cursor.fetchone()[0]:
                    holding[table] = rows
    if holding:
        listed = ", ".join(f"{table} ({rows} rows)" for table, rows in holding.items())
        raise BackupError(
            f"The database {name} is not empty: {listed}. Restore only onto an empty database: create a new one "
            "(createdb), point DATABASE_URL at it and run restore again.")

def restore(folder: Path, log=print) -> dict:
    _require_postgresql()
    folder = Path(folder)
    manifest = read_manifest(folder)
    log("Checking the files against the manifest's checksums")
    verify_checksums(folder, manifest)
    if manifest["pii_key_fingerprint"] != crypto.fingerprint():
        raise BackupError(keys.mismatch_message(manifest["pii_key_fingerprint"], what="This backup"))
    connection.ensure_connection()
    check_tool_version("pg_restore", manifest["database"]["pg_dump_major"],
                       "the pg_dump that made this backup")
    name = connection.settings_dict["NAME"]
    _refuse_unless_empty()
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"The documents folder {media} (MEDIA_ROOT) is not empty. Restore into an empty one.")
    if _tables():
        # Migrated but empty (docker-compose's migrate service runs first): start from nothing,
        # so the restored schema and migration records are exactly the backup's.
        log(f"Clearing the empty, migrated database {name}")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    log(f"Restoring the database into {name}")
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={name}", str(folder / DUMP)],
        env=_pg_env(), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed (nothing was restored): {done.stderr.strip()[-2000:]}")
    connection.close()  # the restored tables, not a cached view of the empty database
    counts = row_counts()
    different = {table: (rows, counts.get(table)) for table, rows in manifest["tables"].items()
                 if counts.get(table) != rows}
    if different:
        listed = ", ".join(f"{t}: {want} in the backup, {got} restored" for t, (want, got) in sorted(different.items())[:5])
        raise BackupError(f"The restored row counts differ from the backup's: {listed}.")
    log(f"Row counts match the manifest ({sum(counts.values()):,} rows in {len(counts)} tables)")
    media.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tarfile.open(folder / DOCUMENTS) as archive:
        archive.extractall(media, filter="data")
    log(f"Restored {manifest['documents']} uploaded document file(s) into {media}")
    return manifest
