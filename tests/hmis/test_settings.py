"""Settings come from the environment; production settings pass Django's deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"HMIS_VAR_DIR": str(tmp_path / "var")})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_in_production_settings(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "DEBUG"],
        {"DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(40)[:50], "ALLOWED_HOSTS": "hmis.example.org",
         "CLAMAV_HOST": "clamav"},  # E5: without a scanner the deploy check warns (tests/consent/test_quarantine.py)
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_embedded_defaults_use_sqlite_and_the_filesystem_broker_under_var(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']); print(s.DATABASES['default']['NAME']);"
        "print(s.CELERY_BROKER_URL); print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']);"
        "print(len(s.SECRET_KEY))"
    )
    result = run_manage(["shell", "--no-imports", "-c", code], {}, tmp_path)
    engine, name, broker, folder, key_length = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.startswith(str(tmp_path / "var"))
    assert broker == "filesystem://" and folder.startswith(str(tmp_path / "var"))
    assert int(key_length) >= 50
    # The generated key is kept: the same on the next start.
    again = run_manage(["shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.SECRET_KEY)"], {}, tmp_path)
    assert again.stdout.strip() == (tmp_path / "var" / "secret_key").read_text().strip()


def test_database_and_redis_urls_come_from_the_environment(tmp_path):
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL)"
    result = run_manage(
        ["shell", "--no-imports", "-c", code],
        {"DATABASE_URL": "postgres://u@db.internal:5432/hmis", "REDIS_URL": "redis://cache:6379/1"},
        tmp_path,
    )
    engine, broker = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache:6379/1"


@pytest.mark.django_db  # loading the tasks runs Django's checks, the PII key's among them (hmis/keys.py)
def test_beat_schedule_names_only_registered_tasks():
    from hmis.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
