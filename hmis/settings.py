"""Settings for the HMIS: one module, everything read from the environment.

Embedded defaults (no servers needed): a SQLite file and Celery's filesystem
transport under ``var/``. Production and CI set ``DATABASE_URL`` and
``REDIS_URL``. With ``DEBUG=False`` the HTTPS hardening is on unless
``HTTPS=False`` is set explicitly (``make run`` does, to serve plain HTTP on
loopback).
"""

import contextlib
import os
import secrets
from pathlib import Path

import environ

# Files the app writes (the SQLite database and its journal, uploads, file mail, the
# filesystem broker's messages, generated keys) are for its own user only. A process
# umask covers them all, whichever library opens the file: SQLite and Django's file
# mail backend take no mode of their own. This module is the one every entry point
# (manage.py, hmis.wsgi under gunicorn, the Celery worker and beat) loads before it
# writes anything, so setting it here, first, is early enough for all of them.
os.umask(0o077)


def _private_dir(path: Path) -> Path:
    """Create ``path`` for the app's own user only, and tighten one that exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a folder another user owns (a mounted volume) is left as it is
        path.chmod(0o700)
    return path


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = _private_dir(Path(environ.Env().str("HMIS_VAR_DIR", default=str(BASE_DIR / "var"))))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _embedded_key(name: str) -> str:
    """A random key kept under var/, so the embedded default never ships a known key."""
    key_file = VAR_DIR / name
    if not key_file.exists():
        # Processes starting together (the web server and the worker of `make run`,
        # parallel test workers) must agree on one key: each writes its own candidate
        # in full, then the first hard link wins and the others read the winner's.
        candidate = VAR_DIR / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        candidate.write_text(secrets.token_urlsafe(50))
        candidate.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(candidate, key_file)
        candidate.unlink()
    return key_file.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_key("secret_key")
# Master key for personal identifiers (hmis/crypto.py): SSN encryption and keyed
# hashes. Keep it apart from SECRET_KEY so rotating one does not lose the other.
PII_KEY = env.str("PII_KEY", default="") or _embedded_key("pii_key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Names the password rule U7 forbids inside passwords.
HMIS_NAME = env.str("HMIS_NAME", default="Open HMIS")
HMIS_VENDOR_NAME = env.str("HMIS_VENDOR_NAME", default="OpenHMIS")
# Word list for U7 ("not wholly a dictionary word"); Debian's wamerican by default.
PASSWORD_WORD_LIST = env.str("PASSWORD_WORD_LIST", default="/usr/share/dict/words")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "auditlog",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "hmis.apps.HmisConfig",
    "agencies.apps.AgenciesConfig",
    "clients.apps.ClientsConfig",
    "consent.apps.ConsentConfig",
    "enrollments.apps.EnrollmentsConfig",
    "reports.apps.ReportsConfig",
    "compliance.apps.ComplianceConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL in a path or query string: 404/400 before any view or query sees it.
    "hmis.request_sanity.RequestSanityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), before everything else, so
    # redirects, refusals and lockout pages made by later middleware get it too.
    "hmis.security_headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hmis.middleware.OTPMiddleware",  # django-otp's, using the cached gate state (hmis/gate.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Order matters: one session per user, then the idle lock, then the agency
    # context, then the deny-by-default gate, then the audit actor.
    "hmis.middleware.SingleSessionMiddleware",
    "hmis.middleware.SecondFactorMiddleware",
    "hmis.middleware.IdleLockMiddleware",
    "hmis.middleware.AgencyContextMiddleware",
    "hmis.middleware.AccessRuleMiddleware",
    "hmis.middleware.AuditContextMiddleware",
    # An SSN encrypted with another PII_KEY: a plain page, not a traceback (hmis/keys.py).
    "hmis.keys.UndecryptableValueMiddleware",
]

ROOT_URLCONF = "hmis.urls"
WSGI_APPLICATION = "hmis.wsgi.application"
AUTH_USER_MODEL = "hmis.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hmis.context_processors.hmis_context",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hmis.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# How close a typed word must be to a word of a client's name (0-1; pg_trgm).
CLIENT_SEARCH_SIMILARITY = env.float("CLIENT_SEARCH_SIMILARITY", default=0.3)
# Keep connections between requests (a new one costs more than most pages' queries).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Client search (clients/selectors.py) matches each word of a name with pg_trgm's
    # word-similarity operator, which the trigram index serves; its threshold is this
    # setting, not an argument, so every connection starts with it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c pg_trgm.word_similarity_threshold={CLIENT_SEARCH_SIMILARITY}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "hmis.passwords.HmisPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _private_dir(VAR_DIR / "staticfiles")  # whitenoise warns about a missing folder before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded documents (scanned consent forms) live outside static/ and are only
# ever served by a view that checks permission.
MEDIA_ROOT = _private_dir(Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "documents"))))
# Uploads are for the app's own user only (Django's defaults are 0o644 and the umask).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# E5: ClamAV daemon for uploaded documents (unix socket or host:port); unset = no scanner.
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env.str("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)

# HMIS CSV upload: what a zip may unpack to (zip bombs are refused with a clear message).
HMIS_CSV_MAX_TOTAL_BYTES = env.int("HMIS_CSV_MAX_TOTAL_BYTES", default=2 * 1024**3)
HMIS_CSV_MAX_FILE_BYTES = env.int("HMIS_CSV_MAX_FILE_BYTES", default=1024**3)
HMIS_CSV_MAX_COMPRESSION_RATIO = env.int("HMIS_CSV_MAX_COMPRESSION_RATIO", default=200)

# A2: days after 1 October (the HUD fiscal year's start) by which the APA must be renewed.
APA_RENEWAL_DAYS = env.int("APA_RENEWAL_DAYS", default=30)

# --- Sessions, sign-in, security -------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# U9 default; each CoC's idle_lock_minutes switch overrides it.
IDLE_LOCK_MINUTES = env.int("IDLE_LOCK_MINUTES", default=15)

HTTPS = env.bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# django-axes: lock an account name after repeated failures (U-series hardening).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Failures are counted per account name and address together, and an account name
# is locked after AXES_FAILURE_LIMIT failures from whatever addresses they came.
# Address alone is not a lockout parameter: behind the TLS proxy the README asks
# for, every person shares one address, and one person's typos (or one attacker
# trying many names) would lock out everyone. With the one failure limit the pair
# never locks sooner than the account name; it is listed because it is what is
# counted, and axes' deploy check (axes.W006) wants the address in the parameters.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "hmis/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

OTP_TOTP_ISSUER = HMIS_NAME

# django-guardian: permissions are granted to agency groups only (DESIGN conv. 3).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# django-auditlog: our entry model also records the agency context of each action.
AUDITLOG_LOGENTRY_MODEL = "hmis.AuditEntry"
AUDITLOG_INCLUDE_ALL_MODELS = False
# auditlog's own migrations create its default table even when the model is swapped;
# with ours swapped in, that table would only hold foreign keys that block TRUNCATE.
MIGRATION_MODULES = {"auditlog": None}

# --- Email -----------------------------------------------------------------
# django-environ drops the first "/" of a filemail path (as in sqlite:////abs/path), so an
# absolute folder needs four slashes; with three the mail went to a folder relative to
# wherever the process started, outside var/.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail:///" + str(VAR_DIR / "mail"))
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    _private_dir(Path(EMAIL_CONFIG["EMAIL_FILE_PATH"]))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hmis@localhost")
# Base of links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# A job is acknowledged only once it has finished, and handed back to the queue when
# its worker dies, so a killed worker's report is started again (cleanly: the task is
# idempotent, see reports/hud/runner.py). One job at a time per worker process, so a
# second job is not held hostage by a long first one. With Redis a job not acknowledged
# within the visibility timeout is delivered again, so the timeout must be longer than
# the longest report (seconds; 2 hours by default). Runs whose worker went silent are
# failed by the periodic check of reports/tasks.py after REPORT_STALLED_AFTER_MINUTES.
# The embedded filesystem transport hands unfinished jobs back only on a clean worker
# shutdown; after a kill that periodic check is what tells the person.
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        # a broker that is down answers a submit in seconds, not a browser timeout
        "socket_connect_timeout": 5,
    }
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _private_dir(VAR_DIR / "celery")
    _private_dir(_queue_dir)
    _private_dir(_processed_dir)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True
# /healthz reports the worker as failing when its heartbeat (hmis.tasks.worker_heartbeat,
# every minute from beat) is older than this.
HEALTH_WORKER_STALE_SECONDS = env.int("HEALTH_WORKER_STALE_SECONDS", default=5 * 60)
HEALTH_BROKER_TIMEOUT_SECONDS = env.float("HEALTH_BROKER_TIMEOUT_SECONDS", default=2.0)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Report jobs (reports/hud/runner.py): a running report whose worker has not reported
# progress for this many minutes, or a queued one no worker started within the
# second number, is marked failed with its reason; the person gets a Run again button.
# A run whose worker died this many times is not started again (it may be too big).
REPORT_STALLED_AFTER_MINUTES = env.int("REPORT_STALLED_AFTER_MINUTES", default=15)
REPORT_QUEUED_TOO_LONG_MINUTES = env.int("REPORT_QUEUED_TOO_LONG_MINUTES", default=60)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)

# --- Logging: never personal information, only ids (E1, DESIGN conv. 6) ------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
