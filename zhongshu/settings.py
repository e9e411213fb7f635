"""Django settings for Zhongshu.

Everything a deployment changes comes from the environment (see README.md):
DATABASE_URL, ZHONGSHU_SECRET_KEY, ZHONGSHU_DEBUG, ZHONGSHU_ALLOWED_HOSTS,
ZHONGSHU_LANGUAGE, ZHONGSHU_TASKS_IMMEDIATE.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("ZHONGSHU_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("ZHONGSHU_DEBUG", "0")
SECRET_KEY = os.environ.get("ZHONGSHU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and _flag("ZHONGSHU_REQUIRE_SECRET_KEY", "0"):
        raise ImproperlyConfigured("Set ZHONGSHU_SECRET_KEY in production.")
    # A fixed development key keeps sessions valid across restarts of the demo;
    # production deployments set ZHONGSHU_REQUIRE_SECRET_KEY=1 to refuse it.
    SECRET_KEY = "zhongshu-insecure-development-key-change-me"  # noqa: S105

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "ZHONGSHU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
    ).split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("ZHONGSHU_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "zhongshu.core",
    "zhongshu.ledger",
    "zhongshu.partners",
    "zhongshu.catalog",
    "zhongshu.inventory",
    "zhongshu.sales",
    "zhongshu.purchasing",
    "zhongshu.web",
    "zhongshu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhongshu.core.middleware.RequestContextMiddleware",
    "zhongshu.api.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhongshu.web.middleware.CurrentCompanyMiddleware",
]

ROOT_URLCONF = "zhongshu.urls"
WSGI_APPLICATION = "zhongshu.wsgi.application"

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
                "zhongshu.web.context_processors.shell",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'zhongshu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so numbering and reservations
    # serialize instead of failing with "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("ZHONGSHU_TEST_DB", "")}
    if not DATABASES["default"]["TEST"]["NAME"]:
        del DATABASES["default"]["TEST"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("ZHONGSHU_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm (package-lock.json); only their dist folders
# are exposed as static files.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The API refuses larger bodies with a JSON 413 before Django reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
API_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            # Tests run tasks immediately (pytest sets PYTEST_VERSION).
            if _flag(
                "ZHONGSHU_TASKS_IMMEDIATE",
                "1" if "PYTEST_VERSION" in os.environ else "0",
            )
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

TRIAL_DAYS = 15

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"zhongshu": {"handlers": ["console"], "level": "INFO"}},
}

if "PYTEST_VERSION" in os.environ:
    # A test-only app whose tables exercise the money fields and StateFlow.
    INSTALLED_APPS.append("zhongshu.core.tests.fieldsapp")
    # Password hashing dominates test time; tests never store real passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
