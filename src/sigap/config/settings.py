"""SIGAP settings: 12-factor, read from the environment.

The embedded default (no environment at all) is SQLite under var/, local-memory
cache and Celery tasks run eagerly in-process. Production sets SIGAP_PROFILE=production,
which refuses to start with the default secret or DEBUG on.
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sigap.config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("SIGAP_HOME", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env_str("SIGAP_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_str("SIGAP_PROFILE", "embedded")  # embedded | production
DEFAULT_SECRET = "sigap-embedded-insecure-secret-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET)
DEBUG = env_bool("DEBUG", False)
SIGAP_DEMO = env_bool("SIGAP_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PROFILE == "production":
    if SECRET_KEY == DEFAULT_SECRET or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Production profile: set a real SECRET_KEY (32+ characters).")
    if DEBUG:
        raise ImproperlyConfigured("Production profile: DEBUG must be off.")
elif PROFILE != "embedded":
    raise ImproperlyConfigured(f"SIGAP_PROFILE must be 'embedded' or 'production', not {PROFILE!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "sigap.core",
    "sigap.org",
    "sigap.privacy",
    "sigap.worktime",
    "sigap.arrangements",
    "sigap.attendance",
    "sigap.health",
    "sigap.verification",
    "sigap.performance",
    "sigap.rollcall",
    "sigap.discipline",
    "sigap.reports",
    "sigap.web",
]

# Behind nginx: REMOTE_ADDR from X-Forwarded-For's last hop, only when the peer is one of
# these proxies (comma-separated IPs/CIDRs; empty = never trust the header).
SIGAP_TRUSTED_PROXIES = env_list("SIGAP_TRUSTED_PROXIES", [])
MIDDLEWARE = [
    "sigap.core.request_id.RequestIdMiddleware",
    "sigap.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sigap.core.middleware.SigapLocaleMiddleware",
    # 413 past SIGAP_MAX_REQUEST_BYTES before the body is read; 422 for NUL characters
    "sigap.core.request_limits.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # innermost: a view that fails because the database is unavailable answers 503
    "sigap.core.db_errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "sigap.config.urls"
WSGI_APPLICATION = "sigap.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sigap.web.context.sigap",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sigap.sqlite3'}")
DATABASES = {
    "default": database_from_url(
        DATABASE_URL,
        base_dir=BASE_DIR,
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        # a SELECT 1 before each request; off by default (a dropped connection fails one
        # request, which the client retries idempotently)
        health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
# Production checks a persistent connection before a request reuses it (one SELECT 1):
# after a database restart or failover every worker's idle connection is dead, and
# without the check each one would fail its next request (503) instead of reconnecting.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool(
    "DB_CONN_HEALTH_CHECKS", PROFILE == "production"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "sigap"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # Redis down must not take the site down: a cache error is a logged miss, and a
    # hanging Redis is waited for at most a few seconds. The login throttle has its
    # own alias that raises, so it can count in memory instead (sigap.core.throttle).
    _redis_options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": 1,
        "SOCKET_TIMEOUT": 3,
    }
    CACHES["default"]["OPTIONS"] = {**_redis_options, "IGNORE_EXCEPTIONS": True}
    CACHES["throttle"] = {
        **CACHES["default"],
        "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": False},
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
# workers and beat log through LOGGING above (JSON lines in production), not their own format
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# a Redis that stops answering (not one that is down: that is refused at once) must not
# hold a publisher for long: connect within 2 s, any socket operation within 10 s (above
# the workers' 1 s BRPOP polls)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "close-due-days": {"task": "attendance.close_due_days", "schedule": 3600.0},
    "flag-missing-reports": {"task": "performance.flag_missing_reports", "schedule": 3600.0},
    "rollcall-tick": {"task": "rollcall.tick", "schedule": 300.0},
    # statements of this and last month, freezing locked months, the ladder's alerts
    "discipline-nightly": {"task": "discipline.nightly", "schedule": 6 * 3600.0},
    # check-ins whose verification was never enqueued (a lost publish)
    "verification-sweep": {"task": "verification.sweep", "schedule": 60.0},
    # personal-data retention: selfies, refused attempts, leavers' face templates (nightly)
    "privacy-purge": {"task": "privacy.purge_nightly", "schedule": 24 * 3600.0},
    # health test reminders (due soon, overdue): daily, 07:00 WITA; a rerun sends nothing twice
    "health-test-reminders": {
        "task": "health.send_test_reminders",
        "schedule": crontab(minute=0, hour=23),
    },
}

# Background verification of every check-in (face, reuse, location, device, QR).
SIGAP_VERIFICATION = env_bool("SIGAP_VERIFICATION", True)

# --- Auth -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["sigap.org.auth.NipOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SIGAP_LOGIN_MAX_FAILURES_ACCOUNT = env_int("SIGAP_LOGIN_MAX_FAILURES_ACCOUNT", 5)
SIGAP_LOGIN_MAX_FAILURES_IP = env_int("SIGAP_LOGIN_MAX_FAILURES_IP", 20)
SIGAP_LOGIN_LOCKOUT_SECONDS = env_int("SIGAP_LOGIN_LOCKOUT_SECONDS", 15 * 60)
SIGAP_TOKEN_TTL_DAYS = env_int("SIGAP_TOKEN_TTL_DAYS", 30)

# --- I18n / time ----------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# The demo clock: a local date-time of the agency (TIME_ZONE) that fixes "now".
SIGAP_FROZEN_TIME = env_str("SIGAP_FROZEN_TIME", "")
if SIGAP_FROZEN_TIME and not (DEBUG or SIGAP_DEMO):
    raise ImproperlyConfigured("SIGAP_FROZEN_TIME is only allowed with DEBUG=1 or SIGAP_DEMO=1.")

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
if PROFILE != "production":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # private files are served only through scope-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PROFILE == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = PROFILE != "production"
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
# The largest request body (a 5 MB attachment and its form); nginx's client_max_body_size
# should match. Larger bodies are 413 before they are read (core/request_limits.py).
SIGAP_MAX_REQUEST_BYTES = env_int("SIGAP_MAX_REQUEST_BYTES", 6 * 1024 * 1024)

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PROFILE == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # the go.id domain is HTTPS-only: browsers may learn it before the first visit
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *env_list("SIGAP_MAP_TILE_HOSTS", [])],
        "media-src": ["'self'", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- SIGAP ----------------------------------------------------------------
SIGAP_MAP_TILE_URL = env_str("SIGAP_MAP_TILE_URL", "")

# Logs go to stderr (journald / the container runtime collects them): JSON lines with the
# request id in production (LOG_FORMAT=json), readable text in the embedded profile.
SIGAP_SLOW_REQUEST_MS = env_int("SIGAP_SLOW_REQUEST_MS", 1000)
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PROFILE == "production" else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sigap.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "sigap.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
