"""HUD System Performance Measures (SPM) over a whole CoC, part A: Measures 1a, 1b
(length of time homeless), 2a/2b (returns to homelessness) and 3.2 (sheltered persons),
and ``build``, which adds the measures of reports/hud/spm_measures.py (4, 5, 7) when
that module is there. The rules come from reports/hud/SPEC_SPM_HIC_PIT_LSA.md section 1
(HUD's own FY2026 SPM Programming Specifications were not reachable: the notes rest on
its text as quoted in Green River's FY2026 implementation [GR] and vendors' pages);
where readings differ the choice is stated beside the code.

Counting unit: persons. The report reads the stays of the CoC's projects client by client
in batches of client keys (a few queries per batch, none per person), so the stays of
a million clients never sit in memory at once. Nights are day ordinals in inclusive runs [a, b],
so a seven-year lookback is a handful of pairs per person, not thousands of dates.

HUD's Previous FY columns (Measures 1 and 3.2; its Measure 2 table has none) hold the same
measure over the same dates a year earlier, worked out in the same pass over the data as it
is now (HDX fills them from the CoC's last submission; data corrected since would differ),
as spm_measures.py does for 4, 5 and 7. Every stay of the given projects counts: the caller
chooses the CoC's projects (EnrollmentCoC is not read).

Every cell keeps the Client IDs it counts. For a viewer who is not an administrator the
numbers stay the CoC's (the SPM is the CoC's submission to HUD: a number that shrank to
what one agency may see would not be the CoC's measure), while each cell's Client IDs
are narrowed to the clients the viewer may see (consent.visibility.visible_clients).
"""

import heapq
import importlib.util
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Min, Q

from enrollments.hud_lists import ServiceRecordType
from enrollments.models import Enrollment, Service

from . import tables as hud
from .tables import Cell, Table

ES_EE, ES_NBN, TH, PSH, SO, SH, PH_HO, PH_HS, RRH = 0, 1, 2, 3, 4, 8, 9, 10, 13
ES = {ES_EE, ES_NBN}
PH = set(hud.MOVE_IN_TYPES)  # 3, 9, 10, 13: "PH" throughout the SPM
SPM_TYPES = ES | {TH, SO, SH} | PH
LOOKBACK_YEARS = 7  # Measure 1: nights back to report start - 7 years (GR lookback_date; the LSA's too)
RETURN_DAYS = 730  # Measure 2: 730 days, not "two years" (a leap day makes them differ)
TRANSFER_DAYS = 14  # Measure 2: a PH start within 14 days of a PH stay is a transfer, not a return
WINDOW_DAYS = 365  # Measure 1 step 4: client start date = client end date - 365 days
BATCH = 20_000  # client keys per batch of queries


# --- The CoC's projects by type ------------------------------------------------------------------

PROJECT_GROUPS = {  # the SPM's names for the project types it reads
    "ES entry-exit": {ES_EE}, "ES night-by-night": {ES_NBN}, "SH": {SH}, "TH": {TH}, "SO": {SO},
    "PSH": {PSH}, "RRH": {RRH}, "OPH": {PH_HO, PH_HS},
}


def project_groups(projects) -> dict[str, set]:
    """{group: the primary keys of the CoC's projects in it} (PROJECT_GROUPS); projects of
    other types (services only, prevention, CE, day shelter, other) are in none: the SPM
    does not read them."""
    groups = {name: set() for name in PROJECT_GROUPS}
    for pk, kind in projects.filter(project_type__in=SPM_TYPES).values_list("pk", "project_type"):
        for name, kinds in PROJECT_GROUPS.items():
            if kind in kinds:
                groups[name].add(pk)
    return groups


# --- Stays ----------------------------------------------------------------------------------------

STAY_FIELDS = ("pk", "client_id", "client__client_id", "project__project_type", "entry_date", "exit_date",
               "destination", "household_id", "project_id", "relationship_to_hoh",
               "living_situation", "los_under_threshold", "previous_street_essh", "date_to_street_essh")


