"""HUD System Performance Measures 4, 5 and 7 over a whole CoC (reports/hud/SPEC_SPM_HIC_PIT_LSA.md
1.5-1.8; HUD's FY2026 SPM programming specifications were not reachable, so the rules are those
the notes took from spec text quoted in an open-source FY2026 implementation [GR]; where we read
otherwise, the choice is stated beside the code):

- **Measure 4** (4.1-4.6), income growth of adults in CoC Program-funded projects: stayers
  (enrolled on the report end, 365 days or more) compare the latest annual assessment with the
  annual one before it, else the project start record; leavers compare exit with start.
- **Measure 5** (5.1, 5.2), persons entering ES, SH, TH (and PH for 5.2) in the period with no
  stay in those types in the 730 days before their first entry of the period.
- **Measure 7** (7a.1, 7b.1, 7b.2): exits from street outreach; exits to permanent housing from
  ES, SH, TH, RRH (and other PH without a move-in); retention in or exit to permanent housing
  from PH other than RRH.

Persons, not households; a person's several stays are all read (the measures pick the latest
exit or entry themselves). Every cell keeps the HMIS Client IDs it counts. Each table has HUD's
columns Previous FY / Current FY / Difference: the previous FY is this report run again over the
same dates a year earlier (HDX fills it from the CoC's last submission; the data may have been
corrected since, which HUD's column would not show).

For a viewer who is not an administrator the numbers stay the CoC's and each cell's Client IDs
are narrowed to the clients the viewer may see (tables.narrowed), as spm.py does for measures 1-3.
Project types are read as they are now (funders by their grant dates); every stay in the
given projects counts (EnrollmentCoC is not read: the caller chooses the CoC's projects).

``measure_tables(projects, start, end, viewer)`` is called by reports/hud/spm.py's build().
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from enrollments.hud_lists import DataCollectionStage
from enrollments.models import Assessment, Enrollment

from .tables import (
    EXCLUDED,
    MOVE_IN_TYPES,
    PERMANENT,
    SNAPSHOT_FIELDS,
    SO_EXCLUDED,
    SO_POSITIVE,
    STREET_OUTREACH,
    Cell,
    Person,
    Table,
    add_years,
    age_on,
    by_household,
    cash_income,
    move_in_dates,
    narrowed,
    system_visible_ids,
)

# 2.06.1 funders of the CoC Program as the FY2026 list names them ([GR] spm_coc_funders): CoC PSH,
# RRH, SSO, TH, Safe Haven, YHDP, Joint TH/RRH, Unsheltered and Rural Special NOFOs, CoC Builds.
COC_FUNDERS = {2, 3, 4, 5, 6, 43, 44, 54, 55, 56}
# Measure 4's project types. Two readings (notes 1.5): [GR] takes any project with a CoC funder;
# HUD's measure is about "CoC Program-funded projects" that house people and the vendor guidance
# quoting the spec names PH, TH and Safe Haven only. We take TH, SH and every PH type: a CoC-funded
# SSO or outreach project collects no annual income assessment to compare.
M4_TYPES = {2, 8} | MOVE_IN_TYPES
ES_EE, TH, SH = 0, 2, 8
ES_SH_TH = {ES_EE, 1, SH, TH}  # ES entry-exit, ES night-by-night, SH, TH
LOOKBACK_TYPES = ES_SH_TH | MOVE_IN_TYPES  # 5.x: a stay in any of these in the 730 days before
PH_NOT_RRH = {3, 9, 10}  # PSH, PH housing only, PH housing with services
LOOKBACK = timedelta(days=730)
ANNUAL_WINDOW = timedelta(days=30)
STAYER_DAYS = 365
COLUMNS = ["", "Previous FY", "Current FY", "Difference"]
# HUD's FY2026 table shells (reports/hud/spm.py M1_ROWS says where they were read) head Measure 7's
# last column "% Difference", Measures 4 and 5 "Difference". HUD greys that column (the reporting
# portal fills it) and states no formula; our reading: the change relative to the previous FY for a
# row of persons ((current - previous) / previous, blank when the previous FY had none) and the
# change in points for the row of percentages.
PERCENT_COLUMNS = ["", "Previous FY", "Current FY", "% Difference"]


@dataclass(slots=True)  # millions of them at full size
class Stay:
    """One enrollment as the measures read it, from one values_list row. It answers the
    Enrollment fields tables.move_in_dates reads (``client.dob``, ``project.project_type``)
    so the APR's move-in rule is reused on it as it is."""

    pk: int
    client_id: str  # HMIS Client ID
    household_id: str
    is_head: bool
    entry_date: date
    exit_date: date | None
    move_in_date: date | None
    destination: int | None
    dob: date | None
    project_id: int
    project_type: int

    @property
    def client(self):
        return self

    @property
    def project(self):
        return self


