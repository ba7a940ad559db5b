"""HUD's Housing Inventory Count (HIC) and sheltered Point-in-Time count (PIT) for one
night, over a CoC's projects (reports/hud/SPEC_SPM_HIC_PIT_LSA.md sections 2 and 3; HUD's
2026 HIC/PIT notice was not found, so the 2025-count layout and LSA rules stand in).

- **Who is in a bed on the night** (``on_the_night``, pit_night.stays, LSA "active in
  residence", SPEC 2.3, 3.1): a stay in a residential Continuum project started on or before the night and not
  exited by it (exit after the night); night-by-night shelters also need a bed night
  (Services 200) dated that night; PSH, RRH and other PH only once the household moved in
  on or before the night (tables.move_in_dates).
- **HIC** (``build_hic``): one row per project, inventory type and shelter bed type (HUD's
  "99 HIC Output from LSA Files" groups so), from the inventory (2.07) active on the night
  and, apart, the inventory under development (opening within a year), in the HDX HIC
  columns: funding sources (2.06), geocode and address (2.03), housing type, target
  population; HMIS participation (2.08) on the night; the PIT count of people in the beds from
  the night's stays for HMIS-participating projects, else the project's PITCount; and the
  utilization: that count over the beds available that night.
- **PIT** (``build_pit``): persons and households in ES, TH and SH on the night, each person
  once, in the nine tables HDX asks for (sheltered columns only). The night's people are
  read as plain rows (pit_night: a few queries, no model instance per stay) and each table
  is counted in one pass over its households (``Tally``), every cell keeping its Client IDs.

Each cell keeps the Client IDs it counts. ``projects``: the CoC's projects (coc_projects).
"""

from collections import defaultdict

from django.db.models import F, Q

from agencies.models import HmisParticipation, Inventory, Project, ProjectCoc, ProjectFunder

from .pit_night import CLIENT_ID, PROJECT, Night, reads, stays
from .tables import Cell, Table, _rate, add_years

YES = 1


def coc_projects(coc):
    """The projects a CoC's system reports cover: its own projects and those serving it
    too (a ProjectCoC row, 2.03, for its code)."""
    return Project.objects.filter(Q(coc=coc) | Q(coc_rows__coc_code=coc.code)).distinct()


def report_cocs(projects) -> set:
    """The CoC code(s) the report is for: the code every project serves (its own CoC or a
    ProjectCoC row); projects sharing none (an arbitrary choice) report under their own
    CoCs. Inventory (2.07.3) and multi-CoC stays (3.16) are read for these codes only."""
    served = defaultdict(set)
    for pk, code in projects.values_list("pk", "coc__code"):
        served[pk].add(code)
    for pk, code in ProjectCoc.objects.filter(project__in=projects).values_list("project_id", "coc_code"):
        served[pk].add(code)
    if not served:
        return set()
    common = set.intersection(*served.values())
    return common or set(projects.values_list("coc__code", flat=True))


def on_the_night(projects, night, codes=None) -> dict:
    """{project pk: Client IDs of the people in a bed there on the night} (see the module's
    notes; pit_night.stays)."""
    codes = report_cocs(projects) if codes is None else codes
    present = defaultdict(set)
    with reads():
        rows = stays(projects, night, codes)[0]
    for row in rows:
        present[row[PROJECT]].add(row[CLIENT_ID])
    return present


# --- HIC ------------------------------------------------------------------------------------------

HIC_TYPES = {0: "ES", 1: "ES", 2: "TH", 3: "PSH", 8: "SH", 13: "RRH", 9: "OPH", 10: "OPH"}
ES_TYPES = {0, 1}
PSH = 3
WITH_CHILDREN, WITHOUT_CHILDREN, ONLY_CHILDREN = 3, 1, 4  # 2.07.4
YEAR_ROUND, SEASONAL, OVERFLOW = 1, 2, 3  # 2.07.6
BED_TYPES = {1: "F", 2: "V", 3: "O"}  # 2.07.5 facility, voucher, other
PARTICIPATING = {1: "Yes", 0: "No", 2: "Comp"}  # 2.08.1
TARGETS = {1: "DV", 3: "HIV", 4: "NA"}
HOUSING_TYPES = {1: "Site-based - single site", 2: "Site-based - clustered/multiple sites",
                 3: "Tenant-based - scattered site"}
# HUD's HDX HIC inventory types ("99 HIC Output from LSA Files.sql", HMIS/LSASampleCode): "C" current
# inventory, open on the HIC date; "U" under development, inventory whose InventoryStartDate (2.07.1)
# is after the HIC date, flagged beginsOperationsWithinYear = 1.
CURRENT, UNDER_DEVELOPMENT = "C", "U"

