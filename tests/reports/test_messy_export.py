"""H3 (issue 17): `manage.py generate_hmis_csv` writes a complete synthetic FY2026 export, the
same for the same seed; with --messy it plants, at known rates, the faults real vendor exports
carry that HUD allows or that are value-level, and `manage.py import_hmis_csv` loads it with
exactly the warnings planted, keeping awkward names whole."""

import io
import re
import zipfile
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clients.models import Client
from reports.hmis_csv import messy, spec
from reports.models import ImportRun

pytestmark = pytest.mark.django_db
RACES = sorted(spec.RACE_COLUMNS)


def generate(path, *args) -> dict[str, int]:
    """Run the command; the fault counts it prints ({} for a clean export)."""
    out = io.StringIO()
    call_command("generate_hmis_csv", "--out", str(path), *args, stdout=out)
    faults = re.search(r"^Faults: (.*)$", out.getvalue(), re.M)
    if faults is None:
        return {}
    return {kind: int(n.replace(",", "")) for kind, n in (item.rsplit(" ", 1) for item in faults[1].split(", "))}


def contents(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_h3_a_clean_export_has_the_24_files_with_huds_headers_and_the_same_seed_gives_the_same_files(tmp_path):
    assert generate(tmp_path / "a.zip", "--clients", "60", "--seed", "5") == {}
    files = contents(tmp_path / "a.zip")
    assert list(files) == spec.FILES and len(files) == 24
    for name, data in files.items():
        header, _, rest = data.decode("utf-8").partition("\r\n")
        assert header == ",".join(spec.headers()[name]), name
        assert "\n" not in rest.replace("\r\n", ""), name  # CRLF throughout, as this HMIS's own export
    clients = messy.read_back(tmp_path / "a.zip", "Client.csv")
    assert len(clients) == 60 and len({c["PersonalID"] for c in clients}) == 60
    assert all(c["Sex"] in {"0", "1"} and re.fullmatch(r"\d{9}", c["SSN"]) for c in clients)
    for name in spec.FILES:  # every file has rows (the small ones: a few projects carry them)
        assert messy.read_back(tmp_path / "a.zip", name), name

    generate(tmp_path / "b.zip", "--clients", "60", "--seed", "5")
    generate(tmp_path / "c.zip", "--clients", "60", "--seed", "6")
    assert contents(tmp_path / "b.zip") == files
    assert contents(tmp_path / "c.zip")["Client.csv"] != files["Client.csv"]


def test_h3_the_command_refuses_what_it_cannot_write_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="--clients must be at least 1"):
        generate(tmp_path / "a.zip", "--clients", "0")
    with pytest.raises(CommandError, match="--out must name a .zip file"):
        generate(tmp_path / "a.csv", "--clients", "5")
    with pytest.raises(CommandError, match="does not exist"):
        generate(tmp_path / "missing" / "a.zip", "--clients", "5")


