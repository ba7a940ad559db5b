from django.urls import path

from . import views

app_name = "enrollments"

urlpatterns = [
    path("enroll/<str:client_id>/", views.enroll, name="enroll"),
    path("<str:enrollment_id>/", views.detail, name="detail"),
    path("<str:enrollment_id>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("<str:enrollment_id>/exit/", views.exit_stay, name="exit"),
    path("<str:enrollment_id>/edit/", views.edit, name="edit"),
    path("<str:enrollment_id>/start-answers/", views.member_start, name="member_start"),
    path("<str:enrollment_id>/exit-answers/", views.member_exit, name="member_exit"),
    path("<str:enrollment_id>/status/", views.status_determination, name="status_determination"),
    path("<str:enrollment_id>/bed-nights/", views.bed_night, name="bed_night"),
    path("<str:enrollment_id>/record/<slug:kind>/", views.record_item, name="record"),
]
