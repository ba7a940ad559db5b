"""H4: the general rules of HUD's FY2026 APR/CAPER/Data Quality programming specifications
(reports/hud/SPEC_APR_CAPER.md), each on its own hand-built case. Every expected cell is
stated and explained: the reporting period is 01/01/2026 to 06/30/2026 throughout."""

import csv
import io
import itertools
from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import Project, ProjectCoc
from clients.models import Client
from enrollments.models import Assessment, CurrentLivingSituation, Enrollment, Service
from reports.hud import tables
from tests.clients.states import make_client
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 6, 30)
# Household-type columns: Total, Without Children, With Children and Adults, With Only Children, Unknown.
_ssns = itertools.count(1)


def person(t, first, born=date(1980, 1, 1), *, user=None, project=None, **fields):
    """A client made through intake (a valid SSN, full DOB), then given the values the
    case needs directly, as an import could have recorded them."""
    made = make_client(user or t.worker_a, project=project or t.shelter_a, first=first, last="Rulecase",
                       ssn=f"3124{next(_ssns):05d}")
    Client.objects.filter(pk=made.pk).update(dob=born, **fields)
    made.refresh_from_db()
    return made


def stay(t, client, project, household, entry, exit_date=None, head=True, **fields):
    return Enrollment.objects.create(
        client=client, project=project, household_id=household, relationship_to_hoh=1 if head else 2,
        enrollment_coc=t.coc1.code, entry_date=entry, information_date=entry, exit_date=exit_date,
        entered_by=t.worker_a, agency=project.agency, **({"disabling_condition": 0} | fields))


def bed_nights(t, enrollment, *days):
    for day in days:
        Service.objects.create(enrollment=enrollment, date_provided=day, information_date=day, entered_by=t.worker_a,
                               agency=enrollment.agency)


def contacts(t, enrollment, *days):
    for day in days:
        CurrentLivingSituation.objects.create(enrollment=enrollment, information_date=day, current_living_situation=116,
                                              entered_by=t.worker_a, agency=enrollment.agency)


def built(kind, *projects):
    """The report through tables.build: {code: {row label: [cell counts]}}."""
    chosen = Project.objects.filter(pk__in=[p.pk for p in projects])
    return {table.code: {label: [c.count for c in cells] for label, cells in table.rows}
            for table in tables.build(kind, chosen, START, END)}


def ids(kind, code, label, *projects, column=0):
    chosen = Project.objects.filter(pk__in=[p.pk for p in projects])
    table = next(t for t in tables.build(kind, chosen, START, END) if t.code == code)
    return next(cells for row_label, cells in table.rows if row_label == label)[column].ids


def written(tmp_path, kind, *projects):
    """The report through `manage.py hud_report ... --out DIR`: {code: [CSV rows]}."""
    call_command("hud_report", kind, "--projects", *[str(p.pk) for p in projects], "--start", START.isoformat(),
                 "--end", END.isoformat(), "--out", str(tmp_path), stdout=io.StringIO())
    return {path.stem: list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            for path in tmp_path.glob("*.csv")}


def by_label(rows):
    return {row[0]: row[1:] for row in rows[1:]}


def nbn_shelter(t):
    return ProjectFactory(agency=t.agency_a, coc=t.coc1, name="A Night Shelter", project_type=1)


# --- 1. Date of birth -------------------------------------------------------------------------------------


@pytest.fixture
def births(tenancy):
    """In A Shelter (entry-exit), stays from 02/01/2026 unless said, all still there:
    - Dk (no date, quality 8 "doesn't know") and Pn (no date, 9 "prefers not"), alone;
    - Nc: no date, quality 99, alone;
    - Qx: born 01/01/1990 but quality 99, head of household HX, with Bad, a child whose
      date of birth (04/01/2026) is after his own project start (03/01/2026);
    - Ok: born 01/01/1985, quality 1, alone;
    - Mo (born 1995, head, since 01/10/2026) and her newborn Nb, born 03/05/2026 after the
      household's start, who joined the stay on the day of his birth."""
    t = tenancy
    feb = date(2026, 2, 1)
    stay(t, person(t, "Dk", None, dob_data_quality=8), t.shelter_a, "HDK", feb)
    stay(t, person(t, "Pn", None, dob_data_quality=9), t.shelter_a, "HPN", feb)
    stay(t, person(t, "Nc", None, dob_data_quality=99), t.shelter_a, "HNC", feb)
    stay(t, person(t, "Qx", date(1990, 1, 1), dob_data_quality=99), t.shelter_a, "HX", feb)
    stay(t, person(t, "Bad", date(2026, 4, 1)), t.shelter_a, "HX", date(2026, 3, 1), head=False)
    stay(t, person(t, "Ok", date(1985, 1, 1)), t.shelter_a, "HOK", feb)
    stay(t, person(t, "Mo", date(1995, 6, 1)), t.shelter_a, "HMO", date(2026, 1, 10))
    stay(t, person(t, "Nb", date(2026, 3, 5)), t.shelter_a, "HMO", date(2026, 3, 5), head=False)
    return t


