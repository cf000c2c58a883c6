"""Settings of the reference host; every value can come from the environment."""

import os

import dj_database_url


def env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "devhost-only-secret-not-for-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinship"),
        # Kept open between Celery tasks; a reconnect costs more than an event.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
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
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_USE_TLS = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@example.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "saleor_kinship": {"handlers": ["console"], "level": "WARNING"},
        # graphql-core logs every resolver error with a traceback; kinship
        # reports them to the client with a code and logs its own failures.
        "graphql.execution.utils": {"handlers": [], "propagate": False},
        "graphql.execution.executor": {"handlers": [], "propagate": False},
    },
}
