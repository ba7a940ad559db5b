"""H4: HUD System Performance Measures 1a, 1b, 2a/2b and 3.2 (reports/hud/spm.py;
reports/hud/SPEC_SPM_HIC_PIT_LSA.md 1.1-1.4, 1.8) on a hand-built CoC, every expected cell
stated and explained. Report period: the federal fiscal year 10/01/2025 to 09/30/2026.
Derived dates: the Measure 1 lookback stop date is 10/01/2018 (report start - 7 years);
Measure 2 reads exits from 10/02/2023 to 09/30/2024 (report start and end - 730 days).

The CoC is TS-500 (tests/conftest.py tenancy): A Shelter (ES entry-exit, agency A), B Housing
(PSH, agency B), A Outreach (SO), and made here: A Night Shelter (ES night-by-night), A TH,
A Safe Haven, A RRH (agency A) and B Shelter (ES entry-exit, agency B). C Shelter is in
another CoC (TS-501): its stays are not the CoC's.

Measure 1 and 3.2 persons (nights: every night from the start to the day before the exit):
- Ann: A Shelter 01/01 -> 03/02/2026: 60 nights (Jan 31 + Feb 28 + Mar 1). 3.917 homeless
  since 12/02/2025: on 1b also 12/02-12/31/2025 (30 nights, the start night 01/01 already
  counted): 90.
- Ben, whose first stay predates the period: A Shelter 06/01 -> 10/11/2025, 132 nights (Jun
  30 + Jul 31 + Aug 31 + Sep 30 + Oct 10); his client end date is 10/10/2025, so his start
  date is 10/10/2024 and an earlier stay 09/01 -> 09/11/2024 (10 nights, all before it) is
  left out: 132 on every row.
- Cal: A Shelter 01/01/2024 -> 12/01/2025, one unbroken run that crosses his client start
  date (11/30/2024): the whole run counts, 366 + 334 = 700 nights.
- Dot, a stay crossing the lookback stop date: A Shelter 09/21/2018 -> 10/06/2025; only the
  nights from 10/01/2018 count: 2562 (not 2572). Her 3.917 date (01/01/2018) adds nothing:
  the stay started before the lookback stop date.
- Eve, night-by-night, counted by bed nights: A Night Shelter from 09/01/2025, bed nights
  09/30, 10/05, 10/06 and 10/08/2025: 4 nights. 3.917 homeless since 09/20/2025: on 1b the
  nights 09/20 up to and including her earliest bed night (09/30): 11 nights, 14 in all.
- Fay: A Night Shelter from 09/01/2025 with one bed night, 09/15/2025: no night in the
  period, in no row and not sheltered in it.
- Gus, PH literally homeless at entry (3.917 living situation 116, place not meant for
  habitation), B Housing from 02/01/2026, moved in 03/01/2026, homeless since 01/17/2026: not
  in 1a (no ES, SH or TH); on 1b his 28 nights before move-in (02/01-02/28) and the 3.917
  nights 01/17-01/31 (15): 43.
- Hal: B Housing from 02/01/2026, came from his own rental (410) for over 90 days, moved in
  04/01/2026: not literally homeless at entry, so in no row.
- Ivy: A Shelter from 01/01/2026 (never exited) and B Housing from 01/01/2026 (from an
  emergency shelter, 101), moved in 02/01/2026: housed nights negate her shelter nights from
  02/01: 31 nights on every row.
- Jay: A Shelter 04/01 -> 04/11/2026 and A TH 04/06 -> 05/11/2026: on x.1 rows TH nights
  negate his shelter nights 04/06-04/10, 5 nights; on x.2 rows 04/01-05/10, 40 nights.
- Kim: A Safe Haven 05/01 -> 05/02/2026: 1 night on every row; sheltered in SH.
- Lou: A TH from 06/01/2026: 122 nights (Jun 30 + Jul 31 + Aug 31 + Sep 30) on x.2 rows only;
  homeless since 05/01/2026, on 1b.2 also 05/01-05/31: 153. Not on 1b.1: a TH stay's 3.917
  date does not count where TH is not homelessness.
- Max: A Shelter in and out on 07/01/2026: no night, in no row, not sheltered.

Measure 2 persons (each with stays before the period only, so in no Measure 1 or 3 row):
- Nia: A RRH (agency A) exit 01/10/2024 to 410 (rental, no subsidy: permanent), then B
  Shelter (agency B) from 03/01/2024: a return after 51 days, "less than 6 months"; row PH.
- Oz: A Shelter exit 02/01/2024 to 435 (rental with subsidy); B Housing from 02/10/2024 (9
  days: the 14-day rule, not a return) to 12/01/2024; B Shelter from 01/15/2025: 349 days,
  "6 to 12 months"; row ES.
- Pia: A TH exit 05/01/2024 to 411; B Housing from 05/20/2024, 19 days later and no other PH
  stay: a return in "less than 6 months"; row TH.
- Quin: B Housing exit 06/01/2024 to 435; A RRH 06/10 (9 days) -> 07/01/2024; B Housing again
  from 07/10/2024 (40 days after the exit but 9 after the RRH exit: a transfer); A Outreach
  from 08/01/2025: 426 days, "13 to 24 months"; row PH.
- Rex: A Outreach exit 11/01/2023 to 410, nothing after: row SO, no return.
- Sam: A Safe Haven exit 09/30/2024 (the window's last day) to 422; A Outreach from
  09/30/2026, 730 days later (the last day of "13 to 24 months"); row SH.
- Tia: A Shelter exit 10/01/2023 to 410 (a day before the window) and exit 04/01/2024 to 101
  (not permanent): not in Measure 2.
- Uma: A Shelter exit 03/01/2024 to 410 (her earliest permanent exit), A TH 03/05 ->
  04/01/2024, B Housing 04/02 -> 06/01/2024 to 410: returned after 4 days (TH), "less than
  6 months"; row ES.
- Wren: C Shelter (the other CoC) exit 01/01/2024 to 410, then A Shelter 02/01 -> 02/10/2024:
  her exit is not the CoC's, so she is not in Measure 2.

The previous FY (Measures 1 and 3.2; HUD's Measure 2 table has none) is the same measure over
10/01/2024 to 09/30/2025 (lookback stop date 10/01/2017), on the stays that had started by
09/30/2025:
- Ben: 06/01 -> 09/30/2025 (capped at that period's end): 122 nights; his 2024 stay ends
  before his client start date (09/30/2024). Cal: 01/01/2024 -> 09/30/2025, 366 + 273 = 639.
- Dot: 09/21/2018 -> 09/30/2025, the whole stay now after the lookback date: 2567 nights; on
  1b her 3.917 date (01/01/2018) counts too, the stay starting after 10/01/2017: 263 more,
  2830.
- Eve: her bed night 09/30/2025: 1 night; on 1b 09/20-09/30/2025: 11. Fay: her bed night
  09/15/2025: 1 night on every row.
- Oz: B Shelter 01/15 -> 02/01/2025: 17 nights (his ES stay of January 2024 ends before his
  client start date, 02/01/2024: 365 days before 01/31/2025 across a leap day). On 1b his
  PSH stay (literally homeless at entry, never moved in, exited 12/01/2024 in that period)
  adds its nights 02/10 -> 11/30/2024, one run crossing the client start date: 295, 312 in all.
- 1a rows: Ben 122, Cal 639, Dot 2567, Eve 1, Fay 1, Oz 17: 6 persons, 3347 nights,
  average 557.83, median (17 + 122) / 2 = 69.50 (no TH stay then: 1.2 the same).
- 1b rows: Ben 122, Cal 639, Dot 2830, Eve 11, Fay 1, Oz 312: 6 persons, 3915 nights,
  average 652.50, median (122 + 312) / 2 = 217.00.
- 3.2: ES Ben, Cal, Dot, Eve, Fay, Oz (6); no SH (Sam's last night was 09/29/2024) or TH: 6.
Differences are current - previous, of the figures as shown (two decimals).
"""

