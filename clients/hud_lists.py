"""HUD value lists for the Universal Data Elements of the client record (FY2026)."""

from django.db import models


class NameQuality(models.IntegerChoices):  # 3.01.5
    FULL = 1, "Full name reported"
    PARTIAL = 2, "Partial, street name, or code name reported"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class SsnQuality(models.IntegerChoices):  # 3.02.2
    FULL = 1, "Full SSN reported"
    PARTIAL = 2, "Approximate or partial SSN reported"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class DobQuality(models.IntegerChoices):  # 3.03.2
    FULL = 1, "Full DOB reported"
    PARTIAL = 2, "Approximate or partial DOB reported"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class NoYesReason(models.IntegerChoices):  # 1.8
    NO = 0, "No"
    YES = 1, "Yes"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class NoYesMissing(models.IntegerChoices):  # 1.7: Yes/No with "Data not collected" only
    NO = 0, "No"
    YES = 1, "Yes"
    NOT_COLLECTED = 99, "Data not collected"


class Sex(models.IntegerChoices):  # 4.21 (FY2026)
    FEMALE = 0, "Female"
    MALE = 1, "Male"
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


class RefusalReason(models.IntegerChoices):  # 1.6, used by RaceNone
    DOESNT_KNOW = 8, "Client doesn’t know"
    PREFERS_NOT = 9, "Client prefers not to answer"
    NOT_COLLECTED = 99, "Data not collected"


# 3.04 race and ethnicity: one Yes/No column each in HMIS CSV (FY2026 names).
RACE_FIELDS = [
    ("am_ind_ak_native", "AmIndAKNative", "American Indian, Alaska Native, or Indigenous"),
    ("asian", "Asian", "Asian or Asian American"),
    ("black_af_american", "BlackAfAmerican", "Black, African American, or African"),
    ("hispanic_latinao", "HispanicLatinao", "Hispanic/Latina/e/o"),
    ("mid_east_n_african", "MidEastNAfrican", "Middle Eastern or North African"),
    ("native_hi_pacific", "NativeHIPacific", "Native Hawaiian or Pacific Islander"),
    ("white", "White", "White"),
]
REFUSALS = {8, 9, 99}


# HUD's list each choices class implements (tests/enrollments/test_hud_value_lists.py
# compares them value by value): numbers of the HMIS CSV picklists, FY2026 names in
# reports/hmis_csv/spec.py::FY2026_LISTS.
HUD_LIST_NUMBERS = {
    NameQuality: "3.01.5",
    SsnQuality: "3.02.2",
    DobQuality: "3.03.2",
    NoYesReason: "1.8",
    NoYesMissing: "1.7",
    Sex: "4.21",
    RefusalReason: "1.6",
}
