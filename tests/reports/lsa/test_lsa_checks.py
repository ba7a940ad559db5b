"""Issue 20 (H4): HUD's LSA upload checks (reports/hud/lsa/checks.py), run on the 12 files before the
zip is offered, each failure listed with HDX's flag.

``valid_files()`` is one small upload that passes: CoC TS-500, FY2026 (10/01/2025-09/30/2026),
ReportID 7, three projects of organization O1 - P1 "A Shelter" (ES entry-exit, type 0), P2 "B
Housing" (PSH, 3) and P3 "C Outreach RRH" (RRH services-only, RRHSubType 1, with a residential
affiliation to P1). Ann alone in P1 (adult-only, active in residence, 30 days); Bo and his child Cy
in P2 (adult-child, housed 200 days). So LSAPerson has 3 people (UnduplicatedClient 3),
LSAHousehold 2 households, LSAExit Ann's exit, and LSACalculated the counts that must agree with
them (9.3: Universe 16 ES/SH/TH 1 person / 1 household, Universe 15 PSH 2 people / 1 household,
project level P1 1/1 and P2 2/1 with their bed nights). Each fault test then breaks exactly one
thing and asserts exactly the problems it must give: HDX's flag (Full Flag List for Vendors
September 2026) or, where the rule is the specification's text (docs/02 and docs/04), its words.

No database: the checks read Python values only.
"""

import copy
from datetime import date, datetime

import pytest

from reports.hud.lsa import layout, lists
from reports.hud.lsa.checks import Problem, check

D = date
STAMP = datetime(2024, 5, 1, 10, 30, 0)


def person(**values):
    row = dict.fromkeys(layout.FILES["LSAPerson"], -1)
    row.update(RowTotal=1, ReportID=7, RaceEthnicity=6, VetStatus=0, DisabilityStatus=0, DVStatus=0, HIV=0, SMI=0,
               SUD=0)
    row.update(values)
    return row


def household(**values):
    row = dict.fromkeys(layout.FILES["LSAHousehold"], -1)
    for column in ("ESTStatus", "RRHStatus", "PSHStatus", "RRHSOStatus", "ESTAIR", "RRHAIR", "PSHAIR", "HHParent",
                   "ESTParent", "RRHParent", "PSHParent", "ESTAC3Plus", "RRHAC3Plus", "PSHAC3Plus", "HHAdult",
                   "HHChild", "HHNoDOB", "ESDays", "THDays", "ESTDays", "RRHPreMoveInDays", "RRHPSHPreMoveInDays",
                   "RRHHousedDays", "PSHHousedDays", "SystemDaysNotPSHHoused", "SystemHomelessDays", "Other3917Days",
                   "TotalHomelessDays", "HHChronic", "HHVet", "HHDisability", "HHFleeingDV",
                   *(f"{g}{x}" for g in ("EST", "RRH", "PSH") for x in ("Chronic", "Vet", "Disability", "FleeingDV"))):
        row[column] = 0
    row.update(RowTotal=1, Stat=1, ReportID=7)
    row.update(values)
    return row


def calculated(value, universe, report_row, hh_type=0, project=None, cohort=1, population=0):
    return {"Value": value, "Cohort": cohort, "Universe": universe, "HHType": hh_type, "Population": population,
            "SystemPath": -1, "ProjectID": project, "ReportRow": report_row, "ReportID": 7}


def stamps(**values):
    return {"DateCreated": STAMP, "DateUpdated": STAMP, "UserID": None, "DateDeleted": None, "ExportID": "7",
            **values}


def project(pid, name, kind, housing=1, subtype=None, affiliation=None):
    return stamps(ProjectID=pid, OrganizationID="O1", ProjectName=name, ProjectCommonName=None,
                  OperatingStartDate=D(2020, 1, 1), OperatingEndDate=None, ContinuumProject=1, ProjectType=kind,
                  HousingType=housing, RRHSubType=subtype, ResidentialAffiliation=affiliation, TargetPopulation=4,
                  HOPWAMedAssistedLivingFac=None, PITCount=None)


