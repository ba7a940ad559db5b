"""The first HMIS Lead system administrator of a new installation (issue 17: bootstrap)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.services import lead_administrator_bootstrap
from hmis.errors import PolicyError


class Command(BaseCommand):
    help = ("Make an HMIS Lead system administrator who can sign in once with the printed password, "
            "then chooses their own password and enrols their authenticator app.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True, help="Their work e-mail address (required).")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, first_name, last_name, **options):
        try:
            user, password = lead_administrator_bootstrap(username=username, email=email, first_name=first_name,
                                                          last_name=last_name)
        except PolicyError as refusal:
            raise CommandError(" ".join(refusal.messages)) from None
        except ValidationError as invalid:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in invalid.message_dict.items())
            raise CommandError(f"Not created: {problems}") from None
        self.stdout.write(
            f"HMIS Lead system administrator {user.username} created.\n"
            f"One-time password: {password}\n"
            f"1. Sign in at {settings.SITE_URL}/accounts/login/ with it; you are asked to choose your own password.\n"
            f"2. Enrol your authenticator app (TOTP) on the page that follows "
            f"({settings.SITE_URL}/accounts/two-factor/setup/): scan the QR code, type the code it shows, and keep "
            f"the backup codes somewhere safe.\n"
            f"3. Then set up the HMIS Lead, CoCs, agencies and people in the application.\n"
            f"The password is shown only here and is not stored in any log."
        )