import csv
from datetime import date

import pytest

from agencies.models import License, Project
from consent.visibility import Viewer
from reports.hud import runner, spm
from reports.hud.spm import Stay
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, by_label, person, stay

pytestmark = pytest.mark.django_db
D = date
START, END = D(2025, 10, 1), D(2026, 9, 30)
MINE = ("1a", "1b", "2", "3.2")


def report(t, viewer=None):
    """spm.build over the CoC's projects (TS-500): {code: Table}, Measures 1-3 only."""
    coc = Project.objects.filter(coc=t.coc1)
    return {table.code: table for table in spm.build(coc, START, END, viewer=viewer) if table.code in MINE}


def counts(table):
    return {label: [c.count for c in cells] for label, cells in table.rows}


def ids(table, label, column):
    return next(cells for row, cells in table.rows if row == label)[column].ids


@pytest.fixture
def coc(tenancy):
    t = tenancy
    a = t.agency_a
    t.nbn_a = ProjectFactory(agency=a, coc=t.coc1, name="A Night Shelter", project_type=1)
    t.th_a = ProjectFactory(agency=a, coc=t.coc1, name="A TH", project_type=2)
    t.sh_a = ProjectFactory(agency=a, coc=t.coc1, name="A Safe Haven", project_type=8)
    t.rrh_a = ProjectFactory(agency=a, coc=t.coc1, name="A RRH", project_type=13)
    t.shelter_b = ProjectFactory(agency=t.agency_b, coc=t.coc1, name="B Shelter", project_type=0)
    b = dict(user=t.worker_b, project=t.housing_b)  # clients agency B took in (B serves them)
    shelter, housing, th, sh, rrh, so = t.shelter_a, t.housing_b, t.th_a, t.sh_a, t.rrh_a, t.outreach_a
    t.people = {}

    def who(name, **fields):
        t.people[name] = person(t, name, **fields)
        return t.people[name]

    # Measures 1 and 3.2
    stay(t, private(t, "Ann"), shelter, "AN", D(2026, 1, 1), D(2026, 3, 2), date_to_street_essh=D(2025, 12, 2))
    ben = who("Ben")
    stay(t, ben, shelter, "BE1", D(2024, 9, 1), D(2024, 9, 11))
    stay(t, ben, shelter, "BE2", D(2025, 6, 1), D(2025, 10, 11))
    stay(t, who("Cal"), shelter, "CA", D(2024, 1, 1), D(2025, 12, 1))
    stay(t, who("Dot"), shelter, "DO", D(2018, 9, 21), D(2025, 10, 6), date_to_street_essh=D(2018, 1, 1))
    eve = stay(t, who("Eve"), t.nbn_a, "EV", D(2025, 9, 1), date_to_street_essh=D(2025, 9, 20))
    bed_nights(t, eve, D(2025, 9, 30), D(2025, 10, 5), D(2025, 10, 6), D(2025, 10, 8))
    bed_nights(t, stay(t, who("Fay"), t.nbn_a, "FA", D(2025, 9, 1)), D(2025, 9, 15))
    stay(t, who("Gus", **b), housing, "GU", D(2026, 2, 1), living_situation=116, move_in_date=D(2026, 3, 1),
         date_to_street_essh=D(2026, 1, 17))
    stay(t, who("Hal", **b), housing, "HA", D(2026, 2, 1), living_situation=410, los_under_threshold=0,
         previous_street_essh=0, move_in_date=D(2026, 4, 1))
    ivy = who("Ivy")
    stay(t, ivy, shelter, "IV1", D(2026, 1, 1))
    stay(t, ivy, housing, "IV2", D(2026, 1, 1), living_situation=101, move_in_date=D(2026, 2, 1))
    jay = who("Jay")
    stay(t, jay, shelter, "JA1", D(2026, 4, 1), D(2026, 4, 11))
    stay(t, jay, th, "JA2", D(2026, 4, 6), D(2026, 5, 11), living_situation=101)
    stay(t, who("Kim"), sh, "KI", D(2026, 5, 1), D(2026, 5, 2))
    stay(t, who("Lou"), th, "LO", D(2026, 6, 1), living_situation=116, date_to_street_essh=D(2026, 5, 1))
    stay(t, who("Max"), shelter, "MA", D(2026, 7, 1), D(2026, 7, 1))
    # Measure 2
    nia = private(t, "Nia")
    stay(t, nia, rrh, "NI1", D(2023, 6, 1), D(2024, 1, 10), destination=410, living_situation=116)
    stay(t, nia, t.shelter_b, "NI2", D(2024, 3, 1), D(2024, 3, 15))
    oz = who("Oz")
    stay(t, oz, shelter, "OZ1", D(2024, 1, 1), D(2024, 2, 1), destination=435)
    stay(t, oz, housing, "OZ2", D(2024, 2, 10), D(2024, 12, 1), destination=101, living_situation=116)
    stay(t, oz, t.shelter_b, "OZ3", D(2025, 1, 15), D(2025, 2, 1))
    pia = who("Pia")
    stay(t, pia, th, "PI1", D(2024, 1, 1), D(2024, 5, 1), destination=411, living_situation=116)
    stay(t, pia, housing, "PI2", D(2024, 5, 20), D(2024, 8, 1), living_situation=302)
    quin = who("Quin", **b)
    stay(t, quin, housing, "QU1", D(2023, 1, 1), D(2024, 6, 1), destination=435, move_in_date=D(2023, 2, 1))
    stay(t, quin, rrh, "QU2", D(2024, 6, 10), D(2024, 7, 1), destination=410)
    stay(t, quin, housing, "QU3", D(2024, 7, 10), D(2025, 1, 1))
    stay(t, quin, so, "QU4", D(2025, 8, 1))
    stay(t, who("Rex"), so, "RE", D(2023, 9, 1), D(2023, 11, 1), destination=410)
    sam = who("Sam")
    stay(t, sam, sh, "SA1", D(2024, 6, 1), D(2024, 9, 30), destination=422)
    stay(t, sam, so, "SA2", D(2026, 9, 30))
    tia = who("Tia")
    stay(t, tia, shelter, "TI1", D(2023, 9, 1), D(2023, 10, 1), destination=410)
    stay(t, tia, shelter, "TI2", D(2024, 3, 1), D(2024, 4, 1), destination=101)
    uma = who("Uma")
    stay(t, uma, shelter, "UM1", D(2024, 2, 1), D(2024, 3, 1), destination=410)
    stay(t, uma, th, "UM2", D(2024, 3, 5), D(2024, 4, 1), living_situation=116)
    stay(t, uma, housing, "UM3", D(2024, 4, 2), D(2024, 6, 1), destination=410, living_situation=116)
    wren = who("Wren")
    stay(t, wren, t.shelter_c, "WR1", D(2023, 12, 1), D(2024, 1, 1), destination=410)
    stay(t, wren, shelter, "WR2", D(2024, 2, 1), D(2024, 2, 10))
    return t


