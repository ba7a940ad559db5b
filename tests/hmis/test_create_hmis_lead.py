"""Bootstrap (issue 17): `manage.py create_hmis_lead` makes the first HMIS Lead system
administrator of a new installation, who signs in once with the printed password, then
chooses their own and enrols their authenticator."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hmis.models import User

pytestmark = pytest.mark.django_db


def create(*args):
    out = StringIO()
    call_command("create_hmis_lead", *args, stdout=out)
    return out.getvalue()


def test_the_first_lead_administrator_signs_in_once_then_chooses_a_password_and_enrols_totp(client):
    printed = create("hlead", "--email", "lead@coc.example.org", "--first-name", "Hana", "--last-name", "Lee")
    user = User.objects.get(username="hlead")
    assert user.is_system_admin and user.password_change_required and not user.is_superuser
    assert user.email == "lead@coc.example.org"
    password = re.search(r"One-time password: (\S+)", printed).group(1)
    assert user.check_password(password)
    assert "/accounts/two-factor/setup/" in printed  # how they enrol their authenticator
    # The printed password signs in; the next step is choosing their own password.
    response = client.post(reverse("login"), {"username": "hlead", "password": password})
    assert response.status_code == 302 and response["Location"] != reverse("login")  # past the password step


def test_an_existing_username_or_a_missing_email_is_refused_and_nothing_changes():
    create("hlead", "--email", "lead@coc.example.org")
    with pytest.raises(CommandError, match="already a person with the username hlead"):
        create("hlead", "--email", "other@coc.example.org")
    assert User.objects.get(username="hlead").email == "lead@coc.example.org"
    with pytest.raises(CommandError, match="e-mail"):
        create("second", "--email", " ")
    with pytest.raises(CommandError, match="email"):
        create("third", "--email", "not-an-address")
    assert not User.objects.filter(username__in=["second", "third"]).exists()
