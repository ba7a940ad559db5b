from django.conf import settings

from .middleware import idle_lock_minutes_for


def hmis_context(request):
    """What the base layout shows: the HMIS name, the agency context and its switcher."""
    context = {"HMIS_NAME": settings.HMIS_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "license"):
        context["context_licenses"] = request.licenses if hasattr(request, "licenses") else []
        context["idle_lock_seconds"] = idle_lock_minutes_for(request) * 60
        from consent.visibility import Viewer

        from .models import Notification

        context["may_open_clients"] = Viewer.from_request(request).may_open_client_data
        context["unread_alerts"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return context
