"""JSON API v1 under bad input: no personal information in URLs, a JSON 400 for every
malformed body, HUD's lists and the model's lengths enforced, one transaction per
create, and likely duplicates answered 409 (D5)."""

import json
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse

from agencies.models import License
from clients import selectors, services
from clients.forms import ClientForm, CorrectionForm
from clients.hud_lists import RACE_FIELDS, Sex
from clients.models import Client
from clients.openapi import SCHEMA
from clients.validation import CODED_FIELDS, TEXT_FIELDS
from consent.models import Roi
from hmis.errors import PolicyError
from hmis.models import AuditEntry

from .states import make_client
from .test_api import api_for, new_client_body, post

pytestmark = pytest.mark.django_db


def assert_json_error(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    message = response.json()["error"]
    assert isinstance(message, str) and message
    return response.json()


# --- 1. No personal information in a URL ----------------------------------------------------
def test_api_search_takes_its_terms_in_a_post_body_and_logs_each_result(tenancy):
    shown = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Imani", last="Okafor", ssn="213450001")
    api = api_for(tenancy.worker_a)
    url = reverse("api:clients_search")
    assert url == "/api/v1/clients/search"
    by_name = post(api, url, {"q": "imani okafor"}).json()["results"]
    assert [r["client_id"] for r in by_name] == [shown.display_id]
    assert by_name[0]["ssn_last4"] == "0001" and by_name[0]["access"] == "full"
    by_dob_and_last4 = post(api, url, {"dob": "1980-05-17", "ssn_last4": "0001"}).json()["results"]
    assert [r["client_id"] for r in by_dob_and_last4] == [shown.display_id]
    assert post(api, url, {"ssn_last4": "9999"}).json() == {"results": []}
    logged = AuditEntry.objects.filter(access_kind="api", actor=tenancy.worker_a, additional_data__note="API search result")
    assert set(logged.values_list("client_ref", flat=True)) == {shown.client_id}


def test_api_search_refuses_malformed_terms_with_the_field_named(tenancy):
    api = api_for(tenancy.worker_a)
    url = reverse("api:clients_search")
    assert "at least one of" in assert_json_error(post(api, url, {}))["error"]
    assert "ssn_last4" in assert_json_error(post(api, url, {"ssn_last4": "12345"}))["fields"]
    assert "q" in assert_json_error(post(api, url, {"q": ["imani"]}))["fields"]
    assert "q" in assert_json_error(post(api, url, {"q": "x" * 201}))["fields"]
    assert "dob" in assert_json_error(post(api, url, {"dob": "17/05/1980"}))["fields"]
    assert "ssn" in assert_json_error(post(api, url, {"ssn": "123456789"}))["fields"]  # unknown field


def test_get_clients_with_a_query_string_answers_400_without_running_the_search(tenancy, monkeypatch):
    def must_not_run(**kwargs):
        raise AssertionError("the search ran")

    monkeypatch.setattr(selectors, "search_clients", must_not_run)
    make_client(tenancy.worker_a, project=tenancy.shelter_a)
    api = api_for(tenancy.worker_a)
    for query in ({"q": "ada okonkwo"}, {"dob": "1980-05-17"}, {"ssn_last4": "6789"}):
        body = assert_json_error(api.get(reverse("api:clients"), query))
        assert "no query parameters" in body["error"]
    # Any endpoint: a query string is refused before the view runs.
    assert_json_error(post(api, reverse("api:clients_search") + "?q=ada", {"q": "ada"}))
    bare = api.get(reverse("api:clients"))
    assert_json_error(bare, 405)
    assert bare["Allow"] == "POST" and "/api/v1/clients/search" in bare.json()["error"]
    assert not AuditEntry.objects.filter(access_kind="api").exists()


def test_openapi_describes_every_endpoint_with_bodies_hud_enums_and_lengths(tenancy):
    served = HttpClient().get(reverse("api:openapi")).json()
    assert served == json.loads(json.dumps(SCHEMA))
    paths = served["paths"]
    assert "get" not in paths["/clients"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert not [p for p in operation.get("parameters", []) if p["in"] == "query"], (path, method)
            if method == "post":
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                assert schema["additionalProperties"] is False, path
    create = paths["/clients"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
    for field, choices in CODED_FIELDS.items():
        assert [v for v in create[field]["enum"] if v is not None] == list(choices.values), field
    for field in TEXT_FIELDS:
        assert create[field]["maxLength"] == Client._meta.get_field(field).max_length
    assert create["race"]["items"]["enum"] == [hud for _, hud, _ in RACE_FIELDS]
    assert create["confirm_new"]["type"] == "boolean"
    assert "409" in paths["/clients"]["post"]["responses"]
    search = paths["/clients/search"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(search["properties"]) == {"q", "dob", "ssn_last4"}


# --- 2. Every malformed body gets a JSON 400 ---------------------------------------------------
DEEP = "[" * 10_000 + "]" * 10_000
TODAY = date.today().isoformat()
# case: (what the body has instead of a valid value, the field the answer must name)
MALFORMED_CREATE = {
    "sharing given as a list": ({"consent": {"sharing": ["full"], "signed_on": TODAY}}, "consent.sharing"),
    "consent given as a string": ({"consent": "full"}, "consent"),
    "signed_on given as a number": ({"consent": {"sharing": "full", "signed_on": 20250101}}, "consent.signed_on"),
    "verbal given as a string": ({"consent": {"sharing": "full", "signed_on": TODAY, "verbal": "yes"}}, "consent.verbal"),
    "unknown consent key": ({"consent": {"sharing": "full", "signed_on": TODAY, "scope": "all"}}, "consent.scope"),
    "10,000-character name": ({"first_name": "A" * 10_000}, "first_name"),
    "51-character name": ({"last_name": "B" * 51}, "last_name"),
    "NUL in a name": ({"first_name": "Ko\x00fi"}, "first_name"),
    "NUL in the consent date": ({"consent": {"sharing": "full", "signed_on": TODAY + "\x00"}}, "consent.signed_on"),
    "NUL in a key": ({"consent": {"sharing": "full", "signed_on": TODAY, "x\x00": 1}}, "consent"),
    "lone surrogate in a name": ({"first_name": "Ko\ud800fi"}, "first_name"),
    "tab in a name": ({"first_name": "Ko\tfi"}, "first_name"),
    "line break in a name": ({"last_name": "Men\nsah"}, "last_name"),
    "escape in a suffix": ({"name_suffix": "\x1b[31mJr"}, "name_suffix"),
    "control character in race detail": ({"additional_race_ethnicity": "Akan\x07"}, "additional_race_ethnicity"),
    "data quality given as x": ({"name_data_quality": "x"}, "name_data_quality"),
    "data quality given as [1]": ({"ssn_data_quality": [1]}, "ssn_data_quality"),
    "data quality given as 10**30": ({"dob_data_quality": 10**30}, "dob_data_quality"),
    "data quality given as true": ({"name_data_quality": True}, "name_data_quality"),
    "data quality given as 1.0": ({"name_data_quality": 1.0}, "name_data_quality"),
    "race of an object": ({"race": [{}]}, "race"),
    "race as a string": ({"race": "Asian"}, "race"),
    "race not in HUD's list": ({"race": ["Martian"]}, "race"),
    "sex 42": ({"sex": 42}, "sex"),
    "sex as a string": ({"sex": "1"}, "sex"),
    "veteran status 2": ({"veteran_status": 2}, "veteran_status"),
    "race_none 1": ({"race": [], "race_none": 1}, "race_none"),
    "name as a number": ({"first_name": 5}, "first_name"),
    "dob as a number": ({"dob": 19750930}, "dob"),
    "dob as an ISO week date": ({"dob": "1975-W39-2"}, "dob"),
    "ssn as a number": ({"ssn": 212334455}, "ssn"),
    "ssn with letters": ({"ssn": "21233445x"}, "ssn"),
    "project_id 10**30": ({"project_id": 10**30}, "project_id"),
    "project_id as a list": ({"project_id": [1]}, "project_id"),
    "project_id as a boolean": ({"project_id": True}, "project_id"),
    "confirm_new as a string": ({"confirm_new": "yes"}, "confirm_new"),
    "unknown field": ({"gender": 1}, "gender"),
}


@pytest.mark.parametrize("case", MALFORMED_CREATE)
def test_malformed_create_bodies_get_a_json_400_naming_the_field_and_store_nothing(tenancy, case):
    overrides, field = MALFORMED_CREATE[case]
    api = api_for(tenancy.worker_a)
    body = assert_json_error(post(api, reverse("api:clients"), new_client_body(**overrides)))
    assert f"'{field}" in body["error"], body
    assert not Client.objects.exists() and not Roi.objects.exists()


def test_raw_bodies_that_are_not_json_objects_get_a_json_400(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    api = api_for(tenancy.worker_a)
    urls = [reverse("api:clients"), reverse("api:clients_search"),
            reverse("api:client_consents", args=[person.display_id]),
            reverse("api:client_consents_revoke", args=[person.display_id])]
    for url in urls:
        for raw in (DEEP, "{" * 5000, "[1]", '"text"', "null", "{", "\xff\xfe", '{"a": 1e999999}', "9" * 5000):
            assert_json_error(api.post(url, data=raw, content_type="application/json"))
        too_deep = {"consent": {"sharing": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}}}
        assert "nested" in assert_json_error(post(api, url, too_deep))["error"]
        assert_json_error(api.post(url, data="{}" + " " * (3 * 1024 * 1024), content_type="application/json"), 413)
    assert person.rois.count() == 1


def test_consent_endpoints_refuse_malformed_bodies_with_json_400(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    api = api_for(tenancy.worker_a)
    consents = reverse("api:client_consents", args=[person.display_id])
    revoke = reverse("api:client_consents_revoke", args=[person.display_id])
    assert_json_error(post(api, consents, {"consent": {"sharing": ["full"], "signed_on": date.today().isoformat()}}))
    assert_json_error(post(api, consents, {"consent": {"sharing": "full", "signed_on": date.today().isoformat()},
                                           "project_id": 10**30}))
    assert_json_error(post(api, revoke, {"revoked_on": []}))
    assert_json_error(post(api, revoke, {"revoked_on": "2025-01-01\x00"}))
    assert_json_error(post(api, revoke, {"reason": "moved"}))
    assert person.rois.count() == 1 and person.rois.get().revoked_on is None


def test_d3_sex_42_is_refused_with_hud_codes_and_not_stored(tenancy):
    api = api_for(tenancy.worker_a)
    body = assert_json_error(post(api, reverse("api:clients"), new_client_body(sex=42)))
    assert body["fields"] == {"sex": [body["fields"]["sex"][0]]}
    assert all(f"{code} ({label})" in body["error"] for code, label in Sex.choices)
    assert not Client.objects.exists()
    refusal = post(api, reverse("api:clients"), new_client_body(sex=Sex.PREFERS_NOT, project_id=tenancy.shelter_a.pk))
    assert refusal.status_code == 201
    assert Client.objects.get().sex == Sex.PREFERS_NOT


def test_control_characters_in_names_are_refused_by_the_api_and_the_web_forms(tenancy):
    api = api_for(tenancy.worker_a)
    refused = assert_json_error(post(api, reverse("api:clients"), new_client_body(first_name="Ko\u0007fi")))
    assert "control character" in refused["fields"]["first_name"][0]
    data = {"first_name": "Ann\tMarie", "last_name": "Lee", "name_data_quality": 1, "ssn_data_quality": 99,
            "dob_data_quality": 99, "white": "on", "sex": 0, "veteran_status": 0, "middle_name": "Jo\u2028Jo"}
    form = ClientForm(data)
    assert not form.is_valid()
    assert "control character" in form.errors["first_name"][0] and "control character" in form.errors["middle_name"][0]
    correction = CorrectionForm(data | {"kind": "inaccurate", "information_date": date.today().isoformat()})
    assert not correction.is_valid() and "control character" in correction.errors["first_name"][0]
    assert ClientForm(data | {"first_name": "Ann Marie", "middle_name": "Jo"}).is_valid()


def test_services_refuse_control_characters_and_overlong_names_too(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    license = License.objects.get(user=tenancy.worker_a)
    for name in ("Ada\x00", "Ada\r", "A" * 51):
        with pytest.raises(ValidationError) as refused:
            services.client_correct(actor=tenancy.worker_a, license=license, client=person, kind="inaccurate",
                                    note="", first_name=name)
        assert "first_name" in refused.value.message_dict
    person.refresh_from_db()
    assert person.first_name == "Ada"


# --- 3. NUL in a path ---------------------------------------------------------------------------
def test_nul_in_a_path_is_404_and_in_a_query_string_400_never_500(tenancy, signed_in):
    browser = signed_in(tenancy.worker_a)
    assert browser.get("/clients/%00/").status_code == 404
    assert browser.get("/clients/%00/correct/").status_code == 404
    assert browser.get("/clients/?text=%00").status_code == 400
    assert HttpClient().get("/clients/%00/").status_code == 404
    # A form-encoded body holding NUL is refused before a view reads request.POST itself.
    form = "application/x-www-form-urlencoded"  # as a browser sends a form
    assert browser.post("/clients/", urlencode({"text": "Ada\x00"}), content_type=form).status_code == 400
    typed = browser.post("/clients/", urlencode({"text": "100%00 sure"}), content_type=form)  # "%2500"
    assert typed.status_code == 200
    api = api_for(tenancy.worker_a)
    assert_json_error(api.get("/api/v1/clients/%00"), 404)
    assert_json_error(post(api, "/api/v1/clients/A%00B/consents", {}), 404)
    assert_json_error(api.get("/api/v1/clients/ABCD-EFGH?x=%00"), 400)


# --- 4. One transaction -------------------------------------------------------------------------
def test_c1_a_client_refused_with_422_leaves_no_consent(tenancy, monkeypatch):
    api = api_for(tenancy.worker_a)
    refused = post(api, reverse("api:clients"), new_client_body(ssn="123", project_id=tenancy.shelter_a.pk))
    assert_json_error(refused, 422)
    assert Roi.objects.count() == 0

    def refuse(**kwargs):
        kwargs["roi"].refresh_from_db()  # the consent was written in this transaction
        raise PolicyError("Refused after the consent was written.", rule="C1")

    monkeypatch.setattr(services, "client_create", refuse)
    late = post(api, reverse("api:clients"), new_client_body(project_id=tenancy.shelter_a.pk))
    assert_json_error(late, 422)
    assert Roi.objects.count() == 0 and Client.objects.count() == 0


# --- 5. Likely duplicates (D5) -----------------------------------------------------------------
def test_d5_api_duplicate_answers_409_and_creates_nothing_until_confirmed(tenancy):
    api = api_for(tenancy.worker_a)
    url = reverse("api:clients")
    body = new_client_body(project_id=tenancy.shelter_a.pk)
    first = post(api, url, body)
    assert first.status_code == 201
    again = assert_json_error(post(api, url, body), 409)
    assert [c["client_id"] for c in again["candidates"]] == [first.json()["client_id"]]
    assert "confirm_new" in again["error"]
    assert Client.objects.count() == 1 and Roi.objects.count() == 1
    logged = AuditEntry.objects.filter(access_kind="api", additional_data__note="API duplicate check")
    assert list(logged.values_list("client_ref", flat=True)) == [first.json()["client_id"].replace("-", "")]
    assert_json_error(post(api, url, body | {"confirm_new": "yes"}))
    # The consent's own rules come first: a refused consent is a 422, not a 409.
    future = body | {"consent": {"sharing": "full", "signed_on": "2999-01-01"}}
    assert "future" in assert_json_error(post(api, url, future), 422)["error"]
    confirmed = post(api, url, body | {"confirm_new": True})
    assert confirmed.status_code == 201 and confirmed.json()["client_id"] != first.json()["client_id"]
    assert Client.objects.count() == 2 and Roi.objects.count() == 2


def test_d5_api_duplicate_answers_409_with_visible_candidates_only(tenancy):
    visible = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Kofi", last="Mensah",
                          dob=date(1975, 9, 30), ssn="212334455")
    # Agency C is in the other CoC and the client shares nothing: worker_b may not see them.
    make_client(tenancy.worker_c, project=tenancy.shelter_c, sharing="none", first="Kofi", last="Mensah",
                dob=date(1975, 9, 30), ssn="212334455")
    answer = assert_json_error(post(api_for(tenancy.worker_b), reverse("api:clients"),
                                    new_client_body(project_id=tenancy.housing_b.pk)), 409)
    assert [c["client_id"] for c in answer["candidates"]] == [visible.display_id]
    assert set(answer["candidates"][0]) == {"client_id", "name", "dob", "ssn_last4", "access"}
    assert Client.objects.count() == 2 and Roi.objects.count() == 2


def test_d5_a_duplicate_the_caller_may_not_see_is_not_revealed(tenancy):
    make_client(tenancy.worker_c, project=tenancy.shelter_c, sharing="none", first="Kofi", last="Mensah",
                dob=date(1975, 9, 30), ssn="212334455")
    created = post(api_for(tenancy.worker_b), reverse("api:clients"), new_client_body(project_id=tenancy.housing_b.pk))
    assert created.status_code == 201 and "candidates" not in created.json()
