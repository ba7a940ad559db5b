-- LSA section 4: HMIS Business Logic: Project Descriptor Data for Export (HUD LSA Programming
-- Specifications, docs/04 - Project Descriptor Data.md).
-- Creates the seven output tables HDX 2.0 reads beside the LSA files: lsa_Project (4.1),
-- lsa_Organization (4.2), lsa_Funder (4.3), lsa_ProjectCoC (4.4), lsa_Inventory (4.5),
-- lsa_HMISParticipation (4.6), lsa_Affiliation (4.7). Each has exactly the columns of HUD's file in
-- HUD's order ("LSA Data Dictionary - Columns.csv"), so SELECT * is the CSV.
-- Reads only lsa_Report, lsa_SelectedProject and the hmis_* views, so it does not depend on section 3.
-- Common to every file (4.1-4.7 Target tables):
--   DateDeleted: NULL.  UserID: "n/a - will not be imported", exported as NULL.
--   ExportID: LSAReport.ReportID, as a string.
-- The tables declare no NOT NULL: a value missing in HMIS must not stop the run; HDX's rules on
-- required columns are checked on the files (checks.py), which name the record to correct.

-- ---------------------------------------------------------------------------------------------
-- 4.1 Get Project.csv Records / lsa_Project
-- ---------------------------------------------------------------------------------------------
DROP TABLE IF EXISTS lsa_Project;
CREATE TEMP TABLE lsa_Project (
    ProjectID varchar(32),
    OrganizationID varchar(32),
    ProjectName varchar(200),
    ProjectCommonName varchar(200),
    OperatingStartDate date,
    OperatingEndDate date,
    ContinuumProject int,
    ProjectType int,
    HousingType int,
    RRHSubType int,
    ResidentialAffiliation int,
    TargetPopulation int,
    HOPWAMedAssistedLivingFac int,
    PITCount int,
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);

-- Record selection.
--   Systemwide (LSAScope 1) and HIC (3): ContinuumProject = 1; a ProjectCoC record with
--   CoCCode = ReportCoC; ProjectType ES (0,1), SH (8), TH (2), RRH (13), PSH (3) or OPH (9,10);
--   OperatingEndDate NULL, or > LookbackDate and > OperatingStartDate.
--   Project-focused (2): CoCCode = ReportCoC; ProjectID among the user-selected projects
--   (lsa_SelectedProject); the same OperatingEndDate rule. Section 3.1 limits the projects a user may
--   select to continuum ES/SH/TH/RRH/PSH, "so records for other project types are never included when
--   LSAScope = 2": the ContinuumProject and ProjectType conditions are applied here too, so a selection
--   made outside those limits cannot put a project HDX rejects (Project.csv: ContinuumProject must = 1)
--   into the file.
-- Reading: 4.1 sets no condition on OperatingStartDate (HUD's sample code also requires
-- OperatingStartDate <= ReportEnd); the specification's text is followed: "All project records that
-- meet the criteria above should be included."
-- Values (4.1 Target): ProjectName truncated to 200 characters; RRHSubType NULL unless ProjectType = 13;
-- ResidentialAffiliation NULL unless RRHSubType = 1; HousingType NULL for RRH services only
-- (RRHSubType 1), whose housing type HDX does not read ("Must be in (1,2,3) unless RRHSubType = 1"),
-- as HUD's sample code writes it. PITCount as recorded (4.1 PITCount: HDX uses it for the HIC only
-- when the project does not participate in HMIS on the HIC date).
INSERT INTO lsa_Project
SELECT p.ProjectID, p.OrganizationID, left(p.ProjectName, 200), left(p.ProjectCommonName, 200),
       p.OperatingStartDate, p.OperatingEndDate, p.ContinuumProject, p.ProjectType,
       CASE WHEN p.ProjectType = 13 AND p.RRHSubType = 1 THEN NULL ELSE p.HousingType END,
       CASE WHEN p.ProjectType = 13 THEN p.RRHSubType END,
       CASE WHEN p.ProjectType = 13 AND p.RRHSubType = 1 THEN p.ResidentialAffiliation END,
       p.TargetPopulation, p.HOPWAMedAssistedLivingFac, p.PITCount,
       p.DateCreated, p.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_Project p
