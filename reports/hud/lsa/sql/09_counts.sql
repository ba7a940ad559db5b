-- LSA section 9: LSACalculated counts (HUD LSA Programming Specifications, docs/09 - LSACalculated Counts.md).
-- Reads tlsa_CohortDates, tlsa_HHID, tlsa_Enrollment (section 3, Active/AIR from 5.1-5.2), tlsa_Person (5),
-- hmis_Services, and for 9.6 lsa_Project / lsa_HMISParticipation (4) with hmis_Enrollment / hmis_Exit.
-- Inserts into lsa_Calculated (created by 08_averages.sql): ReportRow 53-57, Cohorts 1 and 10-13,
-- Universes 10-16, SystemPath -1.  Counts are only included when > 0 (section 8 intro): every row here comes
-- from a GROUP BY over existing records, so none is 0.
-- tlsa_Enrollment / tlsa_HHID Active, AIR and PIT* are boolean (HUD's "bit"), as 03_core.sql creates them.

-- 9.2 Point-in-time cohorts (10 = Oct 31, 11 = Jan 31, 12 = Apr 30, 13 = Jul 31; tlsa_CohortDates has a cohort
-- only when its date is in the report period and LSAScope <> 3).  An AIR enrollment is in a PIT cohort when
-- ExitDate is NULL or > CohortStart and: RRH/PSH (13, 3) MoveInDate <= CohortEnd; ES entry-exit / TH / SH
-- (0, 2, 8) EntryDate <= CohortEnd; ES night-by-night (1) a bed night (RecordType 200) on CohortStart, within
-- the enrollment (EntryDate <= bed night < ExitDate).
-- 9.2 puts no EntryDate condition on ES-NbN beyond the bed night; a bed night before EntryDate is not "valid"
-- (3.4: NbN EntryDate is the first bed night), so the EntryDate <= bed night test is kept.
UPDATE tlsa_Enrollment SET PITOctober = false, PITJanuary = false, PITApril = false, PITJuly = false;

DROP TABLE IF EXISTS calc9_PITBedNight;
CREATE TEMP TABLE calc9_PITBedNight AS
SELECT DISTINCT bn.EnrollmentID, bn.DateProvided
FROM hmis_Services bn
WHERE bn.RecordType = 200 AND bn.DateDeleted IS NULL
  AND bn.DateProvided IN (SELECT CohortStart FROM tlsa_CohortDates WHERE Cohort BETWEEN 10 AND 13);

UPDATE tlsa_Enrollment n
SET PITOctober = pit.Oct, PITJanuary = pit.Jan, PITApril = pit.Apr, PITJuly = pit.Jul
FROM (
    SELECT e.EnrollmentID,
           bool_or(cd.Cohort = 10) AS Oct, bool_or(cd.Cohort = 11) AS Jan,
           bool_or(cd.Cohort = 12) AS Apr, bool_or(cd.Cohort = 13) AS Jul
    FROM tlsa_Enrollment e
    JOIN tlsa_CohortDates cd ON cd.Cohort BETWEEN 10 AND 13
        AND (e.ExitDate IS NULL OR e.ExitDate > cd.CohortStart)
    WHERE e.AIR
      AND ((e.LSAProjectType IN (3, 13) AND e.MoveInDate <= cd.CohortEnd)
           OR (e.LSAProjectType IN (0, 2, 8) AND e.EntryDate <= cd.CohortEnd)
           OR (e.LSAProjectType = 1 AND e.EntryDate <= cd.CohortStart
               AND EXISTS (SELECT 1 FROM calc9_PITBedNight b
                           WHERE b.EnrollmentID = e.EnrollmentID AND b.DateProvided = cd.CohortStart)))
    GROUP BY e.EnrollmentID
) pit
WHERE n.EnrollmentID = pit.EnrollmentID;

-- Populations for the counts (9.3, 9.4, 9.5): ID, the report rows it is counted in, whether it is required by
-- ProjectID (Universe 10) and its household types (0 = all).  A 4-digit 50xx / 51xx / 52xx ID is the parent
-- population (50 Veteran, 51 Parenting Youth, 52 Parenting Child) x the subpopulation xx (9.4); its household
-- types are those of the parent (every subpopulation xx is reported for all household types).
DROP TABLE IF EXISTS ref_CountPops;
CREATE TEMP TABLE ref_CountPops (PopID int NOT NULL, Pop1 int NOT NULL, Pop2 int, ReportRow int NOT NULL,
                                 ByProject boolean NOT NULL, HHType int NOT NULL);
INSERT INTO ref_CountPops (PopID, Pop1, Pop2, ReportRow, ByProject, HHType)
SELECT p.PopID, p.PopID, NULL, rr.ReportRow, p.ByProject, t.HHType
FROM (VALUES
    -- 9.3 rows 53 and 54, household characteristics (Universes 10-16)
    (0, '{53,54,56}'::int[], true, '{0,1,2,3,99}'::int[]),
    (10, '{53,54,56}', true, '{1}'), (11, '{53,54,56}', true, '{1}'), (12, '{53,54}', true, '{2}'),
    (13, '{53,54}', true, '{0,1,2,99}'), (14, '{53,54}', true, '{1}'), (15, '{53,54}', true, '{0,1,2,3,99}'),
    (18, '{53,54}', true, '{0,1,2,3,99}'), (19, '{53,54}', true, '{0,1,2,3,99}'), (45, '{53,54}', true, '{1}'),
    (46, '{53,54}', true, '{3}'), (48, '{53,54}', true, '{0,1,2,3,99}'),
    -- 9.4 row 55, personal characteristics; 9.5 rows 56 (0, 10, 11 above) and 57 (50, 53)
    (50, '{55,57}', true, '{0,1,2,99}'), (51, '{55}', false, '{2}'), (52, '{55}', false, '{3}'),
    (53, '{55,57}', true, '{0,1,2,3,99}'), (54, '{55}', false, '{0,1,2,3,99}'),
    (55, '{55}', false, '{0,1,2,3,99}'),
    (56, '{55}', false, '{0,1,2,3,99}'), (57, '{55}', false, '{0,1,2,3,99}'), (58, '{55}', false, '{0,1,2,3,99}'),
    (59, '{55}', false, '{0,1,2,3,99}'), (60, '{55}', false, '{0,1,2,3,99}'), (61, '{55}', false, '{0,1,2,3,99}'),
    (62, '{55}', false, '{0,1,2,3,99}'), (63, '{55}', false, '{0,1,2,3,99}'), (64, '{55}', false, '{0,1,2,3,99}'),
    (65, '{55}', false, '{0,1,2,3,99}'), (66, '{55}', false, '{0,1,2,3,99}'), (67, '{55}', false, '{0,1,2,3,99}'),
    (68, '{55}', false, '{0,1,2,3,99}'), (69, '{55}', false, '{0,1,2,3,99}'), (70, '{55}', false, '{0,1,2,3,99}'),
    (71, '{55}', false, '{0,1,2,3,99}'), (72, '{55}', false, '{0,1,2,3,99}'), (73, '{55}', false, '{0,1,2,3,99}'),
    (74, '{55}', false, '{0,1,2,3,99}'), (75, '{55}', false, '{0,1,2,3,99}'), (76, '{55}', false, '{0,1,2,3,99}'),
    (77, '{55}', false, '{0,1,2,3,99}'),
    (86, '{55}', false, '{0,2,3,99}'), (87, '{55}', false, '{0,2,3,99}'), (88, '{55}', false, '{0,2,3,99}'),
    (89, '{55}', false, '{0,2,3,99}'), (90, '{55}', false, '{0,1,2,99}'), (91, '{55}', false, '{0,1,2,99}'),
    (92, '{55}', false, '{0,1,2,99}'), (93, '{55}', false, '{0,1,2,99}'), (94, '{55}', false, '{0,1,2,99}'),
    (95, '{55}', false, '{0,1,2,99}'), (96, '{55}', false, '{0,1,2,99}'),
    (97, '{55}', false, '{0,1,2,3,99}'),
    (1190, '{55}', true, '{1}'), (1191, '{55}', true, '{1}'), (1290, '{55}', true, '{2}'), (1291, '{55}', true, '{2}')
) AS p(PopID, ReportRows, ByProject, HHTypes)
CROSS JOIN LATERAL unnest(p.ReportRows) AS rr(ReportRow)
CROSS JOIN LATERAL unnest(p.HHTypes) AS t(HHType)
UNION ALL
-- 9.4: 50, 51, 52 x subpopulations 53-77 and 97, by project type only (Universes 11-16)
SELECT par.Pop1 * 100 + sub.Pop2, par.Pop1, sub.Pop2, 55, false, t.HHType
FROM (VALUES (50, '{0,1,2,99}'::int[]), (51, '{2}'), (52, '{3}')) AS par(Pop1, HHTypes)
CROSS JOIN (SELECT generate_series(53, 77) UNION ALL SELECT 97) AS sub(Pop2)
CROSS JOIN LATERAL unnest(par.HHTypes) AS t(HHType);
ANALYZE ref_CountPops;

-- tlsa_CountPops (HUD's name and columns): the populations of 9.3-9.5 of each AIR enrollment, keyed by
-- PersonalID and HouseholdID (the same person may be in a population in one household and not another).
--   Household populations (9.3; 0-48) read tlsa_HHID, with tlsa_HHID.ActiveHHType.
--   50, 53-77, 97 read tlsa_Person; 86-96 the person's maximum ActiveAge over AIR enrollments (ActiveAge 98/99,
--   unknown, excluded) (9.4 "Maximum ActiveAge").
--   51 and 52 (Parenting Youth 18-24, Parenting Child) count the parent, i.e. the head of household: 9.4 gives
--   household criteria for a count of people "by personal characteristic"; reading them as every member would
--   count the children as parenting youth.  HUD's reference code (09 LSACalculated AIR Counts.sql) counts HoHID.
--   1190-1291 read the enrollment's ActiveAge with its household's HHAdultAge / HHParent.
--   RaceEthnicity "includes a N" is read on the digits of the code.
DROP TABLE IF EXISTS calc9_MaxAge;
CREATE TEMP TABLE calc9_MaxAge AS
SELECT PersonalID, max(ActiveAge) AS MaxAge
FROM tlsa_Enrollment
WHERE AIR AND ActiveAge NOT IN (98, 99)
GROUP BY PersonalID;
CREATE INDEX ON calc9_MaxAge (PersonalID);

DROP TABLE IF EXISTS tlsa_CountPops;
CREATE TEMP TABLE tlsa_CountPops AS
SELECT DISTINCT pop.PopID, n.PersonalID, n.HouseholdID
FROM tlsa_Enrollment n
JOIN tlsa_HHID h ON h.HouseholdID = n.HouseholdID
LEFT JOIN tlsa_Person lp ON lp.PersonalID = n.PersonalID
LEFT JOIN calc9_MaxAge ma ON ma.PersonalID = n.PersonalID
CROSS JOIN LATERAL (SELECT lp.RaceEthnicity::text AS race) r
CROSS JOIN LATERAL (VALUES
    (0, true),
    (10, h.ActiveHHType = 1 AND h.HHAdultAge = 18),
    (11, h.ActiveHHType = 1 AND h.HHAdultAge = 24),
    (12, h.ActiveHHType = 2 AND h.HHParent = 1 AND h.HHAdultAge IN (18, 24)),
    (13, h.ActiveHHType <> 3 AND h.HHVet = 1),
    (14, h.ActiveHHType = 1 AND h.HHVet = 0 AND h.HHAdultAge IN (25, 55)),
    (15, h.HHChronic = 1),
    (18, h.HHDisability = 1),
    (19, h.HHFleeingDV = 1),
    (45, h.ActiveHHType = 1 AND h.HHAdultAge = 55),
    (46, h.ActiveHHType = 3 AND h.HHParent = 1),
    (48, h.HHFleeingDV = 2),
    (50, h.ActiveHHType <> 3 AND lp.VetStatus = 1),
    (51, h.ActiveHHType = 2 AND h.HHParent = 1 AND h.HHAdultAge IN (18, 24) AND n.PersonalID = h.HoHID),
    (52, h.ActiveHHType = 3 AND h.HHParent = 1 AND n.PersonalID = h.HoHID),
    (53, lp.DisabilityStatus = 1 AND ((lp.CHTime = 365 AND lp.CHTimeStatus IN (1, 2))
                                      OR (lp.CHTime = 400 AND lp.CHTimeStatus = 2))),
    (54, lp.DisabilityStatus = 1),
    (55, lp.DVStatus = 1),
    (56, lp.RaceEthnicity = 1),
    (57, lp.RaceEthnicity = 16),
    (58, lp.RaceEthnicity = 2),
    (59, lp.RaceEthnicity = 26),
    (60, lp.RaceEthnicity = 3),
    (61, lp.RaceEthnicity = 36),
    (62, lp.RaceEthnicity = 6),
    (63, lp.RaceEthnicity = 7),
    (64, lp.RaceEthnicity = 67),
    (65, lp.RaceEthnicity = 4),
    (66, lp.RaceEthnicity = 46),
    (67, lp.RaceEthnicity = 5),
    (68, lp.RaceEthnicity = 56),
    (69, lp.RaceEthnicity >= 12 AND lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '6') = 0),
    (70, lp.RaceEthnicity >= 126 AND strpos(r.race, '6') > 0),
    (71, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '1') > 0),
    (72, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '2') > 0),
    (73, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '3') > 0),
    (74, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '6') > 0),
    (75, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '7') > 0),
    (76, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '4') > 0),
    (77, lp.RaceEthnicity NOT IN (98, 99) AND strpos(r.race, '5') > 0),
    (CASE ma.MaxAge WHEN 0 THEN 86 WHEN 2 THEN 87 WHEN 5 THEN 88 WHEN 17 THEN 89 WHEN 21 THEN 90 WHEN 24 THEN 91
                    WHEN 34 THEN 92 WHEN 44 THEN 93 WHEN 54 THEN 94 WHEN 64 THEN 95 WHEN 65 THEN 96 END,
     ma.MaxAge IS NOT NULL),
    (97, lp.DVStatus IN (2, 3)),
    (1190, h.ActiveHHType = 1 AND n.ActiveAge = 21 AND h.HHAdultAge IN (18, 24)),
    (1191, h.ActiveHHType = 1 AND n.ActiveAge = 24 AND h.HHAdultAge IN (18, 24)),
    (1290, h.ActiveHHType = 2 AND n.ActiveAge = 21 AND h.HHParent = 1 AND h.HHAdultAge IN (18, 24)),
    (1291, h.ActiveHHType = 2 AND n.ActiveAge = 24 AND h.HHParent = 1 AND h.HHAdultAge IN (18, 24))
) AS pop(PopID, member)
WHERE n.AIR AND pop.member AND pop.PopID IS NOT NULL;