@dataclass(slots=True)
class Stay:
    pk: int
    client: int  # the client's primary key
    client_id: str  # the HMIS Client ID the cells keep
    project_type: int
    entry: date
    exit: date | None
    destination: int | None
    move_in: date | None  # effective housing move-in (effective_move_ins)
    household: str
    project: int
    head: bool
    living_situation: int | None
    los_under_threshold: int | None
    previous_street_essh: int | None
    date_to_street_essh: date | None
    bed_nights: list = field(default_factory=list)  # ES-NbN: Services RecordType 200 dates, sorted
    cache: dict = field(default_factory=dict)  # report end -> (stay_nights, housed_nights), for every row


def nights_of(s: Stay, end) -> tuple[list, list]:
    """stay_nights and housed_nights of a stay up to a report end, worked out once."""
    if end not in s.cache:
        s.cache[end] = (stay_nights(s, end), housed_nights(s, end))
    return s.cache[end]


def lookback_date(start: date) -> date:
    """Measure 1's lookback stop date: report start - 7 years (calendar years)."""
    return hud.add_years(start, -LOOKBACK_YEARS)


def return_window(start: date, end: date) -> tuple[date, date]:
    """Measure 2's exits: ExitDate from report start - 730 days to report end - 730 days,
    both inclusive (Bitfocus/Clarity's spec text; GR)."""
    return start - timedelta(days=RETURN_DAYS), end - timedelta(days=RETURN_DAYS)


def literally_homeless_at_entry(s: Stay) -> bool:
    """3.917 "Identifying Clients Experiencing Literal Homelessness at Project Entry": always
    in ES, SH and SO; in TH and PH when the prior living situation was homeless (100-199),
    or institutional (200-299) or temporary/permanent (300-499) for a stay under the
    threshold (LOSUnderThreshold = 1) right after the street, ES or SH
    (PreviousStreetESSH = 1)."""
    if s.project_type in hud.LITERALLY_HOMELESS_TYPES:
        return True
    situation = s.living_situation
    if situation is None:
        return False
    if 100 <= situation < 200:
        return True
    return 200 <= situation < 500 and s.los_under_threshold == 1 and s.previous_street_essh == 1


def effective_move_ins(projects, end) -> dict:
    """{(household ID, project pk): the head's housing move-in} for the CoC's PH households:
    the head's 3.20 counts when on or after the head's start, on or before the head's exit
    and on or before the report end (tables.move_in_dates' rule, which works on Person
    objects of one project's report; here one query serves the whole CoC). 3.20 is
    collected for the head only, so members take the head's date (effective_move_in)."""
    housed = {}
    rows = (Enrollment.objects.filter(project__in=projects, project__project_type__in=PH, relationship_to_hoh=1,
                                      move_in_date__isnull=False, move_in_date__lte=end)
            .values_list("household_id", "project_id", "entry_date", "exit_date", "move_in_date"))
    for household, project, entry, exit_date, move_in in rows:
        if entry <= move_in and (exit_date is None or move_in <= exit_date):
            key = (household, project)
            housed[key] = min(move_in, housed.get(key, move_in))
    return housed


def effective_move_in(s: Stay, housed: dict) -> date | None:
    """A PH member's move-in: the household's (the head's) when the member was there by
    then and had not left before it; the member's own start when they joined after it;
    none otherwise (tables.move_in_dates)."""
    moved = housed.get((s.household, s.project))
    if moved is None or (s.exit is not None and s.exit < moved):
        return None
    return max(moved, s.entry)


