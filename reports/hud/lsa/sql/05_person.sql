-- LSA section 5: LSAPerson (HUD LSA Programming Specifications, docs/05 - LSAPerson.md).
-- Reads tlsa_HHID and tlsa_Enrollment (section 3), lsa_Project (section 4), lsa_Report and the
-- hmis_* views; sets the section 5 columns of tlsa_HHID / tlsa_Enrollment (Active, AIR, CH, HIV,
-- SMI, SUD, HHChronic ... AC3Plus), creates tlsa_Person, ch_Episodes and the output lsa_Person.
--
-- Reading chosen for ch_Exclude / ch_Include (5.7, 5.8): HUD describes one row per person per
-- date. Here the same dates are held as one datemultirange per person (ch_ExcludeRange,
-- ch_IncludeRange), which is the same set of dates without a row per day (the LSA must run on
-- 1,000,000 clients). ch_Exclude and ch_Include are views giving HUD's one-row-per-date shape.
-- Bit columns of HUD's tables (Active, AIR, CH, HIV, SMI, SUD) are boolean here, set true/false.

-- Working copy: the section 5 enrollment flags are computed in en5 (one row per tlsa_Enrollment row,
-- the columns section 5 reads) and written back to tlsa_Enrollment in one UPDATE at the end of this
-- file; rewriting the wide, indexed tlsa_Enrollment once per flag is what would cost the time.
CREATE INDEX IF NOT EXISTS tlsa_hhid_5_household ON tlsa_HHID (HouseholdID);

-- 5.1 Active and AIR HouseholdIDs.
-- Active: the project is in lsa_Project, EntryDate <= ReportEnd, ExitDate NULL or >= ReportStart.
-- AIR: active, ExitDate NULL or > ReportStart, and ES-EE/TH/SH; or ES-NbN with LastBednight in the
-- period; or RRH/PSH with a MoveInDate. RRH-SO (15) is non-residential: never AIR.
UPDATE tlsa_HHID hh
SET Active = a.active,
    AIR = a.active
          AND (hh.ExitDate IS NULL OR hh.ExitDate > a.ReportStart)
          AND (hh.LSAProjectType IN (0, 2, 8)
               OR (hh.LSAProjectType = 1 AND hh.LastBednight BETWEEN a.ReportStart AND a.ReportEnd)
               OR (hh.LSAProjectType IN (3, 13) AND hh.MoveInDate IS NOT NULL)),
    Step = '5.1'
FROM (SELECT h.HouseholdID, rpt.ReportStart, rpt.ReportEnd,
             (h.EntryDate <= rpt.ReportEnd AND (h.ExitDate IS NULL OR h.ExitDate >= rpt.ReportStart)
              AND EXISTS (SELECT 1 FROM lsa_Project p WHERE p.ProjectID = h.ProjectID)) IS TRUE AS active
      FROM tlsa_HHID h CROSS JOIN lsa_Report rpt) a
WHERE a.HouseholdID = hh.HouseholdID;
ANALYZE tlsa_HHID;

-- 5.2 Active and AIR enrollments: members of active / AIR households, with the same date tests
-- on the member's own (effective) dates; an RRH/PSH member is AIR once housed by ReportEnd.
-- 5.4 HIV / SMI / SUD on AIR enrollments (tlsa_Enrollment columns; the temp-tables doc assigns them
-- to 5.4): an hmis_Disabilities record for the enrollment dated on or before ReportEnd with
-- HIV/AIDS yes (type 8); mental health disorder yes and indefinite-and-impairs (type 9); substance
-- use disorder 1/2/3 and indefinite-and-impairs (type 10).
DROP TABLE IF EXISTS en5_Disabilities;
CREATE TEMP TABLE en5_Disabilities AS
SELECT d.EnrollmentID,
       bool_or((d.DisabilityType = 8 AND d.DisabilityResponse = 1) IS TRUE) AS hiv,
       bool_or((d.DisabilityType = 9 AND d.DisabilityResponse = 1 AND d.IndefiniteAndImpairs = 1) IS TRUE) AS smi,
       bool_or((d.DisabilityType = 10 AND d.DisabilityResponse IN (1, 2, 3)
                AND d.IndefiniteAndImpairs = 1) IS TRUE) AS sud
FROM hmis_Disabilities d CROSS JOIN lsa_Report rpt
WHERE d.InformationDate <= rpt.ReportEnd AND d.DisabilityType IN (8, 9, 10)
GROUP BY d.EnrollmentID;
CREATE INDEX ON en5_Disabilities (EnrollmentID);
ANALYZE en5_Disabilities;

DROP TABLE IF EXISTS en5;
CREATE TEMP TABLE en5 AS
SELECT f.*, f.AIR AND COALESCE(d.hiv, false) AS HIV, f.AIR AND COALESCE(d.smi, false) AS SMI,
       f.AIR AND COALESCE(d.sud, false) AS SUD, false AS CH
FROM (
    SELECT n.EnrollmentID, n.PersonalID, n.HouseholdID, n.RelationshipToHoH, n.LSAProjectType, n.EntryDate,
           n.MoveInDate, n.ExitDate, n.LastBednight, n.ActiveAge, n.DisabilityStatus, n.DVStatus,
           (COALESCE(hh.Active, false)
            AND n.EntryDate <= rpt.ReportEnd
            AND (n.ExitDate IS NULL OR n.ExitDate >= rpt.ReportStart)) IS TRUE AS Active,
           (COALESCE(hh.AIR, false)
            AND n.EntryDate <= rpt.ReportEnd
            AND (n.ExitDate IS NULL OR n.ExitDate > rpt.ReportStart)
            AND (n.LSAProjectType IN (0, 2, 8)
                 OR (n.LSAProjectType = 1 AND n.LastBednight BETWEEN rpt.ReportStart AND rpt.ReportEnd)
                 OR (n.LSAProjectType IN (3, 13) AND n.MoveInDate <= rpt.ReportEnd))) IS TRUE AS AIR
    FROM tlsa_Enrollment n CROSS JOIN lsa_Report rpt
    LEFT JOIN tlsa_HHID hh ON hh.HouseholdID = n.HouseholdID
) f
LEFT JOIN en5_Disabilities d ON d.EnrollmentID = f.EnrollmentID;
CREATE INDEX ON en5 (PersonalID);
CREATE INDEX ON en5 (HouseholdID);
CREATE INDEX ON en5 (EnrollmentID);
ANALYZE en5;

