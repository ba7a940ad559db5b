"""The HMIS CSV export's large files, written by PostgreSQL (issue 8).

At a million clients, building each row in Python costs 40-60 times what reading the
rows costs. On PostgreSQL each large file is instead one SELECT that returns every
line already formatted as CSV (HUD's date, timestamp, 0/1 and decimal formats, CSV
quoting of free text), streamed by ``COPY (SELECT ...) TO STDOUT`` and written
straight into the zip. Client.csv still passes through Python, for one column: the SSN is
encrypted at rest (hmis/crypto.py) and only Python holds the key.

``export.py`` keeps the portable path (SQLite, and hashed exports, whose SHA-256 of
names must be Python's). tests/reports/test_hmis_csv.py checks that both paths write
byte-identical files.
"""

import re

from django.conf import settings
from django.db import connection

from . import source_ids, spec


def enabled(scope) -> bool:
    """PostgreSQL formats the large files for the HMIS Lead's exports; an agency's export
    goes row by row, since each client row is read as the agency may see it (C12)."""
    return connection.vendor == "postgresql" and not scope.hashed and scope.viewer.is_admin


def _quote(expr: str) -> str:
    """CSV quoting as Python's csv module does it (QUOTE_MINIMAL)."""
    return (f"CASE WHEN {expr} ~ '[\",\\r\\n]' THEN '\"' || replace({expr}, '\"', '\"\"') || '\"' "
            f"ELSE {expr} END")


def text(column):
    return _quote(column)


def number(column):
    return f"({column})::text"


# Dates and timestamps as text are YYYY-MM-DD and YYYY-MM-DD HH:MM:SS under the ISO
# DateStyle, which psycopg needs anyway; a cast costs half of to_char.
def day(column):
    return f"({column})::text"


def stamp(column):
    # spec.TIMESTAMP_FORMAT in local time, seconds truncated, as export._ts does.
    return f"date_trunc('second', {column} AT TIME ZONE %(tz)s)::text"


def money(column):
    return f"to_char({column}, 'FM9999999990.00')"


def flag(column):
    return f"CASE WHEN {column} THEN '1' WHEN NOT {column} THEN '0' END"


def line(file_name: str, columns: dict, names=None) -> str:
    """One CSV line per row: the columns in HUD's order, empty where we hold nothing."""
    exprs = []
    for name in names if names is not None else spec.headers()[file_name]:
        if name == "ExportID":
            exprs.append("%(export_id)s::text")
        else:
            exprs.append(columns.get(name, "NULL"))
    return f"array_to_string(ARRAY[{', '.join(exprs)}]::text[], ',', '')"


# H3: a user kept from an import exports under the source's UserID (source_ids.py); every query
# naming a UserID joins its author as "u".
USER_ID = text(source_ids.sql("u"))


def author(alias: str) -> str:
    return f"JOIN hmis_user u ON u.id = {alias}.entered_by_id"


def _record(kind_id: str, alias: str, extra: dict) -> dict:
    """The columns every stay-level record has (export._common)."""
    return {
        kind_id: text(f"{alias}.record_id"), "EnrollmentID": text("e.enrollment_id"), "PersonalID": text("c.client_id"),
        "DateCreated": stamp(f"{alias}.entered_at"), "DateUpdated": stamp(f"COALESCE({alias}.updated_at, {alias}.entered_at)"),
        "UserID": USER_ID, **extra}


