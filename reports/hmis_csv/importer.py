"""HMIS CSV FY2026 import, all or nothing.

1. Read every file (folder or zip, at its top or in a folder, any letter case; UTF-8 with or
   without a byte-order mark, UTF-16 with one, Windows-1252; quoting and line ends as they
   come) and check columns, types, HUD value lists and required values, row by row, and that
   the database can hold each value (``storage_checks``), so no constraint is met mid-load.
2. Check references (an enrollment's client and project, an exit's enrollment...) and what
   spans rows (names kept once, users, overlapping stays, the records already here).
   Soft-deleted rows (DateDeleted set) and rows under them are skipped, with a warning.
3. Only if no error was found, load everything in one transaction. IDs already seen
   from the same source (ExternalKey) or, for this HMIS's own exports, the local IDs,
   are updated, not duplicated.

Each problem is reported as (file, line, column, message, severity).
"""

import codecs
import csv
import io
import json
import logging
import zipfile
import zlib
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import DatabaseError, transaction
from django.utils import timezone

from hmis.bulk import insert_objects, update_objects

from . import descriptors, source_ids, spec

ERROR, WARNING = "error", "warning"
log = logging.getLogger(__name__)
LOAD_STOPPED = ("The import stopped partway through loading (an error in the database or the importer). "
                "Nothing was loaded; try again, and if it happens again tell the HMIS Lead help desk.")
# Zip limits: files below this size are not held to the compression ratio (a short
# CSV of empty columns compresses very well and is harmless); read in chunks of this.
RATIO_FLOOR = 1024 * 1024
READ_CHUNK = 1024 * 1024
# Rows the Loader turns into model instances at once (clients, stays, records): memory stays
# bounded by a batch, not by the export.
BATCH = 5000
# What HMIS CSV cannot carry into this HMIS: hashed identifiers are not names.
UNHASHED = 1


class Rejected(Exception):
    pass


class Row(dict):
    """One checked CSV row: only the columns with a value are stored (most HMIS CSV
    columns are empty), and a missing one reads as None. At 100,000 clients this
    halves what the all-or-nothing check holds in memory."""

    def __missing__(self, column):
        return None


@dataclass
class Parsed:
    problems: list = field(default_factory=list)
    rows: dict = field(default_factory=lambda: defaultdict(list))   # file -> [(line, {column: value})]
    skipped: dict = field(default_factory=lambda: defaultdict(set))  # file -> IDs soft-deleted
    home_coc: dict = field(default_factory=dict)  # ProjectID -> the CoC code the project loads in
    new_cocs: set = field(default_factory=set)  # CoC codes to create under the HMIS Lead (--create-cocs)
    project_cocs: dict = field(default_factory=dict)  # ProjectID -> CoC codes set up here (agency's CoCs)
    present: set = field(default_factory=set)  # the HMIS CSV files the export holds (HUD's names)
    members: dict = field(default_factory=dict)  # HUD's name -> Member, to read the file again
    counts: dict = field(default_factory=dict)  # HUD's name -> rows that passed the cell checks
    # Client.csv, Enrollment.csv, Exit.csv (COMPACT_FILES): not held whole, only the columns the
    # checks across rows need, a tuple a row (COMPACT_COLUMNS); the Loader reads the files again.
    compact: dict = field(default_factory=lambda: defaultdict(list))  # file -> [(line, ...)]
    dropped: dict = field(default_factory=lambda: defaultdict(set))  # file -> lines left out by the checks
    # Warnings of one row's own values, found as the file is read and listed at their step (the
    # step's name -> [(order, line, file, column, message)]), so the problems keep their order.
    pending: dict = field(default_factory=lambda: defaultdict(list))
    spools: dict = field(default_factory=dict)  # file -> RowSpool of its checked rows (SPOOLED_FILES)

    def error(self, file, line, column, message):
        self.problems.append([file, line, column, message, ERROR])

    def warn(self, file, line, column, message):
        self.problems.append([file, line, column, message, WARNING])

    @property
    def has_errors(self) -> bool:
        return any(p[4] == ERROR for p in self.problems)


class ZipTooLarge(Exception):
    """The zip would unpack to more than the HMIS CSV limits allow (a zip bomb, or an
    export far larger than any the settings expect). The message says which limit."""


def _mib(size: int) -> str:
    """A size for people: "2 GB", "300 MB", "1.5 MB"."""
    value, unit = size / 1024 / 1024, "MB"
    if value >= 1024:
        value, unit = value / 1024, "GB"
    return f"{value:,.0f} {unit}" if value >= 10 or value == int(value) else f"{value:,.1f} {unit}"


def zip_limits() -> tuple[int, int, int]:
    """(total bytes, bytes per file, compression ratio) from settings."""
    return (settings.HMIS_CSV_MAX_TOTAL_BYTES, settings.HMIS_CSV_MAX_FILE_BYTES,
            settings.HMIS_CSV_MAX_COMPRESSION_RATIO)


class Member:
    """One file of the export, read from its start each time it is opened: the check reads it,
    the load reads it again, and no file is ever held whole in memory (H3). ``opener`` gives a
    binary stream; ``encoding`` is what ``_measure`` found it to be (None: not text)."""

    def __init__(self, name: str, opener, encoding: str | None = "utf-8-sig", note: str = ""):
        self.name, self.opener, self.encoding, self.note = name, opener, encoding, note

    def open_text(self):
        return io.TextIOWrapper(self.opener(), encoding=self.encoding, newline="")


class Files(dict):
    """File name -> Member, as found in a folder or zip, with what reading itself found wrong
    (``problems``: an entry the zip holds twice...). A file known to be unreadable, or not an
    HMIS CSV file (named in a warning, never read), maps to None."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []


def _from_bytes(name: str, data: bytes) -> Member:
    member = Member(name, lambda: io.BytesIO(data))
    _measure(member, io.BytesIO(data), lambda size: None)
    return member


HMIS_NAMES = {name.lower(): name for name in spec.FILES}


def _hmis_name(name: str) -> str | None:
    """HUD's name of an HMIS CSV file, whatever the letter case it came in (client.csv), else None."""
    return HMIS_NAMES.get(Path(name).name.lower())


def _csv_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    # The resource forks a Mac adds to a zip (__MACOSX/._Client.csv) are no files of the export.
    return [info for info in archive.infolist() if not info.is_dir() and info.filename.lower().endswith(".csv")
            and not info.filename.startswith("__MACOSX/") and not Path(info.filename).name.startswith("._")]


def check_zip_directory(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory already declares too much: cheap, before anything is
    unpacked. The declared sizes can lie, so ``_read_member`` checks again while reading.
    Only HMIS CSV files count: others are never unpacked."""
    max_total, max_file, max_ratio = zip_limits()
    total = 0
    for info in _csv_members(archive):
        if _hmis_name(info.filename) is None:
            continue
        name = Path(info.filename).name
        if info.file_size > max_file:
            raise ZipTooLarge(f"{name} unpacks to {_mib(info.file_size)}, more than the {_mib(max_file)} "
                              "allowed for one file: nothing was loaded.")
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ZipTooLarge(f"{name} is compressed more than {max_ratio} to 1, as a zip bomb is: "
                              "nothing was loaded.")
        total += info.file_size
        if total > max_total:
            raise ZipTooLarge(f"The export unpacks to more than the {_mib(max_total)} allowed: nothing was loaded.")


def _measure(member: Member, stream, count) -> None:
    """Read the file once, in chunks, to learn its encoding: UTF-8 (with or without a byte-order
    mark), UTF-16 with its byte-order mark, else Windows-1252; each but UTF-8 is named in a
    warning (``note``), and a file that is none of them is not text (``encoding`` None).
    ``count(size so far)`` raises ZipTooLarge as soon as the file passes a limit. Only a
    file that is not UTF-8 is read a second time, to try Windows-1252 from its start."""
    head = stream.read(READ_CHUNK)
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    first = "utf-16" if utf16 else "utf-8-sig"
    if _decodes(first, head, stream, count):
        member.encoding, member.note = first, ("UTF-16 text (HMIS CSV is UTF-8): read as UTF-16" if utf16 else "")
    elif utf16:
        member.encoding, member.note = None, "the file starts as UTF-16 text but is not: export it again as UTF-8"
    else:
        with member.opener() as again:
            text = _decodes("cp1252", again.read(READ_CHUNK), again, lambda size: None)
        member.encoding = "cp1252" if text else None
        member.note = "not UTF-8: read as Windows-1252" if text else "the file is not text"


def _decodes(encoding: str, chunk: bytes, stream, count) -> bool:
    """Whether the rest of ``stream``, after its first ``chunk``, is text in ``encoding``. The
    stream is read to its end either way, so ``count`` sees the whole file's size."""
    decoder, size, ok = codecs.getincrementaldecoder(encoding)(), len(chunk), True
    count(size)
    while True:
        if ok:
            try:
                decoder.decode(chunk, not chunk)
            except UnicodeDecodeError:
                ok = False
        if not chunk:
            return ok
        chunk = stream.read(READ_CHUNK)
        size += len(chunk)
        count(size)


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: dict) -> Member:
    """One zip entry, read once whole (never kept) to check the limits, whatever its directory
    entry declared, and to learn its encoding. ``budget``: file -> bytes unpacked, for the total."""
    max_total, max_file, max_ratio = zip_limits()
    name = Path(info.filename).name

    def count(size):
        if size > max_file:
            raise ZipTooLarge(f"{name} unpacks to more than the {_mib(max_file)} allowed for one file: "
                              "nothing was loaded.")
        budget[info.filename] = size
        if sum(budget.values()) > max_total:
            raise ZipTooLarge(f"The export unpacks to more than the {_mib(max_total)} allowed: nothing was loaded.")
        if size > RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
            raise ZipTooLarge(f"{name} is compressed more than {max_ratio} to 1, as a zip bomb is: "
                              "nothing was loaded.")

    member = Member(name, lambda: archive.open(info))
    with archive.open(info) as stream:
        _measure(member, stream, count)
    return member


def _read_zip(archive: zipfile.ZipFile) -> Files:
    """The export's files, wherever they sit in the zip (at the top or in one folder), in any
    letter case. A file the zip holds twice (Client.csv at the top and in a folder) is an error
    naming both entries: which one is the export's cannot be told, so neither is read."""
    check_zip_directory(archive)
    budget = {}
    files = Files()
    entries = defaultdict(list)
    for info in _csv_members(archive):
        entries[_hmis_name(info.filename) or Path(info.filename).name].append(info)
    for name, infos in entries.items():
        if _hmis_name(name) is None:
            files[Path(infos[0].filename).name] = None  # not HMIS CSV: named in a warning, never unpacked
        elif len(infos) > 1:
            listed = " and ".join(info.filename for info in infos)
            files.problems.append([name, 0, "", f"the zip holds this file {len(infos)} times ({listed}): keep one "
                                                "and import again", ERROR])
            files[name] = None
        else:
            files[Path(infos[0].filename).name] = _zip_member(archive, infos[0], budget)
    return files


@contextmanager
def _open_files(source):
    """File name -> Member, from a folder, a zip path or an uploaded zip file, open while the
    ``with`` lasts (the load reads each file again). A zip is checked against the limits of
    settings (total, per file, compression ratio) before anything is parsed."""
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        files = Files()
        for path in sorted(Path(source).iterdir()):
            if path.is_file() and path.suffix.lower() == ".csv":
                if _hmis_name(path.name):
                    member = Member(path.name, partial(path.open, "rb"))
                    with path.open("rb") as stream:
                        _measure(member, stream, lambda size: None)
                    files[path.name] = member
                else:
                    files[path.name] = None
        yield files
        return
    with zipfile.ZipFile(source) as archive:
        yield _read_zip(archive)


def _key_column(file_name: str) -> str:
    return spec.headers()[file_name][0]


def parse_files(files: dict) -> Parsed:
    """Check every file's columns and cells. The files most rows sit in (STREAMED_FILES) are only
    checked here, not kept in memory: ``check_streamed_files`` reads them again with the checks
    that need the other files, and the Loader a third time to write them, both from the RowSpool
    this read leaves on disk (parsed values: the CSV is parsed once). ``files``: name -> Member (or
    bytes, as tests give them)."""
    parsed = Parsed()
    parsed.problems.extend(getattr(files, "problems", []))
    by_name = defaultdict(list)  # HUD's name -> the names it came as (Client.csv, client.csv...)
    for name in files:
        hud_name = _hmis_name(name)
        if hud_name is None:
            parsed.warn(name, 0, "", "not an HMIS CSV FY2026 file: ignored")
        else:
            by_name[hud_name].append(name)
    for required in spec.REQUIRED_FILES:
        if required not in by_name:
            parsed.error(required, 0, "", "this file is required in every export")
    for file_name in spec.FILES:
        names = by_name.get(file_name, [])
        if len(names) > 1:  # a folder on a case-sensitive disk can hold Client.csv and client.csv
            parsed.error(file_name, 0, "", f"the export holds this file {len(names)} times ({' and '.join(names)}): "
                                           "keep one and import again")
            continue
        if names:
            parsed.present.add(file_name)
            member = files[names[0]]
            if isinstance(member, bytes):
                member = _from_bytes(names[0], member)
            if member is None:
                continue
            parsed.members[file_name] = member
            if member.note:
                (parsed.error if member.encoding is None else parsed.warn)(file_name, 0, "", member.note)
            if member.encoding is None:
                continue
            if file_name in STREAMED_FILES:
                parsed.counts[file_name] = sum(1 for _ in _rows_of(parsed, file_name))
            elif file_name in COMPACT_FILES:
                parsed.counts[file_name] = _read_compact(parsed, file_name)
            else:
                parsed.rows[file_name] = list(_rows_of(parsed, file_name))
                parsed.counts[file_name] = len(parsed.rows[file_name])
    return parsed


def _older_version(file_name: str, header: list[str]) -> str | None:
    """The one message for a file whose columns are those of HMIS CSV FY2024 (the version is
    judged by the columns, H3), or None. FY2024 is known by a column FY2026 dropped."""
    given = {h.lower() for h in header}
    fy2026 = spec.headers()[file_name]
    dropped = [c for c in spec.fy2024_columns(file_name) if c.lower() in given
               and c.lower() not in {name.lower() for name in fy2026}]
    if not dropped:
        return None
    missing = [c for c in fy2026 if c.lower() not in given]
    return (f"the columns are HMIS CSV FY2024's, not FY2026's ({', '.join(dropped[:4])}{'...' if len(dropped) > 4 else ''}"
            f" where FY2026 has {', '.join(missing[:4])}{'...' if len(missing) > 4 else ''}): export again in HMIS "
            f"CSV FY2026 ({spec.CSV_VERSION})")