-- 9.4 combinations 50xx / 51xx / 52xx: in the parent and in the subpopulation in the same household.
INSERT INTO tlsa_CountPops (PopID, PersonalID, HouseholdID)
SELECT DISTINCT rp.PopID, p1.PersonalID, p1.HouseholdID
FROM (SELECT DISTINCT PopID, Pop1, Pop2 FROM ref_CountPops WHERE Pop2 IS NOT NULL) rp
JOIN tlsa_CountPops p1 ON p1.PopID = rp.Pop1
JOIN tlsa_CountPops p2 ON p2.PopID = rp.Pop2 AND p2.PersonalID = p1.PersonalID AND p2.HouseholdID = p1.HouseholdID;
CREATE INDEX ON tlsa_CountPops (PersonalID, HouseholdID);
ANALYZE tlsa_CountPops;

-- Each AIR enrollment's cohorts (9.2 / 9.3 "Cohort": 1 = AIR, 10-13 = PITOctober ... PITJuly).
DROP TABLE IF EXISTS calc9_Cohort;
CREATE TEMP TABLE calc9_Cohort AS
SELECT n.PersonalID, n.HouseholdID, c.Cohort
FROM tlsa_Enrollment n
CROSS JOIN LATERAL (VALUES (1, n.AIR), (10, n.PITOctober), (11, n.PITJanuary), (12, n.PITApril), (13, n.PITJuly))
    AS c(Cohort, InCohort)
