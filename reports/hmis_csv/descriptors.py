"""H2: the project descriptor files of HMIS CSV FY2026 (Project, Funder, ProjectCoC,
Inventory, Affiliation, HMISParticipation, CEParticipation), written from what the HMIS
Lead recorded and read back into the same models. One column map per file serves both
directions, so what is exported is what an import reads.

Data standards 2.02–2.09; columns and their order are HUD's FY2026 headers (spec.py).
"""

from django.core.exceptions import ValidationError

from agencies.models import (
    Affiliation,
    CeParticipation,
    HmisParticipation,
    Inventory,
    ProjectCoc,
    ProjectFunder,
)

from . import source_ids

# model field -> HMIS CSV column
PROJECT_COLUMNS = {
    "common_name": "ProjectCommonName", "continuum_project": "ContinuumProject", "housing_type": "HousingType",
    "rrh_subtype": "RRHSubType", "residential_affiliation": "ResidentialAffiliation",
    "target_population": "TargetPopulation", "hopwa_med_assisted_living_fac": "HOPWAMedAssistedLivingFac",
    "pit_count": "PITCount",
}
FUNDER_COLUMNS = {"funder": "Funder", "other_funder": "OtherFunder", "grant_id": "GrantID",
                  "start_date": "StartDate", "end_date": "EndDate"}
PROJECT_COC_COLUMNS = {"coc_code": "CoCCode", "geocode": "Geocode", "address1": "Address1", "address2": "Address2",
                       "city": "City", "state": "State", "zip_code": "ZIP", "geography_type": "GeographyType"}
INVENTORY_COLUMNS = {
    "coc_code": "CoCCode", "household_type": "HouseholdType", "availability": "Availability",
    "unit_inventory": "UnitInventory", "bed_inventory": "BedInventory", "ch_vet_beds": "CHVetBedInventory",
    "youth_vet_beds": "YouthVetBedInventory", "vet_beds": "VetBedInventory", "ch_youth_beds": "CHYouthBedInventory",
    "youth_beds": "YouthBedInventory", "ch_beds": "CHBedInventory", "other_beds": "OtherBedInventory",
    "es_bed_type": "ESBedType", "start_date": "InventoryStartDate", "end_date": "InventoryEndDate",
}
HMIS_PARTICIPATION_COLUMNS = {"participation_type": "HMISParticipationType",
                              "start_date": "HMISParticipationStatusStartDate",
                              "end_date": "HMISParticipationStatusEndDate"}
CE_PARTICIPATION_COLUMNS = {
    "access_point": "AccessPoint", "prevention_assessment": "PreventionAssessment",
    "crisis_assessment": "CrisisAssessment", "housing_assessment": "HousingAssessment",
    "direct_services": "DirectServices", "receives_referrals": "ReceivesReferrals",
    "start_date": "CEParticipationStatusStartDate", "end_date": "CEParticipationStatusEndDate",
}

# file -> (model, key column, column map, fields naming the same row again within a project)
FILES = {
    "Funder.csv": (ProjectFunder, "FunderID", FUNDER_COLUMNS, ("funder", "start_date")),
    "ProjectCoC.csv": (ProjectCoc, "ProjectCoCID", PROJECT_COC_COLUMNS, ("coc_code",)),
    "Inventory.csv": (Inventory, "InventoryID", INVENTORY_COLUMNS, ()),
    "HMISParticipation.csv": (HmisParticipation, "HMISParticipationID", HMIS_PARTICIPATION_COLUMNS, ("start_date",)),
    "CEParticipation.csv": (CeParticipation, "CEParticipationID", CE_PARTICIPATION_COLUMNS, ("start_date",)),
}
# Text columns read as "" when empty (the models keep no NULL text); empty bed counts stay empty.
TEXT_FIELDS = {"other_funder", "grant_id", "address1", "address2", "city", "state", "zip_code", "common_name"}


# --- Export -------------------------------------------------------------------------

def user_of(record, user_id):
    """UserID of a descriptor row: its author kept from an import, else the HMIS Lead's
    administrator (``user_id``, already an export ID)."""
    return source_ids.export_id(record.recorded_by) if record.recorded_by_id else user_id


def project_row(project, *, ts, user_id) -> dict:
    return {"ProjectID": source_ids.export_id(project), "OrganizationID": source_ids.export_id(project.agency),
            "ProjectName": project.name,
            "OperatingStartDate": project.operating_start, "OperatingEndDate": project.operating_end,
            "ProjectType": project.project_type,
            **{column: getattr(project, name) for name, column in PROJECT_COLUMNS.items()},
            "DateCreated": ts(project.created_at), "DateUpdated": ts(project.updated_at),
            "UserID": user_of(project, user_id)}


def rows_of(file_name: str, projects, *, ts, user_id):
    """The recorded rows of one descriptor file for these projects, oldest first: no row
    is made up (a project with no CoC information yet has no ProjectCoC.csv row)."""
    model, key, columns, _ = FILES[file_name]
    rows = model.objects.filter(project__in=projects).select_related("project", "recorded_by").order_by("pk")
    for record in rows.iterator():
        yield {key: source_ids.export_id(record), "ProjectID": source_ids.export_id(record.project),
               **{column: getattr(record, name) for name, column in columns.items()},
               "DateCreated": ts(record.created_at), "DateUpdated": ts(record.updated_at),
               "UserID": user_of(record, user_id)}