CROSS JOIN lsa_Report r
WHERE p.DateDeleted IS NULL
  AND p.ContinuumProject = 1
  AND p.ProjectType IN (0, 1, 2, 3, 8, 9, 10, 13)
  AND (p.OperatingEndDate IS NULL
       OR (p.OperatingEndDate > r.LookbackDate AND p.OperatingEndDate > p.OperatingStartDate))
  AND EXISTS (SELECT 1 FROM hmis_ProjectCoC c
              WHERE c.ProjectID = p.ProjectID AND c.CoCCode = r.ReportCoC AND c.DateDeleted IS NULL)
  AND (r.LSAScope IN (1, 3)
       OR (r.LSAScope = 2 AND p.ProjectType IN (0, 1, 2, 3, 8, 13)
           AND p.ProjectID IN (SELECT s.ProjectID FROM lsa_SelectedProject s)));
CREATE INDEX ON lsa_Project (ProjectID);
ANALYZE lsa_Project;

-- ---------------------------------------------------------------------------------------------
-- 4.2 Get Organization.csv Records / lsa_Organization
-- ---------------------------------------------------------------------------------------------
-- Every Organization record whose OrganizationID is an lsa_Project.OrganizationID; one per
-- OrganizationID (HDX requires exactly one). OrganizationName truncated to 200 characters;
-- VictimServiceProvider must be 0 or 1 (our data holds nothing else).
DROP TABLE IF EXISTS lsa_Organization;
CREATE TEMP TABLE lsa_Organization (
    OrganizationID varchar(32),
    OrganizationName varchar(200),
    VictimServiceProvider int,
    OrganizationCommonName varchar(200),
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_Organization
SELECT o.OrganizationID, left(o.OrganizationName, 200), o.VictimServiceProvider,
       left(o.OrganizationCommonName, 200), o.DateCreated, o.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_Organization o
CROSS JOIN lsa_Report r
WHERE o.DateDeleted IS NULL
  AND o.OrganizationID IN (SELECT lp.OrganizationID FROM lsa_Project lp);

-- ---------------------------------------------------------------------------------------------
-- 4.3 Get Funder.csv Records / lsa_Funder
-- ---------------------------------------------------------------------------------------------
-- Funder records of the lsa_Project projects where EndDate is NULL or
-- (EndDate >= ReportStart and EndDate > StartDate). GrantID "n/a - will not be imported": kept as
-- recorded (nullable in HDX).
DROP TABLE IF EXISTS lsa_Funder;
CREATE TEMP TABLE lsa_Funder (
    FunderID varchar(32),
    ProjectID varchar(32),
    Funder int,
    OtherFunder varchar(100),
    GrantID varchar(100),
    StartDate date,
    EndDate date,
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_Funder
SELECT f.FunderID, f.ProjectID, f.Funder, left(f.OtherFunder, 100), left(f.GrantID, 100), f.StartDate, f.EndDate,
       f.DateCreated, f.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_Funder f
JOIN lsa_Project lp ON lp.ProjectID = f.ProjectID
CROSS JOIN lsa_Report r
WHERE f.DateDeleted IS NULL
  AND (f.EndDate IS NULL OR (f.EndDate >= r.ReportStart AND f.EndDate > f.StartDate));

-- ---------------------------------------------------------------------------------------------
-- 4.4 Get ProjectCoC.csv Records / lsa_ProjectCoC
-- ---------------------------------------------------------------------------------------------
-- ProjectCoC records of the lsa_Project projects where CoCCode = ReportCoC (our data holds at most
-- one per project and CoC: agencies.ProjectCoc's unique constraint). ZIP: only the first five
-- characters (4.4 ZIP). Geocode, ZIP and GeographyType are exported as recorded even when NULL: they
-- are mandatory for HDX, and a missing value is the CoC's to correct in HMIS (4.4 Logic), which the
-- upload checks report.
DROP TABLE IF EXISTS lsa_ProjectCoC;
CREATE TEMP TABLE lsa_ProjectCoC (
    ProjectCoCID varchar(32),
    ProjectID varchar(32),
    CoCCode varchar(6),
    Geocode varchar(6),
    Address1 varchar(100),
    Address2 varchar(100),
    City varchar(50),
    State varchar(2),
    ZIP varchar(5),
    GeographyType int,
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_ProjectCoC
SELECT c.ProjectCoCID, c.ProjectID, c.CoCCode, c.Geocode, left(c.Address1, 100), left(c.Address2, 100),
       left(c.City, 50), left(c.State, 2), left(c.ZIP, 5), c.GeographyType,
       c.DateCreated, c.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_ProjectCoC c
JOIN lsa_Project lp ON lp.ProjectID = c.ProjectID
CROSS JOIN lsa_Report r
WHERE c.DateDeleted IS NULL
  AND c.CoCCode = r.ReportCoC;

-- ---------------------------------------------------------------------------------------------
-- 4.5 Get Inventory.csv Records / lsa_Inventory
-- ---------------------------------------------------------------------------------------------
-- Inventory records of the lsa_Project projects where ProjectType <> 13 or RRHSubType = 2 (no RRH
-- services-only inventory), CoCCode = ReportCoC, and InventoryEndDate is NULL or
-- (InventoryEndDate >= ReportStart and > InventoryStartDate).
-- Reading: the Target table says InventoryStartDate must be "< ReportEnd"; a record starting after
-- ReportEnd describes no bed of the report period, so records with InventoryStartDate > ReportEnd are
-- left out (one starting on ReportEnd is kept: for a HIC, ReportStart = ReportEnd = the count date and
-- beds available that night are counted).
-- Values (4.5 Target and Logic):
--   Availability and ESBedType: NULL unless ProjectType in (0,1) (emergency shelter).
--   The seven bed columns "may not be NULL ... If the project does not have beds in a given category,
--   the value should be 0": an empty one (an imported Inventory.csv may leave it empty) is written 0,
--   as this HMIS counts it (agencies.models.Inventory).
--   BedInventory: "Total number of beds equal to the sum of the seven columns": written as that sum,
--   as HUD's sample code does. Where HMIS's total differs, the inventory record is to be corrected
--   in HMIS; the sum is what HDX accepts.
DROP TABLE IF EXISTS lsa_Inventory;
CREATE TEMP TABLE lsa_Inventory (
    InventoryID varchar(32),
    ProjectID varchar(32),
    CoCCode varchar(6),
    HouseholdType int,
    Availability int,
    UnitInventory int,
    BedInventory int,
    CHVetBedInventory int,
    YouthVetBedInventory int,
    VetBedInventory int,
    CHYouthBedInventory int,
    YouthBedInventory int,
    CHBedInventory int,
    OtherBedInventory int,
    ESBedType int,
    InventoryStartDate date,
    InventoryEndDate date,
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_Inventory
SELECT i.InventoryID, i.ProjectID, i.CoCCode, i.HouseholdType,
       CASE WHEN lp.ProjectType IN (0, 1) THEN i.Availability END,
       i.UnitInventory,
       b.chvet + b.youthvet + b.vet + b.chyouth + b.youth + b.ch + b.other,
       b.chvet, b.youthvet, b.vet, b.chyouth, b.youth, b.ch, b.other,
       CASE WHEN lp.ProjectType IN (0, 1) THEN i.ESBedType END,
       i.InventoryStartDate, i.InventoryEndDate, i.DateCreated, i.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_Inventory i
JOIN lsa_Project lp ON lp.ProjectID = i.ProjectID
CROSS JOIN lsa_Report r
CROSS JOIN LATERAL (SELECT COALESCE(i.CHVetBedInventory, 0) AS chvet, COALESCE(i.YouthVetBedInventory, 0) AS youthvet,
                           COALESCE(i.VetBedInventory, 0) AS vet, COALESCE(i.CHYouthBedInventory, 0) AS chyouth,
                           COALESCE(i.YouthBedInventory, 0) AS youth, COALESCE(i.CHBedInventory, 0) AS ch,
                           COALESCE(i.OtherBedInventory, 0) AS other) b
WHERE i.DateDeleted IS NULL
  AND (lp.ProjectType <> 13 OR lp.RRHSubType = 2)
  AND i.CoCCode = r.ReportCoC
  AND i.InventoryStartDate <= r.ReportEnd
  AND (i.InventoryEndDate IS NULL
       OR (i.InventoryEndDate >= r.ReportStart AND i.InventoryEndDate > i.InventoryStartDate));

-- ---------------------------------------------------------------------------------------------
-- 4.6 Get HMISParticipation.csv Records / lsa_HMISParticipation
-- ---------------------------------------------------------------------------------------------
-- Every HMISParticipation record of the lsa_Project projects whose OperatingEndDate is NULL or
-- > ReportStart (4.6 Logic: the condition is on the project, not on the record's dates; HDX needs
-- participation documented for every operating day of the report period). Section 10.5 reads this
-- table. The status dates stay dates here; the export writes them as HDX's datetimes (report.py).
DROP TABLE IF EXISTS lsa_HMISParticipation;
CREATE TEMP TABLE lsa_HMISParticipation (
    HMISParticipationID varchar(32),
    ProjectID varchar(32),
    HMISParticipationType int,
    HMISParticipationStatusStartDate date,
    HMISParticipationStatusEndDate date,
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_HMISParticipation
SELECT h.HMISParticipationID, h.ProjectID, h.HMISParticipationType, h.HMISParticipationStatusStartDate,
       h.HMISParticipationStatusEndDate, h.DateCreated, h.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_HMISParticipation h
JOIN lsa_Project lp ON lp.ProjectID = h.ProjectID
CROSS JOIN lsa_Report r
WHERE h.DateDeleted IS NULL
  AND (lp.OperatingEndDate IS NULL OR lp.OperatingEndDate > r.ReportStart);
CREATE INDEX ON lsa_HMISParticipation (ProjectID);

-- ---------------------------------------------------------------------------------------------
-- 4.7 Get Affiliation.csv Records / lsa_Affiliation
-- ---------------------------------------------------------------------------------------------
-- Affiliation records of the lsa_Project projects with RRHSubType = 1 and ResidentialAffiliation = 1
-- whose OperatingEndDate is NULL or > ReportStart. lsa_Project's RRHSubType is already NULL for
-- every project type but 13 (4.1), so RRHSubType = 1 means RRH services only.
DROP TABLE IF EXISTS lsa_Affiliation;
CREATE TEMP TABLE lsa_Affiliation (
    AffiliationID varchar(32),
    ProjectID varchar(32),
    ResProjectID varchar(32),
    DateCreated timestamptz,
    DateUpdated timestamptz,
    UserID varchar(32),
    DateDeleted timestamp,
    ExportID varchar(32)
);
INSERT INTO lsa_Affiliation
SELECT a.AffiliationID, a.ProjectID, a.ResProjectID, a.DateCreated, a.DateUpdated, NULL, NULL, r.ReportID::text
FROM hmis_Affiliation a
JOIN lsa_Project lp ON lp.ProjectID = a.ProjectID
CROSS JOIN lsa_Report r
WHERE a.DateDeleted IS NULL
  AND lp.RRHSubType = 1
  AND lp.ResidentialAffiliation = 1
  AND (lp.OperatingEndDate IS NULL OR lp.OperatingEndDate > r.ReportStart);
