"""Normalise job-offer text as Indonesians write it, keeping a map back to the user's words."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Compile = Callable[[Any, str], "re.Pattern[str] | None"]  # (raw patterns, where) -> regex
Fail = Callable[[str, str], None]  # (where, problem)

# Dashes and quotes that NFKD leaves alone but people use interchangeably.
_PUNCT_FOLD = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "’": "'", "‘": "'"})
_USD = r"(?:us )?(?:usdt|usd|dolar(?: (?:as|amerika|us))?)"
_IDR = r"(?:rp|idr|rupiah)"
_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d+)?"
_FOREIGN = (
    r"\b(?:yen|won|ringgit|rm|ntd|twd|nt\$|hkd|hk\$|sgd|s\$|euro|eur|riyal|sar|baht|thb|peso"
    r"|aud|dirham)"
)
_MULT = r"juta|jt|ribu|rb|k|miliar"
_MULTIPLIERS = {"juta": 1e6, "jt": 1e6, "ribu": 1e3, "rb": 1e3, "k": 1e3, "miliar": 1e9}
# A salary "per day" means working days; the month has about 26 of them in Indonesia.
_PER_MONTH = {"hari": 26.0, "day": 26.0, "minggu": 4.33, "week": 4.33, "jam": 208.0}
_PER_MONTH |= {"hour": 208.0, "tahun": 1 / 12, "year": 1 / 12}


@dataclass(frozen=True)
class NormalText:
    """Lower-case words joined by one space (a line break at a sentence end), mapped back.

    Word `k` starts at `positions[k]` in `text` and came from `original[spans[k][0]:spans[k][1]]`.
    """

    text: str
    positions: list[int]
    spans: list[tuple[int, int]]
    original: str
    breaks: list[int]  # positions in `text` where a comma, colon or bracket stood

    def clause_start(self, position: int) -> int:
        """Where the clause holding `position` starts (after a comma or a sentence end)."""
        comma = bisect.bisect_left(self.breaks, position) - 1
        after_comma = self.breaks[comma] + 1 if comma >= 0 else 0
        return max(after_comma, self.text.rfind("\n", 0, position) + 1)

    def quote(self, start: int, end: int, limit: int = 80) -> str:
        """The user's own words behind text[start:end], cut at a word boundary near `limit`."""
        if not self.positions or start >= end:
            return ""
        first = max(0, bisect.bisect_right(self.positions, start) - 1)
        last = max(first, bisect.bisect_right(self.positions, end - 1) - 1)
        words = self.original[self.spans[first][0] : self.spans[last][1]].strip()
        if len(words) <= limit:
            return words
        cut = words.rfind(" ", 0, limit)
        return words[: cut if cut > limit // 2 else limit].rstrip()


@dataclass(frozen=True)
class Money:
    """An amount of pay found in the text, converted to a monthly figure."""

    monthly: float
    currency: str  # "IDR" or "USD"
    start: int  # span in the normalised text
    end: int
    periodic: bool  # followed by "per bulan", "/hari"...: reads as pay even without "gaji"


class Normaliser:
    """Folds case, accents, fancy Unicode letters and emoji; expands slang; keeps offsets."""

    def __init__(self, slang: Mapping[str, str], suffixes: tuple[str, ...] = ()) -> None:
        self._slang = {k.lower(): v.lower() for k, v in slang.items()}
        self._suffixes = tuple(x.lower() for x in suffixes if x)
        # A lone dash between numbers is kept as its own token so "1.000 - 1.500" stays a range.
        self._token = re.compile(r"[a-z]*\$|[0-9a-z]+(?:[.,'\-][0-9a-z]+)*|(?<=\d) *-(?= *\d)")
        self._stretched = re.compile(r"([a-z])\1{2,}")
        # A sentence end becomes "\n" so patterns (" ", \S, .) never reach into the next one.
        self._sentence_end = re.compile(r"[.!?](?:\s|$)")
        self._clause_break = re.compile(r"[,;:()\[\]]")

    def _word(self, token: str) -> str:
        if token.isalpha():
            if self._stretched.search(token):
                token = self._stretched.sub(r"\1", token)
            # Clitics such as "-nya" (gajinya, paspornya) are cut when 3+ letters remain,
            # which spares "punya", "hanya" and "tanya".
            for suffix in self._suffixes:
                if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                    token = token[: -len(suffix)]
                    break
        return self._slang.get(token, "usd" if token == "$" else token)

    def _fold(self, text: str) -> tuple[str, list[int]]:
        if text.isascii():
            return text.lower(), list(range(len(text)))
        out: list[str] = []
        where: list[int] = []
        for i, char in enumerate(text.translate(_PUNCT_FOLD)):
            if char.isascii():
                out.append(char.lower())
                where.append(i)
                continue
            # NFKD turns mathematical bold/italic letters and full-width digits (common in ads)
            # into plain ones and splits accents off so they can be dropped.
            for part in unicodedata.normalize("NFKD", char):
                if not unicodedata.combining(part):
                    for low in part.lower():
                        out.append(low)
                        where.append(i)
        return "".join(out), where

    def normalise(self, text: str) -> NormalText:
        """Normalise `text`; never raises on any string."""
        folded, where = self._fold(text)
        parts: list[str] = []
        positions: list[int] = []
        spans: list[tuple[int, int]] = []
        breaks: list[int] = []
        length = previous_stop = 0
        for match in self._token.finditer(folded):
            raw = match.group()
            begin = match.start() + len(raw) - len(raw.lstrip())
            stop = match.end()
            word = self._word(raw.strip())
            if parts:
                gap = folded[previous_stop:begin]
                parts.append("\n" if self._sentence_end.search(gap) else " ")
                if self._clause_break.search(gap):
                    breaks.append(length)
                length += 1
            parts.append(word)
            positions.append(length)
            spans.append((where[begin], where[stop - 1] + 1))
            length += len(word)
            previous_stop = stop
        return NormalText("".join(parts), positions, spans, text, breaks)


def _number(raw: str) -> float:
    """Read 1.000 / 1,000 as thousands and 1,5 / 1.5 as decimals, as Indonesians mix both."""
    last = max(raw.rfind("."), raw.rfind(","))
    if last < 0:
        return float(raw)
    whole = raw[:last].replace(".", "").replace(",", "")
    tail = raw[last + 1 :]
    # Three digits after the last separator mark thousands ("7.000.000"); fewer, decimals.
    return float(whole + tail) if len(tail) == 3 else float(f"{whole}.{tail}")


class MoneyParser:
    """Finds amounts such as "gaji 15 juta", "Rp 7 juta", "$1.000-1.500", "USDT 800", "8-10 jt"."""

    def __init__(self) -> None:
        cur = rf"(?:{_USD}|{_IDR})"
        self._amount = re.compile(
            rf"(?<![0-9a-z.,])(?:(?P<pre>{cur})[.\s]?)?(?P<n1>{_NUM}) ?(?P<m1>{_MULT})?"
            rf"(?: ?(?:-|s d|s\.d|sd|sampai(?: dengan)?|hingga|sampe|to) ?(?:{cur}[. ]?)?"
            rf"(?P<n2>{_NUM}) ?(?P<m2>{_MULT})?)?(?: ?(?P<post>{cur}))?(?![0-9a-z])"
        )
        self._usd = re.compile(rf"{_USD}")
        # Pay in yen, ringgit, NT$... is neither rupiah nor dollars: leave it alone.
        self._foreign_after = re.compile(rf"\s?{_FOREIGN}\b")
        self._foreign_before = re.compile(rf"{_FOREIGN}[.\s]?$")
        self._period = re.compile(
            r" ?(?:/|per|se|a|tiap|setiap)? ?"
            r"(bulan|month|hari|day|minggu|week|tahun|year|jam|hour)\b"
        )

    def find(self, text: str) -> list[Money]:
        """Every amount that reads as money (currency or multiplier given), monthly."""
        found: list[Money] = []
        for match in self._amount.finditer(text):
            pre, post, m1, m2 = match.group("pre", "post", "m1", "m2")
            currency_word = pre or post or ""
            if not (currency_word or m1 or m2):
                continue  # a bare number: an age, a quota or a phone number, not pay
            if self._foreign_after.match(text, match.end()) or self._foreign_before.search(
                text, max(0, match.start() - 8), match.start()
            ):
                continue
            n1 = _number(match.group("n1"))
            n2 = _number(match.group("n2")) if match.group("n2") else n1
            # "8-10 juta" carries one multiplier for both ends of the range.
            value = max(
                n1 * _MULTIPLIERS.get(m1 or m2 or "", 1), n2 * _MULTIPLIERS.get(m2 or "", 1)
            )
            currency = "USD" if currency_word and self._usd.fullmatch(currency_word) else "IDR"
            period = self._period.match(text, match.end())
            if period:
                value *= _PER_MONTH.get(period.group(1), 1.0)
            if currency == "IDR" and not 100_000 <= value <= 1e9:
                continue  # too small or too large to be anyone's monthly pay in rupiah
            found.append(Money(value, currency, match.start(), match.end(), period is not None))
        return found


@dataclass(frozen=True)
class PayLimit:
    """The highest monthly pay a kind of job plausibly offers; `pattern` names the job."""

    pattern: re.Pattern[str] | None
    max_idr: float
    max_usd: float

    @classmethod
    def read(cls, raw: Any, where: str, regex: Compile | None, fail: Fail) -> PayLimit | None:
        """Build from YAML; `regex` None means no `patterns` (the default limit)."""
        try:
            max_idr, max_usd = float(raw["max_idr"]), float(raw["max_usd"])
        except (TypeError, KeyError, ValueError):
            fail(where, "needs numeric max_idr and max_usd")
            return None
        pattern = regex(raw.get("patterns"), where) if regex else None
        return cls(pattern, max_idr, max_usd) if pattern or not regex else None


@dataclass(frozen=True)
class PayCheck:
    """Compares the pay an offer names with what the job it names plausibly pays."""

    keywords: re.Pattern[str]  # words that introduce pay: gaji, salary, upah...
    not_salary: re.Pattern[str]  # money words that are not pay: biaya, bonus, denda...
    window: int
    default: PayLimit
    roles: tuple[PayLimit, ...]

    @classmethod
    def read(cls, raw: Any, where: str, regex: Compile, fail: Fail) -> PayCheck | None:
        """Build from the YAML `salary:` block; problems go to `fail(where, problem)`."""
        if not isinstance(raw, Mapping):
            fail(where, "kind: salary needs a `salary:` block")
            return None
        limits = [
            PayLimit.read(r, f"{where}.roles[{i}]", regex, fail)
            for i, r in enumerate(raw.get("roles") or [])
        ]
        keywords = regex(raw.get("keywords"), f"{where}.keywords")
        not_salary = regex(raw.get("not_salary"), f"{where}.not_salary")
        default = PayLimit.read(raw.get("default"), f"{where}.default", None, fail)
        window = raw.get("window", 80)
        if not isinstance(window, int):
            fail(where, "window must be a whole number")
        if not (keywords and not_salary and default and all(limits)) or not isinstance(window, int):
            return None
        return cls(keywords, not_salary, window, default, tuple(r for r in limits if r))

    def too_good(self, text: str, amounts: list[Money]) -> tuple[int, int] | None:
        """Span from the pay word to the first amount above the job's limit, if any."""
        # The highest limit among the jobs named applies: the benefit of the doubt.
        named = [r for r in self.roles if r.pattern and r.pattern.search(text)] or [self.default]
        max_idr = max(r.max_idr for r in named)
        max_usd = max(r.max_usd for r in named)
        for money in amounts:
            if money.monthly <= (max_usd if money.currency == "USD" else max_idr):
                continue
            start = self._pay_word(text, money)
            if start is not None:
                return start, money.end
        return None

    def _pay_word(self, text: str, money: Money) -> int | None:
        """Where the pay word before `money` starts, if the amount reads as pay, not a fee."""
        begin = max(0, money.start - self.window)
        pay = [m.start() for m in self.keywords.finditer(text, begin, money.start)]
        other = [m.start() for m in self.not_salary.finditer(text, begin, money.start)]
        if pay and (not other or pay[-1] > other[-1]):
            return pay[-1] if money.start - pay[-1] <= 60 else money.start
        if money.periodic and not other:
            return money.start
        return None
