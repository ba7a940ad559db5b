"""H3 (issue 17): every fault of an HMIS CSV export is sorted, through `manage.py import_hmis_csv`:
a structural one rejects the import with its file, line and column and nothing is written; a
value-level one loads and is listed; no database constraint is ever met at the insert (the
import's "stopped partway through loading" counts as a failure here); real files read as they come.

Each test starts from one small valid export built here (`base_files`), changes one thing, and
states the exact problems it expects. Lines: the header is line 1, the first row line 2."""

import codecs
import csv
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import Agency, Inventory, Project
from clients.models import Client
from enrollments.models import Assessment, Enrollment, Service
from reports.hmis_csv import importer, spec
from reports.models import ImportRun
from tests.factories import CocFactory, HmisLeadFactory, UserFactory

pytestmark = pytest.mark.django_db
COC = "FT-500"
STAMP = "2024-01-02 03:04:05"
NAME_51 = "N" * 51


@pytest.fixture
def lead_admin(db):
    CocFactory(lead=HmisLeadFactory(), code=COC)
    return UserFactory(username="fault_lead", is_system_admin=True)


def filled(file_name: str, **values) -> dict:
    """One row of a file: what is given, and a plain valid value in every column HUD requires."""
    row = {}
    for column in spec.columns(file_name):
        if column.name in values:
            row[column.name] = values[column.name]
        elif column.nullable or column.name == "DateDeleted":
            row[column.name] = ""
        elif column.kind == "I":
            row[column.name] = str(99 if column.values and 99 in column.values else min(column.values or {1}))
        elif column.kind == "D":
            row[column.name] = "2024-01-01"
        elif column.kind == "T":
            row[column.name] = STAMP
        else:
            row[column.name] = "X1"
    return row


def base_rows() -> dict[str, list[dict]]:
    user = {"UserID": "U1", "ExportID": "E1", "DateCreated": STAMP, "DateUpdated": STAMP}
    stay = {"ProjectID": "P1", "HouseholdID": "H1", "RelationshipToHoH": "1", "EnrollmentCoC": COC,
            "LivingSituation": "101", "DisablingCondition": "0", **user}
    return {
        "Export.csv": [filled("Export.csv", ExportID="E1", SourceType="1", SourceID=COC, SourceName="Fault Test",
                              SoftwareName="Elsewhere", CSVVersion=spec.CSV_VERSION, HashStatus="1",
                              ImplementationID="fault-test")],
        "Organization.csv": [filled("Organization.csv", OrganizationID="O1", OrganizationName="Fault Test Agency",
                                    VictimServiceProvider="0", **user)],
        "User.csv": [filled("User.csv", UserID="U1", UserFirstName="Ulla", UserLastName="User", ExportID="E1",
                            DateCreated=STAMP, DateUpdated=STAMP)],
        "Project.csv": [filled("Project.csv", ProjectID="P1", OrganizationID="O1", ProjectName="Fault Shelter",
                               OperatingStartDate="2020-01-01", ContinuumProject="1", ProjectType="0",
                               HousingType="1", TargetPopulation="4", **user)],
        "Funder.csv": [filled("Funder.csv", FunderID="F1", ProjectID="P1", Funder="2", GrantID="G-1",
                              StartDate="2020-01-01", **user)],
        "ProjectCoC.csv": [filled("ProjectCoC.csv", ProjectCoCID="PC1", ProjectID="P1", CoCCode=COC,
                                  Geocode="250294", GeographyType="1", **user)],
        "Inventory.csv": [filled("Inventory.csv", InventoryID="I1", ProjectID="P1", CoCCode=COC, HouseholdType="1",
                                 Availability="1", UnitInventory="10", BedInventory="10", ESBedType="1",
                                 InventoryStartDate="2020-01-01", **user)],
        "Client.csv": [filled("Client.csv", PersonalID="C1", FirstName="Ada", LastName="Alpha", NameDataQuality="1",
                              SSNDataQuality="99", DOB="1980-05-06", DOBDataQuality="1", White="1", Sex="0",
                              VeteranStatus="0", **user),
                       filled("Client.csv", PersonalID="C2", FirstName="Bo", LastName="Beta", NameDataQuality="1",
                              SSNDataQuality="99", DOB="1975-07-08", DOBDataQuality="1", Asian="1", Sex="1",
                              VeteranStatus="0", **user)],
        "Enrollment.csv": [filled("Enrollment.csv", EnrollmentID="EN1", PersonalID="C1", EntryDate="2024-01-01",
                                  **stay),
                           filled("Enrollment.csv", EnrollmentID="EN2", PersonalID="C2", EntryDate="2024-02-01",
                                  **stay | {"HouseholdID": "H2"})],
        "Exit.csv": [filled("Exit.csv", ExitID="X1", EnrollmentID="EN1", PersonalID="C1", ExitDate="2024-03-01",
                            Destination="410", **user)],
        "IncomeBenefits.csv": [filled("IncomeBenefits.csv", IncomeBenefitsID="IB1", EnrollmentID="EN1",
                                      PersonalID="C1", InformationDate="2024-01-01", DataCollectionStage="1",
                                      IncomeFromAnySource="1", TotalMonthlyIncome="100.00", Earned="1",
                                      EarnedAmount="100.00", **user)],
        "Services.csv": [filled("Services.csv", ServicesID="S1", EnrollmentID="EN1", PersonalID="C1",
                                DateProvided="2024-01-05", RecordType="200", TypeProvided="200", **user)],
    }


