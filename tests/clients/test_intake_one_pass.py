"""Issue 16, "forms a case worker can finish in one pass": a two-person intake through
enrollment, through the pages a case worker uses. The child added at intake is in the
stay unless the case worker says otherwise; nothing is silently "Not asked"; every
form error is summarised at the top, linked to its field, with what was typed kept;
"Finish intake" lands on the head of household."""

import re

import pytest
from django.urls import reverse

from clients.models import Client
from consent.models import Roi
from enrollments.models import Enrollment
from hmis import dates

from .helpers import CLIENT, consent_step

pytestmark = pytest.mark.django_db

# Named so that the child sorts first alphabetically (the reported bug opened the
# alphabetically first member, the 8-year-old, instead of the head).
HEAD = {**CLIENT, "first_name": "Zora", "last_name": "Whitfield", "ssn": "219-09-1111", "dob": "1990-03-04"}
CHILD = {**CLIENT, "first_name": "Abel", "last_name": "Whitfield", "ssn": "", "ssn_data_quality": 99,
         "dob": f"{dates.today().year - 8}-01-15"}
# The head's project-start answers: every assessment answer is a HUD code, none left at the prompt.
START = {
    "living_situation": 116, "length_of_stay": 4, "times_homeless_past_three_years": 1,
    "months_homeless_past_three_years": 101, "disabling_condition": 0, "date_of_engagement": "",
    "income_from_any_source": 0, "total_monthly_income": "", "benefits_from_any_source": 0,
    "insurance_from_any_source": 0, "physical_disability": 0, "developmental_disability": 0,
    "chronic_health_condition": 0, "hiv_aids": 0, "mental_health_disorder": 0, "substance_use_disorder": 0,
    "domestic_violence_survivor": 0, "currently_fleeing": "",
}


def add(worker, roi, person):
    """The one-pass button: search first (D5), then create when nobody matches."""
    return worker.post(reverse("clients:intake_client", args=[roi.pk]), {**person, "action": "add"})


def two_person_intake(worker, tenancy):
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = Roi.objects.latest("pk")
    assert add(worker, roi, HEAD).status_code == 302
    assert add(worker, roi, CHILD).status_code == 302
    finish = worker.post(reverse("clients:intake_finish", args=[roi.pk]))
    head = Client.objects.get(first_name="Zora")
    child = Client.objects.get(first_name="Abel")
    return finish, head, child


def enroll_data(tenancy, head, child=None, **overrides):
    today = dates.today().isoformat()
    data = {**START, "project": tenancy.shelter_a.pk, "entry_date": today, "information_date": today,
            "date_to_street_essh": today, f"relationship_{head.client_id}": 1}
    if child is not None:
        data[f"relationship_{child.client_id}"] = 2
    return {**data, **overrides}


