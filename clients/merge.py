"""Merging duplicate client records, and undoing a merge (issue 21).

The HMIS Lead merges a ``duplicate`` into a ``survivor``: every row of every model that points
at the duplicate (found from the model graph, so a model added later is moved without anyone
remembering to) is pointed at the survivor, and exactly which rows moved is recorded on a
ClientMerge, so ``undo_merge`` within UNDO_DAYS puts back those rows and no others. The
duplicate's row is kept, marked merged (hidden from search; its page leads to the survivor's).

Audit entries are not rewritten: an entry keeps the record and the Client ID it was written
for, so who saw which record stays true; the survivor's audit printout (R2,
compliance/client_rights.audit_entries) also lists the entries of every record merged into
it (``merged_records``). Each moved row gets a change entry of its own (history kept, D6).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hmis.errors import PolicyError
from hmis.models import AuditEntry

from .models import Client, ClientMerge, Correction

UNDO_DAYS = 30
# Rows that point at a client by its HMIS Client ID rather than a foreign key.
EXTERNAL_KEY_FILE = "Client.csv"  # reports.models.ExternalKey: the importer's source ID -> client_id


# Plainer words on the compare page for a few tables (any other: the model's own plural name).
TITLES = {
    "clients.ClientGroupObjectPermission": "Agencies serving the client (permission rows)",
    "consent.Roi_clients": "Consents (ROIs) covering the client",
    "consent.ClientLock": "Lock requests and locks",
    "consent.GapApproval": "Requests to enter data between ROIs",
    "compliance.AffectedClient": "Improper-access investigations naming the client",
    "enrollments.VeteranInformation": "Veteran information",
    "clients.HouseholdMember": "Household memberships",
}


@dataclass(frozen=True)
class Relation:
    """One foreign key (or one-to-one) to Client from another model."""

    model: type
    field: object

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def title(self) -> str:
        return TITLES.get(self.model._meta.label) or str(self.model._meta.verbose_name_plural).capitalize()

    def rows_of(self, client):
        return self.model._base_manager.filter(**{self.field.attname: client.pk})

    def unique_sets(self) -> list[tuple[str, ...]]:
        """The other fields that, with this one, a row must hold uniquely: a survivor row with
        the same values makes the duplicate's row a conflict, kept where it is."""
        field = self.field.name
        sets = []
        if self.field.unique:
            sets.append(())
        for together in self.model._meta.unique_together:
            if field in together:
                sets.append(tuple(f for f in together if f != field))
        for constraint in self.model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if field in fields:  # a conditional constraint is treated as always holding: safe
                sets.append(tuple(f for f in fields if f != field))
        return sets


def client_relations() -> list[Relation]:
    """Every foreign key and one-to-one to Client, including the hidden ones (related_name
    "+", the many-to-many tables' own rows such as consent's ROI-client links), found from the
    model graph. Client's own link to what it was merged into and the merge records are
    the merge's bookkeeping, not data of the client, and are not moved. Corrections (D6) stay
    with the record whose values they changed: the latest correction of a field decides who
    may see the field's current value (consent/visibility.provenances), so moved onto the
    survivor they would show the survivor's SSN or demographics to whoever sees the duplicate's
    corrector (C12)."""
    found = []
    for rel in Client._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        if rel.related_model in (Client, ClientMerge, Correction):
            continue
        found.append(Relation(rel.related_model, rel.field))
    return sorted(found, key=lambda r: r.label)


def _external_keys():
    from reports.models import ExternalKey

    return ExternalKey


def related_counts(client) -> list[tuple[str, int]]:
    """What a merge of this client would move, counted by kind (the compare page)."""
    counts = [(r.title, r.rows_of(client).count()) for r in client_relations()]
    counts.append(("Import source IDs", _external_keys().objects.filter(
        file=EXTERNAL_KEY_FILE, local_id=client.client_id).count()))
    return [(title, n) for title, n in counts if n]


def merged_records(client) -> list[Client]:
    """The records merged into this client and not undone, also those merged into them."""
    found, frontier = [], [client.pk]
    while frontier:
        batch = list(Client.objects.filter(merged_into_id__in=frontier).only("pk", "client_id"))
        found += batch
        frontier = [c.pk for c in batch]
    return found


