"""Project stays (issue 'Enrollments, HUD data elements and 72-hour timeliness').

Every record carries when the information was collected (``information_date``)
and when it was entered (``entered_at``); a record entered after the CoC's
``timeliness_hours`` is flagged late (D1, hmis/dates.py::entry_deadline).
"""

import secrets

from django.conf import settings
from django.db import models

from clients.hud_lists import NoYesMissing, NoYesReason
from clients.models import CLIENT_ID_ALPHABET

from .elements import BENEFIT_SOURCES, INCOME_SOURCES, INSURANCE_TYPES
from .hud_lists import (
    AftercareProvided,
    AnnualPercentAmi,
    CeAssessmentLevel,
    CeAssessmentType,
    CeEventType,
    CmExitReason,
    CountOfExchangeForSex,
    CurrentEdStatus,
    CurrentLivingSituationChoices,
    CurrentSchoolAttend,
    DataCollectionStage,
    DependentUnder6,
    Destination,
    DischargeStatus,
    EarlyExitReason,
    EmploymentType,
    EvictionHistory,
    HealthStatus,
    HousingAssessment,
    IncarceratedAdult,
    InsuranceReason,
    LabSource,
    LastGradeCompleted,
    LengthOfStay,
    LiteralHomelessHistory,
    MedicalAssistanceReason,
    MentalHealthConsultation,
    MilitaryBranch,
    MonthsHomeless,
    MostRecentEdStatus,
    NotEmployedReason,
    NoYes,
    PathReasonNotEnrolled,
    PercentAmi,
    PrioritizationStatus,
    PriorLivingSituation,
    ProjectCompletionStatus,
    ReasonNoServices,
    ReferralResult,
    ReferralSource,
    RelationshipToHoH,
    RentalSubsidyType,
    SchoolStatus,
    ServiceRecordType,
    SubsidyInformation,
    SubstanceUse,
    TimesHomeless,
    TimeToHousingLoss,
    ViralLoadAvailable,
    WardYears,
    WhenDvOccurred,
    WorkerDetermination,
)


def new_record_id() -> str:
    return "".join(secrets.choice(CLIENT_ID_ALPHABET) for _ in range(10))


