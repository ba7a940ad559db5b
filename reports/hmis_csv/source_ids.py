"""H3: the IDs another system's HMIS CSV gave its organizations, projects, descriptor rows,
users and exits, kept so that exporting them gives the same IDs back.

Rows made here are exported under their primary key (``1``, ``2``...), rows kept from an
import under ``hud_id``. The collision rule: an import keeps a row's ID unless another row
of the same kind here is already exported under it (its ``hud_id``, or its pk when it has
none); that row then exports under its own pk, and the import lists nothing (ExternalKey still
finds it on the next import). A kept ID that is a whole number moves the table's sequence past
it, so no row made here later takes the same number.

The same rule holds for the own IDs of the rows of HealthAndDV, EmploymentEducation,
YouthEducationStatus and Disabilities kept in Assessment.file_ids (importer.OwnCells.write):
a row keeps its ID unless another collection here already exports a row of the same file
under it (an ID kept by another import, or its own record_id, ``<record_id>-<type>`` for a
Disabilities row); it then exports under its collection's ID. A re-import of a source sets
file_ids of each collection it carries to exactly what the newer export says.
"""

from django.db import connection

# A whole-number ID above this is not reserved in the sequence: no row made here reaches it.
LARGEST_RESERVED = 2**53


def export_id(record) -> str:
    return record.hud_id or str(record.pk)


def implementation_id() -> str:
    """Export.csv's ImplementationID: names this installation, the same in each of its exports
    and different in every other installation (derived from its PII key, which it does not reveal).
    An export carrying it is this HMIS's own, whose IDs are the IDs of the records here
    (importer.Loader.own_export); any other export's IDs are its source's, never read as ours."""
    from hmis.crypto import keyed_hash

    return f"openhmis-{keyed_hash('hmis-csv-implementation-id', 'this installation')[:16]}"


# Organizations: agency names are unique here (people tell agencies apart by name), HMIS CSV's
# OrganizationName is not. A second organization of a name already taken by another organization
# of the same export loads under the name with its OrganizationID added, and exports under the name
# it came with, so the two stay two and both come back as the source had them.
NAME_LENGTH = 200


def _twin_suffix(organization_id) -> str:
    return f" [OrganizationID {organization_id}]"


def twin_name(name: str, organization_id) -> str:
    """The agency name here of the organization ``organization_id`` whose name another took."""
    suffix = _twin_suffix(organization_id)
    return name[: NAME_LENGTH - len(suffix)] + suffix


def organization_name(agency) -> str:
    """OrganizationName of an agency: its name, less the OrganizationID ``twin_name`` added."""
    suffix = _twin_suffix(agency.hud_id) if agency.hud_id else None
    if suffix and agency.name.endswith(suffix):
        return agency.name[: -len(suffix)]
    return agency.name


def sql(alias: str) -> str:
    """The same in SQL, for export_sql.py."""
    return f"COALESCE({alias}.hud_id, {alias}.id::text)"


def taken(model, wanted: str, pk=None) -> bool:
    """Whether another row of ``model`` already exports under ``wanted``."""
    others = model.objects.exclude(pk=pk) if pk is not None else model.objects.all()
    if others.filter(hud_id=wanted).exists():
        return True
    return wanted.isdigit() and others.filter(pk=int(wanted), hud_id__isnull=True).exists()


def find(model, wanted: str, **within):
    """The row here exported under ``wanted`` (an earlier export of this HMIS, or a row an
    earlier import kept), among ``within``; None when there is none."""
    rows = model.objects.filter(**within)
    found = rows.filter(hud_id=wanted).first()
    if found is None and str(wanted).isdigit():
        found = rows.filter(pk=int(wanted), hud_id__isnull=True).first()
    return found


def keep(model, record, wanted) -> None:
    """Give ``record`` (saved or not) the source's ID when the collision rule allows it."""
    wanted = str(wanted) if wanted is not None else ""
    if not wanted or len(wanted) > 32 or record.hud_id == wanted:
        return
    if record.pk is not None and record.hud_id is None and str(record.pk) == wanted:
        return  # it already exports under it
    if not taken(model, wanted, record.pk):
        record.hud_id = wanted


def reserve(model, ids) -> None:
    """Move ``model``'s primary key sequence past the whole-number IDs kept, so a row made
    here later never exports under one of them."""
    numbers = [int(i) for i in ids if i and str(i).isdigit() and int(i) <= LARGEST_RESERVED]
    if not numbers:
        return
    top, table = max(numbers), model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence})))",
                           [sequence, top])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            current = cursor.fetchone()
            if current is None:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top])
            elif current[0] < top:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top, table])