def private(t, name):
    """A client agency A took in whose whole record is locked to agency A (an approved
    whole-record lock): no other agency may see them."""
    t.people[name] = person(t, name, locked_to_agency=t.agency_a)
    return t.people[name]


def client_ids(t, *names):
    return {t.people[n].client_id for n in names}


def test_h4_measure_1a_length_of_time_homeless_in_es_sh_and_th(coc):
    table = report(coc)["1a"]
    assert table.columns[:3] == ["", "Previous FY Universe (Persons)", "Current FY Universe (Persons)"]
    rows = counts(table)
    # Previous and current persons, previous and current average, difference, previous and
    # current median, difference (the previous FY: the module docstring).
    # 1.1 (ES and SH; TH and housed PH nights negate): Ann 60, Ben 132, Cal 700, Dot 2562,
    # Eve 4, Ivy 31, Jay 5, Kim 1: 8 persons, 3495 nights, average 436.875 -> 436.88, median
    # of 1, 4, 5, 31, 60, 132, 700, 2562 = (31 + 60) / 2 = 45.50.
    assert rows["Persons in ES-EE, ES-NbN, and SH"] == [6, 8, "557.83", "436.88", "-120.95", "69.50", "45.50", "-24.00"]
    # 1.2 (ES, SH and TH): as 1.1 but Jay 40 and Lou 122 (TH only): 9 persons, 3652 nights,
    # average 405.78, median 60 (Ann).
    assert rows["Persons in ES-EE, ES-NbN, SH, and TH"] == [6, 9, "557.83", "405.78", "-152.05", "69.50", "60.00", "-9.50"]
    assert ids(table, "Persons in ES-EE, ES-NbN, and SH", 0) == client_ids(coc, "Ben", "Cal", "Dot", "Eve", "Fay", "Oz")
    assert ids(table, "Persons in ES-EE, ES-NbN, and SH", 1) == client_ids(coc, "Ann", "Ben", "Cal", "Dot", "Eve", "Ivy",
                                                                    "Jay", "Kim")
    assert ids(table, "Persons in ES-EE, ES-NbN, SH, and TH", 1) == client_ids(coc, "Ann", "Ben", "Cal", "Dot", "Eve", "Ivy",
                                                                         "Jay", "Kim", "Lou")


