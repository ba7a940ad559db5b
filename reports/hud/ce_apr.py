"""HUD's Coordinated Entry APR (FY2026): Q4a, Q5a, Q6a, Q7a, Q8a, Q9a-Q9d and Q10
(reports/hud/SPEC_APR_CAPER.md 6.3, 6.5), from the CE assessments (4.19) and events
(4.20) of the chosen projects. Its own universe, not tables.universe:

- **Participation** (2.09): a record counts only while its project participates in
  coordinated entry: a CE participation record that is an access point or receives
  referrals covers the record's date. A Continuum project (2.02.5) only. Assessments and
  events of any other project or day are left out of every table.
- **Assessments** dated in the report period; **events** from the report start to the
  report end + 90 days (Q9c/Q9d), or in the period (Q10, the year's activity).
- **Persons** (Q4a-Q9): the households with an assessment in the period. Each household
  is reported on its latest assessment, with the members whose stay in that household
  covers the assessment date (start <= date <= exit): one who joined later is not in
  the report, nor in the household type. A person in several such households is
  reported on the one with the latest assessment (the reported enrollment). Age, adult or
  child and household type follow tables.py (age at the later of report start and
  project start; household_type).
- **Q9**: heads of household, on their household's latest assessment (Q9a, Q9b) and on
  their latest access event (Q9c) or referral event (Q9d) found by the spec's steps
  (latest_event).

Where HUD Data Lab's reference code [DL CE_APR.R] and Green River's implementation [GR]
differ, the choice is stated beside the code. 4.20.A (problem solving/diversion result:
housed or re-housed in a safe alternative) and 4.20.B (enrolled in aftercare) are
CeEvent.prob_sol_div_rr_result and referral_case_manage_after ("yes" = 1).
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q

from agencies.models import CeParticipation, Project
from enrollments.hud_lists import CeAssessmentLevel, CeAssessmentType, CeEventType, PrioritizationStatus, ReferralResult
from enrollments.models import CeAssessment, CeEvent, Enrollment

from . import tables as hud
from .tables import BLANK, HOUSEHOLD_TYPES, STREET_OUTREACH, Cell, Person, Table, age_on, household_type

YES = 1  # 4.20.A and 4.20.B are No/Yes/Missing (1.7)
EVENT_DAYS = 90  # events count up to 90 days after the report end (Q9c, Q9d)
ACCESS_EVENTS = (1, 2, 3, 4)
REFERRAL_EVENTS = tuple(range(5, 19))
# Referrals to a residential project or voucher: the only events whose referral result
# (4.20.D) the report reads ([DL] 10:15, 17:18; [GR] the same).
RESIDENTIAL_REFERRALS = (10, 11, 12, 13, 14, 15, 17, 18)
HH_COLUMNS = ["", "Total", *HOUSEHOLD_TYPES]
CODES = ["Q4a", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9c", "Q9d", "Q10"]


# --- The universe -------------------------------------------------------------------------------


def participation(projects) -> dict:
    """{project id: [(start, end or None)]}: the periods each project took part in
    coordinated entry, as an access point or receiving referrals (2.09)."""
    periods = defaultdict(list)
    for project_id, begins, ends in (CeParticipation.objects.filter(project__in=projects)
                                     .filter(Q(access_point=1) | Q(receives_referrals=1))
                                     .values_list("project_id", "start_date", "end_date")):
        periods[project_id].append((begins, ends))
    return periods


def participating(periods, project_id, day) -> bool:
    return any(begins <= day and (ends is None or day <= ends) for begins, ends in periods[project_id])


def _records(model, projects, first, last, periods, viewer):
    """The assessments or events of the chosen Continuum projects dated first..last,
    recorded while their project took part in CE; for an agency's report, only those the
    agency may see (another agency's record under a consent that does not share it
    counts as not recorded, as for client values in tables.people)."""
    rows = model.objects.filter(enrollment__project__in=projects, enrollment__project__continuum_project=1,
                                information_date__gte=first, information_date__lte=last)
    if viewer is not None and not viewer.is_admin:
        from consent.visibility import visible_records

        rows = visible_records(viewer, rows)
    rows = rows.select_related("enrollment", "enrollment__client").order_by("information_date", "pk")
    return [r for r in rows if participating(periods, r.enrollment.project_id, r.information_date)]


class Universe:
    """The CE APR's persons and the records the tables read."""

    def __init__(self, projects, start, end, viewer=None):
        self.start, self.end, self.last_event_day = start, end, end + timedelta(days=EVENT_DAYS)
        self.periods = participation(projects)
        self.assessments = _records(CeAssessment, projects, start, end, self.periods, viewer)
        self.events = _records(CeEvent, projects, start, self.last_event_day, self.periods, viewer)
        # Assessments after the report end (up to + 90 days) end the search for a
        # household's event (latest_event, step c).
        self.later_assessments = _records(CeAssessment, projects, end + timedelta(days=1), self.last_event_day,
                                          self.periods, viewer)
        self.events_of = defaultdict(list)  # client pk -> their events, by date
        for ev in self.events:
            self.events_of[ev.enrollment.client_id].append(ev)
        self.cutoff = {}  # client pk -> their first assessment after the report end
        for a in reversed(self.later_assessments):
            self.cutoff[a.enrollment.client_id] = a.information_date
        self.household_assessment = {}  # household ID -> its latest assessment in the period
        for a in self.assessments:  # oldest first: the last one wins (ties: the later-entered record)
            self.household_assessment[a.enrollment.household_id] = a
        self.persons = self._persons(projects, viewer)

    def _persons(self, projects, viewer) -> list[Person]:
        households = self.household_assessment
        stays = list(Enrollment.objects.filter(project__in=projects, household_id__in=list(households))
                     .select_related("client", "project", "project__agency").order_by("entry_date", "pk"))
        if viewer is not None and not viewer.is_admin:
            from clients.selectors import as_seen_by

            as_seen_by(viewer, [e.client for e in stays])
        members = defaultdict(list)  # household ID -> Persons present on its assessment date
        for e in stays:
            day = households[e.household_id].information_date
            if e.entry_date <= day and (e.exit_date is None or day <= e.exit_date):
                age = age_on(e.client.dob, max(self.start, e.entry_date))
                exited = e.exit_date if e.exit_date and e.exit_date <= self.end else None
                members[e.household_id].append(Person(
                    e, e.client.client_id, age if age is not None and age >= 0 else None, e.client.dob_data_quality,
                    e.relationship_to_hoh == 1, exit_date=exited))
        for ms in members.values():
            kind = household_type(ms)  # only the members present on the assessment date
            for m in ms:
                m.household_type = kind
        # One row per client: the household with the latest assessment (then the later stay).
        reported = {}
        for p in sorted((p for ms in members.values() for p in ms), key=lambda p: (
                households[p.enrollment.household_id].information_date, households[p.enrollment.household_id].pk,
                p.enrollment.entry_date, p.enrollment.pk)):
            reported[p.client_id] = p
        return list(reported.values())

    def assessment_of(self, p: Person) -> CeAssessment:
        return self.household_assessment[p.enrollment.household_id]

    def heads(self) -> list[Person]:
        return [p for p in self.persons if p.is_head]

    def dq_persons(self) -> list[Person]:
        """The "Count of Clients for DQ" universe ([DL] dq_recent_assessment): street
        outreach clients only once engaged (date of engagement on or before the report end)."""
        return [p for p in self.persons if p.project_type != STREET_OUTREACH
                or (p.enrollment.date_of_engagement is not None and p.enrollment.date_of_engagement <= self.end)]

    def latest_event(self, head: Person, kinds):
        """The CE APR's steps for a head of household's event of the given kinds: the
        head's events dated a) on or after the household's assessment date, b) on or
        before the report end + 90 days and c) before any assessment of the head dated
        after the report end (up to + 90 days): "any" read as every one of them, so before
        the earliest ([GR] takes the latest such assessment; [DL] differs between
        versions). Of those, the latest from the assessment's project, else the latest.
        Q9c and Q9d each search their own event kinds ([DL] get_relevant_events, per table;
        [GR] takes one latest event for both, so a referral after a diversion would hide
        the diversion from Q9c: the spec reports each table's latest relevant event)."""
        assessment = self.assessment_of(head)
        client = head.enrollment.client_id
        cutoff = self.cutoff.get(client)
        found = [ev for ev in self.events_of[client] if ev.event in kinds
                 and assessment.information_date <= ev.information_date <= self.last_event_day
                 and (cutoff is None or ev.information_date < cutoff)]
        same_project = [ev for ev in found if ev.enrollment.project_id == assessment.enrollment.project_id]
        chosen = same_project or found
        return chosen[-1] if chosen else None  # events are ordered by date, then entry


