"""E5: uploaded consent forms are checked by content (not by name or the browser's
claim), by size, and scanned by ClamAV's daemon where one is configured, before
anyone can open them.

With no scanner configured an upload is stored in quarantine (scan_result
"not_scanned"): ``downloadable`` refuses it until ``scan_quarantined`` (the Celery
task and ``manage.py scan_documents``) finds it clean; an infected file is deleted
and marked. ``manage.py check --deploy`` warns when no scanner is set (checks.py)."""

import hashlib
import socket
import struct

from django.conf import settings

from hmis.errors import PolicyError

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def clamav_scan(data: bytes) -> str | None:
    """Return the virus name if ClamAV finds one, None if clean. Raises OSError when
    the daemon cannot be reached (the upload is then refused, not waved through)."""
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(settings.CLAMAV_SOCKET)
    else:
        sock = socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=30)
    with sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), 8192):
            chunk = data[start:start + 8192]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    text = reply.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
    raise OSError(f"Unexpected answer from ClamAV: {text}")


def scanner_configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def check_upload(upload) -> tuple[bytes, str, str, str]:
    """Read and check an uploaded file. Returns (data, content type, sha256, scan result)."""
    if upload.size > MAX_BYTES:
        raise PolicyError("The file is larger than 10 MB. Scan it at a lower resolution.", rule="E5", field="document")
    data = upload.read()
    kind = sniff_content_type(data[:16])
    if kind is None:
        raise PolicyError(
            "That file is not a PDF, PNG, JPEG or TIFF image. Upload the scanned form as one of those.",
            rule="E5", field="document",
        )
    scan = "not_scanned"
    if scanner_configured():
        try:
            virus = clamav_scan(data)
        except OSError:
            raise PolicyError(
                "The virus scanner cannot be reached, so the file was not stored. Try again later.",
                rule="E5", field="document",
            ) from None
        if virus:
            raise PolicyError(f"The virus scanner found {virus} in that file. It was not stored.", rule="E5", field="document")
        scan = "clean"
    return data, kind, hashlib.sha256(data).hexdigest(), scan


def downloadable(document) -> bool:
    """E5: only a file the virus scanner found clean may be opened; anything else
    (quarantined, awaiting its scan, or infected) may not."""
    return document.scan_result == document.ScanResult.CLEAN


def scan_quarantined(*, limit: int | None = None) -> dict:
    """Scan the documents held in quarantine, when a scanner is configured: clean ones
    become downloadable; an infected one is deleted from storage, marked, and the HMIS
    Lead is told (by document ID only). Re-runnable: only quarantined documents are
    read, and a scanner that cannot be reached leaves the rest for the next run."""
    from .models import RoiDocument

    return scan_queue(
        RoiDocument.objects.filter(scan_result=RoiDocument.ScanResult.NOT_SCANNED, removed_at__isnull=True),
        limit=limit, infected_subject="A quarantined document held a virus and was deleted",
        infected_body=lambda document, virus: (
            f"ROI document {document.uuid}: the virus scanner found {virus}. Ask the agency "
            "to upload a new scan of the form."),
        dedupe_prefix="document-infected")


def scan_queue(queue, *, limit, infected_subject: str, infected_body, dedupe_prefix: str) -> dict:
    """E5 for any quarantined upload (ROI scans, client files): ``queue`` holds the records
    not scanned yet (a ``file``, ``scan_result`` with CLEAN/INFECTED/NOT_SCANNED, ``uuid``,
    ``uploaded_at``). Each is read and scanned under a row lock, so two runs side by side
    never scan one twice; the notice names the record by ID only (E1)."""
    from django.db import transaction

    from hmis.notify import hmis_lead_admins, notify

    model = queue.model
    result = {"scanner": scanner_configured(), "clean": 0, "infected": 0, "missing": 0, "left": 0,
              "unreachable": False}
    if not result["scanner"]:
        result["left"] = queue.count()
        return result
    ids = list(queue.order_by("uploaded_at", "pk").values_list("pk", flat=True)[:limit])
    for index, pk in enumerate(ids):
        with transaction.atomic():
            record = model.objects.select_for_update().filter(
                pk=pk, scan_result=model.ScanResult.NOT_SCANNED).first()
            if record is None:
                continue  # scanned by a run alongside this one
            try:
                with record.file.open("rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                result["missing"] += 1  # stays quarantined: nothing to open
                continue
            try:
                virus = clamav_scan(data)
            except OSError:
                result["unreachable"], result["left"] = True, len(ids) - index
                break
            if virus:
                record.file.delete(save=False)
                record.scan_result = model.ScanResult.INFECTED
                record.save(update_fields=["file", "scan_result"])
                result["infected"] += 1
                notify(hmis_lead_admins(), subject=infected_subject, body=infected_body(record, virus),
                       dedupe_key=f"{dedupe_prefix}:{record.pk}")
            else:
                record.scan_result = model.ScanResult.CLEAN
                record.save(update_fields=["scan_result"])
                result["clean"] += 1
    return result