def test_h4_measure_1b_adds_3917_and_ph_nights_before_move_in(coc):
    table = report(coc)["1b"]
    rows = counts(table)
    # 1.1: Ann 90 (3.917), Ben 132, Cal 700, Dot 2562 (her 3.917 ignored), Eve 14 (3.917 to
    # her first bed night), Gus 43 (PH before move-in + 3.917), Ivy 31, Jay 5, Kim 1: 9
    # persons, 3578 nights, average 397.56, median 43 (Gus). Hal is not literally homeless
    # at entry; Lou's TH does not count on 1.1.
    assert rows["Persons in ES-EE, ES-NbN, SH, and PH"] == [6, 9, "652.50", "397.56", "-254.94", "217.00", "43.00",
                                                     "-174.00"]
    # 1.2: as 1.1 but Jay 40 and Lou 153: 10 persons, 3766 nights, average 376.60, median
    # (43 + 90) / 2 = 66.50.
    assert rows["Persons in ES-EE, ES-NbN, SH, TH, and PH"] == [6, 10, "652.50", "376.60", "-275.90", "217.00", "66.50",
                                                         "-150.50"]
    assert ids(table, "Persons in ES-EE, ES-NbN, SH, and PH", 1) == client_ids(
        coc, "Ann", "Ben", "Cal", "Dot", "Eve", "Gus", "Ivy", "Jay", "Kim")


