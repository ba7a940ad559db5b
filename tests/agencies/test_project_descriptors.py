"""H2 (issue 16): project descriptor data, FY2026 HMIS Data Standards 2.01–2.09, kept with
its history; the HMIS Lead edits it on the project's page, agencies read it; HMIS CSV
writes it from what was recorded and reads it back."""

import csv
import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from agencies import services
from agencies.hud_lists import ProjectType
from agencies.models import (
    Affiliation,
    Agency,
    CeParticipation,
    HmisParticipation,
    Inventory,
    Project,
    ProjectCoc,
    ProjectFunder,
)
from reports.models import ExternalKey, ImportRun
from tests.factories import ProjectFactory
from tests.timetravel import noon

pytestmark = pytest.mark.django_db

DESCRIPTOR_FILES = ["Organization.csv", "Project.csv", "Funder.csv", "ProjectCoC.csv", "Inventory.csv",
                    "Affiliation.csv", "HMISParticipation.csv", "CEParticipation.csv"]
# The day the hand-built descriptors are recorded: every DateCreated/DateUpdated below is noon of it.
RECORDED = date(2026, 1, 5)
STAMP = "2026-01-05 12:00:00"


def coc_row(project, **fields):
    values = {"coc_code": project.coc.code, "geocode": "291890", "address1": "1200 River Street", "city": "Riverbend",
              "state": "MO", "zip_code": "63101", "geography_type": 1, **fields}
    return ProjectCoc(project=project, **values)


def inventory(project, **fields):
    values = {"coc_code": project.coc.code, "household_type": 1, "es_bed_type": 1, "availability": 1,
              "unit_inventory": 10, "bed_inventory": 12, "vet_beds": 2, "other_beds": 10,
              "start_date": date(2021, 1, 1), **fields}
    return Inventory(project=project, **values)


def problems_of(record) -> dict:
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    return refused.value.message_dict


# --- Model validation, as HUD's data standards and CSV specifications say ------------------

def test_h2_rrh_subtype_is_for_rapid_re_housing_only_and_required_there(tenancy):
    shelter = tenancy.shelter_a  # project type 0, emergency shelter
    shelter.rrh_subtype = 1
    assert "rrh_subtype" in problems_of(shelter)  # 2.02.A is collected for project type 13 only
    rrh = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=ProjectType.RRH)
    with pytest.raises(ValidationError) as refused:  # the Lead's descriptors of an RRH project need the subtype
        services.project_descriptors_save(actor=tenancy.admin, project=rrh, rrh_subtype=None, housing_type=None)
    assert "rrh_subtype" in refused.value.message_dict


def test_h2_housing_type_only_for_residential_projects_and_residential_affiliation_only_for_services_only(tenancy):
    outreach = tenancy.outreach_a  # type 4, not residential
    outreach.housing_type = 1
    assert "housing_type" in problems_of(outreach)
    shelter = tenancy.shelter_a
    shelter.residential_affiliation = 1  # 2.02.B: Services Only (6) and RRH: Services Only only
    assert "residential_affiliation" in problems_of(shelter)
    rrh_services = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=ProjectType.RRH,
                                  rrh_subtype=1, housing_type=3)
    assert "housing_type" in problems_of(rrh_services)  # services-only RRH houses no one: no housing type


def test_h2_geocode_is_six_digits_zip_five_digits_and_state_two_letters(tenancy):
    problems = problems_of(coc_row(tenancy.shelter_a, geocode="29189", zip_code="6310", state="Mo"))
    assert set(problems) == {"geocode", "zip_code", "state"}
    coc_row(tenancy.shelter_a).full_clean()  # 291890, 63101, MO: accepted


def test_h2_a_project_may_have_several_cocs_but_each_once(tenancy):
    coc_row(tenancy.shelter_a).save()
    coc_row(tenancy.shelter_a, coc_code="TS-501", geocode="299105").full_clean()  # a second CoC: allowed
    assert "coc_code" in problems_of(coc_row(tenancy.shelter_a))  # the same CoC again: refused