def _csv_problem(problem: csv.Error) -> str:
    if "field larger than field limit" in str(problem):
        return (f"a value longer than {csv.field_size_limit():,} characters, far past HUD's longest (500): the file "
                "is damaged, or a quote opened here is never closed")
    return f"not readable as CSV ({problem})"


class RowSpool:
    """The rows a file's checking read passed, kept on disk as parsed values, so the later reads
    (the checks across files, the Loader) do not parse the CSV again: parsing is most of an
    import's time. Batches of pickled (line, Row) in a temporary file that only this process can
    open and that is gone when closed; each reader keeps its own place, so two may read at once.
    Pickle reads back only what this process wrote. Not for Client.csv: names and SSNs stay out
    of temporary files (SPOOLED_FILES)."""

    BATCH = 2000

    def __init__(self):
        import tempfile

        self.file = tempfile.TemporaryFile()
        self.batch, self.end, self.complete = [], 0, False

    def add(self, line, row) -> None:
        self.batch.append((line, tuple(row.items())))  # plain pairs pickle in half the time of a Row
        if len(self.batch) == self.BATCH:
            self._flush()

    def _flush(self) -> None:
        import pickle

        self.file.seek(self.end)
        pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.end, self.batch = self.file.tell(), []

    def finish(self) -> None:
        if self.batch:
            self._flush()
        self.complete = True

    def rows(self):
        import pickle

        place = 0
        while place < self.end:
            self.file.seek(place)
            batch = pickle.load(self.file)
            place = self.file.tell()
            for line, pairs in batch:
                yield line, Row(pairs)


MEMO_SIZE = 4096  # parsed cells remembered per column while a file is read
MEMO_KINDS = {"I", "D"}  # whole numbers (HUD's codes) and dates


def _rows_of(parsed: Parsed, file_name: str, checking: bool = True):
    """The file's checked rows, (line, Row), read from its start. ``checking``: the first read,
    which reports every problem to ``parsed`` and refuses repeated keys; a later read (the
    Loader's) meets none of them again and reports nothing (the rows are those the check passed),
    from the check's RowSpool where the file has one."""
    spool = parsed.spools.get(file_name)
    if not checking and spool is not None and spool.complete:
        yield from spool.rows()
        return
    if not (checking and file_name in SPOOLED_FILES):
        yield from _read_rows(parsed, file_name, checking)
        return
    spool = parsed.spools[file_name] = RowSpool()
    for line, row in _read_rows(parsed, file_name, checking):
        spool.add(line, row)
        yield line, row
    spool.finish()  # only a read to the end makes a spool the later reads trust


def _read_rows(parsed: Parsed, file_name: str, checking: bool):
    member = parsed.members[file_name]
    report = parsed if checking else Parsed()
    # "line" is the row as a spreadsheet numbers it (the header is 1): the line of the file unless
    # a quoted value above holds a line break. A csv.Error (a value past Python's field size limit,
    # 131,072 characters, which no HUD column comes near) stops the file there, with its line.
    with member.open_text() as text:
        reader = csv.reader(text)
        line, header = 1, None
        try:
            header = next(reader, None)
            if header is None:
                report.error(file_name, 1, "", "the file is empty: the header row is missing")
                return
            header = [h.strip() for h in header]
            if any("\x00" in h for h in header):
                report.error(file_name, 1, "", "the header holds NUL characters (byte 0): the file is UTF-16 without "
                                               "its byte-order mark, or damaged; export it again as UTF-8")
                return
            expected = spec.columns(file_name)
            position = {h.lower(): i for i, h in enumerate(header)}
            missing = [c.name for c in expected if c.name.lower() not in position]
            older = _older_version(file_name, header) if missing else None
            if older:
                report.error(file_name, 1, "", older)
                return
            for name in missing:
                report.error(file_name, 1, name, "column missing")
            for extra in (h for h in header if h.lower() not in {c.name.lower() for c in expected}):
                report.warn(file_name, 1, extra, "column not in FY2026: ignored")
            if missing:
                return
            if [h.lower() for h in header] != [c.name.lower() for c in expected]:
                report.warn(file_name, 1, "", "columns are not in HUD's order")
            key = expected[0].name
            seen = set()
            limits = storage_checks(file_name)
            # An empty cell of a column that may be empty is None with no more work: most cells are.
            # A column of codes or dates remembers what its cells parse to: a cell seen before costs a
            # lookup. Bounded; not for text and timestamps, which rarely repeat.
            cells_of = [(column, position[column.name.lower()], limits.get(column.name),
                         column.nullable or column.name in spec.OPTIONAL_IN_PRACTICE,
                         {} if column.kind in MEMO_KINDS else None) for column in expected]
            parse = spec.parse
            width = len(header)
            for line, cells in enumerate(reader, start=2):
                if len(cells) != width:
                    if not any(cell.strip() for cell in cells):
                        continue
                    message = f"{len(cells)} values where the header has {width} columns"
                    if len(cells) < width and any("\n" in cell for cell in cells):
                        message += ": a quoted value runs past its row (is a quote left open?)"
                    report.error(file_name, line, "", message)
                    continue
                if not any(cell.strip() for cell in cells):
                    continue
                row, ok = Row(), True
                for column, index, limit, may_be_empty, memo in cells_of:
                    cell = cells[index]
                    if not cell and may_be_empty and limit is None:
                        continue
                    known = memo.get(cell) if memo is not None else None
                    if known is not None:
                        value, doubt, fault = known
                    else:
                        doubt = None
                        try:
                            value = parse(column, cell)
                        except spec.Doubtful as problem:  # value-level: loads as given, listed (H3)
                            value, doubt = problem.value, problem
                        except ValueError as problem:
                            report.error(file_name, line, column.name, str(problem))
                            ok = False
                            continue
                        fault = limit(value) if limit is not None else None
                        if memo is not None and len(memo) < MEMO_SIZE:
                            memo[cell] = (value, doubt, fault)
                    if fault:  # what the database cannot hold is refused here, never at the insert
                        report.error(file_name, line, column.name, fault)
                        ok = False
                        continue
                    if value is not None:
                        row[column.name] = value
                    if doubt is not None:
                        message = str(doubt)
                        if value is None and column.name in STORED_WHEN_EMPTY.get(file_name, {}):
                            message += (f": stored as {STORED_WHEN_EMPTY[file_name][column.name]}, as this HMIS "
                                        "cannot hold this answer empty")
                        report.warn(file_name, line, column.name, message)
                if not ok:
                    continue
                ident = row[key]
                if row.get("DateDeleted"):
                    parsed.skipped[file_name].add(ident)
                    report.warn(file_name, line, "DateDeleted", f"{key} {ident} was deleted in the source: skipped")
                    continue
                if checking:
                    if ident in seen:
                        report.error(file_name, line, key, f"{ident} appears twice")
                        continue
                    seen.add(ident)
                yield line, row
        except csv.Error as problem:
            report.error(file_name, 1 if header is None else line + 1, "", _csv_problem(problem))


def _stored_in(file_name: str) -> dict:
    """CSV column -> (model, field) of what the Loader writes from one file: the column maps
    below and in descriptors.py / export.py, plus the few columns the Loader names itself."""
    from agencies.models import Agency, Project
    from clients.models import Client
    from enrollments.elements import DISABILITIES, HIV_FOLLOW_UPS
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

    from .export import ASSESSMENT_COLUMNS

    def of(model, columns: dict) -> dict:  # {field: column} -> {column: (model, field)}
        return {column: (model, name) for name, column in columns.items()}

    descriptor_files = {name: of(model, columns) for name, (model, _, columns, _) in descriptors.FILES.items()}
    assessment_files = {name: {column: (Assessment, field) for column, field in columns}
                        | {"DataCollectionStage": (Assessment, "stage")}
                        for name, columns in ASSESSMENT_COLUMNS.items()}
    return {
        "Organization.csv": {"OrganizationName": (Agency, "name"), "OrganizationCommonName": (Agency, "common_name")},
        "Project.csv": {"ProjectName": (Project, "name"), "ProjectType": (Project, "project_type"),
                        **of(Project, descriptors.PROJECT_COLUMNS)},
        **descriptor_files,
        "Client.csv": of(Client, CLIENT_COLUMNS) | _partner_stored_in("Client.csv"),
        "Enrollment.csv": of(Enrollment, ENROLLMENT_COLUMNS) | _partner_stored_in("Enrollment.csv"),
        "Exit.csv": of(Enrollment, EXIT_COLUMNS) | _partner_stored_in("Exit.csv"),
        **assessment_files,
        # Every type's answer lands in one of these fields, all of one kind (PositiveSmallIntegerField).
        "Disabilities.csv": {"DisabilityResponse": (Assessment, DISABILITIES[0][0]),
                             "IndefiniteAndImpairs": (Assessment, DISABILITIES[0][2]),
                             "DataCollectionStage": (Assessment, "stage"),
                             **{column: (Assessment, name) for name, column in HIV_FOLLOW_UPS}},
        "Services.csv": {"RecordType": (Service, "record_type"), "TypeProvided": (Service, "type_provided")},
        "CurrentLivingSituation.csv": {"CurrentLivingSituation": (CurrentLivingSituation, "current_living_situation"),
                                       "LocationDetails": (CurrentLivingSituation, "location_details")},
        "Assessment.csv": {"AssessmentLocation": (CeAssessment, "assessment_location"),
                           "AssessmentType": (CeAssessment, "assessment_type"),
                           "AssessmentLevel": (CeAssessment, "assessment_level"),
                           "PrioritizationStatus": (CeAssessment, "prioritization_status")},
        "Event.csv": {"Event": (CeEvent, "event"), "ReferralResult": (CeEvent, "referral_result")},
        "AssessmentQuestions.csv": {"AssessmentQuestionGroup": (CeAssessmentQuestion, "question_group"),
                                    "AssessmentQuestionOrder": (CeAssessmentQuestion, "question_order"),
                                    "AssessmentQuestion": (CeAssessmentQuestion, "question"),
                                    "AssessmentAnswer": (CeAssessmentQuestion, "answer")},
        "AssessmentResults.csv": {"AssessmentResultType": (CeAssessmentResult, "result_type"),
                                  "AssessmentResult": (CeAssessmentResult, "result")},
    }.get(file_name, {})


def _partner_stored_in(file_name: str) -> dict:
    """The federal partners' columns (enrollments/elements.py PARTNER_COLUMNS) -> their
    one-to-one model and field (VeteranInformation for Client.csv, else ProgramAnswers)."""
    from enrollments.elements import PARTNER_COLUMNS
    from enrollments.models import ProgramAnswers, VeteranInformation

    model = VeteranInformation if file_name == "Client.csv" else ProgramAnswers
    return {column: (model, name) for name, column in PARTNER_COLUMNS[file_name]}


# Empty values the Loader fills in itself (text as "", 2.02.D as 1, race as not selected): an
# empty cell there is no NULL in a NOT NULL column.
FILLED_WHEN_EMPTY = {"continuum_project"}


@cache
def storage_checks(file_name: str) -> dict:
    """CSV column -> a function of the parsed value giving why the database cannot hold it (or
    None), from the model field the Loader writes it to: text longer than the column, a whole
    number outside the field's range, an amount with more digits than the column, 0/1 columns,
    an empty answer where the column cannot be empty. So a database constraint never surfaces
    while loading (DESIGN 10); each is an error on the cell's file, line and column. Columns
    that cannot go wrong (text HUD already holds to the column's length...) get no check."""
    hud = {column.name: column for column in spec.columns(file_name)}
    checks = {}
    for column, (model, name) in _stored_in(file_name).items():
        if column in hud:
            check = _storage_check(model._meta.get_field(name), hud[column])
            if check is not None:
                checks[column] = check
    return checks


def _storage_check(model_field, column):
    from django.db import models
    from django.db.backends.base.operations import BaseDatabaseOperations

    empty_fault = None
    if not (model_field.null or isinstance(model_field, (models.CharField, models.BooleanField))
            or model_field.name in FILLED_WHEN_EMPTY):
        empty_fault = "empty, and this HMIS cannot keep the record without an answer here"
    if isinstance(model_field, models.CharField):
        longest = model_field.max_length
        if column.length and column.length <= longest:
            return None  # spec.parse already holds it to HUD's length
        hud = f" (HUD allows {column.length})" if column.length else ""
        return lambda value: (f"{len(value)} characters, longer than the {longest} this HMIS stores{hud}"
                              if isinstance(value, str) and len(value) > longest else None)
    if isinstance(model_field, models.BooleanField):
        return lambda value: (None if value in (None, 0, 1) else f"{value} cannot be stored: this column holds 0 or 1")
    ranges = BaseDatabaseOperations.integer_field_ranges
    if model_field.get_internal_type() in ranges:
        low, high = ranges[model_field.get_internal_type()]

        def whole_number(value):
            if value is None:
                return empty_fault
            if not low <= value <= high:
                return f"{value} is too large for this column: this HMIS stores {low} to {high:,}"
            return None
        return whole_number
    if isinstance(model_field, models.DecimalField):
        whole_digits = model_field.max_digits - model_field.decimal_places
        largest = f"{int('9' * whole_digits):,}.{'9' * model_field.decimal_places}"

        def amount(value):
            if value is None:
                return empty_fault
            _, digits, exponent = value.as_tuple()
            if len(digits) + exponent > whole_digits:
                return f"{value} is too large: this HMIS stores amounts up to {largest}"
            return None
        return amount
    if empty_fault:
        return lambda value: empty_fault if value is None else None
    return None


# The files of a stay's records, most of an export's rows (1.2 million Disabilities rows at
# 100,000 clients): never held whole. parse_files checks their cells, check_streamed_files
# what they refer to, and the Loader writes them as it reads them again (H3's memory bound).
STREAMED_FILES = ("IncomeBenefits.csv", "HealthAndDV.csv", "EmploymentEducation.csv", "Disabilities.csv",
                  "Services.csv", "CurrentLivingSituation.csv", "Assessment.csv", "AssessmentQuestions.csv",
                  "AssessmentResults.csv", "Event.csv", "YouthEducationStatus.csv")