# The HIC's funding columns, named as HDX names them (the sample SQL above; mcKinneyVentoEsgRUSH,
# mcKinneyVentoUnshelt and mcKinneyVentoRural from the column list of HUD's 2025 HIC raw data, read
# through a public loader of it): column -> the 2.06.1 funders (FY2026 list) that set it to 1.
# Readings chosen where HUD's text is silent:
# - the program totals (mcKinneyVentoEsg, mcKinneyVentoCoc, federalFundingGpd, -Hchv, -Hopwa) are
#   the sample SQL's sets, plus the FY2026 funders that have no column of their own but belong to
#   that program: ESG-RUSH (53) counts as ESG, "HUD: CoC Builds" (56) as CoC; YHDP (43), the
#   Unsheltered (54) and Rural (55) Special NOFOs keep their own columns and, as the sample SQL does
#   for YHDP, stay out of the CoC total;
# - federalFundingVash is "n/a import" in the sample SQL (HDX does not take it from the LSA files,
#   the CoC answers it in HDX), but the HMIS records HUD/VASH as funder 20, so we fill it;
# - the columns with no 2.06.1 code at all (ESG-CV, Shelter Plus Care, Section 8 Mod Rehab, SHP,
#   YHDP renewals; HOPWA-CV, funder 48, is retired in FY2026) are left out: nothing recorded
#   answers them.
FUNDING_COLUMNS = {
    "mcKinneyVentoEsg": {8, 10, 53}, "mcKinneyVentoEsgEs": {8}, "mcKinneyVentoEsgRrh": {10},
    "mcKinneyVentoEsgRUSH": {53},
    "mcKinneyVentoCoc": {2, 3, 5, 6, 7, 44, 56}, "mcKinneyVentoCocSh": {6}, "mcKinneyVentoCocTh": {5},
    "mcKinneyVentoCocPsh": {2}, "mcKinneyVentoCocRrh": {3}, "mcKinneyVentoCocSro": {7},
    "mcKinneyVentoCocThRrh": {44}, "mcKinneyVentoYhdp": {43}, "mcKinneyVentoUnshelt": {54},
    "mcKinneyVentoRural": {55},
    "federalFundingVash": {20}, "federalFundingSsvf": {33},
    "federalFundingGpd": {37, 38, 39, 40, 41, 42}, "federalFundingGpdBh": {37}, "federalFundingGpdLd": {38},
    "federalFundingGpdHh": {39}, "federalFundingGpdCt": {40}, "federalFundingGpdSith": {41},
    "federalFundingGpdTp": {42},
    "federalFundingHchv": {27, 30}, "federalFundingHchvCrs": {27}, "federalFundingHchvSh": {30},
    "federalFundingBcp": {22}, "federalFundingTlp": {24}, "federalFundingMgh": {23}, "federalFundingRhyDp": {26},
    "federalFundingHopwa": {13, 15, 18, 19}, "federalFundingHopwaHmv": {13}, "federalFundingHopwaPh": {15},
    "federalFundingHopwaStsf": {18}, "federalFundingHopwaTh": {19},
    "federalFundingPih": {36}, "federalFundingHome": {50}, "federalFundingHomeArp": {51},
    "federalFundingIndianEhv": {52}, "federalFundingOther": {46},
}
OTHER_FUNDER = 46
NO_FUNDER = 99  # the sample SQL's answer in every funding column of a project with no funder record
FUNDING = [*FUNDING_COLUMNS, "federalFundingOtherSpecify"]
ADDRESS = ["address1", "address2", "city", "state", "zip"]  # ProjectCoC (2.03.3) of the report's CoC
BED_FIGURES = ["Beds HH w/ Children", "Units HH w/ Children", "Veteran Beds HH w/ Children",
               "Youth Beds HH w/ Children", "CH Beds HH w/ Children",
               "Beds HH w/o Children", "Units HH w/o Children", "Veteran Beds HH w/o Children",
               "Youth Beds HH w/o Children", "CH Beds HH w/o Children",
               "Beds HH w/ only Children", "Units HH w/ only Children", "CH Beds HH w only Children",
               "Year-Round Beds", "DV Beds", "Total Seasonal Beds", "Availability Start Date",
               "Availability End Date", "O/V Beds", "Total Beds"]
# HUD's HDX HIC columns, in the sample SQL's order and spelling ("CH Beds HH w only Children" has no
# slash there, nor in HUD's published HIC data), less HDX's own keys (Row #, CoC ID, Project ID...).
# Ours besides: units for the other two household types, which the inventory records (2.07.15)
# though HDX asks units for households with children only, and the utilization rate.
HIC_COLUMNS = ["Project Name", "Organization Name", "HMIS Org ID", "HMIS Project ID", "HIC Date", "Project Type",
               "Bed Type", "Geo Code", "HMIS Participating", "Inventory Type", "beginsOperationsWithinYear",
               "Target Population", *FUNDING, "housingType", "Victim Service Provider", *ADDRESS,
               *BED_FIGURES, "PIT Count", "Utilization Rate"]
