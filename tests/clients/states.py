"""Clients in every consent state, built through the services (for the access
matrix, the visibility tests and the API tests)."""

from datetime import date, timedelta
from types import SimpleNamespace

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from consent.models import ClientLock, Roi
from enrollments import services as stay_services
from tests.factories import AgencyFactory, LicenseFactory, ProjectFactory, UserFactory

BASE = dict(
    middle_name="", name_suffix="", name_data_quality=1, ssn_data_quality=1, dob_data_quality=1,
    white=True, race_none=None, additional_race_ethnicity="", sex=1, veteran_status=0,
)


def license_of(user, agency=None) -> License:
    licenses = License.objects.filter(user=user)
    return licenses.get(agency=agency) if agency else licenses.get()


def make_client(user, *, project, sharing="full", signed_on=None, first="Ada", last="Okonkwo", dob=date(1980, 5, 17),
                ssn="123456789", **fields):
    license = license_of(user, project.agency)
    roi = consent_services.roi_record(
        actor=user, license=license, sharing_level=sharing, consent_type="signed",
        signed_on=signed_on or date.today(), taken_by=user, project=project,
    )
    return client_services.client_create(
        actor=user, license=license, roi=roi, first_name=first, last_name=last, dob=dob, ssn=ssn, **(BASE | fields),
    )


def serve_too(user, client, *, project, sharing="full"):
    """A second agency records its own consent for an existing client (C12) and links them."""
    return consent_services.roi_record(
        actor=user, license=license_of(user, project.agency), sharing_level=sharing, consent_type="verbal",
        signed_on=date.today(), taken_by=user, project=project, clients=[client],
    )


def enroll(user, client, project, entry=None):
    return stay_services.enroll_household(
        actor=user, license=license_of(user, project.agency), project=project,
        entry_date=entry or date.today(), members=[(client, 1)], living_situation=116,
        length_of_stay=2, los_under_threshold=1, previous_street_essh=1,
        date_to_street_essh=date.today() - timedelta(days=30), times_homeless_past_three_years=1,
        months_homeless_past_three_years=101, disabling_condition=0,
    )[0]


def expire(client):
    """The client's ROIs signed 400 days ago: expired today (C6), as time would do it."""
    Roi.objects.filter(clients=client).update(signed_on=date.today() - timedelta(days=400),
                                              expires_on=date.today() - timedelta(days=36))
    consent_services.refresh_sharing(client)


def third_agency(t):
    """Agency D in the same CoC as A and B, with a case worker: the agency that is in
    neither story and sees only what the consents share (C12)."""
    agency_d = AgencyFactory(name="Agency D", cocs=[t.coc1])
    shelter_d = ProjectFactory(agency=agency_d, coc=t.coc1, name="D Shelter")
    worker_d = UserFactory(username="worker_d")
    LicenseFactory(user=worker_d, agency=agency_d, projects=[shelter_d])
    return agency_d, shelter_d, worker_d


def build_states(t) -> SimpleNamespace:
    """t: the tenancy fixture. Returns the clients by state name."""
    full = make_client(t.worker_a, project=t.shelter_a, first="Fulton", last="Sharewell", ssn="111223333")
    enroll(t.worker_a, full, t.shelter_a)
    limited = make_client(t.worker_a, project=t.shelter_a, sharing="limited", first="Lima", last="Idsonly", ssn="222334444")
    none_locked = make_client(t.worker_c, project=t.shelter_c, sharing="none", first="Nora", last="Lockwood", ssn="333445555")
    expired = make_client(t.worker_a, project=t.shelter_a, first="Exa", last="Pired", ssn="444556666")
    expire(expired)
    revoked = make_client(t.worker_a, project=t.shelter_a, first="Reva", last="Voked", ssn="555667777")
    consent_services.roi_revoke(actor=t.worker_a, license=license_of(t.worker_a),
                                roi=revoked.rois.get(), revoked_on=date.today())
    locked_part = make_client(t.worker_a, project=t.shelter_a, first="Parta", last="Locke", ssn="616778888")
    ClientLock.objects.create(client=locked_part, agency=t.agency_a, part="demographics", source="client_request",
                              status="active", requested_by=t.worker_a)
    License.objects.get(user=t.worker_b).projects.add(t.protected_b)
    protected = make_client(t.worker_b, project=t.protected_b, first="Prota", last="Tected", ssn="777889999")

    # Issue 14's James Whitaker: limited at A; B records a full consent of its own and serves him.
    second_consent = make_client(t.worker_a, project=t.shelter_a, sharing="limited", first="Jamie", last="Widened",
                                 ssn="818223344", sex=0, veteran_status=1)
    enroll(t.worker_a, second_consent, t.shelter_a)
    serve_too(t.worker_b, second_consent, project=t.housing_b)
    enroll(t.worker_b, second_consent, t.housing_b)

    # Issue 14's Henry Lindqvist: entered in B's protected project; A records a full consent and serves him.
    protected_served = make_client(t.worker_b, project=t.protected_b, first="Hank", last="Clinically", ssn="828334455")
    enroll(t.worker_b, protected_served, t.protected_b)
    serve_too(t.worker_a, protected_served, project=t.shelter_a)

    # A demographics correction, then the client asks to lock demographics (C10).
    locked_history = make_client(t.worker_a, project=t.shelter_a, first="Lottie", last="Historia", ssn="838445566",
                                 sex=1)
    client_services.client_correct(actor=t.worker_a, license=license_of(t.worker_a), client=locked_history,
                                   kind="inaccurate", note="", sex=0, veteran_status=1)
    ClientLock.objects.create(client=locked_history, agency=t.agency_a, part="demographics",
                              source="client_request", status="active", requested_by=t.worker_a)
    return SimpleNamespace(full=full, limited=limited, none_locked=none_locked, expired=expired, revoked=revoked,
                           locked_part=locked_part, protected=protected, second_consent=second_consent,
                           protected_served=protected_served, locked_history=locked_history)


# --- Helpers of tests/consent/test_attacks.py (added after the ones above; they change none of them) ---
def add_member(user, head, *, project, sharing="full", roi=None, first="Kiddo", last="Member", dob=date(2015, 2, 2),
               ssn="", **fields):
    """Another person in the head's household, entered by ``user``'s agency: under ``roi``
    when given (the head's consent), else under a consent of their own."""
    from clients.models import HouseholdMember

    license = license_of(user, project.agency)
    if roi is None:
        roi = consent_services.roi_record(
            actor=user, license=license, sharing_level=sharing, consent_type="signed", signed_on=date.today(),
            taken_by=user, project=project,
        )
    household = HouseholdMember.objects.filter(client=head).first().household
    return client_services.client_create(
        actor=user, license=license, roi=roi, household=household, first_name=first, last_name=last, dob=dob, ssn=ssn,
        **(BASE | ({} if ssn else {"ssn_data_quality": 99}) | fields),
    )


def manager_of(agency, username, role=License.Role.EXECUTIVE_DIRECTOR):
    """A director (or authorized representative) of the agency: exports HMIS CSV."""
    user = UserFactory(username=username)
    LicenseFactory(user=user, agency=agency, role=role)
    return user


def approve_lock(t, user, client, part, agency=None):
    """The agency asks the HMIS Lead to lock a part of the record (C10); the Lead approves."""
    license = license_of(user, agency)
    lock = consent_services.lock_request(actor=user, license=license, client=client, part=part)
    return consent_services.lock_decide(actor=t.admin, lock=lock, approve=True)
