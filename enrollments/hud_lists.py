"""HUD value lists of project stays (HMIS CSV FY2026)."""

import functools

from django.db import models


class RelationshipToHoH(models.IntegerChoices):  # 3.15.1
    SELF = 1, "Self (head of household)"
    CHILD = 2, "Head of household’s child"
    SPOUSE = 3, "Head of household’s spouse or partner"
    OTHER_RELATION = 4, "Head of household’s other relation member"
    NON_RELATION = 5, "Other: non-relation member"
    NOT_COLLECTED = 99, "Data not collected"


class LivingSituation(models.IntegerChoices):  # 3.12.1, used by 3.917 and 3.12
    PLACE_NOT_MEANT = 116, "Place not meant for habitation"
    EMERGENCY_SHELTER = 101, "Emergency shelter, incl. hotel/motel paid with a shelter voucher, host home shelter"
    SAFE_HAVEN = 118, "Safe Haven"
    FOSTER_CARE = 215, "Foster care home or foster care group home"
    HOSPITAL = 206, "Hospital or other residential non-psychiatric medical facility"
    JAIL = 207, "Jail, prison, or juvenile detention facility"
    LONG_TERM_CARE = 225, "Long-term care facility or nursing home"
    PSYCHIATRIC = 204, "Psychiatric hospital or other psychiatric facility"
    SUBSTANCE_TREATMENT = 205, "Substance abuse treatment facility or detox center"
    TRANSITIONAL = 302, "Transitional housing for homeless persons"
    HALFWAY = 329, "Residential project or halfway house with no homeless criteria"
    HOTEL_NO_VOUCHER = 314, "Hotel or motel paid for without emergency shelter voucher"
    HOST_HOME = 332, "Host Home (non-crisis)"
    FRIEND_ROOM = 336, "Staying or living in a friend’s room, apartment, or house"
    FAMILY_ROOM = 335, "Staying or living in a family member’s room, apartment, or house"
    FAMILY_TEMPORARY = 312, "Staying or living with family, temporary tenure"
    FRIENDS_TEMPORARY = 313, "Staying or living with friends, temporary tenure"
    HOPWA_TH = 327, "Moved from one HOPWA funded project to HOPWA TH"
    FAMILY_PERMANENT = 422, "Staying or living with family, permanent tenure"
    FRIENDS_PERMANENT = 423, "Staying or living with friends, permanent tenure"
    HOPWA_PH = 426, "Moved from one HOPWA funded project to HOPWA PH"
    RENTAL_NO_SUBSIDY = 410, "Rental by client, no ongoing housing subsidy"
    RENTAL_SUBSIDY = 435, "Rental by client, with ongoing housing subsidy"
    OWNED_SUBSIDY = 421, "Owned by client, with ongoing housing subsidy"
    OWNED_NO_SUBSIDY = 411, "Owned by client, no ongoing housing subsidy"
    NO_EXIT_INTERVIEW = 30, "No exit interview completed"
    OTHER = 17, "Other"
    DECEASED = 24, "Deceased"
    WORKER_UNABLE = 37, "Worker unable to determine"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class PriorLivingSituation(models.IntegerChoices):
    """3.917.1: the living situation just before project start. HUD's Data Dictionary
    offers here the homeless, institutional, temporary and permanent situations of the
    3.12.1 option list but not the destination-only tenure and HOPWA answers (312, 313,
    327, 422, 423, 426: at entry 335/336 "staying in a family member's / friend's room"
    ask the same) nor Other, Deceased, No exit interview, Worker unable to determine."""

    PLACE_NOT_MEANT = 116, "Place not meant for habitation"
    EMERGENCY_SHELTER = 101, "Emergency shelter, incl. hotel/motel paid with a shelter voucher, host home shelter"
    SAFE_HAVEN = 118, "Safe Haven"
    FOSTER_CARE = 215, "Foster care home or foster care group home"
    HOSPITAL = 206, "Hospital or other residential non-psychiatric medical facility"
    JAIL = 207, "Jail, prison, or juvenile detention facility"
    LONG_TERM_CARE = 225, "Long-term care facility or nursing home"
    PSYCHIATRIC = 204, "Psychiatric hospital or other psychiatric facility"
    SUBSTANCE_TREATMENT = 205, "Substance abuse treatment facility or detox center"
    TRANSITIONAL = 302, "Transitional housing for homeless persons"
    HALFWAY = 329, "Residential project or halfway house with no homeless criteria"
    HOTEL_NO_VOUCHER = 314, "Hotel or motel paid for without emergency shelter voucher"
    HOST_HOME = 332, "Host Home (non-crisis)"
    FRIEND_ROOM = 336, "Staying or living in a friend’s room, apartment, or house"
    FAMILY_ROOM = 335, "Staying or living in a family member’s room, apartment, or house"
    RENTAL_NO_SUBSIDY = 410, "Rental by client, no ongoing housing subsidy"
    RENTAL_SUBSIDY = 435, "Rental by client, with ongoing housing subsidy"
    OWNED_SUBSIDY = 421, "Owned by client, with ongoing housing subsidy"
    OWNED_NO_SUBSIDY = 411, "Owned by client, no ongoing housing subsidy"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class Destination(models.IntegerChoices):
    """3.12.1 as HUD's Data Dictionary offers it at exit: every option but the entry and
    contact-only 335/336 (room of a family member / friend; at exit HUD asks the tenure,
    312/313/422/423) and 37 Worker unable to determine (a 4.12 street-contact answer)."""

    PLACE_NOT_MEANT = 116, "Place not meant for habitation"
    EMERGENCY_SHELTER = 101, "Emergency shelter, incl. hotel/motel paid with a shelter voucher, host home shelter"
    SAFE_HAVEN = 118, "Safe Haven"
    FOSTER_CARE = 215, "Foster care home or foster care group home"
    HOSPITAL = 206, "Hospital or other residential non-psychiatric medical facility"
    JAIL = 207, "Jail, prison, or juvenile detention facility"
    LONG_TERM_CARE = 225, "Long-term care facility or nursing home"
    PSYCHIATRIC = 204, "Psychiatric hospital or other psychiatric facility"
    SUBSTANCE_TREATMENT = 205, "Substance abuse treatment facility or detox center"
    TRANSITIONAL = 302, "Transitional housing for homeless persons"
    HALFWAY = 329, "Residential project or halfway house with no homeless criteria"
    HOTEL_NO_VOUCHER = 314, "Hotel or motel paid for without emergency shelter voucher"
    HOST_HOME = 332, "Host Home (non-crisis)"
    FAMILY_TEMPORARY = 312, "Staying or living with family, temporary tenure"
    FRIENDS_TEMPORARY = 313, "Staying or living with friends, temporary tenure"
    HOPWA_TH = 327, "Moved from one HOPWA funded project to HOPWA TH"
    FAMILY_PERMANENT = 422, "Staying or living with family, permanent tenure"
    FRIENDS_PERMANENT = 423, "Staying or living with friends, permanent tenure"
    HOPWA_PH = 426, "Moved from one HOPWA funded project to HOPWA PH"
    RENTAL_NO_SUBSIDY = 410, "Rental by client, no ongoing housing subsidy"
    RENTAL_SUBSIDY = 435, "Rental by client, with ongoing housing subsidy"
    OWNED_SUBSIDY = 421, "Owned by client, with ongoing housing subsidy"
    OWNED_NO_SUBSIDY = 411, "Owned by client, no ongoing housing subsidy"
    NO_EXIT_INTERVIEW = 30, "No exit interview completed"
    OTHER = 17, "Other"
    DECEASED = 24, "Deceased"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class CurrentLivingSituationChoices(models.IntegerChoices):
    """4.12.1: where the client stays at a contact. HUD's Data Dictionary offers the
    prior-living-situation options (3.917.1) plus Other and Worker unable to determine
    (an outreach worker may not learn where the person sleeps)."""

    PLACE_NOT_MEANT = 116, "Place not meant for habitation"
    EMERGENCY_SHELTER = 101, "Emergency shelter, incl. hotel/motel paid with a shelter voucher, host home shelter"
    SAFE_HAVEN = 118, "Safe Haven"
    FOSTER_CARE = 215, "Foster care home or foster care group home"
    HOSPITAL = 206, "Hospital or other residential non-psychiatric medical facility"
    JAIL = 207, "Jail, prison, or juvenile detention facility"
    LONG_TERM_CARE = 225, "Long-term care facility or nursing home"
    PSYCHIATRIC = 204, "Psychiatric hospital or other psychiatric facility"
    SUBSTANCE_TREATMENT = 205, "Substance abuse treatment facility or detox center"
    TRANSITIONAL = 302, "Transitional housing for homeless persons"
    HALFWAY = 329, "Residential project or halfway house with no homeless criteria"
    HOTEL_NO_VOUCHER = 314, "Hotel or motel paid for without emergency shelter voucher"
    HOST_HOME = 332, "Host Home (non-crisis)"
    FRIEND_ROOM = 336, "Staying or living in a friend’s room, apartment, or house"
    FAMILY_ROOM = 335, "Staying or living in a family member’s room, apartment, or house"
    RENTAL_NO_SUBSIDY = 410, "Rental by client, no ongoing housing subsidy"
    RENTAL_SUBSIDY = 435, "Rental by client, with ongoing housing subsidy"
    OWNED_SUBSIDY = 421, "Owned by client, with ongoing housing subsidy"
    OWNED_NO_SUBSIDY = 411, "Owned by client, no ongoing housing subsidy"
    OTHER = 17, "Other"
    WORKER_UNABLE = 37, "Worker unable to determine"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class RentalSubsidyType(models.IntegerChoices):  # 3.12.A (also 3.917.A at entry)
    GPD_TIP = 428, "GPD TIP housing subsidy"
    VASH = 419, "VASH housing subsidy"
    RRH = 431, "RRH or equivalent subsidy"
    HCV = 433, "HCV voucher (tenant or project based) (not dedicated)"
    PUBLIC_HOUSING = 434, "Public housing unit"
    OTHER_SUBSIDY = 420, "Rental by client, with other ongoing housing subsidy"
    HOUSING_STABILITY_VOUCHER = 436, "Housing Stability Voucher"
    FUP = 437, "Family Unification Program Voucher (FUP)"
    FYI = 438, "Foster Youth to Independence Initiative (FYI)"
    PSH = 439, "Permanent Supportive Housing"
    OTHER_DEDICATED = 440, "Other permanent housing dedicated for formerly homeless persons"