def as_text(file_name: str, rows: list[dict], line_end="\r\n") -> str:
    out = io.StringIO()
    columns = list(rows[0]) if rows else spec.headers()[file_name]  # a test may drop a column
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def base_files(change=None) -> dict[str, bytes]:
    """The valid export as file name -> bytes; ``change(rows)`` edits the rows first."""
    rows = base_rows()
    if change:
        change(rows)
    return {name: as_text(name, table).encode() for name, table in rows.items()}


def zipped(tmp_path, files: dict[str, bytes], name="export.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
    return path


def run_import(path) -> ImportRun:
    try:
        call_command("import_hmis_csv", str(path), "--by", "fault_lead", stdout=io.StringIO())
    except CommandError:
        pass  # rejected: the run says why
    return ImportRun.objects.latest("run_at")


def problems(run, severity):
    return [p[:4] for p in run.problems if p[4] == severity]


def rejected_with(tmp_path, files) -> list:
    """Import ``files``; it must be rejected with nothing written. Returns its errors."""
    before = (Client.objects.count(), Agency.objects.count(), Project.objects.count())
    run = run_import(zipped(tmp_path, files))
    assert run.status == ImportRun.Status.REJECTED
    assert importer.LOAD_STOPPED not in [p[3] for p in run.problems]  # refused by the checks, not the database
    assert (Client.objects.count(), Agency.objects.count(), Project.objects.count()) == before
    return problems(run, "error")


def loaded(tmp_path, files, name="export.zip") -> ImportRun:
    run = run_import(zipped(tmp_path, files, name))
    assert run.status == ImportRun.Status.LOADED, run.problems
    assert problems(run, "error") == []
    return run


def set_cell(file_name, index, column, value):
    def change(rows):
        rows[file_name][index][column] = value
    return change


def test_h3_the_base_export_loads_cleanly(lead_admin, tmp_path):
    run = loaded(tmp_path, base_files())
    assert Client.objects.filter(first_name__in=["Ada", "Bo"]).count() == 2
    assert Enrollment.objects.count() == 2 and Service.objects.count() == 1 and Assessment.objects.count() == 1
    assert not any(p[2] == "UserID" for p in run.problems)


# --- 1. Structural faults ----------------------------------------------------------------------

def without(file_name):
    def change(rows):
        del rows[file_name]
    return change


def drop_column(file_name, column):
    def change(rows):
        for row in rows[file_name]:
            del row[column]
    return change


STRUCTURAL = {
    "a missing required file": (without("Project.csv"), ["Project.csv", 0, "", "this file is required in every export"]),
    # One error for a missing Client.csv, not one per enrollment pointing into it.
    "a missing parent file": (without("Client.csv"), ["Client.csv", 0, "", "the file is missing, though "
                                                                           "Enrollment.csv refers to it (2 rows)"]),
    "a date that is not a date": (set_cell("Enrollment.csv", 1, "EntryDate", "2024-02-30"),
                                  ["Enrollment.csv", 3, "EntryDate", "'2024-02-30' is not a date (YYYY-MM-DD)"]),
    "text in an integer column": (set_cell("Inventory.csv", 0, "BedInventory", "ten"),
                                  ["Inventory.csv", 2, "BedInventory", "'ten' is not a whole number"]),
    "a number too large for any column": (
        set_cell("Inventory.csv", 0, "BedInventory", "3000000000"),
        ["Inventory.csv", 2, "BedInventory", "3000000000 is too large to store (at most 2,147,483,647)"]),
    "a negative count": (set_cell("Inventory.csv", 0, "UnitInventory", "-1"),
                         ["Inventory.csv", 2, "UnitInventory", "-1 is negative: HUD's whole numbers are codes and "
                                                               "counts, never below 0"]),
    "a negative amount": (set_cell("IncomeBenefits.csv", 0, "EarnedAmount", "-5.00"),
                          ["IncomeBenefits.csv", 2, "EarnedAmount", "-5.00 is negative: HUD's amounts in this column "
                                                                    "are never below 0"]),
    "an amount with a thousands separator": (
        set_cell("IncomeBenefits.csv", 0, "TotalMonthlyIncome", "1,200.00"),
        ["IncomeBenefits.csv", 2, "TotalMonthlyIncome", "'1,200.00' is not an amount (digits and cents, as 1234.50)"]),
    "an amount past cents": (
        set_cell("IncomeBenefits.csv", 0, "TotalMonthlyIncome", "100.005"),
        ["IncomeBenefits.csv", 2, "TotalMonthlyIncome", "'100.005' has more than two decimal places: amounts are in "
                                                        "dollars and cents"]),
    "a missing column": (drop_column("Services.csv", "TypeProvided"), ["Services.csv", 1, "TypeProvided",
                                                                       "column missing"]),
    "a duplicate primary key": (lambda rows: rows["Services.csv"].append(rows["Services.csv"][0] | {}),
                                ["Services.csv", 3, "ServicesID", "S1 appears twice"]),
    "a reference to no row": (set_cell("Exit.csv", 0, "EnrollmentID", "EN9"),
                              ["Exit.csv", 2, "EnrollmentID", "EN9 is not in Enrollment.csv"]),
}


@pytest.mark.parametrize("label", STRUCTURAL)
def test_h3_each_structural_fault_rejects_the_import_with_file_line_and_column(lead_admin, tmp_path, label):
    change, expected = STRUCTURAL[label]
    assert rejected_with(tmp_path, base_files(change)) == [expected]


def test_h3_an_fy2024_client_file_is_named_once_not_column_by_column(lead_admin, tmp_path):
    files = base_files()
    fy2024 = spec.fy2024_columns("Client.csv")
    assert "Woman" in fy2024 and "Sex" not in fy2024
    row = {column: "" for column in fy2024} | {"PersonalID": "C1", "FirstName": "Ada", "NameDataQuality": "1",
                                               "Woman": "1", "DateCreated": STAMP, "DateUpdated": STAMP,
                                               "UserID": "U1", "ExportID": "E1"}
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=fy2024, lineterminator="\r\n").writerows([{c: c for c in fy2024}, row])
    files["Client.csv"] = out.getvalue().encode()

    assert rejected_with(tmp_path, files) == [
        ["Client.csv", 1, "", "the columns are HMIS CSV FY2024's, not FY2026's (HispanicLatinaeo, Woman, Man, "
                              "NonBinary... where FY2026 has Sex, HispanicLatinao): export again in HMIS CSV FY2026 "
                              "(2026 v1.0)"]]


