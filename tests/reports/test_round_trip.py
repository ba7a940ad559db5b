"""H3 (issue 17, "everything kept"): an HMIS CSV export from another system, imported and
exported again, gives back every cell of every file but ExportID: the source's record IDs
(organizations, projects, descriptor rows, users, exits and each file's own rows of a
collection), DateCreated, DateUpdated and UserID. The export is the generator's
(`generate_hmis_csv`), not ours, so the test does not replay our own output; rows are matched
by each file's own key, cells by column name (the messy export shuffles columns)."""

import io

import pytest
from django.core.management import call_command

from agencies.models import Project
from consent.visibility import Viewer
from hmis.models import User
from reports.hmis_csv import messy, source_ids, spec
from reports.hmis_csv.export import Scope, write_export
from reports.models import ExternalKey
from tests.factories import ProjectFactory
from tests.reports.test_messy_export import generate

pytestmark = pytest.mark.django_db
RACES = sorted(spec.RACE_COLUMNS)


def key_of(file_name: str) -> str:
    if file_name == "Export.csv":
        return "ExportID"
    return spec.headers()[file_name][0]


def round_trip(tmp_path, *args):
    """Generate, import, export the imported projects; (source path, export path, faults)."""
    faults = generate(tmp_path / "source.zip", *args)
    call_command("import_hmis_csv", str(tmp_path / "source.zip"), "--create-cocs", stdout=io.StringIO())
    imported = [int(pk) for pk in ExternalKey.objects.filter(file="Project.csv").values_list("local_id", flat=True)]
    lead = User.objects.filter(is_system_admin=True).order_by("pk").first()
    scope = Scope(viewer=Viewer(user=lead, license=None), projects=list(Project.objects.filter(pk__in=imported)))
    write_export(scope, tmp_path / "export.zip")
    return tmp_path / "source.zip", tmp_path / "export.zip", faults, lead


def differences(source, exported) -> dict:
    """(file, column) -> [(key, source cell, exported cell)], plus rows only on one side."""
    found = {}
    for name in spec.FILES:
        if name == "Export.csv":
            continue
        key = key_of(name)
        before = {row[key]: row for row in messy.read_back(source, name)}
        after = {row[key]: row for row in messy.read_back(exported, name)}
        for missing in set(before) ^ set(after):
            found.setdefault((name, "row"), []).append((missing, missing in before, missing in after))
        for row_key in set(before) & set(after):
            for column in spec.headers()[name]:
                if column != "ExportID" and (before[row_key].get(column) or "") != (after[row_key].get(column) or ""):
                    found.setdefault((name, column), []).append(
                        (row_key, before[row_key].get(column), after[row_key].get(column)))
    return found


def test_h3_a_clean_export_from_another_system_comes_back_cell_for_cell(tenancy, tmp_path):
    source, exported, _, _ = round_trip(tmp_path, "--clients", "60", "--seed", "9")

    assert differences(source, exported) == {}
    # and there was something in each file to compare
    for name in spec.FILES:
        assert messy.read_back(source, name), name


def test_h3_a_messy_export_comes_back_but_for_the_faults_the_import_listed(tenancy, tmp_path):
    """The only cells that differ are those whose warnings said how they were loaded: a UserID
    User.csv does not list is the importing Lead's (who is then in User.csv), an SSN with dashes
    is its nine digits, an empty race column is "not selected" (0)."""
    source, exported, faults, lead = round_trip(tmp_path, "--clients", "60", "--seed", "5", "--messy")
    lead_id = str(lead.pk)
    found = differences(source, exported)

    users = found.pop(("User.csv", "row"))
    assert users == [(lead_id, False, True)]
    planted_users = 0
    ssn = found.pop(("Client.csv", "SSN"), [])
    assert ssn and all(before.replace("-", "") == after for _, before, after in ssn)
    assert len(ssn) == faults["ssn_dashes"]
    empty_races = [found.pop(("Client.csv", race), []) for race in RACES]
    for cells in empty_races:
        assert all(before == "" and after == "0" for _, before, after in cells)
    assert len(empty_races[0]) == faults["empty_race"]
    for (name, column), cells in list(found.items()):
        if column == "UserID":
            assert all(before == messy.MISSING_USER and after == lead_id for _, before, after in cells), name
            planted_users += len(cells)
            del found[(name, column)]
    assert planted_users == faults["missing_user"]
    assert found == {}


def test_h3_an_id_another_row_here_already_carries_is_not_kept(tenancy, tmp_path):
    """source_ids.py's collision rule: a project made here is exported as its pk; an import
    naming a project by that number keeps it under its own pk instead (so the export never
    names two projects alike), and a whole-number ID it keeps moves the sequence past it."""
    own = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1)
    taken = Project(agency=own.agency, coc=own.coc, name="Imported", project_type=1,
                    operating_start=own.operating_start)
    source_ids.keep(Project, taken, str(own.pk))
    assert taken.hud_id is None  # own.pk is taken: it will export under its own pk
    taken.save()
    assert source_ids.export_id(taken) == str(taken.pk) != str(own.pk)

    kept = Project(agency=own.agency, coc=own.coc, name="Kept", project_type=1, operating_start=own.operating_start)
    source_ids.keep(Project, kept, "900000")
    kept.save()
    source_ids.reserve(Project, [kept.hud_id])
    assert source_ids.export_id(kept) == "900000"
    later = ProjectFactory(agency=tenancy.agency_a, coc=tenancy.coc1)
    assert later.pk > 900000  # never exported under the kept number
    assert source_ids.find(Project, "900000") == kept and source_ids.find(Project, str(later.pk)) == later
