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
from decimal import Decimal

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
    (A, "MO-500", "Riverbend SSVF Veteran Services", ProjectType.PREVENTION, False, FundingSource.VA_SSVF),
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

    _seed_project_descriptors(lead, agencies, cocs)

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
    _seed_program_elements()
    _seed_federal_partner_answers(lead)
    return printed


def _seed_program_elements():
    """H1: the demo households answer the program-specific elements in full: a child's own
    project-start answers, and updates with income by source and amount, non-cash benefits,
    insurance types and disability follow-ups, which later forms carry forward."""
    from enrollments import services as stay_services
    from enrollments.models import Enrollment
    from hmis.dates import today

    stays = {e.client.search_name: e for e in Enrollment.objects.filter(
        client__search_name__in=["rosa delgado", "mateo delgado", "james whitaker"], exit_date__isnull=True)
        .select_related("client", "project", "agency")}
    if len(stays) < 3 or stays["rosa delgado"].assessments.filter(stage=2).exists():
        return  # not the demo's stays, or seeded already

    def license_of(stay):
        return License.objects.get(user=stay.entered_by, agency=stay.agency)

    # Mateo (8): his own project-start answers; HUD asks insurance and disabilities of every
    # client, income, benefits and domestic violence of heads and adults only.
    mateo = stays["mateo delgado"]
    stay_services.record_member_start(
        actor=mateo.entered_by, license=license_of(mateo), enrollment=mateo,
        insurance_from_any_source=1, schip=1, physical_disability=0, developmental_disability=1,
        chronic_health_condition=1, chronic_health_condition_indefinite=0, hiv_aids=0, mental_health_disorder=0,
        substance_use_disorder=0)
    # Rosa found work: an update with two income sources, benefits and insurance by type.
    rosa = stays["rosa delgado"]
    stay_services.record_assessment(
        actor=rosa.entered_by, license=license_of(rosa), enrollment=rosa, stage=2, information_date=today(),
        income_from_any_source=1, earned=1, earned_amount=Decimal("1250.00"), child_support=1,
        child_support_amount=Decimal("310.50"), benefits_from_any_source=1, snap=1, wic=1,
        insurance_from_any_source=1, medicaid=1, physical_disability=0, developmental_disability=0,
        chronic_health_condition=0, hiv_aids=0, mental_health_disorder=1, mental_health_disorder_indefinite=1,
        substance_use_disorder=0, domestic_violence_survivor=1, when_occurred=3, currently_fleeing=0)
    # James (veteran, rapid re-housing): disability income and a substance use disorder (4.10.2).
    james = stays["james whitaker"]
    stay_services.record_assessment(
        actor=james.entered_by, license=license_of(james), enrollment=james, stage=2,
        information_date=today(),
        income_from_any_source=1, ssdi=1, ssdi_amount=Decimal("943.00"), va_disability_service=1,
        va_disability_service_amount=Decimal("508.05"), benefits_from_any_source=0, insurance_from_any_source=1,
        vha_services=1, medicare=1, physical_disability=1, physical_disability_indefinite=1,
        developmental_disability=0, chronic_health_condition=8, hiv_aids=0, mental_health_disorder=9,
        substance_use_disorder=1, substance_use_disorder_indefinite=0, domestic_violence_survivor=0)


def _seed_federal_partner_answers(lead):
    """H1: James, a veteran in rapid re-housing, also gets SSVF supportive services: his
    stay there answers SSVF's elements (D2: V1 veteran's information, V4 percent of AMI,
    V6 VAMC station, V7 HP targeting criteria, V10 mental health consultation), which show
    on the stay and in the demo's own HMIS CSV export."""
    from enrollments import services as stay_services
    from enrollments.models import Enrollment
    from hmis.dates import today

    ssvf = Project.objects.filter(name="Riverbend SSVF Veteran Services").first()
    james = Enrollment.objects.filter(client__search_name="james whitaker", project__name="Riverbend Rapid Re-Housing"
                                      ).select_related("client", "agency").first()
    if ssvf is None or james is None or Enrollment.objects.filter(project=ssvf).exists():
        return  # not the demo's data, or seeded already
    from consent import services as consent_services

    license = License.objects.get(user__username="worker_a", agency=ssvf.agency)
    # His consent at Agency A names the rapid re-housing project (C7): he signs one for SSVF too.
    consent_services.roi_record(actor=license.user, license=license, sharing_level="limited", consent_type="signed",
                                signed_on=today(), taken_by=license.user, project=ssvf, clients=[james.client])
    stay_services.enroll_household(
        actor=license.user, license=license, project=ssvf, entry_date=today(), members=[(james.client, 1)],
        living_situation=410, length_of_stay=5, disabling_condition=1,
        income_from_any_source=1, ssdi=1, ssdi_amount=Decimal("943.00"), benefits_from_any_source=0,
        insurance_from_any_source=1, vha_services=1, physical_disability=1, physical_disability_indefinite=1,
        developmental_disability=0, chronic_health_condition=0, hiv_aids=0, mental_health_disorder=0,
        substance_use_disorder=0, domestic_violence_survivor=0,
        percent_ami=1, vamc_station="657", target_screen_reqd=0, mental_health_consultation=2,
        year_entered_service=1998, year_separated=2006, world_war_ii=0, korean_war=0, vietnam_war=0, desert_storm=0,
        afghanistan_oef=1, iraq_oif=1, iraq_ond=0, other_theater=0, military_branch=1, discharge_status=1)


