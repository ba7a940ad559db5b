"""D4: data quality in four parts (timeliness, completeness, accuracy, consistency),
per agency, project and user, for a period, with the records behind each number.

A record here is a project stay (enrollment) that started in the period, with its
client's Universal Data Elements and its project-start answers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch

from agencies.requirements import required_fields
from enrollments.models import Assessment, Enrollment
from enrollments.services import asks_prior_living
from enrollments.validation import DERIVED, prior_living_questions
from hmis import dates

NOT_ANSWERED = {8, 9, 99}
UNKNOWN_DESTINATIONS = {8, 9, 99, 30}
DISABILITIES = ["physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
                "mental_health_disorder", "substance_use_disorder"]
PARTS = ["timeliness", "completeness", "accuracy", "consistency"]
PART_LABELS = {"timeliness": "Timeliness", "completeness": "Completeness", "accuracy": "Accuracy",
               "consistency": "Consistency"}


@dataclass
class Finding:
    enrollment: Enrollment
    part: str
    problem: str


@dataclass
class Group:
    key: str
    label: str
    total: int = 0
    failed: dict = field(default_factory=lambda: defaultdict(int))

    def percent(self, part: str) -> int:
        if not self.total:
            return 100
        return round(100 * (self.total - self.failed[part]) / self.total)

    @property
    def percents(self) -> list[tuple[str, str, int, int]]:
        return [(part, PART_LABELS[part], self.percent(part), self.failed[part]) for part in PARTS]


def problems_of(stay: Enrollment, start: Assessment | None, as_of: date | None = None,
                hidden=frozenset()) -> list[tuple[str, str]]:
    """``hidden``: the client-row fields the reader may not see (consent/visibility.values_not_shown):
    not judged, as "not answered" or its absence would tell what another agency recorded (C12, C10)."""
    found = []
    client = stay.client
    if stay.entered_late:
        found.append(("timeliness", "Project start entered after the deadline"))
    missing = []
    for name, label in (("name_data_quality", "name"), ("ssn_data_quality", "SSN"), ("dob_data_quality", "date of birth"),
                        ("sex", "sex"), ("veteran_status", "veteran status")):
        if name in hidden:
            continue
        if getattr(client, name) in (None, *NOT_ANSWERED):  # empty: an import kept it as given (H3)
            missing.append(label)
    if "race_none" not in hidden and client.race_none in NOT_ANSWERED:
        missing.append("race and ethnicity")
    if asks_prior_living(stay):  # 3.917: heads of household and adults
        if stay.living_situation in (None, *NOT_ANSWERED):
            missing.append("prior living situation")
        # The follow-ups HUD asks for this project type and these answers (3.917A/B).
        for name in prior_living_questions(stay.project.project_type, vars(stay)):
            if name != "living_situation" and name not in DERIVED and getattr(stay, name) is None:
                missing.append(Enrollment._meta.get_field(name).verbose_name.split(" (")[0])
    if stay.disabling_condition in (None, *NOT_ANSWERED):
        missing.append("disabling condition")
    if start is not None and stay.is_head:
        from enrollments.elements import BY_CODE

        for name in sorted(required_fields(stay.project)):
            if not hasattr(start, name) or (name in BY_CODE["W4-W6"].asks and start.hiv_aids != 1):
                continue  # the stay's own (4.13); HOPWA's T-cell questions follow HIV/AIDS "Yes" only
            # Not asked (null, H1) is as incomplete as 8, 9 or 99.
            if getattr(start, name) is None or getattr(start, name) in NOT_ANSWERED:
                missing.append(Assessment._meta.get_field(name).verbose_name.split(" (")[0])
    if missing:
        found.append(("completeness", "Not answered: " + ", ".join(missing)))
    if client.dob and client.dob > stay.entry_date:
        found.append(("accuracy", "Date of birth after the project start"))
    elif client.dob and (stay.entry_date - client.dob).days > 365 * 100:
        found.append(("accuracy", "Over 100 years old at project start"))
    if stay.exit_date and stay.destination in UNKNOWN_DESTINATIONS:
        found.append(("accuracy", "Destination unknown at exit"))
    if start is not None:
        answers = [getattr(start, name) for name in DISABILITIES]
        if stay.disabling_condition == 1 and all(a == 0 for a in answers):
            found.append(("consistency", "Disabling condition Yes, but every disability No"))
        if stay.disabling_condition == 0 and any(a == 1 for a in answers):
            found.append(("consistency", "Disabling condition No, but a disability Yes"))
        if start.income_from_any_source == 1 and not start.total_monthly_income:
            found.append(("consistency", "Income Yes, but no monthly amount"))
    if stay.move_in_date and stay.move_in_date < stay.entry_date:
        found.append(("consistency", "Move-in date before the project start"))
    found += income_problems(stay, getattr(stay, "all_assessments", None), as_of)
    return found


# HUD's Data Quality report (Q4, "Income and housing data quality") counts income and
# sources at project start, at each annual assessment and at exit for heads of household
# and adults, in projects that collect 4.02. An answer is an error when it is missing or
# 8/9/99, when "Yes" names no source, or when "No" names one.
ANNUAL_WINDOW_DAYS = 30


def income_answer_problem(assessment: Assessment | None) -> str | None:
    from enrollments.elements import INCOME_SOURCES

    if assessment is None or assessment.income_from_any_source in (None, *NOT_ANSWERED):
        return "not answered"
    sources_yes = [s for s, _, _, _, _ in INCOME_SOURCES if getattr(assessment, s) == 1]
    if assessment.income_from_any_source == 1 and not sources_yes:
        return "Yes, but no source named"
    if assessment.income_from_any_source == 0 and sources_yes:
        return "No, but a source named"
    return None


def annual_due_dates(stay: Enrollment, as_of: date) -> list[date]:
    """Each anniversary of the stay's start up to ``as_of`` whose 30-day window has
    closed (5.03: the annual assessment is due within 30 days either side of it). HUD
    counts from the head of household's start; a member enrolled with the head has the
    same start, and we read a member who joined later by their own start."""
    last = min(as_of, stay.exit_date) if stay.exit_date else as_of
    dates, years = [], 1
    while True:
        try:
            due = stay.entry_date.replace(year=stay.entry_date.year + years)
        except ValueError:  # 29 February
            due = stay.entry_date.replace(year=stay.entry_date.year + years, day=28)
        if due + timedelta(days=ANNUAL_WINDOW_DAYS) > last:
            return dates
        dates.append(due)
        years += 1


def income_problems(stay: Enrollment, assessments, as_of: date | None) -> list[tuple[str, str]]:
    from agencies.requirements import required_elements
    from enrollments.elements import is_adult_or_head

    if assessments is None or "4.02" not in required_elements(stay.project):
        return []
    if not is_adult_or_head(stay, stay.entry_date):
        return []
    as_of = as_of or dates.today()
    by_stage = defaultdict(list)
    for a in assessments:
        by_stage[a.stage].append(a)
    found = []
    start = (by_stage[1] or [None])[0]
    if (problem := income_answer_problem(start)) == "not answered":
        found.append(("completeness", "Income and sources at project start not answered"))
    elif problem:
        found.append(("accuracy", f"Income at project start: {problem}"))
    for due in annual_due_dates(stay, as_of):
        window = (due - timedelta(days=ANNUAL_WINDOW_DAYS), due + timedelta(days=ANNUAL_WINDOW_DAYS))
        annual = [a for a in by_stage[5] if window[0] <= a.information_date <= window[1]]
        if not annual:
            found.append(("timeliness", f"No annual assessment within 30 days of {due:%m/%d/%Y}"))
        elif problem := income_answer_problem(annual[-1]):
            part = "completeness" if problem == "not answered" else "accuracy"
            found.append((part, f"Income at the annual assessment of {due:%m/%d/%Y}: {problem}"))
    if stay.exit_date:
        exit_assessment = (by_stage[3] or [None])[-1]
        if (problem := income_answer_problem(exit_assessment)) == "not answered":
            found.append(("completeness", "Income and sources at exit not answered"))
        elif problem:
            found.append(("accuracy", f"Income at exit: {problem}"))
    return found


def stays_in_period(*, start: date, end: date, agency=None, project=None, user=None):
    stays = Enrollment.objects.filter(entry_date__range=(start, end)).select_related(
        "client", "project", "project__coc", "agency", "entered_by").prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.order_by("information_date", "pk"), to_attr="all_assessments"),
        "project__funders")
    if agency is not None:
        stays = stays.filter(agency=agency)
    if project is not None:
        stays = stays.filter(project=project)
    if user is not None:
        stays = stays.filter(entered_by=user)
    return stays


def measure(stays, group_by: str, as_of: date | None = None):
    """Groups (by 'agency', 'project' or 'user') with their failure counts, and every finding."""
    groups: dict[str, Group] = {}
    findings: list[Finding] = []
    for stay in stays:
        if group_by == "agency":
            key, label = f"a{stay.agency_id}", stay.agency.name
        elif group_by == "project":
            key, label = f"p{stay.project_id}", f"{stay.project.name} ({stay.agency.name})"
        else:
            key, label = f"u{stay.entered_by_id}", stay.entered_by.display_name
        group = groups.setdefault(key, Group(key, label))
        group.total += 1
        start = next((a for a in stay.all_assessments if a.stage == 1), None)
        seen_parts = set()
        for part, problem in problems_of(stay, start, as_of):
            findings.append(Finding(stay, part, problem))
            if part not in seen_parts:
                group.failed[part] += 1
                seen_parts.add(part)
    for finding in findings:
        finding.group = (
            f"a{finding.enrollment.agency_id}" if group_by == "agency" else
            f"p{finding.enrollment.project_id}" if group_by == "project" else f"u{finding.enrollment.entered_by_id}")
    return sorted(groups.values(), key=lambda g: g.label), findings
