"""Issue 20, rule H4: LSAHousehold system use days (HUD LSA Programming Specifications, "06 - LSAHousehold.md",
6.13-6.15) and the HDX flags that compare them (510-518, checks.py).

HUD gives every date of a household's continuous system use one status, the lowest that applies (6.11, 6.13):
1 housed in PSH, 2 housed in RRH, 3 in TH, 4 in ES/SH, 5 / 6 enrolled but not yet housed in PSH / RRH, and 7 on
the street or in ES/SH by 3.917 (6.14). 6.15 then counts dates by status:
- ESDays = status 4, THDays = 3, ESTDays = 3 or 4, RRHPSHPreMoveInDays = 5 or 6, RRHHousedDays = 2,
  PSHHousedDays = 1;
- SystemHomelessDays = 3, 4, 5 or 6 (ESTDays + RRHPSHPreMoveInDays);
- SystemDaysNotPSHHoused = 2, 3, 4, 5 or 6 (SystemHomelessDays + RRHHousedDays), so never fewer than
  SystemHomelessDays (flag 516), also for a household that was never housed in RRH;
- Other3917Days = status 7 plus the 3.917 dates before LastInactive; TotalHomelessDays = SystemHomelessDays +
  Other3917Days.
The report period is 10/01/2025 - 09/30/2026 throughout.
"""

from datetime import date

import pytest
from django.db import connection

from agencies.models import Project, ProjectCoc
from enrollments.models import Enrollment
from reports.hud.lsa import pipeline
from reports.hud.lsa import report as lsa_report
from reports.hud.lsa.checks import check
from tests.factories import ProjectFactory
from tests.reports.lsa.test_lsa_household import ES, PSH, RRH, hhid, household, pick, run_section_6
from tests.reports.test_hud_rules import person, stay

pytestmark = pytest.mark.django_db
D = date
START, END = D(2025, 10, 1), D(2026, 9, 30)
DAY_COLUMNS = ("ESDays", "THDays", "ESTDays", "RRHPreMoveInDays", "RRHPSHPreMoveInDays", "RRHHousedDays",
               "PSHHousedDays", "SystemDaysNotPSHHoused", "SystemHomelessDays", "Other3917Days", "TotalHomelessDays")


