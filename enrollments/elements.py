"""Program-specific data elements collected with an assessment (H1): which questions
each element has, at which collection points (5.03) and of whom HUD asks it, and which
HMIS CSV file carries it. Forms, services and the HMIS CSV export and import all read
this one table.

Sources: FY2026 HMIS Data Standards Manual and Data Dictionary ("Collection point" and
"Subjects" of each element), HMIS CSV FY2026 columns (reports/hmis_csv/), value lists
from the FY2024 picklists (unchanged for these elements in FY2026).
"""

from dataclasses import dataclass
from datetime import date

from .hud_lists import DataCollectionStage

START, UPDATE, EXIT, ANNUAL = (DataCollectionStage.PROJECT_START, DataCollectionStage.UPDATE,
                               DataCollectionStage.PROJECT_EXIT, DataCollectionStage.ANNUAL)
EVERY_STAGE = frozenset({START, UPDATE, ANNUAL, EXIT})
ADULT_AGE = 18

# 4.02.3–4.02.17: (source field, CSV column, amount field, CSV amount column, label)
INCOME_SOURCES = [
    ("earned", "Earned", "earned_amount", "EarnedAmount", "Earned income (employment)"),
    ("unemployment", "Unemployment", "unemployment_amount", "UnemploymentAmount", "Unemployment insurance"),
    ("ssi", "SSI", "ssi_amount", "SSIAmount", "Supplemental Security Income (SSI)"),
    ("ssdi", "SSDI", "ssdi_amount", "SSDIAmount", "Social Security Disability Insurance (SSDI)"),
    ("va_disability_service", "VADisabilityService", "va_disability_service_amount", "VADisabilityServiceAmount",
     "VA service-connected disability compensation"),
    ("va_disability_non_service", "VADisabilityNonService", "va_disability_non_service_amount",
     "VADisabilityNonServiceAmount", "VA non-service-connected disability pension"),
    ("private_disability", "PrivateDisability", "private_disability_amount", "PrivateDisabilityAmount",
     "Private disability insurance"),
    ("workers_comp", "WorkersComp", "workers_comp_amount", "WorkersCompAmount", "Worker’s compensation"),
    ("tanf", "TANF", "tanf_amount", "TANFAmount", "Temporary Assistance for Needy Families (TANF)"),
    ("general_assistance", "GA", "general_assistance_amount", "GAAmount", "General Assistance (GA)"),
    ("soc_sec_retirement", "SocSecRetirement", "soc_sec_retirement_amount", "SocSecRetirementAmount",
     "Retirement income from Social Security"),
    ("pension", "Pension", "pension_amount", "PensionAmount", "Pension or retirement income from a former job"),
    ("child_support", "ChildSupport", "child_support_amount", "ChildSupportAmount", "Child support"),
    ("alimony", "Alimony", "alimony_amount", "AlimonyAmount", "Alimony and other spousal support"),
    ("other_income_source", "OtherIncomeSource", "other_income_amount", "OtherIncomeAmount", "Other source"),
]
# 4.03.3–4.03.8: (source field, CSV column, label)
BENEFIT_SOURCES = [
    ("snap", "SNAP", "Supplemental Nutrition Assistance Program (SNAP)"),
    ("wic", "WIC", "Special Supplemental Nutrition Program for Women, Infants, and Children (WIC)"),
    ("tanf_child_care", "TANFChildCare", "TANF child care services"),
    ("tanf_transportation", "TANFTransportation", "TANF transportation services"),
    ("other_tanf", "OtherTANF", "Other TANF-funded services"),
    ("other_benefits_source", "OtherBenefitsSource", "Other source"),
]
# 4.04.3–4.04.12: (type field, CSV column, "reason not insured" field, its CSV column, label).
# The reasons (list 4.04.A) are HOPWA's questions (HOPWA Program HMIS Manual).
INSURANCE_TYPES = [
    ("medicaid", "Medicaid", "no_medicaid_reason", "NoMedicaidReason", "Medicaid"),
    ("medicare", "Medicare", "no_medicare_reason", "NoMedicareReason", "Medicare"),
    ("schip", "SCHIP", "no_schip_reason", "NoSCHIPReason", "State Children’s Health Insurance Program"),
    ("vha_services", "VHAServices", "no_vha_reason", "NoVHAReason",
     "Veteran’s Health Administration (VHA) Medical Services"),
    ("employer_provided", "EmployerProvided", "no_employer_provided_reason", "NoEmployerProvidedReason",
     "Employer-provided health insurance"),
    ("cobra", "COBRA", "no_cobra_reason", "NoCOBRAReason", "Health insurance obtained through COBRA"),
    ("private_pay", "PrivatePay", "no_private_pay_reason", "NoPrivatePayReason", "Private pay health insurance"),
    ("state_health_ins", "StateHealthIns", "no_state_health_ins_reason", "NoStateHealthInsReason",
     "State Health Insurance for Adults"),
    ("indian_health_services", "IndianHealthServices", "no_indian_health_services_reason",
     "NoIndianHealthServicesReason", "Indian Health Service Program"),
    ("other_insurance", "OtherInsurance", None, None, "Other"),
]
# 4.05–4.10: (response field, DisabilityType of list 1.3, "indefinite and impairs" field or None).
# HUD asks "expected to be of long-continued and indefinite duration and substantially
# impairs ability to live independently" of physical, chronic health, mental health and
# substance use only: a developmental disability or HIV/AIDS answered Yes is disabling
# as such (Data Dictionary 4.06, 4.08).
DISABILITIES = [
    ("physical_disability", 5, "physical_disability_indefinite"),
    ("developmental_disability", 6, None),
    ("chronic_health_condition", 7, "chronic_health_condition_indefinite"),
    ("hiv_aids", 8, None),
    ("mental_health_disorder", 9, "mental_health_disorder_indefinite"),
    ("substance_use_disorder", 10, "substance_use_disorder_indefinite"),
]
# W4, W6 (HOPWA): asked only of a client whose HIV/AIDS answer is Yes; Disabilities.csv
# carries them on the HIV/AIDS row (DisabilityType 8), null on every other row.
HIV_FOLLOW_UPS = [
    ("t_cell_count_available", "TCellCountAvailable"), ("t_cell_count", "TCellCount"),
    ("t_cell_source", "TCellSource"), ("viral_load_available", "ViralLoadAvailable"),
    ("viral_load", "ViralLoad"), ("viral_load_source", "ViralLoadSource"), ("anti_retroviral", "AntiRetroviral"),
]
# 4.10.2: the substance use disorder answers that mean "Yes, a disorder".
SUBSTANCE_USE_YES = {1, 2, 3}


