-- LSA section 3: Core Concepts and Data Universe (HUD LSA Programming Specifications, FY2026).
-- Creates and fills tlsa_CohortDates (3.2), tlsa_HHID (3.3), tlsa_Enrollment (3.4), the enrollment
-- ages (3.5) and the household types (3.6). The two master tables have every column that
-- "LSA Temporary and Reference Tables" lists; later sections fill the others by UPDATE
-- (Active/AIR 5.1-5.2, HH* population columns 5.12, ExitCohort 7.1, PIT* 9.2, CH/HIV/SMI/SUD 5.x).
-- Working tables of this file only are named core3_* and dropped at the end.

-- ---------------------------------------------------------------------------------------------
-- Tables (LSA Temporary and Reference Tables)
-- ---------------------------------------------------------------------------------------------
DROP TABLE IF EXISTS tlsa_CohortDates;
CREATE TEMP TABLE tlsa_CohortDates (
    Cohort int NOT NULL,
    CohortStart date NOT NULL,
    CohortEnd date NOT NULL,
    LookbackDate date NOT NULL,
    ReportID int NOT NULL
);

DROP TABLE IF EXISTS tlsa_HHID;
CREATE TEMP TABLE tlsa_HHID (
    HouseholdID varchar(32) NOT NULL,
    HoHID varchar(32),
    EnrollmentID varchar(32),
    ProjectID varchar(32),
    LSAProjectType int,
    EntryDate date,
    MoveInDate date,
    ExitDate date,
    LastBednight date,
    EntryHHType int,
    ActiveHHType int,
    Exit1HHType int,
    Exit2HHType int,
    ExitDest int,
    Active boolean,
    AIR boolean,
    ExitCohort int,
    HHChronic int,
    HHVet int,
    HHDisability int,
    HHFleeingDV int,
    HHAdultAge int,
    HHParent int,
    AC3Plus int,
    Step varchar(10)
);

DROP TABLE IF EXISTS tlsa_Enrollment;
CREATE TEMP TABLE tlsa_Enrollment (
    EnrollmentID varchar(32) NOT NULL,
    PersonalID varchar(32),
    HouseholdID varchar(32),
    RelationshipToHoH int,
    ProjectID varchar(32),
    LSAProjectType int,
    EntryDate date,
    MoveInDate date,
    ExitDate date,
    LastBednight date,
    EntryAge int,
    ActiveAge int,
    Exit1Age int,
    Exit2Age int,
    DisabilityStatus int,
    DVStatus int,
    Active boolean,
    AIR boolean,
    PITOctober boolean,
    PITJanuary boolean,
    PITApril boolean,
    PITJuly boolean,
    CH boolean,
    HIV boolean,
    SMI boolean,
    SUD boolean,
    Step varchar(10)
);

-- 3.5 age group of a person born on dob as of asof, for a valid DOB (the ladder of 3.5: 0, 2, 5, 17,
-- 21, 24, 34, 44, 54, 64, 65; EntryAge applies the 105-years rule itself). "[DOB + n years] <= date" is computed with
-- interval arithmetic so that 29 February behaves as in HUD's code (dateadd): 2024-02-29 + 1 year
-- is 2025-02-28. Callers apply the DOB validity rules first. Usable by later sections.
CREATE OR REPLACE FUNCTION pg_temp.lsa_AgeGroup(dob date, asof date) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN dob IS NULL OR asof IS NULL THEN NULL
        WHEN dob + interval '65 years' <= asof THEN 65
        WHEN dob + interval '55 years' <= asof THEN 64
        WHEN dob + interval '45 years' <= asof THEN 54
        WHEN dob + interval '35 years' <= asof THEN 44
        WHEN dob + interval '25 years' <= asof THEN 34
        WHEN dob + interval '22 years' <= asof THEN 24
        WHEN dob + interval '18 years' <= asof THEN 21
        WHEN dob + interval '6 years' <= asof THEN 17
        WHEN dob + interval '3 years' <= asof THEN 5
        WHEN dob + interval '1 year' <= asof THEN 2
        ELSE 0 END
$$;

