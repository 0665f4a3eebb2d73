"""Safe hours on the sending side: the next moment a message may go, across midnight too."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.queue.relay import next_safe_moment
from bot.ui.i18n import TIMEZONE


def at(hour: int, minute: int = 0) -> dt.datetime:
    """That time today in Phnom Penh."""
    return dt.datetime(2026, 12, 3, hour, minute, tzinfo=TIMEZONE)


@pytest.mark.parametrize(
    ("start", "end", "now", "due"),
    [
        (0, 2, at(0, 30), None),
        (0, 2, at(1, 59), None),
        (0, 2, at(2), at(0) + dt.timedelta(days=1)),
        (0, 2, at(23), at(0) + dt.timedelta(days=1)),
        (22, 2, at(23), None),
        (22, 2, at(1), None),
        (22, 2, at(2), at(22)),
        (22, 2, at(12), at(22)),
        (23, 2, at(22, 59), at(23)),
        (18, 21, at(21, 30), at(18) + dt.timedelta(days=1)),
        (None, None, at(3), None),
    ],
)
def test_next_safe_moment(
    start: int | None, end: int | None, now: dt.datetime, due: dt.datetime | None
) -> None:
    found = next_safe_moment(now.astimezone(dt.UTC), start, end)
    assert found == (None if due is None else due.astimezone(dt.UTC))
