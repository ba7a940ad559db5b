-- LSA section 10: LSACalculated Project-Level Data Quality Counts (HUD LSA Programming Specifications,
-- docs/10 - LSACalculated Data Quality Counts.md). ReportRows 901-921 of lsa_Calculated.
-- Reads lsa_Report, lsa_Project and lsa_HMISParticipation (section 4), tlsa_HHID and tlsa_Enrollment
-- (sections 3 and 5) and the hmis_* views.
--
-- 10.1 Static column values: Cohort 1, Universe 10, HHType 0, Population 0, SystemPath -1,
-- ProjectID = a Project.csv ProjectID, ReportID = LSAReport.ReportID. Every row is grouped by ProjectID
-- and joined to lsa_Project, so ProjectID always matches Project.csv (for a project-focused LSA,
-- tlsa_Enrollment holds systemwide enrollments, 3.1). 10.21: Value > 0 for every record: GROUP BY
-- only makes rows for counts of at least one.
-- "AIR = 1 or (LSAScope <> 3 and Active = 1)" is written COALESCE(AIR, false) OR (LSAScope <> 3 AND
-- COALESCE(Active, false)) since the flags are booleans that section 5 may leave NULL.

-- lsa_Calculated is created by 08_averages.sql; created here when this file runs alone.
CREATE TEMP TABLE IF NOT EXISTS lsa_Calculated (
    Value int NOT NULL,
    Cohort int NOT NULL,
    Universe int NOT NULL,
    HHType int NOT NULL,
    Population int NOT NULL,
    SystemPath int NOT NULL,
    ProjectID varchar(32),
    ReportRow int NOT NULL,
    ReportID int NOT NULL
);
DELETE FROM lsa_Calculated WHERE ReportRow BETWEEN 901 AND 921;

-- Raw HMIS enrollments of the lsa_Project projects other than OPH, with their raw exit date and the
-- facts the rows below test. Shared by 10.4-10.7 and 10.20.
DROP TABLE IF EXISTS dq10_Enrollment;
CREATE TEMP TABLE dq10_Enrollment AS
SELECT n.EnrollmentID, n.PersonalID, n.HouseholdID, n.ProjectID, lp.ProjectType, n.EntryDate, x.ExitDate,
       n.RelationshipToHoH, n.EnrollmentCoC
FROM hmis_Enrollment n
JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID AND lp.ProjectType NOT IN (9, 10)
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
WHERE n.DateDeleted IS NULL
  AND n.EntryDate <= r.ReportEnd
  AND (x.ExitDate IS NULL OR x.ExitDate >= r.ReportStart);
CREATE INDEX ON dq10_Enrollment (HouseholdID);
ANALYZE dq10_Enrollment;

-- Per HouseholdID (every undeleted HMIS enrollment, whatever its project or dates: HMIS HouseholdIDs
-- identify one household, as 3.3 reads them): the number of HoH PersonalIDs, whether a HoH enrollment
-- records a CoC, whether the HoH's enrollment is in ReportCoC, whether any member's is.
-- An empty EnrollmentCoC (this HMIS stores a missing CoC code as '') is no CoC.
DROP TABLE IF EXISTS dq10_Household;
CREATE TEMP TABLE dq10_Household AS
SELECT h.HouseholdID,
       count(DISTINCT h.PersonalID) FILTER (WHERE h.RelationshipToHoH = 1) AS HoHPeople,
       bool_or(h.RelationshipToHoH = 1 AND NULLIF(h.EnrollmentCoC, '') IS NOT NULL) AS HoHHasCoC,
       bool_or(h.RelationshipToHoH = 1 AND h.EnrollmentCoC = r.ReportCoC) AS HoHInReportCoC,
       bool_or(h.EnrollmentCoC = r.ReportCoC) AS AnyInReportCoC
FROM hmis_Enrollment h
CROSS JOIN lsa_Report r
WHERE h.DateDeleted IS NULL
  AND h.HouseholdID IN (SELECT d.HouseholdID FROM dq10_Enrollment d)