WHERE n.AIR AND c.InCohort;
CREATE INDEX ON calc9_Cohort (HouseholdID);
ANALYZE calc9_Cohort;

-- The universes of a household (9.3 "Universe and ProjectID"): 10 = its project (ProjectID reported),
-- 11 ES (LSAProjectType 0, 1), 12 SH (8), 13 TH (2), 14 RRH (13), 15 PSH (3), 16 ES/SH/TH unduplicated.
DROP TABLE IF EXISTS calc9_Universe;
CREATE TEMP TABLE calc9_Universe AS
SELECT h.HouseholdID, h.HoHID, h.ActiveHHType, u.Universe, CASE WHEN u.Universe = 10 THEN h.ProjectID END AS ProjectID
FROM tlsa_HHID h
CROSS JOIN LATERAL (VALUES
    (10, true),
    (11, h.LSAProjectType IN (0, 1)),
    (12, h.LSAProjectType = 8),
    (13, h.LSAProjectType = 2),
    (14, h.LSAProjectType = 13),
    (15, h.LSAProjectType = 3),
    (16, h.LSAProjectType IN (0, 1, 2, 8))
) AS u(Universe, InUniverse)
WHERE u.InUniverse AND h.HouseholdID IN (SELECT HouseholdID FROM calc9_Cohort);
CREATE INDEX ON calc9_Universe (HouseholdID);
ANALYZE calc9_Universe;

