"""One settings module for every environment, driven by environment variables.

Every variable read here is listed in README.md (a test keeps the two in step).
SQLite is the default database; set DATABASE_URL for PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a yes/no value (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    """Read an integer variable with a clear error when it is not one."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list variable."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("SCORECARD_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SCORECARD_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    # A development key; production deployments set SECRET_KEY (see docs/deploy.md).
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "scorecard.organizations",
    "scorecard.strategy",
    "scorecard.kpis",
    "scorecard.initiatives",
    "scorecard.interchange",
    "scorecard.reviews",
    "scorecard.audit",
    "scorecard.meetings",
    "scorecard.reports",
    "scorecard.search",
    "scorecard.planning",
    "scorecard.risks",
    "scorecard.analysis",
    "scorecard.presentation",
    "scorecard.web",
    "scorecard.commands",
    "scorecard.api",
    "scorecard.webhooks",
    "scorecard.alerts",
    "scorecard.imports",
    "scorecard.accounts",
    "scorecard.onboarding",
    "scorecard.proposals",
    "scorecard.pulses",
    "scorecard.sharing",
    "scorecard.jobs",
    "django_tasks",
    "django_tasks_db",
    "scorecard.commentary",
    "scorecard.dashboards",
    "scorecard.datasources",
    "scorecard.deliveries",
    "scorecard.maps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every answer carries the headers: static files and the 503 page too.
    "scorecard.security.SecurityHeadersMiddleware",
    "scorecard.web.sso.middleware.SsoFormActionMiddleware",  # the provider's sign-out page
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scorecard.web.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language), else LANGUAGE_CODE ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ... unless the signed-in person chose one in My account (docs/languages.md).
    "scorecard.web.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "scorecard.audit.context.ActorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scorecard.urls"
WSGI_APPLICATION = "scorecard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scorecard.web.context_processors.header",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    # The default SQLite file lives in the data directory; create it on first use
    # instead of failing with "unable to open database file".
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'scorecard.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids
    # "database is locked" upgrades in the middle of a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept 60 s between requests, as for PostgreSQL: opening one and running the pragmas
    # cost 3-12 ms a request on the 2-core benchmark machine (docs/performance.md,
    # issue 16). Safe because a request leaves its connection with no transaction and no
    # unfinished statement (tests/reliability/test_kept_sqlite_connections.py), so a
    # kept connection never asks for the write lock while holding an old read snapshot.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("SCORECARD_SQLITE_CONN_MAX_AGE", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new passwords; older PBKDF2 hashes are still accepted and upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# django-axes counts failed sign-ins per user name and address and locks the pair
