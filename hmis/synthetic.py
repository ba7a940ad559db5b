"""Synthetic data at scale (issue 8): the demo CoC plus N clients loaded in bulk.

On top of ``seed_demo`` (the Lead, CoCs, agencies, trained users, signed agreements),
each agency gets a project of every HUD type, and N clients are written with
``bulk_create`` in batches: households with ROIs in every sharing state (full,
limited, none-locked, expired), one agency grant per client, stays (open, exited,
late, incomplete), start assessments and services. The same seed gives the same data.
"""

import random
from datetime import date, timedelta

from django.contrib.auth.models import Permission
from django.db import connection, transaction

from agencies.hud_lists import ProjectType
from agencies.models import Agency, Project
from clients.models import Client, ClientGroupObjectPermission
from consent.models import Roi
from enrollments.models import Assessment, Enrollment, Service
from hmis import crypto, dates
from hmis.models import User

BATCH = 5000
FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Maria",
         "Jose", "Aisha", "Wei", "Fatima", "Carlos", "Ngozi", "Olga", "Hiroshi", "Priya", "Kwame", "Sofia", "Liam",
         "Emma", "Noah", "Ava", "Mateo", "Chloe", "Omar", "Zara", "Dmitri", "Leila", "Tariq", "Ines", "Kofi", "Yuki"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Nguyen",
        "Okafor", "Kowalski", "Haddad", "Yazzie", "Lindqvist", "Delgado", "Whitaker", "Nwosu", "Brandt"]
