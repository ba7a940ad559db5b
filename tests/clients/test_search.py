"""Client search as a case worker uses it (D5), held to what the consents share (C12,
C13, A7) and audited (R2), at a cost that does not grow with the results (issue 14 §4):
each result's level is decided in the search's own SQL, C13's reach comes from the
sign-in gate's cache, and the audit entries are one INSERT."""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from compliance.client_rights import TEXT, audit_entries, describe
from consent import services as consent_services
from consent.visibility import Viewer, client_access
from hmis.models import AuditEntry
from tests.clients.states import BASE, build_states, license_of, make_client, third_agency
from tests.factories import AgencyFactory, LicenseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

LABELS = {"serves": "Your agency's client", 2: "Shared record", 1: "Basic identifiers only"}


def shown(html: str) -> dict:
    """HMIS Client ID -> the "What you see" column of each result row."""
    rows = re.findall(r'<th scope="row"[^>]*><a [^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})</a></th>(.*?)</tr>', html, re.S)
    # the data cells (a phone stacks them under their data-label); not the "Serve" button's cell
    return {display_id: re.findall(r'<td(?: data-label="[^"]*")?>(.*?)</td>', cells, re.S)[-1]
            for display_id, cells in rows}


def search(client, **terms) -> dict:
    response = client.post(reverse("clients:search"), terms)
    assert response.status_code == 200
    return shown(response.content.decode())


def test_c12_a7_each_result_says_what_its_consents_let_the_viewer_see(tenancy, signed_in):
    """As Agency D (same CoC, serves none of them), a search by the date of birth they share
    lists each client at the level its consents give, which is client_access()'s answer."""
    world = build_states(tenancy)
    tenancy.agency_d, tenancy.shelter_d, tenancy.worker_d = third_agency(tenancy)
    found = search(signed_in(tenancy.worker_d), dob="1980-05-17")
    assert found[world.full.display_id] == "Shared record"  # A's full consent
    assert found[world.limited.display_id] == "Basic identifiers only"  # A's limited consent (C2)
    assert found[world.protected.display_id] == "Basic identifiers only"  # consent taken in B's protected project (A7)
    assert found[world.second_consent.display_id] == "Shared record"  # B's own full consent shares B's data (C12)
    for gone in (world.none_locked, world.expired, world.revoked):  # other CoC (C13), expired (C6), revoked (C9)
        assert gone.display_id not in found
    viewer = Viewer(tenancy.worker_d, license_of(tenancy.worker_d))
    for name, client in vars(world).items():
        access = client_access(viewer, client)
        if access.visible:
            assert found[client.display_id] == LABELS[int(access.level)], name
    mine = search(signed_in(tenancy.worker_a), dob="1980-05-17")
    assert mine[world.full.display_id] == "Your agency's client"  # A entered and serves Fulton


def _agency_e_client(tenancy, cocs):
    """Agency E, participating in ``cocs``, enters Esme under an agency-wide full consent (C7)."""
    from clients import services as client_services

    agency_e = AgencyFactory(name="Agency E", cocs=cocs)
    ProjectFactory(agency=agency_e, coc=cocs[0], name="E Shelter")
    worker_e = UserFactory(username="worker_e")
    license = LicenseFactory(user=worker_e, agency=agency_e)
    roi = consent_services.roi_record(actor=worker_e, license=license, sharing_level="full", consent_type="signed",
                                      signed_on=date.today(), taken_by=worker_e)
    esme = client_services.client_create(actor=worker_e, license=license, roi=roi, first_name="Esme",
                                         last_name="Elsewhere", dob=date(1990, 9, 9), ssn="",
                                         **(BASE | {"ssn_data_quality": 99}))
    return agency_e, esme


def test_c13_an_agency_leaving_or_joining_a_coc_changes_another_agencys_very_next_search(tenancy, signed_in):
    """C13's reach is kept with the sign-in gate's state for the session. Agency E's
    agency-wide consent is shared with Agency A only while E participates in A's CoC: E
    leaving it must hide Esme from A's next search in the same session, and joining again
    show her, though nothing about A or its people changed."""
    agency_e, esme = _agency_e_client(tenancy, [tenancy.coc2, tenancy.coc1])
    worker_a = signed_in(tenancy.worker_a)
    assert esme.display_id in search(worker_a, text="Esme Elsewhere")  # E is in CoC 1 too
    agency_e.cocs.remove(tenancy.coc1)
    assert esme.display_id not in search(worker_a, text="Esme Elsewhere")  # E is now in CoC 2 alone
    agency_e.cocs.add(tenancy.coc1)
    assert esme.display_id in search(worker_a, text="Esme Elsewhere")