-- ---------------------------------------------------------------------------------------------
-- 3.2 LSA Reporting Cohorts and Dates (tlsa_CohortDates)
-- Exit cohorts (-2, -1, 0) only when LSAScope <> 3 (HIC); point-in-time cohorts (10-13) only when
-- LSAScope <> 3 and the date falls between ReportStart and ReportEnd. The active cohort (1) always.
-- ---------------------------------------------------------------------------------------------
INSERT INTO tlsa_CohortDates (Cohort, CohortStart, CohortEnd, LookbackDate, ReportID)
SELECT c.Cohort, c.CohortStart, c.CohortEnd, r.LookbackDate, r.ReportID
FROM lsa_Report r
CROSS JOIN LATERAL (VALUES
    (1, r.ReportStart, r.ReportEnd, true),
    (0, r.ReportStart,
        CASE WHEN (r.ReportEnd - interval '6 months')::date <= r.ReportStart THEN r.ReportEnd
             ELSE (r.ReportEnd - interval '6 months')::date END,
        r.LSAScope <> 3),
    (-1, (r.ReportStart - interval '1 year')::date, (r.ReportEnd - interval '1 year')::date, r.LSAScope <> 3),
    (-2, (r.ReportStart - interval '2 years')::date, (r.ReportEnd - interval '2 years')::date, r.LSAScope <> 3),
    (10, make_date(extract(year FROM r.ReportStart)::int, 10, 31),
         make_date(extract(year FROM r.ReportStart)::int, 10, 31), r.LSAScope <> 3),
    (11, make_date(extract(year FROM r.ReportEnd)::int, 1, 31),
         make_date(extract(year FROM r.ReportEnd)::int, 1, 31), r.LSAScope <> 3),
    (12, make_date(extract(year FROM r.ReportEnd)::int, 4, 30),
         make_date(extract(year FROM r.ReportEnd)::int, 4, 30), r.LSAScope <> 3),
    (13, make_date(extract(year FROM r.ReportEnd)::int, 7, 31),
         make_date(extract(year FROM r.ReportEnd)::int, 7, 31), r.LSAScope <> 3)
) AS c(Cohort, CohortStart, CohortEnd, Included)
WHERE c.Included
  AND (c.Cohort < 10 OR c.CohortStart BETWEEN r.ReportStart AND r.ReportEnd);
ANALYZE tlsa_CohortDates;
ANALYZE lsa_Report;

-- 3.6 household type from the counts of distinct people by age status: AO 1, AC 2, CO 3, UN 99.
CREATE OR REPLACE FUNCTION pg_temp.lsa_HHType(adults bigint, children bigint, unknown bigint) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN adults >= 1 AND children = 0 AND unknown = 0 THEN 1
        WHEN adults >= 1 AND children >= 1 THEN 2
        WHEN adults = 0 AND children >= 1 AND unknown = 0 THEN 3
        ELSE 99 END
$$;

-- ---------------------------------------------------------------------------------------------
-- 3.3 HMIS Household Enrollments (tlsa_HHID)
-- ---------------------------------------------------------------------------------------------

-- 3.3 Record Selection, project criteria: VictimServiceProvider = 0, ContinuumProject = 1,
-- ProjectType in (0,1,2,3,8) or RRH (13) with RRHSubType 1 or 2, operating in LookbackDate..ReportEnd.
-- LSAProjectType (3.3 Target): RRH services only (RRHSubType 1) is 15, otherwise the ProjectType.
DROP TABLE IF EXISTS core3_Project;
CREATE TEMP TABLE core3_Project AS
SELECT p.ProjectID, p.ProjectType,
       CASE WHEN p.ProjectType = 13 AND p.RRHSubType = 1 THEN 15 ELSE p.ProjectType END AS LSAProjectType,
       p.OperatingStartDate, p.OperatingEndDate
FROM hmis_Project p
JOIN hmis_Organization o ON o.OrganizationID = p.OrganizationID AND o.DateDeleted IS NULL
CROSS JOIN lsa_Report r
WHERE p.DateDeleted IS NULL
  AND o.VictimServiceProvider = 0
  AND p.ContinuumProject = 1
  AND (p.ProjectType IN (0, 1, 2, 3, 8) OR (p.ProjectType = 13 AND p.RRHSubType IN (1, 2)))
  AND p.OperatingStartDate <= r.ReportEnd
  AND (p.OperatingEndDate IS NULL
       OR (p.OperatingEndDate > r.LookbackDate AND p.OperatingEndDate > p.OperatingStartDate));
CREATE UNIQUE INDEX ON core3_Project (ProjectID);
ANALYZE core3_Project;

-- 3.3 HMISStart/HMISEnd read the periods where HMISParticipationType = 1 of the selected projects.
DROP TABLE IF EXISTS core3_Participation;
CREATE TEMP TABLE core3_Participation AS
SELECT hp.ProjectID, hp.HMISParticipationStatusStartDate AS PStart, hp.HMISParticipationStatusEndDate AS PEnd
FROM hmis_HMISParticipation hp
JOIN core3_Project p ON p.ProjectID = hp.ProjectID
CROSS JOIN lsa_Report r
WHERE hp.DateDeleted IS NULL
  AND hp.HMISParticipationType = 1
  AND hp.HMISParticipationStatusStartDate <= r.ReportEnd;
CREATE INDEX ON core3_Participation (ProjectID, PStart);
ANALYZE core3_Participation;

-- 3.3 "There is no other enrollment record for the HouseholdID where RelationshipToHoH = 1":
-- counted over every (undeleted) enrollment with the HouseholdID, whatever its project or dates.
-- Households with no HoH or 2+ HoHs are left out (LSAReport.NotOneHoH counts them, section 11).
DROP TABLE IF EXISTS core3_OneHoH;
CREATE TEMP TABLE core3_OneHoH AS
SELECT e.HouseholdID
FROM hmis_Enrollment e
WHERE e.DateDeleted IS NULL AND e.RelationshipToHoH = 1 AND e.HouseholdID IS NOT NULL
GROUP BY e.HouseholdID
HAVING count(*) = 1;
CREATE UNIQUE INDEX ON core3_OneHoH (HouseholdID);
ANALYZE core3_OneHoH;

