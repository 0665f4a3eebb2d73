"""The command line as users and editors run it: chat, check-offer, ask, export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_PATH": str(tmp_path / "cli.sqlite3"),
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120,
    )  # fmt: skip


def test_chat_shows_the_menu_then_the_emergency_screen_with_sources(tmp_path: Path) -> None:
    result = _run(["chat"], "/start\n1\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] 🆘 Darurat" in out
    emergency = out[out.index("> 1") :]
    assert "117" in emergency and "+855 12 813 282" in emergency
    assert "sumber" in emergency and "VietnamPlus" in emergency


def test_chat_runs_a_whole_case_with_the_officers_side(tmp_path: Path) -> None:
    script = (
        "/bantuan\n4\n1\nPhnom Penh\n1\nPaspor saya ditahan\n1\n1\n1\n@1\n@officers Kami bantu\n"
    )
    result = _run(["chat"], script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[officers] (new topic: " in result.stdout
    assert "💬 Pesan baru · KWN-" in result.stdout and "Kami bantu" in result.stdout


def test_check_offer_prints_the_contract(tmp_path: Path) -> None:
    result = _run(["check-offer"], "Loker Kamboja gaji 15jt tiket ditanggung visa turis", tmp_path)
    data = json.loads(result.stdout)
    assert data["risk"] == "high" and 0 <= data["score"] <= 1
    assert all(set(flag) == {"id", "title"} for flag in data["flags"])


def test_ask_prints_the_contract(tmp_path: Path) -> None:
    result = _run(["ask", "tolong", "saya", "disekap", "bos", "paspor", "diambil"], "", tmp_path)
    data = json.loads(result.stdout)
    assert data["urgent"] is True
    assert 1 <= len(data["answers"]) <= 3
    assert all(set(a) == {"id", "topic", "score"} for a in data["answers"])


def test_export_writes_a_csv_even_when_empty(tmp_path: Path) -> None:
    result = _run(["export", "--since", "2026-01-01", "--until", "2026-01-31"], "", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("ref")
