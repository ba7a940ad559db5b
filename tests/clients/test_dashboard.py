"""Issue 21, the client dashboard: who the client is (age), the household with relationships
and ages, current and past stays with the case manager, the last contact, flags, the consent
in plain words, the next due dates, and the one primary action that fits the client's state.
What another agency, a view-only user or a viewer under limited consent does NOT see (C2,
C12), naming a stay's case manager (staff of the stay's agency only), and a query count that
does not grow with the rows."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.notes import note_add
from enrollments import services as stay_services
from enrollments.models import Enrollment
from hmis import dates

from .states import add_member, enroll, license_of, make_client, serve_too, third_agency

pytestmark = pytest.mark.django_db


def page_of(signed_in, user, client) -> str:
    response = signed_in(user).get(reverse("clients:detail", args=[client.client_id]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    """The element carrying data-testid=testid, up to the end of its list, table or paragraph."""
    match = re.search(rf'<(ul|p|dd|table|section)[^>]*data-testid="{testid}"[^>]*>', html)
    assert match, f"no {testid} on the page"
    tag = match.group(1)
    return html[match.start():html.index(f"</{tag}>", match.end())]


def primary_state(html: str) -> str | None:
    match = re.search(r'data-testid="primary-action" data-state="(\w+)"><a class="usa-button" href="([^"]+)">([^<]+)<',
                      html)
    return match.group(1) if match else None


def family(t, *, sharing="full", veteran_status=0):
    """Ada (born 05/17/1980), head, with her son Kiddo (born 02/02/2015) in one household, one
    consent; an earlier stay that ended, and a current stay of both at Agency A's shelter."""
    ada = make_client(t.worker_a, project=t.shelter_a, sharing=sharing, first="Ada", last="Okonkwo",
                      veteran_status=veteran_status)
    kid = add_member(t.worker_a, ada, project=t.shelter_a, roi=ada.rois.get(), first="Kiddo", last="Okonkwo")
    old = enroll(t.worker_a, ada, t.shelter_a)
    Enrollment.objects.filter(pk=old.pk).update(exit_date=dates.today(), destination=435)
    Enrollment.objects.filter(pk=old.pk).update(entry_date=dates.today() - timedelta(days=1))
    stays = stay_services.enroll_household(
        actor=t.worker_a, license=license_of(t.worker_a), project=t.shelter_a, entry_date=dates.today(),
        members=[(ada, 1), (kid, 2)], living_situation=116, length_of_stay=2, los_under_threshold=1,
        previous_street_essh=1, date_to_street_essh=dates.today() - timedelta(days=30),
        times_homeless_past_three_years=1, months_homeless_past_three_years=101, disabling_condition=0)
    return ada, kid, old, stays[0]


def backdate(stay, days: int):
    """The stay (and its project-start answers) as if it had started ``days`` ago."""
    day = dates.today() - timedelta(days=days)
    Enrollment.objects.filter(pk=stay.pk).update(entry_date=day, information_date=day)
    stay.assessments.update(information_date=day)
    stay.refresh_from_db()
    return stay


def age(dob: date) -> int:
    today = dates.today()
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


# --- Each item of the dashboard -----------------------------------------------------------
def test_the_dashboard_shows_age_household_stays_case_manager_contact_consent_and_due_dates(tenancy, signed_in):
    ada, kid, old, stay = family(tenancy)
    worker = signed_in(tenancy.worker_a)
    assert worker.post(reverse("enrollments:case_manager", args=[stay.enrollment_id]),
                       {"case_manager": tenancy.director_a.pk}).status_code == 302
    note_add(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=ada, text="Met at the shelter.",
             note_date=dates.today())
    html = page_of(signed_in, tenancy.worker_a, ada)

    assert section(html, "age").endswith(str(age(date(1980, 5, 17))))
    household = section(html, "household")
    assert kid.display_id in household and "Kiddo Okonkwo" in household
    assert "Head of household’s child" in household and f"age {age(date(2015, 2, 2))}" in household
    assert ada.display_id not in household
    current, past = section(html, "current-stays"), section(html, "past-stays")
    assert stay.enrollment_id in current and old.enrollment_id not in current
    assert old.enrollment_id in past and "Self (head of household)" in current
    assert tenancy.director_a.display_name in section(html, "case-manager")
    assert tenancy.director_a.display_name in current
    # today: the note, and the project-start assessment of the same day
    assert re.search(rf"{dates.today():%m/%d/%Y}: (case note|assessment, A Shelter)$", section(html, "last-contact"))
    words = section(html, "consent-words")
    assert "Shares their record with the participating agencies" in words and "Agency A" in words
    due = section(html, "due")
    assert "Annual assessment, A Shelter" in due and "Consent expires" in due
    assert "Nothing to act on." in section(html, "flags")  # a new stay, a fresh consent, nothing missing