STAYS = "enrollments_enrollment e JOIN clients_client c ON c.id = e.client_id"
ENROLLMENT = {
    "EnrollmentID": text("e.enrollment_id"), "PersonalID": text("c.client_id"),
    "ProjectID": text(source_ids.sql("pr")),
    "EntryDate": day("e.entry_date"), "HouseholdID": text("e.household_id"),
    "RelationshipToHoH": number("e.relationship_to_hoh"), "EnrollmentCoC": text("e.enrollment_coc"),
    "LivingSituation": number("e.living_situation"), "RentalSubsidyType": number("e.rental_subsidy_type"),
    "LengthOfStay": number("e.length_of_stay"),
    "LOSUnderThreshold": number("e.los_under_threshold"), "PreviousStreetESSH": number("e.previous_street_essh"),
    "DateToStreetESSH": day("e.date_to_street_essh"),
    "TimesHomelessPastThreeYears": number("e.times_homeless_past_three_years"),
    "MonthsHomelessPastThreeYears": number("e.months_homeless_past_three_years"),
    "DisablingCondition": number("e.disabling_condition"), "DateOfEngagement": day("e.date_of_engagement"),
    "MoveInDate": day("e.move_in_date"), "DateCreated": stamp("e.entered_at"),
    "DateUpdated": stamp("COALESCE(e.updated_at, e.entered_at)"), "UserID": USER_ID,
}
EXIT = {
    "ExitID": text("COALESCE(e.exit_id, e.enrollment_id)"), "EnrollmentID": text("e.enrollment_id"),
    "PersonalID": text("c.client_id"),
    "ExitDate": day("e.exit_date"), "Destination": number("e.destination"),
    "DestinationSubsidyType": number("e.destination_subsidy_type"), "OtherDestination": text("e.other_destination"),
    "DateCreated": stamp("COALESCE(e.exit_entered_at, e.entered_at)"),
    "DateUpdated": stamp("COALESCE(e.exit_updated_at, e.exit_entered_at, e.entered_at)"),
    "UserID": USER_ID,  # the exit's own author (exit_entered_by), else the stay's
}
ASSESSED = {"InformationDate": day("a.information_date"), "DataCollectionStage": number("a.stage")}


def _partner_columns(file_name: str, alias: str) -> dict:
    """The federal partners' columns (enrollments.ProgramAnswers "p", VeteranInformation
    "v", LEFT JOINed: empty without a row), formatted as export.py's format_value does."""
    from django.db import models

    from enrollments.elements import PARTNER_COLUMNS
    from enrollments.models import ProgramAnswers, VeteranInformation

    model = VeteranInformation if file_name == "Client.csv" else ProgramAnswers
    columns = {}
    for field_name, column in PARTNER_COLUMNS[file_name]:
        field = model._meta.get_field(field_name)
        expr = f"{alias}.{field.column}"
        if isinstance(field, models.CharField):
            columns[column] = text(expr)
        elif isinstance(field, models.DateField):
            columns[column] = day(expr)
        else:
            columns[column] = number(expr)
    return columns


WITH_PARTNER_ANSWERS = f"{STAYS} LEFT JOIN enrollments_programanswers p ON p.enrollment_id = e.id"
STAY_ROWS = f"{WITH_PARTNER_ANSWERS} JOIN agencies_project pr ON pr.id = e.project_id {author('e')}"
EXIT_ROWS = f"{WITH_PARTNER_ANSWERS} JOIN hmis_user u ON u.id = COALESCE(e.exit_entered_by_id, e.entered_by_id)"
def _answer_column(field_name: str, alias: str = "a") -> str:
    """An Assessment answer formatted as export.py's format_value does: money with two
    decimals, dates ISO, free text CSV-quoted, codes as numbers."""
    from django.db import models

    from enrollments.models import Assessment

    field = Assessment._meta.get_field(field_name)
    column = f"{alias}.{field.column}"
    if isinstance(field, models.DecimalField):
        return money(column)
    if isinstance(field, models.CharField):
        return text(column)
    if isinstance(field, models.DateField):
        return day(column)
    return number(column)


