"""The client record: every read logged, SSN reveal, corrections (D6), search (D5),
virus scanning (E5) and IDs (E1)."""

import socket
import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import CLIENT_ID_ALPHABET, Client, Correction
from hmis.models import AuditEntry

from .states import make_client

pytestmark = pytest.mark.django_db


def test_every_view_of_a_client_page_is_logged_with_user_agency_and_kind(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[person.client_id]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS, client_ref=person.client_id)
    assert (entry.actor, entry.agency, entry.access_kind) == (tenancy.worker_b, tenancy.agency_b, "view")


def test_audit_log_keeps_the_ssn_masked_to_its_last_4(tenancy):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn="123456789")
    created = AuditEntry.objects.get(content_type__model="client", object_pk=str(person.pk), action=AuditEntry.Action.CREATE)
    assert created.additional_data == {"ssn": "XXX-XX-6789"}
    dumped = str(list(AuditEntry.objects.values()))
    assert "123456789" not in dumped and "12345" not in dumped


def test_ssn_is_masked_until_revealed_and_the_reveal_is_logged(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn="123456789")
    worker = signed_in(tenancy.worker_a)
    page = worker.get(reverse("clients:detail", args=[person.client_id])).content.decode()
    assert "XXX-XX-6789" in page and "123-45-6789" not in page
    revealed = worker.post(reverse("clients:reveal_ssn", args=[person.client_id]))
    assert revealed.content.decode().strip() == "123-45-6789"
    assert AuditEntry.objects.filter(access_kind="reveal", client_ref=person.client_id, actor=tenancy.worker_a).exists()
    # Limited sharing: identifiers only, no reveal.
    limited = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited", ssn="123456780")
    assert signed_in(tenancy.worker_b).post(reverse("clients:reveal_ssn", args=[limited.client_id])).status_code == 404


def test_d6_corrections_mark_the_old_value_and_keep_history(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn="123456789")
    worker = signed_in(tenancy.worker_a)
    form = {
        "first_name": "Ada", "middle_name": "", "last_name": "Okonkwo-Reyes", "name_suffix": "", "name_data_quality": 1,
        "ssn": "123456788", "ssn_data_quality": 1, "dob": "1980-05-17", "dob_data_quality": 1, "white": "on",
        "race_none": "", "additional_race_ethnicity": "", "sex": 1, "veteran_status": 1, "kind": "inaccurate",
        "note": "Client clarified", "information_date": date.today().isoformat(),
    }
    response = worker.post(reverse("clients:correct", args=[person.client_id]), form)
    assert response.status_code == 302
    corrections = {c.field: c for c in Correction.objects.filter(client=person)}
    assert set(corrections) == {"last_name", "veteran_status", "ssn"}
    assert corrections["last_name"].previous_value == "Okonkwo" and corrections["last_name"].kind == "inaccurate"
    assert corrections["ssn"].previous_value == "XXX-XX-6789" and corrections["ssn"].new_value == "XXX-XX-6788"
    page = worker.get(reverse("clients:detail", args=[person.client_id])).content.decode()
    assert "Okonkwo-Reyes" in page and "Client clarified" in page and "Inaccurate" in page
    # Nothing changed: said plainly, nothing recorded.
    again = worker.post(reverse("clients:correct", args=[person.client_id]), {**form, "ssn": ""})
    assert "Nothing changed" in again.content.decode()


