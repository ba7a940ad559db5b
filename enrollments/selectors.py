"""Reads of project stays, through consent/visibility.py: the serving agency sees its
stays; other agencies see stays only under full sharing, never in a protected
project (A7) and never when the client locked their enrollments (C10)."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from clients.selectors import client_for_viewer
from consent.visibility import Viewer, record_visible, visible_records
from hmis.dates import Urgency
from hmis.models import AuditEntry

from .models import Enrollment


def enrollments_for_client(*, viewer: Viewer, client):
    """The client's stays the viewer may see, newest first: their agency's own, and others'
    under the consent that covered them (C12), never a protected project's (A7) nor locked
    enrollments (C10). One client's stays are few: the one-record answer decides each."""
    stays = Enrollment.objects.filter(client=client).select_related("project", "project__agency", "agency", "consent")
    return [stay for stay in stays if record_visible(viewer, stay, client=client)]


def enrollment_for_viewer(*, viewer: Viewer, enrollment_id: str):
    """The stay and whether the viewer may change it; 404 for what they may not see.
    Opening a stay is a logged read of the client's record."""
    enrollment = Enrollment.objects.select_related("client", "project", "project__coc", "agency", "consent").filter(
        enrollment_id=enrollment_id).first()
    if enrollment is None:
        raise Http404("No such enrollment.")
    client, _ = client_for_viewer(viewer=viewer, client_id=enrollment.client.client_id, log_kind=AuditEntry.AccessKind.VIEW)
    if not record_visible(viewer, enrollment, client=client):
        raise Http404("No such enrollment, or not one you may see.")
    can_edit = viewer.may_enter_client_data and viewer.agency is not None and enrollment.agency_id == viewer.agency.pk
    return enrollment, can_edit


def stay_records(*, viewer: Viewer, enrollment) -> dict:
    """The records of a stay the viewer may see, each under its own consent (C12)."""
    def shown(records):
        return visible_records(viewer, records)

    return {
        "contacts": shown(enrollment.contacts.all())[:50],
        # each with the tool's questions and results (4.19.5, 4.19.6), shown under it
        "ce_assessments": shown(enrollment.ce_assessments.prefetch_related("questions", "results")),
        "ce_events": shown(enrollment.ce_events.all()),
        "assessments": [with_answers_shown(a) for a in shown(enrollment.assessments.select_related("entered_by"))],
        "services": shown(enrollment.services.all())[:60],
        "household": shown(household_stays(enrollment)),
        "partner_answers": partner_answers_shown(viewer, enrollment),
    }


def partner_answers_shown(viewer: Viewer, enrollment) -> list:
    """The federal partners' answers of the stay (and the client's veteran's information,
    where the viewer may see the client's veteran status: C10, C12), element by element:
    [(element name, [(label, answer)])], answered questions only."""
    from consent.visibility import values_not_shown

    from .elements import PARTNER_ELEMENTS
    from .hud_lists import vamc_stations
    from .models import ProgramAnswers, VeteranInformation

    rows = {"stay": ProgramAnswers.objects.filter(enrollment=enrollment).first()}
    if "veteran_status" not in values_not_shown(viewer, enrollment.client):
        rows["veteran"] = VeteranInformation.objects.filter(client_id=enrollment.client_id).first()
    stations = dict(vamc_stations())
    shown = []
    for element in PARTNER_ELEMENTS:
        row = rows.get("veteran" if element.code == "V1" else "stay")
        if row is None:
            continue
        answers = []
        for name in element.questions:
            value = getattr(row, name)
            if value in (None, ""):
                continue
            field = row._meta.get_field(name)
            if name == "vamc_station":
                value = stations.get(value, value)
            elif field.choices:
                value = getattr(row, f"get_{name}_display")()
            answers.append((field.verbose_name[:1].upper() + field.verbose_name[1:], value))
        if answers:
            shown.append((f"{element.name} ({element.code})", answers))
    return shown


