"""Issue 14 §3: two people at once. A correction names the version of the record it
started from, so the second of two concurrent corrections is shown the first's change
instead of silently reverting it (D6); two revocations of one consent cannot both
succeed (C9)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from clients.models import Correction
from consent import services as consent_services
from consent.models import Roi
from hmis.errors import PolicyError

from .states import license_of, make_client

FORM = {
    "first_name": "Ada", "middle_name": "", "last_name": "Okonkwo", "name_suffix": "", "name_data_quality": 1,
    "ssn": "", "ssn_data_quality": 1, "dob": "1980-05-17", "dob_data_quality": 1, "white": "on",
    "race_none": "", "additional_race_ethnicity": "", "sex": 1, "veteran_status": 0, "kind": "inaccurate",
    "note": "", "information_date": date.today().isoformat(),
}


@pytest.mark.django_db
def test_d6_the_second_of_two_concurrent_corrections_sees_the_first_and_reverts_nothing(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    first, second = signed_in(tenancy.worker_a), signed_in(tenancy.director_a)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in first.get(reverse("clients:correct", args=[person.client_id])).content.decode()
    started = {**FORM, "version": 1}
    assert first.post(reverse("clients:correct", args=[person.client_id]),
                      {**started, "last_name": "Okonkwo-Reyes"}).status_code == 302

    # The second still shows the old last name and changes the veteran status.
    refused = second.post(reverse("clients:correct", args=[person.client_id]), {**started, "veteran_status": 1})
    page = refused.content.decode()
    assert refused.status_code == 200 and 'data-testid="correction-conflict"' in page
    assert "Okonkwo-Reyes" in page  # the first person's change, shown beside the form
    assert 'name="version" value="2"' in page  # saving again starts from the version on file
    person.refresh_from_db()
    assert person.last_name == "Okonkwo-Reyes" and person.veteran_status == 0
    assert set(Correction.objects.filter(client=person).values_list("field", flat=True)) == {"last_name"}

    # Saved again from the current version, with the current last name, it goes through.
    again = second.post(reverse("clients:correct", args=[person.client_id]),
                        {**FORM, "last_name": "Okonkwo-Reyes", "veteran_status": 1, "version": 2})
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.veteran_status, person.version) == ("Okonkwo-Reyes", 1, 3)


@pytest.mark.django_db(transaction=True)
def test_c9_two_revocations_of_one_consent_at_once_cannot_both_succeed(tenancy):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serializes every write anyway)")
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    roi = Roi.objects.get(clients=person)
    locked, done = threading.Event(), threading.Event()

    def the_other_person():
        # Another request revoking the same consent holds its row until it commits.
        try:
            with transaction.atomic():
                Roi.objects.select_for_update().filter(pk=roi.pk).update(revoked_on=date.today())
                locked.set()
                time.sleep(1)
        finally:
            connection.close()
            done.set()

    threading.Thread(target=the_other_person).start()
    assert locked.wait(5)
    stale = Roi.objects.get(pk=roi.pk)  # read before the other commits: not yet revoked
    assert stale.revoked_on is None
    with pytest.raises(PolicyError, match="already revoked"):
        consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), roi=stale,
                                    revoked_on=date.today())
    assert done.wait(5)
    assert Roi.objects.get(pk=roi.pk).revoked_by_id is None  # only the first revocation was recorded
