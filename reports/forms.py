from datetime import timedelta

from django import forms

from agencies.models import Agency, Project
from hmis import dates
from hmis.forms import DateInput, UswdsFormMixin
from hmis.models import User


class DashboardForm(UswdsFormMixin, forms.Form):
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="To")
    group_by = forms.ChoiceField(choices=[("agency", "Agency"), ("project", "Project"), ("user", "User")],
                                 label="Measure per")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False)
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Entered by")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["project"].queryset = Project.objects.filter(agency__in=agencies)
        self.fields["user"].queryset = User.objects.filter(licenses__agency__in=agencies).distinct()
        self.fields["user"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period is before its start.")
        return data

    @staticmethod
    def defaults() -> dict:
        today = dates.today()
        return {"start": today - timedelta(days=30), "end": today, "group_by": "project"}


class MonitoringPlanForm(UswdsFormMixin, forms.Form):
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Data monitoring plan", max_length=5000,
                           help_text="Who checks which data quality numbers, how often, and what they do about them (D4).")


# LSA (issue 20, HUD's LSA specification 3.1 and 4.1): the scope of the run and, for a project-focused LSA, its
# projects. HUD allows a project-focused LSA for chosen projects of the CoC (LSAScope 2; HDX 2.0 takes it for review,
# not as the CoC's official systemwide upload) and an LSA for the HIC (LSAScope 3, ReportStart = ReportEnd = the
# date of the count), as `manage.py hud_report lsa --scope project --projects ...` / `--scope hic --date` do.
LSA_PROJECT_TYPES = (0, 1, 2, 3, 8, 13)  # HUD 2.02.6: ES entry/exit, ES night-by-night, TH, PSH, SH, RRH (LSA 4.1)
LSA_SCOPES = [
    (1, "Systemwide: every ES, SH, TH, RRH and PSH project of the CoC (HUD's official LSA)"),
    (2, "Project-focused: only the projects chosen below (HDX 2.0 takes it for review, not as the official LSA)"),
    (3, "HIC: the CoC's projects on the date of the count, entered as the night of the count"),
]


class LsaFormMixin(forms.Form):
    """The LSA's own fields of the HUD report form (reports/hud_views.py ReportForm) and their validation.
    ``lsa_cocs`` are the CoCs the person may run the LSA for; without them (not the HMIS Lead) the fields are
    not offered."""

    lsa_scope = forms.TypedChoiceField(choices=LSA_SCOPES, coerce=int, empty_value=None, required=False,
                                       widget=forms.RadioSelect, label="LSA scope", initial=1,
                                       help_text="For the LSA only.")
    lsa_projects = forms.ModelMultipleChoiceField(
        Project.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Projects of a project-focused LSA",
        help_text="Only ES, SH, TH, RRH and PSH projects of the Continuum of Care chosen above can be chosen.")
    field_order = ["kind", "projects", "coc", "lsa_scope", "lsa_projects", "start", "end", "night"]

    def __init__(self, *args, lsa_cocs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lsa_cocs is None:
            del self.fields["lsa_scope"], self.fields["lsa_projects"]
            return
        from django.db.models import Q

        self.fields["lsa_projects"].queryset = (
            Project.objects.filter(Q(coc__in=lsa_cocs) | Q(coc_rows__coc_code__in=lsa_cocs.values("code")),
                                   project_type__in=LSA_PROJECT_TYPES)
            .select_related("coc").distinct().order_by("coc__code", "name"))
        self.fields["lsa_projects"].label_from_instance = lambda p: f"{p.name} ({p.coc.code})"

    def clean(self):
        data = super().clean()
        if data.get("kind") != "lsa":  # the LSA's fields say nothing about another report
            data["lsa_scope"], data["lsa_projects"] = None, []
        return data

    def clean_lsa(self, data: dict) -> dict:
        """The LSA's scope, period and projects; called by ReportForm.clean for the LSA, with the CoC checked.
        Sets data["lsa_scope"], data["start"] / data["end"] and, for a project-focused LSA, data["projects"]."""
        from .hud.hic_pit import coc_projects
        from .hud.lsa.pipeline import lsa_period_problem, lsa_runs_here

        scope = data.get("lsa_scope") or 1
        data["lsa_scope"] = scope
        coc, chosen = data.get("coc"), list(data.get("lsa_projects") or [])
        if scope == 2:
            if not chosen:
                self.add_error("lsa_projects", "Choose the projects of the project-focused LSA.")
            elif coc is not None:
                of_coc = set(coc_projects(coc).values_list("pk", flat=True))
                others = [p for p in chosen if p.pk not in of_coc]
                if others:
                    self.add_error("lsa_projects", f"Only projects of {coc.code} can be chosen: "
                                   f"{', '.join(p.name for p in others)} {'is' if len(others) == 1 else 'are'} "
                                   f"not {coc.code}'s.")
                else:
                    data["projects"] = chosen
        elif chosen:
            self.add_error("lsa_projects", "Projects are chosen for a project-focused LSA only: choose that scope, "
                           "or clear the projects.")
        if scope == 3:  # 3.1: ReportStart = ReportEnd = the date of the count
            if not data.get("night"):
                self.add_error("night", "Enter the date of the count for an LSA for the HIC.")
            else:
                data["start"] = data["end"] = data["night"]
        else:
            for name in ("start", "end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the report {name} date.")
        if not lsa_runs_here():
            self.add_error("kind", "The LSA runs on PostgreSQL, the production database; this server uses another.")
        elif data.get("start") and data.get("end"):
            problem = lsa_period_problem(data["start"], data["end"])
            if problem:
                self.add_error(*problem)
        return data
