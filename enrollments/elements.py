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


# Federal partners' elements that HMIS CSV carries on Enrollment.csv, Exit.csv and
# Client.csv (PATH P3; RHY R1, R2, R11–R13, R15–R20; VA V1, V4, V6, V7, V9, V10; HOPWA W5).
# Their answers are kept one row per stay (enrollments.models.ProgramAnswers) or per client
# (VeteranInformation), not per collection: HMIS CSV has one cell for each. Subjects and
# collection points: FY2026 HMIS Data Standards Manual and the PATH, RHY, VA and HOPWA
# program HMIS manuals. An element "collected when determined" (P3, R2) or "post-exit"
# (R20) is asked on the start or exit answers and answered when known, never required.
HEAD, ADULTS_AND_HEAD, ALL_CLIENTS, VETERANS = "head", "adults", "all", "veterans"


@dataclass(frozen=True)
class PartnerElement:
    code: str                # the key of agencies/requirements.py (D2)
    name: str
    csv_file: str            # Enrollment.csv, Exit.csv or Client.csv
    stages: frozenset        # START (the start answers) or EXIT (the exit answers)
    subjects: str            # HEAD, ADULTS_AND_HEAD, ALL_CLIENTS, VETERANS (VeteranStatus Yes)
    asks: tuple              # root questions: answered = collected; required where D2 says
    questions: tuple         # every field, roots and follow-ups
    required: bool = True    # False: answered when known (P3, R2, R20, V10)


_R13 = ("unemployment_fam", "mental_health_disorder_fam", "physical_disability_fam", "alcohol_drug_use_disorder_fam",
        "insufficient_income", "incarcerated_parent")
_V7 = ("time_to_housing_loss", "annual_percent_ami", "literal_homeless_history", "client_leaseholder",
       "hoh_leaseholder", "subsidy_at_risk", "eviction_history", "criminal_record", "incarcerated_adult",
       "prison_discharge", "sex_offender", "disabled_hoh", "current_pregnant", "single_parent", "dependent_under6",
       "hh5_plus", "coc_prioritized", "hp_screening_score", "threshold_score")
_THEATERS = ("world_war_ii", "korean_war", "vietnam_war", "desert_storm", "afghanistan_oef", "iraq_oif", "iraq_ond",
             "other_theater")
