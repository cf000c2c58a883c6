"""Settings of the reference host; every value can come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from devhost.checkdb import DatabaseUrlError, database_settings, database_url


def env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from None


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "devhost-only-secret-not-for-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

try:
    DATABASES = {
        "default": database_settings(
            database_url(),
            # Kept open between Celery tasks; a reconnect costs more than an event.
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except DatabaseUrlError as error:
    raise ImproperlyConfigured(str(error)) from None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "devhost.account",
    "devhost.shop",
    "saleor_kinship",
]
AUTH_USER_MODEL = "account.User"
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "devhost.urls"
USE_TZ = True
TIME_ZONE = "UTC"

# Kinship reaches the platform through this adapter (Saleor's by default).
KINSHIP_HOST = "devhost.host.DevHost"
DEFAULT_CHANNEL_SLUG = "default-channel"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env_flag("CELERY_TASK_ALWAYS_EAGER", "1")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_USE_TLS = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@example.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "null": {"class": "logging.NullHandler"},
    },
    "loggers": {
        "saleor_kinship": {"handlers": ["console"], "level": "WARNING"},
        # graphql-core logs every error a resolver raises, refused requests
        # included, with a traceback; kinship answers each with a code and
        # logs its own failures once. A logger without handlers would still
        # print through logging's last resort, hence the null handler.
        "graphql.execution.utils": {"handlers": ["null"], "propagate": False},
        "graphql.execution.executor": {"handlers": ["null"], "propagate": False},
    },
}