def test_h3_a_messy_export_plants_its_faults_in_the_files(tmp_path):
    faults = generate(tmp_path / "messy.zip", "--clients", "200", "--messy", "--seed", "11")
    files = contents(tmp_path / "messy.zip")
    assert files["Client.csv"].startswith(b"\xef\xbb\xbf") and not files["Organization.csv"].startswith(b"\xef")
    assert b"\r\n" not in files["Enrollment.csv"] and b"\r\n" in files["Client.csv"]
    export_header, _, export_rows = files["Export.csv"].decode("utf-8-sig").partition("\n")
    assert not export_header.endswith("\r") and export_rows.count("\r\n") == 3  # mixed: LF header, CRLF rows
    services_header = files["Services.csv"].decode().split("\n", 1)[0].split(",")
    assert sorted(services_header) == sorted(spec.headers()["Services.csv"]) != services_header
    assert files["Client.csv"].decode("utf-8-sig").split("\r\n", 1)[0].endswith(",VendorFlag")
    clients = messy.read_back(tmp_path / "messy.zip", "Client.csv")
    assert sum(c["Sex"] == "" for c in clients) == faults["empty_sex"] == 5
    assert sum(all(c[r] == "" for r in RACES) for c in clients) == faults["empty_race"] == 4
    assert sum(bool(re.fullmatch(r"\d{3}-\d{2}-\d{4}", c["SSN"])) for c in clients) == faults["ssn_dashes"] == 22
    assert any("\n" in c["LastName"] and "," in c["LastName"] and '"' in c["LastName"] for c in clients)
    exports = messy.read_back(tmp_path / "messy.zip", "Export.csv")
    assert [e["CSVVersion"] for e in exports] == ["2026 v1.0", "2024 v1.4", "2026 v1.0"]
    members = [e for e in messy.read_back(tmp_path / "messy.zip", "Enrollment.csv") if e["RelationshipToHoH"] != "1"]
    assert sum(e["EnrollmentCoC"] == "" for e in members) == faults["member_enrollment_coc"] > 0
    heads = [e for e in messy.read_back(tmp_path / "messy.zip", "Enrollment.csv") if e["RelationshipToHoH"] == "1"]
    assert all(e["EnrollmentCoC"] for e in heads)


def classify(problem) -> tuple:
    """A warning's kind: (file, column, message with the quoted values taken out)."""
    file, _, column, message, _ = problem
    message = re.sub(r"^\d+ is not", "N is not", message)
    message = re.sub(r"user \S+ is not in User.csv \((\d+ rows|this row)\)", "user U is not in User.csv (K)", message)
    message = re.sub(r"CoC [A-Z]{2}-\d{3}", "CoC X", message)
    message = re.sub(r"^\d+ rows", "N rows", message)
    return file, column, message