def test_h3_an_export_row_naming_another_version_is_only_a_warning(lead_admin, tmp_path):
    run = loaded(tmp_path, base_files(set_cell("Export.csv", 0, "CSVVersion", "2024 v1.4")))
    assert ["Export.csv", 2, "CSVVersion", "names 2024 v1.4, not 2026 v1.0: read as 2026 v1.0, which its columns "
                                           "are"] in problems(run, "warning")


# --- 2. What the database cannot hold, caught before writing ---------------------------------

def two_projects_named_alike(rows):
    rows["Project.csv"].append(rows["Project.csv"][0] | {"ProjectID": "P2"})
    rows["ProjectCoC.csv"].append(rows["ProjectCoC.csv"][0] | {"ProjectCoCID": "PC2", "ProjectID": "P2"})


CONSTRAINTS = {
    "a name longer than HUD's 50": (set_cell("Client.csv", 1, "FirstName", NAME_51),
                                    ["Client.csv", 3, "FirstName", "51 characters, longer than the 50 HUD allows"]),
    "an organization name longer than HUD's 200": (
        set_cell("Organization.csv", 0, "OrganizationName", "O" * 201),
        ["Organization.csv", 2, "OrganizationName", "201 characters, longer than the 200 HUD allows"]),
    "a code a PositiveSmallIntegerField cannot hold": (
        set_cell("Services.csv", 0, "TypeProvided", "40000"),
        ["Services.csv", 2, "TypeProvided", "40000 is too large for this column: this HMIS stores 0 to 32,767"]),
    "a code outside HUD's list no column can hold": (
        set_cell("Exit.csv", 0, "Destination", "70000"),
        ["Exit.csv", 2, "Destination", "70000 is not in HUD's value list and cannot be stored (0 to 32767)"]),
    "a yes/no race answer of 5 (kept as given elsewhere, but the column is 0/1)": (
        set_cell("Client.csv", 0, "White", "5"), ["Client.csv", 2, "White", "5 cannot be stored: this column holds 0 "
                                                                           "or 1"]),
    "an amount past the column's digits": (
        set_cell("IncomeBenefits.csv", 0, "EarnedAmount", "12345678.00"),
        ["IncomeBenefits.csv", 2, "EarnedAmount", "12345678.00 is too large: this HMIS stores amounts up to "
                                                  "9,999,999.99"]),
    "an empty answer a NOT NULL column needs": (
        set_cell("Funder.csv", 0, "Funder", ""),
        ["Funder.csv", 2, "Funder", "empty, and this HMIS cannot keep the record without an answer here"]),
    "a timestamp no time zone can hold": (
        set_cell("Client.csv", 0, "DateUpdated", "9999-12-31 23:59:59"),
        ["Client.csv", 2, "DateUpdated", "'9999-12-31 23:59:59' is not a timestamp this HMIS can store (years 2 to "
                                         "9998)"]),
    "a NUL in a name": (set_cell("Client.csv", 0, "LastName", "Al\x00pha"),
                        ["Client.csv", 2, "LastName", "holds a NUL character (byte 0): the file is damaged or not "
                                                      "UTF-8 text"]),
    "inventory ending before it starts (CHECK inventory_end_not_before_start)": (
        set_cell("Inventory.csv", 0, "InventoryEndDate", "2019-12-31"),
        ["Inventory.csv", 2, "InventoryEndDate", "the inventory ends before it starts"]),
    "two projects of one organization named alike (UNIQUE agency, name)": (
        two_projects_named_alike,
        ["Project.csv", 3, "ProjectName", "the same name as project P1 (line 2) of the same organization: this HMIS "
                                          "names each project of an agency once; rename one in the source"]),
    "two ProjectCoC rows of one project and CoC (UNIQUE project, coc_code)": (
        lambda rows: rows["ProjectCoC.csv"].append(rows["ProjectCoC.csv"][0] | {"ProjectCoCID": "PC2"}),
        ["ProjectCoC.csv", 3, "CoCCode", "project P1 already has a row for CoC FT-500 (line 2): HUD's 2.03 gives a "
                                         "project one row per CoC"]),
}