-- HoH enrollments in the selected projects with EnrollmentCoC = ReportCoC that are valid (3.3 HMIS
-- Data Requirements: EntryDate, PersonalID, ProjectID, HouseholdID) with EntryDate <= ReportEnd.
-- RecExit is hmis_Exit.ExitDate as recorded; RawExit is the same read as NULL when after ReportEnd
-- (3.3 ExitDate: "evaluated as NULL prior to making any adjustments"; in the selection and HMISStart
-- criteria the two readings give the same result since every compared date is <= ReportEnd).
-- HMISStart (3.3 HMISStart and HMISEnd): the latest participation start <= ReportEnd with ExitDate
-- NULL or after it and an end NULL or after both EntryDate and LookbackDate; HMISEnd is its end,
-- NULL when after ReportEnd. A HoH enrollment with no HMISStart is not in an HMIS-participating
-- period and is not selected (3 introduction: "HMIS-participating continuum ... projects").
DROP TABLE IF EXISTS core3_HoH;
CREATE TEMP TABLE core3_HoH AS
SELECT e.HouseholdID, e.PersonalID AS HoHID, e.EnrollmentID, e.ProjectID, p.ProjectType, p.LSAProjectType,
       p.OperatingStartDate, p.OperatingEndDate,
       e.EntryDate AS RawEntry, e.MoveInDate AS RawMoveIn, x.ExitDate AS RecExit,
       CASE WHEN x.ExitDate <= r.ReportEnd THEN x.ExitDate END AS RawExit,
       x.Destination, x.DestinationSubsidyType,
       hp.PStart AS HMISStart,
       CASE WHEN hp.PEnd <= r.ReportEnd THEN hp.PEnd END AS HMISEnd,
       NULL::date AS FirstBedNight, NULL::date AS LastBedNight
FROM hmis_Enrollment e
JOIN core3_Project p ON p.ProjectID = e.ProjectID
JOIN core3_OneHoH h ON h.HouseholdID = e.HouseholdID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = e.EnrollmentID AND x.DateDeleted IS NULL
CROSS JOIN LATERAL (
    SELECT cp.PStart, cp.PEnd
    FROM core3_Participation cp
    WHERE cp.ProjectID = e.ProjectID
      AND (x.ExitDate IS NULL OR x.ExitDate > cp.PStart)
      AND (cp.PEnd IS NULL OR (cp.PEnd > e.EntryDate AND cp.PEnd > r.LookbackDate))
    ORDER BY cp.PStart DESC, cp.PEnd DESC NULLS FIRST
    LIMIT 1) hp
WHERE e.DateDeleted IS NULL
  AND e.RelationshipToHoH = 1
  AND e.EnrollmentCoC = r.ReportCoC
  AND e.PersonalID IS NOT NULL
  AND e.EntryDate IS NOT NULL
  AND e.EntryDate <= r.ReportEnd
  AND (x.ExitDate IS NULL OR x.ExitDate > r.LookbackDate);
CREATE INDEX ON core3_HoH (EnrollmentID);
ANALYZE core3_HoH;

-- 3.3 LastBedNight (tlsa_HHID): for night-by-night ES (ProjectType 1) a Services record with
-- RecordType 200 is a BedNightDate when DateProvided is >= LookbackDate, OperatingStartDate,
-- HMISStart and EntryDate, <= ReportEnd, and < ExitDate, OperatingEndDate and HMISEnd (when not NULL).
-- FirstBedNight is the earliest (3.3 EntryDate priority 1), LastBedNight the latest.
UPDATE core3_HoH h
SET FirstBedNight = b.FirstBedNight, LastBedNight = b.LastBedNight
FROM (
    SELECT h2.EnrollmentID, min(s.DateProvided) AS FirstBedNight, max(s.DateProvided) AS LastBedNight
    FROM core3_HoH h2
    JOIN hmis_Services s ON s.EnrollmentID = h2.EnrollmentID
    CROSS JOIN lsa_Report r
    WHERE h2.ProjectType = 1
      AND s.RecordType = 200 AND s.DateDeleted IS NULL
      AND s.DateProvided >= r.LookbackDate
      AND s.DateProvided >= h2.OperatingStartDate
      AND s.DateProvided >= h2.HMISStart
      AND s.DateProvided >= h2.RawEntry
      AND s.DateProvided <= r.ReportEnd
      AND (h2.RawExit IS NULL OR s.DateProvided < h2.RawExit)
      AND (h2.OperatingEndDate IS NULL OR s.DateProvided < h2.OperatingEndDate)
      AND (h2.HMISEnd IS NULL OR s.DateProvided < h2.HMISEnd)
    GROUP BY h2.EnrollmentID) b
WHERE b.EnrollmentID = h.EnrollmentID;

