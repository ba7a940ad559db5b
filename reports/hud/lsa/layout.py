"""The LSA upload's files and their columns, in HUD's order (issue 20).

From HUD's LSA data dictionary (abtassociates/LSASampleCode, "Other Documentation/LSA Data
Dictionary - Columns.csv", the FY2025 LSA submitted in FY2026): five LSA files and the seven
HMIS CSV project descriptor files HDX 2.0 reads beside them. Each output table the SQL steps
fill (lsa_Report, lsa_Person...) has exactly these columns in this order.
"""

_PROJECT_GROUP = ("{g}AgeMin {g}AgeMax HHType{g} HoH{g} Adult{g} AIRAdult{g} HHChronic{g} HHVet{g} HHDisability{g} "
                  "HHFleeingDV{g} HHAdultAgeAO{g} HHAdultAgeAC{g} HHParent{g} AC3Plus{g} AIR{g} AIRHoH{g}")
_HOUSEHOLD_GROUP = "{g}Chronic {g}Vet {g}Disability {g}FleeingDV {g}AC3Plus {g}AdultAge {g}Parent"
_STAMPS = "DateCreated DateUpdated UserID DateDeleted ExportID"

FILES = {
    "LSAReport": (
        "ReportID ReportDate ReportStart ReportEnd ReportCoC SoftwareVendor SoftwareName VendorContact VendorEmail "
        "LSAScope LookbackDate NoCoC NotOneHoH RelationshipToHoH MoveInDate UnduplicatedClient HouseholdEntry "
        "ClientEntry AdultHoHEntry ClientExit SSN4Digit SSNNotProvided SSNMissingOrInvalid ClientSSNNotUnique "
        "DistinctSSNValueNotUnique DisablingCond LivingSituation LengthOfStay HomelessDate TimesHomeless "
        "MonthsHomeless Destination"),
    "LSAHousehold": (
        "RowTotal Stat ReturnTime HHType HHChronic HHVet HHDisability HHFleeingDV HoHRaceEthnicity HHAdult HHChild "
        "HHNoDOB HHAdultAge HHParent ESTStatus ESTGeography ESTLivingSit ESTDestination "
        + _HOUSEHOLD_GROUP.format(g="EST")
        + " RRHStatus RRHMoveIn RRHGeography RRHLivingSit RRHDestination RRHPreMoveInDays "
        + _HOUSEHOLD_GROUP.format(g="RRH")
        + " PSHStatus PSHMoveIn PSHGeography PSHLivingSit PSHDestination PSHHousedDays "
        + _HOUSEHOLD_GROUP.format(g="PSH")
        + " ESDays THDays ESTDays RRHPSHPreMoveInDays RRHHousedDays SystemDaysNotPSHHoused SystemHomelessDays "
        "Other3917Days TotalHomelessDays SystemPath ESTAIR RRHAIR PSHAIR RRHSOStatus RRHSOMoveIn ReportID"),
    "LSAPerson": (
        "RowTotal RaceEthnicity VetStatus DisabilityStatus CHTime CHTimeStatus DVStatus "
        + " ".join(_PROJECT_GROUP.format(g=g) for g in ("EST", "RRH", "PSH"))
        + " RRHSOAgeMin RRHSOAgeMax HHTypeRRHSONoMI HHTypeRRHSOMI HHTypeES HHTypeSH HHTypeTH HIV SMI SUD ReportID"),
    "LSAExit": (
        "RowTotal Cohort Stat ExitFrom ExitTo ReturnTime HHType HHVet HHChronic HHDisability HHFleeingDV "
        "HoHRaceEthnicity HHAdultAge HHParent AC3Plus SystemPath ReportID"),
    "LSACalculated": "Value Cohort Universe HHType Population SystemPath ProjectID ReportRow ReportID",
    "Organization": f"OrganizationID OrganizationName VictimServiceProvider OrganizationCommonName {_STAMPS}",
    "Project": (
        "ProjectID OrganizationID ProjectName ProjectCommonName OperatingStartDate OperatingEndDate ContinuumProject "
        "ProjectType HousingType RRHSubType ResidentialAffiliation TargetPopulation HOPWAMedAssistedLivingFac "
        f"PITCount {_STAMPS}"),
    "Funder": f"FunderID ProjectID Funder OtherFunder GrantID StartDate EndDate {_STAMPS}",
    "ProjectCoC": f"ProjectCoCID ProjectID CoCCode Geocode Address1 Address2 City State ZIP GeographyType {_STAMPS}",
    "Inventory": (
        "InventoryID ProjectID CoCCode HouseholdType Availability UnitInventory BedInventory CHVetBedInventory "
        "YouthVetBedInventory VetBedInventory CHYouthBedInventory YouthBedInventory CHBedInventory OtherBedInventory "
        f"ESBedType InventoryStartDate InventoryEndDate {_STAMPS}"),
    "HMISParticipation": (
        "HMISParticipationID ProjectID HMISParticipationType HMISParticipationStatusStartDate "
        f"HMISParticipationStatusEndDate {_STAMPS}"),
    "Affiliation": f"AffiliationID ProjectID ResProjectID {_STAMPS}",
}
FILES = {name: tuple(columns.split()) for name, columns in FILES.items()}

# The temporary table each file is read from (reports/hud/lsa/sql/).
TABLES = {name: f"lsa_{name.removeprefix('LSA')}" for name in FILES}

# Columns HDX reads as datetimes ('yyyy-mm-dd hh:mm:ss'); every other date is 'yyyy-mm-dd'.
DATETIME_COLUMNS = {"ReportDate", "DateCreated", "DateUpdated", "DateDeleted", "HMISParticipationStatusStartDate",
                    "HMISParticipationStatusEndDate"}
# Files HDX needs only for an annual LSA; a HIC run (LSAScope 3) writes them with headers only.
NOT_FOR_HIC = {"LSAHousehold", "LSAExit"}

# The columns HUD's dictionary marks nullable (Nullable = 1); every other column of every file
# must hold a value (checks.py and tests/reports/lsa/test_lsa_upload.py hold the files to it).
NULLABLE = {
    "LSACalculated": {"ProjectID"},
    "Organization": {"OrganizationCommonName", "UserID", "DateDeleted"},
    "Project": {"ProjectCommonName", "OperatingEndDate", "HousingType", "RRHSubType", "ResidentialAffiliation",
                "TargetPopulation", "HOPWAMedAssistedLivingFac", "PITCount", "UserID", "DateDeleted"},
    "Funder": {"OtherFunder", "GrantID", "EndDate", "UserID", "DateDeleted"},
    "ProjectCoC": {"Address1", "Address2", "City", "State", "UserID", "DateDeleted"},
    "Inventory": {"Availability", "ESBedType", "InventoryEndDate", "UserID", "DateDeleted"},
    "HMISParticipation": {"HMISParticipationStatusEndDate", "UserID", "DateDeleted"},
    "Affiliation": {"UserID", "DateDeleted"},
}
# The number of columns of each file in HUD's dictionary, a guard on the lists above.
COLUMN_COUNTS = {"LSAReport": 32, "LSAHousehold": 67, "LSAPerson": 66, "LSAExit": 17, "LSACalculated": 9,
                 "Organization": 9, "Project": 19, "Funder": 12, "ProjectCoC": 15, "Inventory": 22,
                 "HMISParticipation": 10, "Affiliation": 8}