@pytest.mark.parametrize("label", CONSTRAINTS)
def test_h3_what_the_database_cannot_hold_is_an_error_before_writing(lead_admin, tmp_path, label):
    change, expected = CONSTRAINTS[label]
    assert rejected_with(tmp_path, base_files(change)) == [expected]


def test_h3_a_project_renamed_on_reimport_to_another_projects_name_is_an_error(lead_admin, tmp_path):
    """Met only on a second import of the same source: one name per agency (UNIQUE agency, name)."""
    def two_projects(rows):
        rows["Project.csv"].append(rows["Project.csv"][0] | {"ProjectID": "P2", "ProjectName": "Other Shelter"})
        rows["ProjectCoC.csv"].append(rows["ProjectCoC.csv"][0] | {"ProjectCoCID": "PC2", "ProjectID": "P2"})

    loaded(tmp_path, base_files(two_projects), "first.zip")
    renamed = base_files(set_cell("Project.csv", 0, "ProjectName", "Other Shelter"))
    assert rejected_with(tmp_path, renamed) == [
        ["Project.csv", 2, "ProjectName", "project P1 is renamed to the name of another project of Fault Test Agency "
                                          "here: this HMIS names each project of an agency once; rename one of them "
                                          "first"]]
    # A swap: P1 takes P2's name before P2 lets it go (projects are written in file order).
    def swap(rows):
        two_projects(rows)
        rows["Project.csv"][0]["ProjectName"], rows["Project.csv"][1]["ProjectName"] = "Other Shelter", "Fault Shelter"

    assert [e[:3] for e in rejected_with(tmp_path, base_files(swap))] == [["Project.csv", 2, "ProjectName"]]
    # P1 to a free name first, then P2 to P1's old one: loads.
    def swapped(rows):
        two_projects(rows)
        rows["Project.csv"][0]["ProjectName"], rows["Project.csv"][1]["ProjectName"] = "Third Shelter", "Fault Shelter"

    loaded(tmp_path, base_files(swapped), "swapped.zip")
    assert set(Project.objects.filter(agency__name="Fault Test Agency").values_list("name", flat=True)) == {
        "Third Shelter", "Fault Shelter"}