def test_h4_dob_quality_counted_once_and_newborns_are_not_issues(births):
    q6a = built("dq", births.shelter_a)["Q6a"]
    # Doesn't know / prefers not, missing, issues, total, rate:
    # - DK/PNTA: Dk and Pn (no date, quality 8/9), each once and not also "missing": 2.
    # - Missing: Nc only (no date, quality 99): 1. Qx has a date, so is not missing.
    # - Issues: Qx (a date with quality 99 contradicts itself) and Bad (born after his own
    #   project start). Nb, born after the household's start but not before his own start,
    #   is no issue: 2.
    # - Total 5 of the 8 persons served = 62.50%.
    assert q6a["Date of Birth"] == [2, 1, 2, 5, "62.50%"]


def test_h4_age_comes_from_the_date_of_birth_whatever_its_quality(births):
    report = built("apr", births.shelter_a)
    q7a = report["Q7a"]
    # Households: HX = Qx (adult) + Bad (age unknown: born after the date he is aged at) ->
    # unknown; HOK = Ok -> adults only; HMO = Mo + Nb -> with children and adults; Dk, Pn,
    # Nc alone, age unknown -> unknown.
    # Adults: Qx (36 on 02/01/2026 though DOB quality 99: HUD ages from the date), Ok, Mo.
    assert q7a["Adults"] == [3, 1, 1, 0, 1]
    assert q7a["Children"] == [1, 0, 1, 0, 0]  # Nb, aged 0 at his start
    assert q7a["Client Doesn't Know/Prefers Not to Answer"] == [2, 0, 0, 0, 2]  # Dk, Pn
    assert q7a["Data Not Collected"] == [2, 0, 0, 0, 2]  # Nc (quality 99) and Bad (a negative age is unknown)
    assert q7a["Total"] == [8, 1, 2, 0, 5]
    q5a = report["Q5a"]
    assert q5a["Number of adults (age 18 or over)"] == [3, 3]
    assert q5a["Number of persons with unknown age"] == [4, 4]  # Dk, Pn, Nc, Bad


# --- 2. SSN -----------------------------------------------------------------------------------------------


def test_h4_ssn_rules_unit():
    assert tables.ssn_is_valid("312450001")
    assert tables.ssn_is_valid("121212121")  # zig-zag, not a sequence: HUD's text does not exclude it
    for invalid in ("000123456", "666123456", "912345678", "312001234", "312450000", "555555555", "123456789",
                    "987654321", "345678901", "890123456", "078051120", "219099999", "31245678", "3124500011", ""):
        assert not tables.ssn_is_valid(invalid), invalid


def test_h4_invalid_ssn_patterns_are_data_issues(tenancy, tmp_path):
    """17 persons alone in A Shelter since 02/01/2026, read through `manage.py hud_report`."""
    t = tenancy
    stored = {
        # quality 1 (full) with numbers HUD's rules call invalid: 11 data issues
        "Area000": "000123456", "Area666": "666123456", "Area900": "912345678", "Group00": "312001234",
        "Serial0": "312450000", "Same": "555555555", "Up": "123456789", "Down": "987654321", "Wrap": "345678901",
        "Voided": "078051120", "Short": "31245678",
        # valid: no issue
        "Fine": "312450001", "Zigzag": "121212121",
        # quality 1 but no number: missing
        "Blank": "",
    }
    for n, (first, digits) in enumerate(stored.items()):
        client = person(t, first)
        client.set_ssn(digits)
        Client.objects.filter(pk=client.pk).update(ssn_encrypted=client.ssn_encrypted)
        stay(t, client, t.shelter_a, f"S{n}", date(2026, 2, 1))
    stay(t, person(t, "Approx", ssn_data_quality=2), t.shelter_a, "SA", date(2026, 2, 1))   # partial: an issue
    stay(t, person(t, "Unsure", ssn_data_quality=8), t.shelter_a, "SU", date(2026, 2, 1))   # doesn't know
    stay(t, person(t, "Nocoll", ssn_data_quality=99), t.shelter_a, "SN", date(2026, 2, 1))  # not collected: missing
    q6a = by_label(written(tmp_path, "dq", t.shelter_a)["Q6a"])
    # DK/PNTA 1 (Unsure); missing 2 (Blank, Nocoll); issues 12 (the 11 invalid numbers and
    # Approx); total 15 of 17 = 88.24%, written as HUD's CSV does: 0.8824.
    assert q6a["Social Security Number"] == ["1", "2", "12", "15", "0.8824"]