-- 9.3 ReportRow 53 and 9.4 ReportRow 55 = distinct PersonalIDs in the cohort, universe, household type
-- (tlsa_HHID.ActiveHHType; 0 = all) and population.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(*), d.Cohort, d.Universe, d.HHType, d.PopID, -1, d.ProjectID, d.ReportRow,
       (SELECT ReportID FROM lsa_Report)
FROM (
    SELECT DISTINCT c.Cohort, u.Universe, u.ProjectID, rp.ReportRow, rp.HHType, rp.PopID, c.PersonalID
    FROM calc9_Cohort c
    JOIN calc9_Universe u ON u.HouseholdID = c.HouseholdID
    JOIN tlsa_CountPops cp ON cp.PersonalID = c.PersonalID AND cp.HouseholdID = c.HouseholdID
    JOIN ref_CountPops rp ON rp.PopID = cp.PopID AND rp.ReportRow IN (53, 55)
        AND (rp.HHType = 0 OR rp.HHType = u.ActiveHHType)
        AND (u.Universe <> 10 OR rp.ByProject)
) d
GROUP BY d.Cohort, d.Universe, d.ProjectID, d.ReportRow, d.HHType, d.PopID;

-- 9.3 ReportRow 54 = distinct HoHID / ActiveHHType combinations of the households with a member in the cohort;
-- household populations (0-48) are the same for every member, so they are read once per household.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(*), d.Cohort, d.Universe, d.HHType, d.PopID, -1, d.ProjectID, 54, (SELECT ReportID FROM lsa_Report)
FROM (
    SELECT DISTINCT c.Cohort, u.Universe, u.ProjectID, rp.HHType, rp.PopID, u.HoHID, u.ActiveHHType
    FROM (SELECT DISTINCT HouseholdID, Cohort FROM calc9_Cohort) c
    JOIN calc9_Universe u ON u.HouseholdID = c.HouseholdID
    JOIN (SELECT DISTINCT PopID, HouseholdID FROM tlsa_CountPops WHERE PopID < 50) cp
        ON cp.HouseholdID = c.HouseholdID
    JOIN ref_CountPops rp ON rp.PopID = cp.PopID AND rp.ReportRow = 54
        AND (rp.HHType = 0 OR rp.HHType = u.ActiveHHType)
) d
GROUP BY d.Cohort, d.Universe, d.ProjectID, d.HHType, d.PopID;

