"""H3 (issue 17): HMIS CSV from other systems loads. Value-level problems load as warnings and
are kept as given; structural faults reject the import with file, line and column.

The Green River fixtures (tests/fixtures/greenriver/, GPL-3.0-or-later, see PROVENANCE.txt there)
are data we did not make: single files of a partial export, combined here with a minimal valid
export built in the test."""

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Coc, Project
from clients.models import Client
from enrollments.models import Enrollment, Service
from reports.hmis_csv import spec
from reports.models import ImportRun
from tests.reports.test_hmis_csv import export, read_zip

pytestmark = pytest.mark.django_db
GREEN_RIVER = Path(__file__).resolve().parent.parent / "fixtures" / "greenriver"
BOM = "\ufeff"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


def csv_text(file_name: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=spec.headers()[file_name], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def import_zip(path) -> ImportRun:
    try:
        call_command("import_hmis_csv", str(path), stdout=io.StringIO())
    except CommandError:
        pass  # a rejected import: the run below says why
    return ImportRun.objects.latest("run_at")


def without_severity(problems):
    return [p[:4] for p in problems]


def test_h3_the_six_failures_of_huds_sample_load_as_warnings_kept_as_given(demo, tmp_path):
    """The six faults issue 17 found in HUD's own FY2026 sample, fed one export: it loads."""
    files = {k: v.decode() for k, v in read_zip(export(tmp_path, "ours.zip")).items()}
    data = {name: table(text) for name, text in files.items()}

    clients, enrollments, exits = data["Client.csv"], data["Enrollment.csv"], data["Exit.csv"]
    projects, services, exports = data["Project.csv"], data["Services.csv"], data["Export.csv"]
    assert clients and len(enrollments) >= 2 and exits and projects and services  # the demo has each
    # 1. An empty Sex (4.21): kept empty, listed.
    clients[0]["Sex"] = ""
    # 2. An empty EnrollmentCoC: for a head of household a warning; for another member nothing, as
    #    HUD collects 3.16 for the head only.
    enrollments[0]["RelationshipToHoH"], enrollments[0]["EnrollmentCoC"] = "1", ""
    enrollments[1]["RelationshipToHoH"], enrollments[1]["EnrollmentCoC"] = "2", ""
    # 3. A destination code outside HUD's list: kept as given.
    exits[0]["Destination"], exits[0]["DestinationSubsidyType"] = "999", ""
    # 4. A second Export.csv row naming another CSVVersion (a merged export).
    exports.append(exports[0] | {"ExportID": "MERGED2", "CSVVersion": "2024 v1.4"})
    # 5. A project that ends the day before it starts.
    start = date.fromisoformat(projects[0]["OperatingStartDate"])
    projects[0]["OperatingEndDate"] = (start - timedelta(days=1)).isoformat()
    # 6. Two services of one kind on one day: a copy of the first under another ID.
    services.append(services[0] | {"ServicesID": "SAMEDAY2"})
    for name in ("Client.csv", "Enrollment.csv", "Exit.csv", "Export.csv", "Project.csv", "Services.csv"):
        files[name] = csv_text(name, data[name])
    files["Client.csv"] = BOM + files["Client.csv"]  # real exports often start with a byte-order mark

    run = import_zip(write_zip(tmp_path / "six.zip", files))

    assert run.status == "loaded", run.errors
    assert run.errors == []
    warnings = without_severity(run.warnings)
    # line = index in the file + 2 (the header is line 1)
    assert ["Client.csv", 2, "Sex", "empty, though HUD requires an answer"] in warnings
    assert ["Enrollment.csv", 2, "EnrollmentCoC", "empty, though HUD requires it for the head of household (3.16)"] \
        in warnings
    assert not any(w[:3] == ["Enrollment.csv", 3, "EnrollmentCoC"] for w in warnings)  # the member's: as HUD asks
    assert ["Exit.csv", 2, "Destination", "999 is not in HUD's value list: kept as given"] in warnings
    # the second row is on line 3; its version is judged by its columns, which are FY2026's
    assert ["Export.csv", 3, "", "2 rows: the files are read as one export, the first row naming its source; "
                                 "every row is kept"] in warnings
    assert ["Export.csv", 3, "CSVVersion", "names 2024 v1.4, not 2026 v1.0: read as 2026 v1.0, which its columns "
                                           "are"] in warnings
    assert ["Project.csv", 2, "OperatingEndDate", "the project ends before it starts: loaded as given"] in warnings
    assert ["Services.csv", len(services) + 1, "DateProvided",
            "another service of this kind on this day for this enrollment: both loaded"] in warnings

    # Kept as given, never altered.
    assert Client.objects.get(client_id=clients[0]["PersonalID"]).sex is None
    assert Enrollment.objects.get(enrollment_id=exits[0]["EnrollmentID"]).destination == 999
    project = Project.objects.get(pk=projects[0]["ProjectID"])
    assert project.operating_end == start - timedelta(days=1)
    first = services[0]
    assert Service.objects.filter(enrollment__enrollment_id=first["EnrollmentID"], date_provided=first["DateProvided"],
                                  record_type=first["RecordType"], type_provided=first["TypeProvided"]).count() == 2
    assert [row["ExportID"] for row in run.export_rows] == [exports[0]["ExportID"], "MERGED2"]
    assert run.export_rows[1]["CSVVersion"] == "2024 v1.4"


def test_h3_empty_required_answers_and_an_exit_before_the_start_load_kept_empty_and_counted(demo, tmp_path):
    """Other systems leave 3.01.2, 3.02.2, 3.03.2, 3.07, 3.08 and 3.15 empty and exit some stays
    before they start: each loads as given (nothing turned into 99), listed, and data quality
    counts the empty answers as missing."""
    from reports.dataquality import problems_of

    files = {k: v.decode() for k, v in read_zip(export(tmp_path, "ours.zip")).items()}
    data = {name: table(text) for name, text in files.items()}
    clients, enrollments, exits = data["Client.csv"], data["Enrollment.csv"], data["Exit.csv"]
    stay = enrollments[0]
    person = next(c for c in clients if c["PersonalID"] == stay["PersonalID"])
    for column in ("NameDataQuality", "SSNDataQuality", "DOBDataQuality", "VeteranStatus"):
        person[column] = ""
    stay["DisablingCondition"], stay["RelationshipToHoH"] = "", ""
    left = exits[0]
    entry = next(e["EntryDate"] for e in enrollments if e["EnrollmentID"] == left["EnrollmentID"])
    left["ExitDate"] = (date.fromisoformat(entry) - timedelta(days=3)).isoformat()
    for name in ("Client.csv", "Enrollment.csv", "Exit.csv"):
        files[name] = csv_text(name, data[name])

    run = import_zip(write_zip(tmp_path / "empties.zip", files))

    assert run.status == "loaded", run.errors
    warnings = without_severity(run.warnings)
    for column in ("NameDataQuality", "SSNDataQuality", "DOBDataQuality", "VeteranStatus"):
        assert ["Client.csv", clients.index(person) + 2, column, "empty, though HUD requires an answer"] in warnings
    line = 2
    for column in ("DisablingCondition", "RelationshipToHoH"):
        assert ["Enrollment.csv", line, column, "empty, though HUD requires an answer"] in warnings
    assert ["Exit.csv", 2, "ExitDate", "the exit is before the project start: loaded as given"] in warnings

    client = Client.objects.get(client_id=person["PersonalID"])
    assert (client.name_data_quality, client.ssn_data_quality, client.dob_data_quality,
            client.veteran_status) == (None, None, None, None)
    loaded = Enrollment.objects.get(enrollment_id=stay["EnrollmentID"])
    assert (loaded.disabling_condition, loaded.relationship_to_hoh) == (None, None)
    early = Enrollment.objects.get(enrollment_id=left["EnrollmentID"])
    assert early.exit_date == date.fromisoformat(entry) - timedelta(days=3)
    missing = " ".join(text for _, text in problems_of(loaded, None))
    for label in ("name", "SSN", "date of birth", "veteran status", "disabling condition"):
        assert label in missing

    # Exported again, each empty answer is an empty cell, not 99.
    again = {name: table(text.decode()) for name, text in read_zip(export(tmp_path, "again.zip")).items()}
    back = next(c for c in again["Client.csv"] if c["PersonalID"] == person["PersonalID"])
    assert [back[c] for c in ("NameDataQuality", "SSNDataQuality", "DOBDataQuality", "VeteranStatus")] == [""] * 4
    back_stay = next(e for e in again["Enrollment.csv"] if e["EnrollmentID"] == stay["EnrollmentID"])
    assert (back_stay["DisablingCondition"], back_stay["RelationshipToHoH"]) == ("", "")


def test_h3_a_code_no_column_can_hold_is_an_error_and_nothing_loads(demo, tmp_path):
    files = {k: v.decode() for k, v in read_zip(export(tmp_path, "ours.zip")).items()}
    exits = table(files["Exit.csv"])
    exits[0]["Destination"] = "70000"  # beyond any coded column (0 to 32767): it cannot be kept as given
    files["Exit.csv"] = csv_text("Exit.csv", exits)
    before = Enrollment.objects.get(enrollment_id=exits[0]["EnrollmentID"]).destination

    run = import_zip(write_zip(tmp_path / "big.zip", files))

    assert run.status == "rejected"
    assert without_severity(run.errors) == [
        ["Exit.csv", 2, "Destination", "70000 is not in HUD's value list and cannot be stored (0 to 32767)"]]
    assert Enrollment.objects.get(enrollment_id=exits[0]["EnrollmentID"]).destination == before


def minimal_export(coc_code: str, project_csv: str | None = None) -> dict[str, str]:
    """Organization 109 and project 751 as the Green River fixtures name them, in a CoC set up here."""
    stamps = {"DateCreated": "2015-11-30 00:00:00", "DateUpdated": "2015-11-30 00:00:00", "UserID": "francis",
              "ExportID": "31a77b417911747e41ef9936f9a4b657"}
    project = {"ProjectID": "751", "OrganizationID": "109", "ProjectName": "Furious Whistle Hill",
               "OperatingStartDate": "2015-01-01", "ContinuumProject": "0", "ProjectType": "1", **stamps}
    return {
        "Organization.csv": csv_text("Organization.csv", [{"OrganizationID": "109", "OrganizationName": "Green River "
                                                           "Test Organization", "VictimServiceProvider": "0", **stamps}]),
        "Project.csv": project_csv or csv_text("Project.csv", [project]),
        "ProjectCoC.csv": csv_text("ProjectCoC.csv", [{"ProjectCoCID": "1", "ProjectID": "751", "CoCCode": coc_code,
                                                       "Geocode": "250294", "GeographyType": "1", **stamps}]),
    }


def green_river(name: str) -> str:
    return (GREEN_RIVER / name).read_bytes().decode("utf-8")


def test_h3_green_river_duplicate_primary_keys_each_an_error_and_its_empty_answers_warnings(demo, tmp_path):
    coc = Coc.objects.first()
    files = minimal_export(coc.code)
    files["Export.csv"] = BOM + green_river("bad_ending_Export.csv")  # LF header, CRLF row, a BOM added
    files["Client.csv"] = green_river("duplicate_primary_keys_Client.csv")
    clients_before = Client.objects.count()

    run = import_zip(write_zip(tmp_path / "duplicates.zip", files))

    assert run.status == "rejected"
    # Client.csv lists 7b8c... three times (lines 4, 5, 6): the 2nd and 3rd are each a duplicate key.
    assert without_severity(run.errors) == [
        ["Client.csv", 5, "PersonalID", "7b8c1279001142afac2fd0bde7a8f6bf appears twice"],
        ["Client.csv", 6, "PersonalID", "7b8c1279001142afac2fd0bde7a8f6bf appears twice"],
    ]
    warnings = without_severity(run.warnings)
    # Green River's Export.csv names CSV version 2024 v1.3, though its columns are FY2026's.
    assert ["Export.csv", 2, "CSVVersion", "names 2024 v1.3, not 2026 v1.0: read as 2026 v1.0, which its columns "
                                           "are"] in warnings
    for line in (2, 3, 4, 5, 6):
        # Every client leaves NameDataQuality (3.01.2) and Sex (4.21) empty: listed, not refused.
        assert ["Client.csv", line, "NameDataQuality", "empty, though HUD requires an answer"] in warnings
        assert ["Client.csv", line, "Sex", "empty, though HUD requires an answer"] in warnings
    assert Client.objects.count() == clients_before  # nothing half-loaded


def test_h3_green_river_project_without_a_start_date_is_an_error(demo, tmp_path):
    coc = Coc.objects.first()
    files = minimal_export(coc.code, project_csv=green_river("bad_ending_Project.csv"))
    files["Export.csv"] = green_river("bad_ending_Export.csv")

    run = import_zip(write_zip(tmp_path / "no_start.zip", files))

    assert run.status == "rejected"
    # 2.02.3 Operating Start Date is required (HMIS CSV: not nullable); Green River's project 751 has none.
    assert without_severity(run.errors) == [["Project.csv", 2, "OperatingStartDate", "a value is required"]]


def test_h3_without_the_unique_constraint_the_bed_night_form_still_refuses_a_second_night(tenancy, signed_in):
    """The unique constraint HUD does not have is gone (imports keep several services of a kind on
    a day); a worker entering the same bed night twice is still refused, by the service, plainly."""
    from django.urls import reverse

    from tests.clients.states import enroll, make_client

    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Nora", last="Nightly", ssn="509011133")
    stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    browser = signed_in(tenancy.worker_a)
    url = reverse("enrollments:bed_night", args=[stay.enrollment_id])
    night = {"date_provided": date.today().isoformat()}
    browser.post(url, night)
    page = browser.post(url, night, follow=True).content.decode()
    assert "That service is already recorded for that day." in page
    assert Service.objects.filter(enrollment=stay, date_provided=date.today()).count() == 1


def test_h3_without_the_check_constraint_the_project_form_still_refuses_an_end_before_the_start(tenancy, signed_in):
    """Imports keep a project that ends before it starts (HUD's sample has two); people entering
    one by hand are still refused by the form (Project.clean)."""
    from django.urls import reverse

    page = signed_in(tenancy.admin).post(reverse("agencies:project_create"), {
        "agency": tenancy.agency_a.pk, "coc": tenancy.coc1.pk, "name": "Backwards", "project_type": 0,
        "operating_start": "2025-01-01", "operating_end": "2024-01-01"}).content.decode()
    assert "The end date cannot be before the start date." in page
    assert not Project.objects.filter(name="Backwards").exists()


def test_h3_an_unknown_coc_is_an_error_naming_the_fix(demo, tmp_path):
    files = minimal_export("ZZ-999")
    files["Export.csv"] = green_river("bad_ending_Export.csv")

    run = import_zip(write_zip(tmp_path / "unknown_coc.zip", files))

    assert run.status == "rejected"
    # ProjectCoC.csv line 2 names ZZ-999, which no CoC here has: the fix is named.
    assert without_severity(run.errors) == [
        ["ProjectCoC.csv", 2, "CoCCode", "CoC ZZ-999 is not set up in this HMIS: add it under the HMIS Lead, or "
                                         "import again with --create-cocs (on the upload page: \"Create the CoCs "
                                         "the export names\")"]]
    assert not Coc.objects.filter(code="ZZ-999").exists()


def test_h3_create_cocs_sets_up_the_unknown_coc_under_the_lead(demo, tmp_path):
    from agencies.models import HmisLead

    files = minimal_export("ZZ-999")
    files["Export.csv"] = green_river("bad_ending_Export.csv")
    call_command("import_hmis_csv", str(write_zip(tmp_path / "create.zip", files)), "--create-cocs",
                 stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")

    assert run.status == "loaded", run.errors
    assert ["ProjectCoC.csv", 2, "CoCCode", "CoC ZZ-999 was not set up in this HMIS: created under the HMIS Lead"] \
        in without_severity(run.warnings)
    coc = Coc.objects.get(code="ZZ-999")
    assert coc.lead == HmisLead.objects.get()
    assert Project.objects.get(name="Furious Whistle Hill").coc == coc
    assert run.counts["CoC"] == {"created": 1, "updated": 0}


def test_h3_upload_page_creates_cocs_when_ticked_and_offers_the_warnings_as_csv(tenancy, signed_in, tmp_path,
                                                                                 django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    files = minimal_export("ZZ-998")
    files["Export.csv"] = green_river("bad_ending_Export.csv")
    upload = SimpleUploadedFile("export.zip", write_zip(tmp_path / "upload.zip", files).read_bytes(),
                                content_type="application/zip")
    lead = signed_in(tenancy.admin)
    with django_capture_on_commit_callbacks(execute=True):  # the upload's job, run as it is queued
        lead.post(reverse("reports:import"), {"file": upload, "sharing": "locked", "create_cocs": "on"})
    run = ImportRun.objects.latest("run_at")
    page = lead.get(reverse("reports:import_run", args=[run.pk]))

    assert run.status == "loaded", run.errors
    assert Coc.objects.filter(code="ZZ-998").exists()
    html = page.content.decode()
    # The summary counts warnings by file and column; the two named here are one each.
    assert 'data-testid="warning-summary"' in html
    assert "Download the warnings" in html
    download = lead.get(reverse("reports:import_run_warnings", args=[run.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="hmis-csv-import-{run.pk}-warnings.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["File", "Line", "Column", "Message"]
    # one CSV row per warning, as the run lists them
    assert rows[1:] == [[file, str(line), column, message] for file, line, column, message, _ in run.warnings]
    assert ["Export.csv", "2", "CSVVersion", "names 2024 v1.3, not 2026 v1.0: read as 2026 v1.0, which its columns are"] \
        in rows
    assert ["ProjectCoC.csv", "2", "CoCCode", "CoC ZZ-998 was not set up in this HMIS: created under the HMIS Lead"] \
        in rows


def test_h3_without_the_box_the_upload_page_lists_the_unknown_coc(tenancy, signed_in, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    files = minimal_export("ZZ-997")
    files["Export.csv"] = green_river("bad_ending_Export.csv")
    upload = SimpleUploadedFile("export.zip", write_zip(tmp_path / "upload.zip", files).read_bytes(),
                                content_type="application/zip")
    lead = signed_in(tenancy.admin)
    with django_capture_on_commit_callbacks(execute=True):  # the upload's job, run as it is queued
        response = lead.post(reverse("reports:import"), {"file": upload, "sharing": "locked"})
    html = lead.get(response["Location"]).content.decode()
    assert "CoC ZZ-997 is not set up in this HMIS" in html
    assert not Coc.objects.filter(code="ZZ-997").exists()


def test_h3_pages_show_imported_empty_answers_and_an_unknown_destination_code(tenancy, signed_in):
    """What an import keeps as given (an empty Sex, a destination outside HUD's list: the database
    does not enforce Django's choices) is shown, not a crash."""
    from django.urls import reverse

    from tests.clients.states import enroll, make_client

    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Iggy", last="Imported", ssn="509011144")
    stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    # as an import of empty answers leaves them
    Client.objects.filter(pk=client.pk).update(sex=None, name_data_quality=None, ssn_data_quality=None,
                                               dob_data_quality=None, veteran_status=None)
    Enrollment.objects.filter(pk=stay.pk).update(exit_date=date.today(), destination=999, disabling_condition=None,
                                                 relationship_to_hoh=None)
    browser = signed_in(tenancy.worker_a)

    client_page = browser.get(reverse("clients:detail", args=[client.client_id]))
    stay_page = browser.get(reverse("enrollments:detail", args=[stay.enrollment_id]))

    assert client_page.status_code == 200 and stay_page.status_code == 200
    assert "<dt>Sex (4.21)</dt><dd>Not recorded</dd>" in client_page.content.decode()
    # Django shows a code outside the choices as the code itself
    assert f"exited {date.today():%m/%d/%Y} to 999" in stay_page.content.decode()


def test_h3_the_warnings_csv_neutralizes_a_cell_a_spreadsheet_would_run(tenancy, signed_in, tmp_path,
                                                                        django_capture_on_commit_callbacks):
    """Warnings quote the source file's values; opened in a spreadsheet, none may run as a formula."""
    from django.urls import reverse

    files = minimal_export("ZZ-996")
    files["Export.csv"] = green_river("bad_ending_Export.csv")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("export.zip", write_zip(tmp_path / "upload.zip", files).read_bytes(),
                                content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):  # the upload's job, run as it is queued
        signed_in(tenancy.admin).post(reverse("reports:import"), {"file": upload, "sharing": "locked",
                                                                  "create_cocs": "on"})
    run = ImportRun.objects.latest("run_at")
    assert run.warnings, run.errors
    first = list(run.warnings[0])
    first[3] = '=HYPERLINK("http://evil.example","x") is not in HUD\'s list'
    run.problems = [first if list(p) == list(run.warnings[0]) else p for p in run.problems]
    run.save(update_fields=["problems"])
    rows = list(csv.reader(io.StringIO(signed_in(tenancy.admin).get(
        reverse("reports:import_run_warnings", args=[run.pk])).content.decode())))
    assert rows[1][3] == "'" + first[3]
