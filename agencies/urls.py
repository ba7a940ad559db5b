from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("lead/", views.lead_edit, name="lead_edit"),
    path("cocs/", views.coc_list, name="coc_list"),
    path("cocs/new/", views.coc_create, name="coc_create"),
    path("cocs/<int:pk>/", views.coc_detail, name="coc_detail"),
    path("cocs/<int:pk>/edit/", views.coc_edit, name="coc_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/requirements/", views.project_requirements, name="project_requirements"),
    path("funders/<int:pk>/remove/", views.funder_remove, name="funder_remove"),
    path("projects/<int:pk>/descriptors/", views.project_descriptors_edit, name="project_descriptors_edit"),
    path("projects/<int:pk>/<slug:kind>/new/", views.descriptor_add, name="descriptor_add"),
    path("projects/<int:pk>/<slug:kind>/<int:record_pk>/edit/", views.descriptor_edit, name="descriptor_edit"),
    path("projects/<int:pk>/<slug:kind>/<int:record_pk>/remove/", views.descriptor_remove, name="descriptor_remove"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/reset-second-factor/", views.person_reset_second_factor, name="person_reset_second_factor"),
    path("people/<int:pk>/licenses/new/", views.license_grant, name="license_grant"),
    path("licenses/<int:pk>/edit/", views.license_edit, name="license_edit"),
]
