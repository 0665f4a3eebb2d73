"""Measure the job-offer checker on a labelled set (scam|legit): accuracy, recall, latency.

Run: .venv/bin/python benchmarks/eval_offers.py [PATH] [--json] [--verbose]
Exit status 1 when a target of issue 5 is missed, so CI can use it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.offers.check import OfferChecker  # noqa: E402

DEFAULT_OFFERS = ROOT.parent / "shared" / "eval" / "job_offers.jsonl"
DEFINITION = (
    "predicted scam = risk high or medium; a scam is correct when rated high or medium, "
    "a legit offer is correct only when rated low"
)
LATENCY_CHARS = 2_000
LATENCY_ROUNDS = 50  # every offer, padded to 2,000 characters, is checked this many times


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _padded(text: str) -> str:
    """The offer repeated up to 2,000 characters: a long forwarded ad of the same kind."""
    return (text + "\n") * (LATENCY_CHARS // (len(text) + 1) + 1)


def evaluate(offers: list[dict[str, Any]], verbose: bool = False) -> dict[str, Any]:
    """Check every offer and collect the metrics."""
    started = time.perf_counter()
    checker = OfferChecker.load(ROOT / "content")
    load_ms = (time.perf_counter() - started) * 1000
    by_label: dict[str, dict[str, int]] = {
        label: {"high": 0, "medium": 0, "low": 0} for label in ("scam", "legit")
    }
    wrong: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    for offer in offers:
        verdict = checker.check(offer["text"])
        by_label[offer["label"]][verdict.risk] += 1
        correct = (verdict.risk != "low") == (offer["label"] == "scam")
        row = {
            "id": offer["id"],
            "label": offer["label"],
            "risk": verdict.risk,
            "score": round(verdict.score, 2),
            "flags": [(h.flag.id, h.quote) for h in verdict.hits],
            "signals": [(h.flag.id, h.quote) for h in verdict.signals],
        }
        details.append(row)
        if not correct:
            wrong.append(row)
    timings: list[float] = []
    padded = [_padded(o["text"])[:LATENCY_CHARS] for o in offers]
    for _ in range(LATENCY_ROUNDS):
        for text in padded:
            t0 = time.perf_counter()
            checker.check(text)
            timings.append((time.perf_counter() - t0) * 1000)
    scam, legit = by_label["scam"], by_label["legit"]
    n_scam, n_legit = sum(scam.values()), sum(legit.values())
    correct_total = scam["high"] + scam["medium"] + legit["low"]
    result: dict[str, Any] = {
        "definition": DEFINITION,
        "offers": len(offers),
        "scam": n_scam,
        "legit": n_legit,
        "accuracy": round(correct_total / len(offers), 3) if offers else None,
        "scam_recall": round((scam["high"] + scam["medium"]) / n_scam, 3) if n_scam else None,
        "legit_false_positive_rate": (
            round((legit["high"] + legit["medium"]) / n_legit, 3) if n_legit else None
        ),
        "scam_rated_low": scam["low"],
        "legit_rated_high": legit["high"],
        "confusion": by_label,
        "p50_ms_2000_chars": round(statistics.median(timings), 3),
        "p99_ms_2000_chars": round(_percentile(timings, 99), 3),
        "load_ms": round(load_ms, 1),
        "rules": len(checker.flags),
        "wrong": wrong,
    }
    result["targets_met"] = {
        "accuracy >= 0.90": (result["accuracy"] or 0) >= 0.90,
        "no scam rated low": scam["low"] == 0,
        "at most 1 legit rated high": legit["high"] <= 1,
        "p99 < 10 ms": result["p99_ms_2000_chars"] < 10,
    }
    if verbose:
        result["details"] = details
    return result


def _print(result: dict[str, Any]) -> None:
    print(
        f"Job-offer checker on {result['offers']} offers ({result['scam']} scam, "
        f"{result['legit']} legit), {result['rules']} rules loaded in {result['load_ms']} ms"
    )
    print(f"Definition: {result['definition']}")
    print(f"  accuracy                  {result['accuracy']}")
    print(f"  scam recall               {result['scam_recall']}")
    print(f"  legit false-positive rate {result['legit_false_positive_rate']}")
    print(f"  scams rated low           {result['scam_rated_low']}  (must be 0)")
    print(f"  legit rated high          {result['legit_rated_high']}  (at most 1)")
    print(
        f"  p50 / p99 per 2,000-char offer  {result['p50_ms_2000_chars']} / "
        f"{result['p99_ms_2000_chars']} ms  (p99 < 10 ms)"
    )
    print("  confusion (label -> risk)  " + json.dumps(result["confusion"]))
    for row in result["wrong"]:
        print(f"  WRONG {row['id']} {row['label']} -> {row['risk']} {row['score']} {row['flags']}")
    for row in result.get("details", []):
        print(f"  {row['id']} {row['label']:5} {row['risk']:6} {row['score']:.2f}")
        for flag_id, quote in row["flags"]:
            print(f"      - {flag_id}: {quote!r}")
        for flag_id, quote in row["signals"]:
            print(f"      + {flag_id}: {quote!r}")
    for target, met in result["targets_met"].items():
        print(f"  [{'ok' if met else 'MISSED'}] {target}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, evaluate, print; 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_OFFERS)
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--verbose", action="store_true", help="every offer with its flags")
    args = parser.parse_args(argv)
    with args.path.open(encoding="utf-8") as handle:
        offers = [json.loads(line) for line in handle if line.strip()]
    result = evaluate(offers, verbose=args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(result)
    return 0 if all(result["targets_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
