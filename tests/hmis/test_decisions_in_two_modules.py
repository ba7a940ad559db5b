"""Every permission decision lives in two modules (DESIGN conv. 3-4, issue 14 section 2):
hmis/access.py decides pages and API endpoints, consent/visibility.py decides client data.
Views and templates ask them; they never decide by the administrator flag, a role, an
access level or a record's hidden parts themselves.

Displaying such a value is not a decision: ``{{ lic.get_access_level_display }}``,
``{{ person.is_system_admin|yesno }}``, a license's role in a CSV row or a form's
initial values. So the scan below flags

- in Python view modules (*/views.py, */*_views.py, clients/api.py): any use at all of
  ``is_system_admin``, ``is_admin``, ``hidden_parts``, ``AGENCY_MANAGERS`` or a
  ``License.Role.<member>``; and ``.role`` / ``.access_level`` where they decide: in a
  comparison, a boolean operator, the test of an ``if`` / conditional expression /
  ``while`` / ``assert`` / comprehension, or a query's filter (``role__in=...``);
- in templates: those names inside a ``{% ... %}`` tag (``{% if %}``, ``{% elif %}``,
  ``{% with %}``...), where the template would decide; ``{{ ... }}`` only displays.

A few tags display a value with an ``{% if %}`` and are allowed by exact text below,
each with the reason it decides nothing.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from hmis.access import RULES, rule_for

ROOT = Path(settings.BASE_DIR)

ALWAYS = {"is_system_admin", "is_admin", "hidden_parts", "AGENCY_MANAGERS"}
DECIDING = {"role", "access_level"}
QUERY_METHODS = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404"}

# (template, exact tag): display-only uses of a forbidden name in a tag.
TEMPLATE_DISPLAY_ONLY = {
    # The role select of a license marks the license's current role as selected: it shows
    # a form's value; who may change it is decided by access.manages_license.
    ("agencies/my_agency.html", "{% if value == lic.role %}"),
    # The Lead's list of people tags each listed person who is a system administrator: a
    # fact about that person, as person_detail's yesno shows it; it decides nothing about
    # the viewer (the page itself is SYSTEM_ADMIN's).
    ("agencies/person_list.html", "{% if person.is_system_admin %}"),
}
# (view module, stripped source line): display-only Python uses. None needed today.
PYTHON_DISPLAY_ONLY: set[tuple[str, str]] = set()


def view_modules() -> list[Path]:
    found = {*ROOT.glob("*/views.py"), *ROOT.glob("*/*_views.py"), ROOT / "clients" / "api.py"}
    return sorted(p for p in found if not p.relative_to(ROOT).parts[0].startswith((".", "tests", "node_modules")))


def template_files() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [p for p in ROOT.glob("*/templates") if not p.relative_to(ROOT).parts[0].startswith(".")]
    return sorted({f for d in dirs for f in d.rglob("*.html")})


# --- Python -------------------------------------------------------------------------------


def _mentions(node: ast.AST, names: set[str]) -> str | None:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in names:
            return sub.attr
        if isinstance(sub, ast.Name) and sub.id in names:
            return sub.id
    return None


def _is_license_role_member(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "Role"
            and isinstance(node.value.value, ast.Name) and node.value.value.id == "License")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def python_decisions(source: str) -> list[tuple[int, str]]:
    """(line, what) for each decision the source makes by admin flag, role or level."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in ALWAYS:
            found.append((line, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in ALWAYS:
            found.append((line, node.attr))
        elif isinstance(node, ast.alias) and node.name in ALWAYS:
            found.append((line, f"import {node.name}"))
        elif isinstance(node, ast.Constant) and node.value in ALWAYS:
            found.append((line, f"'{node.value}'"))  # getattr(user, "is_system_admin")
        elif _is_license_role_member(node):
            found.append((line, f"License.Role.{node.attr}"))
        # Where a value decides: comparisons and boolean logic, and the tests of branches.
        deciding = []
        if isinstance(node, ast.Compare | ast.BoolOp) or (isinstance(node, ast.UnaryOp)
                                                          and isinstance(node.op, ast.Not)):
            deciding.append(node)
        if isinstance(node, ast.If | ast.IfExp | ast.While | ast.Assert):
            deciding.append(node.test)
        if isinstance(node, ast.comprehension):
            deciding.extend(node.ifs)
        if isinstance(node, ast.Match):
            deciding.append(node.subject)
        for part in deciding:
            name = _mentions(part, DECIDING)
            if name:
                found.append((getattr(part, "lineno", line), f".{name} decides"))
        if isinstance(node, ast.Call) and _call_name(node) in QUERY_METHODS:
            for keyword in node.keywords:
                if keyword.arg and DECIDING & set(keyword.arg.split("__")):
                    found.append((line, f"query by {keyword.arg}"))
    return sorted(set(found))


def test_no_view_module_decides_by_admin_flag_role_or_access_level():
    modules = view_modules()
    assert ROOT / "clients" / "api.py" in modules and len(modules) >= 10
    problems, allowed_seen = [], set()
    for path in modules:
        name = str(path.relative_to(ROOT))
        lines = path.read_text().splitlines()
        for line, what in python_decisions(path.read_text()):
            key = (name, lines[line - 1].strip())
            if key in PYTHON_DISPLAY_ONLY:
                allowed_seen.add(key)
                continue
            problems.append(f"{name}:{line}: {what}: {key[1]}")
    assert problems == [], "views decide by themselves; ask hmis/access.py instead:\n" + "\n".join(problems)
    assert allowed_seen == PYTHON_DISPLAY_ONLY, "stale display-only entries"


# --- Templates ----------------------------------------------------------------------------

TAG = re.compile(r"{%.*?%}")
TEMPLATE_FORBIDDEN = [
    re.compile(r"\b(is_system_admin|is_admin|hidden_parts|AGENCY_MANAGERS)\b"),
    re.compile(r"\w*access_level\w*"),  # access_level, get_access_level_display, mou_access_level
    re.compile(r"\.(role|get_role_display)\b|\brole\s*(==|!=|in\b)"),
]


def template_decisions(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for tag in TAG.findall(line):
            if tag.startswith(("{% comment", "{% url ", "{% static ")):
                continue
            if any(pattern.search(tag) for pattern in TEMPLATE_FORBIDDEN):
                found.append((number, tag))
    return found


def test_no_template_decides_by_admin_flag_role_or_access_level():
    files = template_files()
    assert any(f.name == "base.html" for f in files)
    problems, allowed_seen = [], set()
    for path in files:
        name = "/".join(path.parts[path.parts.index("templates") + 1:])
        for number, tag in template_decisions(path.read_text()):
            if (name, tag) in TEMPLATE_DISPLAY_ONLY:
                allowed_seen.add((name, tag))
                continue
            problems.append(f"{name}:{number}: {tag}")
    assert problems == [], "templates decide by themselves; ask {% if rules.NAME %}:\n" + "\n".join(problems)
    assert allowed_seen == TEMPLATE_DISPLAY_ONLY, "stale display-only entries"


def test_templates_ask_only_rules_that_exist():
    unknown = set()
    for path in template_files():
        unknown |= {(path.name, name) for name in re.findall(r"\brules\.(\w+)", path.read_text())
                    if name not in RULES}
    assert unknown == set()


# --- The scanners themselves ----------------------------------------------------------------


@pytest.mark.parametrize("source", [
    "if request.user.is_system_admin:\n    pass",
    "x = request.license.role in services.AGENCY_MANAGERS",
    "ok = lic.role == License.Role.EXECUTIVE_DIRECTOR",
    "show = {'is_rep': request.license.role != 'authorized_representative'}",
    "y = a if request.license.access_level == 'researcher' else b",
    "qs = License.objects.filter(access_level__in=levels)",
    "parts = [p for p in record.hidden_parts]",
    "admin = getattr(request.user, 'is_system_admin', False)",
    "if not viewer.is_admin:\n    pass",
    "z = [lic for lic in licenses if lic.role != 'end_user']",
])
def test_the_python_scan_catches_decisions(source):
    assert python_decisions(source)


@pytest.mark.parametrize("source", [
    "initial = {'role': license.role, 'access_level': license.access_level}",
    "writer.writerow([lic.agency.name, lic.role, lic.access_level])",
    "messages.success(request, f'{license.get_role_display()} / {license.get_access_level_display()}')",
    "services.license_set_contact_role(actor=request.user, license=license, role=request.POST.get('role', ''))",
    "if AGENCY_MANAGER.permits(request) and is_lead(request):\n    pass",
])
def test_the_python_scan_allows_display_and_asking(source):
    assert python_decisions(source) == []


@pytest.mark.parametrize("text", [
    '{% if user.is_system_admin or request.license and request.license.access_level != "researcher" %}',
    '{% if request.license.access_level == "researcher" %}',
    '{% elif not user.is_system_admin %}',
    '{% if lic.status == "active" and lic.role != "executive_director" %}',
    '{% if request.license.get_access_level_display == "Researcher" %}',
    '{% with admin=user.is_system_admin %}',
    '{% if "demographics" in hidden_parts %}',
])
def test_the_template_scan_catches_decisions(text):
    assert template_decisions(text)


@pytest.mark.parametrize("text", [
    "<td>{{ lic.get_role_display }}</td><td>{{ lic.get_access_level_display }}</td>",
    '<dd>{{ person.is_system_admin|yesno:"Yes,No" }}</dd>',
    "{% if rules.REPORTS %}<a>Data quality</a>{% endif %}",
    "{% for value, label in contact_roles %}<option>{{ label }}</option>{% endfor %}",
])
def test_the_template_scan_allows_display_and_asking(text):
    assert template_decisions(text) == []


# --- API endpoints declare real rules ------------------------------------------------------


def test_every_api_endpoint_declares_the_rule_its_token_must_meet():
    from django.urls import get_resolver

    from .test_url_rules import walk

    endpoints = {}
    for route, pattern in walk(get_resolver().url_patterns):
        rule = rule_for(pattern.callback)
        if rule is not None and rule.name.startswith("API"):
            assert rule.endpoint is not None, route
            endpoints[route] = rule.endpoint
    assert endpoints
    client_routes = {route: rule for route, rule in endpoints.items() if "clients" in route}
    assert len(client_routes) >= 5
    # Client data endpoints ask CLIENT_DATA or DATA_ENTRY, never "any token".
    assert {rule.name for rule in client_routes.values()} <= {RULES["CLIENT_DATA"].name, RULES["DATA_ENTRY"].name}


# --- The header and the pages share one decision ---------------------------------------------

NAV_PAGES = ["clients:search", "clients:intake_consent", "reports:dashboard", "reports:hud_reports",
             "reports:extract", "agencies:agency_list"]


@pytest.mark.django_db
def test_the_header_shows_a_link_exactly_when_its_page_lets_the_person_in(tenancy, signed_in):
    from agencies.models import License
    from tests.factories import LicenseFactory, UserFactory

    researcher = UserFactory(username="researcher_b")
    LicenseFactory(user=researcher, agency=tenancy.agency_b, access_level=License.AccessLevel.RESEARCHER)
    mismatches = []
    for user in (tenancy.admin, tenancy.worker_a, tenancy.director_a, tenancy.viewer_b, tenancy.reporter_b,
                 tenancy.worker_v, researcher):
        client = signed_in(user)
        header = client.get(reverse("home")).content.decode().split("</header>")[0]
        for name in NAV_PAGES:
            url = reverse(name)
            shown = f'href="{url}"' in header
            opens = client.get(url).status_code == 200
            if shown != opens:
                mismatches.append((user.username, name, shown, opens))
    assert mismatches == []


@pytest.mark.django_db
def test_pages_for_agency_administrators_answer_404_to_their_staff_and_403_outside(tenancy, signed_in):
    worker, director = signed_in(tenancy.worker_a), signed_in(tenancy.director_a)
    for name in ("oversight:data_requests", "reports:export", "oversight:agency_compliance"):
        assert worker.get(reverse(name)).status_code == 404, name
        assert director.get(reverse(name)).status_code == 200, name
    # The Lead outside any agency: the agency's own compliance page needs an agency context.
    assert signed_in(tenancy.admin).get(reverse("oversight:agency_compliance")).status_code == 403


@pytest.mark.django_db
def test_api_endpoints_refuse_what_their_rule_refuses_with_json_403(tenancy):
    import json

    from django.test import Client as HttpClient

    from hmis.api_tokens import issue_token
    from tests.clients.states import make_client

    person = make_client(tenancy.worker_b, project=tenancy.housing_b)
    _, token = issue_token(actor=None, user=tenancy.viewer_b, agency=None)
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    consent = {"consent": {"sharing": "full", "signed_on": "2025-01-01"}}
    for url in (reverse("api:clients"), reverse("api:client_consents", args=[person.display_id]),
                reverse("api:client_consents_revoke", args=[person.display_id])):
        response = api.post(url, data=json.dumps(consent), content_type="application/json")
        assert response.status_code == 403, url
        assert "people who enter client data" in response.json()["error"]
    assert api.get(reverse("api:client", args=[person.display_id])).status_code == 200