GROUP BY h.HouseholdID;
CREATE INDEX ON dq10_Household (HouseholdID);
ANALYZE dq10_Household;

-- 10.2 DQ - Enrollments Active After Project Operating End Date by Project
-- 901: tlsa_Enrollment enrollments with no hmis_Exit.ExitDate; 902: hmis_Exit.ExitDate > OperatingEndDate;
-- both in projects whose OperatingEndDate is between ReportStart and ReportEnd. The raw exit date is
-- used: tlsa_Enrollment.ExitDate is already cut at the operating end date (3.4).
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT n.EnrollmentID), 1, 10, 0, 0, -1, lp.ProjectID,
       CASE WHEN x.ExitDate IS NULL THEN 901 ELSE 902 END, r.ReportID
FROM tlsa_Enrollment n
JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
WHERE lp.OperatingEndDate BETWEEN r.ReportStart AND r.ReportEnd
  AND (x.ExitDate IS NULL OR x.ExitDate > lp.OperatingEndDate)
GROUP BY lp.ProjectID, CASE WHEN x.ExitDate IS NULL THEN 901 ELSE 902 END, r.ReportID;

-- 10.3 DQ - Night-by-Night Enrollments with Exit Date Discrepancies by Project
-- HMIS enrollments in continuum ES night-by-night projects (ProjectType 1, ContinuumProject 1) whose
-- HouseholdID is in tlsa_HHID. LastBedNight = the enrollment's latest bed night (RecordType 200) on or
-- before ReportEnd.
--   903: ExitDate NULL or > ReportEnd, and LastBedNight <= ReportEnd - 90 days (CohortEnd of the
--        active cohort = ReportEnd).
--   904: ExitDate between ReportStart and ReportEnd, and LastBedNight <> ExitDate - 1 day.
-- Reading: an enrollment with no bed night on or before ReportEnd has no LastBedNight; the comparisons
-- are then unknown and it is not counted here (10.20, row 921, counts NbN enrollments without bed nights).
-- Reading: the bed nights are the enrollment's own (HUD's sample code reads the HoH's for every member).
-- The candidates: enrollments in lsa_Project NbN projects, of a tlsa_HHID household, with no exit or an
-- exit on or after ReportStart (903 and 904 need one or the other); their bed nights are read once.
DROP TABLE IF EXISTS dq10_NbN;
CREATE TEMP TABLE dq10_NbN AS
SELECT n.EnrollmentID, n.ProjectID, x.ExitDate, NULL::date AS LastBedNight
FROM hmis_Enrollment n
JOIN hmis_Project p ON p.ProjectID = n.ProjectID AND p.ProjectType = 1 AND p.ContinuumProject = 1
JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
WHERE n.DateDeleted IS NULL
  AND n.HouseholdID IN (SELECT hh.HouseholdID FROM tlsa_HHID hh)
  AND (x.ExitDate IS NULL OR x.ExitDate >= r.ReportStart);
CREATE INDEX ON dq10_NbN (EnrollmentID);
ANALYZE dq10_NbN;

UPDATE dq10_NbN d SET LastBedNight = b.LastBedNight
FROM (SELECT s.EnrollmentID, max(s.DateProvided) AS LastBedNight
      FROM hmis_Services s
      JOIN dq10_NbN c ON c.EnrollmentID = s.EnrollmentID
      CROSS JOIN lsa_Report r
      WHERE s.RecordType = 200 AND s.DateDeleted IS NULL AND s.DateProvided <= r.ReportEnd
      GROUP BY s.EnrollmentID) b
WHERE b.EnrollmentID = d.EnrollmentID;

INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.EnrollmentID), 1, 10, 0, 0, -1, d.ProjectID,
       CASE WHEN d.ExitDate IS NULL OR d.ExitDate > r.ReportEnd THEN 903 ELSE 904 END, r.ReportID
FROM dq10_NbN d
CROSS JOIN lsa_Report r
WHERE ((d.ExitDate IS NULL OR d.ExitDate > r.ReportEnd) AND d.LastBedNight <= r.ReportEnd - 90)
   OR (d.ExitDate BETWEEN r.ReportStart AND r.ReportEnd AND d.LastBedNight <> d.ExitDate - 1)