def test_d4_the_flags_name_expiring_consent_missing_data_and_an_annual_assessment_due(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a, veteran_status=99,
                      signed_on=dates.today() - timedelta(days=355))
    stay = backdate(enroll(tenancy.worker_a, ada, tenancy.shelter_a), 350)
    flags = section(page_of(signed_in, tenancy.worker_a, ada), "flags")
    assert "Consent expires" in flags and "expires in" in flags
    assert "A Shelter: not answered: veteran status" in flags  # the data quality report's completeness check
    assert "Annual assessment, A Shelter" in flags
    assert primary_state(page_of(signed_in, tenancy.worker_a, ada)) == "annual"
    assert stay.enrollment_id


def test_c6_an_expired_consent_is_flagged_as_overdue(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    from .states import expire

    expire(ada)
    html = page_of(signed_in, tenancy.worker_a, ada)
    assert "Consent expired" in section(html, "flags") and "days overdue" in section(html, "flags")
    assert "Expired on" in section(html, "consent-words")


def test_the_last_contact_is_the_latest_service_contact_note_or_assessment(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a, signed_on=dates.today() - timedelta(days=20))
    stay = backdate(enroll(tenancy.worker_a, ada, tenancy.shelter_a), 10)
    stay_services.record_service(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), enrollment=stay,
                                 date_provided=dates.today() - timedelta(days=2))
    note_add(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=ada, text="Called.",
             note_date=dates.today() - timedelta(days=5))
    day = dates.today() - timedelta(days=2)
    assert section(page_of(signed_in, tenancy.worker_a, ada), "last-contact").endswith(f"{day:%m/%d/%Y}: service, A Shelter")


# --- What others do not see ------------------------------------------------------------------
def test_c12_another_agency_sees_the_shared_stays_but_no_action_flag_or_due_date_of_agency_a(tenancy, signed_in):
    ada, kid, old, stay = family(tenancy)
    html = page_of(signed_in, tenancy.worker_b, ada)
    assert primary_state(html) is None and 'data-testid="actions"' not in html
    assert stay.enrollment_id in section(html, "current-stays")
    assert "Kiddo Okonkwo" in section(html, "household")  # shared by the household's full consent
    assert "Nothing to act on." in section(html, "flags") and "Consent expires" not in html


def test_c12_another_agencys_annual_assessment_is_a_due_date_for_others_not_a_flag_or_a_link(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a, signed_on=dates.today() - timedelta(days=345))
    stay = backdate(enroll(tenancy.worker_a, ada, tenancy.shelter_a), 340)
    html = page_of(signed_in, tenancy.worker_b, ada)
    assert "Annual assessment, A Shelter" in section(html, "due")
    assert "Nothing to act on." in section(html, "flags")
    assert reverse("enrollments:assessment_new", args=[stay.enrollment_id]) not in html


def test_c2_limited_consent_shows_another_agency_the_identifiers_and_age_only(tenancy, signed_in):
    ada, kid, old, stay = family(tenancy, sharing="limited")
    note_add(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=ada, text="Met.",
             note_date=dates.today())
    html = page_of(signed_in, tenancy.worker_b, ada)
    assert section(html, "age").endswith(str(age(date(1980, 5, 17))))
    for hidden in ("household", "current-stays", "past-stays", "last-contact", "case-manager", "flags",
                   "consent-words", "due"):
        assert f'data-testid="{hidden}"' not in html, hidden
    assert kid.display_id not in html and "Kiddo" not in html and stay.enrollment_id not in html
    assert primary_state(html) is None