def test_h4_measure_1_nights_per_person(coc):
    """The same persons one at a time, through the building blocks the tables use."""
    coc_projects = Project.objects.filter(coc=coc.coc1, project_type__in=spm.SPM_TYPES)
    housed = spm.effective_move_ins(coc_projects, END)
    stays = spm.read_stays(coc_projects, START, END, 0, 10**12, housed)
    rows = [row for code in ("1a", "1b") for row in spm.M1_ROWS[code]]

    def nights(name):
        return [spm.days_homeless(stays.get(coc.people[name].pk, []), row, START, END) for row in rows]

    # 1a.1, 1a.2, 1b.1, 1b.2 (None: not in the row)
    assert nights("Ann") == [60, 60, 90, 90]
    assert nights("Ben") == [132, 132, 132, 132]
    assert nights("Cal") == [700, 700, 700, 700]
    assert nights("Dot") == [2562, 2562, 2562, 2562]
    assert nights("Eve") == [4, 4, 14, 14]
    assert nights("Fay") == [None, None, None, None]
    assert nights("Gus") == [None, None, 43, 43]
    assert nights("Hal") == [None, None, None, None]
    assert nights("Ivy") == [31, 31, 31, 31]
    assert nights("Jay") == [5, 40, 5, 40]
    assert nights("Kim") == [1, 1, 1, 1]
    assert nights("Lou") == [None, 122, None, 153]
    assert nights("Max") == [None, None, None, None]
    assert nights("Nia") == [None, None, None, None]  # Measure 2 persons: no night in the period