# --- 3. Move-in dates ------------------------------------------------------------------------------------


def test_h4_move_in_after_the_report_end_is_not_counted(tenancy):
    """In B Housing (PSH):
    - HA: Hana (head) and her son Hugo (born 2015) from 02/01/2026, moved in 03/01/2026;
    - HB: Ivo from 03/01/2026, move-in recorded as 07/15/2026, after the report end;
    - HC: Jin from 02/01/2026, move-in 01/15/2026, before his start: disregarded;
    - HD: Kai from 01/05/2026, moved in 02/01/2026; Lu, an adult, joined 04/01/2026 after
      the move-in, so her own start is her move-in."""
    t = tenancy
    b = dict(user=t.worker_b, project=t.housing_b)
    feb = date(2026, 2, 1)
    stay(t, person(t, "Hana", **b), t.housing_b, "HA", feb, move_in_date=date(2026, 3, 1))
    stay(t, person(t, "Hugo", date(2015, 1, 1), **b), t.housing_b, "HA", feb, head=False)
    stay(t, person(t, "Ivo", **b), t.housing_b, "HB", date(2026, 3, 1), move_in_date=date(2026, 7, 15))
    stay(t, person(t, "Jin", **b), t.housing_b, "HC", feb, move_in_date=date(2026, 1, 15))
    stay(t, person(t, "Kai", **b), t.housing_b, "HD", date(2026, 1, 5), move_in_date=feb)
    stay(t, person(t, "Lu", **b), t.housing_b, "HD", date(2026, 4, 1), head=False)
    report = built("apr", t.housing_b)
    q8a = report["Q8a"]
    assert q8a["Total Households"] == [4, 3, 1, 0, 0]  # HB, HC, HD adults only; HA with a child
    # Moved in: HA and HD; not HB (after the report end) nor HC (before the start).
    assert q8a["For PSH & RRH – the total households served who moved into housing"] == [2, 1, 1, 0, 0]
    # Persons: Hana and Hugo (with the head's date), Kai, and Lu (her own start).
    assert report["Q7a"]["For PSH & RRH – the total persons served who moved into housing"] == [4, 2, 2, 0, 0]


# --- 4. Length of participation ---------------------------------------------------------------------------


@pytest.fixture
def lengths(tenancy):
    """A Shelter (entry-exit) and A Night Shelter (night-by-night), one person a household:
    - Sam, stayer from 05/31/2026: 05/31 to 06/30 and the end day = 31 days;
    - Ned, stayer from 01/01/2026: 181 days (the whole half year);
    - Lee, 03/01 to 03/31/2026: 30 days (the exit day is not a day in the project);
    - Mo, in and out on 04/10/2026: 0 days;
    - Pia, 01/01 to 01/09/2026: 8 days;
    - Ola, night-by-night stayer from 01/01/2026 with bed nights on 02/01, 02/02 (twice)
      and 05/01, and one after the report end (07/02): 3 distinct nights."""
    t = tenancy
    nbn = nbn_shelter(t)
    stay(t, person(t, "Sam"), t.shelter_a, "L1", date(2026, 5, 31))
    stay(t, person(t, "Ned"), t.shelter_a, "L2", date(2026, 1, 1))
    stay(t, person(t, "Lee"), t.shelter_a, "L3", date(2026, 3, 1), date(2026, 3, 31), destination=410)
    stay(t, person(t, "Mo"), t.shelter_a, "L4", date(2026, 4, 10), date(2026, 4, 10), destination=410)
    stay(t, person(t, "Pia"), t.shelter_a, "L5", date(2026, 1, 1), date(2026, 1, 9), destination=410)
    ola = stay(t, person(t, "Ola"), nbn, "L6", date(2026, 1, 1))
    bed_nights(t, ola, date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 2), date(2026, 5, 1), date(2026, 7, 2))
    return t, nbn


