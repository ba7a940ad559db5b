"""H1: the assessment files of HMIS CSV FY2026 (IncomeBenefits, Disabilities, HealthAndDV,
EmploymentEducation, YouthEducationStatus) written from what was recorded, cell by cell,
with no row for an element not collected, the same bytes by both export paths, and read
back by the import into the same assessments."""

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from agencies.models import License
from consent.visibility import Viewer
from enrollments import services
from enrollments.forms import ASSESSMENT_FORM_FIELDS
from enrollments.models import Assessment
from hmis import dates
from reports.hmis_csv.export import Scope, write_export
from tests.enrollments.test_stays import household_of_three
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
ALL_ELEMENTS = ["4.02", "4.03", "4.04", "4.05-4.10", "4.11", "W3", "W4-W6", "P4", "R4-R6", "R7-R9", "R10", "C3"]
ASSESSMENT_FILES = ["IncomeBenefits.csv", "Disabilities.csv", "HealthAndDV.csv", "EmploymentEducation.csv",
                    "YouthEducationStatus.csv"]

# The head's project-start answers, by hand. Each expected cell below follows from one of these.
HEAD = dict(
    income_from_any_source=1, earned=1, earned_amount=Decimal("640.00"), ssi=1, ssi_amount=Decimal("300.50"),
    total_monthly_income=None,  # left blank: the sum, 940.50
    benefits_from_any_source=1, snap=1, other_benefits_source=1, other_benefits_source_identify="Food pantry card",
    insurance_from_any_source=1, medicaid=1, no_medicare_reason=3,  # HOPWA: not on Medicare, did not apply
    no_medicaid_reason=1,  # a reason for a type the client has: dropped (asked only without it)
    adap=0, no_adap_reason=3, ryan_white_med_dent=99, no_ryan_white_reason=2,  # 99: no reason is asked
    connection_with_soar=1,
    physical_disability=1, physical_disability_indefinite=1, developmental_disability=0, chronic_health_condition=0,
    hiv_aids=1, t_cell_count_available=1, t_cell_count=350, t_cell_source=1, viral_load_available=2,
    viral_load=1200,  # "Undetectable" asks no count: dropped
    anti_retroviral=1, mental_health_disorder=9, substance_use_disorder=3, substance_use_disorder_indefinite=0,
    domestic_violence_survivor=1, when_occurred=2, currently_fleeing=0,
    general_health_status=3, dental_health_status=4, mental_health_status=2, pregnancy_status=0,
    last_grade_completed=4, school_status=5, employed=0, not_employed_reason=1,
    current_school_attend=0, most_recent_ed_status=2,
)


def prior_living():  # 3.917, the head's, complete (not what this file tests)
    return dict(living_situation=116, length_of_stay=4, times_homeless_past_three_years=2,
                months_homeless_past_three_years=105, date_to_street_essh=dates.today() - timedelta(days=200))


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def table(files, name):
    return list(csv.DictReader(io.StringIO(files[name].decode())))


@pytest.fixture
def household(tenancy):
    """Nadia (head, 36), Omar (partner, adult) and Sami (child, 8) in a project that
    collects every assessment element; only Nadia and Sami answered anything."""
    tenancy.shelter_a.required_elements = ALL_ELEMENTS
    tenancy.shelter_a.save()
    people = household_of_three(tenancy)
    license = License.objects.get(user=tenancy.worker_a)
    nadia, omar, sami = services.enroll_household(
        actor=tenancy.worker_a, license=license, project=tenancy.shelter_a, entry_date=dates.today(),
        members=[(people[0], 1), (people[1], 3), (people[2], 2)], **prior_living(), **HEAD)
    # Sami's own answers: a child is asked insurance and disabilities, not income or domestic
    # violence, whatever is sent.
    services.record_member_start(
        actor=tenancy.worker_a, license=license, enrollment=sami, insurance_from_any_source=1, schip=1,
        physical_disability=0, developmental_disability=0, chronic_health_condition=0, hiv_aids=0,
        mental_health_disorder=0, substance_use_disorder=0, adap=99, ryan_white_med_dent=99,  # W3: every client
        income_from_any_source=1, earned=1,
        earned_amount=Decimal("50"), domestic_violence_survivor=0)
    return nadia, omar, sami


