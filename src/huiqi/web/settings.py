"""Django settings, configured from the environment.

- ``HUIQI_DATA_DIR``: the data directory (default ``~/.local/share/huiqi``); it holds the SQLite
  database ``huiqi.sqlite3`` and, when ``HUIQI_SECRET_KEY`` is not set, the generated secret key.
- ``DATABASE_URL``: another database, e.g. ``postgresql://user@host:5432/huiqi``.
- ``HUIQI_SECRET_KEY``, ``HUIQI_DEBUG`` (``1`` to enable), ``HUIQI_ALLOWED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

DATA_DIR = Path(
    os.environ.get("HUIQI_DATA_DIR") or Path.home() / ".local" / "share" / "huiqi"
).expanduser()


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory
    (readable by its owner only), so an embedded installation needs no configuration."""
    given = os.environ.get("HUIQI_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "huiqi.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("HUIQI_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("HUIQI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "huiqi.portal",
    "huiqi.accounts",
    "huiqi.audit",
    "huiqi.enterprises",
    "huiqi.library",
    "huiqi.policies",
    "huiqi.calculator",
    "huiqi.screening",
    "huiqi.console",
    "huiqi.cases",
    "huiqi.arrears",
    "huiqi.applications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "huiqi.web.urls"
WSGI_APPLICATION = "huiqi.web.wsgi.application"

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
                "huiqi.portal.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (huiqi.accounts.throttle): failures per user name and per client address.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
# WhiteNoise serves the static files from the apps without collectstatic (the demo and the
# tests); a production installation runs collectstatic into STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Files uploaded for import and the reports made from them; outside any served directory.
MEDIA_ROOT = DATA_DIR / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50

# `huiqi demo` serves over plain http on a loopback address (127.0.0.1, localhost) and sets
# HUIQI_INSECURE_COOKIES=1 there only, so that every browser and HTTP client keeps the session
# and CSRF cookies; never set it for a server reachable from other machines.
if os.environ.get("HUIQI_INSECURE_COOKIES") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False

# SQLite keeps a write-ahead log, so pages keep reading (an import job's progress among them)
# while a long transaction writes: a registry import applies a whole file in one transaction.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"

# Every page is in Simplified Chinese, whatever language the browser asks for (LocaleMiddleware
# would otherwise give an English browser Django's English labels and form errors).
LANGUAGES = [("zh-hans", "简体中文")]
