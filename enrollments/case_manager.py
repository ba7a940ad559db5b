"""A stay's case manager (issue 21; Clarity calls it "assigned staff"): the staff member
of the stay's agency who manages the case. Shown on the client's dashboard and the stay's
page; named on the stay's page by the people who manage the stay (hmis/access.py
assigns_case_manager). The change is audited by django-auditlog like every change."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import License
from hmis.errors import PolicyError

from .models import Enrollment


def staff_of(agency):
    """The people who may manage a case of ``agency``: an active license at the agency
    with access to client data (full or view only), never an imported record author."""
    return (get_user_model().objects.filter(
        licenses__agency=agency, licenses__status=License.Status.ACTIVE,
        licenses__access_level__in=[License.AccessLevel.FULL, License.AccessLevel.VIEW_ONLY],
        is_active=True).distinct().order_by("first_name", "last_name", "username"))


@transaction.atomic
def set_case_manager(*, actor, license: License, enrollment: Enrollment, case_manager) -> Enrollment:
    """Name (or, with None, clear) the stay's case manager: staff of the stay's agency only."""
    if license is None or license.agency_id != enrollment.agency_id or not license.can_enter_data:
        raise PolicyError("Only the agency that serves this stay names its case manager.")
    if case_manager is not None and not staff_of(enrollment.agency).filter(pk=case_manager.pk).exists():
        raise PolicyError("Choose a staff member of the agency that serves this stay.", field="case_manager")
    stay = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    stay.case_manager = case_manager
    stay.save(update_fields=["case_manager"])  # not the version: an open edit form stays valid
    return stay


class CaseManagerForm(forms.Form):
    case_manager = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not assigned",
                                          label="Case manager")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["case_manager"]
        field.queryset = staff_of(agency)
        field.label_from_instance = lambda user: user.display_name