# out for a while; AxesStandaloneBackend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Single sign-on with OpenID Connect (mozilla-django-oidc; docs/deploy.md). On when an
# issuer (or a discovery URL) and a client id are set; endpoints come from discovery.
SCORECARD_OIDC_ISSUER = env_str("SCORECARD_OIDC_ISSUER", "").rstrip("/")
SCORECARD_OIDC_DISCOVERY_URL = env_str("SCORECARD_OIDC_DISCOVERY_URL", "")
OIDC_RP_CLIENT_ID = env_str("SCORECARD_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("SCORECARD_OIDC_CLIENT_SECRET", "")
SCORECARD_OIDC_ENABLED = bool(
    (SCORECARD_OIDC_ISSUER or SCORECARD_OIDC_DISCOVERY_URL) and OIDC_RP_CLIENT_ID
)
SCORECARD_OIDC_PROVIDER_NAME = env_str("SCORECARD_OIDC_PROVIDER_NAME", "single sign-on")
SCORECARD_OIDC_EMAIL_CLAIM = env_str("SCORECARD_OIDC_EMAIL_CLAIM", "email")
OIDC_RP_SCOPES = env_str("SCORECARD_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("SCORECARD_OIDC_SIGN_ALGO", "RS256")
OIDC_TIMEOUT = env_int("SCORECARD_OIDC_TIMEOUT", 10)
SCORECARD_OIDC_ALLOW_SIGNUP = env_bool("SCORECARD_OIDC_ALLOW_SIGNUP", False)
SCORECARD_OIDC_ORGANIZATION = env_str("SCORECARD_OIDC_ORGANIZATION", "")
SCORECARD_OIDC_DEFAULT_ROLE = env_str("SCORECARD_OIDC_DEFAULT_ROLE", "viewer")
SCORECARD_PASSWORD_LOGIN = env_bool("SCORECARD_PASSWORD_LOGIN", True)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for signing out at the provider too
OIDC_CALLBACK_CLASS = "scorecard.web.sso.oidc.SsoCallbackView"
OIDC_AUTHENTICATE_CLASS = "scorecard.web.sso.oidc.SsoStartView"
if SCORECARD_OIDC_DEFAULT_ROLE not in {"admin", "editor", "contributor", "viewer"}:
    raise ValueError(
        "SCORECARD_OIDC_DEFAULT_ROLE must be admin, editor, contributor or viewer, "
        f"not {SCORECARD_OIDC_DEFAULT_ROLE!r}"
    )
if SCORECARD_OIDC_ALLOW_SIGNUP and not SCORECARD_OIDC_ORGANIZATION:
    raise ValueError(
        "SCORECARD_OIDC_ALLOW_SIGNUP needs SCORECARD_OIDC_ORGANIZATION: the short name "
        "(slug) of the organization new people join"
    )
if not SCORECARD_PASSWORD_LOGIN and not SCORECARD_OIDC_ENABLED:
    raise ValueError(
        "SCORECARD_PASSWORD_LOGIN=false leaves nobody a way to sign in: set up single "
        "sign-on first (SCORECARD_OIDC_ISSUER and SCORECARD_OIDC_CLIENT_ID)"
    )
if SCORECARD_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("scorecard.web.sso.oidc.ScorecardOIDCBackend")
if not SCORECARD_PASSWORD_LOGIN:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The locked-out page says how long is left (scorecard.web.signin).
AXES_LOCKOUT_CALLABLE = "scorecard.web.signin.lockout_response"
# Behind a reverse proxy the client address is the proxy's entry in X-Forwarded-For
# (counted from the right, SCORECARD_PROXY_COUNT proxies deep; see docs/deploy.md).
SCORECARD_BEHIND_PROXY = env_bool("SCORECARD_BEHIND_PROXY", False)
SCORECARD_PROXY_COUNT = env_int("SCORECARD_PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "scorecard.web.signin.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en-us")
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
# The interface languages shipped (docs/languages.md); each person picks one in My account,
# else the browser's Accept-Language decides, else LANGUAGE_CODE.
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Numbers for people are formatted by our own filters (web/templatetags); Django's
# automatic separators would also turn ids in HTML attributes into "1,756".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Generated files (reports made by the worker) go through Django's storage API: a folder
# under the data directory by default; several servers share a volume or S3-compatible
# storage (docs/deploy.md).
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Request size limits: uploads larger than this are refused, not buffered.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SCORECARD_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Largest CSV/XLSX file of values accepted by the web import (the CLI has no limit).
SCORECARD_IMPORT_MAX_BYTES = env_int("SCORECARD_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Bombs and giants are refused before they are parsed (imports/tabular.py): what an
# XLSX file may unpack to, how much tighter than its packed size, rows and columns.
SCORECARD_IMPORT_MAX_UNPACKED_BYTES = env_int("SCORECARD_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024**2)
SCORECARD_IMPORT_MAX_RATIO = env_int("SCORECARD_IMPORT_MAX_RATIO", 100)
SCORECARD_IMPORT_MAX_ROWS = env_int("SCORECARD_IMPORT_MAX_ROWS", 1_000_000)
SCORECARD_IMPORT_MAX_COLUMNS = env_int("SCORECARD_IMPORT_MAX_COLUMNS", 100)
# Imported values further than this many scale spans beyond a KPI's scale are refused
# as likely typos (0 turns the check off).
SCORECARD_IMPORT_RANGE_FACTOR = env_int("SCORECARD_IMPORT_RANGE_FACTOR", 10)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "scorecard@localhost")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
#: The address people reach the app at, for links in e-mails (reminders).
SCORECARD_BASE_URL = env_str("SCORECARD_BASE_URL", "http://127.0.0.1:8000")
# Invitations and accounts made by one admin, and password-reset requests from one
# address or for one e-mail address, per hour (docs/getting-started.md).
SCORECARD_INVITATIONS_PER_HOUR = env_int("SCORECARD_INVITATIONS_PER_HOUR", 30)
SCORECARD_RESET_REQUESTS_PER_HOUR = env_int("SCORECARD_RESET_REQUESTS_PER_HOUR", 5)
# How long a password-reset or set-password link works (seconds; Django's setting).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# Django's database sessions (the same table and data), each request's read written once
# per process (web/sessions.py, issue 16). Never a per-process cache: a session signed
# out in one worker must be gone in the others at once.
SESSION_ENGINE = "scorecard.web.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS in production (docs/deploy.md): redirect plain HTTP, and tell browsers to
# use HTTPS only. Both are off by default so that a laptop on http:// works.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if SCORECARD_BEHIND_PROXY:
    # The proxy terminates TLS and says so in this header; only trust it behind one.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Webhooks: enqueue the first delivery attempt for a worker right after a change is
# committed. Off means every delivery waits for the worker's sweep or
# `scorecard deliver_webhooks`.
WEBHOOKS_DELIVER_AT_ONCE = env_bool("WEBHOOKS_DELIVER_AT_ONCE", True)
# Webhooks call only addresses on the internet (webhooks/egress.py); these host names
# and networks (CIDR, e.g. 10.20.0.0/16) may be called even so: receivers inside a
# company network.
SCORECARD_WEBHOOK_ALLOW_HOSTS = env_list("SCORECARD_WEBHOOK_ALLOW_HOSTS", "")

# Data sources (docs/data-sources.md): the key their secrets are encrypted with (empty:
# derived from SECRET_KEY; comma-separated to rotate, the first encrypts); the hosts and
# networks their web addresses may name besides the internet; the limits of one pull.
SCORECARD_DATA_SOURCE_KEY = env_str("SCORECARD_DATA_SOURCE_KEY", "")
SCORECARD_DATA_SOURCE_ALLOW_HOSTS = env_list("SCORECARD_DATA_SOURCE_ALLOW_HOSTS", "")
SCORECARD_DATA_SOURCE_TIMEOUT = env_int("SCORECARD_DATA_SOURCE_TIMEOUT", 30)
SCORECARD_DATA_SOURCE_MAX_ROWS = env_int("SCORECARD_DATA_SOURCE_MAX_ROWS", 10000)
SCORECARD_DATA_SOURCE_MAX_BYTES = env_int("SCORECARD_DATA_SOURCE_MAX_BYTES", 10485760)

# Background work (docs/deploy.md, "Background work"): Django's Tasks framework through
# the django-tasks backport. "database" keeps the queue in the database (a laptop needs
# nothing more; `scorecard worker` runs the tasks); "rq" puts it in Redis at
# SCORECARD_REDIS_URL (pip install django-tasks-rq; run `scorecard worker --schedule-only`
# beside `scorecard rqworker`); "immediate" runs each task at once in the process that
# enqueues it (tests, or a one-process setup without a worker).
SCORECARD_TASKS_BACKEND = env_str("SCORECARD_TASKS_BACKEND", "database")
SCORECARD_REDIS_URL = env_str("SCORECARD_REDIS_URL", "")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if SCORECARD_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ValueError(
        f"SCORECARD_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, "
        f"not {SCORECARD_TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[SCORECARD_TASKS_BACKEND]}}
if SCORECARD_TASKS_BACKEND == "rq":
    if not SCORECARD_REDIS_URL:
        raise ValueError("SCORECARD_TASKS_BACKEND=rq needs SCORECARD_REDIS_URL (redis://...)")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": SCORECARD_REDIS_URL}}
# A worker holds a delivery or report job this long; after that (it died) another may
# take the work over.
SCORECARD_TASK_LEASE_SECONDS = env_int("SCORECARD_TASK_LEASE_SECONDS", 120)
# How often the worker's schedule sweeps for due retries and work a dead worker left.
SCORECARD_SWEEP_SECONDS = env_int("SCORECARD_SWEEP_SECONDS", 60)
# Optional rewrite of the commentary by a language model (docs/commentary.md): the base
# URL of an OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1); empty: off.
SCORECARD_COMMENTARY_LLM_URL = env_str("SCORECARD_COMMENTARY_LLM_URL", "")
SCORECARD_COMMENTARY_LLM_MODEL = env_str("SCORECARD_COMMENTARY_LLM_MODEL", "")
SCORECARD_COMMENTARY_LLM_API_KEY = env_str("SCORECARD_COMMENTARY_LLM_API_KEY", "")
SCORECARD_COMMENTARY_LLM_TIMEOUT = env_int("SCORECARD_COMMENTARY_LLM_TIMEOUT", 10)
# Reminder e-mails sent by the worker's schedule every this many days, first at this hour
# (0 days: never — use `scorecard remind` from cron instead).
SCORECARD_REMINDERS_EVERY_DAYS = env_int("SCORECARD_REMINDERS_EVERY_DAYS", 7)
SCORECARD_REMINDERS_HOUR = env_int("SCORECARD_REMINDERS_HOUR", 7)

# Scores are cached by the organization's data version (kpis/evaluation.py). The default
# cache is this process's memory; SCORECARD_CACHE_URL=redis://... shares one cache
# between several servers (Django's own Redis cache; pip install redis).
SCORECARD_CACHE_URL = env_str("SCORECARD_CACHE_URL", "")
if SCORECARD_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SCORECARD_CACHE_URL,
            "TIMEOUT": 3600,
        }
    }
elif SCORECARD_CACHE_URL in {"", "locmem://"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
elif SCORECARD_CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ValueError(
        "SCORECARD_CACHE_URL must be redis://host:port/db, locmem:// or dummy://, "
        f"not {SCORECARD_CACHE_URL!r}"
    )

# The one clock (see scorecard/clock.py): set to an ISO date to freeze "today",
# e.g. for a reproducible demo or screenshots.
SCORECARD_TODAY = env_str("SCORECARD_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
