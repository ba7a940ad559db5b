"""Forms of project stays. They validate input; services decide."""

from django import forms
from django.db import models

from agencies.selectors import projects_for_data_entry
from hmis import dates
from hmis.forms import WIDGET_CLASSES, DateInput, UswdsFormMixin

from .elements import (
    ALL_QUESTIONS,
    BENEFIT_SOURCES,
    FOLLOW_UPS,
    INCOME_SOURCES,
    INSURANCE_TYPES,
    PARTNER_FOLLOW_UPS,
    STAY_QUESTIONS,
    VETERAN_QUESTIONS,
    elements_for,
    questions_for,
)
from .hud_lists import DataCollectionStage, Destination, RelationshipToHoH, RentalSubsidyType, vamc_stations
from .models import Assessment, Enrollment
from .validation import DERIVED, PRIOR_LIVING_FIELDS, assessment_errors, prior_living_questions

# 3.917 on the form: los_under_threshold follows from the length of stay (validation.py).
PRIOR_FIELDS = [name for name in PRIOR_LIVING_FIELDS if name not in DERIVED]
# When each follow-up is asked (3.917A/B): said on the field, for a page without
# JavaScript that shows every question until the project and answers are known.
PRIOR_HINTS = {
    "rental_subsidy_type": "Only for “Rental by client, with ongoing housing subsidy”.",
    "previous_street_essh": "Asked in projects other than shelter, outreach and safe haven, after a stay of under "
                            "7 nights (under 90 days in an institution).",
    "date_to_street_essh": "In shelter, outreach and safe haven projects: asked of everyone. Elsewhere: after a "
                           "homeless situation, or a short stay with the night before on the streets or in shelter.",
}


def prior_living_not_asked(form, project_type, answers: dict | None) -> set[str]:
    """The 3.917 questions on the form that HUD does not ask for this project type and
    these answers (validation.prior_living_questions); none while the project is not yet
    known, when each question says when it is asked. Without JavaScript a changed answer
    shows its follow-ups when the form comes back; with it, the page asks the server the
    same on each change (static/js/hmis.js) and hides or shows without losing input."""
    for name in PRIOR_FIELDS:
        if name in form.fields:
            unanswered(form.fields[name])
            if name in PRIOR_HINTS:
                form.fields[name].help_text = PRIOR_HINTS[name]
    if project_type is None:
        return set()
    asked = set(prior_living_questions(project_type, answers or {}))
    return {name for name in PRIOR_FIELDS if name not in asked}


