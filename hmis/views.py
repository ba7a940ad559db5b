"""Sign-in, second factor, idle lock, agency context and the home page."""

import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from agencies import selectors as agency_selectors

from . import services
from .access import (
    CLIENT_DATA,
    DATA_ENTRY,
    PASSWORD_ACCEPTED,
    PUBLIC,
    SIGNED_IN,
    SIGNED_IN_LOCKED_OK,
    SYSTEM_ADMIN,
    access,
    is_lead,
)
from .forms import AgencyContextForm, OneTimeCodeForm, SignInForm, UnlockForm, UswdsFormMixin
from .middleware import SESSION_AGENCY, SESSION_LAST_ACTIVITY, SESSION_LOCKED, idle_lock_minutes_for
from .signals import remember_session

SESSION_BACKUP_CODES = "hmis_new_backup_codes"
UNLOCK_ATTEMPTS = 5


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


class SignInView(LoginView):
    access_rule = PUBLIC
    form_class = SignInForm
    template_name = "hmis/login.html"
    redirect_authenticated_user = False

    def get_success_url(self):
        step = "two_factor_verify" if user_has_device(self.request.user) else "two_factor_setup"
        return f"{reverse(step)}?{urlencode({'next': super().get_success_url()})}"


@access(PASSWORD_ACCEPTED)
def two_factor_verify(request):
    """U10: every sign-in needs a code from the authenticator app or a backup code."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])  # TOTP or a backup code
        if device is not None:
            otp_login(request, device)
            _new_session_key(request)
            return redirect(_safe_next(request))
        form.add_error("token", _code_refusal(request.user))
    return render(request, "hmis/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


def _new_session_key(request) -> None:
    """Once the second factor is accepted the session gets a new key, so a key seen
    before it (fixed or read while only the password was known) opens nothing; the
    old key is deleted. U8: the new key is recorded as the user's one session."""
    request.session.cycle_key()
    remember_session(request, request.user)


def _code_refusal(user) -> str:
    """Say plainly when django-otp's throttle (doubling waits after each wrong code) applies."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            from django.utils import timezone

            seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
            return f"That code did not match. After several wrong codes, wait {seconds} seconds before the next try."
    return "That code did not match. Enter the newest code from your app."


@access(PASSWORD_ACCEPTED)
def two_factor_setup(request):
    """U10: first sign-in enrols an authenticator app by QR code, then shows backup codes."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    device = services.pending_totp_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    form.fields["token"].label = "Six-digit code shown by your authenticator app"
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_device(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error.messages[0])
        else:
            device.refresh_from_db()
            otp_login(request, device)
            _new_session_key(request)
            request.session[SESSION_BACKUP_CODES] = codes
            return redirect(f"{reverse('two_factor_backup_codes')}?{urlencode({'next': _safe_next(request)})}")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "hmis/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _safe_next(request)},
    )


@access(SIGNED_IN)
def two_factor_backup_codes(request):
    """Shown once, straight after enrolment (or after asking for new ones)."""
    if request.method == "POST":
        codes = services.replace_backup_codes(user=request.user)
        request.session[SESSION_BACKUP_CODES] = codes
        return redirect("two_factor_backup_codes")
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    return render(request, "hmis/two_factor_backup_codes.html", {"codes": codes, "next": _safe_next(request)})


@access(SIGNED_IN_LOCKED_OK)
def session_locked(request):
    """U9: the idle lock. The password unlocks; too many failures sign out."""
    if not request.session.get(SESSION_LOCKED):
        return redirect(_safe_next(request))
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session[SESSION_LOCKED] = False
            request.session["hmis_unlock_failures"] = 0
            request.session[SESSION_LAST_ACTIVITY] = time.time()
            return redirect(_safe_next(request))
        failures = request.session.get("hmis_unlock_failures", 0) + 1
        request.session["hmis_unlock_failures"] = failures
        if failures >= UNLOCK_ATTEMPTS:
            logout(request)
            messages.error(request, "You were signed out after several wrong passwords on the lock screen.")
            return redirect("login")
        form.add_error("password", "That password is not right.")
    minutes = idle_lock_minutes_for(request)
    return render(request, "hmis/session_locked.html", {"form": form, "minutes": minutes, "next": _safe_next(request)})


@access(PASSWORD_ACCEPTED)
@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You signed out.")
    return redirect("login")


