"""Settings: every contract variable, one clear line per bad value, the token never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings

TOKEN = "123456789:AAHkawanTestTokenForLocalBotApiServer01"


def test_defaults_match_the_design_contract() -> None:
    settings = load_settings({}, dotenv=None)
    assert settings.database_path == Path("data/kawan.sqlite3")
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.default_locale == "id" and settings.retention_days == 180
    assert settings.webhook_url is None and settings.unclaimed_reminder_minutes == 15


def test_every_setting_is_read(tmp_path: Path) -> None:
    env = {
        "BOT_TOKEN": TOKEN, "OFFICERS_CHAT_ID": "-1001234567890", "OFFICER_IDS": "1, 2,3",
        "DATABASE_PATH": str(tmp_path / "x.db"), "TELEGRAM_API_URL": "http://localhost:8081/",
        "DEFAULT_LOCALE": "en", "WEBHOOK_URL": "https://kawan.example/hook", "WEBHOOK_PORT": "8080",
        "RETENTION_DAYS": "90", "LOG_LEVEL": "debug", "UNCLAIMED_REMINDER_MINUTES": "5",
    }  # fmt: skip
    settings = load_settings(env, dotenv=None)
    assert settings.officers_chat_id == -1001234567890
    assert settings.officer_ids == frozenset({1, 2, 3})
    assert settings.base_url == "http://localhost:8081/bot"
    assert (settings.default_locale, settings.webhook_port, settings.retention_days) == (
        "en",
        8080,
        90,
    )
    assert settings.log_level == "DEBUG"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TOKEN", "not-a-token"),
        ("OFFICERS_CHAT_ID", "kbri"),
        ("OFFICER_IDS", "1,x"),
        ("TELEGRAM_API_URL", "ftp://x"),
        ("DEFAULT_LOCALE", "fr"),
        ("WEBHOOK_URL", "http://insecure.example"),
        ("WEBHOOK_PORT", "eighty"),
        ("RETENTION_DAYS", "0"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_stops_with_one_line_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({name: value}, dotenv=None)
    message = str(caught.value)
    assert name in message and "\n" not in message
    assert "AAH" not in message


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nDEFAULT_LOCALE=en\nRETENTION_DAYS='30'\n", encoding="utf-8")
    settings = load_settings({"RETENTION_DAYS": "60"}, dotenv=dotenv)
    assert settings.default_locale == "en" and settings.retention_days == 60


def test_run_without_a_token_says_how_to_try_chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "BOT_TOKEN" in err and "python -m bot chat" in err and err.count("\n") == 1


def test_run_with_a_token_but_no_group_names_the_group(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.delenv("OFFICERS_CHAT_ID", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "OFFICERS_CHAT_ID" in err and TOKEN not in err


def test_check_in_settings_have_defaults_and_refuse_nonsense() -> None:
    default = load_settings({}, dotenv=None)
    assert default.checkin_intervals == (720, 1440, 4320)
    assert default.checkin_grace_minutes == 60
    custom = load_settings({"CHECKIN_INTERVALS": "1, 60", "CHECKIN_GRACE_MINUTES": "1"},
                           dotenv=None)  # fmt: skip
    assert custom.checkin_intervals == (1, 60) and custom.checkin_grace_minutes == 1
    for bad in ("0", "abc", "12h", "1,2,3,4,5,6,7"):
        with pytest.raises(SettingsError, match="CHECKIN_INTERVALS"):
            load_settings({"CHECKIN_INTERVALS": bad}, dotenv=None)
    with pytest.raises(SettingsError, match="CHECKIN_GRACE_MINUTES"):
        load_settings({"CHECKIN_GRACE_MINUTES": "0"}, dotenv=None)
