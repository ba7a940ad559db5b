"""Rules of a project stay: the HUD conditional questions of 3.917, plausible dates."""

from datetime import date

from .hud_lists import HOMELESS_SITUATIONS, INSTITUTIONAL_SITUATIONS, RENTAL_WITH_SUBSIDY

REFUSALS = {8, 9, 99}
SHORT_STAYS = {10, 11}  # one night or less, two to six nights
SHORT_INSTITUTIONAL_STAYS = {10, 11, 2, 3}  # under 90 days

# 3.917A "Prior Living Situation" is HUD's version for Street Outreach, Emergency Shelter
# (entry/exit and night-by-night) and Safe Haven; every other project type, Day Shelter
# (11) and Coordinated Entry (14) included, collects 3.917B (FY2026 HMIS Data Standards
# Manual, 3.917; the Data Dictionary names the two versions by these project types).
FORM_A_PROJECT_TYPES = frozenset({0, 1, 4, 8})
PRIOR_LIVING_FIELDS = [
    "living_situation", "rental_subsidy_type", "length_of_stay", "los_under_threshold", "previous_street_essh",
    "date_to_street_essh", "times_homeless_past_three_years", "months_homeless_past_three_years",
]
HISTORY = ["date_to_street_essh", "times_homeless_past_three_years", "months_homeless_past_three_years"]
# Not a question on the form: "was the stay under 7 nights (90 days in an institution)"
# follows from the length of stay, so asking both could only let them disagree.
DERIVED = {"los_under_threshold"}


def los_under_threshold(situation, length_of_stay) -> int | None:
    """3.917.2A/B (list 1.7): Yes when the stay was under HUD's threshold for the
    situation's group (90 days for an institution, 7 nights otherwise); 99 when the length
    of stay is not known; None when not asked (a homeless situation)."""
    if situation is None or situation in REFUSALS or situation in HOMELESS_SITUATIONS or length_of_stay is None:
        return None
    if length_of_stay in REFUSALS:
        return 99
    short = SHORT_INSTITUTIONAL_STAYS if situation in INSTITUTIONAL_SITUATIONS else SHORT_STAYS
    return 1 if length_of_stay in short else 0


def prior_living_questions(project_type, answers: dict) -> list[str]:
    """3.917: the fields HUD asks, in order, given the project type and the answers so
    far. One function for the forms (what to show), the services (what to keep and
    require) and data quality (what should have been answered).

    3.917A (ES, SH, SO) asks every question of everyone: people there are homeless by
    definition. 3.917B asks the homelessness history only when the person came from a
    homeless situation, or from a short stay elsewhere (under 90 days in an institution,
    under 7 nights in temporary or permanent housing) with the night before on the
    streets, in emergency shelter or a safe haven. An unknown or refused situation in
    3.917B asks only the length of stay: with no group, HUD's flow has no next question.
    The rental subsidy type (3.917.A) follows "Rental by client, with ongoing subsidy".
    """
    situation = answers.get("living_situation")
    asked = ["living_situation"]
    if situation == RENTAL_WITH_SUBSIDY:
        asked.append("rental_subsidy_type")
    asked.append("length_of_stay")
    if project_type in FORM_A_PROJECT_TYPES:
        return asked + HISTORY
    if situation is None or situation in REFUSALS:
        return asked
    if situation in HOMELESS_SITUATIONS:
        return asked + HISTORY
    asked.append("los_under_threshold")
    if los_under_threshold(situation, answers.get("length_of_stay")) != 1:
        return asked
    asked.append("previous_street_essh")
    if answers.get("previous_street_essh") != 1:
        return asked
    return asked + HISTORY


def prior_living_answers(project_type, data: dict) -> tuple[dict, dict[str, str]]:
    """The 3.917 answers to store, and the errors: an answer to a question that does
    not apply is cleared (it was typed before an earlier answer changed the path), a
    question that applies must be answered (a refusal is an answer, D3)."""
    asked = prior_living_questions(project_type, data)
    answers = {name: (data.get(name) if name in asked else None) for name in PRIOR_LIVING_FIELDS}
    if answers["living_situation"] in REFUSALS and answers["length_of_stay"] is None:
        # Where the situation was not collected, neither was its length: HUD's 99 says so.
        answers["length_of_stay"] = 99
    if "los_under_threshold" in asked:
        answers["los_under_threshold"] = los_under_threshold(answers["living_situation"], answers["length_of_stay"])
    errors: dict[str, str] = {}
    messages = {
        "living_situation": "Choose the prior living situation, or why it was not collected.",
        "rental_subsidy_type": "Choose the type of the ongoing housing subsidy.",
        "length_of_stay": "Say how long the client stayed there.",
        "previous_street_essh": "Say whether the client was on the streets, in shelter or a safe haven the night before.",
        "times_homeless_past_three_years": "Say how many times the client was homeless in the past three years.",
        "months_homeless_past_three_years": "Say how many months the client was homeless in the past three years.",
    }
    for name in asked:
        if name in messages and answers.get(name) in (None, ""):
            errors[name] = messages[name]
    if "date_to_street_essh" in asked:
        started, entry = answers.get("date_to_street_essh"), data.get("entry_date")
        if started is None and answers.get("times_homeless_past_three_years") not in REFUSALS:
            errors["date_to_street_essh"] = "Enter the approximate date this episode of homelessness started."
        elif started and entry and started > entry:
            errors["date_to_street_essh"] = "The homelessness start date cannot be after the project start date."
    return answers, errors


