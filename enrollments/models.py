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
    CeAssessmentLevel,
    CeAssessmentType,
    CeEventType,
    CurrentEdStatus,
    CurrentLivingSituationChoices,
    CurrentSchoolAttend,
    DataCollectionStage,
    Destination,
    EmploymentType,
    HealthStatus,
    InsuranceReason,
    LabSource,
    LastGradeCompleted,
    LengthOfStay,
    MedicalAssistanceReason,
    MonthsHomeless,
    MostRecentEdStatus,
    NotEmployedReason,
    NoYes,
    PrioritizationStatus,
    PriorLivingSituation,
    ReferralResult,
    RelationshipToHoH,
    RentalSubsidyType,
    SchoolStatus,
    ServiceRecordType,
    SubstanceUse,
    TimesHomeless,
    ViralLoadAvailable,
    WhenDvOccurred,
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
        "relationship to head of household (3.15)", choices=RelationshipToHoH.choices)
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
        "disabling condition (3.08)", choices=NoYesReason.choices, default=NoYesReason.NOT_COLLECTED)
    date_of_engagement = models.DateField("date of engagement (4.13)", null=True, blank=True)
    move_in_date = models.DateField("housing move-in date (3.20)", null=True, blank=True)
    exit_date = models.DateField("project exit date (3.11)", null=True, blank=True)
    destination = models.PositiveSmallIntegerField(
        "destination (3.12)", choices=Destination.choices, null=True, blank=True)
    destination_subsidy_type = models.PositiveSmallIntegerField(
        "type of the ongoing housing subsidy (3.12.A)", choices=RentalSubsidyType.choices, null=True, blank=True)
    other_destination = models.CharField("the other destination (3.12.B)", max_length=50, blank=True)

    # Optimistic locking: an update names the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [late_unsent_index("enrollment")]
        ordering = ["-entry_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_date__isnull=True) | models.Q(exit_date__gte=models.F("entry_date")),
                name="exit_not_before_entry",
            ),
        ]

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


class CeEvent(HudRecord, Timely):
    """4.20: a coordinated entry event (referral, diversion) and its result."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="ce_events")
    event = models.PositiveSmallIntegerField(choices=CeEventType.choices)
    referral_result = models.PositiveSmallIntegerField(choices=ReferralResult.choices, null=True, blank=True)
    result_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [late_unsent_index("ce_event")]
        ordering = ["-information_date"]

    def __str__(self):
        return f"CE event of {self.enrollment} on {self.information_date}"