-- 9.5 Bed nights (Cohort 1): distinct PersonalID / date combinations for AIR enrollments in the report period.
--   RRH/PSH (13, 3): MoveInDate <= date < ExitDate (ExitDate - 1 day) or <= ReportEnd;
--   ES entry-exit / TH / SH (0, 2, 8): EntryDate <= date < ExitDate or <= ReportEnd;
--   ES night-by-night (1): a bed night (RecordType 200) in the period with EntryDate <= date < ExitDate.
-- Each enrollment becomes date ranges [RangeStart, RangeEnd) (NbN: runs of consecutive bed nights); overlapping
-- ranges of one person in the same group (e.g. two stays in one project, or ES and TH in Universe 16) are merged
-- so each date counts once, without expanding every date.  Row 56: populations 0, 10, 11; row 57: 50, 53 (9.5).
-- Required only for an Oct 1 - Sep 30 systemwide LSA; "may be included under any circumstances", so always.
DROP TABLE IF EXISTS calc9_Nights;
CREATE TEMP TABLE calc9_Nights AS
SELECT n.PersonalID, n.HouseholdID, greatest(n.EntryDate, r.ReportStart) AS RangeStart,
       least(coalesce(n.ExitDate, r.ReportEnd + 1), r.ReportEnd + 1) AS RangeEnd