def read_stays(projects, start, end, lo, hi, housed) -> dict[int, list[Stay]]:
    """{client pk: their stays, by start} for the clients with keys in [lo, hi): every stay
    in the CoC's SPM project types that started by the report end and had not ended
    before the lookback stop date of ``start``, NbN bed nights (lookback .. report end) attached.
    Two queries (more for the bed nights of over 5,000 night-by-night stays)."""
    lookback = lookback_date(start)
    rows = (Enrollment.objects.filter(project__in=projects, project__project_type__in=SPM_TYPES,
                                      client_id__gte=lo, client_id__lt=hi, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=lookback))
            .order_by("client_id", "entry_date", "pk").values_list(*STAY_FIELDS))
    by_client, nbn = defaultdict(list), {}
    for (pk, client, client_id, kind, entry, exit_date, destination, household, project, relationship,
         situation, los, previous, started) in rows.iterator(chunk_size=5000):
        s = Stay(pk, client, client_id, kind, entry, exit_date, destination, None, household, project,
                 relationship == 1, situation, los, previous, started)
        if kind in PH:
            s.move_in = effective_move_in(s, housed)
        elif kind == ES_NBN:
            nbn[pk] = s
        by_client[client].append(s)
    keys = list(nbn)
    for i in range(0, len(keys), 5000):  # by the services' enrollment index, a few thousand stays a query
        nights = (Service.objects.filter(enrollment_id__in=keys[i:i + 5000], record_type=ServiceRecordType.BED_NIGHT,
                                         date_provided__gte=lookback, date_provided__lte=end)
                  .order_by("date_provided").values_list("enrollment_id", "date_provided"))
        for pk, day in nights.iterator(chunk_size=5000):
            nbn[pk].bed_nights.append(day)
    return by_client


# --- Nights ---------------------------------------------------------------------------------------
# A set of nights is a sorted list of inclusive runs [first, last] of day ordinals.


def merged(runs) -> list:
    """Sorted, overlapping and touching runs joined: consecutive nights make one run."""
    return _joined(sorted(runs))


def _joined(ordered) -> list:
    out = []
    for a, b in ordered:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def union(run_lists) -> list:
    """merged() of several merged lists without sorting them again (a night-by-night stay
    can have hundreds of runs); one list is returned as it is."""
    lists = [runs for runs in run_lists if runs]
    if len(lists) <= 1:
        return lists[0] if lists else []
    return _joined(heapq.merge(*lists))


def clipped(runs, first) -> list:
    """The runs from night ``first`` on."""
    if not runs or runs[0][0] >= first:
        return runs
    return [[max(a, first), b] for a, b in runs if b >= first]


def without(runs, minus) -> list:
    """The nights of ``runs`` that are not in ``minus`` (both merged), in one pass."""
    if not minus:
        return runs
    out, j = [], 0
    for a, b in runs:
        while j < len(minus) and minus[j][1] < a:  # ends before this run and so before every later one
            j += 1
        first, k = a, j
        while k < len(minus) and minus[k][0] <= b and first <= b:
            c, d = minus[k]
            if c > first:
                out.append([first, c - 1])
            first = max(first, d + 1)
            k += 1
        if first <= b:
            out.append([first, b])
    return out


def stay_nights(s: Stay, end) -> list:
    """The nights a stay counts as homeless (SPEC 1.1, Glossary Method 5): every night from
    the start to the day before the exit, none after the report end; in PH, only the
    nights before the housing move-in (the move-in night is housed, not homeless); in an
    ES night-by-night, only the recorded bed nights from the start and before the exit
    (a bed night on the exit date is a data-entry error)."""
    if s.project_type == ES_NBN:
        return merged([d.toordinal(), d.toordinal()] for d in s.bed_nights
                      if s.entry <= d <= end and (s.exit is None or d < s.exit))
    last = s.move_in if s.project_type in PH and s.move_in else s.exit
    last = min(last - timedelta(days=1), end) if last else end
    return [[s.entry.toordinal(), last.toordinal()]] if last >= s.entry else []


def housed_nights(s: Stay, end) -> list:
    """The nights that negate homeless nights in Measure 1: in TH (rows x.1), every night
    of the stay; in PH, the nights from the move-in to the day before the exit."""
    if s.project_type == TH:
        first = s.entry
    elif s.project_type in PH and s.move_in:
        first = s.move_in
    else:
        return []
    last = min(s.exit - timedelta(days=1), end) if s.exit else end
    return [[first.toordinal(), last.toordinal()]] if last >= first else []


