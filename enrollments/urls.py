from django.urls import path

from . import case_manager_views, household_views, referral_views, views

app_name = "enrollments"

urlpatterns = [
    path("enroll/<str:client_id>/", views.enroll, name="enroll"),
    # Referrals between agencies (issue 21); before "<enrollment_id>/", which would take them.
    path("refer/<str:client_id>/", referral_views.referral_new, name="refer"),
    path("referrals/to-us/", referral_views.referrals_in, name="referrals_in"),
    path("referrals/ours/", referral_views.referrals_out, name="referrals_out"),
    path("referrals/<str:referral_id>/", referral_views.referral_detail, name="referral"),
    path("referrals/<str:referral_id>/accept/", referral_views.referral_accept, name="referral_accept"),
    path("referrals/<str:referral_id>/decline/", referral_views.referral_decline, name="referral_decline"),
    path("referrals/<str:referral_id>/withdraw/", referral_views.referral_withdraw, name="referral_withdraw"),
    path("<str:enrollment_id>/", views.detail, name="detail"),
    path("<str:enrollment_id>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("<str:enrollment_id>/exit/", views.exit_stay, name="exit"),
    path("<str:enrollment_id>/edit/", views.edit, name="edit"),
    path("<str:enrollment_id>/start-answers/", views.member_start, name="member_start"),
    path("<str:enrollment_id>/exit-answers/", views.member_exit, name="member_exit"),
    path("<str:enrollment_id>/status/", views.status_determination, name="status_determination"),
    path("<str:enrollment_id>/bed-nights/", views.bed_night, name="bed_night"),
    path("<str:enrollment_id>/record/<slug:kind>/", views.record_item, name="record"),
    path("<str:enrollment_id>/case-manager/", case_manager_views.case_manager, name="case_manager"),
    path("<str:enrollment_id>/household/add/", household_views.add_member, name="household_add"),
    path("<str:enrollment_id>/household/remove/", household_views.remove_member, name="household_remove"),
    path("<str:enrollment_id>/household/head/", household_views.change_head, name="household_head"),
]
