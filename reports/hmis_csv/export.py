"""HMIS CSV FY2026 export: 24 files in a zip, HUD's headers and codes, streamed.

Rows are read with ``.iterator()`` in chunks and written straight into the zip, so
memory stays flat however many clients there are. What an agency exports is what it
may see: its own projects, and of their clients only those visible to it
(consent/visibility.py). The HMIS Lead exports any CoC, agency or project.
"""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, Project
from clients.models import Client
from enrollments import elements
from enrollments.elements import PARTNER_COLUMNS
from enrollments.models import (
    Assessment,
    CeAssessment,
    CeAssessmentQuestion,
    CeAssessmentResult,
    CeEvent,
    CurrentLivingSituation,
    Enrollment,
    Service,
)
from hmis.models import User

from . import descriptors, export_sql, source_ids, spec

CHUNK = 2000
SOFTWARE = "Open HMIS"
# HashStatus (list 1.5): 1 unhashed, 4 SHA-256 (RHY).
UNHASHED, SHA256 = 1, 4
# Disabilities.csv DisabilityType (list 1.3) for each of our assessment fields.
DISABILITY_TYPES = [(field, disability_type) for field, disability_type, _ in elements.DISABILITIES]
HIV_AIDS = 8


def _assessment_columns() -> dict[str, list[tuple[str, str]]]:
    """file -> (CSV column, Assessment field) of the answers each assessment file carries
    (Disabilities.csv apart: one row per type). One table for both export paths and the
    import, from enrollments/elements.py."""
    income = [("IncomeFromAnySource", "income_from_any_source"), ("TotalMonthlyIncome", "total_monthly_income")]
    for source, column, amount, amount_column, _ in elements.INCOME_SOURCES:
        income += [(column, source), (amount_column, amount)]
    income += [("OtherIncomeSourceIdentify", "other_income_source_identify"),
               ("BenefitsFromAnySource", "benefits_from_any_source"),
               *[(column, source) for source, column, _ in elements.BENEFIT_SOURCES],
               ("OtherBenefitsSourceIdentify", "other_benefits_source_identify"),
               ("InsuranceFromAnySource", "insurance_from_any_source")]
    for kind, column, reason, reason_column, _ in elements.INSURANCE_TYPES:
        income += [(column, kind)] + ([(reason_column, reason)] if reason else [])
    income += [("OtherInsuranceIdentify", "other_insurance_identify"), ("ADAP", "adap"),
               ("NoADAPReason", "no_adap_reason"), ("RyanWhiteMedDent", "ryan_white_med_dent"),
               ("NoRyanWhiteReason", "no_ryan_white_reason"), ("ConnectionWithSOAR", "connection_with_soar")]
    return {
        "IncomeBenefits.csv": income,
        "HealthAndDV.csv": [("DomesticViolenceSurvivor", "domestic_violence_survivor"), ("WhenOccurred", "when_occurred"),
                            ("CurrentlyFleeing", "currently_fleeing"), ("GeneralHealthStatus", "general_health_status"),
                            ("DentalHealthStatus", "dental_health_status"), ("MentalHealthStatus", "mental_health_status"),
                            ("PregnancyStatus", "pregnancy_status"), ("DueDate", "due_date")],
        "EmploymentEducation.csv": [("LastGradeCompleted", "last_grade_completed"), ("SchoolStatus", "school_status"),
                                    ("Employed", "employed"), ("EmploymentType", "employment_type"),
                                    ("NotEmployedReason", "not_employed_reason")],
        "YouthEducationStatus.csv": [("CurrentSchoolAttend", "current_school_attend"),
                                     ("MostRecentEdStatus", "most_recent_ed_status"),
                                     ("CurrentEdStatus", "current_ed_status")],
    }


ASSESSMENT_COLUMNS = _assessment_columns()
# The key column of each one-row-per-collection file; its value is the Assessment's record_id.
ASSESSMENT_KEYS = {"IncomeBenefits.csv": "IncomeBenefitsID", "HealthAndDV.csv": "HealthAndDVID",
                   "EmploymentEducation.csv": "EmploymentEducationID",
                   "YouthEducationStatus.csv": "YouthEducationStatusID"}


