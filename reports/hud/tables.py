"""HUD report tables (APR, CAPER, Data Quality) computed from the stays of chosen
projects in a reporting period, following the FY2026 HMIS Programming Specifications'
core definitions:

- **Universe**: every enrollment in the projects active in the period (project start
  on or before the end; no exit, or exit on or after the start). A person with several
  stays is counted once, on their latest stay (HUD's "most recent enrollment").
- **Age** is taken at the later of the report start and the project start; 18 and over
  is an adult. Without a full or partial date of birth the age is unknown ("Client
  doesn't know/prefers not to answer" when DOB quality is 8 or 9, else "Data not collected").
- **Leavers** exited on or before the report end; **stayers** did not.
- **Household type** from every member of the household's stays in the universe:
  adults only, adults and children, children only, or unknown when any member's age is.
- **Chronically homeless** (simplified from the FY2026 definition): an adult or head of
  household with a disabling condition who was homeless (from 3.917) for 12 months
  continuously before the project start, or 4+ times in 3 years totalling 12+ months.

Each cell keeps the Client IDs it counts, so every number links to its clients.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from agencies.hud_lists import ProjectType
from enrollments.models import Assessment, Enrollment

HOMELESS = {116, 101, 118}
INSTITUTIONAL = {215, 206, 207, 225, 204, 205}
TEMPORARY = {302, 329, 314, 332, 336, 335, 312, 313, 327}
PERMANENT = {422, 423, 426, 410, 435, 421, 411}
OTHER_DESTINATIONS = {30, 17, 24, 37, 8, 9, 99}
HOUSEHOLD_TYPES = ["Without Children", "With Children and Adults", "With Only Children", "Unknown Household Type"]


@dataclass
class Cell:
    ids: set = field(default_factory=set)
    value: object = None  # a computed figure (percent, amount) instead of a count

    @property
    def count(self):
        return self.value if self.value is not None else len(self.ids)


@dataclass
class Table:
    code: str
    title: str
    columns: list
    rows: list  # [(label, [Cell...])]

    def as_rows(self):
        return [[label, *[c.count for c in cells]] for label, cells in self.rows]


@dataclass
class Person:
    enrollment: Enrollment
    client_id: str
    age: int | None
    dob_quality: int
    is_head: bool
    household_type: str = "Unknown Household Type"
    exit_date: date | None = None

    @property
    def adult(self):
        return self.age is not None and self.age >= 18

    @property
    def child(self):
        return self.age is not None and self.age < 18


def age_on(dob, day):
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def universe(projects, start, end):
    return (Enrollment.objects.filter(project__in=projects, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start))
            .select_related("client", "project", "project__agency"))


def people(projects, start, end, viewer=None) -> list[Person]:
    """One Person per client, from their latest stay in the universe. For an agency's
    report, client-row values another agency recorded under a consent that does not share
    them count as not collected (C12), as the agency would see them."""
    stays = list(universe(projects, start, end).order_by("entry_date", "pk"))
    if viewer is not None and not viewer.is_admin:
        from clients.selectors import as_seen_by

        as_seen_by(viewer, [e.client for e in stays])
    latest = {}
    for e in stays:
        latest[e.client_id] = e
    result = []
    for e in latest.values():
        exited = e.exit_date if e.exit_date and e.exit_date <= end else None
        dob_ok = e.client.dob is not None and e.client.dob_data_quality in (1, 2)
        result.append(Person(e, e.client.client_id, age_on(e.client.dob, max(start, e.entry_date)) if dob_ok else None,
                             e.client.dob_data_quality, e.relationship_to_hoh == 1, exit_date=exited))
    by_household = defaultdict(list)
    for p in result:
        by_household[p.enrollment.household_id].append(p)
    for members in by_household.values():
        if any(m.age is None for m in members):
            kind = "Unknown Household Type"
        elif all(m.adult for m in members):
            kind = "Without Children"
        elif all(m.child for m in members):
            kind = "With Only Children"
        else:
            kind = "With Children and Adults"
        for m in members:
            m.household_type = kind
    return result


def _by_household(label, members):
    cells = [Cell({m.client_id for m in members})]
    for kind in HOUSEHOLD_TYPES:
        cells.append(Cell({m.client_id for m in members if m.household_type == kind}))
    return (label, cells)


def chronically_homeless(e: Enrollment) -> bool:
    if e.disabling_condition != 1:
        return False
    if e.date_to_street_essh and (e.entry_date - e.date_to_street_essh).days >= 365:
        return True
    return e.times_homeless_past_three_years == 4 and (e.months_homeless_past_three_years or 0) >= 112


# --- Q4a ------------------------------------------------------------------------------


def q4a(projects, start, end, persons) -> Table:
    rows = []
    for p in projects.select_related("agency", "coc").order_by("name"):
        served = {x.client_id for x in persons if x.enrollment.project_id == p.pk}
        rows.append((p.name, [Cell(value=p.agency.name), Cell(value=p.agency_id), Cell(value=p.pk),
                              Cell(value=ProjectType(p.project_type).label), Cell(value=p.coc.code),
                              Cell(value="Yes" if p.agency.is_victim_service_provider else "No"),
                              Cell(value="Open HMIS"), Cell(value=start.isoformat()), Cell(value=end.isoformat()),
                              Cell(served)]))
    return Table("Q4a", "Project Identifiers in HMIS",
                 ["Project Name", "Organization Name", "Organization ID", "Project ID", "HMIS Project Type", "CoC Code",
                  "Victim Service Provider", "HMIS Software Name", "Report Start Date", "Report End Date",
                  "Total Clients"], rows)


# --- Q5a ------------------------------------------------------------------------------


def q5a(persons, end) -> Table:
    def ids(pred):
        return Cell({p.client_id for p in persons if pred(p)})

    youth_households = defaultdict(list)
    for p in persons:
        youth_households[p.enrollment.household_id].append(p)

    def youth(p):
        members = youth_households[p.enrollment.household_id]
        return p.age is not None and 12 <= p.age <= 24 and all(m.age is not None and m.age <= 24 for m in members)

    def parenting_youth(p):
        return p.is_head and youth(p) and p.age >= 12 and any(
            m.child and m is not p for m in youth_households[p.enrollment.household_id])

    rows = [
        ("Total number of persons served", ids(lambda p: True)),
        ("Number of adults (age 18 or over)", ids(lambda p: p.adult)),
        ("Number of children (under age 18)", ids(lambda p: p.child)),
        ("Number of persons with unknown age", ids(lambda p: p.age is None)),
        ("Number of leavers", ids(lambda p: p.exit_date)),
        ("Number of adult leavers", ids(lambda p: p.exit_date and p.adult)),
        ("Number of adult and head of household leavers", ids(lambda p: p.exit_date and (p.adult or p.is_head))),
        ("Number of stayers", ids(lambda p: not p.exit_date)),
        ("Number of adult stayers", ids(lambda p: not p.exit_date and p.adult)),
        ("Number of veterans", ids(lambda p: p.adult and p.enrollment.client.veteran_status == 1)),
        ("Number of chronically homeless persons", ids(lambda p: (p.adult or p.is_head) and chronically_homeless(p.enrollment))),
        ("Number of youth under age 25", ids(youth)),
        ("Number of parenting youth under age 25 with children", ids(parenting_youth)),
        ("Number of adult heads of household", ids(lambda p: p.is_head and p.adult)),
        ("Number of child and unknown-age heads of household", ids(lambda p: p.is_head and not p.adult)),
        ("Heads of households and adult stayers in the project 365 days or more",
         ids(lambda p: not p.exit_date and (p.is_head or p.adult) and (end - p.enrollment.entry_date).days >= 365)),
    ]
    return Table("Q5a", "Report Validations Table", ["Category", "Count of Clients for DQ"],
                 [(label, [cell]) for label, cell in rows])


# --- Q6a-Q6f: data quality -----------------------------------------------------------------


def _issue_row(label, persons, dk, missing, issue, denominator):
    dk_ids = {p.client_id for p in persons if dk(p)}
    missing_ids = {p.client_id for p in persons if missing(p)}
    issue_ids = {p.client_id for p in persons if issue(p)} if issue else set()
    total = dk_ids | missing_ids | issue_ids
    rate = round(100 * len(total) / denominator, 2) if denominator else 0
    return (label, [Cell(dk_ids), Cell(missing_ids), Cell(issue_ids) if issue else Cell(value=""), Cell(total),
                    Cell(value=f"{rate:.2f}%")])


def q6a(persons, start) -> Table:
    n = len(persons)
    c = lambda p: p.enrollment.client  # noqa: E731
    rows = [
        _issue_row("Name", persons, lambda p: c(p).name_data_quality in (8, 9),
                   lambda p: c(p).name_data_quality in (99, None) or not (c(p).first_name and c(p).last_name),
                   lambda p: c(p).name_data_quality == 2, n),
        _issue_row("Social Security Number", persons, lambda p: c(p).ssn_data_quality in (8, 9),
                   lambda p: c(p).ssn_data_quality in (99, None) or not c(p).ssn_encrypted,
                   lambda p: c(p).ssn_data_quality == 2, n),
        _issue_row("Date of Birth", persons, lambda p: c(p).dob_data_quality in (8, 9),
                   lambda p: c(p).dob_data_quality in (99, None) or c(p).dob is None,
                   lambda p: c(p).dob is not None and (c(p).dob_data_quality == 2 or c(p).dob > p.enrollment.entry_date
                                                        or (p.age or 0) > 105), n),
        _issue_row("Race and Ethnicity", persons, lambda p: c(p).race_none in (8, 9),
                   lambda p: c(p).race_none == 99 or not any(getattr(c(p), f) for f in (
                       "am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao", "mid_east_n_african",
                       "native_hi_pacific", "white")) and c(p).race_none is None, None, n),
        _issue_row("Sex", persons, lambda p: c(p).sex in (8, 9), lambda p: c(p).sex in (99, None), None, n),
    ]
    overall = set().union(*[cells[3].ids for _, cells in rows])
    rows.append(("Overall Score", [Cell(value=""), Cell(value=""), Cell(value=""), Cell(overall),
                                   Cell(value=f"{(100 * len(overall) / n if n else 0):.2f}%")]))
    return Table("Q6a", "Data Quality: Personally Identifying Information",
                 ["Data Element", "Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues",
                  "Total", "% of Issue Rate"], rows)


def _error_row(label, persons, error, denominator):
    ids = {p.client_id for p in persons if error(p)}
    return (label, [Cell(ids), Cell(value=f"{(100 * len(ids) / denominator if denominator else 0):.2f}%")])


def q6b(persons, coc_codes) -> Table:
    adults = [p for p in persons if p.adult]
    heads = [p for p in persons if p.is_head]
    household_heads = defaultdict(int)
    for p in persons:
        household_heads[p.enrollment.household_id] += p.is_head
    rows = [
        _error_row("Veteran Status", adults, lambda p: p.enrollment.client.veteran_status in (8, 9, 99, None), len(adults)),
        _error_row("Project Start Date", persons,
                   lambda p: p.enrollment.exit_date is not None and p.enrollment.exit_date < p.enrollment.entry_date, len(persons)),
        _error_row("Relationship to Head of Household", persons,
                   lambda p: p.enrollment.relationship_to_hoh in (99, None) or household_heads[p.enrollment.household_id] != 1,
                   len(persons)),
        _error_row("Enrollment CoC", heads, lambda p: p.enrollment.enrollment_coc not in coc_codes, len(heads)),
        _error_row("Disabling Condition", persons, lambda p: p.enrollment.disabling_condition in (8, 9, 99, None), len(persons)),
    ]
    return Table("Q6b", "Data Quality: Universal Data Elements", ["Data Element", "Error Count", "% of Error Rate"], rows)


def _assessments_by_stage(persons):
    by = defaultdict(dict)
    for a in Assessment.objects.filter(enrollment__in=[p.enrollment for p in persons]):
        by[a.enrollment_id][a.stage] = a
    return by


def q6c(persons, end) -> Table:
    leavers = [p for p in persons if p.exit_date]
    adults_heads = [p for p in persons if p.adult or p.is_head]
    by = _assessments_by_stage(persons)

    def income_error(stage):
        def check(p):
            a = by[p.enrollment.pk].get(stage)
            # Not asked at that stage (null, H1) is missing, as 8, 9 and 99 are.
            return a is None or a.income_from_any_source in (None, 8, 9, 99)
        return check

    annual_due = [p for p in adults_heads if not p.exit_date and (end - p.enrollment.entry_date).days >= 365]
    rows = [
        _error_row("Destination", leavers, lambda p: p.enrollment.destination in (None, 8, 9, 99, 30), len(leavers)),
        _error_row("Income and Sources at Start", adults_heads, income_error(1), len(adults_heads)),
        _error_row("Income and Sources at Annual Assessment", annual_due, income_error(5), len(annual_due)),
        _error_row("Income and Sources at Exit", [p for p in adults_heads if p.exit_date], income_error(3),
                   len([p for p in adults_heads if p.exit_date])),
    ]
    return Table("Q6c", "Data Quality: Income and Housing Data Quality", ["Data Element", "Error Count", "% of Error Rate"], rows)


def q6d(persons) -> Table:
    """Chronic homelessness elements (3.917) missing, per project type group."""
    groups = [("ES-EE, ES-NbN, SH, Street Outreach", {0, 1, 8, 4}), ("TH", {2}), ("PH (All)", {3, 9, 10, 13})]
    rows = []
    for label, types in groups:
        group = [p for p in persons if (p.adult or p.is_head) and p.enrollment.project.project_type in types]
        def missing(p, field):
            return getattr(p.enrollment, field) in (None, 8, 9, 99)
        entering = {p.client_id for p in group}
        rows.append((label, [
            Cell(entering),
            Cell({p.client_id for p in group if missing(p, "living_situation")}),
            Cell({p.client_id for p in group if missing(p, "length_of_stay")}),
            Cell({p.client_id for p in group if missing(p, "times_homeless_past_three_years")}),
            Cell({p.client_id for p in group if missing(p, "months_homeless_past_three_years")}),
        ]))
    return Table("Q6d", "Data Quality: Chronic Homelessness",
                 ["Entering into project type", "Count of total records", "Missing prior living situation",
                  "Missing length of stay", "Missing times homeless", "Missing months homeless"], rows)


def q6e(persons, start, end) -> Table:
    """Days from the start or exit date to the day the record was entered."""
    bands = [("0 days", 0, 0), ("1-3 Days", 1, 3), ("4-6 Days", 4, 6), ("7-10 Days", 7, 10), ("11+ Days", 11, 10**6)]
    starts, exits = [], []
    for p in persons:
        e = p.enrollment
        entered = e.entered_at.date()
        if start <= e.entry_date <= end:
            starts.append((p.client_id, (entered - e.entry_date).days))
        if e.exit_date and start <= e.exit_date <= end:
            exits.append((p.client_id, (entered - e.exit_date).days))
    rows = [(label, [Cell({c for c, d in starts if lo <= max(d, 0) <= hi}), Cell({c for c, d in exits if lo <= max(d, 0) <= hi})])
            for label, lo, hi in bands]
    return Table("Q6e", "Data Quality: Timeliness",
                 ["Time for Record Entry", "Number of Project Start Records", "Number of Project Exit Records"], rows)


def q6f(persons, end) -> Table:
    """Stayers of street outreach and night-by-night shelter with no contact or bed
    night in the last 90 days of the period."""
    from enrollments.models import CurrentLivingSituation, Service

    rows = []
    for label, types, model, date_field in [
        ("Contact (Adults and Heads of Household in Street Outreach or ES - NBN)", {4, 1}, CurrentLivingSituation, "information_date"),
        ("Bed Night (All clients in ES - NBN)", {1}, Service, "date_provided"),
    ]:
        group = [p for p in persons if p.enrollment.project.project_type in types and not p.exit_date
                 and (label.startswith("Bed") or p.adult or p.is_head)]
        recent = set(model.objects.filter(enrollment__in=[p.enrollment for p in group],
                                          **{f"{date_field}__gt": date.fromordinal(end.toordinal() - 90)})
                     .values_list("enrollment_id", flat=True))
        inactive = {p.client_id for p in group if p.enrollment.pk not in recent}
        rows.append((label, [Cell({p.client_id for p in group}), Cell(inactive),
                             Cell(value=f"{(100 * len(inactive) / len(group) if group else 0):.2f}%")]))
    return Table("Q6f", "Data Quality: Inactive Records: Street Outreach & Emergency Shelter",
                 ["Data Element", "# of Records", "# of Inactive Records", "% of Inactive Records"], rows)


# --- Q7a, Q8a -----------------------------------------------------------------------------------


def q7a(persons) -> Table:
    rows = [
        _by_household("Adults", [p for p in persons if p.adult]),
        _by_household("Children", [p for p in persons if p.child]),
        _by_household("Client Doesn't Know/Prefers Not to Answer",
                      [p for p in persons if p.age is None and p.dob_quality in (8, 9)]),
        _by_household("Data Not Collected", [p for p in persons if p.age is None and p.dob_quality not in (8, 9)]),
        _by_household("Total", persons),
    ]
    return Table("Q7a", "Number of Persons Served", ["", "Total", *HOUSEHOLD_TYPES], rows)


def q8a(persons) -> Table:
    heads = [p for p in persons if p.is_head]
    moved_in = [p for p in heads if p.enrollment.project.project_type in (3, 9, 10, 13) and p.enrollment.move_in_date]
    return Table("Q8a", "Households Served", ["", "Total", *HOUSEHOLD_TYPES], [
        _by_household("Total Households", heads),
        _by_household("For PSH & RRH - the total households served who moved into housing", moved_in),
    ])


# --- Q22a1, Q23c ---------------------------------------------------------------------------------

LENGTH_BANDS = [("30 days or less", 0, 30), ("31 to 60 days", 31, 60), ("61 to 90 days", 61, 90),
                ("91 days to 180 days", 91, 180), ("181 days to 365 days", 181, 365), ("366 days to 730 days (1-2 Yrs)", 366, 730),
                ("731 days to 1,095 days (2-3 Yrs)", 731, 1095), ("1,096 days to 1,460 days (3-4 Yrs)", 1096, 1460),
                ("1,461 days to 1,825 days (4-5 Yrs)", 1461, 1825), ("More than 1,825 days (> 5 Yrs)", 1826, 10**7)]


def q22a1(persons, end) -> Table:
    def length(p):  # days from project start to exit, or to the report end for stayers
        return ((p.exit_date or end) - p.enrollment.entry_date).days

    rows = []
    for label, lo, hi in LENGTH_BANDS:
        band = [p for p in persons if lo <= length(p) <= hi]
        rows.append((label, [Cell({p.client_id for p in band}), Cell({p.client_id for p in band if p.exit_date}),
                             Cell({p.client_id for p in band if not p.exit_date})]))
    rows.append(("Total", [Cell({p.client_id for p in persons}), Cell({p.client_id for p in persons if p.exit_date}),
                           Cell({p.client_id for p in persons if not p.exit_date})]))
    return Table("Q22a1", "Length of Participation – CoC Projects", ["", "Total", "Leavers", "Stayers"], rows)


def q23c(persons) -> Table:
    leavers = [p for p in persons if p.exit_date]
    rows = []
    for group_label, codes in [("Homeless Situations", HOMELESS), ("Institutional Situations", INSTITUTIONAL),
                               ("Temporary Housing Situations", TEMPORARY), ("Permanent Housing Situations", PERMANENT),
                               ("Other Situations", OTHER_DESTINATIONS)]:
        rows.append(_by_household(f"{group_label} (subtotal)", [p for p in leavers if (p.enrollment.destination or 99) in codes]))
    rows.append(_by_household("Total", leavers))
    permanent = {p.client_id for p in leavers if p.enrollment.destination in PERMANENT}
    excluded = {p.client_id for p in leavers if p.enrollment.destination in (206, 215, 225, 24)}
    base = len(leavers) - len(excluded)
    rows.append(("Total persons exiting to positive housing destinations", [Cell(permanent)] + [Cell(value="")] * 4))
    rows.append(("Total persons whose destinations excluded them from the calculation", [Cell(excluded)] + [Cell(value="")] * 4))
    rows.append(("Percentage", [Cell(value=f"{(100 * len(permanent) / base if base else 0):.2f}%")] + [Cell(value="")] * 4))
    return Table("Q23c", "Exit Destination – All persons", ["", "Total", *HOUSEHOLD_TYPES], rows)


REPORTS = {
    "apr": ("Annual Performance Report (APR)", ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q8a",
                                                "Q22a1", "Q23c"]),
    "caper": ("Consolidated Annual Performance and Evaluation Report (CAPER)",
              ["Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q8a", "Q22a1", "Q23c"]),
    "dq": ("HUD Data Quality Report", ["Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f"]),
}


def build(kind: str, projects, start, end, progress=lambda done, total: None, viewer=None) -> list[Table]:
    """Every table of the report, calling progress(done, total) as it goes; ``viewer``
    (consent.visibility.Viewer) is whom it is made for (None: the HMIS Lead)."""
    persons = people(projects, start, end, viewer)
    coc_codes = set(projects.values_list("coc__code", flat=True))
    makers = {
        "Q4a": lambda: q4a(projects, start, end, persons), "Q5a": lambda: q5a(persons, end),
        "Q6a": lambda: q6a(persons, start), "Q6b": lambda: q6b(persons, coc_codes), "Q6c": lambda: q6c(persons, end),
        "Q6d": lambda: q6d(persons), "Q6e": lambda: q6e(persons, start, end), "Q6f": lambda: q6f(persons, end),
        "Q7a": lambda: q7a(persons), "Q8a": lambda: q8a(persons), "Q22a1": lambda: q22a1(persons, end),
        "Q23c": lambda: q23c(persons),
    }
    codes = REPORTS[kind][1]
    tables = []
    for i, code in enumerate(codes, start=1):
        tables.append(makers[code]())
        progress(i, len(codes))
    return tables
