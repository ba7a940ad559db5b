from django.urls import path

from . import exchange_views, views

app_name = "reports"

urlpatterns = [
    path("data-quality/", views.dashboard, name="dashboard"),
    path("data-quality/plan/<int:agency_id>/", views.monitoring_plan, name="monitoring_plan"),
    path("hmis-csv/export/", exchange_views.export_page, name="export"),
    path("hmis-csv/import/", exchange_views.import_page, name="import"),
    path("hmis-csv/import/<int:pk>/", exchange_views.import_run, name="import_run"),
]
