"""Issue 20 (H4): HUD's LSA upload checks of HDX's flags 290-462 (LSAPerson and LSAHousehold rows), 616-646 (heads
of household in LSAPerson against LSAHousehold), 688-778 (LSACalculated's counts against each other) and flag 112
(a value outside its column's list in HUD's LSA data dictionary, reports/hud/lsa/lists.py).

Each test starts from ``valid_files()`` (test_lsa_checks.py: Ann alone in ES, adult-only; Bo and his child Cy in
PSH, adult-child), which passes every check, breaks one thing and asserts the flag(s) HUD's flag list ("Full Flag
List for Vendors September 2026.csv", abtassociates/LSASampleCode) gives for it, with the words of its message.
A fault often breaks other counts too (a person added to LSAPerson has no household, say): those other flags are
the other tests' business, so here each expected flag must be found, and nothing blocking outside the flags a
fault can give.

Not computable from the 12 files, so not here: flags 2 and 4 (HUD's expected dates, the CoC the upload is made in),
681 / 683 (HUD's table of valid LSACalculated parameter combinations), 781 / 783 (HUD's own HIC and bed data).
"""

import copy
from datetime import date

import pytest

from reports.hud.lsa.checks import check
from tests.reports.lsa.test_lsa_checks import _add, _all, _set, calculated, household, person, valid_files

P, H, C = "LSAPerson", "LSAHousehold", "LSACalculated"


def _newcomer(**values):
    """One more person in LSAPerson (UnduplicatedClient follows): an adult of 44 unless told otherwise."""
    def mutate(f):
        f[P].append(person(**{"CHTime": 0, **values}))
        f["LSAReport"][0]["UnduplicatedClient"] += 1
    return mutate


def _rrh_pair(person_values=None, household_values=None):
    """An adult-only household in RRH (moved in) and its head, to break RRH's population columns."""
    def mutate(f):
        f[P].append(person(HHTypeRRH=1, HoHRRH=1, AdultRRH=1, RRHAgeMin=44, RRHAgeMax=44, CHTime=0,
                           **(person_values or {})))
        f["LSAReport"][0]["UnduplicatedClient"] += 1
        f[H].append(household(HHType=1, HHAdult=1, HHAdultAge=25, HoHRaceEthnicity=6, RRHStatus=21, RRHMoveIn=1,
                              RRHGeography=1, RRHLivingSit=116, RRHAdultAge=25, SystemPath=4,
                              **(household_values or {})))
    return mutate


def _cell(value, universe, row, hh=0, project=None, cohort=1, population=0):
    """Set one LSACalculated value, adding the row if it is not there."""
    def mutate(f):
        for r in f[C]:
            if (r["Universe"], r["ReportRow"], r["HHType"], r["ProjectID"], r["Cohort"], r["Population"]) == (
                    universe, row, hh, project, cohort, population):
                r["Value"] = value
                return
        f[C].append(calculated(value, universe, row, hh_type=hh, project=project, cohort=cohort,
                               population=population))
    return mutate


def _cells(*cells):
    return _all(*(_cell(*c[:-1], **c[-1]) if isinstance(c[-1], dict) else _cell(*c) for c in cells))