def test_d6_other_agencies_and_view_only_users_cannot_correct(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    assert signed_in(tenancy.worker_b).get(reverse("clients:correct", args=[person.client_id])).status_code == 404
    assert signed_in(tenancy.viewer_b).get(reverse("clients:correct", args=[person.client_id])).status_code == 403


def test_d5_search_is_typo_tolerant_and_finds_by_dob_last4_and_id(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Jonathan", last="Whitfield",
                         dob=date(1991, 7, 3), ssn="212456789")
    worker = signed_in(tenancy.worker_b)
    for query in ({"text": "Jonathon Whitfeld"}, {"dob": "1991-07-03"}, {"ssn_last4": "6789"},
                  {"text": person.display_id}, {"text": "whitfield", "dob": "1991-07-03"}):
        page = worker.post(reverse("clients:search"), query, HTTP_HX_REQUEST="true").content.decode()
        assert person.display_id in page, query
    miss = worker.post(reverse("clients:search"), {"text": "Whitfield", "dob": "1991-07-04"}, HTTP_HX_REQUEST="true")
    assert person.display_id not in miss.content.decode()


def test_d5_a_client_id_of_letters_alone_is_found_as_typed(tenancy, signed_in):
    """About one HMIS Client ID in twenty has no digit (KRMP-THYZ)."""
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Jonathan", last="Whitfield")
    Client.objects.filter(pk=person.pk).update(client_id="KRMPTHYZ")
    worker = signed_in(tenancy.worker_b)
    for typed in ("KRMP-THYZ", "krmp-thyz", "KRMPTHYZ", "krmpthyz"):
        page = worker.post(reverse("clients:search"), {"text": typed}, HTTP_HX_REQUEST="true").content.decode()
        assert "KRMP-THYZ" in page, typed


def test_d5_search_never_reveals_clients_the_searcher_may_not_see(tenancy, signed_in):
    locked = make_client(tenancy.worker_c, project=tenancy.shelter_c, sharing="none", first="Hidden", last="Person",
                         ssn="212456780")
    page = signed_in(tenancy.worker_a).post(reverse("clients:search"), {"text": "Hidden Person"}).content.decode()
    assert locked.display_id not in page and "No client you may see matches" in page
    own = signed_in(tenancy.worker_c).post(reverse("clients:search"), {"text": "Hidden Person"}).content.decode()
    assert locked.display_id in own


def test_e1_searches_are_posted_so_names_never_enter_urls(tenancy, signed_in):
    page = signed_in(tenancy.worker_a).get(reverse("clients:search")).content.decode()
    assert 'method="post"' in page and "hx-post" in page


def test_e1_client_ids_are_random_not_sequential_and_carry_no_pii(tenancy):
    people = [make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn=f"21245{n:04d}") for n in range(1, 6)]
    ids = [p.client_id for p in people]
    assert len(set(ids)) == 5 and all(len(i) == 8 and set(i) <= set(CLIENT_ID_ALPHABET) for i in ids)
    assert sorted(ids) != ids or sorted(ids, reverse=True) != ids
    assert all("Ada" not in str(p) and "Okonkwo" not in str(p) for p in people)  # str() is what logs see


class FakeClamd(threading.Thread):
    """A clamd speaking the INSTREAM protocol on a unix socket: finds EICAR."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)

    def run(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while not data.endswith(b"\0\0\0\0"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                verdict = b"stream: Eicar-Signature FOUND\0" if b"EICAR" in data else b"stream: OK\0"
                conn.sendall(verdict)


def test_e5_uploads_are_scanned_by_clamav_when_configured(tenancy, signed_in, settings, tmp_path):
    from tests.clients.helpers import consent_step

    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET = path
    worker = signed_in(tenancy.worker_a)
    infected = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE")
    response = consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a, document=infected)
    assert "found Eicar-Signature" in response.content.decode()
    clean = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 a clean scan")
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a, document=clean)
    from consent.models import RoiDocument

    assert RoiDocument.objects.get().scan_result == "clean"


def test_e5_documents_open_only_for_the_serving_agency_and_each_opening_is_logged(tenancy, signed_in):
    from tests.clients.helpers import consent_step, create_client_step

    worker = signed_in(tenancy.worker_a)
    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a,
                 document=SimpleUploadedFile("x.pdf", b"%PDF-1.4 scan"))
    from consent.models import Roi, RoiDocument

    roi = Roi.objects.get()
    create_client_step(worker, roi.pk)
    RoiDocument.objects.update(scan_result="clean")  # scanned: quarantine is tests/consent/test_quarantine.py
    url = reverse("consent:document_download", args=[roi.document.uuid])
    response = worker.get(url)
    assert response.status_code == 200 and f"roi-{roi.pk}.pdf" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(access_kind="download", actor=tenancy.worker_a).exists()
    assert signed_in(tenancy.worker_b).get(url).status_code == 404
    assert Client.objects.count() == 1