def with_answers_shown(assessment):
    """The assessment with ``answers_shown``: each element collected at that stage and
    its answered questions as the page shows them (label, answer), sources with amounts."""
    from .elements import BENEFIT_SOURCES, ELEMENTS, INCOME_SOURCES, INSURANCE_TYPES, collected

    # A source the client does not have (No) is left out: the list names what they have.
    sources = {s for s, *_ in INCOME_SOURCES} | {s for s, *_ in BENEFIT_SOURCES} | {s for s, *_ in INSURANCE_TYPES}
    answers = []
    for element in ELEMENTS:
        if not collected(assessment, element):
            continue
        rows = []
        for name in element.questions:
            value = getattr(assessment, name)
            if value is None or (name in sources and value == 0):
                continue
            field = assessment._meta.get_field(name)
            shown = getattr(assessment, f"get_{name}_display")() if field.choices else value
            rows.append((field.verbose_name[:1].upper() + field.verbose_name[1:], shown))
        answers.append((element.name, rows))
    assessment.answers_shown = answers
    return assessment


def household_stays(enrollment: Enrollment):
    return Enrollment.objects.filter(household_id=enrollment.household_id).select_related("client").order_by(
        "relationship_to_hoh", "pk")


@dataclass(frozen=True)
class WorkItem(Urgency):
    """One line of a home-page work list: what is due, for which clients, by when.
    ``names`` holds the client's name only where consent/visibility.py lets the viewer see
    it (None otherwise), the way the client page decides."""

    clients: tuple  # ((client, name or None), ...)
    due: date
    today: date
    record: object = None
    verb: str = "due"  # "due", "expires"

    @property
    def client(self):
        return self.clients[0][0]

    @property
    def name(self):
        return self.clients[0][1]


def _names_shown(viewer: Viewer | None, clients) -> set:
    """The pks of these clients whose name the viewer may see, in one query: the SQL twin
    of client_access(...).visible (a name is among the basic identifiers, C2)."""
    from clients.models import Client
    from consent.visibility import visible_clients

    pks = {client.pk for client in clients}
    if viewer is None or not pks:
        return set()
    return set(visible_clients(viewer, Client.objects.filter(pk__in=pks)).values_list("pk", flat=True))