@dataclass(frozen=True)
class Element:
    code: str                # the key of agencies/requirements.py (D2)
    name: str
    csv_file: str
    stages: frozenset        # HUD's collection points
    adults_and_heads: bool   # subjects: head of household and adults (else all clients)
    asks: tuple              # the root questions: answered = the element was collected
    questions: tuple         # every model field of the element, roots and follow-ups


def _income_questions():
    fields = ["income_from_any_source"]
    for source, _, amount, _, _ in INCOME_SOURCES:
        fields += [source, amount]
    return (*fields, "other_income_source_identify", "total_monthly_income")


ELEMENTS = [
    # 4.02, 4.03: Project start, Update, Annual assessment, Project exit; head of household and adults.
    Element("4.02", "Income and sources", "IncomeBenefits.csv", EVERY_STAGE, True,
            ("income_from_any_source",), _income_questions()),
    Element("4.03", "Non-cash benefits", "IncomeBenefits.csv", EVERY_STAGE, True, ("benefits_from_any_source",),
            ("benefits_from_any_source", *[f for f, _, _ in BENEFIT_SOURCES], "other_benefits_source_identify")),
    # 4.04: same collection points, all clients.
    Element("4.04", "Health insurance", "IncomeBenefits.csv", EVERY_STAGE, False, ("insurance_from_any_source",),
            ("insurance_from_any_source", *[f for f, _, _, _, _ in INSURANCE_TYPES],
             *[r for _, _, r, _, _ in INSURANCE_TYPES if r], "other_insurance_identify")),
    # W3 (HOPWA) medical assistance and P4 (PATH) SOAR: on IncomeBenefits.csv. W3: all
    # clients at start, update, annual and exit; P4: adults and heads, start and exit
    # (read here as start, update, annual, exit like the rest of IncomeBenefits, so an
    # update that learns of a SOAR connection can record it).
    Element("W3", "Medical assistance (HOPWA)", "IncomeBenefits.csv", EVERY_STAGE, False, ("adap", "ryan_white_med_dent"),
            ("adap", "no_adap_reason", "ryan_white_med_dent", "no_ryan_white_reason")),
    Element("P4", "Connection with SOAR", "IncomeBenefits.csv", EVERY_STAGE, True, ("connection_with_soar",),
            ("connection_with_soar",)),
    # 4.05–4.10: all clients. FY2024 listed start, update and exit; the FY2026 revision of
    # 4.05–4.10 and the brief have the annual assessment too: we read it as all four.
    Element("4.05-4.10", "Disabilities", "Disabilities.csv", EVERY_STAGE, False,
            tuple(f for f, _, _ in DISABILITIES),
            (*[f for f, _, _ in DISABILITIES], *[i for _, _, i in DISABILITIES if i])),
    Element("W4-W6", "T-cell, viral load and anti-retroviral (HOPWA)", "Disabilities.csv", EVERY_STAGE, False,
            ("t_cell_count_available", "viral_load_available", "anti_retroviral"), tuple(f for f, _ in HIV_FOLLOW_UPS)),
    # 4.11: Project start and Update; head of household and adults.
    Element("4.11", "Domestic violence", "HealthAndDV.csv", frozenset({START, UPDATE}), True,
            ("domestic_violence_survivor",), ("domestic_violence_survivor", "when_occurred", "currently_fleeing")),
    # R7–R9 (RHY): start and exit; R10 pregnancy status: start (and update when learned).
    Element("R7-R9", "General, dental and mental health status (RHY)", "HealthAndDV.csv", frozenset({START, EXIT}),
            True, ("general_health_status", "dental_health_status", "mental_health_status"),
            ("general_health_status", "dental_health_status", "mental_health_status")),
    Element("R10", "Pregnancy status (RHY)", "HealthAndDV.csv", frozenset({START, UPDATE}), True,
            ("pregnancy_status",), ("pregnancy_status", "due_date")),
    # R4 last grade completed, R5 school status, R6 employment status (RHY; R4 also SSVF
    # and HUD-VASH): project start and exit; head of household and adults.
    Element("R4-R6", "Education and employment", "EmploymentEducation.csv", frozenset({START, EXIT}), True,
            ("last_grade_completed", "school_status", "employed"),
            ("last_grade_completed", "school_status", "employed", "employment_type", "not_employed_reason")),
    # C3 (CoC youth projects, YHDP): project start and exit; head of household and adults.
    Element("C3", "Youth education status", "YouthEducationStatus.csv", frozenset({START, EXIT}), True,
            ("current_school_attend",), ("current_school_attend", "most_recent_ed_status", "current_ed_status")),
]
BY_CODE = {e.code: e for e in ELEMENTS}
ALL_QUESTIONS = [q for e in ELEMENTS for q in e.questions]