def _own_cells(kept: str, row: dict) -> dict:
    """export._own_cells: ``kept`` the JSON of the row in Assessment.file_ids."""
    kept_user = f"({kept} ->> 'user')::integer"
    return {**row,
            "DateCreated": f"COALESCE({kept} ->> 'created', {row['DateCreated']})",
            "DateUpdated": f"COALESCE({kept} ->> 'updated', {row['DateUpdated']})",
            "UserID": f"COALESCE((SELECT {text(source_ids.sql('k'))} FROM hmis_user k WHERE k.id = {kept_user}), "
                      f"{row['UserID']})"}


def _assessment_file(file_name: str) -> dict:
    from .export import ASSESSMENT_COLUMNS, ASSESSMENT_KEYS

    key, kept = ASSESSMENT_KEYS[file_name], f"(a.file_ids -> '{file_name}')"
    return _own_cells(kept, _record(key, "a", {
        **ASSESSED, **{column: _answer_column(name) for column, name in ASSESSMENT_COLUMNS[file_name]},
        # H3: the file's own ID kept from an import (Assessment.file_ids), else the collection's
        key: text(f"COALESCE({kept} ->> 'id', a.record_id)")}))


def _collected_sql(file_name: str) -> str:
    """export.collected_in as SQL: a collection has a row when a root question is answered."""
    from .export import collected_in

    return "(" + " OR ".join(f"a.{name} IS NOT NULL" for name in collected_in(file_name)) + ")"


def _disability_row() -> dict:
    from enrollments.elements import HIV_FOLLOW_UPS

    from .export import HIV_AIDS

    kept = "(a.file_ids -> 'Disabilities.csv' -> d.type::text)"
    return _own_cells(kept, _record("DisabilitiesID", "a", {
        **ASSESSED,
        "DisabilitiesID": text(f"COALESCE({kept} ->> 'id', a.record_id || '-' || d.type)"),
        "DisabilityType": number("d.type"),
        "DisabilityResponse": number("d.response"), "IndefiniteAndImpairs": number("d.indefinite"),
        **{column: f"CASE WHEN d.type = {HIV_AIDS} THEN {_answer_column(field)} END"
           for field, column in HIV_FOLLOW_UPS}}))


SERVICE = _record("ServicesID", "s", {
    "DateProvided": day("s.date_provided"), "RecordType": number("s.record_type"),
    "TypeProvided": number("s.type_provided")})
CONTACT = _record("CurrentLivingSitID", "s", {
    "InformationDate": day("s.information_date"), "CurrentLivingSituation": number("s.current_living_situation"),
    "LocationDetails": text("s.location_details")})
CE_ASSESSMENT = _record("AssessmentID", "s", {
    "AssessmentDate": day("s.information_date"), "AssessmentLocation": text("s.assessment_location"),
    "AssessmentType": number("s.assessment_type"), "AssessmentLevel": number("s.assessment_level"),
    "PrioritizationStatus": number("s.prioritization_status")})
# 4.19.5/4.19.6: the CE assessment's questions and results, under the assessment (alias s).
def _under_assessment(kind_id: str, extra: dict) -> dict:
    return {kind_id: text("q.record_id"), "AssessmentID": text("s.record_id"), "EnrollmentID": text("e.enrollment_id"),
            "PersonalID": text("c.client_id"), "DateCreated": stamp("COALESCE(q.entered_at, s.entered_at)"),
            "DateUpdated": stamp("COALESCE(q.updated_at, q.entered_at, s.entered_at)"),
            "UserID": USER_ID, **extra}


CE_QUESTION = _under_assessment("AssessmentQuestionID", {
    "AssessmentQuestionGroup": text("q.question_group"), "AssessmentQuestionOrder": number("q.question_order"),
    "AssessmentQuestion": text("q.question"), "AssessmentAnswer": text("q.answer")})
CE_RESULT = _under_assessment("AssessmentResultID", {
    "AssessmentResultType": text("q.result_type"), "AssessmentResult": text("q.result")})