# Every one hangs on a stay (EnrollmentID and PersonalID checked); these on a CE assessment too
# (AssessmentID checked: it is of the same stay).
OF_A_CE_ASSESSMENT = ("AssessmentQuestions.csv", "AssessmentResults.csv")
# The files of clients and stays: their cells are checked and their rows' own warnings found as
# they are read, keeping only these columns for the checks across rows (a tuple a row, after its
# line); the Loader reads them again. Holding the rows cost about 1 KB each (H3's memory bound).
COMPACT_COLUMNS = {
    "Client.csv": ("PersonalID", "UserID"),
    "Enrollment.csv": ("EnrollmentID", "PersonalID", "ProjectID", "EntryDate", "UserID"),
    "Exit.csv": ("EnrollmentID", "PersonalID", "ExitDate", "UserID"),
}
COMPACT_FILES = tuple(COMPACT_COLUMNS)
# The files whose checked rows are kept on disk for the later reads (RowSpool).
SPOOLED_FILES = frozenset(STREAMED_FILES + ("Enrollment.csv", "Exit.csv"))
# The files whose records' IDs the Loader keeps in memory only where the ID here differs from the
# source's (Loader.remember); Assessment.csv's are all read back for its questions and results.
LEAN_KEYS = frozenset(STREAMED_FILES + COMPACT_FILES) - {"Assessment.csv"}
# Positions in a compact row (0 is the line).
C_PERSON, C_USER = 1, 2
E_STAY, E_PERSON, E_PROJECT, E_ENTRY, E_USER = 1, 2, 3, 4, 5
X_STAY, X_PERSON, X_EXIT, X_USER = 1, 2, 3, 4


def _read_compact(parsed: Parsed, file_name: str) -> int:
    """Check one of COMPACT_FILES as ``_rows_of`` does, keep its compact rows in ``parsed``
    and note its rows' own warnings for their step (``parsed.pending``). Returns the rows."""
    from sys import intern

    columns = COMPACT_COLUMNS[file_name]
    kept = parsed.compact[file_name]
    pending = parsed.pending
    latest = None
    if file_name == "Client.csv":
        made = next((row["ExportDate"] for _, row in parsed.rows["Export.csv"] if row["ExportDate"]), None)
        latest = made.date() if made else timezone.localdate()
    for line, row in _rows_of(parsed, file_name):
        values = [row[c] for c in columns]
        values[-1] = intern(values[-1]) if isinstance(values[-1], str) else values[-1]  # UserID: a few
        if file_name == "Enrollment.csv":
            values[2] = intern(values[2]) if isinstance(values[2], str) else values[2]  # ProjectID
            if row["RelationshipToHoH"] == 1 and row["EnrollmentCoC"] is None:
                # 3.16 is collected for the head of household only: another member's empty one is as HUD asks.
                pending["hoh"].append((0, line, file_name, "EnrollmentCoC", "empty, though HUD requires it for the "
                                                                            "head of household (3.16)"))
        if file_name == "Client.csv":
            for column, message in _implausible(row, latest):
                pending["implausible"].append((0, line, file_name, column, message))
        else:
            for step, order, column, message in _unasked(file_name, row):
                pending[step].append((order, line, file_name, column, message))
        kept.append((line, *values))
    return len(kept)


def _emit_pending(parsed: Parsed, step: str) -> None:
    """The warnings noted for ``step`` as the files were read, in the order the step lists them
    (by rule, then by line), leaving out rows the reference checks left out."""
    for _, line, file_name, column, message in sorted(parsed.pending.pop(step, []), key=lambda p: p[0]):
        if line not in parsed.dropped[file_name]:
            parsed.warn(file_name, line, column, message)


def _implausible(row, latest):
    """(column, message) of values that can be stored but can hardly be true (check_implausible_values)."""
    dob = row["DOB"]
    if dob is not None and (dob.year < 1900 or dob > latest):
        when = "before 1900" if dob.year < 1900 else "after the export was made"
        yield "DOB", f"{dob.isoformat()} is {when}: kept as given"
    ssn = row["SSN"]
    if ssn and not (len(ssn) == 9 and all(ch.isdigit() or ch in "xX" for ch in ssn)):
        yield "SSN", "not nine digits (3.02; \"x\" for a digit not known)"


@cache
def _partner_rules() -> dict:
    """File -> the federal partners' follow-ups [(column, parent columns, values)], and the VAMC stations."""
    from enrollments.elements import PARTNER_COLUMNS, PARTNER_FOLLOW_UPS
    from enrollments.hud_lists import vamc_stations

    rules = {}
    for file_name in ("Enrollment.csv", "Exit.csv"):
        columns = dict(PARTNER_COLUMNS[file_name])
        rules[file_name] = [(columns[name], [columns[p] for p in parents], values)
                            for name, (parents, values) in PARTNER_FOLLOW_UPS.items() if name in columns]
    rules["stations"] = frozenset(code for code, _ in vamc_stations())
    return rules


def _unasked(file_name: str, row):
    """One Enrollment.csv or Exit.csv row's value-level problems (H3): yields (step, order,
    column, message) and takes out of ``row`` the follow-up answers HUD does not ask (null
    by HUD's rule), the same on the check's read and the Loader's. Steps: "dependent"
    (check_dependent_answers), "partner" (check_partner_answers)."""
    for order, (rule_file, column, asked_by, value) in enumerate(DEPENDENT_ANSWERS):
        if rule_file != file_name:
            continue
        answered = row[column] not in (None, "")
        if row[asked_by] == value and not answered:
            yield "dependent", order, column, f"missing, though {asked_by} {value} asks it"
        elif row[asked_by] != value and answered:
            yield "dependent", order, column, f"not loaded: asked only when {asked_by} is {value}"
            del row[column]
    # The one 3.12.1 option list serves three elements, each offering part of it: another element's
    # answer loads, with a warning (4.12.1 of CurrentLivingSituation.csv: StayRecords).
    column, number = ("LivingSituation", "3.917.1") if file_name == "Enrollment.csv" else ("Destination", "3.12")
    if row[column] is not None and row[column] not in _offered_answers()[number]:
        yield ("dependent", len(DEPENDENT_ANSWERS) + (file_name == "Exit.csv"), column,
               f"{row[column]} is not an answer HUD offers for {number}")
    rules = _partner_rules()
    order = int(file_name == "Exit.csv")
    for column, parents, values in rules[file_name]:
        if row[column] not in (None, "") and not any(row[p] in values for p in parents):
            asked = " or ".join(parents)
            yield "partner", order, column, f"not loaded: asked only when {asked} is " \
                                            f"{' or '.join(str(v) for v in sorted(values))}"
            del row[column]
    if file_name == "Enrollment.csv" and row["VAMCStation"] and row["VAMCStation"] not in rules["stations"]:
        yield "partner", order, "VAMCStation", f"{row['VAMCStation']} is not in HUD's list V6.1: kept as given"


class StayRecords:
    """What the rows of a stay's record files are checked against (the enrollments, clients and
    users of the files kept in memory), and the per-row checks and fixes themselves, the same
    on the check's read and the Loader's: a row under a deleted stay is skipped, a follow-up
    answer HUD does not ask is dropped. Problems go to ``report`` (the Loader's read: nowhere)."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self.person_of = {row[E_STAY]: row[E_PERSON] for row in parsed.compact["Enrollment.csv"]}
        self.users = {row["UserID"] for _, row in parsed.rows["User.csv"]} if "User.csv" in parsed.present else None
        offered = _offered_answers()
        self.living_situations = offered["4.12.1"]
        self.ce_assessments = {}  # AssessmentID -> EnrollmentID, as Assessment.csv is read (before its answers)

    def rows(self, file_name: str, report: Parsed):
        """(line, row) of the file's rows that load (its cells were checked by parse_files)."""
        parsed = self.parsed
        deleted_stays = parsed.skipped["Enrollment.csv"]
        unknown_users = {}
        services_on = defaultdict(int)
        for line, row in _rows_of(parsed, file_name, checking=False):
            stay = row["EnrollmentID"]
            person = self.person_of.get(stay)
            if person is None:
                if stay in deleted_stays:
                    report.warn(file_name, line, "EnrollmentID", f"{stay} was deleted in Enrollment.csv: row skipped")
                else:
                    report.error(file_name, line, "EnrollmentID", f"{stay} is not in Enrollment.csv")
                continue
            if person != row["PersonalID"]:
                report.error(file_name, line, "PersonalID", f"{row['PersonalID']} is not the client of enrollment {stay}")
            if self.users is not None and row["UserID"] not in self.users:
                unknown_users.setdefault(row["UserID"], [line, 0])[1] += 1
            if file_name == "Services.csv":
                key = (stay, row["DateProvided"], row["RecordType"], row["TypeProvided"])
                services_on[key] += 1
                if services_on[key] == 2:  # HUD allows it (same-day payments of different amounts): listed once
                    report.warn(file_name, line, "DateProvided", "another service of this kind on this day for this "
                                                                 "enrollment: both loaded")
            elif file_name == "Assessment.csv":
                self.ce_assessments[row["AssessmentID"]] = stay
            elif file_name in OF_A_CE_ASSESSMENT:
                assessment = row["AssessmentID"]
                if assessment not in self.ce_assessments:
                    if assessment in parsed.skipped["Assessment.csv"]:
                        report.warn(file_name, line, "AssessmentID", f"{assessment} was deleted in Assessment.csv: "
                                                                     "row skipped")
                    else:
                        report.error(file_name, line, "AssessmentID", f"{assessment} is not in Assessment.csv")
                    continue
                if self.ce_assessments[assessment] != stay:
                    report.error(file_name, line, "EnrollmentID", f"{stay} is not the enrollment of assessment "
                                                                  f"{assessment}")
            elif file_name == "CurrentLivingSituation.csv":
                answer = row["CurrentLivingSituation"]
                if answer is not None and answer not in self.living_situations:
                    report.warn(file_name, line, "CurrentLivingSituation",
                                f"{answer} is not an answer HUD offers for 4.12.1")
            yield line, row
        _warn_unknown_users(report, file_name, unknown_users)


def check_streamed_files(parsed: Parsed) -> None:
    """The references of the stay's record files, read again (parse_files checked their cells),
    once the enrollments they hang on are checked."""
    records = StayRecords(parsed)
    for file_name in STREAMED_FILES:
        if file_name in parsed.members and parsed.members[file_name].encoding and parsed.counts.get(file_name):
            for _ in records.rows(file_name, parsed):
                pass


def _warn_unknown_users(report: Parsed, file_name: str, unknown: dict) -> None:
    for user, (line, count) in unknown.items():
        rows = "this row" if count == 1 else f"{count:,} rows"
        report.warn(file_name, line, "UserID", f"user {user} is not in User.csv ({rows}): loaded, as entered by "
                                               "the importing HMIS Lead")


@cache
def _offered_answers() -> dict:
    """The one 3.12.1 option list serves three elements, each offering part of it
    (enrollments/hud_lists.py::HUD_SUBSETS): HUD number -> the answers it offers."""
    from enrollments.hud_lists import HUD_LIST_NUMBERS, HUD_SUBSETS

    return {number: frozenset(cls.values) for cls, number in HUD_LIST_NUMBERS.items() if number in HUD_SUBSETS}


def check_export_rows(parsed: Parsed) -> None:
    """Export.csv: at least one row, unhashed; several rows and another CSVVersion are listed.
    Checked whatever else the files hold, so the warnings come with any structural error."""
    export_rows = parsed.rows.get("Export.csv", [])
    if "Export.csv" in parsed.rows and not export_rows:
        parsed.error("Export.csv", 0, "", "the file has no row: one row describing the export is required")
    if len(export_rows) > 1:
        # Merged exports carry one row per part; the set is still one export (the first row names its
        # source) and every row is kept with the import's record.
        parsed.warn("Export.csv", export_rows[1][0], "", f"{len(export_rows)} rows: the files are read as one "
                                                          "export, the first row naming its source; every row is kept")
    for line, row in export_rows:
        if row["HashStatus"] != UNHASHED:
            parsed.error("Export.csv", line, "HashStatus",
                         "hashed exports carry no names or SSN: only an unhashed export (HashStatus 1) can be imported")
        # The version is judged by the columns (each file's header is checked against FY2026's); a row
        # naming another version is only listed.
        if row["CSVVersion"] and row["CSVVersion"] != spec.CSV_VERSION:  # optional in HUD's spec
            parsed.warn("Export.csv", line, "CSVVersion", f"names {row['CSVVersion']}, not "
                                                          f"{spec.CSV_VERSION}: read as {spec.CSV_VERSION}, "
                                                          "which its columns are")