class Timely(models.Model):
    """D1: when the information was collected, when and by whom it was entered."""

    information_date = models.DateField("date the information was collected")
    entered_at = models.DateTimeField(auto_now_add=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # C12: the entering agency's consent that covered the record's date. Other agencies
    # see the record only under it (consent/visibility.py); null (imported, or entered
    # in an approved ROI gap) is shared with nobody else.
    consent = models.ForeignKey("consent.Roi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_late = models.BooleanField(default=False, db_index=True)
    late_alert_sent = models.BooleanField(default=False)
    # HMIS CSV DateUpdated: stamped by every save; an import keeps the source's (H3). Rows from
    # before it was kept have none and export their entered_at.
    updated_at = models.DateTimeField("when it was last changed", auto_now=True, null=True)

    class Meta:
        abstract = True


def late_unsent_index(name: str) -> models.Index:
    """The hourly late-entry job's rows (D1): a partial index holding only the late
    records not yet alerted, so the job costs what it sends, not the table's size."""
    return models.Index(fields=["id"], condition=models.Q(entered_late=True, late_alert_sent=False),
                        name=f"{name}_late_unsent")


class HudRecord(models.Model):
    """The record's ID in the HMIS CSV files (ServicesID, AssessmentID...). Kept on import,
    so re-importing an export updates the same rows."""

    record_id = models.CharField(max_length=32, unique=True, default=new_record_id, editable=False)

    class Meta:
        abstract = True


class Enrollment(Timely):
    enrollment_id = models.CharField(max_length=32, unique=True, default=new_record_id, editable=False)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="enrollments")
    project = models.ForeignKey("agencies.Project", on_delete=models.PROTECT, related_name="enrollments")
    household_id = models.CharField(max_length=32, db_index=True)
    relationship_to_hoh = models.PositiveSmallIntegerField(
        "relationship to head of household (3.15)", choices=RelationshipToHoH.choices, null=True)
    enrollment_coc = models.CharField("enrollment CoC (3.16)", max_length=6)
    entry_date = models.DateField("project start date (3.10)")

    # 3.917 Prior living situation
    living_situation = models.PositiveSmallIntegerField(
        "prior living situation (3.917)", choices=PriorLivingSituation.choices, null=True, blank=True)
    rental_subsidy_type = models.PositiveSmallIntegerField(
        "type of the ongoing housing subsidy (3.917.A)", choices=RentalSubsidyType.choices, null=True, blank=True)
    length_of_stay = models.PositiveSmallIntegerField(
        "length of stay in prior living situation", choices=LengthOfStay.choices, null=True, blank=True)
    los_under_threshold = models.PositiveSmallIntegerField(
        "stay was less than 7 nights (or 90 days in an institution)", choices=NoYesMissing.choices, null=True, blank=True)
    previous_street_essh = models.PositiveSmallIntegerField(
        "on the streets, in emergency shelter or safe haven the night before", choices=NoYesMissing.choices,
        null=True, blank=True)
    date_to_street_essh = models.DateField("approximate date this episode of homelessness started", null=True, blank=True)
    times_homeless_past_three_years = models.PositiveSmallIntegerField(
        "times homeless in the past three years", choices=TimesHomeless.choices, null=True, blank=True)
    months_homeless_past_three_years = models.PositiveSmallIntegerField(
        "months homeless in the past three years", choices=MonthsHomeless.choices, null=True, blank=True)

    disabling_condition = models.PositiveSmallIntegerField(
        "disabling condition (3.08)", choices=NoYesReason.choices, default=NoYesReason.NOT_COLLECTED, null=True)
    date_of_engagement = models.DateField("date of engagement (4.13)", null=True, blank=True)
    move_in_date = models.DateField("housing move-in date (3.20)", null=True, blank=True)
    exit_date = models.DateField("project exit date (3.11)", null=True, blank=True)
    destination = models.PositiveSmallIntegerField(
        "destination (3.12)", choices=Destination.choices, null=True, blank=True)
    destination_subsidy_type = models.PositiveSmallIntegerField(
        "type of the ongoing housing subsidy (3.12.A)", choices=RentalSubsidyType.choices, null=True, blank=True)
    other_destination = models.CharField("the other destination (3.12.B)", max_length=50, blank=True)
    # HMIS CSV's own stamps of the stay and of its exit (H3: kept as the source had them; the
    # exit's DateCreated is also when HUD's exit timeliness, APR Q6e, is counted from).
    # Null on stays recorded before they were kept: read as entered_at.
    updated_at = models.DateTimeField("when the stay was last changed", auto_now=True, null=True)
    # Exit.csv ExitID and UserID as the source had them (H3); exits entered here export the
    # EnrollmentID and the stay's author.
    exit_id = models.CharField("ExitID in the HMIS CSV it came from", max_length=32, null=True, blank=True,
                               unique=True, editable=False)
    exit_entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                        on_delete=models.PROTECT, related_name="+")
    exit_entered_at = models.DateTimeField("when the exit was entered", null=True, blank=True)
    exit_updated_at = models.DateTimeField("when the exit was last changed", null=True, blank=True)
    # Issue 21: the staff member of the stay's agency who manages the case (Clarity's "assigned staff").
    case_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="case manager")

    # Optimistic locking: an update names the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [late_unsent_index("enrollment")]
        ordering = ["-entry_date"]
        # No CHECK that the exit is not before the start, and 3.15 and 3.08 may be empty: other
        # systems' data has both, and an HMIS CSV import keeps them as given with a warning (H3);
        # data quality counts them, and the forms and services still refuse them.

    def __str__(self):
        return f"Enrollment {self.enrollment_id}"

    @property
    def is_head(self) -> bool:
        return self.relationship_to_hoh == RelationshipToHoH.SELF

    @property
    def is_open(self) -> bool:
        return self.exit_date is None


def _answer(label, choices=NoYesReason):
    """A HUD answer; null means "not asked of this person at this stage" (H1), which
    HMIS CSV writes as no row, unlike 99 "Data not collected"."""
    return models.PositiveSmallIntegerField(label, choices=choices.choices, null=True, blank=True)


