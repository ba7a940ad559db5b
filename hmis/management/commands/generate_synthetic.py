"""manage.py generate_synthetic --clients N [--seed S]"""

import time

from django.core.management.base import BaseCommand

from hmis.synthetic import generate


class Command(BaseCommand):
    help = "Load the demo CoC plus N synthetic clients in bulk (same seed, same data)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        started = time.perf_counter()
        made = generate(opts["clients"], opts["seed"], progress=lambda text: self.stdout.write(text))
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in made.items()))