_START, _EXIT = frozenset({START}), frozenset({EXIT})
PARTNER_ELEMENTS = [
    # P3: head of household and adults, when PATH status is determined.
    PartnerElement("P3", "PATH status", "Enrollment.csv", _START, ADULTS_AND_HEAD, ("client_enrolled_in_path",),
                   ("client_enrolled_in_path", "date_of_path_status", "reason_not_enrolled"), required=False),
    # R1, R11–R13: head of household and adults, project start.
    PartnerElement("R1", "Referral source (RHY)", "Enrollment.csv", _START, ADULTS_AND_HEAD, ("referral_source",),
                   ("referral_source", "count_outreach_referral_approaches")),
    # R2: all clients of a Basic Center Program, when eligibility is determined.
    PartnerElement("R2", "RHY-BCP status", "Enrollment.csv", _START, ALL_CLIENTS, ("eligible_for_rhy",),
                   ("eligible_for_rhy", "date_of_bcp_status", "reason_no_services", "runaway_youth"), required=False),
    PartnerElement("R11", "Formerly a ward of child welfare or foster care (RHY)", "Enrollment.csv", _START,
                   ADULTS_AND_HEAD, ("former_ward_child_welfare",),
                   ("former_ward_child_welfare", "child_welfare_years", "child_welfare_months")),
    PartnerElement("R12", "Formerly a ward of the juvenile justice system (RHY)", "Enrollment.csv", _START,
                   ADULTS_AND_HEAD, ("former_ward_juvenile_justice",),
                   ("former_ward_juvenile_justice", "juvenile_justice_years", "juvenile_justice_months")),
    PartnerElement("R13", "Family critical issues (RHY)", "Enrollment.csv", _START, ADULTS_AND_HEAD, _R13, _R13),
    # V1: every client whose veteran status (3.07) is Yes, with the client record.
    PartnerElement("V1", "Veteran’s information (veterans only)", "Client.csv", _START, VETERANS,
                   ("military_branch", "discharge_status"),
                   ("year_entered_service", "year_separated", *_THEATERS, "military_branch", "discharge_status")),
    # V4, V6, V7, V10: head of household, project start.
    PartnerElement("V4", "Percent of AMI (SSVF eligibility)", "Enrollment.csv", _START, HEAD, ("percent_ami",),
                   ("percent_ami",)),
    PartnerElement("V6", "VAMC station number", "Enrollment.csv", _START, HEAD, ("vamc_station",), ("vamc_station",)),
    PartnerElement("V7", "HP targeting criteria (SSVF homelessness prevention)", "Enrollment.csv", _START, HEAD,
                   ("target_screen_reqd",), ("target_screen_reqd", *_V7)),
    # V10 (FY2026): read as SSVF's, of the head of household (the veteran), answered when known.
    PartnerElement("V10", "Mental health consultation (SSVF)", "Enrollment.csv", _START, HEAD,
                   ("mental_health_consultation",), ("mental_health_consultation",), required=False),
    # W5 (HOPWA): head of household, project exit.
    PartnerElement("W5", "Housing assessment at exit (HOPWA)", "Exit.csv", _EXIT, HEAD, ("housing_assessment",),
                   ("housing_assessment", "subsidy_information")),
    # R15–R19: head of household and adults, project exit; R20 after the exit (within 180 days).
    PartnerElement("R15", "Commercial sexual exploitation / sex trafficking (RHY)", "Exit.csv", _EXIT,
                   ADULTS_AND_HEAD, ("exchange_for_sex",),
                   ("exchange_for_sex", "exchange_for_sex_past_three_months", "count_of_exchange_for_sex",
                    "asked_or_forced_to_exchange_for_sex", "asked_or_forced_past_three_months")),
    PartnerElement("R16", "Labor exploitation / trafficking (RHY)", "Exit.csv", _EXIT, ADULTS_AND_HEAD,
                   ("workplace_violence_threats", "workplace_promise_difference"),
                   ("workplace_violence_threats", "workplace_promise_difference", "coerced_to_continue_work",
                    "labor_exploit_past_three_months")),
    PartnerElement("R17", "Project completion status (RHY)", "Exit.csv", _EXIT, ADULTS_AND_HEAD,
                   ("project_completion_status",), ("project_completion_status", "early_exit_reason")),
    PartnerElement("R18", "Counseling (RHY)", "Exit.csv", _EXIT, ADULTS_AND_HEAD,
                   ("counseling_received", "post_exit_counseling_plan"),
                   ("counseling_received", "individual_counseling", "family_counseling", "group_counseling",
                    "session_count_at_exit", "sessions_in_plan", "post_exit_counseling_plan")),
    PartnerElement("R19", "Safe and appropriate exit (RHY)", "Exit.csv", _EXIT, ADULTS_AND_HEAD,
                   ("destination_safe_client", "destination_safe_worker", "pos_adult_connections",
                    "pos_peer_connections", "pos_community_connections"),
                   ("destination_safe_client", "destination_safe_worker", "pos_adult_connections",
                    "pos_peer_connections", "pos_community_connections")),
    PartnerElement("R20", "Aftercare plans (RHY)", "Exit.csv", _EXIT, ADULTS_AND_HEAD, ("aftercare_provided",),
                   ("aftercare_provided", "aftercare_date", "email_social_media", "telephone", "in_person_individual",
                    "in_person_group"), required=False),
    # V9 (HUD-VASH): head of household, project exit.
    PartnerElement("V9", "HUD-VASH exit information", "Exit.csv", _EXIT, HEAD, ("cm_exit_reason",),
                   ("cm_exit_reason",)),
]
PARTNER_BY_CODE = {e.code: e for e in PARTNER_ELEMENTS}
VETERAN_QUESTIONS = PARTNER_BY_CODE["V1"].questions
STAY_QUESTIONS = [q for e in PARTNER_ELEMENTS if e.code != "V1" for q in e.questions]