FROM tlsa_Enrollment n CROSS JOIN lsa_Report r
WHERE n.AIR AND n.LSAProjectType IN (0, 2, 8)
UNION ALL
SELECT n.PersonalID, n.HouseholdID, greatest(n.MoveInDate, r.ReportStart),
       least(coalesce(n.ExitDate, r.ReportEnd + 1), r.ReportEnd + 1)
FROM tlsa_Enrollment n CROSS JOIN lsa_Report r
WHERE n.AIR AND n.LSAProjectType IN (3, 13) AND n.MoveInDate IS NOT NULL
UNION ALL
SELECT b.PersonalID, b.HouseholdID, min(b.Night), max(b.Night) + 1
FROM (
    SELECT n.EnrollmentID, n.PersonalID, n.HouseholdID, bn.Night,
           bn.Night - (dense_rank() OVER (PARTITION BY n.EnrollmentID ORDER BY bn.Night))::int AS Run
    FROM tlsa_Enrollment n
    CROSS JOIN lsa_Report r
    JOIN (SELECT DISTINCT EnrollmentID, DateProvided AS Night FROM hmis_Services
          WHERE RecordType = 200 AND DateDeleted IS NULL) bn ON bn.EnrollmentID = n.EnrollmentID
    WHERE n.AIR AND n.LSAProjectType = 1
      AND bn.Night BETWEEN r.ReportStart AND r.ReportEnd
      AND bn.Night >= n.EntryDate AND (n.ExitDate IS NULL OR bn.Night < n.ExitDate)
) b
GROUP BY b.EnrollmentID, b.PersonalID, b.HouseholdID, b.Run;
DELETE FROM calc9_Nights WHERE RangeEnd <= RangeStart;
ANALYZE calc9_Nights;

