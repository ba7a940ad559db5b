"""THE place that decides who sees what of a client (DESIGN conv. 2-4; RULES C2, C9-C13, A6, A7, T3).

Two questions, each answered in Python for one object and in SQL for a queryset;
tests/consent/test_visibility.py holds the two answers equal across the access matrix.

1. May the viewer see the client at all, and how much? ``client_access`` (one client),
   ``visible_clients`` (a queryset, for lists); ``visible_clients_with_levels`` and
   ``listed_clients`` (search) also decide each client's level in the same SQL.
2. May the viewer see this record of the client? ``record_visible`` (one record),
   ``visible_records`` (a queryset of any kind in RECORD_KINDS), ``profile_access``
   (the values on the client row itself: demographics and the full SSN).

Record by record (C12). Every record holding client data carries the agency that
entered it and the consent (ROI) that covered it when it was entered. The entering
agency always sees its own records; the HMIS Lead's administrators see everything.
Another agency sees a record only when all of these hold:

- the covering consent was "full" and has not been revoked (C2, C9). Records with no
  covering consent (imported history, data entered in an approved ROI gap) stay with
  the agency that entered them;
- the entering agency's *current* consent for the client is "full": its newest ROI
  for the client is in force and full. So a later, narrower consent at that agency
  narrows what it shared, expiry ends sharing (C6), and a consent recorded later at
  *another* agency shares that agency's own data, never this one's;
- the record was not entered in a protected project (A7);
- the client has no active lock of the record's part, nor a whole-record lock (C3, C10):
  locked parts are seen only by the agency that entered them;
- the record's CoC is within the viewer's reach: the CoCs of the viewer's agency and
  the CoCs in the same sharing group (C13). A record of a project belongs to the
  project's CoC; any other record to the CoCs of the agency that entered it.

Whether the client is visible at all follows the same consents, agency by agency: the
viewer's agency serves the client (it recorded a consent for them: a django-guardian
grant to the agency's group), or another agency within reach holds the client's
current consent at "limited" (basic identifiers) or "full" (the record, filtered as
above); a consent made in a protected project shares basic identifiers at most (A7).

Identifiers (C12): name, date of birth and the last 4 of the SSN are shown to anyone
who may see the client. The full SSN is shown to the agency that recorded it, to an
agency holding the client's own active consent (unless a protected project holds the
number), and to others only under the consent that covered it.

Who is looking comes first: HMIS Lead administrators see everything; nobody without an
active agency context sees anything; reporting-only and researcher licenses never open
client records (T3); victim service providers hold no client data (A6).
"""

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from functools import cached_property

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from agencies.models import Agency, Coc, License
from hmis.dates import today as current_date

FULL, LIMITED, NONE = "full", "limited", "none"
_RANK = {None: 0, NONE: 0, LIMITED: 1, FULL: 2}

# Values on the client row itself that other agencies see only under the consent that
# covered them (the C10 "demographics" part). Identifiers are not among them.
RACE_FIELDS = ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
               "native_hi_pacific", "white", "race_none", "additional_race_ethnicity")
DEMOGRAPHIC_GROUPS = {"race": RACE_FIELDS, "sex": ("sex",), "veteran_status": ("veteran_status",)}
DEMOGRAPHIC_FIELDS = frozenset(f for fields in DEMOGRAPHIC_GROUPS.values() for f in fields)


class Level(IntEnum):
    NONE = 0
    IDENTIFIERS = 1  # name, date of birth, last 4 of SSN, HMIS Client ID (C2 limited)
    FULL = 2  # the client's records, each shown as record_visible() allows


def reach_of(agency_id) -> tuple[frozenset, frozenset]:
    """C13, in one query: the CoCs whose agencies' data may be shared with this agency
    (its own CoCs and those in the same sharing group), and the agencies participating in
    them."""
    if agency_id is None:
        return frozenset(), frozenset()
    through = Agency.cocs.through
    own = through.objects.filter(agency_id=agency_id).values("coc_id")
    groups = Coc.objects.filter(pk__in=own).exclude(sharing_group="").values("sharing_group")
    reach = Coc.objects.filter(Q(pk__in=own) | Q(sharing_group__in=groups))
    pairs = reach.values_list("pk", "agencies__pk")
    return frozenset(coc for coc, _ in pairs), frozenset(agency for _, agency in pairs if agency is not None)


