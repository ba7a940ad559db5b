"""Deny by default (DESIGN conv. 4): every view declares who may reach it."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from hmis.access import rule_for


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_view_declares_its_access_rule():
    undeclared = []
    checked = 0
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith("django-admin/"):
            continue  # Django's admin site: superusers only, behind the same sign-in gates
        checked += 1
        if rule_for(pattern.callback) is None:
            undeclared.append(route)
    assert checked > 20
    assert undeclared == [], f"views without an access rule: {undeclared}"


def undeclared_view(request):
    return HttpResponse("should never be served")


urlpatterns = [path("undeclared/", undeclared_view), path("", include("hmis.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_rule_is_refused_even_to_an_administrator(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.get("/undeclared/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_screens_refuse_agency_staff(tenancy, signed_in):
    from django.urls import reverse

    for user in (tenancy.worker_a, tenancy.director_a, tenancy.viewer_b):
        client = signed_in(user)
        for name in ("agencies:coc_list", "agencies:agency_list", "agencies:project_list", "agencies:person_list"):
            assert client.get(reverse(name)).status_code == 403, (user, name)


@pytest.mark.django_db
def test_every_page_needs_sign_in(tenancy):
    from django.test import Client

    client = Client()
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith("django-admin/") or "<" in route or route.endswith(".pdf"):
            continue
        rule = rule_for(pattern.callback)
        url = "/" + route
        response = client.get(url)
        if rule.name.startswith("API"):
            assert response.status_code == 401, url  # the bearer token is the sign-in
        elif rule.name.startswith("anyone"):
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), url
