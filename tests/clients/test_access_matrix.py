"""The access matrix (DESIGN conv. 4; issue 'Consent-first client records' item 9):
every client-data URL and API endpoint, as every persona, against every consent
state, with the expected outcome of each cell. It prints how many cases it tried."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from agencies.models import License
from hmis.api_tokens import issue_token

from .states import build_states

pytestmark = pytest.mark.django_db

FULL, IDS, NONE, DENIED = "full", "identifiers", "not found", "forbidden"

STATES = ["full", "limited", "no_record", "none_locked", "expired", "revoked", "locked_part", "protected"]
OWNER = {"full": "A", "limited": "A", "expired": "A", "revoked": "A", "locked_part": "A",
         "none_locked": "C", "protected": "B", "no_record": None}
PERSONAS = {
    # name: (agency, kind)
    "worker_a": ("A", "end_user"),
    "worker_b": ("B", "end_user"),
    "viewer_b": ("B", "view_only"),
    "reporter_b": ("B", "reporting_only"),
    "worker_v": ("V", "vsp"),
    "worker_c": ("C", "end_user"),
    "admin": (None, "admin"),
}
OTHER_AGENCY_SEES = {"full": FULL, "limited": IDS, "expired": NONE, "revoked": NONE, "locked_part": FULL,
                     "protected": IDS, "none_locked": NONE, "no_record": NONE}


def expected_level(persona: str, state: str) -> str:
    agency, kind = PERSONAS[persona]
    if kind in ("reporting_only", "vsp"):
        return DENIED  # T3, A6: refused before any client is looked up
    if state == "no_record":
        return NONE
    if kind == "admin":
        return FULL
    if agency == OWNER[state]:
        return FULL
    return OTHER_AGENCY_SEES[state]


def expected(url_kind: str, persona: str, state: str) -> int:
    level = expected_level(persona, state)
    _, kind = PERSONAS[persona]
    own = PERSONAS[persona][0] == OWNER[state]
    if url_kind == "page":
        return {FULL: 200, IDS: 200, NONE: 404, DENIED: 403}[level]
    if url_kind == "reveal":
        return {FULL: 200, IDS: 404, NONE: 404, DENIED: 403}[level]
    if url_kind == "correct":
        if kind in ("admin", "view_only", "reporting_only", "vsp"):
            return 403  # no data entry license at all
        return 200 if own and level == FULL else 404
    if url_kind in ("consent_new", "lock", "gap"):
        if kind in ("admin", "view_only", "reporting_only", "vsp"):
            return 403
        if url_kind == "consent_new":
            return 200 if level in (FULL, IDS) else 404  # serve a client one can find
        return 200 if own and level == FULL else 404
    if url_kind == "api":
        return {FULL: 200, IDS: 200, NONE: 404, DENIED: 403}[level]
    raise AssertionError(url_kind)


@pytest.fixture
def world(tenancy, signed_in):
    states = build_states(tenancy)
    clients = {name: getattr(states, name, None) for name in STATES}
    users = {name: getattr(tenancy, name) for name in PERSONAS}
    web = {name: signed_in(user) for name, user in users.items()}
    api = {}
    for name, user in users.items():
        agency = None
        if name != "admin":
            agency = License.objects.get(user=user).agency
        _, token = issue_token(actor=None, user=user, agency=agency, name="matrix")
        api[name] = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    return clients, web, api


def test_access_matrix_every_url_every_persona_every_state(world):
    clients, web, api = world
    tried, failures = 0, []
    for state in STATES:
        client = clients[state]
        client_id = client.client_id if client else "NORECORD"
        for persona in PERSONAS:
            calls = {
                "page": lambda: web[persona].get(reverse("clients:detail", args=[client_id])),
                "reveal": lambda: web[persona].post(reverse("clients:reveal_ssn", args=[client_id])),
                "correct": lambda: web[persona].get(reverse("clients:correct", args=[client_id])),
                "consent_new": lambda: web[persona].get(reverse("clients:consent_new", args=[client_id])),
                "lock": lambda: web[persona].get(reverse("clients:lock_request", args=[client_id])),
                "gap": lambda: web[persona].get(reverse("clients:gap_request", args=[client_id])),
                "api": lambda: api[persona].get(reverse("api:client", args=[client_id])),
            }
            for url_kind, call in calls.items():
                response = call()
                tried += 1
                want = expected(url_kind, persona, state)
                if response.status_code != want:
                    failures.append(f"{url_kind:8} {persona:10} {state:12} got {response.status_code}, want {want}")
                    continue
                if response.status_code == 200 and url_kind in ("page", "api"):
                    body = response.content.decode()
                    level = expected_level(persona, state)
                    shows_demographics = ("Demographics" in body) if url_kind == "page" else ('"race"' in body)
                    want_demographics = level == FULL and not (
                        state == "locked_part" and PERSONAS[persona][0] != "A" and PERSONAS[persona][1] != "admin")
                    if url_kind == "page" and level == FULL:
                        # The heading is there; the locked part's values are not.
                        shows_demographics = "Veteran status (3.07)" in body
                    if shows_demographics != want_demographics:
                        failures.append(f"{url_kind:8} {persona:10} {state:12} demographics shown={shows_demographics}")
                    if level == IDS and "Consents (releases" in body:
                        failures.append(f"{url_kind:8} {persona:10} {state:12} shows consents beyond identifiers")
    print(f"\naccess matrix: {tried} cases tried ({len(STATES)} states x {len(PERSONAS)} personas x 7 URLs)")
    assert not failures, "\n".join(failures)
    assert tried == len(STATES) * len(PERSONAS) * 7


def test_a7_other_agencies_cannot_see_a_protected_projects_enrollment_or_roi(world, tenancy, signed_in):
    clients, web, _ = world
    page = web["worker_a"].get(reverse("clients:detail", args=[clients["protected"].client_id])).content.decode()
    assert "Tected" in page  # identifiers for de-duplication
    assert tenancy.protected_b.name not in page and "Consents (releases" not in page
    own = web["worker_b"].get(reverse("clients:detail", args=[clients["protected"].client_id])).content.decode()
    assert tenancy.protected_b.name in own
