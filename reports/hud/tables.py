"""HUD report tables (APR, CAPER, Data Quality) computed from the stays of chosen
projects in a reporting period, following the FY2026 HMIS Programming Specifications'
core definitions as far as reports/hud/SPEC_APR_CAPER.md could establish them
(HUD's own PDFs were not reachable; where HUD's Data Lab reference code [DL] and other
readings differ, the choice is stated next to the code):

- **Universe** (``universe``): enrollments in the projects active in the period (start on
  or before the end; no exit, or exit on or after the start). Night-by-night shelters
  and street outreach use the Glossary's "Method 2": a bed night (NbN) or a contact
  (SO) in the period, or an exit in it; street outreach clients count only once engaged
  (date of engagement on or before the report end). A person with several stays is
  counted once, on the latest (HUD's "most recent enrollment").
- **Age** (``age_on``) at the later of the report start and the person's project start,
  from the date of birth whenever there is one, whatever its quality; without one the age
  is unknown ("Client doesn't know/prefers not to answer" when DOB quality is 8 or 9,
  else "Data not collected").
- **Leavers** exited on or before the report end; **stayers** did not.
- **Household type** (``household_type``): with children and adults when the household
  has an adult and a child; otherwise unknown when any member's age is; else adults
  only or children only.
- **Length of participation** (``stay_length``), **housing move-in** (``move_in_dates``)
  and **chronic homelessness** (``chronic_statuses``): shared building blocks below.
- **Income and benefits** (``income_snapshots``): the IncomeBenefits record at start (dated
  on the start), at the annual assessment (within 30 days of the head's anniversary) and
  at exit (dated on the exit), read by Q6c and Q16-Q21.

Each cell keeps the Client IDs it counts, so every number links to its clients.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cached_property

from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.base import ModelState

from enrollments.elements import BENEFIT_SOURCES, INCOME_SOURCES, INSURANCE_TYPES
from enrollments.hud_lists import DataCollectionStage, ServiceRecordType
from enrollments.models import Assessment, CurrentLivingSituation, Enrollment, ProgramAnswers, Service
from hmis.crypto import UndecryptableValue

HOMELESS = {116, 101, 118}
INSTITUTIONAL = {215, 206, 207, 225, 204, 205}
# 336, 335 and 37 are living situations only, not valid destinations (HMIS CSV check
# "Exit.Destination NotinList 336,335,37"): such an exit counts as data not collected.
TEMPORARY = {302, 329, 314, 332, 312, 313, 327}
PERMANENT = {422, 423, 426, 410, 435, 421, 411}
OTHER_DESTINATIONS = {30, 17, 24, 8, 9, 99}
HOUSEHOLD_TYPES = ["Without Children", "With Children and Adults", "With Only Children", "Unknown Household Type"]

ES_NBN, STREET_OUTREACH = 1, 4
# Project types whose chronic-homelessness test skips the prior-living-situation gate.
LITERALLY_HOMELESS_TYPES = {0, 1, 4, 8}
MOVE_IN_TYPES = {3, 9, 10, 13}  # PSH, PH housing only, PH with services, RRH
EARLIEST_DOB = date(1915, 1, 1)


@dataclass
class Cell:
    ids: set = field(default_factory=set)
    value: object = None  # a computed figure (percent, amount) instead of a count

    @property
    def count(self):
        return self.value if self.value is not None else len(self.ids)


@dataclass
class Table:
    code: str
    title: str
    columns: list
    rows: list  # [(label, [Cell...])]

    def as_rows(self):
        return [[label, *[c.count for c in cells]] for label, cells in self.rows]


@dataclass
class Person:
    enrollment: Enrollment
    client_id: str
    age: int | None
    dob_quality: int
    is_head: bool
    household_type: str = "Unknown Household Type"
    exit_date: date | None = None  # the exit when on or before the report end (a leaver)
    stay_days: int = 0  # length of participation (stay_length)
    chronic: str = "M"  # chronic homelessness at project start: Y, N, DK (doesn't know/prefers not) or M (missing)
    move_in: date | None = None  # housing move-in date as the report counts it (move_in_dates)
    disability_record: bool = False  # a disabling condition in the start disability records (disabled_by_records)

    @property
    def adult(self):
        return self.age is not None and self.age >= 18

    @property
    def child(self):
        return self.age is not None and self.age < 18

    @cached_property
    def project_type(self):  # read millions of times by the questions: once per person
        return self.enrollment.project.project_type


def age_on(dob, day):
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


# --- The universe ------------------------------------------------------------------------------


def universe(projects, start, end, engaged_only=True):
    """The active enrollments (Glossary "Active Clients"): Method 1 (start/exit) for every
    project type; night-by-night shelters also need a bed night in the period and street
    outreach a contact (4.12) in it, unless the stay exits in the period (Method 2, which
    "should also include the project exit date"); street outreach counts a client only
    once engaged: DateOfEngagement on or before the report end ([DL] uses <=, one reading
    has <; we follow HUD's reference code). ``engaged_only=False`` drops that last test,
    for the contact counts of Q9a, which count persons contacted but not yet engaged."""
    bed_night = Service.objects.filter(enrollment=OuterRef("pk"), record_type=ServiceRecordType.BED_NIGHT,
                                       date_provided__gte=start, date_provided__lte=end)
    contact = CurrentLivingSituation.objects.filter(enrollment=OuterRef("pk"), information_date__gte=start,
                                                    information_date__lte=end)
    exits_in_period = Q(exit_date__gte=start, exit_date__lte=end)
    return (Enrollment.objects.filter(project__in=projects, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start))
            .filter(~Q(project__project_type__in=(ES_NBN, STREET_OUTREACH))
                    | Q(project__project_type=ES_NBN) & (exits_in_period | Exists(bed_night))
                    | Q(project__project_type=STREET_OUTREACH)
                    & (Q(date_of_engagement__lte=end) if engaged_only else Q())
                    & (exits_in_period | Exists(contact)))
            .select_related("client", "project", "project__agency"))


def _bare(model, names, values, db):
    """A model instance from one row of values, without Model.__init__ (the report's main
    cost at a million clients was building a million instances field by field): every
    concrete field is set, so nothing is deferred and the model's own properties (the
    decrypting ``Client.ssn``) work as on a loaded instance. Read only: never saved."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = db
    return obj


def of_enrollments(queryset, persons):
    """``queryset`` narrowed to the stays of ``persons``. On PostgreSQL the hundreds of
    thousands of stay ids go as one array parameter (``= ANY(%s)``): an IN list costs Django
    a parameter each to compile, and PostgreSQL as much to parse."""
    ids = [p.enrollment.pk for p in persons]
    if queryset.db and connections[queryset.db].vendor == "postgresql":
        table = queryset.model._meta.db_table
        return queryset.extra(where=[f'"{table}"."enrollment_id" = ANY(%s)'], params=[ids])
    return queryset.filter(enrollment__in=ids)


def bare_rows(queryset, names) -> list:
    """The queryset's rows as instances holding only ``names`` (what ``.only(*names)`` would
    load, the primary key added), built from plain rows in one query without Model.__init__."""
    model = queryset.model
    keys = [model._meta.pk.attname, *(model._meta.get_field(n).attname for n in names)]
    db = queryset.db
    return [_bare(model, keys, row, db) for row in queryset.values_list("pk", *names)]


def _attnames(model):
    return [f.attname for f in model._meta.concrete_fields]


def engaged(e, end) -> bool:
    """Whether the stay passes universe()'s engagement test (street outreach: engaged on or
    before the report end; other project types: always)."""
    return e.project.project_type != STREET_OUTREACH or (e.date_of_engagement is not None
                                                          and e.date_of_engagement <= end)


def load_stays(projects, start, end, viewer=None, engaged_only=True) -> list[Enrollment]:
    """The universe's stays, ordered by start then creation, in one query returning plain
    rows (the stay's and its client's columns), each client and project built once and
    shared by all its stays. For a viewer who is not an administrator the clients' row
    values are replaced as that viewer sees them (clients.selectors.as_seen_by, C12)."""
    from agencies.models import Project
    from clients.models import Client

    active = universe(projects, start, end, engaged_only).select_related(None).order_by("entry_date", "pk")
    stay_names, client_names = _attnames(Enrollment), _attnames(Client)
    width = len(stay_names)
    rows = active.values_list(*stay_names, *(f"client__{n}" for n in client_names))
    db = active.db
    clients, stays = {}, []
    for row in rows:
        e = _bare(Enrollment, stay_names, row[:width], db)
        client = clients.get(e.client_id)
        if client is None:
            client = clients[e.client_id] = _bare(Client, client_names, row[width:], db)
        e._state.fields_cache["client"] = client
        stays.append(e)
    kinds = {p.pk: p for p in Project.objects.filter(pk__in={e.project_id for e in stays}).select_related("agency")}
    for e in stays:
        e._state.fields_cache["project"] = kinds[e.project_id]
    if viewer is not None and not viewer.is_admin:
        from clients.selectors import as_seen_by

        as_seen_by(viewer, list(clients.values()))
    return stays


def people(projects, start, end, viewer=None, engaged_only=True, stays=None, disabled=None) -> list[Person]:
    """One Person per client, from their latest stay in the universe, with the shared
    facts every question reads (age, household type, length of stay, move-in, chronic
    status). For an agency's report, client-row values another agency recorded under a
    consent that does not share them count as not collected (C12), as the agency would
    see them. ``stays`` (load_stays, already as the viewer sees them) and ``disabled``
    (disabled_by_records over them or a wider universe) let build() load them once for
    the report's several universes."""
    # Ties on the start date (undefined in HUD's texts): the later-created enrollment wins.
    if stays is None:
        stays = load_stays(projects, start, end, viewer, engaged_only)
    if disabled is None:
        disabled = disabled_by_records(universe(projects, start, end, engaged_only).values("pk"))
    latest = {}
    for e in stays:
        latest[e.client_id] = e
    result = []
    for e in latest.values():
        exited = e.exit_date if e.exit_date and e.exit_date <= end else None
        age = age_on(e.client.dob, max(start, e.entry_date))
        result.append(Person(e, e.client.client_id, age if age is not None and age >= 0 else None,
                             e.client.dob_data_quality, e.relationship_to_hoh == 1, exit_date=exited))
    households = by_household(result)
    for members in households.values():
        kind = household_type(members)
        for m in members:
            m.household_type = kind
    stay_length(result, end)
    move_in_dates(households, end)
    chronic_statuses(households, disabled)
    return result


def by_household(persons) -> dict[str, list[Person]]:
    households = defaultdict(list)
    for p in persons:
        households[p.enrollment.household_id].append(p)
    return households


def household_type(members) -> str:
    """[DL get_household_info]: an adult and a child make a household "with children and
    adults" even when another member's age is unknown; otherwise any unknown age makes
    it unknown. Each member is aged at their own date (max(report start, own start))."""
    if any(m.adult for m in members) and any(m.child for m in members):
        return "With Children and Adults"
    if any(m.age is None for m in members):
        return "Unknown Household Type"
    return "Without Children" if all(m.adult for m in members) else "With Only Children"


def stay_length(persons, end) -> None:
    """Length of participation in days, from the project start (Glossary "Bed Night /
    Length of Stay"): Method 1, min(exit, report end + 1) − start, so the exit day is not
    counted and a stayer's last day (the report end) is ("For clients who have not yet
    exited, the end date is the report end date plus one day"): a stayer from 05/01 to a
    06/30 report end has 61 days, as end − start + 1. Method 2 for night-by-night
    shelters: the number of distinct bed-night dates from the start, before the exit and
    on or before the report end."""
    nbn = [p for p in persons if p.project_type == ES_NBN]
    nights = {}
    if nbn:
        rows = (Service.objects.filter(enrollment__in=[p.enrollment.pk for p in nbn],
                                       record_type=ServiceRecordType.BED_NIGHT, date_provided__lte=end)
                .values("enrollment_id", "date_provided").distinct())
        spans = {p.enrollment.pk: p.enrollment for p in nbn}
        counted = defaultdict(int)
        for row in rows:
            e = spans[row["enrollment_id"]]
            if row["date_provided"] >= e.entry_date and (e.exit_date is None or row["date_provided"] < e.exit_date):
                counted[row["enrollment_id"]] += 1
        nights = counted
    for p in persons:
        if p.project_type == ES_NBN:
            p.stay_days = nights.get(p.enrollment.pk, 0)
        else:
            p.stay_days = max(0, ((p.exit_date or end + timedelta(days=1)) - p.enrollment.entry_date).days)


def move_in_dates(households, end) -> None:
    """Housing move-in (3.20) in PH projects, per the Glossary's "Handling Housing Move-In
    Dates" and [DL MoveInDateAdj]: the head's move-in counts when it is on or after the
    head's start, on or before the head's exit and on or before the report end (a
    move-in after the report end has not happened yet for the report). Members present
    then take the head's date (if they were born by then and had not exited); members
    who joined after the household moved in take their own start date; members who
    exited before it take none."""
    for members in households.values():
        heads = [m for m in members if m.is_head and m.project_type in MOVE_IN_TYPES]
        valid = [h.enrollment.move_in_date for h in heads if h.enrollment.move_in_date
                 and h.enrollment.entry_date <= h.enrollment.move_in_date <= end
                 and (h.enrollment.exit_date is None or h.enrollment.move_in_date <= h.enrollment.exit_date)]
        if not valid:
            continue
        housed = min(valid)
        for m in members:
            e = m.enrollment
            if m.project_type not in MOVE_IN_TYPES or (e.exit_date is not None and e.exit_date < housed):
                continue
            dob = e.client.dob
            if e.entry_date <= housed and (dob is None or dob <= housed):
                m.move_in = housed
            elif e.entry_date > housed:
                m.move_in = e.entry_date


# --- Chronic homelessness -------------------------------------------------------------------------

RANK = {"Y": 1, "N": 2, "DK": 3, "M": 4}


def disabled_by_records(enrollments) -> set:
    """Enrollments whose project-start disability records (4.05–4.10, stage 1) show a
    disabling condition: developmental disability or HIV/AIDS, or a physical, chronic
    health, mental health or substance use condition expected to be long-continued and
    indefinite that impairs independent living ([DL add_chronicity_data])."""
    yes = 1
    indefinite = (Q(physical_disability=yes, physical_disability_indefinite=yes)
                  | Q(chronic_health_condition=yes, chronic_health_condition_indefinite=yes)
                  | Q(mental_health_disorder=yes, mental_health_disorder_indefinite=yes)
                  | Q(substance_use_disorder__in=(1, 2, 3), substance_use_disorder_indefinite=yes))
    return set(Assessment.objects.filter(enrollment__in=enrollments, stage=DataCollectionStage.PROJECT_START)
               .filter(Q(developmental_disability=yes) | Q(hiv_aids=yes) | indefinite)
               .values_list("enrollment_id", flat=True))


def chronic_at_start(e: Enrollment, disabled_record: bool) -> str:
    """One person's chronic homelessness at project start, the HMIS Reporting Glossary's
    flow: Y, N, DK (client doesn't know/prefers not to answer) or M (missing).
    Disability: 3.08 = yes, or a start disability record that is disabling ([DL]; one
    implementation reads 3.08 only: HUD's definition is about having a disability, so a
    recorded disabling condition counts even where 3.08 was left "no")."""
    if not (e.disabling_condition == 1 or disabled_record):
        return {0: "N", 8: "DK", 9: "DK"}.get(e.disabling_condition, "M")
    if e.project.project_type not in LITERALLY_HOMELESS_TYPES:
        situation = e.living_situation
        if situation is None:
            return "M"
        if not 100 <= situation < 200:  # institutional, housed or other: stayed under 90 / 7 nights, and was homeless before
            for answer in (e.los_under_threshold, e.previous_street_essh):
                if answer == 0:
                    return "N"
                if answer != 1:
                    return "M"
    # A year since the episode started, counted as calendar years (as ages are), not 365 days.
    if e.date_to_street_essh and age_on(e.date_to_street_essh, e.entry_date) >= 1:
        return "Y"
    times = e.times_homeless_past_three_years
    if times in (1, 2, 3):
        return "N"
    if times in (8, 9):
        return "DK"
    if times != 4:
        return "M"
    months = e.months_homeless_past_three_years
    if months in (112, 113):  # 12 months, more than 12 months
        return "Y"
    if months is not None and 101 <= months <= 111:
        return "N"
    return "DK" if months in (8, 9) else "M"


def chronic_statuses(households, disabled: set) -> None:
    """Each person's status, then extended to the household ("CH at project start because
    of other household members", [DL]): among the members who started with the household
    (the household's earliest start), one chronically homeless member makes them all so;
    otherwise a child takes "no" when the best status of the head and adults is "no", and
    the head's status when that is unknown. Members who joined later keep their own.
    ``disabled``: the enrollments disabled_by_records found."""
    members = [m for ms in households.values() for m in ms]
    for m in members:
        m.disability_record = m.enrollment.pk in disabled
        m.chronic = chronic_at_start(m.enrollment, m.disability_record)
    for ms in households.values():
        first = min(m.enrollment.entry_date for m in ms)
        at_start = [m for m in ms if m.enrollment.entry_date == first]
        if any(m.chronic == "Y" for m in at_start):
            for m in at_start:
                m.chronic = "Y"
            continue
        leads = [m for m in at_start if m.adult or m.is_head]
        if not leads:
            continue
        best = min((m.chronic for m in leads), key=RANK.get)
        head = next((m for m in at_start if m.is_head), None)
        for m in at_start:
            if m.child and not m.is_head:
                if best == "N":
                    m.chronic = "N"
                elif head is not None:
                    m.chronic = head.chronic