@dataclass(frozen=True)
class Viewer:
    user: object
    license: License | None
    # Reports and exports made for an agency (T3: reporting-only licenses run them) see its
    # clients as the agency does, though the person may not open client pages.
    for_reports: bool = False

    @classmethod
    def from_request(cls, request) -> "Viewer":
        viewer = cls(user=request.user, license=getattr(request, "license", None))
        # C13's reach as the sign-in gate keeps it for the session (hmis/gate.py): every
        # change it depends on (CoCs, their sharing groups, agencies joining them) makes
        # the gate recompute it on the very next request.
        reach = getattr(request, "reach", None)
        if reach is not None and viewer.agency_id == reach[0]:
            viewer.__dict__["_reach"] = (frozenset(reach[1]), frozenset(reach[2]))
        return viewer

    @property
    def is_admin(self) -> bool:
        return bool(getattr(self.user, "is_system_admin", False))

    @property
    def agency(self):
        return self.license.agency if self.license else None

    @property
    def agency_id(self):
        return self.license.agency_id if self.license else None

    @property
    def may_open_client_data(self) -> bool:
        if self.is_admin:
            return True
        levels = [License.AccessLevel.FULL, License.AccessLevel.VIEW_ONLY]
        if self.for_reports:
            levels.append(License.AccessLevel.REPORTING_ONLY)
        return (
            self.license is not None
            and self.license.is_active
            and self.license.access_level in levels
            and not self.license.agency.is_victim_service_provider
        )

    @property
    def may_enter_client_data(self) -> bool:
        """Recording consent and client data: full access at a non-VSP agency (A6, T3)."""
        return self.license is not None and self.license.can_enter_data

    @cached_property
    def _reach(self) -> tuple[frozenset, frozenset]:
        return reach_of(self.agency_id)

    @property
    def reach_cocs(self) -> frozenset:
        return self._reach[0]

    @property
    def reach_agencies(self) -> frozenset:
        """The agencies participating in a CoC within reach (for records of no project)."""
        return self._reach[1]


@dataclass(frozen=True)
class ClientAccess:
    level: Level
    serves_client: bool = False
    holds_consent: bool = False
    can_edit: bool = False
    reason: str = ""

    @property
    def visible(self) -> bool:
        return self.level > Level.NONE

    @property
    def full(self) -> bool:
        return self.level == Level.FULL


NO_ACCESS = ClientAccess(Level.NONE, reason="not visible to you")


# --- Consents, agency by agency -------------------------------------------------------
def roi_state(roi, day: date) -> str | None:
    """What one ROI shares on a day: its level while in force, None once expired or
    revoked (C6, C9) or before it was signed."""
    if roi.signed_on > day or roi.expires_on < day or (roi.revoked_on and roi.revoked_on <= day):
        return None
    return roi.sharing_level


def _newest_first(roi):
    return (roi.signed_on, roi.recorded_at, roi.pk)


def supersedes(newer, older) -> bool:
    """C7, C12: a later consent of the same agency replaces an earlier one for the same
    scope. An agency-wide ROI is replaced by a later agency-wide one; a project's ROI by a
    later one for that project or a later agency-wide one."""
    return (newer.agency_id == older.agency_id and newer.pk != older.pk
            and newer.project_id in (None, older.project_id) and _newest_first(newer) > _newest_first(older))


def _signed_rois(client, day: date) -> list:
    cache = client.__dict__.setdefault("_signed_rois", {})
    if day not in cache:
        cache[day] = [roi for roi in client.rois.all() if roi.signed_on <= day]
    return cache[day]


def consents_in_force(signed: list, day: date) -> list:
    """(state, ROI) of each of these signed ROIs not replaced by a later one of its agency
    for the same scope (see supersedes). Shared by the visibility answers and the
    client's stored summary (consent/services.py::sharing_on)."""
    return [(roi_state(roi, day), roi) for roi in signed if not any(supersedes(o, roi) for o in signed)]


def current_consents(client, day: date) -> list:
    """The client's consents in force for each agency and project on ``day``, narrowed by
    later ones, never widened by another agency's (C12). Cached on the client."""
    cache = client.__dict__.setdefault("_consent_states", {})
    if day not in cache:
        cache[day] = consents_in_force(_signed_rois(client, day), day)
    return cache[day]


def forget_consents(client) -> None:
    """Drop what this module cached on the client about its consents (after a change)."""
    for name in ("_consent_states", "_signed_rois"):
        client.__dict__.pop(name, None)
    getattr(client, "_prefetched_objects_cache", {}).pop("rois", None)


def entering_state(client, consent, day: date) -> str | None:
    """The entering agency's current consent for the scope of ``consent`` (C7): its newest
    ROI for that project or agency-wide (for an agency-wide consent, agency-wide only)."""
    scope = [roi for roi in _signed_rois(client, day)
             if roi.agency_id == consent.agency_id and roi.project_id in (None, consent.project_id)]
    return roi_state(max(scope, key=_newest_first), day) if scope else None


def _stay_projects_by_agency(client) -> dict:
    """agency id -> [project protected?] of the client's stays (prefetched on list pages)."""
    if "_stay_projects" not in client.__dict__:
        by_agency = {}
        for stay in client.enrollments.all():
            by_agency.setdefault(stay.agency_id, []).append(stay.project.protected)
        client.__dict__["_stay_projects"] = by_agency
    return client.__dict__["_stay_projects"]


def roi_protected(client, roi) -> bool:
    """A7: a consent taken in a protected project shares basic identifiers at most. So does
    an agency-wide consent while every stay of that agency for the client is in a
    protected project: the consent would otherwise name the protected project's agency."""
    if roi is None:
        return False
    if roi.project_id:
        return roi.project.protected
    flags = _stay_projects_by_agency(client).get(roi.agency_id)
    return bool(flags) and all(flags)


