"""manage.py scan_documents [--limit N]: E5, scan the uploads held in quarantine."""

from django.core.management.base import BaseCommand, CommandError

from clients.notes import scan_quarantined_files
from consent.documents import scan_quarantined


class Command(BaseCommand):
    help = ("Scan the uploaded documents held in quarantine (stored while no virus scanner was configured) "
            "with ClamAV: clean ones become downloadable, infected ones are deleted.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="scan at most this many documents")

    def handle(self, *args, **opts):
        result = scan_quarantined(limit=opts["limit"])
        files = scan_quarantined_files(limit=opts["limit"])  # case files (issue 21)
        for key in ("clean", "infected", "missing", "left"):
            result[key] += files[key]
        result["unreachable"] = result["unreachable"] or files["unreachable"]
        if not result["scanner"]:
            raise CommandError(f"No virus scanner is configured (set CLAMAV_HOST or CLAMAV_SOCKET): "
                               f"{result['left']} documents stay quarantined.")
        self.stdout.write(f"Clean: {result['clean']}. Infected and deleted: {result['infected']}. "
                          f"File missing: {result['missing']}.")
        if result["unreachable"]:
            raise CommandError(f"The virus scanner could not be reached: {result['left']} documents stay quarantined.")
