"""Rules for the Universal Data Elements, shared by the intake, corrections and the API.

Refusals are valid answers (D3): "Client doesn't know" (8), "Client prefers not to
answer" (9) and "Data not collected" (99) need no value; a full or partial answer
needs one.
"""

import re
import unicodedata
from datetime import date

from .hud_lists import RACE_FIELDS, REFUSALS, DobQuality, NameQuality, NoYesReason, RefusalReason, Sex, SsnQuality

# Free-text fields of the client record: one line each, no control characters.
TEXT_FIELDS = ("first_name", "middle_name", "last_name", "name_suffix", "additional_race_ethnicity")
NAME_FIELDS = TEXT_FIELDS[:4]
# Coded fields and HUD's list for each (FY2026 data standards, sections as in hud_lists.py).
CODED_FIELDS = {
    "name_data_quality": NameQuality, "ssn_data_quality": SsnQuality, "dob_data_quality": DobQuality,
    "race_none": RefusalReason, "sex": Sex, "veteran_status": NoYesReason,
}
RACE_COLUMNS = {hud: field for field, hud, _ in RACE_FIELDS}
SSN_MAX_LENGTH = 11  # 123-45-6789
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)  # YYYY-MM-DD only, not other ISO 8601 forms


def ssn_digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def max_length(field: str) -> int:
    from .models import Client

    return Client._meta.get_field(field).max_length


def control_character_problem(value: str) -> str | None:
    """Names and other one-line texts hold no control characters (tab, line break, NUL,
    escape...), no line or paragraph separators and no lone surrogates: they break
    printouts, HMIS CSV exports and the database (PostgreSQL refuses NUL)."""
    for ch in value or "":
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
            return f"Contains a control character ({name}); type plain text on one line."
    return None


def text_errors(data: dict, fields=TEXT_FIELDS) -> dict[str, str]:
    """The one-line texts of the client record: no control characters, at most the
    model's length. Shared by the forms, the services and the API."""
    errors: dict[str, str] = {}
    for field in fields:
        value = data.get(field)
        if not isinstance(value, str) or not value:
            continue
        problem = control_character_problem(value)
        if problem:
            errors[field] = problem
        elif len(value) > max_length(field):
            errors[field] = f"At most {max_length(field)} characters (this has {len(value)})."
    return errors


def coded_error(value, choices) -> str | None:
    """A HUD code must be one of the list's integers (not a string, boolean or float)."""
    if type(value) is int and value in choices.values:
        return None
    listed = ", ".join(f"{code} ({label})" for code, label in choices.choices)
    return f"Use one of HUD's codes: {listed}."


