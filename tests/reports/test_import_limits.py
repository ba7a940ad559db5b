"""Issue 14 §3: the HMIS CSV upload bounds decompression (total size, per-file size,
compression ratio), from the zip's directory and again while unpacking, so a zip bomb
gets a clear message: never a 500, never gigabytes of memory."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reports.hmis_csv import importer
from reports.models import ImportRun

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def bomb(path, files: dict[str, int]) -> bytes:
    """A zip of CSV files made of zeros: a few MB that compress about 1000 to 1."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, size in files.items():
            archive.writestr(name, b"0" * size)
    return path.read_bytes()


@pytest.fixture
def limits(settings):
    def set_limits(*, total=2 * 1024 * MB, per_file=1024 * MB, ratio=200):
        settings.HMIS_CSV_MAX_TOTAL_BYTES, settings.HMIS_CSV_MAX_FILE_BYTES = total, per_file
        settings.HMIS_CSV_MAX_COMPRESSION_RATIO = ratio
    return set_limits


def rejected(tmp_path, files):
    path = tmp_path / "export.zip"
    bomb(path, files)
    admin = _admin()
    with pytest.raises(CommandError, match="Nothing was loaded: 1 errors"):
        call_command("import_hmis_csv", str(path), "--by", admin.username, stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")
    assert run.status == "rejected" and len(run.problems) == 1
    return run.problems[0][3]


def _admin():
    from tests.factories import UserFactory

    return UserFactory(username="lead_admin", is_system_admin=True)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path, limits):
    limits()  # the defaults: 2 GiB in all, 1 GiB a file, 200 to 1
    assert importer._mib(2 * 1024 * MB) == "2 GB" and importer._mib(MB + MB // 2) == "1.5 MB"
    message = rejected(tmp_path, {"Client.csv": 4 * MB})
    assert message == "Client.csv is compressed more than 200 to 1, as a zip bomb is: nothing was loaded."


def test_a_file_larger_than_the_per_file_limit_is_refused(tmp_path, limits):
    limits(per_file=2 * MB, ratio=100_000)
    message = rejected(tmp_path, {"Export.csv": 100, "Client.csv": 3 * MB})
    assert message == "Client.csv unpacks to 3 MB, more than the 2 MB allowed for one file: nothing was loaded."


def test_an_export_larger_than_the_total_limit_is_refused(tmp_path, limits):
    limits(total=4 * MB, per_file=3 * MB, ratio=100_000)
    message = rejected(tmp_path, {"Client.csv": 2 * MB, "Enrollment.csv": 2 * MB + 1})
    assert message == "The export unpacks to more than the 4 MB allowed: nothing was loaded."


def test_limits_are_checked_again_while_unpacking_when_the_directory_lies(tmp_path, limits, monkeypatch):
    """The sizes in a zip's directory are the sender's word: with the directory check
    out of the way (as a lying directory would be), unpacking stops at each limit."""
    path = tmp_path / "export.zip"
    bomb(path, {"Client.csv": 2 * MB, "Enrollment.csv": 2 * MB})
    monkeypatch.setattr(importer, "check_zip_directory", lambda archive: None)
    cases = [
        (dict(ratio=200), "Client.csv is compressed more than 200 to 1, as a zip bomb is: nothing was loaded."),
        (dict(per_file=MB + MB // 2, ratio=100_000),
         "Client.csv unpacks to more than the 1.5 MB allowed for one file: nothing was loaded."),
        (dict(total=3 * MB, ratio=100_000), "The export unpacks to more than the 3 MB allowed: nothing was loaded."),
    ]
    for settings_, message in cases:
        limits(**settings_)
        with pytest.raises(importer.ZipTooLarge) as refused, importer._open_files(path):
            pass
        assert str(refused.value) == message
    # and the chunks read stay near the limit, not the whole file: at most one chunk past it
    limits(per_file=MB // 2, ratio=100_000)
    reads = []
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = real_read(self, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    with pytest.raises(importer.ZipTooLarge), importer._open_files(path):
        pass
    assert sum(reads) <= MB // 2 + importer.READ_CHUNK


def test_the_upload_page_refuses_a_zip_bomb_with_a_clear_message(tmp_path, limits, signed_in):
    limits()
    admin = signed_in(_admin())
    data = bomb(tmp_path / "bomb.zip", {"Client.csv": 4 * MB})
    response = admin.post(reverse("reports:import"), {"sharing": "locked",
                                                      "file": SimpleUploadedFile("bomb.zip", data)})
    assert response.status_code == 200  # the form again, with the reason
    assert "compressed more than 200 to 1" in response.content.decode()
    assert not ImportRun.objects.exists()
    response = admin.post(reverse("reports:import"), {"sharing": "locked",
                                                      "file": SimpleUploadedFile("fake.zip", b"not a zip at all")})
    assert response.status_code == 200 and "not a zip file" in response.content.decode()


def test_an_ordinary_export_is_within_the_default_limits(tmp_path, limits):
    limits()
    call_command("seed_demo", verbosity=0)
    out = tmp_path / "export.zip"
    call_command("export_hmis_csv", "--out", str(out), stdout=io.StringIO())
    with importer._open_files(out) as files:
        assert "Client.csv" in files and "Enrollment.csv" in files
