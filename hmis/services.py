"""Writes of the sign-in layer: second-factor enrolment and backup codes (U10)."""

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import PolicyError

BACKUP_CODE_COUNT = 10


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled; the same one until confirmed, so a
    page reload does not change the QR code under the person's feet."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, user, token: str) -> list[str]:
    """Confirm enrolment with a first code; returns new single-use backup codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise PolicyError("Start the set-up again: no authenticator is waiting to be confirmed.")
    if not device.verify_token(token):
        raise PolicyError(
            "That code did not match. Check the clock on your phone and enter the newest code.",
            rule="U10",
            field="token",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    return replace_backup_codes(user=user)


@transaction.atomic
def replace_backup_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
