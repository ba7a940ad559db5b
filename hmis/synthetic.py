"""Synthetic data at scale (issue 8): the demo CoC plus N clients loaded in bulk.

On top of ``seed_demo`` (the Lead, CoCs, agencies, trained users, signed agreements),
each agency gets a project of every HUD type, and N clients are written in batches:
households with ROIs in every sharing state (full, limited, none-locked, expired), one
agency grant per client, stays (open, exited, late), start assessments (some intakes
left incomplete) and services.

Two steps, so that "same seed, same data" can be tested without a database:
``plan_batch`` is a pure function of the random generator and the CoC's agencies,
projects and workers; ``_Table`` writes the planned rows with PostgreSQL ``COPY``
(``executemany`` on SQLite, see hmis/bulk.py), never one ``save()`` per row. Only the SSN ciphertexts
differ between runs (Fernet uses a random IV); the SSNs themselves do not.

Names follow a long-tailed distribution (a few common names, very many rare ones), as
in real client lists; with only a few hundred distinct names every search would match
thousands of people and the search benchmark would measure something no CoC has.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from agencies.hud_lists import ProjectType
from agencies.models import Agency, Project, ProjectCoc
from clients.models import CLIENT_ID_ALPHABET, Client, ClientGroupObjectPermission
from consent.models import Roi
from consent.services import coc_for_agency
from enrollments.models import Assessment, Enrollment, Service
from hmis import crypto, dates
from hmis.bulk import copy_rows, reserve_ids
from hmis.models import User

BATCH = 10_000
FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley
Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy
Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela
Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel
Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry
Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter
Lauren Kyle Christina Ethan Joan Walter Evelyn Noah Judith Jeremy Megan Christian Andrea Keith Cheryl Roger Hannah Terry
Jacqueline Gerald Martha Harold Gloria Sean Teresa Austin Ann Carl Sara Arthur Madison Lawrence Frances Dylan Kathryn
Jesse Janice Jordan Jean Bryan Abigail Billy Alice Joe Judy Bruce Sophia Gabriel Grace Logan Denise Albert Amber Willie
Doris Alan Marilyn Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Roy Diana Vincent Natalie Ralph Brittany
Eugene Charlotte Russell Marie Bobby Kayla Mason Alexis Philip Lori Aisha Wei Fatima Carlos Ngozi Olga Hiroshi Priya Kwame
Sofia Liam Mateo Chloe Omar Zara Dmitri Leila Tariq Ines Kofi Yuki Guadalupe Alejandro Esperanza Darnell Keisha Tyrone
Lakisha Dakota Cheyenne Winona Tenzin Mohammed Amina Nikolai Svetlana Thanh Linh Duc Mei""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker
Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood
James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen
Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz
Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels
Okafor Kowalski Haddad Yazzie Lindqvist Delgado Whitaker Nwosu Brandt Begay Tsosie Abdullahi Mensah Petrov Ivanova""".split()
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "sh",
          "st", "t", "tr", "v", "w", "y", "z", ""]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "ie", "oa"]
CODAS = ["", "n", "r", "l", "s", "t", "m", "nd", "rt", "ck", "ng", "x", "th", "ll", "ns"]
# (state, weight): the consent a household gave, as other agencies see it today.
SHARING = [("full", 60), ("limited", 15), ("none", 15), ("expired", 10)]
RECORD_ID_ALPHABET = CLIENT_ID_ALPHABET


def _flattened_weights(count, offset=10):
    """Zipf-like weights flattened at the top: the commonest name is a few percent."""
    return [1 / (rank + offset) for rank in range(count)]


FIRST_WEIGHTS = _flattened_weights(len(FIRST))
LAST_WEIGHTS = _flattened_weights(len(LAST))


def _rare_name(rng) -> str:
    syllables = rng.choice([2, 2, 3])
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)).capitalize()


def _first_name(rng) -> str:
    return _rare_name(rng) if rng.random() < 0.2 else rng.choices(FIRST, FIRST_WEIGHTS)[0]


def _last_name(rng) -> str:
    return _rare_name(rng) if rng.random() < 0.5 else rng.choices(LAST, LAST_WEIGHTS)[0]


def _code(rng, n) -> str:
    return "".join(rng.choices(RECORD_ID_ALPHABET, k=n))


