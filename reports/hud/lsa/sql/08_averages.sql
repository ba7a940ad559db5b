-- LSA section 8: LSACalculated averages (HUD LSA Programming Specifications, docs/08 - LSACalculated Averages.md).
-- Reads tlsa_Household (section 6) and tlsa_Exit (section 7); creates the output table lsa_Calculated, which
-- 09_counts.sql, 10_dq.sql fill further.  Averages are computed only when LSAScope <> 3 (HIC) (section 8 intro).

-- 8.1 LSACalculated columns, in the order of HUD's data dictionary (Columns.csv): SELECT * is the CSV.
DROP TABLE IF EXISTS lsa_Calculated;
CREATE TEMP TABLE lsa_Calculated (
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

-- 8.3 Populations: the reference list of every population / subpopulation ID used by the averages, the two
-- base populations it combines (Pop1 = parent, 0 = All; Pop2 = subpopulation, NULL for a parent population
-- alone) and the household types it is reported for (0 = all household types).
-- A combination's household types are those listed for both the parent and the subpopulation (e.g. 1345 =
-- Veteran x Seniors 55+ is reported for AO (1) only, since 45 is AO only).  SubRow23 = 0 for subpopulations
-- 21 and 22, which row 23 does not report (8.3 "Subpopulations").
DROP TABLE IF EXISTS ref_AveragePopBase;
CREATE TEMP TABLE ref_AveragePopBase (PopID int PRIMARY KEY, HHTypes int[] NOT NULL, Parents int[]);
INSERT INTO ref_AveragePopBase (PopID, HHTypes, Parents) VALUES
    -- 8.3 "Populations" (parents); Parents NULL = not a subpopulation
    (0, '{0,1,2,3,99}', NULL), (10, '{1}', NULL), (11, '{1}', NULL), (12, '{2}', NULL), (13, '{0,1,2,99}', NULL),
    (14, '{1}', NULL), (16, '{0,1,2,3,99}', NULL), (17, '{0,1,2,3,99}', NULL),
    -- 15 is both a parent population and a subpopulation of 10-14
    (15, '{0,1,2,3,99}', '{10,11,12,13,14}'),
    -- 8.3 "Subpopulations"
    (18, '{0,1,2,3,99}', '{0,10,11,12,13,14}'),
    (19, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (20, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (21, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (22, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (23, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (24, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (25, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (26, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (27, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (28, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (29, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (30, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (31, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (32, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (33, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (34, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (35, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (36, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (37, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (38, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (39, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (40, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (41, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (42, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (43, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'), (44, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}'),
    (45, '{1}', '{0,13,14,15}'), (46, '{3}', '{0,15}'), (47, '{2}', '{0,13,15}'),
    (48, '{0,1,2,3,99}', '{0,10,11,12,13,14,15}');

DROP TABLE IF EXISTS ref_AveragePops;
CREATE TEMP TABLE ref_AveragePops (PopID int NOT NULL, Pop1 int NOT NULL, Pop2 int, HHType int NOT NULL,
                                   IsSub boolean NOT NULL, InRow23 boolean NOT NULL);
INSERT INTO ref_AveragePops (PopID, Pop1, Pop2, HHType, IsSub, InRow23)
-- parent populations (8.3 "Populations"): every report row
SELECT b.PopID, b.PopID, NULL, t.HHType, false, true
FROM ref_AveragePopBase b CROSS JOIN LATERAL unnest(b.HHTypes) AS t(HHType)
WHERE b.PopID IN (0, 10, 11, 12, 13, 14, 15, 16, 17)
UNION ALL
-- subpopulations x parents (8.3 "Subpopulations"): rows 1-9 (8.4) and row 23 (8.9) only
SELECT CASE WHEN par.Pop1 = 0 THEN s.PopID ELSE par.Pop1 * 100 + s.PopID END, par.Pop1, s.PopID, t.HHType, true,
       s.PopID NOT IN (21, 22)
FROM ref_AveragePopBase s
CROSS JOIN LATERAL unnest(s.Parents) AS par(Pop1)
JOIN ref_AveragePopBase p ON p.PopID = par.Pop1
CROSS JOIN LATERAL unnest(s.HHTypes) AS t(HHType)
WHERE s.Parents IS NOT NULL AND t.HHType = ANY (p.HHTypes);
ANALYZE ref_AveragePops;

-- 8.3 criteria: the base populations (IDs 0 and 10-48) each tlsa_Household (Cohort 1) and tlsa_Exit (Cohorts
-- -2, -1, 0) record belongs to.  HHType in a population's list is part of its criteria (e.g. 10 is AO only).
-- HoHRaceEthnicity "includes a N" is read on the digits of the code (e.g. 136 includes 1, 3 and 6).
DROP TABLE IF EXISTS tlsa_AveragePopBase;
CREATE TEMP TABLE tlsa_AveragePopBase AS
WITH src AS (
    SELECT 1 AS Cohort, HoHID, HHType, HHChronic, HHVet, HHDisability, HHFleeingDV, HHAdultAge, HHParent,
           HoHRaceEthnicity, Stat, PSHMoveIn, (HHChild = 3) AS ThreePlus
    FROM tlsa_Household
    UNION ALL
    -- 8.3: in LSAExit, subpopulation 47 is AC3Plus = 1 (HHChild is not a column of LSAExit); 22 (PSHMoveIn) is
    -- an LSAHousehold column only
    SELECT Cohort, HoHID, HHType, HHChronic, HHVet, HHDisability, HHFleeingDV, HHAdultAge, HHParent,
           HoHRaceEthnicity, Stat, NULL, (AC3Plus = 1)
    FROM tlsa_Exit
)
SELECT src.Cohort, src.HoHID, src.HHType, pop.PopID
FROM src
CROSS JOIN LATERAL (
    SELECT HoHRaceEthnicity::text AS race
) r
CROSS JOIN LATERAL (VALUES
    (0, true),
    (10, src.HHType = 1 AND src.HHAdultAge = 18),
    (11, src.HHType = 1 AND src.HHAdultAge = 24),
    (12, src.HHType = 2 AND src.HHParent = 1 AND src.HHAdultAge IN (18, 24)),
    (13, src.HHType <> 3 AND src.HHVet = 1),
    (14, src.HHType = 1 AND src.HHVet = 0 AND src.HHAdultAge IN (25, 55)),
    (15, src.HHChronic = 1),
    (16, src.HHChronic IN (1, 2)),
    (17, src.HHChronic IN (0, 3)),
    (18, src.HHDisability = 1),
    (19, src.HHFleeingDV = 1),
    (20, src.Stat = 1),
    (21, src.Stat = 2),
    (22, src.PSHMoveIn = 1),
    (23, src.HoHRaceEthnicity = 1),
    (24, src.HoHRaceEthnicity = 16),
    (25, src.HoHRaceEthnicity = 2),
    (26, src.HoHRaceEthnicity = 26),
    (27, src.HoHRaceEthnicity = 3),
    (28, src.HoHRaceEthnicity = 36),
    (29, src.HoHRaceEthnicity = 6),
    (30, src.HoHRaceEthnicity = 7),
    (31, src.HoHRaceEthnicity = 67),
    (32, src.HoHRaceEthnicity = 4),
    (33, src.HoHRaceEthnicity = 46),
    (34, src.HoHRaceEthnicity = 5),
    (35, src.HoHRaceEthnicity = 56),
    (36, src.HoHRaceEthnicity >= 12 AND src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '6') = 0),
    (37, src.HoHRaceEthnicity >= 126 AND strpos(r.race, '6') > 0),
    (38, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '1') > 0),
    (39, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '2') > 0),
    (40, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '3') > 0),
    (41, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '6') > 0),
    (42, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '7') > 0),
    (43, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '4') > 0),
    (44, src.HoHRaceEthnicity NOT IN (98, 99) AND strpos(r.race, '5') > 0),
    (45, src.HHType = 1 AND src.HHAdultAge = 55),
    (46, src.HHType = 3 AND src.HHParent = 1),
    (47, src.HHType = 2 AND src.ThreePlus),
    (48, src.HHFleeingDV = 2)
) AS pop(PopID, member)
WHERE pop.member;
CREATE INDEX ON tlsa_AveragePopBase (Cohort, HoHID, HHType, PopID);
ANALYZE tlsa_AveragePopBase;

-- tlsa_AveragePops (HUD's name and columns): each household record's populations and subpopulations with the
-- 4-digit combinations of 8.3 (parent x subpopulation).  A base population's criteria already include its
-- household types, so a record in both the parent and the subpopulation is in the combination; the household
-- types each ID is reported under are applied from ref_AveragePops when the averages are written.
DROP TABLE IF EXISTS tlsa_AveragePops;
CREATE TEMP TABLE tlsa_AveragePops AS
SELECT b.PopID, b.Cohort, b.HoHID, b.HHType
FROM tlsa_AveragePopBase b
WHERE b.PopID IN (0, 10, 11, 12, 13, 14, 15, 16, 17)
UNION ALL
SELECT rp.PopID, p2.Cohort, p2.HoHID, p2.HHType
FROM (SELECT DISTINCT PopID, Pop1, Pop2 FROM ref_AveragePops WHERE Pop2 IS NOT NULL) rp
JOIN tlsa_AveragePopBase p2 ON p2.PopID = rp.Pop2
JOIN tlsa_AveragePopBase p1 ON p1.PopID = rp.Pop1 AND p1.Cohort = p2.Cohort AND p1.HoHID = p2.HoHID
    AND p1.HHType = p2.HHType;
CREATE INDEX ON tlsa_AveragePops (Cohort, HoHID, HHType);
ANALYZE tlsa_AveragePops;

-- Per population ID: a subpopulation (reported in rows 1-9 with SystemPath -1 and row 23 only) or not, and
-- whether row 23 reports it (not subpopulations 21 and 22).
DROP TABLE IF EXISTS calc8_PopKind;
CREATE TEMP TABLE calc8_PopKind AS
SELECT DISTINCT PopID, IsSub, InRow23 FROM ref_AveragePops;

-- The sums and numbers of the values > 0 by report row, cohort, universe, system path, population and the
-- record's own household type; averages for HHType 0 (All) add up the household types' sums and numbers, so
-- each record is read once.
--
-- 8.4 - 8.7 from tlsa_Household (Cohort 1, Universe -1).
--   8.4 rows 1-9, SystemPath -1: every population and subpopulation.
--   8.5 rows 1-9 by SystemPath: the parent populations only (8.3 limits subpopulations to 8.4 and 8.9), each row
--       for the SystemPath values 8.5 lists for it, grouped by the household's SystemPath.
--   8.6 rows 10-11 and 8.7 rows 12-16: parent populations, SystemPath -1.
DROP TABLE IF EXISTS calc8_Sums;
CREATE TEMP TABLE calc8_Sums AS
SELECT 1 AS Cohort, -1 AS Universe, v.ReportRow, v.SystemPath, ap.PopID, hh.HHType,
       sum(v.Days)::numeric AS Total, count(*) AS N
FROM tlsa_Household hh
JOIN tlsa_AveragePops ap ON ap.Cohort = 1 AND ap.HoHID = hh.HoHID AND ap.HHType = hh.HHType
JOIN calc8_PopKind k ON k.PopID = ap.PopID
CROSS JOIN LATERAL (VALUES
    -- 8.4 (every population and subpopulation)
    (1, -1, hh.ESDays, true),
    (2, -1, hh.THDays, true),
    (3, -1, hh.ESTDays, true),
    (4, -1, hh.RRHPSHPreMoveInDays, true),
    (5, -1, hh.SystemHomelessDays, true),
    (6, -1, hh.Other3917Days, true),
    (7, -1, hh.TotalHomelessDays, true),
    (8, -1, hh.RRHHousedDays, true),
    (9, -1, hh.SystemDaysNotPSHHoused, true),
    -- 8.5 (parent populations), grouped by SystemPath
    (1, hh.SystemPath, hh.ESDays, NOT k.IsSub AND hh.SystemPath IN (1, 3, 5, 7, 9, 10, 12)),
    (2, hh.SystemPath, hh.THDays, NOT k.IsSub AND hh.SystemPath IN (2, 3, 6, 7, 12)),
    (3, hh.SystemPath, hh.ESTDays, NOT k.IsSub AND hh.SystemPath IN (3, 7, 12)),
    (4, hh.SystemPath, hh.RRHPSHPreMoveInDays, NOT k.IsSub AND hh.SystemPath IN (4, 5, 6, 7, 8, 9, 10, 11, 12)),
    (5, hh.SystemPath, hh.SystemHomelessDays, NOT k.IsSub AND hh.SystemPath IN (5, 6, 7, 8, 9, 10, 11, 12)),
    (6, hh.SystemPath, hh.Other3917Days, NOT k.IsSub AND hh.SystemPath BETWEEN 1 AND 12),
    (7, hh.SystemPath, hh.TotalHomelessDays, NOT k.IsSub AND hh.SystemPath BETWEEN 1 AND 12),
    (8, hh.SystemPath, hh.RRHHousedDays, NOT k.IsSub AND hh.SystemPath IN (4, 5, 6, 7, 10, 11, 12)),
    (9, hh.SystemPath, hh.SystemDaysNotPSHHoused, NOT k.IsSub AND hh.SystemPath BETWEEN 1 AND 12),
    -- 8.6 cumulative days housed in PSH
    (10, -1, hh.PSHHousedDays, NOT k.IsSub AND hh.PSHMoveIn IN (1, 2) AND hh.PSHStatus IN (12, 22)),
    (11, -1, hh.PSHHousedDays, NOT k.IsSub AND hh.PSHMoveIn IN (1, 2) AND hh.PSHStatus IN (11, 21)),
    -- 8.7 days in RRH
    (12, -1, hh.RRHPreMoveInDays, NOT k.IsSub AND hh.RRHStatus IN (12, 22) AND hh.RRHMoveIn = 0),
    (13, -1, hh.RRHPreMoveInDays, NOT k.IsSub AND hh.RRHStatus IN (11, 21) AND hh.RRHMoveIn = 0),
    (14, -1, hh.RRHPreMoveInDays, NOT k.IsSub AND hh.RRHMoveIn IN (1, 2) AND hh.RRHStatus > 2),
    (15, -1, hh.RRHHousedDays, NOT k.IsSub AND hh.RRHStatus IN (12, 22) AND hh.RRHMoveIn IN (1, 2)),
    (16, -1, hh.RRHHousedDays, NOT k.IsSub AND hh.RRHStatus IN (11, 21) AND hh.RRHMoveIn IN (1, 2))
) AS v(ReportRow, SystemPath, Days, Included)
WHERE (SELECT LSAScope FROM lsa_Report) <> 3 AND v.Included AND v.Days > 0
GROUP BY v.ReportRow, v.SystemPath, ap.PopID, hh.HHType;

-- 8.8 - 8.11 ReturnTime from tlsa_Exit (Cohort = tlsa_Exit.Cohort), records with ReturnTime > 0.
-- Universe = the destination type before the return (8.8 "Universe"): ExitTo 400-499 -> 2, 100-399 -> 3,
-- below 100 -> 4.
--   8.8 rows 18-22, 63-66 by ExitFrom; 8.10 rows 24-35 by SystemPath (SystemPath = tlsa_Exit.SystemPath) and row
--   36 for SystemPath 1-12 (SystemPath -1); 8.11 rows 101-136 by ExitTo: parent populations only.
--   8.9 row 23: every population and subpopulation except subpopulations 21 and 22 (8.3).
INSERT INTO calc8_Sums (Cohort, Universe, ReportRow, SystemPath, PopID, HHType, Total, N)
SELECT ex.Cohort, CASE WHEN ex.ExitTo BETWEEN 400 AND 499 THEN 2 WHEN ex.ExitTo BETWEEN 100 AND 399 THEN 3 ELSE 4 END,
       v.ReportRow, v.SystemPath, ap.PopID, ex.HHType, sum(ex.ReturnTime), count(*)
FROM tlsa_Exit ex
JOIN tlsa_AveragePops ap ON ap.Cohort = ex.Cohort AND ap.HoHID = ex.HoHID AND ap.HHType = ex.HHType
JOIN calc8_PopKind k ON k.PopID = ap.PopID
CROSS JOIN LATERAL (VALUES
    -- 8.8 by the project type exited from
    (CASE ex.ExitFrom WHEN 2 THEN 18 WHEN 3 THEN 19 WHEN 4 THEN 20 WHEN 5 THEN 21 WHEN 6 THEN 22
                      WHEN 7 THEN 63 WHEN 8 THEN 64 WHEN 9 THEN 65 WHEN 10 THEN 66 END, -1, NOT k.IsSub),
    -- 8.9 by population
    (23, -1, k.InRow23),
    -- 8.10 by system path
    (CASE WHEN ex.SystemPath BETWEEN 1 AND 12 THEN 23 + ex.SystemPath END, ex.SystemPath, NOT k.IsSub),
    (36, -1, NOT k.IsSub AND ex.SystemPath BETWEEN 1 AND 12),
    -- 8.11 by exit destination
    (CASE ex.ExitTo
        WHEN 101 THEN 101 WHEN 116 THEN 102 WHEN 118 THEN 103 WHEN 204 THEN 104 WHEN 205 THEN 105
        WHEN 206 THEN 106 WHEN 207 THEN 107 WHEN 215 THEN 108 WHEN 225 THEN 109 WHEN 302 THEN 110
        WHEN 312 THEN 111 WHEN 313 THEN 112 WHEN 314 THEN 113 WHEN 327 THEN 114 WHEN 329 THEN 115
        WHEN 332 THEN 116 WHEN 410 THEN 117 WHEN 411 THEN 118 WHEN 419 THEN 119 WHEN 420 THEN 120
        WHEN 421 THEN 121 WHEN 422 THEN 122 WHEN 423 THEN 123 WHEN 426 THEN 124 WHEN 428 THEN 125
        WHEN 431 THEN 126 WHEN 433 THEN 127 WHEN 434 THEN 128 WHEN 436 THEN 129 WHEN 437 THEN 130
        WHEN 438 THEN 131 WHEN 439 THEN 132 WHEN 440 THEN 133 WHEN 24 THEN 134 WHEN 98 THEN 135
        WHEN 99 THEN 136 END, -1, NOT k.IsSub)
) AS v(ReportRow, SystemPath, Included)
WHERE (SELECT LSAScope FROM lsa_Report) <> 3 AND ex.Cohort IN (-2, -1, 0) AND ex.ReturnTime > 0 AND v.Included
    AND v.ReportRow IS NOT NULL
GROUP BY ex.Cohort, CASE WHEN ex.ExitTo BETWEEN 400 AND 499 THEN 2 WHEN ex.ExitTo BETWEEN 100 AND 399 THEN 3 ELSE 4 END,
         v.ReportRow, v.SystemPath, ap.PopID, ex.HHType;

-- Value = the average of the values > 0, rounded to the nearest whole number (8.4 "ReportRow and Value"), for
-- each household type the population is reported under (8.3): the record's own, and 0 (All) over all of them.
INSERT INTO lsa_Calculated (Value, Cohort, Universe, HHType, Population, SystemPath, ProjectID, ReportRow, ReportID)
SELECT round(s.Total / s.N)::int, s.Cohort, s.Universe, s.HHType, s.PopID, s.SystemPath, NULL, s.ReportRow,
       (SELECT ReportID FROM lsa_Report)
FROM calc8_Sums s
WHERE EXISTS (SELECT 1 FROM ref_AveragePops rp WHERE rp.PopID = s.PopID AND rp.HHType = s.HHType)
UNION ALL
SELECT round(sum(s.Total) / sum(s.N))::int, s.Cohort, s.Universe, 0, s.PopID, s.SystemPath, NULL, s.ReportRow,
       (SELECT ReportID FROM lsa_Report)
FROM calc8_Sums s
WHERE EXISTS (SELECT 1 FROM ref_AveragePops rp WHERE rp.PopID = s.PopID AND rp.HHType = 0)
GROUP BY s.Cohort, s.Universe, s.PopID, s.SystemPath, s.ReportRow;