-- The days of a union of ranges: ordered by start, each range adds the part of it after the furthest end of
-- the ranges before it.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT sum(g.NewDays)::int, 1, g.Universe, g.HHType, g.PopID, -1, g.ProjectID, g.ReportRow,
       (SELECT ReportID FROM lsa_Report)
FROM (
    SELECT w.Universe, w.ProjectID, w.ReportRow, w.HHType, w.PopID,
           greatest(0, w.RangeEnd - greatest(w.RangeStart, coalesce(w.PriorEnd, w.RangeStart))) AS NewDays
    FROM (
        SELECT u.Universe, u.ProjectID, rp.ReportRow, rp.HHType, rp.PopID, nt.RangeStart, nt.RangeEnd,
               max(nt.RangeEnd) OVER (
                   PARTITION BY u.Universe, u.ProjectID, rp.ReportRow, rp.HHType, rp.PopID, nt.PersonalID
                   ORDER BY nt.RangeStart, nt.RangeEnd
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS PriorEnd
        FROM calc9_Nights nt
        JOIN calc9_Universe u ON u.HouseholdID = nt.HouseholdID
        JOIN tlsa_CountPops cp ON cp.PersonalID = nt.PersonalID AND cp.HouseholdID = nt.HouseholdID
        JOIN ref_CountPops rp ON rp.PopID = cp.PopID AND rp.ReportRow IN (56, 57)
            AND (rp.HHType = 0 OR rp.HHType = u.ActiveHHType)
    ) w
) g
GROUP BY g.Universe, g.ProjectID, g.ReportRow, g.HHType, g.PopID
HAVING sum(g.NewDays) > 0;

-- 9.6 OPH point-in-time counts for the HIC (LSAScope 3 only): per HMIS-participating PH project (ProjectType 9,
-- 10), the distinct people enrolled on ReportStart (EntryDate <= ReportStart, ExitDate NULL or > ReportStart) in a
-- household whose HoH (RelationshipToHoH 1, EnrollmentCoC = ReportCoC) entered on or before ReportStart, moved in
-- between EntryDate and ReportStart, and had not exited by ReportStart.  Members are read in the HoH's project.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT count(DISTINCT m.PersonalID), 1, 10, 0, 0, -1, p.ProjectID, 53, rpt.ReportID
FROM lsa_Report rpt
JOIN lsa_Project p ON p.ProjectType IN (9, 10)
JOIN hmis_Enrollment hoh ON hoh.ProjectID = p.ProjectID AND hoh.DateDeleted IS NULL
    AND hoh.RelationshipToHoH = 1 AND hoh.EnrollmentCoC = rpt.ReportCoC
    AND hoh.EntryDate <= rpt.ReportStart AND hoh.MoveInDate <= rpt.ReportStart AND hoh.MoveInDate >= hoh.EntryDate
LEFT JOIN hmis_Exit hx ON hx.EnrollmentID = hoh.EnrollmentID AND hx.DateDeleted IS NULL
JOIN hmis_Enrollment m ON m.HouseholdID = hoh.HouseholdID AND m.ProjectID = hoh.ProjectID AND m.DateDeleted IS NULL
    AND m.EntryDate <= rpt.ReportStart
LEFT JOIN hmis_Exit mx ON mx.EnrollmentID = m.EnrollmentID AND mx.DateDeleted IS NULL
WHERE rpt.LSAScope = 3
  AND (hx.ExitDate IS NULL OR hx.ExitDate > rpt.ReportStart)
  AND (mx.ExitDate IS NULL OR mx.ExitDate > rpt.ReportStart)
  AND EXISTS (SELECT 1 FROM lsa_HMISParticipation hp
              WHERE hp.ProjectID = p.ProjectID AND hp.HMISParticipationType = 1
                AND hp.HMISParticipationStatusStartDate <= rpt.ReportStart
                AND (hp.HMISParticipationStatusEndDate IS NULL OR hp.HMISParticipationStatusEndDate > rpt.ReportStart))
GROUP BY p.ProjectID, rpt.ReportID;
