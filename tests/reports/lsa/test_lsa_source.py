"""Issue 20: the LSA reads our data under HUD's HMIS CSV names (reports/hud/lsa/source.py)."""

from datetime import date

import pytest
from django.db import connection

from reports.hud.lsa import pipeline
from tests.reports.test_hud_rules import bed_nights, person, stay

pytestmark = pytest.mark.django_db


def test_every_view_reads_hud_names(tenancy):
    t = tenancy
    ann = person(t, "Ann")
    enrollment = stay(t, ann, t.shelter_a, "H1", date(2026, 1, 5), date(2026, 2, 1), destination=410)
    bed_nights(t, enrollment, date(2026, 1, 5))
    with connection.cursor() as cursor:
        pipeline.prepare(cursor, pipeline.Parameters(coc="TS-500", start=date(2025, 10, 1), end=date(2026, 9, 30)))
        cursor.execute("SELECT EnrollmentID, PersonalID, EntryDate, RelationshipToHoH FROM hmis_Enrollment")
        assert cursor.fetchall() == [(enrollment.enrollment_id, ann.client_id, date(2026, 1, 5), 1)]
        cursor.execute("SELECT ExitDate, Destination FROM hmis_Exit")
        assert cursor.fetchall() == [(date(2026, 2, 1), 410)]
        cursor.execute("SELECT DateProvided, RecordType FROM hmis_Services")
        assert cursor.fetchall() == [(date(2026, 1, 5), 200)]
        # a project with no participation record participates from its operating start
        cursor.execute("SELECT HMISParticipationType, HMISParticipationStatusStartDate FROM hmis_HMISParticipation "
                       "JOIN hmis_Project USING (ProjectID) WHERE ProjectName = 'A Shelter'")
        assert cursor.fetchall() == [(1, t.shelter_a.operating_start)]
        cursor.execute("SELECT VictimServiceProvider FROM hmis_Organization WHERE OrganizationName = 'Agency V'")
        assert cursor.fetchall() == [(1,)]
        cursor.execute("SELECT DOB, SSN FROM hmis_Client WHERE PersonalID = %s", [ann.client_id])
        assert cursor.fetchall() == [(date(1980, 1, 1), None)]  # SSNs only once fill_ssns has run
        for view in ("hmis_Disabilities", "hmis_HealthAndDV", "hmis_Funder", "hmis_ProjectCoC", "hmis_Inventory",
                     "hmis_Affiliation"):
            cursor.execute(f"SELECT count(*) FROM {view}")
            assert cursor.fetchone()[0] >= 0
        cursor.execute("SELECT ReportCoC, LookbackDate, LSAScope FROM lsa_Report")
        assert cursor.fetchall() == [("TS-500", date(2018, 10, 1), 1)]