-- 5.3 tlsa_Person: one row per distinct PersonalID with an active enrollment. Columns as the
-- temp-tables doc lists them (every LSAPerson column but RowTotal, plus HoHAdult, CHStart,
-- LastActive, SSNValid (section 11) and ReportID).
-- Reading: the spec's universe is Active = 1 for every LSAScope; HUD's reference SQL also admits
-- AIR-only people for a HIC run. A HIC-date run (start = end) gives the same people either way
-- except enrollments exited on that day, which the spec's reading keeps.
DROP TABLE IF EXISTS tlsa_Person;
CREATE TEMP TABLE tlsa_Person (
    PersonalID varchar(32) PRIMARY KEY,
    HoHAdult int,
    CHStart date,
    LastActive date,
    RaceEthnicity int,
    VetStatus int,
    DisabilityStatus int,
    CHTime int,
    CHTimeStatus int,
    DVStatus int,
    ESTAgeMin int, ESTAgeMax int, HHTypeEST int, HoHEST int, AdultEST int, AIRAdultEST int, HHChronicEST int,
    HHVetEST int, HHDisabilityEST int, HHFleeingDVEST int, HHAdultAgeAOEST int, HHAdultAgeACEST int,
    HHParentEST int, AC3PlusEST int, AIREST int, AIRHoHEST int,
    RRHAgeMin int, RRHAgeMax int, HHTypeRRH int, HoHRRH int, AdultRRH int, AIRAdultRRH int, HHChronicRRH int,
    HHVetRRH int, HHDisabilityRRH int, HHFleeingDVRRH int, HHAdultAgeAORRH int, HHAdultAgeACRRH int,
    HHParentRRH int, AC3PlusRRH int, AIRRRH int, AIRHoHRRH int,
    PSHAgeMin int, PSHAgeMax int, HHTypePSH int, HoHPSH int, AdultPSH int, AIRAdultPSH int, HHChronicPSH int,
    HHVetPSH int, HHDisabilityPSH int, HHFleeingDVPSH int, HHAdultAgeAOPSH int, HHAdultAgeACPSH int,
    HHParentPSH int, AC3PlusPSH int, AIRPSH int, AIRHoHPSH int,
    RRHSOAgeMin int, RRHSOAgeMax int, HHTypeRRHSONoMI int, HHTypeRRHSOMI int,
    HHTypeES int, HHTypeSH int, HHTypeTH int,
    HIV int, SMI int, SUD int,
    SSNValid int,
    ReportID int,
    Step varchar(10)
);

