"""Issue 14: consent scopes the data it covers (C12), sharing stays inside the CoC
(C13), protected projects (A7) and locks (C10) hold after another agency serves the
client, and the one-record and SQL answers of consent/visibility.py agree."""

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from agencies.models import License
from clients.models import Client, Correction
from consent.models import Roi
from consent.visibility import (
    RECORD_KINDS,
    Viewer,
    client_access,
    record_visible,
    visible_clients,
    visible_records,
)
from enrollments.models import Assessment, Enrollment
from hmis.api_tokens import issue_token
from tests.clients.states import license_of, make_client
from tests.consent.conftest import client_page as page

pytestmark = pytest.mark.django_db




def test_c12_a_second_agencys_consent_shares_its_own_data_not_the_firsts(world, tenancy, signed_in):
    """James Whitaker: limited at A; B records a full consent and links him. B and a third
    agency see B's stay, never A's stay, A's consent or A's demographics."""
    james = world.second_consent
    for viewer in (tenancy.worker_b, tenancy.worker_d):
        html = page(signed_in, viewer, james)
        assert tenancy.housing_b.name in html  # B's stay, under B's full consent
        assert tenancy.shelter_a.name not in html  # A's stay, entered under a limited consent
        assert "Agency A" not in html  # neither A's consent nor anything else of A's
        assert "Veteran status (3.07)" not in html
    # The limited consent at A still limits what A entered: A sees everything of its own.
    own = page(signed_in, tenancy.worker_a, james)
    assert tenancy.shelter_a.name in own and tenancy.housing_b.name in own
    # Agency C, in the other CoC, sees nothing at all (C13).
    other_coc = signed_in(tenancy.worker_c).get(reverse("clients:detail", args=[james.client_id]))
    assert other_coc.status_code == 404


def test_c12_consent_recorded_through_the_api_does_not_widen_either(world, tenancy, signed_in):
    """The same through POST /api/v1/clients/{id}/consents."""
    lima = world.limited  # limited at A, identifiers only for B
    _, token = issue_token(actor=None, user=tenancy.worker_b, agency=tenancy.agency_b, name="test")
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = api.post(reverse("api:client_consents", args=[lima.display_id]),
                      data={"consent": {"sharing": "full", "signed_on": date.today().isoformat()},
                            "project_id": tenancy.housing_b.pk}, content_type="application/json")
    assert answer.status_code == 201
    # B now serves Lima and holds her consent, so it sees her identifiers in full (C12) ...
    assert signed_in(tenancy.worker_b).post(reverse("clients:reveal_ssn", args=[lima.client_id])).status_code == 200
    # ... but not what A entered under the limited consent, and neither does D.
    for user, agency in ((tenancy.worker_b, tenancy.agency_b), (tenancy.worker_d, tenancy.agency_d)):
        _, token = issue_token(actor=None, user=user, agency=agency, name="read")
        data = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get(reverse("api:client", args=[lima.display_id])).json()
        assert "veteran_status" not in data and "race" not in data
    assert "Veteran status (3.07)" not in page(signed_in, tenancy.worker_d, lima)
    # D holds no consent of Lima's: the full SSN entered at A under a limited consent stays masked.
    assert signed_in(tenancy.worker_d).post(reverse("clients:reveal_ssn", args=[lima.client_id])).status_code == 404


def test_a7_c12_protected_projects_client_served_later_keeps_its_data_hidden(world, tenancy, signed_in):
    """Henry Lindqvist: entered in B's protected project; A records a full consent and
    links him. A never sees the protected project, its consent, or the full SSN."""
    henry = world.protected_served
    html = page(signed_in, tenancy.worker_a, henry)
    assert tenancy.protected_b.name not in html
    assert "Agency B" not in html
    assert "XXX-XX-4455" in html  # last 4 at most
    assert "828334455" not in html and "828-33-4455" not in html
    assert signed_in(tenancy.worker_a).post(reverse("clients:reveal_ssn", args=[henry.client_id])).status_code == 404
    # The correction form does not hand A the protected project's demographics either.
    form = signed_in(tenancy.worker_a).get(reverse("clients:correct", args=[henry.client_id])).content.decode()
    assert 'name="veteran_status"' not in form and 'data-testid="hidden-values"' in form
    # B still sees everything it entered.
    assert tenancy.protected_b.name in page(signed_in, tenancy.worker_b, henry)


