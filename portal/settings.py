"""The portal's one settings module, driven by environment variables.

Production is the default: every convenience (debug pages, console e-mail, a throwaway secret key)
needs DJANGO_DEBUG=true. See README.md ("Configuration") for the variables.
"""

import datetime
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.smart_cast = False

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    # Only a developer's laptop: sessions signed with this key are worthless elsewhere.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-debug-only-key-never-use-in-production")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=true on a development machine."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Where staff are sent from notification e-mails; no trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PORTAL_NAME = _("Care Bridge Germany")
# The operator's details (name, address, register, contact) are content: the imprint's and the
# privacy notice's "contact" blocks, edited and legally reviewed in the admin (docs/pages.md).

INSTALLED_APPS = [
    # Before the admin: it patches the translated models' admin forms (docs/translations.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "import_export",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "simple_history",
    "django_countries",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "imagekit",
    # Ours, in dependency order: each app may use the ones above it, never below.
    "languages",
    "pagecache",
    "staff",
    "taxonomy",
    "editorial",
    "images",
    "people",
    "articles",
    "hospitals",
    "inquiries",
    "pages",
    "portal",
]

MIDDLEWARE = [
    # First: every later middleware's log lines carry the request id, and the metrics time it all.
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.MetricsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Anonymous visitors' public pages from the cache; below it, nothing runs on a hit.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a second factor (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff only: the second factor, re-authentication and the session's idle and maximum age.
    "staff.middleware.StaffSecurityMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a refused login of a locked account+address into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so every response header above applies to its answer; it still runs before the first
    # read of the body (CsrfViewMiddleware reads it in process_view, after every __call__).
    "portal.middleware.RequestBodyLimitMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded default works on a fresh clone
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web request and the task worker share the file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://portal")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, sharing one Redis client instead of building one per call (pagecache/backends.py).
    CACHES["default"]["BACKEND"] = "pagecache.backends.RedisCache"
# Public pages for anonymous visitors are kept at most this long (0 turns the page cache off); a
# change through the admin or the services refreshes them at once (docs/decisions.md, "Page cache").
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# How long a CDN or proxy in front may keep a cached page (s-maxage, stale-while-revalidate);
# browsers always revalidate. 0: only this server caches, and every change shows at once.
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=10)

# --- E-mail -----------------------------------------------------------------------------------

# One URL, e.g. smtp+tls://user:password@mail.example.org:587, parsed by django-environ into
# Django 6.1's MAILERS form (the EMAIL_HOST family of settings is deprecated).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
elif _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    # filemail:////absolute/path (four slashes): each message a file there; for drills and staging.
    MAILERS["default"]["OPTIONS"] = {"file_path": _email["EMAIL_FILE_PATH"]}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Care Bridge Germany <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Files ------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded medical documents. Private: never under STATIC_ROOT and never given a public URL;
