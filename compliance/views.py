"""Training pages (U2, U3, U5, U4): a person's checklist, the courses with their
quizzes, the user agreement, practice cases, and the HMIS Lead's reviews."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agencies.hud_lists import ProjectType
from hmis.access import DATA_ENTRY, SIGNED_IN, SYSTEM_ADMIN, TAKES_RIGHTS_REQUESTS, access, is_lead
from hmis.dates import today
from hmis.errors import PolicyError
from hmis.forms import DateInput, UswdsFormMixin
from hmis.models import User

from . import services, training
from .models import AccessDecision, PracticeCase, TrainingModule


@access(SIGNED_IN)
def checklist(request):
    steps = training.steps_for(request.user)
    return render(request, "compliance/checklist.html", {
        "steps": steps, "done": all(s.done for s in steps), "refused_until": training.refused_until(request.user),
        "practice": PracticeCase.objects.filter(user=request.user)[:30],
    })


def _quiz_form(module, data=None):
    form = forms.Form(data)
    for i, question in enumerate(module.questions):
        form.fields[f"q{i}"] = forms.TypedChoiceField(
            label=question["q"], coerce=int, widget=forms.RadioSelect,
            choices=list(enumerate(question["choices"])))
        form.fields[f"q{i}"].widget.attrs["class"] = "usa-radio__input"
    return form


@access(SIGNED_IN)
def module(request, code):
    course = get_object_or_404(TrainingModule, code=code)
    form = _quiz_form(course, request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {i: form.cleaned_data[f"q{i}"] for i in range(len(course.questions))}
        attempt = services.take_quiz(user=request.user, module=course, answers=answers)
        services.restore_if_complete(request.user)
        if attempt.passed:
            messages.success(request, f"You passed {course.title} with {attempt.score}%.")
            return redirect("compliance:checklist")
        messages.error(request, f"{attempt.score}%: {course.passing_score}% is needed. Read the course again and retry.")
    return render(request, "compliance/module.html", {"course": course, "form": form})


class UserAgreementForm(forms.Form):
    policies = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label="Tick each policy you agree to",
        choices=list(enumerate(training.USER_AGREEMENT_POLICIES)))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policies"].widget.attrs["class"] = "usa-checkbox__input"


@access(SIGNED_IN)
def user_agreement(request):
    form = UserAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_user_agreement(user=request.user, ticked=form.cleaned_data["policies"])
        except PolicyError as refusal:
            form.add_error("policies", refusal.messages[0])
        else:
            services.restore_if_complete(request.user)
            messages.success(request, "You signed the User Policy and Responsibilities Agreement.")
            return redirect("compliance:checklist")
    return render(request, "compliance/form_page.html", {
        "form": form, "title": "User Policy and Responsibilities Agreement", "submit": "Sign"})


class PracticeForm(forms.Form):
    work = forms.CharField(widget=forms.Textarea(attrs={"rows": 8, "class": "usa-textarea"}),
                           label="What you entered for the practice client in this segment")


@access(SIGNED_IN)
def practice(request, project_type, segment):
    if project_type not in ProjectType.values or segment not in PracticeCase.Segment.values:
        from django.http import Http404

        raise Http404("No such practice case.")
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_practice_case(user=request.user, project_type=project_type, segment=segment,
                                          work=form.cleaned_data["work"])
        except PolicyError as refusal:
            form.add_error(None, refusal.messages[0])
        else:
            messages.success(request, "Submitted. The HMIS Lead reviews it.")
            return redirect("compliance:checklist")
    label = f"{ProjectType(project_type).label}: {PracticeCase.Segment(segment).label}"
    return render(request, "compliance/form_page.html", {"form": form, "title": f"Practice case, {label}",
                                                         "submit": "Submit for review"})


@access(SYSTEM_ADMIN)
def reviews(request):
    waiting = PracticeCase.objects.filter(status=PracticeCase.Status.SUBMITTED).select_related("user")
    failing = [u for u in User.objects.filter(practice_cases__status=PracticeCase.Status.FAILED).distinct()
               if services.may_decide_access(u)]
    return render(request, "compliance/reviews.html", {
        "waiting": waiting, "failing": failing, "decisions": AccessDecision.objects.select_related("user")[:30]})


@access(SYSTEM_ADMIN)
@require_POST
def review(request, pk):
    case = get_object_or_404(PracticeCase, pk=pk)
    try:
        services.review_practice_case(actor=request.user, case=case, passed=request.POST.get("decision") == "pass",
                                      note=request.POST.get("note", ""))
        services.restore_if_complete(case.user)
    except PolicyError as refusal:
        messages.error(request, refusal.messages[0])
    return redirect("compliance:reviews")


@access(SYSTEM_ADMIN)
@require_POST
def decide(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    try:
        decision = services.decide_access(actor=request.user, user=person, kind=request.POST.get("kind", ""),
                                          note=request.POST.get("note", ""))
    except PolicyError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"{decision.get_kind_display()} for {person.username} until {decision.until:%m/%d/%Y}.")
    return redirect("compliance:reviews")


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(widget=forms.RadioSelect, label="The client asked for")
    received_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
                                  label="Written request received on")
    language = forms.ChoiceField(label="Language of the printout")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}), required=False,
                              label="For a correction: what the client says is wrong, and what it should say")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ClientRightsRequest

        self.fields["kind"].choices = ClientRightsRequest.Kind.choices
        self.fields["kind"].widget.attrs["class"] = "usa-radio__input"
        self.fields["language"].choices = ClientRightsRequest.Language.choices
        self.fields["language"].widget.attrs["class"] = "usa-select"


class TakeRightsRequestForm(UswdsFormMixin, forms.Form):
    """R1, R2 at any door: the client shows their HMIS Client ID and date of birth."""

    client_id = forms.CharField(label="HMIS Client ID", max_length=12,
                                help_text="On the client's card or any printout from the HMIS, e.g. 4KQ7-M2XD.")
    dob = forms.DateField(widget=DateInput, label="Client's date of birth")
    kind = forms.ChoiceField(widget=forms.RadioSelect, label="The client asked for")
    received_on = forms.DateField(widget=DateInput, label="Written request received on")
    language = forms.ChoiceField(label="Language of the printout")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ClientRightsRequest

        self.fields["kind"].choices = [c for c in ClientRightsRequest.Kind.choices
                                       if c[0] != ClientRightsRequest.Kind.CORRECTION]
        self.fields["language"].choices = ClientRightsRequest.Language.choices
        self.fields["received_on"].initial = today()


@access(TAKES_RIGHTS_REQUESTS)
def rights_requests(request):
    """R1, R2: take a client's written request for a copy or an audit, whichever agency
    serves them; the agency's queue of requests to produce, most urgent first."""
    from hmis.viewkit import run_service

    from . import client_rights as rights

    lead = is_lead(request)
    form = TakeRightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = run_service(form, rights.take_request_at_any_door, actor=request.user,
                           license=getattr(request, "license", None), is_lead=lead, **form.cleaned_data)
        if made is not None:
            where = "your agency, which serves the client" if made.taken_at is None and not lead else made.agency.name
            messages.success(request, f"Logged for client {made.client.display_id}: {where} produces it by "
                                      f"{made.due_on:%m/%d/%Y}.")
            return redirect("compliance:rights_requests")
    agency = getattr(request, "agency", None)
    to_produce = [] if agency is None else list(rights.requests_to_produce(agency))
    for item in to_produce:
        item.days_overdue = max((today() - item.due_on).days, 0)
    taken = rights.requests_taken_for_others(by_lead=True) if lead else (
        rights.requests_taken_for_others(agency) if agency is not None else [])
    return render(request, "compliance/rights_requests.html", {
        "form": form, "to_produce": to_produce, "taken": taken[:200], "lead": lead},
        status=400 if form.is_bound and form.errors else 200)