def _by_household(label, members):
    cells = [Cell({m.client_id for m in members})]
    for kind in HOUSEHOLD_TYPES:
        cells.append(Cell({m.client_id for m in members if m.household_type == kind}))
    return (label, cells)


# --- Q4a ------------------------------------------------------------------------------

Q4A_COLUMNS = ["Organization Name", "Organization ID", "Project Name", "Project ID", "HMIS Project Type",
               "RRH Subtype", "Coordinated Entry Access Point", "Affiliated with a residential project",
               "Project IDs of affiliations", "CoC Number", "Geocode", "Victim Service Provider", "HMIS Software Name",
               "Report Start Date", "Report End Date", "Total Active Clients", "Total Active Households"]


def q4a(projects, start, end, persons) -> Table:
    """HUD's 17 columns, one row per project, with coded values as in the HMIS CSV: the
    project type's code (2.02.6), not its label; yes/no as 1/0; IDs as the HMIS CSV
    export writes them (OrganizationID, ProjectID). The access point is 1 when a CE
    participation (2.09) with access point = yes overlaps the period."""
    from agencies.models import Affiliation, CeParticipation, ProjectCoc

    # The descriptor rows of every project at once (one query each, not three per project).
    access_points = set(CeParticipation.objects.filter(project__in=projects, access_point=1, start_date__lte=end)
                        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).values_list("project_id", flat=True))
    affiliated = defaultdict(list)
    for project_id, residential in Affiliation.objects.filter(project__in=projects).order_by(
            "residential_project_id").values_list("project_id", "residential_project_id"):
        affiliated[project_id].append(str(residential))
    geocodes = {}
    for project_id, code, geocode in ProjectCoc.objects.filter(project__in=projects).order_by("pk").values_list(
            "project_id", "coc_code", "geocode"):
        geocodes.setdefault((project_id, code), geocode)
    served_in = defaultdict(list)
    for x in persons:
        served_in[x.enrollment.project_id].append(x)
    rows = []
    for p in projects.select_related("agency", "coc").order_by("name"):
        served = served_in[p.pk]
        access_point = p.pk in access_points
        affiliations = ";".join(affiliated[p.pk])
        geocode = geocodes.get((p.pk, p.coc.code), "")
        households = {x.enrollment.household_id for x in served}
        rows.append((p.agency.name, [
            Cell(value=p.agency_id), Cell(value=p.name), Cell(value=p.pk), Cell(value=p.project_type),
            Cell(value="" if p.rrh_subtype is None else p.rrh_subtype), Cell(value=int(access_point)),
            Cell(value="" if p.residential_affiliation is None else p.residential_affiliation),
            Cell(value=affiliations), Cell(value=p.coc.code), Cell(value=geocode),
            Cell(value=int(p.agency.is_victim_service_provider)), Cell(value="Open HMIS"),
            Cell(value=start.isoformat()), Cell(value=end.isoformat()),
            Cell({x.client_id for x in served}), Cell({x.client_id for x in served if x.is_head}, value=len(households)),
        ]))
    return Table("Q4a", "Project Identifiers in HMIS", Q4A_COLUMNS, rows)


# --- Q5a ------------------------------------------------------------------------------


def q5a(persons, end, everyone=None) -> Table:
    """Report validations. Column B ("for DQ") counts the report's universe, street outreach
    clients only once engaged by the report end; column C counts the same rows over the
    universe before that engagement filter (``everyone``: Q9's persons; HUD's Data Lab and
    the FY2026 shell both have the two columns, as the CE APR's Q5a here does)."""
    dq = _q5a_rows(persons)
    every = dq if everyone is None or everyone is persons else _q5a_rows(everyone)
    return Table("Q5a", "Report Validations Table", ["Category", "Count of Clients for DQ", "Count of Clients"],
                 [(label, [cell, Cell(set(every[i][1].ids))]) for i, (label, cell) in enumerate(dq)])


def _q5a_rows(persons) -> list:
    def ids(pred):
        return Cell({p.client_id for p in persons if pred(p)})

    # Youth as Q27 reads them (youth_persons), so Q5a's count is Q27a's total; parenting youth
    # are youth heads with a child of theirs (3.15 "head of household's child", under 18) in
    # the household: Q27b's households.
    youth_households = by_household(persons)
    youth_ids = {p.client_id for p in youth_persons(persons)}

    def youth(p):
        return p.client_id in youth_ids

    def parenting_youth(p):
        return p.is_head and youth(p) and any(
            m.child and m.enrollment.relationship_to_hoh == 2 for m in youth_households[p.enrollment.household_id])

    rows = [
        ("Total number of persons served", ids(lambda p: True)),
        ("Number of adults (age 18 or over)", ids(lambda p: p.adult)),
        ("Number of children (under age 18)", ids(lambda p: p.child)),
        ("Number of persons with unknown age", ids(lambda p: p.age is None)),
        ("Number of leavers", ids(lambda p: p.exit_date)),
        ("Number of adult leavers", ids(lambda p: p.exit_date and p.adult)),
        ("Number of adult and head of household leavers", ids(lambda p: p.exit_date and (p.adult or p.is_head))),
        ("Number of stayers", ids(lambda p: not p.exit_date)),
        ("Number of adult stayers", ids(lambda p: not p.exit_date and p.adult)),
        ("Number of veterans", ids(lambda p: p.adult and p.enrollment.client.veteran_status == 1)),
        # Persons, after the household extension (chronic_statuses): children included.
        ("Number of chronically homeless persons", ids(lambda p: p.chronic == "Y")),
        ("Number of youth under age 25", ids(youth)),
        ("Number of parenting youth under age 25 with children", ids(parenting_youth)),
        ("Number of adult heads of household", ids(lambda p: p.is_head and p.adult)),
        ("Number of child and unknown-age heads of household", ids(lambda p: p.is_head and not p.adult)),
        # Length of stay as HUD counts it (bed nights in night-by-night shelters).
        ("Heads of households and adult stayers in the project 365 days or more",
         ids(lambda p: not p.exit_date and (p.is_head or p.adult) and p.stay_days >= 365)),
    ]
    return rows


# --- Q6a-Q6f: data quality -----------------------------------------------------------------


def ssn_is_valid(digits: str) -> bool:
    """HUD's SSN rules for data quality (3.02, Q6a "Data Issues"): nine digits; the first
    three not 000, 666 or 9xx; the middle two not 00; the last four not 0000; not one
    digit nine times; not a sequence of all nine digits, ascending or descending, with
    wrap-around as HUD's own example 345678901 shows ([DL]'s absolute-difference test also
    flags zig-zags such as 121212121; HUD's text says sequential, so we do not); and not
    the numbers the SSA voided after they were published (078-05-1120, 219-09-9999)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    if digits[:3] in ("000", "666") or digits[0] == "9" or digits[3:5] == "00" or digits[5:] == "0000":
        return False
    if len(set(digits)) == 1 or digits in ("078051120", "219099999"):
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps not in ({1}, {9})


def _pii_row(label, persons, classify, denominator, issues=True):
    """Each client lands in one column at most, in HUD's order: doesn't know/prefers not
    to answer, then missing, then data issue; Total is the clients of the three."""
    columns = {"dk": set(), "missing": set(), "issue": set()}
    for p in persons:
        found = classify(p)
        if found:
            columns[found].add(p.client_id)
    total = columns["dk"] | columns["missing"] | columns["issue"]
    rate = round(100 * len(total) / denominator, 2) if denominator else 0
    return (label, [Cell(columns["dk"]), Cell(columns["missing"]), Cell(columns["issue"]) if issues else Cell(value=""),
                    Cell(total), Cell(value=f"{rate:.2f}%")])


def name_quality(p):
    c = p.enrollment.client
    if c.name_data_quality in (8, 9):
        return "dk"
    if c.name_data_quality in (99, None) or not (c.first_name and c.last_name):
        return "missing"
    return "issue" if c.name_data_quality == 2 else None


def ssn_quality(p):
    c = p.enrollment.client
    if c.ssn_data_quality in (8, 9):
        return "dk"
    if c.ssn_data_quality in (99, None):
        return "missing"
    try:
        digits = c.ssn  # decrypted here only to test HUD's patterns; never shown or logged
    except UndecryptableValue:  # a key problem is not the client's data quality: not judged
        return None
    if not digits:
        return "missing"
    return "issue" if c.ssn_data_quality == 2 or not ssn_is_valid(digits) else None


def dob_quality(p):
    """3.03 per [DL create_dq_Q1]: without a date, quality 8/9 is "doesn't know/prefers not"
    and anything else missing (each counted once). With a date: a data issue when the
    quality is approximate (2) or says no date (8, 9, 99), the date is before 1915, after
    the client record was created, or after the person's own project start, or on it for
    an adult or head of household ([DL]: >= start for adults and heads; a newborn may
    start on its birthday). A child born after the household's start who joined the
    stay later (own start on or after the birth) is not an issue."""
    c, e = p.enrollment.client, p.enrollment
    if c.dob is None:
        return "dk" if c.dob_data_quality in (8, 9) else "missing"
    if c.dob_data_quality is None:
        return "missing"
    if (c.dob_data_quality in (2, 8, 9, 99) or c.dob < EARLIEST_DOB
            or (c.created_at and c.dob > c.created_at.date()) or c.dob > e.entry_date
            or (c.dob == e.entry_date and (p.is_head or p.adult))):
        return "issue"
    return None


RACES = ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
         "native_hi_pacific", "white")


def race_quality(p):
    c = p.enrollment.client
    if c.race_none in (8, 9):
        return "dk"
    if c.race_none == 99 or not any(getattr(c, f) for f in RACES):
        return "missing"
    return None


def q6a(persons, start) -> Table:
    n = len(persons)
    sex = lambda p: "dk" if p.enrollment.client.sex in (8, 9) else "missing" if p.enrollment.client.sex in (99, None) else None  # noqa: E731
    rows = [
        _pii_row("Name", persons, name_quality, n),
        _pii_row("Social Security Number", persons, ssn_quality, n),
        _pii_row("Date of Birth", persons, dob_quality, n),
        _pii_row("Race and Ethnicity", persons, race_quality, n, issues=False),
        _pii_row("Sex", persons, sex, n, issues=False),
    ]
    overall = set().union(*[cells[3].ids for _, cells in rows])
    rows.append(("Overall Score", [Cell(value=""), Cell(value=""), Cell(value=""), Cell(overall),
                                   Cell(value=f"{(100 * len(overall) / n if n else 0):.2f}%")]))
    return Table("Q6a", "Data Quality: Personally Identifying Information",
                 ["Data Element", "Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues",
                  "Total", "% of Issue Rate"], rows)


DQ_COLUMNS = ["Data Element", "Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues",
              "Total", "% of Issue Rate"]


def overlapping_starts(persons) -> set:
    """Client IDs whose reported stay starts inside an earlier stay of theirs in the same
    project (a start after the earlier one's and before its exit: HUD's Data Lab reading of
    3.10's data issue; [GR] alike). One query over the projects' exited stays."""
    if not persons:
        return set()
    first = min(p.enrollment.entry_date for p in persons)
    reported = {(p.enrollment.client_id, p.enrollment.project_id): p for p in persons}
    earlier = Enrollment.objects.filter(project_id__in={k[1] for k in reported}, exit_date__gt=first).values_list(
        "client_id", "project_id", "entry_date", "exit_date", "pk")
    found = set()
    for client, project, entry, exit_date, pk in earlier.iterator(chunk_size=5000):
        p = reported.get((client, project))
        if p and pk != p.enrollment.pk and entry < p.enrollment.entry_date < exit_date:
            found.add(p.client_id)
    return found


def q6b(persons, coc_codes) -> Table:
    """Universal data elements (DQ Q3), in the FY2024/FY2026 shell's columns: doesn't
    know/prefers not to answer, information missing, data issues, total, % of issue rate.
    3.07: adults' 8/9 and 99/none; a child who is a veteran is a data issue; the rate is
    over adults and children (unknown ages left out). 3.10: a start inside an earlier stay
    in the same project, or an exit before the start. 3.15: none is missing; a value
    outside 1-5, or a household with no head or several, an issue. 3.16: heads only, none
    missing, a CoC code not the report's an issue. 3.08: 8/9, 99/none, and "no"
    contradicted by the start disability records (4.05-4.10) an issue."""
    heads = [p for p in persons if p.is_head]
    aged = [p for p in persons if p.age is not None]
    household_heads = defaultdict(int)
    for p in persons:
        household_heads[p.enrollment.household_id] += p.is_head
    overlapping = overlapping_starts(persons)

    def veteran(p):
        status = p.enrollment.client.veteran_status
        if p.adult and status in (8, 9):
            return "dk"
        if p.adult and status in (99, None):
            return "missing"
        return "issue" if p.child and status == 1 else None

    def project_start(p):
        e = p.enrollment
        return "issue" if p.client_id in overlapping or (e.exit_date is not None and e.exit_date < e.entry_date) else None

    def relationship(p):
        value = p.enrollment.relationship_to_hoh
        if value is None:
            return "missing"
        return "issue" if value not in (1, 2, 3, 4, 5) or household_heads[p.enrollment.household_id] != 1 else None

    def enrollment_coc(p):
        code = p.enrollment.enrollment_coc
        return "missing" if not code else "issue" if code not in coc_codes else None

    def disabling(p):
        value = p.enrollment.disabling_condition
        if value in (8, 9):
            return "dk"
        if value in (99, None):
            return "missing"
        return "issue" if value == 0 and p.disability_record else None

    rows = [
        _pii_row("Veteran Status (3.07)", persons, veteran, len(aged)),
        _pii_row("Project Start Date (3.10)", persons, project_start, len(persons)),
        _pii_row("Relationship to Head of Household (3.15)", persons, relationship, len(persons)),
        _pii_row("Enrollment CoC (3.16)", heads, enrollment_coc, len(heads)),
        _pii_row("Disabling Condition (3.08)", persons, disabling, len(persons)),
    ]
    return Table("Q6b", "Data Quality: Universal Data Elements", DQ_COLUMNS, rows)


def q6c(persons, end, snaps) -> Table:
    """Destination (3.12) of leavers; income (4.02) of adults and heads of household on the
    records income_snapshots picks: the start record dated on the start date, the exit
    record dated on the exit date, the annual assessment within 30 days of the head's
    anniversary. An error is 8/9, missing (no such record, 99, not asked) or a data issue
    (4.02 no with a source yes, or yes with none: income_quality). The annual row counts
    the adult and head stayers who were due one (income_snapshots) and its rate is over
    them: [DL] divides by Q5a's "in the project 365 days or more", which also holds
    members who joined after the anniversary and are not due; we keep one group for both
    numbers so the rate stays a share of those the rule applies to."""
    leavers = [p for p in persons if p.exit_date]
    adults_heads = [p for p in persons if p.adult or p.is_head]

    def income_error(when):
        return lambda p: income_quality(_record(snaps[p.enrollment.pk], when))

    def destination(p):
        code = p.enrollment.destination
        return "dk" if code in (8, 9) else "missing" if code in (None, 99, 30) else None

    annual_due = [p for p in adults_heads if not p.exit_date and snaps[p.enrollment.pk].annual != "not required"]
    leaving = [p for p in adults_heads if p.exit_date]
    # The shell's columns as Q6b's; 3.12 has no data-issue test (its cell stays blank).
    rows = [
        _pii_row("Destination (3.12)", leavers, destination, len(leavers), issues=False),
        _pii_row("Income and Sources (4.02) at Start", adults_heads, income_error("start"), len(adults_heads)),
        _pii_row("Income and Sources (4.02) at Annual Assessment", annual_due, income_error("annual"), len(annual_due)),
        _pii_row("Income and Sources (4.02) at Exit", leaving, income_error("exit"), len(leaving)),
    ]
    return Table("Q6c", "Data Quality: Income and Housing Data Quality", DQ_COLUMNS, rows)


def q6d(persons) -> Table:
    """Chronic homelessness elements (3.917) missing, per project type group."""
    groups = [("ES-EE, ES-NbN, SH, Street Outreach", {0, 1, 8, 4}), ("TH", {2}), ("PH (All)", {3, 9, 10, 13})]
    rows = []
    for label, types in groups:
        group = [p for p in persons if (p.adult or p.is_head) and p.enrollment.project.project_type in types]
        def missing(p, field):
            return getattr(p.enrollment, field) in (None, 8, 9, 99)
        entering = {p.client_id for p in group}
        rows.append((label, [
            Cell(entering),
            Cell({p.client_id for p in group if missing(p, "living_situation")}),
            Cell({p.client_id for p in group if missing(p, "length_of_stay")}),
            Cell({p.client_id for p in group if missing(p, "times_homeless_past_three_years")}),
            Cell({p.client_id for p in group if missing(p, "months_homeless_past_three_years")}),
        ]))
    return Table("Q6d", "Data Quality: Chronic Homelessness",
                 ["Entering into project type", "Count of total records", "Missing prior living situation",
                  "Missing length of stay", "Missing times homeless", "Missing months homeless"], rows)


def q6e(persons, start, end) -> Table:
    """Days from the start or exit date to the day its record was entered (in the HMIS's
    time zone): the stay's own DateCreated for the start, the exit record's own for the
    exit (Enrollment.exit_entered_at; a stay exited before that was kept falls back to the
    stay's, the only date it has)."""
    from django.utils import timezone

    bands = [("0 days", 0, 0), ("1-3 Days", 1, 3), ("4-6 Days", 4, 6), ("7-10 Days", 7, 10), ("11+ Days", 11, 10**6)]
    starts, exits = [], []
    for p in persons:
        e = p.enrollment
        if start <= e.entry_date <= end:
            starts.append((p.client_id, (timezone.localdate(e.entered_at) - e.entry_date).days))
        if e.exit_date and start <= e.exit_date <= end:
            exit_entered = timezone.localdate(e.exit_entered_at or e.entered_at)
            exits.append((p.client_id, (exit_entered - e.exit_date).days))
    rows = [(label, [Cell({c for c, d in starts if lo <= max(d, 0) <= hi}), Cell({c for c, d in exits if lo <= max(d, 0) <= hi})])
            for label, lo, hi in bands]
    return Table("Q6e", "Data Quality: Timeliness",
                 ["Time for Record Entry", "Number of Project Start Records", "Number of Project Exit Records"], rows)


def q6f(persons, start, end) -> Table:
    """Inactive records (DQ Q7): stayers whose project start is at least 90 days before
    the report end and who had no contact (4.12, or the date of engagement, which is a
    contact) or, in night-by-night shelters, no bed night in the last 90 days (on or after
    report end − 90 days). Contacts are counted for adults and heads of household in
    street outreach or PATH-funded services only projects; bed nights for every client of
    a night-by-night shelter."""
    from agencies.hud_lists import FundingSource
    from agencies.models import ProjectFunder

    since = end - timedelta(days=90)
    stayers = [p for p in persons if not p.exit_date and (end - p.enrollment.entry_date).days >= 90]
    path = set(ProjectFunder.objects.filter(
        project_id__in={p.enrollment.project_id for p in stayers}, funder=FundingSource.PATH, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).values_list("project_id", flat=True))
    contacted = [p for p in stayers if (p.adult or p.is_head) and (
        p.project_type == STREET_OUTREACH or (p.project_type == 6 and p.enrollment.project_id in path))]
    recent_contact = set(CurrentLivingSituation.objects.filter(
        enrollment__in=[p.enrollment.pk for p in contacted], information_date__gte=since, information_date__lte=end)
        .values_list("enrollment_id", flat=True))
    recent_contact |= {p.enrollment.pk for p in contacted if p.enrollment.date_of_engagement
                       and since <= p.enrollment.date_of_engagement <= end}
    sheltered = [p for p in stayers if p.project_type == ES_NBN]
    recent_night = set(Service.objects.filter(
        enrollment__in=[p.enrollment.pk for p in sheltered], record_type=ServiceRecordType.BED_NIGHT,
        date_provided__gte=since, date_provided__lte=end).values_list("enrollment_id", flat=True))
    rows = []
    for label, group, recent in [
        ("Contact (Adults and Heads of Household in Street Outreach or PATH-funded SSO)", contacted, recent_contact),
        ("Bed Night (All clients in ES - NBN)", sheltered, recent_night),
    ]:
        inactive = {p.client_id for p in group if p.enrollment.pk not in recent}
        rows.append((label, [Cell({p.client_id for p in group}), Cell(inactive),
                             Cell(value=f"{(100 * len(inactive) / len(group) if group else 0):.2f}%")]))
    return Table("Q6f", "Data Quality: Inactive Records: Street Outreach & Emergency Shelter",
                 ["Data Element", "# of Records", "# of Inactive Records", "% of Inactive Records"], rows)


# --- Q7a, Q8a -----------------------------------------------------------------------------------


def q7a(persons) -> Table:
    rows = [
        _by_household("Adults", [p for p in persons if p.adult]),
        _by_household("Children", [p for p in persons if p.child]),
        _by_household("Client Doesn't Know/Prefers Not to Answer",
                      [p for p in persons if p.age is None and p.dob_quality in (8, 9)]),
        _by_household("Data Not Collected", [p for p in persons if p.age is None and p.dob_quality not in (8, 9)]),
        _by_household("Total", persons),
        # An en dash, as Q8a's row: HUD's Data Lab writes the shell's words so ([GR] has a hyphen).
        _by_household("For PSH & RRH – the total persons served who moved into housing",
                      [p for p in persons if p.move_in]),
    ]
    return Table("Q7a", "Number of Persons Served", ["", "Total", *HOUSEHOLD_TYPES], rows)


def q8a(persons) -> Table:
    heads = [p for p in persons if p.is_head]
    return Table("Q8a", "Households Served", ["", "Total", *HOUSEHOLD_TYPES], [
        _by_household("Total Households", heads),
        _by_household("For PSH & RRH – the total households served who moved into housing",
                      [p for p in heads if p.move_in]),
    ])


# --- Q7b, Q8b: point-in-time counts on the last Wednesdays ----------------------------------------

PIT_MONTHS = [(1, "January"), (4, "April"), (7, "July"), (10, "October")]
# Where people sleep in the project: the exit day is not a night in it. Elsewhere (street
# outreach, services only, day shelter, other, prevention, CE) the exit day still counts.
RESIDENTIAL_TYPES = {0, 1, 2, 3, 8, 9, 10, 13}


def last_wednesday(year, month) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 2) % 7)


