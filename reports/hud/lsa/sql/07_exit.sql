-- LSA section 7: LSAExit (HUD LSA Programming Specifications, docs/07 - LSAExit.md).
-- Reads tlsa_CohortDates, tlsa_HHID and tlsa_Enrollment (section 3), lsa_Report, lsa_SelectedProject
-- and the hmis_* views; creates tlsa_Exit, tlsa_ExitHoHAdult, ch_Episodes_exit, sys_TimePadded_exit
-- (columns as "LSA Temporary and Reference Tables"), ch_Exclude_exit and ch_Include_exit (views over
-- per-person date ranges, see 7.5) and the output table lsa_Exit (HUD's LSAExit columns, in order).
-- Section 7 is required only when LSAScope <> 3 (HIC): for a HIC run no exit is marked (7.1), so
-- every table below is created empty.
--
-- A household's type in a cohort is read, throughout, from the tlsa_HHID column of that cohort:
-- ActiveHHType for cohort 0, Exit1HHType for -1, Exit2HHType for -2 (7.1, 7.2, 7.3, 7.10-7.12);
-- a member's age likewise from ActiveAge / Exit1Age / Exit2Age. "Adult" is an age group between
-- 21 and 65 (18 and over, section 3.6); "child" between 0 and 17.

CREATE INDEX IF NOT EXISTS x07_hhid_hoh ON tlsa_HHID (HoHID);
CREATE INDEX IF NOT EXISTS x07_hhid_household ON tlsa_HHID (HouseholdID);
CREATE INDEX IF NOT EXISTS x07_enrollment_household ON tlsa_Enrollment (HouseholdID);
CREATE INDEX IF NOT EXISTS x07_enrollment_person ON tlsa_Enrollment (PersonalID);

-- 7.1 Identify Qualifying Exits in Exit Cohort Periods.
-- A qualifying exit: ExitDate in an exit cohort period (-2, -1, 0) and no other enrollment of the
-- same HoHID and household type (the cohort's column) still open after that exit date (ExitDate NULL
-- or later) that began before ExitDate + 14 days. Project-focused (LSAScope 2): only exits from the
-- selected projects (lsa_SelectedProject holds the projects lsa_Project is limited to).
UPDATE tlsa_HHID SET ExitCohort = NULL WHERE ExitCohort IS NOT NULL;

UPDATE tlsa_HHID qx
SET ExitCohort = cd.Cohort, Step = '7.1'
FROM tlsa_CohortDates cd, lsa_Report rpt
WHERE cd.Cohort BETWEEN -2 AND 0
  AND rpt.LSAScope <> 3
  AND qx.ExitDate BETWEEN cd.CohortStart AND cd.CohortEnd
  AND (rpt.LSAScope <> 2 OR qx.ProjectID IN (SELECT sp.ProjectID FROM lsa_SelectedProject sp))
  AND NOT EXISTS (
      SELECT 1 FROM tlsa_HHID other
      WHERE other.HoHID = qx.HoHID
        AND other.HouseholdID <> qx.HouseholdID
        AND CASE cd.Cohort WHEN 0 THEN other.ActiveHHType = qx.ActiveHHType
                           WHEN -1 THEN other.Exit1HHType = qx.Exit1HHType
                           ELSE other.Exit2HHType = qx.Exit2HHType END
        AND (other.ExitDate IS NULL OR other.ExitDate > qx.ExitDate)
        AND other.EntryDate < qx.ExitDate + 14);

-- 7.2 Select Reportable Exits: one tlsa_Exit row per Cohort / HoHID / HHType.
-- QualifyingExitHHID: the earliest exit to a permanent destination (ExitDest 400-499); else the
-- earliest to a temporary one (100-399); else the earliest exit. Ties on the exit date: lowest
-- ExitDest, then the EARLIEST entry date (the spec's words; HUD's sample code sorts entry dates
-- descending, we follow the specification), then the highest EnrollmentID.
-- ExitFrom crosswalks LSAProjectType and MoveInDate; ExitTo is tlsa_HHID.ExitDest as section 3.3
-- recoded it (8/9 -> 98, 17/30/99 -> 99, 435 -> DestinationSubsidyType, adjusted exits -> 99).
DROP TABLE IF EXISTS tlsa_Exit;
CREATE TEMP TABLE tlsa_Exit (
    HoHID varchar(32) NOT NULL,
    HHType int NOT NULL,
    QualifyingExitHHID varchar(32),
    LastInactive date,
    Cohort int NOT NULL,
    Stat int,
    ExitFrom int,
    ExitTo int,
    ReturnTime int,
    HHVet int,
    HHChronic int,
    HHDisability int,
    HHFleeingDV int,
    HoHRaceEthnicity int,
    HHAdultAge int,
    HHParent int,
    AC3Plus int,
    SystemPath int,
    ReportID int,
    Step varchar(10)
);

INSERT INTO tlsa_Exit (HoHID, HHType, QualifyingExitHHID, Cohort, ExitFrom, ExitTo, ReportID, Step)
SELECT DISTINCT ON (q.ExitCohort, q.HoHID, q.HHType)
       q.HoHID, q.HHType, q.HouseholdID, q.ExitCohort,
       CASE WHEN q.LSAProjectType IN (0, 1) THEN 2
            WHEN q.LSAProjectType = 2 THEN 3
            WHEN q.LSAProjectType = 8 THEN 4
            WHEN q.LSAProjectType = 13 AND q.MoveInDate IS NOT NULL THEN 5
            WHEN q.LSAProjectType = 3 AND q.MoveInDate IS NOT NULL THEN 6
            WHEN q.LSAProjectType = 13 THEN 7
            WHEN q.LSAProjectType = 3 THEN 8
            WHEN q.LSAProjectType = 15 AND q.MoveInDate IS NOT NULL THEN 9
            WHEN q.LSAProjectType = 15 THEN 10 END,
       q.ExitDest, rpt.ReportID, '7.2'
FROM (SELECT h.*, CASE h.ExitCohort WHEN 0 THEN h.ActiveHHType WHEN -1 THEN h.Exit1HHType
                                    ELSE h.Exit2HHType END AS HHType
      FROM tlsa_HHID h WHERE h.ExitCohort IS NOT NULL) q
CROSS JOIN lsa_Report rpt
ORDER BY q.ExitCohort, q.HoHID, q.HHType,
         CASE WHEN q.ExitDest BETWEEN 400 AND 499 THEN 1 WHEN q.ExitDest BETWEEN 100 AND 399 THEN 2 ELSE 3 END,
         q.ExitDate, q.ExitDest, q.EntryDate, q.EnrollmentID DESC;

CREATE UNIQUE INDEX x07_exit_qx ON tlsa_Exit (QualifyingExitHHID);
ANALYZE tlsa_Exit;

-- 7.3 ReturnTime: days from the qualifying exit to the earliest later EntryDate of the same HoHID
-- and household type (the cohort's column) between ExitDate + 15 and ExitDate + 730 days; -1 when
-- there is none. tlsa_Exit keeps the actual days (section 8 averages them); 7.13 buckets them.
UPDATE tlsa_Exit ex
SET ReturnTime = COALESCE((
        SELECT min(rn.EntryDate) - qx.ExitDate
        FROM tlsa_HHID rn
        WHERE rn.HoHID = ex.HoHID
          AND CASE ex.Cohort WHEN 0 THEN rn.ActiveHHType WHEN -1 THEN rn.Exit1HHType ELSE rn.Exit2HHType END
              = ex.HHType
          AND rn.EntryDate BETWEEN qx.ExitDate + 15 AND qx.ExitDate + 730), -1),
    Step = '7.3'
FROM tlsa_HHID qx
WHERE qx.HouseholdID = ex.QualifyingExitHHID;

-- 7.4 HoH and adult members of exit cohort households (tlsa_ExitHoHAdult).
-- Members of the qualifying exit's HouseholdID with ExitDate >= CohortStart who are the HoH or an
-- adult in the cohort's age column; not for exits from TH after a stay of a year or more
-- (ExitFrom 3) or from RRH/PSH housed a year or more before exit (ExitFrom 5, 6).
-- LastActive: the member's latest ExitDate in the household; CHStart = LastActive - 3 years + 1 day.
-- DisabilityStatus: 1 if any of those enrollments has 1, else 0 if any has 0, else 99.
DROP TABLE IF EXISTS tlsa_ExitHoHAdult;
CREATE TEMP TABLE tlsa_ExitHoHAdult (
    PersonalID varchar(32) NOT NULL,
    QualifyingExitHHID varchar(32) NOT NULL,
    Cohort int NOT NULL,
    DisabilityStatus int,
    CHStart date,
    LastActive date,
    CHTime int,
    CHTimeStatus int,
    Step varchar(10)
);

INSERT INTO tlsa_ExitHoHAdult (PersonalID, QualifyingExitHHID, Cohort, DisabilityStatus, CHStart, LastActive, Step)
SELECT n.PersonalID, ex.QualifyingExitHHID, ex.Cohort,
       CASE WHEN bool_or(n.DisabilityStatus = 1) THEN 1 WHEN bool_or(n.DisabilityStatus = 0) THEN 0 ELSE 99 END,
       (max(n.ExitDate) - interval '3 years')::date + 1,
       max(n.ExitDate), '7.4.1'
FROM tlsa_Exit ex
JOIN tlsa_HHID qx ON qx.HouseholdID = ex.QualifyingExitHHID
JOIN tlsa_CohortDates cd ON cd.Cohort = ex.Cohort
JOIN tlsa_Enrollment n ON n.HouseholdID = ex.QualifyingExitHHID AND n.ExitDate >= cd.CohortStart
WHERE (n.RelationshipToHoH = 1
       OR CASE ex.Cohort WHEN 0 THEN n.ActiveAge WHEN -1 THEN n.Exit1Age ELSE n.Exit2Age END BETWEEN 21 AND 65)
  AND (ex.ExitFrom <> 3 OR qx.EntryDate > (qx.ExitDate - interval '1 year')::date)
  AND (ex.ExitFrom NOT IN (5, 6) OR qx.MoveInDate > (qx.ExitDate - interval '1 year')::date)
GROUP BY n.PersonalID, ex.QualifyingExitHHID, ex.Cohort;

CREATE INDEX x07_exithohadult_person ON tlsa_ExitHoHAdult (PersonalID);
CREATE INDEX x07_exithohadult_qx ON tlsa_ExitHoHAdult (QualifyingExitHHID);
ANALYZE tlsa_ExitHoHAdult;

-- 7.4 CHTime 400 / CHTimeStatus 2 set directly for all the household's HoH/adult records when the HoH
-- or an adult (exit in the cohort period) entered in the year ending on LastActive, with an HMIS
-- EntryDate equal to tlsa_Enrollment.EntryDate, and reported 12+ months (112, 113) and 4+ times
-- (4) homeless in the past three years (3.917). Those records skip 7.5-7.8.
UPDATE tlsa_ExitHoHAdult ha
SET CHTime = 400, CHTimeStatus = 2, Step = '7.4.5'
WHERE EXISTS (
    SELECT 1
    FROM tlsa_CohortDates cd
    JOIN tlsa_Enrollment n ON n.HouseholdID = ha.QualifyingExitHHID
                          AND n.ExitDate BETWEEN cd.CohortStart AND cd.CohortEnd
    JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE cd.Cohort = ha.Cohort
      AND (n.RelationshipToHoH = 1
           OR CASE ha.Cohort WHEN 0 THEN n.ActiveAge WHEN -1 THEN n.Exit1Age ELSE n.Exit2Age END BETWEEN 21 AND 65)
      AND hn.MonthsHomelessPastThreeYears IN (112, 113)
      AND hn.TimesHomelessPastThreeYears = 4
      AND hn.EntryDate = n.EntryDate
      AND hn.EntryDate > (ha.LastActive - interval '1 year')::date);

-- The people 7.5-7.8 look at, with their earliest CHStart and latest LastActive over all cohorts.
DROP TABLE IF EXISTS x07_ch_person;
CREATE TEMP TABLE x07_ch_person AS
SELECT PersonalID, min(CHStart) AS CHStart, max(LastActive) AS LastActive
FROM tlsa_ExitHoHAdult WHERE CHTime IS NULL
GROUP BY PersonalID;
CREATE UNIQUE INDEX x07_ch_person_id ON x07_ch_person (PersonalID);
ANALYZE x07_ch_person;

-- HUD describes ch_Exclude_exit and ch_Include_exit as one row per person per date. Here the same
-- dates are held as one datemultirange per person (ch_ExcludeRange_exit, ch_IncludeRange_exit),
-- the same set of dates without a row per day (the LSA runs on 1,000,000 clients, section 5 does
-- likewise); ch_Exclude_exit and ch_Include_exit are views with HUD's one-row-per-date columns.
DROP VIEW IF EXISTS ch_Exclude_exit;
DROP VIEW IF EXISTS ch_Include_exit;

-- 7.5 ch_Exclude_exit: dates (earliest CHStart .. latest LastActive) enrolled in TH (from EntryDate)
-- or housed in RRH/PSH (from MoveInDate), before the ExitDate. Reading: an enrollment with no
-- ExitDate is still open, so its dates run to LastActive (the spec's "< ExitDate" reads a NULL exit
-- as no end, not as no dates).
DROP TABLE IF EXISTS ch_ExcludeRange_exit;
CREATE TEMP TABLE ch_ExcludeRange_exit AS
SELECT p.PersonalID,
       range_agg(daterange(greatest(CASE WHEN n.LSAProjectType = 2 THEN n.EntryDate ELSE n.MoveInDate END, p.CHStart),
                           least(COALESCE(n.ExitDate, p.LastActive + 1), p.LastActive + 1), '[)')) AS excludeDates
FROM x07_ch_person p
JOIN tlsa_Enrollment n ON n.PersonalID = p.PersonalID
WHERE (n.LSAProjectType = 2 OR (n.LSAProjectType IN (3, 13) AND n.MoveInDate IS NOT NULL))
  AND greatest(CASE WHEN n.LSAProjectType = 2 THEN n.EntryDate ELSE n.MoveInDate END, p.CHStart)
      < least(COALESCE(n.ExitDate, p.LastActive + 1), p.LastActive + 1)
GROUP BY p.PersonalID;
CREATE UNIQUE INDEX x07_exclude_person ON ch_ExcludeRange_exit (PersonalID);

CREATE TEMP VIEW ch_Exclude_exit AS
SELECT x.PersonalID, d::date AS excludeDate, '7.5'::varchar(10) AS Step
FROM ch_ExcludeRange_exit x, unnest(x.excludeDates) r, generate_series(lower(r), upper(r) - 1, interval '1 day') d;

-- 7.6 ch_Include_exit: ES/SH/Street dates between the earliest CHStart and the latest LastActive,
-- from enrollments with ExitDate > earliest CHStart (or open) and EntryDate <= latest LastActive,
-- not in ch_Exclude_exit:
--   entry/exit ES and SH (0, 8): EntryDate .. ExitDate - 1;
--   night-by-night ES (1): bed nights on/after LookbackDate and EntryDate, before ExitDate;
--   3.917 (enrollments with EntryDate > earliest CHStart): from DateToStreetESSH, for ES/SH when
--   LivingSituation is 101/116/118, up to EntryDate - 1; for TH/RRH/PSH/RRH-SO when the client came
--   from ES/SH/street (LivingSituation 101/116/118, or LengthOfStay 10/11 with PreviousStreetESSH 1,
--   or an institution 204-225 with LengthOfStay 2/3 and PreviousStreetESSH 1), up to EntryDate - 1
--   for TH and up to MoveInDate - 1 (or ExitDate - 1 when not housed; LastActive when open) for
--   RRH/PSH.
DROP TABLE IF EXISTS ch_IncludeRange_exit;
CREATE TEMP TABLE ch_IncludeRange_exit AS
WITH spans AS (
    SELECT p.PersonalID, greatest(n.EntryDate, p.CHStart) AS s,
           least(COALESCE(n.ExitDate, p.LastActive + 1), p.LastActive + 1) AS e
    FROM x07_ch_person p
    JOIN tlsa_Enrollment n ON n.PersonalID = p.PersonalID
    WHERE n.LSAProjectType IN (0, 8)
    UNION ALL
    SELECT p.PersonalID, s.DateProvided, s.DateProvided + 1
    FROM x07_ch_person p
    JOIN tlsa_Enrollment n ON n.PersonalID = p.PersonalID
    JOIN hmis_Services s ON s.EnrollmentID = n.EnrollmentID AND s.RecordType = 200
    CROSS JOIN lsa_Report rpt
    WHERE n.LSAProjectType = 1
      AND s.DateProvided >= rpt.LookbackDate AND s.DateProvided >= n.EntryDate
      AND (n.ExitDate IS NULL OR s.DateProvided < n.ExitDate)
      AND s.DateProvided BETWEEN p.CHStart AND p.LastActive
    UNION ALL
    SELECT p.PersonalID, greatest(hn.DateToStreetESSH, p.CHStart),
           least(CASE WHEN n.LSAProjectType IN (0, 1, 2, 8) THEN n.EntryDate
                      ELSE COALESCE(n.MoveInDate, n.ExitDate, p.LastActive + 1) END,
                 p.LastActive + 1)
    FROM x07_ch_person p
    JOIN tlsa_Enrollment n ON n.PersonalID = p.PersonalID AND n.EntryDate > p.CHStart AND n.EntryDate <= p.LastActive
    JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE hn.DateToStreetESSH IS NOT NULL
      AND (hn.LivingSituation IN (101, 116, 118)
           OR (n.LSAProjectType IN (2, 3, 13, 15) AND hn.PreviousStreetESSH = 1
               AND (hn.LengthOfStay IN (10, 11)
                    OR (hn.LivingSituation IN (204, 205, 206, 207, 215, 225) AND hn.LengthOfStay IN (2, 3)))))
)
SELECT a.PersonalID, a.dates - COALESCE(x.excludeDates, '{}'::datemultirange) AS includeDates
FROM (SELECT PersonalID, range_agg(daterange(s, e, '[)')) AS dates FROM spans WHERE s < e GROUP BY PersonalID) a
LEFT JOIN ch_ExcludeRange_exit x ON x.PersonalID = a.PersonalID;

-- 7.6 gaps of less than seven days between two ES/SH/Street dates (last date + 7 >= next date) count,
-- excluded or not, and 7.7 ch_Episodes_exit: each uninterrupted series of ES/SH/Street dates is an
-- episode. The runs of ch_IncludeRange_exit separated by such short gaps are merged into one episode;
-- episodeDays = episodeEnd - episodeStart + 1.
DROP TABLE IF EXISTS ch_Episodes_exit;
CREATE TEMP TABLE ch_Episodes_exit AS
WITH runs AS (
    SELECT i.PersonalID, lower(r) AS s, upper(r) - 1 AS e
    FROM ch_IncludeRange_exit i, unnest(i.includeDates) r
), marked AS (
    SELECT runs.*, CASE WHEN lag(e) OVER w IS NULL OR lag(e) OVER w + 7 < s THEN 1 ELSE 0 END AS starts
    FROM runs WINDOW w AS (PARTITION BY PersonalID ORDER BY s)
), grouped AS (
    SELECT marked.*, sum(starts) OVER (PARTITION BY PersonalID ORDER BY s) AS episode FROM marked
)
SELECT PersonalID, min(s) AS episodeStart, max(e) AS episodeEnd, max(e) - min(s) + 1 AS episodeDays,
       '7.7'::varchar(10) AS Step
FROM grouped
GROUP BY PersonalID, episode;
CREATE INDEX x07_episodes ON ch_Episodes_exit (PersonalID);
ANALYZE ch_Episodes_exit;

-- ch_Include_exit after 7.6's gap filling: every date of every episode.
CREATE TEMP VIEW ch_Include_exit AS
SELECT e.PersonalID, d::date AS ESSHStreetDate, '7.6'::varchar(10) AS Step
FROM ch_Episodes_exit e, generate_series(e.episodeStart, e.episodeEnd, interval '1 day') d;

-- 7.8 CHTime and CHTimeStatus for the records 7.4 did not set, first match:
--   365/1 an episode of 365+ days ending in the year ending on LastActive (and starting by LastActive);
--   365/2 365+ ES/SH/Street days in CHStart..LastActive in 4+ episodes; 365/3 the same in fewer;
--   270/-1 270-364 days; 0/-1 fewer than 270.
-- Per record, days are the ES/SH/Street dates between its CHStart and LastActive and episodes the
-- ch_Episodes_exit rows ending in that window (a person can be in several cohorts, each its window).
UPDATE tlsa_ExitHoHAdult ha
SET CHTime = 365, CHTimeStatus = 1, Step = '7.8.1'
WHERE ha.CHTime IS NULL
  AND EXISTS (SELECT 1 FROM ch_Episodes_exit e
              WHERE e.PersonalID = ha.PersonalID AND e.episodeDays >= 365
                AND e.episodeEnd > (ha.LastActive - interval '1 year')::date
                AND e.episodeStart <= ha.LastActive);

UPDATE tlsa_ExitHoHAdult ha
SET CHTime = CASE WHEN t.days >= 365 THEN 365 WHEN t.days >= 270 THEN 270 ELSE 0 END,
    CHTimeStatus = CASE WHEN t.days >= 365 AND t.episodes >= 4 THEN 2 WHEN t.days >= 365 THEN 3 ELSE -1 END,
    Step = '7.8.2'
FROM (SELECT h.PersonalID, h.QualifyingExitHHID,
             COALESCE(sum(greatest(least(e.episodeEnd, h.LastActive) - greatest(e.episodeStart, h.CHStart) + 1, 0)),
                      0) AS days,
             count(*) FILTER (WHERE e.episodeEnd BETWEEN h.CHStart AND h.LastActive) AS episodes
      FROM tlsa_ExitHoHAdult h
      LEFT JOIN ch_Episodes_exit e ON e.PersonalID = h.PersonalID
      WHERE h.CHTime IS NULL
      GROUP BY h.PersonalID, h.QualifyingExitHHID) t
WHERE ha.CHTime IS NULL AND t.PersonalID = ha.PersonalID AND t.QualifyingExitHHID = ha.QualifyingExitHHID;

-- 7.8 CHTimeStatus 99: short of the time criteria (CHTime 0/270, or 365/3) and missing 3.917 data on
-- an enrollment of the person exiting in the cohort period. Reading of the table's "Condition 2":
-- for the TH/RRH/PSH rows (institution 2-3 nights/months, or LengthOfStay 10/11), a missing
-- DateToStreetESSH / times / months matters only when PreviousStreetESSH = 1 (otherwise 3.917
-- collects none of them), as HUD's sample code reads it; PreviousStreetESSH missing (not 0/1) is 99.
UPDATE tlsa_ExitHoHAdult ha
SET CHTimeStatus = 99, Step = '7.8.3'
WHERE (ha.CHTime IN (0, 270) OR ha.CHTimeStatus = 3)
  AND EXISTS (
    SELECT 1
    FROM tlsa_CohortDates cd
    JOIN tlsa_Enrollment n ON n.PersonalID = ha.PersonalID AND n.ExitDate BETWEEN cd.CohortStart AND cd.CohortEnd
    JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE cd.Cohort = ha.Cohort
      AND (hn.DateToStreetESSH > n.EntryDate
           OR hn.LivingSituation IS NULL OR hn.LivingSituation IN (8, 9, 99)
           OR hn.LengthOfStay IS NULL OR hn.LengthOfStay IN (8, 9, 99)
           OR (hn.LivingSituation IN (101, 116, 118)
               AND (hn.DateToStreetESSH IS NULL
                    OR hn.TimesHomelessPastThreeYears IS NULL OR hn.TimesHomelessPastThreeYears IN (8, 9, 99)
                    OR hn.MonthsHomelessPastThreeYears IS NULL OR hn.MonthsHomelessPastThreeYears IN (8, 9, 99)))
           OR (n.LSAProjectType NOT IN (0, 1, 8)
               AND (hn.LengthOfStay IN (10, 11)
                    OR (hn.LengthOfStay IN (2, 3) AND hn.LivingSituation IN (204, 205, 206, 207, 215, 225)))
               AND (hn.PreviousStreetESSH IS NULL OR hn.PreviousStreetESSH NOT IN (0, 1)
                    OR (hn.PreviousStreetESSH = 1
                        AND (hn.DateToStreetESSH IS NULL
                             OR hn.TimesHomelessPastThreeYears IS NULL
                             OR hn.TimesHomelessPastThreeYears IN (8, 9, 99)
                             OR hn.MonthsHomelessPastThreeYears IS NULL
                             OR hn.MonthsHomelessPastThreeYears IN (8, 9, 99)))))));

-- 7.9 Population identifiers, from the qualifying exit's HouseholdID only: members with
-- ExitDate >= CohortStart; HoH/adult = RelationshipToHoH 1 or an adult age in the cohort's column.
--   HHVet: an adult member with VeteranStatus 1.       HHDisability: HoH/adult DisabilityStatus 1.
--   HHFleeingDV: lowest HoH/adult DVStatus among 1-3, else 0.
--   HHParent: a member with RelationshipToHoH 2.       AC3Plus: HHType 2 and 3+ members under 18.
--   HHAdultAge: -1 if HHType not 1/2 or any age unknown (98/99); 18 if the oldest is 18-21; 24 if
--   the oldest is 22-24; 55 if the youngest is 55 or over; else 25.
--   HoHRaceEthnicity (as 5.4): RaceNone 8/9 -> 98, 99 -> 99; else the digits of the races marked
--   (1 AmIndAKNative, 2 Asian, 3 BlackAfAmerican, 4 NativeHIPacific, 5 White, 6 HispanicLatinao,
--   7 MidEastNAfrican) in that order; none -> 99.
UPDATE tlsa_Exit ex
SET HHVet = m.vet, HHDisability = m.disability, HHFleeingDV = COALESCE(m.dv, 0), HHParent = m.parent,
    AC3Plus = CASE WHEN ex.HHType = 2 AND m.children >= 3 THEN 1 ELSE 0 END,
    HHAdultAge = CASE WHEN ex.HHType NOT IN (1, 2) OR m.maxage >= 98 THEN -1
                      WHEN m.maxage = 21 THEN 18
                      WHEN m.maxage = 24 THEN 24
                      WHEN m.minage BETWEEN 55 AND 65 THEN 55
                      ELSE 25 END,
    Step = '7.9'
FROM (SELECT ex2.QualifyingExitHHID,
             COALESCE(max(CASE WHEN a.age BETWEEN 21 AND 65 AND c.VeteranStatus = 1 THEN 1 END), 0) AS vet,
             COALESCE(max(CASE WHEN (n.RelationshipToHoH = 1 OR a.age BETWEEN 21 AND 65)
                               AND n.DisabilityStatus = 1 THEN 1 END), 0) AS disability,
             min(CASE WHEN (n.RelationshipToHoH = 1 OR a.age BETWEEN 21 AND 65)
                      AND n.DVStatus BETWEEN 1 AND 3 THEN n.DVStatus END) AS dv,
             COALESCE(max(CASE WHEN n.RelationshipToHoH = 2 THEN 1 END), 0) AS parent,
             count(DISTINCT CASE WHEN a.age BETWEEN 0 AND 17 THEN n.PersonalID END) AS children,
             max(a.age) AS maxage, min(a.age) AS minage
      FROM tlsa_Exit ex2
      JOIN tlsa_CohortDates cd ON cd.Cohort = ex2.Cohort
      JOIN tlsa_Enrollment n ON n.HouseholdID = ex2.QualifyingExitHHID AND n.ExitDate >= cd.CohortStart
      CROSS JOIN LATERAL (SELECT CASE ex2.Cohort WHEN 0 THEN n.ActiveAge WHEN -1 THEN n.Exit1Age
                                                 ELSE n.Exit2Age END AS age) a
      LEFT JOIN hmis_Client c ON c.PersonalID = n.PersonalID
      GROUP BY ex2.QualifyingExitHHID) m
WHERE m.QualifyingExitHHID = ex.QualifyingExitHHID;

UPDATE tlsa_Exit ex
SET HoHRaceEthnicity = CASE WHEN c.RaceNone IN (8, 9) THEN 98
              WHEN c.RaceNone = 99 THEN 99
              WHEN 1 IN (c.AmIndAKNative, c.Asian, c.BlackAfAmerican, c.NativeHIPacific, c.White,
                         c.HispanicLatinaO, c.MidEastNAfrican)
              THEN (CASE WHEN c.AmIndAKNative = 1 THEN '1' ELSE '' END
                    || CASE WHEN c.Asian = 1 THEN '2' ELSE '' END
                    || CASE WHEN c.BlackAfAmerican = 1 THEN '3' ELSE '' END
                    || CASE WHEN c.NativeHIPacific = 1 THEN '4' ELSE '' END
                    || CASE WHEN c.White = 1 THEN '5' ELSE '' END
                    || CASE WHEN c.HispanicLatinaO = 1 THEN '6' ELSE '' END
                    || CASE WHEN c.MidEastNAfrican = 1 THEN '7' ELSE '' END)::int
              ELSE 99 END
FROM hmis_Client c
WHERE c.PersonalID = ex.HoHID;

UPDATE tlsa_Exit SET HoHRaceEthnicity = 99 WHERE HoHRaceEthnicity IS NULL;

-- 7.9 HHChronic: the first category any HoH/adult record of the household meets (1 CH, 2-4 long-term
-- homeless with / missing / without disability, 5-6 homeless 270+ days with disability, 9 unknown);
-- 0 otherwise (including households with no tlsa_ExitHoHAdult record: long stays excluded in 7.4).
UPDATE tlsa_Exit ex
SET HHChronic = COALESCE(ch.HHChronic, 0)
FROM tlsa_Exit ex2
LEFT JOIN (SELECT ha.QualifyingExitHHID, ha.Cohort,
                  min(CASE WHEN ha.DisabilityStatus = 1
                                AND ((ha.CHTime = 365 AND ha.CHTimeStatus IN (1, 2))
                                     OR (ha.CHTime = 400 AND ha.CHTimeStatus = 2)) THEN 1
                           WHEN ha.CHTime IN (365, 400) AND ha.DisabilityStatus = 1 THEN 2
                           WHEN ha.CHTime IN (365, 400) AND ha.DisabilityStatus = 99 THEN 3
                           WHEN ha.CHTime IN (365, 400) AND ha.DisabilityStatus = 0 THEN 4
                           WHEN ha.CHTime = 270 AND ha.CHTimeStatus = 99 AND ha.DisabilityStatus = 1 THEN 5
                           WHEN ha.CHTime = 270 AND ha.DisabilityStatus = 1 THEN 6
                           WHEN ha.CHTimeStatus = 99 AND ha.DisabilityStatus <> 0 THEN 9 END) AS HHChronic
           FROM tlsa_ExitHoHAdult ha
           GROUP BY ha.QualifyingExitHHID, ha.Cohort) ch
       ON ch.QualifyingExitHHID = ex2.QualifyingExitHHID AND ch.Cohort = ex2.Cohort
WHERE ex2.QualifyingExitHHID = ex.QualifyingExitHHID;

-- 7.10 Stat: the previous enrollment is the tlsa_HHID row of the same HoHID and household type
-- (the cohort's column) with EntryDate before the qualifying exit's EntryDate and ExitDate between
-- that EntryDate - 730 days and the qualifying ExitDate; the most recent ExitDate, then the lowest
-- ExitDest, then the most recent EntryDate (the spec's words; HUD's sample code sorts entry dates
-- ascending, we follow the specification), then the highest EnrollmentID.
-- None -> 1; its exit after EntryDate - 15 days -> 5; else by its ExitDest: 400-499 -> 2,
-- 100-399 -> 3, other -> 4.
UPDATE tlsa_Exit ex
SET Stat = COALESCE((
        SELECT CASE WHEN prev.ExitDate > qx.EntryDate - 15 THEN 5
                    WHEN prev.ExitDest BETWEEN 400 AND 499 THEN 2
                    WHEN prev.ExitDest BETWEEN 100 AND 399 THEN 3
                    ELSE 4 END
        FROM tlsa_HHID prev
        WHERE prev.HoHID = ex.HoHID
          AND CASE ex.Cohort WHEN 0 THEN prev.ActiveHHType WHEN -1 THEN prev.Exit1HHType ELSE prev.Exit2HHType END
              = ex.HHType
          AND prev.EntryDate < qx.EntryDate
          AND prev.ExitDate BETWEEN qx.EntryDate - 730 AND qx.ExitDate
        ORDER BY prev.ExitDate DESC, prev.ExitDest, prev.EntryDate DESC, prev.EnrollmentID DESC
        LIMIT 1), 1),
    Step = '7.10'
FROM tlsa_HHID qx
WHERE qx.HouseholdID = ex.QualifyingExitHHID;

-- 7.11 LastInactive. sys_TimePadded_exit: for the household's tlsa_HHID enrollments (same HoHID and
-- household type for the cohort) that began before the qualifying exit's EntryDate, each bed night
-- (LookbackDate .. CohortEnd, night-by-night ES) or the EntryDate (other project types) as StartDate
-- and StartDate / ExitDate + 6 days (at most CohortEnd) as EndDate; an open enrollment runs to
-- CohortEnd. LastInactive is the latest date before the qualifying EntryDate covered by none of
-- them, but not before LookbackDate - 1 day. Computed as islands: padded periods touching or
-- overlapping merge; if the island holding EntryDate - 1 exists, LastInactive is the day before it.
DROP TABLE IF EXISTS sys_TimePadded_exit;
CREATE TEMP TABLE sys_TimePadded_exit (HoHID varchar(32) NOT NULL, HHType int NOT NULL, Cohort int NOT NULL,
                                       StartDate date NOT NULL, EndDate date NOT NULL, Step varchar(10));

INSERT INTO sys_TimePadded_exit (HoHID, HHType, Cohort, StartDate, EndDate, Step)
SELECT DISTINCT ex.HoHID, ex.HHType, ex.Cohort, possible.EntryDate,
       least(COALESCE(possible.ExitDate + 6, cd.CohortEnd), cd.CohortEnd), '7.11.1'
FROM tlsa_Exit ex
JOIN tlsa_HHID qx ON qx.HouseholdID = ex.QualifyingExitHHID
JOIN tlsa_CohortDates cd ON cd.Cohort = ex.Cohort
JOIN tlsa_HHID possible ON possible.HoHID = ex.HoHID
 AND CASE ex.Cohort WHEN 0 THEN possible.ActiveHHType WHEN -1 THEN possible.Exit1HHType
                    ELSE possible.Exit2HHType END = ex.HHType
WHERE possible.LSAProjectType <> 1 AND possible.EntryDate < qx.EntryDate
UNION
SELECT ex.HoHID, ex.HHType, ex.Cohort, s.DateProvided, least(s.DateProvided + 6, cd.CohortEnd), '7.11.2'
FROM tlsa_Exit ex
JOIN tlsa_HHID qx ON qx.HouseholdID = ex.QualifyingExitHHID
JOIN tlsa_CohortDates cd ON cd.Cohort = ex.Cohort
JOIN tlsa_HHID possible ON possible.HoHID = ex.HoHID
 AND CASE ex.Cohort WHEN 0 THEN possible.ActiveHHType WHEN -1 THEN possible.Exit1HHType
                    ELSE possible.Exit2HHType END = ex.HHType
JOIN hmis_Services s ON s.EnrollmentID = possible.EnrollmentID AND s.RecordType = 200
WHERE possible.LSAProjectType = 1 AND possible.EntryDate < qx.EntryDate
  AND s.DateProvided >= cd.LookbackDate AND s.DateProvided <= cd.CohortEnd
  AND s.DateProvided >= possible.EntryDate AND (possible.ExitDate IS NULL OR s.DateProvided < possible.ExitDate);

ANALYZE sys_TimePadded_exit;

-- Islands of the padded periods, per household and cohort: a period starts a new island unless it
-- begins on or before the day after the latest EndDate seen before it.
DROP TABLE IF EXISTS x07_islands;
CREATE TEMP TABLE x07_islands AS
SELECT HoHID, HHType, Cohort, min(StartDate) AS IslandStart, max(EndDate) AS IslandEnd
FROM (SELECT m.*, sum(m.newisland) OVER (PARTITION BY HoHID, HHType, Cohort ORDER BY StartDate, EndDate) AS island
      FROM (SELECT stp.HoHID, stp.HHType, stp.Cohort, stp.StartDate, stp.EndDate,
                   CASE WHEN stp.StartDate <= max(stp.EndDate) OVER (
                            PARTITION BY stp.HoHID, stp.HHType, stp.Cohort ORDER BY stp.StartDate, stp.EndDate
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                        THEN 0 ELSE 1 END AS newisland
            FROM sys_TimePadded_exit stp) m) g
GROUP BY HoHID, HHType, Cohort, island;
CREATE INDEX x07_islands_key ON x07_islands (HoHID, HHType, Cohort);
ANALYZE x07_islands;

UPDATE tlsa_Exit ex
SET LastInactive = greatest(cd.LookbackDate - 1, COALESCE(isl.IslandStart - 1, qx.EntryDate - 1)), Step = '7.11'
FROM tlsa_Exit ex2
JOIN tlsa_HHID qx ON qx.HouseholdID = ex2.QualifyingExitHHID
JOIN tlsa_CohortDates cd ON cd.Cohort = ex2.Cohort
LEFT JOIN x07_islands isl ON isl.HoHID = ex2.HoHID AND isl.HHType = ex2.HHType AND isl.Cohort = ex2.Cohort
                         AND qx.EntryDate - 1 BETWEEN isl.IslandStart AND isl.IslandEnd
WHERE ex2.QualifyingExitHHID = ex.QualifyingExitHHID;
DROP TABLE x07_islands;

-- 7.12 SystemPath: -1 when housed in PSH before CohortStart (ExitFrom 6) or housed in RRH/PSH a year
-- or more before the exit (ExitFrom 5/6); otherwise the project types (ES/SH 0,1,8; TH 2; RRH 13;
-- PSH 3) of the household's tlsa_HHID enrollments (same HoHID, the cohort's household type) with
-- any part after LastInactive (ExitDate NULL or > LastInactive) and EntryDate <= the qualifying
-- ExitDate: 1 ES/SH, 2 TH, 3 ES/SH+TH, 4 RRH, 5 ES/SH+RRH, 6 TH+RRH, 7 ES/SH+TH+RRH, 8 PSH,
-- 9 ES/SH+PSH, 10 ES/SH+RRH+PSH, 11 RRH+PSH, 12 any other combination. RRH-SO (15) is in no path.
UPDATE tlsa_Exit ex
SET SystemPath = -1, Step = '7.12.1'
FROM tlsa_HHID qx, tlsa_CohortDates cd
WHERE qx.HouseholdID = ex.QualifyingExitHHID AND cd.Cohort = ex.Cohort
  AND ((ex.ExitFrom = 6 AND qx.MoveInDate < cd.CohortStart)
       OR (ex.ExitFrom IN (5, 6) AND qx.MoveInDate + 365 <= qx.ExitDate));

UPDATE tlsa_Exit ex
SET SystemPath = CASE p.summary WHEN 1 THEN 1 WHEN 10 THEN 2 WHEN 11 THEN 3 WHEN 100 THEN 4 WHEN 101 THEN 5
                                WHEN 110 THEN 6 WHEN 111 THEN 7 WHEN 1000 THEN 8 WHEN 1001 THEN 9
                                WHEN 1101 THEN 10 WHEN 1100 THEN 11 ELSE 12 END,
    Step = '7.12.2'
FROM (SELECT ex2.Cohort, ex2.HoHID, ex2.HHType,
             max(CASE WHEN h.LSAProjectType IN (0, 1, 8) THEN 1 ELSE 0 END)
             + max(CASE WHEN h.LSAProjectType = 2 THEN 10 ELSE 0 END)
             + max(CASE WHEN h.LSAProjectType = 13 THEN 100 ELSE 0 END)
             + max(CASE WHEN h.LSAProjectType = 3 THEN 1000 ELSE 0 END) AS summary
      FROM tlsa_Exit ex2
      JOIN tlsa_HHID qx ON qx.HouseholdID = ex2.QualifyingExitHHID
      JOIN tlsa_HHID h ON h.HoHID = ex2.HoHID
       AND CASE ex2.Cohort WHEN 0 THEN h.ActiveHHType WHEN -1 THEN h.Exit1HHType ELSE h.Exit2HHType END = ex2.HHType
      WHERE ex2.SystemPath IS NULL
        AND h.EntryDate <= qx.ExitDate
        AND (h.ExitDate IS NULL OR h.ExitDate > ex2.LastInactive)
      GROUP BY ex2.Cohort, ex2.HoHID, ex2.HHType) p
WHERE ex.SystemPath IS NULL AND p.Cohort = ex.Cohort AND p.HoHID = ex.HoHID AND p.HHType = ex.HHType;

ANALYZE tlsa_Exit;
DROP TABLE IF EXISTS x07_ch_person;

-- 7.13 LSAExit: RowTotal counts the distinct Cohort / HoHID / HHType rows of tlsa_Exit (its key)
-- sharing every other value; ReturnTime is reported by bucket (-1, 30, 60, 90, 180, 365, 547, 730).
DROP TABLE IF EXISTS lsa_Exit;
CREATE TEMP TABLE lsa_Exit (
    RowTotal int NOT NULL, Cohort int NOT NULL, Stat int NOT NULL, ExitFrom int NOT NULL, ExitTo int NOT NULL,
    ReturnTime int NOT NULL, HHType int NOT NULL, HHVet int NOT NULL, HHChronic int NOT NULL,
    HHDisability int NOT NULL, HHFleeingDV int NOT NULL, HoHRaceEthnicity int NOT NULL, HHAdultAge int NOT NULL,
    HHParent int NOT NULL, AC3Plus int NOT NULL, SystemPath int NOT NULL, ReportID int NOT NULL);

INSERT INTO lsa_Exit
SELECT count(*), Cohort, Stat, ExitFrom, ExitTo, ReturnBucket, HHType, HHVet, HHChronic, HHDisability,
       HHFleeingDV, HoHRaceEthnicity, HHAdultAge, HHParent, AC3Plus, SystemPath, ReportID
FROM (SELECT ex.*,
             CASE WHEN ReturnTime BETWEEN 15 AND 30 THEN 30
                  WHEN ReturnTime BETWEEN 31 AND 60 THEN 60
                  WHEN ReturnTime BETWEEN 61 AND 90 THEN 90
                  WHEN ReturnTime BETWEEN 91 AND 180 THEN 180
                  WHEN ReturnTime BETWEEN 181 AND 365 THEN 365
                  WHEN ReturnTime BETWEEN 366 AND 547 THEN 547
                  WHEN ReturnTime BETWEEN 548 AND 730 THEN 730
                  ELSE -1 END AS ReturnBucket
      FROM tlsa_Exit ex) b
GROUP BY Cohort, Stat, ExitFrom, ExitTo, ReturnBucket, HHType, HHVet, HHChronic, HHDisability,
         HHFleeingDV, HoHRaceEthnicity, HHAdultAge, HHParent, AC3Plus, SystemPath, ReportID
ORDER BY Cohort, HHType, Stat, ExitFrom, ExitTo, ReturnBucket;
