"""H4: veteran households and the chronically homeless tables of the APR and CAPER (Q25b, Q26a, Q26b, reports/hud/SPEC_APR_CAPER.md
6.1/6.2) on a hand-built data set, every cell stated and explained. Reporting period
01/01/2026 to 06/30/2026; helpers from test_hud_rules. (Q25d, Q25i, Q25j, Q26d
and Q26e are in test_hud_pit_and_subpopulations; FY2026 has no Q25c, Q26c or Q26f.)"""

from datetime import date

import pytest

from reports.hud import tables
from tests.reports.test_hud_rules import built, by_label, person, stay, written

pytestmark = pytest.mark.django_db
FEB, SINCE_2024 = date(2026, 2, 1), date(2024, 1, 1)


@pytest.fixture
def chronic(tenancy):
    """A Shelter (emergency shelter, entry-exit: no prior-living-situation gate), all from
    02/01/2026 and still there; adults born 1980:
    - Ch, alone: disabled (3.08 yes), homeless since 01/01/2024 (two years) -> chronically homeless;
    - No, alone: 3.08 "no" -> not chronically homeless;
    - Dk, alone: 3.08 "client doesn't know" (8) -> doesn't know/prefers not;
    - Mi, alone: 3.08 "data not collected" (99) -> data not collected;
    - Mom (head) and Kid (born 2018), together from 02/01: Mom as Ch; Kid, 3.08 "no", takes
      the household's status (HUD's "CH at project start because of other household
      members"), so both count as chronically homeless, with children and adults;
    - Pa (head, 3.08 "no") and Pb (adult, 3.08 "doesn't know"): each keeps their own status
      (no one is chronically homeless, so nothing is extended); the household is "not"
      (its best status);
    - Ua (head, 3.08 "doesn't know") and Ub (adult, 3.08 not collected): the household is
      "doesn't know".
    Veteran status (3.07), for Q25b: Ch, No and Pb veterans; Dk, Mom and Pa not; Mi "client
    doesn't know"; Ua and Ub not collected (99); Kid, a child, is not asked."""
    t = tenancy
    stay(t, person(t, "Ch", veteran_status=1), t.shelter_a, "C1", FEB, disabling_condition=1, date_to_street_essh=SINCE_2024)
    stay(t, person(t, "No", veteran_status=1), t.shelter_a, "C2", FEB)
    stay(t, person(t, "Dk", veteran_status=0), t.shelter_a, "C3", FEB, disabling_condition=8)
    stay(t, person(t, "Mi", veteran_status=8), t.shelter_a, "C4", FEB, disabling_condition=99)
    stay(t, person(t, "Mom", veteran_status=0), t.shelter_a, "C5", FEB, disabling_condition=1, date_to_street_essh=SINCE_2024)
    stay(t, person(t, "Kid", date(2018, 1, 1)), t.shelter_a, "C5", FEB, head=False)
    stay(t, person(t, "Pa", veteran_status=0), t.shelter_a, "C6", FEB)
    stay(t, person(t, "Pb", veteran_status=1), t.shelter_a, "C6", FEB, head=False, disabling_condition=8)
    stay(t, person(t, "Ua", veteran_status=99), t.shelter_a, "C7", FEB, disabling_condition=8)
    stay(t, person(t, "Ub", veteran_status=99), t.shelter_a, "C7", FEB, head=False, disabling_condition=99)
    return t


def test_h4_q26b_chronically_homeless_persons_by_household_type(chronic):
    report = built("apr", chronic.shelter_a)
    q26b = report["Q26b"]
    # Total, Without Children, With Children and Adults, With Only Children, Unknown Household Type
    assert q26b["Chronically Homeless"] == [3, 1, 2, 0, 0]  # Ch alone; Mom and Kid (extended to the child)
    assert q26b["Not Chronically Homeless"] == [2, 2, 0, 0, 0]  # No, Pa
    assert q26b["Client Doesn't Know/Prefers Not to Answer"] == [3, 3, 0, 0, 0]  # Dk, Pb, Ua
    assert q26b["Data Not Collected"] == [2, 2, 0, 0, 0]  # Mi, Ub
    assert q26b["Total"] == [10, 8, 2, 0, 0]
    # The same persons as Q5a's count of chronically homeless persons.
    assert report["Q5a"]["Number of chronically homeless persons"] == [3, 3]


def test_h4_q26a_households_by_their_best_chronic_status(chronic):
    q26a = built("apr", chronic.shelter_a)["Q26a"]
    # Households, counted by their heads: C1 Ch, C2 No, C3 Dk, C4 Mi, C5 Mom+Kid, C6 Pa+Pb, C7 Ua+Ub.
    assert q26a["Chronically Homeless"] == [2, 1, 1, 0, 0]  # C1; C5 (with children and adults)
    assert q26a["Not Chronically Homeless"] == [2, 2, 0, 0, 0]  # C2; C6 (Pa "no" beats Pb's "doesn't know")
    assert q26a["Client Doesn't Know/Prefers Not to Answer"] == [2, 2, 0, 0, 0]  # C3; C7 (Ua beats Ub's missing)
    assert q26a["Data Not Collected"] == [1, 1, 0, 0, 0]  # C4
    assert q26a["Total"] == [7, 6, 1, 0, 0]


def test_h4_q25b_veteran_households_by_their_first_row(chronic):
    q25b = built("apr", chronic.shelter_a)["Q25b"]
    # Total, Without Children, With Children and Adults, Unknown (no child-only column); by heads.
    assert q25b["Chronically Homeless Veteran"] == [1, 1, 0, 0]  # C1 (Ch)
    assert q25b["Non-Chronically Homeless Veteran"] == [2, 2, 0, 0]  # C2 (No); C6 (Pb, though head Pa is not)
    assert q25b["Not a Veteran"] == [2, 1, 1, 0]  # C3 (Dk); C5 (Mom, with her child)
    assert q25b["Client Doesn't Know/Prefers Not to Answer"] == [1, 1, 0, 0]  # C4 (Mi)
    assert q25b["Data Not Collected"] == [1, 1, 0, 0]  # C7 (Ua, Ub)
    assert q25b["Total"] == [7, 6, 1, 0]


def test_h4_q26a_is_apr_only_and_q26b_in_both():
    """SPEC 6.1/6.2: the CAPER has Q25a and Q26b only of these."""
    assert {"Q25b", "Q26a", "Q26b"} <= set(tables.REPORTS["apr"][1])
    assert "Q26b" in tables.REPORTS["caper"][1] and not {"Q25b", "Q26a"} & set(tables.REPORTS["caper"][1])


def test_h4_q26b_is_in_the_caper_files(chronic, tmp_path):
    files = written(tmp_path, "caper", chronic.shelter_a)
    assert files["Q26b"][0] == ["", "Total", "Without Children", "With Children and Adults", "With Only Children",
                                "Unknown Household Type"]
    assert by_label(files["Q26b"])["Chronically Homeless"] == ["3", "1", "2", "0", "0"]