# 3.917: the living situation's group decides which questions follow (enrollments/elements.py).
HOMELESS_SITUATIONS = {116, 101, 118}
INSTITUTIONAL_SITUATIONS = {215, 206, 207, 225, 204, 205}
EXIT_ONLY_SITUATIONS = {30, 17, 24, 37}
RENTAL_WITH_SUBSIDY = 435  # 3.917.A / 3.12.A: the subsidy type is asked only after this answer
OTHER_DESTINATION = 17     # 3.12.B: "Other" asks what it was


class LengthOfStay(models.IntegerChoices):  # 3.917.2
    ONE_NIGHT = 10, "One night or less"
    TWO_TO_SIX = 11, "Two to six nights"
    WEEK_TO_MONTH = 2, "One week or more, but less than one month"
    MONTH_TO_90 = 3, "One month or more, but less than 90 days"
    DAYS_90_TO_YEAR = 4, "90 days or more but less than one year"
    YEAR_PLUS = 5, "One year or longer"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class TimesHomeless(models.IntegerChoices):  # 3.917.4
    ONE = 1, "One time"
    TWO = 2, "Two times"
    THREE = 3, "Three times"
    FOUR_PLUS = 4, "Four or more times"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class MonthsHomeless(models.IntegerChoices):  # 3.917.5
    M1 = 101, "1"
    M2 = 102, "2"
    M3 = 103, "3"
    M4 = 104, "4"
    M5 = 105, "5"
    M6 = 106, "6"
    M7 = 107, "7"
    M8 = 108, "8"
    M9 = 109, "9"
    M10 = 110, "10"
    M11 = 111, "11"
    M12 = 112, "12"
    MORE_THAN_12 = 113, "More than 12 months"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class DataCollectionStage(models.IntegerChoices):  # 5.03.1
    PROJECT_START = 1, "Project start"
    UPDATE = 2, "Update"
    PROJECT_EXIT = 3, "Project exit"
    ANNUAL = 5, "Annual assessment"
    POST_EXIT = 6, "Post-exit"  # HUD's list has it (RHY aftercare); no form here offers it


