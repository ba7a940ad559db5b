"""Writes of project stays. Only inside an active ROI (C6), never in a victim service
provider's project (A6), end users only in their assigned projects (T5)."""

from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies.models import License, Project
from agencies.selectors import projects_for_data_entry
from consent import services as consent_services
from hmis import dates
from hmis.errors import PolicyError

from .elements import ALL_QUESTIONS, elements_for, is_adult_or_head, questions_for
from .hud_lists import OTHER_DESTINATION, RENTAL_WITH_SUBSIDY, DataCollectionStage, RelationshipToHoH
from .models import Assessment, Enrollment, Service, new_record_id
from .validation import PRIOR_LIVING_FIELDS, age_on, prior_living_answers

# Every question of the assessment elements (enrollments/elements.py).
ASSESSMENT_FIELDS = list(ALL_QUESTIONS)
ANNUAL_WINDOW_DAYS = 30


class ConcurrentEdit(PolicyError):
    """Someone saved the enrollment after this person opened it (optimistic locking)."""

    def __init__(self, current: Enrollment):
        self.current = current
        super().__init__(
            "Someone else saved this enrollment while you were editing it. Their version is shown beside "
            "your changes, which are kept in the form: check both, then save again."
        )


def _check_project(license: License, project: Project) -> None:
    if license.agency.is_victim_service_provider:
        raise PolicyError("Victim service providers do not enter client data into the HMIS (VAWA).", rule="A6")
    if not projects_for_data_entry(license).filter(pk=project.pk).exists():
        raise PolicyError("You can enter data only in the open projects assigned to you.", rule="T5", field="project")


def _stamp(record, *, actor, license, information_date: date, coc) -> None:
    """D1: record who entered it, and flag it when entered after the CoC's deadline;
    C12: and under which consent."""
    if information_date > dates.today():
        raise PolicyError("The information date cannot be in the future.", rule="D1", field="information_date")
    record.information_date = information_date
    record.entered_by = actor
    record.agency = license.agency
    # C12: the record is shared by the consent that covered its date (None in an approved gap).
    stay = record if isinstance(record, Enrollment) else record.enrollment
    record.consent = consent_services.roi_covering(client=stay.client, agency=license.agency, day=information_date,
                                                   project=stay.project)
    record.entered_late = dates.is_late(information_date, timezone.now(), coc.timeliness_hours)


def _check_required(project, fields: dict, names) -> None:
    """D2: every element the project requires must be answered; a refusal is an answer (D3)."""
    from agencies.requirements import required_fields

    missing = sorted(name for name in set(names) & required_fields(project) if fields.get(name) in (None, ""))
    if missing:
        raise ValidationError({name: ["Required in this project: answer, or choose why it was not collected."]
                               for name in missing})


def assessment_answers(*, enrollment, stage, information_date, fields, check=True) -> dict:
    """H1: the answers to record at this stage for this person. Only the elements HUD asks
    at this collection point of this person (enrollments/elements.py) that the project
    collects (D2) are kept; the rest stay null, "not asked", and make no HMIS CSV row.
    Dependent questions are checked per HUD (validation.assessment_errors) and, with
    ``check``, the project's required elements must be answered (D2; 8/9/99 count, D3)."""
    from .validation import assessment_errors

    elements = elements_for(stage=stage, adult_or_head=is_adult_or_head(enrollment, information_date),
                            project=enrollment.project)
    questions = questions_for(elements)
    answers = {name: fields.get(name) for name in questions}
    errors = assessment_errors(answers, questions)
    if check:
        roots = [name for element in elements for name in element.asks
                 if element.code != "W4-W6" or answers.get("hiv_aids") == 1]  # W4–W6 only follow HIV/AIDS "Yes"
        try:
            _check_required(enrollment.project, answers, roots)
        except ValidationError as missing:
            errors = {name: messages[0] for name, messages in missing.message_dict.items()} | errors
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    return {name: ("" if value is None and name.endswith("_identify") else value) for name, value in answers.items()}


def _assessment(*, enrollment, stage, actor, license, information_date, fields, check=True) -> Assessment:
    answers = assessment_answers(enrollment=enrollment, stage=stage, information_date=information_date,
                                 fields=fields, check=check)
    assessment = Assessment(enrollment=enrollment, stage=stage, **answers)
    _stamp(assessment, actor=actor, license=license, information_date=information_date, coc=enrollment.project.coc)
    assessment.save()
    return assessment