# --- Tables -------------------------------------------------------------------------------------


def _blank_row(label, width):
    return (label, [Cell(value=BLANK) for _ in range(width)])


def _rate_row(label, part, whole):
    """A percentage per household-type column: part of whole (persons), as tables.py writes
    rates."""
    cells = []
    for kind in [None, *HOUSEHOLD_TYPES]:
        chosen = {p.client_id for p in part if kind is None or p.household_type == kind}
        among = {p.client_id for p in whole if kind is None or p.household_type == kind}
        cells.append(Cell(chosen, value=hud._rate(len(chosen), len(among))))
    return (label, cells)


# Q5a rows the CE APR leaves blank ([GR] intentionally_blank B/C 6-10, 12, 14, 17; [DL] the same rows).
Q5A_BLANK = {"Number of leavers", "Number of adult leavers", "Number of adult and head of household leavers",
             "Number of stayers", "Number of adult stayers", "Number of chronically homeless persons",
             "Number of parenting youth under age 25 with children",
             "Heads of households and adult stayers in the project 365 days or more"}


def q5a(u: Universe) -> Table:
    """Tables.q5a's rows, with both of HUD's columns: the DQ universe (street outreach only
    once engaged) and every client."""
    table = hud.q5a(u.dq_persons(), u.end, everyone=u.persons)
    table.rows = [_blank_row(label, 2) if label in Q5A_BLANK else (label, cells) for label, cells in table.rows]
    return table