EVENT = _record("EventID", "s", {
    "EventDate": day("s.information_date"), "Event": number("s.event"), "ReferralResult": number("s.referral_result"),
    "ResultDate": day("s.result_date"), "ProbSolDivRRResult": number("s.prob_sol_div_rr_result"),
    "ReferralCaseManageAfter": number("s.referral_case_manage_after"),
    "LocationCrisisOrPHHousing": text("s.location_crisis_or_ph_housing")})


def _disability_values() -> str:
    from enrollments.elements import DISABILITIES

    return ", ".join(f"(a.{field}, {code}, {f'a.{indefinite}' if indefinite else 'NULL::integer'})"
                     for field, code, indefinite in DISABILITIES)


def queries(stays_sql: str) -> dict:
    """file name -> SELECT of its lines; ``stays_sql`` selects the exported stays' ids."""
    on_stays = f"e.id IN ({stays_sql})"
    per_stay = f"JOIN {STAYS} ON e.id = {{alias}}.enrollment_id {author('{alias}')} WHERE {on_stays}"
    # the CE assessment's questions and results: their own author, under the assessment's stay
    under_assessment = f"JOIN {STAYS} ON e.id = s.enrollment_id {author('q')} WHERE {on_stays}"
    assessments = f"FROM enrollments_assessment a {per_stay.format(alias='a')}"
    return {
        "Enrollment.csv": f"SELECT {line('Enrollment.csv', ENROLLMENT | _partner_columns('Enrollment.csv', 'p'))} "
                          f"FROM {STAY_ROWS} WHERE {on_stays} ORDER BY e.enrollment_id",
        "Exit.csv": f"SELECT {line('Exit.csv', EXIT | _partner_columns('Exit.csv', 'p'))} FROM {EXIT_ROWS} "
                    f"WHERE {on_stays} AND e.exit_date IS NOT NULL ORDER BY e.enrollment_id",
        **{name: f"SELECT {line(name, _assessment_file(name))} {assessments} AND {_collected_sql(name)} "
                 "ORDER BY a.record_id"
           for name in ("IncomeBenefits.csv", "HealthAndDV.csv", "EmploymentEducation.csv", "YouthEducationStatus.csv")},
        "Disabilities.csv": (
            f"SELECT {line('Disabilities.csv', _disability_row())} FROM enrollments_assessment a "
            f"CROSS JOIN LATERAL (VALUES {_disability_values()}) AS d(response, type, indefinite) "
            f"{per_stay.format(alias='a')} AND d.response IS NOT NULL ORDER BY a.record_id, d.type"),
        "Services.csv": f"SELECT {line('Services.csv', SERVICE)} FROM enrollments_service s "
                        f"{per_stay.format(alias='s')} ORDER BY s.record_id",
        "CurrentLivingSituation.csv": f"SELECT {line('CurrentLivingSituation.csv', CONTACT)} "
                                      f"FROM enrollments_currentlivingsituation s {per_stay.format(alias='s')} "
                                      "ORDER BY s.record_id",
        "Assessment.csv": f"SELECT {line('Assessment.csv', CE_ASSESSMENT)} FROM enrollments_ceassessment s "
                          f"{per_stay.format(alias='s')} ORDER BY s.record_id",
        "AssessmentQuestions.csv": f"SELECT {line('AssessmentQuestions.csv', CE_QUESTION)} "
                                   "FROM enrollments_ceassessmentquestion q JOIN enrollments_ceassessment s "
                                   f"ON s.id = q.assessment_id {under_assessment} ORDER BY q.record_id",
        "AssessmentResults.csv": f"SELECT {line('AssessmentResults.csv', CE_RESULT)} "
                                 "FROM enrollments_ceassessmentresult q JOIN enrollments_ceassessment s "
                                 f"ON s.id = q.assessment_id {under_assessment} ORDER BY q.record_id",
        "Event.csv": f"SELECT {line('Event.csv', EVENT)} FROM enrollments_ceevent s {per_stay.format(alias='s')} "
                     "ORDER BY s.record_id",
    }


