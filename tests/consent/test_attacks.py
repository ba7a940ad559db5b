"""Issue 14, attacked from outside: an agency that is not the one that entered the data
tries every path to a client's record beyond the client page (C12, C13, A7, C10), and a
legitimate viewer must not be refused its own data.

Tests named test_c12_ / test_a7_ / test_c10_ / test_c13_ ... were findings of a review:
each failed until its path was closed (their docstrings say what leaked). The test_safe_
tests are paths checked and found closed; they keep them so."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from consent.models import GapApproval, Roi
from consent.visibility import Viewer, client_access, record_visible, visible_records
from enrollments import services as stay_services
from enrollments.models import Enrollment, Service
from hmis import dates
from hmis.api_tokens import issue_token
from tests.clients.states import (
    BASE,
    add_member,
    approve_lock,
    enroll,
    license_of,
    make_client,
    manager_of,
    serve_too,
    third_agency,
)
from tests.consent.conftest import client_page as page
from tests.factories import AgencyFactory, LicenseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db




def viewer_of(user, agency=None):
    return Viewer(user, license_of(user, agency))


def api_for(user, agency):
    _, token = issue_token(actor=None, user=user, agency=agency, name="attack")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def export_rows(user, agency, *, portable):
    """The HMIS CSV export the agency's director takes (reports/hmis_csv/export.py)."""
    from reports.hmis_csv.export import Scope, write_export

    target = io.BytesIO()
    write_export(Scope(viewer=Viewer(user, license_of(user, agency))), target, portable=portable)
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        text = archive.read("Client.csv").decode()
    return {row["PersonalID"]: row for row in csv.DictReader(io.StringIO(text))}


# === Findings ==========================================================================

@pytest.mark.parametrize("portable", [False, True], ids=["postgres-sql", "row-by-row"])
def test_c12_hmis_csv_export_withholds_demographics_another_agency_recorded_under_a_limited_consent(
        world, tenancy, portable):
    """James: A recorded sex 0 and veteran status 1 under a LIMITED consent; B serves him
    under its own full consent and enrolled him in B Housing. B's page hides A's
    demographics, but B's director's HMIS CSV export hands them over."""
    james = world.second_consent
    director_b = manager_of(tenancy.agency_b, "director_b")
    rows = export_rows(director_b, tenancy.agency_b, portable=portable)
    assert james.client_id in rows  # B's own stay: the client is B's to export
    row = rows[james.client_id]
    # C12: values A entered under a limited consent stay with A (empty / 99 "data not collected").
    assert row["VeteranStatus"] in ("", "99"), f"A's veteran status exported to B: {row['VeteranStatus']}"
    assert row["Sex"] in ("", "99"), f"A's sex exported to B: {row['Sex']}"


@pytest.mark.parametrize("portable", [False, True], ids=["postgres-sql", "row-by-row"])
def test_a7_c12_hmis_csv_export_masks_the_ssn_a_protected_project_recorded(world, tenancy, portable):
    """Henry: entered in B's protected clinic; A records its own consent and enrolls him.
    A may not reveal his SSN (last 4 at most, C12), yet A's export carries it in full."""
    henry = world.protected_served
    enroll(tenancy.worker_a, henry, tenancy.shelter_a)
    rows = export_rows(tenancy.director_a, tenancy.agency_a, portable=portable)
    assert henry.client_id in rows
    assert rows[henry.client_id]["SSN"] != "828334455", "the protected project's full SSN is in A's export"


def test_c10_hmis_csv_export_withholds_locked_demographics(world, tenancy):
    """Lottie: A corrected her demographics, then her demographics were locked (C10).
    B later serves and enrolls her: B's export must not carry the locked values."""
    lottie = world.locked_history
    serve_too(tenancy.worker_b, lottie, project=tenancy.housing_b)
    enroll(tenancy.worker_b, lottie, tenancy.housing_b)
    director_b = manager_of(tenancy.agency_b, "director_b")
    row = export_rows(director_b, tenancy.agency_b, portable=False)[lottie.client_id]
    assert row["VeteranStatus"] in ("", "99") and row["Sex"] in ("", "99"), (row["Sex"], row["VeteranStatus"])


