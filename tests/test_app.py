"""One bot: tests, `chat` and the benchmarks build exactly what `run` builds."""

from __future__ import annotations

import inspect
from pathlib import Path

from bot.app import build_application
from bot.config import Settings
from bot.runtime.inbox import DurableUpdateQueue
from bot.runtime.ordering import OrderedUpdateProcessor
from bot.runtime.ratelimit import KawanRateLimiter
from bot.storage.persistence import SqlitePersistence
from bot.transport.offline import OfflineBotAPI

ROOT = Path(__file__).resolve().parents[1]


def shape(app: object) -> dict[str, object]:
    bot = app.bot  # type: ignore[attr-defined]
    return {
        "bot": type(bot),
        "rate_limiter": type(bot.rate_limiter),
        "update_processor": type(app.update_processor),  # type: ignore[attr-defined]
        "update_queue": type(app.update_queue),  # type: ignore[attr-defined]
        "persistence": type(app.persistence),  # type: ignore[attr-defined]
        "job_queue": app.job_queue is not None,  # type: ignore[attr-defined]
        "handlers": {g: [type(h) for h in hs] for g, hs in app.handlers.items()},  # type: ignore[attr-defined]
        "defaults": bot.defaults,
    }


def test_the_offline_bot_is_the_production_bot_but_for_the_transport(tmp_path: Path) -> None:
    online = build_application(
        Settings(
            bot_token="123456:" + "A" * 35,
            officers_chat_id=-100,
            database_path=tmp_path / "a.sqlite3",
        )
    )
    offline = build_application(
        Settings(officers_chat_id=-100, database_path=tmp_path / "b.sqlite3"),
        api=OfflineBotAPI(),
    )
    assert shape(online) == shape(offline)
    assert shape(online)["rate_limiter"] is KawanRateLimiter
    assert shape(online)["update_processor"] is OrderedUpdateProcessor
    assert shape(online)["update_queue"] is DurableUpdateQueue
    assert shape(online)["persistence"] is SqlitePersistence
    assert online.update_processor.max_concurrent_updates > 1


def test_chat_tour_and_benchmarks_build_the_application_the_one_way() -> None:
    users = [
        ROOT / "bot" / "cli" / "chat.py",
        ROOT / "bot" / "cli" / "tour.py",
        ROOT / "benchmarks" / "common.py",
        ROOT / "tests" / "conftest.py",
    ]
    for path in users:
        source = path.read_text()
        assert "build_application(" in source, path
        assert "ApplicationBuilder" not in source, path
    # Everything that feeds updates to Kawan goes through the update queue, as Telegram's do.
    from bot.transport import driver

    assert "update_queue.put" in inspect.getsource(driver)