# (id, fault, [(flag, words in its message)])
PERSON = [
    ("291_ages_unknown_and_known", _set(P, 0, ESTAgeMin=98), [(291, "unknown (98 or 99) in one age column")]),
    ("292_under_1_to_3_5", _set(P, 2, PSHAgeMin=0, PSHAgeMax=5), [(292, "lowest age is under 1")]),
    ("293", _set(P, 2, PSHAgeMin=2, PSHAgeMax=17), [(293, "lowest age is 1 to 2")]),
    ("294", _set(P, 2, PSHAgeMin=5, PSHAgeMax=21), [(294, "lowest age is 3 to 5")]),
    ("295", _set(P, 2, PSHAgeMin=17, PSHAgeMax=24), [(295, "lowest age is 6 to 17")]),
    ("296", _set(P, 1, PSHAgeMin=21, PSHAgeMax=34), [(296, "lowest age is 18 to 21")]),
    ("297", _set(P, 1, PSHAgeMin=24, PSHAgeMax=44), [(297, "lowest age is 22 to 24")]),
    ("298", _set(P, 1, PSHAgeMin=34, PSHAgeMax=54), [(298, "lowest age is 25 to 34")]),
    ("299", _set(P, 1, PSHAgeMin=44, PSHAgeMax=64), [(299, "lowest age is 35 to 44")]),
    ("300", _set(P, 1, PSHAgeMin=54, PSHAgeMax=65), [(300, "lowest age is 45 to 54")]),
    ("301_302_unknown_age_adult_only", _set(P, 0, ESTAgeMin=99, ESTAgeMax=99),
     [(301, "cannot be unknown (98 or 99)"), (302, "adult-only or child-only households in ES/SH/TH")]),
    ("306", _newcomer(HHTypeRRH=1, AdultRRH=1, RRHAgeMin=98, RRHAgeMax=98), [(306, "households in RRH cannot")]),
    ("310", _newcomer(HHTypePSH=3, HoHPSH=3, PSHAgeMin=99, PSHAgeMax=99), [(310, "households in PSH cannot")]),
    ("303_314", _set(P, 0, ESTAgeMin=17, ESTAgeMax=17),
     [(303, "adult-only households in ES/SH/TH must be 18"), (314, "active in residence in ES/SH/TH")]),
    ("307", _newcomer(HHTypeRRH=1, AdultRRH=1, RRHAgeMin=17, RRHAgeMax=17), [(307, "adult-only households in RRH")]),
    ("311", _newcomer(HHTypePSH=1, AdultPSH=1, PSHAgeMin=17, PSHAgeMax=17), [(311, "adult-only households in PSH")]),
    ("304", _newcomer(HHTypeEST=3, HoHEST=3, ESTAgeMin=21, ESTAgeMax=21), [(304, "child-only households in ES")]),
    ("308", _newcomer(HHTypeRRH=3, HoHRRH=3, RRHAgeMin=21, RRHAgeMax=21), [(308, "child-only households in RRH")]),
    ("312", _newcomer(HHTypePSH=3, HoHPSH=3, PSHAgeMin=21, PSHAgeMax=21), [(312, "child-only households in PSH")]),
    ("305", _newcomer(HHTypeEST=13, AdultEST=1, HoHEST=13, ESTAgeMin=17, ESTAgeMax=24),
     [(305, "both adult-only and child-only households in ES/SH/TH")]),
    ("309", _newcomer(HHTypeRRH=13, AdultRRH=1, HoHRRH=13, RRHAgeMin=5, RRHAgeMax=21), [(309, "in RRH within")]),
    ("313", _newcomer(HHTypePSH=13, AdultPSH=1, HoHPSH=13, PSHAgeMin=21, PSHAgeMax=21), [(313, "in PSH within")]),
    ("315", _newcomer(HHTypeRRH=1, AdultRRH=1, AIRAdultRRH=1, RRHAgeMin=21, RRHAgeMax=99),
     [(315, "active in residence in RRH (AIRAdultRRH)")]),
    ("316", _set(P, 1, PSHAgeMin=17, PSHAgeMax=17), [(316, "active in residence in PSH (AIRAdultPSH)")]),
    ("317", _set(P, 0, HHAdultAgeAOEST=18), [(317, "whose oldest adult is 18 to 21")]),
    ("318", _set(P, 0, HHAdultAgeAOEST=24), [(318, "whose oldest adult is 22 to 24")]),
    ("319", _set(P, 0, HHAdultAgeAOEST=55), [(319, "adult-only households in ES/SH/TH whose adults are all 55")]),
    ("320", _newcomer(HHTypeEST=2, AdultEST=2, AIRAdultEST=2, HHAdultAgeACEST=55, ESTAgeMin=44, ESTAgeMax=44),
     [(320, "adult-child households in ES/SH/TH")]),
    ("321", _newcomer(HHTypeRRH=1, AdultRRH=1, HHAdultAgeAORRH=18, RRHAgeMin=44, RRHAgeMax=44), [(321, "in RRH")]),
    ("322", _newcomer(HHTypeRRH=1, AdultRRH=1, HHAdultAgeAORRH=24, RRHAgeMin=44, RRHAgeMax=44), [(322, "in RRH")]),
    ("323", _newcomer(HHTypeRRH=1, AdultRRH=1, HHAdultAgeAORRH=55, RRHAgeMin=44, RRHAgeMax=44), [(323, "in RRH")]),
    ("324", _newcomer(HHTypeRRH=2, AdultRRH=2, AIRAdultRRH=2, HHAdultAgeACRRH=55, RRHAgeMin=44, RRHAgeMax=44),
     [(324, "adult-child households in RRH")]),
    ("325", _set(P, 1, HHAdultAgeACPSH=18), [(325, "whose oldest adult is 18 to 21")]),
    ("326", _set(P, 1, HHAdultAgeACPSH=24), [(326, "whose oldest adult is 22 to 24")]),
    ("327", _newcomer(HHTypePSH=1, AdultPSH=1, HHAdultAgeAOPSH=55, PSHAgeMin=44, PSHAgeMax=44), [(327, "in PSH")]),
    ("328", _set(P, 1, HHAdultAgeACPSH=55), [(328, "adult-child households in PSH")]),
    ("337_vet_status_of_a_child", _set(P, 2, VetStatus=0), [(337, "VetStatus must be -1")]),
    ("338_vet_status_missing_for_an_adult", _set(P, 0, VetStatus=-1), [(338, "VetStatus cannot be -1")]),
    ("339", _set(P, 2, DisabilityStatus=0), [(339, "DisabilityStatus must be -1")]),
    ("340", _set(P, 0, DisabilityStatus=-1), [(340, "DisabilityStatus cannot be -1")]),
    ("341", _set(P, 2, DVStatus=0), [(341, "DVStatus must be -1")]),
    ("342", _set(P, 0, DVStatus=-1), [(342, "DVStatus cannot be -1")]),
    ("343", _set(P, 2, CHTime=0), [(343, "CHTime must be -1")]),
    ("344", _set(P, 0, CHTime=-1), [(344, "CHTime cannot be -1")]),
    ("345", _set(P, 2, CHTimeStatus=99), [(345, "CHTimeStatus must be -1")]),
    ("346_347", _set(P, 0, CHTime=365), [(346, "CHTimeStatus cannot be -1"), (347, "CHTimeStatus must be 1, 2, 3")]),
    ("348", _set(P, 0, CHTime=400, CHTimeStatus=1), [(348, "CHTimeStatus must be 2")]),
    ("349", _set(P, 0, CHTime=270, CHTimeStatus=1), [(349, "CHTimeStatus must be -1 or 99")]),
    ("350_371_chronic_not_in_chronic_household", _set(P, 0, DisabilityStatus=1, CHTime=365, CHTimeStatus=1),
     [(350, "chronically homeless (DisabilityStatus, CHTime, CHTimeStatus) and were served in adult-only households "
       "in ES/SH/TH, but HHChronicEST"), (371, "disabled (DisabilityStatus 1) and were served in adult-only")]),
    ("353_374_unknown_household_type", _newcomer(HHTypeEST=9, HoHEST=9, AdultEST=9, ESTAgeMin=44, ESTAgeMax=44,
                                                 CHTime=400, CHTimeStatus=2, DisabilityStatus=1),
     [(353, "unknown-type households in ES/SH/TH"), (374, "unknown-type households in ES/SH/TH")]),
    ("359_380", _set(P, 1, DisabilityStatus=1, CHTime=400, CHTimeStatus=2),
     [(359, "adult-child households in PSH, but HHChronicPSH"), (380, "but HHDisabilityPSH")]),
    ("356_377_child_only_head_in_rrh", _newcomer(HHTypeRRH=3, HoHRRH=3, RRHAgeMin=17, RRHAgeMax=17,
                                                 DisabilityStatus=1, CHTime=365, CHTimeStatus=1),
     [(356, "child-only households in RRH, but HHChronicRRH"), (377, "but HHDisabilityRRH")]),
    ("362_veteran_not_in_veteran_household", _set(P, 0, VetStatus=1), [(362, "veterans (VetStatus 1)")]),
    ("365", _newcomer(HHTypeRRH=1, AdultRRH=1, RRHAgeMin=44, RRHAgeMax=44, VetStatus=1), [(365, "HHVetRRH")]),
    ("369", _set(P, 1, VetStatus=1), [(369, "adult-child households in PSH, but HHVetPSH")]),
    ("383_fleeing_not_in_fleeing_household", _set(P, 0, DVStatus=1), [(383, "fleeing domestic violence")]),
    ("392", _set(P, 1, DVStatus=1), [(392, "but HHFleeingDVPSH")]),
    ("395_person_row_twice", _add(P, lambda: dict(valid_files()[P][0])), [(395, "repeats the characteristics")]),
]
HOUSEHOLD = [
    ("442_household_of_nobody", _set(H, 0, HHAdult=0), [(442, "at least one person")]),
    ("443_household_type_wrong", _set(H, 0, HHChild=1), [(443, "HHType does not match the household's members")]),
    ("444_served_nowhere", _set(H, 0, ESTStatus=2), [(444, "served in none of ES/SH/TH, RRH, PSH or RRH-SO")]),
    ("445_448", _set(H, 1, ESTChronic=1), [(445, "ESTChronic must be 0"), (448, "HHChronic must be 1 exactly")]),
    ("446_448", _set(H, 0, RRHChronic=1), [(446, "RRHChronic must be 0"), (448, "HHChronic")]),
    ("447_448", _set(H, 0, PSHChronic=1), [(447, "PSHChronic must be 0"), (448, "HHChronic")]),
    ("448", _set(H, 0, HHChronic=1), [(448, "HHChronic must be 1 exactly when")]),
    ("449_452", _set(H, 1, ESTVet=1), [(449, "ESTVet must be 0"), (452, "HHVet must be 1 exactly")]),
    ("450_452", _set(H, 0, RRHVet=1), [(450, "RRHVet must be 0"), (452, "HHVet")]),
    ("451_452", _set(H, 0, PSHVet=1), [(451, "PSHVet must be 0"), (452, "HHVet")]),
    ("453_child_only_veteran", _set(H, 0, HHType=3, HHAdult=0, HHChild=1, HHAdultAge=-1, ESTAdultAge=-1, HHVet=1,
                                    ESTVet=1), [(453, "child-only household (HHType 3) cannot be a veteran")]),
    ("454_457", _set(H, 1, ESTDisability=1), [(454, "ESTDisability must be 0"), (457, "HHDisability must be 1")]),
    ("455_457", _set(H, 0, RRHDisability=1), [(455, "RRHDisability must be 0"), (457, "HHDisability")]),
    ("456_457", _set(H, 0, PSHDisability=1), [(456, "PSHDisability must be 0"), (457, "HHDisability")]),
    ("458_461", _set(H, 1, ESTFleeingDV=1), [(458, "ESTFleeingDV must be 0"), (461, "HHFleeingDV does not agree")]),
    ("459_461", _set(H, 0, RRHFleeingDV=1), [(459, "RRHFleeingDV must be 0"), (461, "HHFleeingDV")]),
    ("460_461", _set(H, 0, PSHFleeingDV=1), [(460, "PSHFleeingDV must be 0"), (461, "HHFleeingDV")]),
    ("461_survivor_without_a_group", _set(H, 0, HHFleeingDV=2), [(461, "HHFleeingDV does not agree")]),
    ("462_ac3plus_not_adult_child", _set(H, 0, ESTAC3Plus=1), [(462, "must be 0 for a household that is not")]),
]
HEADS = [
    ("616_head_race_differs", _set(H, 0, HoHRaceEthnicity=1),
     [(616, "head's RaceEthnicity 6: LSAPerson has 1 head(s) of household, LSAHousehold 0"),
      (616, "head's RaceEthnicity 1: LSAPerson has 0 head(s) of household, LSAHousehold 1")]),
    ("617", _set(H, 0, ESTChronic=1, HHChronic=1), [(617, "chronically homeless households in ES/SH/TH: fewer")]),
    ("618", _set(P, 0, HHChronicEST=1), [(618, "Adult-only chronically homeless households in ES/SH/TH: LSAPerson "
                                               "has 1 head(s)")]),
    ("619", _rrh_pair(household_values={"RRHChronic": 1, "HHChronic": 1}), [(619, "households in RRH: fewer")]),
    ("620", _rrh_pair({"HHChronicRRH": 1}), [(620, "chronically homeless households in RRH: LSAPerson")]),
    ("621", _set(H, 1, PSHChronic=1, HHChronic=1), [(621, "chronically homeless households in PSH: fewer")]),
    ("622", _set(P, 1, HHChronicPSH=2), [(622, "chronically homeless households in PSH: LSAPerson has 1")]),
    ("623", _set(H, 0, ESTVet=1, HHVet=1), [(623, "veteran households in ES/SH/TH: fewer")]),
    ("624", _set(P, 0, HHVetEST=1), [(624, "veteran households in ES/SH/TH: LSAPerson has 1")]),
    ("625", _rrh_pair(household_values={"RRHVet": 1, "HHVet": 1}), [(625, "veteran households in RRH: fewer")]),
    ("626", _rrh_pair({"HHVetRRH": 1}), [(626, "veteran households in RRH: LSAPerson")]),
    ("627", _set(H, 1, PSHVet=1, HHVet=1), [(627, "veteran households in PSH: fewer")]),
    ("628", _set(P, 1, HHVetPSH=2), [(628, "veteran households in PSH: LSAPerson has 1")]),
    ("629", _set(H, 0, ESTDisability=1, HHDisability=1), [(629, "with a disabled member in ES/SH/TH: fewer")]),
    ("630", _set(P, 0, HHDisabilityEST=1), [(630, "with a disabled member in ES/SH/TH: LSAPerson")]),
    ("631", _rrh_pair(household_values={"RRHDisability": 1, "HHDisability": 1}), [(631, "in RRH: fewer")]),
    ("632", _rrh_pair({"HHDisabilityRRH": 1}), [(632, "with a disabled member in RRH: LSAPerson")]),
    ("633", _set(H, 1, PSHDisability=1, HHDisability=1), [(633, "with a disabled member in PSH: fewer")]),
    ("634", _set(P, 1, HHDisabilityPSH=2), [(634, "with a disabled member in PSH: LSAPerson")]),
    ("635", _set(H, 0, ESTFleeingDV=1, HHFleeingDV=1), [(635, "fleeing domestic violence in ES/SH/TH: fewer")]),
    ("636", _set(P, 0, HHFleeingDVEST=1), [(636, "fleeing domestic violence in ES/SH/TH: LSAPerson")]),
    ("637", _rrh_pair(household_values={"RRHFleeingDV": 1, "HHFleeingDV": 1}), [(637, "in RRH: fewer")]),
    ("638", _rrh_pair({"HHFleeingDVRRH": 1}), [(638, "fleeing domestic violence in RRH: LSAPerson")]),
    ("639", _set(H, 1, PSHFleeingDV=1, HHFleeingDV=1), [(639, "fleeing domestic violence in PSH: fewer")]),
    ("640", _set(P, 1, HHFleeingDVPSH=2), [(640, "fleeing domestic violence in PSH: LSAPerson")]),
    ("641", _set(H, 0, ESTParent=1, HHParent=1), [(641, "parenting households in ES/SH/TH: fewer")]),
    ("642", _set(P, 0, HHParentEST=1), [(642, "parenting households in ES/SH/TH: LSAPerson has 1")]),
    ("643", _rrh_pair(household_values={"RRHParent": 1, "HHParent": 1}), [(643, "parenting households in RRH")]),
    ("644", _rrh_pair({"HHParentRRH": 1}), [(644, "parenting households in RRH: LSAPerson")]),
    ("645", _set(P, 1, HHParentPSH=-1), [(645, "parenting households in PSH: fewer heads")]),
    ("646", _set(H, 1, PSHParent=0, HHParent=0), [(646, "parenting households in PSH: LSAPerson has 1 head(s)")]),
]
P1 = {"project": "P1"}
CALCULATED = [
    ("688_subpopulation_above_all_project", _cell(2, 10, 53, project="P1", population=13), [(688, "Project P1")]),
    ("689_subpopulation_above_all_coc", _cell(2, 16, 53, population=15), [(689, "ES/SH/TH (Universe 16)")]),
    ("690", _cell(2, 16, 55, population=56), [(690, "2 people in Population 56 (ReportRow 55) but 1 people")]),
    ("691_warning", _cell(1, 10, 55, project="P1", population=50), [(691, "Population 50 (ReportRow 55)")]),
    ("692_warning", _cell(1, 16, 55, population=50), [(692, "Population 50 (ReportRow 55)")]),
    ("693_700", _cell(1, 15, 55, hh=2, population=5153), [(693, "parenting youth households"), (700, "5153")]),
    ("698_699", _cell(1, 16, 55, population=5053), [(698, "veterans in Population 5053"), (699, "Population 53")]),
    ("700", _cell(1, 15, 55, hh=2, population=5256), [(700, "Population 5256 but 0 in Population 56")]),
    ("707", _cell(1, 10, 55, project="P1", population=53), [(707, "0 bed nights (ReportRow 57) for 1 people")]),
    ("709", _cell(1, 16, 55, population=53), [(709, "0 bed nights (ReportRow 57) for 1 people")]),
    ("710", _cell(30, 10, 56, hh=3, project="P1"), [(710, "30 bed nights (ReportRow 56) but no people")]),
    ("712", _cell(30, 16, 56, hh=3), [(712, "30 bed nights (ReportRow 56) but no people")]),
    ("711", _cell(5, 10, 57, project="P1", population=53), [(711, "5 bed nights (ReportRow 57) but no people")]),
    ("713", _cell(5, 16, 57, population=53), [(713, "5 bed nights (ReportRow 57) but no people")]),
    ("715", _cell(2, 10, 55, project="P1", cohort=10, population=53), [(715, "2 people with the characteristic")]),
    ("717", _cell(2, 16, 55, cohort=10, population=53), [(717, "2 people with the characteristic")]),
    ("718_warning", _cell(1, 10, 53, project="P1", population=13), [(718, "no people in Population 50")]),
    ("719_warning", _cell(1, 16, 53, population=13), [(719, "no people in Population 50")]),
    ("720_735", _cell(40, 16, 56), [(720, "ES, SH and TH 30+0+0, ES/SH/TH together 40"),
                                    (735, "AO, AC, CO, UN 30+0+0+0, all households 40")]),
    ("721", _cell(30, 12, 56, hh=1), [(721, "the overlap (30) cannot be larger than for all households (0)")]),
    ("722", _cell(30, 12, 56), [(722, "1% or more of the bed nights overlap")]),
    ("723", _cells((30, 11, 56, 1, None, 1, 10), (30, 12, 56, 1, None, 1, 10), (30, 16, 56, 1, None, 1, 10)),
     [(723, "Population 10, bed nights")]),
    ("724", _cell(2, 16, 54), [(724, "ES, SH and TH 1+0+0, ES/SH/TH together 2")]),
    ("725", _cell(3, 12, 54), [(725, "no part can be larger than the whole")]),
    ("726", _cells((1, 11, 54, 0, None, 1, 13), (1, 12, 54, 0, None, 1, 13), (1, 16, 54, 0, None, 1, 13)),
     [(726, "Population 13, households")]),
    ("727", _cell(2, 16, 53), [(727, "ES, SH and TH 1+0+0, ES/SH/TH together 2")]),
    ("728_729", _cell(3, 11, 53), [(728, "at most the whole times 1"), (729, "no part can be larger")]),
    ("730", _cells((1, 11, 53, 0, None, 1, 13), (1, 12, 53, 0, None, 1, 13), (1, 16, 53, 0, None, 1, 13)),
     [(730, "Population 13, people")]),
    ("731", _cell(1, 16, 54, cohort=10), [(731, "Cohort 10")]),
    ("732", _cell(1, 16, 53, cohort=10), [(732, "Cohort 10")]),
    ("733", _cells((1, 11, 53, 0, None, 10), (1, 12, 53, 0, None, 10), (1, 16, 53, 0, None, 10)),
     [(733, "the overlap on the date (1)")]),
    ("734", _cells((1, 11, 53, 0, None, 10, 13), (1, 12, 53, 0, None, 10, 13), (1, 16, 53, 0, None, 10, 13)),
     [(734, "Population 13, people")]),
    ("736", _cell(40, 10, 56, project="P1"), [(736, "Project P1, Cohort 1, Population 0, bed nights")]),
    ("737", _cell(30, 11, 56, hh=3), [(737, "1% or more of the bed nights are counted in two household types")]),
    ("739", _cell(30, 10, 56, hh=3, project="P1"), [(739, "Project P1")]),
    ("740", _cells((5, 16, 57, 0, None, 1, 53), (5, 16, 57, 1, None, 1, 53), (5, 16, 57, 2, None, 1, 53)),
     [(740, "Population 53, bed nights of people with the characteristic")]),
    ("741", _cells((5, 10, 57, 0, "P1", 1, 53), (5, 10, 57, 1, "P1", 1, 53), (5, 10, 57, 2, "P1", 1, 53)),
     [(741, "Project P1, Cohort 1, Population 53")]),
    ("742", _cell(2, 11, 54), [(742, "each household has one household type")]),
    ("743", _cell(2, 10, 54, project="P1"), [(743, "Project P1")]),
    ("744", _cell(2, 11, 53, hh=1), [(744, "no household type can have more people")]),
    ("745", _cell(2, 10, 53, hh=1, project="P1"), [(745, "Project P1")]),
    ("746", _cell(2, 11, 53), [(746, "fewer people than all")]),
    ("747", _cell(2, 10, 53, project="P1"), [(747, "Project P1")]),
    ("748", _cell(1, 11, 54, cohort=10), [(748, "Cohort 10")]),
    ("749", _cell(1, 10, 54, project="P1", cohort=10), [(749, "Project P1, Cohort 10")]),
    ("750", _cells(*((1, 11, 53, h, None, 10, 13) for h in (0, 1, 2))), [(750, "Cohort 10, Population 13")]),
    ("751", _cells(*((1, 10, 53, h, "P1", 10, 13) for h in (0, 1, 2))), [(751, "Project P1, Cohort 10")]),
    ("752", _cell(1, 11, 53, cohort=10), [(752, "Cohort 10")]),
    ("753", _cell(1, 10, 53, project="P1", cohort=10), [(753, "Project P1, Cohort 10")]),
    ("754", _cells(*((1, 10, 53, h, "P1", 10) for h in (0, 1, 2))), [(754, "Project P1, Cohort 10")]),
    ("755", _cells(*((1, 11, 53, h, None, 10) for h in (0, 1, 2))), [(755, "ES (Universe 11), Cohort 10")]),
    ("757", _cell(40, 11, 56), [(757, "its projects 30 together, CoC-wide 40")]),
    ("758", _cell(40, 10, 56, project="P1"), [(758, "counted in two projects at once")]),
    ("760", _cell(60, 10, 56, hh=1, project="P1"), [(760, "the overlap (30) cannot be larger than for all")]),
    ("761", _cell(30, 10, 56, hh=1, project="P1", population=10), [(761, "Population 10, bed nights")]),
    ("762", _cell(2, 10, 54, project="P1"), [(762, "no project can count more than the CoC-wide count")]),
    ("763", _cell(0, 10, 54, project="P1"), [(763, "its projects 0 together, CoC-wide 1")]),
    ("764", _cell(1, 10, 54, project="P1", population=13), [(764, "Population 13, households")]),
    ("765_767", _cell(2, 10, 53, project="P1"), [(765, "no project can count more"), (767, "at most the CoC")]),
    ("766", _cell(2, 11, 53), [(766, "its projects 1 together, CoC-wide 2")]),
    ("768", _cell(1, 10, 53, project="P1", population=13), [(768, "Population 13, people")]),
    ("769", _cell(1, 11, 54, cohort=10), [(769, "its projects 0 together, CoC-wide 1")]),
    ("770", _cell(1, 11, 53, cohort=10), [(770, "its projects 0 together, CoC-wide 1")]),
    ("771", _cell(1, 10, 53, project="P1", cohort=10), [(771, "the overlap on the date (1)")]),
    ("772", _cell(1, 10, 53, project="P1", cohort=10, population=13), [(772, "Cohort 10, HHType 0, Population 13")]),
    ("774", _cells((1, 10, 55, 0, "P1", 1, 53), (1, 10, 57, 0, "P1", 1, 53)),
     [(774, "the people not in Population 53 have 29 bed nights, more than 365 nights for each of the 0")]),
    ("776", _cells((1, 16, 55, 0, None, 1, 53), (1, 16, 57, 0, None, 1, 53)), [(776, "not in Population 53")]),
    ("777", _cell(400, 16, 56), [(777, "an average stay of 400 nights, longer than the 365 nights")]),
    ("778", _cell(400, 10, 56, project="P1"), [(778, "Project P1")]),
]
VALUES = [
    (name, column, value) for name, column, value in (
        (H, "Stat", 6), (H, "ReturnTime", 45), (H, "HHChronic", 7), (H, "HoHRaceEthnicity", 21),
        (H, "ESTLivingSit", 17), (H, "ESTDestination", 17), (H, "PSHHousedDays", 200), (H, "SystemPath", 13),
        (H, "ESTAdultAge", 30), (H, "RRHMoveIn", 3), (H, "ESTGeography", 4), (H, "ESDays", 31), (P, "RaceEthnicity", 8),
        (P, "HHTypeEST", 4), (P, "AdultEST", 3), (P, "ESTAgeMin", 45), (P, "CHTime", 100), (P, "DVStatus", 4),
        (P, "AC3PlusEST", 2), (P, "HIV", 2), ("LSAExit", "ExitFrom", 1), ("LSAExit", "Cohort", 1),
        ("LSAExit", "ExitTo", 3), (C, "Population", 9999), (C, "ReportRow", 17), (C, "Universe", 5),
        ("Funder", "Funder", 12), ("Project", "TargetPopulation", 2), ("Project", "HOPWAMedAssistedLivingFac", 3))]