# field -> HMIS CSV column, in each file's order.
PARTNER_COLUMNS = {
    "Enrollment.csv": [
        ("date_of_path_status", "DateOfPATHStatus"), ("client_enrolled_in_path", "ClientEnrolledInPATH"),
        ("reason_not_enrolled", "ReasonNotEnrolled"), ("percent_ami", "PercentAMI"),
        ("referral_source", "ReferralSource"), ("count_outreach_referral_approaches", "CountOutreachReferralApproaches"),
        ("date_of_bcp_status", "DateOfBCPStatus"), ("eligible_for_rhy", "EligibleForRHY"),
        ("reason_no_services", "ReasonNoServices"), ("runaway_youth", "RunawayYouth"),
        ("former_ward_child_welfare", "FormerWardChildWelfare"), ("child_welfare_years", "ChildWelfareYears"),
        ("child_welfare_months", "ChildWelfareMonths"), ("former_ward_juvenile_justice", "FormerWardJuvenileJustice"),
        ("juvenile_justice_years", "JuvenileJusticeYears"), ("juvenile_justice_months", "JuvenileJusticeMonths"),
        ("unemployment_fam", "UnemploymentFam"), ("mental_health_disorder_fam", "MentalHealthDisorderFam"),
        ("physical_disability_fam", "PhysicalDisabilityFam"),
        ("alcohol_drug_use_disorder_fam", "AlcoholDrugUseDisorderFam"), ("insufficient_income", "InsufficientIncome"),
        ("incarcerated_parent", "IncarceratedParent"), ("vamc_station", "VAMCStation"),
        ("target_screen_reqd", "TargetScreenReqd"), ("time_to_housing_loss", "TimeToHousingLoss"),
        ("annual_percent_ami", "AnnualPercentAMI"), ("literal_homeless_history", "LiteralHomelessHistory"),
        ("client_leaseholder", "ClientLeaseholder"), ("hoh_leaseholder", "HoHLeaseholder"),
        ("subsidy_at_risk", "SubsidyAtRisk"), ("eviction_history", "EvictionHistory"),
        ("criminal_record", "CriminalRecord"), ("incarcerated_adult", "IncarceratedAdult"),
        ("prison_discharge", "PrisonDischarge"), ("sex_offender", "SexOffender"), ("disabled_hoh", "DisabledHoH"),
        ("current_pregnant", "CurrentPregnant"), ("single_parent", "SingleParent"),
        ("dependent_under6", "DependentUnder6"), ("hh5_plus", "HH5Plus"), ("coc_prioritized", "CoCPrioritized"),
        ("hp_screening_score", "HPScreeningScore"), ("threshold_score", "ThresholdScore"),
        ("mental_health_consultation", "MentalHealthConsultation"),
    ],
    "Exit.csv": [
        ("housing_assessment", "HousingAssessment"), ("subsidy_information", "SubsidyInformation"),
        ("project_completion_status", "ProjectCompletionStatus"), ("early_exit_reason", "EarlyExitReason"),
        ("exchange_for_sex", "ExchangeForSex"), ("exchange_for_sex_past_three_months", "ExchangeForSexPastThreeMonths"),
        ("count_of_exchange_for_sex", "CountOfExchangeForSex"),
        ("asked_or_forced_to_exchange_for_sex", "AskedOrForcedToExchangeForSex"),
        ("asked_or_forced_past_three_months", "AskedOrForcedToExchangeForSexPastThreeMonths"),
        ("workplace_violence_threats", "WorkplaceViolenceThreats"),
        ("workplace_promise_difference", "WorkplacePromiseDifference"),
        ("coerced_to_continue_work", "CoercedToContinueWork"),
        ("labor_exploit_past_three_months", "LaborExploitPastThreeMonths"),
        ("counseling_received", "CounselingReceived"), ("individual_counseling", "IndividualCounseling"),
        ("family_counseling", "FamilyCounseling"), ("group_counseling", "GroupCounseling"),
        ("session_count_at_exit", "SessionCountAtExit"), ("post_exit_counseling_plan", "PostExitCounselingPlan"),
        ("sessions_in_plan", "SessionsInPlan"), ("destination_safe_client", "DestinationSafeClient"),
        ("destination_safe_worker", "DestinationSafeWorker"), ("pos_adult_connections", "PosAdultConnections"),
        ("pos_peer_connections", "PosPeerConnections"), ("pos_community_connections", "PosCommunityConnections"),
        ("aftercare_date", "AftercareDate"), ("aftercare_provided", "AftercareProvided"),
        ("email_social_media", "EmailSocialMedia"), ("telephone", "Telephone"),
        ("in_person_individual", "InPersonIndividual"), ("in_person_group", "InPersonGroup"),
        ("cm_exit_reason", "CMExitReason"),
    ],
    "Client.csv": [
        ("year_entered_service", "YearEnteredService"), ("year_separated", "YearSeparated"),
        ("world_war_ii", "WorldWarII"), ("korean_war", "KoreanWar"), ("vietnam_war", "VietnamWar"),
        ("desert_storm", "DesertStorm"), ("afghanistan_oef", "AfghanistanOEF"), ("iraq_oif", "IraqOIF"),
        ("iraq_ond", "IraqOND"), ("other_theater", "OtherTheater"), ("military_branch", "MilitaryBranch"),
        ("discharge_status", "DischargeStatus"),
    ],
}