def inventory(iid, pid, household_type, beds, units, availability=None, bed_type=None, **dedicated):
    counts = dict.fromkeys(("CHVetBedInventory", "YouthVetBedInventory", "VetBedInventory", "CHYouthBedInventory",
                            "YouthBedInventory", "CHBedInventory"), 0)
    counts.update(dedicated)
    other = beds - sum(counts.values())
    return stamps(InventoryID=iid, ProjectID=pid, CoCCode="TS-500", HouseholdType=household_type,
                  Availability=availability, UnitInventory=units, BedInventory=beds, **counts,
                  OtherBedInventory=other, ESBedType=bed_type, InventoryStartDate=D(2020, 1, 1),
                  InventoryEndDate=None)


def valid_files():
    report = {
        "ReportID": 7, "ReportDate": datetime(2026, 10, 15, 9, 0, 0), "ReportStart": D(2025, 10, 1),
        "ReportEnd": D(2026, 9, 30), "ReportCoC": "TS-500", "SoftwareVendor": "Open HMIS project",
        "SoftwareName": "Open HMIS", "VendorContact": "n/a", "VendorEmail": "n/a", "LSAScope": 1,
        "LookbackDate": D(2018, 10, 1), **dict.fromkeys(layout.FILES["LSAReport"][11:], 0),
    }
    report.update(UnduplicatedClient=3, HouseholdEntry=2, ClientEntry=3, AdultHoHEntry=2, ClientExit=1)
    return {
        "LSAReport": [report],
        "LSAPerson": [
            # Ann: adult-only (1) in ES/SH/TH, head, active in residence
            person(HHTypeEST=1, HoHEST=1, AdultEST=1, AIRAdultEST=1, HHAdultAgeAOEST=25, AIREST=1, AIRHoHEST=1,
                   ESTAgeMin=44, ESTAgeMax=44, HHTypeES=1, CHTime=0),
            # Bo: head of an adult-child (2) parenting household in PSH, housed
            person(HHTypePSH=2, HoHPSH=2, AdultPSH=2, AIRAdultPSH=2, HHParentPSH=2, AIRPSH=2, AIRHoHPSH=2,
                   PSHAgeMin=44, PSHAgeMax=44, CHTime=0),
            # Cy: the child in that household
            person(HHTypePSH=2, HHParentPSH=2, AIRPSH=2, PSHAgeMin=17, PSHAgeMax=17, VetStatus=-1,
                   DisabilityStatus=-1, DVStatus=-1),
        ],
        "LSAHousehold": [
            household(HHType=1, HHAdult=1, HHAdultAge=25, HoHRaceEthnicity=6, ESTStatus=22, ESTGeography=1,
                      ESTLivingSit=116, ESTDestination=410, ESTAdultAge=25, ESDays=30, ESTDays=30,
                      SystemDaysNotPSHHoused=30, SystemHomelessDays=30, TotalHomelessDays=30, SystemPath=1, ESTAIR=1),
            household(HHType=2, HHAdult=1, HHChild=1, HHAdultAge=25, HHParent=1, HoHRaceEthnicity=6, PSHStatus=21,
                      PSHMoveIn=2, PSHGeography=1, PSHLivingSit=101, PSHHousedDays=12, PSHAdultAge=25, PSHParent=1,
                      RRHPSHPreMoveInDays=30, SystemDaysNotPSHHoused=30, SystemHomelessDays=30, TotalHomelessDays=30,
                      SystemPath=8, PSHAIR=1),
        ],
        "LSAExit": [
            {"RowTotal": 1, "Cohort": 0, "Stat": 1, "ExitFrom": 2, "ExitTo": 410, "ReturnTime": -1, "HHType": 1,
             "HHVet": 0, "HHChronic": 0, "HHDisability": 0, "HHFleeingDV": 0, "HoHRaceEthnicity": 6,
             "HHAdultAge": 25, "HHParent": 0, "AC3Plus": 0, "SystemPath": 1, "ReportID": 7},
        ],
        "LSACalculated": [
            calculated(1, 16, 53), calculated(1, 16, 53, hh_type=1), calculated(1, 16, 54), calculated(1, 16, 54, 1),
            calculated(2, 15, 53), calculated(2, 15, 53, hh_type=2), calculated(1, 15, 54), calculated(1, 15, 54, 2),
            calculated(1, 10, 53, project="P1"), calculated(1, 10, 54, project="P1"),
            calculated(30, 10, 56, project="P1"),
            calculated(2, 10, 53, project="P2"), calculated(1, 10, 54, project="P2"),
            calculated(400, 10, 56, project="P2"),
            calculated(1, 10, 909, project="P1"),  # 10.8 household entries, a project-level DQ row
            # the rest of 9.3 / 9.5: Ann in ES (Universe 11) and ES/SH/TH (16), 30 bed nights; Bo and Cy in PSH
            # (15), 2 x 200 bed nights; each project's counts by household type as well as for all (HHType 0)
            *(calculated(1, 11, row, hh_type=h) for row in (53, 54) for h in (0, 1)),
            *(calculated(30, u, 56, hh_type=h) for u in (11, 16) for h in (0, 1)),
            calculated(400, 15, 56), calculated(400, 15, 56, hh_type=2),
            calculated(1, 10, 53, hh_type=1, project="P1"), calculated(1, 10, 54, hh_type=1, project="P1"),
            calculated(30, 10, 56, hh_type=1, project="P1"),
            calculated(2, 10, 53, hh_type=2, project="P2"), calculated(1, 10, 54, hh_type=2, project="P2"),
            calculated(400, 10, 56, hh_type=2, project="P2"),
        ],
        "Organization": [stamps(OrganizationID="O1", OrganizationName="Agency A", VictimServiceProvider=0,
                                OrganizationCommonName=None)],
        "Project": [project("P1", "A Shelter", 0), project("P2", "B Housing", 3, housing=2),
                    project("P3", "C Outreach RRH", 13, housing=None, subtype=1, affiliation=1)],
        "Funder": [stamps(FunderID=f"F{n}", ProjectID=f"P{n}", Funder=2, OtherFunder=None, GrantID=None,
                          StartDate=D(2020, 1, 1), EndDate=None) for n in (1, 2, 3)],
        "ProjectCoC": [stamps(ProjectCoCID=f"C{n}", ProjectID=f"P{n}", CoCCode="TS-500", Geocode="123456",
                              Address1=None, Address2=None, City=None, State=None, ZIP="12345", GeographyType=1)
                       for n in (1, 2, 3)],
        "Inventory": [inventory("I1", "P1", 1, beds=10, units=10, availability=1, bed_type=1),
                      inventory("I2", "P2", 3, beds=10, units=5, CHBedInventory=4)],
        "HMISParticipation": [stamps(HMISParticipationID=f"H{n}", ProjectID=f"P{n}", HMISParticipationType=1,
                                     HMISParticipationStatusStartDate=datetime(2020, 1, 1),
                                     HMISParticipationStatusEndDate=None) for n in (1, 2, 3)],
        "Affiliation": [stamps(AffiliationID="A1", ProjectID="P3", ResProjectID="P1")],
    }


