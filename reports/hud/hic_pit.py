"""HUD's Housing Inventory Count (HIC) and sheltered Point-in-Time count (PIT) for one
night, over a CoC's projects (reports/hud/SPEC_SPM_HIC_PIT_LSA.md sections 2 and 3; HUD's
2026 HIC/PIT notice was not found, so the 2025-count layout and LSA rules stand in).

- **Who is in a bed on the night** (``on_the_night``, pit_night.stays, LSA "active in
  residence", SPEC 2.3, 3.1): a stay in a residential Continuum project started on or before the night and not
  exited by it (exit after the night); night-by-night shelters also need a bed night
  (Services 200) dated that night; PSH, RRH and other PH only once the household moved in
  on or before the night (tables.move_in_dates).
- **HIC** (``build_hic``): one row per project and shelter bed type (HUD's "99 HIC Output
  from LSA Files" groups so), from the inventory (2.07) active on the night, in the HDX HIC
  columns; HMIS participation (2.08) on the night; the PIT count of people in the beds from
  the night's stays for HMIS-participating projects, else the project's PITCount; and the
  utilization: that count over the beds available that night.
- **PIT** (``build_pit``): persons and households in ES, TH and SH on the night, each person
  once, in the nine tables HDX asks for (sheltered columns only). The night's people are
  read as plain rows (pit_night: a few queries, no model instance per stay) and each table
  is counted in one pass over its households (``Tally``), every cell keeping its Client IDs.

Each cell keeps the Client IDs it counts. ``projects``: the CoC's projects (coc_projects).
"""

from collections import defaultdict

from django.db.models import Q

from agencies.models import HmisParticipation, Inventory, Project, ProjectCoc

from .pit_night import CLIENT_ID, PROJECT, Night, reads, stays
from .tables import Cell, Table, _rate

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
# HUD's HDX HIC columns ("99 HIC Output from LSA Files.sql"); units are also given for the
# other two household types, which the inventory records (2.07.15) though HDX asks units
# for households with children only.
HIC_COLUMNS = ["Project Name", "Organization Name", "HMIS Org ID", "HMIS Project ID", "HIC Date", "Project Type",
               "Bed Type", "Geo Code", "HMIS Participating", "Target Population", "Housing Type",
               "Victim Service Provider",
               "Beds HH w/ Children", "Units HH w/ Children", "Veteran Beds HH w/ Children",
               "Youth Beds HH w/ Children", "CH Beds HH w/ Children",
               "Beds HH w/o Children", "Units HH w/o Children", "Veteran Beds HH w/o Children",
               "Youth Beds HH w/o Children", "CH Beds HH w/o Children",
               "Beds HH w/ only Children", "Units HH w/ only Children", "CH Beds HH w/ only Children",
               "Year-Round Beds", "DV Beds", "Total Seasonal Beds", "Availability Start Date",
               "Availability End Date", "O/V Beds", "Total Beds", "PIT Count", "Utilization Rate"]
FIGURES = HIC_COLUMNS[12:32]  # from the inventory (inventory_figures)
COUNTED = [c for c in FIGURES if not c.startswith(("Availability", "DV"))]  # what the summary adds up
SUMMARY_ROWS = ["ES", "TH", "SH", "RRH", "PSH", "OPH"]


def _beds(i, *fields):
    return sum(getattr(i, f) or 0 for f in fields)  # an empty count by subpopulation reads as 0 (2.07, H3)