def final_survivor(client) -> Client:
    """The record a merged client now lives in (following merges of merges)."""
    seen = set()
    while client.merged_into_id and client.pk not in seen:
        seen.add(client.pk)
        client = Client.objects.get(pk=client.merged_into_id)
    return client


def undo_deadline(merge):
    return merge.merged_at + timedelta(days=UNDO_DAYS)


def may_undo(merge, now=None) -> bool:
    return merge.undone_at is None and (now or timezone.now()) <= undo_deadline(merge)


def _require_lead(actor) -> None:
    if not (actor.is_authenticated and actor.is_system_admin):
        raise PolicyError("Only the HMIS Lead's system administrators merge client records and undo merges.",
                          rule="T3")


def _share_a_coc(survivor, duplicate) -> bool:
    """Whether the agencies that entered the two records reach each other (C13: a CoC in common,
    or CoCs of one sharing group), as consent/visibility.reach_of decides for every view."""
    from consent.visibility import reach_of

    _, agency_ids = reach_of(survivor.entered_by_agency_id)
    return duplicate.entered_by_agency_id in agency_ids


def _refusals(survivor, duplicate) -> list[str]:
    """Why these two records may not be merged, in plain words (empty: they may)."""
    from enrollments.models import Enrollment

    problems = []
    for client in (survivor, duplicate):
        if client.merged_into_id:
            problems.append(f"Client {client.display_id} was already merged into another record; "
                            "undo that merge first or merge into the record it lives in now.")
        # D7: identifiers removed; there is nothing left to tell that it is the same person.
        if client.deidentified_at:
            problems.append(f"Client {client.display_id} was de-identified (D7): it cannot be matched to a person.")
        # A6: a victim service provider must not have client data in the HMIS at all. A record
        # entered or served there (only an import can put it there) is not spread to a record
        # other agencies see; the HMIS Lead removes it with the provider instead.
        vsp = (client.entered_by_agency.is_victim_service_provider or Enrollment.objects.filter(
            client=client, agency__is_victim_service_provider=True).exists())
        if vsp:
            problems.append(f"Client {client.display_id} holds data of a victim service provider (A6): "
                            "it is not merged with another record.")
    # C3 locked_record and C10 whole-record locks: a locked record is seen only by the agency it
    # is locked to. Merged with a record other agencies see, its stays, notes and consents would
    # be shown to them (or, locked in turn, the other record would vanish from agencies that
    # serve it). Two records locked to the same agency may be merged; otherwise the lock is
    # lifted (or set on both) through the lock procedure first.
    # C13: records are shared within a CoC (or its sharing group) only. Two records entered in
    # CoCs that share nothing would, merged, show one CoC's agencies the other's stays and consents.
    if not _share_a_coc(survivor, duplicate):
        problems.append(f"Clients {survivor.display_id} and {duplicate.display_id} were entered by agencies of "
                        "Continuums of Care that do not share records (C13): they are not merged.")
    if survivor.locked_to_agency_id != duplicate.locked_to_agency_id:
        locked = survivor if survivor.locked_to_agency_id else duplicate
        problems.append(f"Client {locked.display_id} is locked to one agency (C10): a locked record is merged only "
                        "with a record locked to the same agency.")
    return problems


def check_mergeable(*, survivor, duplicate) -> list[str]:
    if survivor.pk == duplicate.pk:
        return ["Enter two different HMIS Client IDs."]
    return _refusals(survivor, duplicate)


def _agencies_told(*clients):
    """The agencies that entered each record and those serving it (their consents, stays)."""
    from agencies.models import Agency
    from consent.models import Roi
    from enrollments.models import Enrollment

    ids = {c.entered_by_agency_id for c in clients}
    ids |= set(Roi.objects.filter(clients__in=clients).values_list("agency_id", flat=True))
    ids |= set(Enrollment.objects.filter(client__in=clients).values_list("agency_id", flat=True))
    return Agency.objects.filter(pk__in=ids).order_by("name")


