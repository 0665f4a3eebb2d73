"""Measure direct answers through the real bot: key facts visible, honesty, length, sources.

Each row of shared/eval/answers.jsonl is typed by a new user (Telegram language = the row's
`lang`) into the real Application on the offline transport. The *visible* answer is every
message the bot sent, with Telegram's collapsed (expandable) blockquotes left out: what a reader
sees without expanding anything. A row passes when every `expect` group matches the visible
text, no `forbid` pattern matches anywhere, and a `family` row also has a one-tap button to the
relative report (`h:family`).

Run: .venv/bin/python benchmarks/eval_answers.py [--json] [--answers PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import kawan_app, officers_api, quiet_logging  # noqa: E402
from bot.app import running  # noqa: E402
from bot.transport.driver import ChatDriver  # noqa: E402
from bot.transport.updates import Person  # noqa: E402

DEFAULT_ANSWERS = ROOT.parent / "shared" / "eval" / "answers.jsonl"
_COLLAPSED = re.compile(r"<blockquote expandable>.*?</blockquote>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SOURCE_LINE = re.compile(r"^\s*•.*(?:\(\d{4}\)|\d{4}\)|https?://)|^(Sumber|Sources?)\b", re.I)
FAMILY_BUTTON = "h:family"


def visible_text(html_text: str) -> str:
    """What a reader sees: tags resolved, collapsed blockquotes left out."""
    return html.unescape(_TAG.sub("", _COLLAPSED.sub("", html_text))).strip()


def _percentile(values: list[int], pct: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def _ask(row: dict[str, Any], number: int, database: Path) -> dict[str, Any]:
    api = officers_api()
    app = kawan_app(database, api)
    async with running(app):
        person = Person(id=300_000 + number, first_name="Rina", language_code=row["lang"])
        driver = ChatDriver(app, api, person)
        replies = await driver.send(row["text"])
    messages = [r for r in replies if r.method == "sendMessage"]
    raw = [str(r.params.get("text") or "") for r in messages]
    shown = [visible_text(text) for text in raw]
    buttons = [data for r in messages for _, data in r.buttons]
    return {"visible": shown, "all": "\n".join(visible_text(_TAG.sub("", t)) for t in raw),
            "raw": "\n".join(raw), "buttons": buttons}  # fmt: skip


def _judge(row: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    visible = "\n".join(got["visible"])
    everything = html.unescape(_TAG.sub("", got["raw"]))
    missing = [
        group
        for group in row["expect"]
        if not any(re.search(p, visible, re.IGNORECASE) for p in group)
    ]
    forbidden = [p for p in row.get("forbid", []) if re.search(p, everything, re.IGNORECASE)]
    family_ok = row["kind"] != "family" or FAMILY_BUTTON in got["buttons"]
    sources = max(
        (
            sum(bool(_SOURCE_LINE.match(line)) for line in text.splitlines())
            for text in got["visible"]
        ),
        default=0,
    )
    return {
        "id": row["id"],
        "kind": row["kind"],
        "lang": row["lang"],
        "ok": not missing and not forbidden and family_ok,
        "missing": missing,
        "forbidden": forbidden,
        "family_button": family_ok,
        "length": len(visible),
        "visible_source_lines": sources,
        "text": row["text"],
    }


async def _run(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, row in enumerate(rows):
            got = await _ask(row, number, Path(tmp) / f"a{number}.sqlite3")
            result = _judge(row, got)
            result["visible"] = "\n---\n".join(got["visible"])
            results.append(result)
    return results


def evaluate(rows: list[dict[str, Any]], verbose: bool = False) -> dict[str, Any]:
    """Ask every question as a new user and collect the metrics."""
    quiet_logging()
    results = asyncio.run(_run(rows))
    lengths = [r["length"] for r in results]

    def share(items: list[dict[str, Any]]) -> float | None:
        return round(sum(r["ok"] for r in items) / len(items), 3) if items else None

    by_kind = {
        k: share([r for r in results if r["kind"] == k]) for k in ("fact", "honest", "family")
    }
    by_lang = {k: share([r for r in results if r["lang"] == k]) for k in ("id", "en")}
    summary: dict[str, Any] = {
        "answers": len(results),
        "key_fact_shown": share(results),
        "by_kind": by_kind,
        "by_lang": by_lang,
        "median_visible_chars": round(statistics.median(lengths)) if lengths else 0,
        "p90_visible_chars": _percentile(lengths, 90) if lengths else 0,
        "max_visible_source_lines": max((r["visible_source_lines"] for r in results), default=0),
        "failed": [r["id"] for r in results if not r["ok"]],
    }
    if verbose:
        summary["details"] = [
            {k: v for k, v in r.items() if k != "visible" or not r["ok"]} for r in results
        ]
    return summary


def main() -> None:
    """Print the metrics as text or JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--answers", type=Path, default=DEFAULT_ANSWERS)
    parser.add_argument("--verbose", action="store_true", help="show the failed answers")
    args = parser.parse_args()
    lines = args.answers.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    result = evaluate(rows, verbose=args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        if key == "details":
            for d in value:
                if not d["ok"]:
                    print(f"--- {d['id']} ({d['lang']}, {d['kind']}): {d['text']}")
                    print(f"    missing {d['missing']} forbidden {d['forbidden']}")
                    print("    " + d.get("visible", "")[:700].replace("\n", "\n    "))
        else:
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
