"""Reads of client data. Each takes the viewer and returns only what they may see,
already narrowed to the fields their access allows (consent/visibility.py)."""

import difflib
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf, reverse

from consent.models import Roi
from consent.visibility import (
    ClientAccess,
    Level,
    Viewer,
    client_access,
    correction_values_visible,
    document_visible,
    listed_clients,
    locks_visible,
    profile_access,
    record_visible,
)
from hmis import crypto
from hmis.audit import log_access
from hmis.models import AuditEntry
from hmis.pii import mask_ssn

from .models import CLIENT_ID_ALPHABET, Client, HouseholdMember, normalize_client_id
from .validation import ssn_digits

RESULT_LIMIT = 25


@dataclass(frozen=True)
class ClientSummary:
    """What a search result or duplicate match shows: basic identifiers (C2, D5)."""

    client_id: str
    display_id: str
    pk: int
    name: str
    dob: object
    ssn_last4: str
    level: Level
    serves: bool

    @property
    def masked_ssn(self) -> str:
        return f"XXX-XX-{self.ssn_last4}" if self.ssn_last4 else ""

    # A results table shows 25 of these on every keystroke: Django's {% url %} and |date
    # took two thirds of its rendering (about 3 ms), these a tenth of it.
    @property
    def detail_url(self) -> str:
        return client_detail_url(self.client_id)

    @property
    def dob_text(self) -> str:
        return self.dob.strftime("%m/%d/%Y") if self.dob else ""  # the |date:"m/d/Y" it replaces

    def as_api(self) -> dict:
        return {
            "client_id": self.display_id,
            "name": self.name,
            "dob": self.dob.isoformat() if self.dob else None,
            "ssn_last4": self.ssn_last4 or None,
            "access": "full" if self.level == Level.FULL else "identifiers",
        }


_CLIENT_ID_SLOT = "CLIENTID"  # not an HMIS Client ID (those have no I), so replaced only where the ID goes


@functools.lru_cache(maxsize=16)
def _detail_url_pattern(urlconf, script_prefix) -> str:
    return reverse("clients:detail", args=[_CLIENT_ID_SLOT], urlconf=urlconf)