def self_reported_nights(s: Stay, lookback) -> list:
    """3.917.3 (approximate date this episode of homelessness started), Measure 1b step 5:
    every night from that date up to and including the project start (a: entry-exit
    stays) or the earliest bed night of the stay (b: ES night-by-night) is homeless, when
    that anchor is on or after the lookback stop date, even if the reported date is
    before it. A reported date on or after the anchor adds nothing."""
    if s.date_to_street_essh is None:
        return []
    if s.project_type == ES_NBN:
        # Bed nights are read from the lookback stop date on: a stay that started before it
        # most likely had its earliest bed night before it too, so it adds nothing.
        nights = [d for d in s.bed_nights if d >= s.entry and (s.exit is None or d < s.exit)]
        anchor = nights[0] if nights and s.entry >= lookback else None
    else:
        anchor = s.entry
    if anchor is None or anchor < lookback or s.date_to_street_essh >= anchor:
        return []
    return [[s.date_to_street_essh.toordinal(), anchor.toordinal()]]


def episode(runs) -> list:
    """Measure 1 steps 3-4 on merged runs: the client end date is the latest night (all
    nights are on or before the report end); the client start date is 365 days before
    it, extended back through a run of consecutive nights that crosses it ([GR] walks
    back "until there is a break"). Runs that end on or before the start date are
    dropped."""
    if not runs:
        return []
    start = runs[-1][1] - WINDOW_DAYS
    return [r for r in runs if r[1] > start]


@dataclass(frozen=True)
class Row1:
    label: str
    types: frozenset  # project types whose nights count
    negating: frozenset  # project types whose housed nights negate them (TH and/or PH)
    self_reported: bool  # Measure 1b: 3.917 nights and PH nights before move-in


# Row labels, column headers and titles throughout: HUD's table shells in the FY2026 SPM Programming
# Specifications (V1.0, October 2025, aligned with the FY2026 HMIS Data Standards), as transcribed in a
# public markdown copy of them (the PDF itself was not reachable); the Green River FY2026 code uses the
# same words. Rows are Metric 1 and 2 of each table (lines 2 and 3 of HUD's shell).
M1_ROWS = {
    "1a": [Row1("Persons in ES-EE, ES-NbN, and SH", frozenset(ES | {SH}), frozenset(PH | {TH}), False),
           Row1("Persons in ES-EE, ES-NbN, SH, and TH", frozenset(ES | {SH, TH}), frozenset(PH), False)],
    "1b": [Row1("Persons in ES-EE, ES-NbN, SH, and PH", frozenset(ES | {SH}), frozenset(PH | {TH}), True),
           Row1("Persons in ES-EE, ES-NbN, SH, TH, and PH", frozenset(ES | {SH, TH}), frozenset(PH), True)],
}


def ph_counts_in_1b(s: Stay, start, end) -> bool:
    """Measure 1b step 1c: a PH stay adds its nights before move-in (and its 3.917 nights)
    when the client was literally homeless at entry and the stay started, moved in, or
    (never moved in) exited in the report period."""
    if s.project_type not in PH or not literally_homeless_at_entry(s):
        return False
    moved = s.move_in if s.move_in and s.move_in <= end else None  # a later move-in has not happened yet
    return (start <= s.entry <= end or (moved is not None and start <= moved)
            or (moved is None and s.exit is not None and start <= s.exit <= end))


def days_homeless(stays, row: Row1, start, end) -> int | None:
    """One client's length of time homeless on a Measure 1 row, or None when the client is
    not in the row (no homeless night in the report period once negated).

    Steps: (1-2) the nights of the stays in the row's types (for 1b also qualifying PH
    stays' nights before move-in), clipped at the lookback stop date, less the nights in
    the negating types; (3-4) the episode; (5, 1b) the 3.917 nights of those same stays
    added (negated too, as [GR] does: a night housed in TH or PH is not homeless whatever
    was reported later) and the episode taken again; (6) the distinct nights counted.
    3.917 nights come only from stays that count in the row ("each relevant project
    stay"): a TH stay's reported start counts on 1b.2, not on 1b.1, where TH is not
    homelessness; [GR] reads them from TH stays on 1b.1 too."""
    lookback = lookback_date(start)
    first = lookback.toordinal()
    counted = [s for s in stays if s.project_type in row.types
               or row.self_reported and ph_counts_in_1b(s, start, end)]
    if not counted:
        return None
    minus = union(nights_of(s, end)[1] for s in stays if s.project_type in row.negating)
    nights = union(clipped(nights_of(s, end)[0], first) for s in counted)
    runs = episode(without(nights, minus))
    if row.self_reported:
        reported = [r for s in counted for r in self_reported_nights(s, lookback)]
        if reported:
            runs = episode(without(merged(runs + reported), minus))
    if not runs or runs[-1][1] < start.toordinal():
        return None
    return sum(b - a + 1 for a, b in runs)


