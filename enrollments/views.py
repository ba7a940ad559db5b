"""Project stays: enroll a household, record updates, annual assessments, bed nights
and the exit. Thin: forms validate, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clients import selectors as client_selectors
from consent.visibility import Viewer
from hmis.access import CLIENT_DATA, DATA_ENTRY, access, manages_household
from hmis.errors import PolicyError
from hmis.viewkit import put_errors_on_form, run_service

from . import households, selectors, services
from .forms import ASSESSMENT_FORM_FIELDS, AssessmentForm, BedNightForm, EnrollForm, EnrollmentEditForm, ExitForm


def _assessment_fields(data):
    from .forms import PARTNER_FORM_FIELDS

    return {k: data[k] for k in [*ASSESSMENT_FORM_FIELDS, *PARTNER_FORM_FIELDS] if k in data}


def _partner_asked(enrollment, stage, day) -> dict:
    """The federal partners' elements of this stage asked of this person in this project
    (D2, enrollments/elements.py), starting from what is recorded, required roots marked."""
    from agencies.requirements import required_partner_fields

    from .elements import partner_elements_for
    from .forms import partner_initial

    return {"partner_elements": partner_elements_for(stage=stage, enrollment=enrollment, day=day),
            "partner_initial": partner_initial(enrollment),
            "partner_required": required_partner_fields(enrollment.project)}


def _asked_of(enrollment, stage=None) -> dict:
    """H1: the form asks what HUD asks of this person (enrollments/elements.py) in this
    project (D2), starting from the stay's last answers (the most recent assessment)."""
    from hmis import dates

    from .elements import is_adult_or_head

    return {"adult_or_head": is_adult_or_head(enrollment, dates.today()), "project": enrollment.project,
            "carried_from": enrollment.assessments.order_by("information_date", "pk").last()}


REFRESH_PRIOR_LIVING = "refresh_prior_living"


@access(DATA_ENTRY)
def enroll(request, client_id):
    viewer = Viewer.from_request(request)
    client, client_access = client_selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    members, head_pk, not_covered = selectors.household_for_enrollment(viewer=viewer, client=client,
                                                                        client_access=client_access)
    form = EnrollForm(request.POST or None, license=request.license, members=members, head_pk=head_pk,
                      not_covered=not_covered, initial={"project": request.GET.get("project")})
    if REFRESH_PRIOR_LIVING in request.POST:  # the page asks which 3.917 questions apply: save nothing
        from django.http import JsonResponse

        return JsonResponse({"hidden": sorted(form.prior_hidden)})
    if request.method == "POST" and form.is_valid():
        from clients.models import Client

        data = dict(form.cleaned_data)
        chosen = form.chosen_members()
        people = {c.client_id: c for c in Client.objects.filter(client_id__in=[m.client_id for m, _ in chosen])}
        stays = run_service(
            form, services.enroll_household, actor=request.user, license=request.license, project=data.pop("project"),
            entry_date=data.pop("entry_date"), information_date=data.pop("information_date"),
            members=[(people[m.client_id], rel) for m, rel in chosen],
            **{k: v for k, v in data.items() if not k.startswith("relationship_")},
        )
        if stays:
            from .referrals import link_stays

            link_stays(stays, actor=request.user)  # issue 21: a stay opened from an accepted referral
            late = any(s.entered_late for s in stays)
            messages.success(request, f"{len(stays)} household member(s) enrolled.")
            if late:
                messages.warning(request, "This entry is later than the CoC's data entry deadline; it is flagged late.")
            return redirect("enrollments:detail", stays[0].enrollment_id)
    return render(request, "enrollments/enroll.html", {"client": client, "form": form})


@access(CLIENT_DATA)
def detail(request, enrollment_id):
    viewer = Viewer.from_request(request)
    enrollment, can_edit = selectors.enrollment_for_viewer(viewer=viewer, enrollment_id=enrollment_id)
    from agencies.requirements import required_elements

    return render(request, "enrollments/detail.html", {
        "enrollment": enrollment, "can_edit": can_edit, "elements": required_elements(enrollment.project),
        "status_elements": services.status_elements(enrollment) if can_edit else [],
        **selectors.stay_records(viewer=viewer, enrollment=enrollment),
        "bed_night_form": BedNightForm(),
        # Issue 21: the household's members, history and who may manage it (hmis/access.py).
        **households.household_page(viewer=viewer, enrollment=enrollment),
        "can_manage_household": can_edit and manages_household(request, enrollment),
    })