def test_h3_values_at_the_edge_of_each_column_load(lead_admin, tmp_path):
    """The checks above refuse only what cannot be stored: the largest of each loads."""
    def change(rows):
        rows["Client.csv"][0]["FirstName"] = "A" * 50
        rows["Organization.csv"][0]["OrganizationName"] = "O" * 200
        rows["Services.csv"][0]["TypeProvided"] = "32767"
        rows["Inventory.csv"][0]["BedInventory"] = "2147483647"
        rows["IncomeBenefits.csv"][0]["EarnedAmount"] = "9999999.99"
        rows["Client.csv"][1]["DateUpdated"] = "9998-12-31 23:59:59"

    loaded(tmp_path, base_files(change))
    assert Client.objects.get(client_id="C1").first_name == "A" * 50
    assert Service.objects.get().type_provided == 32767
    assert Inventory.objects.get().bed_inventory == 2147483647
    assert str(Assessment.objects.get().earned_amount) == "9999999.99"


def test_h3_every_column_the_importer_writes_is_checked_and_none_is_shorter_than_huds():
    """Each text column the Loader writes holds HUD's length (so no value is cut); had one been
    shorter, a longer value would be an error naming both limits, never cut silently."""
    shorter = []
    for file_name in spec.FILES:
        hud = {column.name: column for column in spec.columns(file_name)}
        for column, (model, name) in importer._stored_in(file_name).items():
            assert column in hud, (file_name, column)
            field = model._meta.get_field(name)
            if hud[column].kind == "S" and hud[column].length and field.max_length < hud[column].length:
                shorter.append((file_name, column))
        # every whole-number and amount column written is checked (text only where ours is shorter)
        checked = set(importer.storage_checks(file_name))
        assert {column for column in importer._stored_in(file_name) if hud[column].kind in "IM"} <= checked
    assert shorter == []


# --- 3. Value-level problems load and are listed ------------------------------------------------

def test_h3_a_user_missing_from_user_csv_is_named_and_the_record_loads(lead_admin, tmp_path):
    def change(rows):
        rows["Client.csv"][0]["UserID"] = "ghost"
        rows["Services.csv"][0]["UserID"] = "ghost"

    run = loaded(tmp_path, base_files(change))
    warnings = problems(run, "warning")
    assert ["Client.csv", 2, "UserID", "user ghost is not in User.csv (this row): loaded, as entered by the "
                                       "importing HMIS Lead"] in warnings
    assert ["Services.csv", 2, "UserID", "user ghost is not in User.csv (this row): loaded, as entered by the "
                                         "importing HMIS Lead"] in warnings
    assert Client.objects.get(client_id="C1").created_by == lead_admin


def test_h3_overlapping_stays_of_one_client_in_one_project_both_load(lead_admin, tmp_path):
    def change(rows):  # EN3: C1 again in P1, entering before EN1's exit on 2024-03-01
        rows["Enrollment.csv"].append(rows["Enrollment.csv"][0] | {"EnrollmentID": "EN3", "EntryDate": "2024-02-15",
                                                                    "HouseholdID": "H3"})
        rows["Enrollment.csv"].append(rows["Enrollment.csv"][0] | {"EnrollmentID": "EN4", "EntryDate": "2024-03-01",
                                                                    "HouseholdID": "H4"})
        rows["Exit.csv"].append(rows["Exit.csv"][0] | {"ExitID": "X3", "EnrollmentID": "EN3", "ExitDate": "2024-03-01"})

    run = loaded(tmp_path, base_files(change))
    overlaps = [w for w in problems(run, "warning") if "overlaps" in w[3]]
    # EN4 enters on the day both earlier stays exit: no overlap.
    assert overlaps == [["Enrollment.csv", 4, "EntryDate", "the client's stay EN3 overlaps their stay EN1 (line 2) in "
                                                           "project P1: both loaded"]]
    assert Enrollment.objects.filter(client__client_id="C1").count() == 3


def test_h3_an_organization_without_projects_loads_in_the_exports_coc(lead_admin, tmp_path):
    """An agency here takes part in a CoC (T2): one with no project takes part in the CoC whose
    export it is (Export.csv SourceType 1), and loads (issue 17: the round trip keeps it)."""
    def change(rows):
        rows["Organization.csv"].append(rows["Organization.csv"][0] | {"OrganizationID": "O2",
                                                                      "OrganizationName": "No Projects Agency"})

    run = loaded(tmp_path, base_files(change))
    assert not [w for w in problems(run, "warning") if w[0] == "Organization.csv"]
    lone = Agency.objects.get(name="No Projects Agency")
    assert list(lone.cocs.values_list("code", flat=True)) == [COC] and not lone.projects.exists()
    assert Agency.objects.filter(name="Fault Test Agency").exists()


