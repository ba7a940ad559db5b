from django.urls import path

from . import exchange_views, hud_views, views

app_name = "reports"

urlpatterns = [
    path("data-quality/", views.dashboard, name="dashboard"),
    path("data-quality/plan/<int:agency_id>/", views.monitoring_plan, name="monitoring_plan"),
    path("hud/", hud_views.hud_reports, name="hud_reports"),
    path("hud/<int:pk>/", hud_views.hud_report, name="hud_report"),
    path("hud/<int:pk>/progress/", hud_views.hud_progress, name="hud_progress"),
    path("hud/<int:pk>/run-again/", hud_views.hud_run_again, name="hud_run_again"),
    path("hud/<int:pk>/<str:code>/<int:row>/<int:column>/", hud_views.hud_cell, name="hud_cell"),
    path("hud/<int:pk>/<str:code>.csv", hud_views.hud_table_csv, name="hud_table_csv"),
    path("hud/<int:pk>/csv.zip", hud_views.hud_csv_zip, name="hud_csv_zip"),
    path("hud/<int:pk>/report.pdf", hud_views.hud_pdf, name="hud_pdf"),
    path("deidentified-extract/", exchange_views.extract_page, name="extract"),
    path("hmis-csv/export/", exchange_views.export_page, name="export"),
    path("hmis-csv/import/", exchange_views.import_page, name="import"),
    path("hmis-csv/import/<int:pk>/", exchange_views.import_run, name="import_run"),
    path("hmis-csv/import/<int:pk>/progress/", exchange_views.import_progress, name="import_progress"),
    path("hmis-csv/import/<int:pk>/warnings.csv", exchange_views.import_run_warnings, name="import_run_warnings"),
]
