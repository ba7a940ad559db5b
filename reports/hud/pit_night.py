"""The people of the sheltered Point-in-Time count as plain rows (issue 19: the PIT under
30 s at 1,000,000 clients). hic_pit's tables count these; the rules are hic_pit's
(reports/hud/SPEC_SPM_HIC_PIT_LSA.md section 3), restated over tuples instead of model
instances:

- who is in a bed on the night: ``stays`` (the LSA's "active in residence": a stay in a
  residential Continuum project open on the night, a bed night that night in a
  night-by-night shelter, a housing move-in on or before it in PSH, RRH and other PH);
- each person once, in ES before SH before TH, and nobody housed that night (``Night``);
- the facts the tables read: age on the night, race, veteran status, chronic homelessness
  on the night (tables.chronic_at_start with the night standing in for the start), the
  latest disability and domestic-violence answers on or before the night.

A handful of queries, each a plain ORM expression returning tuples (``values_list``), so
the same code runs on PostgreSQL and on SQLite (the embedded default): no model instance is
built per stay. Client IDs are kept for every cell's drill-down.
"""

from collections import defaultdict
from contextlib import contextmanager
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Q

from agencies.models import ProjectCoc
from enrollments.hud_lists import DataCollectionStage, ServiceRecordType
from enrollments.models import Assessment, Enrollment, Service

from .tables import (
    DISABILITY_FIELDS,
    ES_NBN,
    MOVE_IN_TYPES,
    RESIDENTIAL_TYPES,
    age_on,
    chronic_at_start,
    disabled_by_records,
)

YES = 1
SHELTERED = {0: "ES", 1: "ES", 2: "TH", 8: "SH"}
# An ES stay is preferred to an SH one, SH to TH, when a person has several that night ([GR]'s
# order; HUD counts each person once but names no order).
PREFERENCE = {"ES": 0, "SH": 1, "TH": 2}
RACES = ("am_ind_ak_native", "asian", "black_af_american", "mid_east_n_african", "native_hi_pacific", "white")
CHRONIC_FIELDS = ("disabling_condition", "living_situation", "los_under_threshold", "previous_street_essh",
                  "date_to_street_essh", "times_homeless_past_three_years", "months_homeless_past_three_years")
STAY_FIELDS = ("pk", "household_id", "relationship_to_hoh", "entry_date", "exit_date", "move_in_date", "project_id",
               "project__project_type", "client_id", "client__client_id", "client__dob",
               *[f"client__{r}" for r in RACES], "client__hispanic_latinao", "client__veteran_status",
               *CHRONIC_FIELDS)
(PK, HOUSEHOLD, RELATIONSHIP, ENTRY, EXIT, MOVE_IN, PROJECT, TYPE, CLIENT_PK, CLIENT_ID, DOB) = range(11)
RACE_AT = slice(11, 11 + len(RACES))
HISPANIC, VETERAN = 11 + len(RACES), 12 + len(RACES)
CHRONIC_AT = slice(13 + len(RACES), 13 + len(RACES) + len(CHRONIC_FIELDS))


@contextmanager
def reads():
    """The night's queries in one transaction; on PostgreSQL without JIT compilation, which
    costs more than it saves on these one-pass scans (1.5 s of the 5.4 s of the main query at
    1,000,000 clients)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def open_stays(projects, night, codes):
    """The queryset of stays open on the night in the CoC's residential Continuum projects:
    started on or before it, not exited by it (exit after the night). A project serving
    several CoCs counts a stay for this CoC only when its EnrollmentCoC (3.16) is one of
    the report's (LSA core criteria)."""
    multi = ProjectCoc.objects.filter(project__in=projects).exclude(coc_code__in=codes).values("project_id")
    return (Enrollment.objects.filter(project__in=projects, project__project_type__in=RESIDENTIAL_TYPES,
                                      project__continuum_project=YES, entry_date__lte=night)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gt=night))
            .filter(~Q(project__in=multi) | Q(enrollment_coc__in=codes)))