def test_h4_length_of_participation_counts_the_report_end_day_for_stayers(lengths):
    t, nbn = lengths
    q22 = built("apr", t.shelter_a, nbn)["Q22a1"]
    # Total, leavers, stayers
    assert q22["30 days or less"] == [4, 3, 1]   # Lee 30, Mo 0, Pia 8 (leavers); Ola 3 bed nights (stayer)
    assert q22["31 to 60 days"] == [1, 0, 1]     # Sam, 31 days: on the boundary, not one band low
    assert q22["91 to 180 days"] == [0, 0, 0]
    assert q22["181 to 365 days"] == [1, 0, 1]   # Ned, 181 days
    assert q22["Total"] == [6, 3, 3]


def test_h4_caper_has_q22a2_with_weekly_bands(lengths, tmp_path):
    t, nbn = lengths
    files = written(tmp_path, "caper", t.shelter_a, nbn)
    assert "Q22a2" in files and "Q22a1" not in files
    assert files["Q22a2"][0] == ["", "Total", "Leavers", "Stayers"]
    q22 = by_label(files["Q22a2"])
    assert q22["0 to 7 days"] == ["2", "1", "1"]     # Mo 0 (leaver), Ola 3 nights (stayer)
    assert q22["8 to 14 days"] == ["1", "1", "0"]    # Pia 8
    assert q22["15 to 21 days"] == ["0", "0", "0"]
    assert q22["22 to 30 days"] == ["1", "1", "0"]   # Lee 30
    assert q22["31 to 60 days"] == ["1", "0", "1"]   # Sam 31
    assert q22["181 to 365 days"] == ["1", "0", "1"]  # Ned 181
    assert q22["Total"] == ["6", "3", "3"]


# --- 5. Q6f inactive records -----------------------------------------------------------------------------


def test_h4_q6f_inactive_records(tenancy):
    """The last 90 days of the period run from 04/01/2026 (06/30 − 90 days).
    A Outreach (street outreach), adults alone, all engaged and contacted in the period:
    - So1 from 01/05/2026, contacts 01/05 and 03/15: none since 04/01 -> inactive;
    - So2 from 01/05/2026, a contact on 04/01, exactly 90 days before the end -> active;
    - So3 from 04/15/2026: less than 90 days in the project -> not counted;
    - So4 left on 05/01/2026: not a stayer -> not counted;
    - So5 from 10/01/2025, a contact on 02/01 and engaged on 05/01/2026: the engagement is a
      contact -> active.
    A Night Shelter (night-by-night):
    - Nb1 from 01/02/2026, bed nights 01/10 and 03/31 -> inactive;
    - Nb2 from 01/02/2026, a bed night on 06/30 -> active;
    - Nb3 from 05/01/2026: too recent -> not counted."""
    t = tenancy
    nbn = nbn_shelter(t)
    so = t.outreach_a
    jan5 = date(2026, 1, 5)
    contacts(t, stay(t, person(t, "So1"), so, "O1", jan5, date_of_engagement=jan5), jan5, date(2026, 3, 15))
    contacts(t, stay(t, person(t, "So2"), so, "O2", jan5, date_of_engagement=jan5), date(2026, 4, 1))
    contacts(t, stay(t, person(t, "So3"), so, "O3", date(2026, 4, 15), date_of_engagement=date(2026, 4, 15)),
             date(2026, 4, 15))
    contacts(t, stay(t, person(t, "So4"), so, "O4", jan5, date(2026, 5, 1), date_of_engagement=jan5, destination=116),
             jan5)
    contacts(t, stay(t, person(t, "So5"), so, "O5", date(2025, 10, 1), date_of_engagement=date(2026, 5, 1)),
             date(2026, 2, 1))
    bed_nights(t, stay(t, person(t, "Nb1"), nbn, "N1", date(2026, 1, 2)), date(2026, 1, 10), date(2026, 3, 31))
    bed_nights(t, stay(t, person(t, "Nb2"), nbn, "N2", date(2026, 1, 2)), date(2026, 6, 30))
    bed_nights(t, stay(t, person(t, "Nb3"), nbn, "N3", date(2026, 5, 1)), date(2026, 5, 1))
    q6f = built("dq", so, nbn)["Q6f"]
    # records, inactive records, rate
    assert q6f["Contact (Adults and Heads of Household in Street Outreach or PATH-funded SSO)"] == [3, 1, "33.33%"]
    assert q6f["Bed Night (All clients in ES - NBN)"] == [2, 1, "50.00%"]


