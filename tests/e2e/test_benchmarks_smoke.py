"""The benchmark harness runs end to end at tiny sizes and reports sane values (never speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.heavy
def test_the_harness_runs_end_to_end_and_reports_sane_values(tmp_path: Path) -> None:
    """One run (about 25 s of CPU), all its checks: in one test, one worker runs it once."""
    run = _run(tmp_path)
    _the_table_is_printed_with_the_machine(run)
    _the_mix_and_the_echo_bot_both_ran(run)
    _the_surge_loses_nothing_and_posts_nothing_twice(run)
    _memory_scale_and_start_up_were_measured(run)


def _run(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """`python -m benchmarks --tiny` in a fresh interpreter: its stdout and its JSON."""
    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout, json.loads(out.read_text(encoding="utf-8"))


def _the_table_is_printed_with_the_machine(run: tuple[str, dict[str, Any]]) -> None:
    stdout, result = run
    assert "| measure | result | target | met |" in stdout
    assert "python-telegram-bot" in stdout
    assert result["machine"]["cores"] >= 1
    assert result["machine"]["ptb"].startswith("22.")


def _the_mix_and_the_echo_bot_both_ran(run: tuple[str, dict[str, Any]]) -> None:
    throughput = run[1]["throughput"]
    mix, echo = throughput["mix"], throughput["echo"]
    assert mix["updates"] == echo["updates"] == 150
    assert throughput["ratio"] > 0
    assert mix["handler_errors"] == 0
    assert {"menu", "intake"} <= set(mix["by_kind"])
    assert mix["api_calls_per_update"] >= 1
    assert mix["sql_statements_per_update"] > 0
    assert echo["api_calls_per_update"] == 1


def _the_surge_loses_nothing_and_posts_nothing_twice(run: tuple[str, dict[str, Any]]) -> None:
    surge = run[1]["surge"]
    assert surge["lost"] == 0, surge["lost_refs"]
    assert surge["duplicates"] == 0
    assert surge["not_in_queue"] == 0
    assert surge["cases_total"] >= surge["cases_bulk"] == 60
    assert surge["cards_posted"] + surge["digested"] == surge["cases_total"]
    assert surge["open_in_queue"] == surge["cases_total"]
    assert surge["faults"]["failed"] > 0  # the fault policy really was in place
    assert surge["intakes"]["started"] == 4


def _memory_scale_and_start_up_were_measured(run: tuple[str, dict[str, Any]]) -> None:
    footprint = run[1]["footprint"]
    assert footprint["seed"]["rows"]["cases"] == 500
    assert footprint["rss_idle_mb"] > 0
    assert footprint["bytes_per_case"] > 0
    assert footprint["idle"]["startup"]["process_to_first_update_s"] > 0
    for name in ("antrian", "statistik", "kasus"):
        query = footprint["loaded"]["queries"][name]
        assert query["repository"]["n"] >= 5
        assert query["plans"], name  # the SQL was captured and explained
