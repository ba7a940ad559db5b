"""Deny by default (DESIGN conv. 4): every view declares the rule that lets a request in.

Decorate function views with ``@access(RULE)`` or set ``access_rule = RULE`` on a
class-based view. ``AccessRuleMiddleware`` refuses any view without a rule, and
``tests/hmis/test_url_rules.py`` walks the URL resolver so none slips in.

The sign-in middlewares read the same declaration to know which pages are reachable
before sign-in is complete (the login page, the second-factor pages, the lock page).

Two modules make every permission decision (DESIGN conv. 3-4): this one decides pages
and API endpoints, ``consent/visibility.py`` decides client data. Views and templates
ask; they never decide:

- a view asks a rule, ``AGENCY_MANAGER.permits(request)``, or a scope function here,
  ``is_lead(request)``, ``agency_scope(request)``, ``manages_agency(request, agency)``;
- a template asks the same rules through the ``rules`` context variable
  (``{% if rules.REPORTS %}``, hmis/context_processors.py), so the header shows a link
  exactly when the page behind it lets the person in;
- an API endpoint declares its rule, ``@api_view("GET", rule=CLIENT_DATA)``
  (clients/api.py): the token is authenticated first, then the rule is applied.

Roles, access levels and the administrator flag are read here and in
consent/visibility.py only; tests/hmis/test_decisions_in_two_modules.py fails when a
view or a template decides by them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


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
    # A page that does not reveal itself: a request this rule refuses but
    # ``not_found_within`` admits is answered 404 (say, an agency's end user asking for
    # the page of its administrators); any other refusal is 403.
    not_found_within: "AccessRule | None" = field(default=None, compare=False)
    # API endpoints only (see api_endpoint): the rule applied once the bearer token is
    # authenticated, when the request acts as the token's person and agency.
    endpoint: "AccessRule | None" = field(default=None, compare=False)

    def permits(self, request) -> bool:
        """The decision itself, for views and templates: True or False, never raises."""
        return bool(self.check(request))

    def allows(self, request) -> bool:
        """The gate (AccessRuleMiddleware): False is answered 403; a page that does not
        reveal itself raises Http404 instead for the people of ``not_found_within``."""
        if self.permits(request):
            return True
        if self.not_found_within is not None and self.not_found_within.permits(request):
            raise Http404(f"This page is for: {self.name}.")
        return False

    def hidden(self, within: "AccessRule | None" = None) -> "AccessRule":
        """The same rule, answering 404 to the people of ``within`` (default: everyone
        signed in) whom it refuses."""
        return replace(self, not_found_within=within or SIGNED_IN)


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


def _license_role_in(request, roles) -> bool:
    license = getattr(request, "license", None)
    return license is not None and license.role in roles


def _manager_roles():
    from agencies.services import AGENCY_MANAGERS

    return AGENCY_MANAGERS


def _is_agency_manager(request) -> bool:
    # The license the person works under now (T4), whether or not it is usable yet:
    # the director signs the partner agreement before anyone's license is (A1).
    return _license_role_in(request, _manager_roles())


def _is_agency_director(request) -> bool:
    from agencies.models import License

    return _license_role_in(request, (License.Role.EXECUTIVE_DIRECTOR,))


def _is_authorized_representative(request) -> bool:
    from agencies.models import License

    return _license_role_in(request, (License.Role.AUTHORIZED_REPRESENTATIVE,))


def _lead_or_agency_manager(request) -> bool:
    return _is_system_admin(request) or _is_agency_manager(request)


def _lead_or_active_agency_manager(request) -> bool:
    if _is_system_admin(request):
        return True
    return _is_agency_manager(request) and request.license.is_active


def _may_see_reports(request) -> bool:
    from agencies.models import License

    if _is_system_admin(request):
        return True
    license = getattr(request, "license", None)
    return license is not None and license.is_active and license.access_level != License.AccessLevel.RESEARCHER


def _may_take_extracts(request) -> bool:
    from agencies.models import License

    if _is_system_admin(request):
        return True
    license = getattr(request, "license", None)
    return license is not None and license.is_active and license.access_level == License.AccessLevel.RESEARCHER


PUBLIC = AccessRule("anyone, signed in or not", lambda request: True, Stage.PUBLIC)
PASSWORD_ACCEPTED = AccessRule(
    "password accepted, second factor pending",
    lambda request: request.user.is_authenticated,
    Stage.PASSWORD,
)
SIGNED_IN_LOCKED_OK = AccessRule(
    "signed in, even while idle-locked", lambda request: request.user.is_authenticated, Stage.VERIFIED
)
SIGNED_IN = AccessRule("any signed-in person", lambda request: request.user.is_authenticated)
SYSTEM_ADMIN = AccessRule("HMIS Lead system administrator", _is_system_admin)
AGENCY_CONTEXT = AccessRule("a person working in an agency context", _has_agency_context)
# T3: the agency's executive director and authorized representatives (AGENCY_MANAGERS in
# agencies/services.py), in the agency they work for now: the agency's own
# administration, its compliance page, its data requests.
AGENCY_MANAGER = AccessRule("the agency's executive director and authorized representatives", _is_agency_manager)
# A1: the executive director signs the Agency Partner Agreement.
AGENCY_DIRECTOR = AccessRule("the agency's executive director", _is_agency_director)
# U1, U6, A4: the authorized representative requests and ends user access and gives notice.
AUTHORIZED_REPRESENTATIVE = AccessRule("the agency's authorized representatives", _is_authorized_representative)
LEAD_OR_AGENCY_MANAGER = AccessRule(
    "the HMIS Lead, and agency directors and authorized representatives", _lead_or_agency_manager)
# E2, E4: data requests are made by the HMIS Lead and by an agency's director or
# representatives; nobody else learns the pages exist.
DATA_REQUESTS = LEAD_OR_AGENCY_MANAGER.hidden()
# H3: an HMIS CSV export holds client-level data: the HMIS Lead, and an agency's director
# or representatives with a usable license (their agency's projects only).
HMIS_CSV_EXPORT = AccessRule(
    "the HMIS Lead and agency administrators (HMIS CSV export)", _lead_or_active_agency_manager).hidden()
# H2: a project's page with its HUD descriptor data: the HMIS Lead edits it; people working
# for the project's agency read it (may_see_project narrows to their own agency's projects).
PROJECT_PAGE = AccessRule("the HMIS Lead, and people of the project's agency (read-only)",
                          lambda request: _is_system_admin(request) or _has_agency_context(request))
# Client pages: administrators, and full or view-only licenses at non-VSP agencies
# (T3: reporting-only and researcher licenses never open client pages; A6).
CLIENT_DATA = AccessRule("people who may open client records", _may_open_client_data)
# Data quality and reports: administrators and every license but researchers', whose
# access is to de-identified extracts only (T3).
REPORTS = AccessRule("people who run their agency's reports", _may_see_reports)
# E3: de-identified extracts: the HMIS Lead (for the state) and researcher licenses.
EXTRACTS = AccessRule("the HMIS Lead and researchers (de-identified extracts)", _may_take_extracts)
# Consent and client data entry: full-access licenses at non-VSP agencies.
DATA_ENTRY = AccessRule("people who enter client data for their agency", _may_enter_client_data)
# R1, R2: a client hands in a request for a copy or an audit at any participating agency or
# to the HMIS Lead (seed 000); whoever enters client data, and the Lead, take it.
TAKES_RIGHTS_REQUESTS = AccessRule("the HMIS Lead and people who enter client data (client requests)",
                                   lambda request: _is_system_admin(request) or _may_enter_client_data(request))
# Issue 21: merging two client records (and undoing a merge within 30 days) moves every record
# of one person onto another across agencies: only the HMIS Lead's system administrators (T3),
# who act for every agency; no agency sees both records whole. clients/merge.py refuses anyone
# else too.
MERGES_CLIENTS = AccessRule("HMIS Lead system administrators (merging client records)", _is_system_admin)


def api_endpoint(rule: AccessRule) -> AccessRule:
    """The declaration of a JSON API view. The sign-in gates step aside (the bearer token
    is the sign-in, and it is not known yet when they run); clients/api.py's api_view
    authenticates the token, answering 401 without one, then applies ``rule`` as the
    token's person and agency, answering 403 when it refuses."""
    return AccessRule(f"API: bearer token, then {rule.name}", lambda request: True, Stage.PUBLIC, endpoint=rule)


