from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent (releases of information)"

    def ready(self):
        from . import checks  # noqa: F401  (registers the E5 deploy check)