@dataclass(frozen=True)
class Setting:
    """What the planned rows refer to, read once from the database."""

    agencies: list  # (agency pk, group pk)
    projects: dict  # agency pk -> [(project pk, project type, CoC code, protected)]
    workers: dict  # agency pk -> user pk
    warning_days: dict  # agency pk -> days before an ROI expires that its worker is warned
    today: date
    taken_ids: set = field(default_factory=set)  # HMIS Client IDs already in use


@dataclass
class Plan:
    """One batch of rows, as plain tuples, with batch-local keys (ROI i, client j, stay k)."""

    rois: list = field(default_factory=list)
    clients: list = field(default_factory=list)
    roi_clients: list = field(default_factory=list)  # (roi index, client index)
    grants: list = field(default_factory=list)  # (client index, group pk)
    stays: list = field(default_factory=list)  # first item: client index
    assessments: list = field(default_factory=list)  # first item: stay index
    services: list = field(default_factory=list)  # first item: stay index


ROI_COLUMNS = ["agency_id", "sharing_level", "consent_type", "signed_on", "expires_on", "taken_by_id", "recorded_by_id",
               "recorded_at", "expiry_warning_sent_on"]
CLIENT_COLUMNS = [
    "client_id", "first_name", "last_name", "search_name", "name_data_quality", "dob", "dob_data_quality",
    "ssn_encrypted", "ssn_hash", "ssn_last4_hash", "ssn_data_quality", "sex", "white", "black_af_american",
    "hispanic_latinao", "veteran_status", "sharing", "sharing_until", "locked_to_agency_id", "entered_by_agency_id",
    "created_by_id", "entered_in_protected_project", "consent_id"]
STAY_COLUMNS = [
    "client_id", "enrollment_id", "project_id", "household_id", "relationship_to_hoh", "enrollment_coc", "entry_date",
    "information_date", "living_situation", "length_of_stay", "disabling_condition", "exit_date", "destination",
    "move_in_date", "entered_by_id", "agency_id", "entered_late", "late_alert_sent", "consent_id"]
# H1: income "Yes" names its source and amount, and the total is their sum; the other
# answers are null ("not asked"; the free-text columns empty, _Table's default).
ASSESSMENT_COLUMNS = ["enrollment_id", "record_id", "stage", "information_date", "entered_by_id", "agency_id",
                      "income_from_any_source", "earned", "earned_amount", "total_monthly_income", "consent_id"]
SERVICE_COLUMNS = ["enrollment_id", "record_id", "date_provided", "information_date", "record_type", "type_provided",
                   "entered_by_id", "agency_id", "consent_id"]


