"""OpenAPI 3.1 description of the JSON API v1, served at /api/v1/openapi.json."""

_error = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_consent = {
    "type": "object",
    "required": ["sharing", "signed_on"],
    "properties": {
        "sharing": {"type": "string", "enum": ["full", "limited", "none"]},
        "signed_on": {"type": "string", "format": "date"},
        "verbal": {"type": "boolean", "default": False, "description": "Verbal consent, taken by the token's user (C5)."},
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
        "name_data_quality": {"type": "integer"}, "ssn_data_quality": {"type": "integer"},
        "dob_data_quality": {"type": "integer"}, "sharing": {"type": "string"},
        "served_by_your_agency": {"type": "boolean"},
        "race": {"type": "array", "items": {"type": "string"}}, "race_none": {"type": ["integer", "null"]},
        "sex": {"type": "integer"}, "veteran_status": {"type": "integer"},
    },
}


def _responses(ok_code: str, ok_schema: dict, *others: str) -> dict:
    responses = {ok_code: {"description": "OK", "content": {"application/json": {"schema": ok_schema}}}}
    texts = {"400": "Malformed input", "401": "No valid token", "403": "The license does not allow it",
             "404": "No such client, or not one you may see", "422": "A rule refused it (message says which)"}
    for code in ("401", *others):
        responses[code] = {"description": texts[code], "content": {"application/json": {"schema": _error}}}
    return responses


_client_id = {"name": "client_id", "in": "path", "required": True, "schema": {"type": "string"}}

SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": "Open HMIS API",
        "version": "1.0.0",
        "description": (
            "Coordinated-entry and by-name-list integrations. Every call acts as one person at one agency "
            "and sees exactly what that person would see in the application; every read is in the client's audit."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/clients": {
            "get": {
                "summary": "Search clients",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Name (typo-tolerant) or HMIS Client ID"},
                    {"name": "dob", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "ssn_last4", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{4}$"}},
                ],
                "responses": _responses("200", {"type": "object", "properties": {"results": {"type": "array", "items": _client}}}, "400", "403"),
            },
            "post": {
                "summary": "Create a client under a new consent",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["consent"],
                    "properties": {
                        "first_name": {"type": "string"}, "middle_name": {"type": "string"}, "last_name": {"type": "string"},
                        "dob": {"type": "string", "format": "date"}, "ssn": {"type": "string"},
                        "name_data_quality": {"type": "integer"}, "dob_data_quality": {"type": "integer"},
                        "ssn_data_quality": {"type": "integer"},
                        "race": {"type": "array", "items": {"type": "string", "enum": [
                            "AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican",
                            "NativeHIPacific", "White"]}},
                        "race_none": {"type": "integer", "enum": [8, 9, 99]},
                        "sex": {"type": "integer", "enum": [0, 1, 8, 9, 99]},
                        "veteran_status": {"type": "integer", "enum": [0, 1, 8, 9, 99]},
                        "project_id": {"type": "integer", "description": "Needed when the agency records ROIs per project"},
                        "consent": _consent,
                    },
                }}}},
                "responses": _responses("201", {"type": "object", "properties": {"client_id": {"type": "string"}, "roi_id": {"type": "integer"}}}, "400", "403", "422"),
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
                    "type": "object", "required": ["consent"],
                    "properties": {"consent": _consent, "project_id": {"type": "integer"}}}}}},
                "responses": _responses("201", {"type": "object"}, "400", "404", "422"),
            },
        },
        "/clients/{client_id}/consents/revoke": {
            "post": {
                "summary": "Record that the client revoked consent (C9)",
                "parameters": [_client_id],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"revoked_on": {"type": "string", "format": "date"}}}}}},
                "responses": _responses("200", {"type": "object"}, "400", "404", "422"),
            },
        },
    },
}
