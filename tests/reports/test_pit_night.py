"""H4, issue 19: the sheltered PIT read as plain rows (reports/hud/pit_night.py) and counted
in one pass per table (hic_pit.Tally), on the data set of test_hic_pit (CoC TS-500, the
night of 06/30/2026; its people are listed there). What is proved here:

- the report reads a fixed number of queries, however many people are in a bed (nothing
  per stay: at 1,000,000 clients that was what made it slow);
- a person in ES and TH the same night is counted once, under ES; someone housed that
  night is not in the sheltered count;
- PIT-4 reads the latest record on or before the night (an update replaces the start
  answer; a record dated after the night is not read);
- a household whose members' stays are in two projects (messy data) is counted once, in
  its first member's column, with every member's Client ID.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.hud import hic_pit
from reports.hud.pit_night import DOB, STAY_FIELDS, TYPE, Member
from tests.reports.test_hic_pit import coc1, night  # noqa: F401 (the fixture)
from tests.reports.test_hud_pit_and_subpopulations import record
from tests.reports.test_hud_rules import built, ids, person, stay

pytestmark = pytest.mark.django_db
D = date
NIGHT = D(2026, 6, 30)
JUNE = D(2026, 6, 1)
ZERO = [0, 0, 0, 0]


def queries_of_pit(t) -> int:
    with CaptureQueriesContext(connection) as captured:
        built("pit", *coc1(t))
    return len(captured.captured_queries)


def test_h4_pit_reads_a_fixed_number_of_queries_whatever_the_number_of_stays(night):  # noqa: F811
    t = night
    before = queries_of_pit(t)
    # Six more households in A Shelter and A Transitional, each with start and update records.
    for n in range(6):
        client = person(t, f"More{n}", D(1985 + n, 1, 1), veteran_status=n % 2)
        e = stay(t, client, t.shelter_a if n % 2 else t.th, f"H-MORE{n}", JUNE)
        record(t, e, 1, JUNE, mental_health_disorder=1, domestic_violence_survivor=1, currently_fleeing=1)
        record(t, e, 2, D(2026, 6, 20), mental_health_disorder=0)
    assert queries_of_pit(t) == before
    assert built("pit", *coc1(t))["PIT-3"]["Total number of persons"] == [8, 3, 0, 11]


def test_h4_pit_counts_a_person_in_es_and_th_once_under_es(night):  # noqa: F811
    t = night
    max_ = person(t, "Max", D(1975, 1, 1))
    stay(t, max_, t.th, "H-MAX-TH", D(2026, 5, 1))  # the earlier stay, in TH
    stay(t, max_, t.shelter_a, "H-MAX-ES", JUNE)
    pit = built("pit", *coc1(t))["PIT-3"]
    # Ann, Vic, Yara, Hal, Ezra and now Max in ES; nobody without children in TH.
    assert pit["Total number of persons"] == [6, 0, 0, 6]
    assert max_.client_id in ids("pit", "PIT-3", "Total number of persons", *coc1(t), column=0)
    assert max_.client_id not in ids("pit", "PIT-3", "Total number of persons", *coc1(t), column=1)


def test_h4_pit_leaves_out_people_housed_that_night(night):  # noqa: F811
    t = night
    # Sol sleeps in B Housing (moved in 06/15): in no PIT cell, though his A Shelter stay is open.
    counted = set().union(*(ids("pit", "PIT-3", "Total number of persons", *coc1(t), column=c) for c in range(4)))
    assert t.sol.client_id not in counted and t.ann.client_id in counted


def test_h4_pit4_reads_the_latest_record_on_or_before_the_night(night):  # noqa: F811
    t = night
    ann = t.ann.enrollments.get()
    vic = t.vic.enrollments.get()
    # Ann's update on 06/20 answers mental health "no" and no longer fleeing: her start answers give way.
    record(t, ann, 2, D(2026, 6, 20), mental_health_disorder=0, domestic_violence_survivor=1, currently_fleeing=0)
    # Vic's annual assessment dated after the night says HIV/AIDS yes: not read for this night.
    record(t, vic, 5, D(2026, 7, 1), hiv_aids=1, substance_use_disorder=0)
    pit = built("pit", *coc1(t))["PIT-4"]
    assert pit["Adults with a Serious Mental Illness"] == ZERO
    assert pit["Adult Survivors of Domestic Violence (currently fleeing)"] == ZERO
    assert pit["Adults with a Substance Use Disorder"] == [1, 0, 0, 1]  # Vic's start record still holds
    assert pit["Adults with HIV/AIDS"] == ZERO


class _Row:
    """A Member's facts without the database (hic_pit.Tally reads these only)."""

    def __init__(self, client_id, column, age=30):
        self.client_id, self.column, self.age = client_id, column, age


def test_h4_pit_tally_counts_a_household_once_in_its_first_members_column():
    # Household H has a member in ES and one in TH (stays in two projects under one household ID).
    groups = {"H": [_Row("A1", "ES"), _Row("B2", "TH")], "K": [_Row("C3", "SH")]}
    tally = hic_pit.Tally(groups, lambda h, m: [hic_pit.HOUSEHOLDS, hic_pit.PERSONS])
    label, cells = tally.row(hic_pit.HOUSEHOLDS, households=True)
    assert [c.count for c in cells] == [1, 0, 1, 2]
    assert cells[0].ids == {"A1", "B2"} and cells[3].ids == {"A1", "B2", "C3"}
    label, cells = tally.row(hic_pit.PERSONS, skip=hic_pit.NO_TH)
    assert [c.count for c in cells] == [2, "", 1, 3]
    # A row nobody is in: zeros, and the skipped column blank.
    assert [c.count for c in tally.row("nobody", households=True, skip=hic_pit.NO_TH)[1]] == [0, "", 0, 0]


def test_h4_pit_member_age_is_on_the_night_and_unknown_when_born_after():
    row = [None] * len(STAY_FIELDS)
    row[DOB] = D(2008, 7, 1)  # turns 18 the day after the night
    row[TYPE] = 0  # ES
    m = Member(tuple(row), NIGHT)
    assert m.age == 17 and m.child and not m.adult
    row[DOB] = D(2026, 7, 1)  # a date of birth after the night: age unknown
    assert Member(tuple(row), NIGHT).age is None
