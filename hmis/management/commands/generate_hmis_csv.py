"""manage.py generate_hmis_csv --clients N --out FILE.zip [--messy] [--seed S]"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.hmis_csv.messy import write_export


class Command(BaseCommand):
    help = ("Write a synthetic HMIS CSV FY2026 export of N clients (no database needed); with --messy, the "
            "faults real vendor exports carry, each at a known rate (the counts are printed).")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True)
        parser.add_argument("--out", required=True, help="the zip file to write")
        parser.add_argument("--messy", action="store_true")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        if opts["clients"] < 1:
            raise CommandError("--clients must be at least 1.")
        out = Path(opts["out"])
        if out.suffix.lower() != ".zip":
            raise CommandError("--out must name a .zip file.")
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        started = time.perf_counter()
        manifest = write_export(out, clients=opts["clients"], messy=opts["messy"], seed=opts["seed"])
        self.stdout.write(f"Wrote {out} in {time.perf_counter() - started:.1f} s")
        self.stdout.write("Rows: " + ", ".join(f"{name} {n:,}" for name, n in manifest["rows"].items()))
        if opts["messy"]:
            self.stdout.write("Faults: " + ", ".join(f"{kind} {n:,}" for kind, n in manifest["faults"].items()))
