"""Calendar days of the shop, as the merchant means them in a statement."""

import zoneinfo
from datetime import date, datetime, time

from ..core.host import get_host


def shop_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(get_host().programme_settings().time_zone)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Return the first and the last moment of the days date_from..date_to.

    Both are included and in the shop's time zone. The last moment is the
    last microsecond of date_to (PostgreSQL's precision), so any day from
    0001-01-01 to 9999-12-31 can be given.
    """
    zone = shop_zone()
    first = datetime.combine(date_from, time.min, tzinfo=zone)
    last = datetime.combine(date_to, time.max, tzinfo=zone)
    return first, last


def shop_day(moment: datetime) -> date:
    return moment.astimezone(shop_zone()).date()