def test_c12_client_page_household_list_hides_a_household_recorded_under_a_limited_consent(world, tenancy, signed_in):
    """A recorded James's household (James and his child) under a LIMITED consent. B's own
    full consent opens James's record to B and D; the household A recorded must stay with A
    (C2 limited: nothing beyond identifiers; a household is not an identifier)."""
    james = world.second_consent
    a_roi = Roi.objects.get(clients=james, agency=tenancy.agency_a)
    kid = add_member(tenancy.worker_a, james, project=tenancy.shelter_a, roi=a_roi, first="Kiddo", last="Widened")
    assert kid.display_id in page(signed_in, tenancy.worker_a, james)  # A's own household
    for viewer in (tenancy.worker_d, tenancy.worker_b):
        html = page(signed_in, viewer, james)
        assert kid.display_id not in html and "Kiddo" not in html, f"{viewer.username} sees A's household"
        form = signed_in(viewer).get(reverse("clients:consent_new", args=[james.client_id])).content.decode()
        assert "Kiddo" not in form, f"{viewer.username}'s new-consent page names A's household"


def test_c12_c7_per_project_consents_a_stay_is_shared_by_its_own_projects_consent(tenancy, signed_in):
    """C7: A records ROIs per project. The client shares only identifiers for A's street
    outreach (limited) and fully for A's shelter. A then enrolls the client in outreach:
    the stay is stamped with the newest ROI of the agency (the shelter's full one), so
    B sees the outreach stay the client kept limited."""
    License.objects.get(user=tenancy.worker_a).projects.add(tenancy.outreach_a)
    client = make_client(tenancy.worker_a, project=tenancy.outreach_a, sharing="limited", first="Olive",
                         last="Outreachova", ssn="503445566")
    serve_too(tenancy.worker_a, client, project=tenancy.shelter_a, sharing="full")
    stay = enroll(tenancy.worker_a, client, tenancy.outreach_a)
    assert stay.consent.project == tenancy.outreach_a, f"outreach stay stamped with {stay.consent.project}'s consent"
    html = page(signed_in, tenancy.worker_b, client)
    assert tenancy.outreach_a.name not in html


def test_c12_c7_a_newer_limited_consent_for_one_project_does_not_hide_another_projects_full_consent(tenancy, signed_in):
    """The other side of per-project consents (a legitimate viewer refused): the client
    shares the shelter stay fully; a later, limited consent for A's outreach says nothing
    about the shelter, yet B loses the shelter stay the shelter consent shares."""
    License.objects.get(user=tenancy.worker_a).projects.add(tenancy.outreach_a)
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="full", first="Sheila",
                         last="Sheltered", ssn="504556677")
    enroll(tenancy.worker_a, client, tenancy.shelter_a)
    assert tenancy.shelter_a.name in page(signed_in, tenancy.worker_b, client)
    serve_too(tenancy.worker_a, client, project=tenancy.outreach_a, sharing="limited")
    assert tenancy.shelter_a.name in page(signed_in, tenancy.worker_b, client), \
        "the shelter's full consent (in force, unrevoked) no longer shares the shelter stay"


