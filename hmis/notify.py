"""Notifications in the app and by email. Callers pass text with the HMIS Client ID
only, never a name, date of birth or SSN (E1); tests/test_no_pii.py scans both."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification, User


def notify(recipients, *, subject: str, body: str = "", link: str = "", dedupe_key: str = "", email: bool = True):
    """Create one notification per recipient (once per dedupe_key) and email it."""
    sent = []
    for user in recipients:
        try:
            with transaction.atomic():
                Notification.objects.create(recipient=user, subject=subject, body=body, link=link, dedupe_key=dedupe_key)
        except IntegrityError:
            continue  # already told: a job that runs twice tells once
        sent.append(user)
        if email and user.email:
            email_on_commit(user.email, subject=subject, body=body, link=link)
    return sent


def notify_many(messages, *, email: bool = True) -> int:
    """Many notifications in one INSERT, for the scheduled jobs. ``messages`` holds
    (recipient, subject, body, link, dedupe_key); a key a recipient already has is
    skipped, as in ``notify``. Returns how many were created."""
    messages = list(messages)
    if not messages:
        return 0
    recipients = {user.pk for user, *_ in messages}
    keys = {key for *_, key in messages if key}
    told = set(Notification.objects.filter(recipient_id__in=recipients, dedupe_key__in=keys)
               .values_list("recipient_id", "dedupe_key"))
    fresh, seen = [], set()
    for user, subject, body, link, key in messages:
        if key and ((user.pk, key) in told or (user.pk, key) in seen):
            continue
        seen.add((user.pk, key))
        fresh.append((user, Notification(recipient=user, subject=subject, body=body, link=link, dedupe_key=key)))
    # ignore_conflicts: a job running at the same moment elsewhere still tells once.
    Notification.objects.bulk_create([n for _, n in fresh], batch_size=1000, ignore_conflicts=True)
    if email:
        for user, note in fresh:
            if user.email:
                email_on_commit(user.email, subject=note.subject, body=note.body, link=note.link)
    return len(fresh)


def email_on_commit(address: str, *, subject: str, body: str = "", link: str = "") -> None:
    """Email an alert once the transaction commits; the same PII-free text rules apply."""
    url = f"{settings.SITE_URL}{link}" if link else settings.SITE_URL
    transaction.on_commit(
        lambda: send_mail(
            subject=f"[{settings.HMIS_NAME}] {subject}",
            message=f"{body}\n\n{url}\n\nSign in to see the details.",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=True,
        )
    )


def hmis_lead_admins():
    return User.objects.filter(is_system_admin=True, is_active=True)
