"""Signal receivers of the core app."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def remember_the_one_session(sender, request, user, **kwargs):
    """U8: the newest sign-in is the only session allowed to act for the user."""
    if request is None or not hasattr(request, "session"):
        return
    remember_session(request, user)


def remember_session(request, user) -> None:
    """Record the request's session as the user's one session (also after the key
    changes, as a password change does)."""
    if not request.session.session_key:
        request.session.save()
    from .models import User

    User.objects.filter(pk=user.pk).update(current_session_key=request.session.session_key)
    user.current_session_key = request.session.session_key