def pit_nights(start, end) -> dict:
    """{month: the night counted, or None}: the last Wednesday of January, April, July and
    October that falls in the report period, the latest when the period holds two ([DL]
    create_pit_dates: PIT dates are taken from the report's own days). A month whose last
    Wednesday is not in the period has no night: its row is left blank, as HUD leaves
    cells that do not apply, not 0 (which would say the project was empty that night).
    One implementation ([GR] pit_date) takes instead the most recent such Wednesday before
    the report end even when it falls before the report start; that counts a night outside
    the period, so we do not. For a report of a whole year both readings give the same
    four nights. [DL] takes the last Wednesday among the report's days, which for a period
    ending mid-month can be an earlier Wednesday; HUD's row is "the last Wednesday", so we
    take the month's own last Wednesday, only when it is in the period."""
    nights = {}
    for month, name in PIT_MONTHS:
        inside = [d for d in (last_wednesday(y, month) for y in range(start.year, end.year + 1)) if start <= d <= end]
        nights[name] = max(inside) if inside else None
    return nights


def pit_present(projects, start, end, persons, universe_stays=None) -> tuple[dict, list, dict]:
    """(pit_nights, the stays, {month: [Person, one per stay present that night]}). Every stay in the
    universe of a reported client counts, not only the reported one ([DL] and [GR] alike
    read all the client's enrollments in the projects), each person in the column of the
    household type the report gives them. A stay is present on a night when it started on
    or before it and ([DL], [GR]):
    - night-by-night shelters: a bed night (Services 200) on that night, before any exit;
    - PSH and RRH (3, 13): the household had moved in by that night (move_in_dates, so a
      member who joined later counts from their own start) and the exit is after it;
    - other residential projects: no exit, or an exit after the night;
    - non-residential projects: no exit, or an exit on or after the night."""
    nights = pit_nights(start, end)
    reported = {p.client_id: p for p in persons}
    stays = []
    for e in load_stays(projects, start, end) if universe_stays is None else universe_stays:
        p = reported.get(e.client.client_id)
        if p is not None:
            stays.append(Person(e, p.client_id, p.age, p.dob_quality, e.relationship_to_hoh == 1,
                                household_type=p.household_type))
    move_in_dates(by_household(stays), end)
    dates = [d for d in nights.values() if d]
    beds = set(Service.objects.filter(enrollment__in=[s.enrollment.pk for s in stays if s.project_type == ES_NBN],
                                      record_type=ServiceRecordType.BED_NIGHT, date_provided__in=dates)
               .values_list("enrollment_id", "date_provided"))

    def present(s, night):
        e = s.enrollment
        if e.entry_date > night:
            return False
        if s.project_type == ES_NBN:
            return (e.pk, night) in beds and (e.exit_date is None or night < e.exit_date)
        if s.project_type in PSH_RRH and not (s.move_in and s.move_in <= night):
            return False
        if e.exit_date is None:
            return True
        return e.exit_date > night if s.project_type in RESIDENTIAL_TYPES else e.exit_date >= night

    return nights, stays, {name: [s for s in stays if present(s, night)] for name, night in nights.items() if night}


def _pit_table(code, title, nights, counted) -> Table:
    rows = [_by_household(name, counted[name]) if night else (name, [Cell(value="") for _ in range(5)])
            for name, night in nights.items()]
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


def q7b(projects, start, end, persons, pit=None) -> Table:
    """Persons present on each last Wednesday (pit_present), each counted once a night.
    ``pit``: pit_present's answer when build() has it already (Q7b and Q8b share it)."""
    nights, _, present = pit or pit_present(projects, start, end, persons)
    return _pit_table("Q7b", "Point-in-Time Count of Persons on the Last Wednesday", nights, present)


def q8b(projects, start, end, persons, pit=None) -> Table:
    """Households with at least one member present on each last Wednesday, counted by
    their heads as Q8a counts households ([DL]: the head counts though the head's own
    stay had ended that night)."""
    nights, stays, present = pit or pit_present(projects, start, end, persons)
    heads = {}
    for name, there in present.items():
        households = {s.enrollment.household_id for s in there}
        heads[name] = [s for s in stays if s.is_head and s.enrollment.household_id in households]
    return _pit_table("Q8b", "Point-in-Time Count of Households on the Last Wednesday", nights, heads)


# --- Q22a1, Q22a2, Q23c ---------------------------------------------------------------------------

LENGTH_BANDS = [("30 days or less", 0, 30), ("31 to 60 days", 31, 60), ("61 to 90 days", 61, 90),
                ("91 to 180 days", 91, 180), ("181 to 365 days", 181, 365), ("366 to 730 days (1-2 Yrs)", 366, 730),
                ("731 to 1,095 days (2-3 Yrs)", 731, 1095), ("1,096 to 1,460 days (3-4 Yrs)", 1096, 1460),
                ("1,461 to 1,825 days (4-5 Yrs)", 1461, 1825), ("More than 1,825 days (> 5 Yrs)", 1826, 10**7)]
# The CAPER's Q22a2 splits the first month into weeks.
ESG_LENGTH_BANDS = [("0 to 7 days", 0, 7), ("8 to 14 days", 8, 14), ("15 to 21 days", 15, 21),
                    ("22 to 30 days", 22, 30), *LENGTH_BANDS[1:]]


def _length_table(code, title, bands, persons) -> Table:
    """Persons by length of participation (Person.stay_days, see stay_length): Total,
    Leavers, Stayers."""
    def split(group):
        return [Cell({p.client_id for p in group}), Cell({p.client_id for p in group if p.exit_date}),
                Cell({p.client_id for p in group if not p.exit_date})]

    rows = [(label, split([p for p in persons if lo <= p.stay_days <= hi])) for label, lo, hi in bands]
    rows.append(("Total", split(persons)))
    return Table(code, title, ["", "Total", "Leavers", "Stayers"], rows)


def q22a1(persons) -> Table:
    return _length_table("Q22a1", "Length of Participation – CoC Projects", LENGTH_BANDS, persons)


def q22a2(persons) -> Table:
    return _length_table("Q22a2", "Length of Participation – ESG Projects", ESG_LENGTH_BANDS, persons)


# Positive and excluded destinations by project type (HMIS Programming Specifications
# CoC APR/ESG CAPER, Appendix A, FY2024 as transcribed in the notes, 5.2). Street
# outreach: leaving the street for a shelter, an institution or a temporary place counts.
# ES and TH: permanent destinations and Host Home (332): HUD's Data Lab code leaves 332 out;
# the spec's appendix has it, and the spec is the authority. Other types: permanent only.
SO_POSITIVE = {101, 118, 215, 204, 205, 225, 314, 312, 313, 302, 327, 332} | PERMANENT
SO_EXCLUDED = {206, 329, 24}
SHELTER_POSITIVE = {332} | PERMANENT
EXCLUDED = {215, 206, 225, 24}


def positive_destination(p) -> bool:
    if p.project_type == STREET_OUTREACH:
        return p.enrollment.destination in SO_POSITIVE
    if p.project_type in (0, 1, 2):
        return p.enrollment.destination in SHELTER_POSITIVE
    return p.enrollment.destination in PERMANENT


def excluded_destination(p) -> bool:
    return p.enrollment.destination in (SO_EXCLUDED if p.project_type == STREET_OUTREACH else EXCLUDED)


# Q23c's rows as HUD's FY2024/FY2026 shell has them (42 data rows, the same in Q25i and Q27f1):
# per group a heading row without numbers, one row per destination of 3.12.1, a subtotal;
# then Total, the positive and excluded counts and the percentage, each per household-type
# column (HUD's Data Lab writes the percentage in all five columns of row 42; [GR] alike).
# Labels are the destination wordings of 3.12.1 (they differ from Q15's living situations:
# 312/313 "temporary tenure", 422/423 "permanent tenure").
DESTINATION_GROUPS = [
    ("Homeless Situations", [
        (116, "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway "
              "station/airport or anywhere outside)"),
        (101, "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, Host Home shelter"),
        (118, "Safe Haven")]),
    ("Institutional Situations", [
        (215, "Foster care home or foster care group home"),
        (206, "Hospital or other residential non-psychiatric medical facility"),
        (207, "Jail, prison or juvenile detention facility"),
        (225, "Long-term care facility or nursing home"),
        (204, "Psychiatric hospital or other psychiatric facility"),
        (205, "Substance abuse treatment facility or detox center")]),
    ("Temporary Situations", [
        (302, "Transitional housing for homeless persons (including homeless youth)"),
        (329, "Residential project or halfway house with no homeless criteria"),
        (314, "Hotel or motel paid for without emergency shelter voucher"),
        (332, "Host Home (non-crisis)"),
        (312, "Staying or living with family, temporary tenure (e.g., room, apartment, or house)"),
        (313, "Staying or living with friends, temporary tenure (e.g., room, apartment, or house)"),
        (327, "Moved from one HOPWA funded project to HOPWA TH")]),
    ("Permanent Situations", [
        (422, "Staying or living with family, permanent tenure"),
        (423, "Staying or living with friends, permanent tenure"),
        (426, "Moved from one HOPWA funded project to HOPWA PH"),
        (410, "Rental by client, no ongoing housing subsidy"),
        (435, "Rental by client, with ongoing housing subsidy"),
        (421, "Owned by client, with ongoing housing subsidy"),
        (411, "Owned by client, no ongoing housing subsidy")]),
]
OTHER_DESTINATION_ROWS = [(30, "No Exit Interview completed"), (17, "Other"), (24, "Deceased")]
POSITIVE_ROW = "Total persons exiting to positive housing destinations"
EXCLUDED_ROW = "Total persons whose destinations excluded them from the calculation"
PERCENTAGE_ROW = "Percentage"


def q23c(persons, code="Q23c", title="Exit Destination – All persons") -> Table:
    """Leavers by their destination (3.12.1), one row per destination under its group.
    Reading chosen where HUD's text leaves room: a code that is not a valid destination
    (336, 335 and 37 are living situations only, or anything outside the list) and no
    destination at all count as Data Not Collected, with 99 (as the note at TEMPORARY says),
    so that the subtotals add up to the Total; 435 counts whatever its subsidy (3.12.A)
    says ([GR] also requires a listed subsidy there, which would leave such a leaver out of
    every row but the subtotal), its breakdown being Q23d's."""
    leavers = [p for p in persons if p.exit_date]
    blank = [Cell(value="") for _ in range(5)]
    rows, listed = [], set()
    for heading, destinations in DESTINATION_GROUPS:
        rows.append((heading, blank))
        codes = {c for c, _ in destinations}
        listed |= codes
        for destination, label in destinations:
            rows.append(_by_household(label, [p for p in leavers if p.enrollment.destination == destination]))
        rows.append(_by_household("Subtotal", [p for p in leavers if p.enrollment.destination in codes]))
    rows.append(("Other Situations", blank))
    for destination, label in OTHER_DESTINATION_ROWS:
        rows.append(_by_household(label, [p for p in leavers if p.enrollment.destination == destination]))
    other = {c for c, _ in OTHER_DESTINATION_ROWS} | {8, 9}
    rows.append(_by_household(DK_PNTA, [p for p in leavers if p.enrollment.destination in (8, 9)]))
    rows.append(_by_household(NOT_COLLECTED, [p for p in leavers if p.enrollment.destination not in listed | other]))
    rows.append(_by_household("Subtotal", [p for p in leavers if p.enrollment.destination not in listed]))
    rows.append(_by_household("Total", leavers))
    positive = _by_household(POSITIVE_ROW, [p for p in leavers if positive_destination(p)])
    excluded = _by_household(EXCLUDED_ROW, [p for p in leavers if excluded_destination(p)])
    total = rows[-1][1]
    percentages = []
    for all_cell, good, out in zip(total, positive[1], excluded[1], strict=True):
        base = all_cell.count - out.count
        percentages.append(Cell(value=_rate(good.count, base)))
    rows += [positive, excluded, (PERCENTAGE_ROW, percentages)]
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q22b-Q22e, Q23d: length of participation, time to housing, subsidies at exit ---------------

# Q22c/Q22e's bands (notes 2.3, 6.1): weeks in the first month, then months; Q22e and the
# CAPER's Q22d end with "731 days or more"; Q22c's shell ends at 730 days, so a person
# housed later than that counts only in its totals and average.
WEEK_BANDS = [("7 days or less", 0, 7), ("8 to 14 days", 8, 14), ("15 to 21 days", 15, 21),
              ("22 to 30 days", 22, 30), ("31 to 60 days", 31, 60), ("61 to 90 days", 61, 90),
              ("91 to 180 days", 91, 180), ("181 to 365 days", 181, 365), ("366 to 730 days (1-2 Yrs)", 366, 730)]
