"""Demo data for `manage.py seed_demo`: fixed logins, two CoCs, four agencies.

Idempotent: every object is looked up by a natural key first, so a second run
changes nothing. The TOTP secrets are derived from the username, so they are the
same on every machine and can be typed into an authenticator app.
"""

import hashlib
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import services as agency_services
from agencies.hud_lists import FundingSource, ProjectType
from agencies.models import Agency, Coc, HmisLead, License, Project
from hmis.models import User

DEMO_PASSWORD = "Harbor-Light-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    agency: str | None  # agency name, None for the HMIS Lead
    role: str = License.Role.END_USER
    access_level: str = License.AccessLevel.FULL
    also_at: tuple[str, ...] = ()


COCS = [
    # code, name, no_sharing_policy
    ("MO-500", "Riverbend City & County CoC", Coc.NoSharingPolicy.NO_RECORD),
    ("MO-501", "Prairie Balance of State CoC", Coc.NoSharingPolicy.LOCKED_RECORD),
]

AGENCIES = [
    # name, CoC codes, victim service provider
    ("Agency A: Riverbend Family Services", ["MO-500"], False),
    ("Agency B: Northside Housing Partners", ["MO-500"], False),
    ("Agency C: Prairie Community Action", ["MO-501"], False),
    ("Agency V: Safe Harbor Domestic Violence Services", ["MO-500"], True),
]
A, B, C, V = (name for name, _, _ in AGENCIES)

PROJECTS = [
    # agency, CoC, name, type, protected, funder
    (A, "MO-500", "Riverbend Emergency Shelter", ProjectType.ES_ENTRY_EXIT, False, FundingSource.ESG_SHELTER),
    (A, "MO-500", "Riverbend Rapid Re-Housing", ProjectType.RRH, False, FundingSource.COC_RRH),
    (A, "MO-500", "Riverbend Street Outreach", ProjectType.STREET_OUTREACH, False, FundingSource.ESG_OUTREACH),
    (B, "MO-500", "Northside Transitional Housing", ProjectType.TRANSITIONAL_HOUSING, False, FundingSource.COC_TH),
    (B, "MO-500", "Northside Permanent Supportive Housing", ProjectType.PSH, False, FundingSource.COC_PSH),
    (B, "MO-500", "Northside Health Outreach (protected)", ProjectType.SERVICES_ONLY, True, FundingSource.LOCAL_OTHER),
    (C, "MO-501", "Prairie Night Shelter", ProjectType.ES_NIGHT_BY_NIGHT, False, FundingSource.ESG_SHELTER),
    (C, "MO-501", "Prairie Coordinated Entry", ProjectType.COORDINATED_ENTRY, False, FundingSource.COC_SSO),
    (V, "MO-500", "Safe Harbor Shelter", ProjectType.ES_ENTRY_EXIT, False, FundingSource.ESG_SHELTER),
]

LOGINS = [
    DemoLogin("lead", "Lena", "Lead", None),
    DemoLogin("director_a", "Dana", "Director", A, License.Role.EXECUTIVE_DIRECTOR),
    DemoLogin("rep_a", "Ray", "Representative", A, License.Role.AUTHORIZED_REPRESENTATIVE),
    DemoLogin("worker_a", "Wanda", "Walker", A),
    DemoLogin("worker_b", "Will", "Baker", B),
    DemoLogin("viewer_b", "Vera", "Viewer", B, access_level=License.AccessLevel.VIEW_ONLY),
    DemoLogin("reporter_b", "Rory", "Reporter", B, access_level=License.AccessLevel.REPORTING_ONLY),
    DemoLogin("worker_c", "Cora", "Cole", C),
    DemoLogin("worker_v", "Val", "Vance", V),
    # Licensed at two agencies, to show the agency switcher (T4).
    DemoLogin("outreach_ab", "Omar", "Outreach", A, also_at=(B,)),
]


def totp_key_for(username: str) -> str:
    """20-byte hex key, the same for a username on every machine (demo only)."""
    return hashlib.sha1(f"open-hmis-demo-totp:{username}".encode()).hexdigest()


def totp_secret_for(username: str) -> str:
    return b32encode(unhexlify(totp_key_for(username))).decode()