def _active_locks(client) -> list:
    cached = getattr(client, "_prefetched_objects_cache", {}).get("locks")
    if cached is not None:
        return [lock for lock in cached if lock.status == "active"]
    if "_active_locks" not in client.__dict__:
        client.__dict__["_active_locks"] = list(client.locks.filter(status="active"))
    return client.__dict__["_active_locks"]


def locked_parts(client) -> frozenset:
    """The parts of the record an active lock keeps with the agency that entered them (C10)."""
    return frozenset(lock.part for lock in _active_locks(client))


def _serves(viewer: Viewer, client) -> bool:
    if viewer.agency is None:
        return False
    annotated = getattr(client, "viewer_serves", None)
    if annotated is not None:
        return bool(annotated)
    return client.agency_grants.filter(group_id=viewer.agency.group_id).exists()


def _roi_in_reach(viewer: Viewer, roi) -> bool:
    if roi.project_id:
        return roi.project.coc_id in viewer.reach_cocs
    return roi.agency_id in viewer.reach_agencies


# --- 1. The client ------------------------------------------------------------------
def client_access(viewer: Viewer, client, day: date | None = None) -> ClientAccess:
    day = day or current_date()
    if viewer.is_admin:
        return ClientAccess(Level.FULL, serves_client=_serves(viewer, client), holds_consent=True,
                            reason="HMIS Lead administrator")
    if not viewer.may_open_client_data:
        return NO_ACCESS
    agency_id = viewer.agency_id
    current = current_consents(client, day)
    holds_consent = any(roi.agency_id == agency_id and state is not None for state, roi in current)
    if _serves(viewer, client):
        # An agency that serves the client keeps its own records, even under a whole-record
        # lock approved later for another agency; it sees others' records as shared (C10, C12).
        return ClientAccess(
            Level.FULL, serves_client=True, holds_consent=holds_consent,
            can_edit=viewer.license.access_level == License.AccessLevel.FULL,
            reason="your agency serves this client",
        )
    if client.locked_to_agency_id is not None:
        return NO_ACCESS
    best = None
    for state, roi in current:
        if roi.agency_id == agency_id or state not in (FULL, LIMITED) or not _roi_in_reach(viewer, roi):
            continue
        if roi_protected(client, roi):
            state = LIMITED  # A7: a protected project shares basic identifiers at most
        if _RANK[state] > _RANK[best]:
            best = state
    if best == FULL:
        return ClientAccess(Level.FULL, reason="the client shares their record")
    if best == LIMITED:
        return ClientAccess(Level.IDENTIFIERS, reason="basic identifiers only")
    return NO_ACCESS


def _current_newest(day: date, **outer) -> QuerySet:
    """Consent-to-client links (the ROI's M2M rows) signed by ``day``; narrowed with
    OuterRef lookups by the callers."""
    from .models import Roi

    return Roi.clients.through.objects.filter(roi__signed_on__lte=day, **outer)


def _in_force(prefix: str, day: date) -> Q:
    return (Q(**{f"{prefix}signed_on__lte": day, f"{prefix}expires_on__gte": day})
            & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})))


def _shared_consent_links(viewer: Viewer, day: date, levels: list) -> QuerySet:
    """SQL: the client's consents (ROI-to-client links, correlated to the outer client) at
    one of ``levels`` by which another agency within the viewer's reach shares them today:
    in force, and not replaced by a later one of the same agency for the same scope
    (supersedes(), C12, C13)."""
    newer_of_same_agency = _current_newest(day, client_id=OuterRef("client_id"), roi__agency_id=OuterRef("roi__agency_id")).filter(
        Q(roi__project_id=OuterRef("roi__project_id")) | Q(roi__project__isnull=True)).filter(
        Q(roi__signed_on__gt=OuterRef("roi__signed_on"))
        | Q(roi__signed_on=OuterRef("roi__signed_on"), roi__recorded_at__gt=OuterRef("roi__recorded_at"))
        | Q(roi__signed_on=OuterRef("roi__signed_on"), roi__recorded_at=OuterRef("roi__recorded_at"),
            roi_id__gt=OuterRef("roi_id"))
    )
    return (
        _current_newest(day, client_id=OuterRef("pk"), roi__sharing_level__in=levels)
        .exclude(roi__agency_id=viewer.agency_id)
        .filter(_in_force("roi__", day))
        .filter(Q(roi__project__coc_id__in=viewer.reach_cocs)
                | Q(roi__project__isnull=True, roi__agency_id__in=viewer.reach_agencies))
        .filter(~Exists(newer_of_same_agency))
    )


