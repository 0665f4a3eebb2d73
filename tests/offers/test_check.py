"""The job-offer checker: rules load and validate, slang and money parse, verdicts make sense."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import ReadOnlyServices
from bot.offers.check import OfferChecker, OfferVerdict
from bot.offers.rules import FlagHit, OfferRulesError, RedFlag

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
EVAL = ROOT.parent / "shared" / "eval"  # the development sets, beside the checkout when present
FACTS = ROOT.parent / "shared" / "FACTS.md"

# Offers written for these tests (not taken from the dev set): the way ads are forwarded.
SCAM_ADS = [
    "🔥🔥 LOKER KAMBOJA 🔥🔥\nDibutuhkan admin CS, gj 15jt/bln, tanpa pengalaman!! "
    "tiket PP + mess ditanggung. minat hub WA 0812-3456-7890",
    "Fwd: info loker luar negeri. posisi customer service online, gaji $1.000-1.500 + bonus, "
    "free tiket & visa, berangkat minggu depan. DM aja kak",
    "dicari operator komputer utk perusahaan di Thailand gaji 1000 USD, cukup bisa ngetik, "
    "visa turis dulu nanti izin kerja diurus disana",
    "Lowongan kerja Sihanoukville. Marketing online, gaji USDT 800 per bulan, makan tidur "
    "gratis, paspor dibantu buat",
    "kak ada kerjaan di Bavet, kerja santai cuma chat2 aja, gaji 12 juta. mau ga? tiket "
    "sponsor yg bayar",
    "URGENT!!! Butuh 20 orang typing job, gaji 8-10 jt/bln, lulusan SMP boleh. Keberangkatan "
    "via Bangkok. Slot terbatas",
    "Join our team in Cambodia! Customer service, no experience needed, salary USD 1200/month, "
    "free flight ticket and accommodation. Contact us on WhatsApp.",
    "Admin sosmed di Chrey Thum, gaji 750$ per bulan, mess + makan ditanggung, paspor nanti "
    "disimpan perusahaan biar aman",
    "Dapat tawaran dr kenalan di fb kerja restoran di Thailand gajinya 14jt katanya tiket "
    "dibayarin. aman ga ya?",
    "💰💰 𝐆𝐀𝐉𝐈 𝐃𝐎𝐋𝐀𝐑 💰💰 kerja kantoran di Kamboja, syarat mudah, usia 18-35. chat admin",
    "Kerja di Laos, gaji besar, hanya perlu bisa main HP. Biaya pendaftaran 500rb transfer dulu",
    "Kerja di Malaysia, gaji RM 4.000, tanpa visa kerja, masuk pakai paspor pelancong dulu",
    "Korban direkrut lewat Facebook dengan iming-iming gaji Rp 15 juta sebagai operator di "
    "Kamboja, paspornya kemudian ditahan perusahaan",
    "kerja jadi CS di perusahaan luar negeri gajinya 25 juta sebulan, tidak perlu pengalaman",
]
LEGIT_ADS = [
    "Dibutuhkan kasir minimarket Bandung, gaji UMR, lamar via email HRD",
    "Lowongan Admin Gudang - PT Sinar Jaya, Bekasi. Syarat: min SMA, menguasai Ms Office. "
    "Gaji Rp 5.200.000 + BPJS. Kirim CV ke hrd@sinarjaya.co.id",
    "Dibutuhkan segera: Customer Service klinik di Surabaya. Pendidikan min D3, pengalaman "
    "1 tahun. Kirim lamaran via WA 0812-xxxx",
    "Loker barista Jogja, fresh graduate welcome, tanpa pengalaman boleh, gaji 2,5jt + uang "
    "makan. DM ig kami",
    "PT Maju Bersama (P3MI terdaftar di KP2MI) membuka lowongan caregiver ke Taiwan. Kontrak "
    "kerja 3 tahun, visa kerja diurus sebelum berangkat. Daftar lewat SIAPkerja.",
    "Lowongan Software Engineer (Senior), Jakarta. Gaji Rp 25-30 juta per bulan, hybrid.",
    "Lowongan perawat ke Jerman program G to G BP2MI, syarat D3 Keperawatan dan STR aktif.",
    "Loker staf admin kantor notaris di Medan. Gaji 3,5jt. Tidak dipungut biaya apapun.",
    "Butuh tukang las untuk proyek di Balikpapan, gaji harian 250rb, tiket pesawat dari Jawa "
    "ditanggung perusahaan",
    "Lowongan pabrik ke Taiwan lewat P3MI berizin, gaji NT$ 27.470 per bulan, daftar SIAPkerja.",
]


@pytest.fixture(scope="module")
def checker(read_only: ReadOnlyServices) -> OfferChecker:
    """The bot's checker with the real content/offers (loaded once per test session)."""
    return read_only.offers