def q7a(u: Universe) -> Table:
    """Tables.q7a, without the move-in row's figures (blank in the CE APR: [GR] no row-7
    cells, [DL] NA)."""
    table = hud.q7a(u.persons)
    label = table.rows[-1][0]
    table.rows[-1] = _blank_row(label, len(HH_COLUMNS) - 1)
    return table


def q8a(u: Universe) -> Table:
    """Tables.q8a, with the move-in row blank ([GR] B3-F3 intentionally blank)."""
    table = hud.q8a(u.persons)
    table.rows[-1] = _blank_row(table.rows[-1][0], len(HH_COLUMNS) - 1)
    return table


def q9a(u: Universe) -> Table:
    """Households (their heads) by the type of their latest assessment in the period."""
    heads = u.heads()
    rows = [hud._by_household(label, [h for h in heads if u.assessment_of(h).assessment_type == kind])
            for label, kind in [("Phone", CeAssessmentType.PHONE), ("Virtual", CeAssessmentType.VIRTUAL),
                                ("In-person", CeAssessmentType.IN_PERSON)]]
    rows.append(hud._by_household("Total Households Assessed", heads))
    return Table("Q9a", "Assessment Type - Households Assessed in the Date Range", HH_COLUMNS, rows)


def q9b(u: Universe) -> Table:
    """Households by the prioritization status of their latest assessment, and the share
    placed on the list of those with either status."""
    heads = u.heads()
    placed = [h for h in heads if u.assessment_of(h).prioritization_status == PrioritizationStatus.PLACED]
    not_placed = [h for h in heads if u.assessment_of(h).prioritization_status == PrioritizationStatus.NOT_PLACED]
    return Table("Q9b", "Prioritization Status - Households Prioritized in the Date Range", HH_COLUMNS, [
        hud._by_household("Placed on Prioritization List (Prioritized)", placed),
        hud._by_household("Not Placed on Prioritization List", not_placed),
        _rate_row("Percent of Assessed Prioritized", placed, placed + not_placed),
    ])


