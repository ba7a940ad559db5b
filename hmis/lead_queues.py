"""What waits on the HMIS Lead, counted for its home page: each existing queue the Lead
decides (consent, agencies, compliance, reports), with a link to it. One query a queue;
counts only, never a client's name (E1)."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse

FAILED_IMPORT_DAYS = 30  # a failed HMIS CSV import is news for a month


@dataclass(frozen=True)
class Waiting:
    key: str
    label: str
    count: int
    url: str


def pending_for_lead(day=None) -> list[Waiting]:
    from django.utils import timezone

    from agencies.models import AccessApplication, Agency, UserAccessRequest
    from compliance.models import Breach, DataRequest, Violation
    from consent.models import ClientLock, GapApproval
    from reports.models import ImportRun

    from . import dates

    day = day or dates.today()
    # A2: an agency whose agreement is not signed for this fiscal year (unsigned, renewal
    # due or lapsed: agencies.agreements.status_of other than CURRENT), in one query.
    agreements = (Agency.objects.exclude(status=Agency.Status.TERMINATED)
                  .exclude(signatures__fiscal_year__gte=dates.fiscal_year_of(day)).distinct())
    since = timezone.now() - timedelta(days=FAILED_IMPORT_DAYS)
    queues = [
        ("locks", "Requests to lock records", ClientLock.objects.filter(
            source=ClientLock.Source.CLIENT_REQUEST, status=ClientLock.Status.REQUESTED), "consent:lock_requests"),
        ("gaps", "Requests to enter data between ROIs",
         GapApproval.objects.filter(status=GapApproval.Status.REQUESTED), "consent:gap_requests"),
        ("access", "User access requests",
         UserAccessRequest.objects.filter(status=UserAccessRequest.Status.REQUESTED), "access_requests"),
        ("applications", "Access applications to decide", AccessApplication.objects.filter(
            status__in=[AccessApplication.Status.SUBMITTED, AccessApplication.Status.READY]), "applications"),
        ("agreements", "Agencies whose partner agreement is not signed for this fiscal year", agreements,
         "agreements_admin"),
        ("data_requests", "Data requests with the HMIS Lead",
         DataRequest.objects.filter(status=DataRequest.Status.REVIEW), "oversight:data_requests"),
        ("breaches", "Breaches open", Breach.objects.filter(resolved_at__isnull=True), "oversight:breaches"),
        ("violations", "Violations open (suspension not lifted)",
         Violation.objects.filter(lifted_at__isnull=True), "oversight:violations"),
        ("imports", f"HMIS CSV imports failed in the last {FAILED_IMPORT_DAYS} days",
         ImportRun.objects.filter(status=ImportRun.Status.FAILED, run_at__gte=since), "reports:import"),
    ]
    return [Waiting(key, label, query.count(), reverse(name)) for key, label, query, name in queues]