def test_c9_a_household_member_who_revoked_consent_is_left_out_of_another_agencys_view(tenancy, signed_in):
    """Agency D sees Ada's household (shared by her full consent at A) but not her son, whose
    own consent is revoked: neither his name nor his Client ID nor his age; Agency A still does."""
    from consent import services as consent_services

    _, _, worker_d = third_agency(tenancy)
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Ada", last="Okonkwo")
    kid = add_member(tenancy.worker_a, ada, project=tenancy.shelter_a, first="Kiddo", last="Hidden")
    teen = add_member(tenancy.worker_a, ada, project=tenancy.shelter_a, first="Tina", last="Shown",
                      dob=date(2010, 3, 3))
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                roi=kid.rois.get(), revoked_on=dates.today())
    html = page_of(signed_in, worker_d, ada)
    household = section(html, "household")
    assert teen.display_id in household and "Tina Shown" in household and f"age {age(date(2010, 3, 3))}" in household
    assert kid.display_id not in html and "Kiddo" not in html
    assert kid.display_id in section(page_of(signed_in, tenancy.worker_a, ada), "household")


def test_a_client_of_another_coc_gets_no_dashboard(tenancy, signed_in):
    ada, *_ = family(tenancy)
    assert signed_in(tenancy.worker_c).get(reverse("clients:detail", args=[ada.client_id])).status_code == 404


def test_a_view_only_user_of_the_serving_agency_gets_no_actions(tenancy, signed_in):
    ada = make_client(tenancy.worker_b, project=tenancy.housing_b)
    html = page_of(signed_in, tenancy.viewer_b, ada)
    assert primary_state(html) is None and 'data-testid="actions"' not in html
    assert 'data-testid="due"' in html  # the dashboard itself is read-only information


