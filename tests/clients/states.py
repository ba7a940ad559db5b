"""Clients in every consent state, built through the services (for the access
matrix, the visibility tests and the API tests)."""

from datetime import date, timedelta
from types import SimpleNamespace

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from consent.models import ClientLock

BASE = dict(
    middle_name="", name_suffix="", name_data_quality=1, ssn_data_quality=1, dob_data_quality=1,
    white=True, race_none=None, additional_race_ethnicity="", sex=1, veteran_status=0,
)


def make_client(user, *, project, sharing="full", signed_on=None, first="Ada", last="Okonkwo", dob=date(1980, 5, 17),
                ssn="123456789"):
    license = License.objects.get(user=user, agency=project.agency)
    roi = consent_services.roi_record(
        actor=user, license=license, sharing_level=sharing, consent_type="signed",
        signed_on=signed_on or date.today(), taken_by=user, project=project,
    )
    return client_services.client_create(
        actor=user, license=license, roi=roi, first_name=first, last_name=last, dob=dob, ssn=ssn, **BASE,
    )


def build_states(t) -> SimpleNamespace:
    """t: the tenancy fixture. Returns the clients by state name."""
    full = make_client(t.worker_a, project=t.shelter_a, first="Fulton", last="Sharewell", ssn="111223333")
    limited = make_client(t.worker_a, project=t.shelter_a, sharing="limited", first="Lima", last="Idsonly", ssn="222334444")
    none_locked = make_client(t.worker_c, project=t.shelter_c, sharing="none", first="Nora", last="Lockwood", ssn="333445555")
    expired = make_client(t.worker_a, project=t.shelter_a, first="Exa", last="Pired", ssn="444556666")
    consent_services.refresh_sharing(expired, date.today() + timedelta(days=400))  # as the daily job would
    revoked = make_client(t.worker_a, project=t.shelter_a, first="Reva", last="Voked", ssn="555667777")
    consent_services.roi_revoke(actor=t.worker_a, license=License.objects.get(user=t.worker_a),
                                roi=revoked.rois.get(), revoked_on=date.today())
    locked_part = make_client(t.worker_a, project=t.shelter_a, first="Parta", last="Locke", ssn="616778888")
    ClientLock.objects.create(client=locked_part, agency=t.agency_a, part="demographics", source="client_request",
                              status="active", requested_by=t.worker_a)
    License.objects.get(user=t.worker_b).projects.add(t.protected_b)
    protected = make_client(t.worker_b, project=t.protected_b, first="Prota", last="Tected", ssn="777889999")
    return SimpleNamespace(full=full, limited=limited, none_locked=none_locked, expired=expired, revoked=revoked,
                           locked_part=locked_part, protected=protected)
