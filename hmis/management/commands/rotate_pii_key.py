"""manage.py rotate_pii_key: re-encrypt every SSN with a new PII_KEY, in one transaction.

The new key is read from the environment variable NEW_PII_KEY or from a file
(--new-key-file), never from the command line, where `ps` and shell history would keep
it. Run it with the OLD key configured and the web, worker and beat stopped; then put the
new key in the environment (and in its backup) and start them again.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hmis import crypto, keys


class Command(BaseCommand):
    help = ("Re-encrypt every SSN and recompute the SSN search hashes with a new PII_KEY (from NEW_PII_KEY or "
            "--new-key-file), in one transaction, and record the new key's fingerprint.")
    requires_system_checks = []  # checks the key itself, with a message for this command

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", help="a file holding the new key (read, never printed)")

    def handle(self, *args, **opts):
        if opts["new_key_file"]:
            new_key = Path(opts["new_key_file"]).read_text()
        else:
            new_key = os.environ.get("NEW_PII_KEY", "")
        if not new_key.strip():
            raise CommandError("Give the new key in the environment variable NEW_PII_KEY or with --new-key-file FILE.")
        try:
            done = keys.rotate(new_key, log=self.stdout.write)
        except (keys.KeyMismatch, crypto.UndecryptableValue) as refusal:
            raise CommandError(f"Nothing was changed. {refusal}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Re-encrypted {done:,} clients' SSNs; the database now records the new key (fingerprint "
            f"{keys.short(crypto.fingerprint(new_key.strip()))}).\n"
            "Now: replace PII_KEY with the new key wherever the HMIS is started (.env / environment), store the new "
            "key's backup where the old one was kept (README, \"Keys\"), and start the HMIS. Until PII_KEY is "
            "replaced the HMIS refuses to start. Backups taken before today need the OLD key: keep it as long as "
            "those backups."))