def _amount(label):
    return models.DecimalField(label, max_digits=9, decimal_places=2, null=True, blank=True)


class Assessment(HudRecord, Timely):
    """HUD data collected at a stage (5.03): project start, update, annual, exit. One row
    is one collection of one person, and one row of each HMIS CSV file that carries an
    element collected then (IncomeBenefits, Disabilities per type, HealthAndDV,
    EmploymentEducation, YouthEducationStatus). Which questions are asked of whom and
    when: enrollments/elements.py. The income, benefit and insurance sources and their
    amounts and reasons are added below the class from the tables there."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="assessments")
    stage = models.PositiveSmallIntegerField(choices=DataCollectionStage.choices)
    # H3: the IDs of this collection's rows in the other files, as the HMIS CSV it came from
    # named them: {"HealthAndDV.csv": "HD1", ..., "Disabilities.csv": {"5": "D9", ...}} by
    # DisabilityType. Empty for collections made here: they export record_id (and
    # record_id-type for Disabilities).
    file_ids = models.JSONField(default=dict, blank=True, editable=False)
    # 4.02 income, 4.03 non-cash benefits, 4.04 health insurance
    income_from_any_source = _answer("income from any source (4.02)")
    total_monthly_income = _amount("total monthly income")
    other_income_source_identify = models.CharField("other income source: specify", max_length=50, blank=True)
    benefits_from_any_source = _answer("non-cash benefits from any source (4.03)")
    other_benefits_source_identify = models.CharField("other benefit source: specify", max_length=50, blank=True)
    insurance_from_any_source = _answer("health insurance from any source (4.04)")
    other_insurance_identify = models.CharField("other health insurance: specify", max_length=50, blank=True)
    # W3 (HOPWA) medical assistance, P4 (PATH) SOAR
    adap = _answer("receiving AIDS Drug Assistance Program (ADAP) (W3)")
    no_adap_reason = _answer("if not, why not", MedicalAssistanceReason)
    ryan_white_med_dent = _answer("receiving Ryan White-funded medical or dental assistance (W3)")
    no_ryan_white_reason = _answer("if not, why not", MedicalAssistanceReason)
    connection_with_soar = _answer("connection with SOAR (P4)")
    # 4.05–4.10 disabilities, each with its "expected to be of long-continued and indefinite
    # duration and substantially impairs ability to live independently" where HUD asks it
    physical_disability = _answer("physical disability (4.05)")
    physical_disability_indefinite = _answer("expected to be of long-continued and indefinite duration and "
                                             "substantially impairs ability to live independently")
    developmental_disability = _answer("developmental disability (4.06)")
    chronic_health_condition = _answer("chronic health condition (4.07)")
    chronic_health_condition_indefinite = _answer("expected to be of long-continued and indefinite duration and "
                                                  "substantially impairs ability to live independently")
    hiv_aids = _answer("HIV/AIDS (4.08)")
    mental_health_disorder = _answer("mental health disorder (4.09)")
    mental_health_disorder_indefinite = _answer("expected to be of long-continued and indefinite duration and "
                                                "substantially impairs ability to live independently")
    substance_use_disorder = _answer("substance use disorder (4.10)", SubstanceUse)
    substance_use_disorder_indefinite = _answer("expected to be of long-continued and indefinite duration and "
                                                "substantially impairs ability to live independently")
    # W4 T-cell and viral load, W6 anti-retroviral (HOPWA), asked when HIV/AIDS is Yes
    t_cell_count_available = _answer("T-cell (CD4) count available (W4)")
    t_cell_count = models.PositiveIntegerField("T-cell count", null=True, blank=True)
    t_cell_source = _answer("how was the T-cell count obtained", LabSource)
    viral_load_available = _answer("viral load information available (W4)", ViralLoadAvailable)
    viral_load = models.PositiveIntegerField("viral load count", null=True, blank=True)
    viral_load_source = _answer("how was the viral load obtained", LabSource)
    anti_retroviral = _answer("taking anti-retroviral medications (W6)")
    # 4.11 domestic violence
    domestic_violence_survivor = _answer("survivor of domestic violence (4.11)")
    when_occurred = _answer("when the experience occurred", WhenDvOccurred)
    currently_fleeing = _answer("currently fleeing")
    # R7–R10 (RHY) health
    general_health_status = _answer("general health status (R7)", HealthStatus)
    dental_health_status = _answer("dental health status (R8)", HealthStatus)
    mental_health_status = _answer("mental health status (R9)", HealthStatus)
    pregnancy_status = _answer("pregnancy status (R10)")
    due_date = models.DateField("if pregnant, due date", null=True, blank=True)
    # R4–R6 education and employment
    last_grade_completed = _answer("last grade completed (R4)", LastGradeCompleted)
    school_status = _answer("school status (R5)", SchoolStatus)
    employed = _answer("employed (R6)")
    employment_type = _answer("type of employment", EmploymentType)
    not_employed_reason = _answer("why not employed", NotEmployedReason)
    # C3 youth education status
    current_school_attend = _answer("current school enrollment and attendance (C3)", CurrentSchoolAttend)
    most_recent_ed_status = _answer("most recent educational status", MostRecentEdStatus)
    current_ed_status = _answer("current educational status", CurrentEdStatus)

    class Meta:
        indexes = [late_unsent_index("assessment")]
        ordering = ["information_date", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} of {self.enrollment}"


# 4.02–4.04 sources, one field each (list 1.7 No/Yes), with the income amounts and the
# HOPWA "reason not insured" (4.04.A), from the tables of enrollments/elements.py.
for _source, _, _amount_field, _, _label in INCOME_SOURCES:
    Assessment.add_to_class(_source, _answer(f"income: {_label}", NoYes))
    Assessment.add_to_class(_amount_field, _amount(f"monthly amount: {_label}"))
for _source, _, _label in BENEFIT_SOURCES:
    Assessment.add_to_class(_source, _answer(f"non-cash benefit: {_label}", NoYes))
for _source, _, _reason, _, _label in INSURANCE_TYPES:
    Assessment.add_to_class(_source, _answer(f"health insurance: {_label}", NoYes))
    if _reason:
        Assessment.add_to_class(_reason, _answer(f"if not {_label}, why not", InsuranceReason))


class Service(HudRecord, Timely):
    """A service or a bed night (4.14) given during the stay."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="services")
    date_provided = models.DateField()
    record_type = models.PositiveSmallIntegerField(choices=ServiceRecordType.choices, default=ServiceRecordType.BED_NIGHT)
    type_provided = models.PositiveSmallIntegerField(default=200)

    class Meta:
        indexes = [late_unsent_index("service")]
        ordering = ["-date_provided"]
        # HUD allows several services of one kind on one day (same-day payments of different amounts,
        # an import's repeated bed nights, H3): no unique constraint. services.record_service refuses a
        # duplicate entered by hand.

    def __str__(self):
        return f"{self.get_record_type_display()} on {self.date_provided}"