class ServiceRecordType(models.IntegerChoices):  # 1.4
    BED_NIGHT = 200, "Bed night"
    PATH_SERVICE = 141, "PATH service"
    RHY_SERVICE = 142, "RHY service connections"
    HOPWA_SERVICE = 143, "HOPWA service"
    SSVF_SERVICE = 144, "SSVF service"
    HOPWA_FA = 151, "HOPWA financial assistance"
    SSVF_FA = 152, "SSVF financial assistance"
    PATH_REFERRAL = 161, "PATH referral"
    VASH_OTH_VOUCHER = 210, "HUD-VASH OTH voucher tracking"
    MOVING_ON = 300, "Moving On assistance provided"


class CeAssessmentType(models.IntegerChoices):  # 4.19.3
    PHONE = 1, "Phone"
    VIRTUAL = 2, "Virtual"
    IN_PERSON = 3, "In person"


class CeAssessmentLevel(models.IntegerChoices):  # 4.19.4
    CRISIS = 1, "Crisis needs assessment"
    HOUSING = 2, "Housing needs assessment"


class PrioritizationStatus(models.IntegerChoices):  # 4.19.7
    PLACED = 1, "Placed on prioritization list"
    NOT_PLACED = 2, "Not placed on prioritization list"


class CeEventType(models.IntegerChoices):  # 4.20.2
    PREVENTION = 1, "Referral to Prevention Assistance project"
    DIVERSION = 2, "Problem Solving/Diversion/Rapid Resolution intervention or service"
    CRISIS_ASSESSMENT = 3, "Referral to scheduled Coordinated Entry Crisis Needs Assessment"
    HOUSING_ASSESSMENT = 4, "Referral to scheduled Coordinated Entry Housing Needs Assessment"
    POST_PLACEMENT = 5, "Referral to Post-placement/ follow-up case management"
    STREET_OUTREACH = 6, "Referral to Street Outreach project or services"
    NAVIGATION = 7, "Referral to Housing Navigation project or services"
    INELIGIBLE = 8, "Referral to Non-continuum services: Ineligible for continuum services"
    NO_AVAILABILITY = 9, "Referral to Non-continuum services: No availability in continuum services"
    ES_BED = 10, "Referral to Emergency Shelter bed opening"
    TH_UNIT = 11, "Referral to Transitional Housing bed/unit opening"
    TH_RRH = 12, "Referral to Joint TH-RRH project/unit/resource opening"
    RRH = 13, "Referral to RRH project resource opening"
    PSH = 14, "Referral to PSH project resource opening"
    OTHER_PH = 15, "Referral to Other PH project/unit/resource opening"
    FLEX_FUND = 16, "Referral to emergency assistance/flex fund/furniture assistance"
    EHV = 17, "Referral to Emergency Housing Voucher (EHV)"
    HSV = 18, "Referral to a Housing Stability Voucher"


