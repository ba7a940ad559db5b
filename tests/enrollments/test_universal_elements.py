"""H1: the universal elements of a stay as HUD defines them (FY2026 HMIS Data Standards):
3.917 Prior Living Situation, its A/B versions by project type and its follow-up
questions; 3.12 Destination with 3.12.A (subsidy type) and 3.12.B (other); 3.16
Enrollment CoC; 3.20 Housing Move-In Date; and their HMIS CSV columns."""

import csv
import io
import zipfile
from datetime import date, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from agencies.models import License
from clients import services as client_services
from consent import services as consent_services
from enrollments.models import Enrollment
from enrollments.validation import prior_living_questions
from hmis import dates
from tests.clients.states import BASE

pytestmark = pytest.mark.django_db

HISTORY = ["date_to_street_essh", "times_homeless_past_three_years", "months_homeless_past_three_years"]


def person(worker, project, first="Ada"):
    """A client the worker's agency may enroll in the project: consent signed today."""
    license = License.objects.get(user=worker)
    roi = consent_services.roi_record(actor=worker, license=license, sharing_level="full", consent_type="signed",
                                      signed_on=dates.today(), taken_by=worker, project=project)
    return client_services.client_create(actor=worker, license=license, roi=roi, household=None, first_name=first,
                                         last_name="Lovelace", dob=date(1980, 2, 3), ssn="212551234", **BASE)


def post_enroll(browser, client, project, **answers):
    data = {"project": project.pk, "entry_date": dates.today().isoformat(),
            "information_date": dates.today().isoformat(), f"relationship_{client.client_id}": 1,
            "disabling_condition": 0, **answers}
    return browser.post(reverse("enrollments:enroll", args=[client.client_id]), data)


def history(days_ago=200):
    return {"date_to_street_essh": (dates.today() - timedelta(days=days_ago)).isoformat(),
            "times_homeless_past_three_years": 2, "months_homeless_past_three_years": 105}


# --- 3.917A / 3.917B by project type ---------------------------------------------------

@pytest.mark.parametrize("project_type", [0, 1, 4, 8])
def test_h1_3917a_shelter_outreach_and_safe_haven_ask_the_history_of_everyone(project_type):
    # 3.917A: even someone who came from their own rental answers the homelessness history.
    asked = prior_living_questions(project_type, {"living_situation": 410, "length_of_stay": 5})
    assert asked == ["living_situation", "length_of_stay", *HISTORY]


@pytest.mark.parametrize("project_type", [2, 3, 6, 7, 9, 10, 11, 12, 13, 14])
def test_h1_3917b_every_other_project_type_follows_the_living_situation(project_type):
    # Day Shelter (11) and Coordinated Entry (14) collect 3.917B, as HUD's manual says.
    # A year in one's own rental: no history asked; "under 7 nights" is derived as No.
    assert prior_living_questions(project_type, {"living_situation": 410, "length_of_stay": 5}) == [
        "living_situation", "length_of_stay", "los_under_threshold"]
    # From the street: the history directly.
    assert prior_living_questions(project_type, {"living_situation": 116}) == [
        "living_situation", "length_of_stay", *HISTORY]
    # Two months in jail (under 90 days), the night before on the street: the history.
    jail = {"living_situation": 207, "length_of_stay": 3, "previous_street_essh": 1}
    assert prior_living_questions(project_type, jail) == [
        "living_situation", "length_of_stay", "los_under_threshold", "previous_street_essh", *HISTORY]
    # The same stay with the night before not on the street: the questions stop there.
    assert prior_living_questions(project_type, jail | {"previous_street_essh": 0})[-1] == "previous_street_essh"
    # Two months with friends is not under 7 nights: no "night before" question.
    assert prior_living_questions(project_type, {"living_situation": 336, "length_of_stay": 3})[-1] == \
        "los_under_threshold"
    # Unknown situation: only the length of stay follows (no group, no next question).
    assert prior_living_questions(project_type, {"living_situation": 99}) == ["living_situation", "length_of_stay"]


def test_h1_rental_with_subsidy_asks_its_type_at_entry_too():
    assert "rental_subsidy_type" in prior_living_questions(3, {"living_situation": 435, "length_of_stay": 5})
    assert "rental_subsidy_type" not in prior_living_questions(3, {"living_situation": 410, "length_of_stay": 5})