# --- 6. Street outreach and night-by-night universes --------------------------------------------------


def test_h4_street_outreach_and_night_by_night_universe(tenancy):
    """A Outreach, adults alone:
    - Eng: engaged 03/01/2026, contact 03/01 -> in;
    - Late: contact 03/01 but engaged 07/05/2026, after the report end -> out;
    - Never: contact 03/01, never engaged -> out;
    - Quiet: engaged 11/01/2025, only contact 11/01/2025, still enrolled -> out (no contact in
      the period);
    - Left: engaged and contacted 11/01/2025, exited 02/01/2026 -> in (an exit in the period
      makes the stay active);
    - OnEnd: engaged and contacted on 06/30/2026, the report end -> in.
    A Night Shelter, all from 12/01/2025:
    - Bed: a bed night on 02/01/2026 -> in;
    - NoBed: only a bed night on 12/15/2025, still enrolled -> out;
    - Exited: a bed night on 12/15/2025, exit 01/10/2026 -> in;
    - AfterEnd: only a bed night on 07/02/2026 -> out."""
    t = tenancy
    nbn = nbn_shelter(t)
    so = t.outreach_a
    mar1, nov1 = date(2026, 3, 1), date(2025, 11, 1)
    expected = set()
    eng = person(t, "Eng")
    contacts(t, stay(t, eng, so, "U1", mar1, date_of_engagement=mar1), mar1)
    contacts(t, stay(t, person(t, "Late"), so, "U2", mar1, date_of_engagement=date(2026, 7, 5)), mar1)
    contacts(t, stay(t, person(t, "Never"), so, "U3", mar1), mar1)
    contacts(t, stay(t, person(t, "Quiet"), so, "U4", nov1, date_of_engagement=nov1), nov1)
    left = person(t, "Left")
    contacts(t, stay(t, left, so, "U5", nov1, date(2026, 2, 1), date_of_engagement=nov1, destination=116), nov1)
    on_end = person(t, "OnEnd")
    contacts(t, stay(t, on_end, so, "U6", END, date_of_engagement=END), END)
    dec1 = date(2025, 12, 1)
    bed = person(t, "Bed")
    bed_nights(t, stay(t, bed, nbn, "U7", dec1), date(2026, 2, 1))
    bed_nights(t, stay(t, person(t, "NoBed"), nbn, "U8", dec1), date(2025, 12, 15))
    exited = person(t, "Exited")
    bed_nights(t, stay(t, exited, nbn, "U9", dec1, date(2026, 1, 10), destination=101), date(2025, 12, 15))
    bed_nights(t, stay(t, person(t, "AfterEnd"), nbn, "U10", dec1), date(2026, 7, 2))
    expected = {c.client_id for c in (eng, left, on_end, bed, exited)}
    assert ids("apr", "Q5a", "Total number of persons served", so, nbn) == expected  # 5 persons
    q5a = built("apr", so, nbn)["Q5a"]
    # Column C counts street outreach clients contacted in the period though not engaged by
    # its end (Late, Never): stayers both.
    assert q5a["Number of leavers"] == [2, 2]  # Left, Exited
    assert q5a["Number of stayers"] == [3, 5]  # Eng, OnEnd, Bed; and Late, Never


# --- 7. Positive destinations by project type ----------------------------------------------------------


