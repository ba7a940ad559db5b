from django.apps import AppConfig


class HmisConfig(AppConfig):
    name = "hmis"
    verbose_name = "HMIS core"

    def ready(self):
        from . import audit, gate, signals  # noqa: F401  (registers receivers)

        audit.register_domain_models()
        gate.connect_receivers()
        self._connect_key_checks()

    def _connect_key_checks(self):
        """The PII key fingerprint (hmis/keys.py): recorded by the first migrate, checked
        before manage.py commands (a system check) and before Celery's worker and beat
        start (gunicorn: hmis/wsgi.py). Connecting queries nothing."""
        from celery.signals import beat_init, worker_init
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import keys

        checks.register(keys.check_pii_key)
        post_migrate.connect(keys.record_after_migrate, sender=self, dispatch_uid="hmis.keys.record")
        worker_init.connect(keys.refuse_to_start_celery, dispatch_uid="hmis.keys.worker")
        beat_init.connect(keys.refuse_to_start_celery, dispatch_uid="hmis.keys.beat")
