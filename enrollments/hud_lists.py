"""HUD value lists of project stays (HMIS CSV FY2026)."""

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


# 3.917: the literally homeless and institutional groups decide which questions follow.
HOMELESS_SITUATIONS = {116, 101, 118}
INSTITUTIONAL_SITUATIONS = {215, 206, 207, 225, 204, 205}
EXIT_ONLY_SITUATIONS = {30, 17, 24, 37}


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


class ServiceRecordType(models.IntegerChoices):  # 1.4 (subset the HMIS records here)
    BED_NIGHT = 200, "Bed night"
    PATH_SERVICE = 141, "PATH service"
    RHY_SERVICE = 142, "RHY service connections"
    HOPWA_FA = 143, "HOPWA financial assistance"
    SSVF_SERVICE = 144, "SSVF service"
    SSVF_FA = 152, "SSVF financial assistance"


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
