"""Measure the question search on the labelled dev set: topic accuracy, "other", urgency, latency.

Run: .venv/bin/python benchmarks/eval_questions.py [--json] [--questions PATH] [--verbose]
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

from bot.content import load_content  # noqa: E402
from bot.understanding.danger import DangerDetector  # noqa: E402
from bot.understanding.search import QuestionIndex  # noqa: E402

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"
LATENCY_ROUNDS = 20  # each question is asked again this many times (memoised, as in the bot)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def evaluate(questions: list[dict[str, Any]], verbose: bool = False) -> dict[str, Any]:
    """Ask every question and collect the metrics."""
    started = time.perf_counter()
    content = load_content(ROOT / "content")
    index = QuestionIndex.build(content)
    detector = DangerDetector.load(ROOT / "content")
    build_ms = (time.perf_counter() - started) * 1000
    top1 = top1_any = top3 = answerable = other = other_unsure = confident_right = confident = 0
    misses: list[dict[str, Any]] = []
    urgent: list[str] = []
    cold: list[float] = []  # first sight of each question: nothing memoised yet
    for q in questions:
        t0 = time.perf_counter()
        answers = index.ask(q["text"], locale="auto", limit=3)
        hit = detector.check(q["text"])
        cold.append((time.perf_counter() - t0) * 1000)
        topics = [a.topic for a in answers]
        if hit is not None:
            urgent.append(f"{q['id']} {hit.kind}: {hit.quote}")
        if q["topic"] == "other":
            other += 1
            other_unsure += not index.is_confident(answers)
            continue
        answerable += 1
        top1 += bool(topics) and topics[0] == q["topic"]
        top3 += q["topic"] in topics
        if answers:
            # Lenient: the best guide lists the wanted topic among its topics, not only first.
            locale = index.detect_locale(q["text"])
            guide = content.guide(locale, answers[0].guide_id) or content.guide(
                "id", answers[0].guide_id
            )
            top1_any += guide is not None and q["topic"] in guide.topics
        if index.is_confident(answers):
            confident += 1
            confident_right += topics[0] == q["topic"]
        if not topics or topics[0] != q["topic"]:
            got = [(a.topic, round(a.score, 3)) for a in answers]
            misses.append({"id": q["id"], "want": q["topic"], "got": got, "text": q["text"]})
    warm: list[float] = []
    for _ in range(LATENCY_ROUNDS):
        for q in questions:
            t0 = time.perf_counter()
            index.ask(q["text"], locale="auto", limit=3)
            detector.check(q["text"])
            warm.append((time.perf_counter() - t0) * 1000)
    both = cold + warm

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    result: dict[str, Any] = {
        "questions": len(questions),
        "answerable": answerable,
        "top1": share(top1, answerable),
        "top3": share(top3, answerable),
        "top1_any_topic_of_guide": share(top1_any, answerable),
        "confident_share": share(confident, answerable),
        "confident_precision": share(confident_right, confident),
        "other": other,
        "other_not_confident": other_unsure,
        "urgent": urgent,
        "p50_ms": round(statistics.median(both), 3),
        "p99_ms": round(_percentile(both, 99), 3),
        "cold_p99_ms": round(_percentile(cold, 99), 3),
        "build_ms": round(build_ms, 1),
        "guides": {loc: len(g) for loc, g in content.guides.items()},
    }
    if verbose:
        result["misses"] = misses
    return result


def main() -> None:
    """Print the metrics as text or JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--verbose", action="store_true", help="list the questions missed")
    args = parser.parse_args()
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    result = evaluate(questions, verbose=args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        if key == "misses":
            print("misses:")
            for miss in value:
                print(f"  {miss['id']} want {miss['want']} got {miss['got']}: {miss['text'][:90]}")
        elif key == "urgent":
            print("urgent:")
            for line in value:
                print(f"  {line}")
        else:
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