def test_h3_two_organizations_of_one_name_load_as_two_agencies_with_a_warning(lead_admin, tmp_path):
    def change(rows):
        rows["Organization.csv"].append(rows["Organization.csv"][0] | {"OrganizationID": "O2"})
        rows["Project.csv"].append(rows["Project.csv"][0] | {"ProjectID": "P2", "OrganizationID": "O2",
                                                             "ProjectName": "Second Shelter"})
        rows["ProjectCoC.csv"].append(rows["ProjectCoC.csv"][0] | {"ProjectCoCID": "PC2", "ProjectID": "P2"})

    run = loaded(tmp_path, base_files(change))
    assert ["Organization.csv", 3, "OrganizationName", "the same name as organization O1 (line 2): loaded as a second "
                                                       "agency, named here \"Fault Test Agency [OrganizationID O2]\" as "
                                                       "agency names are unique; exported under its own name"] \
        in problems(run, "warning")
    agency = Agency.objects.get(name="Fault Test Agency")
    assert set(agency.projects.values_list("name", flat=True)) == {"Fault Shelter"}
    twin = Agency.objects.get(name="Fault Test Agency [OrganizationID O2]")
    assert set(twin.projects.values_list("name", flat=True)) == {"Second Shelter"}


def test_h3_implausible_dates_of_birth_and_ssns_load_as_given_and_are_listed(lead_admin, tmp_path):
    def change(rows):
        rows["Client.csv"][0] |= {"DOB": "1800-01-01", "SSN": "12345678A"}
        rows["Client.csv"][1] |= {"DOB": "2099-01-01", "SSN": "123xx6789"}  # "x": a digit not known, as HUD writes

    run = loaded(tmp_path, base_files(change))
    warnings = problems(run, "warning")
    assert ["Client.csv", 2, "DOB", "1800-01-01 is before 1900: kept as given"] in warnings
    assert ["Client.csv", 3, "DOB", "2099-01-01 is after the export was made: kept as given"] in warnings
    assert ["Client.csv", 2, "SSN", 'not nine digits (3.02; "x" for a digit not known)'] in warnings
    assert not any(w[:3] == ["Client.csv", 3, "SSN"] for w in warnings)
    assert not any("12345678A" in w[3] for w in warnings)  # the SSN is never repeated
    assert str(Client.objects.get(client_id="C1").dob) == "1800-01-01"
    assert str(Client.objects.get(client_id="C2").dob) == "2099-01-01"


# --- 4. Reading real files -------------------------------------------------------------------------

def test_h3_byte_order_marks_encodings_line_ends_and_quoted_line_breaks_all_read(lead_admin, tmp_path):
    def change(rows):
        rows["Client.csv"][0]["AdditionalRaceEthnicity"] = "first line\r\nsecond, \"quoted\" line"
        rows["Client.csv"][1]["FirstName"] = "José"

    files = base_files(change)
    rows = base_rows()
    change(rows)
    files["Client.csv"] = codecs.BOM_UTF16_LE + as_text("Client.csv", rows["Client.csv"]).encode("utf-16-le")
    files["Organization.csv"] = codecs.BOM_UTF8 + files["Organization.csv"]
    files["Enrollment.csv"] = as_text("Enrollment.csv", rows["Enrollment.csv"], line_end="\n").encode()
    files["Project.csv"] = as_text("Project.csv", rows["Project.csv"]).encode("cp1252")
    rows["Project.csv"][0]["ProjectName"] = "Café Shelter"
    files["Project.csv"] = as_text("Project.csv", rows["Project.csv"]).encode("cp1252")

    run = loaded(tmp_path, files)

    warnings = problems(run, "warning")
    assert ["Client.csv", 0, "", "UTF-16 text (HMIS CSV is UTF-8): read as UTF-16"] in warnings
    assert ["Project.csv", 0, "", "not UTF-8: read as Windows-1252"] in warnings
    assert Client.objects.get(client_id="C1").additional_race_ethnicity == "first line\r\nsecond, \"quoted\" line"
    assert Client.objects.get(client_id="C2").first_name == "José"  # the row after the line break: line 3
    assert Project.objects.filter(name="Café Shelter").exists()
    assert Agency.objects.filter(name="Fault Test Agency").exists()
    assert Enrollment.objects.count() == 2


