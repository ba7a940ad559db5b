"""A synthetic HMIS CSV FY2026 export, clean or messy, for tests and benchmarks (issue 17).

``write_export(out, clients=N, messy=False, seed=S)`` writes the 24 files with HUD's headers
(reports/hmis_csv/spec.py) into a zip: organizations, projects with ProjectCoC, Funder,
Inventory, HMIS and CE participation rows, users, N clients in households, their stays and
exits, income and benefits, health, disability and employment rows, services (bed nights),
current living situations and coordinated entry assessments and events. No ORM and no
database: rows are planned from one seeded random generator and streamed to one file per CSV
(then zipped), so 100,000 clients take seconds and the same seed gives the same bytes.

Every name is made of invented syllables: no real person's name is written.

``messy=True`` adds, deterministically and at fixed rates, the faults real vendor exports
carry that HUD allows or that are value-level, so all of it must load, with warnings (H3):
empty Sex and race answers, empty EnrollmentCoC for household members other than the head
(HUD collects 3.16 for the head only), subsidy-type codes in Destination, a CSVVersion 2024
row among several Export.csv rows, a project ending before it starts, several bed nights on
one day, UserIDs missing from User.csv, DateUpdated before DateCreated, line ends CRLF, LF
and mixed, a UTF-8 byte-order mark, columns in another order, unknown extra columns, names
with accents, quotes, commas and newlines, and SSNs written with dashes. The returned
manifest counts the rows of each file and how many times each fault was planted.
"""

import csv
import io
import random
import shutil
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from . import spec

COCS = ("ZZ-501", "ZZ-502")
START, END = date(2023, 1, 1), date(2026, 9, 30)
EXPORT_ID = "SYNTHETIC2026"
# (ProjectType, name, Inventory HouseholdType or None) of each organization's projects; an RRH
# project houses (RRHSubType 2), so it takes a HousingType as the residential ones do (2.02.D).
PROJECT_KINDS = [
    (0, "Emergency Shelter", 3),
    (1, "Night Shelter", 1),
    (2, "Transitional Housing", 3),
    (3, "Permanent Supportive Housing", 3),
    (13, "Rapid Re-Housing", 3),
    (4, "Street Outreach", None),
    (6, "Services Only", None),
    (14, "Coordinated Entry", None),
]
RESIDENTIAL = {0, 1, 2, 3, 8, 9, 10, 13}
RACES = sorted(spec.RACE_COLUMNS)
TIMES = [f"{h:02d}:{m:02d}:{sec:02d}" for h in range(8, 18) for m in range(0, 60, 3) for sec in (7, 31, 48)]
DAYS = [timedelta(days=d) for d in range(41)]
# HUD's answers used here: 3.917.1 prior living situations and 3.12.1 destinations this HMIS offers
# for each element (enrollments/hud_lists.py HUD_SUBSETS), 3.12.A subsidy types.
LIVING = (101, 116, 118, 204, 215, 302, 314, 410, 411, 99)
DESTINATIONS = (101, 116, 204, 302, 314, 410, 411, 421, 8, 9, 99, 30)
SUBSIDY_CODES = (419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440)

SYLLABLES = ("ka la mo ri te su vin dor el an bre ta lo mi no sa fe ru zo qui ven tor bal cor "
             "dra gil hal jun kes lur mar nes pol rad sel tam ul var wen yas zen").split()
ACCENTED = ("Zoë", "Renée", "Élan", "Þór", "Ñico", "Søren", "Anaïs", "Łucja", "Dağ", "Nguyễn")
# Messy names: a comma, quotes, a newline, an apostrophe; each invented.
AWKWARD = ('Tarlo, Jr.', 'Vel "Dusty" Omar', 'Mira\nJune', "O'Kesta", 'Bre,\n"Zo" Quil')

# Fault rates of a messy export: every n-th item of its kind, from a fixed offset.
EVERY = {
    "empty_sex": 40, "empty_race": 50, "member_enrollment_coc": 2, "subsidy_destination": 30,
    "bed_night_twice": 10, "missing_user": 45, "updated_before_created": 35, "awkward_name": 25,
    "accented_name": 7, "ssn_dashes": 9,
}
MISSING_USER = "GONE-7"  # a UserID User.csv does not carry
EXTRA_COLUMNS = {"Client.csv": ["VendorFlag"], "Enrollment.csv": ["LegacyCaseNo", "SiteCode"]}
REORDERED = ("Services.csv", "Project.csv")
LINE_ENDS = {"Export.csv": "mixed", "Client.csv": "\r\n", "Enrollment.csv": "\n", "Services.csv": "\n",
             "Exit.csv": "\r\n"}