def plan_batch(rng: random.Random, size: int, setting: Setting) -> Plan:
    """``size`` clients in households, with their consent, stays and records."""
    plan = Plan()
    today = setting.today
    while len(plan.clients) < size:
        members = min(rng.choice([1, 1, 1, 1, 2, 3, 4]), size - len(plan.clients))
        agency, group = rng.choice(setting.agencies)
        worker = setting.workers[agency]
        sharing = rng.choices([s for s, _ in SHARING], [w for _, w in SHARING])[0]
        # Signed evenly over the past year, as in a CoC where every day's ROIs expire a
        # year later: the daily job's work today is one day's expiries and warnings.
        signed = today - timedelta(days=rng.randint(0, 366) if sharing != "expired" else rng.randint(400, 900))
        level = "none" if sharing == "none" else ("limited" if sharing == "limited" else "full")
        expires = dates.add_months(signed, 12)
        warn_from = expires - timedelta(days=setting.warning_days[agency])
        roi = len(plan.rois)
        plan.rois.append((agency, level, "signed", signed, expires, worker, worker,
                          timezone.make_aware(datetime.combine(signed, time(10))),
                          warn_from if warn_from < today else None))  # earlier daily runs warned these
        household_id = _code(rng, 10)
        last = _last_name(rng)
        project, project_type, coc_code, protected = rng.choice(setting.projects[agency])
        entry = min(signed + timedelta(days=rng.randint(0, 30)), today)
        exited = rng.random() < 0.6 and entry < today - timedelta(days=10)
        for member in range(members):
            head = member == 0
            born = date(rng.randint(1950, 2005 if head else 2024), rng.randint(1, 12), rng.randint(1, 28))
            ssn = f"{rng.randint(100, 899):03d}{rng.randint(10, 99):02d}{rng.randint(1000, 9999):04d}"
            first = _first_name(rng)
            client_id = _code(rng, 8)
            while client_id in setting.taken_ids:  # 32^8 IDs: at a million clients, repeats happen
                client_id = _code(rng, 8)
            setting.taken_ids.add(client_id)
            client = len(plan.clients)
            plan.clients.append((
                client_id, first, last, f"{first} {last}".lower(), 1, born, 1,
                ssn, crypto.keyed_hash("ssn", ssn), crypto.keyed_hash("ssn-last4", ssn[-4:]), 1,
                rng.choice([0, 1]), rng.random() < 0.5, rng.random() < 0.4, rng.random() < 0.2,
                rng.choice([0, 0, 0, 1]) if born.year < 2006 else 0,
                "none" if sharing in ("none", "expired") else level,
                expires if sharing in ("full", "limited") else None,
                agency if sharing == "none" else None, agency, worker, protected, roi))  # C12: entered under it
            plan.roi_clients.append((roi, client))
            plan.grants.append((client, group))
            exit_date = min(entry + timedelta(days=rng.randint(1, 200)), today) if exited else None
            stay = len(plan.stays)
            plan.stays.append((
                client, _code(rng, 12), project, household_id, 1 if head else rng.choice([2, 3]), coc_code, entry,
                # H1: prior living situations from 3.917's list (335, not the exit-only 312); exits
                # with no follow-up question (435 would need its subsidy type, 3.12.A).
                entry, rng.choice([116, 101, 118, 335, 410]), rng.choice([2, 3, 4, 5]), rng.choice([0, 0, 1, 99]),
                exit_date, rng.choice([410, 421, 116, 101, 312, 30]) if exited else None,
                entry + timedelta(days=5) if project_type in (3, 13) else None, worker, agency,
                *[rng.random() < 0.1] * 2, roi))  # a tenth entered after the 72 hours, alerted by earlier hourly runs
            if rng.random() < 0.85:  # the rest are intakes left incomplete
                income = rng.choice([0, 1, 99])
                earned = {0: (0, None), 1: (1, rng.randint(200, 2400))}.get(income, (None, None))
                plan.assessments.append((stay, _code(rng, 12), 1, entry, worker, agency, income, *earned, earned[1],
                                         roi))
            if project_type in (0, 1, 4, 6):
                kind = 200 if project_type == 1 else 144
                plan.services.append((stay, _code(rng, 12), entry, entry, kind, 200 if project_type == 1 else 1,
                                      worker, agency, roi))
    return plan


class _Table:
    """Rows for one table, written in one COPY. Columns not given take the model's
    default (or NULL); a required column without a constant default is an error."""

    def __init__(self, model, columns: list[str]):
        self.table = model._meta.db_table
        now = timezone.now()
        fixed = {}
        for f in model._meta.concrete_fields:
            if f.primary_key or f.column in columns or f.null:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fixed[f.column] = now
            elif not (f.has_default() and callable(f.default)) and f.get_default() is not None:  # "" for blank text
                fixed[f.column] = f.get_db_prep_save(f.get_default(), connection)
            elif f.has_default() and f.default in (dict, list):  # an empty JSON value, the same for every row
                fixed[f.column] = f.get_db_prep_save(f.default(), connection)
            else:
                raise ImproperlyConfigured(f"{self.table}.{f.column} needs a value")
        self.columns = ["id", *columns, *fixed]
        self.fixed = tuple(fixed.values())

    def reserve(self, cursor, count: int) -> int:
        return reserve_ids(cursor, self.table, count)

    def write(self, cursor, rows) -> None:
        copy_rows(cursor, self.table, self.columns, (row + self.fixed for row in rows))


def _tables():
    return {
        "rois": _Table(Roi, ROI_COLUMNS),
        "clients": _Table(Client, CLIENT_COLUMNS),
        "roi_clients": _Table(Roi.clients.through, ["roi_id", "client_id"]),
        "grants": _Table(ClientGroupObjectPermission, ["content_object_id", "group_id", "permission_id"]),
        "stays": _Table(Enrollment, STAY_COLUMNS),
        "assessments": _Table(Assessment, ASSESSMENT_COLUMNS),
        "services": _Table(Service, SERVICE_COLUMNS),
    }


