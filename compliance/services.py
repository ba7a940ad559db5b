"""Writes of training and recertification (U2–U5)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hmis import dates
from hmis.errors import PolicyError

from .models import AccessDecision, PracticeCase, TrainingAttempt, TrainingModule, UserAgreementSignature
from .training import USER_AGREEMENT_POLICIES

PROVISIONAL_DAYS = 30


@transaction.atomic
def take_quiz(*, user, module: TrainingModule, answers: dict) -> TrainingAttempt:
    """U2: the score is the percent of right answers; passing needs the module's score."""
    questions = module.questions
    if len(answers) != len(questions):
        raise PolicyError("Answer every question.")
    right = sum(1 for i, q in enumerate(questions) if answers.get(i) == q["answer"])
    score = round(100 * right / len(questions))
    return TrainingAttempt.objects.create(user=user, module=module, score=score, passed=score >= module.passing_score,
                                          fiscal_year=dates.fiscal_year_of(dates.today()))


@transaction.atomic
def sign_user_agreement(*, user, ticked: list[int]) -> UserAgreementSignature:
    if sorted(ticked) != list(range(len(USER_AGREEMENT_POLICIES))):
        raise PolicyError("Tick every policy: each one is part of the agreement.", rule="U2", field="policies")
    fiscal_year = dates.fiscal_year_of(dates.today())
    signature, _ = UserAgreementSignature.objects.get_or_create(
        user=user, fiscal_year=fiscal_year, defaults={"policies": USER_AGREEMENT_POLICIES})
    return signature


def _failures(user, project_type) -> int:
    return PracticeCase.objects.filter(user=user, project_type=project_type, status=PracticeCase.Status.FAILED).count()


@transaction.atomic
def submit_practice_case(*, user, project_type: int, segment: str, work: str) -> PracticeCase:
    from .training import practice_project_types, refused_until

    if refused_until(user):
        raise PolicyError(f"Access was refused; you may reapply from {refused_until(user):%m/%d/%Y}.", rule="U3")
    if project_type not in practice_project_types(user):
        raise PolicyError("That project type is not among your assigned projects.", rule="U5")
    if not work.strip():
        raise PolicyError("Describe what you entered for the practice client.", field="work")
    if PracticeCase.objects.filter(user=user, project_type=project_type, segment=segment,
                                   status__in=[PracticeCase.Status.SUBMITTED, PracticeCase.Status.PASSED]).exists():
        raise PolicyError("This segment is already submitted or passed.")
    return PracticeCase.objects.create(user=user, project_type=project_type, segment=segment, work=work.strip())


def attempts_allowed(user) -> int:
    """U3: the strictest practice_case_attempts of the CoCs the person works in."""
    from agencies.models import Coc, License

    cocs = Coc.objects.filter(agencies__licenses__user=user, agencies__licenses__status=License.Status.ACTIVE)
    return min((c.practice_case_attempts for c in cocs), default=3)


@transaction.atomic
def review_practice_case(*, actor, case: PracticeCase, passed: bool, note: str = "") -> PracticeCase:
    from hmis.notify import notify

    if not actor.is_system_admin:
        raise PolicyError("The HMIS Lead reviews practice cases.", rule="U2")
    if case.status != PracticeCase.Status.SUBMITTED:
        raise PolicyError("This practice case was already reviewed.")
    case.status = PracticeCase.Status.PASSED if passed else PracticeCase.Status.FAILED
    case.reviewed_by, case.reviewed_at, case.review_note = actor, timezone.now(), note
    case.save()
    notify([case.user], subject=f"Practice case {case.get_segment_display().lower()}: {case.get_status_display().lower()}",
           body=note, link="/training/", dedupe_key=f"practice-reviewed:{case.pk}")
    return case


def may_decide_access(user) -> bool:
    return max((_failures(user, t) for t in PracticeCase.objects.filter(user=user).values_list(
        "project_type", flat=True)), default=0) >= attempts_allowed(user)


@transaction.atomic
def decide_access(*, actor, user, kind: str, note: str = "") -> AccessDecision:
    """U3: refuse (reapply after the CoC's reapply_wait) or grant provisional access (30 days)."""
    from agencies.models import Coc, License

    if not actor.is_system_admin:
        raise PolicyError("The HMIS Lead decides.", rule="U3")
    if not may_decide_access(user):
        raise PolicyError(f"This is decided after {attempts_allowed(user)} failed practice cases.", rule="U3")
    today = dates.today()
    if kind == AccessDecision.Kind.PROVISIONAL:
        until = today + timedelta(days=PROVISIONAL_DAYS)
    else:
        cocs = Coc.objects.filter(agencies__licenses__user=user, agencies__licenses__status=License.Status.ACTIVE)
        months = max((c.reapply_wait_months for c in cocs), default=6)
        until = dates.add_months(today, months)
    return AccessDecision.objects.create(user=user, kind=kind, until=until, note=note, decided_by=actor)


def run_recertification(day=None) -> dict:
    """U4, daily and safe to run twice: in September people are warned; from 1 October
    the licenses of those who have not redone the user agreement and the yearly
    trainings are suspended, and restored once they finish."""
    from agencies.models import License
    from hmis.notify import notify

    from .training import training_complete

    day = day or dates.today()
    fiscal_year = dates.fiscal_year_of(day)
    next_start = dates.fiscal_year_start(fiscal_year + 1)
    warned = suspended = restored = 0
    licenses = License.objects.filter(status__in=[License.Status.ACTIVE, License.Status.SUSPENDED]).select_related("user")
    for license in licenses:
        user = license.user
        if license.status == License.Status.SUSPENDED and license.status_reason == RECERT_REASON:
            if training_complete(user, day):
                License.objects.filter(pk=license.pk).update(status=License.Status.ACTIVE, status_reason="")
                restored += 1
            continue
        if license.status != License.Status.ACTIVE:
            continue
        days_left = (next_start - day).days
        if days_left <= 30:
            warned += len(notify([user], subject=f"Recertify before {next_start:%m/%d/%Y}",
                                 body="Redo the User Agreement, Security & Privacy and Data Standards trainings for the new fiscal year.",
                                 link="/training/", dedupe_key=f"recert-warning:{fiscal_year + 1}"))
        if not training_complete(user, day):
            License.objects.filter(pk=license.pk).update(status=License.Status.SUSPENDED, status_reason=RECERT_REASON)
            suspended += 1
    return {"warned": warned, "suspended": suspended, "restored": restored}


RECERT_REASON = "Training or yearly recertification not done (U2, U4)"


def restore_if_complete(user) -> None:
    """Called when a person finishes a step: lift a recertification suspension at once."""
    from agencies.models import License

    from .training import training_complete

    if training_complete(user):
        License.objects.filter(user=user, status=License.Status.SUSPENDED, status_reason=RECERT_REASON).update(
            status=License.Status.ACTIVE, status_reason="")