def export_both(tenancy, tmp_path):
    viewer = Viewer(user=tenancy.admin, license=None)
    with time_machine.travel(noon(date.today()), tick=False):
        write_export(Scope(viewer=viewer), tmp_path / "sql.zip")
        write_export(Scope(viewer=viewer), tmp_path / "rows.zip", portable=True)
    return read_zip(tmp_path / "sql.zip"), read_zip(tmp_path / "rows.zip")


def test_h1_assessment_files_cell_by_cell_and_no_rows_for_what_was_not_collected(tenancy, household, tmp_path):
    nadia, omar, sami = household
    files, _ = export_both(tenancy, tmp_path)
    start = Assessment.objects.get(enrollment=nadia, stage=1)

    income = {r["PersonalID"]: r for r in table(files, "IncomeBenefits.csv")}
    # Omar answered nothing: not asked yet, so no row (no invented rows); Nadia and Sami one each.
    assert set(income) == {nadia.client.client_id, sami.client.client_id}
    head = income[nadia.client.client_id]
    assert head["IncomeBenefitsID"] == start.record_id and head["DataCollectionStage"] == "1"
    assert head["InformationDate"] == dates.today().isoformat()
    assert (head["IncomeFromAnySource"], head["Earned"], head["EarnedAmount"], head["SSI"], head["SSIAmount"]) == \
        ("1", "1", "640.00", "1", "300.50")
    assert head["TotalMonthlyIncome"] == "940.50"  # 640.00 + 300.50, computed from the blank total
    # Sources not marked are "No" once income from any source is Yes; their amounts stay empty.
    assert (head["Unemployment"], head["UnemploymentAmount"], head["OtherIncomeSource"]) == ("0", "", "0")
    assert (head["BenefitsFromAnySource"], head["SNAP"], head["WIC"], head["OtherBenefitsSource"],
            head["OtherBenefitsSourceIdentify"]) == ("1", "1", "0", "1", "Food pantry card")
    assert (head["InsuranceFromAnySource"], head["Medicaid"], head["Medicare"], head["NoMedicareReason"]) == \
        ("1", "1", "0", "3")
    assert head["NoMedicaidReason"] == ""  # she has Medicaid: "why not" is not asked
    assert (head["ADAP"], head["NoADAPReason"], head["RyanWhiteMedDent"], head["NoRyanWhiteReason"]) == \
        ("0", "3", "99", "")
    assert head["ConnectionWithSOAR"] == "1"
    child = income[sami.client.client_id]
    # 4.02/4.03 are asked of heads and adults: the child's income was not recorded.
    assert (child["IncomeFromAnySource"], child["Earned"], child["BenefitsFromAnySource"]) == ("", "", "")
    assert (child["InsuranceFromAnySource"], child["SCHIP"], child["Medicaid"]) == ("1", "1", "0")

    disabilities = {(r["PersonalID"], r["DisabilityType"]): r for r in table(files, "Disabilities.csv")}
    # One row per type per person who answered: Nadia's six and Sami's six.
    assert len(disabilities) == 12
    physical = disabilities[(nadia.client.client_id, "5")]
    assert (physical["DisabilitiesID"], physical["DisabilityResponse"], physical["IndefiniteAndImpairs"]) == \
        (f"{start.record_id}-5", "1", "1")
    assert disabilities[(nadia.client.client_id, "6")]["IndefiniteAndImpairs"] == ""  # not asked of 4.06
    hiv = disabilities[(nadia.client.client_id, "8")]
    assert [hiv[c] for c in ("DisabilityResponse", "TCellCountAvailable", "TCellCount", "TCellSource",
                             "ViralLoadAvailable", "ViralLoad", "ViralLoadSource", "AntiRetroviral")] == \
        ["1", "1", "350", "1", "2", "", "", "1"]
    assert physical["TCellCount"] == ""  # HOPWA's follow-ups are on the HIV/AIDS row only
    substance = disabilities[(nadia.client.client_id, "10")]
    assert (substance["DisabilityResponse"], substance["IndefiniteAndImpairs"]) == ("3", "0")  # 4.10.2: both
    assert disabilities[(nadia.client.client_id, "9")]["DisabilityResponse"] == "9"

    health = table(files, "HealthAndDV.csv")
    assert [r["PersonalID"] for r in health] == [nadia.client.client_id]  # none for the child (4.11: adults)
    assert [health[0][c] for c in ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing",
                                   "GeneralHealthStatus", "DentalHealthStatus", "MentalHealthStatus",
                                   "PregnancyStatus", "DueDate", "DataCollectionStage")] == \
        ["1", "2", "0", "3", "4", "2", "0", "", "1"]
    work = table(files, "EmploymentEducation.csv")
    assert [(r["PersonalID"], r["LastGradeCompleted"], r["SchoolStatus"], r["Employed"], r["EmploymentType"],
             r["NotEmployedReason"]) for r in work] == [(nadia.client.client_id, "4", "5", "0", "", "1")]
    youth = table(files, "YouthEducationStatus.csv")
    assert [(r["YouthEducationStatusID"], r["CurrentSchoolAttend"], r["MostRecentEdStatus"], r["CurrentEdStatus"])
            for r in youth] == [(start.record_id, "0", "2", "")]