def _whole_number(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def prior_answers_typed(data) -> dict:
    """The 3.917 answers as typed (before validation), enough to choose the follow-ups."""
    return {name: _whole_number(data.get(name)) for name in ("living_situation", "length_of_stay",
                                                             "previous_street_essh")}


# Every question of the assessment elements (enrollments/elements.py); a form keeps those
# it asks.
ASSESSMENT_FORM_FIELDS = list(ALL_QUESTIONS)
# Income sources, non-cash benefits and insurance types: ticked is Yes, not ticked is No
# once "from any source" is Yes (the service records them all No when it is No).
SOURCE_FIELDS = {*[s for s, _, _, _, _ in INCOME_SOURCES], *[s for s, _, _ in BENEFIT_SOURCES],
                 *[t for t, _, _, _, _ in INSURANCE_TYPES]}


def carried_answers(assessment) -> dict:
    """H1: the answers an update, annual assessment or exit starts from."""
    # The total is left blank, so it is computed again from the amounts: a carried-forward
    # total would refuse the form as soon as one amount changed.
    answers = {name: getattr(assessment, name) for name in ASSESSMENT_FORM_FIELDS if name != "total_monthly_income"}
    return {name: (value == 1 if name in SOURCE_FIELDS else value) for name, value in answers.items()}


def assessment_sections(form, elements, carried_from=None, stage_field=None):
    """What templates/enrollments/_assessment_fields.html draws: one fieldset per element,
    its questions in groups; a group of follow-ups names the question and answers that ask
    it (data-show-when / data-show-values), which static/js/dependent_questions.js uses to
    show or hide it. Without JavaScript every group shows and the server decides."""
    sections = []
    for element in elements:
        groups = []
        for name in element.questions:
            if name not in form.fields:
                continue
            parent, values = FOLLOW_UPS.get(name, (None, set()))
            if not groups or groups[-1]["parent"] != parent or groups[-1]["values"] != values:
                groups.append({"parent": parent, "values": values, "fields": [],
                               "when": " ".join(str(v) for v in sorted(values)),
                               "asked_if": _asked_if(form, parent, values)})
            groups[-1]["fields"].append(form[name])
        if not groups:
            continue
        stages = None
        if stage_field and stage_field in form.fields:
            offered = {value for value, _ in form.fields[stage_field].choices if value != ""}
            if not offered <= element.stages:
                stages = " ".join(str(v) for v in sorted(offered & element.stages))
        sections.append({"element": element, "groups": groups, "stage_field": stage_field, "stages": stages})
    return {"sections": sections, "carried_from": carried_from}


def _asked_if(form, parent, values) -> str:
    if parent is None or parent not in form.fields:
        return ""
    field = form.fields[parent]
    labels = dict(getattr(field, "choices", []))
    answers = " or ".join(str(labels.get(v, v)) for v in sorted(values))
    return f"Answer if “{field.label}” is {answers}"


# The federal partners' elements (enrollments/elements.py PARTNER_ELEMENTS): their answers
# live beside the stay and the client (ProgramAnswers, VeteranInformation), asked on the same
# pages as the assessment elements and drawn by the same template.
PARTNER_FORM_FIELDS = [*STAY_QUESTIONS, *VETERAN_QUESTIONS]
REQUIRED_HERE = "Required in this project: answer, or choose why it was not collected."


def partner_initial(enrollment) -> dict:
    """The federal partners' answers already recorded for this stay and client: a page
    that asks them again starts from them."""
    from .models import ProgramAnswers, VeteranInformation

    initial = {}
    row = ProgramAnswers.objects.filter(enrollment=enrollment).first()
    if row is not None:
        initial |= {name: getattr(row, name) for name in STAY_QUESTIONS}
    veteran = VeteranInformation.objects.filter(client_id=enrollment.client_id).first()
    if veteran is not None:
        initial |= {name: getattr(veteran, name) for name in VETERAN_QUESTIONS}
    return {name: value for name, value in initial.items() if value not in (None, "")}


def add_partner_fields(form, elements, *, initial=None, required=()) -> None:
    """Add the questions of ``elements`` to ``form`` (nothing preselected; ``initial``: the
    answers recorded so far; ``required``: the roots the project requires, marked)."""
    from .models import ProgramAnswers, VeteranInformation

    form.partner_elements = list(elements)
    for element in form.partner_elements:
        model = VeteranInformation if element.code == "V1" else ProgramAnswers
        for name in element.questions:
            model_field = model._meta.get_field(name)
            if name == "vamc_station":
                field = forms.ChoiceField(required=False, label="VAMC station number (V6)",
                                          choices=[("", SELECT_PROMPT), *vamc_stations()])
            else:
                field = model_field.formfield()
                if isinstance(model_field, models.DateField):
                    field.widget = DateInput()
            css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(field.widget, kind)), "usa-input")
            field.widget.attrs["class"] = css  # added after UswdsFormMixin styled the others
            unanswered(field)
            field.initial = (initial or {}).get(name)
            if name in required:  # marked, with the service's own words for a missing answer (D2)
                field.required = True
                field.error_messages["required"] = REQUIRED_HERE
            form.fields[name] = field
    form.asked = [*getattr(form, "asked", []), *[q for e in form.partner_elements for q in e.questions]]


def partner_sections(form) -> list[dict]:
    """The sections of templates/enrollments/_assessment_fields.html for the federal
    partners' elements; a follow-up group names the question(s) and answers that ask it."""
    sections = []
    for element in getattr(form, "partner_elements", []):
        groups = []
        for name in element.questions:
            if name not in form.fields:
                continue
            parents, values = PARTNER_FOLLOW_UPS.get(name, ((), set()))
            parent = " ".join(parents) or None
            if not groups or groups[-1]["parent"] != parent or groups[-1]["values"] != values:
                asked_if = " or ".join(_asked_if(form, p, values).removeprefix("Answer if ") for p in parents)
                groups.append({"parent": parent, "values": values, "fields": [],
                               "when": " ".join(str(v) for v in sorted(values)),
                               "asked_if": f"Answer if {asked_if}" if asked_if else ""})
            groups[-1]["fields"].append(form[name])
        if groups:
            sections.append({"element": element, "groups": groups, "stage_field": None, "stages": None,
                             "fresh": True})
    return sections


