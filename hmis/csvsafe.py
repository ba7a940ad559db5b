"""CSV for people: cells a spreadsheet would run as a formula are neutralized.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
taken for a formula by Excel, LibreOffice or Google Sheets when a person opens the
file (CSV / formula injection: a project or agency name typed as
``=HYPERLINK(...)`` runs in the reader's spreadsheet). OWASP's advice is to prefix
such a cell with a single quote, which the spreadsheet shows as text.

Use ``csvsafe.writer(file)`` instead of ``csv.writer(file)`` for every CSV a person
downloads (HUD report tables, de-identified extracts, license and opt-out lists).
Plain numbers (int, float, Decimal values) are written as they are, so ``-5`` in a
numeric column stays a number.

HMIS CSV (``reports/hmis_csv/``) does NOT use this: it is machine interchange
between HMIS systems in HUD's exact format, and must round-trip byte for byte.
"""

import csv
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """The value to write for one cell: text a spreadsheet would run gets a leading ``'``."""
    if value is None or isinstance(value, (int, float, Decimal)):  # bool is an int
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through ``neutralize``."""

    def __init__(self, wrapped):
        self._writer = wrapped

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row):
        return self._writer.writerow([neutralize(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, *args, **kwargs) -> SafeWriter:
    """Same arguments as ``csv.writer``."""
    return SafeWriter(csv.writer(file, *args, **kwargs))
