from django.urls import path

from . import oversight_views as views

app_name = "oversight"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("violations/", views.violations, name="violations"),
    path("violations/<int:pk>/", views.violation, name="violation"),
    path("investigations/", views.investigations, name="investigations"),
    path("investigations/<int:pk>/", views.investigation, name="investigation"),
    path("investigations/<int:pk>/letters/<int:affected_pk>-<str:language>.pdf", views.notification_letter,
         name="notification_letter"),
    path("breaches/", views.breaches, name="breaches"),
    path("breaches/<int:pk>/", views.breach, name="breach"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/<int:pk>/", views.visit, name="visit"),
    path("monitoring/<int:pk>/letter.pdf", views.visit_letter, name="visit_letter"),
    path("cleanup/", views.cleanups, name="cleanups"),
    path("cleanup/<int:pk>/letter.pdf", views.cleanup_letter, name="cleanup_letter"),
    path("committee/", views.committee, name="committee"),
    path("data-requests/", views.data_request_list, name="data_requests"),
    path("data-requests/<int:pk>/", views.data_request, name="data_request"),
    path("retention/", views.retention_page, name="retention"),
    path("agency/", views.agency_compliance, name="agency_compliance"),
]