class AssessmentFields(UswdsFormMixin, forms.ModelForm):
    """The program-specific answers of one collection (H1). None is preselected: what the
    project requires (D2) must be answered, refusals included (D3); the service checks
    which. ``elements``: those asked (enrollments/elements.py; all by default);
    ``carried_from``: the assessment whose answers an update, annual assessment or exit
    starts from, shown as such on the form."""

    template_name = "enrollments/assessment_form.html"
    stage_field = None

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FORM_FIELDS
        widgets = {"due_date": DateInput}

    def __init__(self, *args, elements=None, carried_from=None, partner_elements=(), partner_initial=None,
                 partner_required=(), **kwargs):
        if carried_from is not None:
            kwargs["initial"] = {**carried_answers(carried_from), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        from .elements import ELEMENTS

        self.elements = list(ELEMENTS if elements is None else elements)
        self.carried_from = carried_from
        self.asked = questions_for(self.elements)
        for name in ASSESSMENT_FORM_FIELDS:
            if name not in self.fields:
                continue
            if name not in self.asked:
                del self.fields[name]
            elif name in SOURCE_FIELDS:
                label = self.fields[name].label
                self.fields[name] = forms.BooleanField(required=False, label=label.split(": ", 1)[-1],
                                                       initial=self.initial.get(name))
                self.fields[name].widget.attrs["class"] = "usa-checkbox__input"
            else:
                unanswered(self.fields[name])
        add_partner_fields(self, partner_elements, initial=partner_initial, required=partner_required)

    def clean(self):
        cleaned = super().clean()
        asked = self.asked
        if self.stage_field and cleaned.get(self.stage_field):  # what the chosen stage asks (4.11: update only)
            asked = questions_for([e for e in self.elements if cleaned[self.stage_field] in e.stages])
        answers = {name: cleaned.get(name) for name in asked if name in self.fields}
        for field, message in assessment_errors(answers, answers).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        cleaned.update(answers)
        return cleaned

    def assessment_sections(self):
        drawn = assessment_sections(self, self.elements, self.carried_from, self.stage_field)
        drawn["sections"] += partner_sections(self)
        return drawn


SELECT_PROMPT = "— Select —"


def unanswered(field):
    """Nothing preselected: the empty option is a prompt, never an answer (a refusal is
    answered with HUD's 8/9/99, which the field's list keeps, D3). Whether an answer is
    required depends on the project (D2): the service says so, on the form's summary."""
    field.required = False
    field.initial = None
    if isinstance(field, forms.TypedChoiceField):
        field.choices = [("", SELECT_PROMPT), *[c for c in field.choices if c[0] != ""]]
        field.empty_value = None


class EnrollForm(UswdsFormMixin, forms.ModelForm):
    """Project start for a household: the head's entry answers and start assessment."""

    project = forms.ModelChoiceField(queryset=None, label="Project")
    information_date = forms.DateField(widget=DateInput, initial=dates.today,
                                       label="Date the information was collected")

    class Meta:
        model = Enrollment
        fields = ["project", "entry_date", *PRIOR_FIELDS, "disabling_condition", "date_of_engagement"]
        widgets = {"entry_date": DateInput, "date_to_street_essh": DateInput, "date_of_engagement": DateInput}

    def __init__(self, *args, license, members, head_pk=None, not_covered=(), **kwargs):
        """``members``: the household members the agency may enroll (its consent covers
        them), the head of household first; ``head_pk`` the head recorded at intake;
        ``not_covered``: members it may see but not enroll, listed so none is left out
        unseen."""
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for_data_entry(license)
        self.fields["entry_date"].initial = dates.today
        self.members = members
        self.not_covered = list(not_covered)
        head_pk = head_pk if any(m.pk == head_pk for m in members) else (members[0].pk if members else None)
        for member in members:
            self.fields[member_field(member)] = member_relationship_field(member, is_head=member.pk == head_pk)
        # The head's project-start answers (H1): what HUD asks at project start, of the
        # elements the chosen project collects (D2) or, before one is chosen, any project
        # this person may enroll into collects; the service keeps the chosen project's.
        extra = AssessmentFields(elements=self._start_elements(), partner_elements=self._partner_start_elements())
        self.assessment_elements = extra.elements
        self.partner_elements = extra.partner_elements
        for name in extra.fields:
            self.fields[name] = extra.fields[name]
        unanswered(self.fields["disabling_condition"])
        # Rendered hidden, not removed: the page's script shows them again when an answer changes.
        self.prior_hidden = prior_living_not_asked(self, self._chosen_project_type(),
                                                   prior_answers_typed(self.data) if self.is_bound else None)

    def _start_elements(self):
        from agencies.requirements import collected_elements

        projects = list(self.fields["project"].queryset.prefetch_related("funders"))
        chosen = _whole_number(self.data.get("project")) if self.is_bound else None
        if any(p.pk == chosen for p in projects):
            projects = [p for p in projects if p.pk == chosen]
        codes = set().union(*(collected_elements(p) for p in projects)) if projects else set()
        return [e for e in elements_for(stage=DataCollectionStage.PROJECT_START) if e.code in codes]

    def _partner_start_elements(self):
        """The federal partners' start elements asked of a head of household (who is also
        an adult or asked as one, HUD's "head of household and adults") in the chosen
        project or, before one is chosen, any project this person may enroll into (D2).
        V1 is kept only when the head's veteran status (3.07) is Yes (the service decides)."""
        from agencies.requirements import required_elements

        from .elements import PARTNER_ELEMENTS

        projects = list(self.fields["project"].queryset.prefetch_related("funders"))
        chosen = _whole_number(self.data.get("project")) if self.is_bound else None
        if any(p.pk == chosen for p in projects):
            projects = [p for p in projects if p.pk == chosen]
        codes = set().union(*(required_elements(p) for p in projects)) if projects else set()
        return [e for e in PARTNER_ELEMENTS if e.code in codes and DataCollectionStage.PROJECT_START in e.stages]

    def _chosen_project_type(self):
        """The project type of the project chosen so far (None before one is chosen)."""
        project_id = _whole_number(self.data.get("project")) if self.is_bound else None
        if project_id is None:
            return None
        return self.fields["project"].queryset.filter(pk=project_id).values_list("project_type", flat=True).first()

    def assessment_sections(self):
        drawn = assessment_sections(self, self.assessment_elements)
        drawn["sections"] += partner_sections(self)
        return drawn

    def chosen_members(self):
        return [(m, self.cleaned_data[member_field(m)]) for m in self.members
                if self.cleaned_data.get(member_field(m)) not in (None, "")]

    def member_fields(self):
        return [self[member_field(m)] for m in self.members]


NOT_IN_THIS_STAY = "out"


def member_field(member) -> str:
    return f"relationship_{member.client_id}"


def _relationship_or_out(value):
    return None if value == NOT_IN_THIS_STAY else int(value)


def member_relationship_field(member, *, is_head: bool) -> forms.TypedChoiceField:
    """One household member's row: in the stay unless the case worker says otherwise.
    The head recorded at intake starts as Self; every other member starts at the prompt
    and needs an answer — a relationship (3.15), or "Not in this stay" chosen on purpose.
    Intake records who is head but no other relationship (HouseholdMember has only
    is_head), so there is nothing else to preselect. 3.15.1 has no 8/9, only 99, offered."""
    field = forms.TypedChoiceField(
        coerce=_relationship_or_out, required=True, label=f"{member.name} ({member.display_id})",
        choices=[("", SELECT_PROMPT), *RelationshipToHoH.choices, (NOT_IN_THIS_STAY, "Not in this stay")],
        initial=RelationshipToHoH.SELF if is_head else "",
        error_messages={"required": f"Choose how client {member.display_id} is related to the head of household, "
                                    "or “Not in this stay”."},
        help_text="Head of household at intake." if is_head else "",
    )
    field.widget.attrs["class"] = "usa-select"
    return field


class AssessmentForm(AssessmentFields):
    """Update or annual assessment: the elements of either stage; those HUD asks at one
    of them only (4.11 at update) say so, and the service keeps what the chosen stage asks."""

    stage = forms.TypedChoiceField(coerce=int, choices=[(DataCollectionStage.UPDATE, "Update"),
                                                        (DataCollectionStage.ANNUAL, "Annual assessment")])
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date the information was collected")
    stage_field = "stage"

    class Meta(AssessmentFields.Meta):
        fields = ["stage", "information_date", *ASSESSMENT_FORM_FIELDS]

    def __init__(self, *args, adult_or_head=True, project=None, **kwargs):
        seen, elements = set(), []
        for stage in (DataCollectionStage.UPDATE, DataCollectionStage.ANNUAL):
            for element in elements_for(stage=stage, adult_or_head=adult_or_head, project=project):
                if element.code not in seen:
                    seen.add(element.code)
                    elements.append(element)
        from .elements import ELEMENTS

        kwargs.setdefault("elements", sorted(elements, key=ELEMENTS.index))
        super().__init__(*args, **kwargs)


class ExitForm(AssessmentFields):
    exit_date = forms.DateField(widget=DateInput, initial=dates.today, label="Project exit date (3.11)")
    destination = forms.TypedChoiceField(coerce=int, choices=[("", SELECT_PROMPT), *Destination.choices],
                                         label="Destination (3.12)")
    # 3.12.A and 3.12.B: asked after 435 and after 17; the service refuses them otherwise.
    destination_subsidy_type = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, choices=[("", SELECT_PROMPT), *RentalSubsidyType.choices],
        label="Type of the ongoing housing subsidy (3.12.A)",
        help_text="Only for “Rental by client, with ongoing housing subsidy”.")
    other_destination = forms.CharField(required=False, max_length=50, label="The other destination (3.12.B)",
                                        help_text="Only when the destination is “Other”.")
    destination_subsidy_type.widget.attrs["data-shown-if"] = "destination=435"
    other_destination.widget.attrs["data-shown-if"] = "destination=17"
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(AssessmentFields.Meta):
        fields = ["exit_date", "destination", "destination_subsidy_type", "other_destination",
                  *ASSESSMENT_FORM_FIELDS]

    def __init__(self, *args, adult_or_head=True, project=None, **kwargs):
        kwargs.setdefault("elements", elements_for(stage=DataCollectionStage.PROJECT_EXIT,
                                                   adult_or_head=adult_or_head, project=project))
        super().__init__(*args, **kwargs)


