"""C4: the opted-out alert counts guests without a record staying at a shelter at the same
time, not one day's intakes. Everything goes through the pages a shelter worker uses: the
no-record intake, its "nights expected" question, and the nightly count on the tally page."""

from datetime import date, timedelta

from django.urls import reverse

from consent.models import OptOutTally
from hmis.models import Notification
from tests.clients.helpers import consent_step


def _declined(worker, tenancy, on=None):
    """A client who declines all sharing at shelter A (CoC 1 is no_record): the tally's pk."""
    response = consent_step(worker, sharing="none", project=tenancy.shelter_a, taken_by=tenancy.worker_a,
                            signed_on=on)
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").rsplit("/", 1)[1])


def _staying(project, night):
    tally = OptOutTally.objects.filter(project=project, date=night).first()
    return tally.staying if tally else 0


def test_c4_alert_counts_guests_staying_at_once_not_one_days_intakes(tenancy, signed_in):
    """Threshold 2 (the default). Two guests taken in three days ago, each expected to stay
    a week, and one taken in today: only one intake today, but three guests without a record
    stay tonight, more than 2: the director is told, once."""
    worker = signed_in(tenancy.worker_a)
    today = date.today()
    monday = today - timedelta(days=3)
    for _ in range(2):
        tally_pk = _declined(worker, tenancy, on=monday)
        page = worker.post(reverse("clients:intake_opted_out", args=[tally_pk]), {"nights": 7})
        assert page.status_code == 302
    assert not Notification.objects.exists()  # two at once is the threshold, not more
    assert [_staying(tenancy.shelter_a, monday + timedelta(days=d)) for d in range(8)] == [2] * 7 + [0]

    _declined(worker, tenancy, on=today)
    tonight = OptOutTally.objects.get(project=tenancy.shelter_a, date=today)
    assert (tonight.count, tonight.staying) == (1, 3)  # one intake today, three staying
    alerted = Notification.objects.filter(recipient=tenancy.director_a)
    assert alerted.count() == 1
    note = alerted.get()
    assert "3 clients without HMIS records staying" in note.subject
    # E1: counts and the project only; nothing about any person
    assert "Marisol" not in note.subject + note.body


def test_c4_intakes_on_different_days_who_each_stay_one_night_never_alert(tenancy, signed_in):
    """Three guests, three nights, one night each: never more than one staying at once.
    Counting a period's intakes would have said three."""
    worker = signed_in(tenancy.worker_a)
    for days_ago in (3, 2, 1):
        _declined(worker, tenancy, on=date.today() - timedelta(days=days_ago))
    assert not Notification.objects.exists()
    assert OptOutTally.objects.filter(project=tenancy.shelter_a).values_list("staying", flat=True).distinct().get() == 1


def test_c4_the_nightly_count_replaces_what_intakes_expected_and_alerts(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    tally_pk = _declined(worker, tenancy, on=date.today() - timedelta(days=1))
    worker.post(reverse("clients:intake_opted_out", args=[tally_pk]), {"nights": 5})
    assert _staying(tenancy.shelter_a, date.today()) == 1

    page = worker.get(reverse("consent:opt_out_tally")).content.decode()
    assert "Tonight's guests without a record" in page
    response = worker.post(reverse("consent:opt_out_staying"),
                           {"project": tenancy.shelter_a.pk, "night": date.today().isoformat(), "staying": 3})
    assert response.status_code == 302
    assert _staying(tenancy.shelter_a, date.today()) == 3
    assert Notification.objects.filter(recipient=tenancy.director_a).count() == 1
    # the guest left: the count goes down; the next night's expectation is untouched
    worker.post(reverse("consent:opt_out_staying"),
                {"project": tenancy.shelter_a.pk, "night": date.today().isoformat(), "staying": 0})
    assert _staying(tenancy.shelter_a, date.today()) == 0
    assert _staying(tenancy.shelter_a, date.today() + timedelta(days=1)) == 1


def test_c4_expected_nights_count_once_per_intake(tenancy, signed_in):
    """A second post of the nights form (a double click, the back button) does not count the
    guest twice; another worker's session cannot add nights to someone else's intake."""
    worker = signed_in(tenancy.worker_a)
    tally_pk = _declined(worker, tenancy)
    url = reverse("clients:intake_opted_out", args=[tally_pk])
    assert "Nights the guest is expected to stay" in worker.get(url).content.decode()
    worker.post(url, {"nights": 3})
    worker.post(url, {"nights": 3})
    assert _staying(tenancy.shelter_a, date.today() + timedelta(days=1)) == 1
    assert "Nights the guest is expected to stay" not in worker.get(url).content.decode()

    director = signed_in(tenancy.director_a)
    director.post(url, {"nights": 3})
    assert _staying(tenancy.shelter_a, date.today() + timedelta(days=1)) == 1


def test_c4_bad_counts_get_a_clear_message_and_keep_what_was_typed(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    tally_pk = _declined(worker, tenancy)
    page = worker.post(reverse("clients:intake_opted_out", args=[tally_pk]), {"nights": 400})
    assert page.status_code == 400
    assert "less than or equal to 90" in page.content.decode() and 'value="400"' in page.content.decode()
    assert _staying(tenancy.shelter_a, date.today() + timedelta(days=1)) == 0

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page = worker.post(reverse("consent:opt_out_staying"),
                       {"project": tenancy.shelter_a.pk, "night": tomorrow, "staying": 4})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Count a night that has begun" in text and 'value="4"' in text
    assert _staying(tenancy.shelter_a, date.today() + timedelta(days=1)) == 0
    page = worker.post(reverse("consent:opt_out_staying"),
                       {"project": tenancy.shelter_a.pk, "night": date.today().isoformat(), "staying": -1})
    assert page.status_code == 400 and "greater than or equal to 0" in page.content.decode()


def test_c4_nightly_counts_only_for_the_workers_own_shelters(tenancy, signed_in):
    """Another agency's shelter, or a project that is not a shelter, is refused; a
    reporting-only license cannot post counts at all."""
    worker_c = signed_in(tenancy.worker_c)
    response = worker_c.post(reverse("consent:opt_out_staying"),
                             {"project": tenancy.shelter_a.pk, "night": date.today().isoformat(), "staying": 9})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    worker_a = signed_in(tenancy.worker_a)
    response = worker_a.post(reverse("consent:opt_out_staying"),
                             {"project": tenancy.outreach_a.pk, "night": date.today().isoformat(), "staying": 9})
    assert response.status_code == 400
    reporter = signed_in(tenancy.reporter_b)
    response = reporter.post(reverse("consent:opt_out_staying"),
                             {"project": tenancy.shelter_a.pk, "night": date.today().isoformat(), "staying": 9})
    assert response.status_code == 403
    assert not OptOutTally.objects.exists() and not Notification.objects.exists()


def test_c4_the_tally_keeps_no_identifier(db):
    """Project, date, the two counts and whether the night's alert went: nothing else."""
    assert {f.name for f in OptOutTally._meta.concrete_fields} == {
        "id", "project", "date", "count", "staying", "alert_sent"}


def test_c3_the_consent_step_says_what_declining_may_mean_for_housing(tenancy, signed_in):
    """Seed 002: explain first that declining "may limit access to housing or programs that
    require HMIS participation"; emergency services are still provided."""
    page = signed_in(tenancy.worker_a).get(reverse("clients:intake_consent")).content.decode()
    assert "declining may limit their access to housing" in page
    assert "Emergency services are still provided" in page