ALL = [*PERSON, *HOUSEHOLD, *HEADS, *CALCULATED]
WARNINGS = {441, 691, 692, 693, 718, 719}


@pytest.mark.parametrize("fault, expected", [f[1:] for f in ALL], ids=[f[0] for f in ALL])
def test_h4_each_flag_fires_on_a_file_breaking_it(fault, expected):
    files = copy.deepcopy(valid_files())
    fault(files)
    problems = check(files, 1)
    for flag, words in expected:
        found = [p for p in problems if p.flag == flag and words in p.message]
        assert found, (flag, words, [(p.flag, p.message) for p in problems])
        assert all(p.blocking == (flag not in WARNINGS) for p in found)
        assert all(p.file in (P, H, C) for p in found)


@pytest.mark.parametrize("name, column, value", VALUES, ids=[f"{n}.{c}" for n, c, _ in VALUES])
def test_h4_a_value_outside_huds_list_is_a_blocking_problem_with_flag_112(name, column, value):
    """lists.py: HUD's LSA data dictionary (Lists.csv) for every column with a list."""
    files = copy.deepcopy(valid_files())
    files[name][0][column] = value
    found = [p for p in check(files, 1) if p.flag == 112]
    assert [(p.file, p.row, p.column, p.blocking) for p in found] == [(name, 1, column, True)], found
    assert f"{column} {value} is not one of HUD's values" in found[0].message