# Any valid token (the API's answer for an unknown endpoint).
API_TOKEN = api_endpoint(SIGNED_IN)

# The rules templates ask by name: {% if rules.REPORTS %} (hmis/context_processors.py).
RULES = {name: value for name, value in globals().items() if isinstance(value, AccessRule)}


class RulesFor:
    """Every rule's answer for one request, computed when a template first asks."""

    def __init__(self, request):
        self._request = request
        self._answers = {}

    def __getitem__(self, name: str) -> bool:
        if name not in self._answers:
            self._answers[name] = RULES[name].permits(self._request)
        return self._answers[name]


# --- Scope: what the person acts on, once a rule let them in --------------------------


def is_lead(request) -> bool:
    """The HMIS Lead's administrators act for every agency and CoC (T3)."""
    return SYSTEM_ADMIN.permits(request)


def agency_scope(request):
    """The agency whose data a page covers: None for the HMIS Lead (every agency),
    otherwise the agency the person works for now (T4)."""
    return None if is_lead(request) else getattr(request, "agency", None)


def agencies_in_scope(request):
    """The agencies a page offers: all for the HMIS Lead, else the person's agency."""
    from agencies.models import Agency

    if is_lead(request):
        return Agency.objects.all()
    return Agency.objects.filter(pk=getattr(agency_scope(request), "pk", None))


def cocs_in_scope(request):
    """The CoCs a page offers: all for the HMIS Lead, else those of the person's agency."""
    from agencies.models import Coc

    if is_lead(request):
        return Coc.objects.all()
    scope = agency_scope(request)
    return scope.cocs.all() if scope is not None else Coc.objects.none()


