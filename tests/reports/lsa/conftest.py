import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgresql_only(request):
    """The LSA's steps are PostgreSQL SQL (reports/hud/lsa/pipeline.py); CI runs on PostgreSQL."""
    if "db" in request.fixturenames or "tenancy" in request.fixturenames or request.node.get_closest_marker("django_db"):
        if connection.vendor != "postgresql":
            pytest.skip("the LSA runs on PostgreSQL")
