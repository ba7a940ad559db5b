from celery import shared_task

from . import services


@shared_task
def daily_terminations():
    """A4: close the agencies whose termination date has come. Safe to run twice."""
    return services.run_terminations()


@shared_task
def daily_agreement_reminders():
    """A2: renewal reminders and lapse notices. Safe to run twice."""
    return services.run_agreement_reminders()
