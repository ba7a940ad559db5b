"""API tokens: issue, revoke, and authenticate a request's bearer token."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import License

from .errors import PolicyError
from .models import ApiToken

DEFAULT_DAYS = 90
MAX_DAYS = 365


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, actor, user, agency=None, name: str = "API token", days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Returns the token record and the token itself, which is never stored."""
    if actor is not None and not actor.is_system_admin:
        raise PolicyError("Only HMIS Lead system administrators issue API tokens.")
    if not 1 <= days <= MAX_DAYS:
        raise PolicyError(f"A token lasts between 1 and {MAX_DAYS} days.", field="days")
    if agency is None and not user.is_system_admin:
        licenses = License.objects.filter(user=user, status=License.Status.ACTIVE)
        if licenses.count() != 1:
            raise PolicyError("Name the agency the token acts for.", field="agency")
        agency = licenses.get().agency
    if agency is not None and not License.objects.filter(user=user, agency=agency, status=License.Status.ACTIVE).exists():
        raise PolicyError(f"{user.username} holds no active license at {agency.name}.", field="agency")
    prefix = secrets.token_hex(4)
    token = f"hmis_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        user=user, agency=agency, name=name, prefix=prefix, key_hash=_digest(token), created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return record, token


def revoke_token(*, actor, token: ApiToken) -> None:
    if not (actor.is_system_admin or actor == token.user):
        raise PolicyError("Only the token's owner or a system administrator can revoke it.")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate(header: str) -> ApiToken | None:
    """The live token named by an ``Authorization: Bearer ...`` header, or None."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("hmis_"):
        return None
    record = ApiToken.objects.select_related("user", "agency").filter(key_hash=_digest(token.strip())).first()
    now = timezone.now()
    if record is None or record.revoked_at or record.expires_at <= now or not record.user.is_active:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record
