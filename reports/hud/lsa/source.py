"""The HMIS data the LSA reads, under HUD's names (issue 20).

HUD's LSA Programming Specifications (and its reference SQL) are written against the HMIS
CSV tables: hmis_Enrollment.EntryDate, hmis_Project.ProjectType... Rather than translate
every rule to this project's schema, the LSA's SQL steps (reports/hud/lsa/sql/) read
temporary views with HUD's table and column names over our tables, so each step can be
checked line by line against the specification. PostgreSQL folds unquoted names to lower
case: the steps write ``hmis_Enrollment.EntryDate`` and PostgreSQL reads
``hmis_enrollment.entrydate``.

Readings, where our data differs from HMIS CSV:
- IDs are the ones an HMIS CSV export of this HMIS writes (reports/hmis_csv): the HMIS
  Client ID as PersonalID, the kept source ID or our key for projects and organizations.
- Nothing is soft-deleted here (a deleted record is gone, its audit entry kept): DateDeleted
  is always NULL.
- A project without an HMIS participation record is read as participating (type 1) from its
  operating start to its operating end: every project recorded in this HMIS enters its
  data in it, and the Lead records participation periods only where they differ.
- A project with no project CoC record (2.03) has one made from the CoC it is recorded in, with
  no geocode, ZIP or geography type: HUD's section 4.1 leaves out projects without one, which
  would drop every client of the project silently; this way the project and its clients count
  and HDX's checks (checks.py: Geocode, ZIP, GeographyType) tell the Lead what to record.
- The exit is a part of our Enrollment row; hmis_Exit has one row per enrollment with an exit date.
- SSNs are encrypted at rest and only Python holds the key: hmis_Client.SSN reads the
  temporary table lsa_ssn, which the pipeline fills for the clients the data-quality
  counts need (pipeline.fill_ssns).
"""

from reports.hmis_csv import source_ids

ORG_ID = source_ids.sql("o")
PROJECT_ID = source_ids.sql("p")