def test_h4_positive_destinations_depend_on_the_project_type(tenancy):
    """Leavers on 03/01/2026, one person a household, by destination:
    - A Outreach (street outreach): 101 shelter and 410 rental are positive from the street;
      206 hospital and 329 residential project are excluded; 116 street is not positive;
    - A Shelter (ES): 410 and 332 Host Home are positive; 215 foster care is excluded; 101
      and 314 hotel are not positive;
    - B Housing (PSH): 422 family, permanent, is positive; 332 is not (permanent only)."""
    t = tenancy
    mar1, jan5 = date(2026, 3, 1), date(2026, 1, 5)
    for n, code in enumerate((101, 410, 206, 329, 116)):
        contacts(t, stay(t, person(t, f"Out{code}"), t.outreach_a, f"D{n}", jan5, mar1, date_of_engagement=jan5,
                         destination=code), jan5)
    for n, code in enumerate((410, 332, 215, 101, 314)):
        stay(t, person(t, f"Es{code}"), t.shelter_a, f"E{n}", jan5, mar1, destination=code)
    for n, code in enumerate((422, 332)):
        stay(t, person(t, f"Ph{code}", user=t.worker_b, project=t.housing_b), t.housing_b, f"P{n}", jan5, mar1,
             destination=code)
    q23c = built("apr", t.outreach_a, t.shelter_a, t.housing_b)["Q23c"]
    assert q23c["Total"][0] == 12
    # SO 101, SO 410, ES 410, ES 332, PSH 422
    assert q23c["Total persons exiting to positive housing destinations"][0] == 5
    # SO 206, SO 329, ES 215
    assert q23c["Total persons whose destinations excluded them from the calculation"][0] == 3
    assert q23c["Percentage"][0] == "55.56%"  # 5 / (12 − 3)
    assert q23c["Residential project or halfway house with no homeless criteria"][0] == 1  # 329
    assert q23c["Hotel or motel paid for without emergency shelter voucher"][0] == 1  # 314
    assert q23c["Host Home (non-crisis)"][0] == 2  # 332 twice


# --- 8. Q4a ------------------------------------------------------------------------------------------------


def test_h4_q4a_has_hud_columns_and_the_project_type_code(tenancy, tmp_path):
    """B Housing (PSH, project type 3) in TS-500 at geocode 291234, one client (a household
    of one) from 02/01/2026, no access point, no affiliation, not a victim service provider."""
    t = tenancy
    ProjectCoc.objects.create(project=t.housing_b, coc_code="TS-500", geocode="291234")
    stay(t, person(t, "Quin", user=t.worker_b, project=t.housing_b), t.housing_b, "Q1", date(2026, 2, 1))
    rows = written(tmp_path, "apr", t.housing_b)["Q4a"]
    assert rows[0] == tables.Q4A_COLUMNS and len(rows[0]) == 17
    assert rows[1] == ["Agency B", str(t.agency_b.pk), "B Housing", str(t.housing_b.pk), "3", "", "0", "", "",
                       "TS-500", "291234", "0", "Open HMIS", "2026-01-01", "2026-06-30", "1", "1"]


# --- 9. Chronic homelessness ------------------------------------------------------------------------------


