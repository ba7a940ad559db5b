"""U7: the HMIS password rule.

At least 8 characters with a letter and a number; not containing the username,
the HMIS name or the vendor name (nor any of them spelled backwards); not made
wholly of a dictionary word or a dictionary word spelled backwards. Digits and
symbols around a word do not make it something else: "sunshine1" and
"!1enihsnus" are both a dictionary word.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

MIN_LENGTH = 8


@lru_cache(maxsize=4)
def load_words(path: str) -> frozenset[str]:
    word_file = Path(path)
    if not word_file.exists():
        raise ImproperlyConfigured(
            f"The password word list {path} is missing. Install Debian's 'wamerican' "
            "package or set PASSWORD_WORD_LIST to a word list, one word a line."
        )
    words = set()
    for line in word_file.read_text(encoding="utf-8", errors="ignore").splitlines():
        word = line.strip().lower()
        # "cat's" is listed beside "cat"; single letters are not words worth refusing.
        if len(word) >= 3 and word.isalpha():
            words.add(word)
    return frozenset(words)


def _letters_only(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class HmisPasswordValidator:
    def __init__(self, word_list: str | None = None):
        self.word_list = word_list

    def _forbidden_names(self, user) -> list[str]:
        names = [settings.HMIS_NAME, settings.HMIS_VENDOR_NAME]
        if user is not None and getattr(user, "username", ""):
            names.append(user.username)
        result = []
        for name in names:
            compact = re.sub(r"[\s_.\-]", "", name.lower())
            if len(compact) >= 3:
                result.append(compact)
        return result

    def validate(self, password, user=None):
        errors = []
        if len(password) < MIN_LENGTH:
            errors.append(f"Use at least {MIN_LENGTH} characters.")
        if not re.search(r"[A-Za-z]", password):
            errors.append("Use at least one letter.")
        if not re.search(r"\d", password):
            errors.append("Use at least one number.")

        lowered = re.sub(r"[\s_.\-]", "", password.lower())
        for name in self._forbidden_names(user):
            if name in lowered or name[::-1] in lowered:
                errors.append(
                    "Do not use your username, the HMIS name or the vendor's name, "
                    "forwards or backwards."
                )
                break

        letters = _letters_only(password)
        words = load_words(self.word_list or settings.PASSWORD_WORD_LIST)
        if letters and (letters in words or letters[::-1] in words):
            errors.append(
                "Do not use a dictionary word, or one spelled backwards, even with numbers "
                "or symbols added."
            )
        if errors:
            raise ValidationError(errors, code="password_policy")

    def get_help_text(self):
        return (
            "At least 8 characters with at least one letter and one number. Not your "
            "username, the HMIS name or the vendor's name, and not a dictionary word, "
            "forwards or backwards."
        )