def _user(login: DemoLogin) -> User:
    user = User.objects.filter(username=login.username).first()
    if user is None:
        user = User(
            username=login.username, first_name=login.first_name, last_name=login.last_name,
            email=f"{login.username}@demo.invalid", is_system_admin=login.agency is None,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=totp_key_for(login.username), confirmed=True)
    return user


@transaction.atomic
def seed() -> list[tuple[str, str, str, str]]:
    lead_login = LOGINS[0]
    lead = _user(lead_login)
    if not HmisLead.objects.exists():
        agency_services.hmis_lead_save(
            actor=lead, name="Riverbend Regional HMIS Lead", email="helpdesk@demo.invalid", phone="555-0100"
        )

    cocs = {}
    for code, name, policy in COCS:
        cocs[code] = Coc.objects.filter(code=code).first() or agency_services.coc_save(
            actor=lead, code=code, name=name, no_sharing_policy=policy
        )

    agencies = {}
    for name, coc_codes, vsp in AGENCIES:
        agencies[name] = Agency.objects.filter(name=name).first() or agency_services.agency_save(
            actor=lead, name=name, cocs=[cocs[c] for c in coc_codes],
            status=Agency.Status.PARTICIPATING, is_victim_service_provider=vsp, hipaa_covered=False,
            privacy_notice_url=f"https://demo.invalid/{name.split(':')[0].lower().replace(' ', '-')}/privacy",
            consumer_notice_posted=True, roi_scope=Agency.RoiScope.AGENCY,
            grievance_contact_name="Client Advocate", grievance_contact_phone="555-0142",
            grievance_contact_email=f"grievances@{name.split(':')[0].lower().replace(' ', '-')}.demo.invalid",
        )

    for agency_name, coc_code, name, project_type, protected, funder in PROJECTS:
        agency = agencies[agency_name]
        if agency.projects.filter(name=name).exists():
            continue
        project = agency_services.project_save(
            actor=lead, agency=agency, coc=cocs[coc_code], name=name, project_type=project_type,
            operating_start=date(2020, 1, 1), protected=protected,
        )
        agency_services.funder_add(
            actor=lead, project=project, funder=funder, start_date=date(2020, 1, 1),
            other_funder="County health department" if funder == FundingSource.LOCAL_OTHER else "",
            grant_id=f"DEMO-{project.pk:04d}",
        )

    printed = [(lead.username, "HMIS Lead system administrator", DEMO_PASSWORD, totp_secret_for(lead.username))]
    for login in LOGINS[1:]:
        user = _user(login)
        for agency_name in (login.agency, *login.also_at):
            agency = agencies[agency_name]
            if not License.objects.filter(user=user, agency=agency).exists():
                agency_services.license_grant(
                    actor=lead, user=user, agency=agency, role=login.role, access_level=login.access_level,
                    projects=list(Project.objects.filter(agency=agency)),
                    override_reason="Demo account seeded with the demo data (no access request)",
                )
        where = ", ".join(agencies[a].name.split(":")[0] for a in (login.agency, *login.also_at))
        label = f"{License.Role(login.role).label}, {License.AccessLevel(login.access_level).label} ({where})"
        printed.append((login.username, label, DEMO_PASSWORD, totp_secret_for(login.username)))
    _seed_agreements(lead, agencies)
    _seed_training()
    _seed_clients(agencies)
    return printed


DEMO_AGREEMENT = """AGENCY PARTNER AGREEMENT (demo text)

1. The Partner Agency uses the HMIS only to serve people experiencing homelessness and to report as its funders require.
2. The Partner Agency records a client's consent before entering any information about them, and honors every client's choice of sharing.
3. The Partner Agency keeps its users trained, revokes access within 3 business days of a user leaving, and reports any data breach within 24 hours.
4. The Partner Agency publishes its privacy notice and posts the consumer notice where clients are served.
5. This agreement is renewed at the start of each HUD fiscal year."""


def _seed_training():
    """Every demo login has done its training, user agreement and practice cases."""
    for login in LOGINS[1:]:
        complete_training(User.objects.get(username=login.username))


