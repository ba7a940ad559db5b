"""The HMIS Lead merges duplicate client records and undoes a merge within 30 days (issue 21):
every row that points at the duplicate moves (checked over the model graph, so a model added
later is covered), exactly those rows come back on undo, the audit printout of the survivor
still lists who saw the duplicate (R2), agencies are told by Client ID only (E1), the rules
refuse merges of locked (C10) and victim service provider (A6) records, and nobody but the
Lead's administrators reaches the pages (T3)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clients import merge as merge_service
from clients.models import CaseNote, Client, ClientGroupObjectPermission, ClientMerge, HouseholdMember
from clients.notes import note_add
from compliance import client_rights
from compliance.models import ClientRightsRequest
from consent import services as consent_services
from consent.models import ClientLock, Roi
from consent.visibility import Viewer
from enrollments.models import Enrollment, VeteranInformation
from hmis.errors import PolicyError
from hmis.models import AuditEntry, Notification
from reports.models import ExternalKey
from tests.clients.states import enroll, license_of, make_client, serve_too
from tests.timetravel import noon

pytestmark = pytest.mark.django_db

DUP_NAME = ("Ada", "Okonkwo")
SURV_NAME = ("Adah", "Okonkwo")


@pytest.fixture
def pair(tenancy):
    """One person entered twice: by Agency A (survivor) and by Agency B (duplicate), each with
    consents, stays, notes, requests and permission rows of its own."""
    t = tenancy
    survivor = make_client(t.worker_a, project=t.shelter_a, first=SURV_NAME[0], last=SURV_NAME[1], ssn="123456789")
    enroll(t.worker_a, survivor, t.shelter_a)
    duplicate = make_client(t.worker_b, project=t.housing_b, first=DUP_NAME[0], last=DUP_NAME[1], ssn="123456789",
                            veteran_status=1)
    enroll(t.worker_b, duplicate, t.housing_b)
    serve_too(t.worker_a, duplicate, project=t.shelter_a)  # A's grant on the duplicate: a conflict to handle
    note_add(actor=t.worker_b, license=license_of(t.worker_b), client=duplicate, text="Met at the library.",
             note_date=date.today())
    client_rights.record_request(actor=t.worker_b, license=license_of(t.worker_b), client=duplicate, kind="audit",
                                 received_on=date.today(), language="en")
    client_rights.record_grievance(actor=t.worker_b, license=license_of(t.worker_b), client=duplicate,
                                   received_on=date.today(), description="Waited long.")
    consent_services.lock_request(actor=t.worker_b, license=license_of(t.worker_b), client=duplicate,
                                  part=ClientLock.Part.DEMOGRAPHICS)
    VeteranInformation.objects.create(client=duplicate, year_entered_service=2001)
    ExternalKey.objects.create(source="Other HMIS", file="Client.csv", external_id="P-77", local_id=duplicate.client_id)
    return survivor, duplicate


def rows_on(client) -> dict[str, set]:
    """Every row pointing at the client, by relation, over the whole model graph."""
    rows = {r.label: set(r.rows_of(client).values_list("pk", flat=True)) for r in merge_service.client_relations()}
    rows["ExternalKey"] = set(ExternalKey.objects.filter(file="Client.csv", local_id=client.client_id)
                              .values_list("pk", flat=True))
    return rows


def test_every_related_row_moves_to_the_survivor_and_undo_puts_exactly_those_back(tenancy, pair):
    survivor, duplicate = pair
    dup_before, surv_before = rows_on(duplicate), rows_on(survivor)
    covered = {label for label, pks in dup_before.items() if pks}
    # the fixture reaches the kinds the issue names (generic check below covers every relation)
    for label in ("clients.ClientGroupObjectPermission.content_object", "clients.HouseholdMember.client",
                  "clients.CaseNote.client", "consent.Roi_clients.client", "consent.ClientLock.client",
                  "enrollments.Enrollment.client", "enrollments.VeteranInformation.client",
                  "compliance.ClientRightsRequest.client", "compliance.Grievance.client", "ExternalKey"):
        assert label in covered, label

    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate,
                                        reason="Same SSN and date of birth; name misspelled at B.")
    kept = {(label, pk) for label, pk, _ in merge.kept}
    dup_after, surv_after = rows_on(duplicate), rows_on(survivor)
    for label, pks in dup_before.items():
        model_label = label.rsplit(".", 1)[0] if label != "ExternalKey" else "reports.ExternalKey"
        staying = {pk for pk in pks if (model_label, pk) in kept}
        assert dup_after[label] == staying, label
        assert surv_after[label] == surv_before[label] | (pks - staying), label
    # A's permission row was on both: one row per group and client, so the duplicate's stays put
    assert ("clients.ClientGroupObjectPermission", ClientGroupObjectPermission.objects.get(
        content_object=duplicate).pk) in kept
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert ExternalKey.objects.get(external_id="P-77").local_id == survivor.client_id

    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    assert rows_on(duplicate) == dup_before and rows_on(survivor) == surv_before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and ClientMerge.objects.get().undone_by == tenancy.admin


def test_rows_added_to_the_survivor_after_the_merge_stay_with_it_on_undo(tenancy, pair):
    survivor, duplicate = pair
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    later = note_add(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=survivor,
                     text="Seen after the merge.", note_date=date.today())
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    assert CaseNote.objects.get(pk=later.pk).client == survivor


def test_sharing_is_recomputed_for_both_records(tenancy, pair):
    survivor, duplicate = pair
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    duplicate.refresh_from_db()
    assert duplicate.sharing == Client.Sharing.NONE and not Roi.objects.filter(clients=duplicate).exists()
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    duplicate.refresh_from_db()
    assert duplicate.sharing == Client.Sharing.FULL


def test_t3_only_the_hmis_leads_administrators_merge(tenancy, pair):
    survivor, duplicate = pair
    for person in (tenancy.worker_a, tenancy.director_a, tenancy.viewer_b):
        with pytest.raises(PolicyError):
            merge_service.merge_clients(actor=person, survivor=survivor, duplicate=duplicate, reason="Same")
    assert not ClientMerge.objects.exists()


def test_t3_merge_pages_refuse_everyone_but_the_lead(tenancy, pair, signed_in):
    survivor, duplicate = pair
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    for person in (tenancy.worker_a, tenancy.director_a, tenancy.viewer_b, tenancy.reporter_b, tenancy.worker_c):
        http = signed_in(person)
        assert http.get(reverse("clients:merge_new")).status_code == 403
        assert http.get(reverse("clients:merge_list")).status_code == 403
        assert http.post(reverse("clients:merge_new"), {"first_id": survivor.client_id, "second_id": "0000-0000",
                                                        "action": "compare"}).status_code == 403
        assert http.post(reverse("clients:merge_undo", args=[merge.pk])).status_code == 403
    assert ClientMerge.objects.get().undone_at is None


def test_the_lead_compares_two_records_and_merges_them_through_the_pages(tenancy, pair, signed_in):
    survivor, duplicate = pair
    http = signed_in(tenancy.admin)
    start = http.get(reverse("clients:merge_new") + f"?client={survivor.client_id}").content.decode()
    assert survivor.display_id in start
    compare = http.post(reverse("clients:merge_new"), {"first_id": survivor.display_id,
                                                       "second_id": duplicate.client_id.lower(), "action": "compare"})
    page = compare.content.decode()
    assert 'data-testid="merge-compare"' in page and "Enrollments: 1" in page and DUP_NAME[0] in page
    # a missing reason and confirmation: said plainly, the IDs and choice kept
    refused = http.post(reverse("clients:merge_new"), {"first_id": survivor.client_id, "second_id": duplicate.client_id,
                                                       "survivor": "first", "action": "merge"}).content.decode()
    assert "Say why these two records are the same person." in refused
    assert "Tick the box" in refused and f'value="{duplicate.client_id}"' in refused
    assert not ClientMerge.objects.exists()
    done = http.post(reverse("clients:merge_new"), {"first_id": survivor.client_id, "second_id": duplicate.client_id,
                                                    "survivor": "first", "reason": "Same SSN", "confirm": "on",
                                                    "action": "merge"})
    assert done.status_code == 302 and done["Location"] == reverse("clients:merge_list")
    merge = ClientMerge.objects.get()
    assert (merge.survivor, merge.duplicate, merge.merged_by) == (survivor, duplicate, tenancy.admin)
    listing = http.get(reverse("clients:merge_list")).content.decode()
    assert f"Undo the merge of {duplicate.display_id}" in listing
    assert http.post(reverse("clients:merge_undo", args=[merge.pk])).status_code == 302
    assert ClientMerge.objects.get().undone_at is not None
    assert "Undone" in http.get(reverse("clients:merge_list")).content.decode()


def test_an_unknown_client_id_is_said_plainly_and_kept(tenancy, pair, signed_in):
    survivor, _ = pair
    http = signed_in(tenancy.admin)
    page = http.post(reverse("clients:merge_new"), {"first_id": survivor.client_id, "second_id": "2222-2222",
                                                    "action": "compare"}).content.decode()
    assert "No client has the HMIS Client ID 2222-2222." in page and 'value="2222-2222"' in page


def test_undo_after_30_days_is_refused_with_a_clear_message(tenancy, pair, signed_in):
    survivor, duplicate = pair
    with time_machine.travel(noon(date.today() - timedelta(days=31)), tick=False):
        merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate,
                                            reason="Same")
    with pytest.raises(PolicyError, match="can be undone for 30 days"):
        merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    http = signed_in(tenancy.admin)
    listing = http.get(reverse("clients:merge_list")).content.decode()
    assert "No longer possible" in listing and "Undo the merge" not in listing
    response = http.post(reverse("clients:merge_undo", args=[merge.pk]), follow=True)
    assert "can be undone for 30 days" in response.content.decode()
    assert ClientMerge.objects.get().undone_at is None


def test_undo_on_the_30th_day_is_still_possible(tenancy, pair):
    survivor, duplicate = pair
    with time_machine.travel(timezone.now() - timedelta(days=29, hours=23), tick=False):
        merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate,
                                            reason="Same")
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)


def test_e1_both_agencies_are_told_by_client_id_only(tenancy, pair):
    survivor, duplicate = pair
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
        merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate,
                                            reason=f"{DUP_NAME[0]} {DUP_NAME[1]} typed twice")
        merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    told = Notification.objects.all()
    assert {n.recipient for n in told} >= {tenancy.director_a}
    texts = [f"{n.subject} {n.body}" for n in told] + [f"{m.subject} {m.body}" for m in mail.outbox]
    assert texts and any(duplicate.display_id in text and survivor.display_id in text for text in texts)
    for text in texts:
        for word in (*DUP_NAME, *SURV_NAME, "1980", "6789", "typed twice"):
            assert word not in text


def test_e1_the_agency_that_entered_the_duplicate_is_told(tenancy, pair):
    from tests.clients.states import manager_of

    director_b = manager_of(tenancy.agency_b, "director_b")
    survivor, duplicate = pair
    merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    assert Notification.objects.filter(recipient=director_b, subject__contains=duplicate.display_id).exists()
    assert Notification.objects.filter(recipient=tenancy.director_a, subject__contains=survivor.display_id).exists()


def test_a_merged_duplicates_page_leads_to_the_survivor_or_shows_nothing(tenancy, pair, signed_in):
    survivor, duplicate = pair
    merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    url = reverse("clients:detail", args=[duplicate.client_id])
    for person in (tenancy.admin, tenancy.worker_a, tenancy.worker_b):
        response = signed_in(person).get(url)
        assert response.status_code == 302 and response["Location"] == reverse("clients:detail",
                                                                                args=[survivor.client_id])
    # C13: Agency C (another CoC) may see neither: nothing, not even that a survivor exists
    response = signed_in(tenancy.worker_c).get(url)
    assert response.status_code == 404 and survivor.client_id not in response.content.decode()
    # its other pages show nothing of it either
    assert signed_in(tenancy.worker_b).get(reverse("clients:correct", args=[duplicate.client_id])).status_code == 404


def test_d5_a_merged_duplicate_is_hidden_from_search(tenancy, pair, signed_in):
    survivor, duplicate = pair
    merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    page = signed_in(tenancy.worker_b).post(reverse("clients:search"), {"text": "Okonkwo"}).content.decode()
    assert survivor.display_id in page and duplicate.display_id not in page
    by_id = signed_in(tenancy.admin).post(reverse("clients:search"), {"text": duplicate.display_id}).content.decode()
    assert reverse("clients:detail", args=[duplicate.client_id]) not in by_id


def test_r2_the_survivors_audit_printout_lists_the_accesses_to_the_duplicate(tenancy, pair, signed_in):
    survivor, duplicate = pair
    signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[duplicate.client_id]))
    seen = AuditEntry.objects.filter(client_ref=duplicate.client_id, action=AuditEntry.Action.ACCESS,
                                     actor=tenancy.worker_b, access_kind="view")
    assert seen.exists()
    assert not set(seen.values_list("pk", flat=True)) & {e.pk for e in client_rights.audit_entries(survivor)}
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    entries = {e.pk for e in client_rights.audit_entries(survivor)}
    assert set(seen.values_list("pk", flat=True)) <= entries
    # the printout itself, as the Lead produces it
    request = ClientRightsRequest.objects.create(client=survivor, agency=tenancy.agency_a, kind="audit",
                                                 language="en", received_on=date.today(), due_on=date.today(),
                                                 recorded_by=tenancy.admin)
    from agencies.models import License

    lead_license = License(user=tenancy.admin, agency=tenancy.agency_a)
    rows = []

    def capture(template, context, request_obj=None):
        rows.extend(context["rows"])
        return b"%PDF"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("hmis.pdf.render_pdf", capture)
        client_rights.produce(actor=tenancy.admin, license=lead_license, request=request)
    assert any(who == tenancy.worker_b.display_name and agency == "Agency B" and what == "viewed"
               for _, who, agency, what in rows)
    # undone: the accesses belong to the duplicate alone again
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    assert not set(seen.values_list("pk", flat=True)) & {e.pk for e in client_rights.audit_entries(survivor)}


def test_every_merge_and_undo_is_audited_on_both_records(tenancy, pair):
    survivor, duplicate = pair
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    for client in (survivor, duplicate):
        notes = [e.additional_data.get("note", "") for e in AuditEntry.objects.filter(
            client_ref=client.client_id, actor=tenancy.admin, action=AuditEntry.Action.UPDATE,
            content_type__model="client")]
        assert any("merge" in n.lower() and "undone" not in n for n in notes)
        assert any("undone" in n for n in notes)
    # each moved row's own history shows the move
    stay = Enrollment.objects.get(client=duplicate)
    moves = AuditEntry.objects.filter(content_type__model="enrollment", object_pk=str(stay.pk),
                                      action=AuditEntry.Action.UPDATE)
    assert moves.count() == 2
    # an ROI's link to the client (a many-to-many row) is logged on the ROI itself
    roi = Roi.objects.get(clients=duplicate, agency=tenancy.agency_b)
    assert AuditEntry.objects.filter(content_type__model="roi", object_pk=str(roi.pk), action=AuditEntry.Action.UPDATE,
                                     changes__has_key="clients", additional_data__note__icontains="merge").count() == 2
    # the merge record itself (django-auditlog): created and updated
    assert AuditEntry.objects.filter(content_type__model="clientmerge", object_pk=str(merge.pk)).count() == 2


def test_c10_a_record_locked_to_one_agency_is_not_merged_with_one_others_see(tenancy, pair):
    survivor, duplicate = pair
    Client.objects.filter(pk=duplicate.pk).update(locked_to_agency=tenancy.agency_b)
    with pytest.raises(PolicyError, match="locked to one agency"):
        merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    assert Enrollment.objects.filter(client=duplicate).exists() and not ClientMerge.objects.exists()


def test_a6_a_record_with_a_victim_service_providers_stay_is_not_merged(tenancy, pair):
    survivor, duplicate = pair
    Enrollment.objects.filter(client=duplicate).update(agency=tenancy.agency_v, project=tenancy.shelter_v)
    with pytest.raises(PolicyError, match="victim service provider"):
        merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")


def test_the_compare_page_says_why_a_merge_is_refused(tenancy, pair, signed_in):
    survivor, duplicate = pair
    Client.objects.filter(pk=duplicate.pk).update(locked_to_agency=tenancy.agency_b)
    page = signed_in(tenancy.admin).post(reverse("clients:merge_new"), {
        "first_id": survivor.client_id, "second_id": duplicate.client_id, "action": "compare"}).content.decode()
    assert 'data-testid="merge-refusals"' in page and 'data-testid="merge-submit"' not in page


def test_a_merged_record_is_not_merged_again_and_a_chain_undoes_in_order(tenancy, pair):
    survivor, duplicate = pair
    third = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Ada", last="Okonkwo-Smith", ssn="219099999")
    first = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    with pytest.raises(PolicyError, match="already merged"):
        merge_service.merge_clients(actor=tenancy.admin, survivor=third, duplicate=duplicate, reason="Same")
    second = merge_service.merge_clients(actor=tenancy.admin, survivor=third, duplicate=survivor, reason="Same")
    # the first duplicate's accesses reach the final survivor's audit too
    assert {c.pk for c in merge_service.merged_records(third)} == {survivor.pk, duplicate.pk}
    with pytest.raises(PolicyError, match="undo that later merge first"):
        merge_service.undo_merge(actor=tenancy.admin, merge=first)
    merge_service.undo_merge(actor=tenancy.admin, merge=second)
    merge_service.undo_merge(actor=tenancy.admin, merge=first)
    assert Enrollment.objects.filter(client=duplicate).count() == 1


def test_a_household_both_records_share_keeps_one_membership_each_without_error(tenancy, pair):
    survivor, duplicate = pair
    household = HouseholdMember.objects.filter(client=survivor).first().household
    HouseholdMember.objects.create(household=household, client=duplicate)
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    assert HouseholdMember.objects.filter(household=household, client=duplicate).exists()
    assert any(label == "clients.HouseholdMember" for label, _, _ in merge.kept)


def test_the_viewer_helper_sees_the_survivor_for_the_lead(tenancy, pair):
    from clients.merge_selectors import survivor_id_for

    survivor, duplicate = pair
    merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    assert survivor_id_for(viewer=Viewer(tenancy.admin, None), client_id=duplicate.display_id) == survivor.client_id


def test_d5_a_client_created_despite_a_match_is_listed_for_the_lead_with_a_compare_link(tenancy, signed_in):
    from tests.clients.helpers import CLIENT, consent_step, full_intake

    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    consent_step(worker_b, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    url = reverse("clients:intake_client", args=[Roi.objects.get(agency=tenancy.agency_b).pk])
    worker_b.post(url, {**CLIENT, "action": "check"})
    worker_b.post(url, {**CLIENT, "action": "create", "checked": "1", "duplicate_reason": "Looked different"})
    again = Client.objects.latest("pk")
    assert again != marisol

    lead = signed_in(tenancy.admin)
    listing = lead.get(reverse("clients:merge_list")).content.decode()
    compare = f"{reverse('clients:merge_new')}?client={again.client_id}&amp;other={marisol.client_id}"
    assert compare in listing and "Looked different" in listing
    start = lead.get(compare.replace("&amp;", "&")).content.decode()
    assert f'value="{again.display_id}"' in start and f'value="{marisol.display_id}"' in start
    # merged: no longer listed
    merge_service.merge_clients(actor=tenancy.admin, survivor=marisol, duplicate=again, reason="Same")
    assert compare not in lead.get(reverse("clients:merge_list")).content.decode()


def test_c11_a_merged_duplicate_is_not_listed_as_a_client_without_an_roi(tenancy, pair, signed_in):
    survivor, duplicate = pair
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    lead = signed_in(tenancy.admin)
    assert duplicate.display_id not in lead.get(reverse("consent:clients_without_roi")).content.decode()
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    Roi.objects.filter(clients=duplicate).update(revoked_on=date.today())
    assert duplicate.display_id in lead.get(reverse("consent:clients_without_roi")).content.decode()


def test_c12_corrections_stay_with_the_record_they_corrected(tenancy, pair):
    """A correction decides who may see a field's current value (the latest one's consent);
    moved onto the survivor, B's correction of the duplicate's SSN would make the survivor's
    SSN, entered by A, visible to whoever sees B's records."""
    from clients.models import Correction
    from clients.services import client_correct

    survivor, duplicate = pair
    client_correct(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), client=duplicate,
                   kind="inaccurate", note="Typo in the SSN", ssn="123456780")
    corrections = set(Correction.objects.filter(client=duplicate).values_list("pk", flat=True))
    assert corrections
    merge = merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same")
    assert set(Correction.objects.filter(client=duplicate).values_list("pk", flat=True)) == corrections
    assert not Correction.objects.filter(client=survivor).exists()
    merge_service.undo_merge(actor=tenancy.admin, merge=merge)
    assert set(Correction.objects.filter(client=duplicate).values_list("pk", flat=True)) == corrections


def test_c13_records_of_cocs_that_share_nothing_are_not_merged(tenancy, pair):
    survivor, _ = pair
    other = make_client(tenancy.worker_c, project=tenancy.shelter_c, first="Adah", last="Okonkwo", ssn="123456789")
    with pytest.raises(PolicyError, match="C13"):
        merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=other, reason="Same")
    assert not ClientMerge.objects.exists()


def test_r1_a_request_naming_a_merged_record_is_taken_for_the_record_it_lives_in(tenancy, pair):
    survivor, duplicate = pair
    merge_service.merge_clients(actor=tenancy.admin, survivor=survivor, duplicate=duplicate, reason="Same person")
    found = client_rights.client_for_request(duplicate.client_id, duplicate.dob)
    assert found is not None and found.pk == survivor.pk