CLIENT = {
    "PersonalID": text("c.client_id"), "FirstName": text("c.first_name"), "MiddleName": text("c.middle_name"),
    "LastName": text("c.last_name"), "NameSuffix": text("c.name_suffix"), "NameDataQuality": number("c.name_data_quality"),
    "SSNDataQuality": number("c.ssn_data_quality"), "DOB": day("c.dob"),
    "DOBDataQuality": number("c.dob_data_quality"), "Sex": number("c.sex"), "AmIndAKNative": flag("c.am_ind_ak_native"),
    "Asian": flag("c.asian"), "BlackAfAmerican": flag("c.black_af_american"),
    "HispanicLatinao": flag("c.hispanic_latinao"), "MidEastNAfrican": flag("c.mid_east_n_african"),
    "NativeHIPacific": flag("c.native_hi_pacific"), "White": flag("c.white"), "RaceNone": number("c.race_none"),
    "AdditionalRaceEthnicity": text("c.additional_race_ethnicity"), "VeteranStatus": number("c.veteran_status"),
    "DateCreated": stamp("c.created_at"), "DateUpdated": stamp("c.updated_at"), "UserID": USER_ID,
}


def client_query(clients_sql: str) -> str:
    """Client.csv lines in two parts, before and after the SSN, which Python decrypts
    and puts between them."""
    names = spec.headers()["Client.csv"]
    cut = names.index("SSN")
    columns = CLIENT | _partner_columns("Client.csv", "v")
    return (f"SELECT c.id, c.client_id, c.ssn_encrypted, {line('Client.csv', columns, names[:cut])}, "
            f"{line('Client.csv', columns, names[cut + 1:])} FROM clients_client c "
            "LEFT JOIN enrollments_veteraninformation v ON v.client_id = c.id JOIN hmis_user u ON u.id = c.created_by_id "
            f"WHERE c.id IN ({clients_sql}) ORDER BY c.client_id")


def named(queryset) -> tuple[str, dict]:
    """A queryset's SQL with its parameters named (q0, q1...), so it can sit inside
    the queries above, which name theirs."""
    sql, values = queryset.query.sql_with_params()
    parts = sql.split("%s")
    text_ = parts[0]
    for i, part in enumerate(parts[1:]):
        text_ += f"%(q{i})s" + part
    return text_, {f"q{i}": value for i, value in enumerate(values)}


# COPY's text format escapes these in values (and \N is NULL); everything else is raw.
_COPY_ESCAPES = {b"\\\\": b"\\", b"\\n": b"\n", b"\\r": b"\r", b"\\t": b"\t", b"\\b": b"\b", b"\\f": b"\f",
                 b"\\v": b"\v"}
_COPY_ESCAPE = re.compile(rb"\\[\\nrtbfv]")


def _unescape(value: bytes) -> bytes:
    return _COPY_ESCAPE.sub(lambda m: _COPY_ESCAPES[m.group()], value) if b"\\" in value else value


def _copy_stream(sql: str, params: dict):
    """The rows of ``COPY (sql) TO STDOUT`` as raw bytes, newline included. PostgreSQL
    keeps producing while Python writes the zip, so the two use both cores, where a
    cursor's FETCH makes each wait for the other."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        for data in copy:
            yield bytes(data)


def copied(sql: str, params: dict):
    """The rows of ``sql``, each a tuple of bytes values (None for NULL)."""
    for data in _copy_stream(sql, params):
        yield tuple(None if value == b"\\N" else _unescape(value) for value in data[:-1].split(b"\t"))


def lines(sql: str, params: dict):
    """The single-column rows of ``sql`` (CSV lines), as bytes."""
    for data in _copy_stream(sql, params):
        yield _unescape(data[:-1])


def params(export_id: str, extra: dict) -> dict:
    return {"tz": settings.TIME_ZONE, "export_id": export_id, **extra}