def test_h3_nul_bytes_are_an_error_with_their_line(lead_admin, tmp_path):
    files = base_files()
    files["Services.csv"] = files["Services.csv"].replace(b"S1,", b"S\x001,", 1)
    assert rejected_with(tmp_path, files) == [
        ["Services.csv", 2, "ServicesID", "holds a NUL character (byte 0): the file is damaged or not UTF-8 text"]]


def test_h3_utf16_without_its_byte_order_mark_is_one_clear_error(lead_admin, tmp_path):
    files = base_files()
    files["Funder.csv"] = files["Funder.csv"].decode().encode("utf-16-le")
    assert rejected_with(tmp_path, files) == [
        ["Funder.csv", 1, "", "the header holds NUL characters (byte 0): the file is UTF-16 without its byte-order "
                              "mark, or damaged; export it again as UTF-8"]]


def test_h3_a_field_past_the_csv_field_limit_is_an_error_naming_file_and_line(lead_admin, tmp_path):
    files = base_files(set_cell("Client.csv", 1, "AdditionalRaceEthnicity", "x" * (csv.field_size_limit() + 1)))
    assert rejected_with(tmp_path, files) == [
        ["Client.csv", 3, "", "a value longer than 131,072 characters, far past HUD's longest (500): the file is "
                              "damaged, or a quote opened here is never closed"]]


def test_h3_a_quote_left_open_is_named(lead_admin, tmp_path):
    files = base_files()
    text = files["Services.csv"].decode()
    files["Services.csv"] = (text + text.split("\r\n")[1].replace("S1,", "S2,\"", 1) + "\r\n").encode()
    # The open quote runs to the end of the file: the row has its ID and one long value.
    assert rejected_with(tmp_path, files) == [
        ["Services.csv", 3, "", f"2 values where the header has {len(spec.headers()['Services.csv'])} columns: a "
                                "quoted value runs past its row (is a quote left open?)"]]


def test_h3_a_file_the_zip_holds_twice_is_an_error_naming_both(lead_admin, tmp_path):
    files = base_files()
    files["export/Client.csv"] = files["Client.csv"]
    assert rejected_with(tmp_path, files) == [
        ["Client.csv", 0, "", "the zip holds this file 2 times (Client.csv and export/Client.csv): keep one and "
                              "import again"]]