def visible_clients(viewer: Viewer, clients: QuerySet, day: date | None = None) -> QuerySet:
    """Narrow a Client queryset to what the viewer may see at all (identifiers or more),
    annotated with ``viewer_serves`` so client_access() needs no further query.
    The SQL twin of ``client_access(...).visible``."""
    from clients.models import ClientGroupObjectPermission

    if viewer.is_admin:
        if viewer.agency is None:
            return clients.annotate(viewer_serves=Value(False))
    elif not viewer.may_open_client_data:
        return clients.none()
    agency = viewer.agency
    serves = Exists(
        ClientGroupObjectPermission.objects.filter(content_object=OuterRef("pk"), group_id=agency.group_id)
    )
    clients = clients.annotate(viewer_serves=serves)
    if viewer.is_admin:
        return clients
    day = day or current_date()
    shared_by_another_agency = Exists(_shared_consent_links(viewer, day, [FULL, LIMITED]))
    # An agency that serves the client keeps it, even under a whole-record lock approved later.
    # Client.sharing (the widest consent in force, consent/services.py::sharing_on) is a
    # necessary condition of being shared: a plain column, so the database skips the
    # consent subquery for clients nobody shares.
    shared = Q(locked_to_agency__isnull=True, sharing__in=[FULL, LIMITED]) & shared_by_another_agency
    return clients.filter(Q(viewer_serves=True) | shared)


def _shared_in_full(viewer: Viewer, day: date) -> Exists:
    """SQL: another agency within reach shares the client in full (client_access()'s best
    consent is FULL): a full consent in force, not made in a protected project, nor
    agency-wide while every stay of its agency for the client is in one (roi_protected(), A7)."""
    from enrollments.models import Enrollment

    stays = Enrollment.objects.filter(client_id=OuterRef("client_id"), agency_id=OuterRef("roi__agency_id"))
    not_protected = Q(roi__project__isnull=False, roi__project__protected=False) | (
        Q(roi__project__isnull=True)
        & (~Exists(stays.filter(project__protected=True)) | Exists(stays.filter(project__protected=False))))
    return Exists(_shared_consent_links(viewer, day, [FULL]).filter(not_protected))


def visible_clients_with_levels(viewer: Viewer, clients: QuerySet, day: date | None = None) -> QuerySet:
    """visible_clients() with each client's Level as ``viewer_level``, decided in the same
    SQL: the twin of ``client_access(...).level`` (and ``viewer_serves`` of its
    serves_client), so a list of clients reads no consents, locks or stays per client."""
    clients = visible_clients(viewer, clients, day)
    if viewer.is_admin:
        return clients.annotate(viewer_level=Value(int(Level.FULL)))
    if not viewer.may_open_client_data:
        return clients.annotate(viewer_level=Value(int(Level.NONE)))
    day = day or current_date()
    return clients.annotate(viewer_level=Case(
        When(viewer_serves=True, then=Value(int(Level.FULL))),
        When(_shared_in_full(viewer, day), then=Value(int(Level.FULL))),
        default=Value(int(Level.IDENTIFIERS))))


# Compiled SQL of visible_clients_with_levels() per viewer context (see listed_clients).
# Keys hold ids and dates only; bounded, as a new day makes new keys.
_COMPILED_LISTS: dict = {}
_COMPILED_LISTS_MAX = 512


def listed_clients(viewer: Viewer, day: date | None = None) -> QuerySet:
    """``visible_clients_with_levels(viewer, Client.objects.all())`` for a list read on
    every keystroke (client search, duplicate checks): the same SQL, built with the ORM
    once per viewer context (agency, its reach, the day) and reused as raw SQL. Building
    the consent subqueries took the ORM longer (about 5 ms) than PostgreSQL took to run a
    date-of-birth search with them (about 3 ms at a million clients).

    The SQL names the client table itself: filter, order and slice the result, but use it
    as a top-level query only (not inside another query as a subquery)."""
    from django.core.exceptions import EmptyResultSet, FullResultSet
    from django.db.models import BooleanField, IntegerField
    from django.db.models.expressions import RawSQL

    from clients.models import Client

    day = day or current_date()
    if viewer.agency is None or not (viewer.is_admin or viewer.may_open_client_data):
        return visible_clients_with_levels(viewer, Client.objects.all(), day)  # no consent SQL to build
    reach = () if viewer.is_admin else (viewer.reach_cocs, viewer.reach_agencies)
    key = (Client.objects.db, viewer.is_admin, viewer.agency.pk, viewer.agency.group_id, reach, day)
    compiled = _COMPILED_LISTS.get(key)
    if compiled is None:
        query = visible_clients_with_levels(viewer, Client.objects.all(), day).query
        compiler = query.get_compiler(using=Client.objects.db)
        compiled = {name: compiler.compile(query.annotations[name]) for name in ("viewer_serves", "viewer_level")}
        try:
            compiled["where"] = compiler.compile(query.where)
        except FullResultSet:  # no condition (HMIS Lead administrators)
            compiled["where"] = None
        except EmptyResultSet:  # nothing can match
            compiled["where"] = ("FALSE", ())
        if len(_COMPILED_LISTS) >= _COMPILED_LISTS_MAX:
            _COMPILED_LISTS.clear()
        _COMPILED_LISTS[key] = compiled
    clients = Client.objects.annotate(
        viewer_serves=RawSQL(*compiled["viewer_serves"], output_field=BooleanField()),
        viewer_level=RawSQL(*compiled["viewer_level"], output_field=IntegerField()))
    if compiled["where"] is not None:
        clients = clients.filter(RawSQL(*compiled["where"], output_field=BooleanField()))
    return clients