class ReferralResult(models.IntegerChoices):  # 4.20.D
    ACCEPTED = 1, "Successful referral: client accepted"
    CLIENT_REJECTED = 2, "Unsuccessful referral: client rejected"
    PROVIDER_REJECTED = 3, "Unsuccessful referral: provider rejected"


# HUD's list each choices class implements, by the number of the HMIS CSV picklist
# (FY2024 picklists with FY2026's changes: reports/hmis_csv/spec.py::value_list).
# tests/enrollments/test_hud_value_lists.py compares them value by value.
HUD_LIST_NUMBERS = {
    RelationshipToHoH: "3.15.1",
    LivingSituation: "3.12.1",
    PriorLivingSituation: "3.917.1",
    Destination: "3.12",
    CurrentLivingSituationChoices: "4.12.1",
    RentalSubsidyType: "3.12.A",
    LengthOfStay: "3.917.2",
    TimesHomeless: "3.917.4",
    MonthsHomeless: "3.917.5",
    DataCollectionStage: "5.03.1",
    ServiceRecordType: "1.4",
    CeAssessmentType: "4.19.3",
    CeAssessmentLevel: "4.19.4",
    PrioritizationStatus: "4.19.7",
    CeEventType: "4.20.2",
    ReferralResult: "4.20.D",
}
# Lists HUD defines as part of another: the HMIS CSV carries one option list, 3.12.1
# "Living Situation Option List", for 3.917.1, 3.12.1 and 4.12.1, and the FY2026 HMIS
# Data Dictionary (3.917 Prior Living Situation, 3.12 Destination, 4.12 Current Living
# Situation; Data Standards Manual, Appendix A "Living Situation Response Categories")
# says which of its options each element offers. name -> (whole list, options left out)
HUD_SUBSETS = {
    # 3.917: no destination-only tenure or HOPWA moves, no exit-only answers.
    "3.917.1": ("3.12.1", frozenset({312, 313, 327, 422, 423, 426, 17, 24, 30, 37})),
    # 3.12: at exit HUD asks the tenure (312/313/422/423), not "a family member's /
    # friend's room" (335/336); "Worker unable to determine" is a street-contact answer.
    "3.12": ("3.12.1", frozenset({335, 336, 37})),
    # 4.12: the 3.917 options plus Other (17) and Worker unable to determine (37).
    "4.12.1": ("3.12.1", frozenset({312, 313, 327, 422, 423, 426, 24, 30})),
}


# Program-specific data elements of an assessment (4.02–4.11, W3–W6, R4–R10, C3).
# Values and texts from HUD's lists (FY2024 picklists, unchanged for these in FY2026).

