from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("data-quality/", views.dashboard, name="dashboard"),
    path("data-quality/plan/<int:agency_id>/", views.monitoring_plan, name="monitoring_plan"),
]