# Dependent questions: field -> (the questions it follows, the answers that ask it). A
# follow-up is asked when any of its questions has one of the answers (R16.A/B follow
# R16.1 or R16.2). Where HUD's dictionary says "Null unless...", the service clears an
# answer whose question did not ask it, as it does for the assessment elements.
PARTNER_FOLLOW_UPS = {
    "date_of_path_status": (("client_enrolled_in_path",), {0, 1}),
    "reason_not_enrolled": (("client_enrolled_in_path",), {0}),
    "count_outreach_referral_approaches": (("referral_source",), {7}),
    "date_of_bcp_status": (("eligible_for_rhy",), {0, 1}),
    "reason_no_services": (("eligible_for_rhy",), {0}),
    "runaway_youth": (("eligible_for_rhy",), {1}),
    "child_welfare_years": (("former_ward_child_welfare",), {1}),
    "child_welfare_months": (("child_welfare_years",), {1}),
    "juvenile_justice_years": (("former_ward_juvenile_justice",), {1}),
    "juvenile_justice_months": (("juvenile_justice_years",), {1}),
    **{f: (("target_screen_reqd",), {1}) for f in _V7},
    "subsidy_information": (("housing_assessment",), {1, 2}),
    "early_exit_reason": (("project_completion_status",), {3}),
    "exchange_for_sex_past_three_months": (("exchange_for_sex",), {1}),
    "count_of_exchange_for_sex": (("exchange_for_sex",), {1}),
    "asked_or_forced_to_exchange_for_sex": (("exchange_for_sex",), {1}),
    "asked_or_forced_past_three_months": (("asked_or_forced_to_exchange_for_sex",), {1}),
    "coerced_to_continue_work": (("workplace_violence_threats", "workplace_promise_difference"), {1}),
    "labor_exploit_past_three_months": (("workplace_violence_threats", "workplace_promise_difference"), {1}),
    **{f: (("counseling_received",), {1}) for f in ("individual_counseling", "family_counseling", "group_counseling",
                                                    "session_count_at_exit")},
    "aftercare_date": (("aftercare_provided",), {0, 1, 9}),
    **{f: (("aftercare_provided",), {1}) for f in ("email_social_media", "telephone", "in_person_individual",
                                                   "in_person_group")},
}
# Follow-ups that must be answered when asked. The V7 scores and counts of sessions are
# HUD's "integer" fields, answered when known; the months (R11.B, R12.B) likewise.
PARTNER_REQUIRED_FOLLOW_UPS = {
    "date_of_path_status", "reason_not_enrolled", "count_outreach_referral_approaches", "date_of_bcp_status",
    "reason_no_services", "runaway_youth", "child_welfare_years", "juvenile_justice_years",
    *[f for f in _V7 if f not in ("hp_screening_score", "threshold_score")], "subsidy_information",
    "early_exit_reason", "exchange_for_sex_past_three_months", "count_of_exchange_for_sex",
    "asked_or_forced_to_exchange_for_sex", "asked_or_forced_past_three_months", "coerced_to_continue_work",
    "labor_exploit_past_three_months", "aftercare_date",
}


def asked_of(element: PartnerElement, *, enrollment, day: date, veteran: bool | None = None) -> bool:
    """HUD's subjects of a federal partner's element, for this stay on this day."""
    if element.subjects == HEAD:
        return enrollment.relationship_to_hoh == 1
    if element.subjects == ADULTS_AND_HEAD:
        return is_adult_or_head(enrollment, day)
    if element.subjects == VETERANS:
        return (enrollment.client.veteran_status if veteran is None else (1 if veteran else 0)) == 1
    return True


def partner_elements_for(*, stage: int, enrollment, day: date, project=None) -> list[PartnerElement]:
    """The federal partners' elements asked of this person at this stage in this project
    (D2: only those the project collects)."""
    from agencies.requirements import required_elements

    codes = set(required_elements(project or enrollment.project))
    return [e for e in PARTNER_ELEMENTS if e.code in codes and stage in e.stages
            and asked_of(e, enrollment=enrollment, day=day)]
