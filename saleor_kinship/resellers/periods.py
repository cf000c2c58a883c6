"""Calendar days of the shop, as the merchant means them in a statement."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from ..core.host import get_host


def shop_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(get_host().programme_settings().time_zone)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Return [start, end) of the days date_from..date_to in the shop's time zone."""
    zone = shop_zone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def shop_day(moment: datetime) -> date:
    return moment.astimezone(shop_zone()).date()
