"""Sign-in gates, in the order settings.MIDDLEWARE lists them.

- OTPMiddleware: django-otp's, reading the session's gate state (hmis/gate.py) so that
  a page does not load the second-factor device again while nothing changed.
Each gate reads the view's declared rule (hmis/access.py) to know how far through
sign-in the request must be. Undeclared views are refused outright.

- SingleSessionMiddleware (U8): a newer sign-in ends older sessions; the old browser
  is told why.
- SecondFactorMiddleware (U10): nothing beyond the 2FA pages until a TOTP or backup
  code was accepted; a person who must choose a new password does that first.
- IdleLockMiddleware (U9): after the CoC's idle_lock_minutes without activity the
  session locks until the password is entered again.
- AgencyContextMiddleware (T4): the one agency a person works in now.
- AccessRuleMiddleware (DESIGN conv. 4): the declared rule itself.
- AuditContextMiddleware: every audit entry written in the request records the
  actor's agency context.
"""

import time
from functools import partial
from urllib.parse import urlencode

from auditlog.context import set_extra_data
from auditlog.middleware import AuditlogMiddleware
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import middleware as otp_middleware

from .access import Stage, rule_for

SESSION_LAST_ACTIVITY = "hmis_last_activity"
SESSION_LOCKED = "hmis_locked"
SESSION_AGENCY = "hmis_agency_id"
ACTIVITY_RESOLUTION_SECONDS = 10
# Reachable while a person must still replace the password an administrator set:
# the backup codes are shown once, straight after enrolment, so they come first.
PAGES_BEFORE_PASSWORD_CHANGE = {"password_change", "two_factor_backup_codes", "logout"}


def _rule(request, view_func):
    rule = rule_for(view_func)
    if rule is None and request.resolver_match and request.resolver_match.app_name == "admin":
        # Django's own admin site checks is_staff/superuser itself; it still sits
        # behind sign-in, the second factor, the idle lock and single session.
        from .access import SIGNED_IN

        return SIGNED_IN
    return rule


def _redirect(request, url_name):
    url = reverse(url_name)
    if request.htmx:
        # htmx swaps would put the page inside a fragment; send the browser instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    if request.method == "GET":
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    return redirect(url)


class _Gate:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware, minus a query a page: while the session's gate state is
    current (hmis/gate.py: same person, same gate_version, same device id in the session)
    the device that verified the session is known to exist, be confirmed and be the
    person's, so it is loaded only if something reads it. Saving or deleting a device
    bumps the person's gate_version, so the next request checks it again."""

    def _verify_user_sync(self, request, user):
        from django_otp import DEVICE_ID_SESSION_KEY

        from . import gate

        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id and gate.device_still_verified(request, user):
                self._init_user_fields(user)
                user.otp_device = SimpleLazyObject(partial(self._device_from_persistent_id, persistent_id))
                return user
        return super()._verify_user_sync(request, user)


class SingleSessionMiddleware(_Gate):
    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = _rule(request, view_func)
        if rule is None or rule.stage is Stage.PUBLIC or not request.user.is_authenticated:
            return None
        current = request.user.current_session_key
        if current and current != request.session.session_key:
            logout(request)
            messages.warning(
                request,
                "You were signed out because your account signed in somewhere else. "
                "An account may be signed in at one place at a time.",
            )
            return _redirect(request, "login")
        return None


class SecondFactorMiddleware(_Gate):
    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = _rule(request, view_func)
        if rule is None or rule.stage is Stage.PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if rule.stage is Stage.PASSWORD:
            return None
        if not request.user.is_verified():
            from django_otp import user_has_device

            target = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
            return _redirect(request, target)
        if (
            request.user.password_change_required
            and request.resolver_match.url_name not in PAGES_BEFORE_PASSWORD_CHANGE
        ):
            messages.info(request, "Choose a new password of your own before you continue.")
            return _redirect(request, "password_change")
        return None


def idle_lock_minutes_for(request) -> int:
    """U9: the strictest idle_lock_minutes of the CoCs the person works in now (kept
    with the gate state, hmis/gate.py)."""
    from django.conf import settings

    if not hasattr(request, "idle_lock_minutes"):
        _set_agency_context(request)
    return getattr(request, "idle_lock_minutes", settings.IDLE_LOCK_MINUTES)


class IdleLockMiddleware(_Gate):
    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = _rule(request, view_func)
        if rule is None or rule.stage in (Stage.PUBLIC, Stage.PASSWORD):
            return None
        if not request.user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get(SESSION_LAST_ACTIVITY)
        _set_agency_context(request)
        limit = idle_lock_minutes_for(request) * 60
        if last is not None and now - last > limit:
            request.session[SESSION_LOCKED] = True
        if request.session.get(SESSION_LOCKED):
            if rule.stage is Stage.VERIFIED:
                return None
            return _redirect(request, "session_locked")
        if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            # Writing the session on every request would cost a write per page view;
            # the lock is counted in minutes, so a few seconds' resolution changes nothing.
            request.session[SESSION_LAST_ACTIVITY] = now
        return None


def _set_agency_context(request) -> None:
    """Attach request.license and request.agency: the agency the person works in now.
    With them the rest of the gate state: hmis/gate.py keeps it in the session and
    recomputes it whenever something it depends on changed."""
    if hasattr(request, "license"):
        return
    request.license = None
    request.agency = None
    if not request.user.is_authenticated:
        return
    from . import gate

    gate.load(request)


class AgencyContextMiddleware(_Gate):
    def process_view(self, request, view_func, view_args, view_kwargs):
        _set_agency_context(request)


class AccessRuleMiddleware(_Gate):
    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = _rule(request, view_func)
        if rule is None:
            raise PermissionDenied("This page declares no access rule, so it is closed to everyone.")
        if not rule.allows(request):
            raise PermissionDenied(f"This page is for: {rule.name}.")


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's actor middleware, plus the agency the actor works in."""

    def __call__(self, request):
        from auditlog.cid import set_cid

        set_cid(request)
        context = self.get_extra_data(request)
        # Evaluated when an entry is saved, after the agency context is known.
        context["agency_id"] = lambda: getattr(getattr(request, "agency", None), "pk", None)
        context["actor"] = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        with set_extra_data(context_data=context):
            return self.get_response(request)
