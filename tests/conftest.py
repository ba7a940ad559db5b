"""Shared fixtures: settings for tests, signed-in clients, and the personas of
DESIGN conv. 4 (own agency, other agency, view only, reporting only, VSP, admin)."""

from types import SimpleNamespace

import pytest
from django.test import Client

from agencies.models import Coc, License
from hmis.demo import verified_session

from .factories import (
    TEST_PASSWORD,
    AgencyFactory,
    CocFactory,
    HmisLeadFactory,
    LicenseFactory,
    ProjectFactory,
    UserFactory,
    confirmed_totp_device,
)


@pytest.fixture(scope="session", autouse=True)
def _test_settings_for_the_session():
    """Plain HTTP and unhashed static names under test. Session-wide, so the live
    server of the browser tests (started once) sees them too."""
    from django.test.utils import override_settings

    override = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER=True,
        # Real hashing costs ~0.3 s a password; the tests of hashing are Django's own.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"


@pytest.fixture
def password():
    return TEST_PASSWORD


def sign_in(user, client: Client | None = None) -> Client:
    """A client signed in with password and a verified second factor, as after the
    real flow (tests of the flow itself live in tests/hmis/test_sign_in.py)."""
    confirmed_totp_device(user)
    return verified_session(user, client)


@pytest.fixture
def signed_in():
    return sign_in


@pytest.fixture
def tenancy(db):
    """Two CoCs (no_record, locked_record), agencies A, B (CoC 1), C (CoC 2), V (VSP),
    and one person per persona."""
    lead = HmisLeadFactory()
    coc1 = CocFactory(lead=lead, code="TS-500", no_sharing_policy=Coc.NoSharingPolicy.NO_RECORD)
    coc2 = CocFactory(lead=lead, code="TS-501", no_sharing_policy=Coc.NoSharingPolicy.LOCKED_RECORD)
    agency_a = AgencyFactory(name="Agency A", cocs=[coc1])
    agency_b = AgencyFactory(name="Agency B", cocs=[coc1])
    agency_c = AgencyFactory(name="Agency C", cocs=[coc2])
    agency_v = AgencyFactory(name="Agency V", cocs=[coc1], is_victim_service_provider=True)
    shelter_a = ProjectFactory(agency=agency_a, coc=coc1, name="A Shelter")
    outreach_a = ProjectFactory(agency=agency_a, coc=coc1, name="A Outreach", project_type=4)
    housing_b = ProjectFactory(agency=agency_b, coc=coc1, name="B Housing", project_type=3)
    protected_b = ProjectFactory(agency=agency_b, coc=coc1, name="B Clinic", project_type=6, protected=True)
    shelter_c = ProjectFactory(agency=agency_c, coc=coc2, name="C Shelter")
    shelter_v = ProjectFactory(agency=agency_v, coc=coc1, name="V Shelter")

    def person(username, agency, projects=(), **license_fields):
        user = UserFactory(username=username)
        LicenseFactory(user=user, agency=agency, projects=list(projects), **license_fields)
        return user

    admin = UserFactory(username="admin", is_system_admin=True)
    return SimpleNamespace(
        lead=lead, coc1=coc1, coc2=coc2,
        agency_a=agency_a, agency_b=agency_b, agency_c=agency_c, agency_v=agency_v,
        shelter_a=shelter_a, outreach_a=outreach_a, housing_b=housing_b, protected_b=protected_b,
        shelter_c=shelter_c, shelter_v=shelter_v,
        admin=admin,
        worker_a=person("worker_a", agency_a, [shelter_a]),
        director_a=person("director_a", agency_a, role=License.Role.EXECUTIVE_DIRECTOR),
        worker_b=person("worker_b", agency_b, [housing_b]),
        viewer_b=person("viewer_b", agency_b, access_level=License.AccessLevel.VIEW_ONLY),
        reporter_b=person("reporter_b", agency_b, access_level=License.AccessLevel.REPORTING_ONLY),
        worker_c=person("worker_c", agency_c, [shelter_c]),
        worker_v=person("worker_v", agency_v, [shelter_v]),
    )