def test_h4_system_days_not_psh_housed_include_every_homeless_day():
    """Actual day counts in tlsa_Household (6.15), one household each.
    - ANN, ES only, 11/01/2025 to exit 12/01/2025: ES dates 11/01-11/30 = 30 (the exit date is not a night
      in shelter). Never housed in RRH, so SystemDaysNotPSHHoused = SystemHomelessDays = 30 (this household
      used to get SystemDaysNotPSHHoused 0 against SystemHomelessDays 30: HDX flag 516).
    - RAY, RRH entered 01/01/2026, moved in 01/11/2026, exited 03/01/2026: not housed 01/01-01/10 = 10
      (status 6, RRHPreMoveInDays 10 too, 6.10), housed 01/11-02/28 = 21 + 28 = 49 (status 2).
      SystemHomelessDays 10, SystemDaysNotPSHHoused 10 + 49 = 59.
    - PAT, ES 10/01/2025 to exit 10/21/2025 and PSH entered 10/15/2025, moved in 11/01/2025, still there:
      ES 10/01-10/20 = 20 (10/15-10/20 are also PSH pre-move-in dates, status 5, but 4 is lower and wins);
      PSH pre-move-in 10/21-10/31 = 11; housed in PSH 11/01/2025-09/30/2026 = 334 (status 1, not a system
      day "not PSH housed"). SystemHomelessDays = SystemDaysNotPSHHoused = 20 + 11 = 31.
    - ROY, RRH entered and moved in 12/01/2025, exited 01/01/2026, and ES 12/20/2025 to exit 01/10/2026:
      housed in RRH 12/01-12/31 = 31 (status 2 beats the shelter's 4 on 12/20-12/31); ES 01/01-01/09 = 9;
      no pre-move-in day. SystemHomelessDays 9, SystemDaysNotPSHHoused 9 + 31 = 40.
    Nobody has a 3.917 street date, so Other3917Days is 0 and TotalHomelessDays = SystemHomelessDays."""
    rows = [
        hhid("A1", "ANN", ES, D(2025, 11, 1), D(2025, 12, 1), dest=410),
        hhid("R1", "RAY", RRH, D(2026, 1, 1), D(2026, 3, 1), D(2026, 1, 11), dest=410),
        hhid("P0", "PAT", ES, D(2025, 10, 1), D(2025, 10, 21), dest=101),
        hhid("P1", "PAT", PSH, D(2025, 10, 15), None, D(2025, 11, 1)),
        hhid("Q1", "ROY", RRH, D(2025, 12, 1), D(2026, 1, 1), D(2025, 12, 1), dest=101),
        hhid("Q2", "ROY", ES, D(2025, 12, 20), D(2026, 1, 10), dest=410),
    ]
    with connection.cursor() as cursor:
        run_section_6(cursor, rows)
        got = {hoh: pick(household(cursor, hoh), *DAY_COLUMNS) for hoh in ("ANN", "RAY", "PAT", "ROY")}
    zero = dict.fromkeys(DAY_COLUMNS, 0)
    assert got == {
        "ANN": zero | {"ESDays": 30, "ESTDays": 30, "SystemDaysNotPSHHoused": 30, "SystemHomelessDays": 30,
                       "TotalHomelessDays": 30},
        "RAY": zero | {"RRHPreMoveInDays": 10, "RRHPSHPreMoveInDays": 10, "RRHHousedDays": 49,
                       "SystemDaysNotPSHHoused": 59, "SystemHomelessDays": 10, "TotalHomelessDays": 10},
        "PAT": zero | {"ESDays": 20, "ESTDays": 20, "RRHPSHPreMoveInDays": 11, "PSHHousedDays": 334,
                       "SystemDaysNotPSHHoused": 31, "SystemHomelessDays": 31, "TotalHomelessDays": 31},
        "ROY": zero | {"ESDays": 9, "ESTDays": 9, "RRHHousedDays": 31, "SystemDaysNotPSHHoused": 40,
                       "SystemHomelessDays": 9, "TotalHomelessDays": 9},
    }


@pytest.fixture
def households(tenancy):
    """The hand-built households of the upload tests (test_lsa_upload.served) plus one in RRH, entered through
    the HMIS as a user would: Ann alone in A Shelter 11/01/2025 to 12/01/2025 (from the street, 116, since
    10/20/2025 by 3.917); Bo with his daughter Cy in B Housing (PSH) from 01/05/2026, moved in 02/01/2026; Ed
    alone in B Rapid (RRH housing) from 03/01/2026, moved in 03/16/2026, exited 05/01/2026 to a rental; Di in C
    Shelter, in TS-501."""
    t = tenancy
    rapid = ProjectFactory(agency=t.agency_b, coc=t.coc1, name="B Rapid", project_type=13, rrh_subtype=2,
                           housing_type=3)
    for project in Project.objects.select_related("coc"):
        ProjectCoc.objects.create(project=project, coc_code=project.coc.code, geocode="290001", zip_code="63101",
                                  geography_type=1)
    ann = person(t, "Ann", D(1980, 1, 1))
    stay(t, ann, t.shelter_a, "HA", D(2025, 11, 1), D(2025, 12, 1), destination=410, living_situation=116,
         date_to_street_essh=D(2025, 10, 20))
    bo, cy = person(t, "Bo", D(1985, 5, 5)), person(t, "Cy", D(2015, 3, 3))
    stay(t, bo, t.housing_b, "HB", D(2026, 1, 5), move_in_date=D(2026, 2, 1), living_situation=101)
    stay(t, cy, t.housing_b, "HB", D(2026, 1, 5), head=False, move_in_date=D(2026, 2, 1))
    ed = person(t, "Ed", D(1975, 7, 7))
    stay(t, ed, rapid, "HE", D(2026, 3, 1), D(2026, 5, 1), destination=410, living_situation=116,
         move_in_date=D(2026, 3, 16))
    di = person(t, "Di", D(1990, 2, 2))  # C Shelter's enrollment is for TS-501: not in TS-500's LSA
    Enrollment.objects.filter(pk=stay(t, di, t.shelter_c, "HD", D(2026, 3, 1)).pk).update(enrollment_coc="TS-501")
    return t


