"""manage.py export_hmis_csv --out FILE.zip [--coc CODE] [--agency ID] [--project ID ...]
[--start YYYY-MM-DD] [--end YYYY-MM-DD] [--hash]"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency, Coc, Project
from consent.visibility import Viewer
from hmis.models import User
from reports.hmis_csv.export import Scope, write_export


class Command(BaseCommand):
    help = "Write an HMIS CSV FY2026 export (24 files in a zip), as the HMIS Lead sees the data."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the zip file to write")
        parser.add_argument("--coc", help="HUD CoC code, e.g. MO-500")
        parser.add_argument("--agency", type=int, help="agency ID")
        parser.add_argument("--project", type=int, action="append", default=[], help="project ID (repeatable)")
        parser.add_argument("--start", type=date.fromisoformat)
        parser.add_argument("--end", type=date.fromisoformat)
        parser.add_argument("--hash", action="store_true", help="hash names and SSN (HashStatus 4, SHA-256)")

    def handle(self, *args, **opts):
        lead = User.objects.filter(is_system_admin=True, is_active=True).first()
        if lead is None:
            raise CommandError("No HMIS Lead administrator exists.")
        try:
            scope = Scope(viewer=Viewer(user=lead, license=None),
                          coc=Coc.objects.get(code=opts["coc"]) if opts["coc"] else None,
                          agency=Agency.objects.get(pk=opts["agency"]) if opts["agency"] else None,
                          projects=list(Project.objects.filter(pk__in=opts["project"])),
                          start=opts["start"], end=opts["end"], hashed=opts["hash"])
        except (Coc.DoesNotExist, Agency.DoesNotExist) as missing:
            raise CommandError(str(missing)) from None
        if opts["start"] and opts["end"] and opts["start"] > opts["end"]:
            raise CommandError("--start is after --end")
        started = time.perf_counter()
        counts = write_export(scope, opts["out"])
        self.stdout.write(f"ELAPSED {time.perf_counter() - started:.3f}")
        self.stdout.write(f"Wrote {opts['out']}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
