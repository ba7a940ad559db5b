"""A1, A2: the Agency Partner Agreement, signed in the application, renewed yearly."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse

from agencies import agreements
from agencies.models import AgreementSignature, AgreementVersion, License
from agencies.services import run_agreement_reminders
from hmis.models import Notification
from tests.factories import AgencyFactory, LicenseFactory, UserFactory, sign_agreement
from tests.timetravel import noon

pytestmark = pytest.mark.django_db

TEXT = "The Partner Agency protects client information and records consent before anything else. " * 3


@pytest.fixture
def unsigned(tenancy):
    agency = AgencyFactory(name="Agency N", cocs=[tenancy.coc1], signed=False)
    director = UserFactory(username="director_n")
    LicenseFactory(user=director, agency=agency, role=License.Role.EXECUTIVE_DIRECTOR)
    worker = UserFactory(username="worker_n")
    LicenseFactory(user=worker, agency=agency)
    AgreementVersion.objects.create(version="FY2027", text=TEXT, published_by=tenancy.admin)
    return agency, director, worker


def test_a1_nobody_uses_the_hmis_before_the_director_signs(unsigned, signed_in):
    agency, director, worker = unsigned
    client = signed_in(worker)
    home = client.get(reverse("home")).content.decode()
    assert "has not signed the Agency Partner Agreement" in home
    assert client.get(reverse("clients:search")).status_code == 403
    assert client.get(reverse("clients:intake_consent")).status_code == 403
    assert client.get(reverse("reports:dashboard")).status_code == 403

    refused = client.post(reverse("agreement"), {"signer_name": "W", "signer_title": "X", "agree": "on"})
    assert "executive director" in refused.content.decode().lower()
    assert not AgreementSignature.objects.filter(agency=agency).exists()

    signer = signed_in(director)
    missing_tick = signer.post(reverse("agreement"), {"signer_name": "Nia Okafor", "signer_title": "Executive Director"})
    assert "This field is required" in missing_tick.content.decode()
    signer.post(reverse("agreement"), {"signer_name": "Nia Okafor", "signer_title": "Executive Director", "agree": "on"},
                REMOTE_ADDR="203.0.113.9")
    signature = AgreementSignature.objects.get(agency=agency)
    assert signature.text_signed == TEXT and signature.signer_name == "Nia Okafor"
    assert signature.ip_address == "203.0.113.9" and signature.signed_by == director
    assert client.get(reverse("clients:search")).status_code == 200


def test_a1_the_exact_text_signed_prints_as_pdf(unsigned, signed_in):
    from pypdf import PdfReader

    agency, director, worker = unsigned
    signer = signed_in(director)
    signer.post(reverse("agreement"), {"signer_name": "Nia Okafor", "signer_title": "Executive Director", "agree": "on"})
    AgreementVersion.objects.create(version="FY2028", text="A later text " * 10)  # does not change what was signed
    signature = AgreementSignature.objects.get(agency=agency)
    response = signer.get(reverse("agreement_pdf", args=[signature.pk]))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "records consent before anything else" in text and "Nia Okafor" in text and "later text" not in text
    assert signed_in(worker).get(reverse("agreement_pdf", args=[signature.pk])).status_code == 200  # own agency
    from hmis.models import User

    outsider = User.objects.get(username="worker_b")
    assert signed_in(outsider).get(reverse("agreement_pdf", args=[signature.pk])).status_code == 403


def test_a2_renewal_opens_on_1_october_and_a_lapse_stops_data_entry(tenancy, signed_in, settings):
    settings.APA_RENEWAL_DAYS = 30
    agency = AgencyFactory(name="Agency R", cocs=[tenancy.coc1], signed=False)
    sign_agreement(agency, fiscal_year=2026)  # signed for FY2026 (to 30 September 2026)
    worker = UserFactory(username="worker_r")
    LicenseFactory(user=worker, agency=agency)
    director = UserFactory(username="director_r")
    LicenseFactory(user=director, agency=agency, role=License.Role.EXECUTIVE_DIRECTOR)

    assert agreements.status_of(agency, date(2026, 9, 30)) == agreements.CURRENT
    assert agreements.status_of(agency, date(2026, 10, 15)) == agreements.RENEWAL_DUE
    assert agreements.status_of(agency, date(2026, 11, 1)) == agreements.LAPSED

    with time_machine.travel(noon(date(2026, 10, 2))):
        run_agreement_reminders()
        run_agreement_reminders()
        assert Notification.objects.filter(recipient=director, subject__contains="Renew").count() == 1
        assert signed_in(worker).get(reverse("clients:intake_consent")).status_code == 200
    with time_machine.travel(noon(date(2026, 11, 5))):
        client = signed_in(worker)
        assert client.get(reverse("clients:intake_consent")).status_code == 403
        assert "out of compliance" in client.get(reverse("home")).content.decode()
        run_agreement_reminders()
        assert Notification.objects.filter(recipient=tenancy.admin, subject__contains="lapsed").exists()
        AgreementVersion.objects.get_or_create(version="FY2027", defaults={"text": TEXT})
        signed_in(director).post(reverse("agreement"), {"signer_name": "Rae Diaz", "signer_title": "ED", "agree": "on"})
        assert agreements.status_of(agency) == agreements.CURRENT
        assert signed_in(worker).get(reverse("clients:intake_consent")).status_code == 200


def test_a1_the_hmis_lead_publishes_versions_and_sees_each_agencys_status(unsigned, signed_in, tenancy):
    admin = signed_in(tenancy.admin)
    admin.post(reverse("agreements_admin"), {"version": "FY2028", "text": TEXT + " Amended."})
    assert AgreementVersion.objects.first().version == "FY2028"
    page = admin.get(reverse("agreements_admin")).content.decode()
    assert "Agency N" in page and "Not signed yet" in page
