"""THE place that decides who sees what of a client (DESIGN conv. 2–4).

Every page, list, search result, PDF and API response with client data asks this
module. It combines, in this order:

1. who is looking: HMIS Lead administrators see everything; nobody without an
   active agency context sees anything; reporting-only and researcher licenses
   never open client pages (T3); victim service providers hold no client data (A6);
2. whether the viewer's agency serves the client (a django-guardian grant to the
   agency's group, made when the agency records an ROI for the client);
3. for other agencies, the client's current consent: full, limited (basic
   identifiers only) or none, an expired ROI counting as none (C6) and a
   revocation ending all sharing for the household (C9);
4. locks: a whole record locked to one agency (C3 locked_record, C10) is seen by
   that agency only; locked parts are hidden from other agencies (C10);
5. protected projects (A7): a client entered there shows others basic
   identifiers at most, and never that project.
"""

from dataclasses import dataclass, field
from enum import IntEnum

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from agencies.models import License
from hmis.dates import today as current_date


class Level(IntEnum):
    NONE = 0
    IDENTIFIERS = 1  # name, date of birth, last 4 of SSN, HMIS Client ID (C2 limited)
    FULL = 2


@dataclass(frozen=True)
class Viewer:
    user: object
    license: License | None

    @classmethod
    def from_request(cls, request) -> "Viewer":
        return cls(user=request.user, license=getattr(request, "license", None))

    @property
    def is_admin(self) -> bool:
        return bool(getattr(self.user, "is_system_admin", False))

    @property
    def agency(self):
        return self.license.agency if self.license else None

    @property
    def may_open_client_data(self) -> bool:
        if self.is_admin:
            return True
        return (
            self.license is not None
            and self.license.is_active
            and self.license.access_level in (License.AccessLevel.FULL, License.AccessLevel.VIEW_ONLY)
            and not self.license.agency.is_victim_service_provider
        )

    @property
    def may_enter_client_data(self) -> bool:
        """Recording consent and client data: full access at a non-VSP agency (A6, T3)."""
        return self.license is not None and self.license.can_enter_data


@dataclass(frozen=True)
class ClientAccess:
    level: Level
    serves_client: bool = False
    can_edit: bool = False
    hidden_parts: frozenset = field(default_factory=frozenset)
    reason: str = ""

    @property
    def visible(self) -> bool:
        return self.level > Level.NONE

    @property
    def full(self) -> bool:
        return self.level == Level.FULL

    def shows(self, part: str) -> bool:
        return self.full and part not in self.hidden_parts


NO_ACCESS = ClientAccess(Level.NONE, reason="not visible to you")


def _serves(viewer: Viewer, client) -> bool:
    if viewer.agency is None:
        return False
    annotated = getattr(client, "viewer_serves", None)
    if annotated is not None:
        return bool(annotated)
    return client.agency_grants.filter(group_id=viewer.agency.group_id).exists()


def effective_sharing(client, day=None) -> str:
    """The client's consent as other agencies see it today: an expired ROI shares nothing."""
    day = day or current_date()
    if client.sharing_until is None or client.sharing_until < day:
        return client.Sharing.NONE
    return client.sharing


def client_access(viewer: Viewer, client, day=None) -> ClientAccess:
    if viewer.is_admin:
        return ClientAccess(Level.FULL, serves_client=_serves(viewer, client), reason="HMIS Lead administrator")
    if not viewer.may_open_client_data:
        return NO_ACCESS
    agency = viewer.agency
    locked_elsewhere = client.locked_to_agency_id is not None and client.locked_to_agency_id != agency.pk
    if locked_elsewhere:
        return NO_ACCESS
    if _serves(viewer, client):
        return ClientAccess(
            Level.FULL, serves_client=True,
            can_edit=viewer.license.access_level == License.AccessLevel.FULL,
            reason="your agency serves this client",
        )
    sharing = effective_sharing(client, day)
    if sharing == client.Sharing.NONE:
        return NO_ACCESS
    if sharing == client.Sharing.LIMITED or client.entered_in_protected_project:
        return ClientAccess(Level.IDENTIFIERS, reason="basic identifiers only")
    hidden = _locked_parts(client, agency)
    if "record" in hidden:
        return NO_ACCESS
    return ClientAccess(Level.FULL, hidden_parts=hidden, reason="the client shares their record")


def _locked_parts(client, agency) -> frozenset:
    """Parts locked by other agencies (C10). Uses prefetched locks when a list page
    prefetched them, so a page of results costs one query, not one per client."""
    cached = getattr(client, "_prefetched_objects_cache", {}).get("locks")
    if cached is not None:
        return frozenset(lock.part for lock in cached if lock.status == "active" and lock.agency_id != agency.pk)
    return frozenset(client.locks.filter(status="active").exclude(agency=agency).values_list("part", flat=True))


def visible_clients(viewer: Viewer, clients: QuerySet, day=None) -> QuerySet:
    """Narrow a Client queryset to what the viewer may see at all (identifiers or more),
    annotated with ``viewer_serves`` so client_access() needs no further query."""
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
    not_locked_elsewhere = Q(locked_to_agency__isnull=True) | Q(locked_to_agency=agency)
    shared = Q(sharing__in=["full", "limited"], sharing_until__gte=day, locked_to_agency__isnull=True)
    return clients.filter((Q(viewer_serves=True) & not_locked_elsewhere) | shared)


def visible_rois(viewer: Viewer, client):
    """ROIs shown on a client's page: all to the serving agencies and administrators;
    to others only those not made in a protected project (A7)."""
    rois = client.rois.select_related("agency", "project", "taken_by", "document").order_by("-signed_on")
    access = client_access(viewer, client)
    if viewer.is_admin or access.serves_client:
        return rois
    if not access.full:
        return rois.none()
    return rois.exclude(project__protected=True)