GROUP BY d.ProjectID, CASE WHEN d.ExitDate IS NULL OR d.ExitDate > r.ReportEnd THEN 903 ELSE 904 END, r.ReportID;

-- 10.4 DQ - Counts of Households with no EnrollmentCoC by Project (905)
-- Distinct HouseholdIDs of HMIS enrollments in lsa_Project projects (not OPH) with EntryDate <= ReportEnd
-- and ExitDate NULL or (>= ReportStart and > EntryDate), where no enrollment of the household has
-- RelationshipToHoH = 1 and a non-NULL EnrollmentCoC.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.HouseholdID), 1, 10, 0, 0, -1, d.ProjectID, 905, r.ReportID
FROM dq10_Enrollment d
JOIN dq10_Household h ON h.HouseholdID = d.HouseholdID
CROSS JOIN lsa_Report r
WHERE (d.ExitDate IS NULL OR d.ExitDate > d.EntryDate)
  AND NOT COALESCE(h.HoHHasCoC, false)
GROUP BY d.ProjectID, r.ReportID;

-- 10.5 DQ - Enrollments in Non-Participating Projects (906)
-- Distinct EnrollmentIDs of HMIS enrollments in lsa_Project projects (not OPH), active in the report
-- period (as 10.4), with EnrollmentCoC = ReportCoC on the HoH's enrollment, and no lsa_HMISParticipation
-- record for the project with HMISParticipationType = 1, StatusStartDate <= EntryDate and StatusEndDate
-- NULL, >= ExitDate, or (ExitDate NULL and StatusEndDate > ReportEnd): the whole enrollment is not
-- covered by one participating period.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.EnrollmentID), 1, 10, 0, 0, -1, d.ProjectID, 906, r.ReportID
FROM dq10_Enrollment d
JOIN dq10_Household h ON h.HouseholdID = d.HouseholdID
CROSS JOIN lsa_Report r
WHERE (d.ExitDate IS NULL OR d.ExitDate > d.EntryDate)
  AND COALESCE(h.HoHInReportCoC, false)
  AND NOT EXISTS (
      SELECT 1 FROM lsa_HMISParticipation hp
      WHERE hp.ProjectID = d.ProjectID
        AND hp.HMISParticipationType = 1
        AND hp.HMISParticipationStatusStartDate <= d.EntryDate
        AND (hp.HMISParticipationStatusEndDate IS NULL
             OR hp.HMISParticipationStatusEndDate >= d.ExitDate
             OR (d.ExitDate IS NULL AND hp.HMISParticipationStatusEndDate > r.ReportEnd)))
GROUP BY d.ProjectID, r.ReportID;

-- 10.6 DQ - Enrollments Active in LSA Projects During the Report Period without Exactly One HoH (907)
-- Distinct EnrollmentIDs of HMIS enrollments in lsa_Project projects (not OPH) with ExitDate NULL or
-- (>= ReportStart and > EntryDate), where any enrollment of the household has EnrollmentCoC = ReportCoC
-- and the household's count of PersonalIDs with RelationshipToHoH = 1 is not 1.
-- Reading: 10.6 lists no EntryDate condition but counts enrollments "active ... during the report
-- period": EntryDate <= ReportEnd is applied, as in 10.4/10.5 and HUD's sample code.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.EnrollmentID), 1, 10, 0, 0, -1, d.ProjectID, 907, r.ReportID
FROM dq10_Enrollment d
JOIN dq10_Household h ON h.HouseholdID = d.HouseholdID
CROSS JOIN lsa_Report r
WHERE (d.ExitDate IS NULL OR d.ExitDate > d.EntryDate)
  AND COALESCE(h.AnyInReportCoC, false)
  AND h.HoHPeople <> 1
GROUP BY d.ProjectID, r.ReportID;

