"""manage.py restore DIR: a backup made by manage.py backup, onto an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hmis.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup folder onto an EMPTY database and documents folder: checksums are verified first, "
            "row counts after; refused if the backup was written with another PII_KEY.")
    requires_system_checks = []  # the target is empty: there is no key to check it against yet

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the folder manage.py backup wrote")

    def handle(self, *args, **opts):
        try:
            restore(Path(opts["folder"]), log=self.stdout.write)
        except BackupError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(
            "Restored. Next: manage.py migrate (if this code is newer than the backup), then start the HMIS."))
