"""manage.py bench --size small|full [--out bench]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hmis import bench, keys


class Command(BaseCommand):
    help = "Measure search, pages, export, import, the APR and the scheduled jobs at scale; write bench/results.*"
    # The benchmark checks the PII key itself, to offer rebuilding its database (hmis/keys.py).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(bench.SIZES), default="full")
        parser.add_argument("--out", default="bench")
        parser.add_argument("--check-key", action="store_true",
                            help="only check that the benchmark database was written with this PII_KEY")

    def handle(self, *args, **opts):
        try:
            keys.verify_deep()
        except keys.KeyMismatch as mismatch:
            raise CommandError(bench.key_mismatch_message(mismatch)) from None
        if opts["check_key"]:
            return
        results = bench.run(opts["size"], Path(opts["out"]), stdout=self.stdout.write)
        width = max(len(c["what"]) for c in results["checks"])
        for check in results["checks"]:
            self.stdout.write(f"{check['what']:<{width}}  {check['value']!s:>10}  {check['target']:>7}  "
                              f"{'not measured' if check['met'] is None else 'met' if check['met'] else 'MISSED'}")
        self.stdout.write(f"Written to {opts['out']}/results.md and results.json")
