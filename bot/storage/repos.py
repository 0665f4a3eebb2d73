"""Every repository over one Database, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.advisories import AdvisoryRepository
from bot.storage.cases import CaseRepository
from bot.storage.checkins import CheckinRepository
from bot.storage.db import Database
from bot.storage.messages import DELETABLE_FOR, MessageRepository
from bot.storage.officers import OfficerRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.privacy import PrivacyRepository
from bot.storage.recovery import RecoveryRepository
from bot.storage.reports import ReportRepository
from bot.storage.users import UserRepository

OUTBOX_KEPT = timedelta(days=30)  # delivered rows; the audit itself lives in case_events


@dataclass(frozen=True, slots=True)
class Repositories:
    """The storage API handlers and services use; `db.transaction()` groups their calls."""

    db: Database
    users: UserRepository
    cases: CaseRepository
    officers: OfficerRepository
    outbox: OutboxRepository
    messages: MessageRepository
    reports: ReportRepository
    privacy: PrivacyRepository
    checkins: CheckinRepository
    recovery: RecoveryRepository
    advisories: AdvisoryRepository

    @classmethod
    def build(cls, db: Database) -> Repositories:
        """All repositories over `db`."""
        return cls(
            db=db,
            users=UserRepository(db),
            cases=CaseRepository(db),
            officers=OfficerRepository(db),
            outbox=OutboxRepository(db),
            messages=MessageRepository(db),
            reports=ReportRepository(db),
            privacy=PrivacyRepository(db),
            checkins=CheckinRepository(db),
            recovery=RecoveryRepository(db),
            advisories=AdvisoryRepository(db),
        )

    async def purge_expired(self, retention_days: int, now: datetime) -> int:
        """The retention purge (daily job and `python -m bot purge`); returns cases purged.

        Erases personal data of cases closed more than `retention_days` ago, forgets users
        inactive that long, drops message ids too old to delete and old delivered outbox rows.
        """
        cutoff = now - timedelta(days=retention_days)
        purged = await self.privacy.purge_closed_before(cutoff, now=now)
        await self.users.forget_inactive(cutoff)
        await self.messages.forget_older_than(now - DELETABLE_FOR)
        await self.outbox.prune_delivered(now - OUTBOX_KEPT)
        return purged