def test_h4_measure_2_returns_across_projects_and_agencies(coc):
    table = report(coc)["2"]
    rows = counts(table)
    # Exited to PH, then returns < 6 months, %, 6-12 months, %, 13-24 months, %, in 2 years, %.
    assert rows["Exit was from SO"] == [1, 0, "0.00%", 0, "0.00%", 0, "0.00%", 0, "0.00%"]  # Rex, no return
    # Oz (349 days: the PSH start 9 days after the exit is not a return) and Uma (TH after 4 days).
    assert rows["Exit was from ES"] == [2, 1, "50.00%", 1, "50.00%", 0, "0.00%", 2, "100.00%"]
    assert rows["Exit was from TH"] == [1, 1, "100.00%", 0, "0.00%", 0, "0.00%", 1, "100.00%"]  # Pia, PSH after 19 days
    assert rows["Exit was from SH"] == [1, 0, "0.00%", 0, "0.00%", 1, "100.00%", 1, "100.00%"]  # Sam, day 730
    # Nia (agency A's RRH, back in agency B's shelter after 51 days) and Quin (two PH
    # transfers, then outreach after 426 days).
    assert rows["Exit was from PH"] == [2, 1, "50.00%", 0, "0.00%", 1, "50.00%", 2, "100.00%"]
    # 7 persons (not Tia: no permanent exit in the window; not Wren: another CoC's exit);
    # 3/7 = 42.86%, 1/7 = 14.29%, 2/7 = 28.57%, 6/7 = 85.71%.
    assert rows["TOTAL Returns to Homelessness"] == [7, 3, "42.86%", 1, "14.29%", 2, "28.57%", 6, "85.71%"]
    assert ids(table, "Exit was from PH", 1) == client_ids(coc, "Nia")
    assert ids(table, "Exit was from PH", 5) == client_ids(coc, "Quin")
    assert ids(table, "TOTAL Returns to Homelessness", 0) == client_ids(coc, "Nia", "Oz", "Pia", "Quin", "Rex",
                                                                        "Sam", "Uma")


def test_h4_measure_3_2_sheltered_persons(coc):
    table = report(coc)["3.2"]
    assert table.columns == ["", "Previous FY", "Current FY", "Difference"]
    rows = counts(table)
    # Previous FY, current FY, difference. Current: ES Ann, Ben, Cal, Dot, Eve (a bed night in
    # the period), Ivy, Jay; not Fay (her only bed night is before it) nor Max (a same-day
    # stay has no night). SH: Kim. TH: Jay, Lou. Previous: ES Ben, Cal, Dot, Eve, Fay, Oz.
    assert rows["Emergency Shelter Total"] == [6, 7, 1]
    assert rows["Safe Haven Total"] == [0, 1, 1]
    assert rows["Transitional Housing Total"] == [0, 2, 2]
    # Unduplicated: Jay, in ES and TH, once: 9.
    assert rows["Universe: Unduplicated Total sheltered persons"] == [6, 9, 3]
    assert ids(table, "Emergency Shelter Total", 0) == client_ids(coc, "Ben", "Cal", "Dot", "Eve", "Fay", "Oz")
    assert ids(table, "Emergency Shelter Total", 1) == client_ids(coc, "Ann", "Ben", "Cal", "Dot", "Eve", "Ivy", "Jay")


def test_h4_spm_csv_layout(coc):
    """Each table as the report writes it (runner.table_csv): the header row, then one row a line."""
    files = {code: by_label(list(csv.reader(runner.table_csv(runner.serialize(t)).splitlines())))
             for code, t in report(coc).items()}
    assert files["3.2"]["Safe Haven Total"] == ["0", "1", "1"]
    assert files["2"]["Exit was from SO"][:2] == ["1", "0"]