def collected_in(file_name: str) -> list[str]:
    """The root questions of the elements a file carries: a collection has a row in the
    file when one of them is answered (H1: no invented rows)."""
    return [name for e in elements.ELEMENTS if e.csv_file == file_name for name in e.asks]


def _collected(assessments, file_name: str):
    condition = Q()
    for name in collected_in(file_name):
        condition |= Q(**{f"{name}__isnull": False})
    return assessments.filter(condition)


@dataclass
class Scope:
    """What to export. ``viewer`` is a consent.visibility.Viewer."""

    viewer: object
    coc: object = None
    agency: object = None
    projects: list = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    hashed: bool = False
    # When set, each exported client's record gets an "export" access entry (R2).
    log_for: object = None

    def project_queryset(self):
        projects = Project.objects.all()
        if not self.viewer.is_admin:
            projects = projects.filter(agency=self.viewer.agency)
        if self.coc:
            projects = projects.filter(coc=self.coc)
        if self.agency:
            projects = projects.filter(agency=self.agency)
        if self.projects:
            projects = projects.filter(pk__in=[p.pk for p in self.projects])
        return projects

    @property
    def unfiltered(self) -> bool:
        return self.viewer.is_admin and not (self.coc or self.agency or self.projects or self.start or self.end)

    def enrollment_queryset(self):
        enrollments = Enrollment.objects.filter(project__in=self.project_queryset())
        if self.end:
            enrollments = enrollments.filter(entry_date__lte=self.end)
        if self.start:
            enrollments = enrollments.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=self.start))
        if not self.viewer.is_admin:
            enrollments = enrollments.filter(client__in=self.client_queryset())
        return enrollments

    def client_queryset(self):
        from consent.visibility import visible_clients

        if self.unfiltered:
            return Client.objects.all()
        clients = Client.objects.filter(enrollments__project__in=self.project_queryset()).distinct()
        if self.viewer.is_admin:
            return clients
        return visible_clients(self.viewer, Client.objects.filter(pk__in=clients.values("pk")))


def _hash(value: str) -> str:
    return hashlib.sha256(value.upper().encode()).hexdigest() if value else ""


def _ts(value):
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


