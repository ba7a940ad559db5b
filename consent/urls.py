from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("documents/<uuid:uuid>/", views.document_download, name="document_download"),
    path("lock-requests/", views.lock_requests, name="lock_requests"),
    path("lock-requests/<int:pk>/decide/", views.lock_decide, name="lock_decide"),
    path("gap-requests/", views.gap_requests, name="gap_requests"),
    path("gap-requests/<int:pk>/decide/", views.gap_decide, name="gap_decide"),
    path("other-agency-consents/", views.other_agency_consents, name="other_agency_consents"),
    path("without-roi/", views.clients_without_roi, name="clients_without_roi"),
    path("opt-out-tally/", views.opt_out_tally, name="opt_out_tally"),
    path("opt-out-tally/nightly/", views.opt_out_staying, name="opt_out_staying"),
]
