"""The data quality dashboard (D4)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from agencies import services as agency_services
from hmis.access import REPORTS, access, agencies_in_scope, agency_scope
from hmis.viewkit import run_service

from . import dataquality
from .forms import DashboardForm, MonitoringPlanForm


@access(REPORTS)
def dashboard(request):
    agencies = agencies_in_scope(request)
    data = request.GET if "start" in request.GET else None
    form = DashboardForm(data, agencies=agencies, initial=DashboardForm.defaults())
    values = form.cleaned_data if data and form.is_valid() else DashboardForm.defaults()
    scope_agency = values.get("agency") or agency_scope(request)
    stays = dataquality.stays_in_period(start=values["start"], end=values["end"], agency=scope_agency,
                                        project=values.get("project"), user=values.get("user"))
    groups, findings = dataquality.measure(stays, values["group_by"], as_of=values["end"])
    part, group_key = request.GET.get("part"), request.GET.get("group")
    shown = [f for f in findings if (not part or f.part == part) and (not group_key or f.group == group_key)]
    plan_agency = scope_agency or (request.agency if request.agency else None)
    return render(request, "reports/dashboard.html", {
        "form": form, "groups": groups, "findings": shown[:500], "finding_count": len(shown),
        "part": part, "group_key": group_key, "parts": dataquality.PART_LABELS,
        "query": request.GET.urlencode(), "plan_agency": plan_agency,
        "plan_form": MonitoringPlanForm(initial={"plan": plan_agency.data_monitoring_plan}) if plan_agency else None,
    })


@access(REPORTS)
def monitoring_plan(request, agency_id):
    agency = agencies_in_scope(request).filter(pk=agency_id).first()
    form = MonitoringPlanForm(request.POST or None)
    if agency and request.method == "POST" and form.is_valid():
        if run_service(form, agency_services.monitoring_plan_save, actor=request.user, agency=agency,
                       plan=form.cleaned_data["plan"]):
            messages.success(request, f"The data monitoring plan of {agency.name} was saved.")
        else:
            messages.error(request, " ".join(form.non_field_errors()))
    return redirect("reports:dashboard")
