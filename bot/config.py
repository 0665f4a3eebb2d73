"""Settings from the environment (and `.env`), validated once, with one clear line per problem."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

LOCALES: tuple[str, ...] = ("id", "en")  # the one list of languages; Indonesian first
_TOKEN = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,64}$")


class SettingsError(Exception):
    """A setting is missing or malformed; str() is one line that names it."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)  # a secret: never printed
    officers_chat_id: int | None = None
    officer_ids: frozenset[int] = frozenset()
    database_path: Path = Path("data/kawan.sqlite3")
    telegram_api_url: str = "https://api.telegram.org"
    default_locale: str = "id"
    webhook_url: str | None = None
    webhook_port: int = 8443
    retention_days: int = 180
    log_level: str = "INFO"
    unclaimed_reminder_minutes: int = 15
    content_dir: Path | None = None
    alerts_chat_id: int | None = None  # unexpected errors go here; None: the officers' group
    checkin_intervals: tuple[int, ...] = (720, 1440, 4320)  # minutes: 12 h, 24 h, 3 days
    checkin_grace_minutes: int = 60
    weekly_report: bool = True  # the Monday 08:00 summary in the officers' group

    @property
    def alerts_chat(self) -> int | None:
        """Where a person reads about unexpected errors (ALERTS_CHAT_ID, else the group)."""
        return self.alerts_chat_id if self.alerts_chat_id is not None else self.officers_chat_id

    @property
    def base_url(self) -> str:
        """The prefix PTB puts before the token: `{TELEGRAM_API_URL}/bot`."""
        return f"{self.telegram_api_url.rstrip('/')}/bot"

    def require_for_run(self) -> None:
        """Fail unless the settings needed to talk to Telegram are present."""
        if not self.bot_token:
            raise SettingsError(
                "BOT_TOKEN is not set. To try Kawan without Telegram, run: python -m bot chat"
            )
        if self.officers_chat_id is None:
            raise SettingsError(
                "OFFICERS_CHAT_ID is not set "
                "(the officers' group id: /idgrup in that group shows it)"
            )


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments and blank lines skipped, quotes stripped)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Build Settings from `.env` overlaid by the real environment; raises SettingsError."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
    env.update(os.environ if environ is None else environ)

    token = env.get("BOT_TOKEN", "").strip() or None
    if token and not _TOKEN.match(token):
        raise SettingsError("BOT_TOKEN is malformed (expected digits, a colon, then the secret)")
    officers_chat_id = _chat_id(env, "OFFICERS_CHAT_ID")
    ids_raw = [p.strip() for p in env.get("OFFICER_IDS", "").split(",") if p.strip()]
    if any(not p.isdigit() for p in ids_raw):
        raise SettingsError("OFFICER_IDS must be a comma-separated list of Telegram user ids")
    api_url = env.get("TELEGRAM_API_URL", "").strip() or "https://api.telegram.org"
    if urlparse(api_url).scheme not in ("http", "https") or not urlparse(api_url).netloc:
        raise SettingsError(f"TELEGRAM_API_URL must be an http(s) URL, got {api_url!r}")
    locale = env.get("DEFAULT_LOCALE", "").strip() or "id"
    if locale not in LOCALES:
        raise SettingsError(f"DEFAULT_LOCALE must be one of {', '.join(LOCALES)}, got {locale!r}")
    webhook = env.get("WEBHOOK_URL", "").strip() or None
    if webhook and urlparse(webhook).scheme != "https":
        raise SettingsError("WEBHOOK_URL must be an https:// URL that Telegram can reach")
    level = (env.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(
            f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}"
        )
    db = env.get("DATABASE_PATH", "").strip() or "data/kawan.sqlite3"
    content = env.get("CONTENT_DIR", "").strip()
    return Settings(
        bot_token=token,
        officers_chat_id=officers_chat_id,
        officer_ids=frozenset(int(p) for p in ids_raw),
        database_path=Path(db),
        telegram_api_url=api_url,
        default_locale=locale,
        webhook_url=webhook,
        webhook_port=_int(env, "WEBHOOK_PORT", 8443, minimum=1),
        retention_days=_int(env, "RETENTION_DAYS", 180, minimum=1),
        log_level=level,
        unclaimed_reminder_minutes=_int(env, "UNCLAIMED_REMINDER_MINUTES", 15, minimum=1),
        content_dir=Path(content) if content else None,
        alerts_chat_id=_chat_id(env, "ALERTS_CHAT_ID"),
        checkin_intervals=_minutes_list(env, "CHECKIN_INTERVALS", (720, 1440, 4320)),
        checkin_grace_minutes=_int(env, "CHECKIN_GRACE_MINUTES", 60, minimum=1),
        weekly_report=_flag(env, "WEEKLY_REPORT", default=True),
    )


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")
    return raw in ("1", "true", "yes", "on")


def _minutes_list(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or any(not p.isdigit() or int(p) < 1 for p in parts) or len(parts) > 6:
        raise SettingsError(
            f"{name} must be 1 to 6 whole numbers of minutes, comma-separated, got {raw!r}"
        )
    return tuple(dict.fromkeys(int(p) for p in parts))


def _chat_id(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"-?\d+", raw):
        raise SettingsError(f"{name} must be a chat id such as -1001234567890, got {raw!r}")
    return int(raw)
