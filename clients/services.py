"""Writes of the client record. Every write checks consent first (C1, C6) and the
viewer's access (consent/visibility.py)."""

from django.db import transaction

from agencies.models import License
from consent import services as consent_services
from consent.models import Roi, SharingLevel
from consent.visibility import DEMOGRAPHIC_GROUPS, Viewer, client_access, profile_access
from hmis import dates
from hmis.errors import PolicyError
from hmis.pii import mask_ssn

from .hud_lists import RACE_FIELDS
from .models import Client, Correction, Household, HouseholdMember
from .validation import ssn_digits, validate_udes

UDE_FIELDS = [
    "first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
    "ssn_data_quality", "dob", "dob_data_quality",
    *[f for f, _, _ in RACE_FIELDS], "race_none", "additional_race_ethnicity",
    "sex", "veteran_status",
]


def _active_roi_for(license: License, roi: Roi) -> Roi:
    if roi.agency_id != license.agency_id:
        raise PolicyError("That consent was recorded by another agency.", rule="C1")
    if not roi.is_active_on(dates.today()):
        raise PolicyError("That consent is no longer active; record a current one first.", rule="C6")
    return roi


def _raise_if_invalid(data: dict) -> None:
    errors = validate_udes(data, dates.today())
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError({field: [message] for field, message in errors.items()})


@transaction.atomic
def client_create(*, actor, license: License, roi: Roi, household: Household | None = None,
                  is_head: bool = False, ssn: str = "", duplicate_reason: str = "",
                  possible_duplicates: tuple[str, ...] = (), **fields) -> Client:
    """C1: a client is created only under an active ROI of the agency; the ROI's
    household coverage, the sharing level and (C3 locked_record) the lock are in
    place in the same transaction, the lock with the very first write.

    D5: ``possible_duplicates`` are the HMIS Client IDs the search before creating
    found; creating anyway needs ``duplicate_reason``, kept on the record's audit entry."""
    duplicate_reason = " ".join((duplicate_reason or "").split())[:300]
    if possible_duplicates and not duplicate_reason:
        raise PolicyError("Say why this is a different person from the clients found, or link one of them.",
                          rule="D5", field="duplicate_reason")
    consent_services._require_data_entry(license)
    _active_roi_for(license, roi)
    data = {key: fields.get(key) for key in UDE_FIELDS} | {"ssn": ssn}
    _raise_if_invalid(data)
    client = Client(
        **{k: v for k, v in data.items() if k != "ssn" and v is not None},
        entered_by_agency=license.agency, created_by=actor, consent=roi,
        entered_in_protected_project=bool(roi.project and roi.project.protected),
        sharing=Client.Sharing.NONE,
        locked_to_agency=license.agency if roi.sharing_level == SharingLevel.NONE else None,
    )
    client.set_ssn(ssn_digits(ssn))
    client.save()
    _join_household(license=license, roi=roi, client=client, household=household, is_head=is_head)
    consent_services.roi_cover(roi=roi, client=client)
    if possible_duplicates:
        _note_created_anyway(client, reason=duplicate_reason, matches=possible_duplicates)
    return client


def _note_created_anyway(client: Client, *, reason: str, matches) -> None:
    """The reason a possible duplicate was created anyway, on the creation's audit entry
    (HMIS Client IDs only, never names), so the HMIS Lead reviewing duplicates sees it."""
    from hmis.models import AuditEntry

    note = {"created_despite_matches": sorted(matches), "reason": reason}
    entry = (AuditEntry.objects.get_for_object(client).filter(action=AuditEntry.Action.CREATE)
             .order_by("-pk").first())
    if entry is None:  # auditlog off (bulk loads): an entry of its own
        entry = AuditEntry.objects.log_create(client, force_log=True, action=AuditEntry.Action.CREATE, changes=None,
                                              client_ref=client.client_id)
    entry.additional_data = {**(entry.additional_data or {}), **note}
    entry.save(update_fields=["additional_data"])


def _join_household(*, license, roi, client, household, is_head) -> Household:
    if household is None:
        household = Household.objects.create(entered_by_agency=license.agency, consent=roi)
        is_head = True
    HouseholdMember.objects.get_or_create(household=household, client=client, defaults={"is_head": is_head})
    return household


@transaction.atomic
def client_link(*, actor, license: License, roi: Roi, client: Client, household: Household | None = None) -> Client:
    """D5: link an existing client found by search instead of creating a duplicate."""
    consent_services._require_data_entry(license)
    _active_roi_for(license, roi)
    if not client_access(Viewer(actor, license), client).visible:
        raise PolicyError("That client is not visible to you.")
    if household is not None:
        _join_household(license=license, roi=roi, client=client, household=household, is_head=False)
    consent_services.roi_cover(roi=roi, client=client)
    return client


