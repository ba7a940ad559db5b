"""Referrals between agencies (issue 21), through the pages case workers use: refer from the
client's page or a stay, the receiving agency's queue, accept or decline with a reason,
withdraw, history on both sides, notifications with the Client ID only (E1), the consent
rule (C2, C3, C6, C9, C10, C12, C13), and an attacker's tries."""

from datetime import date

import pytest
from django.urls import reverse

from consent import services as consent_services
from consent.models import ClientLock
from consent.visibility import Viewer, referral_refusal, referral_visible, visible_referrals
from enrollments import referrals
from enrollments.models import Referral, ReferralEvent
from hmis.errors import PolicyError
from hmis.models import AuditEntry, Notification
from tests.clients.states import enroll, expire, license_of, make_client, serve_too

pytestmark = pytest.mark.django_db
NOTE = "Needs housing with support; ready to move."
PII = ("Ada", "Okonkwo", "1980", "05/17", "123456789", "6789")


@pytest.fixture
def ada(tenancy):
    """A client Agency A serves under a full consent, with a stay in A's shelter."""
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    client.stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    return client


def refer(http, client, project, note=NOTE, **extra):
    return http.post(reverse("enrollments:refer", args=[client.client_id]),
                     {"to_project": project.pk if project else "", "note": note, **extra})


def made(t, client, project=None):
    return referrals.refer(actor=t.worker_a, license=license_of(t.worker_a), client=client,
                           to_project=project or t.housing_b, note=NOTE)


def page(http, referral):
    return http.get(reverse("enrollments:referral", args=[referral.referral_id]))


def assert_no_pii(notes):
    for n in notes:
        text = f"{n.subject} {n.body} {n.link}"
        for word in PII:
            assert word not in text, (word, text)


