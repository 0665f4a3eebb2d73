"""The read-only and maintenance CLI commands: check-offer, ask, export, purge."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.content import default_content_dir, load_content


def _content_dir(settings: Settings) -> Path:
    return settings.content_dir or default_content_dir()


def check_offer(settings: Settings, text: str) -> int:
    """Job-offer text → {"risk", "score", "flags"} on stdout."""
    from bot.offers.check import OfferChecker

    checker = OfferChecker.load(_content_dir(settings))
    print(json.dumps(checker.check(text).to_json(settings.default_locale), ensure_ascii=False))
    return 0


def ask(settings: Settings, text: str, locale: str) -> int:
    """A question → {"urgent", "answers": [{"id", "topic", "score"}]} on stdout."""
    from bot.understanding.danger import DangerDetector
    from bot.understanding.search import QuestionIndex, ask_json

    content_dir = _content_dir(settings)
    index = QuestionIndex.build(load_content(content_dir))
    detector = DangerDetector.load(content_dir)
    print(json.dumps(ask_json(index, detector, text, locale), ensure_ascii=False))
    return 0


def _date(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def export(
    settings: Settings, since: str | None, until: str | None, redact: bool, output: str | None
) -> int:
    """Cases created in [since, until] as CSV (redacted unless --no-redact)."""
    today = dt.datetime.now(dt.UTC).date()
    start = _date(since, today - dt.timedelta(days=30))
    end = _date(until, today)
    rows = asyncio.run(_export_rows(settings, start, end, redact))
    buffer = io.StringIO()
    columns = list(rows[0].keys()) if rows else ["ref"]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    print(f"{len(rows)} case(s) exported", file=sys.stderr)
    return 0


async def _export_rows(
    settings: Settings, start: dt.date, end: dt.date, redact: bool
) -> list[dict[str, object]]:
    from bot.queue.jobs import day_range
    from bot.storage.db import Database
    from bot.storage.repos import Repositories

    db = await Database.open(settings.database_path)
    try:
        since, until = day_range(start, end)
        return await Repositories.build(db).reports.export_rows(since, until, redact=redact)
    finally:
        await db.close()


def purge(settings: Settings, as_json: bool) -> int:
    """Erase personal data of cases closed more than RETENTION_DAYS ago."""
    count = asyncio.run(_purge(settings))
    if as_json:
        print(json.dumps({"purged": count, "retention_days": settings.retention_days}))
    else:
        print(f"{count} case(s) purged (closed more than {settings.retention_days} days ago)")
    return 0


async def _purge(settings: Settings) -> int:
    from bot.storage.db import Database
    from bot.storage.repos import Repositories

    db = await Database.open(settings.database_path)
    try:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.retention_days)
        return await Repositories.build(db).privacy.purge_closed_before(cutoff)
    finally:
        await db.close()
