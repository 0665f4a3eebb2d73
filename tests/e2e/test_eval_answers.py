"""The measured rates on the development sets stay above a floor (shared/eval, when present).

These guard against regressions, not exact outputs: the floors sit below today's figures
(all 27 key facts shown, median 462 visible characters) so that honest content changes pass,
while a broken search, a lost fact or a buried answer fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import eval_answers

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


def _rows(name: str) -> list[dict[str, Any]]:
    path = EVAL / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the development sets live outside the repository)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_direct_answers_show_the_key_fact_and_stay_short() -> None:
    result = eval_answers.evaluate(_rows("answers.jsonl"))
    assert result["key_fact_shown"] >= 0.85, result["failed"]
    assert all(share is None or share >= 0.7 for share in result["by_lang"].values())
    assert result["by_kind"]["honest"] == 1.0  # unknowns are never guessed
    assert result["by_kind"]["family"] == 1.0  # a relative's report is one tap away
    assert result["median_visible_chars"] <= 700
    assert result["p90_visible_chars"] <= 1600
    assert result["max_visible_source_lines"] <= 2


def test_visible_text_leaves_collapsed_quotes_out() -> None:
    html = "<b>Fact</b> 117\n<blockquote expandable>📚 Sumber: a, b</blockquote>"
    assert eval_answers.visible_text(html) == "Fact 117"