def q9c(u: Universe) -> Table:
    """Households by their latest access event (1-4, latest_event); those whose latest is a
    problem-solving/diversion event with 4.20.A "yes" count as re-housed, and the success
    rate is of the households whose latest is a diversion event."""
    found = {h.client_id: u.latest_event(h, ACCESS_EVENTS) for h in u.heads()}
    with_event = [h for h in u.heads() if found[h.client_id]]
    rows = [hud._by_household(CeEventType(kind).label, [h for h in with_event if found[h.client_id].event == kind])
            for kind in ACCESS_EVENTS]
    rows.append(hud._by_household("Total", with_event))
    diverted = [h for h in with_event if found[h.client_id].event == CeEventType.DIVERSION]
    rehoused = [h for h in diverted if found[h.client_id].prob_sol_div_rr_result == YES]
    rows.append(hud._by_household("Result: Client housed/Re-Housed in a safe alternative", rehoused))
    rows.append(_rate_row("Percent of successful referrals to Problem Solving/Diversion/Rapid Resolution",
                          rehoused, diverted))
    return Table("Q9c", "Access Events - Households with an Access Event", HH_COLUMNS, rows)


Q9D_LABELS = {
    5: "Post-placement/follow-up case management", 6: "Street Outreach project or services",
    7: "Housing Navigation project or services", 8: "Non-continuum services: Ineligible for continuum services",
    9: "Non continuum services: No availability in continuum services", 10: "Emergency Shelter bed opening",
    11: "Transitional Housing bed/unit opening", 12: "Joint TH-RRH project/unit/resource opening",
    13: "RRH project resource opening", 14: "PSH project resource opening", 15: "Other PH project",
    16: "Referral to emergency assistance/flex fund/furniture assistance",
    17: "Referral to Emergency Housing Voucher (EHV)", 18: "Referral to a Housing Stability Voucher",
}


def q9d(u: Universe) -> Table:
    """Households by their latest referral event (5-18, latest_event); the share of the
    prioritized households (Q9b row 1) with one; the referral results (4.20.D) of the
    referrals to residential projects and vouchers (10-15, 17, 18), "no result recorded"
    being those without one ([DL]; [GR] also counts diversion and case-management events
    without their own results there); enrolled in aftercare (latest referral a post-placement
    case management referral with 4.20.B "yes"); and the share of residential referrals accepted."""
    heads = u.heads()
    found = {h.client_id: u.latest_event(h, REFERRAL_EVENTS) for h in heads}
    referred = [h for h in heads if found[h.client_id]]
    rows = [hud._by_household(Q9D_LABELS[kind], [h for h in referred if found[h.client_id].event == kind])
            for kind in REFERRAL_EVENTS]
    rows.append(hud._by_household("Total", referred))
    prioritized = [h for h in heads if u.assessment_of(h).prioritization_status == PrioritizationStatus.PLACED]
    rows.append(_rate_row("Of the total HH prioritized (Q9b row 1) what percentage received a referral",
                          [h for h in prioritized if found[h.client_id]], prioritized))
    residential = [h for h in referred if found[h.client_id].event in RESIDENTIAL_REFERRALS]
    accepted = [h for h in residential if found[h.client_id].referral_result == ReferralResult.ACCEPTED]
    for label, result in [("Result: Successful referral: client accepted", ReferralResult.ACCEPTED),
                          ("Result: Unsuccessful referral: client rejected", ReferralResult.CLIENT_REJECTED),
                          ("Result: Unsuccessful referral: provider rejected", ReferralResult.PROVIDER_REJECTED),
                          ("No result recorded", None)]:
        rows.append(hud._by_household(label, [h for h in residential if found[h.client_id].referral_result == result]))
    rows.append(hud._by_household("Result: Enrolled in Aftercare project", [
        h for h in referred if found[h.client_id].event == CeEventType.POST_PLACEMENT
        and found[h.client_id].referral_case_manage_after == YES]))
    rows.append(_rate_row("Percent of successful referrals to residential projects", accepted, residential))
    return Table("Q9d", "Referral Events - Households Who Were Referred", HH_COLUMNS, rows)


