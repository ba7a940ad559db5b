"""Naming a stay's case manager (issue 21). Thin: the form validates, the service writes,
hmis/access.py decides who may, consent/visibility.py who sees the stay."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from consent.visibility import Viewer
from hmis import access as decide
from hmis.access import DATA_ENTRY, access
from hmis.viewkit import run_service

from . import selectors
from .case_manager import CaseManagerForm, set_case_manager


@access(DATA_ENTRY)
@require_POST
def case_manager(request, enrollment_id):
    viewer = Viewer.from_request(request)
    enrollment, _ = selectors.enrollment_for_viewer(viewer=viewer, enrollment_id=enrollment_id)
    if not decide.assigns_case_manager(request, enrollment):
        raise PermissionDenied("Only a person entering data for the project that serves this stay names its "
                               "case manager.")
    form = CaseManagerForm(request.POST, agency=enrollment.agency)
    if form.is_valid():
        chosen = form.cleaned_data["case_manager"]
        if run_service(form, set_case_manager, actor=request.user, license=request.license, enrollment=enrollment,
                       case_manager=chosen):
            messages.success(request, f"Case manager: {chosen.display_name}." if chosen else
                             "The stay has no case manager now.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/case_manager_form.html", {"enrollment": enrollment, "form": form}, status=400)
