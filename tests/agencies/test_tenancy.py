"""Tenancy (T1–T5) through the administration screens and the agency context."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from agencies import selectors
from agencies.models import Agency, Coc, HmisLead, License, Project
from hmis.models import User
from tests.factories import LicenseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

COC_FORM = {
    "code": "MO-600", "name": "Lakeside CoC", "no_sharing_policy": "locked_record",
    "roi_validity_months": 12, "timeliness_hours": 72, "idle_lock_minutes": 15,
    "practice_case_attempts": 3, "reapply_wait_months": 6, "opt_out_alert_threshold": 2,
    "roi_expiry_warning_days": 30,
}


def test_t1_one_hmis_lead_per_installation(tenancy):
    HmisLead(name="Another Lead").save()  # saves over the one lead, never a second
    assert HmisLead.objects.count() == 1
    assert HmisLead.objects.get().name == "Another Lead"
    with pytest.raises(IntegrityError):
        HmisLead.objects.bulk_create([HmisLead(id=2, name="Second")])


def test_t1_each_coc_carries_its_own_policy_switches_with_the_rules_defaults(tenancy):
    coc = Coc.objects.create(lead=tenancy.lead, code="MO-700", name="Defaults")
    assert (coc.no_sharing_policy, coc.roi_validity_months, coc.timeliness_hours, coc.idle_lock_minutes,
            coc.practice_case_attempts, coc.reapply_wait_months, coc.opt_out_alert_threshold,
            coc.roi_expiry_warning_days) == ("no_record", 12, 72, 15, 3, 6, 2, 30)
    assert tenancy.coc2.no_sharing_policy == "locked_record" != tenancy.coc1.no_sharing_policy


def test_t1_admin_sets_up_a_coc_with_its_switches(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(reverse("agencies:coc_create"), COC_FORM)
    coc = Coc.objects.get(code="MO-600")
    assert response["Location"] == reverse("agencies:coc_detail", args=[coc.pk])
    assert coc.no_sharing_policy == "locked_record"
    page = client.get(response["Location"]).content.decode()
    assert "Locked record" in page


def test_t1_invalid_switches_say_what_to_fix_and_keep_what_was_typed(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:coc_create"),
        {**COC_FORM, "code": "lake-1", "idle_lock_minutes": 0, "timeliness_hours": 9999},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "two capital letters" in page
    assert "greater than or equal to 1" in page and "less than or equal to 720" in page
    assert 'value="Lakeside CoC"' in page and 'value="lake-1"' in page
    assert not Coc.objects.filter(name="Lakeside CoC").exists()


def test_t2_agency_joins_several_cocs_and_runs_projects_with_hud_types(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:agency_create"),
        {"name": "Agency D", "cocs": [tenancy.coc1.pk, tenancy.coc2.pk], "status": "onboarding",
         "privacy_notice_url": "agency-d.example.org/privacy", "roi_scope": "project",
         "hipaa_covered": "on"},
    )
    agency = Agency.objects.get(name="Agency D")
    assert response["Location"] == reverse("agencies:agency_detail", args=[agency.pk])
    assert set(agency.cocs.all()) == {tenancy.coc1, tenancy.coc2}
    assert agency.hipaa_covered and agency.privacy_notice_url == "https://agency-d.example.org/privacy"
    assert agency.group.name == f"agency:{agency.pk}"

    response = client.post(
        reverse("agencies:project_create"),
        {"agency": agency.pk, "coc": tenancy.coc2.pk, "name": "D Rapid Re-Housing", "project_type": 13,
         "operating_start": "2025-10-01", "protected": ""},
    )
    project = Project.objects.get(name="D Rapid Re-Housing")
    assert response["Location"] == reverse("agencies:project_detail", args=[project.pk])
    response = client.post(
        reverse("agencies:project_detail", args=[project.pk]),
        {"funder": 3, "grant_id": "MO0001", "start_date": "2025-10-01"},
    )
    assert project.funders.get().get_funder_display() == "HUD: CoC – Rapid Re-Housing"


def test_t2_a_project_must_be_in_a_coc_its_agency_participates_in(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:project_create"),
        {"agency": tenancy.agency_a.pk, "coc": tenancy.coc2.pk, "name": "Misplaced", "project_type": 0,
         "operating_start": "2025-01-01", "operating_end": "2024-01-01"},
    )
    page = response.content.decode()
    assert "does not participate in this CoC" in page or "end date cannot be before" in page
    assert 'value="Misplaced"' in page
    assert not Project.objects.filter(name="Misplaced").exists()


def test_t2_local_funding_needs_its_name(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:project_detail", args=[tenancy.shelter_a.pk]),
        {"funder": 46, "start_date": "2025-10-01"},
    )
    assert "Name the local or other funding source" in response.content.decode()


def test_t2_protected_flag_is_kept_on_the_project(tenancy):
    assert tenancy.protected_b.protected and not tenancy.housing_b.protected


def test_t3_admin_grants_a_license_with_role_access_level_and_projects(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    person = User.objects.create_user("newhire", password="Sturdy-Lamp-4821")
    response = client.post(
        reverse("agencies:license_grant", args=[person.pk]),
        {"agency": tenancy.agency_a.pk, "role": "end_user", "access_level": "view_only",
         "projects": [tenancy.shelter_a.pk], "override_reason": "HMIS Lead staff member"},
    )
    assert response.status_code == 302
    license = License.objects.get(user=person)
    assert (license.role, license.access_level) == ("end_user", "view_only")
    assert list(license.projects.all()) == [tenancy.shelter_a]
    assert person.groups.filter(pk=tenancy.agency_a.group_id).exists()


def test_t3_roles_and_access_levels_are_the_rules_list():
    assert set(License.Role.values) == {
        "executive_director", "authorized_representative", "designated_contact", "end_user"}
    assert {"full", "view_only", "reporting_only", "researcher"} == set(License.AccessLevel.values)


def test_t5_projects_of_another_agency_cannot_be_assigned(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    person = User.objects.create_user("newhire2", password="Sturdy-Lamp-4821")
    response = client.post(
        reverse("agencies:license_grant", args=[person.pk]),
        {"agency": tenancy.agency_a.pk, "role": "end_user", "access_level": "full",
         "projects": [tenancy.housing_b.pk], "override_reason": "HMIS Lead staff member"},
    )
    assert "must belong to the license" in response.content.decode()
    assert not License.objects.filter(user=person).exists()


def test_t4_a_second_license_at_the_same_agency_is_refused(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:license_grant", args=[tenancy.worker_a.pk]),
        {"agency": tenancy.agency_a.pk, "role": "end_user", "access_level": "full"},
    )
    assert "already holds a license" in response.content.decode()


def test_t4_a_person_licensed_at_two_agencies_works_in_one_context_and_switches(tenancy, signed_in):
    LicenseFactory(user=tenancy.worker_a, agency=tenancy.agency_b, projects=[tenancy.housing_b])
    client = signed_in(tenancy.worker_a)
    page = client.get(reverse("home")).content.decode()
    assert "You are working for Agency A" in page and "A Shelter" in page and "B Housing" not in page
    assert "Switch agency" in page

    response = client.post(reverse("switch_agency"), {"agency": tenancy.agency_b.pk}, follow=True)
    page = response.content.decode()
    assert "You are working for Agency B" in page and "B Housing" in page and "A Shelter" not in page


def test_t4_switching_to_an_agency_without_a_license_is_refused(tenancy, signed_in):
    client = signed_in(tenancy.worker_a)
    response = client.post(reverse("switch_agency"), {"agency": tenancy.agency_c.pk}, follow=True)
    page = response.content.decode()
    assert "no active license at that agency" in page
    assert "You are working for Agency A" in page


def test_t5_end_users_reach_only_their_assigned_projects(tenancy):
    worker = License.objects.get(user=tenancy.worker_a)
    director = License.objects.get(user=tenancy.director_a)
    assert list(selectors.projects_for_data_entry(worker)) == [tenancy.shelter_a]
    assert set(selectors.projects_for_data_entry(director)) == {tenancy.shelter_a, tenancy.outreach_a}


def test_t5_closed_projects_and_view_only_licenses_give_no_data_entry(tenancy):
    closed = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, operating_end=date(2021, 1, 1))
    director = License.objects.get(user=tenancy.director_a)
    assert closed not in selectors.projects_for_data_entry(director)
    assert not selectors.projects_for_data_entry(License.objects.get(user=tenancy.viewer_b)).exists()
    assert not selectors.projects_for_data_entry(License.objects.get(user=tenancy.reporter_b)).exists()


def test_a6_victim_service_provider_licenses_give_no_data_entry_project(tenancy, signed_in):
    license = License.objects.get(user=tenancy.worker_v)
    assert not selectors.projects_for_data_entry(license).exists()
    page = signed_in(tenancy.worker_v).get(reverse("home")).content.decode()
    assert "victim service provider" in page


def test_suspending_a_license_ends_the_agency_context_at_once(tenancy, signed_in):
    client = signed_in(tenancy.worker_b)
    assert "You are working for Agency B" in client.get(reverse("home")).content.decode()
    admin = signed_in(tenancy.admin)
    license = License.objects.get(user=tenancy.worker_b)
    response = admin.post(
        reverse("agencies:license_edit", args=[license.pk]),
        {"role": "end_user", "access_level": "full", "status": "suspended", "status_reason": ""},
    )
    assert "Say why" in response.content.decode()
    admin.post(
        reverse("agencies:license_edit", args=[license.pk]),
        {"role": "end_user", "access_level": "full", "status": "suspended",
         "status_reason": "Left on extended leave"},
    )
    page = client.get(reverse("home")).content.decode()
    assert "No active license" in page and "Left on extended leave" in page
    assert not tenancy.worker_b.groups.filter(pk=tenancy.agency_b.group_id).exists()


def test_people_of_a_terminated_agency_lose_their_context(tenancy, signed_in):
    tenancy.agency_c.status = Agency.Status.TERMINATED
    tenancy.agency_c.save()
    page = signed_in(tenancy.worker_c).get(reverse("home")).content.decode()
    assert "No active license" in page and "agency terminated" in page


def test_admin_lists_search_and_filter(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    page = client.get(reverse("agencies:agency_list"), {"is_victim_service_provider": "true"}).content.decode()
    assert "Agency V" in page and "Agency A" not in page
    page = client.get(reverse("agencies:project_list"), {"protected": "true"}).content.decode()
    assert "B Clinic" in page and "A Shelter" not in page
    page = client.get(reverse("agencies:person_list"), {"q": "viewer"}).content.decode()
    assert "viewer_b" in page and "worker_a" not in page
    page = client.get(reverse("agencies:person_list"), {"agency": tenancy.agency_c.pk}).content.decode()
    assert "worker_c" in page and "worker_a" not in page
    page = client.get(reverse("agencies:coc_list"), {"no_sharing_policy": "locked_record"}).content.decode()
    assert "TS-501" in page and "TS-500" not in page


def test_admin_creates_a_person_who_then_must_enrol_and_choose_a_password(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:person_create"),
        {"username": "casey", "first_name": "Casey", "last_name": "Nguyen", "email": "casey@example.org",
         "password": "Lantern-Tide-8812"},
    )
    person = User.objects.get(username="casey")
    assert response["Location"] == reverse("agencies:person_detail", args=[person.pk])
    assert person.password_change_required and person.check_password("Lantern-Tide-8812")


def test_admin_cannot_remove_their_own_admin_role(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:person_edit", args=[tenancy.admin.pk]),
        {"first_name": "A", "last_name": "B", "email": "a@example.org", "is_active": "on"},
    )
    assert "cannot remove your own" in response.content.decode()
    tenancy.admin.refresh_from_db()
    assert tenancy.admin.is_system_admin


def test_reset_second_factor_makes_the_person_enrol_again(tenancy, signed_in):
    from django_otp import user_has_device

    signed_in(tenancy.worker_a)  # gives worker_a a device
    assert user_has_device(tenancy.worker_a)
    signed_in(tenancy.admin).post(reverse("agencies:person_reset_second_factor", args=[tenancy.worker_a.pk]))
    assert not user_has_device(tenancy.worker_a)