def runs_lsa(request) -> bool:
    """The LSA is the CoC's upload to HUD's HDX 2.0, which the HMIS Lead submits (issue 20): only
    the Lead's administrators run it; agencies run the SPM, HIC and PIT over their CoCs."""
    return is_lead(request)


def acts_for_agency(request, agency) -> bool:
    """The HMIS Lead, or a person working for this agency now."""
    return is_lead(request) or (agency is not None and getattr(request, "agency", None) == agency)


def may_see_project(request, project) -> bool:
    """H2: the HMIS Lead sees every project's page; others their own agency's projects."""
    return acts_for_agency(request, project.agency)


def edits_project_descriptors(request) -> bool:
    """H2: the HMIS Lead keeps project descriptor data; agencies read it."""
    return is_lead(request)


def manages_agency(request, agency) -> bool:
    """The HMIS Lead, or the director or an authorized representative of this agency
    working for it now (T3, T4): letters addressed to the agency's administrators."""
    return is_lead(request) or (getattr(request, "agency", None) == agency and AGENCY_MANAGER.permits(request))


def manages_license(request, license) -> bool:
    """A3: an agency manager sets the contact role of, and (a representative) ends, an
    active license at their own agency; the executive director is changed by the Lead."""
    from agencies.models import License

    agency = getattr(request, "agency", None)
    return (AGENCY_MANAGER.permits(request) and agency is not None and license.agency_id == agency.pk
            and license.status == License.Status.ACTIVE and license.role != License.Role.EXECUTIVE_DIRECTOR)


def writes_case_notes(request, client_access, enrollment=None) -> bool:
    """Issue 21: notes and files are added by a person who enters client data (DATA_ENTRY:
    full access at a non-VSP agency, A6, T3) for an agency that serves the client, on the
    client or on one of that agency's stays; the service then requires a consent of that
    agency covering the date (C6)."""
    agency = getattr(request, "agency", None)
    if enrollment is not None and (agency is None or enrollment.agency_id != agency.pk):
        return False
    return DATA_ENTRY.permits(request) and client_access.serves_client and client_access.can_edit


def corrects_case_note(request, note) -> bool:
    """D6: a note is corrected (never overwritten) by the agency that wrote it."""
    agency = getattr(request, "agency", None)
    return DATA_ENTRY.permits(request) and agency is not None and note.agency_id == agency.pk


def manages_household(request, enrollment) -> bool:
    """Issue 21: add a member to a household stay, exit a member, change the head: a person who
    enters client data (DATA_ENTRY: full access, non-VSP agency, A6) for the agency that
    serves the stay, in a project open to them for data entry (T5: an end user's assigned
    projects). Seeing the stay at all is decided first, by consent/visibility.py."""
    from agencies.selectors import projects_for_data_entry

    if not DATA_ENTRY.permits(request):
        return False
    license = request.license
    return (enrollment.agency_id == license.agency_id
            and projects_for_data_entry(license).filter(pk=enrollment.project_id).exists())


def assigns_case_manager(request, enrollment) -> bool:
    """Issue 21: a stay's case manager is named by the people who manage the stay (as its
    household: DATA_ENTRY for the serving agency, in a project open to them, T5); the
    service accepts only staff of the stay's agency."""
    return manages_household(request, enrollment)


def refers_client(request, client_access) -> bool:
    """Issue 21: a referral to another agency is made by a person who enters client data
    (DATA_ENTRY) for an agency that serves the client; whether the client's consent allows
    it is consent/visibility.py's referral_refusal."""
    return DATA_ENTRY.permits(request) and client_access.serves_client and client_access.can_edit


def answers_referral(request, referral) -> bool:
    """Issue 21: a waiting referral is accepted or declined by a person who enters client
    data for the receiving agency in the project referred to (T5: an end user's assigned
    projects; never view-only, reporting-only, or the sender)."""
    from agencies.selectors import projects_for_data_entry

    agency = getattr(request, "agency", None)
    license = getattr(request, "license", None)
    return (DATA_ENTRY.permits(request) and agency is not None and referral.to_agency_id == agency.pk
            and referral.is_pending and license is not None
            and projects_for_data_entry(license).filter(pk=referral.to_project_id).exists())


def enrolls_from_referral(request, referral) -> bool:
    """Issue 21: once the receiving agency accepted, its data-entry staff open the stay
    (recording the agency's own consent first when it does not serve the client yet)."""
    from enrollments.referral_models import ReferralStatus

    agency = getattr(request, "agency", None)
    return (DATA_ENTRY.permits(request) and agency is not None and referral.to_agency_id == agency.pk
            and referral.status == ReferralStatus.ACCEPTED and referral.enrollment_id is None)


def withdraws_referral(request, referral) -> bool:
    """Issue 21: the referring agency's data-entry staff withdraw a referral still waiting."""
    agency = getattr(request, "agency", None)
    return (DATA_ENTRY.permits(request) and agency is not None and referral.from_agency_id == agency.pk
            and referral.is_pending)


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