-- 10.7 DQ - Enrollments Active in LSA Projects without a Valid Relationship to HoH (908)
-- As 10.6, where the enrollment's RelationshipToHoH is NULL or not in (1,2,3,4,5).
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.EnrollmentID), 1, 10, 0, 0, -1, d.ProjectID, 908, r.ReportID
FROM dq10_Enrollment d
JOIN dq10_Household h ON h.HouseholdID = d.HouseholdID
CROSS JOIN lsa_Report r
WHERE (d.ExitDate IS NULL OR d.ExitDate > d.EntryDate)
  AND COALESCE(h.AnyInReportCoC, false)
  AND (d.RelationshipToHoH IS NULL OR d.RelationshipToHoH NOT IN (1, 2, 3, 4, 5))
GROUP BY d.ProjectID, r.ReportID;

-- 10.8 DQ - Household Entry (909): distinct tlsa_HHID HouseholdIDs, AIR or (LSAScope <> 3 and Active).
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT hh.HouseholdID), 1, 10, 0, 0, -1, lp.ProjectID, 909, r.ReportID
FROM tlsa_HHID hh
JOIN lsa_Project lp ON lp.ProjectID = hh.ProjectID
CROSS JOIN lsa_Report r
WHERE COALESCE(hh.AIR, false) OR (r.LSAScope <> 3 AND COALESCE(hh.Active, false))
GROUP BY lp.ProjectID, r.ReportID;

-- The enrollments 10.9-10.19 count: tlsa_Enrollment for lsa_Project projects, AIR or
-- (LSAScope <> 3 and Active), with the raw HMIS values 10.13-10.18 test. AdultHoH: ActiveAge between
-- 18 and 65 or RelationshipToHoH = 1 (10.10).
DROP TABLE IF EXISTS dq10_Active;
CREATE TEMP TABLE dq10_Active AS
SELECT n.EnrollmentID, n.PersonalID, n.ProjectID, n.LSAProjectType, n.ExitDate, n.ActiveAge, n.DisabilityStatus,
       (n.ActiveAge BETWEEN 18 AND 65 OR n.RelationshipToHoH = 1) AS AdultHoH,
       hn.EntryDate AS HMISEntryDate, hn.LivingSituation, hn.LengthOfStay, hn.DateToStreetESSH, hn.PreviousStreetESSH,
       hn.TimesHomelessPastThreeYears, hn.MonthsHomelessPastThreeYears,
       (n.LSAProjectType IN (0, 1, 8) OR hn.LivingSituation IN (101, 116, 118) OR hn.PreviousStreetESSH = 1)
           AS ESSHStreet,
       x.EnrollmentID IS NOT NULL AS HasHMISExit, x.Destination, x.DestinationSubsidyType
FROM tlsa_Enrollment n
JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID AND hn.DateDeleted IS NULL
LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
WHERE COALESCE(n.AIR, false) OR (r.LSAScope <> 3 AND COALESCE(n.Active, false));
ANALYZE dq10_Active;