def client_detail_url(client_id: str) -> str:
    """reverse("clients:detail", args=[client_id]), reversed once per URL configuration."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _detail_url_pattern(urlconf, get_script_prefix()).replace(_CLIENT_ID_SLOT, client_id)


def with_consents(clients):
    """What client_access() reads, fetched with the clients: their ROIs (with projects),
    locks and which agencies' stays are in protected projects, so a list costs the same
    queries for 1 client or 25."""
    from enrollments.models import Enrollment

    stays = Enrollment.objects.select_related("project").only("client_id", "agency_id", "project__protected")
    return clients.prefetch_related(Prefetch("rois", Roi.objects.select_related("project")), "locks",
                                    Prefetch("enrollments", stays))


def summarize(viewer: Viewer, client: Client, access: ClientAccess | None = None) -> ClientSummary:
    if access is None and hasattr(client, "viewer_level"):
        # Read through listed_clients(): the SQL decided the level (held equal to client_access()).
        access = ClientAccess(Level(client.viewer_level), serves_client=bool(client.viewer_serves))
    access = access or client_access(viewer, client)
    return ClientSummary(
        client_id=client.client_id, display_id=client.display_id, pk=client.pk, name=client.full_name, dob=client.dob,
        ssn_last4=client.ssn_last4, level=access.level, serves=access.serves_client,
    )


def _name_words(text: str) -> list[str]:
    return [word for word in " ".join(text.lower().split()).split() if len(word) > 1]


def _name_filter(clients, text: str, every_word: bool = True):
    """Clients whose name is like ``text``: each typed word (or, with every_word=False,
    any of them) close to a word of the name, so "Jon Smiht" finds John Smith without
    listing every John. Best matches first."""
    text = " ".join(text.lower().split())
    words = _name_words(text) or [text]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # search_name %> word: word similarity at least pg_trgm.word_similarity_threshold
        # (settings.CLIENT_SEARCH_SIMILARITY, set per connection), answered from the trigram index.
        # A similarity computed in the WHERE clause instead would read every client.
        close = [Q(search_name__trigram_word_similar=word) for word in words]
        matched = close[0]
        for condition in close[1:]:
            matched = (matched & condition) if every_word else (matched | condition)
        return (
            clients.annotate(similarity=TrigramWordSimilarity(text, "search_name"))
            .filter(matched | Q(search_name__contains=text))
            .order_by("-similarity", "last_name")
        )
    # SQLite (embedded default): narrow by a shared 2-letter start, rank in Python.
    starts = Q()
    for token in text.split():
        starts |= Q(search_name__contains=token[:2])
    return clients.filter(starts)


def _rank_in_python(results: list[Client], text: str) -> list[Client]:
    if connection.vendor == "postgresql" or not text:
        return results

    def score(client):
        words = client.search_name.split()
        return max(
            (difflib.SequenceMatcher(None, token, word).ratio() for token in text.lower().split() for word in words),
            default=0,
        )

    ranked = [(score(c), c) for c in results]
    return [c for s, c in sorted(ranked, key=lambda pair: -pair[0]) if s >= 0.6 or text.lower() in c.search_name]


# What a search result shows (ClientSummary), and search_name for ranking on SQLite.
SUMMARY_FIELDS = ("client_id", "first_name", "middle_name", "last_name", "name_suffix", "search_name", "dob",
                  "ssn_encrypted")


def _searchable(viewer: Viewer):
    """The clients the viewer may see, each with its level decided in the same SQL, reading
    only the columns a result shows."""
    # Issue 21: a record merged into another is found as the one it was merged into.
    return listed_clients(viewer).filter(merged_into__isnull=True).only(*SUMMARY_FIELDS)


def _search_terms(text: str, dob, ssn_last4: str) -> tuple[str, object, str]:
    return (text or "").strip(), dob, ssn_digits(ssn_last4)[-4:]


def _narrowed(clients, dob, last4: str):
    if dob:
        clients = clients.filter(dob=dob)
    if len(last4) == 4:
        clients = clients.filter(ssn_last4_hash=crypto.keyed_hash("ssn-last4", last4))
    return clients


def search_query(*, viewer: Viewer, text: str = "", dob=None, ssn_last4: str = "", limit: int = RESULT_LIMIT,
                 every_word: bool = True):
    """The query of a search by name, date of birth and/or last 4 of SSN, as the page runs
    it: the clients the viewer may see (each with its level) matching the terms, best
    first. hmis/bench.py times it bare beside the page."""
    text, dob, last4 = _search_terms(text, dob, ssn_last4)
    clients = _narrowed(_searchable(viewer), dob, last4)
    if text:
        clients = _name_filter(clients, text, every_word=every_word)
    return clients[:_candidates(text, limit)]


def search_clients(*, viewer: Viewer, text: str = "", dob=None, ssn_last4: str = "", limit: int = RESULT_LIMIT):
    """D5: find clients by name (typo-tolerant), date of birth, last 4 of SSN or HMIS
    Client ID, among those the viewer may see."""
    text, dob, last4 = _search_terms(text, dob, ssn_last4)
    if not text and not dob and len(last4) < 4:
        return []
    candidate_id = normalize_client_id(text)
    by_id = []
    if len(candidate_id) == 8 and all(ch in CLIENT_ID_ALPHABET for ch in candidate_id):
        by_id = [summarize(viewer, c) for c in _searchable(viewer).filter(client_id=candidate_id)[:1]]
        # A typed ID (digits or the dash of XXXX-XXXX) is that client alone; an ID that
        # is also a word ("JONATHAN" can be one) comes first, before the names like it.
        if by_id and (any(ch.isdigit() for ch in text) or "-" in text):
            return by_id
    terms = {"viewer": viewer, "text": text, "dob": dob, "ssn_last4": last4, "limit": limit}
    found = _summaries(viewer, search_query(**terms), text, limit)
    if text and not found and len(_name_words(text)) > 1:
        # A word the record lacks (a middle name, a second surname): any word will do.
        found = _summaries(viewer, search_query(**terms, every_word=False), text, limit)
    first = by_id if not dob and len(last4) < 4 else []
    return (first + [s for s in found if s.client_id not in {c.client_id for c in first}])[:limit]


def _candidates(text: str, limit: int) -> int:
    # SQLite ranks names in Python, so it reads more candidates than it shows.
    return limit * 4 if text and connection.vendor != "postgresql" else limit


def _summaries(viewer, query, text, limit) -> list[ClientSummary]:
    return [summarize(viewer, c) for c in _rank_in_python(list(query), text)[:limit]]


def likely_duplicates(*, viewer: Viewer, first_name: str, last_name: str, dob=None, ssn: str = ""):
    """D5: before a new client is created, the existing clients they may be: the same
    SSN, or a similar name with the same date of birth, or a very similar name."""
    clients = _searchable(viewer)
    digits = ssn_digits(ssn)
    found: dict[str, ClientSummary] = {}
    if len(digits) == 9:
        for c in clients.filter(ssn_hash=crypto.keyed_hash("ssn", digits))[:5]:
            found[c.client_id] = summarize(viewer, c)
    name = f"{first_name} {last_name}".strip()
    if name:
        for summary in search_clients(viewer=viewer, text=name, dob=dob, limit=5):
            found.setdefault(summary.client_id, summary)
        if dob:
            for summary in search_clients(viewer=viewer, text=last_name or first_name, dob=dob, limit=5):
                found.setdefault(summary.client_id, summary)
    return list(found.values())


def client_for_viewer(*, viewer: Viewer, client_id: str, log_kind: str | None = AuditEntry.AccessKind.VIEW):
    """The client and the viewer's access, or 404 for what they may not see. The read
    is logged (DESIGN conv. 5) unless log_kind is None (the caller logs it itself)."""
    # One client: read it plainly and ask the one-record answer (client_access), which
    # tests hold equal to visible_clients(); building that SQL costs more than it saves here.
    client = (
        with_consents(Client.objects.select_related("entered_by_agency", "locked_to_agency", "consent__project"))
        .filter(client_id=normalize_client_id(client_id))
        .first()
    )
    if client is None or client.merged_into_id:  # issue 21: a merged record shows nothing of its own
        raise Http404("No such client, or not one you may see.")
    access = client_access(viewer, client)
    if not access.visible:
        raise Http404("No such client, or not one you may see.")
    if log_kind:
        log_access(client, kind=log_kind, actor=viewer.user, agency=viewer.agency, client_ref=client.client_id)
    return client, access


def household_member_ids(client: Client):
    """The primary keys of the other members of the client's households, as a subquery.

    Written on the membership table alone: joined through the client table, PostgreSQL
    chose a merge join that walked all million clients' keys for a new client (240 ms)."""
    households = HouseholdMember.objects.filter(client=client).values("household_id")
    return HouseholdMember.objects.filter(household_id__in=households).exclude(client=client).values("client_id")


