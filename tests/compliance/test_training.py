"""U2–U5: credentials are usable once training, practice cases and the user agreement
are done; yearly recertification suspends and restores."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from agencies.models import License
from compliance.models import AccessDecision, PracticeCase, TrainingAttempt, TrainingModule
from compliance.services import run_recertification
from compliance.training import USER_AGREEMENT_POLICIES, training_complete
from tests.factories import LicenseFactory, UserFactory, complete_training
from tests.timetravel import noon

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(tenancy):
    user = UserFactory(username="newcomer")
    LicenseFactory(user=user, agency=tenancy.agency_a, projects=[tenancy.shelter_a], trained=False)
    return user


def pass_course(client, code):
    course = TrainingModule.objects.get(code=code)
    return client.post(reverse("compliance:module", args=[code]),
                       {f"q{i}": q["answer"] for i, q in enumerate(course.questions)})


def test_u2_nothing_is_usable_before_every_training_step_is_done(newcomer, signed_in, tenancy):
    client = signed_in(newcomer)
    assert "Finish your training" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("clients:search")).status_code == 403
    for code in ("security-privacy", "data-standards", "software-basics"):
        assert pass_course(client, code).status_code == 302
    wrong = client.post(reverse("compliance:module", args=["software-basics"]), {"q0": 2, "q1": 2, "q2": 2})
    assert "is needed" in wrong.content.decode() or wrong.status_code == 302
    partial = client.post(reverse("compliance:user_agreement"), {"policies": [0, 1]})
    assert "Tick every policy" in partial.content.decode() or "This field" in partial.content.decode()
    client.post(reverse("compliance:user_agreement"), {"policies": list(range(len(USER_AGREEMENT_POLICIES)))})
    for segment in ("entry", "update", "exit"):
        client.post(reverse("compliance:practice", args=[0, segment]), {"work": f"Practice {segment} entered"})
    assert not training_complete(newcomer)  # waits for the HMIS Lead's review
    admin = signed_in(tenancy.admin)
    for case in PracticeCase.objects.filter(user=newcomer):
        admin.post(reverse("compliance:review", args=[case.pk]), {"decision": "pass"})
    assert training_complete(newcomer)
    assert client.get(reverse("clients:search")).status_code == 200


def test_u5_a_new_project_type_needs_its_practice_case(tenancy):
    license = License.objects.get(user=tenancy.worker_b)
    PracticeCase.objects.filter(user=tenancy.worker_b, project_type=6).delete()
    assert training_complete(tenancy.worker_b)  # Services Only not assigned yet
    license.projects.add(tenancy.protected_b)  # a Services Only project
    assert not training_complete(tenancy.worker_b)


def test_u3_after_repeated_failures_the_lead_refuses_or_grants_provisional_access(newcomer, tenancy, signed_in):
    client = signed_in(newcomer)
    admin = signed_in(tenancy.admin)
    for attempt in range(3):
        client.post(reverse("compliance:practice", args=[0, "entry"]), {"work": f"try {attempt}"})
        case = PracticeCase.objects.filter(user=newcomer, status="submitted").get()
        admin.post(reverse("compliance:review", args=[case.pk]), {"decision": "fail", "note": "Prior living situation missing"})
    assert newcomer.username in admin.get(reverse("compliance:reviews")).content.decode()
    admin.post(reverse("compliance:decide", args=[newcomer.pk]), {"kind": "provisional"})
    decision = AccessDecision.objects.get(user=newcomer)
    assert (decision.until - date.today()).days == 30
    admin.post(reverse("compliance:decide", args=[newcomer.pk]), {"kind": "refused"})
    refused = AccessDecision.objects.filter(user=newcomer, kind="refused").get()
    assert refused.until.month == (date.today().month + 6 - 1) % 12 + 1  # the CoC's reapply wait: 6 months
    assert not training_complete(newcomer)
    blocked = client.post(reverse("compliance:practice", args=[0, "entry"]), {"work": "again"})
    assert "may reapply" in blocked.content.decode()


def test_u2_a_returning_user_repeats_the_training(tenancy):
    from django.utils import timezone

    assert training_complete(tenancy.worker_a)
    tenancy.worker_a.training_reset_at = timezone.now()
    tenancy.worker_a.save()
    assert not training_complete(tenancy.worker_a)


def test_u4_recertification_suspends_on_1_october_and_restores_when_done(tenancy, signed_in):
    license = License.objects.get(user=tenancy.worker_a)
    with time_machine.travel(noon(date(2027, 9, 15))):
        complete_training(tenancy.worker_a, fiscal_year=2027)
        run_recertification()
        from hmis.models import Notification

        assert Notification.objects.filter(recipient=tenancy.worker_a, subject__contains="Recertify").exists()
        license.refresh_from_db()
        assert license.status == "active"
    with time_machine.travel(noon(date(2027, 10, 2))):
        from tests.factories import sign_agreement

        sign_agreement(tenancy.agency_a, fiscal_year=2028)
        run_recertification()
        run_recertification()
        license.refresh_from_db()
        assert license.status == "suspended" and "recertification" in license.status_reason
        client = signed_in(tenancy.worker_a)
        for code in ("security-privacy", "data-standards"):
            pass_course(client, code)
        client.post(reverse("compliance:user_agreement"), {"policies": list(range(len(USER_AGREEMENT_POLICIES)))})
        license.refresh_from_db()
        assert license.status == "active"  # restored as soon as the last step was done
        assert TrainingAttempt.objects.filter(user=tenancy.worker_a, fiscal_year=2028, passed=True).count() == 2


def test_u2_u5_the_one_query_answer_agrees_with_the_step_list(newcomer, tenancy):
    """training_complete answers in one query on every request; the training page shows
    steps_for. Both must say the same thing in every state a person passes through."""
    from django.utils import timezone

    from compliance.training import refused_until, steps_for
    from hmis.models import User

    def agree(user, expected, day=None):
        user = User.objects.get(pk=user.pk)
        by_steps = not refused_until(user, day) and all(step.done for step in steps_for(user, day))
        assert training_complete(user, day) is by_steps is expected

    agree(newcomer, False)
    for module in TrainingModule.objects.all():
        TrainingAttempt.objects.create(user=newcomer, module=module, score=100, passed=True, fiscal_year=2027)
        agree(newcomer, False)
    from compliance.models import UserAgreementSignature

    UserAgreementSignature.objects.create(user=newcomer, fiscal_year=2027, policies=USER_AGREEMENT_POLICIES)
    agree(newcomer, False, date(2026, 12, 1))  # the practice cases for the shelter are missing
    for segment in ("entry", "update"):
        PracticeCase.objects.create(user=newcomer, project_type=0, segment=segment, work="w", status="passed")
    PracticeCase.objects.create(user=newcomer, project_type=0, segment="exit", work="w", status="failed")
    agree(newcomer, False, date(2026, 12, 1))
    PracticeCase.objects.create(user=newcomer, project_type=0, segment="exit", work="w", status="passed")
    agree(newcomer, True, date(2026, 12, 1))
    agree(newcomer, False, date(2027, 10, 5))  # a new fiscal year: yearly courses and the agreement again
    License.objects.filter(user=newcomer).update(role=License.Role.DESIGNATED_CONTACT)
    agree(newcomer, True, date(2026, 12, 1))  # no end-user projects, no practice cases needed
    License.objects.filter(user=newcomer).update(role=License.Role.END_USER)
    License.objects.get(user=newcomer).projects.add(tenancy.protected_b)  # a Services Only project
    agree(newcomer, False, date(2026, 12, 1))
    AccessDecision.objects.create(user=newcomer, kind="provisional", until=date(2026, 12, 31), decided_by=tenancy.admin)
    agree(newcomer, True, date(2026, 12, 1))
    agree(newcomer, False, date(2027, 1, 2))  # provisional access ended
    AccessDecision.objects.create(user=newcomer, kind="refused", until=date(2027, 6, 1), decided_by=tenancy.admin)
    agree(newcomer, False, date(2026, 12, 1))
    AccessDecision.objects.filter(kind="refused").delete()
    newcomer.training_reset_at = timezone.now()
    newcomer.save()
    agree(newcomer, False, date(2026, 12, 1))  # a returning user starts again