STAY_FIELDS = ("pk", "client__client_id", "household_id", "relationship_to_hoh", "entry_date", "exit_date",
               "move_in_date", "destination", "client__dob", "project_id", "project__project_type")


def load_stays(projects, first, end) -> list[Stay]:
    """Every stay in the CoC's projects that began by ``end`` and had not exited before
    ``first``: one query."""
    rows = (Enrollment.objects.filter(project__in=projects, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=first))
            .order_by("entry_date", "pk").values_list(*STAY_FIELDS))
    # Streamed (a server-side cursor), so the rows and the stays made of them are never both held.
    return [Stay(pk, client_id, household, relationship == 1, entry, exit_date, move_in, destination, dob, project,
                 kind) for pk, client_id, household, relationship, entry, exit_date, move_in, destination, dob, project,
            kind in rows.iterator(chunk_size=20000)]


# --- Stays in a period ------------------------------------------------------------------------


def active(s: Stay, start, end) -> bool:
    """In the project on some day of the period. An exit on the report start is an exit in
    the period (as tables.universe reads Method 1; [GR] leaves such a stay out)."""
    return s.entry_date <= end and (s.exit_date is None or s.exit_date >= start)


def staying(s: Stay, end) -> bool:
    return s.exit_date is None or s.exit_date > end


def latest(stays, by) -> dict:
    """{Client ID: the stay with the latest ``by`` date}; ties go to the later-created stay
    (HUD's texts leave them open; [GR] has a FIXME for it; tables.people does the same)."""
    chosen = {}
    for s in sorted(stays, key=lambda s: (by(s), s.pk)):
        chosen[s.client_id] = s
    return chosen


def move_ins(stays, end) -> dict:
    """{stay pk: housing move-in date as of ``end``} for PH stays, by tables.move_in_dates
    (the head's move-in, on or before the end and the head's exit, passed on to the
    members present then; members who joined later take their own start)."""
    persons = [Person(s, s.client_id, None, 99, s.is_head) for s in stays if s.project_type in MOVE_IN_TYPES]
    move_in_dates(by_household(persons), end)
    return {p.enrollment.pk: p.move_in for p in persons if p.move_in}


# --- Measure 4 ---------------------------------------------------------------------------------


def coc_funded(projects, start, end) -> set:
    """The projects of Measure 4's types with a CoC Program funder whose grant dates overlap
    the period (the same funder row meets every condition: one filter() call)."""
    return set(projects.filter(project_type__in=M4_TYPES).filter(
        Q(funders__end_date__isnull=True) | Q(funders__end_date__gte=start),
        funders__funder__in=COC_FUNDERS, funders__start_date__lte=end).values_list("pk", flat=True))


def income_records(funded, first, end) -> dict:
    """{stay pk: its start (1), exit (3) and annual (5) IncomeBenefits records, oldest first},
    for the stays in the ``funded`` projects between ``first`` and ``end``: one query (a join,
    not a list of stays)."""
    found = defaultdict(list)
    records = Assessment.objects.filter(
        Q(enrollment__exit_date__isnull=True) | Q(enrollment__exit_date__gte=first),
        enrollment__project_id__in=funded, enrollment__entry_date__lte=end,
        stage__in=(DataCollectionStage.PROJECT_START, DataCollectionStage.PROJECT_EXIT, DataCollectionStage.ANNUAL))
    for a in records.only(*SNAPSHOT_FIELDS).order_by("information_date", "pk"):
        found[a.enrollment_id].append(a)
    return found


