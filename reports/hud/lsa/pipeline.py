"""The LSA's steps, run in order on one PostgreSQL connection (issue 20).

HUD's LSA Programming Specifications build the upload in numbered sections, each reading
the temporary tables of the ones before (tlsa_HHID, tlsa_Enrollment, tlsa_Person...). So
does this: ``sql/NN_name.sql`` holds section NN as set-based SQL over the HMIS views of
source.py, creating and filling the tables HUD names (lower case in PostgreSQL). Each
file is plain SQL with no parameters: the report's parameters are in lsa_Report, as
HUD's code keeps them.

``prepare`` makes the views and lsa_Report; ``run_steps`` runs the files in order, up to
and including ``until`` (a file's number, "05" for LSAPerson), so a test can look at a
step's tables before the next runs. Everything is TEMP: it lives in this database session
only and is gone when the connection closes.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import connection

from . import source

SQL_DIR = Path(__file__).with_name("sql")
SOFTWARE_VENDOR = "Open HMIS project"
SOFTWARE_NAME = "Open HMIS"
VENDOR_CONTACT = "n/a"
VENDOR_EMAIL = "n/a"
WORK_MEM = "256MB"


class NotPostgres(Exception):
    """The LSA's steps are PostgreSQL SQL (temporary tables, date arithmetic, generate_series)."""


@dataclass(frozen=True)
class Parameters:
    """HUD's report parameters (LSA spec 3.1)."""

    coc: str
    start: date
    end: date
    scope: int = 1  # 1 systemwide, 2 project-focused, 3 HIC
    projects: tuple = ()  # HMIS ProjectIDs (hmis_Project.ProjectID) chosen for a project-focused LSA
    report_id: int = 1

    @property
    def lookback(self) -> date:
        """ReportStart - 7 years (3.1); 29 February falls back to the 28th."""
        try:
            return self.start.replace(year=self.start.year - 7)
        except ValueError:
            return self.start.replace(year=self.start.year - 7, day=28)


EARLIEST_START = date(2018, 10, 1)  # 3.1: "any date on or after October 1, 2018"


def lsa_period_problem(start: date, end: date) -> tuple[str, str] | None:
    """(field, message) when the period cannot be an LSA's. 3.1 lets vendors limit the period to
    a year, the LSA being resource-intensive: this HMIS does (HUD's annual LSA is Oct 1 - Sep 30)."""
    if start < EARLIEST_START:
        return "start", "The LSA starts on or after 10/01/2018 (HUD's LSA specification 3.1)."
    if end < start:
        return "end", "The end date is before the start date."
    if (end - start).days > 365:
        return "end", "The LSA covers at most one year: HUD's annual LSA runs from October 1 to September 30."
    return None


def lsa_runs_here() -> bool:
    return connection.vendor == "postgresql"


def steps() -> list[Path]:
    return sorted(SQL_DIR.glob("[0-9][0-9]_*.sql"))


def prepare(cursor, params: Parameters) -> None:
    if not lsa_runs_here():
        raise NotPostgres("The LSA runs on PostgreSQL, the production database; this server uses "
                          f"{connection.vendor}.")
    source.create(cursor)
    # The steps sort and hash millions of rows: with PostgreSQL's default 4 MB per sort they spill
    # to disk. For this session only; report.build resets it.
    cursor.execute(f"SET work_mem = '{WORK_MEM}'")
    cursor.execute("DROP TABLE IF EXISTS lsa_Report")
    cursor.execute("""
        CREATE TEMP TABLE lsa_Report (
            ReportID int NOT NULL, ReportDate timestamp, ReportStart date NOT NULL, ReportEnd date NOT NULL,
            ReportCoC varchar(6) NOT NULL, SoftwareVendor varchar(50) NOT NULL, SoftwareName varchar(50) NOT NULL,
            VendorContact varchar(50) NOT NULL, VendorEmail varchar(50) NOT NULL, LSAScope int NOT NULL,
            LookbackDate date NOT NULL,
            NoCoC int, NotOneHoH int, RelationshipToHoH int, MoveInDate int, UnduplicatedClient int,
            HouseholdEntry int, ClientEntry int, AdultHoHEntry int, ClientExit int, SSN4Digit int,
            SSNNotProvided int, SSNMissingOrInvalid int, ClientSSNNotUnique int, DistinctSSNValueNotUnique int,
            DisablingCond int, LivingSituation int, LengthOfStay int, HomelessDate int, TimesHomeless int,
            MonthsHomeless int, Destination int)""")
    cursor.execute(
        "INSERT INTO lsa_Report (ReportID, ReportStart, ReportEnd, ReportCoC, SoftwareVendor, SoftwareName, "
        "VendorContact, VendorEmail, LSAScope, LookbackDate) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [params.report_id, params.start, params.end, params.coc, SOFTWARE_VENDOR, SOFTWARE_NAME, VENDOR_CONTACT,
         VENDOR_EMAIL, params.scope, params.lookback])
    # The projects a project-focused LSA is limited to (3.1 "User-Selected Projects"); empty otherwise.
    cursor.execute("DROP TABLE IF EXISTS lsa_SelectedProject")
    cursor.execute("CREATE TEMP TABLE lsa_SelectedProject (ProjectID varchar(32) PRIMARY KEY)")
    if params.projects:
        cursor.executemany("INSERT INTO lsa_SelectedProject VALUES (%s)", [(p,) for p in params.projects])


def run_steps(cursor, until: str | None = None, progress=lambda done, total: None) -> None:
    """Run sql/NN_*.sql in order, up to and including the file numbered ``until``."""
    files = [f for f in steps() if until is None or f.name[:2] <= until]
    for i, path in enumerate(files):
        if path.name.startswith("11_"):
            fill_ssns(cursor)
        cursor.execute(path.read_text())
        progress(i + 1, len(files))


def fill_ssns(cursor) -> None:
    """lsa_ssn: the SSNs of the clients in tlsa_Person (the report's active clients), decrypted
    here since only Python holds the key (source.py). Read by LSAReport's SSN counts."""
    from clients.models import Client

    cursor.execute("SELECT to_regclass('tlsa_person') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return
    cursor.execute("TRUNCATE lsa_ssn")
    cursor.execute("SELECT c.id FROM clients_client c JOIN tlsa_Person p ON p.PersonalID = c.client_id")
    pks = [row[0] for row in cursor.fetchall()]
    rows = []
    for start in range(0, len(pks), 5000):
        for client in Client.objects.filter(pk__in=pks[start:start + 5000]).only("pk", "ssn_encrypted"):
            digits = client.ssn
            if digits:
                rows.append((client.pk, digits[:9]))
    if rows:
        cursor.executemany("INSERT INTO lsa_ssn VALUES (%s, %s)", rows)


def fetch(cursor, table: str) -> tuple[list[str], list[tuple]]:
    """A table's column names (as cursor.description gives them) and rows."""
    if not re.fullmatch(r"[A-Za-z_]+", table):
        raise ValueError(table)
    cursor.execute(f"SELECT * FROM {table}")
    return [d.name for d in cursor.description], cursor.fetchall()


def report_date() -> datetime:
    from django.utils import timezone

    return timezone.localtime().replace(microsecond=0, tzinfo=None)
