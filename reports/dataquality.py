"""D4: data quality in four parts (timeliness, completeness, accuracy, consistency),
per agency, project and user, for a period, with the records behind each number.

A record here is a project stay (enrollment) that started in the period, with its
client's Universal Data Elements and its project-start answers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from agencies.requirements import required_fields
from enrollments.models import Assessment, Enrollment

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


def problems_of(stay: Enrollment, start: Assessment | None) -> list[tuple[str, str]]:
    found = []
    client = stay.client
    if stay.entered_late:
        found.append(("timeliness", "Project start entered after the deadline"))
    missing = []
    for name, label in (("name_data_quality", "name"), ("ssn_data_quality", "SSN"), ("dob_data_quality", "date of birth"),
                        ("sex", "sex"), ("veteran_status", "veteran status")):
        if getattr(client, name) in NOT_ANSWERED:
            missing.append(label)
    if client.race_none in NOT_ANSWERED:
        missing.append("race and ethnicity")
    if stay.is_head and stay.living_situation in (None, *NOT_ANSWERED):
        missing.append("prior living situation")
    if stay.disabling_condition in NOT_ANSWERED:
        missing.append("disabling condition")
    if start is not None and stay.is_head:
        for name in sorted(required_fields(stay.project)):
            if getattr(start, name, None) in NOT_ANSWERED:
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
    return found


def stays_in_period(*, start: date, end: date, agency=None, project=None, user=None):
    stays = Enrollment.objects.filter(entry_date__range=(start, end)).select_related(
        "client", "project", "project__coc", "agency", "entered_by").prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.filter(stage=1), to_attr="start_assessments"),
        "project__funders")
    if agency is not None:
        stays = stays.filter(agency=agency)
    if project is not None:
        stays = stays.filter(project=project)
    if user is not None:
        stays = stays.filter(entered_by=user)
    return stays


def measure(stays, group_by: str):
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
        start = stay.start_assessments[0] if stay.start_assessments else None
        seen_parts = set()
        for part, problem in problems_of(stay, start):
            findings.append(Finding(stay, part, problem))
            if part not in seen_parts:
                group.failed[part] += 1
                seen_parts.add(part)
    for finding in findings:
        finding.group = (
            f"a{finding.enrollment.agency_id}" if group_by == "agency" else
            f"p{finding.enrollment.project_id}" if group_by == "project" else f"u{finding.enrollment.entered_by_id}")
    return sorted(groups.values(), key=lambda g: g.label), findings
