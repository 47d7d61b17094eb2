"""Django settings for the tests: the platform's settings with a throw-away data directory
and secret key, and a fast password hasher. ``DATABASE_URL`` selects PostgreSQL as usual."""

import os
import secrets
import tempfile

os.environ.setdefault("HUIQI_DATA_DIR", os.path.join(tempfile.gettempdir(), "huiqi-test"))
os.environ.setdefault("HUIQI_SECRET_KEY", secrets.token_urlsafe(50))

from huiqi.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if os.environ.get("HUIQI_TEST_DB_NAME"):  # parallel runs against one PostgreSQL server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["HUIQI_TEST_DB_NAME"]}  # noqa: F405