def complete_training(user, fiscal_year=None) -> None:
    """Training, user agreement and practice cases done in the fiscal year (this one
    unless given), as after a real onboarding: for demo and benchmark users and tests;
    real people go through compliance/views.py."""
    from agencies.hud_lists import ProjectType
    from compliance.content import ensure_standard_modules
    from compliance.models import PracticeCase, TrainingAttempt, TrainingModule, UserAgreementSignature
    from compliance.training import USER_AGREEMENT_POLICIES
    from hmis.dates import fiscal_year_of, today

    ensure_standard_modules(TrainingModule)
    fiscal_year = fiscal_year or fiscal_year_of(today())
    for module in TrainingModule.objects.exclude(attempts__user=user, attempts__fiscal_year=fiscal_year, attempts__passed=True):
        TrainingAttempt.objects.create(user=user, module=module, score=100, passed=True, fiscal_year=fiscal_year)
    UserAgreementSignature.objects.get_or_create(user=user, fiscal_year=fiscal_year,
                                                 defaults={"policies": USER_AGREEMENT_POLICIES})
    if not PracticeCase.objects.filter(user=user, status=PracticeCase.Status.PASSED).exists():
        PracticeCase.objects.bulk_create(
            PracticeCase(user=user, project_type=t, segment=s, work="Demo practice case", status="passed")
            for t in ProjectType.values for s in PracticeCase.Segment.values)


