"""Bulk inserts for the synthetic data generator and the HMIS CSV importer (issue 8).

PostgreSQL ``COPY`` with primary keys taken from the table's sequence beforehand, so
that the caller knows every row's key without reading anything back; ``executemany``
on SQLite. Unlike ``bulk_create``, the objects' ``auto_now``/``auto_now_add`` values
are written as set (an import keeps the source's DateCreated), and no SQL is built
per row: at 100,000 clients the ORM's INSERT compilation alone took longer than the
whole import's target.

Like ``bulk_create`` and ``QuerySet.update``, this sends no ``save`` signals, so
django-auditlog records nothing per row: callers record the run itself (ImportRun).
"""

from django.db import connection
from django.utils import timezone

# Field types whose Python values psycopg writes as they are.
_PLAIN = {"AutoField", "BigAutoField", "BooleanField", "CharField", "TextField", "DateField", "DateTimeField",
          "DecimalField", "ForeignKey", "OneToOneField", "IntegerField", "BigIntegerField", "SmallIntegerField",
          "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "EmailField", "SlugField"}


def reserve_ids(cursor, table: str, count: int) -> int:
    """The first of ``count`` consecutive primary keys for ``table``, taken from its
    sequence (PostgreSQL) or after its highest key (SQLite, one writer at a time)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                       [table, table, max(count, 1)])
        return cursor.fetchone()[0] - max(count, 1) + 1
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """Write row tuples (in ``columns`` order) in one COPY, or executemany on SQLite."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def insert_objects(model, objects: list) -> list:
    """Insert new, unsaved instances of ``model`` as they are, and give them their keys.

    Every concrete field is written from the object; an ``auto_now``/``auto_now_add``
    field left empty gets the current time. Returns ``objects``."""
    if not objects:
        return objects
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    first = insert_rows(model, names, [tuple(getattr(obj, name) for name in names) for obj in objects])
    for i, obj in enumerate(objects):
        obj.pk = first + i
        obj._state.adding, obj._state.db = False, "default"
    return objects


def insert_rows(model, names: list[str], rows: list) -> int:
    """Insert ``rows`` (tuples of the fields ``names``, by attname: ``enrollment_id``, not
    ``enrollment``) into ``model``'s table and return the first of their consecutive keys.

    What ``insert_objects`` does without making a model instance per row (the importer's
    hundreds of thousands of records: ``Model.__init__`` alone cost more than the COPY).
    Fields not named get their default (a callable default is called per row, as Django
    does); an ``auto_now``/``auto_now_add`` field named but None, or not named, gets now."""
    if not rows:
        return 0
    on_postgresql = connection.vendor == "postgresql"
    now = timezone.now()
    position = {name: i for i, name in enumerate(names)}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = []  # per field: (index in the row or None, field to prepare with or None, fill-in value or callable)
    for f in fields:
        prepare = None if on_postgresql and type(f).__name__ in _PLAIN else f
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        if f.attname in position:
            plan.append((position[f.attname], prepare, now if stamped else None))
        elif stamped:
            plan.append((None, prepare, now))
        elif f.has_default() and callable(f.default):
            plan.append((None, prepare, f.default))
        else:
            plan.append((None, prepare, f.get_default()))

    def values(pk, row):
        out = [pk]
        for index, prepare, fill in plan:
            if index is None:
                value = fill() if callable(fill) else fill
            else:
                value = row[index]
                if value is None and fill is not None:
                    value = fill
            out.append(value if prepare is None else prepare.get_db_prep_save(value, connection))
        return out

    table = model._meta.db_table
    with connection.cursor() as cursor:
        first = reserve_ids(cursor, table, len(rows))
        copy_rows(cursor, table, ["id", *[f.column for f in fields]],
                  (values(first + i, row) for i, row in enumerate(rows)))
    return first


def update_objects(model, objects: list, names: list[str]) -> None:
    """Write the fields ``names`` of saved ``objects`` back, one UPDATE per object sent as one
    batch (psycopg's pipeline). ``bulk_update`` builds one CASE per field with a branch per
    object: each batch costs its size squared, and a re-import of 20,000 clients spent minutes
    there. Sends no signals, as ``bulk_update`` does not."""
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk]
                                 for obj in objects])
