import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.core import clock

WITA = ZoneInfo("Asia/Makassar")


def test_now_is_aware_utc():
    now = clock.now()
    assert now.tzinfo is not None
    assert now.utcoffset() == dt.timedelta(0)


def test_frozen_setting_is_local_time_of_the_agency(settings):
    settings.SIGAP_FROZEN_TIME = "2026-11-23T07:20"
    settings.TIME_ZONE = "Asia/Makassar"
    assert clock.now() == dt.datetime(2026, 11, 22, 23, 20, tzinfo=dt.UTC)
    assert clock.today("Asia/Jayapura") == dt.date(2026, 11, 23)
    assert clock.today("Asia/Jakarta") == dt.date(2026, 11, 23)
    assert clock.is_frozen()


def test_freeze_overrides_and_restores():
    at = dt.datetime(2026, 1, 1, 0, 30, tzinfo=WITA)
    with clock.freeze(at):
        assert clock.now() == at
        # 00:30 WITA is still 31 December in Jakarta (WIB, one hour behind)
        assert clock.today("Asia/Jakarta") == dt.date(2025, 12, 31)
        assert clock.today("Asia/Jayapura") == dt.date(2026, 1, 1)
    assert clock.now() != at


def test_freeze_refuses_naive_datetimes():
    with pytest.raises(ValueError), clock.freeze(dt.datetime(2026, 1, 1)):
        pass