# --- The primary action ------------------------------------------------------------------------
def test_primary_action_is_finish_the_intake_when_consent_is_recorded_without_a_stay(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    html = page_of(signed_in, tenancy.worker_a, ada)
    enroll_url = reverse("enrollments:enroll", args=[ada.client_id])
    assert primary_state(html) == "finish"
    assert f'<a class="usa-button" href="{enroll_url}">Enroll in a project</a>' in html
    assert "Intake to finish: enroll in a project" in section(html, "flags")


def test_primary_action_is_enroll_when_no_stay_is_open(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    stay = enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    Enrollment.objects.filter(pk=stay.pk).update(exit_date=dates.today(), destination=435)
    html = page_of(signed_in, tenancy.worker_a, ada)
    assert primary_state(html) == "enroll"
    assert "Intake to finish" not in html


def test_primary_action_is_the_annual_assessment_when_due(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a, signed_on=dates.today() - timedelta(days=345))
    stay = backdate(enroll(tenancy.worker_a, ada, tenancy.shelter_a), 340)
    html = page_of(signed_in, tenancy.worker_a, ada)
    assert primary_state(html) == "annual"
    url = reverse("enrollments:assessment_new", args=[stay.enrollment_id])
    assert f'<a class="usa-button" href="{url}">Record the annual assessment (A Shelter)</a>' in html
    # The exit and a new enrollment stay on offer, as outline buttons.
    assert f'<a class="usa-button usa-button--outline" href="{reverse("enrollments:exit", args=[stay.enrollment_id])}">' in html


def test_primary_action_is_the_exit_of_an_open_stay(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    stay = enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    html = page_of(signed_in, tenancy.worker_a, ada)
    assert primary_state(html) == "exit"
    assert f'<a class="usa-button" href="{reverse("enrollments:exit", args=[stay.enrollment_id])}">Exit from A Shelter</a>' in html
    enroll_url = reverse("enrollments:enroll", args=[ada.client_id])
    assert f'<a class="usa-button usa-button--outline" href="{enroll_url}">Enroll in a project</a>' in html


# --- The case manager ----------------------------------------------------------------------------
def test_the_case_manager_is_named_on_the_stay_page_from_the_stays_agency(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    stay = enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    worker = signed_in(tenancy.worker_a)
    stay_page = worker.get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert "Save case manager" in stay_page and tenancy.director_a.display_name in stay_page
    assert tenancy.worker_b.display_name not in section(stay_page, "case-manager-section")  # another agency's staff
    response = worker.post(reverse("enrollments:case_manager", args=[stay.enrollment_id]),
                           {"case_manager": tenancy.director_a.pk})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.case_manager == tenancy.director_a
    shown = worker.get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert tenancy.director_a.display_name in section(shown, "stay-case-manager")
    worker.post(reverse("enrollments:case_manager", args=[stay.enrollment_id]), {"case_manager": ""})
    stay.refresh_from_db()
    assert stay.case_manager is None


def test_a_case_manager_from_another_agency_is_refused_with_a_clear_message(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    stay = enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    response = signed_in(tenancy.worker_a).post(reverse("enrollments:case_manager", args=[stay.enrollment_id]),
                                                {"case_manager": tenancy.worker_b.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html and "Select a valid choice" in html
    stay.refresh_from_db()
    assert stay.case_manager is None


def test_another_agency_a_view_only_user_and_another_coc_cannot_name_the_case_manager(tenancy, signed_in):
    ada = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    stay = enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    url = reverse("enrollments:case_manager", args=[stay.enrollment_id])
    data = {"case_manager": tenancy.director_a.pk}
    assert signed_in(tenancy.worker_b).post(url, data).status_code == 403  # sees the shared stay, may not change it
    assert signed_in(tenancy.viewer_b).post(url, data).status_code == 403
    assert signed_in(tenancy.worker_c).post(url, data).status_code == 404
    stay_page = signed_in(tenancy.worker_b).get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert "Save case manager" not in stay_page
    stay.refresh_from_db()
    assert stay.case_manager is None


# --- Query count ------------------------------------------------------------------------------------
def test_the_dashboard_does_not_query_per_household_member_stay_or_contact(tenancy, signed_in,
                                                                          django_assert_max_num_queries):
    small = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Solo", last="Small")
    add_member(tenancy.worker_a, small, project=tenancy.shelter_a, roi=small.rois.get(), first="One", last="Small")
    enroll(tenancy.worker_a, small, tenancy.shelter_a)
    worker = signed_in(tenancy.worker_a)
    url = reverse("clients:detail", args=[small.client_id])
    worker.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small_page:
        assert worker.get(url).status_code == 200
    small_count = len(small_page.captured_queries)  # read now: the log is a window of the connection's

    big, kid, old, stay = family(tenancy)
    for n in range(3):
        add_member(tenancy.worker_a, big, project=tenancy.shelter_a, roi=big.rois.get(), first=f"Member{n}",
                   last="Okonkwo", dob=date(2010 + n, 1, 1))
    for n in range(3):
        stay_services.record_service(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), enrollment=stay,
                                     date_provided=dates.today(), type_provided=200 + n + 1)
    serve_too(tenancy.worker_b, big, project=tenancy.housing_b)
    enroll(tenancy.worker_b, big, tenancy.housing_b)
    big_url = reverse("clients:detail", args=[big.client_id])
    worker.get(big_url)
    with django_assert_max_num_queries(small_count):
        html = worker.get(big_url).content.decode()
    assert html.count('data-testid="household-member"') == 4


def test_c12_the_missing_data_flag_does_not_judge_demographics_the_viewer_may_not_see(tenancy, signed_in):
    """B recorded Ada under a limited consent (identifiers only), with sex and veteran status
    "data not collected". A serves her under its own full consent and sees her demographics as
    not shared: its missing-data flag must not name them either, or their absence would tell
    what B recorded."""
    ada = make_client(tenancy.worker_b, project=tenancy.housing_b, sharing="limited", veteran_status=99)
    serve_too(tenancy.worker_a, ada, project=tenancy.shelter_a)
    enroll(tenancy.worker_a, ada, tenancy.shelter_a)
    html = page_of(signed_in, tenancy.worker_a, ada)
    assert 'data-testid="demographics-not-shared"' in html
    flags = section(html, "flags")
    assert "veteran status" not in flags and "race and ethnicity" not in flags