def check_references(parsed: Parsed, create_cocs: bool = False) -> None:
    ids = {f: {row[_key_column(f)] for _, row in parsed.rows[f]} for f in spec.FILES
           if f not in STREAMED_FILES and f not in COMPACT_FILES}
    ids["Client.csv"] = {row[C_PERSON] for row in parsed.compact["Client.csv"]}
    ids["Enrollment.csv"] = {row[E_STAY] for row in parsed.compact["Enrollment.csv"]}

    def check(file_name, column, parent_file, required=True):
        compact = file_name in COMPACT_FILES
        rows = parsed.compact[file_name] if compact else parsed.rows[file_name]
        if parent_file not in parsed.present and rows:
            # One error for the missing file, not one per row pointing into it.
            parsed.error(parent_file, 0, "", f"the file is missing, though {file_name} refers to it "
                                             f"({len(rows):,} rows)")
            return  # its rows stay, so the files below them are checked against them
        place = COMPACT_COLUMNS[file_name].index(column) + 1 if compact else None
        kept = []
        for item in rows:
            line = item[0]
            value = item[place] if compact else item[1].get(column)
            if value is None and not required:
                kept.append(item)
                continue
            if value in ids[parent_file]:
                kept.append(item)
                continue
            if value in parsed.skipped[parent_file]:
                parsed.warn(file_name, line, column, f"{value} was deleted in {parent_file}: row skipped")
            else:
                parsed.error(file_name, line, column, f"{value} is not in {parent_file}")
            parsed.dropped[file_name].add(line)
        if compact:
            parsed.compact[file_name] = kept
            if file_name == "Enrollment.csv":
                ids[file_name] = {row[E_STAY] for row in kept}
        else:
            parsed.rows[file_name] = kept
            ids[file_name] = {row[_key_column(file_name)] for _, row in kept}

    check("Project.csv", "OrganizationID", "Organization.csv")
    for f in ("Funder.csv", "ProjectCoC.csv", "Inventory.csv", "HMISParticipation.csv", "CEParticipation.csv",
              "Affiliation.csv"):
        check(f, "ProjectID", "Project.csv")
    check("Affiliation.csv", "ResProjectID", "Project.csv")
    check("Enrollment.csv", "PersonalID", "Client.csv")
    check("Enrollment.csv", "ProjectID", "Project.csv")
    check("Exit.csv", "EnrollmentID", "Enrollment.csv")
    enrollment_person = {row[E_STAY]: row[E_PERSON] for row in parsed.compact["Enrollment.csv"]}
    for row in parsed.compact["Exit.csv"]:
        if enrollment_person.get(row[X_STAY]) != row[X_PERSON]:
            parsed.error("Exit.csv", row[0], "PersonalID", f"{row[X_PERSON]} is not the client of enrollment "
                                                            f"{row[X_STAY]}")
    del enrollment_person
    from agencies.models import COC_CODE_PATTERN, Coc, HmisLead

    known = set(Coc.objects.values_list("code", flat=True))
    coc_rows = defaultdict(list)
    for line, row in parsed.rows["ProjectCoC.csv"]:
        coc_rows[row["ProjectID"]].append((line, row["CoCCode"]))
    if create_cocs:  # --create-cocs: every CoC the export names is set up, under the HMIS Lead
        lead_named = HmisLead.objects.filter(pk=1).exists()
        for line, row in parsed.rows["ProjectCoC.csv"]:
            code = row["CoCCode"]
            if code in known or code in parsed.new_cocs:
                continue
            if not COC_CODE_PATTERN.match(code or ""):
                parsed.error("ProjectCoC.csv", line, "CoCCode", f"{code} is not a HUD CoC code (two capital letters, "
                                                                "a hyphen and three digits, for example MO-500)")
            elif not lead_named:
                parsed.error("ProjectCoC.csv", line, "CoCCode", f"CoC {code} cannot be created: name the HMIS Lead "
                                                                "first")
            else:
                parsed.new_cocs.add(code)
                parsed.warn("ProjectCoC.csv", line, "CoCCode", f"CoC {code} was not set up in this HMIS: created "
                                                               "under the HMIS Lead")
        known |= parsed.new_cocs
    export_coc = next((row["SourceID"] for _, row in parsed.rows.get("Export.csv", [])[:1]
                       if row["SourceType"] == 1 and row["SourceID"] in known), None)
    coc_codes = {}  # ProjectID -> CoC codes of its ProjectCoC rows (2.03), for Organization.csv
    for line, row in parsed.rows["Project.csv"]:
        # The project's CoC here (Project.coc): the first of its ProjectCoC rows (2.03) whose CoC is set up
        # in this HMIS; HUD allows several, and CoCs outside this HMIS are kept as CoC information only.
        rows_of_project = coc_rows.get(row["ProjectID"], [])
        home = next((code for _, code in rows_of_project if code in known), None)
        if home is None and not rows_of_project and export_coc:
            # No CoC information yet (this HMIS's own export writes none until the Lead records it): a
            # single-CoC export (Export.csv SourceType 1) names the CoC, so the project loads in it.
            home = export_coc
            parsed.warn("Project.csv", line, "ProjectID", f"the project has no row in ProjectCoC.csv: loaded "
                                                          f"in {export_coc}, the CoC of Export.csv")
        elif not rows_of_project:
            parsed.error("Project.csv", line, "ProjectID", "the project has no row in ProjectCoC.csv")
        elif home is None:
            parsed.error("ProjectCoC.csv", rows_of_project[0][0], "CoCCode",
                         f"CoC {rows_of_project[0][1]} is not set up in this HMIS: add it under the HMIS Lead, or "
                         "import again with --create-cocs (on the upload page: \"Create the CoCs the export "
                         "names\")")
        parsed.home_coc[row["ProjectID"]] = home
        coc_codes[row["ProjectID"]] = {code for _, code in rows_of_project if code in known} | ({home} - {None})
    parsed.project_cocs = coc_codes
    for line, row in parsed.rows["Inventory.csv"]:
        if row["CoCCode"] not in {code for _, code in coc_rows.get(row["ProjectID"], [])}:
            parsed.warn("Inventory.csv", line, "CoCCode", f"{row['CoCCode']} is not a CoC of the project in "
                                                           "ProjectCoC.csv (2.07.3)")
    for line, row in parsed.rows["Inventory.csv"]:
        if row["InventoryEndDate"] and row["InventoryEndDate"] < row["InventoryStartDate"]:
            parsed.error("Inventory.csv", line, "InventoryEndDate", "the inventory ends before it starts")
    for line, row in parsed.rows["Project.csv"]:
        if row["ProjectType"] is None:
            parsed.error("Project.csv", line, "ProjectType", "a project type is required")
        if row["OperatingEndDate"] and row["OperatingStartDate"] and row["OperatingEndDate"] < row["OperatingStartDate"]:
            parsed.warn("Project.csv", line, "OperatingEndDate", "the project ends before it starts: loaded as given")
    _emit_pending(parsed, "hoh")  # RelationshipToHoH 1 without EnrollmentCoC (_read_compact)
    entry_of = {row[E_STAY]: row[E_ENTRY] for row in parsed.compact["Enrollment.csv"]}
    for row in parsed.compact["Exit.csv"]:
        entry = entry_of.get(row[X_STAY])
        if entry and row[X_EXIT] < entry:
            parsed.warn("Exit.csv", row[0], "ExitDate", "the exit is before the project start: loaded as given")
    del entry_of
    check_names_kept_apart(parsed)
    check_users(parsed)
    check_overlapping_stays(parsed)
    check_implausible_values(parsed)


def check_implausible_values(parsed: Parsed) -> None:
    """Values that can be stored but can hardly be true load as given and are listed (H3): a date
    of birth before 1900 or after the export was made, an SSN that is not nine digits (3.02; HMIS
    CSV writes an unknown digit of a partial SSN as "x"). The SSN itself is never repeated in the
    message: import problems are shown and downloaded. Found as Client.csv is read (``_implausible``)."""
    _emit_pending(parsed, "implausible")


def check_names_kept_apart(parsed: Parsed) -> None:
    """What this HMIS keeps once (unique constraints), checked before loading. Two projects of one
    organization with the same name would load as one (Project: one name per agency): an error.
    Two ProjectCoC rows of one project for the same CoC would load as one (HUD 2.03: one row per
    project and CoC): an error. Two organizations of the same name stay two agencies (H3; agency
    names are unique here, so the second is named with its OrganizationID): a warning."""
    # An agency here takes part in at least one CoC (T2), taken from its projects' CoCs; an organization
    # with no project takes part in the export's CoC(s) (Loader.organization_cocs). Only when the export
    # names no CoC set up here at all is it listed and left out (agency_save would refuse it mid-load).
    with_projects = {row["OrganizationID"] for _, row in parsed.rows["Project.csv"]}
    if not Loader.organization_cocs(parsed):
        kept = []
        for line, row in parsed.rows["Organization.csv"]:
            if row["OrganizationID"] in with_projects:
                kept.append((line, row))
            else:
                parsed.warn("Organization.csv", line, "OrganizationID", f"organization {row['OrganizationID']} has "
                            "no project in Project.csv and the export names no CoC of this HMIS: not loaded, as an "
                            "agency here takes part in a CoC")
        parsed.rows["Organization.csv"] = kept
    names = {}
    for line, row in parsed.rows["Organization.csv"]:
        first = names.setdefault(row["OrganizationName"], (line, row["OrganizationID"]))
        if first[0] != line:
            twin = source_ids.twin_name(row["OrganizationName"], row["OrganizationID"])
            parsed.warn("Organization.csv", line, "OrganizationName",
                        f"the same name as organization {first[1]} (line {first[0]}): loaded as a second agency, "
                        f"named here \"{twin}\" as agency names are unique; exported under its own name")
    projects = {}
    for line, row in parsed.rows["Project.csv"]:
        first = projects.setdefault((row["OrganizationID"], row["ProjectName"]), (line, row["ProjectID"]))
        if first[0] != line:
            parsed.error("Project.csv", line, "ProjectName",
                         f"the same name as project {first[1]} (line {first[0]}) of the same organization: this "
                         "HMIS names each project of an agency once; rename one in the source")
    cocs = {}
    for line, row in parsed.rows["ProjectCoC.csv"]:
        first = cocs.setdefault((row["ProjectID"], row["CoCCode"]), line)
        if first != line:
            parsed.error("ProjectCoC.csv", line, "CoCCode",
                         f"project {row['ProjectID']} already has a row for CoC {row['CoCCode']} (line {first}): "
                         "HUD's 2.03 gives a project one row per CoC")


# The files whose records the Loader writes with their UserID's author (importer.Loader.users).
AUTHORED_FILES = ("Client.csv", "Enrollment.csv", "Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv",
                  "EmploymentEducation.csv", "Disabilities.csv", "YouthEducationStatus.csv", "Services.csv",
                  "CurrentLivingSituation.csv", "Assessment.csv", "Event.csv")


def check_users(parsed: Parsed) -> None:
    """Rows whose UserID is not in User.csv load (H3), the importing HMIS Lead recorded as who
    entered them: one warning per file and user, on the first such row, with how many rows."""
    users = {row["UserID"] for _, row in parsed.rows["User.csv"]}
    if "User.csv" not in parsed.present:
        if any(parsed.counts.get(f) for f in AUTHORED_FILES):
            parsed.warn("User.csv", 0, "", "the file is missing: every record is loaded as entered by the importing "
                                           "HMIS Lead")
        return
    for file_name in AUTHORED_FILES:
        if file_name in STREAMED_FILES:
            continue  # StayRecords counts them as it reads them
        unknown = {}
        if file_name in COMPACT_FILES:
            rows = ((row[0], row[-1]) for row in parsed.compact[file_name])  # UserID is last
        else:
            rows = ((line, row["UserID"]) for line, row in parsed.rows[file_name])
        for line, user in rows:
            if user not in users:
                unknown.setdefault(user, [line, 0])[1] += 1
        _warn_unknown_users(parsed, file_name, unknown)


def check_overlapping_stays(parsed: Parsed) -> None:
    """Two stays of one client in one project overlapping in time: both load, the later listed
    (H3). A stay runs from its entry to its exit (open: to today and on); an exit on the day of
    the next entry is no overlap (HUD counts the exit day as not a night in the project)."""
    exit_of = {row[X_STAY]: row[X_EXIT] for row in parsed.compact["Exit.csv"]}
    stays = defaultdict(list)
    for line, stay, person, project, entry, _ in parsed.compact["Enrollment.csv"]:
        stays[(person, project)].append((entry, line, stay))
    for (_, project), of_client in stays.items():
        if len(of_client) < 2:
            continue
        of_client.sort()
        latest = None  # (end, line, EnrollmentID) of the stay reaching furthest so far; end None: open
        for entry, line, enrollment in of_client:
            if latest is not None and (latest[0] is None or entry < latest[0]):
                parsed.warn("Enrollment.csv", line, "EntryDate",
                            f"the client's stay {enrollment} overlaps their stay {latest[2]} (line {latest[1]}) in "
                            f"project {project}: both loaded")
            end = exit_of.get(enrollment)
            if latest is None or latest[0] is not None and (end is None or end > latest[0]):
                latest = (end, line, enrollment)


# HUD's "Null unless ..." columns (HMIS CSV; FY2026 Data Dictionary 3.917.A, 3.12.A,
# 3.12.B): (file, column, the answer that asks it, that answer's value).
DEPENDENT_ANSWERS = [
    ("Enrollment.csv", "RentalSubsidyType", "LivingSituation", 435),
    ("Exit.csv", "DestinationSubsidyType", "Destination", 435),
    ("Exit.csv", "OtherDestination", "Destination", 17),
]


def check_dependent_answers(parsed: Parsed) -> None:
    """Value-level data quality (H3), so warnings: a follow-up answer missing where HUD
    asks it is loaded as missing; one given where HUD does not ask it is not loaded
    (it is null by HUD's rule), and each is listed by file, line and column. Found as
    Enrollment.csv and Exit.csv are read (``_unasked``, which the Loader's read repeats)."""
    _emit_pending(parsed, "dependent")


def check_partner_answers(parsed: Parsed) -> None:
    """Value-level data quality of the federal partners' columns (H3), as warnings: a
    follow-up given where its question does not ask it (HUD: "Null unless ...",
    enrollments/elements.py PARTNER_FOLLOW_UPS) is not loaded; a VAMC station outside HUD's
    list V6.1 (text codes, so not checked by the integer lists) is kept as given. Found as
    the files are read (``_unasked``)."""
    _emit_pending(parsed, "partner")


def existing_agency(row, known: dict, claimed=()):
    """The agency of this HMIS an Organization.csv row stands for, if any: one an earlier
    import of the same source made (``known``: ExternalKey IDs), one exported here under the
    row's ID and name (this HMIS's own export, or an organization an import kept), or an agency
    of the same name, unless another organization of the same export took it (``claimed``:
    two organizations of one name stay two, H3). None: the import creates one."""
    from agencies.models import Agency

    ext = row["OrganizationID"]
    agency = Agency.objects.filter(pk=known.get(ext) or -1).first()
    if agency is None:
        agency = source_ids.find(Agency, str(ext))
        if agency is not None and source_ids.organization_name(agency) != row["OrganizationName"]:
            agency = None
    if agency is None:
        names = [row["OrganizationName"], source_ids.twin_name(row["OrganizationName"], ext)]
        agency = Agency.objects.filter(name__in=names).exclude(pk__in=claimed).order_by("name").first()
    return agency


def check_victim_service_providers(parsed: Parsed, source: str) -> None:
    """A6 (VAWA): victim service providers do not enter client data into the HMIS, and
    an import is no way around it. A stay in a project whose organization is a victim
    service provider, by the export's VictimServiceProvider or by the agency it is
    loaded into here, is a structural error: the whole import is refused."""
    from ..models import ExternalKey

    known = dict(ExternalKey.objects.filter(source=source, file="Organization.csv")
                 .values_list("external_id", "local_id"))
    vsp_organizations = set()
    for _, row in parsed.rows["Organization.csv"]:
        agency = existing_agency(row, known)
        # the export's own word (read as the loader reads it when it creates the agency) or ours
        if bool(row["VictimServiceProvider"]) or (agency is not None and agency.is_victim_service_provider):
            vsp_organizations.add(row["OrganizationID"])
    if not vsp_organizations:
        return
    vsp_projects = {row["ProjectID"] for _, row in parsed.rows["Project.csv"]
                    if row["OrganizationID"] in vsp_organizations}
    for row in parsed.compact["Enrollment.csv"]:
        if row[E_PROJECT] in vsp_projects:
            parsed.error("Enrollment.csv", row[0], "ProjectID",
                         f"project {row[E_PROJECT]} belongs to a victim service provider: victim service "
                         "providers do not enter client data into the HMIS (VAWA, A6)")