def inventory_figures(project, rows) -> dict:
    """The HDX figures of one project's active inventory rows, as HUD's sample SQL derives
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
            f[f"CH Beds {kind}"] += _beds(i, "ch_beds", "ch_vet_beds", "ch_youth_beds")
    # DV beds: the year-round beds of a project for survivors of domestic violence; blank otherwise.
    f["DV Beds"] = f["Year-Round Beds"] if project.target_population == 1 else ""
    f["Availability Start Date"] = min(i.start_date for i in seasonal).isoformat() if seasonal else ""
    ends = [i.end_date for i in seasonal]
    f["Availability End Date"] = max(ends).isoformat() if seasonal and None not in ends else ""
    return f


def build_hic(projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """The HIC for the night ``end`` (== ``start``). Projects: residential Continuum projects
    (RRH only with housing, RRHSubType 2: services-only RRH has no inventory) operating that
    night (start on or before it, no end or an end after it: HUD's sample SQL). Inventory:
    rows for the report's CoC with a start on or before the night and no end or an end on
    or after it (LSA 4.5: InventoryEndDate >= ReportStart); inventory opening later ("under
    development", HDX type U) is not in this count. A project with no active inventory has
    no row. HMIS participation: the 2.08 row covering the night (start on or before it, no
    end or an end after it, as HUD's sample SQL joins it); none recorded reads as "No"."""
    night = end
    codes = report_cocs(projects)
    chosen = (projects.filter(project_type__in=HIC_TYPES, continuum_project=YES, operating_start__lte=night)
              .filter(Q(operating_end__isnull=True) | Q(operating_end__gt=night))
              .exclude(Q(project_type=13) & ~Q(rrh_subtype=2)).select_related("agency", "coc"))
    inventory = defaultdict(list)
    for i in Inventory.objects.filter(project__in=chosen, coc_code__in=codes, start_date__lte=night).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=night)).order_by("start_date", "pk"):
        inventory[i.project_id].append(i)
    participation = dict(HmisParticipation.objects.filter(project__in=chosen, start_date__lte=night).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=night)).values_list("project_id", "participation_type"))
    geocodes = {}
    for pk, geocode in ProjectCoc.objects.filter(project__in=chosen, coc_code__in=codes).order_by(
            "pk").values_list("project_id", "geocode"):
        geocodes.setdefault(pk, geocode)
    progress(1, 3)
    present = on_the_night(chosen, night, codes)
    progress(2, 3)
    rows, summary = [], {name: defaultdict(int) for name in [*SUMMARY_ROWS, "Total"]}
    summary_ids = {name: set() for name in summary}
    for project in sorted(chosen, key=lambda p: (p.agency.name, p.name, p.pk)):
        if not inventory[project.pk]:
            continue
        kind = participation.get(project.pk, 0)
        groups = defaultdict(list)
        for i in inventory[project.pk]:
            groups[i.es_bed_type if project.project_type in ES_TYPES else None].append(i)
        # The night's count goes on the project's first bed-type row (HUD's sample SQL puts it on the
        # lowest ES bed type and 0 on the others), so a project's people are counted once.
        for n, bed_type in enumerate(sorted(groups, key=lambda b: b or 0)):
            f = inventory_figures(project, groups[bed_type])
            ids = present[project.pk] if kind == 1 and n == 0 else set()
            # Not HMIS-participating (or a comparable database): the HMIS has no stays; the count is the
            # project's PITCount when recorded (HDX uses it then, LSA 4.1), else left for HDX.
            typed = project.pit_count if kind != 1 and n == 0 else None
            count = Cell(ids) if kind == 1 or n else Cell(value="" if typed is None else typed)
            beds = f["Total Beds"]
            used = count.count if count.count != "" else None
            rows.append((project.name, [
                Cell(value=project.agency.name), Cell(value=project.agency_id), Cell(value=project.pk),
                Cell(value=night.isoformat()), Cell(value=HIC_TYPES[project.project_type]),
                Cell(value=BED_TYPES.get(bed_type, "")), Cell(value=geocodes.get(project.pk, "")),
                Cell(value=PARTICIPATING[kind]), Cell(value=TARGETS.get(project.target_population, "")),
                Cell(value=HOUSING_TYPES.get(project.housing_type, "")),
                Cell(value=int(project.agency.is_victim_service_provider)),
                *[Cell(value=f[c]) for c in FIGURES], count,
                Cell(value="" if used is None else _rate(used, beds)),
            ]))
            for name in (HIC_TYPES[project.project_type], "Total"):
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
    """Totals by project type, as HDX's HIC summary shows them. The PIT count adds the
    night's people of HMIS projects (their Client IDs kept) and the typed counts of the
    others; utilization is that count over the total beds."""
    rows = []
    for name, f in summary.items():
        veteran = f["Veteran Beds HH w/ Children"] + f["Veteran Beds HH w/o Children"]
        youth = f["Youth Beds HH w/ Children"] + f["Youth Beds HH w/o Children"]
        chronic = f["CH Beds HH w/ Children"] + f["CH Beds HH w/o Children"] + f["CH Beds HH w/ only Children"]
        rows.append((name, [Cell(value=f[c]) for c in SUMMARY_COLUMNS[1:9]] + [
            Cell(value=veteran), Cell(value=youth), Cell(value=chronic),
            Cell(summary_ids[name], value=f["PIT Count"]), Cell(value=_rate(f["PIT Count"], f["Total Beds"]))]))
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
    three years stay as given at entry. All members present then "started together"
    (tables.chronic_statuses): one chronically homeless member makes them all so, so the
    household is chronically homeless when one member is and an adult or the head is
    present to carry it, and each member in it is (as the PIT counts CH persons: [GR] PR
    #2059)."""
    return {key: any(m.chronic == "Y" for m in ms) and any(m.adult or m.is_head for m in ms)
            for key, ms in households.items()}


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
