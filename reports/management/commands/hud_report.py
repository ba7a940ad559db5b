"""manage.py hud_report apr|caper|ce_apr|dq --projects ID [ID ...] --start YYYY-MM-DD --end YYYY-MM-DD --out DIR
manage.py hud_report spm --coc CODE --start YYYY-MM-DD --end YYYY-MM-DD --out DIR
manage.py hud_report hic|pit --coc CODE --date YYYY-MM-DD --out DIR
manage.py hud_report lsa --coc CODE --start YYYY-MM-DD --end YYYY-MM-DD --out DIR
    [--scope systemwide | --scope project --projects ID [ID ...] | --scope hic --date YYYY-MM-DD]"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Coc, Project
from hmis.models import User
from reports.hud import runner
from reports.hud.hic_pit import coc_projects
from reports.hud.tables import ONE_NIGHT_REPORTS, SYSTEM_REPORTS
from reports.models import ReportRun


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = ("Run a HUD report and write one CSV per table (Q5a.csv...), report.html and report.pdf into DIR. "
            "Project reports take --projects, --start and --end; the SPM takes --coc, --start and --end; "
            "the HIC and the PIT take --coc and --date (the night of the count); the LSA takes --coc, --start "
            "and --end (--scope project with --projects, or --scope hic with --date) and writes HUD's 12 files "
            "and their zip for HDX 2.0.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportRun.Kind.values)
        parser.add_argument("--projects", nargs="+", type=int, help="project IDs (apr, caper, ce_apr, dq)")
        parser.add_argument("--coc", help="HUD CoC code (spm, hic, pit)")
        parser.add_argument("--start", type=_day)
        parser.add_argument("--end", type=_day)
        parser.add_argument("--date", type=_day, help="the night of the count (hic, pit)")
        parser.add_argument("--scope", choices=["systemwide", "project", "hic"], default="systemwide",
                            help="the LSA's scope (LSAScope 1, 2 or 3)")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **opts):
        kind = opts["kind"]
        if kind == ReportRun.Kind.LSA:
            return self._lsa(opts)
        start, end = self._period(kind, opts)
        if kind in SYSTEM_REPORTS:
            if opts["projects"]:
                raise CommandError(f"{kind} covers a whole CoC: give --coc CODE, not --projects")
            if not opts["coc"]:
                raise CommandError(f"{kind} needs --coc CODE")
            coc = Coc.objects.filter(code=opts["coc"].strip().upper()).first()
            if coc is None:
                raise CommandError(f"No CoC with code {opts['coc']}")
            projects = list(coc_projects(coc))
        else:
            if opts["coc"]:
                raise CommandError(f"{kind} is run on projects: give --projects ID [ID ...], not --coc")
            if not opts["projects"]:
                raise CommandError(f"{kind} needs --projects ID [ID ...]")
            projects = list(Project.objects.filter(pk__in=opts["projects"]))
            missing = set(opts["projects"]) - {p.pk for p in projects}
            if missing:
                raise CommandError(f"No project with ID {', '.join(map(str, sorted(missing)))}")
        report, out = self._run_and_write(opts, projects, kind=kind, start=start, end=end)
        (out / "report.html").write_text(runner.html(report), encoding="utf-8")
        (out / "report.pdf").write_bytes(runner.pdf(report))
        self.stdout.write(f"Wrote {len(report.tables)} tables, report.html and report.pdf to {out}")

    @staticmethod
    def _run_and_write(opts, projects, **run_fields):
        """Run the report as the HMIS Lead and write one CSV per table into --out (the LSA's
        exactly, as HDX reads them); (the run, the directory)."""
        lead = User.objects.filter(is_system_admin=True, is_active=True).first()
        if lead is None:
            raise CommandError("No HMIS Lead administrator exists.")
        report = ReportRun.objects.create(requested_by=lead, **run_fields)
        report.projects.set(projects)
        runner.run(report)
        if report.status != ReportRun.Status.DONE:
            raise CommandError(f"The report failed: {report.error}")
        out = Path(opts["out"])
        out.mkdir(parents=True, exist_ok=True)
        exact = report.kind == ReportRun.Kind.LSA
        for table in report.tables:
            (out / f"{table['code']}.csv").write_text(runner.table_csv(table, exact=exact), encoding="utf-8",
                                                      newline="")
        return report, out

    @staticmethod
    def _period(kind, opts):
        """(start, end): a night's count has start = end = --date; the others a period."""
        if kind in ONE_NIGHT_REPORTS:
            if opts["start"] or opts["end"]:
                raise CommandError(f"{kind} counts one night: give --date YYYY-MM-DD, not --start/--end")
            if not opts["date"]:
                raise CommandError(f"{kind} needs --date YYYY-MM-DD (the night of the count)")
            return opts["date"], opts["date"]
        if opts["date"]:
            raise CommandError(f"{kind} covers a period: give --start and --end, not --date")
        if not (opts["start"] and opts["end"]):
            raise CommandError(f"{kind} needs --start and --end")
        if opts["start"] > opts["end"]:
            raise CommandError("--start is after --end")
        return opts["start"], opts["end"]

    def _lsa(self, opts):
        """HUD's LSA upload: the 12 files and lsa-CODE-START-END.zip holding them, checked."""
        from reports.hud.lsa.pipeline import lsa_period_problem

        scope = {"systemwide": ReportRun.LsaScope.SYSTEMWIDE, "project": ReportRun.LsaScope.PROJECT_FOCUSED,
                 "hic": ReportRun.LsaScope.HIC}[opts["scope"]]
        if not opts["coc"]:
            raise CommandError("lsa needs --coc CODE")
        coc = Coc.objects.filter(code=opts["coc"].strip().upper()).first()
        if coc is None:
            raise CommandError(f"No CoC with code {opts['coc']}")
        if scope == ReportRun.LsaScope.HIC:  # 3.1: ReportStart = ReportEnd = the date of the count
            if opts["start"] or opts["end"] or not opts["date"]:
                raise CommandError("--scope hic takes --date YYYY-MM-DD (the date of the count), not --start/--end")
            start = end = opts["date"]
        else:
            if opts["date"] or not (opts["start"] and opts["end"]):
                raise CommandError("lsa needs --start and --end")
            start, end = opts["start"], opts["end"]
        problem = lsa_period_problem(start, end)
        if problem:
            raise CommandError(problem[1])
        projects = list(coc_projects(coc))
        if scope == ReportRun.LsaScope.PROJECT_FOCUSED:
            if not opts["projects"]:
                raise CommandError("--scope project needs --projects ID [ID ...]")
            projects = [p for p in projects if p.pk in set(opts["projects"])]
            missing = set(opts["projects"]) - {p.pk for p in projects}
            if missing:
                raise CommandError(f"No project of {coc.code} with ID {', '.join(map(str, sorted(missing)))}")
        elif opts["projects"]:
            raise CommandError("--projects is for --scope project")
        report, out = self._run_and_write(opts, projects, kind=ReportRun.Kind.LSA, start=start, end=end, coc=coc,
                                          lsa_scope=scope)
        archive = out / f"lsa-{coc.code}-{start:%Y%m%d}-{end:%Y%m%d}.zip"
        archive.write_bytes(runner.csv_zip(report))
        self.stdout.write(f"Wrote the LSA's {len(report.tables)} files and {archive.name} to {out}")
        for p in report.checks:
            where = ", ".join(str(x) for x in (p["file"], p.get("row") and f"row {p['row']}", p.get("column")) if x)
            self.stdout.write(f"{'ERROR' if p['blocking'] else 'warning'} ({where}): {p['message']}")
        if any(p["blocking"] for p in report.checks):
            self.stdout.write("HDX 2.0 would refuse this upload: correct the errors above and run the LSA again.")
