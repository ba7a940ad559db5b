"""OpenAPI 3.1 description of the JSON API v1, served at /api/v1/openapi.json.

Enums come from HUD's lists (clients/hud_lists.py) and lengths from the model, so
the description and the checks of clients/validation.py cannot drift apart; the
property-based test (tests/clients/test_api_fuzz.py) posts bodies made from it.
"""

from .hud_lists import RACE_FIELDS
from .validation import CODED_FIELDS, NAME_FIELDS, SSN_MAX_LENGTH, TEXT_FIELDS, max_length

MAX_ID = 2**31 - 1
_error = {"type": "object", "properties": {
    "error": {"type": "string", "description": "What was refused and why, in plain words."},
    "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
               "description": "Per field (dotted for nested ones, e.g. consent.sharing): what to fix."},
}, "required": ["error"]}
_date = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_project_id = {"type": "integer", "minimum": 1, "maximum": MAX_ID,
               "description": "A project of your agency; needed when the agency records ROIs per project (C7)."}
_consent = {
    "type": "object",
    "required": ["sharing", "signed_on"],
    "additionalProperties": False,
    "properties": {
        "sharing": {"type": "string", "enum": ["full", "limited", "none"]},
        "signed_on": {**_date, "description": "Not in the future; an ROI runs one year from it (C6)."},
        "verbal": {"type": "boolean", "default": False, "description": "Verbal consent, taken by the token's user (C5)."},
    },
}


def _coded(name: str, choices) -> dict:
    listed = "; ".join(f"{code} {label}" for code, label in choices.choices)
    schema = {"type": "integer", "enum": list(choices.values), "description": f"HUD codes: {listed}."}
    return {**schema, "type": ["integer", "null"], "enum": [*choices.values, None]} if name == "race_none" else schema


_race_columns = [hud for _, hud, _ in RACE_FIELDS]
_new_client = {
    "type": "object",
    "required": ["consent"],
    "additionalProperties": False,
    "properties": {
        **{name: {"type": "string", "maxLength": max_length(name),
                  "description": "One line of plain text, no control characters." if name in NAME_FIELDS
                  else "Detail of race and ethnicity (3.04), one line."} for name in TEXT_FIELDS},
        "dob": {**_date, "type": ["string", "null"], "description": "Date of birth (3.03)."},
        "ssn": {"type": "string", "maxLength": SSN_MAX_LENGTH, "pattern": "^[0-9 -]*$",
                "description": "3.02: 9 digits, or the digits given when partial (ssn_data_quality 2)."},
        **{name: _coded(name, choices) for name, choices in CODED_FIELDS.items()},
        "race": {"type": "array", "uniqueItems": True, "maxItems": len(_race_columns),
                 "items": {"type": "string", "enum": _race_columns},
                 "description": "3.04: HMIS CSV race and ethnicity columns that apply."},
        "project_id": _project_id,
        "consent": _consent,
        "confirm_new": {"type": "boolean", "default": False,
                        "description": "D5: create the client although the HMIS holds likely duplicates (answer 409)."},
    },
}
_search = {
    "type": "object",
    "additionalProperties": False,
    "description": "At least one of q, dob and ssn_last4. In the body so that no personal information is in a URL.",
    "properties": {
        "q": {"type": "string", "maxLength": 200, "description": "Name (typo-tolerant) or HMIS Client ID"},
        "dob": {**_date, "type": ["string", "null"]},
        "ssn_last4": {"type": "string", "pattern": "^([0-9]{4})?$"},
    },
}
_client = {
    "type": "object",
    "required": ["client_id", "access"],
    "properties": {
        "client_id": {"type": "string", "description": "HMIS Client ID, e.g. 7K2M-Q9XD"},
        "name": {"type": "string"},
        "dob": {"type": ["string", "null"], "format": "date"},
        "ssn_last4": {"type": ["string", "null"]},
        "access": {"type": "string", "enum": ["full", "identifiers"],
                   "description": "identifiers: the client limited sharing; only basic identifiers are returned."},
        **{name: _coded(name, choices) for name, choices in CODED_FIELDS.items()},
        "sharing": {"type": "string", "enum": ["full", "limited", "none"]},
        "served_by_your_agency": {"type": "boolean"},
        "race": {"type": "array", "items": {"type": "string", "enum": _race_columns}},
    },
}


def _responses(ok_code: str, ok_schema: dict, *others: str) -> dict:
    responses = {ok_code: {"description": "OK", "content": {"application/json": {"schema": ok_schema}}}}
    texts = {"400": "Malformed input (a query string, bad JSON, unknown field, wrong type, code not in HUD's list, "
                    "too long, control characters)", "401": "No valid token", "403": "The license does not allow it",
             "404": "No such client, or not one you may see", "405": "Wrong method",
             "422": "A rule refused it (message says which)"}
    for code in ("401", *others):
        responses[code] = {"description": texts[code], "content": {"application/json": {"schema": _error}}}
    return responses


_client_id = {"name": "client_id", "in": "path", "required": True,
              "schema": {"type": "string", "description": "HMIS Client ID, e.g. 7K2M-Q9XD"}}

SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": "Open HMIS API",
        "version": "1.0.0",
        "description": (
            "Coordinated-entry and by-name-list integrations. Every call acts as one person at one agency "
            "and sees exactly what that person would see in the application; every read is in the client's audit. "
            "No endpoint takes query parameters (400): names, dates of birth and SSNs travel only in JSON bodies."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/clients": {
            "post": {
                "summary": "Create a client under a new consent",
                "description": (
                    "C1: the consent is recorded with the client, in one transaction (a refused client leaves no "
                    "consent). D5: when the HMIS holds people this may be, among those you may see, the answer is "
                    "409 with them as candidates and nothing is stored; send confirm_new: true to create anyway. "
                    "GET is not allowed (405): search with POST /clients/search."
                ),
                "requestBody": {"required": True, "content": {"application/json": {"schema": _new_client}}},
                "responses": {
                    **_responses("201", {"type": "object", "properties": {"client_id": {"type": "string"},
                                                                          "roi_id": {"type": "integer"}}},
                                 "400", "403", "405", "422"),
                    "409": {"description": "Likely duplicates (D5): nothing was stored", "content": {
                        "application/json": {"schema": {
                            "type": "object", "required": ["error", "candidates"],
                            "properties": {"error": {"type": "string"},
                                           "candidates": {"type": "array", "items": _client}}}}}},
                },
            },
        },
        "/clients/search": {
            "post": {
                "summary": "Search clients (D5), terms in the body",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _search}}},
                "responses": _responses("200", {"type": "object", "properties": {"results": {"type": "array", "items": _client}}}, "400", "403"),
            },
        },
        "/clients/{client_id}": {
            "get": {"summary": "One client, narrowed to what you may see", "parameters": [_client_id],
                    "responses": _responses("200", _client, "403", "404")},
        },
        "/clients/{client_id}/consents": {
            "post": {
                "summary": "Record a new consent (ROI) for the client",
                "parameters": [_client_id],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["consent"], "additionalProperties": False,
                    "properties": {"consent": _consent, "project_id": _project_id}}}}},
                "responses": _responses("201", {"type": "object"}, "400", "403", "404", "422"),
            },
        },
        "/clients/{client_id}/consents/revoke": {
            "post": {
                "summary": "Record that the client revoked consent (C9)",
                "parameters": [_client_id],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "properties": {"revoked_on": {
                        **_date, "description": "Between the signing date and today; today when left out."}}}}}},
                "responses": _responses("200", {"type": "object"}, "400", "403", "404", "422"),
            },
        },
    },
}