def test_h4_spm_batches_give_the_same_tables(coc, monkeypatch):
    """Reading the stays a few clients at a time (here one client key per batch) changes nothing."""
    whole = {code: counts(t) for code, t in report(coc).items()}
    monkeypatch.setattr(spm, "BATCH", 1)
    assert {code: counts(t) for code, t in report(coc).items()} == whole
    # Progress after each batch, ending at 100%.
    calls = []
    spm.build(Project.objects.filter(coc=coc.coc1), START, END, progress=lambda done, total: calls.append(done / total))
    assert len(calls) > 20 and calls == sorted(calls) and calls[-1] == 1


def test_h4_spm_viewer_keeps_the_coc_numbers_and_sees_only_its_clients(coc):
    """Agency B's reporting-only user: the numbers are the CoC's; the Client IDs only those
    B may see: B's own clients and agency A's clients shared in full, not Ann and Nia, whose
    records are locked to agency A."""
    t = coc
    viewer = Viewer(t.reporter_b, License.objects.get(user=t.reporter_b), for_reports=True)
    tables = report(t, viewer)
    one_b = tables["1b"]
    assert counts(one_b)["Persons in ES-EE, ES-NbN, SH, and PH"][1] == 9
    seen = client_ids(t, "Ben", "Cal", "Dot", "Eve", "Gus", "Ivy", "Jay", "Kim")  # not Ann
    assert ids(one_b, "Persons in ES-EE, ES-NbN, SH, and PH", 1) == seen
    assert ids(one_b, "Persons in ES-EE, ES-NbN, SH, and PH", 3) == seen  # the average's drill-down
    two = tables["2"]
    assert counts(two)["Exit was from PH"][:2] == [2, 1]
    assert ids(two, "Exit was from PH", 0) == client_ids(t, "Quin")
    assert ids(two, "Exit was from PH", 1) == set()  # Nia alone returned within 6 months
    assert counts(tables["3.2"])["Emergency Shelter Total"] == [6, 7, 1]
    assert ids(tables["3.2"], "Emergency Shelter Total", 1) == client_ids(t, "Ben", "Cal", "Dot", "Eve", "Ivy", "Jay")


# --- The building blocks on their own ----------------------------------------------------------------


def _stay(kind, entry, exit_date=None, **fields):
    values = dict(pk=1, client=1, client_id="X", project_type=kind, entry=entry, exit=exit_date, destination=None,
                  move_in=None, household="H", project=1, head=True, living_situation=None, los_under_threshold=None,
                  previous_street_essh=None, date_to_street_essh=None)
    return Stay(**(values | fields))


def test_h4_spm_lookback_and_return_window():
    assert spm.lookback_date(START) == D(2018, 10, 1)
    assert spm.lookback_date(D(2024, 2, 29)) == D(2017, 2, 28)  # no 29 February in 2017
    # 730 days, not two years: 2024's leap day makes the window end on 09/30/2024, not 10/01/2024.
    assert spm.return_window(START, END) == (D(2023, 10, 2), D(2024, 9, 30))


def test_h4_spm_project_groups(coc):
    groups = spm.project_groups(Project.objects.filter(coc=coc.coc1))
    assert groups["ES entry-exit"] == {coc.shelter_a.pk, coc.shelter_v.pk, coc.shelter_b.pk}
    assert groups["ES night-by-night"] == {coc.nbn_a.pk}
    assert groups["SO"] == {coc.outreach_a.pk}
    assert groups["PSH"] == {coc.housing_b.pk} and groups["RRH"] == {coc.rrh_a.pk} and groups["OPH"] == set()
    assert coc.protected_b.pk not in set().union(*groups.values())  # services only (6): not in the SPM


def test_h4_spm_literally_homeless_at_entry():
    # ES, SH and SO always; TH and PH from a homeless situation, or from an institutional or
    # temporary/permanent one for a short stay right after the street, ES or SH.
    assert spm.literally_homeless_at_entry(_stay(0, START))
    assert spm.literally_homeless_at_entry(_stay(3, START, living_situation=116))
    assert spm.literally_homeless_at_entry(_stay(13, START, living_situation=215, los_under_threshold=1,
                                                 previous_street_essh=1))
    assert spm.literally_homeless_at_entry(_stay(2, START, living_situation=410, los_under_threshold=1,
                                                 previous_street_essh=1))
    assert not spm.literally_homeless_at_entry(_stay(3, START, living_situation=410, los_under_threshold=1,
                                                     previous_street_essh=0))
    assert not spm.literally_homeless_at_entry(_stay(3, START, living_situation=None))