def age_on(dob: date | None, day: date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _blank(value) -> bool:
    return value is None or value == ""


def assessment_errors(answers: dict, questions) -> dict[str, str]:
    """H1: the dependent questions of 4.02–4.11, W3–W6, R4–R10 and C3, per HUD. Changes
    ``answers`` in place: follow-ups whose question was not answered so as to ask them
    are cleared (a plain HTML form shows them all), income sources and non-cash benefit
    and insurance types not marked Yes when "from any source" is Yes or No are No, and
    a blank total is the sum of the amounts. Returns {field: message}."""
    from decimal import Decimal

    from .elements import BENEFIT_SOURCES, FOLLOW_UPS, INCOME_SOURCES, INSURANCE_TYPES, REQUIRED_FOLLOW_UPS

    asked = set(questions)
    errors: dict[str, str] = {}
    for field, (parent, values) in FOLLOW_UPS.items():
        if field in asked and answers.get(parent) not in values:
            answers[field] = "" if field.endswith("_identify") else None

    def sources(any_source, fields, none_message):
        if any_source not in asked:
            return []
        value = answers.get(any_source)
        if value in (0, 1):
            for name in fields:
                answers[name] = 1 if answers.get(name) in (1, True) and value == 1 else 0
            if value == 1 and not any(answers[name] == 1 for name in fields):
                errors[any_source] = none_message
        return [name for name in fields if answers.get(name) == 1]

    income_yes = sources("income_from_any_source", [s for s, _, _, _, _ in INCOME_SOURCES],
                         "Mark each source of income, since the client has income from a source.")
    total = Decimal("0")
    for source, _, amount, _, _ in INCOME_SOURCES:
        if source in income_yes:
            if _blank(answers.get(amount)) or Decimal(answers[amount]) <= 0:
                errors[amount] = "Enter the monthly amount (more than $0) of this source."
            else:
                total += Decimal(answers[amount])
        elif amount in asked:
            answers[amount] = None
    if answers.get("income_from_any_source") == 1 and not any(a in errors for _, _, a, _, _ in INCOME_SOURCES):
        given = answers.get("total_monthly_income")
        if _blank(given):
            answers["total_monthly_income"] = total  # 4.02.18 is the sum of the amounts
        elif Decimal(given) != total:
            errors["total_monthly_income"] = (f"The total must equal the sum of the amounts (${total:,.2f}); "
                                              "leave it blank to have it added up.")
    if "other_income_source" in income_yes and _blank(answers.get("other_income_source_identify")):
        errors["other_income_source_identify"] = "Say what the other source of income is."
    benefits_yes = sources("benefits_from_any_source", [s for s, _, _ in BENEFIT_SOURCES],
                           "Mark each non-cash benefit, since the client receives one.")
    if "other_benefits_source" in benefits_yes and _blank(answers.get("other_benefits_source_identify")):
        errors["other_benefits_source_identify"] = "Say what the other non-cash benefit is."
    insured = sources("insurance_from_any_source", [t for t, _, _, _, _ in INSURANCE_TYPES],
                      "Mark each type of health insurance, since the client is insured.")
    if "other_insurance" in insured and _blank(answers.get("other_insurance_identify")):
        errors["other_insurance_identify"] = "Say what the other health insurance is."
    for kind, _, reason, _, _ in INSURANCE_TYPES:
        if reason and kind in insured:
            answers[reason] = None  # a reason not insured is asked only without that insurance
    for field in REQUIRED_FOLLOW_UPS & asked:
        parent, values = FOLLOW_UPS[field]
        if answers.get(parent) in values and _blank(answers.get(field)):
            errors[field] = "Answer this follow-up question, or choose why it was not collected."
    return errors
