"""The sign-in gate's state is cached per session (hmis/gate.py) and every change that
affects it takes effect on the very next request, whoever makes it and however it is
written (a service's save, a job's QuerySet.update(), a bulk insert, a date passing).

Each test: a signed-in client makes a request (the state is cached), the change happens
through the service or job that makes it, and the next request answers as the uncached
code did. The last tests hold a signed-in page's fixed cost to 3 queries at most."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies import services as agency_services
from agencies.models import Agency, Coc, License
from compliance.models import TrainingAttempt, TrainingModule, UserAgreementSignature
from hmis import gate
from hmis.models import User
from hmis.notify import notify, notify_many
from tests.factories import AgencyFactory, LicenseFactory, UserFactory, sign_agreement

pytestmark = pytest.mark.django_db

SEARCH = "clients:search"  # CLIENT_DATA: an active, usable license in the agency context
INTAKE = "clients:intake_consent"  # DATA_ENTRY: also needs a current partner agreement (A2)


def warm(client, url_name=SEARCH, expected=200):
    """One request: the gate state is computed and kept in the session."""
    assert client.get(reverse(url_name)).status_code == expected
    assert gate.SESSION_GATE in client.session
    return client


def raw_sql(sql, params):
    """A change behind the application's back (no signal, no bump): used only to show a
    cached answer really is served from the cache."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_gate_state_is_served_from_the_session_until_something_bumps_it(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    raw_sql("UPDATE agencies_license SET status = 'suspended' WHERE user_id = %s", [tenancy.worker_a.pk])
    assert client.get(reverse(SEARCH)).status_code == 200  # cached: nothing told the gate
    gate.bump({tenancy.worker_a.pk})
    assert client.get(reverse(SEARCH)).status_code == 403


def test_u6_the_lead_suspending_a_license_refuses_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    license = License.objects.get(user=tenancy.worker_a)
    agency_services.license_update(actor=tenancy.admin, license=license, role=license.role,
                                   access_level=license.access_level, projects=list(license.projects.all()),
                                   status=License.Status.SUSPENDED, status_reason="Pending review")
    assert client.get(reverse(SEARCH)).status_code == 403


def test_u6_revoking_a_license_refuses_the_next_request(tenancy, signed_in):
    representative = UserFactory(username="rep_a")
    LicenseFactory(user=representative, agency=tenancy.agency_a, role=License.Role.AUTHORIZED_REPRESENTATIVE)
    client = warm(signed_in(tenancy.worker_a))
    agency_services.license_revoke(actor=representative, license=License.objects.get(user=tenancy.worker_a),
                                   left_on=timezone.localdate(), reason="Left the agency")
    assert client.get(reverse(SEARCH)).status_code == 403


def test_u4_the_daily_recertification_job_suspending_a_license_refuses_the_next_request(tenancy, signed_in):
    from compliance.services import run_recertification

    client = warm(signed_in(tenancy.worker_a))
    # The year's user agreement is missing; behind the gate's back, so only the job's
    # suspension (a QuerySet.update(), no signal) can tell the session.
    raw_sql("DELETE FROM compliance_useragreementsignature WHERE user_id = %s", [tenancy.worker_a.pk])
    assert client.get(reverse(SEARCH)).status_code == 200
    assert run_recertification()["suspended"] >= 1
    assert client.get(reverse(SEARCH)).status_code == 403


def test_s1_a_sanction_suspends_at_the_next_request(tenancy, signed_in):
    from compliance.sanctions import record_violation

    client = warm(signed_in(tenancy.worker_a))
    record_violation(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_a,
                     occurred_on=timezone.localdate(), description="Shared a password")
    assert client.get(reverse(SEARCH)).status_code == 403


def test_s1_the_sanction_job_paths_bump_without_signals(tenancy, signed_in):
    """suspend_person and lift_if_clear write with QuerySet.update() and notify nobody."""
    from compliance.sanctions import lift_if_clear, suspend_person

    client = warm(signed_in(tenancy.worker_a))
    assert suspend_person(tenancy.worker_a) == 1
    assert client.get(reverse(SEARCH)).status_code == 403
    assert lift_if_clear(tenancy.worker_a) == 1
    assert client.get(reverse(SEARCH)).status_code == 200


