"""Logs carry no secrets and no personal data: tokens, numbers and places are masked."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.logfilter import (
    CONTENT_LOGGERS,
    RedactingFilter,
    install_log_filter,
    quiet_content_loggers,
)

TOKEN = "123456789:AAHsecretsecretsecretsecretsecret0123"


def test_log_filter_redacts_tokens_numbers_and_locations() -> None:
    redactor = RedactingFilter((TOKEN,))
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "POST https://api.telegram.org/bot%s/x from %s at %s",
        (TOKEN, "+855 12 813 282", "11.556312, 104.928211"),
        None,
    )
    redactor.filter(record)
    text = record.getMessage()
    assert token_free(text) and "813 282" not in text and "104.928211" not in text
    assert "[secret]" in text and "[number]" in text and "[location]" in text
    try:
        raise ValueError(f"boom {TOKEN} +62 812 3456 7890")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    redactor.filter(record)
    assert record.exc_info is None  # only the redacted text is kept
    assert record.exc_text is not None and token_free(record.exc_text)
    assert "3456 7890" not in record.exc_text


def token_free(text: str) -> bool:
    return TOKEN not in text and TOKEN.split(":")[1] not in text


def test_any_bot_token_is_masked_even_one_the_filter_was_not_given() -> None:
    other = "987654321:ZZZanotheranotheranotheranother0123"
    assert RedactingFilter().redact(f"token {other}") == "token [token]"


def test_references_and_short_numbers_stay_readable() -> None:
    text = "case KWN-7Q2M9 took 42 ms, 3 retries, HTTP 429, update 1234567, v22.1"
    assert RedactingFilter((TOKEN,)).redact(text) == text
    # Long digit runs are masked on the safe side: a date with its time reads like a number.
    assert "[number]" in RedactingFilter().redact("at 2026-12-04 14:05")


@pytest.fixture
def root_handler() -> Iterator[logging.Handler]:
    handler = logging.NullHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def test_installing_filters_every_root_handler_and_quiets_http_logs(
    root_handler: logging.Handler, tmp_path: Path
) -> None:
    settings = Settings(database_path=tmp_path / "k.sqlite3", bot_token=TOKEN)
    redactor = install_log_filter(settings)
    try:
        assert redactor in root_handler.filters and redactor.secrets == (TOKEN,)
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(redactor)


def test_loggers_that_quote_messages_never_log_below_info() -> None:
    loggers = [logging.getLogger(name) for name in CONTENT_LOGGERS]
    before = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.DEBUG)
        quiet_content_loggers()
        assert all(logger.level == logging.INFO for logger in loggers)
        loggers[0].setLevel(logging.ERROR)
        quiet_content_loggers()
        assert loggers[0].level == logging.ERROR  # a stricter level is kept
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)
