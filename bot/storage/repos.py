"""Every repository over one Database, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.cases import CaseRepository
from bot.storage.db import Database
from bot.storage.messages import MessageRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.privacy import PrivacyRepository
from bot.storage.reports import ReportRepository
from bot.storage.users import UserRepository


@dataclass(frozen=True, slots=True)
class Repositories:
    """The storage API handlers and services use; `db.transaction()` groups their calls."""

    db: Database
    users: UserRepository
    cases: CaseRepository
    outbox: OutboxRepository
    messages: MessageRepository
    reports: ReportRepository
    privacy: PrivacyRepository

    @classmethod
    def build(cls, db: Database) -> Repositories:
        """All repositories over `db`."""
        return cls(
            db=db,
            users=UserRepository(db),
            cases=CaseRepository(db),
            outbox=OutboxRepository(db),
            messages=MessageRepository(db),
            reports=ReportRepository(db),
            privacy=PrivacyRepository(db),
        )