# --- Measure 2 ------------------------------------------------------------------------------------

M2_ROWS = [("Exit was from SO", {SO}), ("Exit was from ES", ES), ("Exit was from TH", {TH}),
           ("Exit was from SH", {SH}), ("Exit was from PH", PH)]
RETURN_BANDS = [(0, 180), (181, 365), (366, 730)]  # < 6 months, 6-12 months, 13-24 months


def permanent_exit(stays, start, end) -> Stay | None:
    """The client's earliest exit to a permanent destination (tables.PERMANENT, list 3.12)
    from SO, ES, TH, SH or PH in the window (return_window); on a tie of exit dates the
    record with the lowest enrollment ID (FY2026 SPM specifications, Measure 2 step 2; an
    older vendor page said the earlier start): the first stored, our key's order."""
    first, last = return_window(start, end)
    found = [s for s in stays if s.exit and first <= s.exit <= last and s.destination in hud.PERMANENT]
    return min(found, key=lambda s: (s.exit, s.pk)) if found else None


def is_transfer(s: Stay, stays) -> bool:
    """A PH start that comes while another PH stay of the client's is open or within 14
    days of its exit continues that housing; it is not a return. [GR other_ph?] looks
    only at PH stays that started on or after the exit being followed; we look at every
    earlier PH stay of the client's (a PH stay that started before that exit and ended
    later is housing just the same)."""
    return any(o is not s and o.project_type in PH and o.entry < s.entry
               and (o.exit is None or s.entry <= o.exit + timedelta(days=TRANSFER_DAYS)) for o in stays)


def first_return(stays, left: Stay) -> tuple[Stay, int] | None:
    """The client's return to homelessness after ``left``: the first stay that starts on
    or after its exit date and within 730 days of it, in SO, ES, TH or SH at once, or in
    PH more than 14 days after the exit and not a transfer (is_transfer). Reading chosen:
    the 14-day rule applies to PH starts only, as in [GR]'s FY2026 code (the newest reading
    the notes found); vendors' pages written for older editions
    (Clarity/Bitfocus, Utah HMIS 2020) also apply it to TH starts. A TH start is a new
    homeless stay, not a move between housing, so it counts at once (SPEC 1.3, 5.2)."""
    for s in stays:
        if s is left or s.entry < left.exit:
            continue
        days = (s.entry - left.exit).days
        if days > RETURN_DAYS:
            return None
        if s.project_type in PH:
            if days > TRANSFER_DAYS and not is_transfer(s, stays):
                return s, days
        else:
            return s, days
    return None


# --- Measure 3.2 ----------------------------------------------------------------------------------

M3_ROWS = [("Emergency Shelter Total", ES), ("Safe Haven Total", {SH}), ("Transitional Housing Total", {TH})]


def sheltered_in(stays, kinds, start, end) -> bool:
    """Active in the period in these project types (Method 5): a night in the period, the
    exit day not being one; in ES-NbN a bed night in it."""
    lo, hi = start.toordinal(), end.toordinal()
    return any(b >= lo and a <= hi for s in stays if s.project_type in kinds
               for a, b in nights_of(s, end)[0])


# --- The tables -----------------------------------------------------------------------------------

# HUD's shells (see M1_ROWS). Measure 1 repeats "Difference" (columns E and H) as HUD does.
M1_COLUMNS = ["", "Previous FY Universe (Persons)", "Current FY Universe (Persons)",
              "Previous FY Average LOT Experiencing Homelessness", "Current FY Average LOT Experiencing Homelessness",
              "Difference", "Previous FY Median LOT Experiencing Homelessness",
              "Current FY Median LOT Experiencing Homelessness", "Difference"]