LONG_BANDS = [*WEEK_BANDS, ("731 days or more", 731, 10**7)]
# Q22e's projects ([DL create_time_prior_to_housing]: ES, TH, SH and PH). DL lists 3, 9 and
# 13 but not 10 (PH housing with services); 10 is a PH type with a move-in date like 9, so
# we read the omission as a slip and include it.
PRIOR_TO_HOUSING_TYPES = {0, 1, 2, 8} | MOVE_IN_TYPES
HOMELESSNESS_PREVENTION = 12
PSH_RRH = {3, 13}


def _days(value, places="0.0001") -> str:
    """An average or median number of days: four decimals as [DL] writes Q22b, Q22f and
    Q22g's (Q22c's average is whole days, [DL] round(…, 0)); 0 when nobody is counted."""
    return f"{Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_EVEN)}"


def _mean(values, places="0.0001") -> str:
    return _days(sum(values) / len(values) if values else 0, places)


def _median(values) -> str:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return _days(0)
    return _days(ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2)


def q22b(persons, code="Q22b", title="Average and Median Length of Participation in Days") -> Table:
    """Average and median length of participation (Person.stay_days, the same days as
    Q22a1: exit − start for leavers, report end + 1 − start for stayers, bed nights in
    night-by-night shelters)."""
    groups = [[p for p in persons if p.exit_date], [p for p in persons if not p.exit_date]]

    def row(label, figure):
        return (label, [Cell({p.client_id for p in g}, value=figure([p.stay_days for p in g])) for g in groups])

    return Table(code, title, ["", "Leavers", "Stayers"],
                 [row("Average Length", _mean), row("Median Length", _median)])


def q22c(persons, code="Q22c",
         title="Length of Time between Project Start Date and Housing Move-in Date") -> Table:
    """Days from project start to housing move-in (Person.move_in, move_in_dates) for the
    persons of PSH and RRH projects (3, 13: [DL create_time_to_move_in], and the shell's
    "For PSH & RRH"): by band, then the total moved in, the average (whole days), those
    who left without moving in, and the total of both (stayers not yet housed are in
    neither: their time to housing is not known yet)."""
    housing = [p for p in persons if p.project_type in PSH_RRH]
    moved = [p for p in housing if p.move_in]
    days = {p.client_id: (p.move_in - p.enrollment.entry_date).days for p in moved}
    rows = [_by_household(label, [p for p in moved if lo <= days[p.client_id] <= hi]) for label, lo, hi in WEEK_BANDS]
    rows.append(_by_household("Total (persons moved into housing)", moved))
    label, cells = _by_household("Average length of time to housing", moved)
    rows.append((label, [Cell(c.ids, value=_mean([days[i] for i in c.ids], "1")) for c in cells]))
    left = [p for p in housing if not p.move_in and p.exit_date]
    rows.append(_by_household("Persons who were exited without move-in", left))
    rows.append(_by_household("Total persons", moved + left))
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


def q22d(persons) -> Table:
    """The CAPER's length of participation by household type (Person.stay_days)."""
    rows = [_by_household(label, [p for p in persons if lo <= p.stay_days <= hi]) for label, lo, hi in LONG_BANDS]
    rows.append(_by_household("Total", persons))
    return Table("Q22d", "Length of Participation by Household Type", ["", "Total", *HOUSEHOLD_TYPES], rows)


def homelessness_started(persons) -> dict:
    """{client ID: the date homelessness started (3.917.3, DateToStreetESSH) as Q22e counts
    it, or None}. A child (known age under 18) who started with the head of household
    takes the head's date, whatever the relationship (Glossary, as quoted in the notes
    2.4: "any household member whose age is <= 17 ... but not clients of unknown age");
    everyone else their own. A date after the project start is not a valid start of the
    homelessness before it ([DL]): not collected."""
    def valid(e):
        return e.date_to_street_essh if e.date_to_street_essh and e.date_to_street_essh <= e.entry_date else None

    started = {}
    for members in by_household(persons).values():
        head = next((m for m in members if m.is_head), None)
        for m in members:
            if m.child and not m.is_head and head is not None and m.enrollment.entry_date == head.enrollment.entry_date:
                started[m.client_id] = valid(head.enrollment)
            else:
                started[m.client_id] = valid(m.enrollment)
    return started


def q22e(persons, code="Q22e",
         title="Length of Time Prior to Housing - based on 3.917 Date Homelessness Started") -> Table:
    """Days from the date homelessness started to housing: the move-in date in PH projects,
    the project start elsewhere ([DL create_time_prior_to_housing]). PH persons not moved
    in (stayers or leavers) are "not yet moved into housing"; persons housed without a
    valid start of homelessness are "data not collected"."""
    served = [p for p in persons if p.project_type in PRIOR_TO_HOUSING_TYPES]
    started = homelessness_started(served)
    housed, not_yet, missing, days = [], [], [], {}
    for p in served:
        when = p.move_in if p.project_type in MOVE_IN_TYPES else p.enrollment.entry_date
        if when is None:
            not_yet.append(p)
        elif started[p.client_id] is None:
            missing.append(p)
        else:
            days[p.client_id] = (when - started[p.client_id]).days
            housed.append(p)
    rows = [_by_household(label, [p for p in housed if lo <= days[p.client_id] <= hi]) for label, lo, hi in LONG_BANDS]
    rows += [_by_household("Total (persons moved into housing)", housed),
             _by_household("Not yet moved into housing", not_yet),
             _by_household("Data not collected", missing),
             _by_household("Total persons", served)]
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


# 3.12.A in the data standards' order (the order of Q23d's rows).
SUBSIDY_TYPES = [(428, "GPD TIP housing subsidy"), (419, "VASH housing subsidy"), (431, "RRH or equivalent subsidy"),
                 (433, "HCV voucher (tenant or project based) (not dedicated)"), (434, "Public housing unit"),
                 (420, "Rental by client, with other ongoing housing subsidy"), (436, "Housing Stability Voucher"),
                 (437, "Family Unification Program Voucher (FUP)"),
                 (438, "Foster Youth to Independence Initiative (FYI)"), (439, "Permanent Supportive Housing"),
                 (440, "Other permanent housing dedicated for formerly homeless persons")]


def q23d(persons, code="Q23d", title="Exit Destination – Subsidy Type of Persons Exiting to Rental by Client "
                                                      "With An Ongoing Subsidy") -> Table:
    """Leavers to "rental by client, with ongoing housing subsidy" (435) by the subsidy's
    type (3.12.A); homelessness prevention projects are left out (notes 5.1). A 435 exit
    without a valid subsidy type is in no row and so not in the total."""
    leavers = [p for p in persons if p.exit_date and p.enrollment.destination == 435
               and p.project_type != HOMELESSNESS_PREVENTION]
    rows = [_by_household(label, [p for p in leavers if p.enrollment.destination_subsidy_type == code])
            for code, label in SUBSIDY_TYPES]
    codes = {code for code, _ in SUBSIDY_TYPES}
    rows.append(_by_household("Total", [p for p in leavers if p.enrollment.destination_subsidy_type in codes]))
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q22f, Q22g, Q23e: by race and ethnicity groups -----------------------------------------------

AT_LEAST_ONE_AND_HISPANIC = "At Least 1 Race and Hispanic/Latina/e/o"
MULTI_RACIAL = "Multi-racial (does not include Hispanic/Latina/e/o)"
UNKNOWN_RACE = "Unknown (Doesn’t Know, Prefers not to Answer, Data not Collected)"


def race_groups() -> list[str]:
    """The race and ethnicity columns of Q22f, Q22g and Q23e ([DL], [GR] FY2026 labels)."""
    return [RACE_LABELS[r] for r in RACES] + [AT_LEAST_ONE_AND_HISPANIC, MULTI_RACIAL, UNKNOWN_RACE]


def race_group(p) -> str:
    """One answer: that race; more than one: with Hispanic/Latina/e/o among them or not;
    none: unknown (3.04's doesn't know, prefers not, not collected, together)."""
    c = p.enrollment.client
    known = c.__dict__.get("_hud_race_group")  # once per client: the questions ask it of everyone
    if known is not None:
        return known
    chosen = [r for r in RACES if getattr(c, r)]
    if len(chosen) == 1:
        group = RACE_LABELS[chosen[0]]
    elif chosen:
        group = AT_LEAST_ONE_AND_HISPANIC if c.hispanic_latinao else MULTI_RACIAL
    else:
        group = UNKNOWN_RACE
    c.__dict__["_hud_race_group"] = group
    return group


def _by_race(label, members, total=False):
    found = defaultdict(set)
    for m in members:
        found[race_group(m)].add(m.client_id)
    groups = [Cell(found[g]) for g in race_groups()]
    return (label, ([Cell({m.client_id for m in members})] if total else []) + groups)


def _time_by_race(label, members, days, figure):
    """A row of averages or medians of ``days`` ({client ID: days}) by race group."""
    cells = []
    for g in race_groups():
        ids = {m.client_id for m in members if race_group(m) == g}
        cells.append(Cell(ids, value=figure([days[i] for i in ids])))
    return (label, cells)


def q22f(persons, start) -> Table:
    """PSH and RRH persons who moved into housing in the report period, or left without
    moving in, by race group, with the average and median days from start to move-in.
    [DL] also puts leavers who moved in before the report start in the "exited without
    move-in" row; the row says "without move-in" and they did move in, so we count them in
    neither row."""
    housing = [p for p in persons if p.project_type in PSH_RRH]
    moved = [p for p in housing if p.move_in and p.move_in >= start]
    left = [p for p in housing if p.exit_date and not p.move_in]
    days = {p.client_id: (p.move_in - p.enrollment.entry_date).days for p in moved}
    return Table("Q22f", "Length of Time between Project Start Date and Housing Move-in Date by Race and Ethnicity",
                 ["", *race_groups()], [
                     _by_race("Persons Moved Into Housing", moved),
                     _by_race("Persons who were exited without move-in", left),
                     _time_by_race("Average time to Move-In", moved, days, _mean),
                     _time_by_race("Median time to Move-In", moved, days, _median)])


def q22g(persons) -> Table:
    """Q22e's persons by race group: those housed (with a valid date homelessness started)
    and PH persons not yet moved in, with the average and median days from the start of
    homelessness to housing; persons housed without a valid date are left out ([DL])."""
    served = [p for p in persons if p.project_type in PRIOR_TO_HOUSING_TYPES]
    started = homelessness_started(served)
    housed, not_yet, days = [], [], {}
    for p in served:
        when = p.move_in if p.project_type in MOVE_IN_TYPES else p.enrollment.entry_date
        if when is None:
            not_yet.append(p)
        elif started[p.client_id] is not None:
            days[p.client_id] = (when - started[p.client_id]).days
            housed.append(p)
    return Table("Q22g", "Length of Time Prior to Housing by Race and Ethnicity - based on 3.917 Date Homelessness "
                 "Started", ["", *race_groups()], [
                     _by_race("Persons Moved into Housing", housed),
                     _by_race("Persons Not Yet Moved into Housing", not_yet),
                     _time_by_race("Average time to Move-In", housed, days, _mean),
                     _time_by_race("Median time to Move-In", housed, days, _median)])


def destination_group(code) -> str:
    """Q23c's destination groups (3.12.1 by its hundreds; invalid codes and none: other)."""
    for label, codes in (("Homeless Situations", HOMELESS), ("Institutional Situations", INSTITUTIONAL),
                         ("Temporary Situations", TEMPORARY), ("Permanent Situations", PERMANENT)):
        if code in codes:
            return label
    return "Other Situations"


def q23e(persons) -> Table:
    """Leavers by destination group and race group, with a Total column."""
    leavers = [p for p in persons if p.exit_date]
    rows = [_by_race(g, [p for p in leavers if destination_group(p.enrollment.destination) == g], total=True)
            for g in ("Homeless Situations", "Institutional Situations", "Temporary Situations",
                      "Permanent Situations", "Other Situations")]
    rows.append(_by_race("Total", leavers, total=True))
    return Table("Q23e", "Exit Destination Type by Race and Ethnicity", ["", "Total", *race_groups()], rows)


# --- Q24a: homelessness prevention housing assessment at exit -------------------------------------

MAINTAINED = "Able to maintain the housing they had at project start--"
MOVED = "Moved to new housing unit--"
ASSESSMENT_ROWS = [  # (label, W5 HousingAssessment, W5.A/B SubsidyInformation or None)
    (MAINTAINED + "Without a subsidy", 1, 1), (MAINTAINED + "With the subsidy they had at project start", 1, 2),
    (MAINTAINED + "With an on-going subsidy acquired since project start", 1, 3),
    (MAINTAINED + "Only with financial assistance other than a subsidy", 1, 4),
    (MOVED + "With on-going subsidy", 2, 11), (MOVED + "Without an on-going subsidy", 2, 12),
    ("Moved in with family/friends on a temporary basis", 3, None),
    ("Moved in with family/friends on a permanent basis", 4, None),
    ("Moved to a transitional or temporary housing facility or program", 5, None),
    ("Client became homeless – moving to a shelter or other place unfit for human habitation", 6, None),
    ("Client went to jail/prison", 7, None), ("Client died", 10, None),
]
ASSESSMENT_DK = "Client Doesn't Know/Prefers Not to Answer"
ASSESSMENT_MISSING = "Data not collected (no exit interview completed)"


def assessment_row(answers) -> str:
    """The Q24a row of a leaver's housing assessment at exit (W5, ProgramAnswers or None).
    [DL] leaves out a leaver with no assessment, or with "maintained"/"moved" but no subsidy
    information; the table is about every HP leaver and nothing was collected for them, so
    we count them as not collected."""
    assessment = answers.housing_assessment if answers else None
    subsidy = answers.subsidy_information if answers else None
    for label, code, detail in ASSESSMENT_ROWS:
        if assessment == code and detail in (None, subsidy):
            return label
    return ASSESSMENT_DK if assessment in (8, 9) else ASSESSMENT_MISSING


