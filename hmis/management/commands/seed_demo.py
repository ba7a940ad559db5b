from django.core.management.base import BaseCommand

from hmis import demo


class Command(BaseCommand):
    help = "Load the demo HMIS (idempotent) and print the demo logins with their TOTP secrets."

    def handle(self, *args, **options):
        logins = demo.seed()
        self.stdout.write("Demo logins (password, then the TOTP secret for your authenticator app):")
        width = max(len(u) for u, *_ in logins)
        for username, label, password, secret in logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {secret}  {label}")
        self.stdout.write(
            "Add a secret to any authenticator app (time-based, 6 digits, 30 s), or print a code "
            "with: .venv/bin/python manage.py demo_totp USERNAME"
        )