M2_COLUMNS = ["", "Total Number of Persons who Exited to a Permanent Housing Destination (2 Years Prior)",
              "Number Returning to Homelessness in Less than 6 Months (0-180 days)",
              "Percentage of Returns in Less than 6 Months (0-180 days)",
              "Number Returning to Homelessness from 6 to 12 Months (181-365 days)",
              "Percentage of Returns from 6 to 12 Months (181-365 days)",
              "Number Returning to Homelessness from 13 to 24 Months (366-730 days)",
              "Percentage of Returns from 13 to 24 Months (366-730 days)",
              "Number of Returns in 2 Years", "Percentage of Returns in 2 Years"]
M3_COLUMNS = ["", "Previous FY", "Current FY", "Difference"]
M3_UNIVERSE = "Universe: Unduplicated Total sheltered persons"
# HUD's table names are 1a, 1b, "2a and 2b" and 3.2; Measure 2's code stays "2" because the code is
# also the table's HTML id and a part of its URL and file name (2.csv), where spaces do not belong.
# Metric 3.1 (the PIT counts) is typed into HDX from the PIT: HUD says it is not to be programmed.
TITLES = {
    "1a": "Measure 1a: Length of Time Persons Experience Homelessness",
    "1b": "Measure 1b: Length of Time Persons Experience Homelessness (with 3.917 and PH time before "
          "housing move-in)",
    "2": "Measure 2a and 2b: The Extent to which Persons Who Exit Homelessness to Permanent Housing "
         "Destinations Return to Homelessness within 6, 12, and 24 months",
    "3.2": "Metric 3.2 – Change in annual counts of persons experiencing sheltered homelessness in HMIS",
}


def _days_figure(value) -> str:
    return hud._days(value, "0.01")  # HDX takes averages and medians with two decimals


def _difference(now: str, before: str) -> str:
    return _days_figure(Decimal(now) - Decimal(before))


@dataclass
class Results:
    """One period's persons: Measure 1 {row label: {Client ID: days}}, Measure 2 exits
    {row label: Client IDs} and returns {row label: [Client IDs per band]}, Measure 3.2
    {row label: Client IDs}."""
    m1: dict = field(default_factory=lambda: {row.label: {} for rows in M1_ROWS.values() for row in rows})
    exits: dict = field(default_factory=lambda: {label: set() for label, _ in M2_ROWS})
    returns: dict = field(default_factory=lambda: {label: [set() for _ in RETURN_BANDS] for label, _ in M2_ROWS})
    sheltered: dict = field(default_factory=lambda: {label: set() for label, _ in M3_ROWS})

    def add(self, stays, start, end) -> None:
        """One client's stays (those that started by ``end``) counted for start..end."""
        who = stays[0].client_id
        for rows in M1_ROWS.values():
            for row in rows:
                days = days_homeless(stays, row, start, end)
                if days is not None:
                    self.m1[row.label][who] = days
        left = permanent_exit(stays, start, end)
        if left is not None:
            label = next(label for label, kinds in M2_ROWS if left.project_type in kinds)
            self.exits[label].add(who)
            back = first_return(stays, left)
            if back is not None:
                band = next(i for i, (lo, hi) in enumerate(RETURN_BANDS) if lo <= back[1] <= hi)
                self.returns[label][band].add(who)
        for label, kinds in M3_ROWS:
            if sheltered_in(stays, kinds, start, end):
                self.sheltered[label].add(who)


def _lot(days: dict) -> tuple[set, str, str]:
    """Persons, average and median length of time homeless (0.00 when nobody)."""
    values = list(days.values())
    median = statistics.median(values) if values else 0
    return set(days), hud._mean(values, "0.01"), _days_figure(median)


def _m1_table(code, previous: Results, current: Results) -> Table:
    """Previous FY: the same measure over the same dates a year earlier, from the data as it
    is now (HDX fills that column from the CoC's last submission; data corrected since
    would make them differ). Differences: current - previous."""
    rows = []
    for row in M1_ROWS[code]:
        was, was_average, was_median = _lot(previous.m1[row.label])
        who, average, median = _lot(current.m1[row.label])
        rows.append((row.label, [Cell(was), Cell(who), Cell(set(was), value=was_average),
                                 Cell(set(who), value=average), Cell(value=_difference(average, was_average)),
                                 Cell(set(was), value=was_median), Cell(set(who), value=median),
                                 Cell(value=_difference(median, was_median))]))
    return Table(code, TITLES[code], M1_COLUMNS, rows)