def test_a7_agency_wide_consent_of_a_protected_projects_client_counts_as_protected(
        tenancy, signed_in):
    """B records ROIs agency-wide (the default, C7). A client seen only at B's protected
    clinic signs B's full, agency-wide consent (no project on it). D then sees B's consent
    row (that B serves the client) and the demographics B's clinic recorded (A7)."""
    _, _, worker_d = third_agency(tenancy)
    License.objects.get(user=tenancy.worker_b).projects.add(tenancy.protected_b)
    license_b = license_of(tenancy.worker_b)
    roi = consent_services.roi_record(actor=tenancy.worker_b, license=license_b, sharing_level="full",
                                      consent_type="signed", signed_on=dates.today(), taken_by=tenancy.worker_b)
    client = client_services.client_create(actor=tenancy.worker_b, license=license_b, roi=roi, first_name="Clara",
                                           last_name="Clinica", dob=dates.today().replace(year=1979), ssn="505667788",
                                           **(BASE | {"veteran_status": 1}))
    enroll(tenancy.worker_b, client, tenancy.protected_b)
    html = page(signed_in, worker_d, client)
    assert tenancy.protected_b.name not in html  # the stay itself is hidden (holds today)
    assert "Agency B" not in html, "D learns that the protected project's agency serves the client"
    assert "Veteran status (3.07)" not in html, "D sees demographics recorded at the protected clinic's intake"


def test_c12_hud_report_does_not_count_values_another_agency_recorded_under_a_limited_consent(
        world, tenancy, signed_in):
    """B runs an APR on B Housing, where James stays. His veteran status was recorded by A
    under a limited consent; B's page hides it, but B's report counts him among the
    veterans and the drill-down lists his Client ID."""
    from reports.hud import runner
    from reports.models import ReportRun

    james = world.second_consent
    today = dates.today()
    report = ReportRun.objects.create(kind="apr", start=today - timedelta(days=30), end=today,
                                      requested_by=tenancy.worker_b, agency=tenancy.agency_b)
    report.projects.set([tenancy.housing_b])
    report = runner.run(report)
    q5a = next(t for t in report.tables if t["code"] == "Q5a")["rows"]
    label, cells = q5a[9]
    assert label == "Number of veterans"
    assert james.client_id not in cells[0]["ids"], "A's limited-consent veteran status is counted in B's report"
    cell = signed_in(tenancy.worker_b).get(reverse("reports:hud_cell", args=[report.pk, "Q5a", 9, 0])).content.decode()
    assert james.display_id not in cell


def _rights_printout(signed_in, monkeypatch, user, client, kind):
    """Log a client-rights request as ``user`` and produce its printout; returns the
    printout's HTML (the PDF renderer is replaced by the HTML it would render)."""
    from django.template.loader import render_to_string

    from compliance import client_rights as rights
    from compliance.models import ClientRightsRequest

    monkeypatch.setattr("hmis.pdf.render_pdf",
                        lambda template, context, request=None: render_to_string(template, context).encode())
    request = rights.record_request(actor=user, license=license_of(user), client=client, kind=kind,
                                    received_on=dates.today(), language="en")
    response = signed_in(user).get(reverse("compliance:client_rights_printout", args=[client.client_id, request.pk]))
    assert response.status_code == 200, response.status_code
    assert isinstance(request, ClientRightsRequest)
    return response.content.decode()


def test_a7_c12_client_copy_printout_made_by_another_agency_omits_the_protected_projects_stay(
        world, tenancy, signed_in, monkeypatch):
    """Henry (B's protected clinic) is served later by A. A prints his R1 copy: it lists
    every consent and stay of every agency, the protected project included."""
    henry = world.protected_served
    html = _rights_printout(signed_in, monkeypatch, tenancy.worker_a, henry, "copy")
    assert tenancy.protected_b.name not in html, "the protected clinic's stay is in A's printout"
    assert "Agency B" not in html, "the protected project's agency (its consent) is in A's printout"


def test_c12_client_copy_printout_omits_stays_entered_under_a_limited_consent(world, tenancy, signed_in, monkeypatch):
    """James: A's stay under a limited consent. B (serving him) prints his R1 copy and
    reads A's stay and consent."""
    html = _rights_printout(signed_in, monkeypatch, tenancy.worker_b, world.second_consent, "copy")
    assert tenancy.shelter_a.name not in html and "Agency A" not in html