@transaction.atomic
def enroll_household(*, actor, license: License, project: Project, entry_date: date, members, information_date=None,
                     **fields) -> list[Enrollment]:
    """Households enroll together. ``members`` is a list of (client, relationship to
    the head); the entry questions in ``fields`` are the head's answers."""
    _check_project(license, project)
    information_date = information_date or entry_date
    errors = {}
    if entry_date > dates.today():
        errors["entry_date"] = "The project start date cannot be in the future."
    elif entry_date < project.operating_start or (project.operating_end and entry_date > project.operating_end):
        errors["entry_date"] = "The project was not operating on that date."
    heads = [c for c, rel in members if rel == RelationshipToHoH.SELF]
    if len(heads) != 1:
        errors["members"] = "Choose exactly one head of household."
    # 3.917 is the head's here (asked of heads and adults: other adults answer on their own stay).
    prior_answers, prior_errors = prior_living_answers(project.project_type, fields | {"entry_date": entry_date})
    errors |= prior_errors
    # H1: the head's project-start answers are checked before anyone is enrolled, so every
    # problem shows at once (the head is always asked: heads and adults, or all clients).
    try:
        assessment_answers(enrollment=Enrollment(project=project, relationship_to_hoh=RelationshipToHoH.SELF,
                                                 entry_date=entry_date),
                           stage=DataCollectionStage.PROJECT_START, information_date=information_date, fields=fields)
    except ValidationError as refusal:
        errors = {name: messages[0] for name, messages in refusal.message_dict.items()} | errors
    head_partner = ({}, {})
    if len(heads) == 1:  # and the federal partners' start elements the project collects (D2)
        try:
            head_partner = partner_answers(
                enrollment=Enrollment(project=project, client=heads[0], relationship_to_hoh=RelationshipToHoH.SELF,
                                      entry_date=entry_date),
                stage=DataCollectionStage.PROJECT_START, day=information_date, fields=fields)
        except ValidationError as refusal:
            errors = {name: messages[0] for name, messages in refusal.message_dict.items()} | errors
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    _check_required(project, fields, ["date_of_engagement"])

    household_id = new_record_id()
    enrollments = []
    for client, relationship in members:
        consent_services.ensure_entry_allowed(client=client, agency=license.agency, day=entry_date, project=project)
        age = age_on(client.dob, entry_date)
        if client.dob and entry_date < client.dob:
            raise PolicyError(f"Client {client.display_id} was not yet born on the project start date.", field="entry_date")
        if age is not None and age > 120:
            raise PolicyError(f"Client {client.display_id} would be {age} at entry: check the date of birth.", field="entry_date")
        if relationship == RelationshipToHoH.SELF and age is not None and age < 12:
            raise PolicyError(f"Client {client.display_id} is {age}: a head of household that young is not plausible.",
                              field="members")
        overlapping = Enrollment.objects.filter(client=client, project=project).filter(
            Q(exit_date__isnull=True) | Q(exit_date__gt=entry_date))
        if overlapping.exists():
            raise PolicyError(f"Client {client.display_id} already has a stay in {project.name} on that date.",
                              field="entry_date")
        is_head = relationship == RelationshipToHoH.SELF
        enrollment = Enrollment(
            client=client, project=project, household_id=household_id, relationship_to_hoh=relationship,
            enrollment_coc=enrollment_coc_for(project), entry_date=entry_date,
            **(prior_answers if is_head else {}),
            disabling_condition=_answer_or_not_collected(fields.get("disabling_condition")) if is_head else 99,
            date_of_engagement=fields.get("date_of_engagement") if is_head else None,
        )
        _stamp(enrollment, actor=actor, license=license, information_date=information_date, coc=project.coc)
        enrollment.save()
        # Other members' answers are collected on their own stays (checked for the head).
        _assessment(enrollment=enrollment, stage=DataCollectionStage.PROJECT_START, actor=actor, license=license,
                    information_date=information_date, fields=fields if is_head else {}, check=is_head)
        if is_head:
            _record_partner_answers(enrollment=enrollment, stay_answers=head_partner[0], veteran=head_partner[1],
                                    actor=actor)
        enrollments.append(enrollment)
    return enrollments


def _answer_or_not_collected(value) -> int:
    return 99 if value in (None, "") else value


PRIOR_FIELDS = PRIOR_LIVING_FIELDS


