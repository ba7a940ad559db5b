"""D2: program-specific data elements per project, from defaults by type and funder."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.models import ProjectFunder
from agencies.requirements import default_elements, required_elements
from enrollments.models import Assessment
from hmis import dates
from tests.enrollments.test_stays import START, enroll, household_of_three
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def funded(project, code):
    ProjectFunder.objects.create(project=project, funder=code, start_date=date(2020, 1, 1))
    return project


def test_d2_defaults_follow_project_type_and_funder(tenancy):
    esg_shelter = funded(ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=0), 8)
    assert default_elements(esg_shelter) == ["4.02", "4.03", "4.04", "4.05-4.10", "4.11"]
    outreach = funded(ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=4), 11)
    assert "4.13" in default_elements(outreach)
    night = funded(ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=1), 8)
    assert "4.14" in default_elements(night)
    local = funded(ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=0), 46)
    assert default_elements(local) == []  # Universal Data Elements only


def test_d2_the_hmis_lead_sets_a_projects_requirements_and_can_go_back_to_defaults(tenancy, signed_in):
    project = funded(tenancy.shelter_a, 8)
    admin = signed_in(tenancy.admin)
    page = admin.get(reverse("agencies:project_requirements", args=[project.pk])).content.decode()
    assert "4.05-4.10" in page
    admin.post(reverse("agencies:project_requirements", args=[project.pk]), {"elements": ["4.02", "4.11"]})
    project.refresh_from_db()
    assert required_elements(project) == ["4.02", "4.11"]
    admin.post(reverse("agencies:project_requirements", args=[project.pk]), {"reset": "1"})
    project.refresh_from_db()
    assert project.required_elements is None and "4.03" in required_elements(project)
    assert signed_in(tenancy.worker_a).get(reverse("agencies:project_requirements", args=[project.pk])).status_code == 403


def test_d2_d3_required_elements_must_be_answered_and_refusals_count_as_answers(tenancy, signed_in):
    funded(tenancy.shelter_a, 8)
    people = household_of_three(tenancy)
    worker = signed_in(tenancy.worker_a)
    missing = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, hiv_aids="",
                     domestic_violence_survivor="")
    assert "Required in this project" in missing.content.decode()
    refused = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, hiv_aids=9,
                     domestic_violence_survivor=8)
    assert refused.status_code == 302
    start = Assessment.objects.get(stage=1, enrollment__relationship_to_hoh=1)
    assert (start.hiv_aids, start.domestic_violence_survivor) == (9, 8)


def test_d2_elements_a_project_does_not_require_may_be_left_unasked(tenancy, signed_in):
    people = household_of_three(tenancy)  # shelter_a has no funder: no program-specific elements
    blank = {k: "" for k in START if k.endswith("_source") or k in (
        "physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
        "mental_health_disorder", "substance_use_disorder", "domestic_violence_survivor", "total_monthly_income")}
    response = enroll(signed_in(tenancy.worker_a), people, entry_date=dates.today(), project=tenancy.shelter_a, **blank)
    assert response.status_code == 302
    start = Assessment.objects.get(stage=1, enrollment__relationship_to_hoh=1)
    # H1: left unasked is null, not 99 "Data not collected" (which is an answer): no HMIS CSV row.
    assert start.income_from_any_source is None and start.hiv_aids is None
