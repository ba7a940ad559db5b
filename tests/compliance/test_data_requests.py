"""E2: which custom data requests need CoC approval; E4: law-enforcement tracking is refused."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from compliance.data_requests import approval_reasons
from compliance.models import DataRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "level", "identifying", "other_agencies", "funds_all", "needs"), [
    ("agency", "client", True, False, False, False),    # an agency's own clients, at any level
    ("agency", "coc", False, True, False, False),       # CoC-level data
    ("agency", "project", False, True, False, True),    # other agencies' clients at project level
    ("agency", "client", False, True, False, True),
    ("funder", "project", False, False, True, False),   # projects it funds
    ("funder", "project", False, False, False, True),   # a project it does not fund
    ("funder", "coc", False, False, False, False),
    ("funder", "client", False, False, True, True),     # client level, identifying or not
    ("committee", "project", False, False, False, False),
    ("committee", "coc", False, False, False, False),
    ("committee", "client", False, False, False, True),
    ("committee", "coc", True, False, False, True),     # identifying, not the agency's own
    ("outside", "coc", False, False, False, True),      # any outside request
])
def test_e2_the_rule_list_decides_whether_coc_approval_is_needed(kind, level, identifying, other_agencies, funds_all, needs):
    reasons = approval_reasons(requester_kind=kind, level=level, identifying=identifying,
                               other_agencies=other_agencies, funds_all_projects=funds_all)
    assert bool(reasons) is needs


FORM = {"requester_name": "Pat Analyst", "organization": "Agency A", "email": "pat@example.org",
        "purpose": "Length of stay in our shelter", "level": "project"}


def test_e2_agency_request_without_approval_then_the_lead_promises_a_date(tenancy, signed_in):
    director = signed_in(tenancy.director_a)
    response = director.post(reverse("oversight:data_requests"), FORM | {"requester_kind": "agency"}, follow=True)
    assert b"No CoC approval is needed" in response.content
    made = DataRequest.objects.get()
    assert made.status == DataRequest.Status.REVIEW and made.agency == tenancy.agency_a
    admin = signed_in(tenancy.admin)
    too_soon = (date.today() + timedelta(days=3)).isoformat()
    response = admin.post(reverse("oversight:data_request", args=[made.pk]),
                          {"decision": "approve", "expected_delivery_on": too_soon})
    assert b"between 2 and 10 weeks" in response.content
    admin.post(reverse("oversight:data_request", args=[made.pk]),
               {"decision": "approve", "expected_delivery_on": (date.today() + timedelta(days=21)).isoformat()})
    made.refresh_from_db()
    assert made.status == DataRequest.Status.APPROVED and made.expected_delivery_on


def test_e2_requests_needing_approval_go_to_the_coc_first(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    admin.post(reverse("oversight:data_requests"), FORM | {"requester_kind": "outside", "organization": "University",
                                                           "level": "coc"})
    made = DataRequest.objects.get()
    assert made.needs_coc_approval and "outside the CoC" in made.approval_reasons[0]
    delivery = (date.today() + timedelta(days=30)).isoformat()
    response = admin.post(reverse("oversight:data_request", args=[made.pk]), {"decision": "approve", "expected_delivery_on": delivery})
    assert b"needs CoC approval first" in response.content
    admin.post(reverse("oversight:data_request", args=[made.pk]), {"decision": "send_to_coc"})
    admin.post(reverse("oversight:data_request", args=[made.pk]), {"decision": "approve", "expected_delivery_on": delivery})
    made.refresh_from_db()
    assert made.status == DataRequest.Status.APPROVED


def test_e2_agencies_cannot_hand_identifying_client_data_to_outsiders(tenancy, signed_in):
    signed_in(tenancy.director_a).post(reverse("oversight:data_requests"), FORM | {
        "requester_kind": "agency", "level": "client", "identifying": "on", "shared_outside": "on"})
    made = DataRequest.objects.get()
    assert made.status == DataRequest.Status.REFUSED and "outside the agency" in made.status_reason


def test_e2_agencies_submit_only_their_own_requests(tenancy, signed_in):
    response = signed_in(tenancy.director_a).post(reverse("oversight:data_requests"), FORM | {"requester_kind": "funder"})
    assert b"Select a valid choice" in response.content and not DataRequest.objects.exists()
    assert signed_in(tenancy.worker_a).get(reverse("oversight:data_requests")).status_code == 404


def test_e4_a_request_to_track_people_for_law_enforcement_is_refused_with_the_reason(tenancy, signed_in):
    response = signed_in(tenancy.admin).post(reverse("oversight:data_requests"), FORM | {
        "requester_kind": "outside", "organization": "County Sheriff", "level": "client", "law_enforcement": "on",
        "purpose": "Find where a person sleeps"}, follow=True)
    made = DataRequest.objects.get()
    assert made.status == DataRequest.Status.REFUSED
    assert "not a tool for tracking" in made.status_reason
    assert b"not a tool for tracking" in response.content
    with pytest.raises(Exception, match="not waiting"):
        from compliance.data_requests import decide

        decide(actor=tenancy.admin, request=made, decision="approve", expected_delivery_on=date.today() + timedelta(days=20))
