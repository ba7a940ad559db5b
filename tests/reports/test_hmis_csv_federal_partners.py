"""H1, H3: the federal partners' columns of HMIS CSV FY2026 (Enrollment.csv, Exit.csv,
Client.csv) written from the answers recorded through the forms, the same bytes by both
export paths, empty where nothing was answered, and read back by the import."""

import csv
import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from consent.visibility import Viewer
from enrollments.models import Enrollment, ProgramAnswers, VeteranInformation
from hmis import dates
from reports.hmis_csv.export import Scope, write_export
from tests.enrollments.test_federal_partner_elements import AT_EXIT
from tests.enrollments.test_stays import enroll, household_of_three
from tests.timetravel import noon

pytestmark = pytest.mark.django_db
PARTNER_FILES = ["Client.csv", "Enrollment.csv", "Exit.csv"]
# The Lead's choice for this project (D2): every federal partner's element, and none of the
# assessment elements, so each expected cell below follows from the answers here alone.
EVERY_PARTNER_ELEMENT = ["P3", "R1", "R2", "R11", "R12", "R13", "V1", "V4", "V6", "V7", "V10", "W5", "R15", "R16",
                         "R17", "R18", "R19", "R20", "V9"]
START_ANSWERS = {
    "client_enrolled_in_path": 0, "reason_not_enrolled": 3, "percent_ami": 2, "referral_source": 7,
    "count_outreach_referral_approaches": 4, "eligible_for_rhy": 1, "runaway_youth": 9,
    "former_ward_child_welfare": 1, "child_welfare_years": 1, "child_welfare_months": 5,
    "former_ward_juvenile_justice": 0, "unemployment_fam": 1, "mental_health_disorder_fam": 0,
    "physical_disability_fam": 0, "alcohol_drug_use_disorder_fam": 1, "insufficient_income": 0,
    "incarcerated_parent": 99, "vamc_station": "589A5", "target_screen_reqd": 1, "time_to_housing_loss": 2,
    "annual_percent_ami": 1, "literal_homeless_history": 0, "client_leaseholder": 1, "hoh_leaseholder": 1,
    "subsidy_at_risk": 0, "eviction_history": 1, "criminal_record": 0, "incarcerated_adult": 0,
    "prison_discharge": 0, "sex_offender": 0, "disabled_hoh": 1, "current_pregnant": 0, "single_parent": 1,
    "dependent_under6": 2, "hh5_plus": 0, "coc_prioritized": 1, "hp_screening_score": 27, "threshold_score": 20,
    "mental_health_consultation": 2,
    "year_entered_service": 2003, "year_separated": 2011, "iraq_oif": 1, "afghanistan_oef": 0, "world_war_ii": 0,
    "korean_war": 0, "vietnam_war": 0, "desert_storm": 0, "iraq_ond": 8, "other_theater": 99, "military_branch": 4,
    "discharge_status": 2,
}
EXIT_ANSWERS = {
    "housing_assessment": 1, "subsidy_information": 3, "project_completion_status": 3, "early_exit_reason": 4,
    "exchange_for_sex": 1, "exchange_for_sex_past_three_months": 0, "count_of_exchange_for_sex": 2,
    "asked_or_forced_to_exchange_for_sex": 1, "asked_or_forced_past_three_months": 9,
    "workplace_violence_threats": 0, "workplace_promise_difference": 1, "coerced_to_continue_work": 0,
    "labor_exploit_past_three_months": 8, "counseling_received": 1, "individual_counseling": 1,
    "family_counseling": 0, "group_counseling": 1, "session_count_at_exit": 7, "post_exit_counseling_plan": 0,
    "sessions_in_plan": 10, "destination_safe_client": 1, "destination_safe_worker": 2, "pos_adult_connections": 1,
    "pos_peer_connections": 0, "pos_community_connections": 1, "aftercare_provided": 1, "email_social_media": 0,
    "telephone": 1, "in_person_individual": 0, "in_person_group": 0, "cm_exit_reason": 3,
}
# Each answer's HMIS CSV cell (the date columns separately, below).
EXPECTED_ENROLLMENT = {
    "ClientEnrolledInPATH": "0", "ReasonNotEnrolled": "3", "PercentAMI": "2", "ReferralSource": "7",
    "CountOutreachReferralApproaches": "4", "EligibleForRHY": "1", "ReasonNoServices": "", "RunawayYouth": "9",
    "FormerWardChildWelfare": "1", "ChildWelfareYears": "1", "ChildWelfareMonths": "5",
    "FormerWardJuvenileJustice": "0", "JuvenileJusticeYears": "", "JuvenileJusticeMonths": "",
    "UnemploymentFam": "1", "MentalHealthDisorderFam": "0", "PhysicalDisabilityFam": "0",
    "AlcoholDrugUseDisorderFam": "1", "InsufficientIncome": "0", "IncarceratedParent": "99", "VAMCStation": "589A5",
    "TargetScreenReqd": "1", "TimeToHousingLoss": "2", "AnnualPercentAMI": "1", "LiteralHomelessHistory": "0",
    "ClientLeaseholder": "1", "HoHLeaseholder": "1", "SubsidyAtRisk": "0", "EvictionHistory": "1",
    "CriminalRecord": "0", "IncarceratedAdult": "0", "PrisonDischarge": "0", "SexOffender": "0", "DisabledHoH": "1",
    "CurrentPregnant": "0", "SingleParent": "1", "DependentUnder6": "2", "HH5Plus": "0", "CoCPrioritized": "1",
    "HPScreeningScore": "27", "ThresholdScore": "20", "MentalHealthConsultation": "2",
}
EXPECTED_EXIT = {
    "HousingAssessment": "1", "SubsidyInformation": "3", "ProjectCompletionStatus": "3", "EarlyExitReason": "4",
    "ExchangeForSex": "1", "ExchangeForSexPastThreeMonths": "0", "CountOfExchangeForSex": "2",
    "AskedOrForcedToExchangeForSex": "1", "AskedOrForcedToExchangeForSexPastThreeMonths": "9",
    "WorkplaceViolenceThreats": "0", "WorkplacePromiseDifference": "1", "CoercedToContinueWork": "0",
    "LaborExploitPastThreeMonths": "8", "CounselingReceived": "1", "IndividualCounseling": "1",
    "FamilyCounseling": "0", "GroupCounseling": "1", "SessionCountAtExit": "7", "PostExitCounselingPlan": "0",
    "SessionsInPlan": "10", "DestinationSafeClient": "1", "DestinationSafeWorker": "2", "PosAdultConnections": "1",
    "PosPeerConnections": "0", "PosCommunityConnections": "1", "AftercareProvided": "1", "EmailSocialMedia": "0",
    "Telephone": "1", "InPersonIndividual": "0", "InPersonGroup": "0", "CMExitReason": "3",
}
EXPECTED_CLIENT = {
    "YearEnteredService": "2003", "YearSeparated": "2011", "WorldWarII": "0", "KoreanWar": "0", "VietnamWar": "0",
    "DesertStorm": "0", "AfghanistanOEF": "0", "IraqOIF": "1", "IraqOND": "8", "OtherTheater": "99",
    "MilitaryBranch": "4", "DischargeStatus": "2",
}


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def table(files, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name].decode())))


