"""Referrals from one agency's worker to another agency's project (issue 21).

A referral is written by the referring agency and read by the receiving one: the
receiving agency answers it (accepts, optionally straight into an intake for the
project, or declines with a reason); the referring worker may withdraw it while it
waits. Each change of status is a ``ReferralEvent`` row, so both sides read the same
history. Who may see and act on a referral is decided in consent/visibility.py
(``referral_visible``) and hmis/access.py (``answers_referral``, ``withdraws_referral``).
"""

from django.conf import settings
from django.db import models

from .models import new_record_id


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DeclineReason(models.TextChoices):
    """Why the receiving project declined. HUD's 4.20.D "Referral result" has two
    unsuccessful outcomes, "client rejected" and "provider rejected"; the provider's
    reasons are split into what a case worker needs to know to refer elsewhere."""

    CLIENT_REJECTED = "client_rejected", "The client turned the referral down (HUD: client rejected)"
    NOT_ELIGIBLE = "not_eligible", "The client is not eligible for this project (HUD: provider rejected)"
    NO_OPENING = "no_opening", "No bed, unit or opening now (HUD: provider rejected)"
    NO_CONTACT = "no_contact", "We could not reach the client"
    OTHER = "other", "Another reason (explained below)"


class Referral(models.Model):
    referral_id = models.CharField(max_length=32, unique=True, default=new_record_id, editable=False)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    # The stay the referral was made from, if any (a stay of the referring agency).
    from_enrollment = models.ForeignKey("enrollments.Enrollment", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="referrals_made")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_project = models.ForeignKey("agencies.Project", on_delete=models.PROTECT, related_name="referrals_in")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_received")
    referral_date = models.DateField("date of the referral")
    note = models.TextField("why the client is referred")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField("the reason in words", blank=True)
    # The stay the receiving agency opened for the client on accepting, when it did.
    enrollment = models.ForeignKey("enrollments.Enrollment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="referrals_answered")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referral_date", "-pk"]
        indexes = [models.Index(fields=["to_agency", "status"], name="referral_queue"),
                   models.Index(fields=["from_agency", "status"], name="referral_sent")]

    def __str__(self):
        return f"Referral {self.referral_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING


class ReferralEvent(models.Model):
    """One step of a referral's history: made, accepted, declined, withdrawn, stay opened."""

    class Kind(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ENROLLED = "enrolled", "Stay opened in the project"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.referral})"