def test_a1_an_agreement_signed_lets_the_agencys_people_in_at_the_next_request(tenancy, signed_in):
    agency = AgencyFactory(name="Agency N", cocs=[tenancy.coc1], signed=False)
    worker = UserFactory(username="worker_n")
    LicenseFactory(user=worker, agency=agency)
    director = UserFactory(username="director_n")
    LicenseFactory(user=director, agency=agency, role=License.Role.EXECUTIVE_DIRECTOR)
    sign_agreement(tenancy.agency_a)  # a version to sign exists
    client = warm(signed_in(worker), expected=403)
    agency_services.agreement_sign(actor=director, agency=agency, signer_name="Nora Director",
                                   signer_title="Executive Director", agree=True)
    assert client.get(reverse(SEARCH)).status_code == 200


def test_a2_an_agreement_lapsing_on_its_date_stops_data_entry_at_the_next_request(tenancy, signed_in, settings):
    """Nothing is written when an agreement lapses: the day is part of the cache's key."""
    settings.APA_RENEWAL_DAYS = 30  # FY2026's signature holds until 31 October 2026
    start = timezone.make_aware(timezone.datetime(2026, 10, 31, 23, 58))
    with time_machine.travel(start, tick=False) as clock:
        agency = AgencyFactory(name="Agency R", cocs=[tenancy.coc1], signed=False)
        sign_agreement(agency, fiscal_year=2026)
        worker = UserFactory(username="worker_r")
        LicenseFactory(user=worker, agency=agency)
        client = warm(signed_in(worker), INTAKE)  # renewal due: data entry still allowed
        clock.shift(timedelta(minutes=4))  # 1 November: lapsed
        assert client.get(reverse(INTAKE)).status_code == 403


def test_u2_training_completed_lets_the_person_in_at_the_next_request(tenancy, signed_in):
    from compliance.services import take_quiz

    module = TrainingModule.objects.order_by("position").first()
    TrainingAttempt.objects.filter(user=tenancy.worker_a, module=module).delete()
    client = warm(signed_in(tenancy.worker_a), expected=403)
    take_quiz(user=tenancy.worker_a, module=module, answers={i: q["answer"] for i, q in enumerate(module.questions)})
    assert client.get(reverse(SEARCH)).status_code == 200


def test_u2_the_user_agreement_signed_lets_the_person_in_at_the_next_request(tenancy, signed_in):
    from compliance.services import sign_user_agreement
    from compliance.training import USER_AGREEMENT_POLICIES

    UserAgreementSignature.objects.filter(user=tenancy.worker_a).delete()
    client = warm(signed_in(tenancy.worker_a), expected=403)
    sign_user_agreement(user=tenancy.worker_a, ticked=list(range(len(USER_AGREEMENT_POLICIES))))
    assert client.get(reverse(SEARCH)).status_code == 200


def test_u2_a_new_training_module_is_owed_by_everyone_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    TrainingModule.objects.create(code="new-course", title="New course", body="Read this.",
                                  questions=[{"q": "?", "choices": ["a", "b"], "answer": 0}])
    assert client.get(reverse(SEARCH)).status_code == 403


def test_u2_a_returning_user_repeats_the_training(tenancy, signed_in):
    """training_reset_at is on the user row: part of the cache's key, not bumped."""
    client = warm(signed_in(tenancy.worker_a))
    User.objects.filter(pk=tenancy.worker_a.pk).update(training_reset_at=timezone.now() + timedelta(seconds=1))
    assert client.get(reverse(SEARCH)).status_code == 403


