"""D2: which HUD program-specific data elements a project collects.

Universal Data Elements are required in every project. Program-specific elements
start from defaults by project type and funder; the HMIS Lead may change them per
project (Project.required_elements, None meaning "the defaults")."""

from .hud_lists import FundingSource, ProjectType

ELEMENTS = {
    "4.02": "Income and sources",
    "4.03": "Non-cash benefits",
    "4.04": "Health insurance",
    "4.05-4.10": "Disabilities (physical, developmental, chronic health, HIV/AIDS, mental health, substance use)",
    "4.11": "Domestic violence",
    "W3": "HOPWA: ADAP and Ryan White medical assistance",
    "W4-W6": "HOPWA: T-cell count, viral load and anti-retroviral medication (clients with HIV/AIDS)",
    "P4": "PATH: connection with SOAR",
    "R4-R6": "RHY: last grade completed, school status, employment status",
    "R7-R9": "RHY: general, dental and mental health status",
    "R10": "RHY: pregnancy status",
    "C3": "CoC youth projects (YHDP): youth education status",
    "4.12": "Current living situation at each contact",
    "4.13": "Date of engagement",
    "4.14": "Bed nights",
    "4.19": "Coordinated entry assessment",
    "4.20": "Coordinated entry event",
}

# The form fields that answer each element.
ELEMENT_FIELDS = {
    "4.02": ["income_from_any_source"],
    "4.03": ["benefits_from_any_source"],
    "4.04": ["insurance_from_any_source"],
    "4.05-4.10": ["physical_disability", "developmental_disability", "chronic_health_condition", "hiv_aids",
                  "mental_health_disorder", "substance_use_disorder"],
    "4.11": ["domestic_violence_survivor"],
    "4.13": ["date_of_engagement"],
}
# The assessment elements' questions are in enrollments/elements.py (one table for forms,
# services and HMIS CSV): their root questions are the required answers.
ASSESSMENT_ELEMENTS = ("4.02", "4.03", "4.04", "4.05-4.10", "4.11", "W3", "W4-W6", "P4", "R4-R6", "R7-R9", "R10", "C3")
# Every project's assessment form offers the common program-specific elements (answered
# when known, required where D2 says); the federal partners' own elements only where required.
COMMON_ELEMENTS = {"4.02", "4.03", "4.04", "4.05-4.10", "4.11"}
HOPWA_FUNDING = set(range(13, 20))
RHY_FUNDING = set(range(22, 27))
PATH_FUNDING, YHDP_FUNDING = 21, 43

NOT_PROGRAM_FUNDING = {FundingSource.LOCAL_OTHER, FundingSource.NOT_APPLICABLE}


def default_elements(project) -> list[str]:
    funders = {f.funder for f in project.funders.all()}
    federally_funded = bool(funders - NOT_PROGRAM_FUNDING)
    elements = []
    if federally_funded and project.project_type != ProjectType.COORDINATED_ENTRY:
        elements += ["4.02", "4.03", "4.04", "4.05-4.10", "4.11"]
    if funders & HOPWA_FUNDING:
        elements += ["W3", "W4-W6"]
    if PATH_FUNDING in funders:
        elements.append("P4")
    if funders & RHY_FUNDING:
        elements += ["R4-R6", "R7-R9", "R10"]
    if YHDP_FUNDING in funders:
        elements.append("C3")
    if project.project_type in (ProjectType.STREET_OUTREACH, ProjectType.SERVICES_ONLY) and federally_funded:
        elements.append("4.13")
    if project.project_type in (ProjectType.STREET_OUTREACH, ProjectType.ES_NIGHT_BY_NIGHT):
        elements.append("4.12")
    if project.project_type == ProjectType.ES_NIGHT_BY_NIGHT:
        elements.append("4.14")
    if project.project_type == ProjectType.COORDINATED_ENTRY:
        elements += ["4.19", "4.20"]
    return sorted(elements)


def required_elements(project) -> list[str]:
    if project.required_elements is None:
        return default_elements(project)
    return [e for e in project.required_elements if e in ELEMENTS]


def required_fields(project) -> set[str]:
    from enrollments.elements import BY_CODE

    fields = {field for element in required_elements(project) for field in ELEMENT_FIELDS.get(element, [])}
    return fields | {q for element in required_elements(project) if element in BY_CODE for q in BY_CODE[element].asks}


def collected_elements(project) -> set[str]:
    """The assessment elements a project's forms ask: the common ones always, the rest
    where required (D2)."""
    return COMMON_ELEMENTS | set(required_elements(project))
