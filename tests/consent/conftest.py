"""What the consent tests share: the states of tests/clients/states.py with a third
agency D, and a client's page as a viewer gets it."""

import pytest
from django.urls import reverse

from tests.clients.states import build_states, third_agency


@pytest.fixture
def world(tenancy):
    states = build_states(tenancy)
    tenancy.agency_d, tenancy.shelter_d, tenancy.worker_d = third_agency(tenancy)
    return states


def client_page(signed_in, user, client):
    response = signed_in(user).get(reverse("clients:detail", args=[client.client_id]))
    assert response.status_code == 200
    return response.content.decode()
