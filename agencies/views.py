"""HMIS Lead administration screens: CoCs, agencies, projects, people, licenses.

Thin views: a form validates, a service writes (agencies/services.py), a selector
reads (agencies/selectors.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hmis.access import PROJECT_PAGE, SYSTEM_ADMIN, access, edits_project_descriptors, may_see_project
from hmis.models import User
from hmis.viewkit import paginate, run_service

from . import selectors, services
from .forms import (
    AffiliationForm,
    AgencyFilter,
    AgencyForm,
    CeParticipationForm,
    CocFilter,
    CocForm,
    FunderForm,
    HmisLeadForm,
    HmisParticipationForm,
    InventoryForm,
    LicenseGrantForm,
    LicenseUpdateForm,
    PersonCreateForm,
    PersonFilter,
    PersonPasswordForm,
    PersonUpdateForm,
    ProjectCocForm,
    ProjectDescriptorForm,
    ProjectFilter,
    ProjectForm,
)
from .models import (
    Affiliation,
    Agency,
    CeParticipation,
    Coc,
    HmisLead,
    HmisParticipation,
    Inventory,
    License,
    Project,
    ProjectCoc,
    ProjectFunder,
)


def _form_page(request, form, *, title, submit="Save", back=None, intro=""):
    return render(
        request, "agencies/form_page.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
    )


def _list_page(request, template, filterset, context=None):
    page = paginate(request, filterset.qs)
    return render(request, template, {"filter": filterset, "page": page, **(context or {})})


# --- HMIS Lead ------------------------------------------------------------------
@access(SYSTEM_ADMIN)
def lead_edit(request):
    lead = HmisLead.objects.filter(pk=1).first()
    initial = {"name": lead.name, "email": lead.email, "phone": lead.phone} if lead else {}
    form = HmisLeadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.hmis_lead_save, actor=request.user, **form.cleaned_data):
            messages.success(request, "The HMIS Lead was saved.")
            return redirect("agencies:coc_list")
    return _form_page(request, form, title="HMIS Lead", intro="The organization that runs this HMIS (T1).")


# --- CoCs -------------------------------------------------------------------------
@access(SYSTEM_ADMIN)
def coc_list(request):
    return _list_page(request, "agencies/coc_list.html", CocFilter(request.GET, selectors.coc_list()))


@access(SYSTEM_ADMIN)
def coc_create(request):
    form = CocForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coc = run_service(form, services.coc_save, actor=request.user, **form.cleaned_data)
        if coc:
            messages.success(request, f"{coc} was added.")
            return redirect("agencies:coc_detail", coc.pk)
    return _form_page(request, form, title="Add a Continuum of Care", back="agencies:coc_list")


@access(SYSTEM_ADMIN)
def coc_detail(request, pk):
    coc = get_object_or_404(Coc, pk=pk)
    return render(
        request, "agencies/coc_detail.html",
        {"coc": coc, "agencies": coc.agencies.all(), "projects": coc.projects.select_related("agency")},
    )


@access(SYSTEM_ADMIN)
def coc_edit(request, pk):
    coc = get_object_or_404(Coc, pk=pk)
    form = CocForm(request.POST or None, instance=coc)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.coc_save, actor=request.user, coc=coc, **form.cleaned_data):
            messages.success(request, f"{coc} was saved.")
            return redirect("agencies:coc_detail", coc.pk)
    return _form_page(request, form, title=f"Edit {coc}", back="agencies:coc_list")


# --- Agencies ---------------------------------------------------------------------
@access(SYSTEM_ADMIN)
def agency_list(request):
    return _list_page(request, "agencies/agency_list.html", AgencyFilter(request.GET, selectors.agency_list()))


@access(SYSTEM_ADMIN)
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cocs = data.pop("cocs")
        agency = run_service(form, services.agency_save, actor=request.user, cocs=cocs, **data)
        if agency:
            messages.success(request, f"{agency.name} was added.")
            return redirect("agencies:agency_detail", agency.pk)
    return _form_page(request, form, title="Add an agency", back="agencies:agency_list")


@access(SYSTEM_ADMIN)
def agency_detail(request, pk):
    agency = get_object_or_404(selectors.agency_list(), pk=pk)
    return render(
        request, "agencies/agency_detail.html",
        {
            "agency": agency,
            "projects": agency.projects.select_related("coc"),
            "licenses": selectors.licenses_of_agency(agency),
        },
    )


@access(SYSTEM_ADMIN)
def agency_edit(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cocs = data.pop("cocs")
        if run_service(form, services.agency_save, actor=request.user, agency=agency, cocs=cocs, **data):
            messages.success(request, f"{agency.name} was saved.")
            return redirect("agencies:agency_detail", agency.pk)
    return _form_page(request, form, title=f"Edit {agency.name}", back="agencies:agency_list")


# --- Projects -----------------------------------------------------------------------
@access(SYSTEM_ADMIN)
def project_list(request):
    return _list_page(request, "agencies/project_list.html", ProjectFilter(request.GET, selectors.project_list()))


@access(SYSTEM_ADMIN)
def project_create(request):
    form = ProjectForm(request.POST or None, initial={"agency": request.GET.get("agency")})
    if request.method == "POST" and form.is_valid():
        project = run_service(form, services.project_save, actor=request.user, **form.cleaned_data)
        if project:
            messages.success(request, f"{project.name} was added.")
            return redirect("agencies:project_detail", project.pk)
    return _form_page(request, form, title="Add a project", back="agencies:project_list")


@access(PROJECT_PAGE)
def project_detail(request, pk):
    """H2: the project's HUD descriptor data and its history. The HMIS Lead edits (and adds
    funders here); people of the project's agency read it; other agencies' projects are 404."""
    project = get_object_or_404(selectors.project_list(), pk=pk)
    if not may_see_project(request, project):
        raise Http404("No such project.")
    may_edit = edits_project_descriptors(request)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("The HMIS Lead keeps project descriptor data.")
    form = FunderForm(request.POST or None) if may_edit else None
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.funder_add, actor=request.user, project=project, **form.cleaned_data):
            messages.success(request, "The funder was added.")
            return redirect("agencies:project_detail", project.pk)
    from .requirements import ELEMENTS, required_elements

    return render(
        request, "agencies/project_detail.html",
        {"project": project, "funders": project.funders.all(), "funder_form": form, "may_edit": may_edit,
         "requirements": [f"{code} {ELEMENTS[code]}" for code in required_elements(project)],
         "history": selectors.project_history(project), **selectors.project_descriptors(project)},
    )


# --- Project descriptor data (H2): the HMIS Lead edits, on the project's page ----------
# kind in the URL -> (model, form, what it is called)
DESCRIPTOR_KINDS = {
    "coc": (ProjectCoc, ProjectCocForm, "CoC information (2.03)"),
    "inventory": (Inventory, InventoryForm, "bed and unit inventory (2.07)"),
    "affiliation": (Affiliation, AffiliationForm, "affiliated residential project (2.02.C)"),
    "hmis-participation": (HmisParticipation, HmisParticipationForm, "HMIS participation (2.08)"),
    "ce-participation": (CeParticipation, CeParticipationForm, "Coordinated Entry participation (2.09)"),
}
PROJECT_SPECIFIC_FORMS = {InventoryForm, AffiliationForm}


def _descriptor_page(request, form, *, project, title, submit="Save"):
    return render(request, "agencies/descriptor_form.html",
                  {"form": form, "project": project, "title": title, "submit": submit})


@access(SYSTEM_ADMIN)
def project_descriptors_edit(request, pk):
    project = get_object_or_404(Project, pk=pk)
    form = ProjectDescriptorForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run_service(form, services.project_descriptors_save, actor=request.user, project=project, **fields):
            messages.success(request, f"The HUD descriptors of {project.name} were saved.")
            return redirect("agencies:project_detail", project.pk)
    return _descriptor_page(request, form, project=project, title=f"Project descriptors (2.02) of {project.name}")


def _descriptor_form(form_class, data, project, instance=None):
    kwargs = {"project": project} if form_class in PROJECT_SPECIFIC_FORMS else {}
    return form_class(data, instance=instance, **kwargs)


@access(SYSTEM_ADMIN)
def descriptor_add(request, pk, kind):
    if kind not in DESCRIPTOR_KINDS:
        raise Http404("No such descriptor.")
    project = get_object_or_404(Project, pk=pk)
    model, form_class, label = DESCRIPTOR_KINDS[kind]
    form = _descriptor_form(form_class, request.POST or None, project)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.descriptor_save, actor=request.user, project=project, model=model,
                       **form.cleaned_data):
            messages.success(request, f"The {label} was added.")
            return redirect("agencies:project_detail", project.pk)
    return _descriptor_page(request, form, project=project, title=f"Add {label} to {project.name}", submit="Add")


@access(SYSTEM_ADMIN)
def descriptor_edit(request, pk, kind, record_pk):
    if kind not in DESCRIPTOR_KINDS:
        raise Http404("No such descriptor.")
    project = get_object_or_404(Project, pk=pk)
    model, form_class, label = DESCRIPTOR_KINDS[kind]
    record = get_object_or_404(model, pk=record_pk, project=project)
    # The form gets a copy: a refused save must not leave typed values on the stored record.
    form = _descriptor_form(form_class, request.POST or None, project, instance=model.objects.get(pk=record.pk))
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.descriptor_save, actor=request.user, project=project, record=record,
                       **form.cleaned_data):
            messages.success(request, f"The {label} was saved.")
            return redirect("agencies:project_detail", project.pk)
    return _descriptor_page(request, form, project=project, title=f"Change {label} of {project.name}")


@access(SYSTEM_ADMIN)
@require_POST
def descriptor_remove(request, pk, kind, record_pk):
    if kind not in DESCRIPTOR_KINDS:
        raise Http404("No such descriptor.")
    project = get_object_or_404(Project, pk=pk)
    model, _, label = DESCRIPTOR_KINDS[kind]
    record = get_object_or_404(model, pk=record_pk, project=project)
    try:
        services.descriptor_remove(actor=request.user, record=record)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The {label} was removed.")
    return redirect("agencies:project_detail", project.pk)


@access(SYSTEM_ADMIN)
def project_requirements(request, pk):
    """D2: the data the project collects, from defaults by type and funder."""
    from .forms import RequirementsForm
    from .requirements import ELEMENTS, default_elements, required_elements

    project = get_object_or_404(selectors.project_list(), pk=pk)
    form = RequirementsForm(request.POST or None, initial={"elements": required_elements(project)})
    if request.method == "POST" and form.is_valid():
        elements = None if "reset" in request.POST else form.cleaned_data["elements"]
        if run_service(form, services.project_requirements_set, actor=request.user, project=project, elements=elements):
            messages.success(request, f"Data requirements of {project.name} saved.")
            return redirect("agencies:project_detail", project.pk)
    defaults = [f"{code} {ELEMENTS[code]}" for code in default_elements(project)]
    return render(request, "agencies/project_requirements.html", {
        "project": project, "form": form, "defaults": defaults, "custom": project.required_elements is not None,
    })


@access(SYSTEM_ADMIN)
def project_edit(request, pk):
    project = get_object_or_404(Project, pk=pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.project_save, actor=request.user, project=project, **form.cleaned_data):
            messages.success(request, f"{project.name} was saved.")
            return redirect("agencies:project_detail", project.pk)
    return _form_page(request, form, title=f"Edit {project.name}", back="agencies:project_list")


@access(SYSTEM_ADMIN)
@require_POST
def funder_remove(request, pk):
    funder = get_object_or_404(ProjectFunder, pk=pk)
    project_id = funder.project_id
    services.funder_remove(actor=request.user, funder=funder)
    messages.success(request, "The funder was removed.")
    return redirect("agencies:project_detail", project_id)


# --- People and licenses ------------------------------------------------------------
@access(SYSTEM_ADMIN)
def person_list(request):
    return _list_page(request, "agencies/person_list.html", PersonFilter(request.GET, selectors.people_list()))


@access(SYSTEM_ADMIN)
def person_create(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = run_service(form, services.person_create, actor=request.user, **form.cleaned_data)
        if person:
            messages.success(request, f"{person.username} was added. Now grant a license.")
            return redirect("agencies:person_detail", person.pk)
    return _form_page(request, form, title="Add a person", back="agencies:person_list")


@access(SYSTEM_ADMIN)
def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    from django_otp import user_has_device

    licenses = list(selectors.licenses_of_person(person))
    return render(
        request, "agencies/person_detail.html",
        {
            "person": person,
            "licenses": licenses,
            # U1: licenses the HMIS Lead granted without a User Access Request, with the reason
            "overrides": [lic for lic in licenses if lic.grant_override_reason],
            "has_second_factor": user_has_device(person),
        },
    )


@access(SYSTEM_ADMIN)
def person_edit(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = PersonUpdateForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.person_update, actor=request.user, person=person, **form.cleaned_data):
            messages.success(request, f"{person.username} was saved.")
            return redirect("agencies:person_detail", person.pk)
    return _form_page(request, form, title=f"Edit {person.username}", back="agencies:person_list")


@access(SYSTEM_ADMIN)
def person_password(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = PersonPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.person_set_password, actor=request.user, person=person, **form.cleaned_data):
            messages.success(request, f"A new first password was set for {person.username}.")
            return redirect("agencies:person_detail", person.pk)
    return _form_page(request, form, title=f"Set a first password for {person.username}", back="agencies:person_list")


@access(SYSTEM_ADMIN)
@require_POST
def person_reset_second_factor(request, pk):
    person = get_object_or_404(User, pk=pk)
    services.person_reset_second_factor(actor=request.user, person=person)
    messages.success(request, f"{person.username} will enrol a new authenticator app at their next sign-in.")
    return redirect("agencies:person_detail", person.pk)


@access(SYSTEM_ADMIN)
def license_grant(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = LicenseGrantForm(request.POST or None, initial={"agency": request.GET.get("agency")})
    if request.method == "POST" and form.is_valid():
        license = run_service(form, services.license_grant, actor=request.user, user=person, **form.cleaned_data)
        if license:
            messages.success(request, f"{person.username} now holds a license at {license.agency.name}.")
            return redirect("agencies:person_detail", person.pk)
    return _form_page(request, form, title=f"Grant {person.username} a license", submit="Grant license",
                      back="agencies:person_list",
                      intro="U1: a license normally comes from the agency's authorized representative's User "
                            "Access Request, approved on the Access requests page. Granting one here needs "
                            "your reason for the override.")


@access(SYSTEM_ADMIN)
def license_edit(request, pk):
    license = get_object_or_404(License.objects.select_related("user", "agency"), pk=pk)
    initial = {
        "role": license.role, "access_level": license.access_level, "status": license.status,
        "status_reason": license.status_reason, "projects": license.projects.all(),
    }
    form = LicenseUpdateForm(request.POST or None, initial=initial, agency=license.agency)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.license_update, actor=request.user, license=license, **form.cleaned_data):
            messages.success(request, f"The license of {license.user.username} at {license.agency.name} was saved.")
            return redirect("agencies:person_detail", license.user_id)
    return _form_page(request, form, title=f"License of {license.user.username} at {license.agency.name}",
                      back="agencies:person_list")
