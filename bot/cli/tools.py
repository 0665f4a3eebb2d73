"""The read-only and maintenance CLI commands: check-offer, ask, export, purge.

Each read-only command prints text a person reads by default and DESIGN's JSON with --json.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.content import default_content_dir, load_content


def _content_dir(settings: Settings) -> Path:
    return settings.content_dir or default_content_dir()


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def check_offer(settings: Settings, text: str, as_json: bool = False) -> int:
    """Job-offer text → its risk and red flags; JSON {"risk", "score", "flags"} with --json."""
    from bot.offers.check import OfferChecker

    checker = OfferChecker.load(_content_dir(settings))
    verdict = checker.check(text)
    data = verdict.to_json(settings.default_locale)
    if as_json:
        _print_json(data)
        return 0
    print(f"Risk: {verdict.risk.upper()} (score {data['score']:.2f} of 1)")
    if not verdict.hits:
        print("No red flags found.")
    for hit, flag in zip(verdict.hits, data["flags"], strict=True):
        print(f"- {flag['title']} [{flag['id']}]")
        print(f'    "{hit.quote}"')
    return 0


def ask(settings: Settings, text: str, locale: str, as_json: bool = False) -> int:
    """A question → whether it is urgent and the best guides (at most 3); JSON with --json."""
    from bot.understanding.danger import DangerDetector
    from bot.understanding.search import QuestionIndex, ask_json

    content_dir = _content_dir(settings)
    content = load_content(content_dir)
    index = QuestionIndex.build(content)
    data = ask_json(index, DangerDetector.load(content_dir), text, locale)
    if as_json:
        _print_json(data)
        return 0
    if data["urgent"]:
        print("URGENT: the message shows danger; the bot answers with emergency help first.")
    answers = data["answers"]
    if not answers:
        print("No guide answers this question.")
    reader = index.detect_locale(text) if locale == "auto" else locale
    guides = content.guides.get(reader, {})
    for rank, answer in enumerate(answers, 1):
        guide = guides.get(answer["id"])
        title = f" {guide.title}" if guide is not None else ""
        print(f"{rank}.{title} [{answer['id']}, topic {answer['topic']}] score {answer['score']}")
    return 0


def _date(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def export(
    settings: Settings, since: str | None, until: str | None, redact: bool, output: str | None
) -> int:
    """Cases created in [since, until] as CSV (redacted unless --no-redact)."""
    from bot.storage.reports import rows_to_csv

    today = dt.datetime.now(dt.UTC).date()
    start = _date(since, today - dt.timedelta(days=30))
    end = _date(until, today)
    rows = asyncio.run(_export_rows(settings, start, end, redact))
    text = rows_to_csv(rows)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
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
    """The retention purge the bot runs daily (Repositories.purge_expired), run by hand."""
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
        repos = Repositories.build(db)
        return await repos.purge_expired(settings.retention_days, dt.datetime.now(dt.UTC))
    finally:
        await db.close()