class CurrentLivingSituation(HudRecord, Timely):
    """4.12: where the client is staying, recorded at each contact (street outreach)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="contacts")
    current_living_situation = models.PositiveSmallIntegerField(
        "current living situation (4.12)", choices=CurrentLivingSituationChoices.choices)
    location_details = models.CharField("location details", max_length=250, blank=True)

    class Meta:
        indexes = [late_unsent_index("contact")]
        ordering = ["-information_date"]

    def __str__(self):
        return f"Contact of {self.enrollment} on {self.information_date}"


class CeAssessment(HudRecord, Timely):
    """4.19: a coordinated entry assessment."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="ce_assessments")
    assessment_location = models.CharField("where it took place", max_length=250)
    assessment_type = models.PositiveSmallIntegerField(choices=CeAssessmentType.choices)
    assessment_level = models.PositiveSmallIntegerField(choices=CeAssessmentLevel.choices)
    prioritization_status = models.PositiveSmallIntegerField(choices=PrioritizationStatus.choices)

    class Meta:
        indexes = [late_unsent_index("ce_assessment")]
        ordering = ["-information_date"]

    def __str__(self):
        return f"CE assessment of {self.enrollment} on {self.information_date}"


class CeAssessmentQuestion(HudRecord):
    """4.19.5 / 4.19.A: one question of a coordinated entry assessment's tool and the answer
    given, as the tool asked it (HMIS CSV AssessmentQuestions.csv; group, order and wording are
    the CoC's own). Shown and exported with its assessment, under the assessment's consent."""

    assessment = models.ForeignKey(CeAssessment, on_delete=models.CASCADE, related_name="questions")
    question_group = models.CharField("question group", max_length=250, blank=True)
    question_order = models.PositiveIntegerField("order in the group", null=True, blank=True)
    question = models.CharField(max_length=250)
    answer = models.CharField(max_length=500, blank=True)
    entered_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["question_group", "question_order", "pk"]

    def __str__(self):
        return f"Question {self.record_id} of {self.assessment_id}"


