"""Deny by default (DESIGN conv. 4): every view declares the rule that lets a request in.

Decorate function views with ``@access(RULE)`` or set ``access_rule = RULE`` on a
class-based view. ``AccessRuleMiddleware`` refuses any view without a rule, and
``tests/hmis/test_url_rules.py`` walks the URL resolver so none slips in.

The sign-in middlewares read the same declaration to know which pages are reachable
before sign-in is complete (the login page, the second-factor pages, the lock page).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import wraps

from django.contrib.auth.decorators import login_not_required


class Stage(Enum):
    """How far through sign-in a request must be for the view to run."""

    PUBLIC = 0  # no sign-in at all (login page)
    PASSWORD = 1  # password accepted, second factor not yet (2FA setup and verify)
    VERIFIED = 2  # password and second factor, session may be idle-locked (lock page)
    ACTIVE = 3  # fully signed in and not locked: everything else


@dataclass(frozen=True)
class AccessRule:
    name: str
    check: Callable = field(compare=False)
    stage: Stage = Stage.ACTIVE

    def allows(self, request) -> bool:
        return bool(self.check(request))


def _is_system_admin(request) -> bool:
    return request.user.is_authenticated and request.user.is_system_admin


def _has_agency_context(request) -> bool:
    return getattr(request, "license", None) is not None


def _may_open_client_data(request) -> bool:
    from consent.visibility import Viewer

    return Viewer.from_request(request).may_open_client_data


def _may_enter_client_data(request) -> bool:
    from consent.visibility import Viewer

    return Viewer.from_request(request).may_enter_client_data


PUBLIC = AccessRule("anyone, signed in or not", lambda request: True, Stage.PUBLIC)
PASSWORD_ACCEPTED = AccessRule(
    "password accepted, second factor pending",
    lambda request: request.user.is_authenticated,
    Stage.PASSWORD,
)
SIGNED_IN_LOCKED_OK = AccessRule(
    "signed in, even while idle-locked", lambda request: request.user.is_authenticated, Stage.VERIFIED
)
# JSON API: the sign-in gates step aside; the view authenticates the bearer token
# itself (clients/api.py) and answers 401 without one.
API_TOKEN = AccessRule("API: bearer token", lambda request: True, Stage.PUBLIC)
SIGNED_IN = AccessRule("any signed-in person", lambda request: request.user.is_authenticated)
SYSTEM_ADMIN = AccessRule("HMIS Lead system administrator", _is_system_admin)
AGENCY_CONTEXT = AccessRule("a person working in an agency context", _has_agency_context)
# Client pages: administrators, and full or view-only licenses at non-VSP agencies
# (T3: reporting-only and researcher licenses never open client pages; A6).
CLIENT_DATA = AccessRule("people who may open client records", _may_open_client_data)
def _may_see_reports(request) -> bool:
    from agencies.models import License

    if request.user.is_authenticated and request.user.is_system_admin:
        return True
    license = getattr(request, "license", None)
    return license is not None and license.is_active and license.access_level != License.AccessLevel.RESEARCHER


# Data quality and reports: administrators and every license but researchers', whose
# access is to de-identified extracts only (T3).
REPORTS = AccessRule("people who run their agency's reports", _may_see_reports)


def _may_take_extracts(request) -> bool:
    from agencies.models import License

    if request.user.is_authenticated and request.user.is_system_admin:
        return True
    license = getattr(request, "license", None)
    return license is not None and license.is_active and license.access_level == License.AccessLevel.RESEARCHER


# E3: de-identified extracts: the HMIS Lead (for the state) and researcher licenses.
EXTRACTS = AccessRule("the HMIS Lead and researchers (de-identified extracts)", _may_take_extracts)
# Consent and client data entry: full-access licenses at non-VSP agencies.
DATA_ENTRY = AccessRule("people who enter client data for their agency", _may_enter_client_data)


def access(rule: AccessRule):
    """Declare who may reach a function view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        if rule.stage is Stage.PUBLIC:
            return login_not_required(wrapped)
        return wrapped

    return decorator


def rule_for(view_func) -> AccessRule | None:
    """The declared rule of a resolved view (function or class-based)."""
    rule = getattr(view_func, "access_rule", None)
    if rule is None:
        view_class = getattr(view_func, "view_class", None)
        rule = getattr(view_class, "access_rule", None)
    return rule