def json_value_problem(value, max_depth: int = 6) -> str | None:
    """Any JSON body: nested at most max_depth deep, and no string (key or value) with a
    NUL or a lone surrogate, which no database column can hold. Walked without
    recursion, so a hostile body cannot exhaust the stack."""
    stack = [(value, "body", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > max_depth:
            return f"The body is nested more than {max_depth} levels deep."
        if isinstance(item, dict):
            for key, inner in item.items():
                if "\x00" in key or any(0xD800 <= ord(ch) <= 0xDFFF for ch in key):
                    return f"A key in '{where}' holds a NUL character or a lone surrogate."
                stack.append((inner, key if where == "body" else f"{where}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]", depth + 1) for i, inner in enumerate(item))
        elif isinstance(item, str):
            if "\x00" in item:
                return f"'{where}' holds a NUL character."
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in item):
                return f"'{where}' holds a lone surrogate (not valid Unicode text)."
    return None


def parse_client_fields(body: dict) -> tuple[dict, dict[str, str]]:
    """The Universal Data Elements of an API body, typed and checked against HUD's
    lists and the model's lengths: (fields for client_create, errors by field).
    Rules between fields (validate_udes) come after, on the typed values."""
    errors: dict[str, str] = {}
    fields: dict = {}
    for field in TEXT_FIELDS:
        value = body.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[field] = "Must be a string."
            continue
        fields[field] = value.strip()
    errors.update(text_errors(fields))

    ssn = body.get("ssn")
    if ssn is None:
        ssn = ""
    if not isinstance(ssn, str):
        errors["ssn"] = "Must be a string of digits, e.g. \"123-45-6789\"."
        ssn = ""
    elif len(ssn) > SSN_MAX_LENGTH or any(not (ch.isascii() and (ch.isdigit() or ch in " -")) for ch in ssn):
        errors["ssn"] = f"Digits, spaces and hyphens only, at most {SSN_MAX_LENGTH} characters."
        ssn = ""
    fields["ssn"] = ssn.strip()

    dob = body.get("dob")
    fields["dob"] = None
    if dob not in (None, ""):
        try:
            if not isinstance(dob, str) or not ISO_DATE.fullmatch(dob):
                raise ValueError
            fields["dob"] = date.fromisoformat(dob)
        except ValueError:
            errors["dob"] = "A date as YYYY-MM-DD."

    races = body.get("race")
    if races is None:
        races = []
    if not isinstance(races, list) or not all(isinstance(r, str) and r in RACE_COLUMNS for r in races):
        errors["race"] = f"A list of HMIS CSV race columns: {', '.join(RACE_COLUMNS)}."
        races = []
    fields.update({RACE_COLUMNS[r]: True for r in races})

    defaults = {
        "name_data_quality": NameQuality.FULL,
        "dob_data_quality": DobQuality.FULL if fields["dob"] else DobQuality.NOT_COLLECTED,
        "ssn_data_quality": SsnQuality.FULL if fields["ssn"] else SsnQuality.NOT_COLLECTED,
        "race_none": None if races else RefusalReason.NOT_COLLECTED,
        "sex": Sex.NOT_COLLECTED, "veteran_status": NoYesReason.NOT_COLLECTED,
    }
    for field, choices in CODED_FIELDS.items():
        value = body.get(field)
        if value is None:
            # Left out: HUD's "Data not collected" (or the usual answer); race_none: null is an answer.
            fields[field] = None if field == "race_none" and field in body else defaults[field]
            continue
        problem = coded_error(value, choices)
        if problem:
            errors[field] = problem
        else:
            fields[field] = value
    return fields, errors


def validate_udes(data: dict, today: date) -> dict[str, str]:
    errors: dict[str, str] = text_errors(data)  # the same text rules for the forms, the services and the API
    name_quality = int(data.get("name_data_quality") or 99)
    if name_quality in (1, 2) and not (data.get("first_name") or data.get("last_name")):
        errors["first_name"] = "Enter the name the client gave, or choose why it was not collected."
    if name_quality == 1 and not (data.get("first_name") and data.get("last_name")):
        errors["last_name"] = "A full name has a first and a last name; otherwise choose 'Partial'."

    ssn_quality = int(data.get("ssn_data_quality") or 99)
    digits = ssn_digits(data.get("ssn", ""))
    if ssn_quality == 1:
        if len(digits) != 9:
            errors["ssn"] = "A full SSN has 9 digits."
        elif digits[:3] in ("000", "666") or digits[0] == "9" or digits[3:5] == "00" or digits[5:] == "0000":
            errors["ssn"] = "That is not a valid SSN. Check the digits, or mark it approximate or partial."
    elif ssn_quality == 2:
        if not 4 <= len(digits) <= 9:
            errors["ssn"] = "Enter at least the last 4 digits the client gave."
    elif digits:
        errors["ssn"] = "Leave the SSN empty when the client does not know it, prefers not to answer, or it was not collected."

    dob_quality = int(data.get("dob_data_quality") or 99)
    dob = data.get("dob")
    if dob_quality in (1, 2):
        if not dob:
            errors["dob"] = "Enter the date of birth, or choose why it was not collected."
        elif dob > today:
            errors["dob"] = "The date of birth cannot be in the future."
        elif dob < date(today.year - 120, 1, 1):
            errors["dob"] = "That date of birth would make the client older than 120."
    elif dob:
        errors["dob"] = "Leave the date of birth empty when it was not given, or choose 'Full' or 'Approximate'."

    races = [field for field, _, _ in RACE_FIELDS if data.get(field)]
    race_none = data.get("race_none")
    if race_none and int(race_none) in REFUSALS and races:
        errors["race_none"] = "Choose races and ethnicities, or a reason none was given, not both."
    if not races and not race_none:
        errors["race_none"] = "Choose at least one race or ethnicity, or the reason none was given."
    return errors