def enrollment_coc_for(project: Project) -> str:
    """3.16: the CoC the household is served in, one the project operates in (HMIS CSV:
    EnrollmentCoC must match a ProjectCoC row of the project). The project's own CoC,
    unless its CoC information (2.03) names only another one."""
    codes = set(project.coc_rows.values_list("coc_code", flat=True)) if hasattr(project, "coc_rows") else set()
    if codes and project.coc.code not in codes and len(codes) == 1:
        return codes.pop()
    return project.coc.code


def _require_served(license: License, enrollment: Enrollment) -> None:
    if enrollment.agency_id != license.agency_id:
        raise PolicyError("Only the agency that enrolled the client records its stay.", rule="T5")
    _check_project(license, enrollment.project)


def annual_due_window(head_entry: date, on: date) -> tuple[date, date] | None:
    """The annual assessment is due within 30 days either side of each anniversary of
    the head of household's project start."""
    years = max(1, round((on - head_entry).days / 365.25))
    anniversary = dates.add_months(head_entry, 12 * years)
    return anniversary - timedelta(days=ANNUAL_WINDOW_DAYS), anniversary + timedelta(days=ANNUAL_WINDOW_DAYS)


@transaction.atomic
def record_assessment(*, actor, license: License, enrollment: Enrollment, stage: int, information_date: date,
                      **fields) -> Assessment:
    _require_served(license, enrollment)
    consent_services.ensure_entry_allowed(client=enrollment.client, agency=license.agency, day=information_date,
                                          project=enrollment.project)
    if information_date < enrollment.entry_date or (enrollment.exit_date and information_date > enrollment.exit_date):
        raise PolicyError("The information date must fall within the stay.", field="information_date")
    if stage == DataCollectionStage.ANNUAL:
        head = Enrollment.objects.filter(household_id=enrollment.household_id, relationship_to_hoh=1).first() or enrollment
        start, end = annual_due_window(head.entry_date, information_date)
        if not start <= information_date <= end:
            raise PolicyError(
                f"An annual assessment is due between {start:%m/%d/%Y} and {end:%m/%d/%Y} (30 days either side of "
                "the head of household's anniversary). Record an update instead.", field="information_date")
    if stage in (DataCollectionStage.PROJECT_START, DataCollectionStage.PROJECT_EXIT):
        raise PolicyError("Project start and exit data are recorded with the entry and the exit.")
    return _assessment(enrollment=enrollment, stage=stage, actor=actor, license=license,
                       information_date=information_date, fields=fields)


@transaction.atomic
def record_member_start(*, actor, license: License, enrollment: Enrollment, **fields) -> Assessment:
    """The project-start answers of a household member other than the head, entered on
    their own stay after the household enrolled together (same information date)."""
    return record_member_answers(actor=actor, license=license, enrollment=enrollment,
                                 stage=DataCollectionStage.PROJECT_START, **fields)


def record_member_answers(*, actor, license: License, enrollment: Enrollment, stage: int, **fields) -> Assessment:
    """A household member's own answers at project start or exit (H1: HUD asks each
    member, not only the head). The household's start or exit made the member's record
    on its date; the answers are entered on the member's own stay afterwards."""
    _require_served(license, enrollment)
    record = enrollment.assessments.filter(stage=stage).order_by("-information_date", "-pk").first()
    if record is None:
        label = "project-start" if stage == DataCollectionStage.PROJECT_START else "exit"
        raise PolicyError(f"This stay has no {label} record.")
    answers, partner_errors = {}, {}
    try:
        answers = assessment_answers(enrollment=enrollment, stage=stage,
                                     information_date=record.information_date, fields=fields)
    except ValidationError as refusal:
        partner_errors = {name: messages[0] for name, messages in refusal.message_dict.items()}
    try:  # the federal partners' elements of this stage, checked with the rest (every problem at once)
        stay_answers, veteran = partner_answers(enrollment=enrollment, stage=stage, day=record.information_date,
                                                fields=fields)
    except ValidationError as refusal:
        partner_errors |= {name: messages[0] for name, messages in refusal.message_dict.items()}
    if partner_errors:
        raise ValidationError({name: [message] for name, message in partner_errors.items()})
    _record_partner_answers(enrollment=enrollment, stay_answers=stay_answers, veteran=veteran, actor=actor)
    for name, value in answers.items():
        setattr(record, name, value)
    record.entered_by, record.agency = actor, license.agency
    record.entered_late = dates.is_late(record.information_date, timezone.now(), enrollment.project.coc.timeliness_hours)
    record.save()
    return record