-- 3.3 Record Selection (enrollment criteria) and the effective dates.
-- EntryDate (3.3): 1 ProjectType 1 -> FirstBedNight; 2 EntryDate >= HMISStart and >= OperatingStartDate
--   -> EntryDate; 3 otherwise the later of OperatingStartDate/HMISStart.
-- MoveInDate (3.3): NULL unless ProjectType in (3,13); NULL when before EntryDate, after ExitDate,
--   equal to ExitDate in PSH, after ReportEnd, or on/after OperatingEndDate or HMISEnd; the recorded
--   date when >= HMISStart and OperatingStartDate; otherwise the later of OperatingStartDate/HMISStart.
-- ExitDate (3.3), first condition met: 1 LastBedNight = ReportEnd -> NULL; 2 LastBedNight + 90 days
--   <= ReportEnd, or LSAProjectType 1 with ExitDate < ReportEnd -> LastBedNight + 1 (the auto-exit and
--   "exit one day after the last bed night"); 3 RRH with ExitDate = MoveInDate = ReportEnd -> NULL;
--   4 RRH with ExitDate = MoveInDate -> MoveInDate + 1; 5 OperatingEndDate and/or HMISEnd <= ReportEnd
--   and ExitDate NULL or after the earlier of them -> the earlier of them; 6 ExitDate. Any result
--   after ReportEnd is NULL. Reading: in 3 and 4 "MoveInDate" is the effective MoveInDate (the
--   ExitDest text calls it "the **MoveInDate**"); it equals the recorded one whenever it is kept.
--   Rule 2's second line is applied as written (ExitDate < ReportEnd): a night-by-night exit recorded
--   on ReportEnd itself falls through to rule 6.
DROP TABLE IF EXISTS core3_HHDates;
CREATE TEMP TABLE core3_HHDates AS
WITH sel AS (
    SELECT h.*,
           CASE WHEN h.ProjectType = 1 THEN h.FirstBedNight
                WHEN h.RawEntry >= h.HMISStart AND h.RawEntry >= h.OperatingStartDate THEN h.RawEntry
                ELSE greatest(h.OperatingStartDate, h.HMISStart) END AS EffEntry,
           CASE WHEN h.ProjectType NOT IN (3, 13) OR h.RawMoveIn IS NULL THEN NULL
                WHEN h.RawMoveIn < h.RawEntry THEN NULL
                WHEN h.RawMoveIn > h.RecExit THEN NULL
                WHEN h.RawMoveIn = h.RecExit AND h.ProjectType = 3 THEN NULL
                WHEN h.RawMoveIn > r.ReportEnd THEN NULL
                WHEN h.RawMoveIn >= h.OperatingEndDate OR h.RawMoveIn >= h.HMISEnd THEN NULL
                WHEN h.RawMoveIn >= h.HMISStart AND h.RawMoveIn >= h.OperatingStartDate THEN h.RawMoveIn
                ELSE greatest(h.OperatingStartDate, h.HMISStart) END AS EffMoveIn
    FROM core3_HoH h
    CROSS JOIN lsa_Report r
    WHERE h.HMISStart IS NOT NULL
      AND (h.OperatingEndDate IS NULL OR h.RawEntry < h.OperatingEndDate)
      AND (h.HMISEnd IS NULL OR h.RawEntry < h.HMISEnd)
      AND (h.RawExit IS NULL OR (h.RawExit > r.LookbackDate AND h.RawExit > h.RawEntry
                                 AND h.RawExit > h.HMISStart AND h.RawExit > h.OperatingStartDate))
      AND (h.ProjectType <> 1 OR h.FirstBedNight IS NOT NULL)
), ex AS (
    SELECT s.*,
           CASE WHEN s.LastBedNight = r.ReportEnd THEN NULL
                WHEN s.LastBedNight + 90 <= r.ReportEnd THEN s.LastBedNight + 1
                WHEN s.LSAProjectType = 1 AND s.RawExit < r.ReportEnd THEN s.LastBedNight + 1
                WHEN s.ProjectType = 13 AND s.RawExit = s.EffMoveIn AND s.RawExit = r.ReportEnd THEN NULL
                WHEN s.ProjectType = 13 AND s.RawExit = s.EffMoveIn THEN s.EffMoveIn + 1
                WHEN least(s.OperatingEndDate, s.HMISEnd) <= r.ReportEnd
                     AND (s.RawExit IS NULL OR s.RawExit > least(s.OperatingEndDate, s.HMISEnd))
                    THEN least(s.OperatingEndDate, s.HMISEnd)
                ELSE s.RawExit END AS AdjExit
    FROM sel s
    CROSS JOIN lsa_Report r
)
SELECT ex.*, CASE WHEN ex.AdjExit <= r.ReportEnd THEN ex.AdjExit END AS EffExit
FROM ex
CROSS JOIN lsa_Report r;

