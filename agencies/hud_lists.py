"""HUD HMIS CSV FY2026 value lists used by projects (2.02.6, 2.06.1).

Kept in code, not read from ../shared, so the application runs anywhere.
"""

from django.db import models


class ProjectType(models.IntegerChoices):
    """Data element 2.02.6."""

    ES_ENTRY_EXIT = 0, "Emergency Shelter – Entry Exit"
    ES_NIGHT_BY_NIGHT = 1, "Emergency Shelter – Night-by-Night"
    TRANSITIONAL_HOUSING = 2, "Transitional Housing"
    PSH = 3, "PH – Permanent Supportive Housing"
    STREET_OUTREACH = 4, "Street Outreach"
    SERVICES_ONLY = 6, "Services Only"
    OTHER = 7, "Other"
    SAFE_HAVEN = 8, "Safe Haven"
    PH_HOUSING_ONLY = 9, "PH – Housing Only"
    PH_HOUSING_WITH_SERVICES = 10, "PH – Housing with Services (no disability required for entry)"
    DAY_SHELTER = 11, "Day Shelter"
    PREVENTION = 12, "Homelessness Prevention"
    RRH = 13, "PH – Rapid Re-Housing"
    COORDINATED_ENTRY = 14, "Coordinated Entry"


EMERGENCY_SHELTER_TYPES = {ProjectType.ES_ENTRY_EXIT, ProjectType.ES_NIGHT_BY_NIGHT}
PERMANENT_HOUSING_TYPES = {
    ProjectType.PSH,
    ProjectType.PH_HOUSING_ONLY,
    ProjectType.PH_HOUSING_WITH_SERVICES,
    ProjectType.RRH,
}


class FundingSource(models.IntegerChoices):
    """Data element 2.06.1 as of FY2026 (12, 47, 48, 49 retired; 56 added)."""

    COC_PREVENTION = 1, "HUD: CoC – Homelessness Prevention (High Performing Comm. Only)"
    COC_PSH = 2, "HUD: CoC – Permanent Supportive Housing"
    COC_RRH = 3, "HUD: CoC – Rapid Re-Housing"
    COC_SSO = 4, "HUD: CoC – Supportive Services Only"
    COC_TH = 5, "HUD: CoC – Transitional Housing"
    COC_SAFE_HAVEN = 6, "HUD: CoC – Safe Haven"
    COC_SRO = 7, "HUD: CoC – Single Room Occupancy (SRO)"
    ESG_SHELTER = 8, "HUD: ESG – Emergency Shelter (operating and/or essential services)"
    ESG_PREVENTION = 9, "HUD: ESG – Homelessness Prevention"
    ESG_RRH = 10, "HUD: ESG – Rapid Rehousing"
    ESG_OUTREACH = 11, "HUD: ESG – Street Outreach"
    HOPWA_HOTEL = 13, "HUD: HOPWA – Hotel/Motel Vouchers"
    HOPWA_INFO = 14, "HUD: HOPWA – Housing Information"
    HOPWA_PH = 15, "HUD: HOPWA – Permanent Housing (facility based or TBRA)"
    HOPWA_PH_PLACEMENT = 16, "HUD: HOPWA – Permanent Housing Placement"
    HOPWA_STRMU = 17, "HUD: HOPWA – Short-Term Rent, Mortgage, Utility assistance"
    HOPWA_SHORT_TERM_FACILITY = 18, "HUD: HOPWA – Short-Term Supportive Facility"
    HOPWA_TH = 19, "HUD: HOPWA – Transitional Housing (facility based or TBRA)"
    HUD_VASH = 20, "HUD: HUD/VASH"
    PATH = 21, "HHS: PATH – Street Outreach & Supportive Services Only"
    RHY_BCP = 22, "HHS: RHY – Basic Center Program (prevention and shelter)"
    RHY_MGH = 23, "HHS: RHY – Maternity Group Home for Pregnant and Parenting Youth"
    RHY_TLP = 24, "HHS: RHY – Transitional Living Program"
    RHY_OUTREACH = 25, "HHS: RHY – Street Outreach Project"
    RHY_DEMO = 26, "HHS: RHY – Demonstration Project"
    VA_CRS = 27, "VA: CRS Contract Residential Services"
    VA_SAFE_HAVEN = 30, "VA: Community Contract Safe Haven Program"
    VA_SSVF = 33, "VA: Supportive Services for Veteran Families"
    NOT_APPLICABLE = 34, "N/A"
    PAY_FOR_SUCCESS = 35, "HUD: Pay for Success"
    PIH = 36, "HUD: Public and Indian Housing (PIH) Programs"
    GPD_BRIDGE = 37, "VA: Grant Per Diem – Bridge Housing"
    GPD_LOW_DEMAND = 38, "VA: Grant Per Diem – Low Demand"
    GPD_HOSPITAL = 39, "VA: Grant Per Diem – Hospital to Housing"
    GPD_CLINICAL = 40, "VA: Grant Per Diem – Clinical Treatment"
    GPD_SERVICE_INTENSIVE = 41, "VA: Grant Per Diem – Service Intensive Transitional Housing"
    GPD_TIP = 42, "VA: Grant Per Diem – Transition in Place"
    COC_YHDP = 43, "HUD: CoC – Youth Homeless Demonstration Program (YHDP)"
    COC_JOINT_TH_RRH = 44, "HUD: CoC – Joint Component TH/RRH"
    GPD_CASE_MANAGEMENT = 45, "VA: Grant Per Diem – Case Management/Housing Retention"
    LOCAL_OTHER = 46, "Local or Other Funding Source (Please Specify)"
    HOME = 50, "HUD: HOME"
    HOME_ARP = 51, "HUD: HOME (ARP)"
    PIH_EHV = 52, "HUD: PIH (Emergency Housing Voucher)"
    ESG_RUSH = 53, "HUD: ESG – RUSH"
    UNSHELTERED_NOFO = 54, "HUD: Unsheltered Special NOFO"
    RURAL_NOFO = 55, "HUD: Rural Special NOFO"
    COC_BUILDS = 56, "HUD: CoC Builds"


