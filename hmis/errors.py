"""Domain errors raised by services with a plain message for the person."""

from django.core.exceptions import ValidationError


class PolicyError(ValidationError):
    """A rule of RULES.md refuses the action. The message says which and why."""

    def __init__(self, message, rule: str | None = None, field: str | None = None):
        self.rule = rule
        if field:
            super().__init__({field: [message]})
        else:
            super().__init__(message)
