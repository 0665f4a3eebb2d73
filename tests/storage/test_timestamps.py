"""Stored times: one UTC text form with milliseconds that sorts as text, and back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.storage.timestamps import format_utc, parse_utc, parse_utc_or_none, stamp


def test_any_aware_time_is_stored_as_utc_with_milliseconds_and_z() -> None:
    phnom_penh = timezone(timedelta(hours=7))
    moment = datetime(2026, 1, 2, 3, 4, 5, 678_999, tzinfo=phnom_penh)
    assert format_utc(moment) == "2026-01-01T20:04:05.678Z"  # truncated, never rounded up
    assert format_utc(datetime(2026, 1, 2, tzinfo=UTC)) == "2026-01-02T00:00:00.000Z"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_utc(datetime(2026, 1, 2))


def test_the_stored_form_reads_back_and_sorts_like_the_times() -> None:
    moments = [datetime(2026, 5, d, h, tzinfo=UTC) for d in (1, 9, 10) for h in (0, 9, 23)]
    texts = [format_utc(m) for m in moments]
    assert sorted(texts) == texts
    assert [parse_utc(t) for t in texts] == moments
    assert parse_utc(texts[0]).tzinfo is not None
    assert parse_utc_or_none(None) is None and parse_utc_or_none(texts[1]) == moments[1]


def test_stamp_is_now_or_the_given_moment() -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    now = parse_utc(stamp())
    assert before <= now <= datetime.now(UTC)
    assert stamp(datetime(2026, 3, 4, tzinfo=UTC)) == "2026-03-04T00:00:00.000Z"