@transaction.atomic
def exit_household(*, actor, license: License, enrollment: Enrollment, exit_date: date, destination: int,
                   version: int, destination_subsidy_type: int | None = None, other_destination: str = "",
                   **fields) -> list[Enrollment]:
    """Exit every open stay of the household on the same date (3.11, 3.12)."""
    _require_served(license, enrollment)
    destination_errors = destination_answer_errors(destination, destination_subsidy_type, other_destination)
    if destination_errors:
        raise ValidationError({k: [v] for k, v in destination_errors.items()})
    members = list(Enrollment.objects.select_for_update().filter(household_id=enrollment.household_id, exit_date__isnull=True))
    if enrollment.version != version or not any(m.pk == enrollment.pk for m in members):
        raise ConcurrentEdit(Enrollment.objects.get(pk=enrollment.pk))
    if exit_date > dates.today():
        raise PolicyError("The exit date cannot be in the future.", field="exit_date")
    # The federal partners' exit elements of the member whose page this is (W5, R15–R20, V9);
    # the others answer on their own stay ("Exit answers of this member").
    stay_answers, _ = partner_answers(enrollment=enrollment, stage=DataCollectionStage.PROJECT_EXIT, day=exit_date,
                                      fields=fields, exit_date=exit_date)
    for member in members:
        if exit_date < member.entry_date:
            raise PolicyError("The exit date cannot be before the project start date.", field="exit_date")
        if member.move_in_date and exit_date < member.move_in_date:
            raise PolicyError("The exit date cannot be before the housing move-in date (3.20).", field="exit_date")
        consent_services.ensure_entry_allowed(client=member.client, agency=license.agency, day=exit_date,
                                              project=member.project)
    entered = timezone.now()  # the exit record's own DateCreated (HUD's exit timeliness counts from it)
    for member in members:
        Enrollment.objects.filter(pk=member.pk).update(
            exit_date=exit_date, destination=destination, destination_subsidy_type=destination_subsidy_type,
            other_destination=(other_destination or "").strip(), version=F("version") + 1,
            exit_entered_at=entered, exit_updated_at=entered, updated_at=entered)
        member.exit_date = exit_date
        _assessment(enrollment=member, stage=DataCollectionStage.PROJECT_EXIT, actor=actor, license=license,
                    information_date=exit_date, fields=fields if member.pk == enrollment.pk else {},
                    check=member.pk == enrollment.pk)
        if member.pk == enrollment.pk:
            _record_partner_answers(enrollment=member, stay_answers=stay_answers, veteran={}, actor=actor)
    return members


def asks_prior_living(enrollment: Enrollment) -> bool:
    """3.917 "Subjects": the head of household and every adult (18 or older at project
    start; an unknown age is asked, as HUD treats it like an adult's): the same subjects as
    the assessment elements' "head of household and adults", on the start date."""
    return is_adult_or_head(enrollment, enrollment.entry_date)


def move_in_date_error(enrollment: Enrollment, move_in: date | None) -> str | None:
    """3.20 Housing Move-In Date: permanent housing projects (PSH, PH housing only, PH
    with services, RRH), the head of household only, on or after the project start and
    not after the exit (nor in the future)."""
    if move_in is None:
        return None
    from agencies.hud_lists import PERMANENT_HOUSING_TYPES

    if enrollment.project.project_type not in PERMANENT_HOUSING_TYPES:
        return "A housing move-in date applies to permanent housing projects only."
    if not enrollment.is_head:
        return "The housing move-in date is recorded for the head of household only."
    if move_in < enrollment.entry_date:
        return "The move-in date cannot be before the project start date."
    if enrollment.exit_date and move_in > enrollment.exit_date:
        return "The move-in date cannot be after the project exit date."
    if move_in > dates.today():
        return "The move-in date cannot be in the future."
    return None


