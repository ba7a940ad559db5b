from django.conf import settings

from .middleware import idle_lock_minutes_for


def hmis_context(request):
    """What the base layout shows: the HMIS name, the agency context and its switcher."""
    context = {"HMIS_NAME": settings.HMIS_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "license"):
        context["context_licenses"] = request.licenses if hasattr(request, "licenses") else []
        context["idle_lock_seconds"] = idle_lock_minutes_for(request) * 60
        from .access import RulesFor

        # Templates ask the same rules as the views ({% if rules.REPORTS %}); they never
        # decide by role, access level or the administrator flag (hmis/access.py).
        context["rules"] = RulesFor(request)
        # Kept with the gate state (hmis/gate.py); a new or read alert bumps it.
        context["unread_alerts"] = getattr(request, "unread_alerts", 0)
    return context