FIGURES = BED_FIGURES  # from the inventory (inventory_figures)
COUNTED = [c for c in FIGURES if not c.startswith(("Availability", "DV"))]  # what the summary adds up
SUMMARY_ROWS = ["ES", "TH", "SH", "RRH", "PSH", "OPH"]
UNDER_DEVELOPMENT_ROW = "Under Development"


def _beds(i, *fields):
    return sum(getattr(i, f) or 0 for f in fields)  # an empty count by subpopulation reads as 0 (2.07, H3)


def inventory_figures(project, rows) -> dict:
    """The HDX figures of one project's inventory rows, as HUD's sample SQL derives
    them (re-read for FY2026: availability applies to both ES types, 0 and 1, now that
    entry-exit shelters record it too): household-type beds, units, veteran and youth beds
    are year-round beds; veteran beds = CH veteran + youth veteran + other veteran beds,
    youth beds = CH youth + youth veteran + other youth beds, CH beds (PSH only) = CH +
    CH veteran + CH youth beds, so a bed may count under two subpopulations (HUD:
    "dedicated to more than one subpopulation")."""
    f = defaultdict(int)
    es = project.project_type in ES_TYPES
    seasonal = [i for i in rows if es and i.availability == SEASONAL]
    for i in rows:
        f["Total Beds"] += i.bed_inventory
        if es and i.availability == SEASONAL:
            f["Total Seasonal Beds"] += i.bed_inventory
            continue
        if es and i.availability == OVERFLOW:
            f["O/V Beds"] += i.bed_inventory
            continue
        f["Year-Round Beds"] += i.bed_inventory
        kind = {WITH_CHILDREN: "HH w/ Children", WITHOUT_CHILDREN: "HH w/o Children",
                ONLY_CHILDREN: "HH w/ only Children"}[i.household_type]
        f[f"Beds {kind}"] += i.bed_inventory
        f[f"Units {kind}"] += i.unit_inventory
        if i.household_type != ONLY_CHILDREN:
            f[f"Veteran Beds {kind}"] += _beds(i, "vet_beds", "ch_vet_beds", "youth_vet_beds")
            f[f"Youth Beds {kind}"] += _beds(i, "youth_beds", "ch_youth_beds", "youth_vet_beds")
        if project.project_type == PSH:
            ch = "CH Beds HH w only Children" if i.household_type == ONLY_CHILDREN else f"CH Beds {kind}"
            f[ch] += _beds(i, "ch_beds", "ch_vet_beds", "ch_youth_beds")
    # DV beds: the year-round beds of a project for survivors of domestic violence; blank otherwise.
    f["DV Beds"] = f["Year-Round Beds"] if project.target_population == 1 else ""
    f["Availability Start Date"] = min(i.start_date for i in seasonal).isoformat() if seasonal else ""
    ends = [i.end_date for i in seasonal]
    f["Availability End Date"] = max(ends).isoformat() if seasonal and None not in ends else ""
    return f


def funding_flags(funders) -> list:
    """The FUNDING cells of one project from its 2.06 rows [(funder, other funder)]: 1 when a
    funder of the column's set is there, else 0; every column NO_FUNDER when the project has
    no funder row (the sample SQL's isnull(..., 99)); federalFundingOtherSpecify: the distinct
    names of "Local or Other" funders (46), in order, joined by ", "."""
    if not funders:
        return [NO_FUNDER] * len(FUNDING_COLUMNS) + [""]
    codes = {code for code, _ in funders}
    flags = [int(bool(codes & wanted)) for wanted in FUNDING_COLUMNS.values()]
    others = sorted({name for code, name in funders if code == OTHER_FUNDER and name})
    return [*flags, ", ".join(others)]


def hic_funders(projects, night) -> dict:
    """{project pk: [(funder, other funder)]}: the 2.06 rows the LSA's Funder.csv carries for a
    HIC run (LSA 4.3 with ReportStart = the HIC date): no end date, or an end on or after the
    night and after the row's start. A grant that starts after the night is the project's
    funding too (a project under development is funded before it opens), as in that export."""
    found = defaultdict(list)
    rows = ProjectFunder.objects.filter(project__in=projects).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=night, end_date__gt=F("start_date")))
    for pk, code, other in rows.order_by("pk").values_list("project_id", "funder", "other_funder"):
        found[pk].append((code, other))
    return found


