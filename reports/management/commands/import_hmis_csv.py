"""manage.py import_hmis_csv PATH [--sharing locked|serving] [--by USERNAME] [--create-cocs]"""

import time

from django.core.management.base import BaseCommand, CommandError

from hmis.models import User
from reports.hmis_csv.importer import import_hmis_csv
from reports.models import ImportRun


class Command(BaseCommand):
    help = "Check and load an HMIS CSV FY2026 export (folder or zip), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--sharing", choices=ImportRun.Sharing.values, default=ImportRun.Sharing.LOCKED,
                            help="HMIS CSV carries no consent: how the imported clients are shared")
        parser.add_argument("--by", help="the HMIS Lead administrator running the import (default: the first)")
        parser.add_argument("--create-cocs", action="store_true",
                            help="create the CoCs ProjectCoC.csv names that are not set up yet, under the HMIS Lead")

    def handle(self, *args, **opts):
        admins = User.objects.filter(is_system_admin=True, is_active=True)
        actor = admins.filter(username=opts["by"]).first() if opts["by"] else admins.first()
        if actor is None:
            raise CommandError("Run the import as an HMIS Lead administrator (--by USERNAME).")
        started = time.perf_counter()
        run = import_hmis_csv(opts["path"], actor=actor, sharing=opts["sharing"], create_cocs=opts["create_cocs"])
        self.stdout.write(f"ELAPSED {time.perf_counter() - started:.3f}")
        for file, line, column, message, severity in run.problems:
            self.stdout.write(f"{severity.upper()}: {file} line {line} {column}: {message}".replace("  ", " "))
        if run.status == ImportRun.Status.REJECTED:
            raise CommandError(f"Nothing was loaded: {len(run.errors)} errors.")
        self.stdout.write("Loaded: " + ", ".join(f"{k} {v}" for k, v in run.counts.items()))
