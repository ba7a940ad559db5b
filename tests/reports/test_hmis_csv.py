"""D4/T3 (issue 7): HMIS CSV FY2026 export and import."""

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from clients.models import Client
from enrollments.models import Assessment, Enrollment, Service
from reports.hmis_csv import spec
from reports.models import ImportRun
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
HEADERS = Path(spec.__file__).parent / "hmis_csv_fy2026_headers.txt"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files, name):
    return list(csv.DictReader(io.StringIO(files[name].decode())))


def export(tmp_path, name="export.zip", *args):
    out = tmp_path / name
    call_command("export_hmis_csv", "--out", str(out), *args, stdout=io.StringIO())
    return out


def test_export_has_the_24_files_with_hud_headers_in_order(demo, tmp_path):
    files = read_zip(export(tmp_path))
    expected = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in HEADERS.read_text().splitlines() if ":" in line}
    assert list(files) == list(expected)  # the 24 files, in HUD's order
    for name, header in expected.items():
        assert files[name].decode().split("\r\n", 1)[0] == header, name
    clients = rows(files, "Client.csv")
    rosa = next(c for c in clients if c["FirstName"] == "Rosa")
    assert rosa["PersonalID"] == Client.objects.get(search_name="rosa delgado").client_id
    assert rosa["Sex"] in {"0", "1", "8", "9", "99"} and rosa["NameDataQuality"] == "1"
    assert rows(files, "Export.csv")[0]["CSVVersion"] == "2026 v1.0"
    assert rows(files, "Export.csv")[0]["HashStatus"] == "1"


def test_hashed_export_carries_no_names_or_ssn(demo, tmp_path):
    files = read_zip(export(tmp_path, "hashed.zip", "--hash"))
    text = files["Client.csv"].decode()
    assert "Rosa" not in text and "Delgado" not in text
    assert rows(files, "Export.csv")[0]["HashStatus"] == "4"
    assert all(len(c["FirstName"]) in (0, 64) for c in rows(files, "Client.csv"))


def test_export_then_import_then_export_gives_identical_files(demo, tmp_path):
    with time_machine.travel(noon(date.today()), tick=False):
        first = export(tmp_path, "first.zip")
        counts = (Client.objects.count(), Enrollment.objects.count(), Assessment.objects.count(), Service.objects.count())
        # re-importing the same export updates, never duplicates
        call_command("import_hmis_csv", str(first), stdout=io.StringIO())
        assert (Client.objects.count(), Enrollment.objects.count(), Assessment.objects.count(),
                Service.objects.count()) == counts
        second = export(tmp_path, "second.zip")
    assert read_zip(first) == read_zip(second)


def test_import_into_an_empty_hmis_recreates_the_records(demo, tmp_path):
    with time_machine.travel(noon(date.today()), tick=False):
        first = export(tmp_path, "first.zip")
        for model in (Service, Assessment):
            model.objects.all().delete()
        from consent.models import Roi
        from enrollments.models import CeAssessment, CeEvent, CurrentLivingSituation

        for model in (CurrentLivingSituation, CeAssessment, CeEvent, Enrollment):
            model.objects.all().delete()
        for roi in Roi.objects.all():
            roi.clients.clear()
        from clients.models import Correction, HouseholdMember

        Correction.objects.all().delete()
        HouseholdMember.objects.all().delete()
        from consent.models import ClientLock, GapApproval

        ClientLock.objects.all().delete()
        GapApproval.objects.all().delete()
        from compliance.models import ClientRightsRequest

        ClientRightsRequest.objects.all().delete()
        Client.objects.all().delete()
        call_command("import_hmis_csv", str(first), stdout=io.StringIO())
        second = export(tmp_path, "second.zip")
    assert read_zip(first) == read_zip(second)
    rosa = Client.objects.get(search_name="rosa delgado")
    assert rosa.locked_to_agency == rosa.entered_by_agency  # the default: locked to the owning agency
    run = ImportRun.objects.latest("run_at")
    assert run.sharing == "locked" and run.status == "loaded"


def write_zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def edited(source, name, change):
    files = {k: v.decode("utf-8") for k, v in read_zip(source).items()}
    files[name] = change(files[name])
    return files


