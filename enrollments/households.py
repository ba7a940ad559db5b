"""Households a case worker manages (issue 21): on an open household stay a member joins on
their own date, a member leaves on their own date, and the head of household changes.

HUD's rules (HMIS Data Standards Manual, 5.09 Household ID and 3.15 Relationship to Head
of Household):
- every member has their own stay with the household's HouseholdID, their own project
  start date (3.10) and their own exit (3.11): a member who joins later starts later, on
  or after the head's start; a member who leaves earlier exits on their own date;
- there is one and only one head of household for the stay, for as long as anyone is in
  the project: the head does not leave before the others. When the head leaves, another
  member present is made head first and the old head re-labelled (their relationship to
  the new head);
- nothing is deleted: a member is removed by exiting their stay.

Writes (keyword-only, atomic, acting user first) and the household's reads for the stay's
page are here; who may manage a household is decided in hmis/access.py
(``manages_household``), who may see whom in consent/visibility.py.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies.models import License
from consent import services as consent_services
from hmis import dates
from hmis.errors import PolicyError

from . import services
from .hud_lists import DataCollectionStage, RelationshipToHoH
from .models import Enrollment, HeadChange
from .validation import age_on

# 3.15: a member's relationship to the head (Self is the head's alone; 99 is no answer to choose).
MEMBER_RELATIONSHIPS = (RelationshipToHoH.CHILD, RelationshipToHoH.SPOUSE, RelationshipToHoH.OTHER_RELATION,
                        RelationshipToHoH.NON_RELATION)
YOUNGEST_HEAD = 12  # as enroll_household: a younger head is not plausible


def _members(enrollment: Enrollment, *, lock: bool = False) -> list[Enrollment]:
    stays = Enrollment.objects.filter(household_id=enrollment.household_id)
    if lock:
        stays = stays.select_for_update()
    return list(stays.select_related("client", "project").order_by("entry_date", "pk"))


def _head_of(members: list[Enrollment]) -> Enrollment | None:
    """The household's head: the open stay marked Self, else (imported data where the head
    left first) the latest stay marked Self."""
    heads = [m for m in members if m.is_head]
    return next((m for m in heads if m.is_open), None) or (heads[-1] if heads else None)


def household_is_open(enrollment: Enrollment) -> bool:
    return Enrollment.objects.filter(household_id=enrollment.household_id, exit_date__isnull=True).exists()


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


@transaction.atomic
def add_member(*, actor, license: License, enrollment: Enrollment, client, relationship: int,
               entry_date: date) -> Enrollment:
    """A client joins the household stay of ``enrollment``: their own stay in the same
    project with the same HouseholdID (5.09), their own project start date, on or after the
    head's (3.10), and their relationship to the head (3.15). Their own project-start answers
    are entered afterwards on their stay ("Project-start answers of this member")."""
    from consent.visibility import Viewer, client_access

    services._require_served(license, enrollment)
    members = _members(enrollment, lock=True)
    project = enrollment.project
    head = _head_of(members)
    if head is None or not head.is_open:
        raise PolicyError("This household's stay has ended: a member joins an open stay with its head present.")
    if not client_access(Viewer(actor, license), client).visible:
        raise PolicyError("That client is not one you may see.", field="client")
    errors = {}
    if relationship not in MEMBER_RELATIONSHIPS:
        errors["relationship"] = ("A household has one head (3.15): add the member with their relationship to the "
                                  "head, then change the head of household if they take over.")
    if entry_date > dates.today():
        errors["entry_date"] = "The project start date cannot be in the future."
    elif entry_date < head.entry_date:
        errors["entry_date"] = (f"A member joins on or after the head of household's project start "
                                f"({head.entry_date:%m/%d/%Y}).")
    elif entry_date < project.operating_start or (project.operating_end and entry_date > project.operating_end):
        errors["entry_date"] = "The project was not operating on that date."
    elif client.dob and entry_date < client.dob:
        errors["entry_date"] = f"Client {client.display_id} was not yet born on that date."
    _refuse(errors)
    if any(m.client_id == client.pk and m.is_open for m in members):
        raise PolicyError(f"Client {client.display_id} is already in this household's stay.", field="client")
    overlapping = Enrollment.objects.filter(client=client, project=project).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gt=entry_date))
    if overlapping.exists():
        raise PolicyError(f"Client {client.display_id} already has a stay in {project.name} on that date.",
                          field="entry_date")
    age = age_on(client.dob, entry_date)
    if age is not None and age > 120:
        raise PolicyError(f"Client {client.display_id} would be {age} at entry: check the date of birth.",
                          field="entry_date")
    # C6: the member's own consent at this agency covers their start (C1: a person not named on
    # the household's ROI needs their own; the intake records it).
    consent_services.ensure_entry_allowed(client=client, agency=license.agency, day=entry_date, project=project)
    stay = Enrollment(client=client, project=project, household_id=enrollment.household_id,
                      relationship_to_hoh=relationship, enrollment_coc=head.enrollment_coc or
                      services.enrollment_coc_for(project), entry_date=entry_date, disabling_condition=99)
    services._stamp(stay, actor=actor, license=license, information_date=entry_date, coc=project.coc)
    stay.save()
    services._assessment(enrollment=stay, stage=DataCollectionStage.PROJECT_START, actor=actor, license=license,
                         information_date=entry_date, fields={}, check=False)
    return stay


@transaction.atomic
def exit_member(*, actor, license: License, enrollment: Enrollment, exit_date: date, destination: int,
                version: int | None = None, destination_subsidy_type: int | None = None,
                other_destination: str = "") -> Enrollment:
    """Remove a member from the household's stay: their own exit (3.11) and destination
    (3.12) on their own date; the rest of the household stays. Nothing is deleted. The head
    does not leave before the others (3.15): change the head first, or exit the household."""
    services._require_served(license, enrollment)
    members = _members(enrollment, lock=True)
    stay = next((m for m in members if m.pk == enrollment.pk), None)
    if stay is None or (version is not None and stay.version != version):
        raise services.ConcurrentEdit(Enrollment.objects.get(pk=enrollment.pk))
    if not stay.is_open:
        raise PolicyError(f"Client {stay.client.display_id} already left this stay on {stay.exit_date:%m/%d/%Y}.")
    others = [m for m in members if m.is_open and m.pk != stay.pk]
    if stay.is_head:
        raise PolicyError(
            "The head of household stays as long as anyone in the household does (3.15): change the head of "
            "household first, then exit this member." if others else
            "The head is the last member here: use “Exit the household”.")
    _refuse(services.destination_answer_errors(destination, destination_subsidy_type, other_destination))
    errors = {}
    if exit_date > dates.today():
        errors["exit_date"] = "The exit date cannot be in the future."
    elif exit_date < stay.entry_date:
        errors["exit_date"] = f"The exit date cannot be before this member's project start ({stay.entry_date:%m/%d/%Y})."
    _refuse(errors)
    consent_services.ensure_entry_allowed(client=stay.client, agency=license.agency, day=exit_date,
                                          project=stay.project)
    entered = timezone.now()
    Enrollment.objects.filter(pk=stay.pk).update(
        exit_date=exit_date, destination=destination, destination_subsidy_type=destination_subsidy_type,
        other_destination=(other_destination or "").strip(), version=F("version") + 1, exit_entered_by=actor,
        exit_entered_at=entered, exit_updated_at=entered, updated_at=entered)
    stay.refresh_from_db()
    # The member's exit record; their own exit answers are entered on their stay ("Exit answers").
    services._assessment(enrollment=stay, stage=DataCollectionStage.PROJECT_EXIT, actor=actor, license=license,
                         information_date=exit_date, fields={}, check=False)
    return stay


@transaction.atomic
def change_head(*, actor, license: License, enrollment: Enrollment, new_head: Enrollment,
                previous_head_becomes: int, effective_date: date,
                relationships: dict[int, int] | None = None) -> HeadChange:
    """Another member present becomes head of household (3.15): the new head is Self, the
    old head is re-labelled with their relationship to the new head, and the other members
    present may be re-labelled too (``relationships``: stay pk -> 3.15 code), all in one
    transaction, so the household never has two heads or none. The change is kept
    (HeadChange) for the household's history."""
    services._require_served(license, enrollment)
    members = _members(enrollment, lock=True)
    by_pk = {m.pk: m for m in members}
    old = _head_of(members)
    chosen = by_pk.get(new_head.pk)
    errors = {}
    if old is None:
        raise PolicyError("This household has no head of household recorded to hand over from.")
    if chosen is None or not chosen.is_open:
        errors["new_head"] = "Choose a member who is in the project now."
    elif chosen.pk == old.pk:
        errors["new_head"] = "That member is already the head of household."
    if previous_head_becomes not in MEMBER_RELATIONSHIPS:
        errors["previous_head_becomes"] = "Choose the former head's relationship to the new head."
    if effective_date > dates.today():
        errors["effective_date"] = "The date cannot be in the future."
    elif chosen is not None and effective_date < chosen.entry_date:
        errors["effective_date"] = (f"The new head takes over on or after their own project start "
                                    f"({chosen.entry_date:%m/%d/%Y}).")
    _refuse(errors)
    age = age_on(chosen.client.dob, effective_date)
    if age is not None and age < YOUNGEST_HEAD:
        raise PolicyError(f"Client {chosen.client.display_id} is {age}: a head of household that young is not "
                          "plausible.", field="new_head")
    relabel = {}
    for pk, code in (relationships or {}).items():
        member = by_pk.get(pk)
        if member is None or not member.is_open or pk in (old.pk, chosen.pk) or code is None:
            continue
        if code not in MEMBER_RELATIONSHIPS:
            raise PolicyError("Choose each member's relationship to the new head.")
        relabel[pk] = code
    stamp = timezone.now()
    Enrollment.objects.filter(pk=old.pk).update(relationship_to_hoh=previous_head_becomes,
                                                version=F("version") + 1, updated_at=stamp)
    new_fields = {"relationship_to_hoh": RelationshipToHoH.SELF}
    # 3.20 is the head's: a household that moved in keeps its move-in date on the new head's stay
    # (not before the new head's own start).
    if old.move_in_date and not chosen.move_in_date:
        new_fields["move_in_date"] = max(old.move_in_date, chosen.entry_date)
    Enrollment.objects.filter(pk=chosen.pk).update(**new_fields, version=F("version") + 1, updated_at=stamp)
    for pk, code in relabel.items():
        Enrollment.objects.filter(pk=pk).update(relationship_to_hoh=code, version=F("version") + 1, updated_at=stamp)
    heads = Enrollment.objects.filter(household_id=enrollment.household_id, exit_date__isnull=True,
                                      relationship_to_hoh=RelationshipToHoH.SELF).count()
    if heads != 1:  # HUD: exactly one head; a household imported with two is refused whole
        raise PolicyError("The household would not have exactly one head of household: check its members' "
                          "relationships.")
    return HeadChange.objects.create(
        household_id=enrollment.household_id, new_head=chosen, previous_head=old,
        new_head_was=chosen.relationship_to_hoh, previous_head_became=previous_head_becomes,
        effective_date=effective_date, recorded_by=actor, agency=license.agency)


