"""Property-based test of the JSON API from its own OpenAPI description.

Bodies come from each operation's request schema (from_schema below turns the
JSON Schema subset the description uses into hypothesis strategies), from those
bodies with one value swapped for junk, and from arbitrary JSON and bytes. Every answer must be below
500, and every answer (errors included) JSON. Derandomized and bounded so that it
runs the same way in CI in well under 30 seconds; HMIS_FUZZ_EXAMPLES=3000 makes
it a longer hunt with fresh random examples each run.
"""

import json
import os
import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.openapi import SCHEMA

from .states import make_client
from .test_api import api_for

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HMIS_FUZZ_EXAMPLES", "200"))
HUNTING = "HMIS_FUZZ_EXAMPLES" in os.environ
BASE = SCHEMA["servers"][0]["url"]

# (method, path template, request body schema or None), straight from the description.
OPERATIONS = [
    (method.upper(), path, operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema"))
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
] + [("GET", "/clients", None)]  # not offered (405), but integrations will try it



def from_schema(schema: dict) -> st.SearchStrategy:
    """Values valid for ``schema``: the keywords clients/openapi.py uses (type and
    type lists, enum, properties / required / additionalProperties, items,
    maxItems, uniqueItems, maxLength, pattern, format date, minimum / maximum)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    types = schema.get("type", "object")
    if isinstance(types, list):
        return st.one_of([from_schema({**schema, "type": t}) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if types == "string":
        if schema.get("format") == "date":
            return st.dates(date.today() - timedelta(days=365 * 120), date.today() + timedelta(days=30)).map(
                date.isoformat)
        if "pattern" in schema:
            return st.from_regex(re.compile(schema["pattern"]), fullmatch=True).filter(
                lambda text: len(text) <= schema.get("maxLength", 10**6))
        return st.text(max_size=schema.get("maxLength", 60))
    if types == "array":
        return st.lists(from_schema(schema["items"]), max_size=schema.get("maxItems", 5),
                        unique=schema.get("uniqueItems", False))
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    return st.fixed_dictionaries(
        {name: from_schema(properties[name]) for name in sorted(required)},
        optional={name: from_schema(sub) for name, sub in properties.items() if name not in required},
    )


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
junk_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


@st.composite
def bodies(draw, schema):
    """A body for ``schema``: valid, valid with one value replaced by junk, or junk."""
    kind = draw(st.sampled_from(["valid", "one_bad_value", "junk"] if schema else ["junk"]))
    if kind == "junk":
        return draw(junk_json)
    body = draw(from_schema(schema))
    if kind == "one_bad_value" and body:
        key = draw(st.sampled_from(sorted(body)))
        body[key] = draw(junk_json)
    return body


@st.composite
def requests(draw, client_ids):
    method, path, schema = draw(st.sampled_from(OPERATIONS))
    client_id = draw(st.sampled_from(client_ids) | st.text(max_size=12))
    url = BASE + path.replace("{client_id}", quote(client_id, safe="") or "x")
    if method == "GET":
        return method, url, None
    if draw(st.integers(0, 9)) == 0:
        return method, url, draw(st.binary(max_size=40))  # not even JSON
    body = draw(bodies(schema))
    if isinstance(body, dict) and draw(st.booleans()):
        # Reach past the first checks: a real project and a current consent date.
        body.setdefault("project_id", None)
        body["project_id"] = draw(st.sampled_from(PROJECT_IDS))
        if isinstance(body.get("consent"), dict):
            body["consent"]["signed_on"] = date.today().isoformat()
    return method, url, json.dumps(body).encode()


PROJECT_IDS: list[int] = []


def test_api_answers_generated_bodies_without_server_errors_and_always_in_json(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    PROJECT_IDS[:] = [tenancy.shelter_a.pk]
    api = api_for(tenancy.worker_a)
    answered = set()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not HUNTING, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(requests([person.display_id]))
    def check(request):
        method, url, raw = request
        if method == "GET":
            response = api.get(url)
        else:
            response = api.post(url, data=raw, content_type="application/json")
        assert response.status_code < 500, (method, url, raw, response.content[:300])
        assert response["Content-Type"].startswith("application/json"), (method, url, raw, response.content[:300])
        answer = response.json()
        if response.status_code >= 400:
            assert isinstance(answer.get("error"), str) and answer["error"], answer
        answered.add(response.status_code)

    check()
    # The generator reached past the checks for malformed input, not only into them.
    assert 400 in answered and answered & {200, 201, 409, 422}, answered
