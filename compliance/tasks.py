from celery import shared_task

from . import services


@shared_task
def daily_recertification():
    """U4: warnings, suspensions and restorations. Safe to run twice."""
    return services.run_recertification()


@shared_task
def daily_sanctions():
    """S1: lift the suspensions whose 30 days, remedy or panel decision are in."""
    from .sanctions import run_sanctions

    return run_sanctions()


@shared_task
def daily_oversight():
    """A11, A12: close access after a lapsed cure period; clean-up letters and escalation."""
    from .oversight import run_oversight

    return run_oversight()


@shared_task
def daily_retention():
    """D7, C8: de-identify and remove what is past retention, once the HMIS Lead approved a dry run."""
    from .retention import run

    result = run(dry_run=False)
    return {"waiting_for_approval": True} if result is None else {
        "clients": len(result.client_ids), "documents": len(result.document_ids)}
