"""E3: de-identified extract for the state and for researchers.

No names, SSN, date of birth, Client or Household IDs, or free text. People and
households get stable pseudonymous IDs derived with a secret key (HMAC), so the same
person links across extracts but cannot be traced back without the key; ages replace
birth dates; stay dates are kept to the month.
"""

import io
import zipfile
from datetime import date

from django.db.models import Q

from enrollments.models import Enrollment
from hmis import csvsafe
from hmis.crypto import keyed_hash

from .hud.tables import age_on

PERSON_COLUMNS = ["PersonKey", "AgeAtFirstEntry", "Sex", "AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao",
                  "MidEastNAfrican", "NativeHIPacific", "White", "VeteranStatus"]
STAY_COLUMNS = ["StayKey", "PersonKey", "HouseholdKey", "CoCCode", "ProjectType", "RelationshipToHoH", "AgeAtEntry",
                "EntryMonth", "ExitMonth", "DaysInProject", "PriorLivingSituation", "DisablingCondition", "Destination"]


def pseudonym(kind: str, value: str) -> str:
    return keyed_hash(f"deidentified-{kind}", value)[:20]


def stays_for(cocs, start: date, end: date):
    return (Enrollment.objects.filter(project__coc__in=cocs, entry_date__lte=end)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start))
            .select_related("client", "project", "project__coc").order_by("client_id", "entry_date"))


def write_extract(cocs, start: date, end: date) -> bytes:
    persons, stays = io.StringIO(), io.StringIO()
    person_out, stay_out = csvsafe.writer(persons, lineterminator="\r\n"), csvsafe.writer(stays, lineterminator="\r\n")
    person_out.writerow(PERSON_COLUMNS)
    stay_out.writerow(STAY_COLUMNS)
    seen = set()
    for e in stays_for(cocs, start, end).iterator(chunk_size=2000):
        c = e.client
        person_key = pseudonym("person", c.client_id)
        known_dob = c.dob if c.dob_data_quality in (1, 2) else None
        if person_key not in seen:
            seen.add(person_key)
            person_out.writerow([person_key, age_on(known_dob, e.entry_date) if known_dob else "", c.sex,
                                 *[int(getattr(c, f)) for f in ("am_ind_ak_native", "asian", "black_af_american",
                                                                 "hispanic_latinao", "mid_east_n_african",
                                                                 "native_hi_pacific", "white")], c.veteran_status])
        last_day = min(e.exit_date or end, end)
        stay_out.writerow([pseudonym("stay", e.enrollment_id), person_key, pseudonym("household", e.household_id),
                           e.project.coc.code, e.project.project_type, e.relationship_to_hoh,
                           age_on(known_dob, e.entry_date) if known_dob else "", e.entry_date.strftime("%Y-%m"),
                           e.exit_date.strftime("%Y-%m") if e.exit_date else "", (last_day - e.entry_date).days,
                           e.living_situation or "", e.disabling_condition, e.destination or ""])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Persons.csv", persons.getvalue())
        archive.writestr("Stays.csv", stays.getvalue())
        archive.writestr("README.txt", __doc__.strip() + "\n")
    return buffer.getvalue()
