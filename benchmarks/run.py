"""Run the benchmarks, print a markdown table (for the README) and write JSON.

python -m benchmarks            # full run, a few minutes
python -m benchmarks --quick    # about half a minute
python benchmarks/run.py --only surge --json /tmp/surge.json
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `benchmarks` and `bot` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.common import machine  # noqa: E402
from benchmarks.footprint import footprint  # noqa: E402
from benchmarks.live import live_surge  # noqa: E402
from benchmarks.mix import throughput  # noqa: E402
from benchmarks.report import markdown  # noqa: E402
from benchmarks.surge import surge  # noqa: E402

DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"
SECTIONS = ("throughput", "surge", "live", "footprint")


@dataclass(frozen=True)
class Sizes:
    """How much of everything one run does."""

    mix_updates: int
    warmup: int
    surge_cases: int
    surge_intakes: int
    scale_cases: int
    query_reps: int
    live_seconds: float
    people: int


FULL = Sizes(10_000, 1000, 5000, 300, 100_000, 300, 60, 50_000)
QUICK = Sizes(1500, 200, 1000, 40, 20_000, 50, 15, 5_000)
TINY = Sizes(150, 30, 60, 4, 500, 5, 3, 100)  # the smoke test: shape, not speed


def run(sizes: Sizes, only: tuple[str, ...] = SECTIONS, seed: int = 7) -> dict[str, Any]:
    """Every requested section, in one process (footprint in fresh child processes)."""
    started = time.perf_counter()
    result: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": asdict(sizes),
    }
    if "throughput" in only:
        result["throughput"] = asyncio.run(throughput(sizes.mix_updates, sizes.warmup, seed))
    if "surge" in only:
        result["surge"] = asyncio.run(surge(sizes.surge_cases, sizes.surge_intakes, seed))
    if "live" in only:
        result["live"] = asyncio.run(live_surge(sizes.live_seconds, seed))
    if "footprint" in only:
        result["footprint"] = footprint(sizes.scale_cases, sizes.query_reps, sizes.people)
    result["duration_s"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    """CLI: run, print the table, write the JSON; exit 1 if a case was lost."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about 30 s")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help="comma list of: " + ", ".join(SECTIONS)
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the JSON")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    only = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    sizes = TINY if args.tiny else QUICK if args.quick else FULL
    result = run(sizes, only, args.seed)
    result["mode"] = "tiny" if args.tiny else "quick" if args.quick else "full"
    print(markdown(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.json}")
    live = result.get("live", {})
    lost = result.get("surge", {}).get("lost", 0) + live.get("cases_lost", 0)
    return 1 if lost or live.get("officer_replies_lost", 0) else 0


if __name__ == "__main__":
    raise SystemExit(main())
