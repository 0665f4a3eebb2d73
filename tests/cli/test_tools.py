"""The command-line tools in-process: check-offer as text or JSON, export's CSV, purge's count."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import tools
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.models import NewCase
from bot.storage.repos import Repositories

SCAM = "Dicari admin online di Kamboja, gaji 15 juta, tiket ditanggung, paspor ditahan perusahaan"


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_path=tmp_path / "kawan.sqlite3")


def test_check_offer_reads_as_text_and_as_the_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tools.check_offer(_settings(tmp_path), SCAM) == 0
    text = capsys.readouterr().out
    assert text.startswith("Risk: HIGH") and "\n- " in text
    assert tools.check_offer(_settings(tmp_path), SCAM, as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["risk"] == "high" and data["flags"] and 0 < data["score"] <= 1
    assert tools.check_offer(_settings(tmp_path), "Lowongan kasir di Jakarta, gaji UMR.") == 0
    assert "No red flags found." in capsys.readouterr().out


async def _one_case(settings: Settings, phone: str) -> None:
    db = await Database.open(settings.database_path)
    try:
        await Repositories.build(db).cases.create_case(
            NewCase(user_id=1, chat_id=1, kind="self", category="visa", locale="id",
                    description=f"hubungi saya di {phone}", consent_text_version="test")
        )  # fmt: skip
    finally:
        await db.close()


def test_export_writes_redacted_csv_of_the_period_and_counts_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    asyncio.run(_one_case(settings, "+855 12 345 678"))
    out = tmp_path / "cases.csv"
    assert tools.export(settings, None, None, redact=True, output=str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1 and "345 678" not in out.read_text(encoding="utf-8")
    assert "1 case(s) exported" in capsys.readouterr().err
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert tools.export(settings, None, yesterday, redact=True, output=None) == 0
    captured = capsys.readouterr()
    assert "0 case(s) exported" in captured.err and captured.out.count("\n") <= 1  # header


def test_purge_reports_its_count_as_text_or_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)
    asyncio.run(_one_case(settings, "-"))  # open: never purged
    assert tools.purge(settings, as_json=True) == 0
    assert json.loads(capsys.readouterr().out) == {
        "purged": 0, "retention_days": settings.retention_days,
    }  # fmt: skip
    assert tools.purge(settings, as_json=False) == 0
    assert capsys.readouterr().out.startswith("0 case(s) purged")