def _display(client: Client, field: str) -> str:
    value = getattr(client, field)
    if field.endswith("data_quality") or field in ("sex", "veteran_status", "race_none"):
        display = getattr(client, f"get_{field}_display")()
        return display if value is not None else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


class ConcurrentCorrection(PolicyError):
    """Someone corrected the client after this person opened the form (optimistic locking)."""

    def __init__(self, current: Client, changes: list[Correction]):
        self.current, self.changes = current, changes
        super().__init__(
            "Someone else corrected this client while you were editing. Their changes are listed above your "
            "form, which keeps what you typed: check both, then save again."
        )


def hidden_profile_fields(viewer: Viewer, client: Client) -> list[str]:
    """The client row's values the viewer may not see, so may not change either (C10, C12)."""
    shown = profile_access(viewer, client)
    return [name for group, names in DEMOGRAPHIC_GROUPS.items() if not shown.shows(group) for name in names]


@transaction.atomic
def client_correct(*, actor, license: License, client: Client, kind: str, note: str, version: int | None = None,
                   information_date=None, ssn: str | None = None, **fields) -> list[Correction]:
    """D6: mark values inaccurate or incomplete and supplement them; each change is
    kept as a Correction beside the audit log, never a silent overwrite. ``version`` is
    the version the person started from: a later correction by someone else is refused
    with their changes, never silently reverted."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    viewer = Viewer(actor, license)
    access = client_access(viewer, client)
    if not access.can_edit:
        raise PolicyError("Your agency does not serve this client, or your license is view only.")
    if version is not None and version != client.version:
        changes = list(client.corrections.filter(corrected_at__gte=client.updated_at).select_related("agency"))
        raise ConcurrentCorrection(client, changes)
    hidden = set(hidden_profile_fields(viewer, client)) & set(fields)
    if hidden:
        raise PolicyError("Another agency recorded these values under a consent that does not share them with you; "
                          "ask the HMIS Lead to correct them.", rule="C12")
    day = information_date or dates.today()
    consent = consent_services.ensure_entry_allowed(client=client, agency=license.agency, day=day)
    if kind not in Correction.Kind.values:
        raise PolicyError("Say whether the old value was inaccurate or incomplete.", rule="D6", field="kind")
    current = {key: getattr(client, key) for key in UDE_FIELDS}
    proposed = current | {k: v for k, v in fields.items() if k in UDE_FIELDS}
    new_ssn = client.ssn if ssn is None else ssn_digits(ssn)
    _raise_if_invalid(proposed | {"ssn": new_ssn})

    corrections = []
    labels = {f.name: f.verbose_name for f in Client._meta.fields}
    stamp = dict(kind=kind, note=note, corrected_by=actor, agency=license.agency, consent=consent)
    for key in UDE_FIELDS:
        if proposed[key] == current[key]:
            continue
        before = _display(client, key)
        setattr(client, key, proposed[key])
        corrections.append(Correction(
            client=client, field=key, field_label=str(labels[key]).capitalize(), previous_value=before,
            new_value=_display(client, key), **stamp,
        ))
    if new_ssn != client.ssn:
        corrections.append(Correction(
            client=client, field="ssn", field_label="SSN", previous_value=mask_ssn(client.ssn),
            new_value=mask_ssn(new_ssn), **stamp,
        ))
        client.set_ssn(new_ssn)
    if not corrections:
        raise PolicyError("Nothing changed: change a value, or leave without saving.")
    client.version += 1
    client.save()
    Correction.objects.bulk_create(corrections)
    return corrections


@transaction.atomic
def intake_finish(*, actor, license: License, roi: Roi, lock_requested: bool) -> list[Client]:
    """The last step of an intake, all or nothing: the household under the consent is
    complete, and a lock asked for at intake goes to the HMIS Lead for every member (C10).
    Returns the members, the head of household first."""
    from consent.models import ClientLock

    consent_services._require_data_entry(license)
    _active_roi_for(license, roi)
    clients = list(roi.clients.all())
    if not clients:
        raise PolicyError("Add at least one person, or leave the intake.", rule="C1")
    heads = set(HouseholdMember.objects.filter(client__in=clients, is_head=True).values_list("client_id", flat=True))
    clients.sort(key=lambda c: (c.pk not in heads, c.pk))
    if lock_requested:
        for client in clients:
            consent_services.lock_request(actor=actor, license=license, client=client, part=ClientLock.Part.RECORD,
                                          note="Asked at intake")
    return clients