def export_both(admin, tmp_path):
    viewer = Viewer(user=admin, license=None)
    with time_machine.travel(noon(date.today()), tick=False):
        write_export(Scope(viewer=viewer), tmp_path / "sql.zip")
        write_export(Scope(viewer=viewer), tmp_path / "rows.zip", portable=True)
    return read_zip(tmp_path / "sql.zip"), read_zip(tmp_path / "rows.zip")


@pytest.fixture
def recorded(tenancy, signed_in):
    """A veteran head of household answers every federal partner's element through the
    enroll page and the exit page; her partner and child answer none."""
    tenancy.shelter_a.required_elements = EVERY_PARTNER_ELEMENT
    tenancy.shelter_a.save()
    people = household_of_three(tenancy)
    people[0].veteran_status = 1
    people[0].save(update_fields=["veteran_status"])
    worker = signed_in(tenancy.worker_a)
    today = dates.today().isoformat()
    done = enroll(worker, people, entry_date=dates.today(), project=tenancy.shelter_a, **START_ANSWERS,
                  date_of_path_status=today, date_of_bcp_status=today)
    assert done.status_code == 302, done.content.decode()[-2000:]
    head = Enrollment.objects.get(relationship_to_hoh=1)
    url = reverse("enrollments:exit", args=[head.enrollment_id])
    done = worker.post(url, {**AT_EXIT, **EXIT_ANSWERS, "aftercare_date": today, "exit_date": today,
                             "destination": 410, "version": head.version})
    assert done.status_code == 302, done.content.decode()[-2000:]
    return people, head


def test_h1_answers_recorded_through_the_forms_fill_their_columns_on_both_export_paths(tenancy, recorded, tmp_path):
    people, head = recorded
    by_database, by_rows = export_both(tenancy.admin, tmp_path)
    for name in PARTNER_FILES:
        assert by_database[name] == by_rows[name], name  # byte for byte
    today = dates.today().isoformat()
    enrollments = {r["EnrollmentID"]: r for r in table(by_rows, "Enrollment.csv")}
    row = enrollments[head.enrollment_id]
    assert {c: row[c] for c in EXPECTED_ENROLLMENT} == EXPECTED_ENROLLMENT
    assert (row["DateOfPATHStatus"], row["DateOfBCPStatus"]) == (today, today)
    exit_row = next(r for r in table(by_rows, "Exit.csv") if r["EnrollmentID"] == head.enrollment_id)
    assert {c: exit_row[c] for c in EXPECTED_EXIT} == EXPECTED_EXIT
    assert exit_row["AftercareDate"] == today
    clients = {r["PersonalID"]: r for r in table(by_rows, "Client.csv")}
    assert {c: clients[people[0].client_id][c] for c in EXPECTED_CLIENT} == EXPECTED_CLIENT
    # The partner and the child answered nothing: their cells are empty, no invented values.
    for other in (people[1], people[2]):
        stay = Enrollment.objects.get(client=other)
        assert not any(enrollments[stay.enrollment_id][c] for c in EXPECTED_ENROLLMENT)
        assert not any(clients[other.client_id][c] for c in EXPECTED_CLIENT)
    assert ProgramAnswers.objects.count() == 1 and VeteranInformation.objects.count() == 1