def check_against_this_hmis(parsed: Parsed, source: str) -> None:
    """What the records already here make impossible (unique constraints met only on a second
    import): a project an earlier import of this source loaded, renamed in the source to the name
    of another project of its agency here, would collide with it (one name per agency). An error
    naming both, before anything is written."""
    from agencies.models import Project

    from ..models import ExternalKey

    local_of = dict(ExternalKey.objects.filter(source=source, file="Project.csv")
                    .values_list("external_id", "local_id"))
    if not local_of:
        return
    known = dict(ExternalKey.objects.filter(source=source, file="Organization.csv")
                 .values_list("external_id", "local_id"))
    organizations = {row["OrganizationID"]: row for _, row in parsed.rows["Organization.csv"]}
    renamed = {}  # local project pk -> (line, ProjectID, the name it takes)
    for line, row in parsed.rows["Project.csv"]:
        local = local_of.get(row["ProjectID"])
        if local and str(local).isdigit():
            renamed[int(local)] = (line, row["ProjectID"], row["ProjectName"], row["OrganizationID"])
    current = {pk: (name, agency) for pk, name, agency in
               Project.objects.filter(pk__in=renamed).values_list("pk", "name", "agency_id")}
    for pk, (line, ext, name, organization) in renamed.items():
        if pk not in current or current[pk][0] == name:
            continue
        agency = existing_agency(organizations[organization], known) if organization in organizations else None
        if agency is None or agency.pk != current[pk][1]:
            continue
        other = (Project.objects.filter(agency_id=agency.pk, name=name).exclude(pk=pk)
                 .values_list("pk", flat=True).first())
        # The Loader writes projects in file order: the other frees the name only if renamed on an earlier line.
        if other is not None and not (other in renamed and renamed[other][2] != name and renamed[other][0] < line):
            parsed.error("Project.csv", line, "ProjectName",
                         f"project {ext} is renamed to the name of another project of {agency.name} here: this HMIS "
                         "names each project of an agency once; rename one of them first")


def import_hmis_csv(source, *, actor, sharing: str, file_name: str = "", create_cocs: bool = False, run=None,
                    progress=None):
    """Check then load. Returns the ImportRun (status rejected when anything failed): a new one, or
    ``run`` (the upload page's queued run, reports/import_jobs.py) with its result. ``progress``,
    if given, is told each step as progress(step, detail): "reading", "checking", "references",
    "rows" (detail: rows per file), "loading" (detail: the files the Loader writes next), "recording"."""
    from ..models import ImportRun

    def step(label, *files):
        if progress is not None:
            progress(label, files)

    def record(**fields):
        fields.update(file_name=file_name or str(source), sharing=sharing, run_by=actor, finished_at=timezone.now())
        if run is None:
            return ImportRun.objects.create(**fields)
        for name, value in fields.items():
            setattr(run, name, value)
        run.save(update_fields=list(fields))
        return run

    step("reading")
    with ExitStack() as opened:  # the files stay open to the end: the Loader reads them again
        try:
            files = opened.enter_context(_open_files(source))
        except ZipTooLarge as problem:
            return record(status=ImportRun.Status.REJECTED, problems=[["", 0, "", str(problem), ERROR]])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError,
                OSError) as problem:  # damaged, encrypted or unsupported
            return record(status=ImportRun.Status.REJECTED,
                          problems=[["", 0, "", f"not a zip file or folder of CSV files ({problem})", ERROR]])
        with _fewer_collections():
            return _check_and_load(files, step, record, actor=actor, sharing=sharing, create_cocs=create_cocs,
                                   run=run, progress=progress)


@contextmanager
def _fewer_collections():
    """Python's cycle collector runs every 700 new objects and then walks the objects alive, here
    the millions of rows the checks hold: a quarter of the checking read's time. The rows make no
    cycles; collecting a hundred times less often keeps what cycles the ORM makes in check."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(70_000, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _check_and_load(files: Files, step, record, *, actor, sharing, create_cocs, run, progress):
    from ..models import ImportRun

    step("checking")
    parsed = parse_files(files)
    check_export_rows(parsed)
    if not parsed.has_errors:
        step("references")
        check_references(parsed, create_cocs)
        check_dependent_answers(parsed)
        check_partner_answers(parsed)
    if not parsed.has_errors:
        check_streamed_files(parsed)
    source_name = ""
    for _, row in parsed.rows.get("Export.csv", [])[:1]:
        source_name = f"{row['SourceType']}:{row['SourceID'] or ''}:{row['SourceName'] or ''}"[:200]
    if not parsed.has_errors:
        check_victim_service_providers(parsed, source_name)
        check_against_this_hmis(parsed, source_name)
    if parsed.has_errors:
        return record(source=source_name, status=ImportRun.Status.REJECTED, problems=parsed.problems)
    # Every Export.csv row as given (a merged export has several), kept with the run's record (H3).
    export_rows = [{column: spec.format_value(row[column]) for column in spec.headers()["Export.csv"]}
                   for _, row in parsed.rows.get("Export.csv", [])]
    if progress is not None:  # the load's steps weigh by their rows
        progress("rows", dict(parsed.counts))
    try:
        with transaction.atomic():
            counts = Loader(parsed, source_name, actor, sharing, progress=partial(step, "loading")).load()
            step("recording")
            return record(source=source_name, status=ImportRun.Status.LOADED, problems=parsed.problems,
                          counts=counts, export_rows=export_rows)
    except Exception as failure:  # rolled back whole; said plainly, never a traceback (the log has it)
        log.exception("HMIS CSV import of %s stopped while loading", source_name or "an export")
        if isinstance(failure, DatabaseError) and not transaction.get_connection().in_atomic_block:
            transaction.get_connection().close()  # maybe terminated mid-load: the record below opens a new one
        if run is not None:  # its fields were set inside the transaction rolled back: what was saved stands
            run.counts, run.export_rows = {}, []
        return record(source=source_name, status=ImportRun.Status.REJECTED,
                      problems=[*parsed.problems, ["", 0, "", LOAD_STOPPED, ERROR]])


@cache
def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _aware(value):
    """A source's timestamp in this HMIS's time zone, as timezone.make_aware would give it (with a
    zoneinfo zone that is setting tzinfo), without looking the zone up for each of millions of cells."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_zone(settings.TIME_ZONE))


class Answers:
    """One collection's answers while the assessment files are read: a byte per answer (HUD's
    codes are small whole numbers; most answers are one), the rare other value (an amount, a
    date, text) beside it. A list of objects cost 900 bytes a collection, half the import's
    memory at 100,000 clients; this is about 170."""

    __slots__ = ("codes", "others")
    UNSET, EMPTY, OTHER = 255, 254, 253  # not in any row read / given empty / in ``others``

    def __init__(self, size: int):
        self.codes = bytearray([self.UNSET]) * size
        self.others = None

    def set(self, place: int, value) -> None:
        if value is None:
            self.codes[place] = self.EMPTY
        elif type(value) is int and 0 <= value < self.OTHER:
            self.codes[place] = value
        else:
            if self.others is None:
                self.others = {}
            self.others[place] = value
            self.codes[place] = self.OTHER

    def given(self):
        """(place, value) of every answer a row gave, empty ones as None."""
        for place, code in enumerate(self.codes):
            if code == self.UNSET:
                continue
            yield place, None if code == self.EMPTY else self.others[place] if code == self.OTHER else code