def housed_stays(rows, night) -> set:
    """The PH stays (PSH, RRH, other PH) housed on the night: tables.move_in_dates over
    tuples. The head's move-in counts when on or after the head's start, on or before
    the head's exit and the night; members present then take it (if born by then), members
    who joined later their own start, members who exited before it none."""
    households = defaultdict(list)
    for r in rows:
        if r[TYPE] in MOVE_IN_TYPES:
            households[r[HOUSEHOLD]].append(r)
    housed = set()
    for members in households.values():
        valid = [h[MOVE_IN] for h in members if h[RELATIONSHIP] == 1 and h[MOVE_IN]
                 and h[ENTRY] <= h[MOVE_IN] <= night and (h[EXIT] is None or h[MOVE_IN] <= h[EXIT])]
        if not valid:
            continue
        moved = min(valid)
        for m in members:
            if m[EXIT] is not None and m[EXIT] < moved:
                continue
            if m[ENTRY] <= moved and (m[DOB] is None or m[DOB] <= moved):
                housed.add(m[PK])  # moved in with the household, on or before the night
            elif m[ENTRY] > moved:
                housed.add(m[PK])  # joined after: moved in at their own start, on or before the night
    return housed


def stays(projects, night, codes) -> tuple[list, object]:
    """(rows, queryset): one tuple (STAY_FIELDS) a stay of a person in a bed on the night,
    in no order, and the open stays' queryset."""
    stays_open = open_stays(projects, night, codes)
    rows = list(stays_open.order_by().values_list(*STAY_FIELDS))
    beds = set(Service.objects.filter(
        enrollment__in=stays_open.filter(project__project_type=ES_NBN).values("pk"),
        record_type=ServiceRecordType.BED_NIGHT, date_provided=night).values_list("enrollment_id", flat=True))
    housed = housed_stays(rows, night)
    return [r for r in rows if (r[TYPE] != ES_NBN or r[PK] in beds) and (r[TYPE] not in MOVE_IN_TYPES or r[PK] in housed)
            ], stays_open


class Member:
    """One person of the sheltered count: the facts of their chosen stay the tables read."""

    __slots__ = ("enrollment_pk", "household", "client_pk", "client_id", "age", "relationship", "column",
                 "races", "hispanic", "race", "veteran_status", "smi", "sud", "hiv", "fleeing", "chronic")

    def __init__(self, row, night):
        self.enrollment_pk, self.household, self.client_pk, self.client_id = (row[PK], row[HOUSEHOLD], row[CLIENT_PK],
                                                                              row[CLIENT_ID])
        age = age_on(row[DOB], night)
        self.age = age if age is not None and age >= 0 else None
        self.relationship = row[RELATIONSHIP]
        self.column = SHELTERED[row[TYPE]]
        self.races = row[RACE_AT]
        self.hispanic = bool(row[HISPANIC])
        self.race = None  # the PIT's race/ethnicity row (hic_pit.pit_race), once any redaction is applied
        self.veteran_status = row[VETERAN]
        self.smi = self.sud = self.hiv = self.fleeing = False
        self.chronic = "M"  # their own chronic homelessness on the night (Y, N, DK, M)

    @property
    def adult(self):
        return self.age is not None and self.age >= 18

    @property
    def child(self):
        return self.age is not None and self.age < 18

    @property
    def is_head(self):
        return self.relationship == 1


class _Project:
    __slots__ = ("project_type",)

    def __init__(self, project_type):
        self.project_type = project_type


class _OnTheNight:
    """The enrollment answers tables.chronic_at_start reads, with the night as the start
    (hic_pit.chronic_on_the_night explains why)."""

    __slots__ = ("project", "entry_date", *CHRONIC_FIELDS)

    def __init__(self, row, night):
        self.project = _Project(row[TYPE])
        self.entry_date = night
        for name, value in zip(CHRONIC_FIELDS, row[CHRONIC_AT], strict=True):
            setattr(self, name, value)