def hic_inventory(projects, codes, night) -> dict:
    """{project pk: [(inventory type, Inventory)]} for the report's CoC(s) (2.07.3): current (C)
    rows start on or before the night and end on or after it (LSA 4.5: InventoryEndDate >=
    ReportStart); rows under development (U) start after the night and less than a year after
    it (the sample SQL's beginsOperationsWithinYear; inventory starting later is not in this
    HIC)."""
    within_year = add_years(night, 1)
    found = defaultdict(list)
    rows = Inventory.objects.filter(project__in=projects, coc_code__in=codes, start_date__lt=within_year).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=night)).order_by("start_date", "pk")
    for i in rows:
        found[i.project_id].append((CURRENT if i.start_date <= night else UNDER_DEVELOPMENT, i))
    return found


def hic_participation(projects, when: dict) -> dict:
    """{project pk: 2.08.1 type} in force on ``when[pk]`` (start on or before it, no end or
    an end after it, as HUD's sample SQL joins it); none recorded is left out (reads "No")."""
    found = {}
    rows = HmisParticipation.objects.filter(project__in=projects).values_list(
        "project_id", "participation_type", "start_date", "end_date")
    for pk, kind, start, end in rows:
        day = when.get(pk)
        if day is not None and start <= day and (end is None or end > day):
            found[pk] = kind
    return found