# --- Project descriptor data (H2) ---------------------------------------------------
# Where each CoC's projects are: geocode (2.03.2; Missouri's FIPS code 29 and four digits),
# a street address and the geography type (2.03.4).
DEMO_SITES = {
    "MO-500": {"geocode": "291890", "city": "Riverbend", "zip_code": "63101", "geography_type": 1},
    "MO-501": {"geocode": "299105", "city": "Prairie Junction", "zip_code": "65401", "geography_type": 3},
}
DEMO_ADDRESSES = {A: "1200 River Street", B: "45 Northside Avenue", C: "9 Depot Road", V: "PO Box 118"}
RRH_SERVICES_ONLY = "Riverbend RRH Housing Navigation"

# project -> 2.02 descriptors beyond type and dates
DEMO_DESCRIPTORS = {
    "Riverbend Emergency Shelter": {"housing_type": 1},
    "Riverbend Rapid Re-Housing": {"rrh_subtype": 2, "housing_type": 3},
    RRH_SERVICES_ONLY: {"rrh_subtype": 1, "residential_affiliation": 1},
    "Northside Transitional Housing": {"housing_type": 2},
    "Northside Permanent Supportive Housing": {"housing_type": 3, "common_name": "Northside PSH"},
    "Northside Health Outreach (protected)": {"residential_affiliation": 0, "target_population": 3},
    "Prairie Night Shelter": {"housing_type": 1},
    "Safe Harbor Shelter": {"housing_type": 2, "target_population": 1},
}

# project -> inventory rows: household type (2.07.4), units, beds by kind (they add up to the total),
# and for shelters bed type (2.07.5) and availability (2.07.6)
DEMO_INVENTORY = {
    "Riverbend Emergency Shelter": [
        {"household_type": 1, "unit_inventory": 40, "vet_beds": 5, "youth_beds": 5, "other_beds": 30,
         "es_bed_type": 1, "availability": 1},
        {"household_type": 3, "unit_inventory": 10, "other_beds": 30, "es_bed_type": 1, "availability": 1},
    ],
    "Riverbend Rapid Re-Housing": [
        {"household_type": 1, "unit_inventory": 15, "other_beds": 15},
        {"household_type": 3, "unit_inventory": 10, "other_beds": 32},
    ],
    "Northside Transitional Housing": [{"household_type": 3, "unit_inventory": 12, "youth_beds": 6, "other_beds": 30}],
    "Northside Permanent Supportive Housing": [
        {"household_type": 1, "unit_inventory": 30, "ch_vet_beds": 5, "ch_beds": 20, "other_beds": 5}],
    "Prairie Night Shelter": [
        {"household_type": 1, "unit_inventory": 25, "other_beds": 25, "es_bed_type": 1, "availability": 1},
        {"household_type": 1, "unit_inventory": 10, "other_beds": 10, "es_bed_type": 1, "availability": 3},
    ],
    "Safe Harbor Shelter": [{"household_type": 3, "unit_inventory": 8, "other_beds": 24, "es_bed_type": 1,
                             "availability": 1}],
}

# 2.09: access points assess; housing projects take referrals from Coordinated Entry.
DEMO_CE = {
    "Prairie Coordinated Entry": {"access_point": 1, "prevention_assessment": 1, "crisis_assessment": 1,
                                  "housing_assessment": 1, "direct_services": 0, "receives_referrals": 0},
    "Riverbend Street Outreach": {"access_point": 1, "prevention_assessment": 0, "crisis_assessment": 1,
                                  "housing_assessment": 1, "direct_services": 1, "receives_referrals": 0},
    "Riverbend Rapid Re-Housing": {"access_point": 0, "receives_referrals": 1},
    "Northside Transitional Housing": {"access_point": 0, "receives_referrals": 1},
    "Northside Permanent Supportive Housing": {"access_point": 0, "receives_referrals": 1},
}