class NoYes(models.IntegerChoices):  # 1.7: each income, benefit and insurance source
    NO = 0, "No"
    YES = 1, "Yes"
    NOT_COLLECTED = 99, "Data not collected"


class SubstanceUse(models.IntegerChoices):  # 4.10.2
    NO = 0, "No"
    ALCOHOL = 1, "Alcohol use disorder"
    DRUG = 2, "Drug use disorder"
    BOTH = 3, "Both alcohol and drug use disorders"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class WhenDvOccurred(models.IntegerChoices):  # 4.11.A
    PAST_THREE_MONTHS = 1, "Within the past three months"
    THREE_TO_SIX_MONTHS = 2, "Three to six months ago (excluding six months exactly)"
    SIX_MONTHS_TO_YEAR = 3, "Six months to one year ago (excluding one year exactly)"
    YEAR_OR_MORE = 4, "One year or more"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class InsuranceReason(models.IntegerChoices):  # 4.04.A (HOPWA)
    PENDING = 1, "Applied; decision pending"
    NOT_ELIGIBLE = 2, "Applied; client not eligible"
    DID_NOT_APPLY = 3, "Client did not apply"
    NOT_APPLICABLE = 4, "Insurance type n/a for this client"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class MedicalAssistanceReason(models.IntegerChoices):  # W3 (HOPWA): ADAP, Ryan White
    PENDING = 1, "Applied; decision pending"
    NOT_ELIGIBLE = 2, "Applied; client not eligible"
    DID_NOT_APPLY = 3, "Client did not apply"
    NOT_APPLICABLE = 4, "Insurance type not applicable for this client"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class ViralLoadAvailable(models.IntegerChoices):  # W4.3
    NOT_AVAILABLE = 0, "Not available"
    AVAILABLE = 1, "Available"
    UNDETECTABLE = 2, "Undetectable"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class LabSource(models.IntegerChoices):  # W4.B: how the T-cell count or viral load was obtained
    MEDICAL_REPORT = 1, "Medical Report"
    CLIENT_REPORT = 2, "Client Report"
    OTHER = 3, "Other"


class HealthStatus(models.IntegerChoices):  # R7.1, also R8 and R9
    EXCELLENT = 1, "Excellent"
    VERY_GOOD = 2, "Very good"
    GOOD = 3, "Good"
    FAIR = 4, "Fair"
    POOR = 5, "Poor"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class LastGradeCompleted(models.IntegerChoices):  # R4.1
    LESS_THAN_5 = 1, "Less than grade 5"
    GRADES_5_6 = 2, "Grades 5-6"
    GRADES_7_8 = 3, "Grades 7-8"
    GRADES_9_11 = 4, "Grades 9-11"
    GRADE_12 = 5, "Grade 12"
    NO_GRADE_LEVELS = 6, "School program does not have grade levels"
    GED = 7, "GED"
    SOME_COLLEGE = 10, "Some college"
    ASSOCIATES = 11, "Associate’s degree"
    BACHELORS = 12, "Bachelor’s degree"
    GRADUATE = 13, "Graduate degree"
    VOCATIONAL = 14, "Vocational certification"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class SchoolStatus(models.IntegerChoices):  # R5.1
    REGULARLY = 1, "Attending school regularly"
    IRREGULARLY = 2, "Attending school irregularly"
    GRADUATED = 3, "Graduated from high school"
    GED = 4, "Obtained GED"
    DROPPED_OUT = 5, "Dropped out"
    SUSPENDED = 6, "Suspended"
    EXPELLED = 7, "Expelled"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class EmploymentType(models.IntegerChoices):  # R6.A
    FULL_TIME = 1, "Full-time"
    PART_TIME = 2, "Part-time"
    SEASONAL = 3, "Seasonal / sporadic (including day labor)"
    NOT_COLLECTED = 99, "Data not collected"


class NotEmployedReason(models.IntegerChoices):  # R6.B
    LOOKING = 1, "Looking for work"
    UNABLE = 2, "Unable to work"
    NOT_LOOKING = 3, "Not looking for work"
    NOT_COLLECTED = 99, "Data not collected"


