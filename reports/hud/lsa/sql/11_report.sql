-- LSA section 11: LSAReport Data Quality and ReportDate (HUD LSA Programming Specifications,
-- docs/11 - LSAReport.md). Fills lsa_Report's data quality counts (11.1-11.7) and tlsa_Person.SSNValid
-- (11.6). ReportDate (11.8) is set by Python once every file is generated (report.py).
-- Reads lsa_Project and lsa_Organization (section 4), tlsa_HHID and tlsa_Enrollment (3, 5), tlsa_Person
-- (5) and the hmis_* views; hmis_Client.SSN is filled just before this file runs (pipeline.fill_ssns).
-- Every count is a count(...) so none is NULL (11.9: none of LSAReport's 32 columns may be NULL).
-- "AIR = 1 or (Active = 1 and LSAScope <> 3)" is written COALESCE(AIR, false) OR (COALESCE(Active, false)
-- AND LSAScope <> 3): the flags are booleans.

-- tlsa_Person is created by section 5; created here (empty) when this file runs without it, and given
-- the SSNValid column 11.6 sets if section 5 did not create it.
CREATE TEMP TABLE IF NOT EXISTS tlsa_Person (PersonalID varchar(32), SSNValid int, ReportID int);
ALTER TABLE tlsa_Person ADD COLUMN IF NOT EXISTS SSNValid int;

-- ---------------------------------------------------------------------------------------------
-- 11.1 NoCoC: distinct HouseholdIDs of HoH enrollments (RelationshipToHoH = 1) with EntryDate <=
-- ReportEnd and ExitDate NULL or >= ReportStart, in lsa_Project projects of type (0,1,2,3,8,13) of
-- organizations that are not victim service providers, whose EnrollmentCoC is NULL or is not one of the
-- project's hmis_ProjectCoC CoCCodes.
-- Reading: "EnrollmentCoC <> any hmis_ProjectCoC.CoCCode for the ProjectID" is read as "matches none of
-- the project's CoC codes" (the household's CoC is not on record), not SQL's "<> ANY" (differs from at
-- least one), which would count every household of a project serving two CoCs.
-- An empty EnrollmentCoC (this HMIS stores a missing CoC code as '') is NULL.
-- ---------------------------------------------------------------------------------------------
UPDATE lsa_Report r SET NoCoC = (
    SELECT count(DISTINCT n.HouseholdID)
    FROM hmis_Enrollment n
    JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID AND lp.ProjectType IN (0, 1, 2, 3, 8, 13)
    JOIN lsa_Organization o ON o.OrganizationID = lp.OrganizationID AND o.VictimServiceProvider = 0
    LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
    WHERE n.DateDeleted IS NULL
      AND n.RelationshipToHoH = 1
      AND n.EntryDate <= r.ReportEnd
      AND (x.ExitDate IS NULL OR x.ExitDate >= r.ReportStart)
      AND (NULLIF(n.EnrollmentCoC, '') IS NULL
           OR NOT EXISTS (SELECT 1 FROM hmis_ProjectCoC c
                          WHERE c.ProjectID = n.ProjectID AND c.CoCCode = n.EnrollmentCoC
                            AND c.DateDeleted IS NULL)));

-- ---------------------------------------------------------------------------------------------
-- 11.2 NotOneHoH: distinct HouseholdIDs with no enrollment, or more than one, where RelationshipToHoH = 1,
-- having an enrollment with EntryDate <= ReportEnd and ExitDate NULL or >= ReportStart in an lsa_Project
-- project of type (0,1,2,3,8,13) of a non-victim-service-provider organization, and any EnrollmentCoC of
-- the household = ReportCoC. The HoH enrollments are counted over every undeleted enrollment with the
-- HouseholdID, as section 3.3 selects households.
-- ---------------------------------------------------------------------------------------------
DROP TABLE IF EXISTS dq11_NotOneHoH;
CREATE TEMP TABLE dq11_NotOneHoH AS
SELECT DISTINCT n.HouseholdID
FROM hmis_Enrollment n
JOIN lsa_Project lp ON lp.ProjectID = n.ProjectID AND lp.ProjectType IN (0, 1, 2, 3, 8, 13)
JOIN lsa_Organization o ON o.OrganizationID = lp.OrganizationID AND o.VictimServiceProvider = 0
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
WHERE n.DateDeleted IS NULL
  AND n.HouseholdID IS NOT NULL
  AND n.EntryDate <= r.ReportEnd
  AND (x.ExitDate IS NULL OR x.ExitDate >= r.ReportStart);