def test_h1_both_export_paths_write_the_assessment_files_byte_for_byte(tenancy, household, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the database-formatted export is PostgreSQL's")
    by_database, by_rows = export_both(tenancy, tmp_path)
    for name in ASSESSMENT_FILES:
        assert by_database[name] == by_rows[name], name
        assert by_rows[name].count(b"\r\n") > 1, name  # a header and at least one row each


def test_h1_no_assessment_rows_when_nothing_was_collected(tenancy, tmp_path):
    people = household_of_three(tenancy)
    services.enroll_household(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a),
                              project=tenancy.shelter_a, entry_date=dates.today(),
                              members=[(p, rel) for p, rel in zip(people, (1, 3, 2), strict=True)], **prior_living())
    assert Assessment.objects.count() == 3  # the stage is recorded for each stay...
    _, files = export_both(tenancy, tmp_path)
    for name in ASSESSMENT_FILES:  # ...but no element was collected: header only
        assert table(files, name) == [], name


def test_h1_import_reads_the_files_back_into_the_same_assessments(db, tmp_path):
    """With the demo data (hmis/demo.py: income by source and amount, insurance types,
    disability follow-ups, a child's own answers), whose projects carry the descriptors an
    import needs."""
    from types import SimpleNamespace

    from django.core.management import call_command

    from hmis.models import User
    from reports.hmis_csv.importer import import_hmis_csv

    call_command("seed_demo", verbosity=0)
    tenancy = SimpleNamespace(admin=User.objects.get(username="lead"))

    def answers():
        return {a.record_id: (a.enrollment_id, a.stage, a.information_date,
                              {k: getattr(a, k) for k in ASSESSMENT_FORM_FIELDS}) for a in Assessment.objects.all()}

    before = answers()
    _, files = export_both(tenancy, tmp_path)
    Assessment.objects.all().delete()
    run = import_hmis_csv(tmp_path / "rows.zip", actor=tenancy.admin, sharing="serving")
    assert run.status == "loaded", [p for p in run.problems if p[4] == "error"][:5]
    # Rows of five files with the same enrollment, date and stage come back as one
    # assessment with its record ID. A collection with no answer (a household member's
    # start not yet answered) had no row, so nothing returns for it.
    answered = {k: v for k, v in before.items() if any(x not in (None, "") for x in v[3].values())}
    assert answers() == answered
    # What the demo recorded came back, amounts and follow-ups included.
    assert Assessment.objects.filter(stage=2, earned_amount=Decimal("1250.00"), child_support_amount=Decimal("310.50"),
                                     total_monthly_income=Decimal("1560.50"), when_occurred=3).exists()
    assert Assessment.objects.filter(substance_use_disorder=1, substance_use_disorder_indefinite=0,
                                     physical_disability_indefinite=1, vha_services=1).exists()
    (tmp_path / "again").mkdir()
    _, again = export_both(tenancy, tmp_path / "again")
    for name in ASSESSMENT_FILES:
        assert again[name] == files[name], name


def test_h1_former_yes_to_substance_use_becomes_not_collected(tenancy, household):
    """4.10 used the Yes/No list: a former Yes (1) would read "Alcohol use disorder" under
    4.10.2, which nobody recorded. The data migration makes it 99; other codes mean the same."""
    import importlib

    from django.apps import apps

    nadia, omar, sami = household
    Assessment.objects.filter(enrollment=nadia).update(substance_use_disorder=1)
    Assessment.objects.filter(enrollment=sami).update(substance_use_disorder=9)
    migration = importlib.import_module("enrollments.migrations.0009_substance_use_list_4_10_2")
    migration.to_list_4_10_2(apps, None)
    assert Assessment.objects.get(enrollment=nadia).substance_use_disorder == 99
    assert Assessment.objects.get(enrollment=sami).substance_use_disorder == 9