# --- 2. Records of the client ---------------------------------------------------------
@dataclass(frozen=True)
class RecordKind:
    """Where a kind of record keeps what visibility needs."""

    client: str | None  # path to the client; None when a record covers many (passed in)
    project: str | None  # path to the project, for records of a stay
    part: str | None  # the C10 lock part covering it
    part_fields: frozenset = field(default_factory=frozenset)  # the part covers only rows of these fields
    consent: str = "consent"  # path to the covering ROI ("" : the record is a consent itself)
    agency: str = "agency_id"  # the entering agency


STAY = dict(client="enrollment__client", project="enrollment__project", part="enrollments")
RECORD_KINDS = {
    "enrollments.Enrollment": RecordKind(client="client", project="project", part="enrollments"),
    "enrollments.Assessment": RecordKind(**STAY),
    "enrollments.Service": RecordKind(**STAY),
    "enrollments.CurrentLivingSituation": RecordKind(**STAY),
    # A CE assessment's questions and results (CeAssessmentQuestion, CeAssessmentResult) are parts
    # of it, never read on their own: shown and exported only with a visible assessment.
    "enrollments.CeAssessment": RecordKind(**STAY),
    "enrollments.CeEvent": RecordKind(**STAY),
    "clients.Correction": RecordKind(client="client", project=None, part="demographics",
                                     part_fields=DEMOGRAPHIC_FIELDS),
    # An ROI is covered by itself, a household by the consent of the intake that made it;
    # both name many clients, so visibility is decided for the one passed in.
    "consent.Roi": RecordKind(client=None, project=None, part=None, consent=""),
    "clients.Household": RecordKind(client=None, project=None, part=None, agency="entered_by_agency_id"),
}


def kind_of(model) -> RecordKind:
    return RECORD_KINDS[model._meta.label]


def _shared(viewer: Viewer, *, client, agency_id, consent, protected: bool, coc_id, part, day: date) -> bool:
    """Whether another agency's record (or value) is shared with the viewer: the rules
    in this module's docstring, for one record."""
    if consent is None or consent.sharing_level != FULL:
        return False
    if consent.revoked_on and consent.revoked_on <= day:
        return False
    if entering_state(client, consent, day) != FULL:
        return False
    if protected or client.locked_to_agency_id is not None:
        return False
    if part is not None and part in locked_parts(client):
        return False
    if coc_id is not None:
        return coc_id in viewer.reach_cocs
    return agency_id in viewer.reach_agencies


def record_visible(viewer: Viewer, record, *, client=None, day: date | None = None,
                   kind: RecordKind | None = None) -> bool:
    """One record: the Python twin of ``visible_records``. ``kind`` for a model whose
    records are of two kinds (see note_visible)."""
    day = day or current_date()
    if viewer.is_admin:
        return True
    if not viewer.may_open_client_data:
        return False
    kind = kind or kind_of(type(record))
    agency_id = getattr(record, kind.agency)
    if agency_id == viewer.agency_id:
        return True
    consent = record if kind.consent == "" else record.consent
    if client is None:
        if kind.client is None:
            raise ValueError(f"record_visible({type(record).__name__}) needs the client it is read for.")
        client = record.client if kind.client == "client" else record.enrollment.client
    if kind.project:  # a record of a stay: the stay's project decides
        project = record.project if kind.project == "project" else record.enrollment.project
        protected, coc_id = project.protected, project.coc_id
    else:  # anything else: the consent it was recorded under
        protected = roi_protected(client, consent)
        coc_id = consent.project.coc_id if consent is not None and consent.project_id else None
    part = kind.part
    if kind.part_fields and getattr(record, "field", None) not in kind.part_fields:
        part = None
    return _shared(viewer, client=client, agency_id=agency_id, consent=consent, protected=protected,
                   coc_id=coc_id, part=part, day=day)


def _entering_agency_state(kind: RecordKind, day: date, client_ref) -> Subquery:
    """SQL: the entering agency's current consent for the scope of the record's consent
    ("" when none is in force): its newest ROI for that project or agency-wide (C7)."""
    from .models import Roi

    project = OuterRef("project_id") if kind.consent == "" else OuterRef(f"{kind.consent}__project_id")
    newest = (Roi.objects.filter(agency_id=OuterRef(kind.agency), clients=client_ref, signed_on__lte=day)
              .filter(Q(project_id=project) | Q(project__isnull=True))
              .order_by("-signed_on", "-recorded_at", "-pk"))
    state = Case(When(Q(revoked_on__lte=day) | Q(expires_on__lt=day), then=Value("")), default=F("sharing_level"))
    return Subquery(newest.annotate(state=state).values("state")[:1])


