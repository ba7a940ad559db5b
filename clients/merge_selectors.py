"""Reads for merging duplicate records (issue 21): the page of a merged record, the two
records side by side for the HMIS Lead, and the list of recent merges."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from consent.visibility import Viewer, client_access
from hmis.models import AuditEntry

from . import merge, selectors
from .models import Client, ClientMerge, format_client_id, normalize_client_id

RECENT_DAYS = 90  # the list shows merges of the last 90 days (undo is possible for 30)


def survivor_id_for(*, viewer: Viewer, client_id: str) -> str | None:
    """The HMIS Client ID of the record a merged record now lives in, when the viewer may see
    that record; None otherwise (the merged record's page then shows nothing: 404)."""
    client = Client.objects.filter(client_id=normalize_client_id(client_id), merged_into__isnull=False).first()
    if client is None:
        return None
    survivor = merge.final_survivor(client)
    if survivor.merged_into_id or not client_access(viewer, survivor).visible:
        return None
    return survivor.client_id


@dataclass(frozen=True)
class Side:
    client: Client
    summary: object
    counts: list
    refusals: list


def side_by_side(*, viewer: Viewer, first_id: str, second_id: str) -> tuple[Side, Side]:
    """Both records as the HMIS Lead sees them, each read logged (R2), with what a merge
    would move. Raises LookupError naming the Client ID that is not found."""
    sides = []
    for client_id in (first_id, second_id):
        try:
            client, access = selectors.client_for_viewer(viewer=viewer, client_id=client_id,
                                                         log_kind=AuditEntry.AccessKind.VIEW)
        except Http404:
            merged = Client.objects.filter(client_id=client_id, merged_into__isnull=False).select_related(
                "merged_into").first()
            message = (f"Client {merged.display_id} was merged into client {merged.merged_into.display_id}: "
                       "enter that ID, or undo the merge first." if merged else
                       f"No client has the HMIS Client ID {format_client_id(client_id)}.")
            raise LookupError(client_id, message) from None
        sides.append((client, access))
    (first, first_access), (second, second_access) = sides
    refusals = merge.check_mergeable(survivor=first, duplicate=second)
    return (Side(first, selectors.summarize(viewer, first, first_access), merge.related_counts(first), refusals),
            Side(second, selectors.summarize(viewer, second, second_access), merge.related_counts(second), refusals))


def recent_merges():
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    rows = (ClientMerge.objects.filter(merged_at__gte=since)
            .select_related("survivor", "duplicate", "merged_by", "undone_by").order_by("-merged_at", "-pk"))
    now = timezone.now()
    return [(m, merge.may_undo(m, now), merge.undo_deadline(m)) for m in rows]


@dataclass(frozen=True)
class CreatedAnyway:
    """A client created although the duplicate check found likely matches (D5), with the
    reason the case worker gave: where the Lead looks for duplicates to merge."""

    client_id: str
    display_id: str
    matches: list
    reason: str
    when: object
    who: str
    agency: str


def created_despite_matches(limit: int = 50) -> list[CreatedAnyway]:
    """The last RECENT_DAYS' creations of a client despite a likely duplicate (clients/services.py
    notes them on the creation's audit entry: HMIS Client IDs and the reason), without those
    already merged."""
    from django.contrib.contenttypes.models import ContentType

    since = timezone.now() - timedelta(days=RECENT_DAYS)
    entries = list(AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Client), action=AuditEntry.Action.CREATE,
        timestamp__gte=since, additional_data__has_key="created_despite_matches")
        .select_related("actor", "agency").order_by("-timestamp", "-pk")[:limit])
    clients = Client.objects.in_bulk([int(e.object_pk) for e in entries if str(e.object_pk).isdigit()])
    matched = {m for e in entries for m in e.additional_data.get("created_despite_matches", [])}
    merged = set(Client.objects.filter(client_id__in=matched, merged_into__isnull=False)
                 .values_list("client_id", flat=True))
    found = []
    for entry in entries:
        client = clients.get(int(entry.object_pk)) if str(entry.object_pk).isdigit() else None
        if client is None or client.merged_into_id:
            continue
        matches = [m for m in entry.additional_data.get("created_despite_matches", []) if m not in merged]
        if matches:
            found.append(CreatedAnyway(client.client_id, client.display_id,
                                       [(m, format_client_id(m)) for m in matches],
                                       entry.additional_data.get("reason", ""), entry.timestamp,
                                       entry.actor.display_name if entry.actor else "System",
                                       entry.agency.name if entry.agency else ""))
    return found