def test_u9_the_cocs_idle_lock_changed_applies_at_the_next_request(tenancy, signed_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = warm(signed_in(tenancy.worker_a), "home")  # the default 15 minutes is cached
        agency_services.coc_save(actor=tenancy.admin, coc=Coc.objects.get(pk=tenancy.coc1.pk), idle_lock_minutes=5)
        clock.shift(timedelta(minutes=6))
        locked = client.get(reverse("home"))
        assert locked.status_code == 302 and locked["Location"].startswith(reverse("session_locked"))


def test_u9_a_cocs_idle_lock_changed_in_bulk_applies_at_the_next_request(tenancy, signed_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = warm(signed_in(tenancy.worker_a), "home")
        Coc.objects.filter(pk=tenancy.coc1.pk).update(idle_lock_minutes=5)
        clock.shift(timedelta(minutes=6))
        assert client.get(reverse("home"))["Location"].startswith(reverse("session_locked"))


def test_a10_an_agency_suspended_for_a_further_breach_refuses_its_people_at_the_next_request(tenancy, signed_in):
    from compliance.oversight import report_breach, suspend_for_breach

    client = warm(signed_in(tenancy.worker_a))
    now = timezone.now()
    report_breach(actor=tenancy.admin, agency=tenancy.agency_a, discovered_at=now, description="Lost laptop")
    assert client.get(reverse(SEARCH)).status_code == 200  # probation: still participating
    report_breach(actor=tenancy.admin, agency=tenancy.agency_a, discovered_at=now, description="Again")
    suspend_for_breach(actor=tenancy.admin, agency=Agency.objects.get(pk=tenancy.agency_a.pk))
    assert Agency.objects.get(pk=tenancy.agency_a.pk).status == Agency.Status.SUSPENDED
    assert client.get(reverse(SEARCH)).status_code == 403


def test_a4_an_agency_terminated_refuses_its_people_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    Agency.objects.filter(pk=tenancy.agency_a.pk).update(termination_date=timezone.localdate())
    assert agency_services.run_terminations() == 1
    assert client.get(reverse(SEARCH)).status_code == 403


def test_an_agency_status_changed_by_the_admin_form_applies_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    agency_services.agency_save(actor=tenancy.admin, agency=Agency.objects.get(pk=tenancy.agency_a.pk),
                                status=Agency.Status.SUSPENDED)
    assert client.get(reverse(SEARCH)).status_code == 403


def test_t4_switching_agency_context_applies_at_the_next_request(tenancy, signed_in):
    LicenseFactory(user=tenancy.worker_a, agency=tenancy.agency_b, projects=[tenancy.housing_b])
    client = signed_in(tenancy.worker_a)
    assert "You are working for Agency A" in client.get(reverse("home")).content.decode()
    client.post(reverse("switch_agency"), {"agency": tenancy.agency_b.pk})
    page = client.get(reverse("home")).content.decode()
    assert "You are working for Agency B" in page and "B Housing" in page


def test_t4_a_license_granted_at_another_agency_shows_in_the_switcher_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a), "home")
    assert "Switch agency" not in client.get(reverse("home")).content.decode()
    agency_services.license_grant(actor=tenancy.admin, user=tenancy.worker_a, agency=tenancy.agency_b,
                                  role=License.Role.END_USER, access_level=License.AccessLevel.FULL,
                                  projects=[tenancy.housing_b], override_reason="Covering for a colleague")
    assert "Switch agency" in client.get(reverse("home")).content.decode()


def test_t5_projects_assigned_in_bulk_change_the_practice_cases_owed_at_the_next_request(tenancy, signed_in):
    """U5: a project of a type the person has no practice case for makes them owe one."""
    from compliance.models import PracticeCase

    PracticeCase.objects.filter(user=tenancy.worker_a, project_type=tenancy.outreach_a.project_type).delete()
    client = warm(signed_in(tenancy.worker_a))
    License.objects.get(user=tenancy.worker_a).projects.add(tenancy.outreach_a)
    assert client.get(reverse(SEARCH)).status_code == 403
    tenancy.outreach_a.licenses.clear()  # from the project's side
    assert client.get(reverse(SEARCH)).status_code == 200


def test_u10_removing_the_second_factor_asks_for_it_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a))
    agency_services.person_reset_second_factor(actor=tenancy.admin, person=tenancy.worker_a)
    response = client.get(reverse(SEARCH))
    # the reset also ends the one session (U8): sign in again, then enrol a new device
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("login"), reverse("two_factor_setup")))


