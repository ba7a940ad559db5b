"""The LSA run end to end (issue 20): parameters in, HUD's 12 files out, checked.

``build`` runs the SQL steps (pipeline.py) on PostgreSQL, reads each output table, sets
ReportDate, formats every value as HDX 2.0 reads it (dates 'yyyy-mm-dd', datetimes
'yyyy-mm-dd hh:mm:ss', NULL empty) and runs HUD's upload checks (checks.py) on the result.
The files are kept on the ReportRun as tables.Table (one per file, code = HUD's file name,
columns = HUD's header), so the report page, its CSV downloads and the zip are the same
code as the other HUD reports'; the checks are kept beside them (ReportRun.checks).

The LSA is aggregate (RowTotal counts, averages): no cell names a client, so nothing is
narrowed for the viewer; only the HMIS Lead runs it (hmis/access.py may_run_lsa).
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.db import DatabaseError, connection
from django.utils import timezone

from ..tables import Cell, Table
from . import layout, pipeline

TITLES = {
    "LSAReport": "Report parameters and data quality counts",
    "LSAHousehold": "Households served, by characteristics",
    "LSAPerson": "People served, by characteristics",
    "LSAExit": "Households exiting, in the three exit cohorts",
    "LSACalculated": "Calculated averages and counts",
    "Organization": "Organizations (project descriptor data)",
    "Project": "Projects (project descriptor data)",
    "Funder": "Funders (project descriptor data)",
    "ProjectCoC": "Project CoC records (project descriptor data)",
    "Inventory": "Inventory (project descriptor data)",
    "HMISParticipation": "HMIS participation (project descriptor data)",
    "Affiliation": "Affiliations (project descriptor data)",
}


@dataclass
class Lsa:
    files: dict = field(default_factory=dict)  # file name -> list of row dicts, HUD's values
    problems: list = field(default_factory=list)  # checks.Problem

    def tables(self) -> list[Table]:
        out = []
        for name, columns in layout.FILES.items():
            rows = [[_text(row[columns[0]]), [Cell(value=_text(row[c])) for c in columns[1:]]]
                    for row in self.files.get(name, [])]
            out.append(Table(name, TITLES[name], list(columns), rows))
        return out


def _text(value) -> str | int:
    """A value as HDX 2.0 reads it; counts stay numbers."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _as_hdx(name: str, column: str, value):
    # HMISParticipation's status dates are datetimes in HDX's dictionary though HMIS CSV has dates
    if column in layout.DATETIME_COLUMNS and isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def build(params: pipeline.Parameters, progress=lambda done, total: None) -> Lsa:
    """Run every step and read the files. Not in one transaction: the worker's progress
    updates (runner._beat) must be seen while it runs. The temporary tables live in this
    session only and are dropped at the end, whatever happens (DISCARD TEMP)."""
    total = len(pipeline.steps()) + 1
    with connection.cursor() as cursor:
        try:
            lsa = _run(cursor, params, progress, total)
        finally:
            try:
                cursor.execute("DISCARD TEMP")
                cursor.execute("RESET work_mem")
            except DatabaseError:  # the connection is gone or its transaction aborted: nothing to drop here
                pass
    lsa.problems = _checked(lsa, params.scope)
    progress(total, total)
    return lsa


def _run(cursor, params, progress, total) -> Lsa:
    pipeline.prepare(cursor, params)
    pipeline.run_steps(cursor, progress=lambda done, _: progress(done, total))
    cursor.execute("UPDATE lsa_Report SET ReportDate = %s", [pipeline.report_date()])
    lsa = Lsa()
    for name, table in layout.TABLES.items():
        if params.scope == 3 and name in layout.NOT_FOR_HIC:
            lsa.files[name] = []  # HDX takes these with headers only for a HIC (LSA spec 2)
            continue
        columns, rows = pipeline.fetch(cursor, table)
        wanted = layout.FILES[name]
        if [c.lower() for c in columns] != [c.lower() for c in wanted]:
            raise RuntimeError(f"The LSA step making {name} gave the columns {columns}, not HUD's {list(wanted)}.")
        lsa.files[name] = [{c: _as_hdx(name, c, v) for c, v in zip(wanted, row, strict=True)} for row in rows]
    return lsa


def _checked(lsa: Lsa, scope: int) -> list:
    from . import checks

    return checks.check(lsa.files, scope)


def problems_json(problems) -> list[dict]:
    return [asdict(p) for p in problems]
