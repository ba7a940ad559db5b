"""manage.py backup --out DIR: the database (pg_dump custom format), the uploaded documents
and a manifest with row counts, checksums, migrations and the PII key's fingerprint."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hmis.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded documents into a new folder (PostgreSQL). Never the keys."
    # Runs whatever key is configured: the manifest records the fingerprint of the key the
    # database was written with, which is what a restore must be given.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="a new or empty folder, e.g. /backups/2026-12-01")

    def handle(self, *args, **opts):
        try:
            manifest = backup(Path(opts["out"]), log=self.stdout.write)
        except BackupError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {opts['out']} ({sum(manifest['tables'].values()):,} rows, "
            f"{manifest['documents']} documents). It holds no keys: keep PII_KEY's own backup apart (README, \"Keys\")."))