def _ids(verdict: OfferVerdict) -> set[str]:
    return {hit.flag.id for hit in verdict.hits}


# ---------------------------------------------------------------- rules as content


def test_every_rule_is_complete_and_sourced(checker: OfferChecker) -> None:
    flags = checker.flags
    assert len({f.id for f in flags}) == len(flags)
    assert sum(not f.legit for f in flags) >= 15 and sum(f.legit for f in flags) >= 4
    for flag in flags:
        assert isinstance(flag, RedFlag)
        assert 0.05 <= flag.weight <= 0.95, flag.id
        for locale in ("id", "en"):
            assert flag.title[locale].strip(), (flag.id, locale)
            explanation = flag.explanation[locale]
            # One plain sentence: ends with a full stop, no second sentence inside.
            assert explanation.endswith("."), (flag.id, locale)
            assert not re.search(r"[.!?] [A-Z]", explanation[:-1]), (flag.id, locale)
        assert flag.source.title and flag.source.facts.startswith("§"), flag.id
        assert flag.source.url is None or flag.source.url.startswith("http"), flag.id


def test_source_urls_are_those_of_facts_md(checker: OfferChecker) -> None:
    if not FACTS.exists():
        pytest.skip("shared/FACTS.md is not beside this checkout")
    facts = FACTS.read_text(encoding="utf-8")
    missing = [f.id for f in checker.flags if f.source.url and f.source.url not in facts]
    assert not missing


def test_broken_rules_are_reported_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "offers").mkdir()
    shutil.copy(CONTENT / "offers" / "red_flags.yaml", tmp_path / "offers" / "red_flags.yaml")
    rules_file = tmp_path / "offers" / "red_flags.yaml"
    broken = rules_file.read_text(encoding="utf-8") + (
        "  - id: Broken Flag\n"
        "    weight: 2\n"
        "    title: {id: Rusak}\n"
        "    explanation: {id: x., en: x.}\n"
        "    source: {title: nowhere}\n"
        "    patterns: ['(unclosed', 'Kamboja']\n"
        "    suppressed_by: [no_such_flag]\n"
    )
    rules_file.write_text(broken, encoding="utf-8")
    with pytest.raises(OfferRulesError) as caught:
        OfferChecker.load(tmp_path)
    problems = "\n".join(caught.value.problems)
    for expected in ("lower_snake_case", "weight", "`title`", "`source`", "bad pattern"):
        assert expected in problems
    assert all(str(rules_file) in line for line in caught.value.problems)


def test_upper_case_pattern_and_missing_file_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(OfferRulesError, match="cannot read"):
        OfferChecker.load(tmp_path)
    (tmp_path / "offers").mkdir()
    text = (CONTENT / "offers" / "red_flags.yaml").read_text(encoding="utf-8")
    (tmp_path / "offers" / "red_flags.yaml").write_text(
        text.replace("'\\bkamboja\\b'", "'\\bKamboja\\b'"), encoding="utf-8"
    )
    with pytest.raises(OfferRulesError, match="lower case"):
        OfferChecker.load(tmp_path)