def test_a7_audit_printout_made_by_another_agency_does_not_name_the_protected_projects_agency(
        world, tenancy, signed_in, monkeypatch):
    """The R2 audit, produced by A for Henry, names Agency B and its staff opening his
    record: A learns that the protected project's agency serves him (A7)."""
    assert page(signed_in, tenancy.worker_b, world.protected_served)  # B's worker opens Henry's page (logged)
    html = _rights_printout(signed_in, monkeypatch, tenancy.worker_a, world.protected_served, "audit")
    assert "Agency B" not in html


def test_c12_client_rights_page_hides_another_agencys_correction_request_text(world, tenancy, signed_in):
    """A logs James's correction request (free text about his record) under its limited
    consent; B, serving him too, reads it on the client-rights page and may print A's
    requests."""
    from compliance import client_rights as rights

    james = world.second_consent
    rights.record_request(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), client=james,
                          kind="correction", received_on=dates.today(), language="en",
                          details="Says he served in the Navy 1999-2003; veteran status must be Yes")
    html = signed_in(tenancy.worker_b).get(reverse("compliance:client_rights", args=[james.client_id])).content.decode()
    assert "Navy" not in html, "B reads A's correction request"


def test_c10_whole_record_lock_approved_later_leaves_an_agency_its_own_stay(tenancy, signed_in):
    """Fulton shares fully at A; B records its own consent and enrolls him in B Housing.
    Then A asks to lock his whole record and the Lead approves (C10). The lock keeps A's
    record from B, but B loses its own client, its own stay and its own consent: B can no
    longer open the stay it runs (nor exit it), though it entered every value there."""
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Fulton", last="Earlyserve",
                         ssn="506778899")
    enroll(tenancy.worker_a, client, tenancy.shelter_a)
    serve_too(tenancy.worker_b, client, project=tenancy.housing_b)
    b_stay = enroll(tenancy.worker_b, client, tenancy.housing_b)
    approve_lock(tenancy, tenancy.worker_a, client, "record")
    b = signed_in(tenancy.worker_b)
    assert b.get(reverse("enrollments:detail", args=[b_stay.enrollment_id])).status_code == 200, \
        "B is refused the stay it entered"
    html = page(signed_in, tenancy.worker_b, client)
    assert tenancy.shelter_a.name not in html  # A's locked record stays A's


# === Safe paths (checked; they hold today and must keep holding) =========================

def test_safe_c12_consent_new_names_and_covers_no_household_member_the_viewer_may_not_see(tenancy, signed_in):
    """A's head of household shares fully; his partner's own consent at A was revoked (C9),
    so other agencies see nothing of her. D opens 'Record a new consent' for the head: the
    page must not name her, and a forged tick must not make D 'serve' her (and reveal her
    full SSN). This was open in the version first reviewed; fixed since."""
    _, _, worker_d = third_agency(tenancy)
    head = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Hector", last="Headley", ssn="501223344")
    partner = add_member(tenancy.worker_a, head, project=tenancy.shelter_a, first="Priya", last="Revokedova",
                         dob=dates.today().replace(year=1985), ssn="502334455")
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                roi=Roi.objects.get(clients=partner, agency=tenancy.agency_a), revoked_on=dates.today())
    d = signed_in(worker_d)
    assert d.get(reverse("clients:detail", args=[partner.client_id])).status_code == 404  # D may not see her
    form = d.get(reverse("clients:consent_new", args=[head.client_id])).content.decode()
    assert "Priya" not in form and partner.display_id not in form, "consent_new names a member D may not see"
    d.post(reverse("clients:consent_new", args=[head.client_id]), {
        "sharing_level": "full", "consent_type": "verbal", "signed_on": dates.today().isoformat(),
        "taken_by": worker_d.pk, "lock_warning_given": "on", "members": [partner.client_id]})
    assert d.post(reverse("clients:reveal_ssn", args=[partner.client_id])).status_code == 404, \
        "D covered a member it could not see with its own consent and now reveals her full SSN"



