"""How job offers are written: slang and fancy letters folded, pay read as a monthly amount."""

from __future__ import annotations

import pytest

from bot.offers.text import MoneyParser, Normaliser


def test_the_normaliser_folds_fancy_letters_and_quotes_the_persons_own_words() -> None:
    normal = Normaliser({"bln": "bulan"}).normalise("𝐆𝐀𝐉𝐈 15JT/bln, Paspornya DITAHAN bos")
    assert normal.text == "gaji 15jt bulan paspornya ditahan bos"
    start = normal.text.index("ditahan")
    assert normal.quote(start, start + len("ditahan")) == "DITAHAN"  # as they wrote it


@pytest.mark.parametrize(
    ("raw", "monthly", "currency"),
    [
        ("gaji 15jt", 15_000_000, "IDR"),
        ("Rp 7 juta", 7_000_000, "IDR"),
        ("Rp. 7.000.000,- per bulan", 7_000_000, "IDR"),
        ("gaji 2,5 juta", 2_500_000, "IDR"),
        ("$1.000-1.500", 1_500, "USD"),
        ("1000 USD", 1_000, "USD"),
        ("USDT 800", 800, "USD"),
        ("8-10 jt/bln", 10_000_000, "IDR"),
        ("6 sampai dengan 7 juta rupiah", 7_000_000, "IDR"),
        ("1.000 – 1.500 dolar AS", 1_500, "USD"),
        ("150rb/hari", 3_900_000, "IDR"),
        ("500k per minggu", 2_165_000, "IDR"),
        ("Rp 120 juta per tahun", 10_000_000, "IDR"),
    ],
)
def test_money_parser_reads_amounts_as_monthly_pay(raw: str, monthly: float, currency: str) -> None:
    normal = Normaliser({"jt": "juta", "bln": "bulan", "dollar": "dolar"}).normalise(raw)
    found = MoneyParser().find(normal.text)
    assert [(round(m.monthly), m.currency) for m in found] == [(monthly, currency)]


@pytest.mark.parametrize(
    "raw", ["hub 08123456789", "usia 18-35 tahun", "gaji NT$ 27.470", "gaji 1,5 juta yen", "RM 3k"]
)
def test_money_parser_ignores_phones_ages_and_foreign_currencies(raw: str) -> None:
    normal = Normaliser({}).normalise(raw)
    assert MoneyParser().find(normal.text) == []
