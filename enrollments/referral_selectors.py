"""Reads of referrals (issue 21): each list and page narrowed by consent/visibility.py
(referral_visible / visible_referrals for the referral, client_access for the client)."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404

from clients.models import Client
from consent.visibility import (
    Level,
    Viewer,
    client_access,
    referral_stay_visible,
    referral_visible,
    visible_clients_with_levels,
    visible_referrals,
)
from hmis import dates
from hmis.audit import log_access
from hmis.models import AuditEntry

from .referral_models import Referral, ReferralEvent, ReferralStatus

DONE_SHOWN = 50  # answered referrals listed under the waiting ones


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    name: str  # "" where the viewer may not see the client's name
    days_waiting: int | None


def _base():
    return Referral.objects.select_related("client", "from_agency", "to_agency", "to_project", "referred_by")


def _rows(viewer: Viewer, referrals) -> list[ReferralRow]:
    """Waiting referrals first, oldest first (days waiting), then the latest answered;
    each with the client's name where the viewer may see it (one query for all)."""
    referrals = visible_referrals(viewer, referrals)
    waiting = list(referrals.filter(status=ReferralStatus.PENDING).order_by("referral_date", "pk"))
    done = list(referrals.exclude(status=ReferralStatus.PENDING).order_by("-decided_at", "-pk")[:DONE_SHOWN])
    chosen = waiting + done
    levels = dict(visible_clients_with_levels(viewer, Client.objects.filter(
        pk__in={r.client_id for r in chosen})).values_list("pk", "viewer_level"))
    today = dates.today()
    return [ReferralRow(referral=r, name=r.client.full_name if levels.get(r.client_id, 0) >= Level.IDENTIFIERS else "",
                        days_waiting=(today - r.referral_date).days if r.is_pending else None) for r in chosen]


def referrals_to(viewer: Viewer) -> list[ReferralRow]:
    """The receiving agency's queue: "Referrals to us"."""
    return _rows(viewer, _base().filter(to_agency_id=viewer.agency_id))


def referrals_from(viewer: Viewer) -> list[ReferralRow]:
    """The referring agency's list: "Our referrals"."""
    return _rows(viewer, _base().filter(from_agency_id=viewer.agency_id))


def pending_count(viewer: Viewer) -> int:
    """Referrals waiting on the viewer's agency (the home page's count; a number only)."""
    if viewer.agency_id is None:
        return 0
    return visible_referrals(viewer, Referral.objects.filter(
        to_agency_id=viewer.agency_id, status=ReferralStatus.PENDING)).count()


def referral_for_viewer(*, viewer: Viewer, referral_id: str):
    """The referral, the viewer's access to its client, and its history; 404 for a
    referral the viewer may not see. Opening it reads the client: logged (R2)."""
    referral = _base().select_related("from_enrollment__project", "enrollment", "decided_by").filter(
        referral_id=referral_id).first()
    if referral is None or not referral_visible(viewer, referral):
        raise Http404("No such referral, or not one you may see.")
    access = client_access(viewer, referral.client)
    log_access(referral.client, kind=AuditEntry.AccessKind.VIEW, actor=viewer.user, agency=viewer.agency,
               client_ref=referral.client.client_id, note=f"referral {referral.referral_id}")
    events = referral.events.select_related("by", "agency")
    referral.stay_shown = referral_stay_visible(viewer, referral)
    if not referral.stay_shown:  # C12: the receiving agency's stay is not the referrer's to see
        events = events.exclude(kind=ReferralEvent.Kind.ENROLLED)
    return referral, access, events


def referrals_of_client(viewer: Viewer, client) -> list[Referral]:
    """The client's referrals the viewer's agency made or received (the client's page)."""
    return list(visible_referrals(viewer, _base().filter(client=client)).annotate(
        waiting=Case(When(status=ReferralStatus.PENDING, then=Value(0)), default=Value(1),
                     output_field=IntegerField())).order_by("waiting", "-referral_date"))
