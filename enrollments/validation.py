"""Rules of a project stay: the HUD conditional questions of 3.917, plausible dates."""

from datetime import date

from .hud_lists import HOMELESS_SITUATIONS, INSTITUTIONAL_SITUATIONS

REFUSALS = {8, 9, 99}
SHORT_STAYS = {10, 11}  # one night or less, two to six nights
SHORT_INSTITUTIONAL_STAYS = {10, 11, 2, 3}  # under 90 days


def prior_living_situation_errors(data: dict) -> dict[str, str]:
    """3.917: which follow-up questions the answer to 'prior living situation' requires.
    Also sets los_under_threshold, which follows from the length of stay."""
    errors: dict[str, str] = {}
    situation = data.get("living_situation")
    if situation is None:
        errors["living_situation"] = "Choose the prior living situation, or why it was not collected."
        return errors
    if situation in REFUSALS:
        return errors
    stay = data.get("length_of_stay")
    if stay is None:
        errors["length_of_stay"] = "Say how long the client stayed there."
        return errors
    homeless = situation in HOMELESS_SITUATIONS
    if not homeless:
        short = SHORT_INSTITUTIONAL_STAYS if situation in INSTITUTIONAL_SITUATIONS else SHORT_STAYS
        data["los_under_threshold"] = 1 if stay in short else 0
        if not data["los_under_threshold"]:
            return errors
        if data.get("previous_street_essh") is None:
            errors["previous_street_essh"] = "Say whether the client was on the streets, in shelter or a safe haven the night before."
            return errors
        if data["previous_street_essh"] != 1:
            return errors
    for field, message in (
        ("times_homeless_past_three_years", "Say how many times the client was homeless in the past three years."),
        ("months_homeless_past_three_years", "Say how many months the client was homeless in the past three years."),
    ):
        if data.get(field) is None:
            errors[field] = message
    if data.get("date_to_street_essh") is None and data.get("times_homeless_past_three_years") not in REFUSALS:
        errors["date_to_street_essh"] = "Enter the approximate date this episode of homelessness started."
    elif data.get("date_to_street_essh") and data.get("entry_date") and data["date_to_street_essh"] > data["entry_date"]:
        errors["date_to_street_essh"] = "The homelessness start date cannot be after the project start date."
    return errors


def age_on(dob: date | None, day: date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
