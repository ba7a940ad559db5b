"""JSON API v1 for coordinated-entry and by-name-list integrations.

Bearer tokens (hmis/api_tokens.py) act as one person at one agency. The same
services and selectors as the pages: 404 for what the caller may not see, 400
for malformed input, 422 with a plain message when a rule refuses.
"""

import json
from datetime import date
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from agencies.models import License, Project
from consent import services as consent_services
from consent.models import Roi, SharingLevel
from consent.visibility import Viewer, client_access
from hmis import api_tokens
from hmis.access import API_TOKEN, PUBLIC, access
from hmis.audit import acting_as, log_access
from hmis.models import AuditEntry

from . import selectors, services
from .hud_lists import RACE_FIELDS
from .models import Client

SHARING = {"full": SharingLevel.FULL, "limited": SharingLevel.LIMITED, "none": SharingLevel.NONE}


class BadRequest(Exception):
    pass


def error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def api_view(*methods):
    """Token authentication, method check and error mapping for an API view."""

    def decorator(view):
        @csrf_exempt
        @access(API_TOKEN)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token = api_tokens.authenticate(request.headers.get("Authorization", ""))
            if token is None:
                response = error(401, "Send a valid API token: 'Authorization: Bearer <token>'.")
                response["WWW-Authenticate"] = "Bearer"
                return response
            if request.method not in methods:
                return error(405, f"Use {' or '.join(methods)}.")
            request.user = token.user
            request.license = None
            request.agency = token.agency
            if token.agency is not None:
                request.license = License.objects.filter(
                    user=token.user, agency=token.agency, status=License.Status.ACTIVE
                ).select_related("agency").first()
                if request.license is None or not request.license.is_active:
                    return error(403, "The token's license at its agency is not active.")
            try:
                # The audit actor is the token's person, in the token's agency context.
                with acting_as(token.user, token.agency_id):
                    return view(request, *args, **kwargs)
            except BadRequest as problem:
                return error(400, str(problem))
            except Http404:
                return error(404, "No such client, or not one you may see.")
            except ValidationError as problem:
                fields = getattr(problem, "message_dict", None)
                return error(422, " ".join(problem.messages), **({"fields": fields} if fields else {}))

        return wrapped

    return decorator


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body


def _date(value, name: str, required: bool = True):
    if value in (None, ""):
        if required:
            raise BadRequest(f"'{name}' is required (YYYY-MM-DD).")
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"'{name}' must be a date as YYYY-MM-DD.") from None


def _consent(body: dict) -> dict:
    consent = body.get("consent")
    if not isinstance(consent, dict):
        raise BadRequest("'consent' is required: {\"sharing\": \"full\"|\"limited\"|\"none\", \"signed_on\": \"YYYY-MM-DD\", \"verbal\": true|false}.")
    sharing = SHARING.get(consent.get("sharing"))
    if sharing is None:
        raise BadRequest("'consent.sharing' must be \"full\", \"limited\" or \"none\".")
    if not isinstance(consent.get("verbal", False), bool):
        raise BadRequest("'consent.verbal' must be true or false.")
    return {
        "sharing_level": sharing,
        "signed_on": _date(consent.get("signed_on"), "consent.signed_on"),
        "consent_type": Roi.ConsentType.VERBAL if consent.get("verbal") else Roi.ConsentType.SIGNED,
    }


def _project(request, body: dict):
    project_id = body.get("project_id")
    if project_id in (None, ""):
        return None
    project = Project.objects.filter(pk=project_id, agency=request.agency).first() if str(project_id).isdigit() else None
    if project is None:
        raise BadRequest("'project_id' is not a project of your agency.")
    return project


def client_json(viewer: Viewer, client: Client) -> dict:
    summary = selectors.summarize(viewer, client)
    data = summary.as_api()
    access_ = client_access(viewer, client)
    if access_.full:
        data.update({
            "name_data_quality": client.name_data_quality,
            "ssn_data_quality": client.ssn_data_quality,
            "dob_data_quality": client.dob_data_quality,
            "sharing": client.sharing,
            "served_by_your_agency": access_.serves_client,
        })
        if "demographics" not in access_.hidden_parts:
            data.update({
                "race": [hud for field, hud, _ in RACE_FIELDS if getattr(client, field)],
                "race_none": client.race_none,
                "sex": client.sex,
                "veteran_status": client.veteran_status,
            })
    return data