def test_h3_the_upload_page_names_a_file_the_zip_holds_twice(lead_admin, signed_in, tmp_path,
                                                             django_capture_on_commit_callbacks):
    """The same fault through the upload page (its job runs on commit): the run lists it, nothing loads."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    files = base_files()
    files["export/Client.csv"] = files["Client.csv"]
    data = zipped(tmp_path, files).read_bytes()
    browser = signed_in(lead_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("reports:import"), {"sharing": "locked",
                                                            "file": SimpleUploadedFile("twice.zip", data)})
    run = ImportRun.objects.latest("run_at")
    assert run.status == ImportRun.Status.REJECTED and not Client.objects.exists()
    assert problems(run, "error") == [["Client.csv", 0, "", "the zip holds this file 2 times (Client.csv and "
                                                            "export/Client.csv): keep one and import again"]]
    assert "export/Client.csv" in browser.get(response["Location"]).content.decode()


def test_h3_files_in_one_folder_in_any_letter_case_load_and_unknown_files_are_named(lead_admin, tmp_path):
    files = {f"FY2026 export/{name.lower()}": data for name, data in base_files().items()}
    files["FY2026 export/Notes.csv"] = b"anything, never read\r\n"
    files["__MACOSX/FY2026 export/._client.csv"] = b"\x00\x05\x16\x07"  # a Mac's resource fork: not a file

    run = loaded(tmp_path, files)

    assert Client.objects.filter(client_id__in=["C1", "C2"]).count() == 2
    assert problems(run, "warning").count(["Notes.csv", 0, "", "not an HMIS CSV FY2026 file: ignored"]) == 1
    assert not any("._client" in p[0] for p in run.problems)


def test_h3_the_same_file_in_two_letter_cases_in_a_folder_is_an_error(lead_admin, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for name, data in base_files().items():
        (folder / name).write_bytes(data)
    (folder / "client.csv").write_bytes(base_files()["Client.csv"])
    if len(list(folder.iterdir())) == len(base_files()):
        pytest.skip("this disk does not tell letter cases apart")
    before = Client.objects.count()
    run = run_import(folder)
    assert run.status == ImportRun.Status.REJECTED
    assert problems(run, "error") == [["Client.csv", 0, "", "the export holds this file 2 times (Client.csv and "
                                                            "client.csv): keep one and import again"]]
    assert Client.objects.count() == before


def test_h3_any_csv_error_while_parsing_becomes_an_error_with_file_and_line(monkeypatch):
    """Whatever the csv module raises (here forced on the third row) is an error on its line."""
    real_reader = csv.reader

    def failing_reader(*args, **kwargs):
        rows = real_reader(*args, **kwargs)

        def gen():
            for number, row in enumerate(rows, start=1):
                if number == 3:
                    raise csv.Error("new-line character seen in unquoted field")
                yield row
        return gen()

    monkeypatch.setattr(importer, "csv", SimpleNamespace(reader=failing_reader, Error=csv.Error,
                                                         field_size_limit=csv.field_size_limit))
    parsed = importer.parse_files(base_files())
    assert ["Client.csv", 3, "", "not readable as CSV (new-line character seen in unquoted field)", "error"] \
        in parsed.problems


# --- The cell rules of spec.parse, one by one ----------------------------------------------------

MONEY = spec.Column("EarnedAmount", "M", None, True, None, positive=True)
SIGNED_MONEY = spec.Column("FAAmount", "M", None, True, None)
COUNT = spec.Column("BedInventory", "I", None, False, None)


@pytest.mark.parametrize("column, text, value", [
    (MONEY, "1234.50", "1234.50"), (MONEY, "12", "12"), (MONEY, ".5", "0.5"), (SIGNED_MONEY, "-20.00", "-20.00"),
    (COUNT, "0", 0), (COUNT, "2147483647", 2147483647),
])
def test_amounts_and_counts_hud_allows_parse(column, text, value):
    assert str(spec.parse(column, text)) == str(value)


@pytest.mark.parametrize("column, text, message", [
    (MONEY, "-1.00", "-1.00 is negative: HUD's amounts in this column are never below 0"),
    (MONEY, "NaN", "'NaN' is not an amount (digits and cents, as 1234.50)"),
    (MONEY, "1e3", "'1e3' is not an amount (digits and cents, as 1234.50)"),
    (MONEY, "$5", "'$5' is not an amount (digits and cents, as 1234.50)"),
    (COUNT, "-3", "-3 is negative: HUD's whole numbers are codes and counts, never below 0"),
    (COUNT, "2147483648", "2147483648 is too large to store (at most 2,147,483,647)"),
    (spec.Column("DateCreated", "T", None, False, None), "0001-01-01 00:00:00",
     "'0001-01-01 00:00:00' is not a timestamp this HMIS can store (years 2 to 9998)"),
    (spec.Column("FirstName", "S", 50, True, None), "é" * 51, "51 characters, longer than the 50 HUD allows"),
])
def test_values_not_of_their_type_say_why(column, text, message):
    with pytest.raises(ValueError) as refused:
        spec.parse(column, text)
    assert str(refused.value) == message
    assert not isinstance(refused.value, spec.Doubtful)


def test_hud_money_columns_are_known_by_their_sign():
    income = {column.name: column for column in spec.columns("IncomeBenefits.csv")}
    services = {column.name: column for column in spec.columns("Services.csv")}
    assert income["TotalMonthlyIncome"].positive and income["EarnedAmount"].positive  # "M+"
    assert not services["FAAmount"].positive  # "M"


def test_h1_h3_a_foreign_export_carries_federal_partner_answers_into_the_stay(lead_admin, tmp_path):
    """Data this HMIS did not write: Enrollment.csv and Exit.csv rows of another system with
    federal partners' columns filled (SSVF's PercentAMI and VAMCStation, RHY's referral source,
    the RHY exit's project completion status and early exit reason): each lands on the stay's
    ProgramAnswers; a stay whose partner columns are all empty gets no row (H1: no invented
    answers); a VAMC station outside HUD's list V6.1 is kept as given with a warning."""
    from enrollments.models import ProgramAnswers

    def partner_columns(rows):
        rows["Enrollment.csv"][0].update(PercentAMI="1", VAMCStation="XX9", ReferralSource="7")
        rows["Exit.csv"][0].update(ProjectCompletionStatus="3", EarlyExitReason="2")

    run = run_import(zipped(tmp_path, base_files(partner_columns)))
    assert run.status == "loaded", problems(run, "error")
    answers = ProgramAnswers.objects.get(enrollment__client__first_name="Ada")
    assert (answers.percent_ami, answers.vamc_station, answers.referral_source) == (1, "XX9", 7)
    assert (answers.project_completion_status, answers.early_exit_reason) == (3, 2)
    assert not ProgramAnswers.objects.filter(enrollment__client__first_name="Bo").exists()
    assert ["Enrollment.csv", 2, "VAMCStation", "XX9 is not in HUD's list V6.1: kept as given"] \
        in problems(run, "warning")