def _agency_wide_consent_protected(kind: RecordKind, client_ref) -> Q:
    """SQL twin of roi_protected() for an agency-wide consent: every stay of the entering
    agency for the client is in a protected project."""
    from enrollments.models import Enrollment

    stays = Enrollment.objects.filter(client=client_ref, agency_id=OuterRef(kind.agency))
    return Q(Exists(stays.filter(project__protected=True))) & ~Q(Exists(stays.filter(project__protected=False)))


def visible_records(viewer: Viewer, records: QuerySet, *, client=None, day: date | None = None,
                    kind: RecordKind | None = None) -> QuerySet:
    """Narrow a queryset of client records to those the viewer may see. ``client`` is
    required for ROIs and households (they name many clients; visibility is decided for one)."""
    from .models import ClientLock

    day = day or current_date()
    if viewer.is_admin:
        return records
    if not viewer.may_open_client_data:
        return records.none()
    kind = kind or kind_of(records.model)
    own = Q(**{kind.agency: viewer.agency_id})
    if kind.client is None:
        if client is None:
            raise ValueError(f"visible_records({records.model.__name__}) needs the client they are read for.")
        client_ref, locked = client.pk, client.locked_to_agency_id is not None
    else:
        client_ref, locked = OuterRef(kind.client), None
    consent = "" if kind.consent == "" else f"{kind.consent}__"

    shared = Q(**{f"{consent}sharing_level": FULL}) & (
        Q(**{f"{consent}revoked_on__isnull": True}) | Q(**{f"{consent}revoked_on__gt": day}))
    if locked is None:
        shared &= Q(**{f"{kind.client}__locked_to_agency__isnull": True})
    elif locked:
        shared &= Q(pk__in=[])
    if kind.project:
        shared &= Q(**{f"{kind.project}__protected": False, f"{kind.project}__coc_id__in": viewer.reach_cocs})
    else:
        project = f"{consent}project"
        shared &= (
            (Q(**{f"{project}__isnull": True, f"{kind.agency}__in": viewer.reach_agencies})
             & ~_agency_wide_consent_protected(kind, client_ref))
            | Q(**{f"{project}__protected": False, f"{project}__coc_id__in": viewer.reach_cocs}))
    if kind.part:
        locks = ClientLock.objects.filter(part=kind.part, status=ClientLock.Status.ACTIVE, client=client_ref)
        lock_free = ~Exists(locks)
        if kind.part_fields:
            lock_free |= ~Q(field__in=kind.part_fields)
        shared &= lock_free
    records = records.alias(_entering_state=_entering_agency_state(kind, day, client_ref))
    return records.filter(own | (shared & Q(_entering_state=FULL)))


# --- Case notes and files (issue 21) -------------------------------------------------
# Two kinds in one model: a note or file on a stay is decided by the stay's project
# (A7 protected projects, C13 the project's CoC); one on the client alone by the consent
# it was recorded under. Both are covered by the C10 part "Documents and notes".
NOTE_ON_CLIENT = RecordKind(client="client", project=None, part="documents")
NOTE_ON_STAY = RecordKind(client="client", project="enrollment__project", part="documents")


def note_visible(viewer: Viewer, record, *, client=None, day: date | None = None) -> bool:
    """A case note or client file (clients.CaseNote, clients.ClientFile): the writing
    agency always sees its own; another agency only under the consent that covered it,
    when no lock covers it (C10, C12). The Python twin of ``visible_notes``."""
    kind = NOTE_ON_STAY if record.enrollment_id else NOTE_ON_CLIENT
    return record_visible(viewer, record, client=client, day=day, kind=kind)


def visible_notes(viewer: Viewer, records: QuerySet, *, day: date | None = None) -> QuerySet:
    """Narrow a queryset of case notes or client files to those the viewer may see."""
    on_client = visible_records(viewer, records.filter(enrollment__isnull=True), day=day, kind=NOTE_ON_CLIENT)
    on_stay = visible_records(viewer, records.filter(enrollment__isnull=False), day=day, kind=NOTE_ON_STAY)
    return records.filter(Q(pk__in=on_client.values("pk")) | Q(pk__in=on_stay.values("pk")))


# --- The client row's own values ------------------------------------------------------
@dataclass(frozen=True)
class Provenance:
    """Who recorded the current value of a field of the client row, under which consent."""

    agency_id: int | None
    consent: object  # Roi or None
    protected: bool


def _corrections(client) -> list:
    """The client's corrections, oldest first, read once per client (with their consents;
    prefetched for lists, see prefetch_for_visibility)."""
    if "_corrections" not in client.__dict__:
        cached = getattr(client, "_prefetched_objects_cache", {}).get("corrections")
        rows = list(cached) if cached is not None else client.corrections.select_related(
            "corrected_by", "agency", "consent__project")
        client.__dict__["_corrections"] = sorted(rows, key=lambda c: (c.corrected_at, c.pk))
    return client.__dict__["_corrections"]