class CurrentSchoolAttend(models.IntegerChoices):  # C3.2
    NOT_ENROLLED = 0, "Not currently enrolled in any school or educational course"
    ENROLLED_NOT_ATTENDING = 1, "Currently enrolled but NOT attending regularly (when school or the course is in session)"
    ENROLLED_ATTENDING = 2, "Currently enrolled and attending regularly (when school or the course is in session)"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class MostRecentEdStatus(models.IntegerChoices):  # C3.A
    K12_GRADUATED = 0, "K12: Graduated from high school"
    K12_GED = 1, "K12: Obtained GED"
    K12_DROPPED_OUT = 2, "K12: Dropped out"
    K12_SUSPENDED = 3, "K12: Suspended"
    K12_EXPELLED = 4, "K12: Expelled"
    HIGHER_NOT_ATTENDING = 5, "Higher education: Pursuing a credential but not currently attending"
    HIGHER_DROPPED_OUT = 6, "Higher education: Dropped out"
    HIGHER_CREDENTIAL = 7, "Higher education: Obtained a credential/degree"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class CurrentEdStatus(models.IntegerChoices):  # C3.B
    HIGH_SCHOOL = 0, "Pursuing a high school diploma or GED"
    ASSOCIATES = 1, "Pursuing Associate’s Degree"
    BACHELORS = 2, "Pursuing Bachelor’s Degree"
    GRADUATE = 3, "Pursuing Graduate Degree"
    OTHER = 4, "Pursuing other post-secondary credential"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


# The assessment lists above, registered for the same comparison.
HUD_LIST_NUMBERS |= {
    NoYes: "1.7",
    SubstanceUse: "4.10.2",
    WhenDvOccurred: "4.11.A",
    InsuranceReason: "4.04.A",
    MedicalAssistanceReason: "W3",
    ViralLoadAvailable: "W4.3",
    LabSource: "W4.B",
    HealthStatus: "R7.1",
    LastGradeCompleted: "R4.1",
    SchoolStatus: "R5.1",
    EmploymentType: "R6.A",
    NotEmployedReason: "R6.B",
    CurrentSchoolAttend: "C3.2",
    MostRecentEdStatus: "C3.A",
    CurrentEdStatus: "C3.B",
}


# Federal partners' elements on Enrollment.csv, Exit.csv and Client.csv (PATH, RHY, VA,
# HOPWA: enrollments/elements.py PARTNER_ELEMENTS). FY2024 picklists, unchanged in FY2026
# except V10, which FY2026 adds (../shared/hud/README.md).

class PathReasonNotEnrolled(models.IntegerChoices):  # P3.A
    INELIGIBLE = 1, "Client was found ineligible for PATH"
    OTHER_REASON = 2, "Client was not enrolled for other reason(s)"
    UNABLE_TO_LOCATE = 3, "Unable to locate client"


class PercentAmi(models.IntegerChoices):  # V4.1
    THIRTY_OR_LESS = 1, "30% or less"
    THIRTY_ONE_TO_FIFTY = 2, "31% to 50%"
    FIFTY_ONE_TO_EIGHTY = 3, "51% to 80%"
    EIGHTY_ONE_OR_MORE = 4, "81% or greater"
    NOT_COLLECTED = 99, "Data not collected"


class ReferralSource(models.IntegerChoices):  # R1.1
    SELF = 1, "Self-Referral"
    INDIVIDUAL = 2, "Individual: Parent/Guardian/Relative/Friend/Foster Parent/Other Individual"
    OUTREACH = 7, "Outreach Project"
    TEMPORARY_SHELTER = 11, "Temporary Shelter"
    RESIDENTIAL = 18, "Residential Project"
    HOTLINE = 28, "Hotline"
    CHILD_WELFARE = 30, "Child Welfare/CPS"
    JUVENILE_JUSTICE = 34, "Juvenile Justice"
    LAW_ENFORCEMENT = 35, "Law Enforcement/Police"
    MENTAL_HOSPITAL = 37, "Mental Hospital"
    SCHOOL = 38, "School"
    OTHER_ORGANIZATION = 39, "Other Organization"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class ReasonNoServices(models.IntegerChoices):  # R2.A
    OUT_OF_AGE_RANGE = 1, "Out of age range"
    WARD_OF_STATE = 2, "Ward of the state"
    WARD_OF_CRIMINAL_JUSTICE = 3, "Ward of the criminal justice system"
    OTHER = 4, "Other"
    NOT_COLLECTED = 99, "Data not collected"


class WardYears(models.IntegerChoices):  # R11.A, also R12.A
    UNDER_ONE = 1, "Less than one year"
    ONE_TO_TWO = 2, "1 to 2 years"
    THREE_OR_MORE = 3, "3 to 5 or more years"