class Night:
    """The persons of the sheltered count, one per client, with their household on the
    night (the members present that night, in the same household) and its facts.

    ``persons``: Members; ``households``: {household: [Member]}; ``kind`` and ``chronic``:
    {household: type}, {household: chronically homeless}, set by hic_pit."""

    def __init__(self, projects, night, viewer, codes):
        self.night = night
        with reads():
            self._read(projects, night, viewer, codes)
        self.households = defaultdict(list)
        for m in self.persons:
            self.households[m.household].append(m)
        self.kind, self.chronic = {}, {}

    def _read(self, projects, night, viewer, codes):
        rows, stays_open = stays(projects, night, codes)
        # People housed that night (PSH, RRH, OPH after move-in) are counted where they sleep: not in
        # the sheltered count even if still enrolled in a shelter ([GR-PIT25], SPEC 3.1).
        housed = {r[CLIENT_PK] for r in rows if r[TYPE] in MOVE_IN_TYPES}
        # In start order (ties: the earlier-created stay first), sorted here rather than in SQL, and
        # only the sheltered stays (a sort of every stay open would spill PostgreSQL's to disk).
        rows = sorted((r for r in rows if r[TYPE] in SHELTERED and r[CLIENT_PK] not in housed),
                      key=itemgetter(ENTRY, PK))
        chosen = {}
        for r in rows:
            column = SHELTERED[r[TYPE]]
            kept = chosen.get(r[CLIENT_PK])
            if kept is None or PREFERENCE[column] < PREFERENCE[SHELTERED[kept[TYPE]]]:
                chosen[r[CLIENT_PK]] = r
        self.persons = [Member(r, night) for r in chosen.values()]
        if viewer is not None and not viewer.is_admin:
            seen_by(viewer, self.persons)
        sheltered = stays_open.filter(project__project_type__in=SHELTERED).values("pk")
        disabled = disabled_by_records(sheltered)
        for m, r in zip(self.persons, chosen.values(), strict=True):
            m.chronic = chronic_at_start(_OnTheNight(r, night), m.enrollment_pk in disabled)
        health(self.persons, sheltered, night)

    def of_kind(self, kind) -> dict:
        return {key: ms for key, ms in self.households.items() if self.kind[key] == kind}


def seen_by(viewer, persons, chunk=5_000) -> None:
    """For a report made for an agency: the client-row values another agency recorded under
    a consent that does not share them count as not collected (C12), as in tables.people.
    Only race and veteran status are read here and only they can be replaced (the date of
    birth is never), so the clients counted are enough."""
    from clients.models import Client
    from clients.selectors import as_seen_by

    by_client = {m.client_pk: m for m in persons}
    pks = list(by_client)
    for i in range(0, len(pks), chunk):
        for c in as_seen_by(viewer, list(Client.objects.filter(pk__in=pks[i:i + chunk]))):
            m = by_client[c.pk]
            m.races = tuple(getattr(c, r) for r in RACES)
            m.hispanic = bool(c.hispanic_latinao)
            m.veteran_status = c.veteran_status


def health(persons, sheltered, night) -> None:
    """The PIT-4 facts of each person's stay. Disability (4.08 HIV/AIDS, 4.09 mental health,
    4.10 substance use): the latest record dated on or before the night among start, update
    and annual records that asked 4.05–4.10 (tables.disability_record, "stayer"). Domestic
    violence: the latest record on or before the night that answered 4.11 (tables.dv_record);
    fleeing: 4.11 yes and currently fleeing yes on it. Latest: by date, then by creation."""
    mine = {m.enrollment_pk: m for m in persons}
    asked = Q()
    for name in DISABILITY_FIELDS:
        asked |= Q(**{f"{name}__isnull": False})
    records = Assessment.objects.filter(enrollment__in=sheltered, information_date__lte=night).order_by(
        "information_date", "pk")
    latest = {}
    for pk, mental, substance, hiv in (records.filter(asked, stage__in=(DataCollectionStage.PROJECT_START,
                                                                      DataCollectionStage.UPDATE,
                                                                      DataCollectionStage.ANNUAL))
                                       .values_list("enrollment_id", "mental_health_disorder",
                                                    "substance_use_disorder", "hiv_aids")):
        latest[pk] = (mental, substance, hiv)
    for pk, (mental, substance, hiv) in latest.items():
        m = mine.get(pk)
        if m is not None:
            m.smi, m.sud, m.hiv = mental == 1, substance in (1, 2, 3), hiv == 1
    latest = {}
    for pk, survivor, fleeing in records.filter(domestic_violence_survivor__isnull=False).values_list(
            "enrollment_id", "domestic_violence_survivor", "currently_fleeing"):
        latest[pk] = survivor == YES and fleeing == YES
    for pk, fleeing in latest.items():
        m = mine.get(pk)
        if m is not None:
            m.fleeing = fleeing