def _m2_table(current: Results) -> Table:
    """HUD's Measure 2 table has no previous-FY columns."""
    exits, returns = current.exits, current.returns
    rows = []
    total_exits, total_returns = set(), [set() for _ in RETURN_BANDS]
    for label, _ in M2_ROWS:
        total_exits |= exits[label]
        for i, ids in enumerate(returns[label]):
            total_returns[i] |= ids
    for label, left, back in [*[(label, exits[label], returns[label]) for label, _ in M2_ROWS],
                              ("TOTAL Returns to Homelessness", total_exits, total_returns)]:
        cells = [Cell(set(left))]
        for ids in [*back, set().union(*back)]:
            cells += [Cell(set(ids)), Cell(value=hud._rate(len(ids), len(left)))]
        rows.append((label, cells))
    return Table("2", TITLES["2"], M2_COLUMNS, rows)


def _m3_table(previous: Results, current: Results) -> Table:
    def rows_of(results):
        return [(M3_UNIVERSE, set().union(*results.sheltered.values())),
                *[(label, results.sheltered[label]) for label, _ in M3_ROWS]]

    rows = [(label, [Cell(set(was)), Cell(set(now)), Cell(value=len(now) - len(was))])
            for (label, was), (_, now) in zip(rows_of(previous), rows_of(current), strict=True)]
    return Table("3.2", TITLES["3.2"], M3_COLUMNS, rows)


def measure_one_to_three(projects, start, end, progress=lambda done, total: None) -> list[Table]:
    """Tables 1a, 1b, 2 and 3.2 for the CoC's projects, with the previous FY (the same
    dates a year earlier) worked out in the same pass: the stays are read in batches of
    client keys from the earlier period's lookback; progress(done, total) after each."""
    chosen = projects.filter(project_type__in=SPM_TYPES)
    periods = {"previous": (hud.add_years(start, -1), hud.add_years(end, -1)), "current": (start, end)}
    first = periods["previous"][0]
    lookback = lookback_date(first)
    span = (Enrollment.objects.filter(project__in=chosen, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=lookback))
            .aggregate(lo=Min("client_id"), hi=Max("client_id")))
    housed = effective_move_ins(chosen, end)
    results = {when: Results() for when in periods}
    batches = [] if span["lo"] is None else list(range(span["lo"], span["hi"] + 1, BATCH))
    for done, lo in enumerate(batches, start=1):
        for stays in read_stays(chosen, first, end, lo, lo + BATCH, housed).values():
            for when, (a, b) in periods.items():
                begun = [s for s in stays if s.entry <= b]  # a stay that starts later is not there yet
                if begun:
                    results[when].add(begun, a, b)
        progress(done, len(batches))
    previous, current = results["previous"], results["current"]
    return [_m1_table("1a", previous, current), _m1_table("1b", previous, current), _m2_table(current),
            _m3_table(previous, current)]


# --- The viewer and the report --------------------------------------------------------------------


def build(projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """The SPM's tables: 1a, 1b, 2 and 3.2, then those of reports/hud/spm_measures.py
    (measure_tables(projects, start, end, viewer): 4, 5, 7) when that module is there.
    ``viewer`` (consent.visibility.Viewer) is whom it is made for (None: the HMIS Lead)."""
    has_more = importlib.util.find_spec(f"{__package__}.spm_measures") is not None
    steps = 2 if has_more else 1

    def part(done, total):
        progress(done, total * steps)

    result = hud.narrowed(measure_one_to_three(projects, start, end, part),
                          hud.system_visible_ids(projects, viewer))
    if has_more:
        from . import spm_measures

        if hasattr(spm_measures, "measure_tables"):  # it applies the viewer to its own tables
            result += spm_measures.measure_tables(projects, start, end, viewer)
    progress(1, 1)
    return result