-- 5.4 HoHAdult (1 adult = an ActiveAge group 18-65 on any active enrollment; + 2 if HoH on any),
-- DisabilityStatus, DVStatus and HIV/SMI/SUD, all from the person's active enrollments.
-- HIV/SMI/SUD: -1 unless the person has an AIR enrollment as an adult (ActiveAge 18-65: "people
-- under 18" and, as HUD's reference SQL reads it, people of unknown age are -1); then 1 if one of
-- those AIR adult enrollments carries the condition, else 0.
-- DisabilityStatus (priority): any enrollment 1, or HIV/SMI/SUD = 1 -> 1; any 0 -> 0; else 99.
-- DVStatus: the lowest enrollment DVStatus (1, 2, 3, 10, 98 in priority order; 10 -> 0; none -> 99).
INSERT INTO tlsa_Person (PersonalID, HoHAdult, DisabilityStatus, DVStatus, HIV, SMI, SUD, ReportID, Step)
SELECT a.PersonalID, a.HoHAdult,
       CASE WHEN a.HoHAdult = 0 THEN -1
            WHEN a.disabled OR a.hiv = 1 OR a.smi = 1 OR a.sud = 1 THEN 1
            WHEN a.not_disabled THEN 0
            ELSE 99 END,
       CASE WHEN a.HoHAdult = 0 THEN -1
            WHEN a.dv IS NULL THEN 99
            WHEN a.dv = 10 THEN 0
            ELSE a.dv END,
       a.hiv, a.smi, a.sud, rpt.ReportID, '5.4'
FROM (
    SELECT n.PersonalID,
           max(CASE WHEN n.ActiveAge BETWEEN 18 AND 65 THEN 1 ELSE 0 END)
             + max(CASE WHEN n.RelationshipToHoH = 1 THEN 2 ELSE 0 END) AS HoHAdult,
           bool_or(n.DisabilityStatus = 1) IS TRUE AS disabled,
           bool_or(n.DisabilityStatus = 0) IS TRUE AS not_disabled,
           min(n.DVStatus) AS dv,
           CASE WHEN bool_or(n.HIV) FILTER (WHERE n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 1
                WHEN bool_or(n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 0 ELSE -1 END AS hiv,
           CASE WHEN bool_or(n.SMI) FILTER (WHERE n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 1
                WHEN bool_or(n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 0 ELSE -1 END AS smi,
           CASE WHEN bool_or(n.SUD) FILTER (WHERE n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 1
                WHEN bool_or(n.AIR AND n.ActiveAge BETWEEN 18 AND 65) THEN 0 ELSE -1 END AS sud
    FROM en5 n
    WHERE n.Active
    GROUP BY n.PersonalID
) a CROSS JOIN lsa_Report rpt;

-- 5.4 RaceEthnicity: RaceNone 8/9 -> 98, 99 -> 99; otherwise the LSA values of every race/ethnicity
-- marked 1, in numeric order (AmIndAKNative 1, Asian 2, BlackAfAmerican 3, NativeHIPacific 4,
-- White 5, HispanicLatinao 6, MidEastNAfrican 7: Asian + White = 25); none marked -> 99.
-- VetStatus: -1 unless served as an adult (HoHAdult 1 or 3); VeteranStatus 0/1 as is, 8/9 -> 98,
-- anything else (NULL included) -> 99.
UPDATE tlsa_Person p
SET RaceEthnicity = CASE
        WHEN c.RaceNone IN (8, 9) THEN 98
        WHEN c.RaceNone = 99 THEN 99
        ELSE COALESCE(NULLIF(concat(
                CASE WHEN c.AmIndAKNative = 1 THEN '1' END, CASE WHEN c.Asian = 1 THEN '2' END,
                CASE WHEN c.BlackAfAmerican = 1 THEN '3' END, CASE WHEN c.NativeHIPacific = 1 THEN '4' END,
                CASE WHEN c.White = 1 THEN '5' END, CASE WHEN c.HispanicLatinao = 1 THEN '6' END,
                CASE WHEN c.MidEastNAfrican = 1 THEN '7' END), '')::int, 99) END,
    VetStatus = CASE
        WHEN p.HoHAdult NOT IN (1, 3) THEN -1
        WHEN c.VeteranStatus IN (0, 1) THEN c.VeteranStatus
        WHEN c.VeteranStatus IN (8, 9) THEN 98
        ELSE 99 END
FROM hmis_Client c
WHERE c.PersonalID = p.PersonalID;

-- A person in tlsa_Enrollment without a client record (cannot happen with our views): missing data.
UPDATE tlsa_Person SET RaceEthnicity = 99 WHERE RaceEthnicity IS NULL;
UPDATE tlsa_Person SET VetStatus = CASE WHEN HoHAdult IN (1, 3) THEN 99 ELSE -1 END WHERE VetStatus IS NULL;

-- 5.5 LastActive (adults and HoHs): the latest last-active date of the person's active enrollments:
-- ES-NbN the earlier of ReportEnd and LastBednight + 1 day; any other type the first non-NULL of
-- ExitDate and ReportEnd. CHStart = LastActive - 3 years + 1 day.
UPDATE tlsa_Person p
SET LastActive = la.LastActive,
    CHStart = ((la.LastActive - interval '3 years')::date + 1),
    Step = '5.5'
FROM (
    SELECT n.PersonalID,
           max(CASE WHEN n.LSAProjectType = 1 AND n.LastBednight IS NOT NULL
                    THEN least(rpt.ReportEnd, n.LastBednight + 1)
                    ELSE least(COALESCE(n.ExitDate, rpt.ReportEnd), rpt.ReportEnd) END) AS LastActive
    FROM en5 n CROSS JOIN lsa_Report rpt
    WHERE n.Active
    GROUP BY n.PersonalID
) la
WHERE la.PersonalID = p.PersonalID AND p.HoHAdult > 0;

-- 5.6 CH: the person's enrollments (active or not) overlapping CHStart..LastActive, adults/HoHs only.
UPDATE en5 n
SET CH = true
FROM tlsa_Person p
WHERE p.PersonalID = n.PersonalID AND p.HoHAdult > 0
  AND n.EntryDate <= p.LastActive
  AND (n.ExitDate IS NULL OR n.ExitDate > p.CHStart);
ANALYZE en5;

-- 5.7 ch_Exclude: dates in CHStart..LastActive in TH (EntryDate to ExitDate - 1) or housed in
-- RRH/PSH (MoveInDate to ExitDate - 1), each ending no later than ReportEnd.
DROP TABLE IF EXISTS ch_ExcludeRange;
CREATE TEMP TABLE ch_ExcludeRange AS
SELECT p.PersonalID,
       range_agg(daterange(greatest(CASE WHEN n.LSAProjectType = 2 THEN n.EntryDate ELSE n.MoveInDate END,
                                    p.CHStart),
                           least(COALESCE(n.ExitDate, rpt.ReportEnd + 1), rpt.ReportEnd + 1, p.LastActive + 1),
                           '[)')) AS excludeDates
FROM tlsa_Person p
JOIN en5 n ON n.PersonalID = p.PersonalID AND n.CH
CROSS JOIN lsa_Report rpt
WHERE (n.LSAProjectType = 2 OR (n.LSAProjectType IN (3, 13, 15) AND n.MoveInDate IS NOT NULL))
  AND greatest(CASE WHEN n.LSAProjectType = 2 THEN n.EntryDate ELSE n.MoveInDate END, p.CHStart)
      < least(COALESCE(n.ExitDate, rpt.ReportEnd + 1), rpt.ReportEnd + 1, p.LastActive + 1)
GROUP BY p.PersonalID;
CREATE INDEX ON ch_ExcludeRange (PersonalID);

-- 5.8 ch_Include: ES/SH/Street dates in CHStart..LastActive from CH enrollments, minus ch_Exclude:
-- (a) ES entry-exit / SH: EntryDate to the day before ExitDate (or LastActive);
-- (b) ES-NbN: bed nights on or after EntryDate (and LookbackDate), before ExitDate;
-- (c) 3.917 for enrollments entered after CHStart: ES/SH from DateToStreetESSH to the day before
--     EntryDate when LivingSituation is 101/116/118; TH/RRH/PSH/RRH-SO when the client came from
--     ES/SH/street (LivingSituation 101/116/118; or LengthOfStay 10/11 and PreviousStreetESSH 1; or
--     an institution 204/205/206/207/215/225 with LengthOfStay 2/3 and PreviousStreetESSH 1): TH
--     until the day before EntryDate, RRH/PSH until the day before MoveInDate, or before ExitDate,
--     or through LastActive when neither is known.
-- (d) gaps of under 7 days between two ES/SH/Street dates are counted (whatever ch_Exclude says):
--     done in 5.9, where the ranges are merged into episodes.
DROP TABLE IF EXISTS ch_IncludeRange;
CREATE TEMP TABLE ch_IncludeRange AS
WITH spans AS (
    -- (a)
    SELECT p.PersonalID, greatest(n.EntryDate, p.CHStart) AS s,
           least(COALESCE(n.ExitDate, p.LastActive + 1), p.LastActive + 1) AS e
    FROM tlsa_Person p JOIN en5 n ON n.PersonalID = p.PersonalID AND n.CH
    WHERE n.LSAProjectType IN (0, 8)
    UNION ALL
    -- (b)
    SELECT p.PersonalID, bn.DateProvided, bn.DateProvided + 1
    FROM tlsa_Person p JOIN en5 n ON n.PersonalID = p.PersonalID AND n.CH
    JOIN hmis_Services bn ON bn.EnrollmentID = n.EnrollmentID AND bn.RecordType = 200
    CROSS JOIN lsa_Report rpt
    WHERE n.LSAProjectType = 1 AND bn.DateProvided >= n.EntryDate AND bn.DateProvided >= rpt.LookbackDate
      AND (n.ExitDate IS NULL OR bn.DateProvided < n.ExitDate)
      AND bn.DateProvided BETWEEN p.CHStart AND p.LastActive
    UNION ALL
    -- (c)
    SELECT p.PersonalID, greatest(hn.DateToStreetESSH, p.CHStart),
           least(p.LastActive + 1,
                 CASE WHEN n.LSAProjectType IN (0, 1, 2, 8) THEN n.EntryDate
                      WHEN n.MoveInDate IS NOT NULL THEN n.MoveInDate
                      WHEN n.ExitDate IS NOT NULL THEN n.ExitDate
                      ELSE p.LastActive + 1 END)
    FROM tlsa_Person p JOIN en5 n ON n.PersonalID = p.PersonalID AND n.CH AND n.EntryDate > p.CHStart
    JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE hn.DateToStreetESSH IS NOT NULL
      AND (hn.LivingSituation IN (101, 116, 118)
           OR (n.LSAProjectType IN (2, 3, 13, 15) AND hn.PreviousStreetESSH = 1
               AND (hn.LengthOfStay IN (10, 11)
                    OR (hn.LivingSituation IN (204, 205, 206, 207, 215, 225) AND hn.LengthOfStay IN (2, 3)))))
)
SELECT a.PersonalID, a.dates - COALESCE(x.excludeDates, '{}'::datemultirange) AS includeDates
FROM (SELECT sp.PersonalID, range_agg(daterange(sp.s, sp.e, '[)')) AS dates
      FROM spans sp WHERE sp.s < sp.e GROUP BY sp.PersonalID) a
LEFT JOIN ch_ExcludeRange x ON x.PersonalID = a.PersonalID;
CREATE INDEX ON ch_IncludeRange (PersonalID);

-- HUD's one-row-per-date shapes of 5.7 and 5.8 (before 5.8's gap filling), for reading.
CREATE OR REPLACE TEMP VIEW ch_Exclude AS
SELECT x.PersonalID, d::date AS excludeDate
FROM ch_ExcludeRange x, unnest(x.excludeDates) r, generate_series(lower(r), upper(r) - 1, interval '1 day') d;
CREATE OR REPLACE TEMP VIEW ch_Include AS
SELECT i.PersonalID, d::date AS ESSHStreetDate
FROM ch_IncludeRange i, unnest(i.includeDates) r, generate_series(lower(r), upper(r) - 1, interval '1 day') d;

-- 5.9 ch_Episodes: runs of ES/SH/Street dates; two runs with fewer than 7 days missing between them
-- (last date + 7 >= next date, 5.8 gaps) are one episode. episodeDays = episodeEnd - episodeStart + 1.
DROP TABLE IF EXISTS ch_Episodes;
CREATE TEMP TABLE ch_Episodes AS
WITH runs AS (
    SELECT i.PersonalID, lower(r) AS s, upper(r) - 1 AS e
    FROM ch_IncludeRange i, unnest(i.includeDates) r
), marked AS (
    SELECT runs.*,
           CASE WHEN lag(e) OVER w IS NULL OR lag(e) OVER w + 7 < s THEN 1 ELSE 0 END AS starts
    FROM runs WINDOW w AS (PARTITION BY PersonalID ORDER BY s)
), grouped AS (
    SELECT marked.*, sum(starts) OVER (PARTITION BY PersonalID ORDER BY s) AS episode
    FROM marked
)
SELECT PersonalID, min(s) AS episodeStart, max(e) AS episodeEnd, max(e) - min(s) + 1 AS episodeDays,
       '5.9'::varchar(10) AS Step
FROM grouped
GROUP BY PersonalID, episode;
CREATE INDEX ON ch_Episodes (PersonalID);

-- 5.10 CHTime / CHTimeStatus, first matching rule:
-- 1 HoHAdult 0 -> -1/-1; 2 an episode of 365+ days ending after LastActive - 1 year -> 365/1;
-- 3 365+ days in 4+ episodes -> 365/2; 4 3.917 on a CH enrollment entered in the year ending on
-- LastActive: 4+ times (4) and 12+ months (112, 113) -> 400/2; 5 365+ days in under 4 episodes ->
-- 365/3; 6 270-364 days -> 270/-1; 7 fewer -> 0/-1.
UPDATE tlsa_Person p
SET CHTime = CASE
        WHEN p.HoHAdult = 0 THEN -1
        WHEN ep.longest THEN 365
        WHEN ep.days >= 365 AND ep.episodes >= 4 THEN 365
        WHEN t.months THEN 400
        WHEN ep.days >= 365 THEN 365
        WHEN ep.days >= 270 THEN 270
        ELSE 0 END,
    CHTimeStatus = CASE
        WHEN p.HoHAdult = 0 THEN -1
        WHEN ep.longest THEN 1
        WHEN ep.days >= 365 AND ep.episodes >= 4 THEN 2
        WHEN t.months THEN 2
        WHEN ep.days >= 365 THEN 3
        ELSE -1 END,
    Step = '5.10'
FROM tlsa_Person q
LEFT JOIN (
    SELECT e.PersonalID, sum(e.episodeDays) AS days, count(*) AS episodes,
           bool_or(e.episodeDays >= 365 AND e.episodeEnd > (pp.LastActive - interval '1 year')::date) AS longest
    FROM ch_Episodes e JOIN tlsa_Person pp ON pp.PersonalID = e.PersonalID
    GROUP BY e.PersonalID
) ep ON ep.PersonalID = q.PersonalID
LEFT JOIN (
    SELECT DISTINCT n.PersonalID, true AS months
    FROM en5 n JOIN tlsa_Person pp ON pp.PersonalID = n.PersonalID
    JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE n.CH AND n.EntryDate > (pp.LastActive - interval '1 year')::date
      AND hn.TimesHomelessPastThreeYears = 4 AND hn.MonthsHomelessPastThreeYears IN (112, 113)
) t ON t.PersonalID = q.PersonalID
WHERE q.PersonalID = p.PersonalID;

-- 5.10 missing data: CHTime 0/270 or CHTimeStatus 3, and a CH enrollment with 3.917 data missing
-- -> CHTimeStatus 99. Reading: the "LengthOfStay 10/11 and PreviousStreetESSH missing" test is
-- applied to TH/RRH/PSH only (as HUD's reference SQL does): 3.917A (ES/SH) does not ask
-- PreviousStreetESSH, so an ES stay entered after a short stay elsewhere is not missing data.
UPDATE tlsa_Person p
SET CHTimeStatus = 99
WHERE (p.CHTime IN (0, 270) OR p.CHTimeStatus = 3)
  AND EXISTS (
    SELECT 1 FROM en5 n JOIN hmis_Enrollment hn ON hn.EnrollmentID = n.EnrollmentID
    WHERE n.PersonalID = p.PersonalID AND n.CH
      AND (hn.DateToStreetESSH > n.EntryDate
           OR hn.LivingSituation IS NULL OR hn.LivingSituation IN (8, 9, 99)
           OR hn.LengthOfStay IS NULL OR hn.LengthOfStay IN (8, 9, 99)
           OR ((n.LSAProjectType IN (0, 1, 8) OR hn.LivingSituation IN (101, 116, 118))
               AND (hn.DateToStreetESSH IS NULL
                    OR hn.TimesHomelessPastThreeYears IS NULL OR hn.TimesHomelessPastThreeYears IN (8, 9, 99)
                    OR hn.MonthsHomelessPastThreeYears IS NULL OR hn.MonthsHomelessPastThreeYears IN (8, 9, 99)))
           OR (n.LSAProjectType NOT IN (0, 1, 8)
               AND ((hn.LengthOfStay IN (2, 3) AND hn.LivingSituation IN (204, 205, 206, 207, 215, 225))
                    OR hn.LengthOfStay IN (10, 11))
               AND (hn.PreviousStreetESSH IS NULL OR hn.PreviousStreetESSH NOT IN (0, 1)
                    OR (hn.PreviousStreetESSH = 1
                        AND (hn.DateToStreetESSH IS NULL
                             OR hn.TimesHomelessPastThreeYears IS NULL
                             OR hn.TimesHomelessPastThreeYears IN (8, 9, 99)
                             OR hn.MonthsHomelessPastThreeYears IS NULL
                             OR hn.MonthsHomelessPastThreeYears IN (8, 9, 99)))))));

-- 5.11 Age ranges per project group: the smallest / largest ActiveAge of the person's active
-- enrollments in EST (0,1,2,8), RRH (13), PSH (3), RRH-SO (15); -1 when not served in the group.
UPDATE tlsa_Person p
SET ESTAgeMin = COALESCE(a.est_min, -1), ESTAgeMax = COALESCE(a.est_max, -1),
    RRHAgeMin = COALESCE(a.rrh_min, -1), RRHAgeMax = COALESCE(a.rrh_max, -1),
    PSHAgeMin = COALESCE(a.psh_min, -1), PSHAgeMax = COALESCE(a.psh_max, -1),
    RRHSOAgeMin = COALESCE(a.so_min, -1), RRHSOAgeMax = COALESCE(a.so_max, -1),
    Step = '5.11'
FROM (
    SELECT n.PersonalID,
           min(n.ActiveAge) FILTER (WHERE n.LSAProjectType IN (0, 1, 2, 8)) AS est_min,
           max(n.ActiveAge) FILTER (WHERE n.LSAProjectType IN (0, 1, 2, 8)) AS est_max,
           min(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 13) AS rrh_min,
           max(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 13) AS rrh_max,
           min(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 3) AS psh_min,
           max(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 3) AS psh_max,
           min(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 15) AS so_min,
           max(n.ActiveAge) FILTER (WHERE n.LSAProjectType = 15) AS so_max
    FROM en5 n
    WHERE n.Active
    GROUP BY n.PersonalID
) a
WHERE a.PersonalID = p.PersonalID;

ANALYZE tlsa_Person;

-- 5.12 Population identifiers of active households, from their active members (tlsa_Person values).
-- HHChronic: the first category any adult (ActiveAge 18-65) or HoH meets: 1 CH (disabled and
-- 365/1-2 or 400/2); 2 365/400 disabled; 3 365/400 disability missing; 4 365/400 not disabled;
-- 5 270 disabled, missing data; 6 270 disabled; 9 CH status unknown (CHTimeStatus 99, not
-- "not disabled"); 0 otherwise.
-- HHVet: ActiveHHType 1/2/99 and an adult member with VetStatus 1. HHDisability: an adult or HoH
-- with DisabilityStatus 1. HHFleeingDV: an adult or HoH with DVStatus 1 -> 1, 2/3 -> 2, else 0.
-- HHAdultAge: -1 for HHType other than AO/AC or any unknown age (>= 98); 18 if the oldest is 18-21;
-- 24 if 22-24; 55 if the youngest is 55+ (groups 64, 65); else 25. HHParent: a member with
-- RelationshipToHoH 2. AC3Plus: AC and 3+ distinct members aged 0-17.
UPDATE tlsa_HHID hh
SET HHChronic = COALESCE(m.chronic, 0),
    HHVet = CASE WHEN hh.ActiveHHType IN (1, 2, 99) AND m.vet THEN 1 ELSE 0 END,
    HHDisability = CASE WHEN m.disabled THEN 1 ELSE 0 END,
    HHFleeingDV = COALESCE(m.fleeing, 0),
    HHAdultAge = CASE WHEN hh.ActiveHHType NOT IN (1, 2) OR hh.ActiveHHType IS NULL OR m.oldest >= 98 THEN -1
                      WHEN m.oldest = 21 THEN 18
                      WHEN m.oldest = 24 THEN 24
                      WHEN m.youngest BETWEEN 55 AND 65 THEN 55
                      ELSE 25 END,
    HHParent = CASE WHEN m.parent THEN 1 ELSE 0 END,
    AC3Plus = CASE WHEN hh.ActiveHHType = 2 AND m.children >= 3 THEN 1 ELSE 0 END,
    Step = '5.12'
FROM (
    SELECT n.HouseholdID,
           min(CASE WHEN NOT (n.RelationshipToHoH = 1 OR n.ActiveAge BETWEEN 18 AND 65) THEN NULL
                    WHEN p.DisabilityStatus = 1 AND ((p.CHTime = 365 AND p.CHTimeStatus IN (1, 2))
                                                     OR (p.CHTime = 400 AND p.CHTimeStatus = 2)) THEN 1
                    WHEN p.CHTime IN (365, 400) AND p.DisabilityStatus = 1 THEN 2
                    WHEN p.CHTime IN (365, 400) AND p.DisabilityStatus = 99 THEN 3
                    WHEN p.CHTime IN (365, 400) AND p.DisabilityStatus = 0 THEN 4
                    WHEN p.CHTime = 270 AND p.CHTimeStatus = 99 AND p.DisabilityStatus = 1 THEN 5
                    WHEN p.CHTime = 270 AND p.DisabilityStatus = 1 THEN 6
                    WHEN p.CHTimeStatus = 99 AND p.DisabilityStatus <> 0 THEN 9 END) AS chronic,
           bool_or(p.VetStatus = 1 AND n.ActiveAge BETWEEN 18 AND 65) IS TRUE AS vet,
           bool_or(p.DisabilityStatus = 1 AND (n.RelationshipToHoH = 1 OR n.ActiveAge BETWEEN 18 AND 65))
               IS TRUE AS disabled,
           min(CASE WHEN NOT (n.RelationshipToHoH = 1 OR n.ActiveAge BETWEEN 18 AND 65) THEN NULL
                    WHEN p.DVStatus = 1 THEN 1 WHEN p.DVStatus IN (2, 3) THEN 2 END) AS fleeing,
           max(n.ActiveAge) AS oldest, min(n.ActiveAge) AS youngest,
           bool_or(n.RelationshipToHoH = 2) IS TRUE AS parent,
           count(DISTINCT n.PersonalID) FILTER (WHERE n.ActiveAge BETWEEN 0 AND 17) AS children
    FROM en5 n JOIN tlsa_Person p ON p.PersonalID = n.PersonalID
    WHERE n.Active
    GROUP BY n.HouseholdID
) m
WHERE m.HouseholdID = hh.HouseholdID AND hh.Active;

ANALYZE tlsa_HHID;

-- 5.13 Household types per column: the distinct ActiveHHTypes of the enrollments meeting the
-- column's test, written as their codes in order (AO 1, AC 2, CO 3, UN 9: AO + AC = 12); -1 none.
-- The bits: AO 1, AC 2, CO 4, UN (99, or anything else) 8.
CREATE OR REPLACE FUNCTION pg_temp.lsa_hhtypes(mask int) RETURNS int LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE mask WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 12 WHEN 4 THEN 3 WHEN 5 THEN 13 WHEN 6 THEN 23
                     WHEN 7 THEN 123 WHEN 8 THEN 9 WHEN 9 THEN 19 WHEN 10 THEN 29 WHEN 11 THEN 129 WHEN 12 THEN 39
                     WHEN 13 THEN 139 WHEN 14 THEN 239 WHEN 15 THEN 1239 ELSE -1 END
$fn$;

-- 5.14 HHAdultAgeAO/AC per group: over the person's active households of that type in the group,
-- the first of 18, 24, 55, 25 found (a priority, not a size); -1 when none.
CREATE OR REPLACE FUNCTION pg_temp.lsa_adultage(priority int) RETURNS int LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE priority WHEN 1 THEN 18 WHEN 2 THEN 24 WHEN 3 THEN 55 WHEN 4 THEN 25 ELSE -1 END
$fn$;

DROP TABLE IF EXISTS lsa_PersonGroups;
CREATE TEMP TABLE lsa_PersonGroups AS
SELECT n.PersonalID,
       CASE WHEN n.LSAProjectType IN (0, 1, 2, 8) THEN 'EST' WHEN n.LSAProjectType = 13 THEN 'RRH'
            WHEN n.LSAProjectType = 3 THEN 'PSH' WHEN n.LSAProjectType = 15 THEN 'RRHSO' END AS grp,
       n.LSAProjectType, n.RelationshipToHoH, n.ActiveAge, n.AIR, n.MoveInDate,
       CASE hh.ActiveHHType WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 4 ELSE 8 END AS bit,
       hh.ActiveHHType, hh.HHChronic, hh.HHVet, hh.HHDisability, hh.HHFleeingDV, hh.HHParent, hh.AC3Plus,
       CASE hh.HHAdultAge WHEN 18 THEN 1 WHEN 24 THEN 2 WHEN 55 THEN 3 WHEN 25 THEN 4 END AS ageprio
FROM en5 n JOIN tlsa_HHID hh ON hh.HouseholdID = n.HouseholdID
WHERE n.Active;
CREATE INDEX ON lsa_PersonGroups (PersonalID);
ANALYZE lsa_PersonGroups;

UPDATE tlsa_Person p
SET HHTypeEST = pg_temp.lsa_hhtypes(g.t_est), HoHEST = pg_temp.lsa_hhtypes(g.hoh_est),
    AdultEST = pg_temp.lsa_hhtypes(g.adult_est), AIRAdultEST = pg_temp.lsa_hhtypes(g.airadult_est),
    HHChronicEST = pg_temp.lsa_hhtypes(g.ch_est), HHVetEST = pg_temp.lsa_hhtypes(g.vet_est),
    HHDisabilityEST = pg_temp.lsa_hhtypes(g.dis_est), HHFleeingDVEST = pg_temp.lsa_hhtypes(g.dv_est),
    HHAdultAgeAOEST = pg_temp.lsa_adultage(g.ao_est), HHAdultAgeACEST = pg_temp.lsa_adultage(g.ac_est),
    HHParentEST = pg_temp.lsa_hhtypes(g.parent_est), AC3PlusEST = COALESCE(g.ac3_est, -1),
    AIREST = pg_temp.lsa_hhtypes(g.air_est), AIRHoHEST = pg_temp.lsa_hhtypes(g.airhoh_est),
    HHTypeRRH = pg_temp.lsa_hhtypes(g.t_rrh), HoHRRH = pg_temp.lsa_hhtypes(g.hoh_rrh),
    AdultRRH = pg_temp.lsa_hhtypes(g.adult_rrh), AIRAdultRRH = pg_temp.lsa_hhtypes(g.airadult_rrh),
    HHChronicRRH = pg_temp.lsa_hhtypes(g.ch_rrh), HHVetRRH = pg_temp.lsa_hhtypes(g.vet_rrh),
    HHDisabilityRRH = pg_temp.lsa_hhtypes(g.dis_rrh), HHFleeingDVRRH = pg_temp.lsa_hhtypes(g.dv_rrh),
    HHAdultAgeAORRH = pg_temp.lsa_adultage(g.ao_rrh), HHAdultAgeACRRH = pg_temp.lsa_adultage(g.ac_rrh),
    HHParentRRH = pg_temp.lsa_hhtypes(g.parent_rrh), AC3PlusRRH = COALESCE(g.ac3_rrh, -1),
    AIRRRH = pg_temp.lsa_hhtypes(g.air_rrh), AIRHoHRRH = pg_temp.lsa_hhtypes(g.airhoh_rrh),
    HHTypePSH = pg_temp.lsa_hhtypes(g.t_psh), HoHPSH = pg_temp.lsa_hhtypes(g.hoh_psh),
    AdultPSH = pg_temp.lsa_hhtypes(g.adult_psh), AIRAdultPSH = pg_temp.lsa_hhtypes(g.airadult_psh),
    HHChronicPSH = pg_temp.lsa_hhtypes(g.ch_psh), HHVetPSH = pg_temp.lsa_hhtypes(g.vet_psh),
    HHDisabilityPSH = pg_temp.lsa_hhtypes(g.dis_psh), HHFleeingDVPSH = pg_temp.lsa_hhtypes(g.dv_psh),
    HHAdultAgeAOPSH = pg_temp.lsa_adultage(g.ao_psh), HHAdultAgeACPSH = pg_temp.lsa_adultage(g.ac_psh),
    HHParentPSH = pg_temp.lsa_hhtypes(g.parent_psh), AC3PlusPSH = COALESCE(g.ac3_psh, -1),
    AIRPSH = pg_temp.lsa_hhtypes(g.air_psh), AIRHoHPSH = pg_temp.lsa_hhtypes(g.airhoh_psh),
    HHTypeRRHSONoMI = pg_temp.lsa_hhtypes(g.so_nomi), HHTypeRRHSOMI = pg_temp.lsa_hhtypes(g.so_mi),
    HHTypeES = pg_temp.lsa_hhtypes(g.t_es), HHTypeSH = pg_temp.lsa_hhtypes(g.t_sh),
    HHTypeTH = pg_temp.lsa_hhtypes(g.t_th),
    Step = '5.13'
FROM (
    SELECT x.PersonalID,
           bit_or(bit) FILTER (WHERE grp = 'EST') AS t_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND RelationshipToHoH = 1) AS hoh_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND ActiveAge BETWEEN 18 AND 65) AS adult_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND AIR AND ActiveAge BETWEEN 18 AND 65) AS airadult_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND HHChronic = 1) AS ch_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND HHVet = 1) AS vet_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND HHDisability = 1) AS dis_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND HHFleeingDV = 1) AS dv_est,
           min(ageprio) FILTER (WHERE grp = 'EST' AND ActiveHHType = 1) AS ao_est,
           min(ageprio) FILTER (WHERE grp = 'EST' AND ActiveHHType = 2) AS ac_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND HHParent = 1) AS parent_est,
           max(CASE WHEN AC3Plus = 1 THEN 1 ELSE 0 END) FILTER (WHERE grp = 'EST') AS ac3_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND AIR) AS air_est,
           bit_or(bit) FILTER (WHERE grp = 'EST' AND AIR AND RelationshipToHoH = 1) AS airhoh_est,
           bit_or(bit) FILTER (WHERE grp = 'RRH') AS t_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND RelationshipToHoH = 1) AS hoh_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND ActiveAge BETWEEN 18 AND 65) AS adult_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND AIR AND ActiveAge BETWEEN 18 AND 65) AS airadult_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND HHChronic = 1) AS ch_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND HHVet = 1) AS vet_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND HHDisability = 1) AS dis_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND HHFleeingDV = 1) AS dv_rrh,
           min(ageprio) FILTER (WHERE grp = 'RRH' AND ActiveHHType = 1) AS ao_rrh,
           min(ageprio) FILTER (WHERE grp = 'RRH' AND ActiveHHType = 2) AS ac_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND HHParent = 1) AS parent_rrh,
           max(CASE WHEN AC3Plus = 1 THEN 1 ELSE 0 END) FILTER (WHERE grp = 'RRH') AS ac3_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND AIR) AS air_rrh,
           bit_or(bit) FILTER (WHERE grp = 'RRH' AND AIR AND RelationshipToHoH = 1) AS airhoh_rrh,
           bit_or(bit) FILTER (WHERE grp = 'PSH') AS t_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND RelationshipToHoH = 1) AS hoh_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND ActiveAge BETWEEN 18 AND 65) AS adult_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND AIR AND ActiveAge BETWEEN 18 AND 65) AS airadult_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND HHChronic = 1) AS ch_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND HHVet = 1) AS vet_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND HHDisability = 1) AS dis_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND HHFleeingDV = 1) AS dv_psh,
           min(ageprio) FILTER (WHERE grp = 'PSH' AND ActiveHHType = 1) AS ao_psh,
           min(ageprio) FILTER (WHERE grp = 'PSH' AND ActiveHHType = 2) AS ac_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND HHParent = 1) AS parent_psh,
           max(CASE WHEN AC3Plus = 1 THEN 1 ELSE 0 END) FILTER (WHERE grp = 'PSH') AS ac3_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND AIR) AS air_psh,
           bit_or(bit) FILTER (WHERE grp = 'PSH' AND AIR AND RelationshipToHoH = 1) AS airhoh_psh,
           bit_or(bit) FILTER (WHERE grp = 'RRHSO' AND MoveInDate IS NULL) AS so_nomi,
           bit_or(bit) FILTER (WHERE grp = 'RRHSO' AND MoveInDate IS NOT NULL) AS so_mi,
           bit_or(bit) FILTER (WHERE LSAProjectType IN (0, 1)) AS t_es,
           bit_or(bit) FILTER (WHERE LSAProjectType = 8) AS t_sh,
           bit_or(bit) FILTER (WHERE LSAProjectType = 2) AS t_th
    FROM lsa_PersonGroups x
    GROUP BY x.PersonalID
) g
WHERE g.PersonalID = p.PersonalID;