def verified_session(user, client=None):
    """A Django test client signed in as ``user`` with the second factor already
    accepted, as after the real sign-in flow. For tests and the benchmark only: it
    skips the password and the code (tests/hmis/test_sign_in.py tests those)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = client or Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValueError("The user has no confirmed authenticator.")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _seed_agreements(lead, agencies):
    from agencies.models import AgreementSignature, AgreementVersion
    from hmis.dates import fiscal_year_of, today

    version = AgreementVersion.objects.first() or AgreementVersion.objects.create(
        version="FY2027", text=DEMO_AGREEMENT, published_by=lead)
    director = User.objects.get(username="director_a")
    for name, agency in agencies.items():
        if agency.signatures.exists():
            continue
        AgreementSignature.objects.create(
            agency=agency, version=version, signed_by=director if name == A else None,
            signer_name="Dana Director" if name == A else "Demo Executive Director", signer_title="Executive Director",
            text_signed=version.text, fiscal_year=fiscal_year_of(today()))


# --- Clients in every consent state (issue "Consent-first client records") ---------
DEMO_CLIENT_DEFAULTS = dict(
    middle_name="", name_suffix="", name_data_quality=1, ssn_data_quality=1, dob_data_quality=1,
    race_none=None, additional_race_ethnicity="", sex=0, veteran_status=0,
)

DEMO_CLIENTS = [
    # key, agency, project, sharing, first, last, dob, ssn, extra
    ("full", A, "Riverbend Emergency Shelter", "full", "Rosa", "Delgado", date(1984, 3, 9), "219110001",
     {"hispanic_latinao": True}),
    ("full_child", A, "Riverbend Emergency Shelter", "household", "Mateo", "Delgado", date(2016, 8, 21), "",
     {"hispanic_latinao": True}),
    ("limited", A, "Riverbend Rapid Re-Housing", "limited", "James", "Whitaker", date(1979, 11, 2), "219110002",
     {"white": True, "veteran_status": 1, "sex": 1}),
    ("expired", A, "Riverbend Street Outreach", "full", "Denise", "Harlow", date(1966, 1, 30), "219110003",
     {"black_af_american": True}),
    ("revoked", A, "Riverbend Emergency Shelter", "full", "Samuel", "Ortiz", date(1990, 6, 14), "219110004",
     {"hispanic_latinao": True, "sex": 1}),
    ("locked_part", A, "Riverbend Emergency Shelter", "full", "Amara", "Nwosu", date(1995, 12, 5), "219110005",
     {"black_af_american": True}),
    ("protected", B, "Northside Health Outreach (protected)", "full", "Henry", "Lindqvist", date(1958, 4, 22),
     "219110006", {"white": True, "sex": 1}),
    ("shared_b", B, "Northside Permanent Supportive Housing", "full", "Grace", "Yazzie", date(1970, 9, 9), "219110007",
     {"am_ind_ak_native": True}),
    ("locked_record", C, "Prairie Night Shelter", "none", "Lily", "Brandt", date(1988, 2, 17), "219110008",
     {"white": True}),
]


def _seed_clients(agencies):
    from datetime import timedelta

    from clients import services as client_services
    from clients.models import Client
    from consent import services as consent_services
    from consent.models import ClientLock, OptOutTally, Roi
    from hmis.dates import today

    if Client.objects.filter(search_name="rosa delgado").exists():
        return
    head_roi = None
    made: dict = {}
    for key, agency_name, project_name, sharing, first, last, dob, ssn, extra in DEMO_CLIENTS:
        agency = agencies[agency_name]
        project = agency.projects.get(name=project_name)
        worker = {A: "worker_a", B: "worker_b", C: "worker_c"}[agency_name]
        license = License.objects.select_related("user").get(agency=agency, user__username=worker)
        user = license.user
        fields = DEMO_CLIENT_DEFAULTS | extra
        if sharing == "household":
            roi = head_roi
        else:
            roi = consent_services.roi_record(
                actor=user, license=license, sharing_level=sharing, consent_type="signed", signed_on=today(),
                taken_by=user, project=project,
            )
        household = None
        if sharing == "household":
            household = made["full"].household_memberships.get().household
        client = client_services.client_create(
            actor=user, license=license, roi=roi, household=household, first_name=first, last_name=last, dob=dob,
            ssn=ssn, ssn_data_quality=1 if ssn else 99, **{k: v for k, v in fields.items() if k != "ssn_data_quality"},
        )
        made[key] = client
        if key == "full":
            head_roi = roi
        if key == "expired":
            # A consent signed 13 months ago: its sharing ended (C6).
            signed = today() - timedelta(days=395)
            Roi.objects.filter(pk=roi.pk).update(signed_on=signed, expires_on=consent_services.roi_expiry(project.coc, signed))
            consent_services.refresh_sharing(client)
        if key == "revoked":
            consent_services.roi_revoke(actor=user, license=license, roi=roi, revoked_on=today())
        if key == "locked_part":
            ClientLock.objects.create(client=client, agency=agency, part=ClientLock.Part.DEMOGRAPHICS,
                                      source=ClientLock.Source.CLIENT_REQUEST, status=ClientLock.Status.ACTIVE,
                                      requested_by=user)
    shelter = agencies[A].projects.get(name="Riverbend Emergency Shelter")
    OptOutTally.objects.get_or_create(project=shelter, date=today(), defaults={"count": 1})
    _seed_enrollments(agencies, made)


def _seed_enrollments(agencies, made):
    """Stays across project types, one entered late, one intake left without a stay."""
    from datetime import timedelta

    from consent import services as consent_services
    from consent.models import Roi
    from enrollments import services as stay_services
    from hmis.dates import today

    def lic(username, agency_name):
        return License.objects.select_related("user", "agency").get(user__username=username, agency=agencies[agency_name])

    homeless = dict(living_situation=116, length_of_stay=4, date_to_street_essh=today() - timedelta(days=120),
                    times_homeless_past_three_years=1, months_homeless_past_three_years=104, disabling_condition=0,
                    income_from_any_source=0, benefits_from_any_source=1, insurance_from_any_source=1,
                    physical_disability=0, developmental_disability=0, chronic_health_condition=0, hiv_aids=9,
                    mental_health_disorder=0, substance_use_disorder=0, domestic_violence_survivor=0)
    a, b, c = lic("worker_a", A), lic("worker_b", B), lic("worker_c", C)
    stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Emergency Shelter"),
        entry_date=today(), members=[(made["full"], 1), (made["full_child"], 2)], **homeless)
    stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Rapid Re-Housing"),
        entry_date=today(), members=[(made["limited"], 1)], **homeless)
    stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Emergency Shelter"),
        entry_date=today(), members=[(made["locked_part"], 1)], **homeless)
    # Grace consented six days ago; her project start, collected five days ago, is entered late now.
    grace_roi = made["shared_b"].rois.get()
    Roi.objects.filter(pk=grace_roi.pk).update(signed_on=today() - timedelta(days=6))
    consent_services.refresh_sharing(made["shared_b"])
    stay_services.enroll_household(
        actor=b.user, license=b, project=agencies[B].projects.get(name="Northside Permanent Supportive Housing"),
        entry_date=today() - timedelta(days=5), members=[(made["shared_b"], 1)],
        **(homeless | {"disabling_condition": 1}))
    night = stay_services.enroll_household(
        actor=c.user, license=c, project=agencies[C].projects.get(name="Prairie Night Shelter"),
        entry_date=today(), members=[(made["locked_record"], 1)], **homeless)[0]
    stay_services.record_service(actor=c.user, license=c, enrollment=night, date_provided=today())
    # Henry Lindqvist (Agency B, protected project) has consent but no stay yet: an intake to finish.
