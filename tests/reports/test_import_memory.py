"""H3 (issue 17), the importer's memory bound: Client.csv, Enrollment.csv and Exit.csv are checked as
they are read and only the columns the checks across rows need are held (a tuple a row); the Loader
reads the files again. What the check found on a row (its warnings, the answers HUD does not ask) is
the same on both reads, and a row the reference checks leave out is neither listed nor loaded."""

import pytest

from enrollments.models import Enrollment, ProgramAnswers
from reports.hmis_csv import importer
from tests.factories import CocFactory, HmisLeadFactory, UserFactory
from tests.reports.test_import_faults import COC, base_files, loaded, problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_admin(db):
    CocFactory(lead=HmisLeadFactory(), code=COC)
    return UserFactory(username="fault_lead", is_system_admin=True)


def test_h3_the_check_holds_clients_and_stays_as_compact_rows_not_whole_rows():
    parsed = importer.parse_files(base_files())
    for file_name in importer.COMPACT_FILES:
        assert file_name not in parsed.rows
        assert parsed.counts[file_name] == len(parsed.compact[file_name])
        assert all(type(row) is tuple and len(row) == 1 + len(importer.COMPACT_COLUMNS[file_name])
                   for row in parsed.compact[file_name])
    assert [row[:3] for row in parsed.compact["Enrollment.csv"]] == [(2, "EN1", "C1"), (3, "EN2", "C2")]
    assert [row[:3] for row in parsed.compact["Exit.csv"]] == [(2, "EN1", "C1")]


def test_h3_a_stay_under_a_deleted_client_is_skipped_with_its_own_warnings(lead_admin, tmp_path):
    """EN2's client is deleted in the source: EN2 is skipped with one warning, and what its own cells
    would have been listed for (a head of household without 3.16, a subsidy HUD does not ask) is not."""
    def change(rows):
        rows["Client.csv"][1]["DateDeleted"] = "2024-06-01 00:00:00"
        rows["Enrollment.csv"][1] |= {"EnrollmentCoC": "", "RentalSubsidyType": "419"}

    run = loaded(tmp_path, base_files(change))
    warnings = problems(run, "warning")
    assert ["Enrollment.csv", 3, "PersonalID", "C2 was deleted in Client.csv: row skipped"] in warnings
    assert not [w for w in warnings if w[0] == "Enrollment.csv" and w[1] == 3
                and w[2] in ("EnrollmentCoC", "RentalSubsidyType")]
    assert list(Enrollment.objects.values_list("enrollment_id", flat=True)) == ["EN1"]


def test_h3_an_answer_hud_does_not_ask_is_listed_once_and_not_loaded_on_the_second_read(lead_admin, tmp_path):
    """The check lists the subsidy type of a stay that did not come from a subsidized situation and
    the exit's subsidy type without destination 435; the Loader, reading the files again, leaves both out."""
    def change(rows):
        rows["Enrollment.csv"][0]["RentalSubsidyType"] = "419"
        rows["Exit.csv"][0]["DestinationSubsidyType"] = "419"

    run = loaded(tmp_path, base_files(change))
    warnings = problems(run, "warning")
    assert warnings.count(["Enrollment.csv", 2, "RentalSubsidyType",
                           "not loaded: asked only when LivingSituation is 435"]) == 1
    assert warnings.count(["Exit.csv", 2, "DestinationSubsidyType",
                           "not loaded: asked only when Destination is 435"]) == 1
    stay = Enrollment.objects.get(enrollment_id="EN1")
    assert (stay.rental_subsidy_type, stay.destination_subsidy_type) == (None, None)
    assert stay.exit_date.isoformat() == "2024-03-01" and stay.destination == 410
    assert not ProgramAnswers.objects.filter(enrollment=stay).exists()
