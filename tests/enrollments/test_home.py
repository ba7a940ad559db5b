"""The case worker's home page: clients in a project, intakes to finish with their
72-hour deadline, annual assessments due, consents expiring, late entries, alerts."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from clients.models import Client
from enrollments.models import Enrollment
from tests.timetravel import noon

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_d1_home_page_lists_intakes_to_finish_and_late_entries(demo, signed_in):
    from hmis.models import User

    page = signed_in(User.objects.get(username="worker_b")).get(reverse("home")).content.decode()
    henry = Client.objects.get(search_name="henry lindqvist")
    grace = Client.objects.get(search_name="grace yazzie")
    assert "Intakes to finish" in page and henry.display_id in page and "Enter it by" in page
    assert "Your entries flagged late" in page and grace.display_id in page


def test_home_page_lists_the_workers_clients_in_a_project(demo, signed_in):
    from hmis.models import User

    page = signed_in(User.objects.get(username="worker_a")).get(reverse("home")).content.decode()
    for name in ("rosa delgado", "mateo delgado", "james whitaker"):
        assert Client.objects.get(search_name=name).display_id in page
    assert "Lily" not in page  # Agency C's client


def test_home_page_shows_annual_assessments_and_expiring_consents(demo, signed_in):
    from hmis.dates import fiscal_year_of
    from hmis.models import User
    from tests.factories import sign_agreement

    stay = Enrollment.objects.get(client__search_name="rosa delgado")
    later = stay.entry_date + timedelta(days=350)
    sign_agreement(stay.agency, fiscal_year=fiscal_year_of(later))  # renewed meanwhile (A2)
    from tests.factories import complete_training

    complete_training(User.objects.get(username="worker_a"), fiscal_year=fiscal_year_of(later))  # recertified (U4)
    with time_machine.travel(noon(later)):
        page = signed_in(User.objects.get(username="worker_a")).get(reverse("home")).content.decode()
    assert "Annual assessments due" in page and stay.client.display_id in page.split("Annual assessments due")[1].split("</section>")[0]
    assert "Consents expiring soon" in page and "expires" in page.split("Consents expiring soon")[1].split("</section>")[0]