def caseload(*, license, today, viewer: Viewer | None = None):
    """The case worker's home page (issue 4 item 6), narrowed to the person's agency
    and, for end users, their assigned projects (T5). Each work list is sorted by urgency
    (most overdue first) and names a client only where ``viewer`` may see the name (C12);
    the query count does not grow with the number of rows."""
    from datetime import timedelta

    from django.utils import timezone

    from agencies.models import License
    from agencies.selectors import projects_for_data_entry
    from clients.models import Client
    from consent.models import Roi
    from hmis import dates

    from .models import Assessment
    from .services import ANNUAL_WINDOW_DAYS, annual_due_window

    projects = projects_for_data_entry(license)
    open_stays = list(
        Enrollment.objects.filter(project__in=projects, exit_date__isnull=True, agency=license.agency)
        .select_related("client", "project", "project__coc")
        .order_by("project__name", "entry_date")
    )
    # Annual assessments (HUD: within 30 days either side of each anniversary of the head's
    # project start): due from the window's start, overdue after its end until one is recorded.
    heads = [stay for stay in open_stays if stay.is_head
             and (today - stay.entry_date).days >= 365 - 2 * ANNUAL_WINDOW_DAYS]
    windows = {stay.pk: annual_due_window(stay.entry_date, today) for stay in heads}
    recorded = {}
    if heads:
        earliest = min(start for start, _ in windows.values())
        for enrollment_id, day in Assessment.objects.filter(
                enrollment__in=[stay.pk for stay in heads], stage=5, information_date__gte=earliest
        ).values_list("enrollment_id", "information_date"):
            recorded.setdefault(enrollment_id, []).append(day)
    annual = []
    for stay in heads:
        start, end = windows[stay.pk]
        if today >= start - timedelta(days=ANNUAL_WINDOW_DAYS) and not any(
                day >= start for day in recorded.get(stay.pk, ())):
            annual.append((stay, start, end))

    # Intakes begun but not finished: clients consented by this person with no stay yet.
    mine = Roi.objects.filter(recorded_by=license.user, agency=license.agency,
                              recorded_at__date__gte=today - timedelta(days=14))
    without_stay = list(
        Client.objects.filter(rois__in=mine).exclude(enrollments__agency=license.agency)
        .distinct().prefetch_related("rois__project__coc")
    )
    first_coc = license.agency.cocs.first() if without_stay else None
    incomplete = []
    for client in without_stay:
        roi = max((r for r in client.rois.all() if r.agency_id == license.agency_id), key=lambda r: r.recorded_at)
        coc = roi.project.coc if roi.project else first_coc
        incomplete.append((client, dates.entry_deadline(roi.signed_on, coc.timeliness_hours)))

    warn_days = max((c.roi_expiry_warning_days for c in license.agency.cocs.all()), default=30)
    expiring = (
        Roi.objects.filter(agency=license.agency, revoked_on__isnull=True,
                           expires_on__range=(today, today + timedelta(days=warn_days)))
        .prefetch_related("clients").order_by("expires_on", "pk")
    )
    if license.role == License.Role.END_USER:
        expiring = expiring.filter(recorded_by=license.user)
    expiring = list(expiring)
    late = list(Enrollment.objects.filter(agency=license.agency, entered_by=license.user, entered_late=True)
                .select_related("client", "project", "project__coc").order_by("-entered_at")[:20])

    everyone = [s.client for s in open_stays] + [c for c, _ in incomplete] + [s.client for s in late]
    everyone += [c for roi in expiring for c in roi.clients.all()]
    shown = _names_shown(viewer, everyone)

    def named(*clients):
        return tuple((c, c.full_name if c.pk in shown else None) for c in clients)

    def last_day(deadline):  # D1: the deadline is the end of the day D + 3, so that is the day due
        return timezone.localdate(deadline - timedelta(microseconds=1))

    def late_by(stay):
        deadline = dates.entry_deadline(stay.information_date, stay.project.coc.timeliness_hours)
        return WorkItem(named(stay.client), due=last_day(deadline), record=stay,
                        today=timezone.localdate(stay.entered_at))

    return {
        "open_stays": [(stay, named(stay.client)[0][1]) for stay in open_stays],
        "annual_due": sorted((WorkItem(named(stay.client), due=end, today=today, record=(stay, start, end))
                              for stay, start, end in annual), key=lambda item: item.due),
        "incomplete": sorted((WorkItem(named(client), due=last_day(deadline), today=today, record=deadline)
                              for client, deadline in incomplete), key=lambda item: (item.record, item.client.pk)),
        "expiring": [WorkItem(named(*roi.clients.all()), due=roi.expires_on, today=today, record=roi, verb="expires")
                     for roi in expiring if roi.clients.all()],
        "late": sorted((late_by(stay) for stay in late), key=lambda item: -item.days_overdue),
    }


def household_for_enrollment(*, viewer: Viewer, client, client_access):
    """The client's household as the enrollment form offers it: (members the viewer's
    agency may enroll, the head of household first; the head's pk as intake recorded it,
    or None; members the viewer sees but whose consent does not cover them at this agency).
    Only members the viewer may see (C12), through clients.selectors.household_of."""
    from clients.models import HouseholdMember
    from clients.selectors import household_of, summarize

    everyone = [summarize(viewer, client, client_access), *household_of(viewer=viewer, client=client)]
    # The newest household the client belongs to decides who is head (a person linked
    # from an older household may have headed that one).
    head_pk = (HouseholdMember.objects.filter(household__members__client=client, is_head=True,
                                              client_id__in=[m.pk for m in everyone])
               .order_by("-household__created_at", "-household_id").values_list("client_id", flat=True).first())
    # The client whose page this is stays in, as before: the service says if consent is missing.
    enrollable = [m for m in everyone if m.serves or m.pk == client.pk]
    members = sorted(enrollable, key=lambda m: m.pk != head_pk)
    return members, head_pk, [m for m in everyone if m not in enrollable]