# --- Referring ------------------------------------------------------------------------------
def test_e1_refer_from_the_client_page_tells_the_receiving_agency_by_client_id_only(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    client_page = worker.get(reverse("clients:detail", args=[ada.client_id])).content.decode()
    assert reverse("enrollments:refer", args=[ada.client_id]) in client_page
    form = worker.get(reverse("enrollments:refer", args=[ada.client_id])).content.decode()
    # Other agencies' projects in the CoC, never A's own, another CoC's, or a VSP's (A6, C13).
    assert "Agency B: B Housing" in form and "A Shelter" not in form
    assert "C Shelter" not in form and "V Shelter" not in form
    response = refer(worker, ada, tenancy.housing_b)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("enrollments:referral",
                                                                           args=[referral.referral_id])
    assert (referral.client, referral.from_agency, referral.to_agency, referral.referred_by, referral.status) == (
        ada, tenancy.agency_a, tenancy.agency_b, tenancy.worker_a, "pending")
    assert list(referral.events.values_list("kind", flat=True)) == ["referred"]
    told = Notification.objects.filter(subject__contains="New referral")
    # The receiving agency's people who can act on it: not its view-only or reporting-only staff.
    assert {n.recipient for n in told} == {tenancy.worker_b}
    assert ada.display_id in told.get().subject
    assert_no_pii(told)


def test_refer_from_a_stay_keeps_the_stay_and_returns_to_it_on_cancel(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    stay_page = worker.get(reverse("enrollments:detail", args=[ada.stay.enrollment_id])).content.decode()
    url = f"{reverse('enrollments:refer', args=[ada.client_id])}?stay={ada.stay.enrollment_id}"
    assert url in stay_page
    form = worker.get(url).content.decode()
    assert "A Shelter" in form and reverse("enrollments:detail", args=[ada.stay.enrollment_id]) in form
    refer(worker, ada, tenancy.housing_b, stay=ada.stay.enrollment_id)
    assert Referral.objects.get().from_enrollment == ada.stay


def test_bad_input_keeps_what_was_typed(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    response = refer(worker, ada, None, note="Typed with care")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-summary"' in body and "Typed with care" in body
    empty = refer(worker, ada, tenancy.housing_b, note="   ").content.decode()
    assert 'data-testid="error-summary"' in empty
    assert not Referral.objects.exists()
    refer(worker, ada, tenancy.housing_b)
    again = refer(worker, ada, tenancy.housing_b, note="Second try").content.decode()
    assert "already has a referral to that project waiting" in again and "Second try" in again
    assert Referral.objects.count() == 1


# --- The consent rule -------------------------------------------------------------------------
def test_c2_a_limited_consent_allows_a_referral_and_the_receiver_sees_identifiers_only(tenancy, signed_in):
    lima = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited")
    enroll(tenancy.worker_a, lima, tenancy.shelter_a)
    referral = made(tenancy, lima)
    receiver = signed_in(tenancy.worker_b)
    body = page(receiver, referral).content.decode()
    assert "Ada Okonkwo" in body and NOTE in body
    # Identifiers only: the client's record (A's stay) stays with A.
    assert receiver.get(reverse("clients:detail", args=[lima.client_id])).status_code == 200
    assert "A Shelter" not in receiver.get(reverse("clients:detail", args=[lima.client_id])).content.decode()


def test_c9_c6_a_revoked_or_expired_consent_cannot_refer_and_the_page_says_what_is_needed(tenancy, signed_in):
    revoked = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Reva")
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                roi=revoked.rois.get(), revoked_on=date.today())
    expired = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Exa")
    expire(expired)
    worker = signed_in(tenancy.worker_a)
    for client in (revoked, expired):
        form = worker.get(reverse("enrollments:refer", args=[client.client_id]))
        body = form.content.decode()
        assert form.status_code == 200 and 'data-testid="consent-problem"' in body
        assert "no consent in force" in body and reverse("clients:consent_new", args=[client.client_id]) in body
        refused = refer(worker, client, tenancy.housing_b).content.decode()
        assert "no consent in force" in refused
        with pytest.raises(PolicyError):
            made(tenancy, client)
    assert not Referral.objects.exists()


def test_c12_another_agencys_consent_does_not_let_an_agency_refer(tenancy, signed_in):
    """B serves Jamie under its own full consent; A's consent is revoked. A serves him still
    (its records), but cannot share him: B's consent shares B's data, not A's referral."""
    jamie = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Jamie")
    serve_too(tenancy.worker_b, jamie, project=tenancy.housing_b)
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                roi=jamie.rois.get(agency=tenancy.agency_a), revoked_on=date.today())
    assert "no consent in force" in referral_refusal(jamie, tenancy.agency_a, tenancy.housing_b)


def test_c10_c3_a_record_locked_to_one_agency_cannot_be_referred(tenancy, ada):
    ClientLock.objects.create(client=ada, agency=tenancy.agency_a, part="record", source="client_request",
                              status="active", requested_by=tenancy.worker_a)
    type(ada).objects.filter(pk=ada.pk).update(locked_to_agency=tenancy.agency_a)
    ada.refresh_from_db()
    assert "locked to one agency" in referral_refusal(ada, tenancy.agency_a, tenancy.housing_b)
    with pytest.raises(PolicyError):
        made(tenancy, ada)


def test_c13_a6_no_referral_across_the_coc_boundary_or_to_a_victim_service_provider(tenancy, signed_in, ada):
    assert "does not share data with" in referral_refusal(ada, tenancy.agency_a, tenancy.shelter_c)
    assert "Victim service providers" in referral_refusal(ada, tenancy.agency_a, tenancy.shelter_v)
    assert "another agency" in referral_refusal(ada, tenancy.agency_a, tenancy.outreach_a)
    with pytest.raises(PolicyError):
        made(tenancy, ada, tenancy.shelter_c)
    worker = signed_in(tenancy.worker_a)
    assert refer(worker, ada, tenancy.shelter_c).status_code == 200  # not a choice offered
    assert not Referral.objects.exists()


# --- Answering ----------------------------------------------------------------------------------
def test_e1_accept_from_the_queue_tells_the_referrer_and_both_sides_see_the_history(tenancy, signed_in, ada):
    referral = made(tenancy, ada)
    receiver = signed_in(tenancy.worker_b)
    home = receiver.get(reverse("home")).content.decode()
    assert 'data-testid="referrals-waiting">1 waiting' in home
    queue = receiver.get(reverse("enrollments:referrals_in")).content.decode()
    assert ada.display_id in queue and "Ada Okonkwo" in queue and "Waiting since today" in queue
    assert "Agency A" in queue
    body = page(receiver, referral).content.decode()
    assert "Accept and enroll" in body and "Decline" in body
    response = receiver.post(reverse("enrollments:referral_accept", args=[referral.referral_id]),
                             {"accept-note": "We have a unit."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decided_by) == ("accepted", tenancy.worker_b)
    told = Notification.objects.filter(recipient=tenancy.worker_a)
    assert [n.subject for n in told] == [f"Referral of client {ada.display_id} accepted"]
    assert_no_pii(told)
    # History on both sides, the same rows.
    sender = signed_in(tenancy.worker_a)
    for http in (sender, receiver):
        history = page(http, referral).content.decode()
        assert "Referred by" in history and "Accepted by" in history and "We have a unit." in history
    ours = sender.get(reverse("enrollments:referrals_out")).content.decode()
    assert ada.display_id in ours and "Accepted" in ours
    # The receiving agency does not serve Ada yet: it records its own consent first (C1).
    next_step = page(receiver, referral).content.decode()
    assert 'data-testid="next-step"' in next_step and reverse("clients:intake_start") in next_step
    # Opening the referral reads the client: on the client's audit (R2).
    assert AuditEntry.objects.filter(client_ref=ada.client_id, actor=tenancy.worker_b,
                                     access_kind=AuditEntry.AccessKind.VIEW).exists()


def test_accept_and_enroll_goes_to_the_enroll_page_when_the_agency_serves_the_client(tenancy, signed_in, ada):
    serve_too(tenancy.worker_b, ada, project=tenancy.housing_b)
    referral = made(tenancy, ada)
    receiver = signed_in(tenancy.worker_b)
    response = receiver.post(reverse("enrollments:referral_accept", args=[referral.referral_id]), {"enroll": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("enrollments:enroll",
                                                                           args=[ada.client_id])
    link = f"{reverse('enrollments:enroll', args=[ada.client_id])}?project={tenancy.housing_b.pk}"
    assert link in page(receiver, referral).content.decode()
    # The stay opened in the project completes the referral (the enroll view calls link_stays).
    stay = enroll(tenancy.worker_b, ada, tenancy.housing_b)
    assert referrals.link_stays([stay], actor=tenancy.worker_b) == 1
    referral.refresh_from_db()
    assert referral.enrollment == stay and referral.events.last().kind == ReferralEvent.Kind.ENROLLED
    assert_no_pii(Notification.objects.filter(recipient=tenancy.worker_a))
    assert 'data-testid="next-step"' not in page(receiver, referral).content.decode()


def test_decline_needs_a_reason_and_the_referrer_reads_it(tenancy, signed_in, ada):
    referral = made(tenancy, ada)
    receiver = signed_in(tenancy.worker_b)
    url = reverse("enrollments:referral_decline", args=[referral.referral_id])
    no_reason = receiver.post(url, {"decline-note": "Typed reason"})
    body = no_reason.content.decode()
    assert no_reason.status_code == 200 and "Choose why the referral is declined." in body and "Typed reason" in body
    other_without_words = receiver.post(url, {"decline-reason": "other"}).content.decode()
    assert "Say the reason in words." in other_without_words
    referral.refresh_from_db()
    assert referral.is_pending
    with pytest.raises(PolicyError):
        referrals.decline(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), referral=referral, reason="")
    assert receiver.post(url, {"decline-reason": "no_opening", "decline-note": "Full until March."}).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "no_opening")
    told = Notification.objects.filter(recipient=tenancy.worker_a)
    assert [n.subject for n in told] == [f"Referral of client {ada.display_id} declined"]
    assert_no_pii(told)
    ours = signed_in(tenancy.worker_a).get(reverse("enrollments:referrals_out")).content.decode()
    assert "No bed, unit or opening now" in ours
    # Answered once: a second answer is refused.
    assert receiver.post(reverse("enrollments:referral_accept", args=[referral.referral_id])).status_code == 403


def test_withdraw_by_the_referring_agency_tells_the_receiving_one(tenancy, signed_in, ada):
    referral = made(tenancy, ada)
    sender = signed_in(tenancy.worker_a)
    assert "Withdraw" in page(sender, referral).content.decode()
    assert sender.post(reverse("enrollments:referral_withdraw", args=[referral.referral_id]),
                       {"withdraw-note": "Housed elsewhere"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    told = Notification.objects.filter(recipient=tenancy.worker_b, subject__contains="withdrawn")
    assert told.count() == 1
    assert_no_pii(told)
    receiver = signed_in(tenancy.worker_b)
    assert receiver.post(reverse("enrollments:referral_accept", args=[referral.referral_id])).status_code == 403


# --- Who may see and act ------------------------------------------------------------------------
def test_another_agency_a_view_only_user_and_the_referrer_cannot_answer(tenancy, signed_in, ada):
    referral = made(tenancy, ada)
    accept = reverse("enrollments:referral_accept", args=[referral.referral_id])
    decline = reverse("enrollments:referral_decline", args=[referral.referral_id])
    withdraw = reverse("enrollments:referral_withdraw", args=[referral.referral_id])
    outsider = signed_in(tenancy.worker_c)  # another agency, another CoC
    assert page(outsider, referral).status_code == 404
    assert outsider.post(accept).status_code == 404 and outsider.post(withdraw).status_code == 404
    assert ada.display_id not in outsider.get(reverse("enrollments:referrals_in")).content.decode()
    viewer = signed_in(tenancy.viewer_b)  # view only at the receiving agency: sees, cannot act
    shown = page(viewer, referral).content.decode()
    assert "Accept and enroll" not in shown
    assert viewer.post(accept).status_code == 403 and viewer.post(decline, {"decline-reason": "other"}).status_code == 403
    reporter = signed_in(tenancy.reporter_b)  # reporting only: no client pages (T3)
    assert page(reporter, referral).status_code == 403
    assert reporter.get(reverse("enrollments:referrals_in")).status_code == 403
    sender = signed_in(tenancy.worker_a)  # the referrer cannot answer its own referral
    assert sender.post(accept).status_code == 403
    receiver = signed_in(tenancy.worker_b)  # the receiver cannot withdraw it
    assert receiver.post(withdraw).status_code == 403
    referral.refresh_from_db()
    assert referral.is_pending and list(referral.events.values_list("kind", flat=True)) == ["referred"]
    # A worker of an agency that does not serve the client cannot refer them.
    assert signed_in(tenancy.worker_b).get(reverse("enrollments:refer", args=[ada.client_id])).status_code == 403
    assert viewer.get(reverse("enrollments:refer", args=[ada.client_id])).status_code == 403
    with pytest.raises(PolicyError):
        referrals.refer(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), client=ada,
                        to_project=tenancy.shelter_a, note=NOTE)


def test_referral_visible_in_python_and_sql_agree(tenancy, ada):
    referral = made(tenancy, ada)
    for user in (tenancy.worker_a, tenancy.worker_b, tenancy.viewer_b, tenancy.reporter_b, tenancy.worker_c,
                 tenancy.admin):
        licenses = list(user.licenses.all())
        viewer = Viewer(user=user, license=licenses[0] if licenses else None)
        in_sql = visible_referrals(viewer, Referral.objects.all()).filter(pk=referral.pk).exists()
        assert referral_visible(viewer, referral) == in_sql, user


def test_d7_a_recent_referral_keeps_the_client_in_use_and_its_words_go_with_the_client(tenancy, ada):
    from django.utils import timezone

    from clients.models import Client
    from compliance.retention import _deidentify, clients_due

    referral = referrals.refer(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=ada,
                               to_project=tenancy.housing_b, note="Ada Okonkwo needs a ground-floor unit")
    referrals.decline(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), referral=referral,
                      reason="other", note="Ada Okonkwo asked for another town")
    long_ago = timezone.now() - timezone.timedelta(days=365 * 8)
    Client.objects.filter(pk=ada.pk).update(created_at=long_ago, updated_at=long_ago)
    type(ada.stay).objects.filter(pk=ada.stay.pk).update(
        entry_date=date(2017, 1, 1), exit_date=date(2017, 2, 1), entered_at=long_ago)
    assert ada not in clients_due(date.today())  # referred recently: in use
    Referral.objects.filter(pk=referral.pk).update(created_at=long_ago)
    assert ada in clients_due(date.today())
    _deidentify([ada.pk])
    referral.refresh_from_db()
    assert (referral.note, referral.decline_note) == ("[de-identified]", "")
    assert all("Okonkwo" not in e.note for e in referral.events.all())
    logged = " ".join(str(c) for c in AuditEntry.objects.values_list("changes", flat=True))
    assert "ground-floor" not in logged and "another town" not in logged


def test_c12_the_referrer_learns_of_the_stay_only_where_the_receivers_consent_shares_it(tenancy, signed_in, ada):
    """B serves Ada under a limited consent (identifiers only, C2): the stay B opens from A's referral is
    B's record, so A is not told of it and its history and page do not show it; B sees it."""
    serve_too(tenancy.worker_b, ada, project=tenancy.housing_b, sharing="limited")
    referral = made(tenancy, ada)
    referrals.accept(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), referral=referral)
    told_before = Notification.objects.filter(recipient=tenancy.worker_a).count()
    stay = enroll(tenancy.worker_b, ada, tenancy.housing_b)
    assert referrals.link_stays([stay], actor=tenancy.worker_b) == 1
    assert Notification.objects.filter(recipient=tenancy.worker_a).count() == told_before
    referrer_page = page(signed_in(tenancy.worker_a), referral).content.decode()
    assert stay.enrollment_id not in referrer_page and "Stay opened" not in referrer_page
    receiver_page = page(signed_in(tenancy.worker_b), referral).content.decode()
    assert stay.enrollment_id in receiver_page


def test_t5_a_receiving_worker_not_assigned_to_the_project_cannot_answer(tenancy, signed_in, ada):
    from agencies.models import License

    referral = made(tenancy, ada)
    License.objects.get(user=tenancy.worker_b).projects.set([tenancy.protected_b])
    receiver = signed_in(tenancy.worker_b)
    response = receiver.post(reverse("enrollments:referral_accept", args=[referral.referral_id]), {})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "pending"
