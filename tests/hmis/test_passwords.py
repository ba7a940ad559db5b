"""U7: the password rule, as a unit and through the screens that set passwords."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hmis.demo import DEMO_PASSWORD
from hmis.models import User
from hmis.passwords import HmisPasswordValidator

pytestmark = pytest.mark.django_db


def refusal(password, username="casey"):
    try:
        HmisPasswordValidator().validate(password, User(username=username))
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def test_u7_accepts_a_password_meeting_every_part():
    assert refusal("Quiet-River-7391") is None


def test_u7_demo_password_meets_the_rule():
    assert refusal(DEMO_PASSWORD, username="worker_a") is None


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab3kq9", "at least 8 characters"),
        ("Zqxvbnmkwp", "at least one number"),
        ("83920174-55", "at least one letter"),
        ("xcasey-2291", "username"),
        ("yesac-2291x", "username"),  # username backwards
        ("open-hmis-77z", "HMIS name"),
        ("zz-SIMHNEPO-88", "vendor"),  # vendor name backwards
        ("sunshine1", "dictionary word"),
        ("!1enihsnus", "dictionary word"),  # a dictionary word backwards
        ("Elephant2026", "dictionary word"),
    ],
)
def test_u7_refuses_with_a_clear_reason(password, message):
    reason = refusal(password)
    assert reason is not None and message.lower() in reason.lower(), reason


def test_u7_uses_a_real_word_list_not_a_handful_of_words():
    from django.conf import settings

    from hmis.passwords import load_words

    words = load_words(settings.PASSWORD_WORD_LIST)
    assert len(words) > 50_000
    assert refusal("zebrawood9") is None or "dictionary" in refusal("zebrawood9")
    assert "dictionary" in refusal("Marmalade5")


def test_u7_admin_setting_a_weak_first_password_sees_why_and_keeps_what_was_typed(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    response = client.post(
        reverse("agencies:person_create"),
        {"username": "newcomer", "first_name": "New", "last_name": "Comer", "email": "n@example.org",
         "password": "newcomer1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Do not use your username" in page
    assert 'value="newcomer"' in page and 'value="n@example.org"' in page
    assert not User.objects.filter(username="newcomer").exists()


def test_u7_people_choose_a_compliant_password_at_first_sign_in(tenancy, signed_in):
    person = tenancy.worker_a
    person.password_change_required = True
    person.save()
    client = signed_in(person)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password_change"))
    response = client.post(
        reverse("password_change"),
        {"old_password": "Sturdy-Lamp-4821", "new_password1": "password1", "new_password2": "password1"},
    )
    assert "dictionary word" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "Sturdy-Lamp-4821", "new_password1": "Tide-Lantern-5520",
         "new_password2": "Tide-Lantern-5520"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.password_change_required
    assert client.get(reverse("home")).status_code == 200