def test_malformed_files_each_give_their_exact_error(demo, tmp_path):
    good = export(tmp_path, "good.zip")
    enrollment = rows(read_zip(good), "Enrollment.csv")[0]
    client_line = read_zip(good)["Client.csv"].decode().split("\r\n")[1]
    cases = {
        "missing Project.csv": (lambda f: {k: v for k, v in f.items() if k != "Project.csv"},
                                ["Project.csv", 0, "", "this file is required in every export"]),
        "bad date": (lambda f: f | {"Enrollment.csv": f["Enrollment.csv"].replace(
            f",{enrollment['EntryDate']},", ",13/45/2024,", 1)},
            ["Enrollment.csv", 2, "EntryDate", "'13/45/2024' is not a date (YYYY-MM-DD)"]),
        # A code outside HUD's list loads with a warning (H3); one no coded column can hold is an error.
        "value not storable": (lambda f: f | {"Client.csv": f["Client.csv"].replace(
            client_line, client_line.replace(",1,", ",-7,", 1), 1)}, None),
        "missing column": (lambda f: f | {"Funder.csv": f["Funder.csv"].replace("GrantID,", "", 1)},
                           ["Funder.csv", 1, "GrantID", "column missing"]),
        "missing parent": (lambda f: f | {"Enrollment.csv": f["Enrollment.csv"].replace(
            enrollment["PersonalID"], "NOSUCH01", 1)},
            ["Enrollment.csv", 2, "PersonalID", "NOSUCH01 is not in Client.csv"]),
        # Several Export.csv rows load with a warning now (H3): tests/reports/test_import_real_world.py.
    }
    before = Client.objects.count()
    for label, (change, expected) in cases.items():
        files = change({k: v.decode("utf-8") for k, v in read_zip(good).items()})
        run_path = write_zip(tmp_path / f"{label}.zip", files)
        with pytest.raises(CommandError, match="Nothing was loaded"):
            call_command("import_hmis_csv", str(run_path), stdout=io.StringIO())
        run = ImportRun.objects.latest("run_at")
        if expected:
            assert [*expected, "error"] in run.problems, (label, run.problems)
        else:
            assert any(p[1] == 2 and "-7 is not in HUD's value list and cannot be stored" in p[3]
                       for p in run.errors), (label, run.problems)
    assert Client.objects.count() == before  # nothing half-loaded


def test_messy_but_valid_files_load_with_warnings(demo, tmp_path):
    good = export(tmp_path, "good.zip")
    files = {k: v.decode() for k, v in read_zip(good).items()}
    # a byte-order mark, \n line ends, and a soft-deleted service row
    files["Client.csv"] = "\ufeff" + files["Client.csv"].replace("\r\n", "\n")
    services = files["Services.csv"].split("\r\n")
    if len(services) > 2:
        cells = services[1].split(",")
        cells[-2] = "2025-01-01 10:00:00"  # DateDeleted
        services[1] = ",".join(cells)
        files["Services.csv"] = "\r\n".join(services)
    path = tmp_path / "messy.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    call_command("import_hmis_csv", str(path), stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")
    assert run.status == "loaded"
    if len(services) > 2:
        assert any("was deleted in the source: skipped" in p[3] for p in run.warnings)


def test_an_agency_exports_only_what_it_may_see_and_each_export_is_logged(tenancy, signed_in):
    from django.urls import reverse

    from hmis.models import AuditEntry
    from tests.clients.states import make_client

    ours = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Ours", ssn="345678902")
    theirs = make_client(tenancy.worker_b, project=tenancy.housing_b, first="Theirs", ssn="345678903")
    from agencies.models import License

    License.objects.filter(user=tenancy.director_a).update(role="executive_director")
    from tests.enrollments.test_stays import START

    def stay(worker, person, project):
        from django.urls import reverse as r

        data = {**START, "project": project.pk, "entry_date": date.today().isoformat(),
                "information_date": date.today().isoformat(),
                "date_to_street_essh": date(date.today().year - 1, 1, 1).isoformat(),
                f"relationship_{person.client_id}": 1}
        signed_in(worker).post(r("enrollments:enroll", args=[person.client_id]), data)

    stay(tenancy.worker_a, ours, tenancy.shelter_a)
    stay(tenancy.worker_b, theirs, tenancy.housing_b)
    assert Enrollment.objects.count() == 2
    response = signed_in(tenancy.director_a).post(reverse("reports:export"), {})
    assert response["Content-Disposition"].startswith('attachment; filename="hmis-csv-')
    files = {}
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    clients = rows(files, "Client.csv")
    assert [c["PersonalID"] for c in clients] == [ours.client_id]
    assert [p["ProjectName"] for p in rows(files, "Project.csv")] == ["A Shelter", "A Outreach"] or \
        {p["ProjectName"] for p in rows(files, "Project.csv")} == {"A Shelter", "A Outreach"}
    assert AuditEntry.objects.filter(access_kind="export", client_ref=ours.client_id, actor=tenancy.director_a).exists()
    # end users and other people cannot export; only the Lead imports
    assert signed_in(tenancy.worker_a).get(reverse("reports:export")).status_code == 404
    assert signed_in(tenancy.director_a).get(reverse("reports:import")).status_code == 403


