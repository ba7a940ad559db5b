"""Custom data requests (E2) under the "Data Request Policy", and the refusal of any
request to track people for law enforcement (E4)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hmis import dates
from hmis.errors import PolicyError
from hmis.notify import hmis_lead_admins, notify

from .models import DataRequest
from .sanctions import _require_lead

R = DataRequest.Requester
L = DataRequest.Level

LAW_ENFORCEMENT_REFUSAL = ("Refused (E4): the HMIS is not a tool for tracking or locating people for law "
                           "enforcement, and its data is not disclosed for that purpose.")
OUTSIDE_IDENTIFYING_REFUSAL = ("Refused (E2): agencies cannot give identifying client-level data pulled from the "
                               "HMIS to anyone outside the agency.")
# The Lead promises delivery between 2 and 10 weeks out (001 "Report Timeframes").
EARLIEST_DELIVERY_DAYS = 14
LATEST_DELIVERY_DAYS = 70


def approval_reasons(*, requester_kind: str, level: str, identifying: bool, other_agencies: bool,
                     funds_all_projects: bool) -> list[str]:
    """E2: the reasons CoC approval is needed; an empty list means none is."""
    reasons = []
    if requester_kind == R.OUTSIDE:
        reasons.append("The request comes from outside the CoC.")
    if identifying and requester_kind != R.AGENCY:
        reasons.append("It involves personally identifying client information.")
    if requester_kind == R.AGENCY and other_agencies and level != L.COC:
        reasons.append("It includes clients served by other agencies' projects at project or client level.")
    if requester_kind == R.FUNDER and level == L.CLIENT:
        reasons.append("A funder asks for client-level data.")
    if requester_kind == R.FUNDER and level == L.PROJECT and not funds_all_projects:
        reasons.append("A funder asks for project-level data on projects it does not fund.")
    if requester_kind == R.COMMITTEE and level == L.CLIENT:
        reasons.append("A CoC committee asks for client-level data.")
    return reasons


def refusal(*, requester_kind: str, level: str, identifying: bool, shared_outside: bool, law_enforcement: bool) -> str:
    if law_enforcement:
        return LAW_ENFORCEMENT_REFUSAL
    if requester_kind == R.AGENCY and level == L.CLIENT and identifying and shared_outside:
        return OUTSIDE_IDENTIFYING_REFUSAL
    return ""


@transaction.atomic
def submit(*, actor, agency=None, **answers) -> DataRequest:
    """An agency's managers submit their own agency's requests; the HMIS Lead enters
    those of funders, committees and outside requesters from the Custom Data Request form."""
    if not actor.is_system_admin:
        if agency is None:
            raise PolicyError("Choose your agency.", rule="E2")
        from .sanctions import _require_agency_manager

        _require_agency_manager(actor, agency, "E2")
        if answers["requester_kind"] != R.AGENCY:
            raise PolicyError("Funders, committees and outside requesters send their form to the HMIS Lead.",
                              rule="E2", field="requester_kind")
    request = DataRequest(submitted_by=actor, agency=agency, **answers)
    refused = refusal(requester_kind=request.requester_kind, level=request.level, identifying=request.identifying,
                      shared_outside=request.shared_outside, law_enforcement=request.law_enforcement)
    request.approval_reasons = approval_reasons(
        requester_kind=request.requester_kind, level=request.level, identifying=request.identifying,
        other_agencies=request.other_agencies, funds_all_projects=request.funds_all_projects)
    request.needs_coc_approval = bool(request.approval_reasons)
    if refused:
        request.status, request.status_reason = DataRequest.Status.REFUSED, refused
        request.decided_at = timezone.now()
    else:
        request.status = DataRequest.Status.REVIEW
    request.save()
    if not refused:
        notify(hmis_lead_admins(), subject=f"Data request from {request.organization}",
               link=f"/compliance/data-requests/{request.pk}/", dedupe_key=f"data-request:{request.pk}")
    return request


def _check_delivery(expected_delivery_on) -> None:
    if expected_delivery_on is None:
        raise PolicyError("Give the expected delivery date.", rule="E2", field="expected_delivery_on")
    today = dates.today()
    if not (today + timedelta(days=EARLIEST_DELIVERY_DAYS) <= expected_delivery_on
            <= today + timedelta(days=LATEST_DELIVERY_DAYS)):
        raise PolicyError("Deliveries are promised between 2 and 10 weeks from today.", rule="E2",
                          field="expected_delivery_on")


@transaction.atomic
def decide(*, actor, request: DataRequest, decision: str, note: str = "", expected_delivery_on=None) -> DataRequest:
    """The HMIS Lead: approve (with the expected delivery date) when no CoC approval is
    needed or once the CoC approved; send to the CoC; deny; mark delivered."""
    _require_lead(actor, "E2")
    S = DataRequest.Status
    if decision == "send_to_coc":
        if request.status != S.REVIEW or not request.needs_coc_approval:
            raise PolicyError("Only a request that needs CoC approval goes to the CoC.", rule="E2")
        request.status = S.COC
    elif decision == "approve":
        if request.status == S.REVIEW and request.needs_coc_approval:
            raise PolicyError("This request needs CoC approval first: send it to the CoC.", rule="E2")
        if request.status not in (S.REVIEW, S.COC):
            raise PolicyError("This request is not waiting for a decision.", rule="E2")
        _check_delivery(expected_delivery_on)
        request.status, request.expected_delivery_on = S.APPROVED, expected_delivery_on
    elif decision == "deny":
        if request.status not in (S.REVIEW, S.COC):
            raise PolicyError("This request is not waiting for a decision.", rule="E2")
        if not note.strip():
            raise PolicyError("Give the reason for the denial.", rule="E2", field="note")
        request.status = S.DENIED
    elif decision == "delivered":
        if request.status != S.APPROVED:
            raise PolicyError("Only an approved request is delivered.", rule="E2")
        request.status = S.DELIVERED
    else:
        raise PolicyError("Choose a decision.", rule="E2")
    request.status_reason = note.strip() or request.status_reason
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save()
    return request
