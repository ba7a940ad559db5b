from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from hmis.api_tokens import DEFAULT_DAYS, issue_token
from hmis.errors import PolicyError
from hmis.models import User


class Command(BaseCommand):
    help = "Issue an API token for USERNAME; the token is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", help="agency name or id the token acts for (needed with several licenses)")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"lifetime in days (default {DEFAULT_DAYS})")
        parser.add_argument("--name", default="Command-line token")

    def handle(self, *args, username, agency=None, days, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        chosen = None
        if agency:
            chosen = Agency.objects.filter(pk=int(agency)).first() if agency.isdigit() else Agency.objects.filter(name=agency).first()
            if chosen is None:
                raise CommandError(f"No agency {agency}.")
        try:
            record, token = issue_token(actor=None, user=user, agency=chosen, name=name, days=days)
        except PolicyError as error:
            raise CommandError(" ".join(error.messages)) from None
        where = record.agency.name if record.agency else "HMIS Lead"
        self.stdout.write(f"Token {record.prefix} for {user.username} at {where}, expires {record.expires_at:%Y-%m-%d}:")
        self.stdout.write(token)