def build_hic(projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """The HIC for the night ``end`` (== ``start``). Projects: residential Continuum projects
    (RRH only with housing, RRHSubType 2: services-only RRH has no inventory) operating that
    night or opening within a year of it (the sample SQL: OperatingStartDate before the HIC
    date + 1 year, no end or an end after the night). Inventory: hic_inventory; one row per
    project, inventory type (current first) and shelter bed type, as HDX groups them; a
    project with neither current inventory nor inventory under development has no row.

    Inventory under development is listed apart, as HUD does: its own rows (Inventory Type
    "U", beginsOperationsWithinYear 1), nobody counted in those beds (HUD's sample SQL sets
    their PIT count to 0), no utilization, and in the summary on its own row, outside the
    by-type totals and the total (the beds were not there on the night).

    HMIS participation (2.08): the row in force on the night, or for a project that opens
    after the night on its operating start (HUD's SQL joins the night only, which leaves a
    project opening later out; our reading keeps it with the status it opens with); none
    recorded reads as "No". Funding: funding_flags of hic_funders. Geocode and address: the
    project's ProjectCoC row for the report's CoC."""
    night = end
    codes = report_cocs(projects)
    chosen = (projects.filter(project_type__in=HIC_TYPES, continuum_project=YES,
                              operating_start__lt=add_years(night, 1))
              .filter(Q(operating_end__isnull=True) | Q(operating_end__gt=night))
              .exclude(Q(project_type=13) & ~Q(rrh_subtype=2)).select_related("agency", "coc"))
    inventory = hic_inventory(chosen, codes, night)
    participation = hic_participation(chosen, {p.pk: max(night, p.operating_start) for p in chosen})
    funders = hic_funders(chosen, night)
    places = {}
    for pk, *place in ProjectCoc.objects.filter(project__in=chosen, coc_code__in=codes).order_by("pk").values_list(
            "project_id", "geocode", "address1", "address2", "city", "state", "zip_code"):
        places.setdefault(pk, place)
    progress(1, 3)
    present = on_the_night(chosen, night, codes)
    progress(2, 3)
    rows, summary = [], {name: defaultdict(int) for name in [*SUMMARY_ROWS, "Total", UNDER_DEVELOPMENT_ROW]}
    summary_ids = {name: set() for name in summary}
    for project in sorted(chosen, key=lambda p: (p.agency.name, p.name, p.pk)):
        if not inventory[project.pk]:
            continue
        kind = participation.get(project.pk, 0)
        groups = defaultdict(list)
        for status, i in inventory[project.pk]:
            groups[(status, i.es_bed_type if project.project_type in ES_TYPES else None)].append(i)
        place = places.get(project.pk, [""] * 6)
        funding = funding_flags(funders[project.pk])
        # The night's count goes on the project's first current bed-type row (HUD's sample SQL puts it on
        # the lowest ES bed type and 0 on the others), so a project's people are counted once.
        current = sorted(key for key in groups if key[0] == CURRENT)
        first = current[0] if current else None
        for key in sorted(groups, key=lambda k: (k[0] != CURRENT, k[1] or 0)):
            status, bed_type = key
            f = inventory_figures(project, groups[key])
            ids = present[project.pk] if kind == 1 and key == first else set()
            # Not HMIS-participating (or a comparable database): the HMIS has no stays; the count is the
            # project's PITCount when recorded (HDX uses it then, LSA 4.1), else left for HDX.
            typed = project.pit_count if kind != 1 and key == first else None
            count = Cell(value="" if typed is None else typed) if kind != 1 and key == first else Cell(ids)
            beds = f["Total Beds"]
            used = count.count if count.count != "" else None
            rate = "" if used is None or status == UNDER_DEVELOPMENT else _rate(used, beds)
            rows.append((project.name, [
                Cell(value=project.agency.name), Cell(value=project.agency_id), Cell(value=project.pk),
                Cell(value=night.isoformat()), Cell(value=HIC_TYPES[project.project_type]),
                Cell(value=BED_TYPES.get(bed_type, "")), Cell(value=place[0]),
                Cell(value=PARTICIPATING[kind]), Cell(value=status),
                Cell(value=1 if status == UNDER_DEVELOPMENT else ""),
                Cell(value=TARGETS.get(project.target_population, "")),
                *[Cell(value=v) for v in funding],
                Cell(value=HOUSING_TYPES.get(project.housing_type, "")),
                Cell(value=int(project.agency.is_victim_service_provider)),
                *[Cell(value=v) for v in place[1:]],
                *[Cell(value=f[c]) for c in FIGURES], count, Cell(value=rate),
            ]))
            totals = ((UNDER_DEVELOPMENT_ROW,) if status == UNDER_DEVELOPMENT
                      else (HIC_TYPES[project.project_type], "Total"))
            for name in totals:
                for c in COUNTED:
                    summary[name][c] += f[c]
                summary[name]["PIT Count"] += used or 0
                summary_ids[name] |= ids
    progress(3, 3)
    return [Table("HIC", "Housing Inventory Count", HIC_COLUMNS, rows), _hic_summary(summary, summary_ids)]


SUMMARY_COLUMNS = ["Project Type", "Beds HH w/ Children", "Units HH w/ Children", "Beds HH w/o Children",
                   "Beds HH w/ only Children", "Year-Round Beds", "Total Seasonal Beds", "O/V Beds", "Total Beds",
                   "Veteran Beds", "Youth Beds", "CH Beds", "PIT Count", "Utilization Rate"]


def _hic_summary(summary, summary_ids) -> Table:
    """Totals by project type, as HDX's HIC summary shows them, then the total, then the
    inventory under development (all types; not in the total). The PIT count adds the
    night's people of HMIS projects (their Client IDs kept) and the typed counts of the
    others; utilization is that count over the total beds (none for beds not yet open)."""
    rows = []
    for name, f in summary.items():
        veteran = f["Veteran Beds HH w/ Children"] + f["Veteran Beds HH w/o Children"]
        youth = f["Youth Beds HH w/ Children"] + f["Youth Beds HH w/o Children"]
        chronic = f["CH Beds HH w/ Children"] + f["CH Beds HH w/o Children"] + f["CH Beds HH w only Children"]
        rate = "" if name == UNDER_DEVELOPMENT_ROW else _rate(f["PIT Count"], f["Total Beds"])
        rows.append((name, [Cell(value=f[c]) for c in SUMMARY_COLUMNS[1:9]] + [
            Cell(value=veteran), Cell(value=youth), Cell(value=chronic),
            Cell(summary_ids[name], value=f["PIT Count"]), Cell(value=rate)]))
    return Table("HIC-Summary", "Housing Inventory Count by Project Type", SUMMARY_COLUMNS, rows)


# --- PIT (sheltered) ------------------------------------------------------------------------------

# Who is counted, once, in which column (ES, TH, SH): pit_night.Night (SHELTERED, PREFERENCE).
PIT_COLUMNS = ["", "Emergency Shelter", "Transitional Housing", "Safe Haven", "Total"]
COLUMN_KEYS = ["ES", "TH", "SH"]
PIT_AGE_BANDS = [("Number of persons (under age 18)", 0, 17), ("Number of persons (18 - 24)", 18, 24),
                 ("Number of persons (25 - 34)", 25, 34), ("Number of persons (35 - 44)", 35, 44),
                 ("Number of persons (45 - 54)", 45, 54), ("Number of persons (55 - 64)", 55, 64),
                 ("Number of persons (over age 64)", 65, 10**3)]
# HDX has no row for an unknown age; we keep one so every person is in a row (the CoC
# resolves them before typing the counts in).
AGE_UNKNOWN = "Number of persons (age unknown)"
RACE_NAMES = {"am_ind_ak_native": "American Indian, Alaska Native, or Indigenous",
              "asian": "Asian or Asian American", "black_af_american": "Black, African American, or African",
              "mid_east_n_african": "Middle Eastern or North African",
              "native_hi_pacific": "Native Hawaiian or Pacific Islander", "white": "White"}
HISPANIC = "Hispanic/Latina/e/o"
RACE_ORDER = ["am_ind_ak_native", "asian", "black_af_american", "mid_east_n_african", "native_hi_pacific", "white"]
PIT_RACE_ROWS = ([label for r in RACE_ORDER for label in (f"{RACE_NAMES[r]} (only)",
                                                          f"{RACE_NAMES[r]} & {HISPANIC}")]
                 + [f"{HISPANIC} (only)", "Multi-Racial (not Hispanic/Latina/e/o)", f"Multi-Racial & {HISPANIC}",
                    "Race and ethnicity unknown"])


def pit_race(m) -> str:
    """The PIT's one race/ethnicity row per person (LSA RaceEthnicity, SPEC 3.4): a race
    alone or with Hispanic/Latina/e/o; Hispanic/Latina/e/o alone; two or more races (with
    or without Hispanic/Latina/e/o). None recorded: "unknown", a row HDX does not have.
    ``m``: a pit_night.Member (its race answers in RACE_ORDER and Hispanic/Latina/e/o)."""
    chosen = [r for r, answer in zip(RACE_ORDER, m.races, strict=True) if answer]
    if len(chosen) == 1:
        return f"{RACE_NAMES[chosen[0]]} & {HISPANIC}" if m.hispanic else f"{RACE_NAMES[chosen[0]]} (only)"
    if len(chosen) > 1:
        return f"Multi-Racial & {HISPANIC}" if m.hispanic else "Multi-Racial (not Hispanic/Latina/e/o)"
    return f"{HISPANIC} (only)" if m.hispanic else "Race and ethnicity unknown"


def sheltered_night(projects, night, viewer=None) -> Night:
    """The persons of the sheltered count (pit_night.Night: who is in a bed, each person
    once, nobody housed that night), with each household's type and chronic homelessness."""
    counted = Night(projects, night, viewer, report_cocs(projects))
    for m in counted.persons:
        m.race = pit_race(m)
    counted.kind = {key: pit_household_type(members) for key, members in counted.households.items()}
    counted.chronic = chronic_on_the_night(counted.households)
    return counted


def chronic_on_the_night(households) -> dict:
    """{household: chronically homeless on the night}. HUD's definition is met on the night
    of the count ([GR-PIT25] evaluates it on the count date), so the APR's building block
    (tables.chronic_at_start, pit_night.Night) is run with the night standing in for the
    project start: an ES or SH stay's nights are homeless nights, so the episode 3.917
    dates ("homeless since") runs on through the night, and a person short of a year at
    entry may have one by the night. The answers on times and months homeless in the past
    three years stay as given at entry.

    Whose status makes the household chronically homeless: an adult's, or the head's when
    the head is not a known child or no adult is present (a minor head of a household of
    children). A child who is not the head never does, whatever the child's own answers:
    HUD's definition (24 CFR 578.3, "chronically homeless" (3)) is "a family with an adult
    head of household (or if there is no adult in the family, a minor head of household)
    who meets all of the criteria", and HUD's FAQ 1912 ("Can a child with a disability
    qualify a household as chronically homeless?", April 2016) answers no: the head must
    have the qualifying disability and the time homeless. The HMIS Reporting Glossary runs
    the other way only (a child takes the head's or an adult's status: "CH because of other
    household members"), which is how each member of such a household is then counted as a
    chronically homeless person ([GR] PR #2059). Reading chosen where HUD's texts differ:
    the regulation names the head; the Glossary (as the APR reads it, tables.chronic_statuses)
    also lets any adult of the household carry it, and the PIT notice's household counts
    were not found, so an adult who is not the head carries it too (HUD leaves it to the
    family which adult is the head, FAQ 1912)."""
    found = {}
    for key, ms in households.items():
        any_adult = any(m.adult for m in ms)
        leads = [m for m in ms if m.adult or (m.is_head and (not m.child or not any_adult))]
        found[key] = any(m.chronic == "Y" for m in leads)
    return found


def pit_household_type(members) -> str:
    """With children: an adult and a child present; only children: every known age under
    18; otherwise without children. HDX has no unknown household type: the known ages
    decide, and a household of unknown ages only counts as without children (our reading;
    HUD's rule for a missing date of birth was not found, SPEC 5.9)."""
    if any(m.adult for m in members) and any(m.child for m in members):
        return "children"
    if any(m.child for m in members) and not any(m.adult for m in members):
        return "only_children"
    return "adults"


class Tally:
    """The cells of one PIT table, counted in one pass over its households: each member
    names the rows it is in (``labels``); a household is counted in the column (ES, TH, SH)
    of the first of its members in a row, and that row's members go with it. A household
    row counts households (their members' IDs kept), a person row persons."""

    def __init__(self, groups, labels):
        self.ids = defaultdict(lambda: {key: set() for key in COLUMN_KEYS})
        self.households = defaultdict(lambda: {key: set() for key in COLUMN_KEYS})
        ids, households = self.ids, self.households
        for h, ms in groups.items():
            where = {}
            for m in ms:
                for label in labels(h, m):
                    column = where.get(label)
                    if column is None:
                        column = where[label] = m.column
                        households[label][column].add(h)
                    ids[label][column].add(m.client_id)

    def row(self, label, households=False, skip=()):
        """ES, TH, SH and total. ``skip``: columns HUD does not ask (left blank, not in the total)."""
        ids, counted = self.ids.get(label), self.households.get(label)
        if ids is None:
            ids = counted = {key: set() for key in COLUMN_KEYS}
        cells = [Cell(value="") if key in skip else Cell(set(ids[key]), value=len(counted[key]) if households else None)
                 for key in COLUMN_KEYS]
        kept = [key for key in COLUMN_KEYS if key not in skip]
        cells.append(Cell(set().union(*(ids[key] for key in kept)),
                          value=sum(len(counted[key]) for key in kept) if households else None))
        return (label, cells)


HOUSEHOLDS, PERSONS = "Total number of households", "Total number of persons"
CH_HOUSEHOLDS, CH_PERSONS = "Chronically homeless households", "Chronically homeless persons"
# Chronic homelessness is asked for ES and SH only: people in transitional housing do not meet
# HUD's definition (their nights there are not "homeless" nights), so HDX leaves those cells out.
NO_TH = ("TH",)


def age_row(m, ages):
    if m.age is None:
        return AGE_UNKNOWN
    return next((label for label, lo, hi in ages if lo <= m.age <= hi), None)


def _standard_table(code, title, night, households, ages, chronic_households=True) -> Table:
    def labels(h, m):
        found = [HOUSEHOLDS, PERSONS, age_row(m, ages), m.race]
        if night.chronic[h]:
            found += [CH_HOUSEHOLDS, CH_PERSONS]
        return found

    tally = Tally(households, labels)
    rows = [tally.row(HOUSEHOLDS, households=True), tally.row(PERSONS)]
    rows += [tally.row(label) for label, _, _ in ages]
    rows.append(tally.row(AGE_UNKNOWN))
    rows += [tally.row(label) for label in PIT_RACE_ROWS]
    if chronic_households:
        rows.append(tally.row(CH_HOUSEHOLDS, households=True, skip=NO_TH))
    rows.append(tally.row(CH_PERSONS, skip=NO_TH))
    return Table(code, title, PIT_COLUMNS, rows)


def youth_households(night):
    """(unaccompanied, parenting): households whose members present are all of known age
    under 25. Parenting youth: a parent aged 24 or under (head, or the head's spouse or
    partner, 3.15 = 1 or 3) with their child under 18 (the head's child, 3.15 = 2). The
    others are unaccompanied youth households; [GR] takes one-person households only,
    HUD's words ("not accompanied by a parent or guardian") cover two youths together,
    so we count those too."""
    unaccompanied, parenting = {}, {}
    for h, ms in night.households.items():
        if not all(m.age is not None and m.age < 25 for m in ms):
            continue
        if any(_child_of_youth(m) for m in ms) and any(_parent(m) for m in ms):
            parenting[h] = ms
        else:
            unaccompanied[h] = ms
    return unaccompanied, parenting


def _parent(m) -> bool:
    return m.relationship in (1, 3)


def _child_of_youth(m) -> bool:
    return m.relationship == 2 and m.child


def _veteran(m) -> bool:
    return m.adult and m.veteran_status == YES


def pit_tables(night) -> list[Table]:
    families, children_only, adults = (night.of_kind(k) for k in ("children", "only_children", "adults"))
    tables = [
        _standard_table("PIT-1", "Persons in Households with at least one Adult and one Child", night, families,
                        PIT_AGE_BANDS),
        _standard_table("PIT-2", "Persons in Households with only Children", night, children_only, PIT_AGE_BANDS[:1]),
        _standard_table("PIT-3", "Persons in Households without Children", night, adults, PIT_AGE_BANDS[1:],
                        chronic_households=False),
        additional_populations(night),
    ]
    unaccompanied, parenting = youth_households(night)
    tables.append(_standard_table("PIT-5", "Unaccompanied Youth Households", night, unaccompanied, PIT_AGE_BANDS[:2],
                                  chronic_households=False))
    tables.append(parenting_youth(night, parenting))
    for code, title, group, with_households in (
            ("PIT-7", "Veteran Households with at least one Adult and one Child", families, True),
            ("PIT-8", "Veteran Households without Children", adults, False)):
        tables.append(veteran_households(code, title, night, group, with_households))
    return tables


def veteran_households(code, title, night, group, with_households) -> Table:
    """A veteran household: one with a veteran adult present (the LSA's HHVet; [GR] reads
    the head only). Race is reported for every member."""
    veterans = {h: ms for h, ms in group.items() if any(_veteran(m) for m in ms)}

    def labels(h, m):
        found = [HOUSEHOLDS, PERSONS, m.race]
        if _veteran(m):
            found.append("Total number of veterans")
        if night.chronic[h]:
            found += [CH_HOUSEHOLDS, CH_PERSONS] + (["Chronically homeless veterans"] if _veteran(m) else [])
        return found

    tally = Tally(veterans, labels)
    rows = [tally.row(HOUSEHOLDS, households=True), tally.row(PERSONS), tally.row("Total number of veterans")]
    rows += [tally.row(label) for label in PIT_RACE_ROWS]
    if with_households:
        rows.append(tally.row(CH_HOUSEHOLDS, households=True, skip=NO_TH))
    rows.append(tally.row(CH_PERSONS, skip=NO_TH))
    rows.append(tally.row("Chronically homeless veterans", skip=NO_TH))
    return Table(code, title, PIT_COLUMNS, rows)


PIT4_ROWS = ["Adults with a Serious Mental Illness", "Adults with a Substance Use Disorder", "Adults with HIV/AIDS",
             "Adult Survivors of Domestic Violence (currently fleeing)"]


def additional_populations(night) -> Table:
    """Adults (18 and over) with a serious mental illness (4.09 mental health disorder yes),
    a substance use disorder (4.10 alcohol, drug or both), HIV/AIDS (4.08 yes), from the
    latest disability record dated on or before the night (tables.disability_record, the
    stayers' reading: start, update or annual); adult survivors of domestic violence
    currently fleeing (4.11 yes and currently fleeing yes on the latest 4.11 record,
    tables.dv_record): the notice counts survivors homeless because of it. HUD's older
    "long duration" wording for SMI and SUD is not applied ([GR-PIT25] reports the plain yes).
    The answers are read in pit_night.health."""
    def labels(h, m):
        if not m.adult:
            return ()
        return [label for label, answer in zip(PIT4_ROWS, (m.smi, m.sud, m.hiv, m.fleeing), strict=True) if answer]

    tally = Tally(night.households, labels)
    return Table("PIT-4", "Additional Homeless Populations", PIT_COLUMNS, [tally.row(label) for label in PIT4_ROWS])


def parenting_youth(night, parenting) -> Table:
    """Parents are the youths heading the household or the head's spouse/partner; their
    children are counted under the oldest parent's age band (HUD FAQ 3470); race is
    reported for the parents only (CPD-23-11 as quoted in [GR-PIT25])."""
    bands = {h: "under age 18" if max(m.age for m in ms if _parent(m)) < 18 else "age 18 to 24"
             for h, ms in parenting.items()}

    def labels(h, m):
        found = [HOUSEHOLDS, PERSONS]
        if _parent(m):
            found += ["Total parenting youth", f"Number of parenting youth {bands[h]}", m.race]
        if _child_of_youth(m):
            found += ["Total children of parenting youth", f"Children in households with parenting youth {bands[h]}"]
        if night.chronic[h]:
            found += [CH_HOUSEHOLDS, CH_PERSONS]
        return found

    tally = Tally(parenting, labels)
    rows = [tally.row(HOUSEHOLDS, households=True), tally.row(PERSONS), tally.row("Total parenting youth"),
            tally.row("Total children of parenting youth")]
    for band in ("under age 18", "age 18 to 24"):
        rows.append(tally.row(f"Number of parenting youth {band}"))
        rows.append(tally.row(f"Children in households with parenting youth {band}"))
    rows += [tally.row(label) for label in PIT_RACE_ROWS]
    rows.append(tally.row(CH_HOUSEHOLDS, households=True, skip=NO_TH))
    rows.append(tally.row(CH_PERSONS, skip=NO_TH))
    return Table("PIT-6", "Parenting Youth Households", PIT_COLUMNS, rows)


PIT_CODES = ["PIT-1", "PIT-2", "PIT-3", "PIT-4", "PIT-5", "PIT-6", "PIT-7", "PIT-8"]
HIC_CODES = ["HIC", "HIC-Summary"]


def build_pit(projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """The sheltered PIT for the night ``end`` (== ``start``)."""
    night = sheltered_night(projects, end, viewer)
    progress(1, 2)
    tables = pit_tables(night)
    progress(2, 2)
    return tables
