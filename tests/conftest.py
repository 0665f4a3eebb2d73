"""Fixtures: an offline Bot API, a real Application on a temporary database, people to talk as."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import ReadOnlyServices, build_application, load_read_only, running
from bot.config import Settings
from bot.content import default_content_dir
from bot.context import KawanApplication
from bot.storage.db import Database
from bot.storage.repos import Repositories
from bot.transport.driver import ChatDriver
from bot.transport.offline import OfflineBotAPI
from bot.transport.updates import Person
from bot.ui.i18n import default_locales_dir

OFFICERS_CHAT = -1001234567890
OFFICER = Person(id=900_001, first_name="Officer", language_code="id")
CITIZEN = Person(id=100_001, first_name="Siti", language_code="id")

# tests/ is a package (so tests/handlers/test_privacy.py and tests/storage/test_privacy.py
# do not clash); pytest names this module tests.conftest. Test files import the helpers
# here as `from conftest import ...`: the short name stays valid for them.
sys.modules.setdefault("conftest", sys.modules[__name__])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order for `-n 3 --dist worksteal`: the runs in real time first, the heavy ones last.

    The advisory run keeps Telegram's pace for about 100 s and needs little CPU: first in the
    first worker's share, it overlaps everything else; the surge run follows it there. The
    CPU-heavy runs go last, where an idle worker takes them, instead of queueing behind it.
    """

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 2 if item.get_closest_marker("heavy") else 1

    items.sort(key=rank)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """In a parallel worker, the other tests yield the CPU to the runs that measure time.

    The surge run checks how fast buttons are answered; beside two busy workers on two cores
    its bot answered in 2.3 s instead of under one. A worker lowers its priority once, before
    its first test that is not `slow` (the slow ones come first, so theirs stays normal).
    """
    global _yielded
    if _yielded or "PYTEST_XDIST_WORKER" not in os.environ or item.get_closest_marker("slow"):
        return
    os.nice(10)
    _yielded = True


_yielded = False


@pytest.fixture(scope="session")
def read_only() -> ReadOnlyServices:
    """Content, catalogs, question index and detectors: read-only, so built once per session.

    The same objects every Application in the tests gets (build_services asks the same cache),
    so unit tests of search, danger, offers and asks pay nothing once any app test has run.
    """
    default_locale = Settings(database_path=Path("unused.sqlite3")).default_locale
    return load_read_only(
        default_content_dir().resolve(), default_locales_dir().resolve(), default_locale
    )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated database file (the storage tests' starting point)."""
    database = await Database.open(tmp_path / "kawan.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def repos(db: Database) -> Repositories:
    return Repositories.build(db)


@pytest.fixture
def api() -> OfflineBotAPI:
    """A fresh fake Telegram with an officers' forum group holding one officer."""
    fake = OfflineBotAPI()
    group = fake.chat(OFFICERS_CHAT, type="supergroup", title="KBRI piket", is_forum=True)
    group.members[OFFICER.id] = "administrator"
    return fake


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_path=tmp_path / "kawan.sqlite3", officers_chat_id=OFFICERS_CHAT)


@pytest.fixture
async def app(settings: Settings, api: OfflineBotAPI) -> AsyncIterator[KawanApplication]:
    """The real Application, initialised and started on the offline transport."""
    application = build_application(settings, api=api)
    async with running(application):
        yield application


@pytest.fixture
def citizen(app: KawanApplication, api: OfflineBotAPI) -> ChatDriver:
    return ChatDriver(app, api, CITIZEN)


@pytest.fixture
def officer(app: KawanApplication, api: OfflineBotAPI) -> ChatDriver:
    return ChatDriver(app, api, OFFICER, chat_id=OFFICERS_CHAT)


def make_settings(base: Settings, **changes: object) -> Settings:
    return replace(base, **changes)  # type: ignore[arg-type]


async def finish_request(citizen: ChatDriver) -> None:
    """The last steps of every help request: no more files, consent, send."""
    for step in ("i:attach:done", "i:consent:yes", "i:confirm:yes"):
        await citizen.press(step)
