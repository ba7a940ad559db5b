"""The consent-first intake through the pages a case worker uses (C1, C3, C4, C5, C7,
C10, D3, D5)."""

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from clients.models import Client
from consent.models import ClientLock, OptOutTally, Roi
from hmis.models import Notification

from .helpers import CLIENT, consent_step, create_client_step, full_intake

pytestmark = pytest.mark.django_db


def test_c1_client_data_cannot_be_entered_before_consent(tenancy, signed_in):
    client = signed_in(tenancy.worker_a)
    # There is no page to create a client except under a recorded ROI of one's agency.
    other_roi_page = client.get(reverse("clients:intake_client", args=[999999]))
    assert other_roi_page.status_code == 404
    page = client.get(reverse("clients:intake_consent")).content.decode()
    assert "step 1 of 2: consent" in page
    assert "lock their record" in page  # C10 warning before signing


def test_c1_full_sharing_intake_creates_the_client_under_the_roi(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    person = full_intake(worker, tenancy.worker_a, project=tenancy.shelter_a)
    roi = Roi.objects.get()
    assert list(roi.clients.all()) == [person]
    assert person.sharing == "full" and person.sharing_until == roi.expires_on
    assert person.ssn == "219099999" and person.ssn_encrypted and "219099999" not in person.ssn_encrypted
    page = worker.get(reverse("clients:detail", args=[person.client_id])).content.decode()
    assert "Marisol Quintero" in page and "XXX-XX-9999" in page and "219-09-9999" not in page


def test_c1_one_roi_covers_the_household_named_on_it(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = Roi.objects.get()
    create_client_step(worker, roi.pk)
    create_client_step(worker, roi.pk, first_name="Lucia", ssn="", ssn_data_quality=99, dob="2015-06-01")
    worker.post(reverse("clients:intake_finish", args=[roi.pk]))
    members = list(roi.clients.order_by("pk"))
    assert len(members) == 2
    households = {m.household_memberships.get().household_id for m in members}
    assert len(households) == 1
    assert [m.household_memberships.get().is_head for m in members] == [True, False]
    # Each member's page lists the others, never the client themself; a renewal offers them too.
    head, child = members
    page = worker.get(reverse("clients:detail", args=[head.client_id])).content.decode()
    household = page.split("<h2>Household</h2>", 1)[1].split("</ul>", 1)[0]
    assert child.display_id in household and head.display_id not in household
    renewal = worker.get(reverse("clients:consent_new", args=[child.client_id])).content.decode()
    assert f'name="members" value="{head.client_id}"' in renewal


def test_c5_verbal_consent_records_the_date_and_the_staff_member(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, consent_type="verbal", signed_on=date(2026, 11, 20), taken_by=tenancy.director_a,
                 project=tenancy.shelter_a)
    roi = Roi.objects.get()
    assert roi.consent_type == "verbal" and roi.signed_on == date(2026, 11, 20)
    assert roi.taken_by == tenancy.director_a and roi.recorded_by == tenancy.worker_a


def test_c7_agencies_that_record_rois_per_project_must_name_it(tenancy, signed_in):
    tenancy.agency_a.roi_scope = "project"
    tenancy.agency_a.save()
    response = consent_step(signed_in(tenancy.worker_a), taken_by=tenancy.worker_a)
    assert "records an ROI per project" in response.content.decode() or "This field is required" in response.content.decode()
    assert not Roi.objects.exists()


def test_c6_a_consent_dated_too_long_ago_is_refused_with_a_reason(tenancy, signed_in):
    response = consent_step(signed_in(tenancy.worker_a), signed_on=date(2020, 1, 1), taken_by=tenancy.worker_a,
                            project=tenancy.shelter_a)
    assert "expired on" in response.content.decode()


def test_d3_refusals_are_valid_answers(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    person = full_intake(
        worker, tenancy.worker_a, project=tenancy.shelter_a, first_name="", last_name="", name_data_quality=9,
        ssn="", ssn_data_quality=9, dob="", dob_data_quality=8, hispanic_latinao="", race_none=9, sex=99,
        veteran_status=8,
    )
    assert (person.name_data_quality, person.ssn_data_quality, person.dob_data_quality) == (9, 9, 8)
    assert person.race_none == 9 and person.dob is None


def test_d3_a_full_answer_needs_its_value_and_the_form_keeps_what_was_typed(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = Roi.objects.get()
    response = worker.post(reverse("clients:intake_client", args=[roi.pk]),
                           {**CLIENT, "ssn": "12345", "dob": "", "action": "check"})
    page = response.content.decode()
    assert "A full SSN has 9 digits" in page and "Enter the date of birth" in page
    assert 'value="Marisol"' in page and 'value="12345"' in page
    assert not Client.objects.exists()


def test_d5_existing_clients_are_shown_before_creating_and_can_be_linked(tenancy, signed_in):
    first = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    consent_step(worker_b, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    roi_b = Roi.objects.latest("pk")
    # A typo in the name, same date of birth: still found.
    response = worker_b.post(reverse("clients:intake_client", args=[roi_b.pk]),
                             {**CLIENT, "first_name": "Marisoll", "ssn": "", "ssn_data_quality": 99, "action": "check"})
    page = response.content.decode()
    assert first.display_id in page and "Link" in page
    worker_b.post(reverse("clients:intake_client", args=[roi_b.pk]), {"action": "link", "client_id": first.client_id})
    assert Client.objects.count() == 1
    assert set(first.rois.all()) == {Roi.objects.get(agency=tenancy.agency_a), roi_b}
    assert "Your agency serves this client" in worker_b.get(reverse("clients:detail", args=[first.client_id])).content.decode()


def scan_database_for(text: str) -> list[str]:
    """Every text-like column of every table, searched for ``text``."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            quoted = connection.ops.quote_name(table)
            for column in description:
                name = connection.ops.quote_name(column.name)
                if connection.vendor == "postgresql":
                    cursor.execute(f"SELECT COUNT(*) FROM {quoted} WHERE CAST({name} AS TEXT) ILIKE %s", [f"%{text}%"])
                else:
                    cursor.execute(f"SELECT COUNT(*) FROM {quoted} WHERE CAST({name} AS TEXT) LIKE %s", [f"%{text}%"])
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_c3_no_sharing_under_no_record_stores_nothing_about_the_person(tenancy, signed_in):
    unique = f"Zyx{uuid.uuid4().hex[:10]}"
    worker = signed_in(tenancy.worker_a)
    # The worker searches first, as D5 asks, typing the name...
    worker.post(reverse("clients:search"), {"text": f"{unique} Quintero", "dob": "1988-04-12"})
    # ...then the client declines all sharing.
    response = consent_step(worker, sharing="none", project=tenancy.shelter_a, taken_by=tenancy.worker_a,
                            document=SimpleUploadedFile(f"{unique}.pdf", b"%PDF-1.4 " + unique.encode()))
    assert response.status_code == 302
    guidance = worker.get(response["Location"]).content.decode()
    assert "nothing about them is stored" in guidance and "offline-intake-form-es.pdf" in guidance
    assert not Roi.objects.exists() and not Client.objects.exists()
    assert scan_database_for(unique) == []
    tally = OptOutTally.objects.get()
    assert (tally.project, tally.date, tally.count) == (tenancy.shelter_a, date.today(), 1)


def test_c3_no_record_refuses_even_through_a_direct_service_call(tenancy):
    from agencies.models import License
    from consent.services import roi_record
    from hmis.errors import PolicyError

    with pytest.raises(PolicyError, match="no HMIS record at all"):
        roi_record(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a), sharing_level="none",
                   consent_type="signed", signed_on=date.today(), taken_by=tenancy.worker_a, project=tenancy.shelter_a)


def test_c3_locked_record_locks_every_household_member_from_the_first_write(tenancy, signed_in):
    worker_c = signed_in(tenancy.worker_c)
    consent_step(worker_c, sharing="none", project=tenancy.shelter_c, taken_by=tenancy.worker_c)
    roi = Roi.objects.get()
    create_client_step(worker_c, roi.pk)
    create_client_step(worker_c, roi.pk, first_name="Tomas", ssn="", ssn_data_quality=99, dob="2016-02-02")
    members = list(roi.clients.all())
    assert len(members) == 2
    for member in members:
        assert member.locked_to_agency == tenancy.agency_c and member.sharing == "none"
        assert ClientLock.objects.filter(client=member, part="record", status="active").exists()
    # The lock is part of the row's first INSERT: the audit log's create entry carries it.
    from hmis.models import AuditEntry

    created = AuditEntry.objects.filter(content_type__model="client", action=AuditEntry.Action.CREATE)
    assert all(e.changes_dict["locked_to_agency"][1] == str(tenancy.agency_c.pk) for e in created)


def test_c4_blank_offline_intake_form_in_english_and_spanish(tenancy, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    worker = signed_in(tenancy.worker_a)
    for lang, phrase in (("en", "Offline intake form"), ("es", "Formulario de admisión")):
        response = worker.get(reverse("clients:offline_form", args=[lang]))
        assert response["Content-Type"] == "application/pdf"
        assert f"offline-intake-form-{lang}.pdf" in response["Content-Disposition"]
        text = PdfReader(BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))).pages[0].extract_text()
        assert phrase in text


def test_c4_more_opted_out_clients_than_the_threshold_at_a_shelter_alerts_the_agency(tenancy, signed_in):
    from agencies.models import License

    License.objects.filter(user=tenancy.director_a)  # the director gets the alert
    worker = signed_in(tenancy.worker_a)
    for _ in range(2):
        consent_step(worker, sharing="none", project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    assert not Notification.objects.exists()  # 2 is the threshold: not more than it
    consent_step(worker, sharing="none", project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    alerted = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"director_a", "worker_a"} <= alerted
    consent_step(worker, sharing="none", project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    assert Notification.objects.filter(recipient=tenancy.director_a).count() == 1  # once a day
    assert OptOutTally.objects.get().count == 4


def test_c10_a_lock_asked_at_intake_goes_to_the_hmis_lead(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a, lock=True)
    roi = Roi.objects.get()
    create_client_step(worker, roi.pk)
    worker.post(reverse("clients:intake_finish", args=[roi.pk]))
    lock = ClientLock.objects.get()
    assert lock.status == "requested" and lock.part == "record"
    assert Notification.objects.filter(recipient=tenancy.admin).exists()
    admin = signed_in(tenancy.admin)
    admin.post(reverse("consent:lock_decide", args=[lock.pk]), {"decision": "approve", "note": ""})
    person = roi.clients.get()
    assert person.locked_to_agency == tenancy.agency_a
    assert signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[person.client_id])).status_code == 404


def test_a6_victim_service_providers_cannot_start_an_intake(tenancy, signed_in):
    client = signed_in(tenancy.worker_v)
    assert client.get(reverse("clients:intake_consent")).status_code == 403
    assert client.get(reverse("clients:search")).status_code == 403


def test_e5_uploads_are_checked_by_content_and_size(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a, document=fake)
    assert "not a PDF, PNG, JPEG or TIFF" in response.content.decode()
    assert not Roi.objects.exists()
    real = SimpleUploadedFile("Marisol Quintero consent.pdf", b"%PDF-1.4\n%fake but pdf-shaped\n")
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a, document=real)
    roi = Roi.objects.get()
    assert "Quintero" not in roi.document.file.name and roi.document.content_type == "application/pdf"
    assert roi.document.retain_until.year == roi.expires_on.year + 7  # C8
