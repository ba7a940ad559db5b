"""Referrals between agencies (issue 21): refer, accept, decline, withdraw.

Whether a client may be referred is decided by consent/visibility.py's
``referral_refusal`` (our reading of the C-rules is written there); who may act on a
referral by hmis/access.py (``refers_client``, ``answers_referral``,
``withdraws_referral``). Each step is a ReferralEvent row (the history both agencies
read) and is audited by django-auditlog like every model. Notifications carry the HMIS
Client ID, the referral's number and the project only, never a name (E1).
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import License
from consent.visibility import Viewer, client_access, referral_refusal, referral_stay_visible, referrer_viewer
from hmis import dates
from hmis.errors import PolicyError
from hmis.notify import notify

from .referral_models import DeclineReason, Referral, ReferralEvent, ReferralStatus

NOTE_MAX = 2000


def _viewer(actor, license) -> Viewer:
    return Viewer(user=actor, license=license)


def _require_data_entry(license: License) -> None:
    if license is None or not license.can_enter_data:
        raise PolicyError("Only staff who enter client data for their agency can do this.", rule="T3")


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("client", "to_project", "from_agency").get(
        pk=referral.pk)


def receivers(referral: Referral):
    """The receiving agency's people who can act on the referral: active full-access
    licenses, end users only when the project is assigned to them (T5)."""
    from hmis.models import User

    licenses = License.objects.filter(
        agency_id=referral.to_agency_id, status=License.Status.ACTIVE, access_level=License.AccessLevel.FULL,
    ).filter(~Q(role=License.Role.END_USER) | Q(projects=referral.to_project_id))
    return User.objects.filter(is_active=True, pk__in=licenses.values("user_id"))


def _tell(recipients, referral: Referral, subject: str, body: str, key: str) -> None:
    # E1: the Client ID, the referral's number, agencies and the project, never a name.
    notify(recipients, subject=subject, body=body, link=reverse("enrollments:referral", args=[referral.referral_id]),
           dedupe_key=f"referral:{referral.referral_id}:{key}")


def _clean_note(note: str, *, field: str, required: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise PolicyError(required, field=field)
    if len(note) > NOTE_MAX:
        raise PolicyError(f"Keep it under {NOTE_MAX} characters.", field=field)
    return note


@transaction.atomic
def refer(*, actor, license: License, client, to_project, note: str, from_enrollment=None) -> Referral:
    """The referring agency's worker refers a client it serves to another agency's project."""
    _require_data_entry(license)
    access = client_access(_viewer(actor, license), client)
    if not (access.serves_client and access.can_edit):
        raise PolicyError("Your agency does not serve this client: only an agency serving them refers them.")
    if from_enrollment is not None and (from_enrollment.agency_id != license.agency_id
                                        or from_enrollment.client_id != client.pk):
        raise PolicyError("Refer from a stay of this client at your own agency.")
    refusal = referral_refusal(client, license.agency, to_project)
    if refusal:
        raise PolicyError(refusal, rule="C12", field="to_project")
    note = _clean_note(note, field="note", required="Say why you refer the client, for the receiving agency.")
    if Referral.objects.filter(client=client, to_project=to_project, status=ReferralStatus.PENDING).exists():
        raise PolicyError("This client already has a referral to that project waiting for an answer.",
                          field="to_project")
    referral = Referral.objects.create(
        client=client, from_agency=license.agency, from_enrollment=from_enrollment, referred_by=actor,
        to_project=to_project, to_agency=to_project.agency, referral_date=dates.today(), note=note,
    )
    ReferralEvent.objects.create(referral=referral, kind=ReferralEvent.Kind.REFERRED, by=actor,
                                 agency=license.agency, note=note)
    _tell(receivers(referral), referral,
          subject=f"New referral for client {client.display_id} to {to_project.name}",
          body=(f"{license.agency.name} referred client {client.display_id} to {to_project.name} "
                f"(referral {referral.referral_id}). Accept or decline it from 'Referrals to us'."),
          key="referred")
    return referral


def _answer(referral: Referral, *, actor, license: License, status: str) -> Referral:
    _require_data_entry(license)
    referral = _locked(referral)
    if referral.to_agency_id != license.agency_id:
        raise PolicyError("Only the agency the client was referred to answers the referral.")
    if not referral.is_pending:
        raise PolicyError(f"This referral was already {referral.get_status_display().lower()}.")
    referral.status, referral.decided_by, referral.decided_at = status, actor, timezone.now()
    return referral


@transaction.atomic
def accept(*, actor, license: License, referral: Referral, note: str = "") -> Referral:
    referral = _answer(referral, actor=actor, license=license, status=ReferralStatus.ACCEPTED)
    note = _clean_note(note, field="note")
    referral.save()
    ReferralEvent.objects.create(referral=referral, kind=ReferralEvent.Kind.ACCEPTED, by=actor,
                                 agency=license.agency, note=note)
    _tell([referral.referred_by], referral,
          subject=f"Referral of client {referral.client.display_id} accepted",
          body=(f"{license.agency.name} accepted the referral of client {referral.client.display_id} to "
                f"{referral.to_project.name} (referral {referral.referral_id})."),
          key="answered")
    return referral


@transaction.atomic
def decline(*, actor, license: License, referral: Referral, reason: str, note: str = "") -> Referral:
    """Declined with a reason from the list (HUD 4.20.D's unsuccessful results, split) and,
    for "another reason", words saying it."""
    if reason not in DeclineReason.values:
        raise PolicyError("Choose why the referral is declined.", field="reason")
    note = _clean_note(note, field="note", required=(
        "Say the reason in words." if reason == DeclineReason.OTHER else ""))
    referral = _answer(referral, actor=actor, license=license, status=ReferralStatus.DECLINED)
    referral.decline_reason, referral.decline_note = reason, note
    referral.save()
    ReferralEvent.objects.create(referral=referral, kind=ReferralEvent.Kind.DECLINED, by=actor,
                                 agency=license.agency, note=" — ".join(
                                     filter(None, [referral.get_decline_reason_display(), note])))
    _tell([referral.referred_by], referral,
          subject=f"Referral of client {referral.client.display_id} declined",
          body=(f"{license.agency.name} declined the referral of client {referral.client.display_id} to "
                f"{referral.to_project.name} (referral {referral.referral_id}). The reason is on the referral's "
                "page."),
          key="answered")
    return referral


@transaction.atomic
def withdraw(*, actor, license: License, referral: Referral, note: str = "") -> Referral:
    _require_data_entry(license)
    referral = _locked(referral)
    if referral.from_agency_id != license.agency_id:
        raise PolicyError("Only the referring agency withdraws a referral.")
    if not referral.is_pending:
        raise PolicyError(f"This referral was already {referral.get_status_display().lower()}.")
    note = _clean_note(note, field="note")
    referral.status, referral.decided_by, referral.decided_at = ReferralStatus.WITHDRAWN, actor, timezone.now()
    referral.save()
    ReferralEvent.objects.create(referral=referral, kind=ReferralEvent.Kind.WITHDRAWN, by=actor,
                                 agency=license.agency, note=note)
    _tell(receivers(referral), referral,
          subject=f"Referral of client {referral.client.display_id} withdrawn",
          body=(f"{license.agency.name} withdrew the referral of client {referral.client.display_id} to "
                f"{referral.to_project.name} (referral {referral.referral_id})."),
          key="withdrawn")
    return referral


def link_stays(stays, *, actor) -> int:
    """A stay opened in a project for a client it accepted a referral of completes that
    referral: the stay is kept on it and the step is in its history. Called by the enroll
    view after enroll_household (inside nothing: each link is its own small write)."""
    linked = 0
    for stay in stays:
        referral = (Referral.objects.filter(client_id=stay.client_id, to_project_id=stay.project_id,
                                            status=ReferralStatus.ACCEPTED, enrollment__isnull=True)
                    .order_by("-decided_at").first())
        if referral is None:
            continue
        with transaction.atomic():
            referral.enrollment = stay
            referral.save(update_fields=["enrollment"])
            ReferralEvent.objects.create(referral=referral, kind=ReferralEvent.Kind.ENROLLED, by=actor,
                                         agency_id=stay.agency_id, note=f"Stay {stay.enrollment_id}")
            # C12: told only where the referring agency may see the receiving agency's stay.
            if referral_stay_visible(referrer_viewer(referral), referral):
                _tell([referral.referred_by], referral,
                      subject=f"Client {stay.client.display_id} enrolled from your referral",
                      body=(f"Client {stay.client.display_id} was enrolled in {stay.project.name} "
                            f"(referral {referral.referral_id})."),
                      key="enrolled")
        linked += 1
    return linked