class EnrollmentEditForm(UswdsFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Enrollment
        fields = [*PRIOR_FIELDS, "disabling_condition", "date_of_engagement", "move_in_date"]
        widgets = {"date_to_street_essh": DateInput, "date_of_engagement": DateInput, "move_in_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stay = self.instance
        from .services import asks_prior_living

        if asks_prior_living(stay):
            answers = prior_answers_typed(self.data) if self.is_bound else {
                name: getattr(stay, name) for name in ("living_situation", "length_of_stay", "previous_street_essh")}
            for name in prior_living_not_asked(self, stay.project.project_type, answers):
                self.fields.pop(name)
        else:  # 3.917 is asked of the head of household and adults only
            for name in PRIOR_FIELDS:
                self.fields.pop(name, None)
        # 3.20: permanent housing projects, head of household only (services.move_in_date_error).
        from agencies.hud_lists import PERMANENT_HOUSING_TYPES

        if stay.project.project_type not in PERMANENT_HOUSING_TYPES or not stay.is_head:
            self.fields.pop("move_in_date", None)


class BedNightForm(UswdsFormMixin, forms.Form):
    date_provided = forms.DateField(widget=DateInput, initial=dates.today, label="Night of")


class ContactForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Date of the contact")

    class Meta:
        from .models import CurrentLivingSituation

        model = CurrentLivingSituation
        fields = ["information_date", "current_living_situation", "location_details"]


class CeAssessmentForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Assessment date")

    class Meta:
        from .models import CeAssessment

        model = CeAssessment
        fields = ["information_date", "assessment_location", "assessment_type", "assessment_level",
                  "prioritization_status"]


class CeEventForm(UswdsFormMixin, forms.ModelForm):
    information_date = forms.DateField(widget=DateInput, initial=dates.today, label="Event date")

    class Meta:
        from .models import CeEvent

        model = CeEvent
        fields = ["information_date", "event", "referral_result", "result_date"]
        widgets = {"result_date": DateInput}