CREATE INDEX ON dq11_NotOneHoH (HouseholdID);

UPDATE lsa_Report r SET NotOneHoH = (
    SELECT count(*)
    FROM (SELECT h.HouseholdID
          FROM hmis_Enrollment h
          JOIN dq11_NotOneHoH c ON c.HouseholdID = h.HouseholdID
          WHERE h.DateDeleted IS NULL
          GROUP BY h.HouseholdID
          HAVING count(DISTINCT h.EnrollmentID) FILTER (WHERE h.RelationshipToHoH = 1) <> 1
             AND COALESCE(bool_or(h.EnrollmentCoC = r.ReportCoC), false)) bad);

-- ---------------------------------------------------------------------------------------------
-- 11.3 RelationshipToHoH: distinct EnrollmentIDs with RelationshipToHoH NULL or not in (1,2,3,4,5),
-- DateDeleted NULL, EntryDate <= ReportEnd, ExitDate NULL or >= ReportStart, whose HouseholdID is a
-- tlsa_HHID HouseholdID with Active = 1.
-- ---------------------------------------------------------------------------------------------
UPDATE lsa_Report r SET RelationshipToHoH = (
    SELECT count(DISTINCT n.EnrollmentID)
    FROM hmis_Enrollment n
    LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
    WHERE n.DateDeleted IS NULL
      AND (n.RelationshipToHoH IS NULL OR n.RelationshipToHoH NOT IN (1, 2, 3, 4, 5))
      AND n.EntryDate <= r.ReportEnd
      AND (x.ExitDate IS NULL OR x.ExitDate >= r.ReportStart)
      AND n.HouseholdID IN (SELECT hh.HouseholdID FROM tlsa_HHID hh WHERE hh.Active));

-- ---------------------------------------------------------------------------------------------
-- 11.4 MoveInDate: tlsa_HHID EnrollmentIDs with LSAProjectType in (3,13,15), Active, an effective
-- MoveInDate of NULL (3.3 discarded it as invalid) while hmis_Enrollment.MoveInDate <= ReportEnd.
-- ---------------------------------------------------------------------------------------------
UPDATE lsa_Report r SET MoveInDate = (
    SELECT count(DISTINCT hh.EnrollmentID)
    FROM tlsa_HHID hh
    JOIN hmis_Enrollment n ON n.EnrollmentID = hh.EnrollmentID AND n.DateDeleted IS NULL
    WHERE hh.LSAProjectType IN (3, 13, 15)
      AND hh.Active
      AND hh.MoveInDate IS NULL
      AND n.MoveInDate <= r.ReportEnd);

-- ---------------------------------------------------------------------------------------------
-- 11.5 Baseline counts, over tlsa_Enrollment / tlsa_HHID records with AIR or (Active and LSAScope <> 3):
--   UnduplicatedClient: distinct PersonalIDs; HouseholdEntry: distinct tlsa_HHID HouseholdIDs;
--   ClientEntry: distinct EnrollmentIDs; AdultHoHEntry: distinct EnrollmentIDs with ActiveAge between 18
--   and 65 or RelationshipToHoH = 1; ClientExit: distinct PersonalIDs with an ExitDate.
-- ---------------------------------------------------------------------------------------------
UPDATE lsa_Report r SET
    UnduplicatedClient = e.Clients, ClientEntry = e.Enrollments, AdultHoHEntry = e.AdultHoH,
    ClientExit = e.Exits, HouseholdEntry = h.Households
FROM (
    SELECT count(DISTINCT n.PersonalID) AS Clients, count(DISTINCT n.EnrollmentID) AS Enrollments,
           count(DISTINCT n.EnrollmentID) FILTER (WHERE n.ActiveAge BETWEEN 18 AND 65 OR n.RelationshipToHoH = 1)
               AS AdultHoH,
           count(DISTINCT n.PersonalID) FILTER (WHERE n.ExitDate IS NOT NULL) AS Exits
    FROM tlsa_Enrollment n CROSS JOIN lsa_Report rr
    WHERE COALESCE(n.AIR, false) OR (COALESCE(n.Active, false) AND rr.LSAScope <> 3)
) e, (
    SELECT count(DISTINCT hh.HouseholdID) AS Households
    FROM tlsa_HHID hh CROSS JOIN lsa_Report rr
    WHERE COALESCE(hh.AIR, false) OR (COALESCE(hh.Active, false) AND rr.LSAScope <> 3)
) h;

