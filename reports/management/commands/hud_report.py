"""manage.py hud_report apr|caper|dq --projects ID [ID ...] --start YYYY-MM-DD --end YYYY-MM-DD --out DIR"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Project
from hmis.models import User
from reports.hud import runner
from reports.models import ReportRun


class Command(BaseCommand):
    help = "Run a HUD report and write one CSV per table (Q5a.csv...), report.html and report.pdf into DIR."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportRun.Kind.values)
        parser.add_argument("--projects", nargs="+", type=int, required=True, help="project IDs")
        parser.add_argument("--start", type=date.fromisoformat, required=True)
        parser.add_argument("--end", type=date.fromisoformat, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, **opts):
        if opts["start"] > opts["end"]:
            raise CommandError("--start is after --end")
        projects = list(Project.objects.filter(pk__in=opts["projects"]))
        missing = set(opts["projects"]) - {p.pk for p in projects}
        if missing:
            raise CommandError(f"No project with ID {', '.join(map(str, sorted(missing)))}")
        lead = User.objects.filter(is_system_admin=True, is_active=True).first()
        if lead is None:
            raise CommandError("No HMIS Lead administrator exists.")
        report = ReportRun.objects.create(kind=opts["kind"], start=opts["start"], end=opts["end"], requested_by=lead)
        report.projects.set(projects)
        runner.run(report)
        out = Path(opts["out"])
        out.mkdir(parents=True, exist_ok=True)
        for table in report.tables:
            (out / f"{table['code']}.csv").write_text(runner.table_csv(table), encoding="utf-8", newline="")
        (out / "report.html").write_text(runner.html(report), encoding="utf-8")
        (out / "report.pdf").write_bytes(runner.pdf(report))
        self.stdout.write(f"Wrote {len(report.tables)} tables, report.html and report.pdf to {out}")
