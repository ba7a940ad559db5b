from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from agencies import agency_views

from . import views

# Django's admin stays behind the second factor too; it is for superusers only.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("accounts/locked/", views.session_locked, name="session_locked"),
    path("accounts/password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("accounts/heartbeat/", views.session_heartbeat, name="session_heartbeat"),
    path("context/", views.switch_agency, name="switch_agency"),
    path("notifications/", views.notifications, name="notifications"),
    path("clients/", include("clients.urls")),
    path("api/v1/", include("clients.api_urls")),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("consent/", include("consent.urls")),
    path("enrollments/", include("enrollments.urls")),
    path("reports/", include("reports.urls")),
    path("training/", include("compliance.urls")),
    path("compliance/", include("compliance.oversight_urls")),
    path("my-agency/", agency_views.my_agency, name="my_agency"),
    path("my-agency/edit/", agency_views.my_agency_edit, name="my_agency_edit"),
    path("my-agency/licenses/<int:pk>/role/", agency_views.license_role, name="license_role"),
    path("my-agency/licenses/<int:pk>/revoke/", agency_views.license_revoke, name="license_revoke"),
    path("my-agency/access-requests/new/", agency_views.access_request_new, name="access_request_new"),
    path("my-agency/termination/", agency_views.termination_notice, name="termination_notice"),
    path("my-agency/agreement/", agency_views.agreement, name="agreement"),
    path("agreements/", agency_views.agreements_admin, name="agreements_admin"),
    path("agreements/signatures/<int:pk>.pdf", agency_views.agreement_pdf, name="agreement_pdf"),
    path("agencies/<int:agency_id>/participation-letter.pdf", agency_views.participation_letter,
         name="participation_letter"),
    path("access-requests/", agency_views.access_requests, name="access_requests"),
    path("access-requests/<int:pk>/decide/", agency_views.access_request_decide, name="access_request_decide"),
    path("licenses/", agency_views.license_dashboard, name="license_dashboard"),
    path("access-applications/", agency_views.applications, name="applications"),
    path("access-applications/<int:pk>/", agency_views.application_detail, name="application_detail"),
    path("", include("agencies.urls")),
    path("django-admin/", admin.site.urls),
]