-- ---------------------------------------------------------------------------------------------
-- 11.6 SSNValid (tlsa_Person), the first that applies:
--   9: SSNDataQuality in (8,9);
--   4: SSNDataQuality = 2, the first five characters of SSN all 'x'/'X' and the last four digits other than
--      '0000'. This HMIS stores an SSN's digits only (clients.Client.set_ssn), so a partial SSN of the last
--      four digits is held as those four digits: a four-digit SSN with SSNDataQuality 2 is read as
--      'xxxxx' + the four digits.
--   0: SSN not nine characters; NULL or empty (this HMIS has no other default for a missing SSN); beginning
--      '000', '666' or '9'; middle two digits '00'; last four '0000'; any character other than 0-9; or one
--      of the sixteen listed sequences;
--   1: all others.
-- ---------------------------------------------------------------------------------------------
UPDATE tlsa_Person p SET SSNValid = CASE
        WHEN c.SSNDataQuality IN (8, 9) THEN 9
        WHEN c.SSNDataQuality = 2
             AND (c.SSN ~ '^[xX]{5}[0-9]{4}$' OR c.SSN ~ '^[0-9]{4}$')
             AND right(c.SSN, 4) <> '0000' THEN 4
        WHEN c.SSN IS NULL OR length(c.SSN) <> 9 OR c.SSN ~ '[^0-9]'
             OR left(c.SSN, 3) IN ('000', '666') OR left(c.SSN, 1) = '9'
             OR substr(c.SSN, 4, 2) = '00' OR right(c.SSN, 4) = '0000'
             OR c.SSN IN ('111111111', '222222222', '333333333', '444444444', '555555555', '777777777',
                          '888888888', '123456789', '234567890', '345678901', '456789012', '567890123',
                          '678901234', '789012345', '890123456', '901234567') THEN 0
        ELSE 1 END
FROM hmis_Client c
WHERE c.PersonalID = p.PersonalID;
-- A tlsa_Person with no hmis_Client record has no SSN on record.
UPDATE tlsa_Person SET SSNValid = 0 WHERE SSNValid IS NULL;

-- SSN4Digit (SSNValid 4), SSNNotProvided (9), SSNMissingOrInvalid (0): distinct PersonalIDs in
-- tlsa_Enrollment with AIR or (Active and LSAScope <> 3).
-- ClientSSNNotUnique: distinct such PersonalIDs with SSNValid = 1 whose SSN is the SSN of another PersonalID
-- in tlsa_Person (that other person active or not, "regardless of LSAScope").
-- DistinctSSNValueNotUnique: distinct SSN values of such people.
DROP TABLE IF EXISTS dq11_SharedSSN;
CREATE TEMP TABLE dq11_SharedSSN AS
SELECT c.SSN
FROM tlsa_Person p
JOIN hmis_Client c ON c.PersonalID = p.PersonalID
WHERE c.SSN IS NOT NULL
GROUP BY c.SSN
HAVING count(DISTINCT p.PersonalID) > 1;

DROP TABLE IF EXISTS dq11_Person;
CREATE TEMP TABLE dq11_Person AS
SELECT DISTINCT p.PersonalID, p.SSNValid, c.SSN,
       (p.SSNValid = 1 AND c.SSN IN (SELECT s.SSN FROM dq11_SharedSSN s)) AS Shared
FROM tlsa_Person p
JOIN tlsa_Enrollment n ON n.PersonalID = p.PersonalID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Client c ON c.PersonalID = p.PersonalID
WHERE COALESCE(n.AIR, false) OR (COALESCE(n.Active, false) AND r.LSAScope <> 3);

UPDATE lsa_Report r SET
    SSN4Digit = s.Partial, SSNNotProvided = s.NotProvided, SSNMissingOrInvalid = s.Invalid,
    ClientSSNNotUnique = s.SharedPeople, DistinctSSNValueNotUnique = s.SharedValues
FROM (
    SELECT count(DISTINCT PersonalID) FILTER (WHERE SSNValid = 4) AS Partial,
           count(DISTINCT PersonalID) FILTER (WHERE SSNValid = 9) AS NotProvided,
           count(DISTINCT PersonalID) FILTER (WHERE SSNValid = 0) AS Invalid,
           count(DISTINCT PersonalID) FILTER (WHERE Shared) AS SharedPeople,
           count(DISTINCT SSN) FILTER (WHERE Shared) AS SharedValues
    FROM dq11_Person
) s;

