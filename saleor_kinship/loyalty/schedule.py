"""When the loyalty jobs run; importable from a settings module.

A host merges this into its Celery beat schedule, for Saleor::

    from saleor_kinship.loyalty.schedule import LOYALTY_BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE.update(LOYALTY_BEAT_SCHEDULE)

Both tasks run hourly and do their work once per day (expiry) or year (the
tier review) of the shop's time zone, so any time zone is served on time.
"""

from celery.schedules import crontab

LOYALTY_BEAT_SCHEDULE = {
    "kinship-expire-points": {
        "task": "saleor_kinship.loyalty.expire_points",
        "schedule": crontab(minute=20),
    },
    "kinship-review-tiers": {
        "task": "saleor_kinship.loyalty.review_tiers",
        "schedule": crontab(minute=10),
    },
}