def anniversary_year(day, entry) -> int | None:
    """Which anniversary of the stay's start ``day`` is within 30 days of (either side,
    inclusive), or None. The stayer's own start: the SPM counts persons ([GR] keys on the
    enrollment's start; the APR keys every member on the head's)."""
    for years in (day.year - entry.year - 1, day.year - entry.year, day.year - entry.year + 1):
        if years >= 1 and abs((day - add_years(entry, years)).days) <= ANNUAL_WINDOW.days:
            return years
    return None


def income_pair(s: Stay, records, end, leaver: bool):
    """(earlier record, later record) that the measure compares; either may be None.
    Start = the project start record dated on the start, exit = the exit record dated on
    the exit (the APR's rule, tables.income_snapshots). A stayer's later record is the
    latest annual assessment on or before the report end in an anniversary window; the
    earlier one the latest annual of an earlier anniversary, else the start record."""
    starts = [a for a in records if a.stage == DataCollectionStage.PROJECT_START and a.information_date == s.entry_date]
    first = starts[-1] if starts else None
    if leaver:
        exits = [a for a in records if a.stage == DataCollectionStage.PROJECT_EXIT
                 and a.information_date == s.exit_date]
        return first, exits[-1] if exits else None
    annuals = [(year, a) for a in records if a.stage == DataCollectionStage.ANNUAL and a.information_date <= end
               and (year := anniversary_year(a.information_date, s.entry_date))]
    if not annuals:
        return first, None
    year, current = annuals[-1]
    # Two annual records in one window are one assessment corrected: compare with an earlier year's.
    earlier = [a for y, a in annuals if y < year]
    return (earlier[-1] if earlier else first), current


INCOME_KINDS = {"earned": lambda c: c.earned, "other": lambda c: c.other, "total": lambda c: c.total}


def increased(pair, kind) -> bool:
    """The later amount is more than the earlier one, and the earlier record exists ([GR]);
    a missing later record is no income. Amounts by tables.cash_income (HUD Data Lab's
    reading): non-employment cash income = total − earned."""
    before, after = pair
    if before is None:
        return False
    amount = INCOME_KINDS[kind]
    return amount(cash_income(after)) > amount(cash_income(before))  # cash_income(None) is no income


def measure_four(stays, funded, records, start, end) -> dict:
    """{code: [universe, increased]} for 4.1-4.6. Adults (18 or over at the later of the
    report start and their own start) in CoC-funded projects. Stayers: in the project on
    the report end and 365 days or more by then (end − start + 1), the latest start if
    several. Leavers: exited in the period and in no CoC-funded project on the report end;
    their latest start."""
    adults = []
    for s in stays:
        if s.project_id in funded and active(s, start, end):
            age = age_on(s.dob, max(start, s.entry_date))
            if age is not None and age >= 18:
                adults.append(s)
    still_in = {s.client_id for s in adults if staying(s, end)}
    stayers = latest([s for s in adults if staying(s, end) and (end - s.entry_date).days + 1 >= STAYER_DAYS],
                     lambda s: s.entry_date)
    leavers = latest([s for s in adults if not staying(s, end) and s.client_id not in still_in],
                     lambda s: s.entry_date)
    result = {}
    for codes, group, leaver in ((("4.1", "4.2", "4.3"), stayers, False), (("4.4", "4.5", "4.6"), leavers, True)):
        pairs = {cid: income_pair(s, records.get(s.pk, ()), end, leaver) for cid, s in group.items()}
        for code, kind in zip(codes, ("earned", "other", "total"), strict=True):
            result[code] = [set(group), {cid for cid, pair in pairs.items() if increased(pair, kind)}]
    return result


# --- Measure 5 ---------------------------------------------------------------------------------


