"""What a person still has to do before their credentials are usable (U2, U3, U5),
and again each HUD fiscal year (U4). One function, read by License.is_active."""

from dataclasses import dataclass

from hmis import dates

from .models import AccessDecision, PracticeCase, TrainingAttempt, TrainingModule, UserAgreementSignature

USER_AGREEMENT_POLICIES = [
    "I keep my username and password to myself and never let anyone else use my account.",
    "I enter a client's information only after their consent is recorded, and only what their consent allows.",
    "I look at client records only when I need them for my work with that client.",
    "I never send names, dates of birth or Social Security Numbers by email or text: only the HMIS Client ID.",
    "I lock or sign out when I leave my workstation, and I keep printed records locked away.",
    "I report a suspected breach of client information to my agency and the HMIS Lead at once.",
    "I know that violations are recorded against me and can end my access.",
]


@dataclass
class Step:
    label: str
    done: bool
    url_name: str = ""
    args: tuple = ()

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name, args=self.args) if self.url_name else ""


def practice_project_types(user) -> set[int]:
    """U5: the project types of the projects assigned to the person's end-user licenses."""
    from agencies.models import License, Project

    licenses = License.objects.filter(user=user, status=License.Status.ACTIVE, role=License.Role.END_USER)
    return set(Project.objects.filter(licenses__in=licenses).values_list("project_type", flat=True))


def _since(queryset, user, field):
    return queryset.filter(**{f"{field}__gte": user.training_reset_at}) if user.training_reset_at else queryset


def steps_for(user, day=None) -> list[Step]:
    from agencies.hud_lists import ProjectType

    day = day or dates.today()
    fiscal_year = dates.fiscal_year_of(day)
    steps = []
    # One query per kind of record, whatever the number of courses or project types:
    # this runs on every request through License.is_active.
    attempts = _since(TrainingAttempt.objects.filter(user=user, passed=True), user, "taken_at")
    passed_any = set(attempts.values_list("module_id", flat=True))
    passed_this_year = set(attempts.filter(fiscal_year=fiscal_year).values_list("module_id", flat=True))
    for module in TrainingModule.objects.all():
        done = module.pk in (passed_this_year if module.recertify_yearly else passed_any)
        steps.append(Step(f"Pass the {module.title} training", done, "compliance:module", (module.code,)))
    signed = _since(UserAgreementSignature.objects.filter(user=user, fiscal_year=fiscal_year), user, "signed_at")
    steps.append(Step(f"Sign the User Policy and Responsibilities Agreement for FY{fiscal_year}", signed.exists(),
                      "compliance:user_agreement"))
    project_types = sorted(practice_project_types(user))
    if project_types:
        provisional = AccessDecision.objects.filter(user=user, kind=AccessDecision.Kind.PROVISIONAL, until__gte=day).exists()
        passed = set(_since(PracticeCase.objects.filter(user=user, status=PracticeCase.Status.PASSED), user, "submitted_at")
                     .values_list("project_type", "segment"))
    for project_type in project_types:
        label = ProjectType(project_type).label
        for segment, segment_label in PracticeCase.Segment.choices:
            done = provisional or (project_type, segment) in passed
            steps.append(Step(f"Practice case for {label}: {segment_label} (reviewed by the HMIS Lead)", done,
                              "compliance:practice", (project_type, segment)))
    return steps


def refused_until(user, day=None):
    day = day or dates.today()
    decision = AccessDecision.objects.filter(user=user, kind=AccessDecision.Kind.REFUSED, until__gt=day).first()
    return decision.until if decision else None


# All of steps_for done and no refusal in force, as one SQL statement. It runs whenever a
# session's gate state is recomputed (License.is_active; hmis/gate.py caches the answer);
# written out because building the same query with the ORM took 8 times longer than
# running it. Portable: PostgreSQL and SQLite.
TRAINING_COMPLETE_SQL = """
SELECT
  EXISTS (SELECT 1 FROM compliance_accessdecision
          WHERE user_id = %(user)s AND kind = 'refused' AND until > %(day)s) AS refused,
  EXISTS (SELECT 1 FROM compliance_trainingmodule m
          WHERE NOT EXISTS (SELECT 1 FROM compliance_trainingattempt a
                            WHERE a.user_id = %(user)s AND a.module_id = m.id AND a.passed
                              AND (%(reset)s IS NULL OR a.taken_at >= %(reset)s)
                              AND (NOT m.recertify_yearly OR a.fiscal_year = %(fiscal_year)s))) AS module_missing,
  EXISTS (SELECT 1 FROM compliance_useragreementsignature s
          WHERE s.user_id = %(user)s AND s.fiscal_year = %(fiscal_year)s
            AND (%(reset)s IS NULL OR s.signed_at >= %(reset)s)) AS signed,
  EXISTS (SELECT 1 FROM compliance_accessdecision
          WHERE user_id = %(user)s AND kind = 'provisional' AND until >= %(day)s) AS provisional,
  EXISTS (SELECT 1 FROM agencies_project p
          JOIN agencies_license_projects lp ON lp.project_id = p.id
          JOIN agencies_license l ON l.id = lp.license_id
          JOIN ({segments}) segments ON 1 = 1
          WHERE l.user_id = %(user)s AND l.role = 'end_user' AND l.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM compliance_practicecase c
                            WHERE c.user_id = %(user)s AND c.status = 'passed' AND c.project_type = p.project_type
                              AND c.segment = segments.segment
                              AND (%(reset)s IS NULL OR c.submitted_at >= %(reset)s))) AS practice_missing
""".replace("{segments}", " UNION ALL ".join(f"SELECT '{segment}' AS segment" for segment in PracticeCase.Segment.values))


def training_complete(user, day=None) -> bool:
    """steps_for(user) all done and no refusal in force (U2-U5), in one query.
    tests/compliance/test_training.py holds both to the same answers."""
    from django.db import connection

    if getattr(user, "is_system_admin", False):
        return True
    day = day or dates.today()
    with connection.cursor() as cursor:
        cursor.execute(TRAINING_COMPLETE_SQL, {
            "user": user.pk, "day": connection.ops.adapt_datefield_value(day), "fiscal_year": dates.fiscal_year_of(day),
            "reset": connection.ops.adapt_datetimefield_value(user.training_reset_at)})
        refused, module_missing, signed, provisional, practice_missing = cursor.fetchone()
    return not refused and not module_missing and bool(signed) and (bool(provisional) or not practice_missing)