def test_h2_inventory_counts_add_up_and_shelter_fields_are_for_shelters_only(tenancy):
    coc_row(tenancy.shelter_a).save()
    inventory(tenancy.shelter_a).full_clean()  # 2 veteran + 10 other beds = 12, 10 units: accepted
    assert "bed_inventory" in problems_of(inventory(tenancy.shelter_a, bed_inventory=13))  # 12 by kind, 13 total
    assert "unit_inventory" in problems_of(inventory(tenancy.shelter_a, unit_inventory=13))  # more units than beds
    assert set(problems_of(inventory(tenancy.shelter_a, es_bed_type=None, availability=None))) == {
        "es_bed_type", "availability"}  # required for an emergency shelter
    coc_row(tenancy.housing_b).save()
    psh = problems_of(inventory(tenancy.housing_b))  # type 3: bed type and availability are shelters' only
    assert set(psh) == {"es_bed_type", "availability"}
    inventory(tenancy.housing_b, es_bed_type=None, availability=None).full_clean()
    children_only = inventory(tenancy.shelter_a, household_type=4)  # households with only children: no veterans
    assert "vet_beds" in problems_of(children_only)


def test_h2_inventory_needs_a_residential_project_and_one_of_its_cocs(tenancy):
    assert "coc_code" in problems_of(inventory(tenancy.shelter_a))  # no CoC information (2.03) recorded yet
    coc_row(tenancy.outreach_a).save()
    assert "household_type" in problems_of(inventory(tenancy.outreach_a, es_bed_type=None, availability=None))
    row = coc_row(tenancy.shelter_a)
    row.save()
    inventory(tenancy.shelter_a).save()
    row.coc_code = "TS-501"  # the inventory would name a CoC the project no longer has
    assert "coc_code" in problems_of(row)


def test_h2_one_participation_status_at_a_time(tenancy):
    project = tenancy.shelter_a
    HmisParticipation.objects.create(project=project, participation_type=1, start_date=date(2020, 1, 1),
                                     end_date=date(2023, 1, 1))
    overlapping = HmisParticipation(project=project, participation_type=0, start_date=date(2022, 6, 1))
    assert "start_date" in problems_of(overlapping)
    # An end date is the first day out of the status (as HUD's LSA reads it): the next may start that day.
    HmisParticipation(project=project, participation_type=0, start_date=date(2023, 1, 1)).full_clean()
    backwards = HmisParticipation(project=project, participation_type=1, start_date=date(2024, 1, 1),
                                  end_date=date(2023, 12, 31))
    assert "end_date" in problems_of(backwards)


def test_h2_ce_access_point_answers_each_assessment_and_others_answer_none(tenancy):
    project = tenancy.outreach_a
    access_point = CeParticipation(project=project, access_point=1, receives_referrals=0, start_date=date(2021, 1, 1))
    assert set(problems_of(access_point)) == {"prevention_assessment", "crisis_assessment", "housing_assessment",
                                              "direct_services"}
    not_access_point = CeParticipation(project=project, access_point=0, crisis_assessment=1, receives_referrals=1,
                                       start_date=date(2021, 1, 1))
    assert set(problems_of(not_access_point)) == {"crisis_assessment"}


def test_h2_affiliation_links_a_services_only_rrh_to_a_residential_project(tenancy):
    services_rrh = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=ProjectType.RRH,
                                  rrh_subtype=1, residential_affiliation=1)
    Affiliation(project=services_rrh, residential_project=tenancy.shelter_a).full_clean()
    # Street outreach is not residential: HMIS CSV ResProjectID must be type 0, 1, 2, 3, 8, 9, 10 or 13 (housing)
    assert "residential_project" in problems_of(Affiliation(project=services_rrh, residential_project=tenancy.outreach_a))
    # A shelter is not a services-only project
    assert "residential_project" in problems_of(Affiliation(project=tenancy.shelter_a,
                                                            residential_project=tenancy.housing_b))