def first_time(by_client, start, end, entry_types) -> list:
    """[universe, with a stay in the 730 days before, first time]: persons with a start in
    the period in ``entry_types``, from their earliest such start; "before" = a stay in ES,
    SH, TH or PH that began before it and had not exited 730 days or more before it (an
    exit on the 730th day before still counts: [GR] exit >= start − 730)."""
    universe, prior = set(), set()
    for cid, stays in by_client.items():
        starts = [s.entry_date for s in stays if s.project_type in entry_types and start <= s.entry_date <= end]
        if not starts:
            continue
        began = min(starts)
        universe.add(cid)
        if any(s.project_type in LOOKBACK_TYPES and s.entry_date < began
               and (s.exit_date is None or s.exit_date >= began - LOOKBACK) for s in stays):
            prior.add(cid)
    return [universe, prior, universe - prior]


# --- Measure 7 ---------------------------------------------------------------------------------


def _leavers(stays, start, end, types) -> dict:
    """The latest exit in the period of each person who exited ``types`` and is not still
    in one of them on the report end. Two exits on that date: the record with the lowest
    enrollment ID (FY2026 SPM specifications, Metric 7b.1 step 2: the first stored, our key's
    order); HUD states no tie rule for 7a.1 and 7b.2, which take the same one."""
    within = [s for s in stays if s.project_type in types and active(s, start, end)]
    still_in = {s.client_id for s in within if staying(s, end)}
    chosen = {}
    for s in sorted((s for s in within if not staying(s, end) and s.client_id not in still_in),
                    key=lambda s: (s.exit_date, -s.pk)):
        chosen[s.client_id] = s
    return chosen


def measure_7a1(stays, start, end) -> list:
    """[universe, temporary and some institutional, permanent]: street outreach leavers, their
    latest exit; hospital (206), residential project without homeless criteria (329) and
    deceased (24) leave the measure. Row 3 is tables.SO_POSITIVE's non-permanent part (the
    APR's street outreach classification, HUD's 7a.1 list)."""
    exits = {cid: s for cid, s in _leavers(stays, start, end, {STREET_OUTREACH}).items()
             if s.destination not in SO_EXCLUDED}
    return [set(exits), {cid for cid, s in exits.items() if s.destination in SO_POSITIVE - PERMANENT},
            {cid for cid, s in exits.items() if s.destination in PERMANENT}]


def measure_7b1(stays, moved, start, end) -> list:
    """[universe, to permanent]: leavers of ES, SH, TH and PH, their latest exit, except one
    from PSH or other PH (not RRH) after moving in (7b.2 has them); 206, 215, 225 and 24
    (tables.EXCLUDED) leave the measure."""
    exits = {cid: s for cid, s in _leavers(stays, start, end, ES_SH_TH | MOVE_IN_TYPES).items()
             if s.destination not in EXCLUDED and not (s.project_type in PH_NOT_RRH and s.pk in moved)}
    return [set(exits), {cid for cid, s in exits.items() if s.destination in PERMANENT}]


def measure_7b2(stays, moved, start, end) -> list:
    """[universe, retained or exited to permanent]: persons in PSH or other PH (not RRH) who
    moved in by the report end: stayers (their latest start, which must have a move-in)
    and leavers after moving in (latest exit; 206, 215, 225, 24 leave the measure)."""
    within = [s for s in stays if s.project_type in PH_NOT_RRH and active(s, start, end)]
    stayers = latest([s for s in within if staying(s, end)], lambda s: s.entry_date)
    leavers = {cid: s for cid, s in _leavers(stays, start, end, PH_NOT_RRH).items()
               if s.pk in moved and s.destination not in EXCLUDED}
    retained = {cid for cid, s in stayers.items() if s.pk in moved}
    return [retained | set(leavers), retained | {cid for cid, s in leavers.items() if s.destination in PERMANENT}]


# --- The tables --------------------------------------------------------------------------------

STAYERS = "Universe: Number of adults (system stayers)"
LEAVERS = "Universe: Number of adults who exited (system leavers)"
PRIOR_5 = ("Of persons above, count those who were in ES-EE, ES-NbN, SH, TH, or any PH within 24 months prior to "
           "their start during the reporting year.")