VIEWS = {
    "hmis_Organization": f"""
        SELECT {ORG_ID} AS OrganizationID, o.name AS OrganizationName,
               CASE WHEN o.is_victim_service_provider THEN 1 ELSE 0 END AS VictimServiceProvider,
               NULLIF(o.common_name, '') AS OrganizationCommonName, o.created_at AS DateCreated,
               COALESCE(o.record_updated_at, o.created_at) AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_agency o""",
    "hmis_Project": f"""
        SELECT {PROJECT_ID} AS ProjectID, {ORG_ID} AS OrganizationID, p.name AS ProjectName,
               NULLIF(p.common_name, '') AS ProjectCommonName,
               p.operating_start AS OperatingStartDate, p.operating_end AS OperatingEndDate,
               p.continuum_project AS ContinuumProject, p.project_type AS ProjectType,
               p.housing_type AS HousingType, p.rrh_subtype AS RRHSubType,
               p.residential_affiliation AS ResidentialAffiliation, p.target_population AS TargetPopulation,
               p.hopwa_med_assisted_living_fac AS HOPWAMedAssistedLivingFac, p.pit_count AS PITCount,
               p.created_at AS DateCreated,
               p.updated_at AS DateUpdated, NULL::varchar AS UserID,
               p.id AS project_pk, NULL::date AS DateDeleted
        FROM agencies_project p JOIN agencies_agency o ON o.id = p.agency_id""",
    "hmis_Funder": f"""
        SELECT {source_ids.sql("f")} AS FunderID, {PROJECT_ID} AS ProjectID, f.funder AS Funder,
               NULLIF(f.other_funder, '') AS OtherFunder, NULLIF(f.grant_id, '') AS GrantID,
               f.start_date AS StartDate, f.end_date AS EndDate, f.created_at AS DateCreated,
               f.updated_at AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_projectfunder f JOIN agencies_project p ON p.id = f.project_id""",
    "hmis_ProjectCoC": f"""
        SELECT {source_ids.sql("c")} AS ProjectCoCID, {PROJECT_ID} AS ProjectID, c.coc_code AS CoCCode,
               NULLIF(c.geocode, '') AS Geocode, NULLIF(c.address1, '') AS Address1,
               NULLIF(c.address2, '') AS Address2, NULLIF(c.city, '') AS City, NULLIF(c.state, '') AS State,
               NULLIF(c.zip_code, '') AS ZIP, c.geography_type AS GeographyType, c.created_at AS DateCreated,
               c.updated_at AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_projectcoc c JOIN agencies_project p ON p.id = c.project_id
        UNION ALL
        SELECT 'C' || p.id::text, {PROJECT_ID}, k.code, NULL, NULL, NULL, NULL, NULL, NULL, NULL::integer,
               p.created_at, p.updated_at, NULL::varchar, NULL::date
        FROM agencies_project p JOIN agencies_coc k ON k.id = p.coc_id
        WHERE NOT EXISTS (SELECT 1 FROM agencies_projectcoc c WHERE c.project_id = p.id)""",
    "hmis_Inventory": f"""
        SELECT {source_ids.sql("i")} AS InventoryID, {PROJECT_ID} AS ProjectID, i.coc_code AS CoCCode,
               i.household_type AS HouseholdType, i.availability AS Availability,
               i.unit_inventory AS UnitInventory, i.bed_inventory AS BedInventory,
               i.ch_vet_beds AS CHVetBedInventory, i.youth_vet_beds AS YouthVetBedInventory,
               i.vet_beds AS VetBedInventory, i.ch_youth_beds AS CHYouthBedInventory,
               i.youth_beds AS YouthBedInventory, i.ch_beds AS CHBedInventory, i.other_beds AS OtherBedInventory,
               i.es_bed_type AS ESBedType, i.start_date AS InventoryStartDate, i.end_date AS InventoryEndDate,
               i.created_at AS DateCreated,
               i.updated_at AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_inventory i JOIN agencies_project p ON p.id = i.project_id""",
    # A project with no participation record participates for as long as it operates (module docstring).
    "hmis_HMISParticipation": f"""
        SELECT {source_ids.sql("h")} AS HMISParticipationID, {PROJECT_ID} AS ProjectID,
               h.participation_type AS HMISParticipationType,
               h.start_date AS HMISParticipationStatusStartDate, h.end_date AS HMISParticipationStatusEndDate,
               h.created_at AS DateCreated,
               h.updated_at AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_hmisparticipation h JOIN agencies_project p ON p.id = h.project_id
        UNION ALL
        SELECT 'P' || p.id::text, {PROJECT_ID}, 1, p.operating_start, p.operating_end, p.created_at, p.updated_at,
               NULL::varchar, NULL::date
        FROM agencies_project p
        WHERE NOT EXISTS (SELECT 1 FROM agencies_hmisparticipation h WHERE h.project_id = p.id)""",
    "hmis_Affiliation": f"""
        SELECT {source_ids.sql("a")} AS AffiliationID, {PROJECT_ID} AS ProjectID,
               {source_ids.sql("r")} AS ResProjectID, a.created_at AS DateCreated,
               a.updated_at AS DateUpdated, NULL::varchar AS UserID,
               NULL::date AS DateDeleted
        FROM agencies_affiliation a JOIN agencies_project p ON p.id = a.project_id
        JOIN agencies_project r ON r.id = a.residential_project_id""",
    "hmis_Client": """
        SELECT c.client_id AS PersonalID, s.SSN AS SSN, c.ssn_data_quality AS SSNDataQuality,
               c.dob AS DOB, c.dob_data_quality AS DOBDataQuality,
               c.am_ind_ak_native::int AS AmIndAKNative, c.asian::int AS Asian,
               c.black_af_american::int AS BlackAfAmerican, c.hispanic_latinao::int AS HispanicLatinaO,
               c.mid_east_n_african::int AS MidEastNAfrican, c.native_hi_pacific::int AS NativeHIPacific,
               c.white::int AS White, c.race_none AS RaceNone, c.sex AS Sex, c.veteran_status AS VeteranStatus,
               c.ssn_hash AS ssn_hash, c.id AS client_pk, NULL::date AS DateDeleted
        FROM clients_client c LEFT JOIN lsa_ssn s ON s.client_pk = c.id""",
    "hmis_Enrollment": f"""
        SELECT e.enrollment_id AS EnrollmentID, c.client_id AS PersonalID, {PROJECT_ID} AS ProjectID,
               e.entry_date AS EntryDate, e.household_id AS HouseholdID, e.relationship_to_hoh AS RelationshipToHoH,
               NULLIF(e.enrollment_coc, '') AS EnrollmentCoC, e.living_situation AS LivingSituation,
               e.rental_subsidy_type AS RentalSubsidyType, e.length_of_stay AS LengthOfStay,
               e.los_under_threshold AS LOSUnderThreshold, e.previous_street_essh AS PreviousStreetESSH,
               e.date_to_street_essh AS DateToStreetESSH,
               e.times_homeless_past_three_years AS TimesHomelessPastThreeYears,
               e.months_homeless_past_three_years AS MonthsHomelessPastThreeYears,
               e.disabling_condition AS DisablingCondition, e.date_of_engagement AS DateOfEngagement,
               e.move_in_date AS MoveInDate, e.id AS enrollment_pk, e.client_id AS client_pk,
               NULL::date AS DateDeleted
        FROM enrollments_enrollment e JOIN clients_client c ON c.id = e.client_id
        JOIN agencies_project p ON p.id = e.project_id""",
    "hmis_Exit": """
        SELECT COALESCE(e.exit_id, e.enrollment_id) AS ExitID, e.enrollment_id AS EnrollmentID,
               c.client_id AS PersonalID, e.exit_date AS ExitDate, e.destination AS Destination,
               e.destination_subsidy_type AS DestinationSubsidyType, NULL::date AS DateDeleted
        FROM enrollments_enrollment e JOIN clients_client c ON c.id = e.client_id
        WHERE e.exit_date IS NOT NULL""",
    "hmis_Services": """
        SELECT s.record_id AS ServicesID, e.enrollment_id AS EnrollmentID, c.client_id AS PersonalID,
               s.date_provided AS DateProvided, s.record_type AS RecordType, s.type_provided AS TypeProvided,
               NULL::date AS DateDeleted
        FROM enrollments_service s JOIN enrollments_enrollment e ON e.id = s.enrollment_id
        JOIN clients_client c ON c.id = e.client_id""",
    "hmis_HealthAndDV": """
        SELECT a.record_id AS HealthAndDVID, e.enrollment_id AS EnrollmentID, c.client_id AS PersonalID,
               a.information_date AS InformationDate, a.domestic_violence_survivor AS DomesticViolenceSurvivor,
               a.when_occurred AS WhenOccurred, a.currently_fleeing AS CurrentlyFleeing,
               a.stage AS DataCollectionStage, NULL::date AS DateDeleted
        FROM enrollments_assessment a JOIN enrollments_enrollment e ON e.id = a.enrollment_id
        JOIN clients_client c ON c.id = e.client_id
        WHERE a.domestic_violence_survivor IS NOT NULL""",
}