def test_h4_spm_3917_reaches_before_the_lookback_when_the_stay_starts_after_it():
    """Spec step 5a: a stay that starts on or after the lookback stop date takes every night
    from the 3.917 date up to and including its start, even from before the lookback date."""
    lookback = spm.lookback_date(START)
    s = _stay(0, D(2018, 10, 5), date_to_street_essh=D(2018, 9, 1))
    assert spm.self_reported_nights(s, lookback) == [[D(2018, 9, 1).toordinal(), D(2018, 10, 5).toordinal()]]
    assert spm.self_reported_nights(_stay(0, D(2018, 9, 30), date_to_street_essh=D(2018, 9, 1)), lookback) == []
    nbn = _stay(1, D(2025, 9, 1), date_to_street_essh=D(2025, 8, 1), bed_nights=[D(2025, 9, 3), D(2025, 9, 9)])
    assert spm.self_reported_nights(nbn, lookback) == [[D(2025, 8, 1).toordinal(), D(2025, 9, 3).toordinal()]]


def test_h4_spm_episode_keeps_a_run_crossing_the_client_start_date():
    end = D(2026, 6, 30).toordinal()
    crossing = [end - 400, end - 300]  # runs across the client start date (end - 365): kept whole
    before = [end - 900, end - 800]  # ends before the client start date: dropped
    assert spm.episode(spm.merged([before, crossing, [end, end]])) == [crossing, [end, end]]
    on_start = [end - 370, end - 365]  # ends on the client start date itself: dropped
    assert spm.episode([on_start, [end - 10, end]]) == [[end - 10, end]]
    assert spm.without([[1, 10]], [[3, 4], [8, 20]]) == [[1, 2], [5, 7]]


def test_h4_spm_stay_nights_and_housed_nights():
    o = date.toordinal
    # Entry-exit: the start to the day before the exit; an open stay to the report end.
    assert spm.stay_nights(_stay(0, D(2026, 9, 1), D(2026, 9, 3)), END) == [[o(D(2026, 9, 1)), o(D(2026, 9, 2))]]
    assert spm.stay_nights(_stay(2, D(2026, 9, 20)), END) == [[o(D(2026, 9, 20)), o(END)]]
    # PH: only the nights before the move-in; from the move-in on they are housed.
    ph = _stay(3, D(2026, 9, 1), D(2026, 9, 20), move_in=D(2026, 9, 5))
    assert spm.stay_nights(ph, END) == [[o(D(2026, 9, 1)), o(D(2026, 9, 4))]]
    assert spm.housed_nights(ph, END) == [[o(D(2026, 9, 5)), o(D(2026, 9, 19))]]
    # TH nights are housed too (they negate ES/SH nights on the x.1 rows); ES nights never.
    assert spm.housed_nights(_stay(2, D(2026, 9, 1), D(2026, 9, 2)), END) == [[o(D(2026, 9, 1)), o(D(2026, 9, 1))]]
    assert spm.housed_nights(_stay(0, D(2026, 9, 1)), END) == []
    # Night-by-night: recorded bed nights only, consecutive ones joined; one on the exit date
    # is a data-entry error and one after the report end is not yet.
    nbn = _stay(1, D(2026, 9, 1), D(2026, 9, 10), bed_nights=[D(2026, 9, 2), D(2026, 9, 3), D(2026, 9, 6),
                                                              D(2026, 9, 10)])
    assert spm.stay_nights(nbn, END) == [[o(D(2026, 9, 2)), o(D(2026, 9, 3))], [o(D(2026, 9, 6))] * 2]
    assert spm.stay_nights(_stay(1, D(2026, 9, 1), bed_nights=[D(2026, 10, 1)]), END) == []