def destination_answer_errors(destination, subsidy_type, other_destination) -> dict[str, str]:
    """3.12.A is asked only after 435 "Rental by client, with ongoing housing subsidy",
    and must then be answered; 3.12.B, the text, only after 17 "Other". An answer to a
    question that was not asked is refused, not dropped: it says the person meant
    another destination."""
    errors = {}
    if destination == RENTAL_WITH_SUBSIDY and subsidy_type is None:
        errors["destination_subsidy_type"] = "Choose the type of the ongoing housing subsidy."
    elif destination != RENTAL_WITH_SUBSIDY and subsidy_type is not None:
        errors["destination_subsidy_type"] = ("A subsidy type is recorded only for “Rental by client, with ongoing "
                                              "housing subsidy”: clear it, or choose that destination.")
    text = (other_destination or "").strip()
    if destination == OTHER_DESTINATION and not text:
        errors["other_destination"] = "Say what the other destination is."
    elif destination != OTHER_DESTINATION and text:
        errors["other_destination"] = "Describe the destination only when it is “Other”: clear the text, or choose Other."
    return errors


@transaction.atomic
def enrollment_update(*, actor, license: License, enrollment: Enrollment, version: int, **fields) -> Enrollment:
    """Change entry answers or the move-in date. Two people cannot silently overwrite
    each other: the save names the version it started from."""
    _require_served(license, enrollment)
    data = {k: fields.get(k, getattr(enrollment, k)) for k in [*PRIOR_FIELDS, "disabling_condition",
                                                                 "move_in_date", "date_of_engagement"]}
    errors = {}
    if asks_prior_living(enrollment):
        prior_answers, errors = prior_living_answers(enrollment.project.project_type,
                                                     data | {"entry_date": enrollment.entry_date})
        data |= prior_answers
    else:  # 3.917 is not asked of children in the household
        data |= dict.fromkeys(PRIOR_FIELDS)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    move_in_error = move_in_date_error(enrollment, data.get("move_in_date"))
    if move_in_error:
        raise PolicyError(move_in_error, field="move_in_date")
    updated = Enrollment.objects.filter(pk=enrollment.pk, version=version).update(**data, version=F("version") + 1)
    if not updated:
        raise ConcurrentEdit(Enrollment.objects.get(pk=enrollment.pk))
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def record_service(*, actor, license: License, enrollment: Enrollment, date_provided: date,
                   record_type: int = 200, type_provided: int = 200) -> Service:
    """A service or a bed night (4.14), on a date within the stay."""
    _require_served(license, enrollment)
    if date_provided < enrollment.entry_date or (enrollment.exit_date and date_provided > enrollment.exit_date):
        raise PolicyError("The service date must fall within the stay.", field="date_provided")
    consent_services.ensure_entry_allowed(client=enrollment.client, agency=license.agency, day=date_provided,
                                          project=enrollment.project)
    if Service.objects.filter(enrollment=enrollment, date_provided=date_provided, record_type=record_type,
                              type_provided=type_provided).exists():
        raise PolicyError("That service is already recorded for that day.", field="date_provided")
    service = Service(enrollment=enrollment, date_provided=date_provided, record_type=record_type,
                      type_provided=type_provided)
    _stamp(service, actor=actor, license=license, information_date=date_provided, coc=enrollment.project.coc)
    service.save()
    return service


@transaction.atomic
def record_during_stay(*, actor, license: License, enrollment: Enrollment, model, information_date: date,
                       **fields):
    """4.12 contacts, 4.19 CE assessments, 4.20 CE events: dated within the stay,
    under an active ROI, stamped for timeliness."""
    _require_served(license, enrollment)
    if information_date < enrollment.entry_date or (enrollment.exit_date and information_date > enrollment.exit_date):
        raise PolicyError("The date must fall within the stay.", field="information_date")
    consent_services.ensure_entry_allowed(client=enrollment.client, agency=license.agency, day=information_date,
                                          project=enrollment.project)
    if fields.get("referral_result") and not fields.get("result_date"):
        raise PolicyError("Enter the date of the referral result.", field="result_date")
    record = model(enrollment=enrollment, **fields)
    _stamp(record, actor=actor, license=license, information_date=information_date, coc=enrollment.project.coc)
    record.save()
    return record


class LateRecord(NamedTuple):
    """A record entered after the deadline, with what its alert names."""

    agency: object
    worker: object
    label: str
    record: object
    stay: Enrollment


