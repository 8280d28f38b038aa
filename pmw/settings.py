import datetime
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pmw.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PMW_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

# Keys for the encrypted fields (pmw/fields.py): comma separated, newest first. Generate one
# with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if DEBUG or "pytest" in sys.modules:
        # Development and the test suite only: a fixed, public key.
        FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHktaW5zZWN1cmUtZmllbGQta2V5LTAwMDE="]
    else:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "pmw",
    "profiles",
    "cases",
    "partners",
    "aftercare",
    "monitoring",
    # Demo and scale data: builds on every app above, nothing imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pmw.middleware.AuditContextMiddleware",
    "pmw.middleware.SessionLifetimeMiddleware",
    # Deny by default: a view somebody forgets to protect is still protected.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ... and a password alone is not enough: every account has a second factor.
    "pmw.middleware.SecondFactorRequiredMiddleware",
    "pmw.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: counts failed logins and locks out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pmw.urls"
WSGI_APPLICATION = "pmw.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'pmw.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if env_str("DATABASE_PASSWORD"):  # kept out of the URL so it can come from a secret file
    DATABASES["default"]["PASSWORD"] = env_str("DATABASE_PASSWORD")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: wait for the lock instead of failing under the Celery worker.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends seconds compiling the dashboards' one big grouped
    # query that then runs in well under a second (measured: national page 9.7 s -> 1.6 s).
    # The pages run short queries; none gains from JIT.
    # The national page sorts ~80k precomputed rows at once (distinct cases, medians); with
    # the default 4 MB PostgreSQL sorted them on disk (its three largest queries, 20 rounds
    # interleaved: median 1.39 -> 1.29 s, within a wide spread). 16 MB per sort, for the few
    # connections of a site this size.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=16MB"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "pmw.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out username before the password check.
    "axes.backends.AxesStandaloneBackend",
    "pmw.backends.UserWithScopeBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# The idle timeout slides, refreshed at most once a minute (SessionLifetimeMiddleware).
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
# However active, a session ends this long after login (ASVS 7.3.2); then log in again.
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content Security Policy: our own origin only, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Second factor (django-otp): TOTP with an authenticator app, static codes as backup.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PMW Casemanagement")
OTP_FAILURE_LIMIT = env_int("OTP_FAILURE_LIMIT", 5)  # wrong codes in one session: log out

# Lockout (django-axes): after 5 wrong passwords for a username, 15 minutes of refusals.
# Counted per username (whether or not the account exists, so the answer reveals nothing)
# and per address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "pmw.middleware.client_ip"  # the same address the access log records

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a connection to the mail server may hang; a reminder's claim must outlast it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "pmw@localhost")
# For django.core.mail.backends.filebased.EmailBackend (a laptop, or the Celery test).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

# Celery. The default broker is kombu's filesystem transport, so a laptop needs no Redis:
# the worker and the web process exchange messages through files under var/celery.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Reminders (aftercare): how often the beat task runs, how far ahead "due soon" reaches,
# after how many overdue days the coordinators are told, and follow-ups after closing.
REMINDER_INTERVAL_MINUTES = env_int("REMINDER_INTERVAL_MINUTES", 15)
REMINDER_LEAD_DAYS = env_int("REMINDER_LEAD_DAYS", 3)
REMINDER_ESCALATE_AFTER_DAYS = env_int("REMINDER_ESCALATE_AFTER_DAYS", 7)
REMINDER_RUNS_KEEP_DAYS = env_int("REMINDER_RUNS_KEEP_DAYS", 30)
# A reminder claimed for e-mail longer ago than this is taken to be lost with its process
# (kill -9, a database outage) and is sent again: longer than a send can take.
REMINDER_CLAIM_TIMEOUT_SECONDS = env_int("REMINDER_CLAIM_TIMEOUT_SECONDS", 15 * 60)
# When the mail server cannot be reached (no connection, greeting or login), the e-mail
# is tried again after 5, 10, 20, ... minutes (at most 6 hours apart), this many times.
REMINDER_MAIL_ATTEMPTS = env_int("REMINDER_MAIL_ATTEMPTS", 10)
REMINDER_MAIL_RETRY_SECONDS = env_int("REMINDER_MAIL_RETRY_SECONDS", 5 * 60)
try:
    FOLLOW_UP_MONTHS = sorted({int(m) for m in env_list("FOLLOW_UP_MONTHS", ["6", "12"])})
except ValueError as exc:
    raise ImproperlyConfigured("FOLLOW_UP_MONTHS must be whole numbers, e.g. 6,12") from exc
FOLLOW_UP_EARLY_DAYS = env_int("FOLLOW_UP_EARLY_DAYS", 14)
CELERY_BEAT_SCHEDULE: dict = {
    "aftercare-reminders": {
        "task": "aftercare.tasks.send_reminders",
        "schedule": REMINDER_INTERVAL_MINUTES * 60.0,
        "options": {"expires": REMINDER_INTERVAL_MINUTES * 60.0},
    },
    "refresh-monitoring-figures": {
        "task": "monitoring.tasks.refresh_figures",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "enforce-retention": {
        "task": "cases.tasks.enforce_retention",
        "schedule": env_int("RETENTION_INTERVAL_SECONDS", 24 * 60 * 60),
    },
}

# Retention per record type, in days counted from the closure of the client's last case
# (GDPR art. 5(1)(e)). Set each to what the organisation's DPIA and the law require.
RETENTION_DAYS = {
    "contact_note": env_int("RETENTION_CONTACT_NOTE_DAYS", 2 * 365),
    "case_text": env_int("RETENTION_CASE_TEXT_DAYS", 2 * 365),
    "client_identity": env_int("RETENTION_CLIENT_IDENTITY_DAYS", 5 * 365),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"route_instead_of_path": {"()": "pmw.log_filters.RouteInsteadOfPath"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines would carry search terms typed by workers; the access log records reads.
        "django.server": {"level": "WARNING"},
        "django.request": {"filters": ["route_instead_of_path"]},
        "django.security.csrf": {"filters": ["route_instead_of_path"]},
    },
}

CASELOAD_PAGE_SIZE = env_int("CASELOAD_PAGE_SIZE", 25)
CASE_TIMELINE_PAGE_SIZE = env_int("CASE_TIMELINE_PAGE_SIZE", 50)
# A referral sent to a partner stands out in the queue after this many days without answer.
REFERRAL_ANSWER_DAYS = env_int("REFERRAL_ANSWER_DAYS", 10)
PARTNER_PAGE_SIZE = env_int("PARTNER_PAGE_SIZE", 25)
REFERRAL_QUEUE_PAGE_SIZE = env_int("REFERRAL_QUEUE_PAGE_SIZE", 25)
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
# django-guardian: no object permissions for anonymous visitors, so no "AnonymousUser" row.
ANONYMOUS_USER_NAME = None
# Disclosure control on monitoring pages: counts from 1 to below this number are shown as "<N".
MONITORING_SUPPRESSION_THRESHOLD = env_int("MONITORING_SUPPRESSION_THRESHOLD", 10)
if MONITORING_SUPPRESSION_THRESHOLD < 5:
    raise ImproperlyConfigured("MONITORING_SUPPRESSION_THRESHOLD must be at least 5.")
MONITORING_OUTREACH_PAGE_SIZE = env_int("MONITORING_OUTREACH_PAGE_SIZE", 25)