def test_c10_locked_demographics_never_show_in_the_correction_history(world, tenancy, signed_in):
    lottie = world.locked_history
    assert Correction.objects.filter(client=lottie, field="sex").exists()
    for viewer in (tenancy.worker_b, tenancy.worker_d, tenancy.viewer_b):
        html = page(signed_in, viewer, lottie)
        assert "Sex (4.21)" not in html and "Veteran status (3.07)" not in html
    own = page(signed_in, tenancy.worker_a, lottie)
    assert "Sex (4.21)" in own  # the entering agency keeps its history


def test_c12_history_shows_no_value_recorded_under_a_narrower_consent(tenancy, signed_in):
    """A corrects a limited client's veteran status; B later records a full consent and
    corrects it again: B's history row shows its own new value, not A's old one."""
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited", first="Vera",
                         last="Ndovu", ssn="509112233", veteran_status=0)
    from clients import services as client_services
    from tests.clients.states import serve_too

    serve_too(tenancy.worker_b, client, project=tenancy.housing_b)
    # B may not see (so may not change) A's veteran status: the service refuses it.
    with pytest.raises(Exception, match="Another agency recorded"):
        client_services.client_correct(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), client=client,
                                       kind="inaccurate", note="", veteran_status=1)
    client_services.client_correct(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), client=client,
                                   kind="incomplete", note="", middle_name="Q")
    html = page(signed_in, tenancy.worker_b, client)
    assert "Middle name" in html  # B's own correction is in its history


def test_c13_another_cocs_agency_finds_nothing_until_the_lead_joins_the_cocs(world, tenancy, signed_in):
    fulton = world.full
    worker_c = signed_in(tenancy.worker_c)
    search = worker_c.post(reverse("clients:search"), {"text": "Fulton Sharewell"}).content.decode()
    assert fulton.display_id not in search
    assert worker_c.get(reverse("clients:detail", args=[fulton.client_id])).status_code == 404

    lead = signed_in(tenancy.admin)
    for coc in (tenancy.coc1, tenancy.coc2):
        fields = {f: getattr(coc, f) for f in (
            "code", "name", "no_sharing_policy", "roi_validity_months", "timeliness_hours", "idle_lock_minutes",
            "practice_case_attempts", "reapply_wait_months", "opt_out_alert_threshold", "roi_expiry_warning_days")}
        answer = lead.post(reverse("agencies:coc_edit", args=[coc.pk]), fields | {"sharing_group": "Missouri "})
        assert answer.status_code == 302, answer.content.decode()[:2000]
    tenancy.coc1.refresh_from_db()
    assert tenancy.coc1.sharing_group == "Missouri"

    search = worker_c.post(reverse("clients:search"), {"text": "Fulton Sharewell"}).content.decode()
    assert fulton.display_id in search
    html = page(signed_in, tenancy.worker_c, fulton)
    assert tenancy.shelter_a.name in html  # A's stay, under A's full consent, now within reach


def test_c12_the_lead_lists_consents_recorded_for_another_agencys_client(world, tenancy, signed_in):
    html = signed_in(tenancy.admin).get(reverse("consent:other_agency_consents")).content.decode()
    assert world.second_consent.display_id in html and world.protected_served.display_id in html
    assert world.full.display_id not in html  # entered and consented by the same agency
    assert signed_in(tenancy.worker_a).get(reverse("consent:other_agency_consents")).status_code == 403


VIEWERS = ("worker_a", "worker_b", "viewer_b", "reporter_b", "worker_c", "worker_d", "worker_v", "admin")


def _viewer(tenancy, name):
    user = getattr(tenancy, name)
    return Viewer(user, None if name == "admin" else License.objects.select_related("agency").get(user=user))