def test_h4_chronic_homelessness_uses_disability_records_and_extends_to_the_household(tenancy):
    """A Shelter (entry-exit: no prior-living-situation test) unless said; starts 02/01/2026:
    - CH1: Ava (head) answered 3.08 "no", but her start assessment records a mental health
      disorder of long duration that impairs independent living: disabled; homeless since
      12/01/2024, over a year -> chronically homeless. Her partner Cy (no disability) and son
      Bo (born 2018), who started with her, take her status. Di (born 2019), who joined
      03/01/2026, keeps her own (no disability: not chronic).
    - Eli: disabled (3.08 yes), homeless since 06/01/2025, but 4+ times totalling 12 months
      (112) in three years -> chronic.
    - Fay: disabled, since 03/01/2025, 4+ times but 11 months (111) -> not chronic.
    - Gus: not disabled, homeless since 2020 -> not chronic.
    - Jo: disabled, from 01/31/2025 (a stayer), homeless since 02/01/2024: 365 days but not a
      full year (2024 is a leap year), two times -> not chronic.
    B Housing (PSH: the prior living situation counts):
    - Hal: disabled, came from a psychiatric facility (204) after under 90 days, on the
      street or in shelter before it, homeless since 01/01/2024 -> chronic.
    - Ivy: disabled, came from a rental (410) where she stayed 7 nights or more, homeless
      "since 2020" -> not chronic."""
    t = tenancy
    feb = date(2026, 2, 1)
    ava = person(t, "Ava")
    ava_stay = stay(t, ava, t.shelter_a, "CH1", feb, date_to_street_essh=date(2024, 12, 1))
    Assessment.objects.create(enrollment=ava_stay, stage=1, information_date=feb, entered_by=t.worker_a,
                              agency=t.agency_a, mental_health_disorder=1, mental_health_disorder_indefinite=1)
    cy, bo, di = person(t, "Cy"), person(t, "Bo", date(2018, 1, 1)), person(t, "Di", date(2019, 1, 1))
    stay(t, cy, t.shelter_a, "CH1", feb, head=False)
    stay(t, bo, t.shelter_a, "CH1", feb, head=False)
    stay(t, di, t.shelter_a, "CH1", date(2026, 3, 1), head=False)
    eli = person(t, "Eli")
    stay(t, eli, t.shelter_a, "CH2", feb, disabling_condition=1, date_to_street_essh=date(2025, 6, 1),
         times_homeless_past_three_years=4, months_homeless_past_three_years=112)
    stay(t, person(t, "Fay"), t.shelter_a, "CH3", feb, disabling_condition=1, date_to_street_essh=date(2025, 3, 1),
         times_homeless_past_three_years=4, months_homeless_past_three_years=111)
    stay(t, person(t, "Gus"), t.shelter_a, "CH4", feb, date_to_street_essh=date(2020, 1, 1))
    stay(t, person(t, "Jo"), t.shelter_a, "CH5", date(2025, 1, 31), disabling_condition=1,
         date_to_street_essh=date(2024, 2, 1), times_homeless_past_three_years=2)
    b = dict(user=t.worker_b, project=t.housing_b)
    hal = person(t, "Hal", **b)
    stay(t, hal, t.housing_b, "CH6", feb, disabling_condition=1, living_situation=204, los_under_threshold=1,
         previous_street_essh=1, date_to_street_essh=date(2024, 1, 1))
    stay(t, person(t, "Ivy", **b), t.housing_b, "CH7", feb, disabling_condition=1, living_situation=410,
         los_under_threshold=0, date_to_street_essh=date(2020, 1, 1))
    chosen = (t.shelter_a, t.housing_b)
    # Ava, Cy, Bo (household), Eli, Hal: 5 persons.
    assert ids("apr", "Q5a", "Number of chronically homeless persons", *chosen) == {
        c.client_id for c in (ava, cy, bo, eli, hal)}
    # Q6b: Ava's 3.08 "no" contradicts her start disability record: an error (the only one:
    # everyone else answered 3.08 yes or no without a disabling record). 1 of 10.
    assert built("dq", *chosen)["Q6b"]["Disabling Condition (3.08)"] == [0, 0, 1, 1, "10.00%"]  # a data issue
    persons = {p.enrollment.client.first_name: p.chronic
               for p in tables.people(Project.objects.filter(pk__in=[p.pk for p in chosen]), START, END)}
    assert persons == {"Ava": "Y", "Cy": "Y", "Bo": "Y", "Di": "N", "Eli": "Y", "Fay": "N", "Gus": "N", "Jo": "N",
                       "Hal": "Y", "Ivy": "N"}


def test_h4_chronic_flow_outcomes_unit():
    """The Glossary's flow on single enrollments (no household): don't know / missing are
    their own outcomes, and the prior living situation gates apply outside ES, SH and SO."""
    def status(project_type=0, **fields):
        e = Enrollment(project=Project(project_type=project_type), entry_date=date(2026, 2, 1),
                       **({"disabling_condition": 1} | fields))
        return tables.chronic_at_start(e, disabled_record=False)

    assert status(disabling_condition=0) == "N"
    assert status(disabling_condition=9) == "DK"
    assert status(disabling_condition=99) == "M"
    assert tables.chronic_at_start(Enrollment(project=Project(project_type=0), entry_date=date(2026, 2, 1),
                                              disabling_condition=0, date_to_street_essh=date(2024, 1, 1)),
                                   disabled_record=True) == "Y"  # a disabling record outweighs 3.08 "no"
    assert status(date_to_street_essh=date(2025, 2, 1)) == "Y"  # exactly one year before the start
    assert status(date_to_street_essh=date(2025, 2, 2), times_homeless_past_three_years=1) == "N"  # a day short
    assert status(date_to_street_essh=date(2025, 2, 2)) == "M"  # a day short, times homeless not collected
    assert status(times_homeless_past_three_years=8) == "DK"
    assert status(times_homeless_past_three_years=4, months_homeless_past_three_years=9) == "DK"
    assert status(times_homeless_past_three_years=4, months_homeless_past_three_years=113) == "Y"
    assert status(3, living_situation=None) == "M"  # PSH: the prior living situation is needed
    assert status(3, living_situation=116, date_to_street_essh=date(2024, 1, 1)) == "Y"  # homeless before: no gate
    assert status(3, living_situation=410, los_under_threshold=1, previous_street_essh=0) == "N"
    assert status(3, living_situation=410, los_under_threshold=1, previous_street_essh=99) == "M"


