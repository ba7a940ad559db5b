"""E5: ``manage.py check --deploy`` warns when no virus scanner is configured (uploads
are then held in quarantine and cannot be opened until scanned)."""

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def virus_scanner_configured(app_configs, **kwargs):
    from .documents import scanner_configured

    if scanner_configured():
        return []
    return [Warning(
        "No virus scanner is configured: uploaded documents are stored in quarantine and cannot be "
        "opened until they are scanned (E5).",
        hint="Run ClamAV's daemon (docker-compose.yml runs clamav/clamav) and set CLAMAV_HOST (and CLAMAV_PORT) "
             "or CLAMAV_SOCKET; then `manage.py scan_documents` scans what waits in quarantine.",
        id="consent.W001",
    )]
