"""Households a case worker manages (issue 21), through the pages: a member joins an open
household stay on their own date, a member leaves on their own date, the head changes
(HMIS Data Standards Manual 3.15 and 5.09: one head, each member their own stay with the
household's ID, own start and own exit); errors keep what was typed; who may manage the
household (hmis/access.py) and consent (C6, C12) decide; service tests for HUD's head rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from consent.visibility import Viewer
from enrollments import households
from enrollments.models import Assessment, Enrollment, HeadChange
from hmis import dates
from tests.clients.states import BASE
from tests.enrollments.test_stays import enroll, household_of_three
from tests.factories import LicenseFactory, UserFactory

pytestmark = pytest.mark.django_db

ENTRY = dates.today() - timedelta(days=10)


@pytest.fixture
def stay(tenancy, signed_in):
    """Nadia (head), Omar (partner) and Sami (8) in A Shelter since ENTRY, and Lina, a baby
    born later, named on the same consent and not yet in the stay."""
    people = household_of_three(tenancy, signed_on=ENTRY)
    response = enroll(signed_in(tenancy.worker_a), people, entry_date=ENTRY, project=tenancy.shelter_a)
    assert response.status_code == 302, response.content.decode()[:2000]
    license = License.objects.get(user=tenancy.worker_a)
    roi = people[0].rois.get()
    lina = client_services.client_create(actor=tenancy.worker_a, license=license, roi=roi,
                                         household=people[0].household_memberships.get().household,
                                         first_name="Lina", last_name="Haddad", dob=ENTRY + timedelta(days=2),
                                         ssn="212550004", **BASE)
    stays = {s.client.first_name: s for s in Enrollment.objects.select_related("client")}
    return stays, lina, license


def add_url(stay):
    return reverse("enrollments:household_add", args=[stay.enrollment_id])


def test_member_joins_later_on_own_start_date_with_the_household_id(tenancy, signed_in, stay):
    stays, lina, _ = stay
    worker = signed_in(tenancy.worker_a)
    found = worker.post(add_url(stays["Nadia"]), {"q": "Lina Haddad"})  # posted: no name in a URL
    assert found.status_code == 200
    assert "Add Lina Haddad to the household" in found.content.decode()
    assert "Add Omar Haddad" not in found.content.decode()  # already in the stay
    live = worker.post(add_url(stays["Nadia"]), {"q": "Lina"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Add Lina Haddad to the household" in live and "<html" not in live  # htmx: the results alone
    joined = ENTRY + timedelta(days=3)
    response = worker.post(add_url(stays["Nadia"]), {"client": lina.client_id, "relationship": 2,
                                                     "entry_date": joined.isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = Enrollment.objects.get(client=lina)
    assert response["Location"] == reverse("enrollments:detail", args=[new.enrollment_id])
    assert new.household_id == stays["Nadia"].household_id
    assert (new.entry_date, new.relationship_to_hoh, new.project) == (joined, 2, tenancy.shelter_a)
    assert new.assessments.filter(stage=1, information_date=joined).exists()  # own project-start record
    assert new.consent is not None  # C12: shared by the consent that covered it
    page = worker.get(reverse("enrollments:detail", args=[stays["Nadia"].enrollment_id])).content.decode()
    assert f"Lina Haddad ({lina.display_id}) joined as “Head of household’s child”" in page


def test_member_cannot_join_before_the_heads_start_and_the_form_keeps_what_was_typed(tenancy, signed_in, stay):
    stays, lina, _ = stay
    early = ENTRY - timedelta(days=1)
    response = signed_in(tenancy.worker_a).post(add_url(stays["Nadia"]), {
        "client": lina.client_id, "relationship": 2, "entry_date": early.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "on or after the head of household&#x27;s project start" in page
    assert f'value="{early.isoformat()}"' in page and 'value="2" selected' in page
    assert not Enrollment.objects.filter(client=lina).exists()


def test_member_start_date_in_the_future_is_refused(tenancy, stay):
    stays, lina, license = stay
    with pytest.raises(ValidationError) as refusal:
        households.add_member(actor=tenancy.worker_a, license=license, enrollment=stays["Omar"], client=lina,
                              relationship=2, entry_date=dates.today() + timedelta(days=1))
    assert "future" in str(refusal.value)


def test_second_head_cannot_be_added(tenancy, signed_in, stay):
    """HUD 3.15: exactly one head; the page does not offer Self, the service refuses it."""
    stays, lina, license = stay
    with pytest.raises(ValidationError) as refusal:
        households.add_member(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"], client=lina,
                              relationship=1, entry_date=ENTRY)
    assert "one head" in str(refusal.value)
    response = signed_in(tenancy.worker_a).post(add_url(stays["Nadia"]), {
        "client": lina.client_id, "relationship": 1, "entry_date": ENTRY.isoformat()})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Enrollment.objects.filter(relationship_to_hoh=1).count() == 1


def test_c6_a_member_without_consent_at_this_agency_cannot_join(tenancy, signed_in, stay):
    """A client agency B entered (full sharing, so worker_a finds them) has no consent at agency
    A: their stay would hold data no ROI of agency A covers."""
    stays, _, _ = stay
    license_b = License.objects.get(user=tenancy.worker_b)
    roi = consent_services.roi_record(actor=tenancy.worker_b, license=license_b, sharing_level="full",
                                      consent_type="signed", signed_on=ENTRY, taken_by=tenancy.worker_b,
                                      project=tenancy.housing_b)
    other = client_services.client_create(actor=tenancy.worker_b, license=license_b, roi=roi, first_name="Rami",
                                          last_name="Saleh", dob=date(1970, 2, 2), ssn="212550009", **BASE)
    response = signed_in(tenancy.worker_a).post(add_url(stays["Nadia"]), {
        "client": other.client_id, "relationship": 4, "entry_date": ENTRY.isoformat()})
    assert response.status_code == 200
    assert "No active ROI of your agency covers" in response.content.decode()
    assert not Enrollment.objects.filter(client=other).exists()


def test_member_leaves_on_own_date_and_the_household_stays(tenancy, signed_in, stay):
    stays, _, _ = stay
    sami = stays["Sami"]
    left = ENTRY + timedelta(days=5)
    worker = signed_in(tenancy.worker_a)
    url = reverse("enrollments:household_remove", args=[sami.enrollment_id])
    assert worker.get(url).status_code == 200
    response = worker.post(url, {"exit_date": left.isoformat(), "destination": 422, "version": sami.version})
    assert response.status_code == 302, response.content.decode()[:3000]
    sami.refresh_from_db()
    assert (sami.exit_date, sami.destination) == (left, 422)
    assert Assessment.objects.filter(enrollment=sami, stage=3, information_date=left).exists()
    assert Enrollment.objects.filter(household_id=sami.household_id, exit_date__isnull=True).count() == 2
    assert Enrollment.objects.count() == 3  # removing is an exit: nothing deleted
    page = worker.get(reverse("enrollments:detail", args=[stays["Nadia"].enrollment_id])).content.decode()
    assert f"{left:%m/%d/%Y}: Sami Haddad" in page and " left to " in page


def test_member_exit_errors_keep_what_was_typed(tenancy, signed_in, stay):
    stays, _, _ = stay
    sami = stays["Sami"]
    early = ENTRY - timedelta(days=2)
    response = signed_in(tenancy.worker_a).post(
        reverse("enrollments:household_remove", args=[sami.enrollment_id]),
        {"exit_date": early.isoformat(), "destination": 17, "other_destination": "", "version": sami.version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say what the other destination is." in page
    sami.refresh_from_db()
    assert sami.is_open


def test_head_cannot_leave_before_the_others(tenancy, signed_in, stay):
    """HUD 3.15: the head stays for as long as anyone does; change the head first."""
    stays, _, license = stay
    with pytest.raises(ValidationError) as refusal:
        households.exit_member(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"],
                               exit_date=dates.today(), destination=422)
    assert "change the head of household first" in str(refusal.value)
    head = stays["Nadia"]
    response = signed_in(tenancy.worker_a).post(reverse("enrollments:household_remove", args=[head.enrollment_id]),
                                                {"exit_date": dates.today().isoformat(), "destination": 422,
                                                 "version": head.version})
    assert response.status_code == 200 and "change the head of household first" in response.content.decode()
    head.refresh_from_db()
    assert head.is_open


def test_change_of_head_relabels_both_in_one_step_and_keeps_history(tenancy, signed_in, stay):
    stays, _, _ = stay
    nadia, omar, sami = stays["Nadia"], stays["Omar"], stays["Sami"]
    worker = signed_in(tenancy.worker_a)
    url = reverse("enrollments:household_head", args=[nadia.enrollment_id])
    form = worker.get(url).content.decode()
    assert "Omar Haddad" in form and "Sami Haddad" in form
    day = dates.today() - timedelta(days=1)
    response = worker.post(url, {"new_head": omar.pk, "previous_head_becomes": 3, "effective_date": day.isoformat(),
                                 f"relationship_{sami.pk}": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    for s in (nadia, omar, sami):
        s.refresh_from_db()
    assert (nadia.relationship_to_hoh, omar.relationship_to_hoh, sami.relationship_to_hoh) == (3, 1, 2)
    change = HeadChange.objects.get()
    assert (change.previous_head, change.new_head, change.new_head_was, change.effective_date) == (nadia, omar, 3, day)
    page = worker.get(reverse("enrollments:detail", args=[omar.enrollment_id])).content.decode()
    assert f"Nadia Haddad ({nadia.client.display_id}): {ENTRY:%m/%d/%Y} – {day:%m/%d/%Y}" in page
    assert f"Omar Haddad ({omar.client.display_id}): {day:%m/%d/%Y} – now" in page
    assert "started the stay as “Self (head of household)”" in page  # Nadia, as she started
    # And now Nadia, no longer head, may leave on her own date.
    response = worker.post(reverse("enrollments:household_remove", args=[nadia.enrollment_id]),
                           {"exit_date": dates.today().isoformat(), "destination": 422, "version": nadia.version})
    assert response.status_code == 302


def test_a_child_cannot_become_head(tenancy, stay):
    stays, _, license = stay
    with pytest.raises(ValidationError) as refusal:
        households.change_head(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"],
                               new_head=stays["Sami"], previous_head_becomes=3, effective_date=dates.today())
    assert "not plausible" in str(refusal.value)
    assert Enrollment.objects.get(pk=stays["Nadia"].pk).relationship_to_hoh == 1


def test_change_of_head_never_leaves_two_heads(tenancy, stay):
    """HUD: exactly one head. A household already holding two heads (imported) is refused
    whole: nothing of the change is kept (one transaction)."""
    stays, lina, license = stay
    households.add_member(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"], client=lina,
                          relationship=2, entry_date=ENTRY + timedelta(days=2))
    Enrollment.objects.filter(pk=stays["Sami"].pk).update(relationship_to_hoh=1)  # as an import could leave it
    with pytest.raises(ValidationError) as refusal:
        households.change_head(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"],
                               new_head=stays["Omar"], previous_head_becomes=3, effective_date=dates.today())
    assert "exactly one head" in str(refusal.value)
    assert Enrollment.objects.get(pk=stays["Omar"].pk).relationship_to_hoh == 3
    assert not HeadChange.objects.exists()


def test_new_head_must_be_in_the_project_now(tenancy, stay):
    stays, _, license = stay
    households.exit_member(actor=tenancy.worker_a, license=license, enrollment=stays["Omar"],
                           exit_date=dates.today(), destination=422)
    with pytest.raises(ValidationError) as refusal:
        households.change_head(actor=tenancy.worker_a, license=license, enrollment=stays["Nadia"],
                               new_head=Enrollment.objects.get(pk=stays["Omar"].pk), previous_head_becomes=3,
                               effective_date=dates.today())
    assert "in the project now" in str(refusal.value)


def test_household_closed_offers_no_changes(tenancy, signed_in, stay):
    stays, _, _ = stay
    Enrollment.objects.update(exit_date=dates.today(), destination=422)
    worker = signed_in(tenancy.worker_a)
    response = worker.get(add_url(stays["Nadia"]), follow=True)
    assert "This household&#x27;s stay has ended" in response.content.decode()
    page = worker.get(reverse("enrollments:detail", args=[stays["Nadia"].enrollment_id])).content.decode()
    assert "Add a member" not in page


# --- Who may manage a household (hmis/access.py manages_household) ----------------------


def _urls(stays):
    return [add_url(stays["Nadia"]), reverse("enrollments:household_head", args=[stays["Nadia"].enrollment_id]),
            reverse("enrollments:household_remove", args=[stays["Sami"].enrollment_id])]


def test_another_agency_seeing_the_stay_may_not_manage_its_household(tenancy, signed_in, stay):
    """Agency B sees the stay under full sharing (C2) but does not serve it: 403."""
    stays, lina, _ = stay
    worker_b = signed_in(tenancy.worker_b)
    page = worker_b.get(reverse("enrollments:detail", args=[stays["Nadia"].enrollment_id]))
    assert page.status_code == 200 and "Add a member" not in page.content.decode()
    for url in _urls(stays):
        assert worker_b.get(url).status_code == 403, url
    assert worker_b.post(add_url(stays["Nadia"]), {"client": lina.client_id, "relationship": 2,
                                                   "entry_date": ENTRY.isoformat()}).status_code == 403
    assert not Enrollment.objects.filter(client=lina).exists()


def test_t5_end_user_not_assigned_to_the_project_may_not_manage_it(tenancy, signed_in, stay):
    stays, _, _ = stay
    outsider = UserFactory(username="worker_a2")
    LicenseFactory(user=outsider, agency=tenancy.agency_a, projects=[tenancy.outreach_a])
    client = signed_in(outsider)
    for url in _urls(stays):
        assert client.get(url).status_code == 403, url


def test_view_only_and_other_coc_are_refused(tenancy, signed_in, stay):
    stays, _, _ = stay
    for user in (tenancy.viewer_b, tenancy.reporter_b):
        assert signed_in(user).get(add_url(stays["Nadia"])).status_code == 403
    # Agency C is in another CoC (C13): the stay does not exist for it.
    assert signed_in(tenancy.worker_c).get(add_url(stays["Nadia"])).status_code == 404


def test_c12_member_names_only_where_consent_shows_them(tenancy, stay):
    """The household's labels: the name where the viewer may see the client, else the ID."""
    stays, _, _ = stay
    own = households._labels(Viewer(tenancy.worker_a, License.objects.get(user=tenancy.worker_a)), [stays["Sami"]])
    other_coc = households._labels(Viewer(tenancy.worker_c, License.objects.get(user=tenancy.worker_c)),
                                   [stays["Sami"]])
    sami = stays["Sami"].client
    assert own[sami.pk] == f"Sami Haddad ({sami.display_id})"
    assert other_coc[sami.pk] == f"Client {sami.display_id}"


def test_c10_a_members_locked_stay_stays_off_another_agencys_household_list(tenancy, signed_in, stay):
    """Sami's enrollments are locked (C10): agency B, which sees the household under full
    sharing, does not see his stay in it, nor his name in its history; agency A does."""
    from consent.models import ClientLock

    stays, _, _ = stay
    sami = stays["Sami"].client
    ClientLock.objects.create(client=sami, agency=tenancy.agency_a, part=ClientLock.Part.ENROLLMENTS,
                              source=ClientLock.Source.CLIENT_REQUEST, status="active", requested_by=tenancy.worker_a)
    url = reverse("enrollments:detail", args=[stays["Nadia"].enrollment_id])
    seen_by_b = signed_in(tenancy.worker_b).get(url).content.decode()
    assert "Omar Haddad" in seen_by_b and sami.display_id not in seen_by_b and "Sami" not in seen_by_b
    assert f"Sami Haddad ({sami.display_id})" in signed_in(tenancy.worker_a).get(url).content.decode()
