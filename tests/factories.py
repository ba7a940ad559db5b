"""factory-boy factories for tests. Tenancy objects are built the way the services
build them (agency groups, group membership), so tests see real state."""

from datetime import date

import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.hud_lists import ProjectType
from agencies.models import Agency, Coc, HmisLead, License, Project
from agencies.services import _sync_group_membership
from hmis.models import User

TEST_PASSWORD = "Sturdy-Lamp-4821"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Sequence(lambda n: f"Given{n}")
    last_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class HmisLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HmisLead
        django_get_or_create = ("id",)

    id = 1
    name = "Test HMIS Lead"


def _letters(n: int) -> str:
    return chr(ord("A") + n // 26 % 26) + chr(ord("A") + n % 26)


class CocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coc
        django_get_or_create = ("code",)

    lead = factory.SubFactory(HmisLeadFactory)
    # HUD's pattern (AA-999) for however many CoCs a whole test run makes.
    code = factory.Sequence(lambda n: f"{'TS' if n < 500 else _letters(n // 500)}-{500 + n % 500:03d}")
    name = factory.Sequence(lambda n: f"Test CoC {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agency {n}")
    status = Agency.Status.PARTICIPATING
    group = factory.LazyFunction(lambda: Group.objects.create(name=f"agency:pending:{Group.objects.count()}"))

    @factory.post_generation
    def cocs(self, create, extracted, **kwargs):
        self.group.name = f"agency:{self.pk}"
        self.group.save()
        self.cocs.set(extracted if extracted is not None else [CocFactory()])

    @factory.post_generation
    def signed(self, create, extracted, **kwargs):
        """Agencies have signed this fiscal year's partner agreement unless signed=False."""
        if extracted is False:
            return
        sign_agreement(self)


def sign_agreement(agency, fiscal_year=None):
    from agencies.models import AgreementSignature, AgreementVersion
    from hmis import dates

    version, _ = AgreementVersion.objects.get_or_create(version="test", defaults={"text": "Test agreement text. " * 5})
    return AgreementSignature.objects.create(
        agency=agency, version=version, signer_name="Test Director", signer_title="Executive Director",
        text_signed=version.text, fiscal_year=fiscal_year or dates.fiscal_year_of(dates.today()))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    agency = factory.SubFactory(AgencyFactory)
    coc = factory.LazyAttribute(lambda p: p.agency.cocs.first())
    name = factory.Sequence(lambda n: f"Project {n}")
    project_type = ProjectType.ES_ENTRY_EXIT
    operating_start = date(2020, 1, 1)


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = License.Role.END_USER
    access_level = License.AccessLevel.FULL

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if extracted:
            self.projects.set(extracted)
        _sync_group_membership(self)

    @factory.post_generation
    def trained(self, create, extracted, **kwargs):
        """People have done their training unless trained=False."""
        if extracted is not False:
            complete_training(self.user)


def complete_training(user, fiscal_year=None):
    """Every module passed, the user agreement signed, practice cases passed for every
    project type: as after a real onboarding."""
    from hmis.demo import complete_training as done

    done(user, fiscal_year)


def confirmed_totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})[0]