class Writer:
    def __init__(self, archive: zipfile.ZipFile, export_id: str):
        self.archive, self.export_id, self.counts = archive, export_id, {}
        # H3: users kept from an import export under their source's UserID (source_ids.py); rows
        # name their author by pk, mapped here in one place.
        self.user_ids = dict(User.objects.filter(hud_id__isnull=False).values_list("pk", "hud_id"))

    def write(self, file_name: str, rows) -> None:
        names = spec.headers()[file_name]
        with self.archive.open(file_name, "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out = csv.writer(text, lineterminator="\r\n")
            out.writerow(names)
            count = 0
            for row in rows:
                row.setdefault("ExportID", self.export_id)
                if "UserID" in row:
                    row["UserID"] = self.user_ids.get(row["UserID"], row["UserID"])
                out.writerow([spec.format_value(row.get(n)) for n in names])
                count += 1
            text.flush()
            text.detach()
        self.counts[file_name] = count

    def write_lines(self, file_name: str, lines) -> None:
        """Lines already formatted as CSV (export_sql.py), as UTF-8 bytes, after HUD's header."""
        with self.archive.open(file_name, "w", force_zip64=True) as raw:
            raw.write((",".join(spec.headers()[file_name]) + "\r\n").encode())
            count, batch = 0, []
            for line in lines:
                batch.append(line)
                if len(batch) >= CHUNK:
                    raw.write(b"\r\n".join(batch) + b"\r\n")
                    count, batch = count + len(batch), []
            if batch:
                raw.write(b"\r\n".join(batch) + b"\r\n")
            self.counts[file_name] = count + len(batch)


def export_id_for(scope: Scope, now) -> str:
    key = f"{scope.coc and scope.coc.pk}|{scope.agency and scope.agency.pk}|{[p.pk for p in scope.projects]}|" \
          f"{scope.start}|{scope.end}|{scope.hashed}|{now:%Y%m%d%H%M%S}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def write_export(scope: Scope, target, portable: bool = False) -> dict:
    """Write the zip to ``target`` (a path or a binary file). Returns rows per file.
    On PostgreSQL the large files are formatted by the database (export_sql.py) unless
    ``portable`` asks for the row-by-row path every database has."""
    from agencies.models import HmisLead

    now = timezone.localtime().replace(microsecond=0)
    export_id = export_id_for(scope, now)
    projects = scope.project_queryset().select_related("coc")
    enrollments = scope.enrollment_queryset()
    clients = scope.client_queryset()
    lead = HmisLead.objects.first()
    # Organizations and projects are kept by the HMIS Lead: its administrator is their UserID.
    admin_id = User.objects.filter(is_system_admin=True).order_by("pk").values_list("pk", flat=True).first()
    # The fastest deflate level: a tenth larger than the default, in less than half the time.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        w = Writer(archive, export_id)
        single_coc = scope.coc or (None if scope.unfiltered else _only_coc(projects))
        w.write("Export.csv", [{
            "ExportID": export_id, "SourceType": 1 if single_coc else 3,
            "SourceID": single_coc.code if single_coc else "OPENHMIS", "SourceName": lead.name if lead else SOFTWARE,
            "SourceContactEmail": lead.email if lead else "", "SourceContactPhone": lead.phone if lead else "",
            "ExportDate": now.replace(tzinfo=None), "ExportStartDate": scope.start or date(1900, 1, 1),
            "ExportEndDate": scope.end or now.date(), "SoftwareName": SOFTWARE, "SoftwareVersion": "1.0",
            "CSVVersion": spec.CSV_VERSION, "ExportPeriodType": 4, "ExportDirective": 2,
            "HashStatus": SHA256 if scope.hashed else UNHASHED, "ImplementationID": source_ids.implementation_id()}])
        agencies = organizations_in(scope, projects)
        w.write("Organization.csv", ({
            "OrganizationID": source_ids.export_id(a), "OrganizationName": source_ids.organization_name(a),
            "VictimServiceProvider": a.is_victim_service_provider, "OrganizationCommonName": a.common_name,
            "DateCreated": _ts(a.created_at), "DateUpdated": _ts(a.record_updated_at or a.created_at),
            "UserID": a.recorded_by_id or admin_id} for a in agencies.iterator()))
        w.write("User.csv", _users(clients, enrollments, admin_id, scope.viewer, projects, agencies))
        # H2: the project descriptor files hold what the HMIS Lead recorded (reports/hmis_csv/descriptors.py),
        # in Python on every database: they are small, so PostgreSQL formats none of them (export_sql.py).
        by_pk = projects.select_related("agency", "recorded_by").order_by("pk")
        w.write("Project.csv", (descriptors.project_row(p, ts=_ts, user_id=admin_id) for p in by_pk.iterator()))
        for name in ("Funder.csv", "ProjectCoC.csv", "Inventory.csv"):
            w.write(name, descriptors.rows_of(name, projects, ts=_ts, user_id=admin_id))
        w.write("Affiliation.csv", descriptors.affiliation_rows(projects, ts=_ts, user_id=admin_id))
        for name in ("HMISParticipation.csv", "CEParticipation.csv"):
            w.write(name, descriptors.rows_of(name, projects, ts=_ts, user_id=admin_id))
        if export_sql.enabled(scope) and not portable:
            _write_large_files_in_sql(w, scope, export_id)
        else:
            _write_large_files(w, scope, clients, enrollments)
    return w.counts


def organizations_in(scope: Scope, projects):
    """H3, Organization.csv: every organization in the export's scope, with or without projects.
    HMIS CSV makes Organization.csv the parent of Project.csv (each Project.OrganizationID names a
    row of it) and asks no project of an organization, so an organization without one is exported
    where the scope holds it: the whole HMIS, the CoC it takes part in, the agency itself (an
    agency's own export). An export of chosen projects carries their organizations, and those the
    imports that brought the projects kept without a project (so an import comes back whole)."""
    from reports.models import ExternalKey

    agencies = Agency.objects.all()
    if not scope.viewer.is_admin:
        agencies = agencies.filter(pk=scope.viewer.agency_id)
    if scope.agency:
        agencies = agencies.filter(pk=scope.agency.pk)
    if scope.coc:
        agencies = agencies.filter(Q(cocs=scope.coc) | Q(projects__coc=scope.coc))
    if scope.projects:
        in_export = projects.order_by().values("pk")
        sources = ExternalKey.objects.filter(
            file="Project.csv", local_id__in=[str(pk) for pk in in_export.values_list("pk", flat=True)]
        ).values("source")
        kept = [int(pk) for pk in ExternalKey.objects.filter(file="Organization.csv", source__in=sources)
                .values_list("local_id", flat=True) if pk.isdigit()]
        agencies = agencies.filter(Q(projects__in=in_export) | Q(pk__in=kept, projects__isnull=True))
    return Agency.objects.filter(pk__in=agencies.values("pk")).order_by("pk")


def _write_large_files(w: Writer, scope: Scope, clients, enrollments) -> None:
    """The client and stay-level files, a row at a time in Python (any database)."""
    rows = _clients(clients, scope.hashed)
    if not scope.viewer.is_admin:
        lead_user = User.objects.filter(is_system_admin=True).order_by("pk").values_list("pk", flat=True).first()
        rows = _as_seen_by(scope.viewer, rows, hashed=scope.hashed, stand_in_user=lead_user)
    w.write("Client.csv", _logged(rows, scope))
    w.write("Enrollment.csv", _enrollments(enrollments))
    w.write("Exit.csv", _exits(enrollments))
    assessments = Assessment.objects.filter(enrollment__in=enrollments)
    w.write("IncomeBenefits.csv", _one_row_per_collection(assessments, "IncomeBenefits.csv"))
    w.write("HealthAndDV.csv", _one_row_per_collection(assessments, "HealthAndDV.csv"))
    w.write("EmploymentEducation.csv", _one_row_per_collection(assessments, "EmploymentEducation.csv"))
    w.write("Disabilities.csv", _disabilities(assessments))
    w.write("Services.csv", _services(Service.objects.filter(enrollment__in=enrollments)))
    w.write("CurrentLivingSituation.csv", _contacts(CurrentLivingSituation.objects.filter(enrollment__in=enrollments)))
    w.write("Assessment.csv", _ce_assessments(CeAssessment.objects.filter(enrollment__in=enrollments)))
    w.write("AssessmentQuestions.csv", _ce_questions(
        CeAssessmentQuestion.objects.filter(assessment__enrollment__in=enrollments)))
    w.write("AssessmentResults.csv", _ce_results(CeAssessmentResult.objects.filter(assessment__enrollment__in=enrollments)))
    w.write("Event.csv", _events(CeEvent.objects.filter(enrollment__in=enrollments)))
    w.write("YouthEducationStatus.csv", _one_row_per_collection(assessments, "YouthEducationStatus.csv"))


def database_statements(scope: Scope, export_id: str = "") -> dict[str, tuple[str, dict]]:
    """file name -> (SELECT, parameters) of the files PostgreSQL formats: Client.csv's
    two halves around the still-encrypted SSN, and each large file's lines. make bench
    COPYs the same statements to measure the export's floor."""
    # No ORDER BY inside IN (...): sorting a million keys there only costs time.
    clients_sql, clients_params = export_sql.named(scope.client_queryset().order_by().values("pk"))
    stays_sql, stays_params = export_sql.named(scope.enrollment_queryset().order_by().values("pk"))
    statements = {"Client.csv": (export_sql.client_query(clients_sql), export_sql.params(export_id, clients_params))}
    for name, sql in export_sql.queries(stays_sql).items():
        statements[name] = (sql, export_sql.params(export_id, stays_params))
    return statements


def _write_large_files_in_sql(w: Writer, scope: Scope, export_id: str) -> None:
    """The same files, formatted by PostgreSQL (export_sql.py), in the same order."""
    from hmis.crypto import decrypt

    statements = database_statements(scope, export_id)

    def client_lines():
        for pk, client_id, encrypted, before, after in export_sql.copied(*statements["Client.csv"]):
            ssn = decrypt(encrypted.decode()).rjust(9, "x").encode() if encrypted else b""  # HUD marks omitted digits with x
            yield {"_pk": int(pk), "PersonalID": client_id.decode(), "line": b",".join((before, ssn, after))}

    w.write_lines("Client.csv", (row["line"] for row in _logged(client_lines(), scope)))
    for name in spec.FILES[spec.FILES.index("Enrollment.csv"):]:  # HUD's order, as _write_large_files writes them
        if name in statements:
            w.write_lines(name, export_sql.lines(*statements[name]))
        else:
            w.write(name, [])


def _logged(rows, scope):
    """Pass the rows through, writing one export access entry per client in batches."""
    if scope.log_for is None:
        yield from rows
        return
    from django.contrib.contenttypes.models import ContentType

    from hmis.models import AuditEntry

    client_type = ContentType.objects.get_for_model(Client)
    agency = scope.viewer.agency
    batch = []
    for row in rows:
        batch.append(AuditEntry(
            content_type=client_type, object_pk=str(row["_pk"]), object_id=row["_pk"], object_repr=f"Client {row['PersonalID']}",
            action=AuditEntry.Action.ACCESS, access_kind=AuditEntry.AccessKind.EXPORT, actor=scope.log_for,
            agency=agency, client_ref=row["PersonalID"], additional_data={"note": "HMIS CSV export"}))
        if len(batch) >= CHUNK:
            AuditEntry.objects.bulk_create(batch)
            batch = []
        yield row
    AuditEntry.objects.bulk_create(batch)


def _only_coc(projects):
    cocs = {p.coc for p in projects[:500]}
    return next(iter(cocs)) if len(cocs) == 1 else None


def _users(clients, enrollments, admin_id, viewer=None, projects=None, agencies=None):
    creators = clients.values_list("created_by_id", flat=True)
    if viewer is not None and not viewer.is_admin:
        creators = creators.filter(entered_by_agency=viewer.agency)  # others' staff are not named (C12)
    # Every UserID a stay-level file writes is in User.csv (HMIS CSV: UserID refers to User.csv):
    # one UNION query (it also drops the repeats).
    authors = [enrollments.values_list("entered_by_id", flat=True).order_by()]
    authors += [model.objects.filter(enrollment__in=enrollments).values_list("entered_by_id", flat=True).order_by()
                for model in (Assessment, Service, CurrentLivingSituation, CeAssessment, CeEvent)]
    authors += [model.objects.filter(assessment__enrollment__in=enrollments).values_list("entered_by_id", flat=True)
                .order_by() for model in (CeAssessmentQuestion, CeAssessmentResult)]
    authors.append(enrollments.filter(exit_entered_by__isnull=False).values_list("exit_entered_by_id", flat=True)
                   .order_by())
    # The authors of organizations, projects and descriptor rows kept from an import; the HMIS
    # Lead's administrator stands for the rest (and for another agency's staff, C12).
    needs_admin = viewer is not None and not viewer.is_admin
    if projects is not None:
        in_export = projects.order_by().values("pk")
        organizations = agencies if agencies is not None else Agency.objects.filter(projects__in=in_export)
        kept = [organizations, Project.objects.filter(pk__in=in_export)]
        kept += [model.objects.filter(project__in=in_export)
                 for model in [*(m for m, _, _, _ in descriptors.FILES.values()), descriptors.Affiliation]]
        for rows in kept:
            authors.append(rows.filter(recorded_by__isnull=False).values_list("recorded_by_id", flat=True).order_by())
            needs_admin = needs_admin or rows.filter(recorded_by__isnull=True).exists()
    ids = set(creators.order_by().union(*authors))
    if needs_admin or projects is None:
        ids.add(admin_id)
    for user in User.objects.filter(pk__in=ids).order_by("pk").iterator():
        # Record authors kept from an import (H3) carry their User.csv phone and DateUpdated.
        yield {"UserID": user.pk, "UserFirstName": user.first_name, "UserLastName": user.last_name,
               "UserPhone": user.phone, "UserExtension": user.phone_extension,
               "UserEmail": user.email, "DateCreated": _ts(user.date_joined),
               "DateUpdated": _ts(user.record_updated_at or user.date_joined)}


CLIENT_FIELDS = ["id", "client_id", "first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
                 "ssn_encrypted", "ssn_data_quality", "dob", "dob_data_quality", "sex", "am_ind_ak_native", "asian",
                 "black_af_american", "hispanic_latinao", "mid_east_n_african", "native_hi_pacific", "white",
                 "race_none", "additional_race_ethnicity", "veteran_status", "created_at", "updated_at", "created_by_id"]
# V1 veteran's information (enrollments.VeteranInformation, one row per client when answered):
# (values() name, Client.csv column); a client without the row writes the cells empty.
VETERAN_VALUES = [(f"veteran_information__{field}", column) for field, column in PARTNER_COLUMNS["Client.csv"]]
CLIENT_FIELDS += [name for name, _ in VETERAN_VALUES]


# Client.csv columns of the values consent/visibility.py may hold back from an agency.
HIDDEN_COLUMNS = {
    "am_ind_ak_native": "AmIndAKNative", "asian": "Asian", "black_af_american": "BlackAfAmerican",
    "hispanic_latinao": "HispanicLatinao", "mid_east_n_african": "MidEastNAfrican", "native_hi_pacific": "NativeHIPacific",
    "white": "White", "race_none": "RaceNone", "additional_race_ethnicity": "AdditionalRaceEthnicity", "sex": "Sex",
    "veteran_status": "VeteranStatus",
}


def _as_seen_by(viewer, rows, *, hashed: bool, stand_in_user, batch: int = 500):
    """C10, C12, A7: an agency's export carries each client as the agency may see them:
    values another agency recorded under a consent that does not share them are "data
    not collected", an SSN the agency may not see in full keeps only its last 4 (the other
    digits "x", data quality 2: partial), and another agency's staff are not named."""
    from consent.visibility import prefetch_for_visibility, values_not_shown

    def flush(chunk):
        clients = {c.pk: c for c in Client.objects.filter(pk__in=[r["_pk"] for r in chunk]).select_related(
            "consent__project")}
        prefetch_for_visibility(list(clients.values()))
        for row in chunk:
            client = clients[row["_pk"]]
            hidden = values_not_shown(viewer, client)
            for name, column in HIDDEN_COLUMNS.items():
                if name in hidden:
                    value = hidden[name]
                    row[column] = int(value) if isinstance(value, bool) else value
            if "veteran_status" in hidden:  # V1 follows the veteran status it is asked after
                row.update(dict.fromkeys((column for _, column in VETERAN_VALUES), None))
            if "ssn" in hidden and row["SSN"]:
                last4 = client.ssn_last4
                masked = f"xxxxx{last4}" if last4 else ""
                row["SSN"] = _hash(masked) if hashed else masked
                row["SSNDataQuality"] = 2 if last4 else 99
            if client.entered_by_agency_id != viewer.agency_id:
                row["UserID"] = stand_in_user  # the HMIS Lead, as for organizations and projects
            yield row

    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def _clients(clients, hashed: bool):
    from hmis.crypto import decrypt

    for c in clients.order_by("client_id").values(*CLIENT_FIELDS).iterator(chunk_size=CHUNK):
        ssn = decrypt(c["ssn_encrypted"]) if c["ssn_encrypted"] else ""
        ssn = ssn.rjust(9, "x") if ssn else ""  # HUD marks omitted digits with x
        names = [c["first_name"], c["middle_name"], c["last_name"], c["name_suffix"]]
        if hashed:
            names, ssn = [_hash(n) for n in names], _hash(ssn)
        yield {
            "_pk": c["id"], "PersonalID": c["client_id"], "FirstName": names[0], "MiddleName": names[1], "LastName": names[2],
            "NameSuffix": names[3], "NameDataQuality": c["name_data_quality"], "SSN": ssn,
            "SSNDataQuality": c["ssn_data_quality"], "DOB": c["dob"], "DOBDataQuality": c["dob_data_quality"],
            "Sex": c["sex"], "AmIndAKNative": c["am_ind_ak_native"], "Asian": c["asian"],
            "BlackAfAmerican": c["black_af_american"], "HispanicLatinao": c["hispanic_latinao"],
            "MidEastNAfrican": c["mid_east_n_african"], "NativeHIPacific": c["native_hi_pacific"], "White": c["white"],
            "RaceNone": c["race_none"], "AdditionalRaceEthnicity": c["additional_race_ethnicity"],
            "VeteranStatus": c["veteran_status"], "DateCreated": _ts(c["created_at"]),
            "DateUpdated": _ts(c["updated_at"]), "UserID": c["created_by_id"],
            **{column: c[name] for name, column in VETERAN_VALUES}}


def _partner_cells(e, file_name: str) -> dict:
    """The federal partners' columns of the stay (enrollments.ProgramAnswers): empty
    where the stay has no row (nothing answered, no invented values)."""
    try:
        answers = e.program_answers
    except ObjectDoesNotExist:
        answers = None
    return {column: getattr(answers, field) if answers else None for field, column in PARTNER_COLUMNS[file_name]}


def _enrollments(enrollments):
    for e in enrollments.order_by("enrollment_id").select_related("client", "program_answers", "project") \
            .iterator(chunk_size=CHUNK):
        yield {**_partner_cells(e, "Enrollment.csv"),
            "EnrollmentID": e.enrollment_id, "PersonalID": e.client.client_id,
            "ProjectID": source_ids.export_id(e.project),
            "EntryDate": e.entry_date, "HouseholdID": e.household_id, "RelationshipToHoH": e.relationship_to_hoh,
            "EnrollmentCoC": e.enrollment_coc, "LivingSituation": e.living_situation,
            "RentalSubsidyType": e.rental_subsidy_type, "LengthOfStay": e.length_of_stay,
            "LOSUnderThreshold": e.los_under_threshold, "PreviousStreetESSH": e.previous_street_essh,
            "DateToStreetESSH": e.date_to_street_essh, "TimesHomelessPastThreeYears": e.times_homeless_past_three_years,
            "MonthsHomelessPastThreeYears": e.months_homeless_past_three_years,
            "DisablingCondition": e.disabling_condition, "DateOfEngagement": e.date_of_engagement,
            "MoveInDate": e.move_in_date, "DateCreated": _ts(e.entered_at),
            "DateUpdated": _ts(e.updated_at or e.entered_at), "UserID": e.entered_by_id}


def _exits(enrollments):
    for e in enrollments.filter(exit_date__isnull=False).order_by("enrollment_id") \
            .select_related("client", "program_answers").iterator(chunk_size=CHUNK):
        yield {**_partner_cells(e, "Exit.csv"), "ExitID": e.exit_id or e.enrollment_id, "EnrollmentID": e.enrollment_id,
               "PersonalID": e.client.client_id,
               "ExitDate": e.exit_date, "Destination": e.destination,
               "DestinationSubsidyType": e.destination_subsidy_type, "OtherDestination": e.other_destination,
               "DateCreated": _ts(e.exit_entered_at or e.entered_at),
               "DateUpdated": _ts(e.exit_updated_at or e.exit_entered_at or e.entered_at),
               "UserID": e.exit_entered_by_id or e.entered_by_id}


def _assessment_rows(assessments):
    return assessments.order_by("record_id").select_related("enrollment__client").iterator(chunk_size=CHUNK)


def _common(a):
    return {"EnrollmentID": a.enrollment.enrollment_id, "PersonalID": a.enrollment.client.client_id,
            "InformationDate": a.information_date, "DataCollectionStage": a.stage, "DateCreated": _ts(a.entered_at),
            "DateUpdated": _ts(a.updated_at or a.entered_at), "UserID": a.entered_by_id}


def _own_cells(row: dict, kept: dict) -> dict:
    """H3: a row's own DateCreated, DateUpdated and UserID kept from an import where they were
    not its collection's (Assessment.file_ids)."""
    for key, column in (("created", "DateCreated"), ("updated", "DateUpdated"), ("user", "UserID")):
        if key in kept:
            row[column] = kept[key]
    return row


def _one_row_per_collection(assessments, file_name: str):
    columns = ASSESSMENT_COLUMNS[file_name]
    for a in _assessment_rows(_collected(assessments, file_name)):
        # H3: the file's own ID kept from an import (Assessment.file_ids), else the collection's
        kept = a.file_ids.get(file_name, {})
        yield _own_cells({ASSESSMENT_KEYS[file_name]: kept.get("id", a.record_id), **_common(a),
                          **{column: getattr(a, name) for column, name in columns}}, kept)


def _disabilities(assessments):
    """One row per disability type answered (4.05–4.10), with its "indefinite and impairs"
    where HUD asks it, and the HIV/AIDS row with the HOPWA follow-ups (W4, W6)."""
    for a in _assessment_rows(_collected(assessments, "Disabilities.csv")):
        for name, disability_type, indefinite in elements.DISABILITIES:
            response = getattr(a, name)
            if response is None:
                continue
            kept = a.file_ids.get("Disabilities.csv", {}).get(str(disability_type), {})
            row = {"DisabilitiesID": kept.get("id", f"{a.record_id}-{disability_type}"), **_common(a),
                   "DisabilityType": disability_type, "DisabilityResponse": response,
                   "IndefiniteAndImpairs": getattr(a, indefinite) if indefinite else None}
            if disability_type == HIV_AIDS:
                row |= {column: getattr(a, field) for field, column in elements.HIV_FOLLOW_UPS}
            yield _own_cells(row, kept)


def _services(services):
    for s in services.order_by("record_id").select_related("enrollment__client").iterator(chunk_size=CHUNK):
        yield {"ServicesID": s.record_id, "EnrollmentID": s.enrollment.enrollment_id,
               "PersonalID": s.enrollment.client.client_id, "DateProvided": s.date_provided, "RecordType": s.record_type,
               "TypeProvided": s.type_provided, "DateCreated": _ts(s.entered_at),
               "DateUpdated": _ts(s.updated_at or s.entered_at),
               "UserID": s.entered_by_id}


def _contacts(contacts):
    for c in contacts.order_by("record_id").select_related("enrollment__client").iterator(chunk_size=CHUNK):
        yield {"CurrentLivingSitID": c.record_id, "EnrollmentID": c.enrollment.enrollment_id,
               "PersonalID": c.enrollment.client.client_id, "InformationDate": c.information_date,
               "CurrentLivingSituation": c.current_living_situation, "LocationDetails": c.location_details,
               "DateCreated": _ts(c.entered_at), "DateUpdated": _ts(c.updated_at or c.entered_at),
               "UserID": c.entered_by_id}


def _ce_assessments(rows):
    for a in rows.order_by("record_id").select_related("enrollment__client").iterator(chunk_size=CHUNK):
        yield {"AssessmentID": a.record_id, "EnrollmentID": a.enrollment.enrollment_id,
               "PersonalID": a.enrollment.client.client_id, "AssessmentDate": a.information_date,
               "AssessmentLocation": a.assessment_location, "AssessmentType": a.assessment_type,
               "AssessmentLevel": a.assessment_level, "PrioritizationStatus": a.prioritization_status,
               "DateCreated": _ts(a.entered_at), "DateUpdated": _ts(a.updated_at or a.entered_at),
               "UserID": a.entered_by_id}


def _under_assessment(q) -> dict:
    a = q.assessment
    return {"AssessmentID": a.record_id, "EnrollmentID": a.enrollment.enrollment_id,
            "PersonalID": a.enrollment.client.client_id, "DateCreated": _ts(q.entered_at or a.entered_at),
            "DateUpdated": _ts(q.updated_at or q.entered_at or a.entered_at), "UserID": q.entered_by_id}


def _ce_questions(rows):
    for q in rows.order_by("record_id").select_related("assessment__enrollment__client").iterator(chunk_size=CHUNK):
        yield {"AssessmentQuestionID": q.record_id, **_under_assessment(q), "AssessmentQuestionGroup": q.question_group,
               "AssessmentQuestionOrder": q.question_order, "AssessmentQuestion": q.question,
               "AssessmentAnswer": q.answer}


def _ce_results(rows):
    for q in rows.order_by("record_id").select_related("assessment__enrollment__client").iterator(chunk_size=CHUNK):
        yield {"AssessmentResultID": q.record_id, **_under_assessment(q), "AssessmentResultType": q.result_type,
               "AssessmentResult": q.result}


def _events(rows):
    for e in rows.order_by("record_id").select_related("enrollment__client").iterator(chunk_size=CHUNK):
        yield {"EventID": e.record_id, "EnrollmentID": e.enrollment.enrollment_id,
               "PersonalID": e.enrollment.client.client_id, "EventDate": e.information_date, "Event": e.event,
               "ReferralResult": e.referral_result, "ResultDate": e.result_date,
               "ProbSolDivRRResult": e.prob_sol_div_rr_result, "ReferralCaseManageAfter": e.referral_case_manage_after,
               "LocationCrisisOrPHHousing": e.location_crisis_or_ph_housing, "DateCreated": _ts(e.entered_at),
               "DateUpdated": _ts(e.updated_at or e.entered_at), "UserID": e.entered_by_id}