def _unless_conflict(form, service, **kwargs):
    """Run the service; on a concurrent edit keep both versions: the typed one in the
    form, the saved one returned for the page to show beside it."""
    try:
        return service(**kwargs), None
    except services.ConcurrentEdit as conflict:
        form.add_error(None, conflict.messages[0])
        return None, conflict.current
    except ValidationError as refusal:
        put_errors_on_form(form, refusal)
        return None, None


def _editable(request, enrollment_id):
    viewer = Viewer.from_request(request)
    enrollment, can_edit = selectors.enrollment_for_viewer(viewer=viewer, enrollment_id=enrollment_id)
    if not can_edit:
        from django.http import Http404

        raise Http404("No such enrollment, or not one you may change.")
    return enrollment


@access(DATA_ENTRY)
def assessment_new(request, enrollment_id):
    enrollment = _editable(request, enrollment_id)
    form = AssessmentForm(request.POST or None, **_asked_of(enrollment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, services.record_assessment, actor=request.user, license=request.license,
                       enrollment=enrollment, stage=data["stage"], information_date=data["information_date"],
                       **_assessment_fields(data)):
            messages.success(request, "The assessment was recorded.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "title": f"Update or annual assessment: {enrollment.project.name}",
        "submit": "Record assessment",
    })


@access(DATA_ENTRY)
def exit_stay(request, enrollment_id):
    enrollment = _editable(request, enrollment_id)
    from hmis import dates

    from .hud_lists import DataCollectionStage

    form = ExitForm(request.POST or None, initial={"version": enrollment.version}, **_asked_of(enrollment),
                    **_partner_asked(enrollment, DataCollectionStage.PROJECT_EXIT, dates.today()))
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, current = _unless_conflict(form, services.exit_household, actor=request.user, license=request.license,
                                         enrollment=enrollment, exit_date=data["exit_date"],
                                         destination=data["destination"], version=data["version"],
                                         destination_subsidy_type=data.get("destination_subsidy_type"),
                                         other_destination=data.get("other_destination", ""),
                                         **_assessment_fields(data))
        if done:
            others = "" if len(done) == 1 else (
                " Record each other member's exit answers on their own stay (\"Exit answers of this member\").")
            messages.success(request, f"{len(done)} household member(s) exited.{others}")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "current": current, "submit": "Record exit",
        "title": f"Exit from {enrollment.project.name}",
        "intro": "Every household member still in the project exits on this date.",
    })


@access(DATA_ENTRY)
def edit(request, enrollment_id):
    enrollment = _editable(request, enrollment_id)
    form = EnrollmentEditForm(request.POST or None, instance=enrollment, initial={"version": enrollment.version})
    current = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        enrollment.refresh_from_db()
        saved, current = _unless_conflict(form, services.enrollment_update, actor=request.user,
                                          license=request.license, enrollment=enrollment, version=version, **data)
        if saved:
            messages.success(request, "The enrollment was saved.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "current": current, "submit": "Save",
        "title": f"Change the enrollment in {enrollment.project.name}",
    })


@access(DATA_ENTRY)
@require_POST
def bed_night(request, enrollment_id):
    enrollment = _editable(request, enrollment_id)
    form = BedNightForm(request.POST)
    if form.is_valid():
        try:
            services.record_service(actor=request.user, license=request.license, enrollment=enrollment,
                                    date_provided=form.cleaned_data["date_provided"])
        except PolicyError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Bed night of {form.cleaned_data['date_provided']:%m/%d/%Y} recorded.")
    else:
        messages.error(request, "Enter the date of the night.")
    return redirect("enrollments:detail", enrollment.enrollment_id)