WITH_BOM = ("Client.csv", "Enrollment.csv", "Export.csv")


class _Table:
    """One CSV file being written: rows in HUD's column order in, the file's own order out."""

    def __init__(self, folder: Path, name: str, messy: bool, rng: random.Random):
        self.name, self.columns = name, spec.headers()[name]
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.blank = [""] * len(self.columns)
        self.count = 0
        order = list(range(len(self.columns)))
        self.extra = EXTRA_COLUMNS.get(name, []) if messy else []
        if messy and name in REORDERED:
            rng.shuffle(order)
        self.order = order if order != sorted(order) else None
        line_end = LINE_ENDS.get(name, "\r\n") if messy else "\r\n"
        self.file = open(folder / name, "w", encoding="utf-8-sig" if messy and name in WITH_BOM else "utf-8",
                         newline="")
        self.writer = csv.writer(self.file, lineterminator="\r\n" if line_end == "mixed" else line_end)
        header = [self.columns[i] for i in self.order] if self.order else list(self.columns)
        if line_end == "mixed":  # the header ends LF, the rows CRLF (as a merged export can)
            self.file.write(",".join(header + self.extra) + "\n")
        else:
            self.writer.writerow(header + self.extra)

    def row(self, **values) -> list:
        row = self.blank[:]
        for column, value in values.items():
            row[self.index[column]] = value
        return row

    def write(self, row: list) -> None:
        if self.order:
            row = [row[i] for i in self.order]
        if self.extra:
            row = row + [f"x{self.count}" for _ in self.extra]
        self.writer.writerow(row)
        self.count += 1

    def close(self) -> None:
        self.file.close()


