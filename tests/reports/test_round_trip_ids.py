"""H3 (issue 17): the round trip's last gaps. Organizations with no project and organizations
sharing a name come back as the source had them; a re-import of a changed export leaves exactly
the newer export's own row IDs (Assessment.file_ids); two source systems giving the same row ID
to different rows never make an export write one ID twice (source_ids.py's collision rule).

Every export here is another system's (the generator's, then changed as a vendor would change
it), loaded with `manage.py import_hmis_csv` and written again with `manage.py export_hmis_csv`."""

import csv
import io
import zipfile
from collections import Counter

import pytest
from django.core.management import call_command

from agencies.models import Agency, Coc
from enrollments.models import Assessment
from reports.hmis_csv import messy, spec
from reports.models import ImportRun
from tests.factories import HmisLeadFactory, UserFactory
from tests.reports.test_messy_export import generate
from tests.reports.test_round_trip import differences

pytestmark = pytest.mark.django_db
ONE_ROW_FILES = ("HealthAndDV.csv", "EmploymentEducation.csv", "YouthEducationStatus.csv")
# the IDs of clients, stays and their records but the split files' own
STAY_KEYS = {"PersonalID", "EnrollmentID", "HouseholdID", "ExitID", "IncomeBenefitsID", "ServicesID",
             "CurrentLivingSitID", "AssessmentID", "AssessmentQuestionID", "AssessmentResultID", "EventID"}


@pytest.fixture
def lead(db):
    """An HMIS with its Lead and one administrator, and nothing else: every agency, project and
    client an export writes comes from the imports."""
    HmisLeadFactory(pk=1)
    return UserFactory(username="ids_lead", is_system_admin=True)


def tables_of(path) -> dict[str, list[dict]]:
    return {name: messy.read_back(path, name) for name in spec.FILES}


