"""A log filter that keeps secrets and personal data out of every log line."""

from __future__ import annotations

import logging
import re

from bot.config import Settings

_PHONE = re.compile(r"(?<![\w.])\+?\d[\d\s().-]{6,}\d(?![\w.])")
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}")
_TOKEN = re.compile(r"\d{5,16}:[A-Za-z0-9_-]{30,64}")


class RedactingFilter(logging.Filter):
    """Masks bot tokens, phone numbers and coordinates in the final message and traceback."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[secret]")
        text = _TOKEN.sub("[token]", text)
        text = _COORDINATES.sub("[location]", text)
        return _PHONE.sub("[number]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = self.redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts can quote a request; format once, redact, and keep only the text.
            formatter = logging.Formatter()
            record.exc_text = self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True


def install_log_filter(settings: Settings) -> RedactingFilter:
    """Filter every root handler; silence per-request HTTP logs (they carry the token)."""
    redactor = RedactingFilter((settings.bot_token or "",))
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return redactor


# Loggers whose DEBUG lines quote whole updates, requests or SQL parameters (message texts).
CONTENT_LOGGERS = ("aiosqlite", "telegram.ext.Application", "telegram.ext.ExtBot", "telegram.Bot")


def quiet_content_loggers() -> None:
    """Logs never carry message text, even at DEBUG: these loggers stop at INFO."""
    for name in CONTENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