def _name(rng: random.Random, syllables=2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _stamp(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(8, 18), rng.randrange(60), rng.randrange(60))


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class _Generator:
    def __init__(self, folder: Path, clients: int, messy: bool, seed: int):
        self.rng = random.Random(seed)
        self.clients, self.messy = clients, messy
        # The files' own shuffles draw from a generator of their own: a messy export plans the same
        # people, stays and values as the clean one of the same seed, only with the faults added.
        layout = random.Random(seed + 1)
        self.tables = {name: _Table(folder, name, messy, layout) for name in spec.FILES}
        self.faults = dict.fromkeys(EVERY, 0) | {"export_rows": 0, "csv_version_2024": 0, "project_ends_first": 0,
                                                 "extra_columns": 0, "reordered_files": 0}
        self.serial = {}
        self.days = {}

    def next_id(self, prefix: str) -> str:
        self.serial[prefix] = self.serial.get(prefix, 0) + 1
        return f"{prefix}{self.serial[prefix]}"

    def fault(self, kind: str, n: int, offset: int = 3, rows: int = 1) -> bool:
        """Whether item n gets fault ``kind``, counting the ``rows`` it is written to."""
        if self.messy and n % EVERY[kind] == offset % EVERY[kind]:
            self.faults[kind] += rows
            return True
        return False

    def iso(self, day: date) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = day.isoformat()
        return text

    def stamps(self, day: date, n: int, user: str, rows: int = 1) -> dict:
        """DateCreated on ``day`` in office hours, DateUpdated the same or later (the fast path: no
        strftime, no randrange; at 100,000 clients this runs some two million times)."""
        random = self.rng.random
        at = int(random() * len(TIMES))
        created = f"{self.iso(day)} {TIMES[at]}"
        later = int(random() * 40)
        updated = f"{self.iso(day + DAYS[later])} {TIMES[at + int(random() * (len(TIMES) - at))]}"
        if self.fault("updated_before_created", n, 5, rows):
            updated = f"{self.iso(day - DAYS[2])} {TIMES[at]}"
        if self.fault("missing_user", n, 11, rows):
            user = MISSING_USER
        return {"DateCreated": created, "DateUpdated": updated, "UserID": user, "ExportID": EXPORT_ID}

    # --- the CoC's structure -------------------------------------------------------

    def export_rows(self) -> None:
        table = self.tables["Export.csv"]
        rows = [(EXPORT_ID, spec.CSV_VERSION)]
        if self.messy:  # a merged export: three parts, one written by an older version
            rows += [("SYNTHETIC2024PART", "2024 v1.4"), ("SYNTHETIC2026PART", spec.CSV_VERSION)]
            self.faults["export_rows"] = len(rows)
            self.faults["csv_version_2024"] = 1
        for export_id, version in rows:
            table.write(table.row(
                ExportID=export_id, SourceType="1", SourceID=COCS[0], SourceName="Synthetic Vendor HMIS",
                SourceContactFirst="Kalo", SourceContactLast="Venmira", SourceContactEmail="help@example.org",
                ExportDate="2026-10-01 02:00:00", ExportStartDate=START.isoformat(), ExportEndDate=END.isoformat(),
                SoftwareName="Synthetic Vendor", SoftwareVersion="9.1", CSVVersion=version, ExportPeriodType="3",
                ExportDirective="2", HashStatus="1", ImplementationID="synthetic-implementation"))

    def users(self) -> list[str]:
        table = self.tables["User.csv"]
        ids = []
        for n in range(8 + self.clients // 2000):
            user = f"U{n + 1}"
            created = _stamp(date(2022, 1, 3) + timedelta(days=n), self.rng)
            table.write(table.row(UserID=user, UserFirstName=_name(self.rng), UserLastName=_name(self.rng, 3),
                                  UserEmail=f"staff{n + 1}@example.org", DateCreated=_ts(created),
                                  DateUpdated=_ts(created + timedelta(days=30)), ExportID=EXPORT_ID))
            ids.append(user)
        return ids

    def projects(self, users: list[str]) -> list[dict]:
        t = self.tables
        projects = []
        organizations = max(2, self.clients // 20000 + 1)
        opened = date(2020, 7, 1)
        for o in range(organizations):
            org = f"O{o + 1}"
            coc = COCS[o % len(COCS)]
            t["Organization.csv"].write(t["Organization.csv"].row(
                OrganizationID=org, OrganizationName=f"{_name(self.rng, 3)} Community Services", VictimServiceProvider="0",
                OrganizationCommonName=f"{_name(self.rng)} CS", DateCreated=_ts(_stamp(opened, self.rng)),
                DateUpdated=_ts(_stamp(opened, self.rng)), UserID=users[0], ExportID=EXPORT_ID))
            for kind, label, household_type in PROJECT_KINDS:
                pid = self.next_id("P")
                start = opened
                end = ""
                if self.messy and o == 0 and kind == 6:  # a project ending before it starts
                    end = (start - timedelta(days=1)).isoformat()
                    self.faults["project_ends_first"] += 1
                stamp = {"DateCreated": _ts(_stamp(opened, self.rng)), "DateUpdated": _ts(_stamp(opened, self.rng)),
                         "UserID": users[0], "ExportID": EXPORT_ID}
                t["Project.csv"].write(t["Project.csv"].row(
                    ProjectID=pid, OrganizationID=org, ProjectName=f"{_name(self.rng)} {label}",
                    OperatingStartDate=start.isoformat(), OperatingEndDate=end, ContinuumProject="1",
                    ProjectType=str(kind), HousingType="1" if kind in RESIDENTIAL else "",
                    RRHSubType="2" if kind == 13 else "", ResidentialAffiliation="1" if kind == 6 else "",
                    **stamp))
                t["ProjectCoC.csv"].write(t["ProjectCoC.csv"].row(
                    ProjectCoCID=self.next_id("PC"), ProjectID=pid, CoCCode=coc, Geocode="299999",
                    Address1=f"{self.rng.randrange(10, 999)} {_name(self.rng)} Street", City=_name(self.rng, 3),
                    State="ZZ", ZIP=f"{self.rng.randrange(10000, 99999)}", GeographyType="1", **stamp))
                t["Funder.csv"].write(t["Funder.csv"].row(
                    FunderID=self.next_id("F"), ProjectID=pid, Funder="2" if kind in (3, 13) else "1",
                    GrantID=f"GR{pid}", StartDate=start.isoformat(), **stamp))
                if household_type is not None:
                    beds = 10 + self.clients // 100
                    t["Inventory.csv"].write(t["Inventory.csv"].row(
                        InventoryID=self.next_id("I"), ProjectID=pid, CoCCode=coc, HouseholdType=str(household_type),
                        Availability="1" if kind in (0, 1) else "", UnitInventory=str(beds // 2), BedInventory=str(beds),
                        OtherBedInventory=str(beds), ESBedType="1" if kind in (0, 1) else "",
                        InventoryStartDate=start.isoformat(), **stamp))
                t["HMISParticipation.csv"].write(t["HMISParticipation.csv"].row(
                    HMISParticipationID=self.next_id("HP"), ProjectID=pid, HMISParticipationType="1",
                    HMISParticipationStatusStartDate=start.isoformat(), **stamp))
                if kind == 14:
                    t["CEParticipation.csv"].write(t["CEParticipation.csv"].row(
                        CEParticipationID=self.next_id("CP"), ProjectID=pid, AccessPoint="1", PreventionAssessment="0",
                        CrisisAssessment="1", HousingAssessment="1", DirectServices="0", ReceivesReferrals="0",
                        CEParticipationStatusStartDate=start.isoformat(), **stamp))
                projects.append({"id": pid, "kind": kind, "coc": coc, "org": org})
                if kind == 6:  # its clients live in the organization's supportive housing (2.02.C)
                    housed_by = next(p["id"] for p in projects if p["org"] == org and p["kind"] == 3)
                    t["Affiliation.csv"].write(t["Affiliation.csv"].row(
                        AffiliationID=self.next_id("AF"), ProjectID=pid, ResProjectID=housed_by, **stamp))
        return projects

    # --- people and their stays ----------------------------------------------------------

    def people(self, users: list[str], projects: list[dict]) -> None:
        rng = self.rng
        housing = [p for p in projects if p["kind"] in (0, 2, 3, 13)]
        singles = [p for p in projects if p["kind"] in (0, 1, 2, 3, 13, 4, 6)]
        ce = [p for p in projects if p["kind"] == 14]
        made = households = 0
        while made < self.clients:
            size = min(rng.choices((1, 2, 3, 4), weights=(60, 15, 15, 10))[0], self.clients - made)
            people = [self.client(made + i, i, users) for i in range(size)]
            made += size
            households += 1
            stays = 1 + (households % 5 == 1)  # one in five comes back, through coordinated entry
            first = _day(rng, START, END - timedelta(days=120))
            for s in range(stays):
                pool = singles if size == 1 else housing
                # every project has stays: the first households go round them, the others anywhere
                project = pool[households % len(pool)] if households <= 2 * len(pool) else rng.choice(pool)
                if s == 1 and ce:
                    project = ce[households % len(ce)]
                self.household_stay(people, project, first + timedelta(days=150 * s), users)

    def client(self, n: int, member: int, users: list[str]) -> dict:
        rng, table = self.rng, self.tables["Client.csv"]
        pid = f"C{n + 1:06d}"
        adult = member < 2 and not (member == 1 and rng.random() < 0.5)
        dob = _day(rng, date(1950, 1, 1), date(2004, 12, 31)) if adult else _day(rng, date(2009, 1, 1), date(2022, 12, 31))
        first, last = _name(rng), _name(rng, rng.choice((2, 3)))
        if self.fault("accented_name", n, 4):
            first = ACCENTED[(n // EVERY["accented_name"]) % len(ACCENTED)]
        if self.fault("awkward_name", n, 6):
            last = AWKWARD[(n // EVERY["awkward_name"]) % len(AWKWARD)]
        ssn = f"{rng.randrange(100, 666):03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
        if self.fault("ssn_dashes", n, 2):
            ssn = f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"
        race = rng.choice(RACES)
        races = {column: "1" if column == race else "0" for column in spec.RACE_COLUMNS}
        if self.fault("empty_race", n, 8):
            races = dict.fromkeys(spec.RACE_COLUMNS, "")
        sex = "" if self.fault("empty_sex", n, 3) else rng.choice(("0", "1"))
        created = _day(rng, START - timedelta(days=400), START)
        table.write(table.row(
            PersonalID=pid, FirstName=first, LastName=last, NameDataQuality="1", SSN=ssn, SSNDataQuality="1",
            DOB=dob.isoformat(), DOBDataQuality="1", Sex=sex, **races, VeteranStatus="0" if adult else "99",
            **self.stamps(created, n, rng.choice(users))))
        return {"id": pid, "adult": adult}

    def household_stay(self, people: list[dict], project: dict, entry: date, users: list[str]) -> None:
        rng, t = self.rng, self.tables
        household = self.next_id("H")
        exited = rng.random() < 0.7
        exit_day = entry + timedelta(days=rng.randrange(1, 120)) if exited else None
        user = rng.choice(users)
        for i, person in enumerate(people):
            head = i == 0
            eid = self.next_id("E")
            n = self.serial["E"]
            coc = project["coc"]
            if not head and self.fault("member_enrollment_coc", n, 1):
                coc = ""  # HUD collects 3.16 for the head of household only
            living = rng.choice(LIVING) if person["adult"] else ""
            move_in = (entry + timedelta(days=1)).isoformat() if project["kind"] in (3, 13) and (
                not exit_day or exit_day > entry + timedelta(days=1)) else ""
            t["Enrollment.csv"].write(t["Enrollment.csv"].row(
                EnrollmentID=eid, PersonalID=person["id"], ProjectID=project["id"], EntryDate=entry.isoformat(),
                HouseholdID=household, RelationshipToHoH="1" if head else ("3" if person["adult"] else "2"),
                EnrollmentCoC=coc, LivingSituation=str(living), DisablingCondition=rng.choice(("0", "0", "1")),
                MoveInDate=move_in, **self.stamps(entry, n, user)))
            self.assessment(eid, person, entry, 1, user)
            if project["kind"] == 1:
                self.bed_nights(eid, person, entry, exit_day or entry + timedelta(days=5), user)
            elif project["kind"] == 4:
                table = t["CurrentLivingSituation.csv"]
                table.write(table.row(CurrentLivingSitID=self.next_id("CLS"), EnrollmentID=eid, PersonalID=person["id"],
                                      InformationDate=entry.isoformat(), CurrentLivingSituation="116",
                                      LocationDetails=f"{_name(rng)} Park", **self.stamps(entry, n, user)))
            elif project["kind"] == 14 and head:
                self.coordinated_entry(eid, person, entry, user)
            if exit_day:
                destination = str(rng.choice(DESTINATIONS))
                x = self.next_id("X")
                if self.fault("subsidy_destination", self.serial["X"], 4):
                    destination = str(SUBSIDY_CODES[self.serial["X"] % len(SUBSIDY_CODES)])
                t["Exit.csv"].write(t["Exit.csv"].row(
                    ExitID=x, EnrollmentID=eid, PersonalID=person["id"], ExitDate=exit_day.isoformat(),
                    Destination=destination, **self.stamps(exit_day, n, user)))
                self.assessment(eid, person, exit_day, 3, user)

    def assessment(self, eid: str, person: dict, day: date, stage: int, user: str) -> None:
        """A collection: IncomeBenefits, HealthAndDV and the six Disabilities rows; employment at entry."""
        rng, t = self.rng, self.tables
        common = {"EnrollmentID": eid, "PersonalID": person["id"], "InformationDate": day.isoformat(),
                  "DataCollectionStage": str(stage)}
        earned = person["adult"] and rng.random() < 0.3
        amount = f"{200 + int(rng.random() * 2200)}.00"
        t["IncomeBenefits.csv"].write(t["IncomeBenefits.csv"].row(
            IncomeBenefitsID=self.next_id("IB"), **common, IncomeFromAnySource="1" if earned else "0",
            TotalMonthlyIncome=amount if earned else "", Earned="1" if earned else "0",
            EarnedAmount=amount if earned else "", BenefitsFromAnySource="0", InsuranceFromAnySource="0",
            **self.stamps(day, self.serial["IB"], user)))
        t["HealthAndDV.csv"].write(t["HealthAndDV.csv"].row(
            HealthAndDVID=self.next_id("HD"), **common, DomesticViolenceSurvivor="0",
            **self.stamps(day, self.serial["HD"], user)))
        table = t["Disabilities.csv"]  # six rows, one collection: written alike, but for the ID and type
        row = table.row(**common, DisabilityResponse="0", **self.stamps(day, self.serial["IB"], user, rows=6))
        for disability_type in ("5", "6", "7", "8", "9", "10"):
            row[table.index["DisabilitiesID"]] = self.next_id("D")
            row[table.index["DisabilityType"]] = disability_type
            table.write(row)
        if person["adult"] and stage == 1:
            t["EmploymentEducation.csv"].write(t["EmploymentEducation.csv"].row(
                EmploymentEducationID=self.next_id("EE"), **common, Employed="1" if earned else "0",
                **self.stamps(day, self.serial["EE"], user)))
        elif not person["adult"] and stage == 1:
            t["YouthEducationStatus.csv"].write(t["YouthEducationStatus.csv"].row(
                YouthEducationStatusID=self.next_id("YE"), **common, CurrentSchoolAttend="0",
                **self.stamps(day, self.serial["YE"], user)))

    def bed_nights(self, eid: str, person: dict, first: date, last: date, user: str) -> None:
        table = self.tables["Services.csv"]
        day = first
        while day < last:
            row = table.row(ServicesID=self.next_id("S"), EnrollmentID=eid, PersonalID=person["id"],
                            DateProvided=day.isoformat(), RecordType="200", TypeProvided="200",
                            **self.stamps(day, self.serial["S"], user))
            table.write(row)
            if self.fault("bed_night_twice", self.serial["S"], 7):  # the same night entered twice
                row[table.index["ServicesID"]] = self.next_id("S")
                table.write(row)
                # the copy carries the night's other faults too
                self.faults["missing_user"] += row[table.index["UserID"]] == MISSING_USER
                self.faults["updated_before_created"] += row[table.index["DateUpdated"]] < row[table.index["DateCreated"]]
            day += timedelta(days=1)

    def coordinated_entry(self, eid: str, person: dict, day: date, user: str) -> None:
        rng, t = self.rng, self.tables
        aid = self.next_id("A")
        def stamps():
            return self.stamps(day, self.serial["A"], user)

        t["Assessment.csv"].write(t["Assessment.csv"].row(
            AssessmentID=aid, EnrollmentID=eid, PersonalID=person["id"], AssessmentDate=day.isoformat(),
            AssessmentLocation=f"{_name(rng)} Access Center", AssessmentType="2", AssessmentLevel="2",
            PrioritizationStatus="1", **stamps()))
        for order, (question, answer) in enumerate((("Household size", "2"), ("Nights outside", "14")), start=1):
            t["AssessmentQuestions.csv"].write(t["AssessmentQuestions.csv"].row(
                AssessmentQuestionID=self.next_id("AQ"), AssessmentID=aid, EnrollmentID=eid, PersonalID=person["id"],
                AssessmentQuestionGroup="Intake", AssessmentQuestionOrder=str(order), AssessmentQuestion=question,
                AssessmentAnswer=answer, **stamps()))
        t["AssessmentResults.csv"].write(t["AssessmentResults.csv"].row(
            AssessmentResultID=self.next_id("AR"), AssessmentID=aid, EnrollmentID=eid, PersonalID=person["id"],
            AssessmentResultType="Priority score", AssessmentResult=str(rng.randrange(1, 20)), **stamps()))
        t["Event.csv"].write(t["Event.csv"].row(
            EventID=self.next_id("EV"), EnrollmentID=eid, PersonalID=person["id"],
            EventDate=(day + timedelta(days=3)).isoformat(), Event="12",
            LocationCrisisOrPHHousing="Maple Court, unit 4", **stamps()))

    def run(self) -> dict:
        self.export_rows()
        users = self.users()
        projects = self.projects(users)
        self.people(users, projects)
        if self.messy:
            self.faults["extra_columns"] = sum(len(v) for v in EXTRA_COLUMNS.values())
            self.faults["reordered_files"] = len(REORDERED)
        for table in self.tables.values():
            table.close()
        return {"rows": {name: table.count for name, table in self.tables.items()}, "faults": self.faults}


def write_export(out, *, clients: int, messy: bool = False, seed: int = 2026) -> dict:
    """Write the export's zip to ``out`` (a path or a binary file). Returns the manifest:
    {"rows": {file: rows}, "faults": {fault: times planted}} (faults all 0 when clean)."""
    folder = Path(tempfile.mkdtemp(prefix="hmis-csv-"))
    try:
        manifest = _Generator(folder, clients, messy, seed).run()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name in spec.FILES:
                archive.write(folder / name, name)
        return manifest
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_back(path, name: str) -> list[dict]:
    """One file of a written export as dicts (tests)."""
    with zipfile.ZipFile(path) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")))