def _served_client(request, client_id):
    from django.http import Http404

    from clients.selectors import client_for_viewer
    from consent.visibility import Viewer

    client, client_access = client_for_viewer(viewer=Viewer.from_request(request), client_id=client_id)
    if not client_access.serves_client:
        raise Http404("No such client, or not one your agency serves.")
    return client


def _own_requests(request, client):
    """A client's requests logged at the agency the person works for: their text is that
    agency's record (C12), like its grievances."""
    return client.rights_requests.filter(agency=request.license.agency)


@access(DATA_ENTRY)
def client_rights(request, client_id):
    """R1, R2: log a client's written request and produce the printout by its due date."""
    from hmis.viewkit import run_service

    from . import client_rights as rights
    from .forms import GrievanceForm

    client = _served_client(request, client_id)
    action = request.POST.get("action", "request")
    form = RightsRequestForm(request.POST if action == "request" else None)
    grievance_form = GrievanceForm(request.POST if action == "grievance" else None, prefix="grievance")
    if request.method == "POST":
        done = None
        if action == "request" and form.is_valid():
            done = run_service(form, rights.record_request, actor=request.user, license=request.license, client=client,
                               **form.cleaned_data) and "The request is logged with its due date."
        elif action == "grievance" and grievance_form.is_valid():
            done = run_service(grievance_form, rights.record_grievance, actor=request.user, license=request.license,
                               client=client, **grievance_form.cleaned_data) and "The grievance is routed to the agency's grievance contact."
        elif action == "close":
            correction = get_object_or_404(_own_requests(request, client), pk=request.POST.get("request"))
            try:
                rights.close_correction(actor=request.user, request=correction, outcome=request.POST.get("outcome", ""))
            except PolicyError as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                done = "The correction request is closed."
        if done:
            messages.success(request, done)
            return redirect("compliance:client_rights", client.client_id)
    return render(request, "compliance/client_rights.html", {
        "client": client, "form": form, "grievance_form": grievance_form,
        "requests": _own_requests(request, client).select_related("agency"),
        "grievances": client.grievances.filter(agency=request.license.agency)})


@access(DATA_ENTRY)
def client_rights_printout(request, client_id, pk):
    from django.http import HttpResponse

    from . import client_rights as rights

    client = _served_client(request, client_id)
    rights_request = get_object_or_404(_own_requests(request, client).exclude(kind="correction"), pk=pk)
    pdf, filename = rights.produce(actor=request.user, license=request.license, request=rights_request,
                                   request_obj=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