# --- Reads for the stay's page ----------------------------------------------------------


@dataclass
class Member:
    stay: Enrollment
    label: str  # the name where the viewer may see it (C2, C12), else the HMIS Client ID
    age: int | None


@dataclass
class Event:
    day: date
    text: str


def _labels(viewer, stays) -> dict[int, str]:
    """Each member's label: "Name (Client ID)" where consent lets the viewer see the client's
    identifiers (consent/visibility.py), else the HMIS Client ID alone."""
    from consent.visibility import client_access

    labels = {}
    for stay in stays:
        client = stay.client
        if client.pk in labels:
            continue
        seen = client_access(viewer, client).visible
        labels[client.pk] = f"{client.full_name} ({client.display_id})" if seen and client.full_name else \
            f"Client {client.display_id}"
    return labels


def household_page(*, viewer, enrollment: Enrollment) -> dict:
    """The household of the stay as the viewer may see it: members (each stay under its own
    consent, C12; locked or protected stays left out, C10, A7), its history (who joined and
    left when, who was head when) and the head's periods."""
    from consent.visibility import visible_records

    stays = list(visible_records(viewer, Enrollment.objects.filter(household_id=enrollment.household_id)
                                 .select_related("client", "project").order_by("entry_date", "pk")))
    labels = _labels(viewer, stays)
    shown = {s.pk for s in stays}
    today = dates.today()
    members = [Member(s, labels[s.client_id], age_on(s.client.dob, today)) for s in stays]
    members.sort(key=lambda m: (not m.stay.is_open, m.stay.relationship_to_hoh != RelationshipToHoH.SELF,
                                m.stay.entry_date, m.stay.pk))
    changes = [c for c in HeadChange.objects.filter(household_id=enrollment.household_id)
               .select_related("new_head__client", "previous_head__client", "recorded_by")
               if c.new_head_id in shown and c.previous_head_id in shown]
    start = min((s.entry_date for s in stays), default=enrollment.entry_date)
    events = []
    for s in stays:
        who = labels[s.client_id]
        if s.entry_date == start:
            events.append(Event(s.entry_date, f"{who} started the stay as {_relation(s, changes)}."))
        else:
            events.append(Event(s.entry_date, f"{who} joined as {_relation(s, changes)}."))
        if s.exit_date:
            # an imported code outside HUD's list displays as the bare number (kept as given, H3)
            events.append(Event(s.exit_date, f"{who} left{f' to {str(s.get_destination_display()).lower()}' if s.destination else ''}."))
    for c in changes:
        events.append(Event(c.effective_date, (
            f"{labels[c.new_head.client_id]} became head of household (recorded by "
            f"{c.recorded_by.display_name}); {labels[c.previous_head.client_id]}, head until then, is now "
            f"recorded as “{RelationshipToHoH(c.previous_head_became).label}”.")))
    # Joins and leaves of a day before that day's change of head, in date order.
    events.sort(key=lambda e: e.day)
    heads = []
    first_head = changes[0].previous_head if changes else next((s for s in stays if s.is_head), None)
    if first_head is not None:
        since = first_head.entry_date
        current = first_head
        for c in changes:
            heads.append((labels[current.client_id], since, c.effective_date))
            current, since = c.new_head, c.effective_date
        ending = current.exit_date if current.exit_date else None
        heads.append((labels[current.client_id], since, ending))
    return {"household_members": members, "household_history": events, "household_heads": heads,
            "household_open": any(s.is_open for s in stays)}


def _relation(stay: Enrollment, changes: list[HeadChange]) -> str:
    """The member's relationship when they joined: before any later change of head."""
    code = stay.relationship_to_hoh
    for c in changes:
        if c.new_head_id == stay.pk and c.new_head_was is not None:
            code = c.new_head_was
            break
        if c.previous_head_id == stay.pk:
            code = RelationshipToHoH.SELF
            break
    if code is None:
        return "a member"
    return f"“{RelationshipToHoH(code).label}”"