def test_h4_whole_pipeline_day_counts_pass_huds_5xx_flags(households):
    """The whole LSA (report.build: sections 3-11 and HUD's upload checks) on the hand-built households.
    In tlsa_Household (actual days):
    - Ann: ES 11/01-11/30 = 30. 3.917 (6.14): from the street since 10/20/2025, the day before her entry is
      10/31, LastInactive is 10/31/2025 (the day before FirstEntry): 10/20-10/30 before LastInactive (11) plus
      LastInactive itself (status 7, 1) = Other3917Days 12; TotalHomelessDays 30 + 12 = 42.
    - Bo: PSH entry 01/05/2026, move-in 02/01/2026: pre-move-in 01/05-01/31 = 27 (status 5); housed
      02/01-09/30/2026 = 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 = 242. SystemHomelessDays =
      SystemDaysNotPSHHoused = 27.
    - Ed: RRH entry 03/01/2026, move-in 03/16/2026, exit 05/01/2026: not housed 03/01-03/15 = 15, housed
      03/16-04/30 = 16 + 30 = 46. SystemHomelessDays 15, SystemDaysNotPSHHoused 61.
    LSAHousehold groups them into HUD's ranges (6.19: 8-30 -> 30, 31-60 -> 60, 61-90 -> 90, 181-365 -> 365), and
    HDX's checks raise no blocking flag in the 500s."""
    lsa = lsa_report.build(pipeline.Parameters(coc="TS-500", start=START, end=END))
    got = sorted(tuple(row[c] for c in ("HHType", *DAY_COLUMNS)) for row in lsa.files["LSAHousehold"])
    #              HHType ES  TH  EST RRHPre PrePre RRHHoused PSHHoused NotPSH Homeless Other3917 Total
    assert got == [
        (1, 0, 0, 0, 30, 30, 60, 0, 90, 30, 0, 30),    # Ed: 15 not housed, 46 housed in RRH, 61 not in PSH
        (1, 30, 0, 30, 0, 0, 0, 0, 30, 30, 30, 60),    # Ann: 30 in ES, 12 from 3.917, 42 in all
        (2, 0, 0, 0, 0, 30, 0, 12, 30, 30, 0, 30),     # Bo and Cy: 27 before move-in; PSHHousedDays 242 -> 12
    ]
    five_hundreds = [(p.flag, p.message) for p in lsa.problems if p.flag and 500 <= p.flag < 600 and p.blocking]
    assert five_hundreds == []


def test_h4_516_is_flagged_when_days_not_psh_housed_are_fewer_than_homeless_days(households):
    """The check itself still catches the fault this issue fixed: the same built files with one household's
    SystemDaysNotPSHHoused set back to 0 give flag 516 (blocking), and only on that row."""
    lsa = lsa_report.build(pipeline.Parameters(coc="TS-500", start=START, end=END))
    files = {name: [dict(row) for row in rows] for name, rows in lsa.files.items()}
    broken = next(row for row in files["LSAHousehold"] if row["ESDays"] == 30)
    broken["SystemDaysNotPSHHoused"] = 0
    found = [(p.file, p.blocking) for p in check(files, 1) if p.flag == 516]
    assert found == [("LSAHousehold", True)]