-- Every active person has an active enrollment, so the 5.13/5.14 columns are set above; these
-- guard the columns HDX requires (no NULLs) for a person whose household row is missing.
UPDATE tlsa_Person SET
    CHTime = COALESCE(CHTime, -1), CHTimeStatus = COALESCE(CHTimeStatus, -1)
WHERE CHTime IS NULL OR CHTimeStatus IS NULL;

ANALYZE tlsa_Person;

-- 5.2, 5.4, 5.6: the enrollment flags, written to tlsa_Enrollment for the sections after this one.
UPDATE tlsa_Enrollment n
SET Active = e.Active, AIR = e.AIR, HIV = e.HIV, SMI = e.SMI, SUD = e.SUD, CH = e.CH, Step = '5.6'
FROM en5 e
WHERE e.EnrollmentID = n.EnrollmentID;
ANALYZE tlsa_Enrollment;

-- 5.15 lsa_Person: LSAPerson.csv, HUD's columns in order; RowTotal = the people with each
-- combination of the other columns.
DROP TABLE IF EXISTS lsa_Person;
CREATE TEMP TABLE lsa_Person AS
SELECT count(*)::int AS RowTotal, RaceEthnicity, VetStatus, DisabilityStatus, CHTime, CHTimeStatus, DVStatus,
       ESTAgeMin, ESTAgeMax, HHTypeEST, HoHEST, AdultEST, AIRAdultEST, HHChronicEST, HHVetEST, HHDisabilityEST,
       HHFleeingDVEST, HHAdultAgeAOEST, HHAdultAgeACEST, HHParentEST, AC3PlusEST, AIREST, AIRHoHEST,
       RRHAgeMin, RRHAgeMax, HHTypeRRH, HoHRRH, AdultRRH, AIRAdultRRH, HHChronicRRH, HHVetRRH, HHDisabilityRRH,
       HHFleeingDVRRH, HHAdultAgeAORRH, HHAdultAgeACRRH, HHParentRRH, AC3PlusRRH, AIRRRH, AIRHoHRRH,
       PSHAgeMin, PSHAgeMax, HHTypePSH, HoHPSH, AdultPSH, AIRAdultPSH, HHChronicPSH, HHVetPSH, HHDisabilityPSH,
       HHFleeingDVPSH, HHAdultAgeAOPSH, HHAdultAgeACPSH, HHParentPSH, AC3PlusPSH, AIRPSH, AIRHoHPSH,
       RRHSOAgeMin, RRHSOAgeMax, HHTypeRRHSONoMI, HHTypeRRHSOMI, HHTypeES, HHTypeSH, HHTypeTH, HIV, SMI, SUD,
       ReportID