def test_the_lead_uploads_an_export_and_sees_each_problem(demo, tmp_path, signed_in, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from hmis.models import User

    good = export(tmp_path, "good.zip")
    files = {k: v.decode() for k, v in read_zip(good).items()}
    files["Enrollment.csv"] = files["Enrollment.csv"].replace("\r\n", "\r\nX,", 1)  # shifts one row
    bad = write_zip(tmp_path / "bad.zip", files)
    admin = signed_in(User.objects.get(username="lead"))
    with django_capture_on_commit_callbacks(execute=True):  # the upload's job, run as it is queued
        response = admin.post(reverse("reports:import"), {"sharing": "serving",
                                                          "file": SimpleUploadedFile("bad.zip", bad.read_bytes())})
    response = admin.get(response["Location"])
    assert b"Nothing was loaded" in response.content and b"Enrollment.csv" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("reports:import"), {"sharing": "serving",
                                                          "file": SimpleUploadedFile("good.zip", good.read_bytes())})
    response = admin.get(response["Location"])
    assert b"Imported." in response.content
    assert ImportRun.objects.latest("run_at").sharing == "serving"


def test_import_matches_organizations_and_projects_by_name_when_ids_differ(demo, tmp_path):
    """Another system's IDs for the same agencies and projects: matched by name, not duplicated."""
    from agencies.models import Agency, Project

    files = {k: v.decode() for k, v in read_zip(export(tmp_path, "good.zip")).items()}
    for name in ("Organization.csv", "Project.csv", "Funder.csv", "ProjectCoC.csv", "Inventory.csv", "Affiliation.csv",
                 "HMISParticipation.csv", "CEParticipation.csv", "Enrollment.csv"):
        table = list(csv.reader(io.StringIO(files[name])))
        for row in table[1:]:
            for i, column in enumerate(table[0]):
                if column in ("OrganizationID", "ProjectID", "ResProjectID") and row[i]:
                    row[i] = f"X{row[i]}"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(table)
        files[name] = buffer.getvalue()
    files["Export.csv"] = files["Export.csv"].replace("OPENHMIS", "OTHERHMIS")
    counts = (Agency.objects.count(), Project.objects.count())
    call_command("import_hmis_csv", str(write_zip(tmp_path / "other.zip", files)), stdout=io.StringIO())
    assert (Agency.objects.count(), Project.objects.count()) == counts


def test_export_formatted_by_postgresql_is_byte_identical_to_the_row_by_row_export(demo, tmp_path):
    """Issue 8: on PostgreSQL the large files are formatted by the database
    (reports/hmis_csv/export_sql.py); the row-by-row path every database has must
    write the same bytes, free text with commas, quotes and line breaks included."""
    from decimal import Decimal

    from django.db import connection

    from consent.visibility import Viewer
    from enrollments.models import CeAssessment, CeEvent, CurrentLivingSituation
    from hmis.models import User
    from reports.hmis_csv.export import Scope, write_export

    if connection.vendor != "postgresql":
        pytest.skip("the database-formatted export is PostgreSQL's")
    stay = Enrollment.objects.filter(exit_date__isnull=True).order_by("pk").first()
    client = stay.client
    client.name_suffix = 'Jr., "the second"'
    client.additional_race_ethnicity = "Line one\nline two, a\ttab and a back\\slash"
    client.save()
    who = {"entered_by": stay.entered_by, "agency": stay.agency}
    CurrentLivingSituation.objects.create(enrollment=stay, information_date=stay.entry_date, current_living_situation=116,
                                          location_details='Under the "bridge", east\r\nside\tC:\\n', **who)
    assessment = CeAssessment.objects.create(
        enrollment=stay, information_date=stay.entry_date, assessment_location="Hub, north", assessment_type=1,
        assessment_level=1, prioritization_status=1, **who)
    # 4.19.5/4.19.6: one question with a stamp of its own and one without (it takes the assessment's)
    assessment.questions.create(question_group="Housing, \"history\"", question_order=2, question="Nights outside?",
                                answer="Many,\nmany", entered_by=stay.entered_by, entered_at=assessment.entered_at)
    assessment.results.create(result_type="Score", result="12", entered_by=stay.entered_by)
    CeEvent.objects.create(enrollment=stay, information_date=stay.entry_date, event=1, referral_result=1,
                           result_date=stay.entry_date, **who)
    Assessment.objects.filter(enrollment=stay).update(total_monthly_income=Decimal("1234.5"), physical_disability=1)
    lead = User.objects.get(username="lead")
    with time_machine.travel(noon(date.today()), tick=False):
        write_export(Scope(viewer=Viewer(user=lead, license=None)), tmp_path / "sql.zip")
        write_export(Scope(viewer=Viewer(user=lead, license=None)), tmp_path / "rows.zip", portable=True)
    by_database, by_rows = read_zip(tmp_path / "sql.zip"), read_zip(tmp_path / "rows.zip")
    assert list(by_database) == list(by_rows)
    for name in by_rows:
        assert by_database[name] == by_rows[name], name
    assert b'"Under the ""bridge"", east\r\nside\tC:\\n"' in by_database["CurrentLivingSituation.csv"]
    assert b'"Line one\nline two, a\ttab and a back\\slash"' in by_database["Client.csv"]
    assert b",1234.50," in by_database["IncomeBenefits.csv"]
    assert len(rows(by_database, "Client.csv")) == Client.objects.count()