def test_h1_3917a_enroll_view_refuses_a_shelter_stay_without_the_history(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    client = person(tenancy.worker_a, tenancy.shelter_a)
    page = post_enroll(worker, client, tenancy.shelter_a, living_situation=410, length_of_stay=5)
    # Nothing saved; the page asks for the count of times homeless (3.917A asks everyone).
    assert page.status_code == 200 and not Enrollment.objects.exists()
    assert "how many times the client was homeless" in page.content.decode()
    done = post_enroll(worker, client, tenancy.shelter_a, living_situation=410, length_of_stay=5, **history())
    assert done.status_code == 302
    stay = Enrollment.objects.get()
    assert (stay.times_homeless_past_three_years, stay.months_homeless_past_three_years) == (2, 105)
    # 3.917A has no "under the threshold" / "night before" questions: left empty in HMIS CSV.
    assert stay.los_under_threshold is None and stay.previous_street_essh is None


def test_h1_3917b_enroll_view_clears_answers_to_questions_that_do_not_apply(tenancy, signed_in):
    worker = signed_in(tenancy.worker_b)
    client = person(tenancy.worker_b, tenancy.housing_b)
    # A year in their own rental, entering PSH (3.917B): the history typed before the
    # answer changed is not asked, so it is not kept.
    done = post_enroll(worker, client, tenancy.housing_b, living_situation=410, length_of_stay=5,
                       previous_street_essh=1, **history())
    assert done.status_code == 302
    stay = Enrollment.objects.get()
    assert stay.living_situation == 410 and stay.length_of_stay == 5
    assert stay.los_under_threshold == 0  # a year is not under 7 nights (list 1.7: No)
    assert [stay.previous_street_essh, stay.date_to_street_essh, stay.times_homeless_past_three_years,
            stay.months_homeless_past_three_years] == [None, None, None, None]


def test_h1_3917b_short_institutional_stay_asks_the_night_before_then_the_history(tenancy, signed_in):
    worker = signed_in(tenancy.worker_b)
    client = person(tenancy.worker_b, tenancy.housing_b)
    jail = {"living_situation": 207, "length_of_stay": 3}  # one to three months: under 90 days
    page = post_enroll(worker, client, tenancy.housing_b, **jail)
    assert "the night before" in page.content.decode() and not Enrollment.objects.exists()
    page = post_enroll(worker, client, tenancy.housing_b, **jail, previous_street_essh=1)
    assert "how many times the client was homeless" in page.content.decode() and not Enrollment.objects.exists()
    assert post_enroll(worker, client, tenancy.housing_b, **jail, previous_street_essh=1, **history()).status_code == 302
    stay = Enrollment.objects.get()
    assert (stay.los_under_threshold, stay.previous_street_essh, stay.times_homeless_past_three_years) == (1, 1, 2)


def test_h1_prior_living_situation_offers_no_exit_only_answers_on_the_enroll_form(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    client = person(tenancy.worker_a, tenancy.shelter_a)
    page = worker.get(reverse("enrollments:enroll", args=[client.client_id])).content.decode()
    select = page[page.index('name="living_situation"'):]
    select = select[:select.index("</select>")]
    assert "Deceased" not in select and "No exit interview completed" not in select
    assert "Place not meant for habitation" in select
    # Destination-only answers are refused by the server, too.
    refused = post_enroll(worker, client, tenancy.shelter_a, living_situation=24, length_of_stay=5, **history())
    assert refused.status_code == 200 and not Enrollment.objects.exists()


def test_h1_enroll_form_shows_only_the_questions_that_apply(tenancy, signed_in):
    worker = signed_in(tenancy.worker_b)
    client = person(tenancy.worker_b, tenancy.housing_b)
    url = reverse("enrollments:enroll", args=[client.client_id])
    # Before a project is chosen (and without JavaScript) every question shows, with when it applies.
    first = worker.get(url).content.decode()
    assert 'data-prior-question="times_homeless_past_three_years">' in first
    assert "Only for “Rental by client" in first
    # The page's script asks again on each change: PSH (3.917B), a year in their own
    # rental -> the "night before" and the history do not apply; nothing is saved.
    answer = worker.post(url, {"refresh_prior_living": "1", "project": tenancy.housing_b.pk,
                               "living_situation": 410, "length_of_stay": 5}).json()
    assert answer["hidden"] == sorted(["rental_subsidy_type", "previous_street_essh", *HISTORY])
    assert not Enrollment.objects.exists()
    # From the street: only the subsidy type (asked after a subsidized rental) stays hidden.
    street = worker.post(url, {"refresh_prior_living": "1", "project": tenancy.housing_b.pk,
                               "living_situation": 116}).json()
    assert street["hidden"] == ["previous_street_essh", "rental_subsidy_type"]
    # Without JavaScript the same rule applies when the form comes back with its errors:
    # the history is hidden (and not kept), the length of stay asked.
    page = post_enroll(worker, client, tenancy.housing_b, living_situation=410).content.decode()
    assert 'data-prior-question="times_homeless_past_three_years" hidden>' in page
    assert 'data-prior-question="length_of_stay">' in page and "Say how long the client stayed there" in page


def test_h1_prior_living_answers_clear_what_is_not_asked_and_record_an_unknown_length_as_99():
    from enrollments.validation import prior_living_answers

    # PSH (3.917B), not collected: the length is not collected either (99), nothing else kept.
    answers, errors = prior_living_answers(3, {"living_situation": 99, "times_homeless_past_three_years": 2})
    assert errors == {}
    assert (answers["length_of_stay"], answers["times_homeless_past_three_years"], answers["los_under_threshold"]) == (
        99, None, None)
    # A subsidy type without "rental with subsidy" is dropped; with it, it is required.
    answers, errors = prior_living_answers(3, {"living_situation": 410, "length_of_stay": 5, "rental_subsidy_type": 433})
    assert answers["rental_subsidy_type"] is None and errors == {}
    _, errors = prior_living_answers(3, {"living_situation": 435, "length_of_stay": 5})
    assert list(errors) == ["rental_subsidy_type"]
    # A refused length in housing: "under 7 nights" cannot be derived, so 99 (list 1.7).
    answers, _ = prior_living_answers(3, {"living_situation": 410, "length_of_stay": 9})
    assert answers["los_under_threshold"] == 99


def test_h1_contact_offers_hud_current_living_situations(tenancy, signed_in):
    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    page = worker.get(reverse("enrollments:record", args=[stay.enrollment_id, "contact"])).content.decode()
    select = page[page.index('name="current_living_situation"'):]
    select = select[:select.index("</select>")]
    # 4.12: an outreach worker may not learn where the person sleeps; exit-only answers are absent.
    assert "Worker unable to determine" in select and "Other" in select
    assert "Deceased" not in select and "No exit interview completed" not in select


# --- 3.16 Enrollment CoC -----------------------------------------------------------------

def test_h1_enrollment_coc_is_the_projects_coc(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    client = person(tenancy.worker_a, tenancy.shelter_a)
    post_enroll(worker, client, tenancy.shelter_a, living_situation=116, length_of_stay=4, **history())
    assert Enrollment.objects.get().enrollment_coc == tenancy.shelter_a.coc.code == "TS-500"


# --- 3.12 Destination, 3.12.A subsidy type, 3.12.B other ---------------------------------

def enrolled_in_shelter(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    client = person(tenancy.worker_a, tenancy.shelter_a)
    assert post_enroll(worker, client, tenancy.shelter_a, living_situation=116, length_of_stay=4,
                       **history()).status_code == 302
    return worker, Enrollment.objects.get()


def post_exit(worker, stay, **answers):
    return worker.post(reverse("enrollments:exit", args=[stay.enrollment_id]),
                       {"exit_date": dates.today().isoformat(), "version": stay.version, **answers})


def test_h1_exit_to_a_subsidized_rental_requires_the_subsidy_type(tenancy, signed_in):
    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    page = post_exit(worker, stay, destination=435)
    assert "type of the ongoing housing subsidy" in page.content.decode()
    stay.refresh_from_db()
    assert stay.exit_date is None
    assert post_exit(worker, stay, destination=435, destination_subsidy_type=433).status_code == 302
    stay.refresh_from_db()
    assert (stay.exit_date, stay.destination, stay.destination_subsidy_type) == (dates.today(), 435, 433)
    page = worker.get(reverse("enrollments:detail", args=[stay.enrollment_id])).content.decode()
    assert "HCV voucher (tenant or project based) (not dedicated)" in page  # the stay's page names the subsidy


def test_h1_exit_elsewhere_refuses_a_subsidy_type(tenancy, signed_in):
    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    page = post_exit(worker, stay, destination=410, destination_subsidy_type=433)
    assert "recorded only for “Rental by client, with ongoing housing subsidy”" in page.content.decode()
    stay.refresh_from_db()
    assert stay.exit_date is None and stay.destination_subsidy_type is None


def test_h1_exit_to_other_asks_what_it_was(tenancy, signed_in):
    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    assert "Say what the other destination is" in post_exit(worker, stay, destination=17).content.decode()
    refused = post_exit(worker, stay, destination=410, other_destination="Boat")
    assert "only when it is “Other”" in refused.content.decode()
    assert post_exit(worker, stay, destination=17, other_destination="Sailing boat").status_code == 302
    stay.refresh_from_db()
    assert (stay.destination, stay.other_destination) == (17, "Sailing boat")


def test_h1_destination_offers_deceased_but_not_contact_only_answers(tenancy, signed_in):
    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    page = worker.get(reverse("enrollments:exit", args=[stay.enrollment_id])).content.decode()
    select = page[page.index('name="destination"'):]
    select = select[:select.index("</select>")]
    assert "Deceased" in select and "No exit interview completed" in select
    assert "Worker unable to determine" not in select and "family member’s room" not in select


# --- 3.20 Housing move-in date -------------------------------------------------------------

def psh_household(tenancy, signed_in, entry_days_ago=10):
    worker = signed_in(tenancy.worker_b)
    head = person(tenancy.worker_b, tenancy.housing_b)
    Enrollment.objects.all().delete()
    assert post_enroll(worker, head, tenancy.housing_b, living_situation=116, length_of_stay=4,
                       **history()).status_code == 302
    stay = Enrollment.objects.get()
    Enrollment.objects.filter(pk=stay.pk).update(entry_date=dates.today() - timedelta(days=entry_days_ago))
    stay.refresh_from_db()
    return worker, stay


def post_edit(worker, stay, **answers):
    data = {"living_situation": stay.living_situation, "length_of_stay": stay.length_of_stay,
            "date_to_street_essh": stay.date_to_street_essh.isoformat(),
            "times_homeless_past_three_years": stay.times_homeless_past_three_years,
            "months_homeless_past_three_years": stay.months_homeless_past_three_years,
            "disabling_condition": stay.disabling_condition, "version": stay.version, **answers}
    return worker.post(reverse("enrollments:edit", args=[stay.enrollment_id]), data)


def test_h1_move_in_date_within_the_stay_of_a_permanent_housing_head(tenancy, signed_in):
    worker, stay = psh_household(tenancy, signed_in)
    before = post_edit(worker, stay, move_in_date=(stay.entry_date - timedelta(days=1)).isoformat())
    assert "cannot be before the project start" in before.content.decode()
    future = post_edit(worker, stay, move_in_date=(dates.today() + timedelta(days=1)).isoformat())
    assert "cannot be in the future" in future.content.decode()
    assert post_edit(worker, stay, move_in_date=(stay.entry_date + timedelta(days=3)).isoformat()).status_code == 302
    stay.refresh_from_db()
    assert stay.move_in_date == stay.entry_date + timedelta(days=3)
    # The exit cannot come before the move-in it follows.
    early_exit = post_exit(worker, stay, destination=435, destination_subsidy_type=439,
                           exit_date=(stay.entry_date + timedelta(days=1)).isoformat())
    assert "before the housing move-in date" in early_exit.content.decode()


def test_h1_move_in_date_is_not_asked_outside_permanent_housing_nor_of_other_members(tenancy, signed_in):
    from enrollments.services import move_in_date_error

    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    page = worker.get(reverse("enrollments:edit", args=[stay.enrollment_id])).content.decode()
    assert 'name="move_in_date"' not in page  # an emergency shelter has no move-in (3.20: PH only)
    assert "permanent housing projects only" in move_in_date_error(stay, dates.today())
    psh_child = Enrollment(project=tenancy.housing_b, relationship_to_hoh=2, entry_date=dates.today())
    assert "head of household only" in move_in_date_error(psh_child, dates.today())
    # And a move-in after the exit is refused.
    psh_exited = Enrollment(project=tenancy.housing_b, relationship_to_hoh=1, entry_date=dates.today() - timedelta(days=9),
                            exit_date=dates.today() - timedelta(days=5))
    assert "after the project exit" in move_in_date_error(psh_exited, dates.today() - timedelta(days=2))


# --- HMIS CSV: Exit.csv and Enrollment.csv, export and import -----------------------------

def export_both_ways(admin, folder, projects=()):
    """The export as PostgreSQL formats it and as Python writes it row by row."""
    from consent.visibility import Viewer
    from reports.hmis_csv.export import Scope, write_export

    scope = Scope(viewer=Viewer(user=admin, license=None), projects=list(projects))
    # The ExportID is made from the second the export starts: one for both, so that two exports
    # on either side of a second's boundary still compare byte for byte.
    with mock.patch("reports.hmis_csv.export.export_id_for", return_value="0123456789abcdef"):
        write_export(scope, folder / "sql.zip")
        write_export(scope, folder / "rows.zip", portable=True)
    with zipfile.ZipFile(folder / "sql.zip") as by_database, zipfile.ZipFile(folder / "rows.zip") as by_rows:
        files = {name: by_rows.read(name) for name in by_rows.namelist()}
        database_files = {name: by_database.read(name) for name in by_database.namelist()}
    return files, database_files


def csv_rows(files, name):
    return list(csv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))


def two_exits(tenancy, signed_in):
    """One exit to a rental with a housing choice voucher, one to "Other" (a comma in it)."""
    worker, voucher = enrolled_in_shelter(tenancy, signed_in)
    assert post_exit(worker, voucher, destination=435, destination_subsidy_type=433).status_code == 302
    other_client = person(tenancy.worker_a, tenancy.shelter_a, first="Bea")
    assert post_enroll(worker, other_client, tenancy.shelter_a, living_situation=435, rental_subsidy_type=419,
                       length_of_stay=2, **history()).status_code == 302
    other = Enrollment.objects.get(client=other_client)
    assert post_exit(worker, other, destination=17, other_destination="Boat, with a cabin").status_code == 302
    voucher.refresh_from_db()
    other.refresh_from_db()
    return voucher, other


def test_h1_exit_csv_carries_the_subsidy_type_and_the_other_destination(tenancy, signed_in, tmp_path):
    from django.db import connection

    voucher, other = two_exits(tenancy, signed_in)
    files, database_files = export_both_ways(tenancy.admin, tmp_path)
    if connection.vendor == "postgresql":  # both paths write the same bytes
        assert database_files["Exit.csv"] == files["Exit.csv"]
        assert database_files["Enrollment.csv"] == files["Enrollment.csv"]
    exits = {r["EnrollmentID"]: r for r in csv_rows(files, "Exit.csv")}
    row = exits[voucher.enrollment_id]
    # Cell by cell: the exit date, 435 rental with subsidy, 433 housing choice voucher, no "other" text.
    assert (row["ExitID"], row["PersonalID"], row["ExitDate"], row["Destination"], row["DestinationSubsidyType"],
            row["OtherDestination"]) == (voucher.enrollment_id, voucher.client.client_id,
                                         dates.today().isoformat(), "435", "433", "")
    row = exits[other.enrollment_id]
    # 17 Other with its text (quoted in the file for its comma), no subsidy type.
    assert (row["Destination"], row["DestinationSubsidyType"], row["OtherDestination"]) == (
        "17", "", "Boat, with a cabin")
    assert b'"Boat, with a cabin"' in files["Exit.csv"]
    # Partner-program columns we do not collect are written empty, never guessed.
    assert row["HousingAssessment"] == "" and row["ProjectCompletionStatus"] == ""
    stays = {r["EnrollmentID"]: r for r in csv_rows(files, "Enrollment.csv")}
    entry = stays[other.enrollment_id]
    # 3.917 in Enrollment.csv: 435 with its subsidy type 419 (VASH); the shelter asked the
    # history (3.917A), and has no LOSUnderThreshold/PreviousStreetESSH.
    assert (entry["LivingSituation"], entry["RentalSubsidyType"], entry["LengthOfStay"], entry["LOSUnderThreshold"],
            entry["PreviousStreetESSH"], entry["TimesHomelessPastThreeYears"]) == ("435", "419", "2", "", "", "2")
    assert entry["EnrollmentCoC"] == "TS-500" and entry["RelationshipToHoH"] == "1"
    # MentalHealthConsultation (V10) is a VA element: empty for a non-VA shelter.
    assert entry["MentalHealthConsultation"] == ""


def test_h1_import_reads_the_subsidy_type_and_the_other_destination(tenancy, signed_in, tmp_path):
    from django.core.management import call_command

    from agencies.models import ProjectCoc

    voucher, other = two_exits(tenancy, signed_in)
    # An importable export: the shelter with its CoC information (2.03), as HMIS CSV requires.
    ProjectCoc.objects.create(project=tenancy.shelter_a, coc_code="TS-500", geocode="110001", geography_type=1)
    export_both_ways(tenancy.admin, tmp_path, projects=[tenancy.shelter_a])
    # Lose the exit answers here, then load the export back: the same rows get them again.
    Enrollment.objects.update(destination_subsidy_type=None, other_destination="", rental_subsidy_type=None)
    out = io.StringIO()
    try:
        call_command("import_hmis_csv", str(tmp_path / "rows.zip"), stdout=out)
    finally:
        print(out.getvalue())  # the importer's problems, by file, line and column, if it refuses
    voucher.refresh_from_db()
    other.refresh_from_db()
    assert (voucher.destination, voucher.destination_subsidy_type, voucher.other_destination) == (435, 433, "")
    assert (other.destination, other.destination_subsidy_type, other.other_destination) == (17, None,
                                                                                          "Boat, with a cabin")
    assert other.rental_subsidy_type == 419
    assert Enrollment.objects.count() == 2  # updated, not duplicated


def test_h1_import_warns_of_a_follow_up_answer_hud_does_not_ask_and_does_not_load_it(tenancy, signed_in, tmp_path):
    from agencies.models import ProjectCoc
    from hmis.models import User
    from reports.hmis_csv.importer import import_hmis_csv

    voucher, other = two_exits(tenancy, signed_in)
    ProjectCoc.objects.create(project=tenancy.shelter_a, coc_code="TS-500", geocode="110001", geography_type=1)
    files, _ = export_both_ways(tenancy.admin, tmp_path, projects=[tenancy.shelter_a])
    # Another system's export: the voucher exit says 410 (no subsidy) yet names a subsidy
    # type, and the "Other" exit has lost its text.
    exits = csv_rows(files, "Exit.csv")
    for row in exits:
        if row["EnrollmentID"] == voucher.enrollment_id:
            row["Destination"] = "410"
        else:
            row["OtherDestination"] = ""
    # And one prior living situation is an exit-only answer (24 Deceased is no 3.917 answer).
    stays = csv_rows(files, "Enrollment.csv")
    stays[0]["LivingSituation"] = "24"
    entries = io.StringIO()
    stay_writer = csv.DictWriter(entries, fieldnames=list(stays[0]), lineterminator="\r\n")
    stay_writer.writeheader()
    stay_writer.writerows(stays)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(exits[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(exits)
    with zipfile.ZipFile(tmp_path / "theirs.zip", "w") as archive:
        for name, data in files.items():
            changed = {"Exit.csv": out.getvalue(), "Enrollment.csv": entries.getvalue()}
            archive.writestr(name, changed[name].encode() if name in changed else data)
    run = import_hmis_csv(tmp_path / "theirs.zip", actor=User.objects.get(pk=tenancy.admin.pk), sharing="locked")
    assert run.status == "loaded", run.problems
    lines = {row["EnrollmentID"]: number for number, row in enumerate(exits, start=2)}
    warnings = {(p[0], p[1], p[2]) for p in run.problems}
    assert ("Exit.csv", lines[voucher.enrollment_id], "DestinationSubsidyType") in warnings
    assert ("Exit.csv", lines[other.enrollment_id], "OtherDestination") in warnings
    assert ("Enrollment.csv", 2, "LivingSituation") in warnings  # loaded, and listed
    voucher.refresh_from_db()
    assert (voucher.destination, voucher.destination_subsidy_type) == (410, None)  # HUD: null unless 435


# --- Data quality --------------------------------------------------------------------------

def test_h1_data_quality_lists_an_unanswered_follow_up_question(tenancy, signed_in):
    from reports.dataquality import problems_of

    worker, stay = enrolled_in_shelter(tenancy, signed_in)
    assert not [p for p in problems_of(stay, None) if "times homeless" in p[1]]
    # An imported stay without the 3.917A history: the shelter should have asked it.
    Enrollment.objects.filter(pk=stay.pk).update(times_homeless_past_three_years=None)
    stay.refresh_from_db()
    problems = dict(problems_of(stay, None))
    assert "times homeless in the past three years" in problems["completeness"]


# --- Demo data -----------------------------------------------------------------------------

def test_h1_demo_has_an_exit_to_a_subsidized_rental_with_its_subsidy_type():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    subsidized = Enrollment.objects.filter(destination=435)
    assert subsidized.exists()
    assert all(stay.destination_subsidy_type == 433 for stay in subsidized)  # a housing choice voucher