@api_view("GET", "POST")
def clients_collection(request):
    if request.method == "POST":
        return create_client(request)
    viewer = Viewer(request.user, request.license)
    if not viewer.may_open_client_data:
        return error(403, "Your license does not open client records.")
    results = selectors.search_clients(
        viewer=viewer, text=request.GET.get("q", ""), dob=_date(request.GET.get("dob"), "dob", required=False),
        ssn_last4=request.GET.get("ssn_last4", ""),
    )
    clients = {c.client_id: c for c in Client.objects.filter(client_id__in=[r.client_id for r in results])}
    for result in results:
        log_access(clients[result.client_id], kind=AuditEntry.AccessKind.API, actor=request.user,
                   agency=request.agency, client_ref=result.client_id, note="API search result")
    return JsonResponse({"results": [r.as_api() for r in results]})


def create_client(request):
    body = _json_body(request)
    viewer = Viewer(request.user, request.license)
    if not viewer.may_enter_client_data:
        return error(403, "Your license does not include data entry.")
    consent = _consent(body)
    project = _project(request, body)
    coc = consent_services.coc_for(request.license, project)
    if consent["sharing_level"] == SharingLevel.NONE and coc.no_sharing_policy == coc.NoSharingPolicy.NO_RECORD:
        if project is not None:
            consent_services.opt_out_record(actor=request.user, license=request.license, project=project,
                                            served_on=consent["signed_on"])
        return error(422, "The client chose no sharing: under this CoC's policy nothing about them is stored. "
                          "Document the visit on the offline intake form.", stored=False)
    dob = _date(body.get("dob"), "dob", required=False)
    ssn = str(body.get("ssn") or "")
    fields = {
        "first_name": str(body.get("first_name") or ""), "last_name": str(body.get("last_name") or ""),
        "middle_name": str(body.get("middle_name") or ""),
        "name_data_quality": body.get("name_data_quality", 1),
        "dob": dob, "dob_data_quality": body.get("dob_data_quality", 1 if dob else 99),
        "ssn_data_quality": body.get("ssn_data_quality", 1 if ssn else 99),
        "race_none": body.get("race_none", None if body.get("race") else 99),
        "sex": body.get("sex", 99), "veteran_status": body.get("veteran_status", 99),
    }
    races = body.get("race") or []
    if not isinstance(races, list):
        raise BadRequest("'race' must be a list of HMIS CSV column names, e.g. [\"Asian\"].")
    by_column = {hud: field for field, hud, _ in RACE_FIELDS}
    unknown = [r for r in races if r not in by_column]
    if unknown:
        raise BadRequest(f"Unknown race values: {', '.join(map(str, unknown))}. Use {', '.join(by_column)}.")
    fields.update({by_column[r]: True for r in races})
    roi = consent_services.roi_record(
        actor=request.user, license=request.license, taken_by=request.user, project=project, **consent,
    )
    client = services.client_create(actor=request.user, license=request.license, roi=roi, ssn=ssn, **fields)
    response = JsonResponse({"client_id": client.display_id, "roi_id": roi.pk}, status=201)
    response["Location"] = reverse("api:client", args=[client.display_id])
    return response


@api_view("GET")
def client_detail(request, client_id):
    viewer = Viewer(request.user, request.license)
    if not viewer.may_open_client_data:
        return error(403, "Your license does not open client records.")
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    return JsonResponse(client_json(viewer, client))


@api_view("POST")
def client_consents(request, client_id):
    viewer = Viewer(request.user, request.license)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    body = _json_body(request)
    consent = _consent(body)
    roi = consent_services.roi_record(
        actor=request.user, license=request.license, taken_by=request.user, project=_project(request, body),
        clients=[client], **consent,
    )
    return JsonResponse({"roi_id": roi.pk, "client_id": client.display_id, "expires_on": roi.expires_on.isoformat()},
                        status=201)


@api_view("POST")
def client_consents_revoke(request, client_id):
    viewer = Viewer(request.user, request.license)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    body = _json_body(request)
    revoked_on = _date(body.get("revoked_on"), "revoked_on", required=False) or consent_services.dates.today()
    rois = [r for r in client.rois.filter(agency=request.agency, revoked_on__isnull=True)]
    if not rois:
        return error(422, "Your agency holds no unrevoked consent for this client.")
    for roi in rois:
        consent_services.roi_revoke(actor=request.user, license=request.license, roi=roi, revoked_on=revoked_on)
    client.refresh_from_db()
    return JsonResponse({"client_id": client.display_id, "revoked_rois": [r.pk for r in rois],
                         "sharing": client.sharing})


@access(PUBLIC)
def openapi(request):
    from .openapi import SCHEMA

    return JsonResponse(SCHEMA)
