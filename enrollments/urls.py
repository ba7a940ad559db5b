from django.urls import path

from . import household_views, views

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
    path("<str:enrollment_id>/household/add/", household_views.add_member, name="household_add"),
    path("<str:enrollment_id>/household/remove/", household_views.remove_member, name="household_remove"),
    path("<str:enrollment_id>/household/head/", household_views.change_head, name="household_head"),
]
