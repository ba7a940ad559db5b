from celery import shared_task

from . import services


@shared_task
def daily_roi_jobs():
    """C6 expiry and expiry warnings. Safe to run twice on the same day."""
    return services.run_daily_roi_jobs()


@shared_task
def scan_quarantined_documents():
    """E5: scan the uploads held in quarantine once a scanner is configured. Re-runnable."""
    from clients.notes import scan_quarantined_files

    from .documents import scan_quarantined

    result, files = scan_quarantined(), scan_quarantined_files()  # consent forms, then case files (issue 21)
    for key in ("clean", "infected", "missing", "left"):
        result[key] += files[key]
    result["unreachable"] = result["unreachable"] or files["unreachable"]
    return result