class OwnCells:
    """H3: the cells of a collection's rows in HealthAndDV, EmploymentEducation,
    YouthEducationStatus and Disabilities that are not the collection's own (its record_id
    and the IncomeBenefits row's DateCreated, DateUpdated, UserID): spooled to a temporary
    file while the files are read, then written into Assessment.file_ids by one UPDATE
    from a staging table (``write``), so memory does not grow with them."""

    COLUMNS = ("id", "created", "updated", "user")

    def __init__(self, users):
        import tempfile

        self.users, self.count = users, 0
        self.spool = tempfile.TemporaryFile("w+", newline="")
        self.out = csv.writer(self.spool)

    def add(self, entry, r, file_name, row_id, derived, disability_type="") -> None:
        def stamp(value):
            return value.strftime(spec.TIMESTAMP_FORMAT) if value is not None else None

        cells = (str(row_id) if str(row_id) != str(derived) else None,
                 stamp(r["DateCreated"]) if r["DateCreated"] != entry[3] else None,
                 stamp(r["DateUpdated"]) if r["DateUpdated"] != entry[4] else None,
                 self.users[r["UserID"]].pk if r["UserID"] != entry[2] else None)
        if any(cell is not None for cell in cells):
            kept = {key: cell for key, cell in zip(self.COLUMNS, cells, strict=True) if cell is not None}
            self.out.writerow([entry[0], file_name, disability_type, json.dumps(kept)])
            self.count += 1

    def seen(self, ext) -> None:  # changed for file_ids
        """A collection of this export (its source ID): its file_ids become exactly this export's
        own cells, none where it has none (H3: a re-import leaves no stale ID behind)."""
        self.out.writerow([ext, "", "", "{}"])
        self.count += 1

    # changed for file_ids: the collision rule of source_ids.py. A file's own ID kept for a row is given
    # up (the row exports under its collection's ID) where another collection here already exports a
    # row of the same file under it: an ID kept from another import (``import_kept_elsewhere``), or its
    # record_id where it keeps no ID of its own for that row (a Disabilities row: <record_id>-<type>).
    @staticmethod
    def _taken(vendor: str) -> str:
        def own_id(file_name: str, kind: str = "") -> str:
            """The ID collection ``o`` keeps for its row of a file: this import's (o in it), else the stored."""
            if vendor == "postgresql":
                stored = f"o.file_ids -> {file_name} -> {kind} ->> 'id'" if kind else f"o.file_ids -> {file_name} ->> 'id'"
                mine = "m.cells ->> 'id'"
            else:
                path = f"'$.\"' || {file_name} || '\"'" + (f" || '.\"' || {kind} || '\"'" if kind else "")
                stored, mine = f"json_extract(o.file_ids, {path} || '.id')", "json_extract(m.cells, '$.id')"
            kind_sql = kind or "''"
            return (f"CASE WHEN EXISTS (SELECT 1 FROM import_own_cells n WHERE n.record_id = o.record_id AND n.file = '')"
                    f" THEN (SELECT {mine} FROM import_own_cells m WHERE m.record_id = o.record_id"
                    f" AND m.file = {file_name} AND m.kind = {kind_sql}) ELSE {stored} END")

        from enrollments.elements import DISABILITIES
        from enrollments.models import Assessment

        from .export import ASSESSMENT_KEYS, collected_in

        def answered(names) -> str:  # o has a row in the file: one of its root questions is answered
            return "(" + " OR ".join(f"o.{Assessment._meta.get_field(n).column} IS NOT NULL" for n in names) + ")"

        has_row = "CASE k.file " + " ".join(f"WHEN '{name}' THEN {answered(collected_in(name))}"
                                            for name in ASSESSMENT_KEYS if name != "IncomeBenefits.csv") + " END"
        derived = ["(k.kind = '' AND EXISTS (SELECT 1 FROM enrollments_assessment o WHERE o.record_id = {id} "
                   f"AND o.record_id <> k.record_id AND {has_row} AND ({own_id('k.file')}) IS NULL))"]
        quoted = "'Disabilities.csv'"
        for n in (1, 2):  # "-5" .. "-10": the type has one or two digits
            kind = f"substr({{id}}, length({{id}}) - {n - 1})"
            kept = f"({own_id(quoted, kind)}) IS NULL AND CASE {kind} " + " ".join(
                f"WHEN '{code}' THEN {answered([name])}" for name, code, _ in DISABILITIES) + " ELSE FALSE END"
            derived.append(f"(k.kind <> '' AND substr({{id}}, length({{id}}) - {n}, 1) = '-' AND EXISTS (SELECT 1 FROM "
                           f"enrollments_assessment o WHERE o.record_id = substr({{id}}, 1, length({{id}}) - {n + 1}) "
                           f"AND o.record_id <> k.record_id AND {kept}))")
        return " OR ".join([*derived, "EXISTS (SELECT 1 FROM import_kept_elsewhere e WHERE e.file = k.file "
                                      "AND e.id = {id})"])

    def write(self, record_ids: dict) -> None:  # changed for file_ids
        """Into file_ids of the collections just written; ``record_ids``: the source's
        collection IDs -> their record_id here (ExternalKey of IncomeBenefits.csv)."""
        from django.db import connection

        with self.spool:
            if not self.count:
                return
            self.spool.seek(0)
            rows = ((record_ids.get(ext, ext), name, kind, cells) for ext, name, kind, cells in csv.reader(self.spool))
            in_import = "a.record_id IN (SELECT record_id FROM import_own_cells WHERE file = '')"
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("CREATE TEMP TABLE import_own_cells (record_id text, file text, kind text, "
                                   "cells jsonb) ON COMMIT DROP")
                    with connection.connection.cursor() as raw, raw.copy("COPY import_own_cells FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    cursor.execute("CREATE INDEX ON import_own_cells (record_id, file, kind)")
                    cursor.execute("ANALYZE import_own_cells")
                    cursor.execute(
                        "CREATE TEMP TABLE import_kept_elsewhere ON COMMIT DROP AS"
                        " SELECT f.key AS file, f.value ->> 'id' AS id FROM enrollments_assessment a"
                        " CROSS JOIN LATERAL jsonb_each(a.file_ids) f"
                        f" WHERE a.file_ids <> '{{}}' AND f.key <> 'Disabilities.csv' AND NOT ({in_import})"
                        " AND f.value ? 'id'"
                        " UNION ALL SELECT 'Disabilities.csv', d.value ->> 'id' FROM enrollments_assessment a"
                        " CROSS JOIN LATERAL jsonb_each(a.file_ids -> 'Disabilities.csv') d"
                        f" WHERE a.file_ids ? 'Disabilities.csv' AND NOT ({in_import}) AND d.value ? 'id'")
                    cursor.execute("CREATE INDEX ON import_kept_elsewhere (id)")
                    cursor.execute("UPDATE import_own_cells k SET cells = k.cells - 'id' WHERE k.cells ? 'id' AND ("
                                   + self._taken("postgresql").format(id="(k.cells ->> 'id')") + ")")
                    cursor.execute(
                        "UPDATE enrollments_assessment a SET file_ids = k.ids FROM ("
                        " SELECT record_id, COALESCE(jsonb_object_agg(file, cells)"
                        "  FILTER (WHERE file <> '' AND cells <> '{}'::jsonb), '{}'::jsonb) AS ids FROM ("
                        "  SELECT record_id, file, cells FROM import_own_cells WHERE kind = ''"
                        "  UNION ALL SELECT record_id, 'Disabilities.csv', jsonb_object_agg(kind, cells)"
                        "  FROM import_own_cells WHERE kind <> '' AND cells <> '{}'::jsonb GROUP BY record_id) x"
                        "  GROUP BY record_id) k"
                        " WHERE a.record_id = k.record_id AND a.file_ids IS DISTINCT FROM k.ids")
                    cursor.execute("DROP TABLE import_own_cells, import_kept_elsewhere")
                else:  # SQLite (the embedded default): the same with its JSON functions
                    cursor.execute("CREATE TEMP TABLE import_own_cells (record_id text, file text, kind text, "
                                   "cells text)")
                    cursor.executemany("INSERT INTO import_own_cells VALUES (%s, %s, %s, %s)", list(rows))
                    cursor.execute("CREATE INDEX import_own_cells_record ON import_own_cells (record_id, file, kind)")
                    cursor.execute(
                        "CREATE TEMP TABLE import_kept_elsewhere AS"
                        " SELECT f.key AS file, json_extract(f.value, '$.id') AS id FROM enrollments_assessment a,"
                        f" json_each(a.file_ids) f WHERE f.key <> 'Disabilities.csv' AND NOT ({in_import})"
                        " AND json_extract(f.value, '$.id') IS NOT NULL"
                        " UNION ALL SELECT 'Disabilities.csv', json_extract(d.value, '$.id')"
                        " FROM enrollments_assessment a, json_each(a.file_ids, '$.\"Disabilities.csv\"') d"
                        f" WHERE NOT ({in_import}) AND json_extract(d.value, '$.id') IS NOT NULL")
                    cursor.execute("CREATE INDEX import_kept_elsewhere_id ON import_kept_elsewhere (id)")
                    cursor.execute("UPDATE import_own_cells AS k SET cells = json_remove(k.cells, '$.id') "
                                   "WHERE json_extract(k.cells, '$.id') IS NOT NULL AND ("
                                   + self._taken("sqlite").format(id="json_extract(k.cells, '$.id')") + ")")
                    cursor.execute(
                        "UPDATE enrollments_assessment SET file_ids = ("
                        " SELECT json_group_object(file, json(cells)) FROM ("
                        "  SELECT file, cells FROM import_own_cells k"
                        "  WHERE k.record_id = enrollments_assessment.record_id AND kind = '' AND file <> ''"
                        "  AND cells <> '{}'"
                        "  UNION ALL SELECT 'Disabilities.csv', json_group_object(kind, json(cells))"
                        "  FROM import_own_cells k WHERE k.record_id = enrollments_assessment.record_id"
                        "  AND kind <> '' AND cells <> '{}' HAVING count(*) > 0))"
                        " WHERE record_id IN (SELECT record_id FROM import_own_cells)")
                    cursor.execute("DROP TABLE import_own_cells")
                    cursor.execute("DROP TABLE import_kept_elsewhere")


class Loader:
    """Writes checked rows. Looks up earlier imports of the same source first."""

    def __init__(self, parsed: Parsed, source: str, actor, sharing: str, progress=None):
        from ..models import ExternalKey

        self.parsed, self.source, self.actor, self.sharing = parsed, source, actor, sharing
        # This HMIS's own export (a round trip, a restore of a project's records): its IDs are ours.
        mine = source_ids.implementation_id()
        self.own_export = any(row["ImplementationID"] == mine for _, row in parsed.rows.get("Export.csv", []))
        self.progress = progress or (lambda *files: None)  # told the files each step writes, before it
        self.keys = defaultdict(dict)
        for file, ext, local in ExternalKey.objects.filter(source=source).values_list("file", "external_id", "local_id"):
            self.keys[file][ext] = local
        self.new_keys, self.moved_keys = [], []
        # the IDs this import gave, so two batches never give one twice
        self.client_ids_given, self.enrollment_ids_given, self.exit_ids_given = set(), set(), set()
        self.counts = defaultdict(lambda: {"created": 0, "updated": 0})

    def _done_with(self, *file_names) -> None:
        """Let go of rows already written: what is held at once stays bounded by the
        checked rows, not the checked rows plus every model object made from them."""
        for name in file_names:
            self.parsed.rows.pop(name, None)

    def rows(self, file_name):
        return [row for _, row in self.parsed.rows[file_name]]

    def stream(self, file_name):
        """The rows of one of the STREAMED_FILES, read again from the export as they are written."""
        if not self.parsed.counts.get(file_name):
            return
        for _, row in self.stay_records.rows(file_name, Parsed()):
            yield row

    def local_id(self, file, external):
        """The record here a row of the export is: the one an earlier import of this source made
        from it (ExternalKey, read at the start), or, in this HMIS's own export, the record of that
        ID. None for a row new to this source, even where another source's record has its ID."""
        local = self.keys[file].get(external)
        return external if local is None and self.own_export else local

    def sent_before(self, file, externals) -> list:
        return [local for local in (self.local_id(file, ext) for ext in externals) if local is not None]

    def remember(self, file, external, local):
        known = self.keys[file].get(external)
        if known != str(local):
            # A reference to a record of this export reads a missing ID as itself (keys.get(ext, ext)), and
            # each ID is remembered once: a record keeping the source's ID needs no entry in memory.
            # Whether a row is one this source sent before is asked of local_id, never of the
            # fallback: another source's record may carry the same ID.
            if known is not None or str(local) != str(external) or file not in LEAN_KEYS:
                self.keys[file][external] = str(local)
            (self.new_keys if known is None else self.moved_keys).append((file, external, str(local)))
            if len(self.new_keys) >= 10 * BATCH:
                self._write_keys()

    def load(self) -> dict:
        self.progress("User.csv", "Organization.csv", "Project.csv")
        self._create_cocs()
        # first: organizations, projects and descriptor rows keep who entered them (H3)
        self.users = self._users()
        self.agencies = self._organizations()
        self.projects = self._projects()
        self.progress(*descriptors.FILES, "Affiliation.csv")
        self._project_descriptors()
        self.progress("Client.csv")
        self.stay_records = StayRecords(self.parsed)  # before the enrollments' rows go
        self.clients = self._clients()  # lets Client.csv's rows go as it writes them
        self.progress("Enrollment.csv", "Exit.csv")
        # Each stay as the records under it need it: (its key, its agency's), not a model instance.
        self.enrollments = self._enrollments()
        self._done_with("Enrollment.csv", "Exit.csv")
        self.clients = None  # the stays hold the clients they need
        self.progress("IncomeBenefits.csv", "HealthAndDV.csv", "Disabilities.csv", "EmploymentEducation.csv",
                      "YouthEducationStatus.csv")
        self._assessments()
        self.progress("Services.csv", "CurrentLivingSituation.csv", "Assessment.csv", "Event.csv")
        self._simple_records()
        self._write_keys()
        return {k: dict(v) for k, v in self.counts.items()}

    def _write_keys(self) -> None:
        """The IDs this import gave the source's records (ExternalKey): new ones by COPY,
        ones that moved (a record the source re-used an ID for) updated."""
        from hmis.bulk import insert_rows

        from ..models import ExternalKey

        insert_rows(ExternalKey, ["source", "file", "external_id", "local_id"],
                    [(self.source, f, str(e), loc) for f, e, loc in self.new_keys])
        by_file = defaultdict(dict)
        for f, e, loc in self.moved_keys:
            by_file[f][str(e)] = loc
        for f, moved in by_file.items():
            keys = list(ExternalKey.objects.filter(source=self.source, file=f, external_id__in=list(moved)))
            for key in keys:
                key.local_id = moved[key.external_id]
            update_objects(ExternalKey, keys, ["local_id"])
        self.new_keys, self.moved_keys = [], []

    # --- Organizations and projects ------------------------------------------------

    def _create_cocs(self) -> None:
        """--create-cocs: the CoCs the export names that were not set up, under the HMIS Lead,
        with RULES.md's default policy switches (the Lead reviews them afterwards)."""
        from agencies.services import coc_save

        for code in sorted(self.parsed.new_cocs):
            coc_save(actor=self.actor, code=code, name=f"{code} (created by an HMIS CSV import)")
        self.counts["CoC"] = {"created": len(self.parsed.new_cocs), "updated": 0}

    @staticmethod
    def organization_cocs(parsed: Parsed) -> set:
        """The CoCs an organization with no project in the export takes part in here (T2: an agency
        is in at least one CoC): the CoC whose export it is (Export.csv SourceType 1, its SourceID),
        else every CoC of this HMIS the export's projects name."""
        from agencies.models import Coc

        known = set(Coc.objects.values_list("code", flat=True)) | parsed.new_cocs
        export_row = next((row for _, row in parsed.rows.get("Export.csv", [])[:1]), None)
        if export_row and export_row["SourceType"] == 1 and export_row["SourceID"] in known:
            return {export_row["SourceID"]}
        return set().union(*parsed.project_cocs.values()) & known

    def _organizations(self) -> dict:
        """Organization.csv: each row one agency here, with or without projects (H3). Two rows of one
        name stay two agencies: the second is named with its OrganizationID (source_ids.twin_name)
        and exports under the name it came with."""
        from agencies.models import Agency, Coc
        from agencies.services import agency_save

        coc_by_org = {}
        for r in self.rows("Project.csv"):
            coc_by_org.setdefault(r["OrganizationID"], set()).update(self.parsed.project_cocs.get(r["ProjectID"], ()))
        without_projects = None
        result, claimed = {}, set()
        for r in self.rows("Organization.csv"):
            ext = r["OrganizationID"]
            agency = existing_agency(r, self.keys["Organization.csv"], claimed)
            if agency is None:
                codes = coc_by_org.get(ext)
                if not codes:
                    if without_projects is None:
                        without_projects = self.organization_cocs(self.parsed)
                    codes = without_projects
                name = r["OrganizationName"][: source_ids.NAME_LENGTH]
                if Agency.objects.filter(name=name).exists():  # another organization of this export took it
                    name = source_ids.twin_name(r["OrganizationName"], ext)
                agency = agency_save(actor=self.actor, name=name, cocs=list(Coc.objects.filter(code__in=codes)),
                                     status=Agency.Status.ONBOARDING,
                                     is_victim_service_provider=bool(r["VictimServiceProvider"]),
                                     common_name=(r["OrganizationCommonName"] or "")[:200])
                # DateCreated as the source had it (H3); created_at is set on insert, so afterwards.
                if r["DateCreated"]:
                    Agency.objects.filter(pk=agency.pk).update(created_at=_aware(r["DateCreated"]))
                self.counts["Organization.csv"]["created"] += 1
            else:
                if r["OrganizationCommonName"]:
                    Agency.objects.filter(pk=agency.pk).update(common_name=r["OrganizationCommonName"][:200])
                self.counts["Organization.csv"]["updated"] += 1
            claimed.add(agency.pk)
            source_ids.keep(Agency, agency, ext)
            Agency.objects.filter(pk=agency.pk).update(
                hud_id=agency.hud_id, recorded_by=self.users.get(r["UserID"]),
                record_updated_at=_aware(r["DateUpdated"]))
            self.remember("Organization.csv", ext, agency.pk)
            result[ext] = agency
        source_ids.reserve(Agency, [a.hud_id for a in result.values()])
        return result

    def _projects(self) -> dict:
        from agencies.models import Coc, Project

        cocs = {c.code: c for c in Coc.objects.all()}
        coc_of = {ext: cocs[code] for ext, code in self.parsed.home_coc.items() if code}
        result = {}
        for line, r in self.parsed.rows["Project.csv"]:
            ext, agency = r["ProjectID"], self.agencies[r["OrganizationID"]]
            project = Project.objects.filter(pk=self.keys["Project.csv"].get(ext) or -1).first()
            if project is None:  # exported here before, under this ID (this HMIS's export, or kept)
                project = source_ids.find(Project, ext, agency=agency)
                if project is not None and project.hud_id != ext and project.name != r["ProjectName"]:
                    project = None
            if project is None:  # a project of the same name at the agency is the same project
                project = Project.objects.filter(agency=agency, name=r["ProjectName"][:200]).first()
            fields = {"agency": agency, "coc": coc_of[ext], "name": r["ProjectName"][:200],
                      "project_type": r["ProjectType"], "operating_start": r["OperatingStartDate"],
                      "operating_end": r["OperatingEndDate"],
                      **descriptors.fields_from(r, descriptors.PROJECT_COLUMNS)}
            fields["continuum_project"] = 1 if fields["continuum_project"] is None else fields["continuum_project"]
            for stamp, column in (("created_at", "DateCreated"), ("updated_at", "DateUpdated")):
                if r[column]:
                    fields[stamp] = _aware(r[column])
            fields["recorded_by"] = self.users.get(r["UserID"])
            if project is None:
                project = Project(**fields)
                source_ids.keep(Project, project, ext)
                project.save()
                self.counts["Project.csv"]["created"] += 1
            else:
                source_ids.keep(Project, project, ext)
                fields["hud_id"] = project.hud_id
                Project.objects.filter(pk=project.pk).update(**fields)
                for name, value in fields.items():  # the descriptor files below check against these values
                    setattr(project, name, value)
                self.counts["Project.csv"]["updated"] += 1
            # 2.02 dependencies HUD's dictionary states (RRHSubType only for RRH, and so on): loaded, listed.
            for name, message in project.descriptor_problems(complete=True).items():
                self.parsed.warn("Project.csv", line, descriptors.PROJECT_COLUMNS.get(name, ""), message)
            self.remember("Project.csv", ext, project.pk)
            result[ext] = project
        source_ids.reserve(Project, [p.hud_id for p in result.values()])
        return result

    def _project_descriptors(self) -> None:
        """H2: funders, CoC information, inventory, affiliations, HMIS and CE participation
        (reports/hmis_csv/descriptors.py), the projects already loaded."""
        for file_name in descriptors.FILES:
            descriptors.load(self, file_name)
        descriptors.load_affiliations(self)

    def _users(self) -> dict:
        """Who entered each record (H3). A User.csv row naming one of this HMIS's own people (same
        ID and name: this HMIS's own export) is that person; anyone else is kept as a record author
        who cannot sign in (hmis.User.is_record_author), found again when the same source is
        imported again. A UserID that User.csv does not list is recorded as the importing Lead (the
        check lists it)."""
        import uuid

        from hmis.models import User

        rows = self.rows("User.csv")
        known = User.objects.in_bulk([int(pk) for pk in self.keys["User.csv"].values() if pk.isdigit()])
        # this HMIS's own people, by the IDs its export gives them (one query, not one per row)
        own = User.objects.filter(is_record_author=False).in_bulk([int(r["UserID"]) for r in rows
                                                                   if str(r["UserID"]).isdigit()])
        local, created = {}, 0
        for r in rows:
            ext = r["UserID"]
            earlier = self.keys["User.csv"].get(ext, "")
            user = known.get(int(earlier)) if earlier.isdigit() else None
            if user is None and str(ext).isdigit() and not User.objects.filter(hud_id=ext).exists():
                user = own.get(int(ext))
                if user is not None and (user.first_name, user.last_name) != (r["UserFirstName"] or "",
                                                                              r["UserLastName"] or ""):
                    user = None
            if user is None:
                # The username carries no name (PII stays out of identifiers): a random handle.
                user = User(username=f"author-{uuid.uuid4().hex[:16]}", is_active=False, is_record_author=True)
                user.set_unusable_password()
                created += 1
            if user.is_record_author:
                user.first_name, user.last_name = r["UserFirstName"] or "", r["UserLastName"] or ""
                user.email, user.phone = r["UserEmail"] or "", r["UserPhone"] or ""
                user.phone_extension = r["UserExtension"] or ""
                user.date_joined = _aware(r["DateCreated"]) or user.date_joined
                user.record_updated_at = _aware(r["DateUpdated"])
                source_ids.keep(User, user, ext)
                user.save()
                self.remember("User.csv", ext, user.pk)
            local[ext] = user
        source_ids.reserve(User, [u.hud_id for u in local.values()])
        self.counts["User.csv"] = {"created": created, "updated": len(local) - created}
        return defaultdict(lambda: self.actor, local)

    # --- Clients ---------------------------------------------------------------------

    def _clients(self) -> dict:
        """Client.csv, BATCH rows at a time (model instances for one batch only). Returns
        PersonalID -> the client's key here."""
        from clients.models import Client

        owner = {}
        serving = defaultdict(set)
        for r in sorted(self.parsed.compact["Enrollment.csv"], key=itemgetter(E_ENTRY)):
            agency = self.projects[r[E_PROJECT]].agency
            owner.setdefault(r[E_PERSON], agency)
            serving[r[E_PERSON]].add(agency)
        permission = Permission.objects.get(codename="serve_client", content_type__app_label="clients")
        self.counts["Client.csv"] = {"created": 0, "updated": 0, "unchanged": 0}
        result = {}
        self.parsed.compact.pop("Client.csv", None)
        id_length = Client._meta.get_field("client_id").max_length
        for batch in self._batches("Client.csv"):
            for ext, client in self._client_batch(batch, owner, serving, permission, id_length).items():
                result[ext] = client.pk
        return result

    def _batches(self, file_name):
        """One of COMPACT_FILES read again, BATCH rows at a time: the rows the check kept, with the
        answers HUD does not ask taken out as the check did (``_unasked``)."""
        if not self.parsed.counts.get(file_name):
            return
        dropped = self.parsed.dropped[file_name]
        batch = []
        for line, row in _rows_of(self.parsed, file_name, checking=False):
            if line in dropped:
                continue
            if file_name != "Client.csv":
                for _ in _unasked(file_name, row):
                    pass
            batch.append(row)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _client_batch(self, rows, owner, serving, permission, id_length) -> dict:
        from clients.models import Client, ClientGroupObjectPermission

        existing = Client.objects.in_bulk(self.sent_before("Client.csv", [r["PersonalID"] for r in rows]),
                                          field_name="client_id")
        taken = set(Client.objects.filter(client_id__in=[r["PersonalID"] for r in rows]).values_list("client_id", flat=True))
        to_create, to_update, pairs, unchanged = [], [], [], 0
        compared = [*CLIENT_COLUMNS, "ssn_encrypted", "search_name", "created_at", "updated_at"]
        for r in rows:
            ext = r["PersonalID"]
            client = existing.get(self.local_id("Client.csv", ext))
            is_new = client is None
            if is_new:
                keeps_id = len(ext) <= id_length and ext not in taken and ext not in self.client_ids_given
                client = Client(client_id=ext if keeps_id else Client._meta.get_field("client_id").default())
                self.client_ids_given.add(client.client_id)
                client.created_by = self.users[r["UserID"]]
                client.entered_by_agency = owner.get(ext) or next(iter(self.agencies.values()))
                client.sharing = Client.Sharing.NONE
                if self.sharing == "locked":
                    client.locked_to_agency = owner.get(ext) or client.entered_by_agency
            before = None if is_new else [getattr(client, name) for name in compared]
            for attr, column in CLIENT_COLUMNS.items():
                setattr(client, attr, r[column] if r[column] is not None else CLIENT_DEFAULTS.get(attr, ""))
            ssn = "".join(ch for ch in (r["SSN"] or "") if ch.isdigit())
            if is_new or client.ssn != ssn:  # encrypting again would change the stored value for nothing
                client.set_ssn(ssn)
            client.search_name = f"{client.first_name} {client.last_name}".strip().lower()
            # DateCreated/DateUpdated as the source had them.
            client.created_at, client.updated_at = _aware(r["DateCreated"]), _aware(r["DateUpdated"])
            if is_new:
                to_create.append(client)
            elif before != [getattr(client, name) for name in compared]:
                to_update.append(client)
            else:
                unchanged += 1
            pairs.append((ext, client))
            self.remember("Client.csv", ext, client.client_id)
        insert_objects(Client, to_create)
        fields = [*CLIENT_COLUMNS, "ssn_encrypted", "ssn_hash", "ssn_last4_hash", "search_name", "created_at",
                  "updated_at"]
        update_objects(Client, to_update, fields)  # as given: auto_now is left alone
        counts = self.counts["Client.csv"]
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        counts["unchanged"] += unchanged
        result = dict(pairs)
        new = {client.pk for client in to_create}
        grants = [ClientGroupObjectPermission(content_object=client, group_id=agency.group_id, permission=permission)
                  for ext, client in pairs for agency in serving.get(ext, ())]
        insert_objects(ClientGroupObjectPermission, [g for g in grants if g.content_object_id in new])
        ClientGroupObjectPermission.objects.bulk_create([g for g in grants if g.content_object_id not in new],
                                                        ignore_conflicts=True, batch_size=5000)
        self._partner_rows("Client.csv", [(result[r["PersonalID"]], r, None) for r in rows])
        return result

    # --- Enrollments and exits ----------------------------------------------------------

    def _enrollments(self) -> dict:
        """Enrollment.csv with its Exit.csv row, BATCH stays at a time. Returns EnrollmentID ->
        (the stay's key here, its agency's key): what the records under it need."""
        from enrollments.elements import PARTNER_COLUMNS

        # Each exit's cells the load writes, as a tuple (its Row rebuilt when its stay is written).
        names = ("ExitID", "UserID", "DateCreated", "DateUpdated", *EXIT_COLUMNS.values(),
                 *(column for _, column in PARTNER_COLUMNS["Exit.csv"]))
        exits = {}
        for batch in self._batches("Exit.csv"):
            for r in batch:
                exits[r["EnrollmentID"]] = tuple(r[name] for name in names)
        self.parsed.compact.pop("Exit.csv", None)
        self.counts["Enrollment.csv"] = {"created": 0, "updated": 0, "unchanged": 0}
        self.counts["Exit.csv"] = {"loaded": len(exits)}
        result = {}
        for rows in self._batches("Enrollment.csv"):
            of_batch = {}
            for r in rows:
                cells = exits.pop(r["EnrollmentID"], None)
                if cells is not None:
                    of_batch[r["EnrollmentID"]] = Row((n, v) for n, v in zip(names, cells, strict=True)
                                                      if v is not None)
            for ext, e in self._enrollment_batch(rows, of_batch).items():
                result[ext] = (e.pk, e.agency_id)
        self.parsed.compact.pop("Enrollment.csv", None)
        return result

    def _enrollment_batch(self, rows, exits) -> dict:
        from enrollments.models import Enrollment

        existing = Enrollment.objects.in_bulk(self.sent_before("Enrollment.csv", [r["EnrollmentID"] for r in rows]),
                                              field_name="enrollment_id")
        to_create, to_update, unchanged, considered = [], [], [], []
        fields = [*ENROLLMENT_COLUMNS, "client", "project", "agency", "information_date", *EXIT_COLUMNS, "entered_at",
                  "updated_at", "exit_entered_at", "exit_updated_at", "exit_id", "exit_entered_by"]
        compared = [Enrollment._meta.get_field(name).attname for name in fields]
        for r in rows:
            ext = r["EnrollmentID"]
            enrollment = existing.get(self.local_id("Enrollment.csv", ext))
            is_new = enrollment is None
            project = self.projects[r["ProjectID"]]
            if is_new:
                enrollment = Enrollment(enrollment_id=ext if len(ext) <= 32 else None)  # unless taken (below)
                enrollment.entered_by = self.users[r["UserID"]]
            before = None if is_new else [getattr(enrollment, name) for name in compared]
            enrollment.client_id = self.clients[r["PersonalID"]]
            enrollment.project, enrollment.agency = project, project.agency
            enrollment.information_date = r["EntryDate"]
            for attr, column in ENROLLMENT_COLUMNS.items():
                setattr(enrollment, attr, r[column])
            enrollment.enrollment_coc = enrollment.enrollment_coc or ""  # 3.16: heads of household only
            exit_row = exits.get(ext)
            for attr, column in EXIT_COLUMNS.items():
                setattr(enrollment, attr, exit_row[column] if exit_row else None)
            enrollment.other_destination = enrollment.other_destination or ""
            # The stay's and the exit's DateCreated and DateUpdated as the source had them (H3).
            enrollment.entered_at, enrollment.updated_at = _aware(r["DateCreated"]), _aware(r["DateUpdated"])
            enrollment.exit_entered_at = _aware(exit_row["DateCreated"]) if exit_row else None
            enrollment.exit_updated_at = _aware(exit_row["DateUpdated"]) if exit_row else None
            # Exit.csv's own ExitID and UserID (H3); an ExitID another stay here exports is not kept.
            exit_id = str(exit_row["ExitID"]) if exit_row else None
            enrollment.exit_id = exit_id if exit_id and len(exit_id) <= 32 else None
            # (a UserID User.csv does not list: the importing Lead, as for every record)
            enrollment.exit_entered_by = self.users[exit_row["UserID"]] if exit_row else None
            considered.append((ext, enrollment, before))
        # ExitIDs another stay holds are given up before comparing, so a re-import gives them up
        # again and finds nothing changed.
        self._free_exit_ids([e for _, e, _ in considered])
        for ext, enrollment, before in considered:
            if before is None:
                to_create.append((ext, enrollment))
            elif before != [getattr(enrollment, name) for name in compared]:
                to_update.append((ext, enrollment))
            else:
                unchanged.append((ext, enrollment))
        taken = set(Enrollment.objects.filter(enrollment_id__in=[e.enrollment_id for _, e in to_create])
                    .values_list("enrollment_id", flat=True))
        for _, enrollment in to_create:
            if not enrollment.enrollment_id or enrollment.enrollment_id in taken \
                    or enrollment.enrollment_id in self.enrollment_ids_given:
                enrollment.enrollment_id = Enrollment._meta.get_field("enrollment_id").default()
            self.enrollment_ids_given.add(enrollment.enrollment_id)
        insert_objects(Enrollment, [e for _, e in to_create])
        update_objects(Enrollment, [e for _, e in to_update], fields)
        result = {}
        for ext, enrollment in [*to_create, *to_update, *unchanged]:
            self.remember("Enrollment.csv", ext, enrollment.enrollment_id)
            result[ext] = enrollment
        counts = self.counts["Enrollment.csv"]
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        counts["unchanged"] += len(unchanged)
        self._partner_rows("Enrollment.csv", [(result[r["EnrollmentID"]], r, exits.get(r["EnrollmentID"]))
                                              for r in rows])
        return result

    def _free_exit_ids(self, stays) -> None:
        """The collision rule of source_ids.py for ExitIDs: one another stay here already
        exports (its kept ExitID, or its EnrollmentID when it kept none) is given up."""
        from enrollments.models import Enrollment

        wanted = {e.exit_id: e for e in stays if e.exit_id}
        if not wanted:
            return
        mine = [e.pk for e in stays if e.pk]
        others = Enrollment.objects.exclude(pk__in=mine)
        taken = set(others.filter(exit_id__in=list(wanted)).values_list("exit_id", flat=True))
        taken |= set(others.filter(exit_id__isnull=True, exit_date__isnull=False, enrollment_id__in=list(wanted))
                     .values_list("enrollment_id", flat=True))
        for exit_id in taken | (set(wanted) & self.exit_ids_given):
            wanted[exit_id].exit_id = None
        self.exit_ids_given |= set(wanted) - taken

    def _partner_rows(self, file_name: str, items) -> None:
        """The federal partners' answers (Client.csv V1 -> VeteranInformation; Enrollment.csv
        and Exit.csv -> ProgramAnswers), one row per client or stay made only where a column
        has a value; a re-imported record's row takes the new values (none: removed).
        ``items``: (client or stay, its row, its Exit.csv row or None)."""
        from enrollments.elements import PARTNER_COLUMNS
        from enrollments.models import ProgramAnswers, VeteranInformation

        if file_name == "Client.csv":
            model, owner, columns = VeteranInformation, "client", PARTNER_COLUMNS["Client.csv"]
        else:
            model, owner = ProgramAnswers, "enrollment"
            columns = [*PARTNER_COLUMNS["Enrollment.csv"], *PARTNER_COLUMNS["Exit.csv"]]
        exit_columns = {column for _, column in PARTNER_COLUMNS["Exit.csv"]}
        existing = {getattr(row, f"{owner}_id"): row for row in
                    model.objects.filter(**{f"{owner}__in": [record.pk for record, _, _ in items]})}
        to_create, to_update, to_delete = [], [], []
        for record, row, exit_row in items:
            values = {}
            for name, column in columns:
                source = exit_row if column in exit_columns and file_name != "Client.csv" else row
                values[name] = source[column] if source is not None else None
            answered = any(v not in (None, "") for v in values.values())
            kept = existing.get(record.pk)
            if not answered:
                if kept is not None:
                    to_delete.append(kept.pk)
                continue
            kept = kept or model(**{owner: record})
            before = [getattr(kept, name) for name, _ in columns] + [kept.updated_by_id]
            for name, value in values.items():
                setattr(kept, name, "" if value is None and name == "vamc_station" else value)
            kept.updated_by = self.users.get(row["UserID"])
            if not kept.pk:
                to_create.append(kept)
            elif before != [getattr(kept, name) for name, _ in columns] + [kept.updated_by_id]:
                to_update.append(kept)
        model.objects.filter(pk__in=to_delete).delete()
        model.objects.bulk_create(to_create, batch_size=2000)
        update_objects(model, to_update, [name for name, _ in columns] + ["updated_by"])

    # --- Assessments: IncomeBenefits + HealthAndDV + Disabilities of one collection --------

    def _assessments(self) -> None:
        from enrollments.elements import DISABILITIES, HIV_FOLLOW_UPS
        from enrollments.models import Assessment

        from .export import ASSESSMENT_COLUMNS, ASSESSMENT_KEYS, HIV_AIDS

        # Rows of several files with the same EnrollmentID, InformationDate and
        # DataCollectionStage are one collection: one Assessment (H1). The files are read one
        # after another, so each collection is held until the last file: its answers in one
        # order for all (``slot``), a byte each (Answers), not a dict per collection.
        slot = {}
        for columns in ASSESSMENT_COLUMNS.values():
            for _, name in columns:
                slot.setdefault(name, len(slot))
        of_type = {disability_type: (name, indefinite) for name, disability_type, indefinite in DISABILITIES}
        for name, _, indefinite in DISABILITIES:
            for field_name in (name, indefinite):
                if field_name:
                    slot.setdefault(field_name, len(slot))
        for field_name, _ in HIV_FOLLOW_UPS:
            slot.setdefault(field_name, len(slot))
        # H3: the other files' rows of a collection keep their own ID, DateCreated, DateUpdated
        # and UserID where these are not the collection's (Assessment.file_ids). They go to disk
        # as they are read (OwnCells) and into file_ids by one UPDATE once the collections are
        # written: held here, they cost more memory than the collections' answers.
        groups: dict = {}  # key -> [record_id, EnrollmentID, UserID, DateCreated, DateUpdated, Answers]
        own = OwnCells(self.users)

        def group(r, record_id):
            key = (r["EnrollmentID"], r["InformationDate"], r["DataCollectionStage"])
            entry = groups.get(key)
            if entry is None:
                entry = groups[key] = [record_id, r["EnrollmentID"], r["UserID"], r["DateCreated"], r["DateUpdated"],
                                       Answers(len(slot))]
            return entry

        for file_name, columns in ASSESSMENT_COLUMNS.items():
            key_column = ASSESSMENT_KEYS[file_name]
            places = [(column, slot[name]) for column, name in columns]
            for r in self.stream(file_name):
                entry = group(r, r[key_column])
                if file_name != "IncomeBenefits.csv":
                    own.add(entry, r, file_name, r[key_column], entry[0])
                answers = entry[5]
                for column, place in places:
                    answers.set(place, r[column])
        for r in self.stream("Disabilities.csv"):
            if r["DisabilityType"] not in of_type:
                continue
            name, indefinite = of_type[r["DisabilityType"]]
            # Our own DisabilitiesID is "<collection>-<type>": the collection's record_id.
            entry = group(r, str(r["DisabilitiesID"]).rsplit("-", 1)[0])
            own.add(entry, r, "Disabilities.csv", r["DisabilitiesID"], f"{entry[0]}-{r['DisabilityType']}",
                    str(r["DisabilityType"]))
            answers = entry[5]
            answers.set(slot[name], r["DisabilityResponse"])
            if indefinite:
                answers.set(slot[indefinite], r["IndefiniteAndImpairs"])
            if r["DisabilityType"] == HIV_AIDS:
                for field_name, column in HIV_FOLLOW_UPS:
                    answers.set(slot[field_name], r[column])
        names = list(slot)
        # changed for file_ids: a full refresh (Export.csv ExportDirective 2) carries every row of a
        # collection it names, so a row a re-import no longer finds is gone: its answers are cleared
        # (a delta refresh, 1, carries only changed rows: what it does not name stays).
        export_row = next((row for _, row in self.parsed.rows.get("Export.csv", [])[:1]), None)
        full_refresh = export_row is not None and export_row["ExportDirective"] == 2
        known = self.keys["IncomeBenefits.csv"]

        def items():
            for (_, day, stage), entry in groups.items():
                values = {"stage": stage, "information_date": day}
                for place, value in entry[5].given():
                    name = names[place]
                    values[name] = "" if value is None and name.endswith("_identify") else value
                if full_refresh and entry[0] in known:  # changed for file_ids: loaded before
                    for name in names:
                        values.setdefault(name, "" if name.endswith("_identify") else None)
                own.seen(entry[0])  # changed for file_ids
                yield entry[0], entry[2], self.of_a_stay(entry[1], entry[3], values, entry[4])

        self._upsert_records(Assessment, "IncomeBenefits.csv", items())
        groups.clear()
        own.write(self.keys["IncomeBenefits.csv"])

    def _simple_records(self) -> None:
        from enrollments.models import CeAssessment, CeEvent, CurrentLivingSituation, Service

        def of(file_name, key_column, values):
            for r in self.stream(file_name):
                yield r[key_column], r["UserID"], self.of_a_stay(r["EnrollmentID"], r["DateCreated"], values(r),
                                                                 r["DateUpdated"])

        self._upsert_records(Service, "Services.csv", of("Services.csv", "ServicesID", lambda r: {
            "date_provided": r["DateProvided"], "information_date": r["DateProvided"],
            "record_type": r["RecordType"], "type_provided": r["TypeProvided"]}))
        self._upsert_records(CurrentLivingSituation, "CurrentLivingSituation.csv", of(
            "CurrentLivingSituation.csv", "CurrentLivingSitID", lambda r: {
                "information_date": r["InformationDate"], "current_living_situation": r["CurrentLivingSituation"],
                "location_details": (r["LocationDetails"] or "")[:250]}))
        self._upsert_records(CeAssessment, "Assessment.csv", of("Assessment.csv", "AssessmentID", lambda r: {
            "information_date": r["AssessmentDate"], "assessment_location": r["AssessmentLocation"][:250],
            "assessment_type": r["AssessmentType"], "assessment_level": r["AssessmentLevel"],
            "prioritization_status": r["PrioritizationStatus"]}))
        self._upsert_records(CeEvent, "Event.csv", of("Event.csv", "EventID", lambda r: {
            "information_date": r["EventDate"], "event": r["Event"], "referral_result": r["ReferralResult"],
            "result_date": r["ResultDate"], "prob_sol_div_rr_result": r["ProbSolDivRRResult"],
            "referral_case_manage_after": r["ReferralCaseManageAfter"],
            "location_crisis_or_ph_housing": (r["LocationCrisisOrPHHousing"] or "")[:250]}))
        self._ce_assessment_answers()

    def of_a_stay(self, stay, made, values: dict, updated=None) -> dict:
        """A stay's record's field values with the stay, its agency, DateCreated and DateUpdated."""
        enrollment_pk, agency_pk = self.enrollments[stay]
        return {**values, "enrollment_id": enrollment_pk, "agency_id": agency_pk, "entered_at": _aware(made),
                "updated_at": _aware(updated)}

    def _ce_assessment_answers(self) -> None:
        """4.19.5/4.19.6: AssessmentQuestions.csv and AssessmentResults.csv, under the CE
        assessments just written (their IDs here by the AssessmentIDs of Assessment.csv)."""
        from enrollments.models import CeAssessment, CeAssessmentQuestion, CeAssessmentResult

        record_of = self.keys["Assessment.csv"]
        pk_of = dict(CeAssessment.objects.filter(record_id__in=list(record_of.values()))
                     .values_list("record_id", "pk"))

        def under(r, values):
            return {**values, "assessment_id": pk_of[record_of.get(r["AssessmentID"], r["AssessmentID"])],
                    "entered_at": _aware(r["DateCreated"]), "updated_at": _aware(r["DateUpdated"])}

        self._upsert_records(CeAssessmentQuestion, "AssessmentQuestions.csv", (
            (r["AssessmentQuestionID"], r["UserID"], under(r, {
                "question_group": r["AssessmentQuestionGroup"] or "", "question_order": r["AssessmentQuestionOrder"],
                "question": r["AssessmentQuestion"], "answer": r["AssessmentAnswer"] or ""}))
            for r in self.stream("AssessmentQuestions.csv")))
        self._upsert_records(CeAssessmentResult, "AssessmentResults.csv", (
            (r["AssessmentResultID"], r["UserID"], under(r, {
                "result_type": r["AssessmentResultType"], "result": r["AssessmentResult"] or ""}))
            for r in self.stream("AssessmentResults.csv")))

    def _upsert_records(self, model, file_name, items, batch_size: int = 5000) -> None:
        """items: (external ID, UserID, field values by attname) for a model with record_id (see
        ``of_a_stay``), written a batch at a time: new records by COPY without a model instance each,
        records already here (a re-import) updated only where a value changed (H3: re-importing
        the same export changes nothing)."""
        created = updated = seen = 0
        batch = []
        for item in items:
            seen += 1
            batch.append(item)
            if len(batch) == batch_size:
                c, u = self._upsert_batch(model, file_name, batch)
                created, updated, batch = created + c, updated + u, []
        if batch:
            c, u = self._upsert_batch(model, file_name, batch)
            created, updated = created + c, updated + u
        self.counts[file_name] = {"created": created, "updated": updated, "unchanged": seen - created - updated}

    def _upsert_batch(self, model, file_name, batch) -> tuple[int, int]:
        from hmis.bulk import insert_rows

        existing = model.objects.in_bulk(self.sent_before(file_name, [ext for ext, _, _ in batch]),
                                         field_name="record_id")
        fresh, changed, changed_fields = [], [], set()
        for ext, user, values in batch:
            record = existing.get(self.local_id(file_name, ext))
            if record is None:
                fresh.append((ext, user, values))
                continue
            differing = [name for name, value in values.items() if getattr(record, name) != value]
            if differing:
                for name in differing:
                    setattr(record, name, values[name])
                changed.append(record)
                changed_fields.update(differing)
            self.remember(file_name, ext, record.record_id)
        if fresh:
            wanted = [str(ext) for ext, _, _ in fresh if len(str(ext)) <= 32]
            taken = set(model.objects.filter(record_id__in=wanted).values_list("record_id", flat=True))
            make_id = model._meta.get_field("record_id").default
            shapes = defaultdict(list)  # the fields given -> rows: a field not given keeps its default
            for ext, user, values in fresh:
                record_id = str(ext) if len(str(ext)) <= 32 and str(ext) not in taken else make_id()
                taken.add(record_id)
                shapes[tuple(values)].append((record_id, self.users[user].pk, *values.values()))
                self.remember(file_name, ext, record_id)
            for shape, rows in shapes.items():
                insert_rows(model, ["record_id", "entered_by_id", *shape], rows)
        update_objects(model, changed, sorted(changed_fields))
        return len(fresh), len(changed)


CLIENT_COLUMNS = {
    "first_name": "FirstName", "middle_name": "MiddleName", "last_name": "LastName", "name_suffix": "NameSuffix",
    "name_data_quality": "NameDataQuality", "ssn_data_quality": "SSNDataQuality", "dob": "DOB",
    "dob_data_quality": "DOBDataQuality", "sex": "Sex", "am_ind_ak_native": "AmIndAKNative", "asian": "Asian",
    "black_af_american": "BlackAfAmerican", "hispanic_latinao": "HispanicLatinao", "mid_east_n_african": "MidEastNAfrican",
    "native_hi_pacific": "NativeHIPacific", "white": "White", "race_none": "RaceNone",
    "additional_race_ethnicity": "AdditionalRaceEthnicity", "veteran_status": "VeteranStatus",
}
# Empty HUD answers are kept empty (H3): data quality counts them. The race columns cannot hold
# empty (0 = not selected): an empty one is stored as not selected, and the warning says so.
STORED_WHEN_EMPTY = {"Client.csv": {column: 0 for column in spec.RACE_COLUMNS}}
CLIENT_DEFAULTS = {"dob": None, "race_none": None, "sex": None, "name_data_quality": None, "ssn_data_quality": None,
                   "dob_data_quality": None, "veteran_status": None,
                   **{attr: False for attr in ("am_ind_ak_native", "asian", "black_af_american", "hispanic_latinao",
                                               "mid_east_n_african", "native_hi_pacific", "white")}}
EXIT_COLUMNS = {
    "exit_date": "ExitDate", "destination": "Destination", "destination_subsidy_type": "DestinationSubsidyType",
    "other_destination": "OtherDestination",
}
ENROLLMENT_COLUMNS = {
    "entry_date": "EntryDate", "household_id": "HouseholdID", "relationship_to_hoh": "RelationshipToHoH",
    "enrollment_coc": "EnrollmentCoC", "living_situation": "LivingSituation",
    "rental_subsidy_type": "RentalSubsidyType", "length_of_stay": "LengthOfStay",
    "los_under_threshold": "LOSUnderThreshold", "previous_street_essh": "PreviousStreetESSH",
    "date_to_street_essh": "DateToStreetESSH", "times_homeless_past_three_years": "TimesHomelessPastThreeYears",
    "months_homeless_past_three_years": "MonthsHomelessPastThreeYears", "disabling_condition": "DisablingCondition",
    "date_of_engagement": "DateOfEngagement", "move_in_date": "MoveInDate",
}