def selected_option(page: str, name: str) -> str:
    """The value of the selected option of <select name=...>, "" when none is marked selected."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else ""


def test_check_and_add_creates_at_once_when_nobody_matches_and_stops_when_someone_may(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = Roi.objects.get()
    # Nobody like Zora is on file: one click creates her (the search ran first, D5).
    response = add(worker, roi, HEAD)
    assert response.status_code == 302 and Client.objects.count() == 1
    # The same person again: the search finds her, so nothing is created until the
    # case worker links her or says "none of these".
    again = add(worker, roi, {**HEAD, "first_name": "Zorah"})
    page = again.content.decode()
    assert again.status_code == 200 and Client.objects.count() == 1
    assert "This may be someone already in the HMIS" in page and "None of these: create a new client" in page


def test_finish_intake_lands_on_the_head_with_enroll_as_the_primary_action(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    finish, head, child = two_person_intake(worker, tenancy)
    # Zora was added first, so intake made her head of household; Abel sorts first by name.
    assert head.household_memberships.get().is_head and not child.household_memberships.get().is_head
    assert finish.status_code == 302 and finish.url == reverse("clients:detail", args=[head.client_id])
    page = worker.get(finish.url).content.decode()
    enroll_url = reverse("enrollments:enroll", args=[head.client_id])
    # The primary (filled) USWDS button, not an outline one, and the only link to enroll.
    assert f'<a class="usa-button" href="{enroll_url}">Enroll in a project</a>' in page
    assert page.count(enroll_url) == 1


def test_household_enrollment_has_the_child_in_the_stay_by_default_and_the_head_as_self(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    _, head, child = two_person_intake(worker, tenancy)
    # Opened from the child's page: the head is still the one preselected as Self.
    page = worker.get(reverse("enrollments:enroll", args=[child.client_id])).content.decode()
    assert selected_option(page, f"relationship_{head.client_id}") == "1"
    # The child starts at the prompt (intake records no relationship to preselect):
    # not "Not in this stay", which the case worker can only choose on purpose.
    assert selected_option(page, f"relationship_{child.client_id}") == ""
    child_row = re.search(rf'<select name="relationship_{child.client_id}".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>— Select —</option>' in child_row
    assert '<option value="out">Not in this stay</option>' in child_row
    # The head's row comes first: the form lists the household head first.
    assert page.index(f"relationship_{head.client_id}") < page.index(f"relationship_{child.client_id}")


def test_household_enrollment_refuses_a_member_left_unanswered_and_keeps_what_was_typed(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    _, head, child = two_person_intake(worker, tenancy)
    url = reverse("enrollments:enroll", args=[head.client_id])
    response = worker.post(url, enroll_data(tenancy, head, total_monthly_income="12.34"))
    page = response.content.decode()
    # Nobody is silently left out: no stay is created, and the summary says whom to place.
    assert response.status_code == 200 and not Enrollment.objects.exists()
    summary = page.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert f'href="#id_relationship_{child.client_id}"' in summary
    assert f"Choose how client {child.display_id} is related to the head of household" in summary
    # What was typed is kept: the head's answer and the amount.
    assert selected_option(page, f"relationship_{head.client_id}") == "1"
    assert 'value="12.34"' in page
    assert selected_option(page, "living_situation") == "116"
    # Choosing the relationship enrolls both, in one household, the head as Self.
    done = worker.post(url, enroll_data(tenancy, head, child))
    assert done.status_code == 302
    stays = {s.client_id: s for s in Enrollment.objects.all()}
    assert stays[head.pk].relationship_to_hoh == 1 and stays[child.pk].relationship_to_hoh == 2
    assert stays[head.pk].household_id == stays[child.pk].household_id
    assert done.url == reverse("enrollments:detail", args=[stays[head.pk].enrollment_id])


def test_not_in_this_stay_is_an_answer_chosen_on_purpose(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    _, head, child = two_person_intake(worker, tenancy)
    response = worker.post(reverse("enrollments:enroll", args=[head.client_id]),
                           enroll_data(tenancy, head, **{f"relationship_{child.client_id}": "out"}))
    assert response.status_code == 302
    assert list(Enrollment.objects.values_list("client_id", flat=True)) == [head.pk]


def test_d3_choice_questions_start_at_a_prompt_and_offer_8_9_99(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    _, head, _ = two_person_intake(worker, tenancy)
    page = worker.get(reverse("enrollments:enroll", args=[head.client_id])).content.decode()
    assert "Not asked" not in page  # the old empty option that looked like an answer
    for name in ("disabling_condition", "physical_disability", "domestic_violence_survivor"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert '<option value="" selected>— Select —</option>' in select, name
        # HUD's No/Yes/Reasons list (1.8): 8, 9 and 99 are answers a client may give (D3).
        for code in ("8", "9", "99"):
            assert f'<option value="{code}">' in select, (name, code)


def test_error_summary_links_each_error_to_its_field_and_keeps_what_was_typed(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = Roi.objects.get()
    response = worker.post(reverse("clients:intake_client", args=[roi.pk]),
                           {**HEAD, "ssn": "12345", "dob": "", "action": "add"})
    page = response.content.decode()
    assert not Client.objects.exists()
    # The summary is the first thing in the form, focusable and focused (autofocus,
    # and static/js/hmis.js for browsers that ignore autofocus on a div).
    form = page.split('<form method="post" class="usa-form', 1)[1]
    assert form.index("data-error-summary") < form.index("<input type=\"text\"")
    assert re.search(r'<div class="usa-alert usa-alert--error hmis-error-summary" tabindex="-1" autofocus data-error-summary', page)
    summary = page.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_ssn"' in summary and 'href="#id_dob"' in summary
    # Each field's message is tied to its input; what was typed is kept.
    assert re.search(r'<input type="text" name="ssn" value="12345"[^>]*aria-describedby="id_ssn_helptext id_ssn_error"', page)
    assert 'id="id_dob_error"' in page and 'value="Zora"' in page
    # No inline script: the CSP allows scripts from 'self' only; the focus moves from hmis.js.
    assert "<script>" not in page


def test_every_form_rendered_whole_gets_the_summary_and_required_marks(tenancy, signed_in):
    """Forms rendered with {{ form }} (templates/django/forms/div.html) get the same
    summary; radios link to their first option, since the group itself cannot take focus."""
    worker = signed_in(tenancy.worker_a)
    response = worker.post(reverse("clients:intake_consent"), {"signed_on": "", "lock_warning_given": "on"})
    page = response.content.decode()
    summary = page.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_sharing_level_0"' in summary and 'href="#id_signed_on"' in summary
    assert 'id="id_sharing_level_0"' in page
    # The radio group's fieldset carries the description of its error.
    assert re.search(r'<fieldset class="usa-fieldset" aria-describedby="id_sharing_level_error">', page)
    # Required fields: asterisk marked "required", the required attribute, and the note saying so.
    blank = worker.get(reverse("clients:intake_consent")).content.decode()
    assert "marks a required field" in blank
    assert re.search(r'Date signed or given <abbr title="required" class="usa-hint usa-hint--required">\*</abbr>', blank)
    assert re.search(r'<input type="date" name="signed_on"[^>]*required', blank)
    assert "data-error-summary" not in blank  # no summary before anything was submitted


def test_error_summary_items_link_inputs_and_leave_what_cannot_take_focus_unlinked():
    """Unit: hmis.forms.error_summary_items, which every form's summary is drawn from."""
    from django import forms

    from hmis.forms import UswdsFormMixin, error_summary_items

    class Sample(UswdsFormMixin, forms.Form):
        name = forms.CharField(label="Name")
        choice = forms.ChoiceField(label="Choice", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
        version = forms.IntegerField(widget=forms.HiddenInput)

        def clean(self):
            raise forms.ValidationError("The whole form is wrong.")

    assert error_summary_items(Sample()) == []  # nothing submitted, nothing to summarise
    items = error_summary_items(Sample(data={}))
    # Whole-form error first, unlinked; a text input links to itself; radios to their first
    # option (their wrapper cannot take focus); a hidden field's error is listed unlinked.
    assert items == [
        ("", "The whole form is wrong."),
        ("id_name", "Name: This field is required."),
        ("id_choice_0", "Choice: This field is required."),
        ("", "Version: This field is required."),
    ]