def alert_late_entries() -> int:
    """Hourly, safe to run twice: tell each case worker, and their agency's
    administrators, about records entered after the deadline (D1). One notification per
    person per run, however many records: a backlog entered from paper in one afternoon
    should not bury anyone. PII-free: HMIS Client IDs only. Returns the records alerted."""
    import hashlib

    from django.urls import reverse

    from agencies.selectors import agency_managers
    from hmis.notify import notify_many

    from .models import CeAssessment, CeEvent, CurrentLivingSituation

    kinds = ((Enrollment, "project start"), (Assessment, "assessment"), (Service, "service"),
             (CurrentLivingSituation, "contact"), (CeAssessment, "CE assessment"), (CeEvent, "CE event"))
    late: list[LateRecord] = []
    with transaction.atomic():
        for model, label in kinds:
            stay = "" if model is Enrollment else "enrollment__"
            records = (model.objects.filter(entered_late=True, late_alert_sent=False)  # a partial index: cheap
                       .select_for_update(skip_locked=True, of=("self",))
                       .select_related("entered_by", "agency", f"{stay}client", f"{stay}project__coc"))
            found = list(records)
            late += [LateRecord(r.agency, r.entered_by, label, r, r if model is Enrollment else r.enrollment)
                     for r in found]
            model.objects.filter(pk__in=[r.pk for r in found]).update(late_alert_sent=True)
        if not late:
            return 0

        def digest(items: list[LateRecord], audience: str):
            keys = sorted(f"{type(item.record).__name__}:{item.record.pk}" for item in items)
            dedupe = f"late:{audience}:" + hashlib.sha256("|".join(keys).encode()).hexdigest()[:32]
            ids = sorted({item.stay.client.display_id for item in items})
            lines = [f"- {item.label} for client {item.stay.client.display_id}: collected "
                     f"{item.record.information_date:%m/%d/%Y}, entered "
                     f"{timezone.localtime(item.record.entered_at):%m/%d/%Y %H:%M}, deadline "
                     f"{item.stay.project.coc.timeliness_hours} hours"
                     for item in items[:50]]
            if len(items) > 50:
                lines.append(f"- and {len(items) - 50} more, on the data quality dashboard")
            if len(items) == 1:
                subject = f"Late entry: {items[0].label} for client {items[0].stay.client.display_id}"
                link = reverse("enrollments:detail", args=[items[0].stay.enrollment_id])
            else:
                shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
                subject = f"Late entries: {len(items)} records for client {shown}"
                link = reverse("reports:dashboard")
            body = ("These records were entered after the CoC's deadline and are flagged late:\n" + "\n".join(lines))
            return subject[:150], body, link, dedupe

        messages = []
        by_worker, by_agency = {}, {}
        for item in late:
            by_worker.setdefault((item.agency.pk, item.worker.pk), []).append(item)
            by_agency.setdefault(item.agency.pk, []).append(item)
        for (agency_id, _), items in by_worker.items():
            messages.append((items[0].worker, *digest(items, f"worker:{agency_id}")))
        for agency_id, items in by_agency.items():
            agency = items[0].agency
            subject, body, link, dedupe = digest(items, f"agency:{agency_id}")
            for manager in agency_managers(agency):
                messages.append((manager, f"{agency.name}: {subject}"[:150], body, link, dedupe))
        notify_many(messages)
    return len(late)


APPROACHING_HOURS = 12


