"""Command line: python -m bot [run | chat | check-content | check-offer | ask | export | purge]."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
from collections.abc import Sequence

from bot.config import LOCALES, Settings, SettingsError, load_settings

_JSON_HELP = "print JSON instead of text"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kawan, the help line bot.")
    sub = parser.add_subparsers(dest="command")

    def command(name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
        # `summary` is the line in `python -m bot --help`; `python -m bot NAME --help` adds details.
        return sub.add_parser(name, help=summary, description=f"{summary}. {details}".strip())

    command("run", "Run the bot", "Long polling, or a webhook when WEBHOOK_URL is set.")
    chat = command(
        "chat", "Try the bot offline in this terminal",
        "Reads stdin to EOF: N presses button N, /cmd is a command, @N presses an officers' "
        "button, @officers TEXT answers in the latest case topic.",
    )  # fmt: skip
    chat.add_argument("--locale", choices=LOCALES, default=LOCALES[0], help="the user's language")
    check = command(
        "check-content", "Validate content/ and locales/",
        "Prints 'file: problem' lines and exits 1 on errors. --json prints "
        '{"ok", "problems": [{"file", "problem", "error"}]}.',
    )  # fmt: skip
    check.add_argument("--json", action="store_true", help=_JSON_HELP)
    offer = command(
        "check-offer", "Job-offer text on stdin: its risk and red flags",
        '--json prints {"risk": "high|medium|low", "score": 0..1, "flags": [{"id", "title"}]}.',
    )  # fmt: skip
    offer.add_argument("--json", action="store_true", help=_JSON_HELP)
    ask = command(
        "ask", "A question: whether it shows danger, and the guides that answer it",
        'At most 3, best first. --json prints {"urgent": bool, "answers": [{"id", "topic", '
        '"score"}]}.',
    )  # fmt: skip
    ask.add_argument("text", nargs="+", help="the question, as a user would write it")
    ask.add_argument("--locale", choices=(*LOCALES, "auto"), default="auto", help="language")
    ask.add_argument("--json", action="store_true", help=_JSON_HELP)
    export = command(
        "export", "Officers' CSV export of the cases created in a period",
        "Phone numbers in free text are masked unless --no-redact.",
    )  # fmt: skip
    export.add_argument("--since", help="YYYY-MM-DD (default: 30 days ago)")
    export.add_argument("--until", help="YYYY-MM-DD (default: today)")
    export.add_argument("--no-redact", dest="redact", action="store_false", help="keep numbers")
    export.add_argument("--output", "-o", help="file to write (default: stdout)")
    purge = command(
        "purge", "The daily retention purge, run now",
        "Erases personal data of cases closed more than RETENTION_DAYS ago, forgets users "
        "inactive that long, drops message ids past Telegram's 48-hour delete window and old "
        "delivered outbox rows.",
    )  # fmt: skip
    purge.add_argument("--json", action="store_true", help=_JSON_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings, run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"kawan: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from bot.logfilter import install_log_filter

    install_log_filter(settings)
    if command == "run":
        return _run(settings)
    if command == "chat":
        from bot.cli.chat import main as chat_main

        logging.getLogger().setLevel(logging.WARNING)  # keep the transcript readable
        return chat_main(settings, args.locale)
    if command == "check-content":
        logging.getLogger().setLevel(logging.WARNING)  # the screen tour's start/stop chatter
        return _check_content(settings, args.json)
    import bot.cli.tools as cli_tools

    if command == "check-offer":
        return cli_tools.check_offer(settings, sys.stdin.read(), args.json)
    if command == "ask":
        return cli_tools.ask(settings, " ".join(args.text), args.locale, args.json)
    if command == "export":
        return cli_tools.export(settings, args.since, args.until, args.redact, args.output)
    if command == "purge":
        return cli_tools.purge(settings, args.json)
    return 2


def _run(settings: Settings) -> int:
    try:
        settings.require_for_run()
    except SettingsError as exc:
        print(f"kawan: {exc}", file=sys.stderr)
        return 2
    from bot.app import ALLOWED_UPDATES, build_application, webhook_options

    app = build_application(settings)
    # Content, indexes and catalogs live for the whole run: keep them out of GC's full passes.
    # Once, here: tests and the content check build many Applications in one process.
    gc.collect()
    gc.freeze()
    if settings.webhook_url:
        app.run_webhook(listen="0.0.0.0", **webhook_options(settings))
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def _check_content(settings: Settings, as_json: bool) -> int:
    from bot.cli.checks import check_all
    from bot.content import default_content_dir
    from bot.ui.i18n import default_locales_dir

    problems = check_all(settings.content_dir or default_content_dir(), default_locales_dir())
    if as_json:
        rows = [{"file": p.file, "problem": p.message, "error": p.error} for p in problems]
        print(json.dumps({"ok": not any(p.error for p in problems), "problems": rows}, indent=2))
    else:
        for problem in problems:
            print(problem)
        errors = sum(p.error for p in problems)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if any(p.error for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