def _tell(merge, *, undone: bool) -> None:
    """E1: the HMIS Client IDs only, never a name, and not the Lead's reason (it may name someone)."""
    from agencies.selectors import agency_managers
    from hmis.notify import notify

    dup, surv = merge.duplicate.display_id, merge.survivor.display_id
    if undone:
        subject = f"Merge of client {dup} into client {surv} undone"
        body = (f"The HMIS Lead undid the merge of client record {dup} into {surv}. "
                f"Records entered under {dup} are under {dup} again.")
        key = f"client-merge-undone:{merge.pk}"
    else:
        subject = f"Client {dup} merged into client {surv}"
        body = (f"The HMIS Lead found that client records {dup} and {surv} are the same person and merged "
                f"{dup} into {surv}. Records your agency entered under {dup} are now under {surv}. "
                f"The merge can be undone until {timezone.localtime(undo_deadline(merge)):%m/%d/%Y}.")
        key = f"client-merge:{merge.pk}"
    link = reverse("clients:detail", args=[merge.survivor.client_id])
    people = {user.pk: user for agency in _agencies_told(merge.survivor, merge.duplicate)
              for user in agency_managers(agency)}
    notify(people.values(), subject=subject, body=body, link=link, dedupe_key=key)


def _log_moves(rows, *, from_client, to_client, merge, undo: bool) -> None:
    """One change entry per moved row, in bulk: its history shows the move (D6). A row of a
    many-to-many table (an ROI's link to the client) is logged on the record it links."""
    note = f"{'Undo of merge' if undo else 'Merge'} {merge.pk}: {from_client} -> {to_client}"
    by_model: dict[tuple[str, str], list] = {}
    for label, pk, field in rows:
        by_model.setdefault((label, field), []).append(pk)
    entries = []
    for (label, field), pks in by_model.items():
        model = apps.get_model(label)
        if model._meta.auto_created:
            link = next(f for f in model._meta.fields if f.is_relation and f.related_model is not Client)
            field = next((f.name for f in link.related_model._meta.many_to_many if f.remote_field.through is model),
                         field)
            model, pks = link.related_model, list(model._base_manager.filter(pk__in=pks)
                                                   .values_list(link.attname, flat=True))
        content_type = ContentType.objects.get_for_model(model)
        entries += [AuditEntry(
            content_type=content_type, object_pk=str(pk), object_id=int(pk) if str(pk).isdigit() else None,
            object_repr=f"{model._meta.verbose_name} {pk}", action=AuditEntry.Action.UPDATE,
            changes={field: [str(from_client), str(to_client)]},
            actor=merge.undone_by if undo else merge.merged_by, client_ref=to_client.client_id,
            additional_data={"note": note}) for pk in pks]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _log_client(client, *, actor, note: str, changes=None) -> None:
    """The merge or undo on the client's own history (and so on its audit printout, R2)."""
    AuditEntry.objects.log_create(client, force_log=True, action=AuditEntry.Action.UPDATE, actor=actor,
                                  client_ref=client.client_id, changes=changes, additional_data={"note": note})


def _locked_pair(first_pk, second_pk):
    """Both clients, locked in a fixed order (two merges of one record at once: the second
    waits, then sees the first), read afresh."""
    list(Client.objects.select_for_update().filter(pk__in=[first_pk, second_pk]).order_by("pk").values("pk"))
    read = Client.objects.select_related("entered_by_agency")
    return read.get(pk=first_pk), read.get(pk=second_pk)