def alert_incomplete_intakes(now=None) -> int:
    """Hourly, safe to run twice: an intake whose consent was recorded but whose
    project start is still missing, with less than 12 hours left before the CoC's
    deadline, alerts the person who started it (D1). PII-free."""
    from datetime import timedelta

    from django.urls import reverse

    from agencies.models import Coc
    from consent.models import Roi
    from hmis.notify import notify

    now = now or timezone.now()
    # The deadline is the end of the signing day plus the CoC's hours, so only ROIs
    # signed on a day or two can be near it: ask the database for those days alone.
    days = set()
    for hours in Coc.objects.values_list("timeliness_hours", flat=True).distinct():
        latest = timezone.localtime(now + timedelta(hours=APPROACHING_HOURS) - timedelta(days=1, hours=hours)).date()
        days |= {latest - timedelta(days=back) for back in range(APPROACHING_HOURS // 24 + 2)}
    recent = (Roi.objects.filter(recorded_at__gte=now - timedelta(days=30), revoked_on__isnull=True, signed_on__in=days)
              .select_related("agency", "project__coc", "recorded_by").prefetch_related("clients", "agency__cocs"))
    near = []
    for roi in recent:
        coc = roi.project.coc if roi.project else roi.agency.cocs.first()
        deadline = dates.entry_deadline(roi.signed_on, coc.timeliness_hours)
        if now < deadline <= now + timedelta(hours=APPROACHING_HOURS):
            near.append((roi, coc, deadline))
    # (client, agency) pairs with a project start already: one query for all the ROIs.
    started = set(Enrollment.objects.filter(client__in=[c.pk for roi, _, _ in near for c in roi.clients.all()])
                  .values_list("client_id", "agency_id"))
    sent = 0
    for roi, coc, deadline in near:
        waiting = [c for c in roi.clients.all() if (c.pk, roi.agency_id) not in started]
        if not waiting:
            continue
        ids = ", ".join(c.display_id for c in waiting)
        sent += len(notify(
            [roi.recorded_by],
            subject=f"Intake incomplete for client {ids}: deadline {timezone.localtime(deadline):%m/%d/%Y %H:%M}",
            body=(f"Consent was recorded on {roi.signed_on:%m/%d/%Y} but no project start is entered yet for HMIS "
                  f"Client ID {ids}. Enter it before {timezone.localtime(deadline):%m/%d/%Y %H:%M} to stay within "
                  f"{coc.timeliness_hours} hours."),
            link=reverse("clients:detail", args=[waiting[0].client_id]),
            dedupe_key=f"intake-approaching:{roi.pk}",
        ))
    return sent


# Federal partners' elements on Enrollment.csv, Exit.csv and Client.csv (H1, D2):
# enrollments/elements.py PARTNER_ELEMENTS says who is asked what, and when.
AFTERCARE_DAYS = 180
EARLIEST_SERVICE_YEAR = 1920


def _blank(value) -> bool:
    return value is None or value == ""


def partner_answers(*, enrollment: Enrollment, stage: int, day: date, fields: dict,
                    exit_date: date | None = None) -> tuple[dict, dict]:
    """H1: the federal partners' answers to keep at this stage for this person: (the stay's
    answers, the veteran's information). Only the elements HUD asks of this person that
    the project collects (D2) are kept. A follow-up whose question was not answered so as
    to ask it is cleared (HUD: "Null unless ..."), as the assessment elements do; one that
    is asked must be answered, and so must the roots the project requires (8/9/99 count,
    D3). Raises ValidationError with every problem at once."""
    from agencies.requirements import required_partner_fields

    from .elements import PARTNER_FOLLOW_UPS, PARTNER_REQUIRED_FOLLOW_UPS, VETERAN_QUESTIONS, partner_elements_for
    from .hud_lists import SUBSIDY_INFORMATION_FOR, vamc_stations

    elements = partner_elements_for(stage=stage, enrollment=enrollment, day=day)
    answers = {q: (None if _blank(fields.get(q)) else fields.get(q)) for e in elements for q in e.questions}
    errors: dict[str, str] = {}
    for field, (parents, values) in PARTNER_FOLLOW_UPS.items():  # parents come before their follow-ups
        if field not in answers:
            continue
        if not any(answers.get(parent) in values for parent in parents):
            answers[field] = None
        elif field in PARTNER_REQUIRED_FOLLOW_UPS and answers[field] is None:
            errors[field] = "Answer this follow-up question, or choose why it was not collected."
    for name in sorted(set(answers) & required_partner_fields(enrollment.project)):
        if answers[name] is None:
            errors[name] = "Required in this project: answer, or choose why it was not collected."
    today = dates.today()
    for name in ("date_of_path_status", "date_of_bcp_status"):
        if answers.get(name) and (answers[name] < enrollment.entry_date or answers[name] > today):
            errors[name] = "The date of the determination falls between the project start and today."
    if answers.get("aftercare_date"):
        end = exit_date or enrollment.exit_date
        if end is None or not end <= answers["aftercare_date"] <= min(end + timedelta(days=AFTERCARE_DAYS), today):
            errors["aftercare_date"] = ("Aftercare is recorded from the exit date to 180 days after it, and not in the "
                                        "future (R20).")
    for name in ("child_welfare_months", "juvenile_justice_months"):
        if answers.get(name) is not None and not 1 <= answers[name] <= 11:
            errors[name] = "Enter the months, 1 to 11."
    for name in ("session_count_at_exit", "sessions_in_plan", "count_outreach_referral_approaches"):
        if answers.get(name) is not None and answers[name] < 1:
            errors[name] = "Enter a number of 1 or more."
    housing = answers.get("housing_assessment")
    if answers.get("subsidy_information") is not None and answers["subsidy_information"] not in \
            SUBSIDY_INFORMATION_FOR.get(housing, set()):
        errors["subsidy_information"] = ("Choose one of the subsidy answers HUD offers after this housing assessment "
                                         "(W5.A after “Able to maintain”, W5.B after “Moved to new housing unit”).")
    if answers.get("vamc_station") and answers["vamc_station"] not in {code for code, _ in vamc_stations()}:
        errors["vamc_station"] = "Choose a VAMC station from HUD's list."
    years = [answers.get("year_entered_service"), answers.get("year_separated")]
    for name, year in zip(("year_entered_service", "year_separated"), years, strict=True):
        if year is not None and not EARLIEST_SERVICE_YEAR <= year <= today.year:
            errors[name] = f"Enter a year from {EARLIEST_SERVICE_YEAR} to {today.year}."
    if None not in years and "year_separated" not in errors and years[1] < years[0]:
        errors["year_separated"] = "The year of separation cannot be before the year the service began."
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    veteran = {name: answers.pop(name) for name in VETERAN_QUESTIONS if name in answers}
    return answers, veteran


def _keep_answers(model, owner: dict, answers: dict, actor):
    """Write the answers asked at this collection onto the one-to-one row, made only when
    something is answered (no invented rows); a row left with no answer is removed."""
    if not answers:
        return None
    row = model.objects.filter(**owner).first()
    if row is None and all(_blank(v) for v in answers.values()):
        return None
    row = row or model(**owner)
    for name, value in answers.items():
        setattr(row, name, "" if value is None and name == "vamc_station" else value)
    row.updated_by = actor
    from .elements import PARTNER_COLUMNS

    names = [f for file in PARTNER_COLUMNS.values() for f, _ in file if hasattr(row, f)]
    if all(_blank(getattr(row, name)) for name in names):
        if row.pk:
            row.delete()
        return None
    row.save()
    return row


def _record_partner_answers(*, enrollment: Enrollment, stay_answers: dict, veteran: dict, actor) -> None:
    from .models import ProgramAnswers, VeteranInformation

    _keep_answers(ProgramAnswers, {"enrollment": enrollment}, stay_answers, actor)
    _keep_answers(VeteranInformation, {"client": enrollment.client}, veteran, actor)



# P3 (PATH status) and R2 (RHY-BCP status) are recorded "when status is determined", often days
# after the project start (HUD: PATH and RHY Program HMIS Manuals): a page of their own records
# them on the stay at any time, for the head of household as for every other member.
STATUS_DETERMINATIONS = ("P3", "R2")


def status_elements(enrollment: Enrollment) -> list:
    """The status determinations asked of this person in this project (D2), if any."""
    from .elements import partner_elements_for

    return [e for e in partner_elements_for(stage=DataCollectionStage.PROJECT_START, enrollment=enrollment,
                                            day=enrollment.entry_date) if e.code in STATUS_DETERMINATIONS]


@transaction.atomic
def record_status_determination(*, actor, license: License, enrollment: Enrollment, **fields) -> Enrollment:
    """Record P3 / R2 on the stay, leaving its other federal partners' answers as they are."""
    from .elements import STAY_QUESTIONS
    from .models import ProgramAnswers

    _require_served(license, enrollment)
    elements = status_elements(enrollment)
    if not elements:
        raise PolicyError("This project does not record PATH or RHY-BCP status for this client.")
    names = {q for e in elements for q in e.questions}
    stored = ProgramAnswers.objects.filter(enrollment=enrollment).first()
    recorded = {q: getattr(stored, q) for q in STAY_QUESTIONS} if stored else {}
    try:
        answers, _ = partner_answers(enrollment=enrollment, stage=DataCollectionStage.PROJECT_START,
                                     day=enrollment.entry_date, fields=recorded | {q: fields.get(q) for q in names})
    except ValidationError as refusal:  # only this page's questions are this page's to fix
        mine = {name: messages for name, messages in refusal.message_dict.items() if name in names}
        if mine:
            raise ValidationError(mine) from None
        # another element's recorded answers are incomplete: this page's are checked, follow-ups as always
        from .elements import PARTNER_FOLLOW_UPS

        answers = {q: (None if _blank(fields.get(q)) else fields.get(q)) for q in names}
        for field, (parents, values) in PARTNER_FOLLOW_UPS.items():
            if field in answers and not any(answers.get(parent) in values for parent in parents):
                answers[field] = None
    _record_partner_answers(enrollment=enrollment, stay_answers={q: answers.get(q) for q in names}, veteran={},
                            actor=actor)
    return enrollment
