"""Reads of project stays, through consent/visibility.py: the serving agency sees its
stays; other agencies see stays only under full sharing, never in a protected
project (A7) and never when the client locked their enrollments (C10)."""

from django.db.models import Q
from django.http import Http404

from clients.selectors import client_for_viewer
from consent.visibility import Viewer, client_access
from hmis.models import AuditEntry

from .models import Enrollment


def enrollments_for_client(*, viewer: Viewer, client):
    access = client_access(viewer, client)
    stays = Enrollment.objects.filter(client=client).select_related("project", "project__agency", "agency")
    if viewer.is_admin:
        return stays
    if not access.full:
        return stays.none()
    own = Q(agency=viewer.agency)
    if "enrollments" in access.hidden_parts:
        return stays.filter(own)
    return stays.filter(own | Q(project__protected=False))


def enrollment_for_viewer(*, viewer: Viewer, enrollment_id: str):
    """The stay and whether the viewer may change it; 404 for what they may not see.
    Opening a stay is a logged read of the client's record."""
    enrollment = Enrollment.objects.select_related("client", "project", "project__coc", "agency").filter(
        enrollment_id=enrollment_id).first()
    if enrollment is None:
        raise Http404("No such enrollment.")
    client, _ = client_for_viewer(viewer=viewer, client_id=enrollment.client.client_id, log_kind=AuditEntry.AccessKind.VIEW)
    if not enrollments_for_client(viewer=viewer, client=client).filter(pk=enrollment.pk).exists():
        raise Http404("No such enrollment, or not one you may see.")
    can_edit = viewer.may_enter_client_data and viewer.agency is not None and enrollment.agency_id == viewer.agency.pk
    return enrollment, can_edit


def household_stays(enrollment: Enrollment):
    return Enrollment.objects.filter(household_id=enrollment.household_id).select_related("client").order_by(
        "relationship_to_hoh", "pk")