@transaction.atomic
def merge_clients(*, actor, survivor, duplicate, reason: str) -> ClientMerge:
    """Move everything of ``duplicate`` onto ``survivor``; both agencies are told (E1)."""
    from consent.services import refresh_sharing

    _require_lead(actor)
    reason = (reason or "").strip()
    if not reason:
        raise PolicyError("Say why these two records are the same person.", field="reason")
    if survivor.pk == duplicate.pk:
        raise PolicyError("Enter two different HMIS Client IDs.")
    survivor, duplicate = _locked_pair(survivor.pk, duplicate.pk)
    problems = check_mergeable(survivor=survivor, duplicate=duplicate)
    if problems:
        raise PolicyError(problems)

    moved, kept = [], []
    for relation in client_relations():
        rows = list(relation.rows_of(duplicate))
        if not rows:
            continue
        sets = relation.unique_sets()
        taken = [set(relation.rows_of(survivor).values_list(*others)) if others else
                 {()} if relation.rows_of(survivor).exists() else set() for others in sets]
        going = []
        for row in rows:
            key = (relation.model._meta.label, row.pk, relation.field.name)
            clash = any(tuple(getattr(row, relation.model._meta.get_field(f).attname) for f in others) in seen
                        for others, seen in zip(sets, taken, strict=True))
            (kept if clash else going).append(key)
            if not clash:  # a second duplicate row with the same values now clashes with this one
                for others, seen in zip(sets, taken, strict=True):
                    seen.add(tuple(getattr(row, relation.model._meta.get_field(f).attname) for f in others))
        relation.model._base_manager.filter(pk__in=[pk for _, pk, _ in going]).update(
            **{relation.field.attname: survivor.pk})
        moved += going

    external = _external_keys()
    keys = list(external.objects.filter(file=EXTERNAL_KEY_FILE, local_id=duplicate.client_id)
                .values_list("pk", flat=True))
    external.objects.filter(pk__in=keys).update(local_id=survivor.client_id)
    moved += [(external._meta.label, pk, "local_id") for pk in keys]

    Client.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    merge = ClientMerge.objects.create(survivor=survivor, duplicate=duplicate, reason=reason, merged_by=actor,
                                       moved=[list(row) for row in moved], kept=[list(row) for row in kept])
    refresh_sharing(survivor)
    refresh_sharing(duplicate)
    _log_moves(moved, from_client=duplicate, to_client=survivor, merge=merge, undo=False)
    _log_client(duplicate, actor=actor, note=f"Merged into {survivor} (merge {merge.pk})",
                changes={"merged_into": ["", str(survivor)]})
    _log_client(survivor, actor=actor, note=f"{duplicate} merged into this record (merge {merge.pk})")
    _tell(merge, undone=False)
    return merge


@transaction.atomic
def undo_merge(*, actor, merge: ClientMerge) -> ClientMerge:
    """Put back exactly the rows the merge moved, within UNDO_DAYS of the merge."""
    from consent.services import refresh_sharing

    _require_lead(actor)
    merge = ClientMerge.objects.select_for_update().select_related("survivor", "duplicate").get(pk=merge.pk)
    if merge.undone_at:
        raise PolicyError("This merge was already undone.")
    if not may_undo(merge):
        raise PolicyError(f"A merge can be undone for {UNDO_DAYS} days; this one was made on "
                          f"{timezone.localtime(merge.merged_at):%m/%d/%Y}. Correct the records instead (D6).")
    survivor, duplicate = _locked_pair(merge.survivor_id, merge.duplicate_id)
    if survivor.merged_into_id:
        raise PolicyError(f"Client {survivor.display_id} has since been merged into another record: "
                          "undo that later merge first.")
    back = []
    by_model: dict[tuple[str, str], list] = {}
    for label, pk, field in merge.moved:
        by_model.setdefault((label, field), []).append(pk)
    for (label, field), pks in by_model.items():
        model = apps.get_model(label)
        if field == "local_id":  # the importer's key of Client.csv, by Client ID
            rows = model._base_manager.filter(pk__in=pks, local_id=survivor.client_id)
            found = list(rows.values_list("pk", flat=True))
            rows.update(local_id=duplicate.client_id)
        else:
            attname = model._meta.get_field(field).attname
            # Only rows still on the survivor: a row deleted since stays deleted.
            rows = model._base_manager.filter(pk__in=pks, **{attname: survivor.pk})
            found = list(rows.values_list("pk", flat=True))
            rows.update(**{attname: duplicate.pk})
        back += [(label, pk, field) for pk in found]
    Client.objects.filter(pk=duplicate.pk).update(merged_into=None)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    refresh_sharing(survivor)
    refresh_sharing(duplicate)
    _log_moves(back, from_client=survivor, to_client=duplicate, merge=merge, undo=True)
    _log_client(duplicate, actor=actor, note=f"Merge {merge.pk} into {survivor} undone",
                changes={"merged_into": [str(survivor), ""]})
    _log_client(survivor, actor=actor, note=f"Merge {merge.pk} of {duplicate} undone")
    _tell(merge, undone=True)
    return merge