Q10_COLUMNS = ["Assessment/Event", "Total Occurrences", "Successful Referral", "Unsuccessful Referral: client rejected",
               "Unsuccessful Referral: provider rejected", "Re-housed in safe alternative", "Enrolled in aftercare"]
Q10_ASSESSMENT_LABELS = {CeAssessmentLevel.CRISIS: "Crisis Needs Assessment",
                         CeAssessmentLevel.HOUSING: "Housing Needs Assessment"}
# [GR]'s row labels where they differ from the 4.20.2 list's wording.
Q10_EVENT_LABELS = {
    5: "Referral to post-placement/follow-up case management",
    9: "Referral to Non continuum services: No availability in continuum services",
}


def _occurrences(records) -> Cell:
    """A count of records (not persons), keeping the clients they belong to."""
    return Cell({r.enrollment.client.client_id for r in records}, value=len(records))


def q10(u: Universe) -> Table:
    """Every assessment (by level) and every event (by kind) dated in the report period,
    of any client or stay, in the chosen projects while they took part in CE ("all CE
    activity during the report date range ... regardless of project or enrollment"; events
    to the period's end, not + 90 days, as [DL] counts the year's activity). Referral
    results only for the residential referrals; re-housed (4.20.A "yes") only for diversion
    and aftercare (4.20.B "yes") only for case management; other cells blank ([GR]
    intentionally_blank)."""
    rows = []
    for level in CeAssessmentLevel:
        done = [a for a in u.assessments if a.assessment_level == level]
        rows.append((Q10_ASSESSMENT_LABELS[level], [_occurrences(done)] + [Cell(value=BLANK) for _ in range(5)]))
    in_period = [ev for ev in u.events if ev.information_date <= u.end]
    for kind in CeEventType:
        done = [ev for ev in in_period if ev.event == kind]
        cells = [_occurrences(done)]
        if kind in RESIDENTIAL_REFERRALS:
            cells += [_occurrences([ev for ev in done if ev.referral_result == result]) for result in ReferralResult]
        else:
            cells += [Cell(value=BLANK) for _ in ReferralResult]
        cells.append(_occurrences([ev for ev in done if ev.prob_sol_div_rr_result == YES])
                     if kind == CeEventType.DIVERSION else Cell(value=BLANK))
        cells.append(_occurrences([ev for ev in done if ev.referral_case_manage_after == YES])
                     if kind == CeEventType.POST_PLACEMENT else Cell(value=BLANK))
        rows.append((Q10_EVENT_LABELS.get(kind, kind.label), cells))
    return Table("Q10", "Total Coordinated Entry Activity During the Year", Q10_COLUMNS, rows)


def build(projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """Every CE APR table, calling progress(done, total) as it goes; ``viewer`` as in
    tables.build."""
    u = Universe(projects, start, end, viewer)
    # Q4a lists the chosen projects with an assessment or event in the report's reach.
    active = Project.objects.filter(pk__in={r.enrollment.project_id for r in u.assessments + u.events})
    makers = {
        "Q4a": lambda: hud.q4a(active, start, end, u.persons), "Q5a": lambda: q5a(u),
        "Q6a": lambda: hud.q6a(u.dq_persons(), start), "Q7a": lambda: q7a(u), "Q8a": lambda: q8a(u),
        "Q9a": lambda: q9a(u), "Q9b": lambda: q9b(u), "Q9c": lambda: q9c(u), "Q9d": lambda: q9d(u),
        "Q10": lambda: q10(u),
    }
    tables = []
    for i, code in enumerate(CODES, start=1):
        tables.append(makers[code]())
        progress(i, len(CODES))
    return tables