def prefetch_for_visibility(clients) -> None:
    """Fetch what client_access() and profile_access() read for many clients at once:
    consents, locks, stays' projects, corrections (a handful of queries, not per client)."""
    from django.db.models import Prefetch, prefetch_related_objects

    from clients.models import Correction
    from enrollments.models import Enrollment

    from .models import Roi

    prefetch_related_objects(
        list(clients), Prefetch("rois", Roi.objects.select_related("project")), "locks",
        Prefetch("enrollments", Enrollment.objects.select_related("project").only(
            "client_id", "agency_id", "project__protected")),
        Prefetch("corrections", Correction.objects.select_related("agency", "consent__project")),
    )


# 'Data not collected' for what a viewer may not see of the client row (reports, exports).
NOT_SHOWN = {
    "race": {**{name: False for name in RACE_FIELDS[:7]}, "race_none": 99, "additional_race_ethnicity": ""},
    "sex": {"sex": 99},
    "veteran_status": {"veteran_status": 99},
}


def values_not_shown(viewer: Viewer, client, day: date | None = None) -> dict:
    """field -> value to use instead, for the client-row values the viewer may not see
    (C10, C12): HUD's "data not collected" (99), and the SSN with its first five digits
    marked unknown ("x", as HMIS CSV allows) unless the viewer may see it in full."""
    if viewer.is_admin:
        return {}
    shown = profile_access(viewer, client, day=day)
    replaced = {}
    for group, values in NOT_SHOWN.items():
        if not shown.shows(group):
            replaced.update(values)
    if not shown.full_ssn:
        replaced["ssn"] = "masked"
    return replaced


def _original_provenance(client) -> Provenance:
    return Provenance(client.entered_by_agency_id, client.consent,
                      client.entered_in_protected_project or roi_protected(client, client.consent))


def provenances(client) -> dict:
    """field -> Provenance of its current value: the latest correction of the field,
    else the client's entry."""
    if "_provenances" not in client.__dict__:
        original = _original_provenance(client)
        latest = {}
        for correction in _corrections(client):
            latest[correction.field] = Provenance(correction.agency_id, correction.consent,
                                                  roi_protected(client, correction.consent))
        client.__dict__["_provenances"] = (original, latest)
    original, latest = client.__dict__["_provenances"]
    return {name: latest.get(name, original) for name in (*DEMOGRAPHIC_FIELDS, "ssn")}


def value_visible(viewer: Viewer, client, provenance: Provenance, *, part: str | None, day: date) -> bool:
    if viewer.is_admin or (viewer.agency_id is not None and provenance.agency_id == viewer.agency_id):
        return True
    consent = provenance.consent
    return _shared(viewer, client=client, agency_id=provenance.agency_id, consent=consent,
                   protected=provenance.protected, coc_id=consent.project.coc_id if consent and consent.project_id else None,
                   part=part, day=day)


@dataclass(frozen=True)
class ProfileAccess:
    """Which of the client row's values the viewer sees beyond the basic identifiers."""

    demographics: frozenset  # groups of DEMOGRAPHIC_GROUPS shown
    full_ssn: bool

    def shows(self, group: str) -> bool:
        return group in self.demographics

    @property
    def any_demographics(self) -> bool:
        return bool(self.demographics)


def profile_access(viewer: Viewer, client, access: ClientAccess | None = None, day: date | None = None) -> ProfileAccess:
    day = day or current_date()
    access = access or client_access(viewer, client, day)
    if not access.full:
        return ProfileAccess(frozenset(), False)
    where = provenances(client)
    shown = frozenset(
        group for group, names in DEMOGRAPHIC_GROUPS.items()
        if all(value_visible(viewer, client, where[name], part="demographics", day=day) for name in names)
    )
    ssn = where["ssn"]
    # C12: the client's own active consent shows the identifiers in full, except a
    # number only a protected project or another agency's whole-record lock holds (last 4 at most).
    locked_elsewhere = client.locked_to_agency_id not in (None, viewer.agency_id)
    full_ssn = value_visible(viewer, client, ssn, part=None, day=day) or (
        access.holds_consent and not ssn.protected and not locked_elsewhere)
    return ProfileAccess(shown, full_ssn)


def correction_values_visible(viewer: Viewer, client, corrections=None, day: date | None = None) -> list:
    """D6 history without leaks (C10, C12): (correction, shows_previous, shows_new) for the
    corrections the viewer may see (all the client's unless given). The previous value
    belongs to whoever recorded it."""
    day = day or current_date()
    ordered = sorted(_corrections(client) if corrections is None else corrections, key=lambda c: (c.corrected_at, c.pk))
    original = _original_provenance(client)
    before = {}
    rows = []
    for correction in ordered:
        part = "demographics" if correction.field in DEMOGRAPHIC_FIELDS else None
        previous = before.get(correction.field, original)
        current = Provenance(correction.agency_id, correction.consent, roi_protected(client, correction.consent))
        before[correction.field] = current
        if not record_visible(viewer, correction, client=client, day=day):
            continue
        rows.append((correction, value_visible(viewer, client, previous, part=part, day=day),
                     value_visible(viewer, client, current, part=part, day=day)))
    rows.reverse()
    return rows