def by_id(files, name, column, value):
    return next(row for row in files[name] if row[column] == value)


def test_h4_the_valid_files_pass_every_check():
    """Every file has HUD's columns and one ReportID; counts agree across files; the project descriptors
    follow section 4: no problem at all, so the page says the upload passes."""
    files = valid_files()
    for name, columns in layout.FILES.items():
        for row in files[name]:
            assert tuple(row) == columns or set(row) == set(columns), name
    assert check(files, 1) == []


def test_h4_a_hic_run_takes_household_and_exit_files_empty():
    """2: for the HIC (LSAScope 3, ReportStart = ReportEnd = the count's date, 3.1) LSAHousehold and LSAExit
    are headers only, which is no warning (flags 16, 17 are for the annual LSA); the cross-file counts of
    households are not asked of it."""
    files = valid_files()
    files["LSAReport"][0].update(LSAScope=3, ReportStart=D(2026, 1, 28), ReportEnd=D(2026, 1, 28),
                                 LookbackDate=D(2019, 1, 28))
    files["LSAHousehold"], files["LSAExit"] = [], []
    assert check(files, 3) == []


def _two_reports(f):
    f["LSAReport"].append(dict(f["LSAReport"][0]))


def _many_exits_with_zero_totals(f):
    races = sorted(lists.valid_values("LSAExit", "HoHRaceEthnicity"))[:30]  # 30 distinct rows, each value valid
    f["LSAExit"] = [dict(f["LSAExit"][0], RowTotal=0, HoHRaceEthnicity=race) for race in races]


