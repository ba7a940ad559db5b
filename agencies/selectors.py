"""Reads of tenancy data (DESIGN conv. 2). Views never query models directly."""

from django.db.models import Count, Q, QuerySet

from hmis.models import User

from .models import Agency, Coc, License, Project


def active_licenses_for(user) -> QuerySet[License]:
    """T4: the licenses a person can work under now, one agency context at a time."""
    return (
        License.objects.filter(
            user=user,
            status=License.Status.ACTIVE,
            agency__status__in=[
                Agency.Status.ONBOARDING,
                Agency.Status.PARTICIPATING,
                Agency.Status.PROBATION,
            ],
        )
        .select_related("agency")
        .order_by("agency__name")
    )


def inactive_licenses_for(user) -> QuerySet[License]:
    return (
        License.objects.filter(user=user)
        .exclude(pk__in=active_licenses_for(user).values("pk"))
        .select_related("agency")
    )


def projects_for_data_entry(license: License | None) -> QuerySet[Project]:
    """T5: end users reach only the projects assigned to them; other roles at the
    agency reach every project of it. Nobody enters data for a VSP (A6), without
    full access, in a closed project, or in one whose access monitoring closed (A11)."""
    if license is None or not license.can_enter_data:
        return Project.objects.none()
    projects = Project.objects.filter(agency=license.agency)
    if license.role == License.Role.END_USER:
        projects = projects.filter(pk__in=license.projects.values("pk"))
    from hmis.dates import today

    return projects.filter(Q(operating_end__isnull=True) | Q(operating_end__gte=today()), access_closed_on__isnull=True)


def coc_list(*, query: str = "") -> QuerySet[Coc]:
    cocs = Coc.objects.annotate(agency_count=Count("agencies", distinct=True)).order_by("code")
    if query:
        cocs = cocs.filter(Q(code__icontains=query) | Q(name__icontains=query))
    return cocs


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.prefetch_related("cocs").annotate(
        project_count=Count("projects", distinct=True),
        license_count=Count("licenses", filter=Q(licenses__status=License.Status.ACTIVE), distinct=True),
    ).order_by("name")


def project_list() -> QuerySet[Project]:
    return Project.objects.select_related("agency", "coc")


def people_list() -> QuerySet[User]:
    return User.objects.prefetch_related("licenses__agency")


def agency_detail(agency_id: int) -> Agency:
    return Agency.objects.prefetch_related("cocs").get(pk=agency_id)


def licenses_of_agency(agency: Agency) -> QuerySet[License]:
    return agency.licenses.select_related("user").prefetch_related("projects")


def licenses_of_person(user: User) -> QuerySet[License]:
    return user.licenses.select_related("agency", "granted_by").prefetch_related("projects")


def tenancy_counts() -> dict:
    return {
        "cocs": Coc.objects.count(),
        "agencies": Agency.objects.count(),
        "projects": Project.objects.count(),
        "people": User.objects.count(),
        "active_licenses": License.objects.filter(status=License.Status.ACTIVE).count(),
    }


def _active_licenses_in_roles(agency, roles) -> QuerySet[License]:
    return License.objects.filter(agency=agency, status=License.Status.ACTIVE, role__in=roles)


def holds_role(user, agency, roles) -> bool:
    """An active license of the person at the agency in one of the roles."""
    return _active_licenses_in_roles(agency, roles).filter(user=user).exists()


def agency_managers(agency, roles=(License.Role.EXECUTIVE_DIRECTOR, License.Role.AUTHORIZED_REPRESENTATIVE)) -> list:
    """The people an agency's alerts go to: active licensees in the given roles."""
    return [lic.user for lic in _active_licenses_in_roles(agency, roles).select_related("user")]


# --- Project descriptor data (H2) ---------------------------------------------
HISTORY_LIMIT = 100


def project_descriptors(project) -> dict:
    """The descriptor rows shown on the project's page (2.03–2.09)."""
    return {
        "coc_rows": project.coc_rows.all(),
        "inventories": project.inventories.all(),
        "affiliations": project.affiliations.select_related("residential_project__agency"),
        "hmis_participations": project.hmis_participations.all(),
        "ce_participations": project.ce_participations.all(),
    }


def project_history(project, limit: int = HISTORY_LIMIT) -> list:
    """H2: who changed the project's descriptor data, when, and what, newest first: the
    project's own entries and those auditlog filed under it (get_additional_data), rows
    since removed included. Reads (access entries) are not changes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils.text import capfirst

    from hmis.models import AuditEntry

    project_type = ContentType.objects.get_for_model(Project)
    entries = (AuditEntry.objects
               .filter(Q(content_type=project_type, object_pk=str(project.pk))
                       | Q(additional_data__project_id=project.pk))
               .exclude(action=AuditEntry.Action.ACCESS)
               .select_related("actor", "content_type").order_by("-timestamp", "-pk")[:limit])
    history = []
    for entry in entries:
        model = entry.content_type.model_class()
        history.append({
            "when": entry.timestamp,
            "who": entry.actor.display_name if entry.actor else "The system",
            "what": f"{capfirst(model._meta.verbose_name) if model else entry.content_type.model}: "
                    f"{entry.object_repr}",
            "action": entry.get_action_display(),
            "changes": [(field, values[0], values[1]) for field, values in entry.changes_display_dict.items()
                        if isinstance(values, (list, tuple)) and len(values) == 2],
        })
    return history
