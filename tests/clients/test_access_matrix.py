"""The access matrix (DESIGN conv. 4; issues 'Consent-first client records' item 9 and
14): every client-data URL and API endpoint, as every persona, against every consent
state, with the expected outcome of each cell. It prints how many cases it tried.

The states include the leaks issue 14 found: a consent recorded by a second agency
(C12), a protected project's client served later by another agency (A7, C12), a
demographics lock over a correction history (C10), and the CoC boundary (C13:
agency C is in the other CoC)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from agencies.models import License
from hmis.api_tokens import issue_token

from .states import build_states, third_agency

pytestmark = pytest.mark.django_db

FULL, IDS, NONE, DENIED = "full", "identifiers", "not found", "forbidden"

PERSONAS = {
    # name: (agency, kind)
    "worker_a": ("A", "end_user"),
    "worker_b": ("B", "end_user"),
    "viewer_b": ("B", "view_only"),
    "reporter_b": ("B", "reporting_only"),
    "worker_v": ("V", "vsp"),
    "worker_c": ("C", "end_user"),
    "worker_d": ("D", "end_user"),
    "admin": (None, "admin"),
}

# state: (agencies serving the client, what each agency sees, whose demographics view holds,
#         which agencies may reveal the full SSN). Agencies not listed see nothing.
# A and B are in CoC 1 with D; C is alone in CoC 2 (C13).
MATRIX = {
    "full": ("A", {"A": FULL, "B": FULL, "D": FULL}, "ABD", "ABD"),
    "limited": ("A", {"A": FULL, "B": IDS, "D": IDS}, "A", "A"),
    "no_record": ("", {}, "", ""),
    "none_locked": ("C", {"C": FULL}, "C", "C"),
    "expired": ("A", {"A": FULL}, "A", "A"),  # C6: an expired consent shares nothing
    "revoked": ("A", {"A": FULL}, "A", "A"),  # C9
    "locked_part": ("A", {"A": FULL, "B": FULL, "D": FULL}, "A", "ABD"),  # C10: demographics locked
    "protected": ("B", {"B": FULL, "A": IDS, "D": IDS}, "B", "B"),  # A7
    # C12: A limited, then B's own full consent: B serves; D sees B's data only; A's demographics stay with A;
    # B holds the client's consent, so it sees the identifiers in full.
    "second_consent": ("AB", {"A": FULL, "B": FULL, "D": FULL}, "A", "AB"),
    # C12, A7: B's protected project, then A's own full consent: the SSN and demographics stay with B.
    "protected_served": ("AB", {"A": FULL, "B": FULL, "D": FULL}, "B", "B"),
    # C10: a demographics correction, then a lock: others see neither the values nor the history.
    "locked_history": ("A", {"A": FULL, "B": FULL, "D": FULL}, "A", "ABD"),
}
STATES = list(MATRIX)
URLS = ("page", "reveal", "correct", "consent_new", "lock", "gap", "api")


def expected_level(persona: str, state: str) -> str:
    agency, kind = PERSONAS[persona]
    if kind in ("reporting_only", "vsp"):
        return DENIED  # T3, A6: refused before any client is looked up
    if state == "no_record":
        return NONE
    if kind == "admin":
        return FULL
    return MATRIX[state][1].get(agency, NONE)


def serves(persona: str, state: str) -> bool:
    return PERSONAS[persona][0] is not None and PERSONAS[persona][0] in MATRIX[state][0]


def expected(url_kind: str, persona: str, state: str) -> int:
    level = expected_level(persona, state)
    agency, kind = PERSONAS[persona]
    if level == DENIED:
        return 403
    if url_kind in ("page", "api"):
        return 200 if level in (FULL, IDS) else 404
    if url_kind == "reveal":
        if level == NONE:
            return 404
        return 200 if kind == "admin" or agency in MATRIX[state][3] else 404
    if kind in ("admin", "view_only"):
        return 403  # no data entry license at all
    if url_kind == "consent_new":
        return 200 if level in (FULL, IDS) else 404  # serve a client one can find
    return 200 if serves(persona, state) and level == FULL else 404  # correct, lock, gap


def shows_demographics(persona: str, state: str) -> bool:
    agency, kind = PERSONAS[persona]
    return expected_level(persona, state) == FULL and (kind == "admin" or agency in MATRIX[state][2])


@pytest.fixture
def world(tenancy, signed_in):
    states = build_states(tenancy)
    _, _, tenancy.worker_d = third_agency(tenancy)
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


def test_c12_c13_access_matrix_every_url_every_persona_every_state(world):
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
                    failures.append(f"{url_kind:11} {persona:10} {state:16} got {response.status_code}, want {want}")
                    continue
                if response.status_code == 200 and url_kind in ("page", "api"):
                    body = response.content.decode()
                    shown = ("Veteran status (3.07)" in body) if url_kind == "page" else ('"veteran_status"' in body)
                    if shown != shows_demographics(persona, state):
                        failures.append(f"{url_kind:11} {persona:10} {state:16} demographics shown={shown}")
                    if expected_level(persona, state) == IDS and "Consents (releases" in body:
                        failures.append(f"{url_kind:11} {persona:10} {state:16} shows consents beyond identifiers")
    print(f"\naccess matrix: {tried} cases tried ({len(STATES)} states x {len(PERSONAS)} personas x {len(URLS)} URLs)")
    assert not failures, "\n".join(failures)
    assert tried == len(STATES) * len(PERSONAS) * len(URLS)


def test_a7_other_agencies_cannot_see_a_protected_projects_enrollment_or_roi(world, tenancy, signed_in):
    clients, web, _ = world
    page = web["worker_a"].get(reverse("clients:detail", args=[clients["protected"].client_id])).content.decode()
    assert "Tected" in page  # identifiers for de-duplication
    assert tenancy.protected_b.name not in page and "Consents (releases" not in page
    own = web["worker_b"].get(reverse("clients:detail", args=[clients["protected"].client_id])).content.decode()
    assert tenancy.protected_b.name in own