def test_h3_a_messy_export_loads_with_exactly_the_warnings_it_planted(tenancy, tmp_path):
    faults = generate(tmp_path / "messy.zip", "--clients", "200", "--messy", "--seed", "11")
    before = Client.objects.count()

    call_command("import_hmis_csv", str(tmp_path / "messy.zip"), "--create-cocs", stdout=io.StringIO())

    run = ImportRun.objects.latest("run_at")
    assert run.status == "loaded" and run.errors == []
    assert run.counts["Client.csv"] == {"created": 200, "updated": 0, "unchanged": 0}
    assert Client.objects.count() == before + 200
    kinds = Counter(classify(p) for p in run.warnings)
    missing_users = {p[0]: int(m[1]) if m[1] != "this" else 1
                     for p, m in ((p, re.search(r"\((\d+|this) rows?\)", p[3])) for p in run.warnings if p[2] == "UserID")}
    empty = "empty, though HUD requires an answer"
    stored_as_0 = f"{empty}: stored as 0, as this HMIS cannot hold this answer empty"
    order = "columns are not in HUD's order"
    expected = {
        ("Client.csv", "Sex", empty): faults["empty_sex"],
        **{("Client.csv", race, stored_as_0): faults["empty_race"] for race in RACES},
        ("Client.csv", "SSN", "written with dashes: read as its nine digits"): faults["ssn_dashes"],
        ("Exit.csv", "Destination", "N is not in HUD's value list: kept as given"): faults["subsidy_destination"],
        ("Exit.csv", "Destination", "N is not an answer HUD offers for 3.12"): faults["subsidy_destination"],
        ("Services.csv", "DateProvided", "another service of this kind on this day for this enrollment: both "
                                         "loaded"): faults["bed_night_twice"],
        ("Project.csv", "OperatingEndDate", "the project ends before it starts: loaded as given"): 1,
        ("Export.csv", "", "N rows: the files are read as one export, the first row naming its source; every row "
                           "is kept"): 1,
        ("Export.csv", "CSVVersion", "names 2024 v1.4, not 2026 v1.0: read as 2026 v1.0, which its columns are"): 1,
        ("Client.csv", "VendorFlag", "column not in FY2026: ignored"): 1,
        ("Enrollment.csv", "LegacyCaseNo", "column not in FY2026: ignored"): 1,
        ("Enrollment.csv", "SiteCode", "column not in FY2026: ignored"): 1,
        ("ProjectCoC.csv", "CoCCode", "CoC X was not set up in this HMIS: created under the HMIS Lead"): 2,
    }
    users = {kind: n for kind, n in kinds.items() if kind[1] == "UserID"}
    ordered = {kind[0] for kind in kinds if kind[2] == order}
    rest = {kind: n for kind, n in kinds.items() if kind[1] != "UserID" and kind[2] != order}
    assert rest == expected
    # UserIDs missing from User.csv: one warning per file, counting its rows
    assert set(users) == {(name, "UserID", "user U is not in User.csv (K): loaded, as entered by the importing "
                                           "HMIS Lead") for name, _, _ in users}
    planted = {name: n for name in spec.FILES
               if (n := sum(r.get("UserID") == messy.MISSING_USER for r in messy.read_back(tmp_path / "messy.zip", name)))}
    assert sum(planted.values()) == faults["missing_user"]
    # each file that stores its rows' authors names them, with how many rows
    assert missing_users == planted
    # the shuffled files are named; a file with extra columns at the end may be named too
    assert set(messy.REORDERED) <= ordered <= set(messy.REORDERED) | set(messy.EXTRA_COLUMNS)
    assert not any(p[2] == "EnrollmentCoC" for p in run.warnings)  # HUD asks 3.16 of the head only

    # Names come back whole: accents, quotes, commas, newlines (Client.csv line n + 2 is client n + 1).
    by_id = {c.client_id: c for c in Client.objects.filter(client_id__startswith="C000")}
    assert by_id["C000107"].last_name == 'Bre,\n"Zo" Quil' and by_id["C000057"].last_name == "Mira\nJune"
    assert by_id["C000007"].last_name == "Tarlo, Jr." and by_id["C000005"].first_name == "Zoë"
    source = {c["PersonalID"]: c for c in messy.read_back(tmp_path / "messy.zip", "Client.csv")}
    dashed = next(pid for pid, c in source.items() if "-" in c["SSN"])
    assert by_id[dashed].ssn == source[dashed]["SSN"].replace("-", "")
    # DateUpdated before DateCreated is kept as the source had it
    assert source["C000006"]["DateUpdated"] < source["C000006"]["DateCreated"]
    assert by_id["C000006"].updated_at < by_id["C000006"].created_at


def test_h3_re_importing_the_same_messy_export_changes_nothing(tenancy, tmp_path):
    """H3: the same export imported again finds every record it loaded and writes none of them
    (no row of any table changes, the counts say so), and lists the same warnings (but for the
    CoCs the first import created, which are now set up)."""
    from django.apps import apps

    generate(tmp_path / "messy.zip", "--clients", "60", "--messy", "--seed", "5")
    call_command("import_hmis_csv", str(tmp_path / "messy.zip"), "--create-cocs", stdout=io.StringIO())
    first = ImportRun.objects.latest("run_at")
    tables = ["clients.Client", "enrollments.Enrollment", "enrollments.Assessment", "enrollments.Service",
              "enrollments.CurrentLivingSituation", "enrollments.CeAssessment", "enrollments.CeEvent",
              "enrollments.ProgramAnswers", "enrollments.VeteranInformation", "reports.ExternalKey"]

    def snapshot():
        return {name: sorted(map(repr, apps.get_model(name).objects.values_list())) for name in tables}

    before = snapshot()
    assert before["clients.Client"] and before["enrollments.Assessment"] and before["enrollments.Service"]

    call_command("import_hmis_csv", str(tmp_path / "messy.zip"), "--create-cocs", stdout=io.StringIO())

    again = ImportRun.objects.latest("run_at")
    assert again.pk != first.pk and again.status == "loaded"
    assert snapshot() == before
    for name in ("Client.csv", "Enrollment.csv", "IncomeBenefits.csv", "Services.csv"):
        assert again.counts[name]["created"] == again.counts[name]["updated"] == 0, name
        assert again.counts[name]["unchanged"] == first.counts[name]["created"] > 0, name
    # the same warnings, but for the CoCs the first import created
    created_cocs = [w for w in first.warnings if "created under the HMIS Lead" in w[3]]
    assert len(created_cocs) == 2
    assert sorted(again.warnings) == sorted(w for w in first.warnings if w not in created_cocs)