def _unlisted_person(f):
    f["LSAPerson"].append(person(RaceEthnicity=1, VetStatus=-1, DisabilityStatus=-1, DVStatus=-1))
    f["LSAReport"][0]["UnduplicatedClient"] = 4


def _pop(name, column, value):
    def mutate(f):
        f[name].remove(by_id(f, name, column, value))
    return mutate


def _set(name, row, **values):
    """Set values in one row: row is a 0-based index or (column, value) to find it."""
    def mutate(f):
        target = f[name][row] if isinstance(row, int) else by_id(f, name, *row)
        target.update(values)
    return mutate


def _add(name, row):
    def mutate(f):
        f[name].append(row() if callable(row) else row)
    return mutate


def _all(*mutations):
    def mutate(f):
        for m in mutations:
            m(f)
    return mutate


# (id, fault, scope, the problems it must give: (flag, words in the message, blocking))
FAULTS = [
    # --- LSAReport (2.8) ---
    ("two_report_rows", _two_reports, 1, [(19, "LSAReport has 2 rows; HDX 2.0 takes exactly one", True)]),
    ("report_value_missing", _set("LSAReport", 0, VendorEmail=None), 1,
     [(None, "VendorEmail has no value; HUD requires one in LSAReport", True)]),
    ("report_start_malformed", _set("LSAReport", 0, ReportStart="2025-13-01"), 1,
     [(54, "ReportStart '2025-13-01' is not a date written yyyy-mm-dd", True)]),
    ("report_date_without_time", _set("LSAReport", 0, ReportDate=D(2026, 10, 15)), 1,
     [(56, "ReportDate '2026-10-15' is not a date and time written yyyy-mm-dd hh:mm:ss", True)]),
    ("report_date_before_end", _set("LSAReport", 0, ReportDate=datetime(2026, 9, 1, 8, 0, 0)), 1,
     [(3, "ReportDate 2026-09-01 is before ReportEnd 2026-09-30", True)]),
    ("dq_count_negative", _set("LSAReport", 0, NoCoC=-2), 1, [(71, "NoCoC '-2' must be a whole number, 0 or more",
                                                               True)]),
    ("lookback_wrong", _set("LSAReport", 0, LookbackDate=D(2019, 10, 1)), 1,
     [(None, "LookbackDate is 2019-10-01; it must be ReportStart less 7 years, 2018-10-01", True)]),
    ("project_focused_is_a_test_upload", _set("LSAReport", 0, LSAScope=2), 2,
     [(1, "project-focused LSA (LSAScope 2) can be uploaded to HDX 2.0 for review only", False)]),
    ("unduplicated_client_low", _set("LSAReport", 0, UnduplicatedClient=2), 1,
     [(674, "UnduplicatedClient is 2 but LSAPerson's RowTotals add up to 3 people", True)]),
    ("unduplicated_client_high", _set("LSAReport", 0, UnduplicatedClient=4), 1,
     [(None, "HUD defines them as the same count (spec 2.8)", False)]),
    # --- one ReportID (flag 5; ExportID, section 4) ---
    ("person_report_id", _set("LSAPerson", 1, ReportID=8), 1,
     [(5, "1 row(s) carry ReportID 8, not LSAReport's ReportID 7", True)]),
    ("funder_export_id", _set("Funder", 0, ExportID="6"), 1,
     [(None, "1 row(s) carry ExportID 6, not LSAReport's ReportID 7", True)]),
    # --- the files ---
    ("file_missing", lambda f: f.pop("LSAExit"), 1,
     [(None, "LSAExit.csv is missing from the upload", True)]),
    ("exit_file_empty", lambda f: f.update(LSAExit=[]), 1,
     [(17, "LSAExit has no rows", False)]),
    ("row_total_zero", _set("LSAExit", 0, RowTotal=0), 1, [(110, "RowTotal '0' must be a whole number above 0", True)]),
    ("many_of_one_kind_are_summed_up", _many_exits_with_zero_totals, 1,
     [(110, "RowTotal '0' must be a whole number above 0", True), (110, "...and 5 more rows", True)]),
    ("calculated_value_negative", _set("LSACalculated", ("ReportRow", 909), Value=-1), 1,
     [(111, "Value '-1' must be a whole number, 0 or more", True)]),
    ("person_code_not_a_number", _set("LSAPerson", 0, RaceEthnicity="x"), 1,
     [(112, "RaceEthnicity 'x' is not a whole number", True)]),
    ("exit_duplicate_row", _add("LSAExit", lambda: dict(valid_files()["LSAExit"][0])), 1,
     [(540, "Row 2 repeats the characteristics of row 1", True)]),
    ("calculated_duplicate_row", _add("LSACalculated", lambda: calculated(1, 10, 909, project="P1")), 1,
     [(682, "repeats the Cohort, Universe, HHType, Population, SystemPath, ProjectID and ReportRow of row 15", True)]),
    # --- LSAPerson's own consistency (flags 113-245) ---
    ("person_in_no_project_group", _unlisted_person, 1,
     [(113, "served in none of ES/SH/TH, RRH, PSH or RRH-SO", True)]),
    ("vet_household_where_not_served", _set("LSAPerson", 1, HHVetEST=1), 1,
     [(159, "HHTypeEST is -1 (not served in ES/SH/TH) but HHVetEST says they were in a veteran household", True)]),
    ("head_of_a_household_type_not_served", _set("LSAPerson", 0, HoHEST=12), 1,
     [(120, "HoHEST (12) says they were a head of household in adult-child households in ES/SH/TH, but HHTypeEST (1)",
       True),
      (616, "Adult-child households served in ES/SH/TH, head's RaceEthnicity 6: LSAPerson has 1 head(s) of household, "
       "LSAHousehold 0", True)]),
    ("air_head_beyond_air_and_head", _set("LSAPerson", 0, AIRHoHEST=12), 1,
     [(237, "AIRHoHEST (12) says they were a head of household active in residence in adult-child households in "
       "ES/SH/TH, but HoHEST (1)", True),
      (252, "but AIREST (1) has no such household type", True)]),
    ("age_missing_where_served", _set("LSAPerson", 1, PSHAgeMin=-1), 1,
     [(288, "PSHAgeMin cannot be -1 for people served in PSH", True)]),
    ("adult_age_for_a_type_not_served", _set("LSAPerson", 1, HHAdultAgeAOPSH=25), 1,
     [(265, "HHAdultAgeAOPSH must be -1 for people not served in adult-only households in PSH", True)]),
    # --- LSAHousehold and LSAExit rows ---
    ("geography_without_service", _set("LSAHousehold", 1, ESTGeography=1), 1,
     [(489, "ESTGeography must be -1 when the household was not served in ES/SH/TH", True)]),
    ("total_homeless_days_too_low", _set("LSAHousehold", 0, TotalHomelessDays=7), 1,
     [(517, "TotalHomelessDays cannot be lower than SystemHomelessDays", True)]),
    ("child_only_veteran_exit", _set("LSAExit", 0, HHType=3, HHAdultAge=-1, HHVet=1), 1,
     [(525, "HHVet must be 0 for a child-only household", True)]),
    # --- LSACalculated ---
    ("project_id_on_a_coc_row", _add("LSACalculated", calculated(1, 11, 53, project="P1")), 1,
     [(679, "ProjectID P1 is on a row that is not project-level (Universe 11)", True)]),
    ("project_row_without_project", _set("LSACalculated", ("ReportRow", 909), ProjectID=None), 1,
     [(677, "A project-level row (Universe 10) has no ProjectID", True)]),
    ("calculated_unknown_project", _set("LSACalculated", ("ReportRow", 909), ProjectID="P9"), 1,
     [(780, "ProjectID P9 is not in Project.csv", True)]),
    ("people_without_households", _set("LSACalculated", 9, Value=0), 1,
     [(704, "project P1, HHType 0, Population 0: 1 people (ReportRow 53) but no households", True),
      (763, "ES (Universe 11), Cohort 1, HHType 0, Population 0, households: its projects 0 together, CoC-wide 1", True),
      (763, "ES/SH/TH (Universe 16), Cohort 1, HHType 0, Population 0, households: its projects 0 together", True)]),
    ("bed_nights_below_people", _set("LSACalculated", 13, Value=1), 1,
     [(706, "1 bed nights (ReportRow 56) for 2 people", True),
      (739, "Project P2, Cohort 1, Population 0, bed nights: AO, AC, CO, UN 0+400+0+0, all households 1", True),
      (757, "PSH (Universe 15), Cohort 1, HHType 0, Population 0, bed nights: its projects 1 together, CoC-wide 400",
       True)]),
    ("point_in_time_above_year", _add("LSACalculated", calculated(5, 10, 53, project="P1", cohort=10)), 1,
     [(714, "5 people on the point-in-time date (Cohort 10) but 1 in the whole report period", True),
      (753, "Project P1, Cohort 10, Population 0, people: AO, AC, CO, UN 0+0+0+0, all households 5", True),
      (771, "ES (Universe 11), Cohort 10, HHType 0, Population 0, people: its projects 5 together, CoC-wide 0", True),
      (771, "ES/SH/TH (Universe 16), Cohort 10, HHType 0, Population 0, people: its projects 5 together", True)]),
    # --- counts that must agree across files ---
    ("air_people_differ", _set("LSACalculated", 0, Value=2), 1,
     [(684, "ES/SH/TH, all households: LSAPerson counts 1 (AIREST), LSACalculated 2", True),
      (727, "ES, SH and TH 1+0+0, ES/SH/TH together 2: the parts cannot add up to less than the whole", True),
      (746, "ES/SH/TH (Universe 16), Cohort 1, Population 0, people: AO, AC, CO, UN 1+0+0+0, all households 2", True),
      (766, "ES/SH/TH (Universe 16), Cohort 1, HHType 0, Population 0, people: its projects 1 together, CoC-wide 2",
       True)]),
    ("air_households_differ", _set("LSACalculated", 7, Value=2), 1,
     [(685, "PSH, adult-child households: LSAHousehold counts 1 (PSHAIR 1), LSACalculated 2", True),
      (742, "PSH (Universe 15), Cohort 1, Population 0, households: AO, AC, CO, UN 0+2+0+0, all households 1", True),
      (763, "PSH (Universe 15), Cohort 1, HHType 2, Population 0, households: its projects 1 together, CoC-wide 2",
       True)]),
    ("more_households_than_people", _set("LSAHousehold", 1, RowTotal=3), 1,
     [(658, "Adult-child households in PSH: fewer people (2, LSAPerson) than households (3, LSAHousehold)", True),
      (685, "LSAHousehold counts 3 (PSHAIR 1), LSACalculated 1", True),
      (685, "adult-child households: LSAHousehold counts 3", True),
      (616, "Adult-child households served in PSH, active in residence in PSH, head's RaceEthnicity 6: LSAPerson has 1 "
       "head(s) of household, LSAHousehold 3", True),
      (645, "parenting households in PSH: fewer heads of household in LSAPerson (HHParentPSH, 1) than households in "
       "LSAHousehold (PSHParent 1, 3)", True)]),
    # --- project descriptor files (section 4) ---
    ("project_id_twice", _add("Project", lambda: project("P1", "A Shelter", 0)), 1,
     [(21, "2 rows share ProjectID P1; there must be one", True)]),
    ("organization_id_twice", _add("Organization", lambda: dict(valid_files()["Organization"][0])), 1,
     [(20, "2 rows share OrganizationID O1", True)]),
    ("inventory_id_twice", _add("Inventory", lambda: inventory("I1", "P1", 1, 10, 10, 1, 1)), 1,
     [(22, "2 rows share InventoryID I1", True)]),
    ("funder_id_twice", _set("Funder", 1, FunderID="F1"), 1, [(23, "2 rows share FunderID F1", True)]),
    ("project_coc_twice", _set("ProjectCoC", 1, ProjectID="P1"), 1,
     [(25, "2 ProjectCoC rows for project P1 in TS-500", True), (804, "B Housing is missing from ProjectCoC.csv",
                                                                 True)]),
    ("project_coc_other_coc", _set("ProjectCoC", 0, CoCCode="XX-999"), 1,
     [(None, "CoCCode XX-999 is not the report's CoC TS-500", True)]),
    ("geocode_five_digits", _set("ProjectCoC", 0, Geocode="12345"), 1,
     [(26, "Geocode '12345' must be exactly 6 digits", True)]),
    ("zip_four_digits", _set("ProjectCoC", 0, ZIP="1234"), 1, [(28, "ZIP '1234' must be exactly 5 digits", True)]),
    ("geocode_missing", _set("ProjectCoC", 0, Geocode=None), 1, [(812, "Geocode has no value", True)]),
    ("project_date_created_without_time", _set("Project", 0, DateCreated="2020-01-01"), 1,
     [(35, "DateCreated '2020-01-01' is not a date and time", True)]),
    ("organization_deleted", _set("Organization", 0, DateDeleted=STAMP), 1,
     [(None, "DateDeleted must be empty", True)]),
    ("housing_type_missing", _set("Project", 0, HousingType=None), 1, [(801, "A Shelter has no HousingType", True)]),
    ("subtype_on_a_shelter", _set("Project", 0, RRHSubType=2), 1,
     [(None, "A Shelter: RRHSubType must be empty for a project that is not RRH", True)]),
    ("affiliation_flag_missing", _set("Project", 2, ResidentialAffiliation=None), 1,
     [(None, "an RRH services-only project needs ResidentialAffiliation 0 or 1", True),
      (None, "Project P3 is not an RRH services-only project with a residential affiliation", True)]),
    ("funder_missing", _pop("Funder", "FunderID", "F1"), 1,
     [(None, "A Shelter has no Funder record active in the report period", True)]),
    ("funder_of_unknown_project", _add("Funder", lambda: dict(valid_files()["Funder"][0], FunderID="F9",
                                                              ProjectID="P9")), 1,
     [(None, "ProjectID P9 is not in Project.csv", True)]),
    ("beds_do_not_add_up", _set("Inventory", 1, OtherBedInventory=5), 1,
     [(786, "BedInventory is 10 but the seven dedicated and other bed columns add up to 9", True)]),
    ("negative_bed_count", _set("Inventory", 0, CHBedInventory=-1, OtherBedInventory=11), 1,
     [(52, "CHBedInventory '-1' must be a whole number, 0 or more", True)]),
    ("inventory_missing", _pop("Inventory", "InventoryID", "I2"), 1,
     [(None, "B Housing is active in the report period but has no inventory record", True)]),
    ("inventory_for_services_only", _add("Inventory", lambda: inventory("I3", "P3", 1, 5, 5)), 1,
     [(None, "Project P3 is RRH services-only, which has no inventory in the LSA", True)]),
    ("affiliation_missing", _pop("Affiliation", "AffiliationID", "A1"), 1,
     [(None, "C Outreach RRH has a residential affiliation but no Affiliation record", True)]),
    ("affiliated_to_a_non_residential_project", _set("Affiliation", 0, ResProjectID="P3"), 1,
     [(None, "ResProjectID P3 is not a residential project", True)]),
    ("participation_gap", _set("HMISParticipation", 0, HMISParticipationStatusEndDate=datetime(2026, 3, 31)), 1,
     [(None, "A Shelter has no HMIS participation record for 2026-04-01", True)]),
]


