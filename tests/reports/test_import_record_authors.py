"""H3 (issue 17): the people another system's User.csv names are kept as the authors of the
records they entered, with what User.csv says of them, and can never sign in."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client as Client_
from django.urls import reverse

from agencies import services as agency_services
from agencies.models import License, Project
from clients.models import Client
from enrollments.models import Assessment, Enrollment
from hmis.errors import PolicyError
from hmis.models import User
from reports.hmis_csv import spec
from reports.models import ExternalKey
from tests.reports.test_hmis_csv import export, read_zip
from tests.reports.test_import_real_world import csv_text, import_zip, table

pytestmark = pytest.mark.django_db

# Another system's case worker: an ID that is not a number, a phone with an extension, and dates
# of their own (DateUpdated later than DateCreated).
AUTHOR = {"UserID": "CW-0042", "UserFirstName": "Rhea", "UserLastName": "Recorder", "UserPhone": "5551234567",
          "UserExtension": "12", "UserEmail": "rhea.recorder@example.org", "DateCreated": "2019-04-02 08:15:00",
          "DateUpdated": "2024-06-30 17:45:10", "DateDeleted": "", "ExportID": ""}
RECORD_FILES = ("Client.csv", "Enrollment.csv", "Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv",
                "Disabilities.csv", "Services.csv")


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def foreign_export(tmp_path):
    """The demo's export as another system would write it: one user of its own, named on every
    client-level record, instead of this HMIS's people."""
    files = {k: v.decode() for k, v in read_zip(export(tmp_path, "ours.zip")).items()}
    data = {name: table(text) for name, text in files.items()}
    data["User.csv"] = [AUTHOR | {"ExportID": data["Export.csv"][0]["ExportID"]}]
    for name in RECORD_FILES:
        key = spec.headers()[name][0]
        for row in data[name]:
            row["UserID"] = AUTHOR["UserID"]
            # other IDs than ours, so that every record is new here
            for column in {key, "PersonalID", "EnrollmentID", "HouseholdID"} & set(row):
                row[column] = f"X{row[column]}"
    for name in ("User.csv", *RECORD_FILES):
        files[name] = csv_text(name, data[name])
    path = tmp_path / "foreign.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path, data


def test_h3_another_systems_user_is_kept_as_the_author_of_their_records(demo, tmp_path):
    path, data = foreign_export(tmp_path)
    people_before = User.objects.count()

    run = import_zip(path)

    assert run.status == "loaded", run.errors
    assert User.objects.count() == people_before + 1
    author = User.objects.get(is_record_author=True)
    assert (author.first_name, author.last_name, author.email, author.phone, author.phone_extension) == (
        "Rhea", "Recorder", "rhea.recorder@example.org", "5551234567", "12")
    # the username is a random handle: no name in an identifier
    assert author.username.startswith("author-") and "rhea" not in author.username.lower()
    keys = dict(ExternalKey.objects.filter(file="Client.csv").values_list("external_id", "local_id"))
    client_ids = [keys[row["PersonalID"]] for row in data["Client.csv"]]
    assert set(Client.objects.filter(client_id__in=client_ids).values_list("created_by", flat=True)) == {author.pk}
    keys = dict(ExternalKey.objects.filter(file="Enrollment.csv").values_list("external_id", "local_id"))
    enrollment_ids = [keys[row["EnrollmentID"]] for row in data["Enrollment.csv"]]
    assert set(Enrollment.objects.filter(enrollment_id__in=enrollment_ids)
               .values_list("entered_by", flat=True)) == {author.pk}
    assert set(Assessment.objects.filter(enrollment__enrollment_id__in=enrollment_ids)
               .values_list("entered_by", flat=True)) == {author.pk}

    # Exported again, User.csv says of them what the source said, under the source's UserID
    # (reports/hmis_csv/source_ids.py), and every record's UserID is theirs.
    assert author.hud_id == AUTHOR["UserID"]
    again = {name: table(text.decode()) for name, text in read_zip(export(tmp_path, "again.zip")).items()}
    row = next(u for u in again["User.csv"] if u["UserID"] == AUTHOR["UserID"])
    assert {k: row[k] for k in ("UserFirstName", "UserLastName", "UserPhone", "UserExtension", "UserEmail",
                                "DateCreated", "DateUpdated")} == {
        k: AUTHOR[k] for k in ("UserFirstName", "UserLastName", "UserPhone", "UserExtension", "UserEmail",
                               "DateCreated", "DateUpdated")}
    listed = {u["UserID"] for u in again["User.csv"]}
    for name in RECORD_FILES:
        assert {r["UserID"] for r in again[name]} <= listed, name  # every UserID refers to User.csv
    assert list(again["User.csv"][0]) == spec.headers()["User.csv"]


def test_h3_importing_the_same_export_again_keeps_one_author(demo, tmp_path):
    path, _ = foreign_export(tmp_path)
    import_zip(path)
    people = User.objects.count()

    run = import_zip(path)

    assert run.status == "loaded", run.errors
    assert User.objects.count() == people
    assert run.counts["User.csv"] == {"created": 0, "updated": 1}


def test_h3_a_record_author_cannot_sign_in_nor_be_given_a_license_or_their_username(demo, tmp_path, tenancy_admin):
    path, _ = foreign_export(tmp_path)
    import_zip(path)
    author = User.objects.get(is_record_author=True)
    assert not author.is_active and not author.has_usable_password()

    # Even with a password set behind the application's back, an inactive person cannot sign in.
    author.set_password("Harbor-Light-2026")
    author.save()
    response = Client_().post(reverse("login"), {"username": author.username, "password": "Harbor-Light-2026"})
    assert response.status_code == 200  # the sign-in page again, not past the password step
    assert "_auth_user_id" not in response.wsgi_request.session

    project = Project.objects.order_by("pk").first()
    with pytest.raises(PolicyError, match="record author"):
        agency_services.license_grant(actor=tenancy_admin, user=author, agency=project.agency,
                                      role=License.Role.END_USER, access_level=License.AccessLevel.FULL,
                                      projects=[project], override_reason="Trying to revive an author")
    assert not License.objects.filter(user=author).exists()


@pytest.fixture
def tenancy_admin(db):
    return User.objects.filter(is_system_admin=True, is_record_author=False).order_by("pk").first()


def test_h3_the_import_output_names_no_author(demo, tmp_path):
    """The command's own output names files and counts, never the authors' names (no PII in logs)."""
    path, _ = foreign_export(tmp_path)
    out = io.StringIO()
    call_command("import_hmis_csv", str(path), stdout=out)
    assert "Rhea" not in out.getvalue() and "Recorder" not in out.getvalue()