def affiliation_rows(projects, *, ts, user_id):
    """HMIS CSV: Affiliation.ResProjectID must match a project in Project.csv, so an
    affiliation with a residential project outside the export (another agency's, in an
    agency's own export) is left out rather than written as a broken reference."""
    in_export = projects.values("pk")
    for record in Affiliation.objects.filter(project__in=in_export, residential_project__in=in_export) \
            .select_related("project", "residential_project", "recorded_by").order_by("pk").iterator():
        yield {"AffiliationID": source_ids.export_id(record), "ProjectID": source_ids.export_id(record.project),
               "ResProjectID": source_ids.export_id(record.residential_project),
               "DateCreated": ts(record.created_at), "DateUpdated": ts(record.updated_at),
               "UserID": user_of(record, user_id)}


# --- Import -------------------------------------------------------------------------

def fields_from(row, columns: dict) -> dict:
    fields = {}
    for name, column in columns.items():
        value = row[column]
        if value is None and name in TEXT_FIELDS:
            value = ""
        elif isinstance(value, str) and name in TEXT_FIELDS:
            value = value[: _max_length(name)]
        fields[name] = value
    return fields


def _max_length(name: str) -> int:
    return {"other_funder": 100, "grant_id": 100, "address1": 100, "address2": 100, "city": 50, "state": 2,
            "zip_code": 5, "common_name": 200}[name]


def warn_value_problems(loader, file_name: str, line: int, record, columns: dict) -> None:
    """DESIGN conv. 10, H3: what HUD's rules find wrong in a loaded row (a geocode that is
    not six digits, beds that do not add up, overlapping statuses...) is loaded and listed
    as a warning on the row's line and column, never refused."""
    try:
        record.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
    except ValidationError as problems:
        for name, messages in problems.message_dict.items():
            for message in messages:
                loader.parsed.warn(file_name, line, columns.get(name, ""), message)


def load(loader, file_name: str) -> None:
    """Upsert one descriptor file. A row is the same local row when an earlier import of
    the same source mapped its ID (ExternalKey), when it is this HMIS's own export (the
    local ID, on the same project), or when the project already has the row HUD allows
    once (its CoC, or a funder or status starting the same day)."""
    from .importer import _aware

    model, key, columns, natural = FILES[file_name]
    counts = loader.counts[file_name]
    for line, row in loader.parsed.rows[file_name]:
        ext, project = row[key], loader.projects[row["ProjectID"]]
        fields = fields_from(row, columns)
        record = _existing(loader, model, file_name, ext, project, {name: fields[name] for name in natural})
        is_new = record is None
        record = record or model(project=project)
        for name, value in fields.items():
            setattr(record, name, value)
        record.created_at = _aware(row["DateCreated"]) or record.created_at
        record.updated_at = _aware(row["DateUpdated"]) or record.updated_at
        warn_value_problems(loader, file_name, line, record, columns)
        _keep_source_cells(loader, model, record, ext, row)
        record.save()
        counts["created" if is_new else "updated"] += 1
        loader.remember(file_name, ext, record.pk)
    _reserve(loader, model, file_name)


def load_affiliations(loader) -> None:
    from .importer import _aware

    counts = loader.counts["Affiliation.csv"]
    for line, row in loader.parsed.rows["Affiliation.csv"]:
        ext = row["AffiliationID"]
        project, residential = loader.projects[row["ProjectID"]], loader.projects[row["ResProjectID"]]
        record = _existing(loader, Affiliation, "Affiliation.csv", ext, project, {"residential_project": residential})
        is_new = record is None
        record = record or Affiliation(project=project)
        record.residential_project = residential
        record.created_at = _aware(row["DateCreated"]) or record.created_at
        record.updated_at = _aware(row["DateUpdated"]) or record.updated_at
        warn_value_problems(loader, "Affiliation.csv", line, record, {"residential_project": "ResProjectID"})
        _keep_source_cells(loader, Affiliation, record, ext, row)
        record.save()
        counts["created" if is_new else "updated"] += 1
        loader.remember("Affiliation.csv", ext, record.pk)
    _reserve(loader, Affiliation, "Affiliation.csv")


def _keep_source_cells(loader, model, record, ext, row) -> None:
    """H3: the row's own ID (source_ids.py's collision rule) and its author from User.csv."""
    source_ids.keep(model, record, ext)
    record.recorded_by = loader.users.get(row["UserID"])


def _reserve(loader, model, file_name) -> None:
    kept = model.objects.filter(pk__in=[int(pk) for pk in loader.keys[file_name].values()], hud_id__isnull=False)
    source_ids.reserve(model, kept.values_list("hud_id", flat=True))


def _existing(loader, model, file_name, ext, project, natural: dict):
    local = loader.keys[file_name].get(ext)
    if local and str(local).isdigit():
        record = model.objects.filter(pk=int(local), project=project).first()
        if record is not None:
            return record
    record = source_ids.find(model, str(ext), project=project)  # exported here under this ID
    if record is not None:
        return record
    if natural:
        return model.objects.filter(project=project, **natural).first()
    return None
