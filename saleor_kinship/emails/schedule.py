"""When the e-mail tasks run; importable from a settings module.

A host merges this into its Celery beat schedule, for Saleor::

    from saleor_kinship.emails.schedule import EMAIL_BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE.update(EMAIL_BEAT_SCHEDULE)

Birthdays and points reminders run hourly and send from the configured hour
of the shop's day, once per customer and day; the sweep settles attempts
that died and queues again those whose task was lost.
"""

from celery.schedules import crontab

EMAIL_BEAT_SCHEDULE = {
    "kinship-birthday-emails": {
        "task": "saleor_kinship.emails.send_birthday_emails",
        "schedule": crontab(minute=5),
    },
    "kinship-points-expiring-emails": {
        "task": "saleor_kinship.emails.send_points_expiring_emails",
        "schedule": crontab(minute=15),
    },
    "kinship-email-sweep": {
        "task": "saleor_kinship.emails.sweep",
        "schedule": crontab(minute="*/5"),
    },
}
