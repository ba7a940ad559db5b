from django.apps import AppConfig


class HmisConfig(AppConfig):
    name = "hmis"
    verbose_name = "HMIS core"

    def ready(self):
        from . import audit, signals  # noqa: F401  (registers receivers)

        audit.register_domain_models()