def test_h2_funder_needs_its_grant_id(tenancy):
    funder = ProjectFunder(project=tenancy.shelter_a, funder=8, start_date=date(2020, 1, 1))
    assert "grant_id" in problems_of(funder)  # 2.06.2; HMIS CSV Funder.GrantID is not nullable


# --- The HMIS Lead edits on the project's page; agencies read --------------------------

def test_h2_the_lead_records_coc_information_on_the_project_page(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    project = tenancy.shelter_a
    response = client.post(reverse("agencies:descriptor_add", args=[project.pk, "coc"]), {
        "coc_code": "TS-500", "geocode": "291890", "address1": "1200 River Street", "address2": "", "city": "Riverbend",
        "state": "mo", "zip_code": "63101", "geography_type": 1})
    assert response.status_code == 302 and response["Location"] == reverse("agencies:project_detail", args=[project.pk])
    row = ProjectCoc.objects.get(project=project)
    assert (row.coc_code, row.geocode, row.state, row.zip_code) == ("TS-500", "291890", "MO", "63101")  # state upper-cased
    page = client.get(reverse("agencies:project_detail", args=[project.pk])).content.decode()
    assert "291890" in page and "1200 River Street" in page


def test_h2_bad_input_is_listed_and_what_was_typed_is_kept(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    project = tenancy.shelter_a
    response = client.post(reverse("agencies:descriptor_add", args=[project.pk, "coc"]), {
        "coc_code": "TS-500", "geocode": "29AB90", "city": "Riverbend", "state": "MO", "zip_code": "631",
        "geography_type": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the geocode as six digits." in page and "Enter the ZIP code as five digits." in page
    assert 'value="29AB90"' in page and 'value="631"' in page and 'value="Riverbend"' in page
    assert not ProjectCoc.objects.exists()


def test_h2_overlapping_status_is_refused_on_the_page_with_the_dates_kept(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    project = tenancy.shelter_a
    url = reverse("agencies:descriptor_add", args=[project.pk, "hmis-participation"])
    assert client.post(url, {"participation_type": 1, "start_date": "2020-01-01"}).status_code == 302
    response = client.post(url, {"participation_type": 0, "start_date": "2024-02-01"})
    page = response.content.decode()
    assert "one status at a time" in page and 'value="2024-02-01"' in page
    assert HmisParticipation.objects.filter(project=project).count() == 1


def test_h2_the_lead_edits_descriptors_and_the_history_says_who_when_what(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    project = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1, project_type=ProjectType.RRH,
                             name="A Rapid Re-Housing")
    url = reverse("agencies:project_descriptors_edit", args=[project.pk])
    refused = client.post(url, {"continuum_project": 1, "target_population": 4, "common_name": "A RRH"})
    assert "Choose the RRH subtype" in refused.content.decode()  # required for an RRH project
    assert 'value="A RRH"' in refused.content.decode()  # typed input kept
    with time_machine.travel(noon(RECORDED), tick=False):  # the page read at once, before the idle lock (U9)
        response = client.post(url, {"continuum_project": 1, "rrh_subtype": 2, "housing_type": 3,
                                     "target_population": 4, "hopwa_med_assisted_living_fac": 2, "pit_count": 14})
        page = client.get(reverse("agencies:project_detail", args=[project.pk])).content.decode()
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.rrh_subtype, project.housing_type, project.pit_count) == (2, 3, 14)
    history = page.split('id="history"')[1]
    assert "01/05/2026" in history and tenancy.admin.display_name in history  # when and who
    assert "RRH subtype (2.02.A)" in history and "RRH: Housing with or without services" in history  # what


def test_h2_a_removed_row_stays_in_the_history(tenancy, signed_in):
    client = signed_in(tenancy.admin)
    project = tenancy.shelter_a
    client.post(reverse("agencies:descriptor_add", args=[project.pk, "hmis-participation"]),
                {"participation_type": 1, "start_date": "2020-01-01"})
    row = HmisParticipation.objects.get(project=project)
    client.post(reverse("agencies:descriptor_remove", args=[project.pk, "hmis-participation", row.pk]))
    assert not HmisParticipation.objects.exists()
    history = client.get(reverse("agencies:project_detail", args=[project.pk])).content.decode().split('id="history"')[1]
    assert history.count("HMIS participation: HMIS Participating") == 2  # added, then deleted
    assert "delete" in history.lower() and "create" in history.lower()


def test_h2_an_agency_user_reads_its_projects_descriptors_and_cannot_change_them(tenancy, signed_in):
    coc_row(tenancy.shelter_a).save()
    client = signed_in(tenancy.worker_a)
    my_agency = client.get(reverse("my_agency")).content.decode()  # where the agency finds its projects
    assert f'href="{reverse("agencies:project_detail", args=[tenancy.shelter_a.pk])}"' in my_agency
    page = client.get(reverse("agencies:project_detail", args=[tenancy.shelter_a.pk]))
    assert page.status_code == 200 and "291890" in page.content.decode()
    assert reverse("agencies:descriptor_add", args=[tenancy.shelter_a.pk, "coc"]) not in page.content.decode()
    assert "Add funder" not in page.content.decode()
    # Every edit page is the HMIS Lead's (hmis/access.py SYSTEM_ADMIN): refused
    assert client.get(reverse("agencies:descriptor_add", args=[tenancy.shelter_a.pk, "coc"])).status_code == 403
    assert client.get(reverse("agencies:project_descriptors_edit", args=[tenancy.shelter_a.pk])).status_code == 403
    response = client.post(reverse("agencies:project_detail", args=[tenancy.shelter_a.pk]),
                           {"funder": 8, "grant_id": "X", "start_date": "2020-01-01"})
    assert response.status_code == 403 and not ProjectFunder.objects.exists()
    row = ProjectCoc.objects.get()
    removal = reverse("agencies:descriptor_remove", args=[tenancy.shelter_a.pk, "coc", row.pk])
    assert client.post(removal).status_code == 403 and ProjectCoc.objects.exists()
    # Another agency's project does not reveal itself
    assert client.get(reverse("agencies:project_detail", args=[tenancy.housing_b.pk])).status_code == 404


# --- HMIS CSV ----------------------------------------------------------------------

def read_rows(path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {name: list(csv.DictReader(io.StringIO(archive.read(name).decode()))) for name in DESCRIPTOR_FILES}


def export(tmp_path, name="export.zip", *args):
    out = tmp_path / name
    call_command("export_hmis_csv", "--out", str(out), *args, stdout=io.StringIO())
    return out


# The import tests export CoC TS-500 alone: projects with no CoC information recorded yet (no
# ProjectCoC.csv row) then load in the CoC Export.csv names (SourceType 1), with a warning.
ONE_COC = ("--coc", "TS-500")


@pytest.fixture
def described(tenancy):
    """Hand-built descriptor data, recorded by the Lead's services at noon on 5 January 2026:
    the shelter in two CoCs with inventory, two HMIS statuses and a CE status; a services-only
    RRH affiliated with the shelter; B Housing (PSH) with nothing recorded beyond its funder."""
    admin, shelter = tenancy.admin, tenancy.shelter_a
    with time_machine.travel(noon(RECORDED), tick=False):
        services.agency_save(actor=admin, agency=tenancy.agency_a, common_name="Riverbend FS")
        shelter = services.project_descriptors_save(actor=admin, project=shelter, common_name="A Night Place",
                                                    housing_type=1, target_population=4,
                                                    hopwa_med_assisted_living_fac=2, pit_count=31)
        navigation = services.project_save(actor=admin, agency=tenancy.agency_a, coc=tenancy.coc1, name="A Navigation",
                                           project_type=ProjectType.RRH, operating_start=date(2021, 7, 1))
        navigation = services.project_descriptors_save(actor=admin, project=navigation, rrh_subtype=1,
                                                       residential_affiliation=1)
        save = services.descriptor_save
        save(actor=admin, project=shelter, model=ProjectCoc, coc_code="TS-500", geocode="291890",
             address1="1200 River Street", address2="Door B", city="Riverbend", state="MO", zip_code="63101",
             geography_type=1)
        save(actor=admin, project=shelter, model=ProjectCoc, coc_code="TS-501", geocode="299105", geography_type=3)
        save(actor=admin, project=shelter, model=Inventory, coc_code="TS-500", household_type=1, es_bed_type=1,
             availability=1, unit_inventory=10, bed_inventory=12, vet_beds=2, other_beds=10,
             start_date=date(2021, 1, 1))
        save(actor=admin, project=shelter, model=Inventory, coc_code="TS-501", household_type=3, es_bed_type=2,
             availability=3, unit_inventory=4, bed_inventory=9, youth_beds=3, ch_beds=1, other_beds=5,
             start_date=date(2022, 11, 1), end_date=date(2023, 3, 31))
        save(actor=admin, project=shelter, model=HmisParticipation, participation_type=2,
             start_date=date(2020, 1, 1), end_date=date(2022, 1, 1))
        save(actor=admin, project=shelter, model=HmisParticipation, participation_type=1, start_date=date(2022, 1, 1))
        save(actor=admin, project=shelter, model=CeParticipation, access_point=1, prevention_assessment=0,
             crisis_assessment=1, housing_assessment=0, direct_services=1, receives_referrals=1,
             start_date=date(2021, 1, 1))
        save(actor=admin, project=navigation, model=Affiliation, residential_project=shelter)
        services.funder_add(actor=admin, project=tenancy.housing_b, funder=2, grant_id="MO0123L7E002",
                            start_date=date(2020, 1, 1), end_date=date(2025, 12, 31))
    return tenancy, shelter, navigation


def test_h2_export_writes_each_descriptor_file_cell_by_cell_from_what_was_recorded(described, tmp_path):
    tenancy, shelter, navigation = described
    files = read_rows(export(tmp_path))
    organization = next(r for r in files["Organization.csv"] if r["OrganizationID"] == str(tenancy.agency_a.pk))
    assert organization["OrganizationCommonName"] == "Riverbend FS"

    project_rows = {r["ProjectID"]: r for r in files["Project.csv"]}
    row = project_rows[str(shelter.pk)]
    # 2.02 as recorded: continuum project yes (the default), type 0, single site, NA population,
    # non-HOPWA, 31 in the PIT count; no RRH fields for a shelter; the Lead's save time as DateUpdated.
    assert {k: row[k] for k in ("ProjectCommonName", "ContinuumProject", "ProjectType", "HousingType", "RRHSubType",
                                "ResidentialAffiliation", "TargetPopulation", "HOPWAMedAssistedLivingFac",
                                "PITCount", "DateUpdated")} == {
        "ProjectCommonName": "A Night Place", "ContinuumProject": "1", "ProjectType": "0", "HousingType": "1",
        "RRHSubType": "", "ResidentialAffiliation": "", "TargetPopulation": "4", "HOPWAMedAssistedLivingFac": "2",
        "PITCount": "31", "DateUpdated": STAMP}
    nav = project_rows[str(navigation.pk)]
    assert (nav["ProjectType"], nav["RRHSubType"], nav["ResidentialAffiliation"], nav["HousingType"]) == \
        ("13", "1", "1", "")

    # ProjectCoC: the two recorded rows, no placeholder; B Housing and the others recorded none, so have none.
    coc_rows = files["ProjectCoC.csv"]
    assert [(r["ProjectID"], r["CoCCode"], r["Geocode"], r["Address1"], r["Address2"], r["City"], r["State"], r["ZIP"],
             r["GeographyType"]) for r in coc_rows] == [
        (str(shelter.pk), "TS-500", "291890", "1200 River Street", "Door B", "Riverbend", "MO", "63101", "1"),
        (str(shelter.pk), "TS-501", "299105", "", "", "", "", "", "3")]
    assert [r["ProjectCoCID"] for r in coc_rows] == [str(pk) for pk in ProjectCoc.objects.order_by("pk")
                                                     .values_list("pk", flat=True)]

    inventory_rows = files["Inventory.csv"]
    columns = ["CoCCode", "HouseholdType", "Availability", "UnitInventory", "BedInventory", "CHVetBedInventory",
               "YouthVetBedInventory", "VetBedInventory", "CHYouthBedInventory", "YouthBedInventory", "CHBedInventory",
               "OtherBedInventory", "ESBedType", "InventoryStartDate", "InventoryEndDate"]
    assert [[r[c] for c in columns] for r in inventory_rows] == [
        # 10 units, 12 beds = 2 veteran + 10 other; facility-based (1), year-round (1); open-ended
        ["TS-500", "1", "1", "10", "12", "0", "0", "2", "0", "0", "0", "10", "1", "2021-01-01", ""],
        # families in TS-501: 9 beds = 3 youth + 1 chronically homeless + 5 other; voucher (2), overflow (3)
        ["TS-501", "3", "3", "4", "9", "0", "0", "0", "0", "3", "1", "5", "2", "2022-11-01", "2023-03-31"]]

    assert [(r["ProjectID"], r["ResProjectID"]) for r in files["Affiliation.csv"]] == [(str(navigation.pk), str(shelter.pk))]
    assert [(r["HMISParticipationType"], r["HMISParticipationStatusStartDate"], r["HMISParticipationStatusEndDate"])
            for r in files["HMISParticipation.csv"]] == [("2", "2020-01-01", "2022-01-01"), ("1", "2022-01-01", "")]
    ce = files["CEParticipation.csv"]
    assert [[r[c] for c in ("ProjectID", "AccessPoint", "PreventionAssessment", "CrisisAssessment", "HousingAssessment",
                            "DirectServices", "ReceivesReferrals", "CEParticipationStatusStartDate",
                            "CEParticipationStatusEndDate")] for r in ce] == [
        [str(shelter.pk), "1", "0", "1", "0", "1", "1", "2021-01-01", ""]]
    funder = next(r for r in files["Funder.csv"] if r["ProjectID"] == str(tenancy.housing_b.pk))
    assert (funder["Funder"], funder["GrantID"], funder["StartDate"], funder["EndDate"], funder["DateCreated"]) == \
        ("2", "MO0123L7E002", "2020-01-01", "2025-12-31", STAMP)


def test_h2_import_reads_the_descriptor_files_into_the_same_models_keeping_source_ids(described, tmp_path):
    tenancy, shelter, navigation = described
    source = read_rows(export(tmp_path, "export.zip", *ONE_COC))
    _forget_everything(tenancy)
    call_command("import_hmis_csv", str(tmp_path / "export.zip"), stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")
    assert run.status == ImportRun.Status.LOADED, run.problems
    housing_line = 2 + [r["ProjectID"] for r in source["Project.csv"]].index(str(tenancy.housing_b.pk))
    assert ["Project.csv", housing_line, "ProjectID", "the project has no row in ProjectCoC.csv: loaded in TS-500, "
            "the CoC of Export.csv", "warning"] in run.problems
    keys = {(k.file, k.external_id): k.local_id for k in ExternalKey.objects.all()}
    new_shelter = Project.objects.get(pk=keys[("Project.csv", str(shelter.pk))])
    assert (new_shelter.common_name, new_shelter.housing_type, new_shelter.pit_count) == ("A Night Place", 1, 31)
    assert sorted(new_shelter.coc_rows.values_list("coc_code", "geocode")) == [("TS-500", "291890"),
                                                                                ("TS-501", "299105")]
    for row in source["Inventory.csv"]:  # each source InventoryID is mapped to the row it became
        loaded = Inventory.objects.get(pk=keys[("Inventory.csv", row["InventoryID"])])
        assert (loaded.project_id, loaded.bed_inventory) == (new_shelter.pk, int(row["BedInventory"]))
    new_navigation = Project.objects.get(pk=keys[("Project.csv", str(navigation.pk))])
    assert list(new_navigation.affiliations.values_list("residential_project", flat=True)) == [new_shelter.pk]
    assert new_shelter.hmis_participations.count() == 2 and new_shelter.ce_participations.get().crisis_assessment == 1
    assert Agency.objects.get(pk=keys[("Organization.csv", str(tenancy.agency_a.pk))]).common_name == "Riverbend FS"


def test_h2_round_trip_export_import_into_a_fresh_database_export_gives_the_same_rows(described, tmp_path):
    tenancy, _, _ = described
    first = read_rows(export(tmp_path, "first.zip", *ONE_COC))
    _forget_everything(tenancy)
    call_command("import_hmis_csv", str(tmp_path / "first.zip"), stdout=io.StringIO())
    assert ImportRun.objects.latest("run_at").status == ImportRun.Status.LOADED
    second = read_rows(export(tmp_path, "second.zip", *ONE_COC))
    # H3: the rows keep the IDs the first export gave them (reports/hmis_csv/source_ids.py), so
    # every cell comes back but ExportID, which differs by export.
    for name in DESCRIPTOR_FILES:
        expected = [{c: v for c, v in row.items() if c != "ExportID"} for row in first[name]]
        again = [{c: v for c, v in row.items() if c != "ExportID"} for row in second[name]]
        assert again == expected, name
    assert len(first["Inventory.csv"]) == 2 and len(first["ProjectCoC.csv"]) == 2  # the files were not empty


def test_h2_an_imported_value_hud_rejects_loads_with_a_warning(described, tmp_path):
    tenancy, shelter, _ = described
    export(tmp_path, "export.zip", *ONE_COC)
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["ProjectCoC.csv"] = files["ProjectCoC.csv"].replace(b"291890", b"29189X")
    projects = list(csv.reader(io.StringIO(files["Project.csv"].decode())))
    header = projects[0]
    shelter_line = next(i for i, row in enumerate(projects) if row[0] == str(shelter.pk)) + 1
    projects[shelter_line - 1][header.index("RRHSubType")] = "1"  # an RRH subtype on an emergency shelter
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(projects)
    files["Project.csv"] = out.getvalue().encode()
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    call_command("import_hmis_csv", str(broken), stdout=io.StringIO())
    run = ImportRun.objects.latest("run_at")
    assert run.status == ImportRun.Status.LOADED  # a value-level problem is not a structural fault (H3)
    assert ["ProjectCoC.csv", 2, "Geocode", "Enter the geocode as six digits.", "warning"] in run.problems
    assert ProjectCoc.objects.get(project=shelter, coc_code="TS-500").geocode == "29189X"  # as the source had it
    assert ["Project.csv", shelter_line, "RRHSubType", "An RRH subtype is recorded for Rapid Re-Housing projects only.",
            "warning"] in run.problems


def _forget_everything(tenancy):
    """A fresh database for the import: the agencies and projects of the export are gone
    (licenses first, which protect their agencies); the CoCs and the Lead stay."""
    from agencies.models import AgreementSignature, License

    License.objects.all().delete()
    AgreementSignature.objects.all().delete()
    Project.objects.all().delete()
    Agency.objects.all().delete()


# --- Demo data ------------------------------------------------------------------------

def test_h2_every_demo_project_has_its_descriptor_data(db):
    call_command("seed_demo", verbosity=0)
    for project in Project.objects.select_related("agency"):
        assert project.coc_rows.exists(), project  # CoC information with a geocode and an address
        assert all(len(row.geocode) == 6 and row.address1 for row in project.coc_rows.all()), project
        assert all(f.grant_id for f in project.funders.all()) and project.funders.exists(), project
        assert project.hmis_participations.exists(), project
        if project.takes_housing_type:
            assert project.inventories.exists(), project  # residential projects have beds and units
    navigation = Project.objects.get(name="Riverbend RRH Housing Navigation")
    assert navigation.is_services_only_rrh
    assert navigation.affiliations.get().residential_project.name == "Riverbend Emergency Shelter"
    assert Project.objects.get(name="Prairie Coordinated Entry").ce_participations.get().access_point == 1
    call_command("seed_demo", verbosity=0)  # a second run changes nothing
    assert ProjectCoc.objects.count() == Project.objects.count()