def household_of(*, viewer: Viewer, client: Client) -> list[ClientSummary]:
    """Other members of the client's households that the viewer may see, in households the
    viewer may see (C12: who lives with whom is shared by the intake's consent)."""
    memberships = list(HouseholdMember.objects.filter(household__members__client=client).exclude(client=client)
                       .select_related("household__consent__project"))
    if not memberships:
        return []
    shown = {m.household_id for m in memberships if record_visible(viewer, m.household, client=client)}
    others = with_consents(Client.objects.filter(pk__in=[m.client_id for m in memberships if m.household_id in shown]))
    summaries = []
    for other in others:
        access = client_access(viewer, other)
        if access.visible:
            summaries.append(summarize(viewer, other, access))
    return summaries


def client_record(*, viewer: Viewer, client: Client, access: ClientAccess) -> dict:
    """Everything of the client's page beyond the identifiers, each record as the viewer
    may see it (C12): their own agency's records, and others' under the consent that
    covered them."""
    from consent.documents import downloadable
    from enrollments.selectors import enrollments_for_client

    if not access.full:
        return {"profile": profile_access(viewer, client, access)}
    rois = [roi for roi in client.rois.select_related("agency", "project", "taken_by", "document").order_by("-signed_on")
            if record_visible(viewer, roi, client=client)]
    for roi in rois:
        roi.document_visible = bool(roi.document_id) and document_visible(viewer, roi.document)
        roi.document_awaits_scan = roi.document_visible and not downloadable(roi.document)  # E5
        roi.revocable = access.can_edit and roi.agency_id == viewer.agency_id and not roi.revoked_on
    return {
        "profile": profile_access(viewer, client, access),
        "enrollments": enrollments_for_client(viewer=viewer, client=client),
        "rois": rois,
        "corrections": correction_values_visible(viewer, client),
        "locks": locks_visible(viewer, client),
        "has_ssn": bool(client.ssn_encrypted),
    }


def masked_ssn_of(client: Client) -> str:
    return mask_ssn(client.ssn)


def correction_rows(*, viewer: Viewer, client: Client, corrections) -> list:
    """Corrections as the viewer may see them: (correction, shows previous, shows new)."""
    return correction_values_visible(viewer, client, corrections)


def log_shown(summaries, *, viewer: Viewer, kind: str, note: str) -> None:
    """Searches are audited: who saw which clients in a list, and when (R2)."""
    from hmis.audit import log_shown as write

    write(summaries, model=Client, kind=kind, actor=viewer.user, agency=viewer.agency, note=note)


def as_seen_by(viewer: Viewer, clients) -> list:
    """The clients with the client-row values the viewer may not see replaced in memory by
    "data not collected" (C10, C12), for reports made for an agency. The instances are
    marked so they can never be saved."""
    from consent.visibility import prefetch_for_visibility, values_not_shown

    unique = list({c.pk: c for c in clients}.values())
    if not unique:
        return unique
    prefetch_for_visibility(unique)
    for client in unique:
        replaced = values_not_shown(viewer, client)
        replaced.pop("ssn", None)  # reports show no SSN; its data quality stays as recorded
        for name, value in replaced.items():
            setattr(client, name, value)
        client.seen_as_redacted = bool(replaced)
    return unique