def is_adult_or_head(enrollment, day: date) -> bool:
    """HUD's "Head of household and adults". An unknown age is asked (not assumed a child)."""
    from .validation import age_on

    if enrollment.relationship_to_hoh == 1:
        return True
    age = age_on(enrollment.client.dob, day)
    return age is None or age >= ADULT_AGE


def applies(element: Element, *, stage: int, adult_or_head: bool) -> bool:
    return stage in element.stages and (adult_or_head or not element.adults_and_heads)


def elements_for(*, stage: int, adult_or_head: bool = True, project=None) -> list[Element]:
    """The elements asked at this stage of this person; with a project, only those it
    collects (D2: agencies/requirements.py)."""
    chosen = [e for e in ELEMENTS if applies(e, stage=stage, adult_or_head=adult_or_head)]
    if project is not None:
        from agencies.requirements import collected_elements

        collected = collected_elements(project)
        chosen = [e for e in chosen if e.code in collected]
    return chosen


def questions_for(elements) -> list[str]:
    return [q for e in elements for q in e.questions]


def collected(assessment, element: Element) -> bool:
    """The element was collected at this stage for this person: a root question has an
    answer. Nothing else makes an HMIS CSV row (no invented rows)."""
    return any(getattr(assessment, name) is not None for name in element.asks)


# Dependent questions: field -> (the question it follows, the answers that ask it).
# Parents come before their follow-ups (W4: HIV/AIDS, then "count available", then the count).
FOLLOW_UPS = {
    **{f: ("income_from_any_source", {1}) for s, _, a, _, _ in INCOME_SOURCES for f in (s, a)},
    "other_income_source_identify": ("income_from_any_source", {1}),
    "total_monthly_income": ("income_from_any_source", {1}),
    **{s: ("benefits_from_any_source", {1}) for s, _, _ in BENEFIT_SOURCES},
    "other_benefits_source_identify": ("benefits_from_any_source", {1}),
    **{t: ("insurance_from_any_source", {1}) for t, _, _, _, _ in INSURANCE_TYPES},
    "other_insurance_identify": ("insurance_from_any_source", {1}),
    # HOPWA asks why not, type by type, of a client without that insurance (4.04.A).
    **{r: ("insurance_from_any_source", {0, 1}) for _, _, r, _, _ in INSURANCE_TYPES if r},
    "no_adap_reason": ("adap", {0}),
    "no_ryan_white_reason": ("ryan_white_med_dent", {0}),
    **{i: (f, SUBSTANCE_USE_YES if f == "substance_use_disorder" else {1}) for f, _, i in DISABILITIES if i},
    **{f: ("hiv_aids", {1}) for f, _ in HIV_FOLLOW_UPS},
    "t_cell_count": ("t_cell_count_available", {1}),
    "t_cell_source": ("t_cell_count_available", {1}),
    "viral_load": ("viral_load_available", {1}),
    "viral_load_source": ("viral_load_available", {1}),
    "when_occurred": ("domestic_violence_survivor", {1}),
    "currently_fleeing": ("domestic_violence_survivor", {1}),
    "due_date": ("pregnancy_status", {1}),
    "employment_type": ("employed", {1}),
    "not_employed_reason": ("employed", {0}),
    "most_recent_ed_status": ("current_school_attend", {0}),
    "current_ed_status": ("current_school_attend", {1, 2}),
}
# Follow-ups that must be answered when asked (8/9/99 allowed where their list has them).
# The due date (R10.A), the "reasons not insured" and the other-source texts are not here:
# the due date only when known, the reasons HOPWA's alone, the texts checked with their source.
REQUIRED_FOLLOW_UPS = {
    *[i for _, _, i in DISABILITIES if i], "t_cell_count_available", "viral_load_available", "anti_retroviral",
    "t_cell_count", "t_cell_source", "viral_load", "viral_load_source",
    "when_occurred", "currently_fleeing", "employment_type", "not_employed_reason", "most_recent_ed_status",
    "current_ed_status",
}