def document_visible(viewer: Viewer, document) -> bool:
    """E5, C12: a scanned consent form is opened only by the agency that recorded the
    consent and by the HMIS Lead."""
    if viewer.is_admin:
        return True
    return viewer.may_open_client_data and document.roi.agency_id == viewer.agency_id


def locks_visible(viewer: Viewer, client) -> list:
    """Locks are shown to the agency holding them and to the HMIS Lead: that a client
    asked for a lock is itself sensitive (C10)."""
    locks = client.locks.select_related("agency")
    return locks if viewer.is_admin else locks.filter(agency_id=viewer.agency_id)


# --- Referrals between agencies (issue 21) --------------------------------------------
# Our reading of the C-rules for a referral. A referral tells the receiving agency that
# the client exists and asks it to serve them: it shares the client with that agency, so
# it is made under the referring agency's OWN consent (C12: another agency's consent
# never widens what this one shares), and only when that consent shares at least basic
# identifiers: C2 names referrals among the purposes of "limited" sharing. Refused when
# the referring agency's consent is "no sharing" (C3), expired (C6) or revoked (C9), when
# the record is locked to one agency (C3 locked_record, C10 whole-record lock), and across
# the CoC boundary (C13). Before it answers, the receiving agency sees the referral (the
# Client ID, who referred, when, to which project and the referral's note) and of the
# client exactly what client_access() grants it: basic identifiers under a limited
# consent, the shared record under a full one, nothing more. Once it accepts, it records
# a consent of its own to serve the client (C1, the intake's consent step) before any
# data of its own is entered.
def referral_refusal(client, from_agency, to_project, day: date | None = None) -> str:
    """Why ``from_agency`` may not refer ``client`` to ``to_project`` ("" when it may)."""
    day = day or current_date()
    if to_project.agency_id == from_agency.pk:
        return "Choose a project of another agency: your own agency's projects are entered from the enroll page."
    if to_project.agency.is_victim_service_provider:
        return "Victim service providers do not receive client data through the HMIS (A6)."
    if client.locked_to_agency_id is not None:
        return ("This client's record is locked to one agency (C3, C10): it cannot be shared with another "
                "agency, so it cannot be referred. Refer the client outside the HMIS.")
    if to_project.coc_id not in reach_of(from_agency.pk)[0]:
        return "That project is in a CoC your agency does not share data with (C13)."
    states = [state for state, roi in current_consents(client, day) if roi.agency_id == from_agency.pk]
    if any(state in (FULL, LIMITED) for state in states):
        return ""
    if NONE in states:
        return ("The client chose not to share their information (C3). To refer them, the client must first "
                "give your agency a consent that shares at least basic identifiers (limited or full).")
    return ("Your agency has no consent in force for this client (expired or revoked: C6, C9). Record a new "
            "consent that shares at least basic identifiers (limited or full) before referring.")


def referral_projects(from_agency, day: date | None = None) -> QuerySet:
    """The projects a referral from ``from_agency`` may go to: other agencies' open
    projects in CoCs within its reach (C13), never a victim service provider's (A6)."""
    from agencies.models import Project

    day = day or current_date()
    return (Project.objects.filter(coc_id__in=reach_of(from_agency.pk)[0])
            .exclude(agency=from_agency).exclude(agency__is_victim_service_provider=True)
            .filter(Q(operating_end__isnull=True) | Q(operating_end__gte=day), access_closed_on__isnull=True)
            .select_related("agency").order_by("agency__name", "name"))


def referral_visible(viewer: Viewer, referral) -> bool:
    """A referral is seen by the two agencies it joins and the HMIS Lead; by people who
    open client records only (T3: never reporting-only, researcher or VSP licenses)."""
    if viewer.is_admin:
        return True
    return viewer.may_open_client_data and viewer.agency_id in (referral.from_agency_id, referral.to_agency_id)


def visible_referrals(viewer: Viewer, referrals: QuerySet) -> QuerySet:
    """The SQL answer of referral_visible, for lists."""
    if viewer.is_admin:
        return referrals
    if not viewer.may_open_client_data:
        return referrals.none()
    return referrals.filter(Q(from_agency_id=viewer.agency_id) | Q(to_agency_id=viewer.agency_id))


def referral_stay_visible(viewer: Viewer, referral) -> bool:
    """The stay a referral led to is the receiving agency's record (C12): the referring agency
    learns of it (the history's "stay opened", the link, the notice) only where that agency may
    see the stay under the client's consent with the receiving agency and its project's protection."""
    stay = referral.enrollment
    if stay is None:
        return False
    return record_visible(viewer, stay)


def referrer_viewer(referral) -> Viewer:
    """The referring worker as a viewer at the referring agency (for the notice of an outcome)."""
    license = (License.objects.filter(user_id=referral.referred_by_id, agency_id=referral.from_agency_id)
               .order_by("-pk").first())
    return Viewer(user=referral.referred_by, license=license)