FROM tlsa_Person
GROUP BY RaceEthnicity, VetStatus, DisabilityStatus, CHTime, CHTimeStatus, DVStatus,
       ESTAgeMin, ESTAgeMax, HHTypeEST, HoHEST, AdultEST, AIRAdultEST, HHChronicEST, HHVetEST, HHDisabilityEST,
       HHFleeingDVEST, HHAdultAgeAOEST, HHAdultAgeACEST, HHParentEST, AC3PlusEST, AIREST, AIRHoHEST,
       RRHAgeMin, RRHAgeMax, HHTypeRRH, HoHRRH, AdultRRH, AIRAdultRRH, HHChronicRRH, HHVetRRH, HHDisabilityRRH,
       HHFleeingDVRRH, HHAdultAgeAORRH, HHAdultAgeACRRH, HHParentRRH, AC3PlusRRH, AIRRRH, AIRHoHRRH,
       PSHAgeMin, PSHAgeMax, HHTypePSH, HoHPSH, AdultPSH, AIRAdultPSH, HHChronicPSH, HHVetPSH, HHDisabilityPSH,
       HHFleeingDVPSH, HHAdultAgeAOPSH, HHAdultAgeACPSH, HHParentPSH, AC3PlusPSH, AIRPSH, AIRHoHPSH,
       RRHSOAgeMin, RRHSOAgeMax, HHTypeRRHSONoMI, HHTypeRRHSOMI, HHTypeES, HHTypeSH, HHTypeTH, HIV, SMI, SUD,
       ReportID;