def _record_kinds():
    from .forms import CeAssessmentForm, CeEventForm, ContactForm
    from .models import CeAssessment, CeEvent, CurrentLivingSituation

    return {
        "contact": (ContactForm, CurrentLivingSituation, "Record a contact: current living situation (4.12)"),
        "ce-assessment": (CeAssessmentForm, CeAssessment, "Record a coordinated entry assessment (4.19)"),
        "ce-event": (CeEventForm, CeEvent, "Record a coordinated entry event (4.20)"),
    }


@access(DATA_ENTRY)
def record_item(request, enrollment_id, kind):
    from django.http import Http404

    kinds = _record_kinds()
    if kind not in kinds:
        raise Http404("No such record type.")
    form_class, model, title = kinds[kind]
    enrollment = _editable(request, enrollment_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if run_service(form, services.record_during_stay, actor=request.user, license=request.license,
                       enrollment=enrollment, model=model, information_date=data.pop("information_date"), **data):
            messages.success(request, "Recorded.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "title": title, "submit": "Record"})


@access(DATA_ENTRY)
def member_start(request, enrollment_id):
    """Project-start answers of a household member other than the head."""
    from .hud_lists import DataCollectionStage

    return _member_answers(request, enrollment_id, DataCollectionStage.PROJECT_START)


@access(DATA_ENTRY)
def member_exit(request, enrollment_id):
    """Exit answers of a household member whose household exited from another member's
    page: HUD asks income, benefits, insurance and disabilities of each member at exit."""
    from .hud_lists import DataCollectionStage

    return _member_answers(request, enrollment_id, DataCollectionStage.PROJECT_EXIT)


def _member_answers(request, enrollment_id, stage):
    from .elements import elements_for, is_adult_or_head
    from .forms import AssessmentFields
    from .hud_lists import DataCollectionStage

    enrollment = _editable(request, enrollment_id)
    at_exit = stage == DataCollectionStage.PROJECT_EXIT
    if at_exit and enrollment.exit_date is None:
        from django.http import Http404

        raise Http404("This stay has not exited.")
    day = enrollment.exit_date if at_exit else enrollment.entry_date
    # At exit the form starts from the member's last answers before the exit (carried forward).
    carried_from = (enrollment.assessments.exclude(stage=DataCollectionStage.PROJECT_EXIT)
                    .order_by("information_date", "pk").last() if at_exit else None)
    form = AssessmentFields(request.POST or None, carried_from=carried_from, elements=elements_for(
        stage=stage, adult_or_head=is_adult_or_head(enrollment, day), project=enrollment.project),
        **_partner_asked(enrollment, stage, day))
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.record_member_answers, actor=request.user, license=request.license,
                       enrollment=enrollment, stage=stage, **_assessment_fields(form.cleaned_data)):
            messages.success(request, "Exit answers recorded." if at_exit else "Project-start answers recorded.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    label = "Exit" if at_exit else "Project-start"
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "submit": "Record answers",
        "title": f"{label} answers of client {enrollment.client.display_id}",
        "intro": f"Collected on the {'exit' if at_exit else 'project start'} date with the rest of the household."})


@access(DATA_ENTRY)
def status_determination(request, enrollment_id):
    """P3 PATH status / R2 RHY-BCP status, recorded when determined (any time in the stay)."""
    from .forms import AssessmentFields, partner_initial

    enrollment = _editable(request, enrollment_id)
    asked = services.status_elements(enrollment)
    if not asked:
        from django.http import Http404

        raise Http404("This project does not record PATH or RHY-BCP status for this client.")
    form = AssessmentFields(request.POST or None, elements=[], partner_elements=asked,
                            partner_initial=partner_initial(enrollment))
    if request.method == "POST" and form.is_valid():
        names = {q for e in asked for q in e.questions}
        if run_service(form, services.record_status_determination, actor=request.user, license=request.license,
                       enrollment=enrollment, **{k: v for k, v in form.cleaned_data.items() if k in names}):
            messages.success(request, "Status recorded.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "submit": "Record status",
        "title": f"{' and '.join(e.name for e in asked)} of client {enrollment.client.display_id}",
        "intro": "Recorded when the status is determined, on the date it was determined."})