# ---------------------------------------------------------------- how people write


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("GJ 15JT/bln!!!", "gaji 15jt bulan"),
        (
            "gak pake kontrak, yg penting lgsg brgkt",
            "tidak pake kontrak yang penting langsung berangkat",
        ),
        ("Paspornya ditahan, gajinya dipotong", "paspor ditahan gaji dipotong"),
        ("hanya punya paspor", "hanya punya paspor"),
        ("𝐆𝐀𝐉𝐈 𝐁𝐄𝐒𝐀𝐑 💰💰 di Kambója", "gaji besar di kamboja"),
        ("gajiii gedeee", "gaji gede"),
        ("Hub WA. Tiket free!", "hubungi whatsapp\ntiket free"),
        ("US$ 900 atau HK$ 5000", "usd 900 atau hkd 5000"),
    ],
)
def test_normaliser_reads_slang_emoji_and_fancy_letters(
    checker: OfferChecker, raw: str, normal: str
) -> None:
    assert checker.normalise(raw) == normal


# ---------------------------------------------------------------- verdicts


@pytest.mark.parametrize("text", SCAM_ADS)
def test_scam_ads_are_never_low_and_quote_the_users_words(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.risk in ("high", "medium"), (verdict.score, _ids(verdict))
    assert verdict.hits
    for hit in verdict.hits:
        assert isinstance(hit, FlagHit)
        assert hit.quote and hit.quote in text
        assert len(hit.quote) <= 80


@pytest.mark.parametrize("text", LEGIT_ADS)
def test_legit_ads_are_low(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.risk == "low", (verdict.score, _ids(verdict))


def test_plain_domestic_vacancy_has_no_flags(checker: OfferChecker) -> None:
    verdict = checker.check("Dibutuhkan kasir minimarket Bandung, gaji UMR, lamar via email HRD")
    assert verdict.risk == "low" and verdict.score == 0 and verdict.hits == ()


def test_cambodia_offer_explains_the_legal_fact_with_quotes(checker: OfferChecker) -> None:
    text = "🔥 LOKER KAMBOJA 🔥 Dibutuhkan admin CS, gj 15jt/bln, tiket PP ditanggung. hub WA"
    verdict = checker.check(text)
    assert verdict.risk == "high"
    quotes = {hit.flag.id: hit.quote for hit in verdict.hits}
    assert quotes["destination_cambodia"] == "KAMBOJA"
    assert quotes["pay_too_good"] == "gj 15jt"
    assert quotes["employer_pays_travel"] == "tiket PP ditanggung"
    cambodia = next(h.flag for h in verdict.hits if h.flag.id == "destination_cambodia")
    assert "bukan negara penempatan" in cambodia.explanation["id"]
    assert verdict.hits[0].flag.weight == max(h.flag.weight for h in verdict.hits)


def test_supporting_flags_alone_keep_a_domestic_ad_low(checker: OfferChecker) -> None:
    text = "Dibutuhkan segera admin, tanpa pengalaman, kirim CV via WhatsApp, kuota terbatas"
    verdict = checker.check(text)
    assert {"vague_office_role", "easy_no_qualification", "social_media_recruiting"} <= _ids(
        verdict
    )
    assert verdict.risk == "low"


def test_domestic_offer_too_good_is_medium_never_high(checker: OfferChecker) -> None:
    text = "Dicari admin, gaji 15 juta per bulan, tanpa pengalaman, biaya pendaftaran 300rb"
    verdict = checker.check(text)
    assert {"pay_too_good", "upfront_fee"} <= _ids(verdict)
    assert verdict.score >= 0.75 and verdict.risk == "medium"


def test_pay_is_judged_against_the_job(checker: OfferChecker) -> None:
    assert "pay_too_good" in _ids(checker.check("Dicari admin gudang gaji 12 juta"))
    assert "pay_too_good" not in _ids(checker.check("Dicari senior engineer gaji 30 juta"))
    assert "pay_too_good" in _ids(checker.check("gaji 600 dolar per bulan"))
    assert "pay_too_good" not in _ids(checker.check("gaji 400 dolar per bulan"))
    # A fee or a bonus is not the salary.
    assert "pay_too_good" not in _ids(checker.check("gaji 5 juta, bonus hingga 20 juta"))
    assert "pay_too_good" not in _ids(checker.check("biaya proses Rp 15 juta"))


def test_legit_signals_lower_the_score_but_not_for_cambodia(checker: OfferChecker) -> None:
    plain = checker.check("Lowongan pabrik, gaji 12 juta, tiket ditanggung")
    official = checker.check(
        "Lowongan pabrik ke Jepang lewat P3MI, gaji 12 juta, tiket ditanggung, kontrak kerja jelas"
    )
    assert official.score < plain.score and official.signals
    claimed = checker.check("P3MI resmi, visa kerja dan kontrak kerja, penempatan Kamboja")
    assert claimed.signals == () and claimed.risk != "low"


def test_negation_and_warnings_do_not_raise_flags(checker: OfferChecker) -> None:
    assert "upfront_fee" not in _ids(checker.check("Pendaftaran tidak dipungut biaya"))
    assert "upfront_fee" not in _ids(checker.check("Biaya pendaftaran gratis"))
    warning = "Apabila ada pihak yang meminta biaya, laporkan ke panitia"
    assert "upfront_fee" not in _ids(checker.check(warning))
    assert "upfront_fee" in _ids(checker.check("Biaya pendaftaran 500rb, transfer ke rekening"))
    assert "tourist_visa" not in _ids(checker.check("Berangkat bukan pakai visa turis"))


def test_a_question_around_the_ad_is_not_a_scam_flag(checker: OfferChecker) -> None:
    verdict = checker.check("ini scam bukan ya? lowongan admin gaji 4 juta di Bekasi")
    assert "scam_or_gambling_work" not in _ids(verdict)
    assert verdict.risk == "low"
    assert "scam_or_gambling_work" in _ids(checker.check("kerja jadi scammer di Kamboja"))


def test_to_json_is_exactly_the_cli_contract(checker: OfferChecker) -> None:
    verdict = checker.check("Kerja admin di Poipet, gaji 1000 USD, visa turis")
    data = verdict.to_json()
    assert set(data) == {"risk", "score", "flags"}
    assert data["risk"] == "high" and 0 <= data["score"] <= 1
    assert data["score"] == round(verdict.score, 2)
    assert all(set(flag) == {"id", "title"} for flag in data["flags"])
    assert [f["id"] for f in data["flags"]] == [h.flag.id for h in verdict.hits]
    english = verdict.to_json(locale="en")["flags"]
    assert english[0]["title"] == verdict.hits[0].flag.title["en"]


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "🙏🙏🔥💰", "...!!!???", "\u200b\u200d"])
def test_empty_or_symbol_only_text_is_low_without_flags(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert (verdict.risk, verdict.score, verdict.hits, verdict.signals) == ("low", 0.0, (), ())
    assert verdict.to_json() == {"risk": "low", "score": 0.0, "flags": []}


def test_non_text_input_is_treated_as_empty(checker: OfferChecker) -> None:
    assert checker.check(None).risk == "low"  # type: ignore[arg-type]


def test_ten_thousand_characters(checker: OfferChecker) -> None:
    text = (" ".join(SCAM_ADS) * 10)[:10_000]
    verdict = checker.check(text)
    assert len(text) == 10_000 and verdict.risk == "high"
    assert all(hit.quote in text for hit in verdict.hits + verdict.signals)


_WORDS = st.sampled_from(
    [
        *("gaji", "gj", "15jt", "Rp", "$", "1.000", "-", "USD", "usdt", "jt", "rb", "k"),
        *("Kamboja", "Poipet", "visa", "turis", "tiket", "ditanggung", "paspor", "tidak"),
        *("tanpa", "biaya", "pendaftaran", "P3MI", "kontrak", "admin", "CS", "WA", "💰", "🔥"),
        *(".", ",", "!", "?", "/", "\n", "-nya", "sebulan", "per", "hari", "8-10", "8", "10"),
        *("𝐆𝐀𝐉𝐈", "é", "ß", "İ", "ﬁ", "(", ")", "NT$", "yen"),
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_check_never_raises_on_any_text(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.risk in ("high", "medium", "low") and 0.0 <= verdict.score <= 1.0
    assert all(hit.quote in text for hit in verdict.hits + verdict.signals)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, max_size=60).map(" ".join) | st.lists(_WORDS, max_size=60).map("".join))
def test_check_never_raises_on_offer_like_text(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.risk in ("high", "medium", "low") and 0.0 <= verdict.score <= 1.0
    assert all(hit.quote and hit.quote in text for hit in verdict.hits + verdict.signals)
    assert verdict.to_json()["score"] == round(verdict.score, 2)


@pytest.mark.parametrize(
    "text",
    [
        "Dibutuhkan waiter dan waitress untuk restoran di Surabaya, gaji UMR, lamar via email HRD",
        "Lowongan operator produksi pabrik garmen di Bekasi, shift, gaji UMK, kirim CV ke HRD",
        "Dicari admin gudang untuk distributor di Medan, pengalaman 1 tahun, gaji sesuai UMK",
    ],
)
def test_trades_are_not_the_scam_office_title(checker: OfferChecker, text: str) -> None:
    verdict = checker.check(text)
    assert "vague_office_role" not in {h.flag.id for h in verdict.hits}, text
    assert verdict.risk == "low"


def test_the_online_admin_title_is_still_flagged(checker: OfferChecker) -> None:
    verdict = checker.check("Dicari admin CS online di Kamboja, gaji 1000 USD, tiket ditanggung")
    assert "vague_office_role" in {h.flag.id for h in verdict.hits}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Lowongan admin online di Sihanoukville, gaji 1.000 USD, tiket ditanggung", "cambodia"),
        ("Program pemagangan ke Jepang lewat P3MI terdaftar, seleksi resmi Kemnaker", "elsewhere"),
        ("Dibutuhkan kasir minimarket, gaji UMR, lamar via email HRD", "unknown"),
    ],
)
def test_the_destination_decides_the_advice(checker: OfferChecker, text: str, where: str) -> None:
    assert checker.check(text).destination() == where


def test_a_pasted_ad_looks_like_one_and_a_question_does_not(checker: OfferChecker) -> None:
    ad = (
        "LOKER KAMBOJA dibutuhkan admin CS online, gaji 15jt/bln + bonus, tanpa pengalaman, "
        "tiket pesawat & mess ditanggung, berangkat pakai visa turis dulu, hubungi WA"
    )
    assert checker.as_ad(ad) is not None
    for question in (
        "legal gk sih kerja di kamboja? temen sy ditawarin kerja jd admin",
        "anak saya berangkat ke kamboja katanya kerja jadi admin, sdh 3 minggu tdk bs dihubungi",
        "berapa denda overstay di kamboja kalau sudah 45 hari? saya takut ditangkap polisi",
        "short",
    ):
        assert checker.as_ad(question) is None, question


@pytest.mark.skipif(not EVAL.is_dir(), reason="the development sets are not beside this checkout")
def test_development_questions_are_never_taken_for_ads(checker: OfferChecker) -> None:
    texts = [
        json.loads(line)["text"]
        for name in ("questions.jsonl", "answers.jsonl")
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(texts) > 40
    assert [t for t in texts if checker.as_ad(t) is not None] == []