def test_h3_stays_and_exits_keep_their_own_date_created_and_date_updated(tenancy, tmp_path):
    """H3 (everything kept): Enrollment.csv's DateUpdated and Exit.csv's DateCreated and
    DateUpdated come back as the source had them, cell for cell, not replaced by the stay's
    DateCreated (the messy export writes exits entered days after the stay, and DateUpdated
    before DateCreated on some rows)."""
    generate(tmp_path / "messy.zip", "--clients", "40", "--messy", "--seed", "3")
    call_command("import_hmis_csv", str(tmp_path / "messy.zip"), "--create-cocs", stdout=io.StringIO())
    call_command("export_hmis_csv", "--out", str(tmp_path / "again.zip"), stdout=io.StringIO())

    # (by EnrollmentID: this HMIS keeps an exit on its stay, and its ExitID is the stay's: issue 17's notes)
    for name, key in (("Enrollment.csv", "EnrollmentID"), ("Exit.csv", "EnrollmentID")):
        source = {r[key]: r for r in messy.read_back(tmp_path / "messy.zip", name)}
        again = {r[key]: r for r in messy.read_back(tmp_path / "again.zip", name)}
        assert source and set(source) <= set(again), name
        for ident, row in source.items():
            assert (again[ident]["DateCreated"], again[ident]["DateUpdated"]) == \
                   (row["DateCreated"], row["DateUpdated"]), (name, ident)
    exits = messy.read_back(tmp_path / "messy.zip", "Exit.csv")
    stays = {r["EnrollmentID"]: r for r in messy.read_back(tmp_path / "messy.zip", "Enrollment.csv")}
    # the case that was lost before: an exit entered on another day than its stay
    assert any(r["DateCreated"] != stays[r["EnrollmentID"]]["DateCreated"] for r in exits)


def test_h3_ce_assessment_questions_and_results_are_kept_cell_for_cell(tenancy, tmp_path):
    """H3 (all 24 files stored): AssessmentQuestions.csv and AssessmentResults.csv load under
    their CE assessments and come back in the export with every cell as given but ExportID
    (the IDs, the assessment, group, order, wording, answer, stamps and author)."""
    generate(tmp_path / "messy.zip", "--clients", "40", "--messy", "--seed", "8")
    call_command("import_hmis_csv", str(tmp_path / "messy.zip"), "--create-cocs", stdout=io.StringIO())
    call_command("export_hmis_csv", "--out", str(tmp_path / "again.zip"), stdout=io.StringIO())
    authors = {r["UserID"] for r in messy.read_back(tmp_path / "again.zip", "User.csv")}

    for name, key in (("AssessmentQuestions.csv", "AssessmentQuestionID"), ("AssessmentResults.csv", "AssessmentResultID")):
        source = {r[key]: r for r in messy.read_back(tmp_path / "messy.zip", name)}
        again = {r[key]: r for r in messy.read_back(tmp_path / "again.zip", name)}
        assert source and set(again) == set(source), name
        for ident, row in source.items():
            # UserID: the source's user is kept as a record author with an ID of this HMIS (User.csv
            # lists it); a UserID User.csv did not have is the importing Lead's.
            same = {column: value for column, value in row.items() if column not in ("ExportID", "UserID")}
            assert {column: again[ident][column] for column in same} == same, (name, ident)
            assert again[ident]["UserID"] in authors