def write_zip(path, tables: dict[str, list[dict]]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=spec.headers()[name], lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(name, out.getvalue())
    return path


def import_(path) -> ImportRun:
    call_command("import_hmis_csv", str(path), "--create-cocs", "--by", "ids_lead", stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")
    assert run.status == ImportRun.Status.LOADED, run.problems
    return run


def export(path, *args):
    call_command("export_hmis_csv", "--out", str(path), *args, stdout=io.StringIO())
    return path


def generated(tmp_path, seed: int, clients: int = 30) -> dict[str, list[dict]]:
    generate(tmp_path / f"generated{seed}.zip", "--clients", str(clients), "--seed", str(seed))
    return tables_of(tmp_path / f"generated{seed}.zip")


def organization(tables, **cells) -> dict:
    first = tables["Organization.csv"][0]
    return first | {"OrganizationCommonName": "", "DateCreated": "2021-02-03 04:05:06",
                    "DateUpdated": "2022-03-04 05:06:07"} | cells


# --- 1. Organizations with no project ----------------------------------------------------------

def test_h3_organization_without_projects_round_trips(lead, tmp_path):
    """HMIS CSV: Organization.csv is the export's list of organizations, parent of Project.csv;
    HUD requires no project under one. Read: an export carries every organization in its scope,
    with or without projects: the whole HMIS, the CoC the organization takes part in, the agency
    itself, or (an export of an import's projects) the organizations that import kept."""
    tables = generated(tmp_path, seed=3)
    tables["Organization.csv"].append(organization(tables, OrganizationID="ORG-LONE",
                                                   OrganizationName="Lone Street Outreach",
                                                   OrganizationCommonName="Lone"))
    source = write_zip(tmp_path / "source.zip", tables)
    run = import_(source)
    assert not any("has no project" in p[3] for p in run.problems)

    lone = Agency.objects.get(name="Lone Street Outreach")
    assert not lone.projects.exists()
    # an agency here takes part in a CoC (T2): the one the export came from (Export.csv SourceType 1)
    assert list(lone.cocs.values_list("code", flat=True)) == [tables["Export.csv"][0]["SourceID"]]

    assert differences(source, export(tmp_path / "all.zip")) == {}
    in_coc = messy.read_back(export(tmp_path / "coc.zip", "--coc", lone.cocs.get().code), "Organization.csv")
    assert "ORG-LONE" in {row["OrganizationID"] for row in in_coc}
    own = messy.read_back(export(tmp_path / "agency.zip", "--agency", str(lone.pk)), "Organization.csv")
    assert [row["OrganizationID"] for row in own] == ["ORG-LONE"]
    # an export of the import's projects: the organizations it kept come with them
    projects = [str(p) for p in Agency.objects.exclude(pk=lone.pk).values_list("projects", flat=True)]
    some = messy.read_back(export(tmp_path / "projects.zip", *[a for p in projects for a in ("--project", p)]),
                           "Organization.csv")
    assert {row["OrganizationID"] for row in some} == {row["OrganizationID"] for row in tables["Organization.csv"]}


def test_h3_an_organization_without_projects_in_another_coc_stays_out_of_that_cocs_export(lead, tmp_path):
    tables = generated(tmp_path, seed=4)
    tables["Organization.csv"].append(organization(tables, OrganizationID="ORG-LONE",
                                                   OrganizationName="Lone Street Outreach"))
    import_(write_zip(tmp_path / "source.zip", tables))
    other = Coc.objects.exclude(code=tables["Export.csv"][0]["SourceID"]).filter(projects__isnull=False).first()
    assert other is not None
    in_other = messy.read_back(export(tmp_path / "other.zip", "--coc", other.code), "Organization.csv")
    assert "ORG-LONE" not in {row["OrganizationID"] for row in in_other}
    assert in_other  # the organizations with projects in that CoC


# --- 2. Two organizations of one name ----------------------------------------------------------

def test_h3_two_organizations_of_one_name_stay_two_and_come_back(lead, tmp_path):
    tables = generated(tmp_path, seed=5)
    first = tables["Organization.csv"][0]
    tables["Organization.csv"].append(organization(tables, OrganizationID="ORG-TWIN",
                                                   OrganizationName=first["OrganizationName"]))
    project = next(p for p in tables["Project.csv"] if p["OrganizationID"] == first["OrganizationID"])
    tables["Project.csv"].append(project | {"ProjectID": "P-TWIN", "OrganizationID": "ORG-TWIN"})
    coc_row = next(r for r in tables["ProjectCoC.csv"] if r["ProjectID"] == project["ProjectID"])
    tables["ProjectCoC.csv"].append(coc_row | {"ProjectCoCID": "PC-TWIN", "ProjectID": "P-TWIN"})
    # a third, with no project, under the same name
    tables["Organization.csv"].append(organization(tables, OrganizationID="ORG-TRIPLET",
                                                   OrganizationName=first["OrganizationName"]))
    source = write_zip(tmp_path / "source.zip", tables)
    run = import_(source)

    warnings = [p[:4] for p in run.problems if p[4] == "warning" and p[0] == "Organization.csv"]
    lines = {row["OrganizationID"]: n for n, row in enumerate(tables["Organization.csv"], start=2)}
    assert ["Organization.csv", lines["ORG-TWIN"], "OrganizationName",
            f"the same name as organization {first['OrganizationID']} (line 2): loaded as a second agency, "
            f"named here \"{first['OrganizationName']} [OrganizationID ORG-TWIN]\" as agency names are unique; "
            "exported under its own name"] in warnings
    twins = Agency.objects.filter(name__startswith=first["OrganizationName"])
    assert twins.count() == 3
    assert set(twins.values_list("hud_id", flat=True)) == {first["OrganizationID"], "ORG-TWIN", "ORG-TRIPLET"}
    twin = twins.get(hud_id="ORG-TWIN")
    assert list(twin.projects.values_list("hud_id", flat=True)) == ["P-TWIN"]

    exported = export(tmp_path / "export.zip")
    assert differences(source, exported) == {}

    # re-importing the same export changes nothing; importing this HMIS's export finds the same agencies
    before = sorted(Agency.objects.values_list("pk", "name", "hud_id"))
    import_(source)
    assert sorted(Agency.objects.values_list("pk", "name", "hud_id")) == before
    assert differences(source, export(tmp_path / "again.zip")) == {}


# --- 3. Re-importing a changed export ----------------------------------------------------------

def _changed(tables) -> dict[str, list[dict]]:
    """The vendor's next export: row IDs renumbered, a row's own ID given up (now its collection's),
    rows gone."""
    newer = {name: [dict(row) for row in rows] for name, rows in tables.items()}
    income_of = {(r["EnrollmentID"], r["InformationDate"], r["DataCollectionStage"]): r["IncomeBenefitsID"]
                 for r in newer["IncomeBenefits.csv"]}
    for name in ONE_ROW_FILES:
        key = spec.headers()[name][0]
        rows = newer[name]
        assert len(rows) >= 3, name
        rows[0][key] = f"NEW-{rows[0][key]}"  # renumbered
        collection = (rows[1]["EnrollmentID"], rows[1]["InformationDate"], rows[1]["DataCollectionStage"])
        rows[1][key] = income_of[collection]  # now the collection's own ID: nothing of its own to keep
        del rows[2]  # gone
    disabilities = newer["Disabilities.csv"]
    disabilities[0]["DisabilitiesID"] = f"NEW-{disabilities[0]['DisabilitiesID']}"
    del disabilities[1]
    return newer


def test_h3_a_re_import_keeps_exactly_the_newer_exports_row_ids(lead, tmp_path):
    tables = generated(tmp_path, seed=6)
    import_(write_zip(tmp_path / "first.zip", tables))
    assert Assessment.objects.exclude(file_ids={}).exists()  # the generator's files carry their own IDs

    newer = write_zip(tmp_path / "newer.zip", _changed(tables))
    import_(newer)
    assert differences(newer, export(tmp_path / "export.zip")) == {}
    # and once more: nothing moves
    import_(newer)
    assert differences(newer, export(tmp_path / "again.zip")) == {}


def test_h3_two_sources_giving_one_row_id_to_different_rows_never_export_it_twice(lead, tmp_path):
    """source_ids.py: an import keeps a row's ID unless another row of the same kind here already
    exports under it; that row then exports under its collection's ID. The two generated exports
    number their rows alike (HD1, D1...), and the second names the first's collections' IDs too."""
    first = generated(tmp_path, seed=7)
    import_(write_zip(tmp_path / "first.zip", first))
    second = generated(tmp_path, seed=8)
    second["Export.csv"][0] |= {"SourceID": first["Export.csv"][0]["SourceID"], "SourceName": "Another Vendor HMIS"}
    for rows in second.values():  # other clients and stays; the split files' own row IDs as they were
        for row in rows:
            for column in STAY_KEYS & set(row):
                row[column] = f"B-{row[column]}" if row[column] else row[column]
    # a row of the second names as its own ID the ID of a collection of the first
    second["HealthAndDV.csv"][0]["HealthAndDVID"] = first["IncomeBenefits.csv"][0]["IncomeBenefitsID"]
    import_(write_zip(tmp_path / "second.zip", second))

    exported = export(tmp_path / "export.zip")
    for name in (*ONE_ROW_FILES, "Disabilities.csv", "IncomeBenefits.csv"):
        ids = Counter(row[spec.headers()[name][0]] for row in messy.read_back(exported, name))
        assert [i for i, n in ids.items() if n > 1] == [], name
        assert sum(ids.values()) == len(first[name]) + len(second[name]), name
    # the first source's rows keep their IDs: they came first; the second's taken ones export under
    # their collection's ID, the others as the second had them
    health = {row["HealthAndDVID"]: row for row in messy.read_back(exported, "HealthAndDV.csv")}
    first_ids = {row["HealthAndDVID"] for row in first["HealthAndDV.csv"]}
    assert first_ids <= set(health)
    taken = [row for row in second["HealthAndDV.csv"] if row["HealthAndDVID"] in first_ids]
    assert taken and len(taken) < len(second["HealthAndDV.csv"])
    by_collection = {(r["EnrollmentID"], r["InformationDate"], r["DataCollectionStage"]): r["IncomeBenefitsID"]
                     for r in second["IncomeBenefits.csv"]}
    for row in taken:
        moved = health[by_collection[(row["EnrollmentID"], row["InformationDate"], row["DataCollectionStage"])]]
        assert (moved["EnrollmentID"], moved["InformationDate"]) == (row["EnrollmentID"], row["InformationDate"])
    kept = [row["HealthAndDVID"] for row in second["HealthAndDV.csv"] if row["HealthAndDVID"] not in first_ids]
    assert set(kept) <= set(health)


def test_h3_a_second_source_using_the_first_sources_ids_never_updates_the_first_sources_records(lead, tmp_path):
    """Two systems number their clients, stays and services alike (1, 2, 3...). The second's rows
    are its own records: none of the first's is overwritten, and re-importing the second changes
    nothing. (An ID another source's record holds was once read as this source's own.)"""
    from clients.models import Client
    from enrollments.models import Enrollment, Service

    first = generated(tmp_path, seed=9, clients=12)
    import_(write_zip(tmp_path / "first.zip", first))
    first_names = dict(Client.objects.values_list("client_id", "last_name"))
    assert {row["PersonalID"] for row in first["Client.csv"]} <= set(first_names)  # IDs kept as given
    counts = (Client.objects.count(), Enrollment.objects.count(), Service.objects.count())

    second = generated(tmp_path, seed=10, clients=12)
    second["Export.csv"][0] |= {"SourceID": first["Export.csv"][0]["SourceID"], "SourceName": "Another Vendor HMIS"}
    for row in second["Client.csv"]:
        row["LastName"] = f"Second{row['LastName']}"
    shared = {row["PersonalID"] for row in second["Client.csv"]} & set(first_names)
    assert shared  # the two generated exports share client IDs: the case under test
    second_zip = write_zip(tmp_path / "second.zip", second)
    run = import_(second_zip)

    assert run.counts["Client.csv"]["created"] == len(second["Client.csv"])
    assert run.counts["Enrollment.csv"]["created"] == len(second["Enrollment.csv"])
    assert (Client.objects.count(), Enrollment.objects.count(), Service.objects.count()) == (
        counts[0] + len(second["Client.csv"]), counts[1] + len(second["Enrollment.csv"]),
        counts[2] + len(second["Services.csv"]))
    assert dict(Client.objects.filter(client_id__in=first_names).values_list("client_id", "last_name")) == first_names

    again = import_(second_zip)
    assert again.counts["Client.csv"]["created"] == again.counts["Client.csv"]["updated"] == 0
    assert again.counts["Enrollment.csv"]["created"] == again.counts["Enrollment.csv"]["updated"] == 0
    assert again.counts["Services.csv"]["created"] == again.counts["Services.csv"]["updated"] == 0