@pytest.mark.parametrize("fault, scope, expected", [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_h4_each_upload_check_fires_on_its_fault(fault, scope, expected):
    """Each fault gives exactly its problems: every expected (flag, message, blocking) is found and
    nothing else is reported."""
    files = copy.deepcopy(valid_files())
    fault(files)
    problems = check(files, scope)
    assert all(isinstance(p, Problem) for p in problems)
    unmatched = list(problems)
    for flag, words, blocking in expected:
        match = next((p for p in unmatched if p.flag == flag and words in p.message and p.blocking == blocking), None)
        assert match, (flag, words, problems)
        unmatched.remove(match)
    extra = [p for p in unmatched if not any(p.flag == f and w in p.message for f, w, _ in expected)]
    assert not extra, extra


def test_h4_problems_name_the_row_and_column():
    """The page lists file, row (1-based, as the HMIS Lead counts rows under the header) and column."""
    files = valid_files()
    files["LSAHousehold"][1]["ESTGeography"] = 1
    (problem,) = check(files, 1)
    assert (problem.file, problem.row, problem.column, problem.flag, problem.blocking) == (
        "LSAHousehold", 2, "ESTGeography", 489, True)
    assert "(ESTGeography 1, ESTStatus 0)" in problem.message


def test_h4_many_problems_of_one_kind_are_counted_not_all_listed():
    """At 1,000,000 clients a systematic fault could give thousands of rows: 25 are listed and one line
    says how many more, so the run's record stays small."""
    files = valid_files()
    _many_exits_with_zero_totals(files)
    problems = [p for p in check(files, 1) if p.flag == 110]
    assert len(problems) == 26
    assert problems[-1].message == "...and 5 more rows with the same problem as above."


def test_h4_the_files_as_written_to_csv_pass_too():
    """The checks read the values as report.py writes them for HDX (dates 'yyyy-mm-dd', datetimes
    'yyyy-mm-dd hh:mm:ss', NULL empty) as well as the typed values, so a file read back is checked alike."""
    from reports.hud.lsa.report import _text

    written = {name: [{c: _text(v) for c, v in row.items()} for row in rows] for name, rows in valid_files().items()}
    assert written["LSAReport"][0]["ReportDate"] == "2026-10-15 09:00:00"
    assert check(written, 1) == []
    written["Project"][0]["OperatingStartDate"] = "2020-1-1"
    (problem,) = check(written, 1)
    assert (problem.flag, problem.row, problem.column) == (33, 1, "OperatingStartDate")


def test_h4_problems_are_kept_on_the_run_as_the_page_and_command_read_them():
    """report.py keeps the problems on the ReportRun as JSON (problems_json); the page and hud_report read
    file, row, column, message, blocking and flag from them."""
    from reports.hud.lsa.report import problems_json

    files = valid_files()
    files["LSAExit"] = []
    assert problems_json(check(files, 1)) == [
        {"file": "LSAExit", "row": None, "column": None, "message": "LSAExit has no rows. That is right only if "
         "there was no one to report: please confirm.", "blocking": False, "flag": 17}]