def test_a_search_page_costs_the_same_queries_for_one_result_or_many(tenancy, signed_in):
    """Each result's level comes with the search's own SQL: no consents, locks or stays
    read per result or per page, and C13's reach is not read again (the gate keeps it)."""
    for n in range(4):
        make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Manya", last=f"Clientson{n}",
                    dob=date(1961, 1, 1), ssn="", ssn_data_quality=99)
    make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Solo", last="Onlyone", dob=date(1962, 2, 2), ssn="",
                ssn_data_quality=99)
    worker_b = signed_in(tenancy.worker_b)
    search(worker_b, dob="1960-12-31")  # warm the gate's state, as a returning page would
    counts = {}
    for dob, expected in (("1962-02-02", 1), ("1961-01-01", 4)):
        with CaptureQueriesContext(connection) as queries:
            assert len(search(worker_b, dob=dob)) == expected
        sql = [q["sql"] for q in queries]
        assert not [s for s in sql if s.startswith("SELECT") and "agencies_agency_cocs" in s and "clients_client" not in s]
        assert not [s for s in sql if s.startswith('SELECT "consent_') or s.startswith('SELECT "enrollments_')], sql
        counts[expected] = len(sql)
    assert counts[1] == counts[4]


@pytest.mark.django_db(transaction=True)
def test_r2_a_search_is_logged_in_one_insert_committed_before_the_page_is_served(tenancy, signed_in):
    """Outside a transaction (as in production, ATOMIC_REQUESTS off) the audit entries of a
    search are one INSERT, atomic and committed on its own: no BEGIN ... COMMIT around it.
    Every client shown is logged, and only those."""
    clients = [make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Audra", last=f"Logged{n}",
                           dob=date(1970, 7, 7), ssn="", ssn_data_quality=99) for n in range(3)]
    # Same date of birth, entered in the other CoC: not shown to Agency B (C13), so not logged.
    hidden = make_client(tenancy.worker_c, project=tenancy.shelter_c, first="Other", last="Coc",
                         dob=date(1970, 7, 7), ssn="", ssn_data_quality=99)
    worker_b = signed_in(tenancy.worker_b)
    assert search(worker_b, dob="1950-01-01") == {}  # the first request saves the gate's state in the session
    with CaptureQueriesContext(connection) as queries:
        found = search(worker_b, dob="1970-07-07")
    assert set(found) == {c.display_id for c in clients}
    sql = [q["sql"] for q in queries]
    inserts = [s for s in sql if s.startswith('INSERT INTO "hmis_auditentry"')]
    assert len(inserts) == 1, sql
    assert not [s for s in sql if s in ("BEGIN", "COMMIT")], sql
    logged = AuditEntry.objects.filter(access_kind=AuditEntry.AccessKind.SEARCH, actor=tenancy.worker_b)
    assert sorted(logged.values_list("client_ref", flat=True)) == sorted(c.client_id for c in clients)
    assert not logged.filter(client_ref=hidden.client_id).exists()
    # Each entry as django-auditlog would write it for the client: the values every entry
    # shares come from the model's own fields (defaults, time, JSON), per client its keys.
    client_type = ContentType.objects.get_for_model(Client)
    for client in clients:
        entry = logged.get(client_ref=client.client_id)
        assert (entry.content_type, entry.object_pk, entry.object_id, entry.object_repr) == (
            client_type, str(client.pk), client.pk, str(client))  # "Client XXXX-XXXX", never the name
        assert (entry.action, entry.agency, entry.additional_data) == (
            AuditEntry.Action.ACCESS, tenancy.agency_b, {"note": "search result"})
        assert entry.timestamp is not None and entry.changes_text == "" and entry.remote_addr is None
        assert "saw your name in search results" in [describe(e, TEXT["en"]) for e in audit_entries(client)]