def write_plan(plan: Plan, tables: dict, permission_id: int) -> None:
    """Give the planned rows their primary keys and foreign keys, and COPY them in."""
    with connection.cursor() as cursor:
        first = {name: tables[name].reserve(cursor, len(getattr(plan, name)) or 1)
                 for name in ("rois", "clients", "stays", "roi_clients", "grants", "assessments", "services")}
        roi, client, stay = first["rois"], first["clients"], first["stays"]
        tables["rois"].write(cursor, ((roi + i, *row) for i, row in enumerate(plan.rois)))
        tables["clients"].write(cursor, (
            (client + i, *row[:7], crypto.encrypt(row[7]), *row[8:-1], roi + row[-1])
            for i, row in enumerate(plan.clients)))
        tables["roi_clients"].write(cursor, (
            (first["roi_clients"] + i, roi + r, client + c) for i, (r, c) in enumerate(plan.roi_clients)))
        tables["grants"].write(cursor, (
            (first["grants"] + i, client + c, group, permission_id) for i, (c, group) in enumerate(plan.grants)))
        # The last value of each planned row is the index of the consent it was entered under (C12).
        tables["stays"].write(cursor, ((stay + i, client + row[0], *row[1:-1], roi + row[-1])
                                       for i, row in enumerate(plan.stays)))
        tables["assessments"].write(cursor, (
            (first["assessments"] + i, stay + row[0], *row[1:-1], roi + row[-1]) for i, row in enumerate(plan.assessments)))
        tables["services"].write(cursor, (
            (first["services"] + i, stay + row[0], *row[1:-1], roi + row[-1]) for i, row in enumerate(plan.services)))


def ensure_projects() -> dict[int, list[Project]]:
    """A project of every HUD type at each non-VSP agency (agency -> projects)."""
    result = {}
    for agency in Agency.objects.filter(is_victim_service_provider=False).prefetch_related("cocs"):
        coc = agency.cocs.first()
        for project_type in ProjectType.values:
            name = f"{agency.name.split(':')[0]} {ProjectType(project_type).label}"
            project, _ = Project.objects.get_or_create(agency=agency, name=name, defaults={
                "coc": coc, "project_type": project_type, "operating_start": date(2015, 1, 1)})
            # 2.03: every project's CoC information, so its HMIS CSV export loads back (H2).
            ProjectCoc.objects.get_or_create(project=project, coc_code=coc.code, defaults={
                "geocode": "299189", "city": "St. Louis", "state": "MO", "zip_code": "63103", "geography_type": 1})
        result[agency.pk] = list(Project.objects.filter(agency=agency).select_related("coc").order_by("pk"))
    return result


def read_setting() -> Setting:
    projects = ensure_projects()
    agencies = list(Agency.objects.filter(pk__in=projects).order_by("pk"))
    admin = User.objects.filter(is_system_admin=True).order_by("pk").first()
    workers = {}
    for agency in agencies:
        worker = User.objects.filter(licenses__agency=agency, licenses__role="end_user").order_by("pk").first()
        workers[agency.pk] = (worker or admin).pk
    return Setting(
        agencies=[(a.pk, a.group_id) for a in agencies],
        projects={pk: [(p.pk, p.project_type, p.coc.code, p.protected) for p in items] for pk, items in projects.items()},
        workers=workers, warning_days={a.pk: coc_for_agency(a).roi_expiry_warning_days for a in agencies},
        today=dates.today(), taken_ids=set(Client.objects.values_list("client_id", flat=True)))


def generate(clients: int, seed: int = 2026, progress=print) -> dict:
    from hmis.demo import seed as seed_demo

    seed_demo()
    rng = random.Random(seed)
    setting = read_setting()
    tables = _tables()
    permission = Permission.objects.get(codename="serve_client", content_type__app_label="clients")
    made = {"clients": 0, "enrollments": 0, "services": 0, "assessments": 0, "rois": 0}
    remaining = clients
    while remaining > 0:
        plan = plan_batch(rng, min(BATCH, remaining), setting)
        with transaction.atomic():
            write_plan(plan, tables, permission.pk)
        remaining -= len(plan.clients)
        for key, rows in (("clients", plan.clients), ("enrollments", plan.stays), ("services", plan.services),
                          ("assessments", plan.assessments), ("rois", plan.rois)):
            made[key] += len(rows)
        progress(f"{clients - remaining:,} of {clients:,} clients")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made