class TimeToHousingLoss(models.IntegerChoices):  # V7.A
    ONE_TO_SIX_DAYS = 0, "1-6 days"
    SEVEN_TO_THIRTEEN = 1, "7-13 days"
    FOURTEEN_TO_TWENTY_ONE = 2, "14-21 days"
    MORE_THAN_TWENTY_ONE = 3, "More than 21 days"
    NOT_COLLECTED = 99, "Data not collected"


class AnnualPercentAmi(models.IntegerChoices):  # V7.B
    ZERO = 0, "$0 (i.e., not employed, not receiving cash benefits, no other current income)"
    UP_TO_FOURTEEN = 1, "1-14% of Area Median Income (AMI) for household size"
    FIFTEEN_TO_THIRTY = 2, "15-30% of AMI for household size"
    MORE_THAN_THIRTY = 3, "More than 30% of AMI for household size"
    NOT_COLLECTED = 99, "Data not collected"


class LiteralHomelessHistory(models.IntegerChoices):  # V7.C
    LAST_YEAR = 0, "Most recent episode occurred in the last year"
    OVER_A_YEAR_AGO = 1, "Most recent episode occurred more than one year ago"
    NONE = 2, "None"
    NOT_COLLECTED = 99, "Data not collected"


class EvictionHistory(models.IntegerChoices):  # V7.G
    NONE = 0, "No prior rental evictions"
    ONE = 1, "1 prior rental eviction"
    TWO_OR_MORE = 2, "2 or more prior rental evictions"
    NOT_COLLECTED = 99, "Data not collected"


class IncarceratedAdult(models.IntegerChoices):  # V7.I
    NOT_INCARCERATED = 0, "Not incarcerated"
    ONCE = 1, "Incarcerated once"
    TWO_OR_MORE = 2, "Incarcerated two or more times"
    NOT_COLLECTED = 99, "Data not collected"


class DependentUnder6(models.IntegerChoices):  # V7.O
    NO = 0, "No"
    UNDER_ONE = 1, "Youngest child is under 1 year old"
    ONE_TO_SIX = 2, "Youngest child is 1 to 6 years old and/or one or more children (any age) require significant care"
    NOT_COLLECTED = 99, "Data not collected"


class MentalHealthConsultation(models.IntegerChoices):  # V10 (new in FY2026)
    COMPLETED = 1, "Mental health consultation completed"
    ARRANGED_VA = 2, "Consultation being arranged with a VA provider"
    ARRANGED_OTHER = 3, "Consultation being arranged with another provider"
    DECLINED = 4, "Offer of a consultation declined"


class HousingAssessment(models.IntegerChoices):  # W5.1
    MAINTAINED = 1, "Able to maintain the housing they had at project entry"
    NEW_UNIT = 2, "Moved to new housing unit"
    FAMILY_TEMPORARY = 3, "Moved in with family/friends on a temporary basis"
    FAMILY_PERMANENT = 4, "Moved in with family/friends on a permanent basis"
    TRANSITIONAL = 5, "Moved to a transitional or temporary housing facility or program"
    HOMELESS = 6, "Client became homeless – moving to a shelter or other place unfit for human habitation"
    JAIL = 7, "Jail/prison"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    DECEASED = 10, "Deceased"
    NOT_COLLECTED = 99, "Data not collected"


class SubsidyInformation(models.IntegerChoices):  # W5.AB: W5.A (after 1) and W5.B (after 2) in one column
    WITHOUT_SUBSIDY = 1, "Without a subsidy"
    SUBSIDY_AT_ENTRY = 2, "With the subsidy they had at project entry"
    SUBSIDY_SINCE_ENTRY = 3, "With an on-going subsidy acquired since project entry"
    OTHER_ASSISTANCE_ONLY = 4, "But only with other financial assistance"
    ONGOING_SUBSIDY = 11, "With on-going subsidy"
    NO_ONGOING_SUBSIDY = 12, "Without an on-going subsidy"


# W5.A offers 1–4 after "Able to maintain the housing" (1); W5.B offers 11–12 after "Moved to new housing unit" (2).
SUBSIDY_INFORMATION_FOR = {1: {1, 2, 3, 4}, 2: {11, 12}}


class ProjectCompletionStatus(models.IntegerChoices):  # R17.1
    COMPLETED = 1, "Completed project"
    LEFT_EARLY = 2, "Client voluntarily left early"
    EXPELLED = 3, "Client was expelled or otherwise involuntarily discharged from project"