FIRST_5 = ("Of persons above, count those who did not have entries in ES-EE, ES-NbN, SH, TH or PH in the previous "
           "24 months. (i.e. number of persons experiencing homelessness for the first time)")
# HUD's 5.2 shell words its line 4 a little differently from 5.1's ("Number", a closing period).
FIRST_5_2 = ("Of persons above, count those who did not have entries in ES-EE, ES-NbN, SH, TH or PH in the previous "
             "24 months. (i.e. Number of persons experiencing homelessness for the first time.)")
# code: (title, row labels, the percentage row: (numerator rows, denominator row) or None)
LAYOUT = {
    "4.1": ("Metric 4.1 – Change in earned income for adult system stayers during the reporting period",
            [STAYERS, "Number of adults with increased earned income",
             "Percentage of adults who increased earned income"], ((1,), 0)),
    "4.2": ("Metric 4.2 – Change in non-employment cash income for adult system stayers during the reporting period",
            [STAYERS, "Number of adults with increased non-employment cash income",
             "Percentage of adults who increased non-employment cash income"], ((1,), 0)),
    "4.3": ("Metric 4.3 – Change in total income for adult system stayers during the reporting period",
            [STAYERS, "Number of adults with increased total income",
             "Percentage of adults who increased total income"], ((1,), 0)),
    "4.4": ("Metric 4.4 – Change in earned income for adult system leavers",
            [LEAVERS, "Number of adults who exited with increased earned income",
             "Percentage of adults who increased earned income"], ((1,), 0)),
    "4.5": ("Metric 4.5 – Change in non-employment cash income for adult system leavers",
            [LEAVERS, "Number of adults who exited with increased non-employment cash income",
             "Percentage of adults who increased non-employment cash income"], ((1,), 0)),
    "4.6": ("Metric 4.6 – Change in total income for adult system leavers",
            [LEAVERS, "Number of adults who exited with increased total income",
             "Percentage of adults who increased total income"], ((1,), 0)),
    "5.1": ("Metric 5.1 – Change in the number of persons entering ES, SH, and TH projects with no prior "
            "enrollments in HMIS",
            ["Universe: Person with entries into ES-EE, ES-NbN, SH, or TH during the reporting period.", PRIOR_5,
             FIRST_5], None),
    "5.2": ("Metric 5.2 – Change in the number of persons entering ES, SH, TH, and PH projects with no prior "
            "enrollments in HMIS",
            ["Universe: Person with entries into ES-EE, ES-NbN, SH, TH or PH during the reporting period.", PRIOR_5,
             FIRST_5_2], None),
    "7a.1": ("Metric 7a.1 – Change in exits to permanent housing destinations",
             ["Universe: Persons who exit Street Outreach",
              "Of persons above, those who exited to specific homeless, temporary, and institutional destinations",
              "Of the persons above, those who exited to permanent housing destinations", "% Successful exits"],
             ((1, 2), 0)),
    "7b.1": ("Metric 7b.1 – Change in exits to permanent housing destinations",
             ["Universe: Persons in ES-EE, ES-NbN, SH, TH, and PH-RRH who exited, plus persons in other PH projects "
              "who exited without moving into housing",
              "Of the persons above, those who exited to permanent housing destinations", "% Successful exits"],
             ((1,), 0)),
    "7b.2": ("Metric 7b.2 – Change in exit to or retention of permanent housing",
             ["Universe: Persons in all PH projects except PH-RRH who exited after moving into housing, or who "
              "moved into housing and remained in the PH project",
              "Of persons above, those who remained in applicable PH projects and those who exited to permanent "
              "housing destinations", "% Successful exits/retention"], ((1,), 0)),
}