def _seed_project_descriptors(lead, agencies, cocs) -> None:
    """H2: every demo project gets its HUD descriptor data, through the HMIS Lead's services.
    A project that already has CoC information was seeded before and is left alone."""
    from agencies.hud_lists import NoYes
    from agencies.models import Affiliation, CeParticipation, HmisParticipation, Inventory, ProjectCoc

    start = date(2020, 1, 1)
    agency_a = agencies[A]
    if not agency_a.projects.filter(name=RRH_SERVICES_ONLY).exists():
        navigation = agency_services.project_save(
            actor=lead, agency=agency_a, coc=cocs["MO-500"], name=RRH_SERVICES_ONLY, project_type=ProjectType.RRH,
            operating_start=start, protected=False)
        agency_services.funder_add(actor=lead, project=navigation, funder=FundingSource.COC_RRH, start_date=start,
                                   other_funder="", grant_id=f"DEMO-{navigation.pk:04d}")
    for project in Project.objects.filter(agency__in=agencies.values()).select_related("agency", "coc"):
        if project.coc_rows.exists():
            continue
        descriptors = {"continuum_project": NoYes.YES, "target_population": 4, "hopwa_med_assisted_living_fac": 2,
                       **DEMO_DESCRIPTORS.get(project.name, {})}
        project = agency_services.project_descriptors_save(actor=lead, project=project, **descriptors)
        site = DEMO_SITES[project.coc.code]
        agency_services.descriptor_save(
            actor=lead, project=project, model=ProjectCoc, coc_code=project.coc.code, geocode=site["geocode"],
            address1=DEMO_ADDRESSES.get(project.agency.name, ""), city=site["city"], state="MO",
            zip_code=site["zip_code"], geography_type=site["geography_type"])
        for beds in DEMO_INVENTORY.get(project.name, []):
            kinds = {k: v for k, v in beds.items() if k.endswith("_beds")}
            agency_services.descriptor_save(
                actor=lead, project=project, model=Inventory, coc_code=project.coc.code, start_date=start,
                bed_inventory=sum(kinds.values()), **beds)
        # A6: a victim service provider keeps its data in a comparable database, not the HMIS (2.08.1 = 2).
        agency_services.descriptor_save(
            actor=lead, project=project, model=HmisParticipation, start_date=start,
            participation_type=2 if project.agency.is_victim_service_provider else 1)
        if project.name in DEMO_CE:
            agency_services.descriptor_save(actor=lead, project=project, model=CeParticipation, start_date=start,
                                            **DEMO_CE[project.name])
    navigation = agency_a.projects.get(name=RRH_SERVICES_ONLY)
    shelter = agency_a.projects.get(name="Riverbend Emergency Shelter")
    if not Affiliation.objects.filter(project=navigation).exists():
        agency_services.descriptor_save(actor=lead, project=navigation, model=Affiliation,
                                        residential_project=shelter)


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
                    income_from_any_source=0, benefits_from_any_source=1, snap=1, insurance_from_any_source=1,
                    medicaid=1, physical_disability=0, developmental_disability=0, chronic_health_condition=0, hiv_aids=9,
                    mental_health_disorder=0, substance_use_disorder=0, domestic_violence_survivor=0)
    a, b, c = lic("worker_a", A), lic("worker_b", B), lic("worker_c", C)
    stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Emergency Shelter"),
        entry_date=today(), members=[(made["full"], 1), (made["full_child"], 2)], **homeless)
    stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Rapid Re-Housing"),
        entry_date=today(), members=[(made["limited"], 1)], **homeless)
    sheltered = stay_services.enroll_household(
        actor=a.user, license=a, project=agencies[A].projects.get(name="Riverbend Emergency Shelter"),
        entry_date=today(), members=[(made["locked_part"], 1)], **homeless)[0]
    # An exit to a subsidized rental asks the subsidy's type (3.12.A): a housing choice voucher.
    stay_services.exit_household(
        actor=a.user, license=a, enrollment=sheltered, exit_date=today(), destination=435,
        destination_subsidy_type=433, version=sheltered.version,
        **{k: v for k, v in homeless.items() if k not in stay_services.PRIOR_FIELDS and k != "disabling_condition"})
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