class ChangePasswordView(PasswordChangeView):
    access_rule = SIGNED_IN
    template_name = "hmis/password_change.html"

    def get_form_class(self):
        base = super().get_form_class()
        return type("UswdsPasswordChangeForm", (UswdsFormMixin, base), {})

    def form_valid(self, form):
        form.save()
        user = form.user
        user.password_change_required = False
        user.save(update_fields=["password_change_required"])
        update_session_auth_hash(self.request, user)
        remember_session(self.request, user)  # the session key changed; it is still the one session
        messages.success(self.request, "Your password was changed.")
        return redirect("home")


@access(SIGNED_IN)
@require_POST
def switch_agency(request):
    """T4: a person licensed at several agencies works in one agency context at a time."""
    licenses = list(agency_selectors.active_licenses_for(request.user))
    form = AgencyContextForm(request.POST, licenses=licenses)
    if form.is_valid():
        request.session[SESSION_AGENCY] = form.cleaned_data["agency"]
        chosen = next(lic for lic in licenses if lic.agency_id == form.cleaned_data["agency"])
        messages.success(request, f"You are now working for {chosen.agency.name}.")
    else:
        messages.error(request, "You hold no active license at that agency.")
    return redirect("home")


@access(SIGNED_IN)
def home(request):
    context = {
        "inactive_licenses": agency_selectors.inactive_licenses_for(request.user),
    }
    if is_lead(request):
        from .lead_queues import pending_for_lead

        context["counts"] = agency_selectors.tenancy_counts()
        context["waiting"] = pending_for_lead()
    if request.license is not None:
        context["data_entry_projects"] = agency_selectors.projects_for_data_entry(request.license)
        if DATA_ENTRY.permits(request):
            from consent.visibility import Viewer
            from enrollments.selectors import caseload

            from .dates import today

            context["caseload"] = caseload(license=request.license, today=today(),
                                           viewer=Viewer.from_request(request))
            from compliance.client_rights import requests_to_produce

            context["rights_due"] = requests_to_produce(request.license.agency).count()
        if CLIENT_DATA.permits(request):  # issue 21: referrals waiting on the agency (a count only)
            from consent.visibility import Viewer
            from enrollments.referral_selectors import pending_count

            context["referrals_waiting"] = pending_count(Viewer.from_request(request))
    from .models import Notification

    context["alerts"] = Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:5]
    return render(request, "hmis/home.html", context)


@access(SIGNED_IN)
@require_POST
def session_heartbeat(request):
    """The page reports activity (reading, typing) so the idle lock (U9) counts it."""
    return HttpResponse(status=204)


@access(PUBLIC)
def health(request):
    """For load balancers, docker-compose and monitoring: the database, the broker and the
    worker's last heartbeat, each ok or failing with a short reason; never client data.
    503 when the database fails (``?strict=1``: when anything fails); see hmis/health.py."""
    from django.http import JsonResponse

    from .health import report

    body, status = report()
    if request.GET.get("strict") and body["status"] != "ok":
        status = 503
    return JsonResponse(body, status=status)


@access(SIGNED_IN)
def notifications(request):
    """In-app alerts (ROI expiry, revocations, lock and gap requests, opt-out counts)."""
    from django.utils import timezone

    from .models import Notification
    from .viewkit import paginate

    mine = Notification.objects.filter(recipient=request.user)
    page = paginate(request, mine)
    response = render(request, "hmis/notifications.html", {"page": page})
    mine.filter(read_at__isnull=True, pk__in=[n.pk for n in page]).update(read_at=timezone.now())
    return response


@access(SYSTEM_ADMIN)
def api_tokens(request):
    """Administrators issue API tokens for a person at an agency; each is shown once."""
    from .api_tokens import issue_token
    from .forms import ApiTokenForm
    from .models import ApiToken
    from .viewkit import run_service

    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        issued = run_service(form, issue_token, actor=request.user, **form.cleaned_data)
        if issued:
            record, new_token = issued
            messages.success(request, f"Token {record.prefix} issued. Copy it now: it is not shown again.")
            form = ApiTokenForm()
    tokens = ApiToken.objects.select_related("user", "agency")[:200]
    return render(request, "hmis/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@access(SYSTEM_ADMIN)
@require_POST
def api_token_revoke(request, pk):
    from django.shortcuts import get_object_or_404

    from .api_tokens import revoke_token
    from .models import ApiToken

    token = get_object_or_404(ApiToken, pk=pk)
    revoke_token(actor=request.user, token=token)
    messages.success(request, f"Token {token.prefix} revoked.")
    return redirect("api_tokens")
