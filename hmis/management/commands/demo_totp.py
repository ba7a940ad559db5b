from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from hmis import demo
from hmis.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (only the demo's fixed secrets)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if username not in {login.username for login in demo.LOGINS}:
            raise CommandError(f"{username} is not a demo login.")
        if not User.objects.filter(username=username).exists():
            raise CommandError("Run `manage.py seed_demo` first.")
        key = bytes.fromhex(demo.totp_key_for(username))
        self.stdout.write(f"{totp(key):06d}")