def test_h4_441_young_veterans_are_a_warning():
    files = copy.deepcopy(valid_files())
    _newcomer(HHTypeEST=1, AdultEST=1, ESTAgeMin=17, ESTAgeMax=21, VetStatus=1, HHVetEST=1)(files)
    (found,) = [p for p in check(files, 1) if p.flag == 441]
    assert not found.blocking and found.message.startswith("1 veteran(s) were 6-17 years old at their earliest")


def test_h4_official_only_flags_are_warnings_in_a_project_focused_lsa():
    """HDX applies flags 292-300 and 688-778 to official (systemwide) uploads only: in a project-focused LSA
    (LSAScope 2) they are listed as warnings; flag 616 applies to every upload."""
    files = copy.deepcopy(valid_files())
    files["LSAReport"][0]["LSAScope"] = 2
    _all(_set(P, 2, PSHAgeMin=0, PSHAgeMax=5), _cell(2, 16, 53, population=15), _set(H, 0, HoHRaceEthnicity=1))(files)
    problems = {p.flag: p.blocking for p in check(files, 2)}
    assert (problems[292], problems[689], problems[616], problems[1]) == (False, False, True, False)


def test_h4_the_lists_are_hud_lists():
    """A few values of HUD's dictionary, read back: RaceEthnicityLSA is every combination of the seven categories
    in ascending digits (127) plus 98 and 99; 12 is valid, 21 is not."""
    from reports.hud.lsa import lists

    race = lists.valid_values(P, "RaceEthnicity")
    assert len(race) == 129 and {1, 12, 1234567, 98, 99} <= race and 21 not in race
    assert lists.valid_values(C, "ReportRow") >= {1, 36, 53, 57, 901, 921} and 17 not in lists.valid_values(C,
                                                                                                          "ReportRow")
    assert lists.valid_values("LSAExit", "ExitFrom") == frozenset(range(2, 11))
    assert lists.valid_values(P, "RowTotal") is None
    assert date  # the module's dates come from test_lsa_checks' valid files


