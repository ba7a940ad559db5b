"""JSON API v1: tokens, search, read, create under consent, consents and revocation."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from agencies.models import License
from clients.models import Client
from hmis.api_tokens import issue_token
from hmis.models import ApiToken, AuditEntry

from .states import make_client

pytestmark = pytest.mark.django_db


def api_for(user, agency=None):
    _, token = issue_token(actor=None, user=user, agency=agency)
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def new_client_body(**overrides):
    body = {"first_name": "Kofi", "last_name": "Mensah", "dob": "1975-09-30", "ssn": "212-33-4455",
            "race": ["BlackAfAmerican"], "sex": 1, "veteran_status": 1,
            "consent": {"sharing": "full", "signed_on": date.today().isoformat(), "verbal": True}}
    return body | overrides


def test_create_api_token_prints_the_token_alone_on_the_last_line(tenancy):
    out = StringIO()
    call_command("create_api_token", "worker_a", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("hmis_") and " " not in token
    response = post(HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}"), reverse("api:clients_search"), {"q": "x"})
    assert response.status_code == 200


def test_tokens_that_are_missing_wrong_expired_or_revoked_get_401(tenancy):
    url = reverse("api:clients")
    assert HttpClient().get(url).status_code == 401
    assert HttpClient(HTTP_AUTHORIZATION="Bearer hmis_nope_nope").get(url).status_code == 401
    record, token = issue_token(actor=None, user=tenancy.worker_a)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get(url).status_code == 401
    record, token = issue_token(actor=None, user=tenancy.worker_a)
    ApiToken.objects.filter(pk=record.pk).update(revoked_at=timezone.now())
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get(url).status_code == 401


def test_admin_issues_and_revokes_tokens_in_the_application(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    response = admin.post(reverse("api_tokens"), {"user": tenancy.worker_a.pk, "name": "CE", "days": 30})
    token = response.context["new_token"]
    assert token and "not shown again" in response.content.decode()
    record = ApiToken.objects.get()
    assert record.key_hash not in token and token not in json.dumps(list(ApiToken.objects.values()), default=str)
    admin.post(reverse("api_token_revoke", args=[record.pk]))
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get(reverse("api:clients")).status_code == 401


def test_c1_post_creates_a_client_under_consent_and_returns_its_id(tenancy):
    api = api_for(tenancy.worker_a)
    response = post(api, reverse("api:clients"), new_client_body(project_id=tenancy.shelter_a.pk))
    assert response.status_code == 201, response.content
    client_id = response.json()["client_id"]
    client = Client.objects.get(client_id=client_id.replace("-", ""))
    roi = client.rois.get()
    assert roi.consent_type == "verbal" and roi.taken_by == tenancy.worker_a
    assert client.black_af_american and client.ssn == "212334455"
    created = AuditEntry.objects.get(content_type__model="client", object_pk=str(client.pk), action=AuditEntry.Action.CREATE)
    assert created.actor == tenancy.worker_a and created.agency == tenancy.agency_a
    detail = api.get(reverse("api:client", args=[client_id])).json()
    assert detail["access"] == "full" and detail["race"] == ["BlackAfAmerican"] and detail["ssn_last4"] == "4455"
    assert "212334455" not in json.dumps(detail)


def test_c3_post_with_no_sharing_under_no_record_is_422_and_stores_nothing(tenancy):
    api = api_for(tenancy.worker_a)
    body = new_client_body(project_id=tenancy.shelter_a.pk, consent={"sharing": "none", "signed_on": date.today().isoformat()})
    response = post(api, reverse("api:clients"), body)
    assert response.status_code == 422 and "nothing about them is stored" in response.json()["error"]
    assert not Client.objects.exists()


def test_bad_input_gets_400_or_422_with_a_clear_message(tenancy):
    api = api_for(tenancy.worker_a)
    url = reverse("api:clients")
    assert "not valid JSON" in api.post(url, data="{", content_type="application/json").json()["error"]
    assert "'consent' is required" in post(api, url, {"first_name": "A"}).json()["error"]
    bad_date = post(api, url, new_client_body(dob="31/12/1980"))
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]
    bad_ssn = post(api, url, new_client_body(ssn="123"))
    assert bad_ssn.status_code == 422 and "ssn" in bad_ssn.json()["fields"]
    future = post(api, url, new_client_body(consent={"sharing": "full", "signed_on": "2999-01-01"}))
    assert future.status_code == 422 and "future" in future.json()["error"]


def test_search_returns_what_the_caller_may_see_and_logs_each_result(tenancy):
    shared = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Imani", last="Okafor", ssn="213450001")
    limited = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited", first="Imani",
                          last="Okafur", ssn="213450002")
    make_client(tenancy.worker_c, project=tenancy.shelter_c, sharing="none", first="Imani", last="Okafor", ssn="213450003")
    results = post(api_for(tenancy.worker_b), reverse("api:clients_search"), {"q": "imani okafor"}).json()["results"]
    by_id = {r["client_id"]: r for r in results}
    assert set(by_id) == {shared.display_id, limited.display_id}
    assert by_id[limited.display_id]["access"] == "identifiers"
    logged = AuditEntry.objects.filter(access_kind="api", actor=tenancy.worker_b)
    assert set(logged.values_list("client_ref", flat=True)) == {shared.client_id, limited.client_id}


def test_c9_consents_and_revocation_through_the_api(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    api = api_for(tenancy.worker_a)
    renewed = post(api, reverse("api:client_consents", args=[person.display_id]),
                   {"consent": {"sharing": "limited", "signed_on": date.today().isoformat()}, "project_id": tenancy.shelter_a.pk})
    assert renewed.status_code == 201
    person.refresh_from_db()
    assert person.sharing == "limited"
    revoked = post(api, reverse("api:client_consents_revoke", args=[person.display_id]), {})
    assert revoked.status_code == 200 and revoked.json()["sharing"] == "none"
    assert api_for(tenancy.worker_b).get(reverse("api:client", args=[person.display_id])).status_code == 404


def test_openapi_schema_describes_the_endpoints(tenancy):
    schema = HttpClient().get(reverse("api:openapi")).json()
    assert schema["openapi"].startswith("3.")
    assert {"/clients", "/clients/search", "/clients/{client_id}", "/clients/{client_id}/consents",
            "/clients/{client_id}/consents/revoke"} <= set(schema["paths"])


def test_t3_reporting_only_tokens_never_read_client_records(tenancy):
    api = api_for(tenancy.reporter_b)
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    assert post(api, reverse("api:clients_search"), {"q": "ada"}).status_code == 403
    assert api.get(reverse("api:client", args=[person.display_id])).status_code == 403
    assert License.objects.get(user=tenancy.reporter_b).access_level == "reporting_only"
