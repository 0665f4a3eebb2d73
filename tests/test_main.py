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


def test_chat_shows_the_menu_then_the_emergency_screen(tmp_path: Path) -> None:
    result = _run(["chat"], "/start\n1\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] 🆘 Darurat" in out
    emergency = out[out.index("> 1") :]
    assert "117" in emergency and "+855 12 813 282" in emergency
    assert "1288" in emergency and "sumber" not in emergency  # no inline sources (issue 13)


def test_chat_runs_a_whole_case_with_the_officers_side(tmp_path: Path) -> None:
    script = (
        "/bantuan\n4\n1\nPhnom Penh\n1\nPaspor saya ditahan\n1\n1\n1\n@1\n@officers Kami bantu\n"
    )
    result = _run(["chat"], script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[officers] (new topic: " in result.stdout
    assert "💬 Pesan baru · KWN-" in result.stdout and "Kami bantu" in result.stdout


OFFER = "Loker Kamboja gaji 15jt tiket ditanggung visa turis"
DANGER = ["tolong", "saya", "disekap", "bos", "paspor", "diambil"]


def test_check_offer_json_prints_the_contract(tmp_path: Path) -> None:
    result = _run(["check-offer", "--json"], OFFER, tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"risk", "score", "flags"}
    assert data["risk"] == "high" and 0 <= data["score"] <= 1
    assert data["flags"] and all(set(flag) == {"id", "title"} for flag in data["flags"])


def test_check_offer_prints_text_a_person_reads(tmp_path: Path) -> None:
    result = _run(["check-offer"], OFFER, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Risk: HIGH (score ")
    assert "- Berangkat dengan visa turis [tourist_visa]" in result.stdout
    assert '"visa turis"' in result.stdout  # the user's own words that raised the flag


def test_ask_json_prints_the_contract(tmp_path: Path) -> None:
    result = _run(["ask", "--json", *DANGER], "", tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"urgent", "answers"} and data["urgent"] is True
    assert 1 <= len(data["answers"]) <= 3
    assert all(set(a) == {"id", "topic", "score"} for a in data["answers"])
    scores = [a["score"] for a in data["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_prints_text_a_person_reads(tmp_path: Path) -> None:
    result = _run(["ask", *DANGER], "", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("URGENT:")
    assert lines[1].startswith("1. Paspor ditahan bos atau perusahaan [paspor-ditahan, topic ")


def test_every_command_explains_itself_with_help(tmp_path: Path) -> None:
    for command in ("check-offer", "ask", "check-content", "export", "purge", "chat"):
        result = _run([command, "--help"], "", tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: python -m bot {command}")
    for command in ("check-offer", "ask", "check-content", "purge"):
        assert "--json" in _run([command, "--help"], "", tmp_path).stdout


def test_export_writes_a_csv_even_when_empty(tmp_path: Path) -> None:
    result = _run(["export", "--since", "2026-01-01", "--until", "2026-01-31"], "", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("ref")