def with_project_cocs(tenancy):
    """2.03 for each project, which an import requires (H3)."""
    from agencies.models import Project, ProjectCoc

    for project in Project.objects.all():
        ProjectCoc.objects.create(project=project, coc_code=project.coc.code, geocode="291890", geography_type=1)


def test_h1_h3_import_reads_each_federal_partner_cell_back(tenancy, recorded, tmp_path):
    from reports.hmis_csv.importer import import_hmis_csv

    with_project_cocs(tenancy)
    _, files = export_both(tenancy.admin, tmp_path)
    ProgramAnswers.objects.all().delete()
    VeteranInformation.objects.all().delete()
    run = import_hmis_csv(tmp_path / "rows.zip", actor=tenancy.admin, sharing="serving")
    assert run.status == "loaded", [p for p in run.problems if p[4] == "error"][:5]
    assert ProgramAnswers.objects.count() == 1 and VeteranInformation.objects.count() == 1  # only where answered
    (tmp_path / "again").mkdir()
    by_database, by_rows = export_both(tenancy.admin, tmp_path / "again")
    for name in PARTNER_FILES:
        assert by_rows[name] == files[name] == by_database[name], name


def test_h3_a_federal_partner_code_outside_hud_list_loads_with_a_warning(tenancy, recorded, tmp_path):
    from reports.hmis_csv.importer import import_hmis_csv

    people, head = recorded
    with_project_cocs(tenancy)
    _, files = export_both(tenancy.admin, tmp_path)
    text = files["Enrollment.csv"].decode()
    rows = table(files, "Enrollment.csv")
    header = text.split("\r\n", 1)[0].split(",")
    for row in rows:
        if row["EnrollmentID"] == head.enrollment_id:
            row["ReferralSource"] = "77"  # not in list R1.1
            row["VAMCStation"] = "999"  # not in list V6.1
            row["ReasonNoServices"] = "2"  # R2.A, but R2.2 is Yes: HUD asks it only after No
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, out.getvalue() if name == "Enrollment.csv" else data)
    run = import_hmis_csv(changed, actor=tenancy.admin, sharing="serving")
    assert run.status == "loaded", [p for p in run.problems if p[4] == "error"][:5]
    warned = {(p[0], p[2]): p[3] for p in run.problems if p[4] == "warning"}
    assert "77 is not in HUD's value list" in warned[("Enrollment.csv", "ReferralSource")]
    assert "not in HUD's list V6.1" in warned[("Enrollment.csv", "VAMCStation")]
    assert "not loaded" in warned[("Enrollment.csv", "ReasonNoServices")]
    answers = ProgramAnswers.objects.get(enrollment=head)
    assert (answers.referral_source, answers.vamc_station, answers.reason_no_services) == (77, "999", None)


def test_h1_the_demos_veteran_carries_his_ssvf_answers_into_its_own_export(db, tmp_path):
    from django.core.management import call_command

    from hmis.models import User

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())  # twice does no harm
    assert ProgramAnswers.objects.count() == 1 and VeteranInformation.objects.count() == 1
    by_database, by_rows = export_both(User.objects.get(username="lead"), tmp_path)
    for name in PARTNER_FILES:
        assert by_database[name] == by_rows[name], name
    james = VeteranInformation.objects.get().client
    client = next(r for r in table(by_rows, "Client.csv") if r["PersonalID"] == james.client_id)
    assert (client["MilitaryBranch"], client["AfghanistanOEF"], client["YearSeparated"]) == ("1", "1", "2006")
    ssvf = Enrollment.objects.get(client=james, project__name="Riverbend SSVF Veteran Services")
    stay = next(r for r in table(by_rows, "Enrollment.csv") if r["EnrollmentID"] == ssvf.enrollment_id)
    assert (stay["PercentAMI"], stay["VAMCStation"], stay["TargetScreenReqd"], stay["MentalHealthConsultation"]) == \
        ("1", "657", "0", "2")
    rrh = Enrollment.objects.get(client=james, project__name="Riverbend Rapid Re-Housing")  # not SSVF-funded
    assert not ProgramAnswers.objects.filter(enrollment=rrh).exists()
