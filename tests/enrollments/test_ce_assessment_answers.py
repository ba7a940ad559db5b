"""4.19.5/4.19.6 (H3: AssessmentQuestions.csv and AssessmentResults.csv kept): a CE
assessment's questions and results show on the stay's page under their assessment, and
only where the assessment itself may be seen (C12)."""

from datetime import date

import pytest
from django.urls import reverse

from enrollments.models import CeAssessment, Enrollment
from tests.clients.states import make_client

pytestmark = pytest.mark.django_db


def test_h3_c12_the_questions_and_results_show_with_their_assessment_only(tenancy, signed_in):
    t = tenancy
    client = make_client(t.worker_a, project=t.shelter_a, first="Quill", last="Asker", dob=date(1980, 2, 2),
                         ssn="312459991")
    stay = Enrollment.objects.create(client=client, project=t.shelter_a, household_id="QA1", relationship_to_hoh=1,
                                     enrollment_coc=t.coc1.code, entry_date=date(2026, 3, 1),
                                     information_date=date(2026, 3, 1), entered_by=t.worker_a, agency=t.agency_a)
    assessment = CeAssessment.objects.create(
        enrollment=stay, information_date=date(2026, 3, 2), assessment_location="Hub", assessment_type=1,
        assessment_level=1, prioritization_status=1, entered_by=t.worker_a, agency=t.agency_a)
    assessment.questions.create(question_group="Housing history", question_order=1,
                                question="Where did you sleep last night?", answer="In a car", entered_by=t.worker_a)
    assessment.results.create(result_type="Priority score", result="14", entered_by=t.worker_a)
    url = reverse("enrollments:detail", args=[stay.enrollment_id])

    page = signed_in(t.worker_a).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Results: Priority score: 14" in text
    assert "Housing history: Where did you sleep last night?" in text and "In a car" in text

    # Agency B has no consent of this client: neither the stay nor its assessment's answers
    other = signed_in(t.worker_b).get(url)
    assert other.status_code == 404 and "In a car" not in other.content.decode()