class CeAssessmentResult(HudRecord):
    """4.19.6 / 4.19.B: a result of a coordinated entry assessment (a score, a priority level),
    as the tool gave it (HMIS CSV AssessmentResults.csv)."""

    assessment = models.ForeignKey(CeAssessment, on_delete=models.CASCADE, related_name="results")
    result_type = models.CharField("result type", max_length=250)
    result = models.CharField(max_length=250, blank=True)
    entered_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["result_type", "pk"]

    def __str__(self):
        return f"Result {self.record_id} of {self.assessment_id}"


class CeEvent(HudRecord, Timely):
    """4.20: a coordinated entry event (referral, diversion) and its result."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="ce_events")
    event = models.PositiveSmallIntegerField(choices=CeEventType.choices)
    referral_result = models.PositiveSmallIntegerField(choices=ReferralResult.choices, null=True, blank=True)
    result_date = models.DateField(null=True, blank=True)
    # 4.20.A-C, asked after some events: the problem-solving/diversion result (event 2), whether the
    # client enrolled in aftercare (event 5), where the crisis or permanent housing is (events 10-15).
    prob_sol_div_rr_result = models.PositiveSmallIntegerField(
        "client housed or re-housed in a safe alternative (4.20.A)", choices=NoYesMissing.choices, null=True,
        blank=True)
    referral_case_manage_after = models.PositiveSmallIntegerField(
        "enrolled in aftercare project (4.20.B)", choices=NoYesMissing.choices, null=True, blank=True)
    location_crisis_or_ph_housing = models.CharField(
        "location of crisis housing or permanent housing (4.20.C)", max_length=250, blank=True)

    class Meta:
        indexes = [late_unsent_index("ce_event")]
        ordering = ["-information_date"]

    def __str__(self):
        return f"CE event of {self.enrollment} on {self.information_date}"


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class ProgramAnswers(models.Model):
    """The federal partners' answers HMIS CSV carries on the stay's Enrollment.csv and
    Exit.csv rows (PATH P3; RHY R1, R2, R11–R13, R15–R20; VA V4, V6, V7, V9, V10; HOPWA W5).
    Kept beside the stay, not on it, so the large Enrollment table stays narrow. A row exists
    only once something was answered; null is "not asked" and HMIS CSV writes it empty.
    Who is asked what, when: enrollments/elements.py PARTNER_ELEMENTS."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="program_answers")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # P3 PATH status
    date_of_path_status = models.DateField("date of PATH status determination (P3)", null=True, blank=True)
    client_enrolled_in_path = _answer("client became enrolled in PATH (P3)", NoYes)
    reason_not_enrolled = _answer("reason not enrolled", PathReasonNotEnrolled)
    # V4 percent of AMI
    percent_ami = _answer("household percent of AMI (V4)", PercentAmi)
    # R1 referral source
    referral_source = _answer("referral source (R1)", ReferralSource)
    count_outreach_referral_approaches = _count("number of times approached by outreach before entering")
    # R2 RHY-BCP status
    date_of_bcp_status = models.DateField("date of BCP status determination (R2)", null=True, blank=True)
    eligible_for_rhy = _answer("youth eligible for RHY services (R2)", NoYes)
    reason_no_services = _answer("reason services are not funded by the BCP grant", ReasonNoServices)
    runaway_youth = _answer("runaway youth", NoYesReason)
    # R11, R12 former ward of child welfare / juvenile justice
    former_ward_child_welfare = _answer("formerly a ward of child welfare or foster care agency (R11)")
    child_welfare_years = _answer("number of years", WardYears)
    child_welfare_months = models.PositiveSmallIntegerField("number of months (if less than one year)", null=True,
                                                            blank=True)
    former_ward_juvenile_justice = _answer("formerly a ward of the juvenile justice system (R12)")
    juvenile_justice_years = _answer("number of years", WardYears)
    juvenile_justice_months = models.PositiveSmallIntegerField("number of months (if less than one year)", null=True,
                                                               blank=True)
    # R13 family critical issues
    unemployment_fam = _answer("unemployment – family member (R13)", NoYes)
    mental_health_disorder_fam = _answer("mental health disorder – family member", NoYes)
    physical_disability_fam = _answer("physical disability – family member", NoYes)
    alcohol_drug_use_disorder_fam = _answer("alcohol or drug use disorder – family member", NoYes)
    insufficient_income = _answer("insufficient income to support youth – family member", NoYes)
    incarcerated_parent = _answer("incarcerated parent of youth", NoYes)
    # V6 VAMC station number (HUD's list has text codes such as 589A5)
    vamc_station = models.CharField("VAMC station number (V6)", max_length=5, blank=True)
    # V7 HP targeting criteria (SSVF homelessness prevention)
    target_screen_reqd = _answer("HP targeting criteria screening required (V7)", NoYes)
    time_to_housing_loss = _answer("time to housing loss", TimeToHousingLoss)
    annual_percent_ami = _answer("annual income as a percent of AMI", AnnualPercentAmi)
    literal_homeless_history = _answer("history of literal homelessness", LiteralHomelessHistory)
    client_leaseholder = _answer("client is the leaseholder", NoYes)
    hoh_leaseholder = _answer("head of household is the leaseholder", NoYes)
    subsidy_at_risk = _answer("housing subsidy at risk of loss", NoYes)
    eviction_history = _answer("rental evictions in the past 3 years", EvictionHistory)
    criminal_record = _answer("criminal record", NoYes)
    incarcerated_adult = _answer("adult incarcerated (head of household)", IncarceratedAdult)
    prison_discharge = _answer("discharged from prison in the past 6 months", NoYes)
    sex_offender = _answer("registered sex offender", NoYes)
    disabled_hoh = _answer("head of household has a disability", NoYes)
    current_pregnant = _answer("currently pregnant", NoYes)
    single_parent = _answer("single parent with a minor child", NoYes)
    dependent_under6 = _answer("dependent children under 6", DependentUnder6)
    hh5_plus = _answer("household of five or more", NoYes)
    coc_prioritized = _answer("prioritized by the CoC", NoYes)
    hp_screening_score = _count("HP screening score")
    threshold_score = _count("grantee targeting threshold score")
    # V10 mental health consultation (FY2026)
    mental_health_consultation = _answer("mental health consultation (V10)", MentalHealthConsultation)
    # W5 housing assessment at exit (HOPWA)
    housing_assessment = _answer("housing assessment at exit (W5)", HousingAssessment)
    subsidy_information = _answer("subsidy information", SubsidyInformation)
    # R17 project completion status
    project_completion_status = _answer("project completion status (R17)", ProjectCompletionStatus)
    early_exit_reason = _answer("major reason for the involuntary discharge", EarlyExitReason)
    # R15 commercial sexual exploitation / sex trafficking
    exchange_for_sex = _answer("ever received anything in exchange for sex (R15)")
    exchange_for_sex_past_three_months = _answer("in the last three months")
    count_of_exchange_for_sex = _answer("how many times", CountOfExchangeForSex)
    asked_or_forced_to_exchange_for_sex = _answer("ever been made or persuaded to have sex in exchange for something")
    asked_or_forced_past_three_months = _answer("in the last three months")
    # R16 labor exploitation / trafficking
    workplace_violence_threats = _answer("ever afraid to quit or leave work due to threats of violence (R16)")
    workplace_promise_difference = _answer("ever promised work where the work or payment differed from the promise")
    coerced_to_continue_work = _answer("felt forced, coerced or tricked into continuing the job")
    labor_exploit_past_three_months = _answer("in the last three months")
    # R18 counseling
    counseling_received = _answer("counseling received by client (R18)", NoYes)
    individual_counseling = _answer("individual counseling", NoYes)
    family_counseling = _answer("family counseling", NoYes)
    group_counseling = _answer("group counseling, including peer counseling", NoYes)
    session_count_at_exit = _count("number of sessions received by exit")
    post_exit_counseling_plan = _answer("a plan to start or continue counseling after exit", NoYes)
    sessions_in_plan = _count("total number of sessions planned in the youth’s treatment or service plan")
    # R19 safe and appropriate exit
    destination_safe_client = _answer("exit destination safe, as determined by the client (R19)")
    destination_safe_worker = _answer("exit destination safe, as determined by the project", WorkerDetermination)
    pos_adult_connections = _answer("permanent positive adult connections outside the project", WorkerDetermination)
    pos_peer_connections = _answer("permanent positive peer connections outside the project", WorkerDetermination)
    pos_community_connections = _answer("permanent positive connections with the community", WorkerDetermination)
    # R20 aftercare plans (within 180 days after the exit)
    aftercare_date = models.DateField("date of aftercare (R20)", null=True, blank=True)
    aftercare_provided = _answer("aftercare was provided (R20)", AftercareProvided)
    email_social_media = _answer("aftercare by email or social media", NoYes)
    telephone = _answer("aftercare by telephone", NoYes)
    in_person_individual = _answer("aftercare in person: one-on-one", NoYes)
    in_person_group = _answer("aftercare in person: group", NoYes)
    # V9 HUD-VASH exit information
    cm_exit_reason = _answer("HUD-VASH case management exit reason (V9)", CmExitReason)

    def __str__(self):
        return f"Program answers of {self.enrollment}"