-- 10.9 Client Entry (910), 10.10 Adult/HoH Entry (911), 10.11 Client Exit (912: distinct PersonalIDs with
-- an ExitDate - the spec's text; HUD's sample code counts EnrollmentIDs), 10.12 Disabling Condition (913:
-- DisabilityStatus NULL or not in (0,1)), 10.13 Living Situation (914: adult/HoH, LivingSituation NULL or in
-- (8,9,99)), 10.14 Length of Stay (915: adult/HoH, LengthOfStay NULL or in (8,9,99)), 10.15 Date
-- ES/SH/Street Homelessness Started (916: adult/HoH, DateToStreetESSH > EntryDate, or DateToStreetESSH NULL
-- and ES/SH/street: LSAProjectType in (0,1,8), LivingSituation in (101,116,118) or PreviousStreetESSH = 1),
-- 10.16 Times Homeless (917: adult/HoH, TimesHomelessPastThreeYears NULL or not in (1,2,3,4), and
-- ES/SH/street), 10.17 Months Homeless (918: adult/HoH, MonthsHomelessPastThreeYears NULL or not between
-- 101 and 113, and ES/SH/street), 10.18 Destination (919: ExitDate not NULL and Destination NULL or in
-- (8,9,17,30,99) or 435 with DestinationSubsidyType NULL), 10.19 Date of Birth (920: distinct PersonalIDs
-- with ActiveAge in (98,99)).
-- Reading (919): Destination is read from the enrollment's hmis_Exit record; an effective ExitDate with
-- no HMIS exit (an operating end date, a night-by-night auto-exit, 3.4) has no Destination to be missing
-- and is not counted, as in HUD's sample code (inner join to hmis_Exit).
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT c.Value, 1, 10, 0, 0, -1, c.ProjectID, c.ReportRow, r.ReportID
FROM (
    SELECT a.ProjectID, v.ReportRow,
           CASE WHEN v.ByPerson THEN count(DISTINCT a.PersonalID) ELSE count(DISTINCT a.EnrollmentID) END AS Value
    FROM dq10_Active a
    CROSS JOIN lsa_Report r
    CROSS JOIN LATERAL (VALUES
        (910, false, true),
        (911, false, a.AdultHoH),
        (912, true, a.ExitDate IS NOT NULL AND a.ExitDate <= r.ReportEnd),
        (913, false, a.DisabilityStatus IS NULL OR a.DisabilityStatus NOT IN (0, 1)),
        (914, false, a.AdultHoH AND (a.LivingSituation IS NULL OR a.LivingSituation IN (8, 9, 99))),
        (915, false, a.AdultHoH AND (a.LengthOfStay IS NULL OR a.LengthOfStay IN (8, 9, 99))),
        (916, false, a.AdultHoH AND (a.DateToStreetESSH > a.HMISEntryDate
                                     OR (a.DateToStreetESSH IS NULL AND a.ESSHStreet))),
        (917, false, a.AdultHoH AND a.ESSHStreet
                     AND (a.TimesHomelessPastThreeYears IS NULL OR a.TimesHomelessPastThreeYears NOT IN (1, 2, 3, 4))),
        (918, false, a.AdultHoH AND a.ESSHStreet
                     AND (a.MonthsHomelessPastThreeYears IS NULL
                          OR a.MonthsHomelessPastThreeYears NOT BETWEEN 101 AND 113)),
        (919, false, a.ExitDate IS NOT NULL AND a.ExitDate <= r.ReportEnd AND a.HasHMISExit
                     AND (a.Destination IS NULL OR a.Destination IN (8, 9, 17, 30, 99)
                          OR (a.Destination = 435 AND a.DestinationSubsidyType IS NULL))),
        (920, true, a.ActiveAge IN (98, 99))
    ) AS v(ReportRow, ByPerson, Counted)
    WHERE v.Counted
    GROUP BY a.ProjectID, v.ReportRow, v.ByPerson
) c
CROSS JOIN lsa_Report r;

-- 10.20 DQ - Night-by-Night Enrollments without Bed Nights (921)
-- Distinct EnrollmentIDs of HMIS enrollments in lsa_Project projects with ProjectType 1, EntryDate <=
-- ReportEnd, ExitDate NULL or (>= ReportStart and > EntryDate), EnrollmentCoC = ReportCoC on the HoH's
-- enrollment, and no bed night (RecordType 200) dated between EntryDate and the earlier of ReportEnd and
-- ExitDate - 1 day.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT d.EnrollmentID), 1, 10, 0, 0, -1, d.ProjectID, 921, r.ReportID
FROM dq10_Enrollment d
JOIN dq10_Household h ON h.HouseholdID = d.HouseholdID
CROSS JOIN lsa_Report r
WHERE d.ProjectType = 1
  AND (d.ExitDate IS NULL OR d.ExitDate > d.EntryDate)
  AND COALESCE(h.HoHInReportCoC, false)
  AND NOT EXISTS (
      SELECT 1 FROM hmis_Services s
      WHERE s.EnrollmentID = d.EnrollmentID AND s.RecordType = 200 AND s.DateDeleted IS NULL
        AND s.DateProvided BETWEEN d.EntryDate AND LEAST(r.ReportEnd, d.ExitDate - 1))
GROUP BY d.ProjectID, r.ReportID;