# The HDX 2.0 upload's variables (notes 1.8) -> (table code, row index), Current FY column.
HDX_VARIABLES = {
    "AdultStayers_4": ("4.1", 0), "IncreaseEarned4_1": ("4.1", 1), "IncreaseOther4_2": ("4.2", 1),
    "IncreaseTotal4_3": ("4.3", 1), "AdultLeavers_4": ("4.4", 0), "IncreaseEarned4_4": ("4.4", 1),
    "IncreaseOther4_5": ("4.5", 1), "IncreaseTotal4_6": ("4.6", 1),
    "EnterESSHTH5_1": ("5.1", 0), "ESSHTHWithPriorSvc5_1": ("5.1", 1),
    "EnterESSHTHPH5_2": ("5.2", 0), "ESSHTHPHWithPriorSvc5_2": ("5.2", 1),
    "SOExit_7": ("7a.1", 0), "SOExitTempInst_7": ("7a.1", 1), "SOExitPH_7": ("7a.1", 2),
    "ESSHTHRRHExit_7": ("7b.1", 0), "ESSHTHRRHToPH_7": ("7b.1", 1),
    "PHClients_7": ("7b.2", 0), "PHClientsStayOrExitPH_7": ("7b.2", 1),
}


def hdx_values(tables) -> dict:
    """{HDX variable: Current FY count} for the upload CSV."""
    by_code = {t.code: t for t in tables}
    return {name: by_code[code].rows[row][1][1].count for name, (code, row) in HDX_VARIABLES.items()
            if code in by_code}


def period_results(stays, funded, records, start, end) -> dict:
    """{table code: [set of Client IDs per counted row]} for one reporting period."""
    by_client = defaultdict(list)
    for s in stays:
        by_client[s.client_id].append(s)
    moved = move_ins(stays, end)
    return {**measure_four(stays, funded, records, start, end),
            "5.1": first_time(by_client, start, end, ES_SH_TH),
            "5.2": first_time(by_client, start, end, LOOKBACK_TYPES),
            "7a.1": measure_7a1(stays, start, end), "7b.1": measure_7b1(stays, moved, start, end),
            "7b.2": measure_7b2(stays, moved, start, end)}


def _percent(sets, numerators, denominator) -> float:
    whole = len(sets[denominator])
    return 100 * sum(len(sets[i]) for i in numerators) / whole if whole else 0.0


def _change(before: int, now: int) -> str:
    """Measure 7's "% Difference" of a row of persons (PERCENT_COLUMNS)."""
    return f"{100 * (now - before) / before:.2f}%" if before else ""


def _table(code, previous, current) -> Table:
    title, labels, percent = LAYOUT[code]
    relative = code.startswith("7")
    rows = []
    for i, label in enumerate(labels):
        if percent and i == len(labels) - 1:
            before, now = _percent(previous, *percent), _percent(current, *percent)
            cells = [Cell(value=f"{before:.2f}%"), Cell(value=f"{now:.2f}%"), Cell(value=f"{now - before:.2f}%")]
        else:
            before, now = len(previous[i]), len(current[i])
            cells = [Cell(previous[i]), Cell(current[i]), Cell(value=_change(before, now) if relative else now - before)]
        rows.append((label, cells))
    return Table(code, title, PERCENT_COLUMNS if relative else COLUMNS, rows)


def measure_tables(projects, start, end, viewer=None) -> list[Table]:
    """Measures 4.1-4.6, 5.1, 5.2, 7a.1, 7b.1 and 7b.2 for the CoC's ``projects`` (a queryset)
    over start..end, with the same measures a year earlier as the Previous FY column;
    ``viewer`` as in spm.build (None: the HMIS Lead). A few queries in all: the stays (from
    730 days before the earlier period's start), the CoC-funded projects of each period, the
    income records of the CoC-funded stays, and for a viewer the clients it may see."""
    before_start, before_end = add_years(start, -1), add_years(end, -1)
    stays = load_stays(projects, before_start - LOOKBACK, end)
    funded = {when: coc_funded(projects, a, b) for when, (a, b) in
              {"previous": (before_start, before_end), "current": (start, end)}.items()}
    records = income_records(funded["previous"] | funded["current"], before_start, end)
    previous = period_results(stays, funded["previous"], records, before_start, before_end)
    current = period_results(stays, funded["current"], records, start, end)
    return narrowed([_table(code, previous[code], current[code]) for code in LAYOUT], system_visible_ids(projects, viewer))
