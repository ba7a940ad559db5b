"""Helpers that keep personal identifying information where it belongs (E1).

Notifications, emails, log lines, URLs, file names and task arguments carry the
HMIS Client ID only. These helpers mask what must be shown partly.
"""

import re


def mask_ssn(ssn: str | None) -> str:
    digits = re.sub(r"\D", "", ssn or "")
    if len(digits) < 4:
        return ""
    return f"XXX-XX-{digits[-4:]}"


def last4(ssn: str | None) -> str:
    digits = re.sub(r"\D", "", ssn or "")
    return digits[-4:] if len(digits) >= 4 else ""