def disabilities_view() -> str:
    """One row per disability answered, as Disabilities.csv has them (export_sql._disability_row)."""
    from enrollments.elements import DISABILITIES

    values = ", ".join(f"(a.{field}, {code}, {f'a.{indefinite}' if indefinite else 'NULL::integer'})"
                       for field, code, indefinite in DISABILITIES)
    return f"""
        SELECT a.record_id || '-' || d.type AS DisabilitiesID, e.enrollment_id AS EnrollmentID,
               c.client_id AS PersonalID, a.information_date AS InformationDate, d.type AS DisabilityType,
               d.response AS DisabilityResponse, d.indefinite AS IndefiniteAndImpairs,
               a.stage AS DataCollectionStage, NULL::date AS DateDeleted
        FROM enrollments_assessment a CROSS JOIN LATERAL (VALUES {values}) AS d(response, type, indefinite)
        JOIN enrollments_enrollment e ON e.id = a.enrollment_id JOIN clients_client c ON c.id = e.client_id
        WHERE d.response IS NOT NULL"""


def create(cursor) -> None:
    """The temporary views (and lsa_ssn, which hmis_Client reads) for this connection's session."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS lsa_ssn (client_pk integer PRIMARY KEY, SSN varchar(9))")
    for name, select in (VIEWS | {"hmis_Disabilities": disabilities_view()}).items():
        cursor.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

