"""Rules for the Universal Data Elements, shared by the intake, corrections and the API.

Refusals are valid answers (D3): "Client doesn't know" (8), "Client prefers not to
answer" (9) and "Data not collected" (99) need no value; a full or partial answer
needs one.
"""

from datetime import date

from .hud_lists import RACE_FIELDS, REFUSALS


def ssn_digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def validate_udes(data: dict, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
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
