"""JSON API v1 for coordinated-entry and by-name-list integrations.

Bearer tokens (hmis/api_tokens.py) act as one person at one agency. The same
services and selectors as the pages: 404 for what the caller may not see, 400
for malformed input (every field checked against HUD's lists and the model's
lengths, clients/validation.py), 409 for a likely duplicate (D5), 422 with a plain
message when a rule refuses. No personal information travels in a URL: the API
takes no query parameters, and search terms go in a POSTed body.
"""

import json
import re
from datetime import date
from functools import wraps

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from agencies.models import License, Project
from consent import services as consent_services
from consent.models import Roi, SharingLevel
from consent.visibility import Viewer, client_access, profile_access
from hmis import api_tokens, dates
from hmis.access import CLIENT_DATA, DATA_ENTRY, PUBLIC, SIGNED_IN, AccessRule, access, api_endpoint
from hmis.audit import acting_as, log_access
from hmis.models import AuditEntry

from . import selectors, services, validation
from .hud_lists import RACE_FIELDS
from .models import Client

SHARING = {"full": SharingLevel.FULL, "limited": SharingLevel.LIMITED, "none": SharingLevel.NONE}
CONSENT_KEYS = {"sharing", "signed_on", "verbal"}
SEARCH_KEYS = {"q", "dob", "ssn_last4"}
CREATE_KEYS = {*validation.TEXT_FIELDS, "ssn", "dob", "race", *validation.CODED_FIELDS, "project_id", "consent",
               "confirm_new"}
SEARCH_TEXT_MAX_LENGTH = 200
MAX_ID = 2**31 - 1  # the largest primary key of an integer column
NO_QUERY = ("This API takes no query parameters: send search terms and other values in the JSON body, "
            "so that names, dates of birth and SSNs never appear in a URL or an access log.")


class BadRequest(Exception):
    """Malformed input: answered 400 with the message and, per field, what to fix."""

    def __init__(self, message: str, fields: dict[str, str] | None = None, status: int = 400):
        super().__init__(message)
        self.fields = {name: [text] for name, text in (fields or {}).items()}
        self.status = status


class _LikelyDuplicates(Exception):
    """Rolls back a create that found likely duplicates (D5)."""

    def __init__(self, candidates):
        super().__init__("likely duplicates")
        self.candidates = candidates


def _refuse_fields(errors: dict[str, str]) -> None:
    if errors:
        raise BadRequest(" ".join(f"'{name}': {text}" for name, text in errors.items()), fields=errors)


def error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def api_view(*methods, rule: AccessRule, hint: str = ""):
    """Token authentication, method check, the endpoint's access rule and error mapping
    for an API view. ``rule`` is one of hmis/access.py's rules, applied as the token's
    person and agency once the token is authenticated: refused, the answer is a JSON 403.
    The view asks nothing more of the caller's role or license."""

    def decorator(view):
        @csrf_exempt
        @access(api_endpoint(rule))
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token = api_tokens.authenticate(request.headers.get("Authorization", ""))
            if token is None:
                response = error(401, "Send a valid API token: 'Authorization: Bearer <token>'.")
                response["WWW-Authenticate"] = "Bearer"
                return response
            if request.META.get("QUERY_STRING"):
                return error(400, NO_QUERY)
            if request.method not in methods:
                response = error(405, f"Use {' or '.join(methods)}.{' ' + hint if hint else ''}")
                response["Allow"] = ", ".join(methods)
                return response
            request.user = token.user
            request.license = None
            request.agency = token.agency
            if token.agency is not None:
                request.license = License.objects.filter(
                    user=token.user, agency=token.agency, status=License.Status.ACTIVE
                ).select_related("agency").first()
                if request.license is None or not request.license.is_active:
                    return error(403, "The token's license at its agency is not active.")
            if not rule.permits(request):
                return error(403, f"This endpoint is for {rule.name}; the token's license does not allow it.")
            try:
                # The audit actor is the token's person, in the token's agency context.
                with acting_as(token.user, token.agency_id):
                    return view(request, *args, **kwargs)
            except BadRequest as problem:
                return error(problem.status, str(problem), **({"fields": problem.fields} if problem.fields else {}))
            except Http404:
                return error(404, "No such client, or not one you may see.")
            except ValidationError as problem:
                fields = getattr(problem, "message_dict", None)
                return error(422, " ".join(problem.messages), **({"fields": fields} if fields else {}))

        return wrapped

    return decorator


