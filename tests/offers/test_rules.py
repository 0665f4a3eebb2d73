"""bot/offers/rules.py: red_flags.yaml read into rules, every problem named, patterns in context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import ReadOnlyServices
from bot.content import default_content_dir
from bot.offers.check import OfferChecker
from bot.offers.rules import OfferRulesError, Rule, RulesReader

RULES_FILE = default_content_dir() / "offers" / "red_flags.yaml"
GOOD: dict[str, Any] = {
    "id": "sample_flag", "weight": 0.3, "title": {"id": "Judul", "en": "Title"},
    "explanation": {"id": "Penjelasan.", "en": "Explanation."},
    "source": {"title": "Somewhere", "url": "https://example.org", "facts": "§3.1"},
    "patterns": [r"\bkerja\b", r"\S+ online"],
}  # fmt: skip


@pytest.fixture
def reader() -> RulesReader:
    return RulesReader(Path("red_flags.yaml"))


@pytest.fixture(scope="module")
def real_rules() -> dict[str, Rule]:
    """The rules of content/offers/red_flags.yaml, as the reader makes them."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    reader = RulesReader(RULES_FILE)
    seen: set[str] = set()
    rules = [reader.rule(raw, int(data["exclude_window"]), seen) for raw in data["rules"]]
    assert reader.problems == []
    return {r.flag.id: r for r in rules if r is not None}


@pytest.fixture
def checker(read_only: ReadOnlyServices) -> OfferChecker:
    return read_only.offers


def test_a_complete_rule_is_read_as_written(reader: RulesReader) -> None:
    rule = reader.rule({**GOOD, "legit": True, "supporting": 1}, 40, set())
    assert reader.problems == []
    assert rule is not None and rule.matcher is not None
    assert (rule.flag.id, rule.flag.weight, rule.flag.legit) == ("sample_flag", 0.3, True)
    assert rule.flag.title == {"id": "Judul", "en": "Title"}
    assert rule.flag.source.url == "https://example.org" and rule.flag.source.facts == "§3.1"
    assert (rule.window, rule.supporting, rule.negatable, rule.escalates) == (
        40,
        True,
        False,
        False,
    )
    assert rule.exclude is None and rule.salary is None and rule.suppressed_by == frozenset()
    assert rule.matcher.search("mau kerja di sana") and rule.matcher.search("admin online")
    assert not rule.matcher.search("pekerjaan")  # \b kept: word edges still count


def test_every_problem_is_collected_with_the_file_and_the_rule(reader: RulesReader) -> None:
    seen: set[str] = set()
    reader.rule(GOOD, 40, seen)
    broken = {
        **GOOD, "weight": 1.5, "title": {"id": "Judul"}, "kind": "magic",
        "source": {"title": "x", "url": "ftp://example.org", "facts": "§1"},
        "patterns": ["(?P<name>kerja)", "Kamboja", "(unclosed"],
    }  # fmt: skip
    reader.rule(broken, 40, seen)  # the same id again, and everything else wrong
    problems = "\n".join(reader.problems)
    for expected in (
        "unique lower_snake_case",
        "weight must be",
        "`title` needs",
        "unknown kind 'magic'",
        "must start with http",
        "no named groups",
    ):
        assert expected in problems, expected  # fmt: skip
    assert all(p.startswith("red_flags.yaml [sample_flag") for p in reader.problems)


@pytest.mark.parametrize(
    ("patterns", "problem"),
    [
        (["Kamboja"], "write patterns in lower case"),
        (["(unclosed"], "bad pattern"),
        ([], "needs patterns"),
        (["ok", ""], "needs patterns"),
    ],
)
def test_patterns_that_could_never_work_are_refused(
    reader: RulesReader, patterns: list[str], problem: str
) -> None:
    reader.regex(patterns, "r")
    (found,) = reader.problems  # one problem each, named; the load then fails on it
    assert problem in found and found.startswith("red_flags.yaml [r]")


def test_escapes_are_not_upper_case_letters(reader: RulesReader) -> None:
    pattern = reader.regex([r"\bgaji\S*\W\d+ juta\b"], "r")
    assert reader.problems == []
    assert pattern is not None and pattern.search("gajinya: 15 juta")