def test_h4_household_type_adult_and_child_outrank_an_unknown_age(tenancy):
    """A Shelter from 02/01/2026: household K1 = Kim (adult, head), her son Kit (born 2016)
    and Kat, whose date of birth was not collected: an adult and a child make it "with
    children and adults" despite Kat's unknown age. Household K2 = Ken (adult) and Kip
    (age unknown): unknown household type."""
    t = tenancy
    feb = date(2026, 2, 1)
    stay(t, person(t, "Kim"), t.shelter_a, "K1", feb)
    stay(t, person(t, "Kit", date(2016, 1, 1)), t.shelter_a, "K1", feb, head=False)
    stay(t, person(t, "Kat", None, dob_data_quality=99), t.shelter_a, "K1", feb, head=False)
    stay(t, person(t, "Ken"), t.shelter_a, "K2", feb)
    stay(t, person(t, "Kip", None, dob_data_quality=99), t.shelter_a, "K2", feb, head=False)
    q7a = built("apr", t.shelter_a)["Q7a"]
    assert q7a["Total"] == [5, 0, 3, 0, 2]  # K1's three with children and adults; K2's two unknown
    assert q7a["Data Not Collected"] == [2, 0, 1, 0, 1]  # Kat (K1), Kip (K2)


def test_h4_exit_timeliness_counts_from_the_exit_records_own_entry(tenancy):
    """Q6e: an exit's timeliness is the days from the exit date to the day the EXIT was entered
    (HMIS CSV Exit.csv DateCreated, kept as Enrollment.exit_entered_at), not to the day the
    stay was entered.
    - Ann: started 03/02/2026 and entered that day (0 days); her exit on 04/10/2026 was
      entered on 04/15/2026: 5 days, "4-6 Days". Counted from the stay's entry it would be
      negative (entered before the exit), i.e. "0 days": the rule the issue names as wrong.
    - Bo: started 03/02, entered 03/05 (3 days, "1-3 Days"); exit 04/10 entered 04/10: 0 days.
    - Cy exits today through the exit service, which stamps the exit's entry: outside the
      period (it ends 06/30/2026), so in neither column."""
    from django.utils import timezone

    from agencies.models import License
    from enrollments import services
    from tests.timetravel import noon

    t = tenancy
    ann, bo, cy = person(t, "Ann"), person(t, "Bo"), person(t, "Cy")
    first = stay(t, ann, t.shelter_a, "T1", date(2026, 3, 2), date(2026, 4, 10), destination=410)
    Enrollment.objects.filter(pk=first.pk).update(entered_at=noon(date(2026, 3, 2)),
                                                  exit_entered_at=noon(date(2026, 4, 15)))
    second = stay(t, bo, t.shelter_a, "T2", date(2026, 3, 2), date(2026, 4, 10), destination=410)
    Enrollment.objects.filter(pk=second.pk).update(entered_at=noon(date(2026, 3, 5)),
                                                   exit_entered_at=noon(date(2026, 4, 10)))
    third = stay(t, cy, t.shelter_a, "T3", date(2026, 7, 1))
    before = timezone.now()
    services.exit_household(actor=t.worker_a, license=License.objects.get(user=t.worker_a, agency=t.agency_a),
                            enrollment=third, exit_date=timezone.localdate(), destination=410, version=third.version)
    third.refresh_from_db()
    assert before <= third.exit_entered_at <= timezone.now() and third.exit_updated_at == third.exit_entered_at

    table = built("apr", t.shelter_a)["Q6e"]
    # columns: Number of Project Start Records, Number of Project Exit Records
    assert table == {"0 days": [1, 1], "1-3 Days": [1, 0], "4-6 Days": [0, 1], "7-10 Days": [0, 0],
                     "11+ Days": [0, 0]}