# they are only streamed by views that check permissions (MEDIA_URL is deliberately not routed).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private-media")
MEDIA_URL = "/private-media-not-served/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The image library (docs/images.md). Originals stay under MEDIA_ROOT (private); renditions of
# public images are made once into IMAGES_RENDITIONS_ROOT and served under /media/images/ after
# the view's check, by nginx when IMAGES_ACCEL_REDIRECT names its internal location.
IMAGES_RENDITIONS_ROOT = env.path("IMAGES_RENDITIONS_ROOT", default=VAR_DIR / "public-media" / "renditions")
IMAGES_ACCEL_REDIRECT = env.str("IMAGES_ACCEL_REDIRECT", default="")
IMAGES_MAX_UPLOAD_BYTES = env.int("IMAGES_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Patient inquiries: upload limits (the form checks them; the application refuses larger bodies
# unread, and a proxy in front should cap the body a little above that, e.g. 60 MB), the rate
# limit and the answer times we promise.
INQUIRY_UPLOAD_MAX_FILES = env.int("INQUIRY_UPLOAD_MAX_FILES", default=10)
INQUIRY_UPLOAD_MAX_FILE_BYTES = env.int("INQUIRY_UPLOAD_MAX_FILE_BYTES", default=20 * 1024 * 1024)
INQUIRY_UPLOAD_MAX_TOTAL_BYTES = env.int("INQUIRY_UPLOAD_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
# Documents that passed their checks on a form refused for another reason wait this long for the
# same browser session to send the form again (inquiries/holding.py), then they are deleted.
INQUIRY_UPLOAD_HOLD_HOURS = env.int("INQUIRY_UPLOAD_HOLD_HOURS", default=24)
# Django's default for all form fields that are not files, written out because the request-body
# cap is derived from it: a body over INQUIRY_UPLOAD_MAX_TOTAL_BYTES + this is refused before it is
# read (portal.middleware.RequestBodyLimitMiddleware; 52.5 MiB with the defaults).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# (posts, seconds) per client address: form posts allowed per window, wrong ones included.
INQUIRY_RATE_LIMIT = (env.int("INQUIRY_RATE_LIMIT_POSTS", default=10), 60 * 60)
# What we promise the sender is the staff's own deadline (TRIAGE_FIRST_RESPONSE_HOURS below):
# one setting, so the confirmation, its e-mail and the follow-up page cannot promise another time.
# The personal follow-up link (docs/inquiries.md): valid this many days from when it was sent, and
# the browser session it opens stays valid this many minutes.
INQUIRY_FOLLOW_UP_LINK_DAYS = env.int("INQUIRY_FOLLOW_UP_LINK_DAYS", default=90)
INQUIRY_FOLLOW_UP_SESSION_MINUTES = env.int("INQUIRY_FOLLOW_UP_SESSION_MINUTES", default=60)
# Who is told at once about an urgent inquiry (comma-separated in the environment).
TRIAGE_ONCALL_EMAILS = env.list("TRIAGE_ONCALL_EMAILS", default=[])

# --- Tasks ------------------------------------------------------------------------------------

# Django's tasks framework with the database backend: a task enqueued in a transaction is saved
# with it (an outbox). `make worker` runs `manage.py run_worker` (inquiries/worker.py), which runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
# Adding a language: docs/translations.md (a line here, a fallback below, the catalogues, a migration).
LANGUAGES = [("en", _("English")), ("de", _("German")), ("ru", _("Russian"))]
# Content typed in the admin (django-modeltranslation): English is the source every editor fills;
# a field left empty in the reader's language is shown whole in the next language listed here,
# never mixed inside one sentence. The one statement of the fallback order for content, used
# by the model fields, the status-note SQL and the document checklists (languages/fallback.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "de": ("en",), "ru": ("en",)}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats where Django's differ from what the portal writes (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Security ---------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (documented in README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Rate limits and the access log need the real client address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes and the metrics scrape may talk to gunicorn directly, over the loopback, without TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/worker$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# --- Staff accounts (issue 10, docs/staff-security.md) ----------------------------------------

# A staff member without a second factor is sent to enrol right after the password and sees
# nothing else of the admin until enrolled. Whoever has one is always asked for it.
STAFF_REQUIRE_SECOND_FACTOR = env.bool("STAFF_REQUIRE_SECOND_FACTOR", default=True)
# Exporting or erasing a person's data, the queue's CSV export and changing users or groups ask
# for the second factor again when it was last given longer ago than this.
STAFF_REAUTHENTICATION_SECONDS = env.int("STAFF_REAUTHENTICATION_SECONDS", default=15 * 60)
# A staff session ends after this much inactivity, and in any case this long after the login
# (0 turns either off). Visitors of the public site have no login and are not affected.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
STAFF_SESSION_MAX_AGE_SECONDS = env.int("STAFF_SESSION_MAX_AGE_SECONDS", default=60 * 60 * 8)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_AGE_SECONDS or 60 * 60 * 8
# The issuer shown in authenticator apps next to the account name (also the passkey's site name).
OTP_TOTP_ISSUER = "Care Bridge Germany"
# Passkeys (WebAuthn) are bound to this domain, the "relying party id": the host name staff open
# the admin at (or a parent domain of it). Changing it later makes every passkey useless. By
# default the host of SITE_URL; "localhost" when that is an IP address, which browsers refuse as a
# relying party (so passkeys on a laptop need http://localhost:8000, not 127.0.0.1).
_passkey_host = urlsplit(SITE_URL).hostname or "localhost"
try:
    ipaddress.ip_address(_passkey_host)
    _passkey_host = "localhost"
except ValueError:
    pass  # a domain name, as it should be
STAFF_PASSKEY_RP_ID = env.str("STAFF_PASSKEY_RP_ID", default=_passkey_host)

# Failed logins (django-axes): after STAFF_LOGIN_FAILURE_LIMIT failures the pair of account and
# client address is locked for STAFF_LOCKOUT_MINUTES. Per pair, not per account, so an attacker
# elsewhere cannot lock a colleague out (docs/decisions.md). A locked pair is refused by the
# first authentication backend, before any password hash is computed.
AUTHENTICATION_BACKENDS = [
    "staff.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("STAFF_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The one client-address helper, proxy-aware (DJANGO_TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "inquiries.network.client_address"
# Attempts while locked are refused without being written: a flood costs two reads, no writes,
# and the lock is not extended by the attacker's own refused tries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.views.locked_out"
AXES_VERBOSE = False
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features our pages never use, switched off for them and anything they might embed
# (portal.middleware.SecurityHeadersMiddleware). Only features Chromium knows: an unknown name is a
# console error. WebAuthn (passkeys) is deliberately absent: its default, our own origin, is right.
SECURE_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
}
# Our own page for a refused form (an expired or missing CSRF token), not Django's technical one.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Everything is served from our own origin; scripts need a per-response nonce or our origin.
# No 'unsafe-inline' anywhere: inline <script> and style="" attributes are refused.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Forms, admin and logging -----------------------------------------------------------------

# Hospital directory: an admission status verified longer ago than this is shown as "not verified
# since <date>" and counts as unknown (hospitals/models.py).
HOSPITALS_STATUS_STALE_AFTER_DAYS = env.int("HOSPITALS_STATUS_STALE_AFTER_DAYS", default=14)
# CSV exports are opened in spreadsheets: a cell starting with "=" must not run as a formula.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Addresses that receive error reports (Django 6.1 takes plain addresses; "Name:addr" is accepted).
DEFAULT_EXCEPTION_REPORTER = "portal.errors.PrivateExceptionReporter"
ADMINS = [entry.split(":", 1)[-1].strip() for entry in env.list("DJANGO_ADMINS", default=[])]

# Logs go to standard error, one JSON object per line with the request id (portal/logs.py), for
# journald or a log shipper; readable lines on a developer's machine. Messages never hold health
# data, exceptions are logged without their message, and gunicorn's access log (routed here by
# the "gunicorn.access" logger) has no query strings. docs/deployment.md, "Logs".
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logs.RequestIdFilter"},
        # A follow-up link's token is a key to a patient's inquiry: removed from every line we write.
        "redact_secrets": {"()": "portal.redaction.RedactSecretsFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # One e-mail per hour per kind of security event (forged Host headers, too many fields…).
        "throttle_security_mails": {"()": "portal.errors.ThrottleSecurityMails", "seconds": 60 * 60},
    },
    "formatters": {
        "json": {"()": "portal.logs.JsonFormatter"},
        # Readable lines; a traceback keeps the messages portal.errors.private_message allows.
        "plain": {
            "class": "portal.errors.PrivateFormatter",
            "format": "{asctime} {levelname} {name} [{request_id}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact_secrets"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["redact_secrets", "require_debug_false", "throttle_security_mails"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's errors go to the console (through the root logger) and by e-mail to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # Request bodies of failed requests can hold health data: never log them at DEBUG.
        "django.db.backends": {"level": "WARNING"},
        # django-axes tells of every login at INFO; the security log (staff app) keeps them.
        "axes": {"level": "WARNING"},
        # runserver's request lines carry the query string: through the redacting handler too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# /metrics for Prometheus (portal/metrics.py): only with this bearer token, or from these
# networks (comma-separated CIDRs); without either it answers 404.
METRICS_BEARER_TOKEN = env.str("METRICS_BEARER_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

# --- Triage workspace (issue 6, docs/triage-workspace.md) -------------------------------------

# First response owed by staff, in calendar hours from receipt, per priority. Change here: the
# queue, the deadlines and the escalation check all read this one mapping.
TRIAGE_FIRST_RESPONSE_HOURS = {
    "urgent": env.int("TRIAGE_SLA_URGENT_HOURS", default=4),
    "high": env.int("TRIAGE_SLA_HIGH_HOURS", default=24),
    "routine": env.int("TRIAGE_SLA_ROUTINE_HOURS", default=72),
}
# Who is told when an urgent or high inquiry passes its deadline without a first response.
TRIAGE_ESCALATION_EMAILS = env.list("TRIAGE_ESCALATION_EMAILS", default=[])
# E-mail retries: attempts in all, and the first delay (doubled after each failure).
TRIAGE_NOTIFICATION_MAX_ATTEMPTS = env.int("TRIAGE_NOTIFICATION_MAX_ATTEMPTS", default=5)
TRIAGE_NOTIFICATION_RETRY_SECONDS = env.int("TRIAGE_NOTIFICATION_RETRY_SECONDS", default=30)
# How often the clock process (`manage.py run_schedule`) runs the escalation check.
TRIAGE_CHECK_INTERVAL_SECONDS = env.int("TRIAGE_CHECK_INTERVAL_SECONDS", default=300)
# A task still "running" after this many seconds belongs to a worker that died: it is run again.
TRIAGE_TASK_STALLED_SECONDS = env.int("TRIAGE_TASK_STALLED_SECONDS", default=600)
# Each task worker reports in this often (inquiries/worker.py) and then recovers stalled jobs.
TRIAGE_WORKER_HEARTBEAT_SECONDS = env.int("TRIAGE_WORKER_HEARTBEAT_SECONDS", default=15)
# No worker heard from for this long: /healthz/worker answers 503, the admin dashboard warns, and
# the running jobs of a worker silent this long are run again by the others.
TRIAGE_WORKER_SILENT_SECONDS = env.int("TRIAGE_WORKER_SILENT_SECONDS", default=120)
# Closed inquiries are anonymised and their documents deleted after this many days.
INQUIRY_RETENTION_DAYS = env.int("INQUIRY_RETENTION_DAYS", default=365)