def _status_cases():
    """Flags 350-394 as HUD numbers them: per status, ES/SH/TH then RRH then PSH, each by household type AO, AC,
    CO, UN (veterans: AO, AC, UN; a child-only household has no adult to be one)."""
    statuses = (("chronic", {"DisabilityStatus": 1, "CHTime": 365, "CHTimeStatus": 1}, 350, (1, 2, 3, 99)),
                ("veteran", {"VetStatus": 1}, 362, (1, 2, 99)),
                ("disabled", {"DisabilityStatus": 1}, 371, (1, 2, 3, 99)),
                ("fleeing", {"DVStatus": 1}, 383, (1, 2, 3, 99)))
    for words, values, first, types in statuses:
        for g_index, g in enumerate(("EST", "RRH", "PSH")):
            for t_index, t in enumerate(types):
                digit = 9 if t == 99 else t
                row = {f"HHType{g}": digit, f"HoH{g}": digit, f"{g}AgeMin": 44 if t != 3 else 17,
                       f"{g}AgeMax": 44 if t != 3 else 17, **values}
                if t != 3:
                    row[f"Adult{g}"] = digit
                yield f"{first + g_index * len(types) + t_index}_{words}_{g}_{t}", row, first + g_index * len(types) + t_index


STATUS_CASES = list(_status_cases())


@pytest.mark.parametrize("row, flag", [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES])
def test_h4_a_person_with_a_status_outside_that_households_population(row, flag):
    """Flags 350-394: a chronically homeless, veteran, disabled or fleeing head / adult served in a household type
    of a project group, whose population column for that group does not hold the type."""
    files = copy.deepcopy(valid_files())
    _newcomer(**row)(files)
    assert flag in {p.flag for p in check(files, 1) if p.blocking}