def test_safe_c13_search_api_and_duplicate_check_find_nothing_across_the_coc_line(world, tenancy, signed_in):
    fulton = world.full
    c = signed_in(tenancy.worker_c)
    assert fulton.display_id not in c.post(reverse("clients:search"), {"text": "Fulton Sharewell"}).content.decode()
    answer = api_for(tenancy.worker_c, tenancy.agency_c).post(
        reverse("api:clients_search"), data={"q": "Fulton Sharewell"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["results"] == []
    from clients.selectors import likely_duplicates

    assert likely_duplicates(viewer=viewer_of(tenancy.worker_c), first_name="Fulton", last_name="Sharewell",
                             dob=fulton.dob, ssn="111223333") == []


def test_safe_c13_an_agency_in_two_cocs_sees_both_cocs_shared_records(world, tenancy, signed_in):
    """Not a refusal of a legitimate viewer: an agency in both CoCs sees what either
    CoC's agencies share with it."""
    both = AgencyFactory(name="Agency X", cocs=[tenancy.coc1, tenancy.coc2])
    shelter_x = ProjectFactory(agency=both, coc=tenancy.coc1, name="X Shelter")
    worker_x = UserFactory(username="worker_x")
    LicenseFactory(user=worker_x, agency=both, projects=[shelter_x])
    c_client = make_client(tenancy.worker_c, project=tenancy.shelter_c, first="Cora", last="Coctwo", ssn="507889900")
    enroll(tenancy.worker_c, c_client, tenancy.shelter_c)
    assert tenancy.shelter_c.name in page(signed_in, worker_x, c_client)
    assert tenancy.shelter_a.name in page(signed_in, worker_x, world.full)
    # ...and an agency in CoC 1 alone still sees nothing of C's client (C13).
    assert signed_in(tenancy.worker_a).get(reverse("clients:detail", args=[c_client.client_id])).status_code == 404


def test_safe_c6_expiry_exactly_today_still_shares_and_the_day_after_does_not(world, tenancy):
    fulton = world.full
    stay = Enrollment.objects.get(client=fulton)
    roi = stay.consent
    viewer = viewer_of(tenancy.worker_d)
    last_day = roi.expires_on
    for day, shared in ((last_day, True), (last_day + timedelta(days=1), False)):
        fulton.__dict__.pop("_consent_states", None)
        assert client_access(viewer, fulton, day).full is shared, day
        assert record_visible(viewer, stay, client=fulton, day=day) is shared, day
        in_sql = visible_records(viewer, Enrollment.objects.filter(pk=stay.pk), day=day).exists()
        assert in_sql is shared, day


def test_safe_c9_revoked_then_a_new_consent_shares_only_what_the_new_one_covers(tenancy, signed_in):
    _, _, worker_d = third_agency(tenancy)
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Rene", last="Wed", ssn="508990011")
    old_stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                roi=Roi.objects.get(clients=client), revoked_on=dates.today())
    serve_too(tenancy.worker_a, client, project=tenancy.shelter_a, sharing="full")
    d = signed_in(worker_d)
    assert d.get(reverse("clients:detail", args=[client.client_id])).status_code == 200
    assert d.get(reverse("enrollments:detail", args=[old_stay.enrollment_id])).status_code == 404
    html = page(signed_in, worker_d, client)
    assert old_stay.enrollment_id not in html and "No enrollment you may see." in html


def test_safe_c6_a_gap_approved_record_stays_with_the_agency_that_entered_it(tenancy, signed_in):
    _, _, worker_d = third_agency(tenancy)
    today = dates.today()
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Gabe", last="Gapman", ssn="509011122")
    stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    Roi.objects.filter(clients=client).update(signed_on=today - timedelta(days=400), expires_on=today - timedelta(days=36))
    Enrollment.objects.filter(pk=stay.pk).update(entry_date=today - timedelta(days=100))
    GapApproval.objects.create(client=client, agency=tenancy.agency_a, starts_on=today - timedelta(days=35),
                               ends_on=today - timedelta(days=10), reason="paper records", requested_by=tenancy.worker_a,
                               status=GapApproval.Status.APPROVED)
    serve_too(tenancy.worker_a, client, project=tenancy.shelter_a, sharing="full")
    Roi.objects.filter(clients=client, signed_on=today).update(signed_on=today - timedelta(days=9))
    consent_services.refresh_sharing(client)
    stay.refresh_from_db()
    license = license_of(tenancy.worker_a)
    in_gap = stay_services.record_service(actor=tenancy.worker_a, license=license, enrollment=stay,
                                          date_provided=today - timedelta(days=20))
    covered = stay_services.record_service(actor=tenancy.worker_a, license=license, enrollment=stay,
                                           date_provided=today - timedelta(days=5))
    assert in_gap.consent is None and covered.consent is not None
    shown = set(visible_records(viewer_of(worker_d), Service.objects.filter(enrollment=stay)).values_list("pk", flat=True))
    assert shown == {covered.pk}
    html = signed_in(worker_d).get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert covered.date_provided.strftime("%m/%d/%Y") in html
    assert in_gap.date_provided.strftime("%m/%d/%Y") not in html


def test_safe_a7_protected_stay_page_and_records_stay_hidden_from_the_agency_serving_later(world, tenancy, signed_in):
    henry = world.protected_served
    stay = Enrollment.objects.get(client=henry, project=tenancy.protected_b)
    a = signed_in(tenancy.worker_a)
    assert a.get(reverse("enrollments:detail", args=[stay.enrollment_id])).status_code == 404
    data = api_for(tenancy.worker_a, tenancy.agency_a).get(reverse("api:client", args=[henry.display_id])).json()
    assert "veteran_status" not in data and "race" not in data


def test_safe_c12_another_agencys_scanned_consent_form_is_never_downloadable(tenancy, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consent.models import RoiDocument

    pdf = SimpleUploadedFile("roi.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    roi = consent_services.roi_record(actor=tenancy.worker_a, license=license_of(tenancy.worker_a),
                                      sharing_level="full", consent_type="signed", signed_on=dates.today(),
                                      taken_by=tenancy.worker_a, project=tenancy.shelter_a, upload=pdf)
    client_services.client_create(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), roi=roi,
                                  first_name="Doc", last_name="Umented", dob=dates.today().replace(year=1990),
                                  ssn="510112233", **BASE)
    RoiDocument.objects.filter(pk=roi.document_id).update(scan_result=RoiDocument.ScanResult.CLEAN)
    url = reverse("consent:document_download", args=[roi.document.uuid])
    assert signed_in(tenancy.worker_b).get(url).status_code == 404
    assert signed_in(tenancy.worker_a).get(url).status_code == 200


def test_safe_c9_api_revoke_by_another_agency_leaves_the_first_agencys_consent(world, tenancy):
    fulton = world.full
    answer = api_for(tenancy.worker_b, tenancy.agency_b).post(
        reverse("api:client_consents_revoke", args=[fulton.display_id]), data={}, content_type="application/json")
    assert answer.status_code == 422
    assert not Roi.objects.filter(clients=fulton, revoked_on__isnull=False).exists()


def test_safe_c12_limited_client_api_detail_and_consent_new_show_identifiers_only(world, tenancy, signed_in):
    lima = world.limited
    data = api_for(tenancy.worker_b, tenancy.agency_b).get(reverse("api:client", args=[lima.display_id])).json()
    assert data["access"] == "identifiers" and "sharing" not in data and "veteran_status" not in data
    form = signed_in(tenancy.worker_b).get(reverse("clients:consent_new", args=[lima.client_id])).content.decode()
    assert "222334444" not in form and "Agency A" not in form