def test_optional_patterns_may_be_absent(reader: RulesReader) -> None:
    assert reader.regex(None, "x.exclude", optional=True) is None
    salary = reader.rule({**GOOD, "patterns": None, "kind": "salary"}, 40, set())
    assert salary is not None and salary.matcher is None
    assert not any("needs patterns" in p for p in reader.problems)


def test_numbers_scoring_and_the_ad_block(reader: RulesReader) -> None:
    assert reader.number(None, "w", 40) == 40 and reader.number("25", "w", 40) == 25
    assert (
        reader.number("lots", "w", 40) == 40
        and "'lots' is not a whole number" in reader.problems[0]
    )
    good = {"scoring": {"medium": 0.4, "high": 0.75}, "negation": {"words": ["Tidak"], "window": 3}}
    assert reader.scoring(good) == (0.4, 0.75, frozenset({"tidak"}), 3)
    assert len(reader.problems) == 1
    reader.scoring({"scoring": {"medium": 0.8, "high": 0.75}, "negation": good["negation"]})
    reader.scoring({})
    assert sum("0 < scoring.medium < high < 1" in p for p in reader.problems) == 2
    ad = reader.ad({"markers": [r"\bloker\b"]})
    assert (ad.min_markers, ad.min_signs, ad.signs_alone, ad.min_chars) == (2, 3, 4, 80)
    reader.ad(None)
    assert "needs an `ad:` block" in reader.problems[-2]  # then its missing markers


def test_the_loader_raises_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "offers").mkdir()
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["rules"][0]["weight"] = 0
    data["rules"][1]["source"] = {}
    (tmp_path / "offers" / "red_flags.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(OfferRulesError) as caught:
        OfferChecker.load(tmp_path)
    assert len(caught.value.problems) == 2
    assert str(caught.value) == "\n".join(caught.value.problems)


# ---------------------------------------------------------------- the real rules, in context


def test_the_office_title_rule_knows_a_trade_when_it_sees_one(
    real_rules: dict[str, Rule], checker: OfferChecker
) -> None:
    office = real_rules["vague_office_role"]
    assert office.supporting and office.matcher is not None and office.exclude is not None
    assert office.matcher.search(checker.normalise("Dicari ADMIN online"))
    for trade in ("Operator forklift", "operator mesin CNC", "admin gudang", "staf pabrik"):
        assert office.exclude.search(checker.normalise(trade)), trade


@pytest.mark.parametrize(
    "text",
    [
        "Dibutuhkan waiter untuk kafe di Bandung, gaji UMR, kirim CV ke HRD",
        "Lowongan operator forklift di gudang Cikarang, gaji UMK, lamar via email",
        "Dicari operator mesin CNC untuk manufaktur di Batam, pengalaman 2 tahun",
    ],
)
def test_a_waiter_or_a_machine_operator_is_not_the_scam_title(
    checker: OfferChecker, text: str
) -> None:
    verdict = checker.check(text)
    assert "vague_office_role" not in {h.flag.id for h in verdict.hits}
    assert verdict.risk == "low"


def test_the_online_operator_is_still_the_scam_title(checker: OfferChecker) -> None:
    verdict = checker.check("Dicari operator live streaming di Phnom Penh, gaji 1.200 USD")
    hits = {h.flag.id: h for h in verdict.hits}
    assert {"vague_office_role", "destination_cambodia"} <= set(hits)
    assert hits["destination_cambodia"].quote == "Phnom Penh"  # the person's own words


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Kerja admin di Bavet, mess gratis, tiket ditanggung", "cambodia"),
        ("Lowongan di Siem Reap, gaji dalam riel", "cambodia"),
        ("Kerja di Bangkok, gaji besar, berangkat minggu depan", "unknown"),
        ("Penempatan resmi ke Jepang lewat P3MI terdaftar, visa kerja dan kontrak", "elsewhere"),
    ],
)
def test_the_destination_rules_decide_which_advice_follows(
    checker: OfferChecker, text: str, where: str
) -> None:
    assert checker.check(text).destination() == where


def test_a_known_compound_town_is_cambodia_and_a_hotspot(checker: OfferChecker) -> None:
    ids = {h.flag.id for h in checker.check("Lowongan CS online di Sihanoukville").hits}
    assert {"destination_cambodia", "scam_hotspot"} <= ids
    bangkok = {h.flag.id for h in checker.check("Lowongan CS online di Bangkok").hits}
    assert "scam_region" in bangkok and "destination_cambodia" not in bangkok