# --- Project descriptor lists (FY2026 HMIS Data Standards 2.02–2.09) ----------------
# Residential project types: those that may have bed and unit inventory (2.07) and
# a housing type (2.02.D); HMIS CSV Affiliation.ResProjectID must be one of them.
RESIDENTIAL_TYPES = {
    ProjectType.ES_ENTRY_EXIT, ProjectType.ES_NIGHT_BY_NIGHT, ProjectType.TRANSITIONAL_HOUSING, ProjectType.PSH,
    ProjectType.SAFE_HAVEN, ProjectType.PH_HOUSING_ONLY, ProjectType.PH_HOUSING_WITH_SERVICES, ProjectType.RRH,
}


class NoYes(models.IntegerChoices):
    """List 1.1 as project descriptors use it (no "client doesn't know" here)."""

    NO = 0, "No"
    YES = 1, "Yes"


class RrhSubType(models.IntegerChoices):
    """2.02.A, only for project type 13."""

    SERVICES_ONLY = 1, "RRH: Services Only"
    HOUSING = 2, "RRH: Housing with or without services"


class HousingType(models.IntegerChoices):
    """2.02.D."""

    SINGLE_SITE = 1, "Site-based – single site"
    CLUSTERED = 2, "Site-based – clustered / multiple sites"
    SCATTERED = 3, "Tenant-based – scattered site"


class TargetPopulation(models.IntegerChoices):
    """2.02.7."""

    DV = 1, "DV: Survivor of Domestic Violence"
    HIV = 3, "HIV: Persons with HIV/AIDS"
    NOT_APPLICABLE = 4, "NA: Not applicable"


class HopwaMedAssistedLivingFac(models.IntegerChoices):
    """2.02.8."""

    NO = 0, "No"
    YES = 1, "Yes"
    NON_HOPWA = 2, "Non-HOPWA Funded Project"


class GeographyType(models.IntegerChoices):
    """2.03.4."""

    URBAN = 1, "Urban"
    SUBURBAN = 2, "Suburban"
    RURAL = 3, "Rural"
    UNKNOWN = 99, "Unknown / data not collected"


class HouseholdType(models.IntegerChoices):
    """2.07.4."""

    WITHOUT_CHILDREN = 1, "Households without children"
    ADULT_AND_CHILD = 3, "Households with at least one adult and one child"
    ONLY_CHILDREN = 4, "Households with only children"


# HUD numbers these as the HMIS CSV data dictionary does: ESBedType is element and list
# 2.07.5, Availability element and list 2.07.6 (both collected for emergency shelters only).
class EsBedType(models.IntegerChoices):
    """2.07.5."""

    FACILITY = 1, "Facility-based beds"
    VOUCHER = 2, "Voucher beds"
    OTHER = 3, "Other beds"


class Availability(models.IntegerChoices):
    """2.07.6."""

    YEAR_ROUND = 1, "Year-round"
    SEASONAL = 2, "Seasonal"
    OVERFLOW = 3, "Overflow"


class HmisParticipationType(models.IntegerChoices):
    """2.08.1."""

    NOT_PARTICIPATING = 0, "Not Participating"
    HMIS = 1, "HMIS Participating"
    COMPARABLE_DATABASE = 2, "Comparable Database Participating"


# HUD's list each choices class implements (tests/enrollments/test_hud_value_lists.py).
HUD_LIST_NUMBERS = {
    ProjectType: "2.02.6",
    FundingSource: "2.06.1",
    NoYes: "1.10",
    RrhSubType: "2.02.A",
    HousingType: "2.02.D",
    TargetPopulation: "2.02.7",
    HopwaMedAssistedLivingFac: "2.02.8",
    GeographyType: "2.03.4",
    HouseholdType: "2.07.4",
    EsBedType: "2.07.5",
    Availability: "2.07.6",
    HmisParticipationType: "2.08.1",
}