-- ---------------------------------------------------------------------------------------------
-- 11.7 Enrollment issues: distinct tlsa_Enrollment EnrollmentIDs with AIR or (Active and LSAScope <> 3):
--   DisablingCond: DisabilityStatus NULL or not in (0,1).
--   LivingSituation / LengthOfStay: adult/HoH (ActiveAge between 18 and 65 or RelationshipToHoH = 1) and
--     the HMIS value NULL or in (8,9,99).
--   HomelessDate: adult/HoH and DateToStreetESSH > EntryDate, or DateToStreetESSH NULL and ES/SH/street
--     (LSAProjectType in (0,1,8), LivingSituation in (101,116,118) or PreviousStreetESSH = 1).
--   TimesHomeless: adult/HoH, TimesHomelessPastThreeYears NULL or not in (1,2,3,4), and ES/SH/street.
--   MonthsHomeless: adult/HoH, MonthsHomelessPastThreeYears NULL or not between 101 and 113, and
--     ES/SH/street. Reading: 11.7 lists the three ES/SH/street conditions unindented here; they are read
--     as one alternative ANDed with the others, as 10.17 (the same count by project) indents them.
--   Destination: ExitDate not NULL and hmis_Exit.Destination NULL or in (8,9,17,30,99), or 435 with
--     DestinationSubsidyType NULL. As in 10.18, an effective exit with no hmis_Exit record is not counted.
-- EntryDate in HomelessDate is the HMIS EntryDate (italic in the spec: the raw value).
-- ---------------------------------------------------------------------------------------------
UPDATE lsa_Report r SET
    DisablingCond = q.DisablingCond, LivingSituation = q.LivingSituation, LengthOfStay = q.LengthOfStay,
    HomelessDate = q.HomelessDate, TimesHomeless = q.TimesHomeless, MonthsHomeless = q.MonthsHomeless,
    Destination = q.Destination
FROM (
    SELECT count(DISTINCT a.EnrollmentID) FILTER (WHERE a.DisabilityStatus IS NULL OR a.DisabilityStatus NOT IN (0, 1))
               AS DisablingCond,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.AdultHoH AND (a.LivingSituation IS NULL OR a.LivingSituation IN (8, 9, 99))) AS LivingSituation,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.AdultHoH AND (a.LengthOfStay IS NULL OR a.LengthOfStay IN (8, 9, 99))) AS LengthOfStay,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.AdultHoH AND (a.DateToStreetESSH > a.HMISEntryDate
                                     OR (a.DateToStreetESSH IS NULL AND a.ESSHStreet))) AS HomelessDate,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.AdultHoH AND a.ESSHStreet
                 AND (a.TimesHomelessPastThreeYears IS NULL OR a.TimesHomelessPastThreeYears NOT IN (1, 2, 3, 4)))
               AS TimesHomeless,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.AdultHoH AND a.ESSHStreet
                 AND (a.MonthsHomelessPastThreeYears IS NULL
                      OR a.MonthsHomelessPastThreeYears NOT BETWEEN 101 AND 113)) AS MonthsHomeless,
           count(DISTINCT a.EnrollmentID) FILTER (
               WHERE a.ExitDate IS NOT NULL AND a.HasHMISExit
                 AND (a.Destination IS NULL OR a.Destination IN (8, 9, 17, 30, 99)
                      OR (a.Destination = 435 AND a.DestinationSubsidyType IS NULL))) AS Destination
    FROM (
        SELECT n.EnrollmentID, n.ExitDate, n.DisabilityStatus,
               COALESCE(n.ActiveAge BETWEEN 18 AND 65 OR n.RelationshipToHoH = 1, false) AS AdultHoH,
               hn.EntryDate AS HMISEntryDate, hn.LivingSituation, hn.LengthOfStay, hn.DateToStreetESSH,
               hn.TimesHomelessPastThreeYears, hn.MonthsHomelessPastThreeYears,
               COALESCE(n.LSAProjectType IN (0, 1, 8) OR hn.LivingSituation IN (101, 116, 118)
                        OR hn.PreviousStreetESSH = 1, false) AS ESSHStreet,
               x.EnrollmentID IS NOT NULL AS HasHMISExit, x.Destination, x.DestinationSubsidyType
        FROM tlsa_Enrollment n
        CROSS JOIN lsa_Report rr
        LEFT JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID AND hn.DateDeleted IS NULL
        LEFT JOIN hmis_Exit x ON x.EnrollmentID = n.EnrollmentID AND x.DateDeleted IS NULL
        WHERE COALESCE(n.AIR, false) OR (COALESCE(n.Active, false) AND rr.LSAScope <> 3)
    ) a
) q;