def _json_body(request, allowed: set[str]) -> dict:
    """The body as a JSON object of known fields, or BadRequest: never a 500 for
    what a client sent (bad JSON, deep nesting, NUL, lone surrogates, a huge body)."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadRequest("The body is too large.", status=413) from None
    try:
        body = json.loads(raw or b"{}")
    except RecursionError:
        raise BadRequest("The body is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    problem = validation.json_value_problem(body)
    if problem:
        raise BadRequest(problem)
    unknown = sorted(set(body) - allowed)
    if unknown:
        _refuse_fields({name: f"Unknown field; use {', '.join(sorted(allowed))}." for name in unknown})
    return body


def _date(value, name: str, required: bool = True):
    if value in (None, ""):
        if required:
            raise BadRequest(f"'{name}' is required (YYYY-MM-DD).", fields={name: "Required."})
        return None
    try:
        if not isinstance(value, str) or not validation.ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date as YYYY-MM-DD.", fields={name: "A date as YYYY-MM-DD."}) from None


def _consent(body: dict) -> dict:
    consent = body.get("consent")
    if not isinstance(consent, dict):
        raise BadRequest("'consent' is required: {\"sharing\": \"full\"|\"limited\"|\"none\", \"signed_on\": \"YYYY-MM-DD\", \"verbal\": true|false}.")
    _refuse_fields({f"consent.{name}": f"Unknown field; use {', '.join(sorted(CONSENT_KEYS))}."
                    for name in sorted(set(consent) - CONSENT_KEYS)})
    sharing = consent.get("sharing")
    if not isinstance(sharing, str) or sharing not in SHARING:
        raise BadRequest("'consent.sharing' must be \"full\", \"limited\" or \"none\".",
                         fields={"consent.sharing": "\"full\", \"limited\" or \"none\"."})
    sharing = SHARING[sharing]
    if not isinstance(consent.get("verbal", False), bool):
        raise BadRequest("'consent.verbal' must be true or false.", fields={"consent.verbal": "true or false."})
    return {
        "sharing_level": sharing,
        "signed_on": _date(consent.get("signed_on"), "consent.signed_on"),
        "consent_type": Roi.ConsentType.VERBAL if consent.get("verbal") else Roi.ConsentType.SIGNED,
    }


def _project(request, body: dict):
    project_id = body.get("project_id")
    if project_id is None or project_id == "":
        return None
    if isinstance(project_id, str) and project_id.isascii() and project_id.isdigit() and len(project_id) <= 10:
        project_id = int(project_id)
    project = None
    if type(project_id) is int and 1 <= project_id <= MAX_ID:
        project = Project.objects.filter(pk=project_id, agency=request.agency).first()
    if project is None:
        raise BadRequest("'project_id' is not a project of your agency.",
                         fields={"project_id": "The integer id of a project of your agency."})
    return project


def _log_shown(request, summaries, note: str) -> None:
    """Every client shown is a read of client data (DESIGN conv. 5)."""
    clients = {c.client_id: c for c in Client.objects.filter(client_id__in=[s.client_id for s in summaries])}
    for summary in summaries:
        log_access(clients[summary.client_id], kind=AuditEntry.AccessKind.API, actor=request.user,
                   agency=request.agency, client_ref=summary.client_id, note=note)


def client_json(viewer: Viewer, client: Client) -> dict:
    access_ = client_access(viewer, client)
    data = selectors.summarize(viewer, client, access_).as_api()
    if access_.full:
        data.update({
            "name_data_quality": client.name_data_quality,
            "ssn_data_quality": client.ssn_data_quality,
            "dob_data_quality": client.dob_data_quality,
            "sharing": client.sharing,
            "served_by_your_agency": access_.serves_client,
        })
        # C10, C12: each demographic answer only under the consent that shared it.
        profile = profile_access(viewer, client, access_)
        if profile.shows("race"):
            data.update({"race": [hud for field, hud, _ in RACE_FIELDS if getattr(client, field)],
                         "race_none": client.race_none})
        if profile.shows("sex"):
            data["sex"] = client.sex
        if profile.shows("veteran_status"):
            data["veteran_status"] = client.veteran_status
    return data


@api_view("POST", rule=DATA_ENTRY, hint="To search, POST the terms to /api/v1/clients/search as JSON: names, dates of birth and "
                       "SSNs never go in a URL.")
def clients_collection(request):
    return create_client(request)


@api_view("POST", rule=CLIENT_DATA)
def clients_search(request):
    """D5 search with its terms in the body, never in the URL."""
    viewer = Viewer(request.user, request.license)
    body = _json_body(request, SEARCH_KEYS)
    errors = {}
    text = body.get("q")
    if text is None:
        text = ""
    if not isinstance(text, str):
        errors["q"] = "Must be a string: a name or an HMIS Client ID."
        text = ""
    elif len(text) > SEARCH_TEXT_MAX_LENGTH:
        errors["q"] = f"At most {SEARCH_TEXT_MAX_LENGTH} characters."
    last4 = body.get("ssn_last4")
    if last4 is None:
        last4 = ""
    if not isinstance(last4, str) or not (last4 == "" or re.fullmatch(r"[0-9]{4}", last4, re.ASCII)):
        errors["ssn_last4"] = "The last 4 digits of the SSN, e.g. \"4455\"."
        last4 = ""
    _refuse_fields(errors)
    dob = _date(body.get("dob"), "dob", required=False)
    if not (text.strip() or dob or last4):
        raise BadRequest("Give at least one of 'q', 'dob' or 'ssn_last4'.")
    results = selectors.search_clients(viewer=viewer, text=text, dob=dob, ssn_last4=last4)
    _log_shown(request, results, "API search result")
    return JsonResponse({"results": [r.as_api() for r in results]})


def create_client(request):
    """POST /clients (api_view's rule: DATA_ENTRY)."""
    viewer = Viewer(request.user, request.license)
    body = _json_body(request, CREATE_KEYS)
    consent = _consent(body)
    project = _project(request, body)
    fields, errors = validation.parse_client_fields(body)
    confirm_new = body.get("confirm_new", False)
    if not isinstance(confirm_new, bool):
        errors["confirm_new"] = "true or false."
    _refuse_fields(errors)
    ssn = fields.pop("ssn")
    try:
        # One transaction: a client refused by a rule (422) or a likely duplicate (409)
        # leaves no consent behind. The consent's own rules are checked first, and the
        # no-sharing branch (C3, C4) is the same service as the web intake's.
        with transaction.atomic():
            done = consent_services.intake_consent(
                actor=request.user, license=request.license, taken_by=request.user, project=project, **consent,
            )
            if done.stored_nothing:
                return error(422, "The client chose no sharing: under this CoC's policy nothing about them is "
                                  "stored. Document the visit on the offline intake form.", stored=False)
            roi = done.roi
            refused = validation.validate_udes(fields | {"ssn": ssn}, dates.today())
            if refused:
                raise ValidationError({name: [text] for name, text in refused.items()})
            if not confirm_new:
                # D5: the people this may already be, among those the caller may see.
                candidates = selectors.likely_duplicates(viewer=viewer, first_name=fields["first_name"],
                                                         last_name=fields["last_name"], dob=fields["dob"], ssn=ssn)
                if candidates:
                    raise _LikelyDuplicates(candidates)
            client = services.client_create(actor=request.user, license=request.license, roi=roi, ssn=ssn,
                                            **fields)
    except _LikelyDuplicates as found:
        _log_shown(request, found.candidates, "API duplicate check")  # after the rollback, so it is kept
        return error(409, "This person may already be in the HMIS. If one of the candidates is them, record "
                          "your consent for that client (POST /api/v1/clients/{client_id}/consents); if none "
                          "is, send the same body with \"confirm_new\": true.",
                     candidates=[c.as_api() for c in found.candidates])
    response = JsonResponse({"client_id": client.display_id, "roi_id": roi.pk}, status=201)
    response["Location"] = reverse("api:client", args=[client.display_id])
    return response


@api_view("GET", rule=CLIENT_DATA)
def client_detail(request, client_id):
    viewer = Viewer(request.user, request.license)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    return JsonResponse(client_json(viewer, client))


@api_view("POST", rule=DATA_ENTRY)
def client_consents(request, client_id):
    viewer = Viewer(request.user, request.license)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    body = _json_body(request, {"consent", "project_id"})
    consent = _consent(body)
    roi = consent_services.roi_record(
        actor=request.user, license=request.license, taken_by=request.user, project=_project(request, body),
        clients=[client], **consent,
    )
    return JsonResponse({"roi_id": roi.pk, "client_id": client.display_id, "expires_on": roi.expires_on.isoformat()},
                        status=201)


@api_view("POST", rule=DATA_ENTRY)
def client_consents_revoke(request, client_id):
    viewer = Viewer(request.user, request.license)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=AuditEntry.AccessKind.API)
    body = _json_body(request, {"revoked_on"})
    revoked_on = _date(body.get("revoked_on"), "revoked_on", required=False) or consent_services.dates.today()
    rois = [r for r in client.rois.filter(agency=request.agency, revoked_on__isnull=True)]
    if not rois:
        return error(422, "Your agency holds no unrevoked consent for this client.")
    with transaction.atomic():  # all of the agency's consents, or none
        for roi in rois:
            consent_services.roi_revoke(actor=request.user, license=request.license, roi=roi,
                                        revoked_on=revoked_on)
    client.refresh_from_db()
    return JsonResponse({"client_id": client.display_id, "revoked_rois": [r.pk for r in rois],
                         "sharing": client.sharing})


@api_view("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", rule=SIGNED_IN)  # any valid token
def no_such_endpoint(request):
    return error(404, "No such API endpoint: see /api/v1/openapi.json.")


@access(PUBLIC)
def openapi(request):
    from .openapi import SCHEMA

    return JsonResponse(SCHEMA)
