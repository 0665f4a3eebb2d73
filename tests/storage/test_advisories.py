"""Advisories in storage: subscribers, one delivery row each in their language, confirmed once,
cancelled for what is left, and progress counted from the outbox itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.storage.repos import Repositories

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
GROUP = -100_700


def _payloads(advisory_id: int) -> dict[str, dict[str, object]]:
    return {
        "id": {"advisory": advisory_id, "text": "Kantor tutup"},
        "en": {"advisory": advisory_id, "text": "Office closed"},
    }


async def _subscribers(repos: Repositories) -> None:
    for user_id, locale in ((1, "id"), (2, "en"), (3, "km")):
        assert await repos.advisories.subscribe(user_id, user_id, locale, T0)


async def test_subscribing_twice_only_refreshes_the_language(repos: Repositories) -> None:
    assert await repos.advisories.subscribe(1, 1, "id", T0) is True
    assert await repos.advisories.subscribe(1, 1, "en", T0) is False
    assert await repos.advisories.count_subscribers() == 1
    assert await repos.advisories.unsubscribe(1) is True
    assert await repos.advisories.unsubscribe(1) is False
    assert await repos.advisories.count_subscribers() == 0


async def test_confirming_queues_one_row_per_subscriber_in_their_language_once(
    repos: Repositories,
) -> None:
    await _subscribers(repos)
    advisory = await repos.advisories.draft("Kantor tutup", officer_id=900, now=T0)
    total = await repos.advisories.confirm(advisory.id, _payloads(advisory.id), "id", GROUP, 5, T0)
    assert total == 3
    again = await repos.advisories.confirm(advisory.id, _payloads(advisory.id), "id", GROUP, 5, T0)
    assert again is None  # a replayed press queues nothing
    rows = await repos.db.fetchall(
        "SELECT target_chat_id, payload FROM outbox WHERE kind = 'advisory' ORDER BY id"
    )
    texts = {row[0]: json.loads(row[1])["text"] for row in rows}
    assert texts == {1: "Kantor tutup", 2: "Office closed", 3: "Kantor tutup"}  # km: default
    confirmed = await repos.advisories.get(advisory.id)
    assert confirmed is not None and confirmed.total == 3 and confirmed.progress_chat_id == GROUP
    assert [a.id for a in await repos.advisories.active()] == [advisory.id]


async def test_cancelling_stops_only_what_was_not_sent_and_progress_counts_it(
    repos: Repositories,
) -> None:
    await _subscribers(repos)
    advisory = await repos.advisories.draft("Kantor tutup", officer_id=900, now=T0)
    await repos.advisories.confirm(advisory.id, _payloads(advisory.id), "id", GROUP, None, T0)
    first = await repos.db.scalar("SELECT MIN(id) FROM outbox WHERE kind = 'advisory'")
    assert await repos.outbox.mark_delivered(first, 77, now=T0)
    progress = await repos.advisories.progress(advisory.id)
    assert (progress.delivered, progress.failed, progress.pending) == (1, 0, 2)
    assert await repos.advisories.cancel(advisory.id, T0) == 2
    progress = await repos.advisories.progress(advisory.id)
    assert (progress.delivered, progress.failed, progress.pending) == (1, 2, 0)
    cancelled = await repos.advisories.get(advisory.id)
    assert cancelled is not None and cancelled.cancelled_at == T0
    late = await repos.advisories.confirm(advisory.id, _payloads(advisory.id), "id", GROUP, 5, T0)
    assert late is None  # a cancelled draft is never sent


async def test_the_shown_end_takes_an_advisory_out_of_the_active_list(
    repos: Repositories,
) -> None:
    await _subscribers(repos)
    advisory = await repos.advisories.draft("Kantor tutup", officer_id=900, now=T0)
    await repos.advisories.confirm(advisory.id, _payloads(advisory.id), "id", GROUP, 5, T0)
    await repos.advisories.shown(advisory.id, "1 / 3", finished=None)
    assert [a.progress_shown for a in await repos.advisories.active()] == ["1 / 3"]
    await repos.advisories.shown(advisory.id, "3 / 3", finished=T0)
    assert await repos.advisories.active() == []