def q24a(persons) -> Table:
    """Leavers of homelessness prevention projects by their housing assessment at exit."""
    leavers = [p for p in persons if p.exit_date and p.project_type == HOMELESSNESS_PREVENTION]
    answers = {a.enrollment_id: a for a in ProgramAnswers.objects.filter(
        enrollment__in=[p.enrollment.pk for p in leavers]).only("enrollment_id", "housing_assessment",
                                                                 "subsidy_information")}
    row_of = {p.client_id: assessment_row(answers.get(p.enrollment.pk)) for p in leavers}
    labels = [label for label, _, _ in ASSESSMENT_ROWS] + [ASSESSMENT_DK, ASSESSMENT_MISSING]
    rows = [_by_household(label, [p for p in leavers if row_of[p.client_id] == label]) for label in labels]
    rows.append(_by_household("Total", leavers))
    return Table("Q24a", "Homelessness Prevention Housing Assessment at Exit", ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q24b: Moving On assistance -------------------------------------------------------------------

MOVING_ON_TYPES = [(1, "Subsidized housing application assistance"), (2, "Financial assistance for Moving On"),
                   (3, "Non-financial assistance for Moving On"), (4, "Housing referral/placement"), (5, "Other")]
PSH = 3


def q24b(persons, start, end) -> Table:
    """Heads of household in PSH by the Moving On assistance (C2, Services RecordType 300)
    they were given in the report period, one count per head and kind ([DL]; no total row:
    a head given two kinds is in two rows)."""
    heads = [p for p in persons if p.is_head and p.project_type == PSH]
    given = defaultdict(set)
    for row in Service.objects.filter(enrollment__in=[p.enrollment.pk for p in heads],
                                      record_type=ServiceRecordType.MOVING_ON, date_provided__gte=start,
                                      date_provided__lte=end).values("enrollment_id", "type_provided").distinct():
        given[row["type_provided"]].add(row["enrollment_id"])
    return Table("Q24b", "Moving On Assistance Provided to Households in PSH", ["", "Total", *HOUSEHOLD_TYPES],
                 [_by_household(label, [p for p in heads if p.enrollment.pk in given[code]])
                  for code, label in MOVING_ON_TYPES])


# --- Q24e Sex, Q25a Veterans --------------------------------------------------------------------

SEX_ROWS = [("Female", {0}), ("Male", {1}), ("Client Doesn't Know/Prefers Not to Answer", {8, 9})]


def q24e(persons) -> Table:
    """Sex (4.21, FY2026) of every person; anything but 0, 1, 8 or 9 (99 or none) is not
    collected ([DL] Q24e)."""
    sexes = {p.client_id: p.enrollment.client.sex for p in persons}
    rows = [_by_household(label, [p for p in persons if sexes[p.client_id] in codes]) for label, codes in SEX_ROWS]
    rows.append(_by_household("Data Not Collected", [p for p in persons if sexes[p.client_id] not in {0, 1, 8, 9}]))
    rows.append(_by_household("Total", persons))
    return Table("Q24e", "Sex", ["", "Total", *HOUSEHOLD_TYPES], rows)


def veteran_row(p) -> str:
    """Q25a's row of an adult ([DL]): a veteran chronically homeless at start (the report's
    own chronic status, Person.chronic) or not; not a veteran; doesn't know/prefers not;
    not collected."""
    status = p.enrollment.client.veteran_status
    if status == 1:
        return "Chronically Homeless Veteran" if p.chronic == "Y" else "Non-Chronically Homeless Veteran"
    if status == 0:
        return "Not a Veteran"
    return "Client Doesn't Know/Prefers Not to Answer" if status in (8, 9) else "Data Not Collected"


VETERAN_ROWS = ["Chronically Homeless Veteran", "Non-Chronically Homeless Veteran", "Not a Veteran",
                "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected"]


def q25a(persons) -> Table:
    """Adults by veteran status (3.07) and chronic homelessness; a household of children
    only has no adult, so the table has no "With Only Children" column."""
    adults = [p for p in persons if p.adult]
    keep = [0, 1, 2, 4]  # Total, Without Children, With Children and Adults, Unknown

    def row(label, group):
        _, cells = _by_household(label, group)
        return (label, [cells[i] for i in keep])

    rows = [row(label, [p for p in adults if veteran_row(p) == label]) for label in VETERAN_ROWS]
    rows.append(row("Total", adults))
    return Table("Q25a", "Number of Veterans", ["", "Total", "Without Children", "With Children and Adults",
                                                "Unknown Household Type"], rows)


def q25b(persons) -> Table:
    """Households with at least one adult, counted by their heads, in the first of Q25a's
    rows any adult member falls in (SPEC 6.1: ">=1 CH veteran, else >=1 non-CH veteran,
    ..."): a household with a chronically homeless veteran is one, else one with any
    veteran, else one with an adult who is not, then doesn't know, then not collected.
    Child-only households have no adult, so no column."""
    members = by_household(persons)
    keep = [0, 1, 2, 4]  # Total, Without Children, With Children and Adults, Unknown
    heads = [p for p in persons if p.is_head and any(m.adult for m in members[p.enrollment.household_id])]

    def status(head):
        return min((veteran_row(m) for m in members[head.enrollment.household_id] if m.adult), key=VETERAN_ROWS.index)

    def row(label, group):
        _, cells = _by_household(label, group)
        return (label, [cells[i] for i in keep])

    rows = [row(label, [h for h in heads if status(h) == label]) for label in VETERAN_ROWS]
    rows.append(row("Total", heads))
    return Table("Q25b", "Number of Veteran Households", ["", "Total", "Without Children", "With Children and Adults",
                                                          "Unknown Household Type"], rows)


# --- Q26b: chronically homeless persons -----------------------------------------------

CHRONIC_ROWS = [("Y", "Chronically Homeless"), ("N", "Not Chronically Homeless"),
                ("DK", "Client Doesn't Know/Prefers Not to Answer"), ("M", "Data Not Collected")]


def q26a(persons) -> Table:
    """Households (counted by their heads, as Q8a does) by the best chronic homelessness
    status among their members (Person.chronic, RANK order): a household with at least one
    chronically homeless person is one, else one with a "no" is not, then doesn't know,
    then data not collected. SPEC 6.1 reads Q25b the same way ("households with >=1 CH
    veteran, else ..."): the table's title names the first row's rule and the others follow."""
    members = by_household(persons)
    heads = [p for p in persons if p.is_head]

    def status(head):
        return min((m.chronic for m in members[head.enrollment.household_id]), key=RANK.get)

    rows = [_by_household(label, [h for h in heads if status(h) == code]) for code, label in CHRONIC_ROWS]
    rows.append(_by_household("Total", heads))
    return Table("Q26a", "Chronic Homeless Status - Number of Households w/at least one or more CH person",
                 ["", "Total", *HOUSEHOLD_TYPES], rows)


def q26b(persons) -> Table:
    """Every person by chronic homelessness at project start (Person.chronic, from
    chronic_statuses: the household extension included), by household type. The
    table shell counts persons of all ages, children included, so its "Chronically
    Homeless" total is Q5a's "Number of chronically homeless persons"."""
    rows = [_by_household(label, [p for p in persons if p.chronic == status]) for status, label in CHRONIC_ROWS]
    rows.append(_by_household("Total", persons))
    return Table("Q26b", "Number of Chronically Homeless Persons by Household", ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q25d, Q25i, Q25j (veterans), Q26d, Q26e (chronically homeless persons) -----------------------
# FY2026 has no Q25c or Q26c (gender, removed with 3.06) and no Q26f-Q26h: HUD's Data Lab FY2026
# code goes Q25a, b, d, i, j and Q26a, b, d, e (notes 6.1).

CHILD_ONLY = 3  # the index of the "With Only Children" cell in an _by_household row (Total is 0)


def _drop_child_only(code, title, table) -> Table:
    """``table`` (HH5 columns) without its "With Only Children" column, as Q25a's shell."""
    return Table(code, title, [c for i, c in enumerate(table.columns) if i != CHILD_ONLY + 1],
                 [(label, [c for i, c in enumerate(cells) if i != CHILD_ONLY]) for label, cells in table.rows])


def veterans(persons) -> list[Person]:
    """Adults whose veteran status (3.07) is yes: Q5a's "Number of veterans" and Q25a's
    two veteran rows (3.07 is asked of adults only)."""
    return [p for p in persons if p.adult and p.enrollment.client.veteran_status == 1]


def q25d(persons) -> Table:
    """Veterans by Q11's age bands from 18-24 ([DL], [GR]: Q11 without its three child
    rows). Veterans are adults, so the two unknown-age rows stay at 0; HUD's shell has
    them."""
    ages = q11(veterans(persons))
    return _drop_child_only("Q25d", "Age – Veterans", Table(ages.code, ages.title, ages.columns, ages.rows[3:]))


def q25i(persons) -> Table:
    """Q23c's rows for the veterans who left. HUD's Data Lab and [GR] both keep Q23c's five
    columns here (With Only Children included: always 0, veterans being adults), unlike
    Q25a, Q25d and Q25j; we follow them, as the upload is checked against that shape."""
    return q23c(veterans(persons), "Q25i", "Exit Destination – Veterans")


def q25j(persons) -> Table:
    """Q23d's rows for the veterans who left to rental with an ongoing subsidy, without
    the "With Only Children" column ([DL], [GR])."""
    return _drop_child_only("Q25j", "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An "
                            "Ongoing Subsidy – Veteran", q23d(veterans(persons)))


def q26d(persons) -> Table:
    """Chronically homeless persons (Person.chronic, children included) by age: one row for
    0-17, then Q11's adult bands and unknown ages. Cells no one can be in are left blank as
    HUD's shell greys them ([GR]): children in households without children, and adults or
    unknown ages in households with only children."""
    ch = [p for p in persons if p.chronic == "Y"]
    rows = [_by_household("0 - 17", [p for p in ch if p.child]), *q11(ch).rows[3:]]
    for i, (label, cells) in enumerate(rows):
        if i == 0:
            cells[1] = Cell(value="")
        elif label != "Total":
            cells[CHILD_ONLY] = Cell(value="")
    return Table("Q26d", "Age of Chronically Homeless Persons", ["", "Total", *HOUSEHOLD_TYPES], rows)


def q26e(persons, records, end) -> Table:
    """Chronically homeless persons with each condition, on Q13's records (disability_record):
    at start (everyone), at the latest assessment for stayers, at exit for leavers."""
    ch = [p for p in persons if p.chronic == "Y"]
    stages = ("start", "stayer", "exit")
    has = {when: {p.client_id: conditions_of(disability_record(p, records, when, end))
                  for p in ch if _condition_group(p, when)} for when in stages}
    rows = [(name, [Cell({c for c, found in has[when].items() if name in found}) for when in stages])
            for name in CONDITIONS]
    return Table("Q26e", "Physical and Mental Health Conditions – Chronically Homeless Persons",
                 ["", "Conditions At Start", "Conditions at Latest Assessment for Stayers",
                  "Conditions at Exit for Leavers"], rows)


# --- Q9a, Q9b: contacts and engagements (street outreach, night-by-night shelters) --------------

DK_PNTA, NOT_COLLECTED = "Client Doesn't Know/Prefers Not to Answer", "Data Not Collected"
CONTACT_COLUMNS = ["", "All Persons Contacted", "First contact – NOT staying on the Streets, ES, or SH",
                   "First contact – WAS staying on Streets, ES, or SH", "First contact – Worker unable to determine"]
ENGAGEMENT = "engagement"  # the date of engagement counted as a contact when no 4.12 record is on that day


def _rate(part, whole) -> str:
    return f"{(100 * part / whole if whole else 0):.2f}%"


def contact_counts(persons, end) -> dict:
    """{client_id: (number of contacts, where the first one found the person)} for the
    persons given, per the specification's contact rule (quoted in the notes, 5c/Q9):
    every Current Living Situation (4.12) of the reported stay dated on or after its
    start, on or before its exit, on or before the date of engagement when there is one,
    and on or before the report end; contacts before the report start count. The date
    of engagement (on or before the report end) is itself a contact when no 4.12 record
    is dated that day ([DL] adds it with an unknown situation; so does [GR]). Each 4.12
    record is one contact, as [DL] counts them. The first contact's situation sorts the
    person: 1xx "WAS staying on Streets, ES, or SH"; 37 (worker unable to determine), 8,
    9, 99 or the engagement date alone "Worker unable to determine"; anything else "NOT
    staying ..." """
    by_pk = {p.enrollment.pk: p for p in persons}
    found = defaultdict(list)
    rows = (CurrentLivingSituation.objects.filter(enrollment__in=list(by_pk), information_date__lte=end)
            .order_by("information_date", "pk").values_list("enrollment_id", "information_date",
                                                            "current_living_situation"))
    for pk, day, situation in rows:
        e = by_pk[pk].enrollment
        if day >= e.entry_date and (e.exit_date is None or day <= e.exit_date) and (
                e.date_of_engagement is None or day <= e.date_of_engagement):
            found[pk].append((day, situation))
    result = {}
    for pk, p in by_pk.items():
        contacts = found[pk]
        engaged = p.enrollment.date_of_engagement
        if engaged is not None and engaged <= end and all(day != engaged for day, _ in contacts):
            contacts = sorted([*contacts, (engaged, ENGAGEMENT)], key=lambda c: c[0])
        if not contacts:
            continue
        first = contacts[0][1]
        kind = ("was" if first != ENGAGEMENT and 100 <= first < 200
                else "unable" if first in (ENGAGEMENT, 37, 8, 9, 99) else "not")
        result[p.client_id] = (len(contacts), kind)
    return result


def _contact_rows(group, counts, unit, total_label):
    bands = [("Once", 1, 1), (f"2-5 {unit}", 2, 5), (f"6-9 {unit}", 6, 9), (f"10+ {unit}", 10, 10**9),
             (total_label, 1, 10**9)]
    rows = []
    for label, lo, hi in bands:
        ids = {p.client_id for p in group if p.client_id in counts and lo <= counts[p.client_id][0] <= hi}
        rows.append((label, [Cell(ids), *[Cell({c for c in ids if counts[c][1] == kind})
                                          for kind in ("not", "was", "unable")]]))
    return rows


def _contacted(outreach, start, end):
    """Adults and heads of household of street outreach and night-by-night shelter stays
    ([DL] Q9a: project types 1 and 4), from the universe before its engagement filter:
    contacted (a 4.12 record) in the period on or before any date of engagement, or
    engaged in the period."""
    group = [p for p in outreach if p.project_type in (ES_NBN, STREET_OUTREACH) and (p.adult or p.is_head)]
    in_period = set(CurrentLivingSituation.objects.filter(
        enrollment__in=[p.enrollment.pk for p in group], information_date__gte=start, information_date__lte=end,
    ).filter(Q(enrollment__date_of_engagement__isnull=True)
             | Q(information_date__lte=F("enrollment__date_of_engagement"))).values_list("enrollment_id", flat=True))
    engaged = [p for p in group if p.enrollment.date_of_engagement and start <= p.enrollment.date_of_engagement <= end]
    contacted = [p for p in group if p.enrollment.pk in in_period or p in engaged]
    return contacted, engaged


def q9a(outreach, start, end) -> Table:
    contacted, _ = _contacted(outreach, start, end)
    counts = contact_counts(contacted, end)
    return Table("Q9a", "Number of Persons Contacted", CONTACT_COLUMNS,
                 _contact_rows(contacted, counts, "Times", "Total Persons Contacted"))


def q9b(outreach, start, end) -> Table:
    """Persons engaged in the period, by their contacts up to the engagement; the rate of
    engagement is, per column, the persons engaged over the persons contacted (Q9a)."""
    contacted, engaged = _contacted(outreach, start, end)
    counts = contact_counts(contacted, end)
    rows = _contact_rows(engaged, counts, "Contacts", "Total Persons Engaged")
    reached = _contact_rows(contacted, counts, "Times", "Total")[-1][1]
    rows.append(("Rate of Engagement", [Cell(value=_rate(len(e.ids), len(c.ids))) for e, c in zip(rows[-1][1], reached,
                                                                                                   strict=True)]))
    return Table("Q9b", "Number of Persons Engaged", CONTACT_COLUMNS, rows)


# --- Q11 Age, Q12 Race and Ethnicity ---------------------------------------------------------------

AGE_BANDS = [("Under 5", 0, 4), ("5-12", 5, 12), ("13-17", 13, 17), ("18-24", 18, 24), ("25-34", 25, 34),
             ("35-44", 35, 44), ("45-54", 45, 54), ("55-64", 55, 64), ("65+", 65, 10**3)]


def q11(persons) -> Table:
    """Age at the later of the report start and the person's start (Person.age); unknown
    ages split as in Q7a: DOB quality 8/9 without a date, else not collected."""
    rows = [_by_household(label, [p for p in persons if p.age is not None and lo <= p.age <= hi])
            for label, lo, hi in AGE_BANDS]
    rows.append(_by_household(DK_PNTA, [p for p in persons if p.age is None and p.dob_quality in (8, 9)]))
    rows.append(_by_household(NOT_COLLECTED, [p for p in persons if p.age is None and p.dob_quality not in (8, 9)]))
    rows.append(_by_household("Total", persons))
    return Table("Q11", "Age", ["", "Total", *HOUSEHOLD_TYPES], rows)


RACE_LABELS = {"am_ind_ak_native": "American Indian, Alaska Native, or Indigenous",
               "asian": "Asian or Asian American", "black_af_american": "Black, African American, or African",
               "hispanic_latinao": "Hispanic/Latina/e/o", "mid_east_n_african": "Middle Eastern or North African",
               "native_hi_pacific": "Native Hawaiian or Pacific Islander", "white": "White"}
# The seven single answers in the data standard's order, then every pair in that order
# ("X & Y", X listed first), as [DL] and [GR] both lay the FY2026 table out.
RACE_ROWS = [(RACE_LABELS[r],) for r in RACES] + [
    (f"{RACE_LABELS[a]} & {RACE_LABELS[b]}", a, b) for i, a in enumerate(RACES) for b in RACES[i + 1:]]
MULTI_HISPANIC = "Multiracial – more than 2 races/ethnicity, with one being Hispanic/Latina/e/o"
MULTI_OTHER = "Multiracial – more than 2 races, where no option is Hispanic/Latina/e/o"


def race_row(p) -> str:
    """The Q12 row of one person. The races recorded come first ([DL] Q12: a client with
    races and 3.04 "doesn't know" is counted by the races); without any, RaceNone 8/9 is
    "doesn't know/prefers not to answer" and anything else not collected."""
    c = p.enrollment.client
    chosen = [r for r in RACES if getattr(c, r)]
    if len(chosen) == 1:
        return RACE_LABELS[chosen[0]]
    if len(chosen) == 2:
        return f"{RACE_LABELS[chosen[0]]} & {RACE_LABELS[chosen[1]]}"
    if len(chosen) > 2:
        return MULTI_HISPANIC if c.hispanic_latinao else MULTI_OTHER
    return DK_PNTA if c.race_none in (8, 9) else NOT_COLLECTED


def q12(persons) -> Table:
    found = defaultdict(list)
    for p in persons:
        found[race_row(p)].append(p)
    labels = [r[0] for r in RACE_ROWS] + [MULTI_HISPANIC, MULTI_OTHER, DK_PNTA, NOT_COLLECTED]
    rows = [_by_household(label, found[label]) for label in labels]
    rows.append(_by_household("Total", persons))
    return Table("Q12", "Race and Ethnicity", ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q13, Q14: health and domestic violence answers -----------------------------------------------

DISABILITY_FIELDS = ("physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
                     "mental_health_disorder", "substance_use_disorder")
CONDITIONS = ["Mental Health Disorder", "Alcohol Use Disorder", "Drug Use Disorder",
              "Both Alcohol and Drug Use Disorders", "Chronic Health Condition", "HIV/AIDS",
              "Developmental Disability", "Physical Disability"]
SPLIT_COLUMNS = ["", "Total Persons", "Without Children", "Adults in HH with Children & Adults",
                 "Children in HH with Children & Adults", "With Only Children", "Unknown Household Type"]


def health_records(persons) -> dict:
    """{enrollment pk: [Assessment ...]} oldest first: the rows holding the disability
    (4.05–4.10) or domestic violence (4.11) answers of the persons' reported stays."""
    fields = ("enrollment_id", "stage", "information_date", *DISABILITY_FIELDS, "domestic_violence_survivor",
              "when_occurred")
    by = defaultdict(list)
    for a in bare_rows(of_enrollments(Assessment.objects.all(), persons).order_by(
            "information_date", "pk"), fields):
        by[a.enrollment_id].append(a)
    return by


def _asked_disabilities(a) -> bool:
    return any(getattr(a, f) is not None for f in DISABILITY_FIELDS)


def disability_record(p, records, when, end):
    """The disability record Q13 reads ([DL] Q13a1-c1): ``start``, the project start
    record (stage 1); ``exit``, a leaver's exit record (stage 3); ``stayer``, the latest
    record dated on or before the report end among start, update and annual assessment
    records. A record that did not ask 4.05–4.10 (all null: not asked, H1) is no
    disability record, as HMIS CSV writes no Disabilities row for it."""
    stages = {"start": (1,), "exit": (3,), "stayer": (1, 2, 5)}[when]
    chosen = [a for a in records.get(p.enrollment.pk, ()) if a.stage in stages and _asked_disabilities(a)
              and (when != "stayer" or a.information_date <= end)]
    return chosen[-1] if chosen else None


def conditions_of(a) -> list[str]:
    """The conditions a record says "yes" to. 4.10 answers alcohol, drug or both."""
    if a is None:
        return []
    found = [name for name, field in (("Mental Health Disorder", "mental_health_disorder"),
                                      ("Chronic Health Condition", "chronic_health_condition"),
                                      ("HIV/AIDS", "hiv_aids"), ("Developmental Disability", "developmental_disability"),
                                      ("Physical Disability", "physical_disability")) if getattr(a, field) == 1]
    substance = {1: "Alcohol Use Disorder", 2: "Drug Use Disorder", 3: "Both Alcohol and Drug Use Disorders"}
    if a.substance_use_disorder in substance:
        found.append(substance[a.substance_use_disorder])
    return found


def _split_by_household(label, members):
    """Q13's columns: persons by household type, with adults and children of households
    with children and adults apart. A person of unknown age in such a household is in
    neither of its two columns; [GR] counts them under "Unknown Household Type" so the
    columns add up to the total, [DL] in no column: we follow [GR], as HUD's tables are
    validated by their totals."""
    kinds = [
        lambda m: m.household_type == "Without Children",
        lambda m: m.household_type == "With Children and Adults" and m.adult,
        lambda m: m.household_type == "With Children and Adults" and m.child,
        lambda m: m.household_type == "With Only Children",
        lambda m: m.household_type == "Unknown Household Type" or (
            m.household_type == "With Children and Adults" and m.age is None),
    ]
    return (label, [Cell({m.client_id for m in members}), *[Cell({m.client_id for m in members if kind(m)})
                                                             for kind in kinds]])


def _condition_group(p, when):
    return {"start": True, "exit": bool(p.exit_date), "stayer": not p.exit_date}[when]


Q13_TABLES = {"start": ("a", "at Start"), "exit": ("b", "at Exit"), "stayer": ("c", "for Stayers")}


def q13x1(persons, records, when, end) -> Table:
    """Persons with each condition: every person (a1), leavers (b1) or stayers (c1)."""
    group = [p for p in persons if _condition_group(p, when)]
    has = {p.client_id: conditions_of(disability_record(p, records, when, end)) for p in group}
    rows = [_split_by_household(name, [p for p in group if name in has[p.client_id]]) for name in CONDITIONS]
    letter, title = Q13_TABLES[when]
    return Table(f"Q13{letter}1", f"Physical and Mental Health Conditions {title}", SPLIT_COLUMNS, rows)


def condition_count_row(p, records, when, end) -> str:
    """How many conditions ([DL] condition_count_groups): "both alcohol and drug use
    disorders" is two conditions ([DL] and [GR] alike). With none, 3.08 decides: "no" is
    none, "yes" an unknown condition, 8/9 doesn't know/prefers not, else not collected."""
    found = conditions_of(disability_record(p, records, when, end))
    count = len(found) + ("Both Alcohol and Drug Use Disorders" in found)
    if count:
        return {1: "1 Condition", 2: "2 Conditions"}.get(count, "3+ Conditions")
    answer = p.enrollment.disabling_condition
    return {0: "None", 1: "Condition Unknown", 8: DK_PNTA, 9: DK_PNTA}.get(answer, NOT_COLLECTED)


def q13x2(persons, records, when, end) -> Table:
    group = [p for p in persons if _condition_group(p, when)]
    found = defaultdict(list)
    for p in group:
        found[condition_count_row(p, records, when, end)].append(p)
    labels = ["None", "1 Condition", "2 Conditions", "3+ Conditions", "Condition Unknown", DK_PNTA, NOT_COLLECTED]
    rows = [_split_by_household(label, found[label]) for label in labels]
    rows.append(_split_by_household("Total", group))
    letter, title = Q13_TABLES[when]
    return Table(f"Q13{letter}2", f"Number of Conditions {title}", SPLIT_COLUMNS, rows)


def dv_record(p, records, end):
    """The latest record dated on or before the report end that answered 4.11 ([DL]
    Q14: latest HealthAndDV row; a record that did not ask 4.11 is not one)."""
    chosen = [a for a in records.get(p.enrollment.pk, ())
              if a.domestic_violence_survivor is not None and a.information_date <= end]
    return chosen[-1] if chosen else None


def q14a(persons, records, end) -> Table:
    """Adults and heads of household (a child heading a household included) by 4.11."""
    group = [p for p in persons if p.adult or p.is_head]
    answer = {p.client_id: getattr(dv_record(p, records, end), "domestic_violence_survivor", None) for p in group}
    rows = [_by_household(label, [p for p in group if test(answer[p.client_id])]) for label, test in (
        ("Yes", lambda a: a == 1), ("No", lambda a: a == 0), (DK_PNTA, lambda a: a in (8, 9)),
        (NOT_COLLECTED, lambda a: a not in (0, 1, 8, 9)))]
    rows.append(_by_household("Total", group))
    return Table("Q14a", "Domestic Violence History", ["", "Total", *HOUSEHOLD_TYPES], rows)


def q14b(persons, records, end) -> Table:
    """The adults and heads of household who said yes in Q14a, by when the most recent
    experience occurred (4.11.A); FY2026 reports this, not "currently fleeing" ([DL] and
    [GR] FY2026 alike)."""
    survivors = {}
    for p in persons:
        a = dv_record(p, records, end)
        if (p.adult or p.is_head) and a is not None and a.domestic_violence_survivor == 1:
            survivors[p.client_id] = (p, a.when_occurred)
    rows = [_by_household(label, [p for p, when in survivors.values() if test(when)]) for label, test in (
        ("Within the past three months", lambda w: w == 1), ("Three to six months ago", lambda w: w == 2),
        ("Six months to one year", lambda w: w == 3), ("One year ago, or more", lambda w: w == 4),
        (DK_PNTA, lambda w: w in (8, 9)), (NOT_COLLECTED, lambda w: w not in (1, 2, 3, 4, 8, 9)))]
    rows.append(_by_household("Total", [p for p, _ in survivors.values()]))
    return Table("Q14b", "Most recent experience of domestic violence, sexual assault, dating violence, stalking, or "
                 "human trafficking", ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Q15 Living Situation -------------------------------------------------------------------------

# HUD's rows: a heading, each situation of 3.917.1, a subtotal, per group; the heading
# rows carry no numbers. Labels as the FY2024/FY2026 shell words them.
LIVING_SITUATION_GROUPS = [
    ("Homeless Situations", [(116, "Place not meant for habitation"),
                             (101, "Emergency shelter, including hotel or motel paid for with emergency shelter "
                                   "voucher, Host Home shelter"),
                             (118, "Safe Haven")]),
    ("Institutional Settings", [(215, "Foster care home or foster care group home"),
                                (206, "Hospital or other residential non-psychiatric medical facility"),
                                (207, "Jail, prison or juvenile detention facility"),
                                (225, "Long-term care facility or nursing home"),
                                (204, "Psychiatric hospital or other psychiatric facility"),
                                (205, "Substance abuse treatment facility or detox center")]),
    ("Temporary Situations", [(302, "Transitional housing for homeless persons (including homeless youth)"),
                              (329, "Residential project or halfway house with no homeless criteria"),
                              (314, "Hotel or motel paid for without emergency shelter voucher"),
                              (332, "Host Home (non-crisis)"),
                              (336, "Staying or living in a friend's room, apartment or house"),
                              (335, "Staying or living in a family member's room, apartment or house")]),
    ("Permanent Situations", [(410, "Rental by client, no ongoing housing subsidy"),
                              (435, "Rental by client, with ongoing housing subsidy"),
                              (421, "Owned by client, with ongoing housing subsidy"),
                              (411, "Owned by client, no ongoing housing subsidy")]),
]


def q15(persons, code="Q15", title="Living Situation") -> Table:
    """Adults and heads of household by their living situation before the project start
    (3.917.1); 8/9 doesn't know/prefers not, anything else (99, none, a code outside the
    list) not collected, then their subtotal and the total."""
    group = [p for p in persons if p.adult or p.is_head]
    blank = [Cell(value="") for _ in range(5)]
    rows, listed = [], set()
    for heading, situations in LIVING_SITUATION_GROUPS:
        rows.append((heading, blank))
        for situation, label in situations:  # not ``code``: that is the table's
            rows.append(_by_household(label, [p for p in group if p.enrollment.living_situation == situation]))
        codes = {code for code, _ in situations}
        listed |= codes
        rows.append(_by_household("Subtotal", [p for p in group if p.enrollment.living_situation in codes]))
    unknown = [p for p in group if p.enrollment.living_situation in (8, 9)]
    missing = [p for p in group if p.enrollment.living_situation not in listed | {8, 9}]
    rows += [_by_household(DK_PNTA, unknown), _by_household(NOT_COLLECTED, missing),
             _by_household("Subtotal", unknown + missing), _by_household("Total", group)]
    return Table(code, title, ["", "Total", *HOUSEHOLD_TYPES], rows)


# --- Income and benefits: the snapshot at start, annual assessment, exit (notes 4.1) ---------------

INCOME_FIELDS = [source for source, _, _, _, _ in INCOME_SOURCES]
BENEFIT_FIELDS = [source for source, _, _ in BENEFIT_SOURCES]
INSURANCE_FIELDS = [source for source, _, _, _, _ in INSURANCE_TYPES]
ANNUAL_WINDOW = timedelta(days=30)
SNAPSHOT_FIELDS = ("enrollment_id", "stage", "information_date", "income_from_any_source", "total_monthly_income",
                   "benefits_from_any_source", "insurance_from_any_source", *INCOME_FIELDS,
                   *[amount for _, _, amount, _, _ in INCOME_SOURCES], *BENEFIT_FIELDS, *INSURANCE_FIELDS)


def add_years(day, years):
    """The same date ``years`` later; 29 February falls on 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class IncomeSnapshot:
    """One person's IncomeBenefits records (4.02-4.04, one Assessment row each) as the APR
    and CAPER read them. ``annual`` is for stayers only: "not required" (the household
    has not reached an anniversary, or the person joined after it), "missing" (required,
    but no annual assessment in the window) or "found" (``annual_record`` holds it)."""
    start: Assessment | None = None
    exit: Assessment | None = None
    annual: str = "not required"
    annual_record: Assessment | None = None
    anniversary: date | None = None


def income_snapshots(persons, end) -> dict:
    """{enrollment pk: IncomeSnapshot} for the persons given (notes 4.1, [DL]):
    - at start: the project start record (stage 1) dated ON the project start date; one
      dated any other day is no start record (Q6c counts it missing);
    - at exit (leavers): the exit record (stage 3) dated on the exit date;
    - annual assessment (stayers): due once the head of household has been in the
      project a full year by the report end, counted as ages are (calendar years, not
      365 days, for leap years; [DL] counts to the report end, [GR] to the exit: for a
      stayer the two agree). Every member is keyed to the head's anniversary (Data
      Standards: one annual assessment for the household, at the head's anniversary),
      the latest one on or before the report end. The record is the latest stage-5 one
      dated within 30 days before or after it (inclusive) and not after the report end.
      A member who joined the stay on or after that anniversary was not there for it and
      is not yet required to have one ([GR] FY2026; [DL] does not check: we follow [GR], as
      the Data Standards ask the assessment of those present at the anniversary)."""
    found = defaultdict(list)
    for a in bare_rows(of_enrollments(Assessment.objects.filter(
            stage__in=(DataCollectionStage.PROJECT_START, DataCollectionStage.PROJECT_EXIT, DataCollectionStage.ANNUAL),
    ), persons).order_by("information_date", "pk"), SNAPSHOT_FIELDS):
        found[a.enrollment_id].append(a)
    result = {}
    for members in by_household(persons).values():
        heads = [m.enrollment.entry_date for m in members if m.is_head]
        for p in members:
            e, records = p.enrollment, found[p.enrollment.pk]
            snap = IncomeSnapshot()
            starts = [a for a in records if a.stage == DataCollectionStage.PROJECT_START
                      and a.information_date == e.entry_date]
            snap.start = starts[-1] if starts else None
            if p.exit_date:
                exits = [a for a in records if a.stage == DataCollectionStage.PROJECT_EXIT
                         and a.information_date == p.exit_date]
                snap.exit = exits[-1] if exits else None
            else:
                # The head's latest start when a household has several heads over time ([DL]).
                since = max(heads) if heads else e.entry_date
                years = age_on(since, end)
                if years >= 1:
                    anniversary = add_years(since, years)
                    snap.anniversary = anniversary
                    if e.entry_date < anniversary:
                        inside = [a for a in records if a.stage == DataCollectionStage.ANNUAL
                                  and anniversary - ANNUAL_WINDOW <= a.information_date
                                  <= min(anniversary + ANNUAL_WINDOW, end)]
                        snap.annual = "found" if inside else "missing"
                        snap.annual_record = inside[-1] if inside else None
            result[e.pk] = snap
    return result


@dataclass
class CashIncome:
    status: str  # "known", "dk" (client doesn't know/prefers not to answer) or "missing"
    total: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)

    @property
    def other(self):
        return max(self.total - self.earned, Decimal(0))


def _positive(value):
    return value if value is not None and value > 0 else Decimal(0)


def cash_income(a) -> CashIncome:
    """Monthly cash income of one record, per HUD's reference code [DL
    determine_total_income]: Total Monthly Income when above 0 (systems that compute it),
    else the sum of the amounts of the sources answered yes; earned income is the earned
    amount when earned is yes. A zero total is "no income" when 4.02 was answered no or
    yes; 8/9 is doesn't know/prefers not to answer; 99, not asked (null) or no record is
    missing. ([GR] always sums the sources; the notes prefer [DL], HUD's own sample.)"""
    if a is None:
        return CashIncome("missing")
    summed = sum((_positive(getattr(a, amount)) for source, _, amount, _, _ in INCOME_SOURCES
                  if getattr(a, source) == 1), Decimal(0))
    total = _positive(a.total_monthly_income) or summed
    earned = _positive(a.earned_amount) if a.earned == 1 else Decimal(0)
    if total > 0 or a.income_from_any_source in (0, 1):
        return CashIncome("known", total, earned)
    return CashIncome("dk" if a.income_from_any_source in (8, 9) else "missing")


def income_quality(a) -> str | None:
    """Q6c's reading of one income record: "dk" (8/9), "missing" (no record, 99, not
    asked), "issue" (4.02 no with a source answered yes, or yes with none) or None."""
    if a is None or a.income_from_any_source in (None, 99):
        return "missing"
    if a.income_from_any_source in (8, 9):
        return "dk"
    any_yes = any(getattr(a, f) == 1 for f in INCOME_FIELDS)
    if (a.income_from_any_source == 0 and any_yes) or (a.income_from_any_source == 1 and not any_yes):
        return "issue"
    return None


def _record(snap, when):
    """The record of a column: ``start``, ``annual`` (found in the window) or ``exit``."""
    return {"start": snap.start, "annual": snap.annual_record, "exit": snap.exit}[when]


def _column_group(persons, when):
    """Who a column counts: everyone (start), stayers (annual) or leavers (exit)."""
    return [p for p in persons if when == "start" or (when == "exit") == bool(p.exit_date)]


THREE_STAGES = ["start", "annual", "exit"]
BLANK = ""
NOT_YET = "Number of adult stayers not yet required to have an annual assessment"
WITHOUT_ANNUAL = "Number of adult stayers without required annual assessment"
INCOME_RANGES = [("$1 - $150", 150), ("$151 - $250", 250), ("$251 - $500", 500), ("$501 - $1,000", 1000),
                 ("$1,001 - $1,500", 1500), ("$1,501 - $2,000", 2000), ("$2,001+", None)]


def _annual_row(p, snaps, when):
    """The rows a stayer goes to in the annual column before their income is read."""
    if when != "annual":
        return None
    return {"not required": NOT_YET, "missing": WITHOUT_ANNUAL}.get(snaps[p.enrollment.pk].annual)


def income_range(income: CashIncome) -> str:
    if income.status == "dk":
        return DK_PNTA
    if income.status == "missing":
        return NOT_COLLECTED
    if income.total == 0:
        return "No Income"
    # [DL] edges: up to and including each bound ($150.50 is in $151 - $250).
    return next(label for label, bound in INCOME_RANGES if bound is None or income.total <= bound)


def _stage_table(code, title, columns, labels, persons, snaps, row_of, blank=()):
    """One row per label, one column per stage; ``row_of(p, when)`` gives the row (or rows)
    of a person in a column; ``blank`` the (label, column index) cells HUD leaves empty."""
    found = {when: defaultdict(set) for when in THREE_STAGES}
    for when in THREE_STAGES:
        for p in _column_group(persons, when):
            rows = row_of(p, when)
            for label in ([rows] if isinstance(rows, str) else rows or ()):
                found[when][label].add(p.client_id)
    rows = [(label, [Cell(value=BLANK) if (label, i) in blank else Cell(found[when][label])
                     for i, when in enumerate(THREE_STAGES)]) for label in labels]
    return Table(code, title, columns, rows)


def q16(persons, snaps) -> Table:
    """Adults by monthly cash income at start, at the annual assessment (stayers) and at
    exit (leavers); a stayer not yet due or without an assessment in the window has a row
    of their own; a leaver without an exit record dated on the exit is not collected."""
    adults = [p for p in persons if p.adult]

    def row_of(p, when):
        return _annual_row(p, snaps, when) or income_range(cash_income(_record(snaps[p.enrollment.pk], when)))

    def counted(p, when):
        return [row_of(p, when), "Total Adults"]

    labels = ["No Income", *[label for label, _ in INCOME_RANGES], DK_PNTA, NOT_COLLECTED, NOT_YET, WITHOUT_ANNUAL,
              "Total Adults"]
    return _stage_table("Q16", "Cash Income - Ranges",
                        ["", "Income at Start", "Income at Latest Annual Assessment for Stayers",
                         "Income at Exit for Leavers"], labels, adults, snaps, counted,
                        blank={(NOT_YET, 0), (WITHOUT_ANNUAL, 0), (NOT_YET, 2), (WITHOUT_ANNUAL, 2)})


Q17_LABELS = ["Earned Income", "Unemployment Insurance", "Supplemental Security Income (SSI)",
              "Social Security Disability Insurance (SSDI)", "VA Service-Connected Disability Compensation",
              "VA Non-Service Connected Disability Pension", "Private Disability Insurance", "Worker's Compensation",
              "Temporary Assistance for Needy Families (TANF)", "General Assistance (GA)",
              "Retirement Income from Social Security", "Pension or retirement income from a former job",
              "Child Support", "Alimony and other spousal support", "Other Source"]
INFO_BOTH = "Adults with Income Information at Start and Annual Assessment/Exit"


def _has_information_both(p, snaps, when):
    """Income known (not doesn't know/missing) at start and at the annual assessment in
    the window (stayers) or at exit (leavers)."""
    snap = snaps[p.enrollment.pk]
    return (when != "start" and cash_income(snap.start).status == "known"
            and cash_income(_record(snap, when)).status == "known")


def q17(persons, snaps, code="Q17", title="Cash Income - Sources", who=lambda p: p.adult) -> Table:
    """Adults (``who``: Q27g's youth adults and heads) by each income source answered yes on the
    column's record (4.02.3-4.02.17)."""
    adults = [p for p in persons if who(p)]

    def row_of(p, when):
        a = _record(snaps[p.enrollment.pk], when)
        rows = [label for label, field in zip(Q17_LABELS, INCOME_FIELDS, strict=True)
                if a is not None and getattr(a, field) == 1]
        return rows + [INFO_BOTH] if _has_information_both(p, snaps, when) else rows

    return _stage_table(code, title,
                        ["", "Income at Start", "Income at Latest Annual Assessment for Stayers",
                         "Income at Exit for Leavers"], [*Q17_LABELS, INFO_BOTH], adults, snaps, row_of,
                        blank={(INFO_BOTH, 0)})


def income_category(income: CashIncome) -> str:
    """[DL categorize_income]: earned and no more (earned >= total), earned and other, other
    only, none; else doesn't know/prefers not or missing."""
    if income.status == "dk":
        return "Adults with Client Doesn't Know/Prefers Not to Answer Income Information"
    if income.status == "missing":
        return "Adults with Missing Income Information"
    if income.earned > 0:
        return ("Adults with Only Earned Income (i.e., Employment Income)" if income.earned >= income.total
                else "Adults with Both Earned and Other Income")
    return "Adults with Only Other Income" if income.total > 0 else "Adults with No Income"


def q18(persons, snaps, who=lambda p: p.adult) -> Table:
    """Adults (``who``: Q27h's youth adults and heads) by income category."""
    adults = [p for p in persons if who(p)]

    def row_of(p, when):
        income = cash_income(_record(snaps[p.enrollment.pk], when))
        rows = [_annual_row(p, snaps, when) or income_category(income), "Total Adults"]
        if not _annual_row(p, snaps, when) and income.status == "known" and income.total > 0:
            rows.append("1 or more source of income")
        return rows + [INFO_BOTH] if _has_information_both(p, snaps, when) else rows

    labels = ["Adults with Only Earned Income (i.e., Employment Income)", "Adults with Only Other Income",
              "Adults with Both Earned and Other Income", "Adults with No Income",
              "Adults with Client Doesn't Know/Prefers Not to Answer Income Information",
              "Adults with Missing Income Information", NOT_YET, WITHOUT_ANNUAL, "Total Adults",
              "1 or more source of income", INFO_BOTH]
    return _stage_table("Q18", "Client Cash Income Category - Earned/Other Income Category - by Start and Annual "
                        "Assessment/Exit Status", ["", "Number of Adults at Start",
                                                   "Number of Adults at Annual Assessment (Stayers)",
                                                   "Number of Adults at Exit (Leavers)"], labels, adults, snaps,
                        row_of, blank={(NOT_YET, 0), (WITHOUT_ANNUAL, 0), (NOT_YET, 2), (WITHOUT_ANNUAL, 2),
                                       (INFO_BOTH, 0)})


# --- Q19a1, Q19a2: change in cash income; Q19b: disabling conditions and income at exit ------------

CHANGE_KINDS = ["lost", "less", "same", "more", "gained", "neither"]


def change_kind(before, after) -> str:
    """[DL get_income_type_changes]: had it and lost it, kept it with less, the same or more
    dollars, gained it, or had it at neither point."""
    if before > 0:
        return "lost" if after == 0 else "less" if after < before else "same" if after == before else "more"
    return "gained" if after > 0 else "neither"


def _money(amounts) -> str:
    amounts = list(amounts)
    mean = sum(amounts, Decimal(0)) / len(amounts) if amounts else Decimal(0)
    return f"{mean.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN)}"  # banker's rounding, as [GR]


def q19a(persons, snaps, when) -> Table:
    """Adult stayers with an annual assessment in the window (Q19a1), or adult leavers
    (Q19a2), whose income is known (not doesn't know/missing) at start and at the later
    point; for earned, other (total - earned) and total income: how many lost, kept with
    less, same or more, gained or had neither, with the average change (later - start)
    of each column; the performance measure is those with more or gained, and their share
    of all. HUD's blank cells stay empty (notes 4.3)."""
    pairs = {}
    for p in persons:
        if not p.adult or (when == "annual") == bool(p.exit_date):
            continue
        snap = snaps[p.enrollment.pk]
        before, after = cash_income(snap.start), cash_income(_record(snap, when))
        if before.status == after.status == "known":
            pairs[p.client_id] = (before, after)
    later = "Annual Assessment" if when == "annual" else "Exit"
    columns = ["", f"Had Income Category at Start and Did Not Have It at {later}",
               f"Retained Income Category But Had Less $ at {later} Than at Start",
               f"Retained Income Category and Same $ at {later} as at Start",
               f"Retained Income Category and Increased $ at {later}",
               f"Did Not Have the Income Category at Start and Gained the Income Category at {later}",
               f"Did Not Have the Income Category at Start or at {later}",
               "Total Adults (including those with No Income)",
               f"Performance Measure: Adults who Gained or Increased Income from Start to {later}, Average Gain",
               "Performance measure: Percent of persons who accomplished this measure"]
    rows = []
    for label, average, amount in [
            ("Earned Income (i.e., Employment Income)", "Earned Income", lambda i: i.earned),
            ("Other Income", "Other Income", lambda i: i.other),
            ("Any Income (i.e., Total Income)", "Overall Income", lambda i: i.total)]:
        kinds = defaultdict(set)
        change = {}
        for client, (before, after) in pairs.items():
            kinds[change_kind(amount(before), amount(after))].add(client)
            change[client] = amount(after) - amount(before)
        measured = kinds["more"] | kinds["gained"]
        everyone = set(pairs)
        counts = [Cell(kinds[k]) for k in CHANGE_KINDS] + [
            Cell(everyone), Cell(measured), Cell(measured, value=_rate(len(measured), len(everyone)))]
        averages = [Cell(kinds[k], value=_money(change[c] for c in kinds[k])) for k in CHANGE_KINDS]
        averages[2] = averages[5] = Cell(value=BLANK)  # same $ and neither: no change to average
        overall = label.startswith("Any")
        averages += [Cell(everyone, value=_money(change.values())) if overall else Cell(value=BLANK),
                     Cell(measured, value=_money(change[c] for c in measured)), Cell(value=BLANK)]
        rows += [(f"Number of Adults with {label}", counts), (f"Average Change in {average}", averages)]
    code, title = ("Q19a1", "by Start and Latest Status") if when == "annual" else ("Q19a2", "by Start and Exit")
    return Table(code, f"Client Cash Income Change - Income Source - {title}", columns, rows)


Q19B_KINDS = [("AO", "Without Children"), ("AC", "With Children and Adults"), ("UK", "Unknown Household Type")]


def q19b(persons, snaps, who=lambda p: p.adult, kinds=Q19B_KINDS) -> Table:
    """Adult leavers whose disabling condition (3.08) is yes or no and whose exit record
    (dated on the exit) answers 4.02 yes or no, by income source at exit, with and without
    a disabling condition, per household type (adults only, adults and children, unknown),
    and the share with a disabling condition. "No Sources": no source answered yes."""
    group = []
    for p in persons:
        a = snaps[p.enrollment.pk].exit if p.exit_date else None
        if who(p) and a is not None and a.income_from_any_source in (0, 1) and p.enrollment.disabling_condition in (0, 1):
            group.append((p, a))
    columns = [""]
    for short, _ in kinds:
        columns += [f"{short}: Adult with Disabling Condition", f"{short}: Adult without Disabling Condition",
                    f"{short}: Total Adults", f"{short}: % with Disabling Condition by Source"]
    tests = [(label, lambda a, f=field: getattr(a, f) == 1) for label, field in zip(Q17_LABELS, INCOME_FIELDS,
                                                                                     strict=True)]
    tests += [("No Sources", lambda a: not any(getattr(a, f) == 1 for f in INCOME_FIELDS)),
              ("Unduplicated Total Adults", lambda a: True)]
    rows = []
    for label, test in tests:
        cells = []
        for _, kind in kinds:
            chosen = [p for p, a in group if p.household_type == kind and test(a)]
            with_dc = {p.client_id for p in chosen if p.enrollment.disabling_condition == 1}
            total = {p.client_id for p in chosen}
            cells += [Cell(with_dc), Cell(total - with_dc), Cell(total),
                      Cell(value=BLANK) if label == "Unduplicated Total Adults" else Cell(
                          with_dc, value=_rate(len(with_dc), len(total)))]
        rows.append((label, cells))
    return Table("Q19b", "Disabling Conditions and Income for Adults at Exit", columns, rows)


# --- Q20a, Q20b: non-cash benefits; Q21: health insurance ------------------------------------------

Q20_LABELS = ["Supplemental Nutrition Assistance Program (SNAP) (Previously known as Food Stamps)",
              "Special Supplemental Nutrition Program for Women, Infants, and Children (WIC)",
              "TANF Child Care Services", "TANF Transportation Services", "Other TANF-Funded Services", "Other Source"]
STAGE_COLUMNS = ["at Start", "at Latest Annual Assessment for Stayers", "at Exit for Leavers"]


def q20a(persons, snaps) -> Table:
    """Adults by each non-cash benefit (4.03) answered yes on the column's record."""
    adults = [p for p in persons if p.adult]

    def row_of(p, when):
        a = _record(snaps[p.enrollment.pk], when)
        return [label for label, field in zip(Q20_LABELS, BENEFIT_FIELDS, strict=True)
                if a is not None and getattr(a, field) == 1]

    return _stage_table("Q20a", "Type of Non-Cash Benefit Sources", ["", *[f"Benefit {c}" for c in STAGE_COLUMNS]],
                        Q20_LABELS, adults, snaps, row_of)


NOT_LONG_ENOUGH = "Data Not Collected/Not stayed long enough for Annual Assessment"


def q20b(persons, snaps) -> Table:
    """Adults by how many non-cash benefits: one or more answered yes; none (4.03 no, or
    yes with none named); 8/9; else not collected, which in the annual column includes
    stayers not yet due and those without an assessment in the window (HUD's row label)."""
    adults = [p for p in persons if p.adult]

    def row_of(p, when):
        a = _record(snaps[p.enrollment.pk], when)
        if a is not None and any(getattr(a, f) == 1 for f in BENEFIT_FIELDS):
            row = "1 + Source(s)"
        elif a is not None and a.benefits_from_any_source in (0, 1):
            row = "No Sources"
        elif a is not None and a.benefits_from_any_source in (8, 9):
            row = DK_PNTA
        else:
            row = NOT_LONG_ENOUGH
        return [row, "Total"]

    return _stage_table("Q20b", "Number of Non-Cash Benefit Sources", ["", *[f"Benefit {c}" for c in STAGE_COLUMNS]],
                        ["No Sources", "1 + Source(s)", DK_PNTA, NOT_LONG_ENOUGH, "Total"], adults, snaps, row_of)


Q21_LABELS = ["Medicaid", "Medicare", "State Children's Health Insurance Program",
              "Veteran's Health Administration (VHA) Medical Services", "Employer-Provided Health Insurance",
              "Health Insurance Obtained Through COBRA", "Private Pay Health Insurance",
              "State Health Insurance for Adults", "Indian Health Services Program", "Other"]
NOT_YET_STAYERS = "Number of Stayers Not Yet Required to Have an Annual Assessment"


def q21(persons, snaps) -> Table:
    """Every person (4.04 is asked of all clients) by each insurance answered yes; no
    insurance (4.04 no); 8/9; not collected (99, not asked, no record, 4.04 yes with no
    type named, or a stayer due an annual assessment without one in the window); stayers
    not yet due; and how many have one source or more."""

    def row_of(p, when):
        if _annual_row(p, snaps, when) == NOT_YET:
            return [NOT_YET_STAYERS]
        a = _record(snaps[p.enrollment.pk], when)
        chosen = [label for label, field in zip(Q21_LABELS, INSURANCE_FIELDS, strict=True)
                  if a is not None and getattr(a, field) == 1]
        if chosen:
            return chosen + ["1 Source of Health Insurance" if len(chosen) == 1
                             else "More than 1 Source of Health Insurance"]
        answer = getattr(a, "insurance_from_any_source", None)
        return ["No Health Insurance" if answer == 0 else DK_PNTA if answer in (8, 9) else NOT_COLLECTED]

    labels = [*Q21_LABELS, "No Health Insurance", DK_PNTA, NOT_COLLECTED, NOT_YET_STAYERS,
              "1 Source of Health Insurance", "More than 1 Source of Health Insurance"]
    return _stage_table("Q21", "Health Insurance", ["", "At Start", "At Annual Assessment for Stayers",
                                                    "At Exit for Leavers"], labels, persons, snaps, row_of,
                        blank={(NOT_YET_STAYERS, 0), (NOT_YET_STAYERS, 2)})


# --- Q27: youth ------------------------------------------------------------------------------------


def youth_persons(persons) -> list[Person]:
    """Youth (Q27, notes 1.6): aged 12-24 in a household where no member is 25 or older.
    A member of unknown age does not make the household one with a member 25 or older:
    HUD's Data Lab code ([DL] add_client_info: youth_household when the oldest *known*
    age is 24 or less) ignores unknown ages, the reading of HUD's words ("no member 25
    or older"); [GR] requires every member's age known and 24 or less. We follow HUD's
    reference code. q5a's youth rows read this function too, so Q5a's youth count is
    Q27a's total."""
    households = by_household(persons)
    return [p for p in persons if p.age is not None and 12 <= p.age <= 24
            and all(m.age is None or m.age <= 24 for m in households[p.enrollment.household_id])]


def _youth_adults_and_heads(persons) -> list[Person]:
    """Q27g-Q27i's "youth": youth adults and youth heads of household (a head under 18
    included, [DL] keep_adults_and_hoh_only, [GR])."""
    return [p for p in youth_persons(persons) if p.adult or p.is_head]


def _renamed(table, code, title, columns=None, words=()) -> Table:
    """A general table's cells as the youth table: its code, title, columns, and its row
    labels with ``words`` [(old, new)] replaced ("Adults" -> "Youth")."""
    def rename(text):
        for old, new in words:
            text = text.replace(old, new)
        return text

    return Table(code, title, columns or [rename(c) for c in table.columns],
                 [(rename(label), cells) for label, cells in table.rows])


YOUTH_AGE_BANDS = [("12-17", 12, 17), ("18-24", 18, 24)]


def q27a(persons) -> Table:
    """Youth by age. A youth's age is known by definition, so the shell's doesn't know and
    not collected rows are always 0 ([GR] keeps them as 0)."""
    youth = youth_persons(persons)
    rows = [_by_household(label, [p for p in youth if lo <= p.age <= hi]) for label, lo, hi in YOUTH_AGE_BANDS]
    rows += [_by_household(DK_PNTA, []), _by_household(NOT_COLLECTED, []), _by_household("Total", youth)]
    return Table("Q27a", "Age of Youth", ["", "Total", *HOUSEHOLD_TYPES], rows)


PARENTING_ROWS = [("Parent youth < 18", 12, 17), ("Parent youth 18 to 24", 18, 24)]


def q27b(persons) -> Table:
    """Households of parenting youth: a youth head of household with a child of theirs
    (3.15 relationship 2, "head of household's child", under 18) in the household, and
    no member 25 or older (youth_persons). Per household: the parenting youth are the head
    and every adult (18-24) whatever their relationship (HUD's Q&A as quoted by [GR]:
    "Report all heads of household plus all adults (age 18 – 24)"); the children are the
    head's children who are not adults (under 18, or of unknown age, as [DL] counts
    them); the persons are every member; the household is counted by its head. The row
    is the head's age: [DL] takes the household type instead (with an adult: "18 to 24"),
    which differs only for a head under 18 with an adult partner; HUD's row names the
    parent's age, so a 17-year-old head stays in "< 18"."""
    households = by_household(persons)
    youth = {p.client_id for p in youth_persons(persons)}
    rows = []
    for label, lo, hi in PARENTING_ROWS:
        parents, children, members, heads = set(), set(), set(), set()
        for head in persons:
            if not (head.is_head and head.client_id in youth and lo <= head.age <= hi):
                continue
            household = households[head.enrollment.household_id]
            if not any(m.child and m.enrollment.relationship_to_hoh == 2 for m in household):
                continue
            parents |= {m.client_id for m in household if m.is_head or m.adult}
            children |= {m.client_id for m in household
                         if m.enrollment.relationship_to_hoh == 2 and not (m.adult or m.is_head)}
            members |= {m.client_id for m in household}
            heads.add(head.client_id)
        rows.append((label, [Cell(parents), Cell(children), Cell(members), Cell(heads)]))
    return Table("Q27b", "Parenting Youth", ["", "Total Parenting Youth", "Total Children of Parenting Youth",
                                             "Total Persons", "Total Households"], rows)


def q27d(persons) -> Table:
    """Q15 for youth heads of household ([DL], [GR]: heads only, not other youth adults)."""
    return q15([p for p in youth_persons(persons) if p.is_head], "Q27d", "Living Situation – Youth")


def q27e(persons) -> Table:
    return _length_table("Q27e", "Length of Participation – Youth", LENGTH_BANDS, youth_persons(persons))


def q27f1(persons) -> Table:
    """Q23c for every youth leaver ([DL] recent_youth_enrollment; [GR] alike)."""
    return q23c(youth_persons(persons), "Q27f1", "Exit Destination – Youth")


def q27f2(persons) -> Table:
    return q23d(youth_persons(persons), "Q27f2", "Exit Destination – Subsidy Type of Persons Exiting to Rental by "
                "Client With An Ongoing Subsidy – Youth")


def q27g(persons, snaps) -> Table:
    """Q17 for youth adults and youth heads; the last row keeps Q17's "Adults with Income
    Information ..." label ([DL] notes the shell's label says adults here too)."""
    return q17(_youth_adults_and_heads(persons), snaps, "Q27g", "Cash Income - Sources - Youth", who=lambda p: True)


def q27h(persons, snaps) -> Table:
    """Q18 for youth adults and youth heads, its labels saying youth ([DL], [GR])."""
    table = q18(_youth_adults_and_heads(persons), snaps, who=lambda p: True)
    return _renamed(table, "Q27h", "Client Cash Income Category - Earned/Other Income Category - by Start and "
                    "Annual Assessment/Exit Status - Youth",
                    ["", "Number of Youth at Start", "Number of Youth at Annual Assessment (Stayers)",
                     "Number of Youth at Exit (Leavers)"], [("Adults", "Youth"), ("adult", "youth")])


Q27I_KINDS = [("AO", "Without Children"), ("AC", "With Children and Adults"), ("CO", "With Only Children"),
              ("UK", "Unknown Household Type")]


def q27i(persons, snaps) -> Table:
    """Q19b for youth adults and youth heads leaving, with a column group for households of
    children only (a head under 18): 16 columns ([DL], [GR])."""
    table = q19b(_youth_adults_and_heads(persons), snaps, who=lambda p: True, kinds=Q27I_KINDS)
    return _renamed(table, "Q27i", "Disabling Conditions and Income for Youth at Exit",
                    words=[("Unduplicated Total Adults", "Unduplicated Total Youth"), ("Total Adults", "Total Youths"),
                           ("Adult", "Youth")])


def q27j(persons) -> Table:
    return q22b(youth_persons(persons), "Q27j", "Average and Median Length of Participation in Days – Youth")


def q27k(persons) -> Table:
    return q22c(youth_persons(persons), "Q27k",
                "Length of Time between Project Start Date and Housing Move-in Date – Youth")


def q27l(persons) -> Table:
    return q22e(youth_persons(persons), "Q27l",
                "Length of Time Prior to Housing – based on 3.917 Date Homelessness Started – Youth")


YHDP = 43  # 2.06.1 "HUD: CoC – Youth Homeless Demonstration Program (YHDP)"
# (field, heading row or None, [(label, codes)]): C3's answers in the Data Standards' words
# (HUD's FY2026 shell was not reachable; [GR]'s labels differ only in wording).
EDUCATION_GROUPS = [
    ("current_school_attend", None, [
        ("Not currently enrolled in any school or educational course", {0}),
        ("Currently enrolled but NOT attending regularly", {1}),
        ("Currently enrolled and attending regularly", {2}), (DK_PNTA, {8, 9}), (NOT_COLLECTED, {99})]),
    ("most_recent_ed_status", "For those not enrolled – most recent education status", [
        ("K12: Graduated from high school", {0}), ("K12: Obtained GED", {1}), ("K12: Dropped out", {2}),
        ("K12: Suspended", {3}), ("K12: Expelled", {4}),
        ("Higher education: Pursuing a credential but not currently attending", {5}),
        ("Higher education: Dropped out", {6}), ("Higher education: Obtained a credential/degree", {7}),
        (DK_PNTA, {8, 9}), (NOT_COLLECTED, {99})]),
    ("current_ed_status", "For those currently enrolled – current status", [
        ("Pursuing a high school diploma or GED", {0}), ("Pursuing Associate’s Degree", {1}),
        ("Pursuing Bachelor’s Degree", {2}), ("Pursuing Graduate Degree", {3}),
        ("Pursuing other post-secondary credential", {4}), (DK_PNTA, {8, 9}), (NOT_COLLECTED, {99})]),
]
EDUCATION_FIELDS = [f for f, _, _ in EDUCATION_GROUPS]


def q27m(persons, start, end) -> Table:
    """Youth Education Status (C3) of youth heads of household who left a YHDP-funded
    project (funder 43 active in the period; [DL] Q27m: C3 is collected by CoC youth
    projects, not by RHY ones, which collect R4/R5), on their latest project start
    (stage 1) and exit (stage 3) C3 records. Each of C3's three questions counts where it
    was answered (C3.A is asked of those not enrolled, C3.B of those enrolled); a person
    with no C3 record at a stage is in no row of that column and not in its total ([DL]
    and [GR] alike: HMIS CSV writes no YouthEducationStatus row for them)."""
    from agencies.models import ProjectFunder

    leavers = [p for p in youth_persons(persons) if p.is_head and p.exit_date]
    funded = set(ProjectFunder.objects.filter(
        project_id__in={p.enrollment.project_id for p in leavers}, funder=YHDP, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).values_list("project_id", flat=True))
    leavers = {p.enrollment.pk: p for p in leavers if p.enrollment.project_id in funded}
    records = {}  # (enrollment pk, stage): the latest C3 record; oldest first, so the last one wins
    asked = Q(current_school_attend__isnull=False) | Q(most_recent_ed_status__isnull=False) | Q(
        current_ed_status__isnull=False)
    for a in Assessment.objects.filter(enrollment__in=list(leavers), stage__in=(
            DataCollectionStage.PROJECT_START, DataCollectionStage.PROJECT_EXIT)).filter(asked).only(
                "enrollment_id", "stage", "information_date", *EDUCATION_FIELDS).order_by("information_date", "pk"):
        records[a.enrollment_id, a.stage] = a
    stages = (DataCollectionStage.PROJECT_START, DataCollectionStage.PROJECT_EXIT)

    def answered(question, codes, stage):
        return Cell({p.client_id for pk, p in leavers.items()
                     if getattr(records.get((pk, stage)), question, None) in codes})

    rows = []
    for question, heading, answers in EDUCATION_GROUPS:
        if heading:
            rows.append((heading, [Cell(value=BLANK), Cell(value=BLANK)]))
        rows += [(label, [answered(question, codes, stage) for stage in stages]) for label, codes in answers]
    rows.append(("Total", [Cell({p.client_id for pk, p in leavers.items() if (pk, stage) in records})
                           for stage in stages]))
    return Table("Q27m", "Education Status – Youth", ["Current school and attendance", "At Project Start",
                                                       "At Project Exit"], rows)


# --- System reports (SPM, spm.py and spm_measures.py): the CoC's numbers, the viewer's Client IDs ---

def system_visible_ids(projects, viewer) -> set | None:
    """The Client IDs of the CoC's clients the viewer may see (consent.visibility.visible_clients
    decides), or None for no limit (the HMIS Lead's run, an administrator). One query."""
    if viewer is None or viewer.is_admin:
        return None
    from clients.models import Client
    from consent.visibility import visible_clients

    served = Client.objects.filter(pk__in=Enrollment.objects.filter(project__in=projects).values("client_id"))
    return set(visible_clients(viewer, served).values_list("client_id", flat=True))


def narrowed(tables, visible) -> list[Table]:
    """For a viewer who is not an administrator every number of a system report stays the
    CoC's (the SPM is the CoC's submission: a measure shrunk to what one agency may see
    would be no one's; counts name no one), while each cell's Client IDs, which the page
    links to, are only those the viewer may see."""
    if visible is None:
        return tables
    for table in tables:
        for _, cells in table.rows:
            for c in cells:
                if c.value is None:
                    c.value = len(c.ids)
                c.ids = c.ids & visible
    return tables


# Which questions each report has (notes 6.1, 6.2): the CAPER has no Q13a2/b2/c2, Q18, Q19a1/a2 or Q20b.
REPORTS = {
    "apr": ("Annual Performance Report (APR)", ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b",
                                                "Q8a", "Q8b", "Q9a", "Q9b", "Q11", "Q12", "Q13a1", "Q13b1", "Q13c1", "Q13a2",
                                                "Q13b2", "Q13c2", "Q14a", "Q14b", "Q15", "Q16", "Q17", "Q18",
                                                "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21", "Q22a1", "Q22b",
                                                "Q22c", "Q22e", "Q22f", "Q22g", "Q23c", "Q23d", "Q23e",
                                                "Q24b", "Q24e", "Q25a", "Q25b", "Q25d", "Q25i", "Q25j", "Q26a",
                                                "Q26b", "Q26d", "Q26e",
                                                "Q27a", "Q27b", "Q27d", "Q27e", "Q27f1", "Q27f2", "Q27g", "Q27h",
                                                "Q27i", "Q27j", "Q27k", "Q27l", "Q27m"]),
    "caper": ("Consolidated Annual Performance and Evaluation Report (CAPER)",
              ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b", "Q8a", "Q8b", "Q9a", "Q9b",
               "Q11", "Q12",
               "Q13a1", "Q13b1", "Q13c1", "Q14a", "Q14b", "Q15", "Q16", "Q17", "Q19b", "Q20a", "Q21", "Q22a2",
               "Q22c", "Q22d", "Q22e", "Q22f", "Q22g", "Q23c", "Q23d", "Q23e", "Q24a", "Q24e",
               "Q25a", "Q26b"]),
    "dq": ("HUD Data Quality Report", ["Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f"]),
    "ce_apr": ("Coordinated Entry APR (CE APR)", ["Q4a", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9c", "Q9d", "Q10"]),
    # The system reports, over a CoC's projects (reports/hud/spm.py, reports/hud/hic_pit.py): their
    # tables are whatever their own build() makes; the lists here name them for reference only.
    "spm": ("System Performance Measures (SPM)", []),
    "hic": ("Housing Inventory Count (HIC)", ["HIC", "HIC-Summary"]),
    "pit": ("Sheltered Point-in-Time Count (PIT)", ["PIT-1", "PIT-2", "PIT-3", "PIT-4", "PIT-5", "PIT-6", "PIT-7",
                                                      "PIT-8"]),
    # HUD's LSA upload (reports/hud/lsa/): its files, not tables; run by runner._lsa, not build().
    "lsa": ("Longitudinal Systems Analysis (LSA)", ["LSAReport", "LSAHousehold", "LSAPerson", "LSAExit",
                                                     "LSACalculated", "Organization", "Project", "Funder",
                                                     "ProjectCoC", "Inventory", "HMISParticipation", "Affiliation"]),
}
# Reports over a whole CoC, for one period (SPM, LSA) or one night (HIC, PIT), not chosen projects.
SYSTEM_REPORTS = {"spm", "hic", "pit", "lsa"}
ONE_NIGHT_REPORTS = {"hic", "pit"}


def build(kind: str, projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """Every table of the report, calling progress(done, total) as it goes; ``viewer``
    (consent.visibility.Viewer) is whom it is made for (None: the HMIS Lead)."""
    if kind == "ce_apr":  # its own universe: CE assessments and events (reports/hud/ce_apr.py)
        from . import ce_apr
        return ce_apr.build(projects, start, end, progress, viewer)
    if kind in ("hic", "pit"):  # one night's inventory and sheltered count (reports/hud/hic_pit.py)
        from . import hic_pit
        return (hic_pit.build_hic if kind == "hic" else hic_pit.build_pit)(projects, start, end, progress, viewer)
    if kind == "lsa":
        raise ValueError("The LSA is run by reports.hud.runner (reports/hud/lsa/report.py), not build().")
    if kind == "spm":  # measures over the CoC's history (reports/hud/spm.py)
        from . import spm
        return spm.build(projects, start, end, progress, viewer)
    # The stays are loaded once, from the universe before the street outreach engagement
    # filter (Q9's), and the report's universe taken from them (universe(): the same
    # stays less street outreach stays not engaged by the report end).
    every_stay = load_stays(projects, start, end, viewer, engaged_only=False)
    stays = [e for e in every_stay if engaged(e, end)]
    disabled = disabled_by_records(universe(projects, start, end, engaged_only=False).values("pk"))
    persons = people(projects, start, end, viewer, stays=stays, disabled=disabled)
    coc_codes = set(projects.values_list("coc__code", flat=True))
    shared = {}

    def outreach():
        """Q9's persons: the universe before the street outreach engagement filter, only
        worked out when the report has a street outreach or night-by-night project."""
        if "outreach" not in shared:
            has_them = any(e.project.project_type in (ES_NBN, STREET_OUTREACH) for e in every_stay)
            shared["outreach"] = (people(projects, start, end, viewer, engaged_only=False, stays=every_stay,
                                         disabled=disabled) if has_them else [])
        return shared["outreach"]

    def pit():
        if "pit" not in shared:
            shared["pit"] = pit_present(projects, start, end, persons, stays)
        return shared["pit"]

    def records():
        if "records" not in shared:
            shared["records"] = health_records(persons)
        return shared["records"]

    def income():
        if "income" not in shared:
            shared["income"] = income_snapshots(persons, end)
        return shared["income"]

    makers = {
        "Q4a": lambda: q4a(projects, start, end, persons), "Q5a": lambda: q5a(persons, end, outreach() or persons),
        "Q6a": lambda: q6a(persons, start), "Q6b": lambda: q6b(persons, coc_codes), "Q6c": lambda: q6c(persons, end, income()),
        "Q6d": lambda: q6d(persons), "Q6e": lambda: q6e(persons, start, end), "Q6f": lambda: q6f(persons, start, end),
        "Q7a": lambda: q7a(persons), "Q8a": lambda: q8a(persons), "Q22a1": lambda: q22a1(persons),
        "Q22a2": lambda: q22a2(persons), "Q23c": lambda: q23c(persons),
        "Q22b": lambda: q22b(persons), "Q22c": lambda: q22c(persons), "Q22d": lambda: q22d(persons),
        "Q22e": lambda: q22e(persons), "Q23d": lambda: q23d(persons), "Q24e": lambda: q24e(persons),
        "Q25a": lambda: q25a(persons), "Q25b": lambda: q25b(persons), "Q26a": lambda: q26a(persons),
        "Q26b": lambda: q26b(persons),
        "Q27a": lambda: q27a(persons), "Q27b": lambda: q27b(persons), "Q27d": lambda: q27d(persons),
        "Q27e": lambda: q27e(persons), "Q27f1": lambda: q27f1(persons), "Q27f2": lambda: q27f2(persons),
        "Q27g": lambda: q27g(persons, income()), "Q27h": lambda: q27h(persons, income()),
        "Q27i": lambda: q27i(persons, income()), "Q27j": lambda: q27j(persons), "Q27k": lambda: q27k(persons),
        "Q27l": lambda: q27l(persons), "Q27m": lambda: q27m(persons, start, end),
        "Q7b": lambda: q7b(projects, start, end, persons, pit()), "Q8b": lambda: q8b(projects, start, end, persons, pit()),
        "Q25d": lambda: q25d(persons), "Q25i": lambda: q25i(persons), "Q25j": lambda: q25j(persons),
        "Q26d": lambda: q26d(persons), "Q26e": lambda: q26e(persons, records(), end),
        "Q22f": lambda: q22f(persons, start), "Q22g": lambda: q22g(persons),
        "Q23e": lambda: q23e(persons), "Q24a": lambda: q24a(persons),
        "Q24b": lambda: q24b(persons, start, end),
        "Q9a": lambda: q9a(outreach(), start, end), "Q9b": lambda: q9b(outreach(), start, end),
        "Q11": lambda: q11(persons), "Q12": lambda: q12(persons),
        "Q14a": lambda: q14a(persons, records(), end), "Q14b": lambda: q14b(persons, records(), end),
        "Q15": lambda: q15(persons),
        "Q16": lambda: q16(persons, income()), "Q17": lambda: q17(persons, income()),
        "Q18": lambda: q18(persons, income()), "Q19a1": lambda: q19a(persons, income(), "annual"),
        "Q19a2": lambda: q19a(persons, income(), "exit"), "Q19b": lambda: q19b(persons, income()),
        "Q20a": lambda: q20a(persons, income()), "Q20b": lambda: q20b(persons, income()),
        "Q21": lambda: q21(persons, income()),
    }
    for when, (letter, _) in Q13_TABLES.items():
        makers[f"Q13{letter}1"] = lambda when=when: q13x1(persons, records(), when, end)
        makers[f"Q13{letter}2"] = lambda when=when: q13x2(persons, records(), when, end)
    codes = REPORTS[kind][1]
    tables = []
    for i, code in enumerate(codes, start=1):
        tables.append(makers[code]())
        progress(i, len(codes))
    return tables
