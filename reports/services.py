"""Writes of the reports app: starting a HUD report job and running a failed one again
(DESIGN conv. 1). Who may do it is the view's rule (hmis/access.py REPORTS) plus the
projects the person may choose, which the caller passes in."""

from django.db import transaction

from hmis.errors import PolicyError

from .hud import runner
from .models import ReportRun

NOT_QUEUED = ("The report could not be queued: the job service is not reachable. "
              "Nothing was saved; try again in a few minutes.")


class JobNotQueued(PolicyError):
    """The broker could not be reached; the run was not kept."""


def start_hud_report(*, actor, agency, kind, projects, start, end, coc=None, lsa_scope=None) -> ReportRun:
    """Save a run and queue its job once saved. With the job service unreachable the run
    is deleted again (runner.enqueue) and JobNotQueued says so plainly; nothing is left
    "queued" that no worker will ever start."""
    with transaction.atomic():
        if kind == ReportRun.Kind.LSA:  # the LSA's ReportCoC; systemwide unless said (LSA spec 3.1)
            lsa_scope = lsa_scope or ReportRun.LsaScope.SYSTEMWIDE
        report = ReportRun.objects.create(kind=kind, start=start, end=end, requested_by=actor, agency=agency,
                                          coc=coc if kind == ReportRun.Kind.LSA else None, lsa_scope=lsa_scope)
        report.projects.set(projects)
        runner.enqueue(report)
    # When this was the outermost transaction the job was sent (or refused) just now;
    # inside a caller's transaction it is sent when that commits.
    if not transaction.get_connection().in_atomic_block and not ReportRun.objects.filter(pk=report.pk).exists():
        raise JobNotQueued(NOT_QUEUED)
    return report


def run_report_again(*, actor, agency, report: ReportRun, allowed_projects) -> ReportRun:
    """A failed run, run again as a new run with the same report, projects and dates.
    The failed run stays as it was, with its reason: what the person saw stays true,
    and a late re-delivery of its old job finds it failed and does nothing.
    `allowed_projects` are the projects the person may choose when starting a report
    now; a run covering any other (moved to another agency, say) is refused."""
    if report.status != ReportRun.Status.FAILED:
        raise PolicyError("Only a report that failed can be run again.")
    projects = list(report.projects.all())
    if not projects or {p.pk for p in projects} - set(allowed_projects.values_list("pk", flat=True)):
        raise PolicyError("This report covers projects you cannot run reports on now; start a new report instead.")
    return start_hud_report(actor=actor, agency=agency, kind=report.kind, projects=projects, start=report.start,
                            end=report.end, coc=report.coc, lsa_scope=report.lsa_scope)