-- 3.3 ExitDest, first criterion met: ExitDate NULL -> -1; the effective ExitDate differs from the
-- recorded one and the recorded one is not the MoveInDate (the RRH exit-on-move-in case) -> 99;
-- Destination NULL -> 99; 8/9 -> 98; 17/30/99 -> 99; 435 -> DestinationSubsidyType (99 if NULL);
-- otherwise Destination. Reading: the comparisons use IS DISTINCT FROM so that an adjusted exit with
-- no MoveInDate (NULL in SQL's <>) still reports 99, as 3.3 says destination "is always reported as
-- unknown" when the recorded ExitDate is inconsistent with other data.
INSERT INTO tlsa_HHID (HouseholdID, HoHID, EnrollmentID, ProjectID, LSAProjectType, EntryDate, MoveInDate,
                       ExitDate, LastBednight, ExitDest, Step)
SELECT d.HouseholdID, d.HoHID, d.EnrollmentID, d.ProjectID, d.LSAProjectType, d.EffEntry, d.EffMoveIn,
       d.EffExit, d.LastBedNight,
       CASE WHEN d.EffExit IS NULL THEN -1
            WHEN d.EffExit IS DISTINCT FROM d.RecExit AND d.RecExit IS DISTINCT FROM d.EffMoveIn THEN 99
            WHEN d.Destination IS NULL THEN 99
            WHEN d.Destination IN (8, 9) THEN 98
            WHEN d.Destination IN (17, 30, 99) THEN 99
            WHEN d.Destination = 435 THEN coalesce(d.DestinationSubsidyType, 99)
            ELSE d.Destination END,
       '3.3'
FROM core3_HHDates d;
CREATE UNIQUE INDEX ON tlsa_HHID (HouseholdID);
CREATE INDEX ON tlsa_HHID (HoHID);
CREATE INDEX ON tlsa_HHID (EnrollmentID);
ANALYZE tlsa_HHID;

-- ---------------------------------------------------------------------------------------------
-- 3.4 HMIS Client Enrollments (tlsa_Enrollment)
-- ---------------------------------------------------------------------------------------------

-- Candidate member enrollments (HoH included): HouseholdID in tlsa_HHID (same ProjectID),
-- RelationshipToHoH 1-5, EntryDate <= ReportEnd, ExitDate NULL or after LookbackDate, the member's
-- EntryDate and tlsa_HHID.EntryDate. RawExit: the recorded ExitDate, NULL when after ReportEnd.
DROP TABLE IF EXISTS core3_Member;
DROP TABLE IF EXISTS core3_Client;
CREATE TEMP TABLE core3_Member AS
SELECT e.EnrollmentID, e.PersonalID, e.HouseholdID, e.RelationshipToHoH, hh.ProjectID, hh.LSAProjectType,
       e.EntryDate AS RawEntry,
       CASE WHEN x.ExitDate <= r.ReportEnd THEN x.ExitDate END AS RawExit,
       e.DisablingCondition,
       hh.EntryDate AS HHEntry, hh.MoveInDate AS HHMoveIn, hh.ExitDate AS HHExit,
       NULL::date AS FirstBedNight, NULL::date AS LastBedNight
FROM hmis_Enrollment e
JOIN tlsa_HHID hh ON hh.HouseholdID = e.HouseholdID AND hh.ProjectID = e.ProjectID
CROSS JOIN lsa_Report r
LEFT JOIN hmis_Exit x ON x.EnrollmentID = e.EnrollmentID AND x.DateDeleted IS NULL
WHERE e.DateDeleted IS NULL
  AND e.PersonalID IS NOT NULL
  AND e.RelationshipToHoH IN (1, 2, 3, 4, 5)
  AND e.EntryDate <= r.ReportEnd
  AND (x.ExitDate IS NULL OR (x.ExitDate > r.LookbackDate AND x.ExitDate > e.EntryDate
                              AND x.ExitDate > hh.EntryDate));
CREATE INDEX ON core3_Member (EnrollmentID);
ANALYZE core3_Member;

-- 3.4 Record Selection, night-by-night ES: bed nights on or after LookbackDate, the member's
-- EntryDate and tlsa_HHID.EntryDate, on or before ReportEnd, before the member's ExitDate and before
-- tlsa_HHID.ExitDate. Reading: the spec says "between LookbackDate and the earlier of ExitDate or
-- ReportEnd" and "on or before tlsa_HHID.ExitDate"; a bed night is never counted for an exit date
-- (3.3: the RRH move-in is "the only circumstance under which a bed night is counted for an
-- ExitDate") and no member may stay past the HoH's exit (3.4 ExitDate), so both bounds are strict.
UPDATE core3_Member m
SET FirstBedNight = b.FirstBedNight, LastBedNight = b.LastBedNight
FROM (
    SELECT m2.EnrollmentID, min(s.DateProvided) AS FirstBedNight, max(s.DateProvided) AS LastBedNight
    FROM core3_Member m2
    JOIN hmis_Services s ON s.EnrollmentID = m2.EnrollmentID
    CROSS JOIN lsa_Report r
    WHERE m2.LSAProjectType = 1
      AND s.RecordType = 200 AND s.DateDeleted IS NULL
      AND s.DateProvided >= r.LookbackDate
      AND s.DateProvided >= m2.RawEntry
      AND s.DateProvided >= m2.HHEntry
      AND s.DateProvided <= r.ReportEnd
      AND (m2.RawExit IS NULL OR s.DateProvided < m2.RawExit)
      AND (m2.HHExit IS NULL OR s.DateProvided < m2.HHExit)
    GROUP BY m2.EnrollmentID) b
WHERE b.EnrollmentID = m.EnrollmentID;

-- 3.4 EntryDate: night-by-night -> earliest qualifying bed night; otherwise the later of the
--   member's EntryDate and tlsa_HHID.EntryDate.
-- 3.4 ExitDate: night-by-night -> NULL when the member has no exit, the household has no exit and
--   LastBedNight + 90 days > ReportEnd, otherwise LastBedNight + 1; other types -> tlsa_HHID.ExitDate
--   when the member's ExitDate is after it or missing while the household's is set, NULL when after
--   ReportEnd, otherwise the member's ExitDate.
-- 3.4 MoveInDate (from tlsa_HHID.MoveInDate): before the member's EntryDate -> the member's EntryDate;
--   after the member's ExitDate -> NULL; on the member's ExitDate while the household stays (HH exit
--   NULL or later) -> NULL; otherwise the household's MoveInDate.
-- 3 "An ExitDate must be at least one day later than the EntryDate": a member whose effective dates
--   leave no night (e.g. entered on or after the HoH's exit) is not selected.
-- 3.4 DisabilityStatus: DisablingCondition 0 -> 0, 1 -> 1, otherwise NULL.
INSERT INTO tlsa_Enrollment (EnrollmentID, PersonalID, HouseholdID, RelationshipToHoH, ProjectID, LSAProjectType,
                             EntryDate, MoveInDate, ExitDate, LastBednight, DisabilityStatus, Step)
SELECT d.EnrollmentID, d.PersonalID, d.HouseholdID, d.RelationshipToHoH, d.ProjectID, d.LSAProjectType,
       d.EffEntry,
       CASE WHEN d.HHMoveIn IS NULL THEN NULL
            WHEN d.HHMoveIn < d.EffEntry THEN d.EffEntry
            WHEN d.HHMoveIn > d.RawExit THEN NULL
            WHEN d.HHMoveIn = d.RawExit AND (d.HHExit IS NULL OR d.HHExit > d.RawExit) THEN NULL
            ELSE d.HHMoveIn END,
       d.EffExit, d.LastBedNight,
       CASE WHEN d.DisablingCondition IN (0, 1) THEN d.DisablingCondition END,
       '3.4'
FROM (
    SELECT m.*,
           CASE WHEN m.LSAProjectType = 1 THEN m.FirstBedNight ELSE greatest(m.RawEntry, m.HHEntry) END AS EffEntry,
           CASE WHEN m.LSAProjectType = 1 THEN
                    CASE WHEN m.RawExit IS NULL AND m.HHExit IS NULL AND m.LastBedNight + 90 > r.ReportEnd THEN NULL
                         ELSE m.LastBedNight + 1 END
                WHEN m.HHExit IS NOT NULL AND (m.RawExit IS NULL OR m.RawExit > m.HHExit) THEN m.HHExit
                ELSE m.RawExit END AS EffExit
    FROM core3_Member m
    CROSS JOIN lsa_Report r
    WHERE m.LSAProjectType <> 1 OR m.FirstBedNight IS NOT NULL
) d
WHERE d.EffExit IS NULL OR d.EffExit > d.EffEntry;
CREATE UNIQUE INDEX ON tlsa_Enrollment (EnrollmentID);
CREATE INDEX ON tlsa_Enrollment (HouseholdID);
CREATE INDEX ON tlsa_Enrollment (PersonalID);
ANALYZE tlsa_Enrollment;

-- 3.4 DVStatus: the minimum of the values below over the enrollment's HealthAndDV records dated
-- on or before ReportEnd, on or after EntryDate and on or before ExitDate (when not NULL):
-- DomesticViolenceSurvivor 1 with CurrentlyFleeing 1 -> 1, 0 -> 2, other -> 3; DVS 0 -> 10;
-- DVS 8/9 -> 98; other -> NULL.
UPDATE tlsa_Enrollment n
SET DVStatus = dv.DVStatus
FROM (
    SELECT n2.EnrollmentID,
           min(CASE WHEN d.DomesticViolenceSurvivor = 1 AND d.CurrentlyFleeing = 1 THEN 1
                    WHEN d.DomesticViolenceSurvivor = 1 AND d.CurrentlyFleeing = 0 THEN 2
                    WHEN d.DomesticViolenceSurvivor = 1 THEN 3
                    WHEN d.DomesticViolenceSurvivor = 0 THEN 10
                    WHEN d.DomesticViolenceSurvivor IN (8, 9) THEN 98 END) AS DVStatus
    FROM tlsa_Enrollment n2
    JOIN hmis_HealthAndDV d ON d.EnrollmentID = n2.EnrollmentID AND d.DateDeleted IS NULL
    CROSS JOIN lsa_Report r
    WHERE d.InformationDate <= r.ReportEnd
      AND d.InformationDate >= n2.EntryDate
      AND (n2.ExitDate IS NULL OR d.InformationDate <= n2.ExitDate)
    GROUP BY n2.EnrollmentID) dv
WHERE dv.EnrollmentID = n.EnrollmentID;

-- ---------------------------------------------------------------------------------------------
-- 3.5 Enrollment Ages (tlsa_Enrollment)
-- EntryAge, first met: DOBDataQuality 8/9 -> 98; DOBDataQuality not 1/2 (or missing) -> 99; DOB
-- missing or a system default -> 99; DOB after EntryDate -> 99; HoH with DOB = EntryDate -> 99;
-- DOB + 105 years <= EntryDate -> 99; otherwise the age ladder at EntryDate. Reading: the system
-- default DOB is taken to be 1900-01-01 (any earlier date also fails the 105-years test).
-- Then, for a PersonalID with EntryAge 99 on any enrollment, every EntryAge is 99.
-- ActiveAge: EntryAge when ExitDate < ReportStart, EntryDate >= ReportStart or EntryAge 98/99;
--   otherwise the ladder at ReportStart.
-- Exit1Age/Exit2Age (cohorts -1/-2): EntryAge when ExitDate is not between CohortStart and CohortEnd
--   (always, for a HIC, which has no exit cohorts), EntryDate >= CohortStart or EntryAge 98/99;
--   otherwise the ladder at CohortStart.
-- ---------------------------------------------------------------------------------------------
DROP TABLE IF EXISTS core3_Client;
CREATE TEMP TABLE core3_Client AS
SELECT c.PersonalID, c.DOB, c.DOBDataQuality
FROM hmis_Client c
WHERE c.DateDeleted IS NULL AND c.PersonalID IN (SELECT n.PersonalID FROM tlsa_Enrollment n);
CREATE INDEX ON core3_Client (PersonalID);
ANALYZE core3_Client;

UPDATE tlsa_Enrollment n
SET EntryAge = g.EntryAge,
    ActiveAge = CASE WHEN g.ExitDate < r.ReportStart OR g.EntryDate >= r.ReportStart OR g.EntryAge IN (98, 99)
                         THEN g.EntryAge
                     ELSE pg_temp.lsa_AgeGroup(g.DOB, r.ReportStart) END,
    Exit1Age = CASE WHEN c1.Cohort IS NULL OR g.ExitDate IS NULL
                         OR g.ExitDate NOT BETWEEN c1.CohortStart AND c1.CohortEnd
                         OR g.EntryDate >= c1.CohortStart OR g.EntryAge IN (98, 99) THEN g.EntryAge
                    ELSE pg_temp.lsa_AgeGroup(g.DOB, c1.CohortStart) END,
    Exit2Age = CASE WHEN c2.Cohort IS NULL OR g.ExitDate IS NULL
                         OR g.ExitDate NOT BETWEEN c2.CohortStart AND c2.CohortEnd
                         OR g.EntryDate >= c2.CohortStart OR g.EntryAge IN (98, 99) THEN g.EntryAge
                    ELSE pg_temp.lsa_AgeGroup(g.DOB, c2.CohortStart) END,
    Step = '3.5'
FROM (
    SELECT e.EnrollmentID, e.EntryDate, e.ExitDate, e.DOB,
           CASE WHEN bool_or(e.FirstAge = 99) OVER (PARTITION BY e.PersonalID) THEN 99 ELSE e.FirstAge END AS EntryAge
    FROM (
        SELECT n2.EnrollmentID, n2.PersonalID, n2.EntryDate, n2.ExitDate, c.DOB,
               CASE WHEN c.DOBDataQuality IN (8, 9) THEN 98
                    WHEN c.DOBDataQuality IS NULL OR c.DOBDataQuality NOT IN (1, 2) THEN 99
                    WHEN c.DOB IS NULL OR c.DOB <= DATE '1900-01-01' THEN 99
                    WHEN c.DOB > n2.EntryDate THEN 99
                    WHEN n2.RelationshipToHoH = 1 AND c.DOB = n2.EntryDate THEN 99
                    WHEN c.DOB + interval '105 years' <= n2.EntryDate THEN 99
                    ELSE pg_temp.lsa_AgeGroup(c.DOB, n2.EntryDate) END AS FirstAge
        FROM tlsa_Enrollment n2
        LEFT JOIN core3_Client c ON c.PersonalID = n2.PersonalID
    ) e
) g
CROSS JOIN lsa_Report r
LEFT JOIN tlsa_CohortDates c1 ON c1.Cohort = -1
LEFT JOIN tlsa_CohortDates c2 ON c2.Cohort = -2
WHERE g.EnrollmentID = n.EnrollmentID;

-- ---------------------------------------------------------------------------------------------
-- 3.6 Household Types (tlsa_HHID)
-- Counts of distinct PersonalIDs by age status (adult: age group 21-65, child: 0-17, unknown: 98/99).
-- EntryHHType: every tlsa_Enrollment record of the household, by EntryAge.
-- ActiveHHType: EntryHHType when tlsa_HHID.EntryDate >= ReportStart or ExitDate < ReportStart;
--   otherwise ActiveAge of the members with ExitDate NULL or >= ReportStart.
-- Exit1HHType/Exit2HHType (cohorts -1/-2): EntryHHType when tlsa_HHID.EntryDate >= CohortStart or
--   ExitDate < CohortStart (and for a HIC, which has no exit cohorts); otherwise Exit1Age/Exit2Age of
--   the members with EntryDate < CohortEnd and ExitDate NULL or >= CohortStart.
-- ---------------------------------------------------------------------------------------------
UPDATE tlsa_HHID hh
SET EntryHHType = a.EntryHHType,
    ActiveHHType = CASE WHEN hh.EntryDate >= r.ReportStart OR hh.ExitDate < r.ReportStart THEN a.EntryHHType
                        ELSE a.ActiveHHType END,
    Exit1HHType = CASE WHEN c1.Cohort IS NULL OR hh.EntryDate >= c1.CohortStart OR hh.ExitDate < c1.CohortStart
                           THEN a.EntryHHType
                       ELSE a.Exit1HHType END,
    Exit2HHType = CASE WHEN c2.Cohort IS NULL OR hh.EntryDate >= c2.CohortStart OR hh.ExitDate < c2.CohortStart
                           THEN a.EntryHHType
                       ELSE a.Exit2HHType END,
    Step = '3.6'
FROM (
    -- one row per household member (distinct PersonalID), then counts per household
    SELECT p.HouseholdID,
           pg_temp.lsa_HHType(count(*) FILTER (WHERE p.AdultE), count(*) FILTER (WHERE p.ChildE),
                              count(*) FILTER (WHERE p.UnknownE)) AS EntryHHType,
           pg_temp.lsa_HHType(count(*) FILTER (WHERE p.AdultA), count(*) FILTER (WHERE p.ChildA),
                              count(*) FILTER (WHERE p.UnknownA)) AS ActiveHHType,
           pg_temp.lsa_HHType(count(*) FILTER (WHERE p.Adult1), count(*) FILTER (WHERE p.Child1),
                              count(*) FILTER (WHERE p.Unknown1)) AS Exit1HHType,
           pg_temp.lsa_HHType(count(*) FILTER (WHERE p.Adult2), count(*) FILTER (WHERE p.Child2),
                              count(*) FILTER (WHERE p.Unknown2)) AS Exit2HHType
    FROM (
        SELECT n.HouseholdID, n.PersonalID,
               bool_or(n.EntryAge BETWEEN 21 AND 65) AS AdultE,
               bool_or(n.EntryAge BETWEEN 0 AND 17) AS ChildE,
               bool_or(n.EntryAge IN (98, 99)) AS UnknownE,
               coalesce(bool_or(ra.Active AND n.ActiveAge BETWEEN 21 AND 65), false) AS AdultA,
               coalesce(bool_or(ra.Active AND n.ActiveAge BETWEEN 0 AND 17), false) AS ChildA,
               coalesce(bool_or(ra.Active AND n.ActiveAge IN (98, 99)), false) AS UnknownA,
               coalesce(bool_or(ra.In1 AND n.Exit1Age BETWEEN 21 AND 65), false) AS Adult1,
               coalesce(bool_or(ra.In1 AND n.Exit1Age BETWEEN 0 AND 17), false) AS Child1,
               coalesce(bool_or(ra.In1 AND n.Exit1Age IN (98, 99)), false) AS Unknown1,
               coalesce(bool_or(ra.In2 AND n.Exit2Age BETWEEN 21 AND 65), false) AS Adult2,
               coalesce(bool_or(ra.In2 AND n.Exit2Age BETWEEN 0 AND 17), false) AS Child2,
               coalesce(bool_or(ra.In2 AND n.Exit2Age IN (98, 99)), false) AS Unknown2
        FROM tlsa_Enrollment n
        CROSS JOIN lsa_Report r
        LEFT JOIN tlsa_CohortDates c1 ON c1.Cohort = -1
        LEFT JOIN tlsa_CohortDates c2 ON c2.Cohort = -2
        CROSS JOIN LATERAL (SELECT
            (n.ExitDate IS NULL OR n.ExitDate >= r.ReportStart) AS Active,
            coalesce(n.EntryDate < c1.CohortEnd AND (n.ExitDate IS NULL OR n.ExitDate >= c1.CohortStart), false) AS In1,
            coalesce(n.EntryDate < c2.CohortEnd AND (n.ExitDate IS NULL OR n.ExitDate >= c2.CohortStart), false) AS In2
        ) ra
        GROUP BY n.HouseholdID, n.PersonalID
    ) p
    GROUP BY p.HouseholdID
) a
CROSS JOIN lsa_Report r
LEFT JOIN tlsa_CohortDates c1 ON c1.Cohort = -1
LEFT JOIN tlsa_CohortDates c2 ON c2.Cohort = -2
WHERE a.HouseholdID = hh.HouseholdID;

ANALYZE tlsa_HHID;
ANALYZE tlsa_Enrollment;

DROP TABLE IF EXISTS core3_Project;
DROP TABLE IF EXISTS core3_Participation;
DROP TABLE IF EXISTS core3_OneHoH;
DROP TABLE IF EXISTS core3_HoH;
DROP TABLE IF EXISTS core3_HHDates;
DROP TABLE IF EXISTS core3_Member;
DROP TABLE IF EXISTS core3_Client;
