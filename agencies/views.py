"""HMIS Lead administration screens: CoCs, agencies, projects, people, licenses.

Thin views: a form validates, a service writes (agencies/services.py), a selector
reads (agencies/selectors.py).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hmis.access import SYSTEM_ADMIN, access
from hmis.models import User
from hmis.viewkit import paginate, run_service

from . import selectors, services
from .forms import (
    AgencyFilter,
    AgencyForm,
    CocFilter,
    CocForm,
    FunderForm,
    HmisLeadForm,
    LicenseGrantForm,
    LicenseUpdateForm,
    PersonCreateForm,
    PersonFilter,
    PersonPasswordForm,
    PersonUpdateForm,
    ProjectFilter,
    ProjectForm,
)
from .models import Agency, Coc, HmisLead, License, Project, ProjectFunder


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


@access(SYSTEM_ADMIN)
def project_detail(request, pk):
    project = get_object_or_404(selectors.project_list(), pk=pk)
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.funder_add, actor=request.user, project=project, **form.cleaned_data):
            messages.success(request, "The funder was added.")
            return redirect("agencies:project_detail", project.pk)
    from .requirements import ELEMENTS, required_elements

    return render(
        request, "agencies/project_detail.html",
        {"project": project, "funders": project.funders.all(), "funder_form": form,
         "requirements": [f"{code} {ELEMENTS[code]}" for code in required_elements(project)]},
    )


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