def test_u10_a_device_unconfirmed_behind_the_session_asks_for_it_at_the_next_request(tenancy, signed_in):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = warm(signed_in(tenancy.worker_a))
    device = TOTPDevice.objects.get(user=tenancy.worker_a)
    device.confirmed = False
    device.save()
    response = client.get(reverse(SEARCH))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))


def test_alerts_in_the_header_count_new_and_read_alerts_at_the_next_request(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a), "home")
    notify([tenancy.worker_a], subject="ROI expiring for client X1", email=False)
    notify_many([(tenancy.worker_a, "Late entry", "", "", "late:1")], email=False)
    assert 'Alerts <span class="usa-tag">2</span>' in client.get(reverse("home")).content.decode()
    client.get(reverse("notifications"))  # reading marks them read (a QuerySet.update())
    assert 'Alerts <span class="usa-tag">' not in client.get(reverse("home")).content.decode()


def test_u8_u10_the_real_sign_in_flow_caches_the_gate_once_verified(tenancy, password):
    """Through the real pages (the session key may be rotated after the second factor):
    the state cached before the code was accepted is not used after it, and the one
    session (U8) is checked against the user row, never the cache."""
    from django.test import Client

    from tests.factories import confirmed_totp_device
    from tests.hmis.test_sign_in import current_code, password_step

    device = confirmed_totp_device(tenancy.worker_a)
    client = Client()
    password_step(client, tenancy.worker_a, password)
    assert client.get(reverse(SEARCH))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse(SEARCH)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(SEARCH)).status_code == 200
    assert not [q for q in queries if "otp_totp" in q["sql"] or "agencies_license" in q["sql"]]

    device.refresh_from_db()
    device.last_t = -1  # the same 30-second code again, from a second browser
    device.save()
    other = Client()
    password_step(other, tenancy.worker_a, password)
    other.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert other.get(reverse(SEARCH)).status_code == 200
    assert client.get(reverse(SEARCH))["Location"].startswith(reverse("login"))


def test_every_model_the_gate_reads_bumps_on_bulk_writes_too():
    """QuerySet.update() and bulk_create() send no signals: these models' default
    manager bumps the gate version itself (hmis/gate.py)."""
    for label in gate.USERS_OF:
        model = apps.get_model(label)
        if model._meta.app_label.startswith("otp_"):
            continue  # django-otp's own models: written one by one through save() and delete()
        assert isinstance(model._default_manager.all(), gate.GateQuerySet), label


def test_a_full_save_of_a_stale_user_does_not_undo_a_bump(tenancy):
    stale = User.objects.get(pk=tenancy.worker_a.pk)
    gate.bump({tenancy.worker_a.pk})
    stale.first_name = "Changed"
    stale.save()
    fresh = User.objects.get(pk=tenancy.worker_a.pk)
    assert fresh.first_name == "Changed" and fresh.gate_version == stale.gate_version + 1


# --- Cost ---------------------------------------------------------------------------------

GATE_TABLES = ("agencies_license", "agencies_coc", "agencies_agreementsignature", "compliance_",
               "otp_totp", "otp_static", "agencies_agency")


def test_a_signed_in_pages_fixed_cost_is_at_most_three_queries(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a), "home")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("session_heartbeat")).status_code == 204  # a page with no work of its own
    assert len(queries) <= 3, [q["sql"][:80] for q in queries]


def test_a_rendered_page_reads_nothing_of_the_gate_with_the_cache_warm(tenancy, signed_in):
    client = warm(signed_in(tenancy.worker_a), "notifications")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications")).status_code == 200
    sql = [q["sql"] for q in queries]
    assert not [s for s in sql if any(table in s for table in GATE_TABLES)], sql
    assert not [s for s in sql if "hmis_notification" in s and "read_at" in s and "COUNT" in s], sql
    # session, user; then the page's own: its alerts counted for the pager and listed
    assert len(sql) <= 3 + 2, sql


def test_an_administrators_fixed_cost_is_at_most_three_queries(tenancy, signed_in):
    client = warm(signed_in(tenancy.admin), "home")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("session_heartbeat")).status_code == 204
    assert len(queries) <= 3, [q["sql"][:80] for q in queries]
