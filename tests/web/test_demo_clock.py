import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.web.management.commands.demo_clock import demo_clock_value

WITA = ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 23, 9, 0), ""),  # Monday morning: real time
        (dt.datetime(2026, 11, 23, 16, 59), ""),
        (dt.datetime(2026, 11, 23, 17, 0), "2026-11-23T07:20"),  # Monday evening
        (dt.datetime(2026, 11, 24, 3, 0), "2026-11-23T07:20"),  # Tuesday night
        (dt.datetime(2026, 11, 24, 5, 59), "2026-11-23T07:20"),
        (dt.datetime(2026, 11, 28, 10, 0), "2026-11-27T07:20"),  # Saturday
        (dt.datetime(2026, 11, 30, 2, 0), "2026-11-27T07:20"),  # Monday night before dawn
        (dt.datetime(2026, 12, 25, 10, 0), "2026-12-23T07:20"),  # Christmas + cuti bersama 24th
    ],
)
def test_demo_clock(now, expected):
    assert demo_clock_value(now.replace(tzinfo=WITA)) == expected
