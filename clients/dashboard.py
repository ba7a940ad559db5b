"""The client's page as a dashboard (issue 21): who the client is, their household with
relationships and ages, current and past stays with the case manager, the last contact,
flags, the consent in plain words, the next due dates and the one primary action that
fits the client's state.

A selector: everything here is read through consent/visibility.py, record by record
(C12). It never shows more than the page showed before: household members' names and
ages only where the viewer may see that member's identifiers, stays and contacts only
where the record is shared, consents only those the page lists. Its query count does not
grow with the number of stays, household members or contacts."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Value, prefetch_related_objects
from django.utils import timezone

from consent.models import SharingLevel
from consent.visibility import (
    ClientAccess,
    Viewer,
    client_access,
    current_consents,
    record_visible,
    values_not_shown,
    visible_notes,
    visible_records,
)
from hmis import dates

from .models import CaseNote, Client, ClientGroupObjectPermission, HouseholdMember
from .selectors import with_consents

# What the primary action is, by the client's state at the viewer's agency.
ENROLL, FINISH, ANNUAL, EXIT = "enroll", "finish", "annual", "exit"


@dataclass
class HouseholdRow:
    client_id: str
    display_id: str
    name: str | None  # None where the viewer may not see the member's identifiers (C2, C12)
    age: int | None
    relationship: str


@dataclass
class Contact:
    day: date
    what: str  # "Service", "Contact (4.12)", "Case note", "Assessment"
    where: str  # the project, or "" for a note on the client


@dataclass
class Due(dates.Urgency):
    """A next due date, shown with the urgency tag of the work lists (hmis/_urgency.html)."""

    what: str
    due: date
    today: date
    verb: str = "due"
    url: str = ""
    flag: bool = False  # within its warning window or overdue: also listed among the flags


@dataclass
class Action:
    state: str
    label: str
    url: str
    stay: object = None


@dataclass
class Dashboard:
    age: int | None
    household: list = field(default_factory=list)
    current_stays: list = field(default_factory=list)
    past_stays: list = field(default_factory=list)
    last_contact: Contact | None = None
    flags: list = field(default_factory=list)  # [(text, Due or None)]
    consent_words: list = field(default_factory=list)
    due: list = field(default_factory=list)
    primary: Action | None = None


def age_on(dob: date | None, day: date) -> int | None:
    from enrollments.validation import age_on as hud_age

    return hud_age(dob, day)


def client_dashboard(*, viewer: Viewer, client: Client, access: ClientAccess, stays=None, rois=None,
                     today: date | None = None) -> Dashboard:
    """The dashboard of ``client`` as ``viewer`` may see it. ``stays`` and ``rois`` are the
    page's already visible stays and consents (clients.selectors.client_record); a viewer
    with basic identifiers only (C2 limited) gets the age alone."""
    today = today or dates.today()
    board = Dashboard(age=age_on(client.dob, today))
    if not access.full:  # C2 limited: the identifiers alone, as before (no household, stays or consents)
        return board
    board.household = household_rows(viewer=viewer, client=client, stays=stays or [], today=today)
    stays = list(stays or [])
    prefetch_related_objects(stays, "case_manager")  # one query for every stay
    for stay in stays:
        stay.client = client  # the page's client: read once (data quality reads it below)
        stay.case_manager_label = stay.case_manager.display_name if stay.case_manager else "Not assigned"
    board.current_stays = [s for s in stays if s.exit_date is None]
    board.past_stays = [s for s in stays if s.exit_date is not None]
    board.last_contact = last_contact(viewer=viewer, client=client)
    board.consent_words = consent_in_plain_words(viewer=viewer, client=client, rois=rois or [], today=today)

    own_agency = viewer.agency_id
    own_open = [s for s in board.current_stays if own_agency is not None and s.agency_id == own_agency]
    annual = annual_due(board.current_stays, today, own_agency=own_agency)
    intake = intake_to_finish(viewer=viewer, client=client, today=today)
    expiry = consent_expiry(viewer=viewer, client=client, rois=rois or [], today=today)

    board.due = sorted([*intake, *annual.values(), *expiry], key=lambda d: d.due)
    board.flags = [(d.what, d) for d in board.due if d.flag]
    for text in missing_data(own_open, hidden=frozenset(values_not_shown(viewer, client))):
        board.flags.append((text, None))
    board.primary = primary_action(access=access, client=client, own_open=own_open, annual=annual, intake=intake)
    return board


# --- Household ------------------------------------------------------------------------
def _with_serves(viewer: Viewer, clients):
    """The clients with what client_access() reads, and ``viewer_serves`` decided in the same
    query (consent/visibility.py reads the annotation instead of one query per client)."""
    clients = with_consents(clients)
    if viewer.agency is None:
        return clients.annotate(viewer_serves=Value(False))
    grants = ClientGroupObjectPermission.objects.filter(content_object=OuterRef("pk"), group_id=viewer.agency.group_id)
    return clients.annotate(viewer_serves=Exists(grants))


def household_rows(*, viewer: Viewer, client: Client, stays, today: date) -> list[HouseholdRow]:
    """The people the client lives with: the members of the household of the client's
    newest visible stay (3.15 relationship from each member's stay, where that stay is
    shared), and the household the intake recorded (C1, shared by the intake's consent).
    Names and ages only where the viewer may see the member's identifiers."""
    from enrollments.models import Enrollment

    relationships: dict[int, str] = {}
    stay = next((s for s in stays if s.exit_date is None), stays[0] if stays else None)
    if stay is not None:
        member_stays = visible_records(viewer, Enrollment.objects.filter(household_id=stay.household_id)
                                       .exclude(client_id=client.pk)
                                       .order_by(F("exit_date").asc(nulls_first=True), "-entry_date"))
        for member_stay in member_stays:
            if member_stay.client_id not in relationships:
                relationships[member_stay.client_id] = member_stay.get_relationship_to_hoh_display() or "Not recorded"
    stay_members = set(relationships)
    memberships = list(HouseholdMember.objects.filter(household__members__client=client).exclude(client=client)
                       .select_related("household__consent__project"))
    for membership in memberships:
        if membership.client_id in relationships:
            continue
        if record_visible(viewer, membership.household, client=client):
            relationships[membership.client_id] = "Head of household" if membership.is_head else "Household member"
    if not relationships:
        return []
    rows = []
    for other in _with_serves(viewer, Client.objects.filter(pk__in=relationships)):
        if client_access(viewer, other).visible:
            rows.append(HouseholdRow(other.client_id, other.display_id, other.full_name, age_on(other.dob, today),
                                     relationships[other.pk]))
        elif other.pk in stay_members:
            # a member of a shared stay whose identifiers are not shared: the HMIS Client ID only,
            # as the stay's own page shows them (enrollments/households.py)
            rows.append(HouseholdRow(other.client_id, other.display_id, None, None, relationships[other.pk]))
    rows.sort(key=lambda r: (r.relationship != "Self (head of household)", r.relationship != "Head of household",
                             -(r.age or 0)))
    return rows


# --- Last contact ---------------------------------------------------------------------
def last_contact(*, viewer: Viewer, client: Client) -> Contact | None:
    """The latest of the client's services, current living situation contacts (4.12), case
    notes and assessments that the viewer may see: one query each."""
    from enrollments.models import Assessment, CurrentLivingSituation, Service

    found = []
    newest = {
        "Service": (Service, "date_provided"),
        "Contact (4.12)": (CurrentLivingSituation, "information_date"),
        "Assessment": (Assessment, "information_date"),
    }
    for what, (model, day) in newest.items():
        row = (visible_records(viewer, model.objects.filter(enrollment__client=client))
               .order_by(f"-{day}", "-pk").values_list(day, "enrollment__project__name").first())
        if row:
            found.append(Contact(row[0], what, row[1]))
    note = (visible_notes(viewer, CaseNote.objects.filter(client=client))
            .order_by("-note_date", "-pk").values_list("note_date", "enrollment__project__name").first())
    if note:
        found.append(Contact(note[0], "Case note", note[1] or ""))
    return max(found, key=lambda c: c.day) if found else None


# --- Consent in plain words -----------------------------------------------------------
def consent_in_plain_words(*, viewer: Viewer, client: Client, rois, today: date) -> list[str]:
    """Each consent in force (or the newest of an agency, once ended) that the page lists,
    said the way a case worker explains it to the client."""
    shown = {roi.pk: roi for roi in rois}
    words = []
    for state, in_force in current_consents(client, today):
        roi = shown.get(in_force.pk)
        if roi is None:
            continue
        who = roi.agency.name + (f" ({roi.project.name})" if roi.project_id else "")
        how = f"{roi.get_consent_type_display().lower()} consent given to {who} on {roi.signed_on:%m/%d/%Y}"
        if roi.revoked_on and roi.revoked_on <= today:
            words.append(f"Revoked on {roi.revoked_on:%m/%d/%Y}: nothing of what {who} records is shared with "
                         f"other agencies any more ({how}).")
        elif roi.expires_on < today:
            words.append(f"Expired on {roi.expires_on:%m/%d/%Y}: {who} may not enter new data until the client "
                         f"gives a new consent ({how}).")
        elif state is None:
            continue  # signed for a later day
        elif roi.sharing_level == SharingLevel.FULL:
            words.append(f"Shares their record with the participating agencies of the CoC until "
                         f"{roi.expires_on:%m/%d/%Y}, except locked parts and protected projects ({how}).")
        elif roi.sharing_level == SharingLevel.LIMITED:
            words.append(f"Shares only name, date of birth, the last 4 of the SSN and the HMIS Client ID with other "
                         f"agencies until {roi.expires_on:%m/%d/%Y}; what {who} records stays with {who} ({how}).")
        else:
            words.append(f"Shares nothing with other agencies: the record stays with {who} ({how}).")
    return words


def _warning_days(viewer: Viewer) -> int:
    if viewer.agency is None:
        return 30
    return max((c.roi_expiry_warning_days for c in viewer.agency.cocs.all()), default=30)


def consent_expiry(*, viewer: Viewer, client: Client, rois, today: date) -> list[Due]:
    """The viewer's agency's consent for the client: when it expires (a flag within the
    CoC's roi_expiry_warning_days, or once expired: C6)."""
    own = viewer.agency_id
    if own is None:
        return []
    shown = {roi.pk for roi in rois}
    ours = [roi for _, roi in current_consents(client, today) if roi.agency_id == own and roi.pk in shown
            and not (roi.revoked_on and roi.revoked_on <= today) and roi.signed_on <= today]
    if not ours:
        return []
    warn = _warning_days(viewer)
    roi = max(ours, key=lambda r: r.expires_on)
    expired = roi.expires_on < today
    return [Due("Consent expired" if expired else "Consent expires", roi.expires_on, today,
                verb="expires", flag=expired or roi.expires_on <= today + timedelta(days=warn))]


# --- Due dates of stays ---------------------------------------------------------------
def annual_due(open_stays, today: date, own_agency=None) -> dict:
    """stay pk -> Due of its annual assessment: within 30 days either side of each
    anniversary of the head of household's project start (enrollments.services
    .annual_due_window, as the home page counts it); flagged, for the stays of the viewer's
    own agency, from 30 days before the window opens until one is recorded. Two queries for
    any number of stays."""
    from django.urls import reverse

    from enrollments.hud_lists import DataCollectionStage, RelationshipToHoH
    from enrollments.models import Assessment, Enrollment
    from enrollments.services import ANNUAL_WINDOW_DAYS, annual_due_window

    if not open_stays:
        return {}
    heads = dict(Enrollment.objects.filter(household_id__in={s.household_id for s in open_stays},
                                           relationship_to_hoh=RelationshipToHoH.SELF, exit_date__isnull=True)
                 .values_list("household_id", "entry_date"))
    recorded = {}
    for enrollment_id, day in Assessment.objects.filter(
            enrollment__in=[s.pk for s in open_stays], stage=DataCollectionStage.ANNUAL
    ).values_list("enrollment_id", "information_date"):
        recorded.setdefault(enrollment_id, []).append(day)
    found = {}
    for stay in open_stays:
        head_entry = heads.get(stay.household_id, stay.entry_date)
        start, end = annual_due_window(head_entry, today)
        if any(day >= start for day in recorded.get(stay.pk, ())):  # this year's is done: the next one
            start, end = annual_due_window(head_entry, end + timedelta(days=365))
        own = own_agency is not None and stay.agency_id == own_agency
        flag = own and today >= start - timedelta(days=ANNUAL_WINDOW_DAYS)
        url = reverse("enrollments:assessment_new", args=[stay.enrollment_id]) if own else ""
        found[stay.pk] = Due(f"Annual assessment, {stay.project.name} (between {start:%m/%d/%Y} and {end:%m/%d/%Y})",
                             end, today, flag=flag, url=url)
    return found


def intake_to_finish(*, viewer: Viewer, client: Client, today: date) -> list[Due]:
    """An intake begun at the viewer's agency (its consent in force) with no stay there yet:
    the stay is due within the CoC's timeliness window of the consent's date (D1), as the
    home page's "Intakes to finish" counts it."""
    agency_id = viewer.agency_id
    if agency_id is None or any(stay.agency_id == agency_id for stay in client.enrollments.all()):
        return []
    ours = [roi for state, roi in current_consents(client, today) if roi.agency_id == agency_id and state is not None]
    if not ours:
        return []
    roi = max(ours, key=lambda r: (r.signed_on, r.recorded_at))
    coc = roi.project.coc if roi.project_id else viewer.agency.cocs.first()
    if coc is None:
        return []
    deadline = dates.entry_deadline(roi.signed_on, coc.timeliness_hours)
    day = timezone.localdate(deadline - timedelta(microseconds=1))
    return [Due("Intake to finish: enroll in a project", day, today, flag=True)]


def missing_data(own_open_stays, hidden=frozenset()) -> list[str]:
    """Required data not answered on the viewer's agency's open stays: the data quality
    report's completeness check (reports/dataquality.py, D2, D4), leaving out the client's
    values the viewer may not see (``hidden``)."""
    from enrollments.hud_lists import DataCollectionStage
    from enrollments.models import Assessment
    from reports.dataquality import problems_of

    if not own_open_stays:
        return []
    starts = {}
    for assessment in Assessment.objects.filter(enrollment__in=[s.pk for s in own_open_stays],
                                                stage=DataCollectionStage.PROJECT_START).order_by("information_date", "pk"):
        starts.setdefault(assessment.enrollment_id, assessment)
    texts = []
    for stay in own_open_stays:
        for part, problem in problems_of(stay, starts.get(stay.pk), hidden=hidden):
            if part == "completeness":
                texts.append(f"{stay.project.name}: {problem[:1].lower()}{problem[1:]}")
    return texts


# --- The primary action ---------------------------------------------------------------
def primary_action(*, access: ClientAccess, client: Client, own_open, annual: dict, intake: list) -> Action | None:
    """The one filled button: enroll (no open stay at the viewer's agency), finish the intake
    (consent recorded, no stay yet), the annual assessment when due, else the exit."""
    from django.urls import reverse

    if not access.can_edit:
        return None
    enroll_url = reverse("enrollments:enroll", args=[client.client_id])
    if intake:
        return Action(FINISH, "Enroll in a project", enroll_url)
    if not own_open:
        return Action(ENROLL, "Enroll in a project", enroll_url)
    for stay in own_open:
        due = annual.get(stay.pk)
        if due is not None and due.flag:
            return Action(ANNUAL, f"Record the annual assessment ({stay.project.name})", due.url, stay)
    stay = own_open[0]
    return Action(EXIT, f"Exit from {stay.project.name}", reverse("enrollments:exit", args=[stay.enrollment_id]), stay)
