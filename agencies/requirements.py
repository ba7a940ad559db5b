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
    # Federal partners' elements on Enrollment.csv, Exit.csv, Client.csv (enrollments/elements.py
    # PARTNER_ELEMENTS: who is asked, when, which questions).
    "P3": "PATH: PATH status",
    "R1": "RHY: referral source",
    "R2": "RHY: Basic Center Program status",
    "R11": "RHY: formerly a ward of child welfare or foster care",
    "R12": "RHY: formerly a ward of the juvenile justice system",
    "R13": "RHY: family critical issues",
    "R15": "RHY: commercial sexual exploitation / sex trafficking (at exit)",
    "R16": "RHY: labor exploitation / trafficking (at exit)",
    "R17": "RHY: project completion status (at exit)",
    "R18": "RHY: counseling (at exit)",
    "R19": "RHY: safe and appropriate exit (at exit)",
    "R20": "RHY: aftercare plans (after exit)",
    "V1": "VA: veteran’s information (veterans)",
    "V4": "VA: percent of AMI (SSVF eligibility)",
    "V6": "VA: VAMC station number",
    "V7": "VA: HP targeting criteria (SSVF homelessness prevention)",
    "V9": "VA: HUD-VASH exit information",
    "V10": "VA: mental health consultation (SSVF)",
    "W5": "HOPWA: housing assessment at exit",
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
# Federal partners' program manuals (PATH, RHY, VA Data Guide, HUD-VASH, HOPWA HMIS manuals).
# RHY: the Basic Center Program (22) alone has R2 "BCP status"; the Street Outreach Project (25)
# collects the universal elements, contacts and engagement, not the residential projects'
# R1, R11–R13 and exit elements (RHY Program HMIS Manual, data collection by component).
RHY_RESIDENTIAL_FUNDING = {22, 23, 24, 26}
BCP_FUNDING = 22
SSVF_FUNDING, HUD_VASH_FUNDING = 33, 20
# VA-funded projects collecting veteran's information (V1) and the VAMC station (V6): HUD-VASH,
# VA CRS, community contract safe haven, SSVF, Grant Per Diem.
VA_FUNDING = {20, 27, 30, 33, 37, 38, 39, 40, 41, 42, 45}

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
    if PATH_FUNDING in funders:
        elements.append("P3")
    if funders & RHY_RESIDENTIAL_FUNDING:
        elements += ["R1", "R11", "R12", "R13", "R15", "R16", "R17", "R18", "R19", "R20"]
    if BCP_FUNDING in funders:
        elements.append("R2")
    if funders & VA_FUNDING:
        elements += ["V1", "V6"]
    if SSVF_FUNDING in funders:
        elements += ["V4", "V10"]
        if project.project_type == ProjectType.PREVENTION:
            elements.append("V7")
    if HUD_VASH_FUNDING in funders:
        elements.append("V9")
    if funders & HOPWA_FUNDING:
        elements.append("W5")
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


def required_partner_fields(project) -> set[str]:
    """D2: the root questions of the federal partners' elements the project requires
    (those HUD asks when known, such as PATH status, are offered but not required)."""
    from enrollments.elements import PARTNER_BY_CODE

    return {q for code in required_elements(project) if code in PARTNER_BY_CODE and PARTNER_BY_CODE[code].required
            for q in PARTNER_BY_CODE[code].asks}


def collected_elements(project) -> set[str]:
    """The assessment elements a project's forms ask: the common ones always, the rest
    where required (D2)."""
    return COMMON_ELEMENTS | set(required_elements(project))
