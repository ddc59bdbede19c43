"""SciAid settings: everything comes from the environment, with defaults that run on a bare machine.

The embedded default is SQLite and in-process jobs; production sets DATABASE_URL, REDIS_URL and SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from sciaid.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SCIAID_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
DEV_SECRET = "dev-only-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET)
if not DEBUG and SECRET_KEY == DEV_SECRET and env_bool("SCIAID_PRODUCTION", False):
    raise ImproperlyConfigured("SECRET_KEY must be set in production (SCIAID_PRODUCTION=true).")
# Key for encrypting citizen ID numbers at rest; defaults to one derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "sciaid.core",
    "sciaid.regions",
    "sciaid.accounts",
    "sciaid.experts",
    "sciaid.information",
    "sciaid.assistance",
    "sciaid.training",
    "sciaid.achievements",
    "sciaid.funds",
    "sciaid.projects",
    "sciaid.commissioners",
    "sciaid.demonstration",
    "sciaid.market",
    "sciaid.reports",
    "sciaid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (a fifth of their size on a village link); Django pads each answer against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "sciaid.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sciaid.core.middleware.LocaleMiddleware",
    "sciaid.core.nul.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sciaid.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sciaid.urls"
WSGI_APPLICATION = "sciaid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sciaid" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sciaid.core.context_processors.navigation",
                "sciaid.core.context_processors.notifications",
                "sciaid.regions.chooser.chosen_area_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sciaid.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process job thread write while pages read.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
elif env_bool("DATABASE_JIT_OFF", True):
    # The platform's queries are short; PostgreSQL's JIT compiled a misestimated plan for 1.3 s of a 1.4 s inbox
    # query at province scale. The few long reports lose little without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sciaid.accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock an account+address pair after repeated failures. The account, not what was
# typed: a phone number counts as its account's username (sciaid.accounts.backends.lockout_username).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "sciaid.accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
API_PATH_PREFIX = "/api/"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "sciaid" / "locale"]
# ISO first among input formats, so <input type=date> shows the value in every language.
FORMAT_MODULE_PATH = ["sciaid.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders in development and warns without it.
STATICFILES_DIRS = [BASE_DIR / "sciaid" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Static files are fingerprinted (name.<hash>.js) and pre-compressed (gzip and brotli) by `collectstatic`, and
# WhiteNoise serves them from STATIC_ROOT with a ten-year immutable cache header: production and `make run` alike, so
# a phone on a village link downloads each file once, compressed. Tests (pytest sets PYTEST_VERSION) and DEBUG read
# the source files through the finders instead, so they never need a `collectstatic` first.
TESTING = "PYTEST_VERSION" in os.environ
STATIC_FINGERPRINTS = env_bool("STATIC_FINGERPRINTS", not TESTING)
STORAGES = {
    # Django's file system storage that leaves no partial file when the disk is full or read-only.
    "default": {"BACKEND": "sciaid.core.files.UploadStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_FINGERPRINTS
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_FINGERPRINTS
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # every page links through {% static %}: half the files to compress
WHITENOISE_MAX_AGE = 3600  # files without a fingerprint (favicon); fingerprinted ones get ten years, immutable
# Source maps (megabytes, of the API docs' libraries) are for developers' tools: not worth brotli's time at each run.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# An import larger than this many rows runs as a job with a progress bar.
IMPORT_JOB_THRESHOLD = env_int("IMPORT_JOB_THRESHOLD", 2000)
# Rows one import may hold, and how many of its problems the report lists (it always says how many there were).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 200)
# A list export of more than this many rows runs as a job with a progress bar; smaller ones download at once.
EXPORT_JOB_THRESHOLD = env_int("EXPORT_JOB_THRESHOLD", 5000)
# How many villages one S&T commissioner may be paired with in a year.
COMMISSIONER_MAX_VILLAGES = env_int("COMMISSIONER_MAX_VILLAGES", 3)
# A commissioner without a confirmed village visit for this many days is flagged on the alerts page.
COMMISSIONER_IDLE_DAYS = env_int("COMMISSIONER_IDLE_DAYS", 30)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SciAid <noreply@sciaid.local>")
# Text messages: "console", "log", "locmem" (tests) or the dotted path of a gateway class (sciaid.core.sms).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
# The site's address as users reach it, to make links in emails and text messages absolute.
SITE_URL = env_str("SITE_URL", "")
# Uploads of the knowledge base: videos (MP4/WebM) and cover images, in megabytes.
ARTICLE_VIDEO_MAX_MB = env_int("ARTICLE_VIDEO_MAX_MB", 200)
ARTICLE_COVER_MAX_MB = env_int("ARTICLE_COVER_MAX_MB", 5)
# Pictures (photos, covers, vouchers) with more pixels than this are refused from their header, before decoding.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# A TrueType CJK font for PDFs (leaflets, reports); empty: the first known Debian font, else a built-in CID font.
PDF_CJK_FONT = env_str("PDF_CJK_FONT", "")

REDIS_URL = env_str("REDIS_URL", "")
# How jobs run: "thread" (in process, the embedded default), "sync" (inline, for tests) or "celery".
JOBS_BACKEND = env_str("JOBS_BACKEND", "celery" if REDIS_URL else "thread")
if JOBS_BACKEND not in {"thread", "sync", "celery"}:
    raise ImproperlyConfigured("JOBS_BACKEND must be thread, sync or celery.")
if JOBS_BACKEND == "celery" and not REDIS_URL:
    raise ImproperlyConfigured("JOBS_BACKEND=celery needs REDIS_URL.")
# A job that has not been claimed or reported progress for this long is taken for dead where PostgreSQL's locks
# cannot tell (SQLite); a dead job is marked failed and may run again.
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 30)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    # Token first, so a request without credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sciaid.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "sciaid.core.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "sciaid.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sciaid.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env_str("API_LOGIN_RATE", "10/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SciAid Online API",
    "DESCRIPTION": "科技扶贫在线 REST API. Token: POST /api/v1/auth/token/, then send `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Enums as drf-spectacular makes them, then the error responses every operation can answer (sciaid.core.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sciaid.core.schema.document_errors",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets used by several fields or models get one stable schema name each.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "sciaid.core.roles.Role",
        "DemandStatusEnum": "sciaid.assistance.choices.DemandStatus",
        "AssignmentStatusEnum": "sciaid.assistance.choices.AssignmentStatus",
        "ProjectStatusEnum": "sciaid.projects.choices.ProjectStatus",
        "ReviewStatusEnum": "sciaid.projects.choices.ReviewStatus",
        "RectificationStatusEnum": "sciaid.projects.choices.RectificationStatus",
        "CallKindEnum": "sciaid.projects.choices.CallKind",
        "IndicatorKindEnum": "sciaid.projects.choices.IndicatorKind",
        "FindingLevelEnum": "sciaid.projects.choices.FindingLevel",
        "BudgetCategoryEnum": "sciaid.projects.choices.BudgetCategory",
        "WorkstationStatusEnum": "sciaid.commissioners.workstations.choices.WorkstationStatus",
        "ActivityKindEnum": "sciaid.commissioners.workstations.choices.ActivityKind",
        "TrainingKindEnum": "sciaid.training.choices.TrainingKind",
        "TrainingStatusEnum": "sciaid.training.choices.TrainingStatus",
        "OrganiserKindEnum": "sciaid.training.choices.OrganiserKind",
        "ParticipantKindEnum": "sciaid.training.choices.ParticipantKind",
        "SignInSourceEnum": "sciaid.training.choices.SignInSource",
        "ArticleKindEnum": "sciaid.training.articles.choices.ArticleKind",
        "PublicationStatusEnum": "sciaid.core.publishing.PublicationStatus",
        "AchievementKindEnum": "sciaid.achievements.choices.AchievementKind",
        "TransferModeEnum": "sciaid.achievements.choices.TransferMode",
        "TransferStatusEnum": "sciaid.achievements.choices.TransferStatus",
        "NeedStatusEnum": "sciaid.achievements.choices.NeedStatus",
        "NewsCategoryEnum": "sciaid.information.choices.NewsCategory",
        "SiteKindEnum": "sciaid.demonstration.choices.SiteKind",
        "OperatorKindEnum": "sciaid.demonstration.choices.OperatorKind",
        "SiteStatusEnum": "sciaid.demonstration.choices.SiteStatus",
        "SupplierKindEnum": "sciaid.market.choices.SupplierKind",
        "CertificateStatusEnum": "sciaid.market.choices.CertificateStatus",
        "ProductCategoryEnum": "sciaid.market.choices.ProductCategory",
        "ProductStatusEnum": "sciaid.market.choices.ProductStatus",
        "OrderStatusEnum": "sciaid.market.choices.OrderStatus",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
# HTTPS only, once TLS is in front: redirect plain HTTP (except the load balancer's health check) and tell browsers
# to keep to HTTPS for SECURE_HSTS_SECONDS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files (no inline script, no eval). Inline styles stay allowed: ECharts draws its tooltips
# and htmx its request indicator with them, and a style cannot run code. Empty: no header.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Expert assistance (sciaid.assistance): SLA targets in working hours (work calendar), escalation, photos.
ASSISTANCE_SLA_HOURS = {
    "triage": env_int("ASSISTANCE_TRIAGE_HOURS", 24),
    "accept": env_int("ASSISTANCE_ACCEPT_HOURS", 48),
    "resolve": env_int("ASSISTANCE_RESOLVE_HOURS", 7 * 24),
}
# An overdue demand climbs one escalation tier (desk → county admin → city) per this many working hours late.
ASSISTANCE_ESCALATION_STEP_HOURS = env_int("ASSISTANCE_ESCALATION_STEP_HOURS", 24)
# A resolved demand nobody rates closes by itself after this many days.
ASSISTANCE_AUTO_CLOSE_DAYS = env_int("ASSISTANCE_AUTO_CLOSE_DAYS", 7)
# The SLA sweeps (also `manage.py sla_sweep` from cron): escalation and auto-close, every this many minutes.
ASSISTANCE_SWEEP_MINUTES = env_int("ASSISTANCE_SWEEP_MINUTES", 15)
CELERY_BEAT_SCHEDULE = {
    "assistance-escalate-overdue": {
        "task": "sciaid.assistance.escalate_overdue",
        "schedule": ASSISTANCE_SWEEP_MINUTES * 60.0,
    },
    "assistance-close-unrated": {
        "task": "sciaid.assistance.close_unrated",
        "schedule": ASSISTANCE_SWEEP_MINUTES * 60.0,
    },
    "market-certificate-alerts": {"task": "sciaid.market.certificate_alerts", "schedule": 24 * 3600.0},
    "core-fail-dead-jobs": {"task": "sciaid.fail_dead_jobs", "schedule": 5 * 60.0},
    # The stored figures above county level: dashboards and the self-inspection report read them.
    "reports-refresh-indicators": {"task": "sciaid.reports.refresh_indicators", "schedule": 24 * 3600.0},
}
ASSISTANCE_MAX_PHOTOS = env_int("ASSISTANCE_MAX_PHOTOS", 6)
ASSISTANCE_PHOTO_MAX_BYTES = env_int("ASSISTANCE_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
ASSISTANCE_PHOTO_MAX_EDGE = env_int("ASSISTANCE_PHOTO_MAX_EDGE", 2048)