class EarlyExitReason(models.IntegerChoices):  # R17.A
    CRIMINAL_ACTIVITY = 1, "Criminal activity/destruction of property/violence"
    NON_COMPLIANCE = 2, "Non-compliance with project rules"
    NON_PAYMENT = 3, "Non-payment of rent/occupancy charge"
    MAXIMUM_TIME = 4, "Reached maximum time allowed by project"
    PROJECT_TERMINATED = 5, "Project terminated"
    DISAPPEARED = 6, "Unknown/disappeared"


class CountOfExchangeForSex(models.IntegerChoices):  # R15.B (the picklist's texts are spreadsheet-mangled ranges)
    ONE_TO_THREE = 1, "1-3"
    FOUR_TO_SEVEN = 2, "4-7"
    EIGHT_TO_ELEVEN = 3, "8-11"
    TWELVE_OR_MORE = 4, "12 or more"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class WorkerDetermination(models.IntegerChoices):  # R19.A
    NO = 0, "No"
    YES = 1, "Yes"
    WORKER_DOES_NOT_KNOW = 2, "Worker does not know"


class AftercareProvided(models.IntegerChoices):  # R20.2
    NO = 0, "No"
    YES = 1, "Yes"
    PREFERS_NOT = 9, "Client prefers not to answer"


class CmExitReason(models.IntegerChoices):  # V9.1
    ACCOMPLISHED_GOALS = 1, "Accomplished goals and/or obtained services and no longer needs CM"
    TRANSFERRED = 2, "Transferred to another HUD/VASH program site"
    OTHER_HOUSING = 3, "Found/chose other housing"
    DID_NOT_COMPLY = 4, "Did not comply with HUD/VASH CM"
    EVICTION = 5, "Eviction and/or other housing related issues"
    UNHAPPY = 6, "Unhappy with HUD/VASH housing"
    NOT_FINANCIALLY_ELIGIBLE = 7, "No longer financially eligible for HUD/VASH voucher"
    NOT_INTERESTED = 8, "No longer interested in participating in this program"
    CANNOT_BE_LOCATED = 9, "Veteran cannot be located"
    TOO_ILL = 10, "Veteran too ill to participate at this time"
    INCARCERATED = 11, "Veteran is incarcerated"
    DECEASED = 12, "Veteran is deceased"
    OTHER = 13, "Other"


class MilitaryBranch(models.IntegerChoices):  # V1.11
    ARMY = 1, "Army"
    AIR_FORCE = 2, "Air Force"
    NAVY = 3, "Navy"
    MARINES = 4, "Marines"
    COAST_GUARD = 6, "Coast Guard"
    SPACE_FORCE = 7, "Space Force"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class DischargeStatus(models.IntegerChoices):  # V1.12
    HONORABLE = 1, "Honorable"
    GENERAL = 2, "General under honorable conditions"
    BAD_CONDUCT = 4, "Bad conduct"
    DISHONORABLE = 5, "Dishonorable"
    OTHER_THAN_HONORABLE = 6, "Under other than honorable conditions (OTH)"
    UNCHARACTERIZED = 7, "Uncharacterized"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


HUD_LIST_NUMBERS |= {
    PathReasonNotEnrolled: "P3.A",
    PercentAmi: "V4.1",
    ReferralSource: "R1.1",
    ReasonNoServices: "R2.A",
    WardYears: "R11.A",
    TimeToHousingLoss: "V7.A",
    AnnualPercentAmi: "V7.B",
    LiteralHomelessHistory: "V7.C",
    EvictionHistory: "V7.G",
    IncarceratedAdult: "V7.I",
    DependentUnder6: "V7.O",
    MentalHealthConsultation: "V10",
    HousingAssessment: "W5.1",
    SubsidyInformation: "W5.AB",
    ProjectCompletionStatus: "R17.1",
    EarlyExitReason: "R17.A",
    CountOfExchangeForSex: "R15.B",
    WorkerDetermination: "R19.A",
    AftercareProvided: "R20.2",
    CmExitReason: "V9.1",
    MilitaryBranch: "V1.11",
    DischargeStatus: "V1.12",
}


@functools.cache
def vamc_stations() -> tuple[tuple[str, str], ...]:
    """V6.1 VAMC station numbers: HUD's list has codes such as "589A5", so the answer is
    text (HMIS CSV S5), offered from HUD's picklist as the HMIS CSV module keeps it."""
    import csv

    from reports.hmis_csv.spec import HERE

    with open(HERE / "hmis_csv_fy2024_picklists.csv", encoding="utf-8-sig", newline="") as f:
        return tuple((row["Value"].strip(), row["Text"].strip()) for row in csv.DictReader(f)
                     if row["List"].strip() == "V6.1")