class VeteranInformation(models.Model):
    """V1 Veteran's Information, asked of a client whose veteran status (3.07) is Yes, in
    the projects that collect it (D2); HMIS CSV Client.csv. One row per client, made only
    when answered: Client.csv writes the cells empty otherwise."""

    client = models.OneToOneField("clients.Client", on_delete=models.CASCADE, related_name="veteran_information")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    year_entered_service = models.PositiveSmallIntegerField("year entered military service (V1)", null=True, blank=True)
    year_separated = models.PositiveSmallIntegerField("year separated from military service", null=True, blank=True)
    world_war_ii = _answer("theater of operations: World War II")
    korean_war = _answer("theater of operations: Korean War")
    vietnam_war = _answer("theater of operations: Vietnam War")
    desert_storm = _answer("theater of operations: Persian Gulf War (Operation Desert Storm)")
    afghanistan_oef = _answer("theater of operations: Afghanistan (Operation Enduring Freedom)")
    iraq_oif = _answer("theater of operations: Iraq (Operation Iraqi Freedom)")
    iraq_ond = _answer("theater of operations: Iraq (Operation New Dawn)")
    other_theater = _answer("theater of operations: other peace-keeping operations or military interventions")
    military_branch = _answer("branch of the military", MilitaryBranch)
    discharge_status = _answer("discharge status", DischargeStatus)

    def __str__(self):
        return f"Veteran's information of {self.client}"


class HeadChange(models.Model):
    """A change of head of household in a household stay (HMIS Data Standards 3.15, 5.09):
    exactly one head at a time, so another member present becomes head and the old head is
    re-labelled. HMIS CSV keeps one RelationshipToHoH per stay, the current one; this row
    keeps who was head before, and from when, for the household's history. Members joining
    and leaving are read from their own stays' entry and exit dates."""

    household_id = models.CharField(max_length=32, db_index=True)
    new_head = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    previous_head = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    # The relationships before the change: the new head's, and what the old head became.
    new_head_was = models.PositiveSmallIntegerField(choices=RelationshipToHoH.choices, null=True)
    previous_head_became = models.PositiveSmallIntegerField(choices=RelationshipToHoH.choices)
    effective_date = models.DateField("date the new head took over")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["effective_date", "pk"]

    def __str__(self):
        return f"Head change in household {self.household_id} on {self.effective_date:%Y-%m-%d}"


from .referral_models import DeclineReason, Referral, ReferralEvent, ReferralStatus  # noqa: E402, F401