SHARING = [("full", 60), ("limited", 15), ("none", 15), ("expired", 10)]
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _id(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def ensure_projects() -> dict[int, list[Project]]:
    """A project of every HUD type at each non-VSP agency (agency -> projects)."""
    result = {}
    for agency in Agency.objects.filter(is_victim_service_provider=False).prefetch_related("cocs"):
        coc = agency.cocs.first()
        for project_type in ProjectType.values:
            name = f"{agency.name.split(':')[0]} {ProjectType(project_type).label}"
            Project.objects.get_or_create(agency=agency, name=name, defaults={
                "coc": coc, "project_type": project_type, "operating_start": date(2015, 1, 1)})
        result[agency.pk] = list(Project.objects.filter(agency=agency).select_related("coc"))
    return result


def generate(clients: int, seed: int = 2026, progress=print) -> dict:
    from hmis.demo import seed as seed_demo

    seed_demo()
    rng = random.Random(seed)
    projects = ensure_projects()
    agencies = list(Agency.objects.filter(pk__in=projects).order_by("pk"))
    workers = {a.pk: User.objects.filter(licenses__agency=a, licenses__role="end_user").order_by("pk").first()
               or User.objects.filter(is_system_admin=True).first() for a in agencies}
    permission = Permission.objects.get(codename="serve_client", content_type__app_label="clients")
    today = dates.today()
    made = {"clients": 0, "enrollments": 0, "services": 0, "assessments": 0, "rois": 0}
    remaining = clients
    while remaining > 0:
        size = min(BATCH, remaining)
        with transaction.atomic():
            _batch(rng, size, agencies, projects, workers, permission, today, made)
        remaining -= size
        progress(f"{clients - remaining:,} of {clients:,} clients")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    return made


def _batch(rng, size, agencies, projects, workers, permission, today, made):
    households, planned = [], 0
    while planned < size:
        members = min(rng.choice([1, 1, 1, 1, 2, 3, 4]), size - planned)
        households.append([None] * members)
        planned += members
    rois, client_rows, grants, roi_links, stays, services, assessments = [], [], [], [], [], [], []
    for members in households:
        agency = rng.choice(agencies)
        worker = workers[agency.pk]
        sharing = rng.choices([s for s, _ in SHARING], [w for _, w in SHARING])[0]
        signed = today - timedelta(days=rng.randint(0, 330) if sharing != "expired" else rng.randint(400, 900))
        level = "none" if sharing == "none" else ("limited" if sharing == "limited" else "full")
        roi = Roi(agency=agency, sharing_level=level, consent_type="signed", signed_on=signed,
                  expires_on=dates.add_months(signed, 12), taken_by=worker, recorded_by=worker)
        rois.append(roi)
        household_id = _id(rng, 10)
        last = rng.choice(LAST)
        project = rng.choice(projects[agency.pk])
        entry = signed + timedelta(days=rng.randint(0, 30))
        exited = rng.random() < 0.6 and entry < today - timedelta(days=10)
        for i in range(len(members)):
            born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)) if i == 0 else \
                date(rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28))
            digits = f"{rng.randint(100, 899):03d}{rng.randint(10, 99):02d}{rng.randint(1000, 9999):04d}"
            first = rng.choice(FIRST)
            client = Client(
                client_id=_id(rng, 8), first_name=first, last_name=last, search_name=f"{first} {last}".lower(),
                name_data_quality=1, dob=born, dob_data_quality=1, ssn_data_quality=1, sex=rng.choice([0, 1]),
                white=rng.random() < 0.5, black_af_american=rng.random() < 0.4, hispanic_latinao=rng.random() < 0.2,
                veteran_status=rng.choice([0, 0, 0, 1]) if born.year < 2006 else 0,
                sharing="none" if sharing in ("none", "expired") else level,
                sharing_until=roi.expires_on if sharing in ("full", "limited") else None,
                locked_to_agency=agency if sharing == "none" else None, entered_by_agency=agency, created_by=worker,
                entered_in_protected_project=project.protected)
            client.ssn_encrypted = crypto.encrypt(digits)
            client.ssn_hash = crypto.keyed_hash("ssn", digits)
            client.ssn_last4_hash = crypto.keyed_hash("ssn-last4", digits[-4:])
            members[i] = client
            client_rows.append(client)
            late = rng.random() < 0.1
            stay = Enrollment(
                enrollment_id=_id(rng, 12), client=client, project=project, household_id=household_id,
                relationship_to_hoh=1 if i == 0 else rng.choice([2, 3]), enrollment_coc=project.coc.code,
                entry_date=entry, information_date=entry, living_situation=rng.choice([116, 101, 118, 312, 410]),
                length_of_stay=rng.choice([2, 3, 4, 5]), disabling_condition=rng.choice([0, 0, 1, 99]),
                exit_date=entry + timedelta(days=rng.randint(1, 200)) if exited else None,
                destination=rng.choice([410, 435, 116, 101, 312, 30]) if exited else None,
                move_in_date=entry + timedelta(days=5) if project.project_type in (3, 13) else None,
                entered_by=worker, agency=agency, entered_late=late)
            if stay.exit_date and stay.exit_date > today:
                stay.exit_date = today
            stays.append(stay)
            if rng.random() < 0.85:  # some intakes stay incomplete
                assessments.append(Assessment(
                    record_id=_id(rng, 12), enrollment=stay, stage=1, information_date=entry, entered_by=worker,
                    agency=agency, income_from_any_source=rng.choice([0, 1, 99])))
            if project.project_type in (0, 1, 4, 6):
                services.append(Service(record_id=_id(rng, 12), enrollment=stay, date_provided=entry,
                                        information_date=entry, record_type=144 if project.project_type != 1 else 200,
                                        type_provided=1 if project.project_type != 1 else 200,
                                        entered_by=worker, agency=agency))
        for client in members:
            roi_links.append((roi, client))
            grants.append((client, agency))
    Roi.objects.bulk_create(rois, batch_size=BATCH)
    Client.objects.bulk_create(client_rows, batch_size=BATCH)
    Roi.clients.through.objects.bulk_create(
        [Roi.clients.through(roi_id=roi.pk, client_id=client.pk) for roi, client in roi_links], batch_size=BATCH)
    ClientGroupObjectPermission.objects.bulk_create(
        [ClientGroupObjectPermission(content_object=c, group_id=a.group_id, permission=permission) for c, a in grants],
        batch_size=BATCH)
    for stay in stays:
        stay.client_id = stay.client.pk
    Enrollment.objects.bulk_create(stays, batch_size=BATCH)
    for row in [*assessments, *services]:
        row.enrollment_id = row.enrollment.pk
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    Service.objects.bulk_create(services, batch_size=BATCH)
    made["clients"] += len(client_rows)
    made["enrollments"] += len(stays)
    made["services"] += len(services)
    made["assessments"] += len(assessments)
    made["rois"] += len(rois)