def test_c12_one_record_and_sql_answers_agree_for_every_kind_and_viewer(world, tenancy):
    """DESIGN conv. 3: consent/visibility.py answers for one record and, in SQL, for a
    queryset of each kind; the two must agree for every viewer and every record."""
    from django.apps import apps

    # A few more kinds of record: an update assessment by B on its stay of James.
    stay_b = Enrollment.objects.get(client=world.second_consent, agency=tenancy.agency_b)
    assert Assessment.objects.filter(enrollment=stay_b).exists()
    checked = 0
    for name in VIEWERS:
        viewer = _viewer(tenancy, name)
        everyone = Client.objects.all()
        in_sql = set(visible_clients(viewer, everyone).values_list("pk", flat=True))
        one_by_one = {c.pk for c in everyone if client_access(viewer, c).visible}
        assert in_sql == one_by_one, name
        for label, kind in RECORD_KINDS.items():
            model = apps.get_model(label)
            if kind.client is None:  # ROIs and households name many clients: decided per client
                for client in everyone:
                    named = Roi.objects.filter(clients=client) if model is Roi else model.objects.filter(
                        members__client=client)
                    in_sql = set(visible_records(viewer, named, client=client).values_list("pk", flat=True))
                    one_by_one = {r.pk for r in named if record_visible(viewer, r, client=client)}
                    assert in_sql == one_by_one, (name, label, client.display_id)
                    checked += len(named)
                continue
            records = model.objects.all()
            in_sql = set(visible_records(viewer, records).values_list("pk", flat=True))
            one_by_one = {r.pk for r in records if record_visible(viewer, r)}
            assert in_sql == one_by_one, (name, label)
            checked += len(records)
    assert checked > 100


def _agency_wide_client(tenancy, first, stays):
    """A client Agency B entered under an agency-wide full consent (C7), with stays in ``stays``."""
    from clients import services as client_services
    from consent import services as consent_services
    from tests.clients.states import BASE, enroll

    license = license_of(tenancy.worker_b)
    roi = consent_services.roi_record(actor=tenancy.worker_b, license=license, sharing_level="full",
                                      consent_type="signed", signed_on=date.today(), taken_by=tenancy.worker_b)
    client = client_services.client_create(actor=tenancy.worker_b, license=license, roi=roi, first_name=first,
                                           last_name="Widescope", dob=date(1975, 3, 3), ssn="",
                                           **(BASE | {"ssn_data_quality": 99}))
    for project in stays:
        enroll(tenancy.worker_b, client, project)
    return client


def test_c12_a7_each_clients_level_in_the_search_sql_equals_the_one_record_answer(world, tenancy):
    """A search decides each result's level (full record or basic identifiers) in its own
    SQL (visible_clients_with_levels, compiled once per viewer context by listed_clients)
    instead of reading every result's consents, locks and stays: both must give exactly
    client_access()'s level and serves_client, for every viewer and client."""
    from consent.visibility import Level, listed_clients, visible_clients_with_levels

    # Agency-wide consents (no project): A7 hides one whose agency's every stay is in a
    # protected project (roi_protected), not one with an ordinary stay too, nor one with none.
    only_protected = _agency_wide_client(tenancy, "Wanda", [tenancy.protected_b])
    also_ordinary = _agency_wide_client(tenancy, "Walt", [tenancy.protected_b, tenancy.housing_b])
    no_stay = _agency_wide_client(tenancy, "Willa", [])
    levels_seen = set()
    for name in VIEWERS:
        viewer = _viewer(tenancy, name)
        expected = {}
        for client in Client.objects.all():
            access = client_access(viewer, client)
            if access.visible:
                expected[client.pk] = (int(access.level), access.serves_client)
        for how in (visible_clients_with_levels(viewer, Client.objects.all()), listed_clients(viewer)):
            in_sql = {c.pk: (c.viewer_level, bool(c.viewer_serves)) for c in how}
            assert in_sql == expected, name
        levels_seen |= {level for level, _ in expected.values()}
    assert levels_seen == {Level.FULL, Level.IDENTIFIERS}  # both answers occur: the test compares something
    worker_d = _viewer(tenancy, "worker_d")  # serves none of them: sees what B's consents share
    assert {c.pk: c.viewer_level for c in listed_clients(worker_d).filter(last_name="Widescope")} == {
        only_protected.pk: Level.IDENTIFIERS, also_ordinary.pk: Level.FULL, no_stay.pk: Level.FULL}
    assert client_access(worker_d, Client.objects.get(pk=world.limited.pk)).level == Level.IDENTIFIERS  # limited at A
