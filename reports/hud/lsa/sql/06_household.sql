-- LSA section 6: LSAHousehold (HUD LSA Programming Specifications, "06 - LSAHousehold.md").
-- Reads tlsa_HHID / tlsa_Enrollment (section 3, 5.1-5.2, 5.12), tlsa_Person (section 5), lsa_ProjectCoC
-- (section 4), hmis_Enrollment and hmis_Services; creates tlsa_Household, sys_Time, sys_TimePadded
-- ("LSA Temporary and Reference Tables") and the output table lsa_Household (LSAHousehold.csv, 67 columns
-- in HUD's order). Day counts are kept as actual days in tlsa_Household (section 8 averages them) and
-- grouped into HUD's ranges only in lsa_Household (6.19).
-- Helper tables of this step only are prefixed lsa6_ (they are not HUD tables).

DROP TABLE IF EXISTS tlsa_Household;
CREATE TEMP TABLE tlsa_Household (
    HoHID varchar(32) NOT NULL,
    HHType int NOT NULL,
    FirstEntry date,
    LastInactive date,
    Stat int,
    StatEnrollmentID varchar(32),
    ReturnTime int,
    HHChronic int,
    HHVet int,
    HHDisability int,
    HHFleeingDV int,
    HoHRaceEthnicity int,
    HHAdult int,
    HHChild int,
    HHNoDOB int,
    HHAdultAge int,
    HHParent int,
    ESTStatus int, ESTGeography int, ESTLivingSit int, ESTDestination int,
    ESTChronic int, ESTVet int, ESTDisability int, ESTFleeingDV int, ESTAC3Plus int, ESTAdultAge int, ESTParent int,
    RRHStatus int, RRHMoveIn int, RRHGeography int, RRHLivingSit int, RRHDestination int, RRHPreMoveInDays int,
    RRHChronic int, RRHVet int, RRHDisability int, RRHFleeingDV int, RRHAC3Plus int, RRHAdultAge int, RRHParent int,
    PSHStatus int, PSHMoveIn int, PSHGeography int, PSHLivingSit int, PSHDestination int, PSHHousedDays int,
    PSHChronic int, PSHVet int, PSHDisability int, PSHFleeingDV int, PSHAC3Plus int, PSHAdultAge int, PSHParent int,
    ESDays int, THDays int, ESTDays int, RRHPSHPreMoveInDays int, RRHHousedDays int, SystemDaysNotPSHHoused int,
    SystemHomelessDays int, Other3917Days int, TotalHomelessDays int,
    SystemPath int,
    ESTAIR int, RRHAIR int, PSHAIR int,
    RRHSOStatus int, RRHSOMoveIn int,
    ReportID int,
    Step varchar(10),
    PRIMARY KEY (HoHID, HHType)
);

DROP TABLE IF EXISTS sys_Time;
CREATE TEMP TABLE sys_Time (
    HoHID varchar(32) NOT NULL,
    HHType int NOT NULL,
    sysDate date NOT NULL,
    sysStatus int NOT NULL,
    Step varchar(10)
    -- 6.11: "no date can be counted with more than one status for any given LSA household": the INSERT that
    -- fills it groups by HoHID, HHType, sysDate. It holds the dates of households whose periods of system
    -- use overlap only (see lsa6_Overlap below).
);

DROP TABLE IF EXISTS sys_TimePadded;
CREATE TEMP TABLE sys_TimePadded (
    HoHID varchar(32) NOT NULL,
    HHType int NOT NULL,
    Cohort int,
    StartDate date NOT NULL,
    EndDate date NOT NULL,
    Step varchar(10)
);

DROP TABLE IF EXISTS lsa_Household;
CREATE TEMP TABLE lsa_Household (
    RowTotal int NOT NULL, Stat int NOT NULL, ReturnTime int NOT NULL, HHType int NOT NULL, HHChronic int NOT NULL,
    HHVet int NOT NULL, HHDisability int NOT NULL, HHFleeingDV int NOT NULL, HoHRaceEthnicity int NOT NULL,
    HHAdult int NOT NULL, HHChild int NOT NULL, HHNoDOB int NOT NULL, HHAdultAge int NOT NULL, HHParent int NOT NULL,
    ESTStatus int NOT NULL, ESTGeography int NOT NULL, ESTLivingSit int NOT NULL, ESTDestination int NOT NULL,
    ESTChronic int NOT NULL, ESTVet int NOT NULL, ESTDisability int NOT NULL, ESTFleeingDV int NOT NULL,
    ESTAC3Plus int NOT NULL, ESTAdultAge int NOT NULL, ESTParent int NOT NULL,
    RRHStatus int NOT NULL, RRHMoveIn int NOT NULL, RRHGeography int NOT NULL, RRHLivingSit int NOT NULL,
    RRHDestination int NOT NULL, RRHPreMoveInDays int NOT NULL,
    RRHChronic int NOT NULL, RRHVet int NOT NULL, RRHDisability int NOT NULL, RRHFleeingDV int NOT NULL,
    RRHAC3Plus int NOT NULL, RRHAdultAge int NOT NULL, RRHParent int NOT NULL,
    PSHStatus int NOT NULL, PSHMoveIn int NOT NULL, PSHGeography int NOT NULL, PSHLivingSit int NOT NULL,
    PSHDestination int NOT NULL, PSHHousedDays int NOT NULL,
    PSHChronic int NOT NULL, PSHVet int NOT NULL, PSHDisability int NOT NULL, PSHFleeingDV int NOT NULL,
    PSHAC3Plus int NOT NULL, PSHAdultAge int NOT NULL, PSHParent int NOT NULL,
    ESDays int NOT NULL, THDays int NOT NULL, ESTDays int NOT NULL, RRHPSHPreMoveInDays int NOT NULL,
    RRHHousedDays int NOT NULL, SystemDaysNotPSHHoused int NOT NULL, SystemHomelessDays int NOT NULL,
    Other3917Days int NOT NULL, TotalHomelessDays int NOT NULL, SystemPath int NOT NULL,
    ESTAIR int NOT NULL, RRHAIR int NOT NULL, PSHAIR int NOT NULL, RRHSOStatus int NOT NULL, RRHSOMoveIn int NOT NULL,
    ReportID int NOT NULL
);

-- 6.19: the upload ranges for counts of days ("System Use/Homeless Days" table).
CREATE OR REPLACE FUNCTION pg_temp.lsa6_days(days int) RETURNS int LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN days IS NULL OR days <= 0 THEN 0
                WHEN days <= 7 THEN 7 WHEN days <= 30 THEN 30 WHEN days <= 60 THEN 60 WHEN days <= 90 THEN 90
                WHEN days <= 180 THEN 180 WHEN days <= 365 THEN 365 WHEN days <= 547 THEN 547
                WHEN days <= 730 THEN 730 WHEN days <= 1094 THEN 1094 ELSE 1095 END
$fn$;

-- Joins below look households up in tlsa_HHID by HoHID and household type.
CREATE INDEX IF NOT EXISTS tlsa_hhid_lsa6_hoh ON tlsa_HHID (HoHID, ActiveHHType);
ANALYZE tlsa_HHID;

-- 6.1 Get Distinct Households: one record per HoHID and ActiveHHType of an active HouseholdID.
-- Section 6 is required only if LSAScope <> 3 (HIC): a HIC run leaves every table of this step empty.
INSERT INTO tlsa_Household (HoHID, HHType, ReportID, Step)
SELECT DISTINCT h.HoHID, h.ActiveHHType, r.ReportID, '6.1'
FROM tlsa_HHID h
CROSS JOIN lsa_Report r
WHERE h.Active AND r.LSAScope <> 3 AND h.HoHID IS NOT NULL AND h.ActiveHHType IS NOT NULL
  AND h.EntryDate <= r.ReportEnd;

ANALYZE tlsa_Household;

-- 6.2 Population identifiers from every active HouseholdID of the HoHID / HHType.
-- HHChronic: first of 1,2,3,4,5,6,9 found, else 0 (the priority order is ascending apart from 0).
-- HHFleeingDV: first of 1,2 found, else 0. HHAdultAge: first of 18,24,55,25 found, else -1.
UPDATE tlsa_Household hh
SET HHChronic = a.HHChronic, HHVet = a.HHVet, HHDisability = a.HHDisability, HHFleeingDV = a.HHFleeingDV,
    HHParent = a.HHParent, HHAdultAge = a.HHAdultAge, FirstEntry = a.FirstEntry, Step = '6.2'
FROM (
    SELECT h.HoHID, h.ActiveHHType AS HHType,
           COALESCE(min(NULLIF(h.HHChronic, 0)), 0) AS HHChronic,
           COALESCE(max(h.HHVet), 0) AS HHVet,
           COALESCE(max(h.HHDisability), 0) AS HHDisability,
           COALESCE(min(NULLIF(h.HHFleeingDV, 0)), 0) AS HHFleeingDV,
           COALESCE(max(h.HHParent), 0) AS HHParent,
           CASE WHEN bool_or(h.HHAdultAge = 18) THEN 18 WHEN bool_or(h.HHAdultAge = 24) THEN 24
                WHEN bool_or(h.HHAdultAge = 55) THEN 55 WHEN bool_or(h.HHAdultAge = 25) THEN 25 ELSE -1 END
               AS HHAdultAge,
           -- 6.9 FirstEntry: the earliest EntryDate of any active enrollment
           min(h.EntryDate) AS FirstEntry
    FROM tlsa_HHID h
    CROSS JOIN lsa_Report r
    WHERE h.Active AND h.EntryDate <= r.ReportEnd
    GROUP BY h.HoHID, h.ActiveHHType
) a
WHERE a.HoHID = hh.HoHID AND a.HHType = hh.HHType;

-- 6.2 HHAdult / HHChild / HHNoDOB (each up to 3), from the active members (tlsa_Enrollment) of the
-- household's active HouseholdIDs. HHAdult counts people whose ActiveAge is an adult age (18-65) on EVERY
-- associated active enrollment (the spec's "between 21 and 65" names the LSA age groups 21..65, all adult);
-- anyone also served as a child (ActiveAge < 18) is a child. HHNoDOB: ActiveAge 98 or 99 on any.
UPDATE tlsa_Household hh
SET HHAdult = LEAST(m.adults, 3), HHChild = LEAST(m.children, 3), HHNoDOB = LEAST(m.nodob, 3)
FROM (
    SELECT p.HoHID, p.HHType,
           count(*) FILTER (WHERE p.adult AND NOT p.child) AS adults,
           count(*) FILTER (WHERE p.child) AS children,
           count(*) FILTER (WHERE p.nodob) AS nodob
    FROM (
        SELECT h.HoHID, h.ActiveHHType AS HHType, n.PersonalID,
               bool_and(n.ActiveAge BETWEEN 18 AND 65) AS adult,
               bool_or(n.ActiveAge < 18) AS child,
               bool_or(n.ActiveAge IN (98, 99)) AS nodob
        FROM tlsa_HHID h
        JOIN tlsa_Enrollment n ON n.HouseholdID = h.HouseholdID AND n.Active
        WHERE h.Active
        GROUP BY h.HoHID, h.ActiveHHType, n.PersonalID
    ) p
    GROUP BY p.HoHID, p.HHType
) m
WHERE m.HoHID = hh.HoHID AND m.HHType = hh.HHType;

UPDATE tlsa_Household SET HHAdult = COALESCE(HHAdult, 0), HHChild = COALESCE(HHChild, 0),
                          HHNoDOB = COALESCE(HHNoDOB, 0);

-- 6.2 HoHRaceEthnicity: the head of household's RaceEthnicity in tlsa_Person.
UPDATE tlsa_Household hh SET HoHRaceEthnicity = p.RaceEthnicity
FROM tlsa_Person p WHERE p.PersonalID = hh.HoHID;

-- 6.3-6.8, 6.17: one row per household and project group (EST = LSAProjectType 0,1,2,8; RRH = 13;
-- PSH = 3; RRHSO = 15) from the household's active HouseholdIDs in the group.
DROP TABLE IF EXISTS lsa6_Group;
CREATE TEMP TABLE lsa6_Group AS
SELECT h.HoHID, h.ActiveHHType AS HHType, g.grp,
       -- 6.3 xStatus: 10 / 20 = earliest entry before / on or after ReportStart; + 1 = any enrollment without
       -- an exit at ReportEnd, + 2 = all exited (the latest ExitDate is in the report period)
       CASE WHEN min(h.EntryDate) < r.ReportStart THEN 10 ELSE 20 END
         + CASE WHEN bool_or(h.ExitDate IS NULL OR h.ExitDate > r.ReportEnd) THEN 1 ELSE 2 END AS Status,
       -- 6.4 xMoveIn from the most recent MoveInDate: none 0, in the report period 1, before it 2
       CASE WHEN max(h.MoveInDate) IS NULL THEN 0 WHEN max(h.MoveInDate) >= r.ReportStart THEN 1 ELSE 2 END AS MoveIn,
       -- 6.8 group population identifiers (Chronic is 1 only for HHChronic = 1)
       CASE WHEN bool_or(h.HHChronic = 1) THEN 1 ELSE 0 END AS Chronic,
       COALESCE(max(h.HHVet), 0) AS Vet,
       COALESCE(max(h.HHDisability), 0) AS Disability,
       COALESCE(min(NULLIF(h.HHFleeingDV, 0)), 0) AS FleeingDV,
       CASE WHEN bool_or(h.ActiveHHType = 2 AND h.AC3Plus = 1) THEN 1 ELSE 0 END AS AC3Plus,
       CASE WHEN bool_or(h.HHAdultAge = 18) THEN 18 WHEN bool_or(h.HHAdultAge = 24) THEN 24
            WHEN bool_or(h.HHAdultAge = 55) THEN 55 WHEN bool_or(h.HHAdultAge = 25) THEN 25 ELSE -1 END AS AdultAge,
       COALESCE(max(h.HHParent), 0) AS Parent,
       -- 6.17 xAIR: any tlsa_HHID.AIR in the group (the spec reads tlsa_HHID.AIR; HUD's sample code reads the
       -- HoH's tlsa_Enrollment.AIR - the spec is followed)
       CASE WHEN bool_or(h.AIR) THEN 1 ELSE 0 END AS AIR,
       NULL::int AS Geography, NULL::int AS LivingSit, NULL::int AS Destination
FROM tlsa_HHID h
CROSS JOIN lsa_Report r
CROSS JOIN LATERAL (
    SELECT CASE WHEN h.LSAProjectType IN (0, 1, 2, 8) THEN 'EST' WHEN h.LSAProjectType = 13 THEN 'RRH'
                WHEN h.LSAProjectType = 3 THEN 'PSH' WHEN h.LSAProjectType = 15 THEN 'RRHSO' END AS grp
) g
WHERE h.Active AND h.EntryDate <= r.ReportEnd AND g.grp IS NOT NULL
GROUP BY h.HoHID, h.ActiveHHType, g.grp, r.ReportStart, r.ReportEnd;

CREATE INDEX ON lsa6_Group (HoHID, HHType, grp);

-- 6.5 xGeography: GeographyType of the project of the group's active enrollment with the latest active date
-- in the report period (ties: the latest EntryDate). A project without a GeographyType reads 99, as HUD's
-- sample code does. Where lsa_ProjectCoC has several CoCs for a project, the report's CoC is used.
UPDATE lsa6_Group g SET Geography = x.Geography
FROM (
    SELECT DISTINCT ON (h.HoHID, h.ActiveHHType, grp.grp)
           h.HoHID, h.ActiveHHType AS HHType, grp.grp, COALESCE(c.GeographyType, 99) AS Geography
    FROM tlsa_HHID h
    CROSS JOIN lsa_Report r
    CROSS JOIN LATERAL (
        SELECT CASE WHEN h.LSAProjectType IN (0, 1, 2, 8) THEN 'EST' WHEN h.LSAProjectType = 13 THEN 'RRH'
                    WHEN h.LSAProjectType = 3 THEN 'PSH' END AS grp
    ) grp
    LEFT JOIN LATERAL (
        SELECT pc.GeographyType FROM lsa_ProjectCoC pc WHERE pc.ProjectID = h.ProjectID
        ORDER BY (pc.CoCCode = r.ReportCoC) DESC LIMIT 1
    ) c ON true
    WHERE h.Active AND h.EntryDate <= r.ReportEnd AND grp.grp IS NOT NULL
    ORDER BY h.HoHID, h.ActiveHHType, grp.grp, LEAST(COALESCE(h.ExitDate, r.ReportEnd), r.ReportEnd) DESC,
             h.EntryDate DESC
) x
WHERE x.HoHID = g.HoHID AND x.HHType = g.HHType AND x.grp = g.grp;

-- 6.6 xLivingSit: LivingSituation / RentalSubsidyType of the group's active enrollment with the earliest
-- EntryDate. ESTLivingSit is 99 where tlsa_HHID.EntryDate differs from hmis_Enrollment.EntryDate (a
-- night-by-night entry moved to the first bed night); the spec says so for EST only.
UPDATE lsa6_Group g SET LivingSit = x.LivingSit
FROM (
    SELECT DISTINCT ON (h.HoHID, h.ActiveHHType, grp.grp)
           h.HoHID, h.ActiveHHType AS HHType, grp.grp,
           CASE WHEN grp.grp = 'EST' AND h.EntryDate IS DISTINCT FROM e.EntryDate THEN 99
                WHEN e.LivingSituation IN (8, 9) THEN 98
                WHEN e.LivingSituation IS NULL OR e.LivingSituation = 99 THEN 99
                WHEN e.LivingSituation = 435 THEN COALESCE(e.RentalSubsidyType, 99)
                ELSE e.LivingSituation END AS LivingSit
    FROM tlsa_HHID h
    CROSS JOIN lsa_Report r
    CROSS JOIN LATERAL (
        SELECT CASE WHEN h.LSAProjectType IN (0, 1, 2, 8) THEN 'EST' WHEN h.LSAProjectType = 13 THEN 'RRH'
                    WHEN h.LSAProjectType = 3 THEN 'PSH' END AS grp
    ) grp
    LEFT JOIN hmis_Enrollment e ON e.EnrollmentID = h.EnrollmentID
    WHERE h.Active AND h.EntryDate <= r.ReportEnd AND grp.grp IS NOT NULL
    ORDER BY h.HoHID, h.ActiveHHType, grp.grp, h.EntryDate, h.EnrollmentID
) x
WHERE x.HoHID = g.HoHID AND x.HHType = g.HHType AND x.grp = g.grp;

-- 6.7 xDestination: ExitDest (3.3) of the group's active enrollment with the most recent ExitDate; used only
-- when xStatus is 12 or 22 (every group enrollment exited in the report period).
UPDATE lsa6_Group g SET Destination = x.ExitDest
FROM (
    SELECT DISTINCT ON (h.HoHID, h.ActiveHHType, grp.grp)
           h.HoHID, h.ActiveHHType AS HHType, grp.grp, h.ExitDest
    FROM tlsa_HHID h
    CROSS JOIN lsa_Report r
    CROSS JOIN LATERAL (
        SELECT CASE WHEN h.LSAProjectType IN (0, 1, 2, 8) THEN 'EST' WHEN h.LSAProjectType = 13 THEN 'RRH'
                    WHEN h.LSAProjectType = 3 THEN 'PSH' END AS grp
    ) grp
    WHERE h.Active AND h.EntryDate <= r.ReportEnd AND grp.grp IS NOT NULL AND h.ExitDate IS NOT NULL
    ORDER BY h.HoHID, h.ActiveHHType, grp.grp, h.ExitDate DESC, h.EntryDate DESC
) x
WHERE x.HoHID = g.HoHID AND x.HHType = g.HHType AND x.grp = g.grp;

-- 6.3-6.8, 6.17 defaults for a group the household was not served in: status 0, the -1 "not applicable"
-- values, population identifiers 0, AdultAge -1.
UPDATE tlsa_Household SET
    ESTStatus = 0, ESTGeography = -1, ESTLivingSit = -1, ESTDestination = -1, ESTChronic = 0, ESTVet = 0,
    ESTDisability = 0, ESTFleeingDV = 0, ESTAC3Plus = 0, ESTAdultAge = -1, ESTParent = 0, ESTAIR = 0,
    RRHStatus = 0, RRHMoveIn = -1, RRHGeography = -1, RRHLivingSit = -1, RRHDestination = -1, RRHChronic = 0,
    RRHVet = 0, RRHDisability = 0, RRHFleeingDV = 0, RRHAC3Plus = 0, RRHAdultAge = -1, RRHParent = 0, RRHAIR = 0,
    PSHStatus = 0, PSHMoveIn = -1, PSHGeography = -1, PSHLivingSit = -1, PSHDestination = -1, PSHChronic = 0,
    PSHVet = 0, PSHDisability = 0, PSHFleeingDV = 0, PSHAC3Plus = 0, PSHAdultAge = -1, PSHParent = 0, PSHAIR = 0,
    RRHSOStatus = 0, RRHSOMoveIn = -1;

-- 6.8 xAC3Plus only for AC households with 3+ children (HHType = 2 and HHChild = 3).
UPDATE tlsa_Household hh SET
    ESTStatus = g.Status, ESTGeography = g.Geography, ESTLivingSit = g.LivingSit,
    ESTDestination = CASE WHEN g.Status IN (12, 22) THEN g.Destination ELSE -1 END,
    ESTChronic = g.Chronic, ESTVet = g.Vet, ESTDisability = g.Disability, ESTFleeingDV = g.FleeingDV,
    ESTAC3Plus = CASE WHEN hh.HHType = 2 AND hh.HHChild = 3 THEN g.AC3Plus ELSE 0 END,
    ESTAdultAge = g.AdultAge, ESTParent = g.Parent, ESTAIR = g.AIR
FROM lsa6_Group g WHERE g.grp = 'EST' AND g.HoHID = hh.HoHID AND g.HHType = hh.HHType;

UPDATE tlsa_Household hh SET
    RRHStatus = g.Status, RRHMoveIn = g.MoveIn, RRHGeography = g.Geography, RRHLivingSit = g.LivingSit,
    RRHDestination = CASE WHEN g.Status IN (12, 22) THEN g.Destination ELSE -1 END,
    RRHChronic = g.Chronic, RRHVet = g.Vet, RRHDisability = g.Disability, RRHFleeingDV = g.FleeingDV,
    RRHAC3Plus = CASE WHEN hh.HHType = 2 AND hh.HHChild = 3 THEN g.AC3Plus ELSE 0 END,
    RRHAdultAge = g.AdultAge, RRHParent = g.Parent, RRHAIR = g.AIR
FROM lsa6_Group g WHERE g.grp = 'RRH' AND g.HoHID = hh.HoHID AND g.HHType = hh.HHType;

UPDATE tlsa_Household hh SET
    PSHStatus = g.Status, PSHMoveIn = g.MoveIn, PSHGeography = g.Geography, PSHLivingSit = g.LivingSit,
    PSHDestination = CASE WHEN g.Status IN (12, 22) THEN g.Destination ELSE -1 END,
    PSHChronic = g.Chronic, PSHVet = g.Vet, PSHDisability = g.Disability, PSHFleeingDV = g.FleeingDV,
    PSHAC3Plus = CASE WHEN hh.HHType = 2 AND hh.HHChild = 3 THEN g.AC3Plus ELSE 0 END,
    PSHAdultAge = g.AdultAge, PSHParent = g.Parent, PSHAIR = g.AIR
FROM lsa6_Group g WHERE g.grp = 'PSH' AND g.HoHID = hh.HoHID AND g.HHType = hh.HHType;

-- 6.3 / 6.4 RRHSOStatus and RRHSOMoveIn (RRH services only, LSAProjectType 15).
UPDATE tlsa_Household hh SET RRHSOStatus = g.Status, RRHSOMoveIn = g.MoveIn
FROM lsa6_Group g WHERE g.grp = 'RRHSO' AND g.HoHID = hh.HoHID AND g.HHType = hh.HHType;

-- 6.9 StatEnrollmentID: the household's (same HoHID and ActiveHHType, active or not) enrollment with the most
-- recent ExitDate in [FirstEntry - 730 days, FirstEntry).
UPDATE tlsa_Household hh SET StatEnrollmentID = x.EnrollmentID
FROM (
    SELECT DISTINCT ON (hh2.HoHID, hh2.HHType) hh2.HoHID, hh2.HHType, p.EnrollmentID
    FROM tlsa_Household hh2
    JOIN tlsa_HHID p ON p.HoHID = hh2.HoHID AND p.ActiveHHType = hh2.HHType
    WHERE p.ExitDate >= hh2.FirstEntry - 730 AND p.ExitDate < hh2.FirstEntry
    ORDER BY hh2.HoHID, hh2.HHType, p.ExitDate DESC, p.EntryDate DESC, p.EnrollmentID
) x
WHERE x.HoHID = hh.HoHID AND x.HHType = hh.HHType;

-- 6.9 Stat and ReturnTime. FirstEntry before ReportStart: 5 (continuous engagement). Otherwise no prior exit
-- in 730 days: 1 (first time); a prior exit less than 15 days before FirstEntry: 5; else 2 / 3 / 4 by the
-- prior exit's ExitDest (400-499 permanent, 100-399 temporary, other/unknown). ReturnTime is kept in actual
-- days here (-1 where Stat is 1 or 5) and grouped into HUD's ranges in 6.19.
UPDATE tlsa_Household hh SET
    Stat = CASE WHEN hh.FirstEntry < r.ReportStart THEN 5
                WHEN p.EnrollmentID IS NULL THEN 1
                WHEN hh.FirstEntry - p.ExitDate < 15 THEN 5
                WHEN p.ExitDest BETWEEN 400 AND 499 THEN 2
                WHEN p.ExitDest BETWEEN 100 AND 399 THEN 3
                ELSE 4 END,
    ReturnTime = CASE WHEN hh.FirstEntry < r.ReportStart OR p.EnrollmentID IS NULL
                           OR hh.FirstEntry - p.ExitDate < 15 THEN -1
                      ELSE hh.FirstEntry - p.ExitDate END,
    Step = '6.9'
FROM lsa_Report r
CROSS JOIN tlsa_Household h2
LEFT JOIN tlsa_HHID p ON p.EnrollmentID = h2.StatEnrollmentID
WHERE h2.HoHID = hh.HoHID AND h2.HHType = hh.HHType;

-- 6.10 RRHPreMoveInDays: distinct dates from EntryDate to the first non-NULL of (MoveInDate - 1 day),
-- ExitDate, ReportEnd for the household's active RRH (13) enrollments, whatever else the household used.
UPDATE tlsa_Household hh SET RRHPreMoveInDays = COALESCE(x.days, 0)
FROM (
    SELECT hh2.HoHID, hh2.HHType, count(DISTINCT h.EntryDate + k) AS days
    FROM tlsa_Household hh2
    JOIN tlsa_HHID h ON h.HoHID = hh2.HoHID AND h.ActiveHHType = hh2.HHType AND h.Active AND h.LSAProjectType = 13
    CROSS JOIN lsa_Report r
    CROSS JOIN LATERAL generate_series(0, LEAST(COALESCE(h.MoveInDate - 1, h.ExitDate, r.ReportEnd), r.ReportEnd)
                                          - h.EntryDate) k
    GROUP BY hh2.HoHID, hh2.HHType
) x
WHERE x.HoHID = hh.HoHID AND x.HHType = hh.HHType;

UPDATE tlsa_Household SET RRHPreMoveInDays = 0 WHERE RRHPreMoveInDays IS NULL;

-- 6.12 sys_TimePadded: each enrollment of the household (same HoHID / ActiveHHType, active or inactive,
-- not RRH-SO) from EntryDate to the earlier of ExitDate + 6 days and ReportEnd; a night-by-night ES
-- enrollment (LSAProjectType 1) by its valid bed nights (>= EntryDate, < ExitDate) between LookbackDate and
-- ReportEnd, each to the earlier of BedNightDate + 6 days and ReportEnd.
INSERT INTO sys_TimePadded (HoHID, HHType, Cohort, StartDate, EndDate, Step)
SELECT hh.HoHID, hh.HHType, 1, h.EntryDate, LEAST(COALESCE(h.ExitDate + 6, r.ReportEnd), r.ReportEnd), '6.12.a'
FROM tlsa_Household hh
JOIN tlsa_HHID h ON h.HoHID = hh.HoHID AND h.ActiveHHType = hh.HHType
CROSS JOIN lsa_Report r
WHERE h.LSAProjectType IN (0, 2, 3, 8, 13) AND h.EntryDate < hh.FirstEntry
UNION
SELECT hh.HoHID, hh.HHType, 1, s.DateProvided, LEAST(s.DateProvided + 6, r.ReportEnd), '6.12.b'
FROM tlsa_Household hh
JOIN tlsa_HHID h ON h.HoHID = hh.HoHID AND h.ActiveHHType = hh.HHType AND h.LSAProjectType = 1
CROSS JOIN lsa_Report r
JOIN hmis_Services s ON s.EnrollmentID = h.EnrollmentID AND s.RecordType = 200 AND s.DateDeleted IS NULL
    AND s.DateProvided >= h.EntryDate AND (h.ExitDate IS NULL OR s.DateProvided < h.ExitDate)
    AND s.DateProvided BETWEEN r.LookbackDate AND r.ReportEnd
WHERE s.DateProvided < hh.FirstEntry;

-- 6.12 LastInactive: the latest date before FirstEntry (and not before LookbackDate - 1 day) covered by no
-- padded period. Only periods starting before FirstEntry can cover such a date; merged into islands of
-- overlapping or adjacent periods, the last island either reaches FirstEntry - 1 (then LastInactive is the
-- day before it starts) or not (then FirstEntry - 1 itself is inactive).
UPDATE tlsa_Household hh SET
    LastInactive = GREATEST(
        CASE WHEN isl.IslandEnd >= hh.FirstEntry - 1 THEN isl.IslandStart - 1 ELSE hh.FirstEntry - 1 END,
        r.LookbackDate - 1),
    Step = '6.12'
FROM lsa_Report r
CROSS JOIN tlsa_Household h2
LEFT JOIN (
    SELECT DISTINCT ON (HoHID, HHType) HoHID, HHType, min(StartDate) AS IslandStart, max(EndDate) AS IslandEnd
    FROM (
        SELECT HoHID, HHType, StartDate, EndDate,
               count(*) FILTER (WHERE newIsland) OVER (PARTITION BY HoHID, HHType ORDER BY StartDate, EndDate)
                   AS island
        FROM (
            SELECT HoHID, HHType, StartDate, EndDate,
                   StartDate > max(EndDate) OVER (PARTITION BY HoHID, HHType ORDER BY StartDate, EndDate
                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                       IS NOT FALSE AS newIsland
            FROM sys_TimePadded
        ) marked
    ) numbered
    GROUP BY HoHID, HHType, island
    ORDER BY HoHID, HHType, island DESC
) isl ON isl.HoHID = h2.HoHID AND isl.HHType = h2.HHType
WHERE h2.HoHID = hh.HoHID AND h2.HHType = hh.HHType;


-- 6.14 Street / ES / SH dates from 3.917 for the household's enrollments (active with the same ActiveHHType,
-- or any with the same EntryHHType; not RRH-SO, which is no part of the system path) entered after
-- LastInactive with a DateToStreetESSH before EntryDate and: LivingSituation 101, 116 or 118; or an ES / SH
-- project (0, 1, 8); or LengthOfStay 10 / 11 with PreviousStreetESSH = 1; or an institution (204, 205, 206,
-- 207, 215, 225) with LengthOfStay 2 / 3 and PreviousStreetESSH = 1.
DROP TABLE IF EXISTS lsa6_3917;
CREATE TEMP TABLE lsa6_3917 AS
SELECT hh.HoHID, hh.HHType, e.DateToStreetESSH, h.EntryDate
FROM tlsa_Household hh
JOIN tlsa_HHID h ON h.HoHID = hh.HoHID
    AND ((h.Active AND h.ActiveHHType = hh.HHType) OR h.EntryHHType = hh.HHType)
JOIN hmis_Enrollment e ON e.EnrollmentID = h.EnrollmentID
WHERE h.LSAProjectType IN (0, 1, 2, 3, 8, 13) AND h.EntryDate > hh.LastInactive
  AND e.DateToStreetESSH < h.EntryDate
  AND (e.LivingSituation IN (101, 116, 118)
       OR h.LSAProjectType IN (0, 1, 8)
       OR (e.LengthOfStay IN (10, 11) AND e.PreviousStreetESSH = 1)
       OR (e.LivingSituation IN (204, 205, 206, 207, 215, 225) AND e.LengthOfStay IN (2, 3)
           AND e.PreviousStreetESSH = 1));


-- 6.14 / 6.15: plus the dates from the earliest such DateToStreetESSH to the day before LastInactive
-- (counted, not stored: they may precede LookbackDate).
UPDATE tlsa_Household hh SET Other3917Days = hh.LastInactive - x.earliest
FROM (SELECT HoHID, HHType, min(DateToStreetESSH) AS earliest FROM lsa6_3917 GROUP BY HoHID, HHType) x
WHERE x.HoHID = hh.HoHID AND x.HHType = hh.HHType AND x.earliest < hh.LastInactive;


-- 6.11, 6.13, 6.14 sys_Time: one status per household and date, the lowest (highest-priority) status that
-- any of the criteria below gives the date. 6.12 LastInactive is computed first: it reads only tlsa_HHID and
-- bed nights, not sys_Time. The criteria are periods of dates (lsa6_Interval, inclusive start and end):
-- 1 / 2 (6.11) housed in PSH / RRH, active enrollments only: MoveInDate to the day before ExitDate (or
--   ReportEnd); an RRH MoveInDate counts as housed even when it equals the ExitDate (6.11, 3.3). Dates from
--   LookbackDate on, as HUD's sample code (tlsa_HHID holds enrollments from the lookback on).
-- 3 / 4 (6.13) after LastInactive, any enrollment of the household (active or inactive): TH (2) / entry-exit
--   ES and SH (0, 8) from EntryDate to ExitDate - 1 day (or ReportEnd); night-by-night ES (1) on each valid
--   BedNightDate (>= EntryDate, < ExitDate).
-- 5 / 6 (6.13) after LastInactive, enrolled but not housed in PSH (3) / RRH (13): EntryDate to the day before
--   MoveInDate, or without a MoveInDate to ExitDate - 1 day (or ReportEnd).
-- 7 (6.14) Street / ES / SH from 3.917 (lsa6_3917): the later of DateToStreetESSH and LastInactive to the day
--   before EntryDate.
-- All dates <= ReportEnd.
DROP TABLE IF EXISTS lsa6_Interval;
CREATE TEMP TABLE lsa6_Interval AS
SELECT hh.HoHID, hh.HHType, b.s, b.e, b.status
FROM tlsa_Household hh
JOIN tlsa_HHID h ON h.HoHID = hh.HoHID AND h.ActiveHHType = hh.HHType
CROSS JOIN lsa_Report r
CROSS JOIN LATERAL (
    SELECT GREATEST(h.MoveInDate, r.LookbackDate) AS s,
           CASE WHEN h.LSAProjectType = 13 AND h.ExitDate = h.MoveInDate THEN h.MoveInDate
                ELSE LEAST(COALESCE(h.ExitDate - 1, r.ReportEnd), r.ReportEnd) END AS e,
           CASE WHEN h.LSAProjectType = 3 THEN 1 ELSE 2 END AS status
    WHERE h.Active AND h.LSAProjectType IN (3, 13) AND h.MoveInDate IS NOT NULL
    UNION ALL
    SELECT GREATEST(h.EntryDate, hh.LastInactive + 1), LEAST(COALESCE(h.ExitDate - 1, r.ReportEnd), r.ReportEnd),
           CASE WHEN h.LSAProjectType = 2 THEN 3 ELSE 4 END
    WHERE h.LSAProjectType IN (0, 2, 8)
    UNION ALL
    SELECT GREATEST(h.EntryDate, hh.LastInactive + 1),
           LEAST(COALESCE(h.MoveInDate - 1, h.ExitDate - 1, r.ReportEnd), r.ReportEnd),
           CASE WHEN h.LSAProjectType = 3 THEN 5 ELSE 6 END
    WHERE h.LSAProjectType IN (3, 13)
) b
WHERE b.e >= b.s
UNION ALL
SELECT hh.HoHID, hh.HHType, s.DateProvided, s.DateProvided, 4
FROM tlsa_Household hh
JOIN tlsa_HHID h ON h.HoHID = hh.HoHID AND h.ActiveHHType = hh.HHType AND h.LSAProjectType = 1
CROSS JOIN lsa_Report r
JOIN hmis_Services s ON s.EnrollmentID = h.EnrollmentID AND s.RecordType = 200 AND s.DateDeleted IS NULL
    AND s.DateProvided >= h.EntryDate AND (h.ExitDate IS NULL OR s.DateProvided < h.ExitDate)
WHERE s.DateProvided > hh.LastInactive AND s.DateProvided <= r.ReportEnd
UNION ALL
SELECT o.HoHID, o.HHType, GREATEST(o.DateToStreetESSH, hh.LastInactive), LEAST(o.EntryDate - 1, r.ReportEnd), 7
FROM lsa6_3917 o
JOIN tlsa_Household hh ON hh.HoHID = o.HoHID AND hh.HHType = o.HHType
CROSS JOIN lsa_Report r
WHERE LEAST(o.EntryDate - 1, r.ReportEnd) >= GREATEST(o.DateToStreetESSH, hh.LastInactive);

-- Performance: a household whose periods do not overlap has one status per date already, and its day counts
-- are the lengths of its periods. Only households with overlapping periods (lsa6_Overlap) are resolved date
-- by date in sys_Time, so sys_Time holds the dates of those households only (expanding every household's
-- dates took minutes per 100,000 households).
DROP TABLE IF EXISTS lsa6_Overlap;
CREATE TEMP TABLE lsa6_Overlap AS
SELECT DISTINCT HoHID, HHType
FROM (
    SELECT HoHID, HHType, s,
           max(e) OVER (PARTITION BY HoHID, HHType ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS earlierEnd
    FROM lsa6_Interval
) x
WHERE s <= earlierEnd;

CREATE INDEX ON lsa6_Overlap (HoHID, HHType);
ANALYZE lsa6_Overlap;

INSERT INTO sys_Time (HoHID, HHType, sysDate, sysStatus, Step)
SELECT i.HoHID, i.HHType, i.s + k, min(i.status),
       CASE min(i.status) WHEN 1 THEN '6.11' WHEN 2 THEN '6.11' WHEN 7 THEN '6.14' ELSE '6.13' END
FROM lsa6_Interval i
JOIN lsa6_Overlap o ON o.HoHID = i.HoHID AND o.HHType = i.HHType
CROSS JOIN LATERAL generate_series(0, i.e - i.s) k
GROUP BY i.HoHID, i.HHType, i.s + k;

ANALYZE sys_Time;

-- 6.15 System use days: actual counts of dates by status, from sys_Time for households with overlapping
-- periods and from the periods' lengths for the others. Every count is 0, never NULL, where a household has
-- no date of that status: the sums below add them, and one NULL term made the whole sum NULL (a household
-- never housed in RRH got SystemDaysNotPSHHoused 0 below its SystemHomelessDays, HDX flag 516).
-- HUD's definitions, each a count of distinct dates by sysStatus: ESDays 4, THDays 3, ESTDays 3-4,
-- RRHPSHPreMoveInDays 5-6, RRHHousedDays 2, PSHHousedDays 1, SystemHomelessDays 3-6 (= ESTDays +
-- RRHPSHPreMoveInDays), SystemDaysNotPSHHoused 2-6 (= SystemHomelessDays + RRHHousedDays), Other3917Days 7 plus
-- the 3.917 dates before LastInactive (6.14), TotalHomelessDays = SystemHomelessDays + Other3917Days.
DROP TABLE IF EXISTS lsa6_Days;
CREATE TEMP TABLE lsa6_Days AS
SELECT HoHID, HHType,
       COALESCE(sum(days) FILTER (WHERE status = 1), 0) AS pshhoused,
       COALESCE(sum(days) FILTER (WHERE status = 2), 0) AS rrhhoused,
       COALESCE(sum(days) FILTER (WHERE status = 3), 0) AS th,
       COALESCE(sum(days) FILTER (WHERE status = 4), 0) AS es,
       COALESCE(sum(days) FILTER (WHERE status = 5), 0) AS pshpremovein,
       COALESCE(sum(days) FILTER (WHERE status = 6), 0) AS rrhpremovein,
       COALESCE(sum(days) FILTER (WHERE status = 7), 0) AS street
FROM (
    SELECT HoHID, HHType, sysStatus AS status, count(*) AS days FROM sys_Time GROUP BY HoHID, HHType, sysStatus
    UNION ALL
    SELECT i.HoHID, i.HHType, i.status, sum(i.e - i.s + 1)
    FROM lsa6_Interval i
    WHERE NOT EXISTS (SELECT 1 FROM lsa6_Overlap o WHERE o.HoHID = i.HoHID AND o.HHType = i.HHType)
    GROUP BY i.HoHID, i.HHType, i.status
) d
GROUP BY HoHID, HHType;

UPDATE tlsa_Household hh SET
    -- (the COALESCEs outside the sums are for a household with no row in lsa6_Days at all)
    ESDays = COALESCE(c.es, 0), THDays = COALESCE(c.th, 0), ESTDays = COALESCE(c.es + c.th, 0),
    RRHPSHPreMoveInDays = COALESCE(c.pshpremovein + c.rrhpremovein, 0), RRHHousedDays = COALESCE(c.rrhhoused, 0),
    SystemDaysNotPSHHoused = COALESCE(c.es + c.th + c.pshpremovein + c.rrhpremovein + c.rrhhoused, 0),
    SystemHomelessDays = COALESCE(c.es + c.th + c.pshpremovein + c.rrhpremovein, 0),
    Other3917Days = COALESCE(hh.Other3917Days, 0) + COALESCE(c.street, 0),
    TotalHomelessDays = COALESCE(c.es + c.th + c.pshpremovein + c.rrhpremovein, 0) + COALESCE(hh.Other3917Days, 0)
                        + COALESCE(c.street, 0),
    PSHHousedDays = COALESCE(c.pshhoused, 0),
    -- 6.16 Served only in the continuous period before ReportStart: status 2 where the group's status is 0
    -- but sys_Time has its days (EST: 3 / 4; RRH: 6; PSH: 5).
    ESTStatus = CASE WHEN hh.ESTStatus = 0 AND c.es + c.th > 0 THEN 2 ELSE hh.ESTStatus END,
    RRHStatus = CASE WHEN hh.RRHStatus = 0 AND c.rrhpremovein > 0 THEN 2 ELSE hh.RRHStatus END,
    PSHStatus = CASE WHEN hh.PSHStatus = 0 AND c.pshpremovein > 0 THEN 2 ELSE hh.PSHStatus END,
    Step = '6.16'
FROM tlsa_Household h2
LEFT JOIN lsa6_Days c ON c.HoHID = h2.HoHID AND c.HHType = h2.HHType
WHERE h2.HoHID = hh.HoHID AND h2.HHType = hh.HHType;

-- 6.18 SystemPath, rows of HUD's table in order. The spec's text also makes households served only in RRH-SO
-- "not applicable" (-1): no EST, RRH or PSH status at all (HUD's sample code would give them 12).
UPDATE tlsa_Household SET SystemPath = CASE
    WHEN ESTStatus = 0 AND RRHStatus = 0 AND PSHStatus = 0 THEN -1
    WHEN ESTStatus NOT IN (21, 22) AND RRHStatus NOT IN (21, 22) AND PSHMoveIn = 2 THEN -1
    WHEN ESDays >= 1 AND THDays = 0 AND RRHStatus = 0 AND PSHStatus = 0 THEN 1
    WHEN ESDays = 0 AND THDays >= 1 AND RRHStatus = 0 AND PSHStatus = 0 THEN 2
    WHEN ESDays >= 1 AND THDays >= 1 AND RRHStatus = 0 AND PSHStatus = 0 THEN 3
    WHEN ESTStatus = 0 AND RRHStatus >= 11 AND PSHStatus = 0 THEN 4
    WHEN ESDays >= 1 AND THDays = 0 AND RRHStatus >= 2 AND PSHStatus = 0 THEN 5
    WHEN ESDays = 0 AND THDays >= 1 AND RRHStatus >= 2 AND PSHStatus = 0 THEN 6
    WHEN ESDays >= 1 AND THDays >= 1 AND RRHStatus >= 2 AND PSHStatus = 0 THEN 7
    WHEN ESTStatus = 0 AND RRHStatus = 0 AND PSHStatus >= 11 AND PSHMoveIn <> 2 THEN 8
    WHEN ESDays >= 1 AND THDays = 0 AND RRHStatus = 0 AND PSHStatus >= 11 AND PSHMoveIn <> 2 THEN 9
    WHEN ESTStatus IN (21, 22) AND ESDays >= 1 AND THDays = 0 AND RRHStatus = 0 AND PSHStatus >= 11
         AND PSHMoveIn = 2 THEN 9
    WHEN ESDays >= 1 AND THDays = 0 AND RRHStatus >= 2 AND PSHStatus >= 11 AND PSHMoveIn <> 2 THEN 10
    WHEN ESTStatus IN (21, 22) AND ESDays >= 1 AND THDays = 0 AND RRHStatus IN (21, 22) AND PSHStatus >= 11
         AND PSHMoveIn = 2 THEN 10
    WHEN ESTStatus = 0 AND RRHStatus >= 2 AND PSHStatus >= 11 AND PSHMoveIn <> 2 THEN 11
    WHEN ESTStatus = 0 AND RRHStatus IN (21, 22) AND PSHStatus >= 11 AND PSHMoveIn = 2 THEN 11
    ELSE 12 END,
    Step = '6.18';

-- 6.19 LSAHousehold: RowTotal = distinct HoHID / HHType per combination of every other column, with day
-- counts grouped into HUD's ranges (PSHHousedDays into its own month ranges, 0 when PSHMoveIn not in (1, 2))
-- and ReturnTime into its ranges (-1 for Stat 1 and 5).
INSERT INTO lsa_Household
SELECT count(*), Stat, ReturnTime, HHType, HHChronic, HHVet, HHDisability, HHFleeingDV, HoHRaceEthnicity,
       HHAdult, HHChild, HHNoDOB, HHAdultAge, HHParent,
       ESTStatus, ESTGeography, ESTLivingSit, ESTDestination,
       ESTChronic, ESTVet, ESTDisability, ESTFleeingDV, ESTAC3Plus, ESTAdultAge, ESTParent,
       RRHStatus, RRHMoveIn, RRHGeography, RRHLivingSit, RRHDestination, RRHPreMoveInDays,
       RRHChronic, RRHVet, RRHDisability, RRHFleeingDV, RRHAC3Plus, RRHAdultAge, RRHParent,
       PSHStatus, PSHMoveIn, PSHGeography, PSHLivingSit, PSHDestination, PSHHousedDays,
       PSHChronic, PSHVet, PSHDisability, PSHFleeingDV, PSHAC3Plus, PSHAdultAge, PSHParent,
       ESDays, THDays, ESTDays, RRHPSHPreMoveInDays, RRHHousedDays, SystemDaysNotPSHHoused, SystemHomelessDays,
       Other3917Days, TotalHomelessDays, SystemPath, ESTAIR, RRHAIR, PSHAIR, RRHSOStatus, RRHSOMoveIn, ReportID
FROM (
    SELECT Stat,
           CASE WHEN Stat IN (1, 5) OR ReturnTime < 15 THEN -1 WHEN ReturnTime <= 30 THEN 30
                WHEN ReturnTime <= 60 THEN 60 WHEN ReturnTime <= 90 THEN 90 WHEN ReturnTime <= 180 THEN 180
                WHEN ReturnTime <= 365 THEN 365 WHEN ReturnTime <= 547 THEN 547 ELSE 730 END AS ReturnTime,
           HHType, HHChronic, HHVet, HHDisability, HHFleeingDV, HoHRaceEthnicity, HHAdult, HHChild, HHNoDOB,
           HHAdultAge, HHParent,
           ESTStatus, ESTGeography, ESTLivingSit, ESTDestination,
           ESTChronic, ESTVet, ESTDisability, ESTFleeingDV, ESTAC3Plus, ESTAdultAge, ESTParent,
           RRHStatus, RRHMoveIn, RRHGeography, RRHLivingSit, RRHDestination,
           pg_temp.lsa6_days(RRHPreMoveInDays) AS RRHPreMoveInDays,
           RRHChronic, RRHVet, RRHDisability, RRHFleeingDV, RRHAC3Plus, RRHAdultAge, RRHParent,
           PSHStatus, PSHMoveIn, PSHGeography, PSHLivingSit, PSHDestination,
           CASE WHEN PSHMoveIn NOT IN (1, 2) OR PSHHousedDays <= 0 THEN 0 WHEN PSHHousedDays <= 90 THEN 3
                WHEN PSHHousedDays <= 180 THEN 6 WHEN PSHHousedDays <= 365 THEN 12 WHEN PSHHousedDays <= 730 THEN 24
                WHEN PSHHousedDays <= 1095 THEN 36 WHEN PSHHousedDays <= 1460 THEN 48
                WHEN PSHHousedDays <= 1825 THEN 60 WHEN PSHHousedDays <= 2555 THEN 84
                WHEN PSHHousedDays <= 3650 THEN 120 ELSE 121 END AS PSHHousedDays,
           PSHChronic, PSHVet, PSHDisability, PSHFleeingDV, PSHAC3Plus, PSHAdultAge, PSHParent,
           pg_temp.lsa6_days(ESDays) AS ESDays, pg_temp.lsa6_days(THDays) AS THDays,
           pg_temp.lsa6_days(ESTDays) AS ESTDays, pg_temp.lsa6_days(RRHPSHPreMoveInDays) AS RRHPSHPreMoveInDays,
           pg_temp.lsa6_days(RRHHousedDays) AS RRHHousedDays,
           pg_temp.lsa6_days(SystemDaysNotPSHHoused) AS SystemDaysNotPSHHoused,
           pg_temp.lsa6_days(SystemHomelessDays) AS SystemHomelessDays,
           pg_temp.lsa6_days(Other3917Days) AS Other3917Days,
           pg_temp.lsa6_days(TotalHomelessDays) AS TotalHomelessDays,
           SystemPath, ESTAIR, RRHAIR, PSHAIR, RRHSOStatus, RRHSOMoveIn, ReportID
    FROM tlsa_Household
) grouped
GROUP BY Stat, ReturnTime, HHType, HHChronic, HHVet, HHDisability, HHFleeingDV, HoHRaceEthnicity,
         HHAdult, HHChild, HHNoDOB, HHAdultAge, HHParent,
         ESTStatus, ESTGeography, ESTLivingSit, ESTDestination,
         ESTChronic, ESTVet, ESTDisability, ESTFleeingDV, ESTAC3Plus, ESTAdultAge, ESTParent,
         RRHStatus, RRHMoveIn, RRHGeography, RRHLivingSit, RRHDestination, RRHPreMoveInDays,
         RRHChronic, RRHVet, RRHDisability, RRHFleeingDV, RRHAC3Plus, RRHAdultAge, RRHParent,
         PSHStatus, PSHMoveIn, PSHGeography, PSHLivingSit, PSHDestination, PSHHousedDays,
         PSHChronic, PSHVet, PSHDisability, PSHFleeingDV, PSHAC3Plus, PSHAdultAge, PSHParent,
         ESDays, THDays, ESTDays, RRHPSHPreMoveInDays, RRHHousedDays, SystemDaysNotPSHHoused, SystemHomelessDays,
         Other3917Days, TotalHomelessDays, SystemPath, ESTAIR, RRHAIR, PSHAIR, RRHSOStatus, RRHSOMoveIn, ReportID;
