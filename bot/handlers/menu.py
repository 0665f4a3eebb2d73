"""Home screen, submenus, language choice, and /start deep links."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.config import LOCALES
from bot.context import KawanContext
from bot.handlers import guides
from bot.handlers.emergency import emergency_screen
from bot.handlers.screens import Screen, answer_query, column, nav_row, rendered_once, show
from bot.ui.commands import N_, CommandRegistry
from bot.ui.i18n import Translator
from bot.ui.limits import START_PAYLOAD

# Menu sections of content/ guides, with the extra feature buttons each one carries.
SUBMENUS: dict[str, tuple[str, str]] = {
    "rules": (
        N_("📘 Rules in Cambodia"),
        N_("Visas, overstay, permits and passports, in plain words."),
    ),
    "scam": (N_("⚠️ Fake job offers"), N_("How to tell a scam job offer before it is too late.")),
    "help": (
        N_("🙋 Ask KBRI for help"),
        N_("Send your request to the embassy's duty officers and follow it here."),
    ),
    "families": (
        N_("👪 For families"),
        N_("Your relative is missing or trapped? What to do, whom to call."),
    ),
}


def home_screen(t: Translator, context: KawanContext) -> Screen:
    """The main menu."""
    return rendered_once(context, ("home", t.locale), lambda: _home(t, context))


def _home(t: Translator, context: KawanContext) -> Screen:
    text = context.services.renderer.render("home.html.j2", t, discreet_tip=True)
    rows = (
        ((t("🆘 Emergency"), "m:emergency"),),
        ((t(SUBMENUS["rules"][0]), "m:rules"), (t(SUBMENUS["scam"][0]), "m:scam")),
        ((t("🔎 Check a job offer"), "o:start"),),
        ((t(SUBMENUS["help"][0]), "m:help"), (t(SUBMENUS["families"][0]), "m:families")),
        ((t("🌐 Bahasa / Language"), "m:lang"), (t("🧹 Erase this chat"), "p:wipe")),
    )
    return Screen(text, rows)


def submenu_screen(t: Translator, context: KawanContext, menu: str) -> Screen:
    """A list of guides of one menu section, plus that section's feature buttons."""
    return rendered_once(context, ("menu", menu, t.locale), lambda: _submenu(t, context, menu))


def _submenu(t: Translator, context: KawanContext, menu: str) -> Screen:
    title, intro = SUBMENUS[menu]
    text = context.services.renderer.render("submenu.html.j2", t, title=t(title), intro=t(intro))
    items = [(g.title, f"g:{g.id}:0") for g in context.services.content.menu(t.locale, menu)]
    extra: list[tuple[str, str]] = []
    if menu == "scam":
        extra.append((t("🔎 Check a job offer"), "o:start"))
    elif menu == "help":
        extra += [(t("✍️ Send a help request"), "h:self"), (t("📋 My requests"), "h:status")]
    elif menu == "families":
        extra.append((t("📝 Report a relative"), "h:family"))
    return Screen(text, (*column(extra), *column(items), nav_row(t)))


def language_screen(t: Translator, context: KawanContext) -> Screen:
    """Indonesian or English."""
    return rendered_once(context, ("language", t.locale), lambda: _language(t, context))


def _language(t: Translator, context: KawanContext) -> Screen:
    text = context.services.renderer.render("language.html.j2", t)
    rows = (((("🇮🇩 Bahasa Indonesia"), "l:id"), ("🇬🇧 English", "l:en")), nav_row(t))
    return Screen(text, rows)


async def start(update: Update, context: KawanContext) -> None:
    """/start, with deep-link payloads (t.me/<bot>?start=darurat) opening a screen directly."""
    payload = (context.args or [""])[0].lower()[:START_PAYLOAD]
    target = DEEP_LINKS.get(payload)
    if target is not None:
        await open_screen(update, context, target)
        return
    if payload.startswith("g_"):
        guide = context.services.content.guide(context.locale, payload[2:].replace("_", "-"))
        if guide is not None:
            await show(update, context, guides.guide_screen(context.t, context, guide, 0))
            return
    await show(update, context, home_screen(context.t, context))


async def menu_command(update: Update, context: KawanContext) -> None:
    """/menu: the main menu."""
    await show(update, context, home_screen(context.t, context))


async def language_command(update: Update, context: KawanContext) -> None:
    """/bahasa: choose Indonesian or English."""
    await show(update, context, language_screen(context.t, context))


async def open_screen(update: Update, context: KawanContext, name: str) -> None:
    """Show a named screen (used by buttons and deep links alike)."""
    t = context.t
    if name == "home":
        await show(update, context, home_screen(t, context))
    elif name in SUBMENUS:
        await show(update, context, submenu_screen(t, context, name))
    elif name == "lang":
        await show(update, context, language_screen(t, context))
    elif name == "emergency":
        await show(update, context, emergency_screen(t, context))


async def on_menu_button(update: Update, context: KawanContext) -> None:
    """Buttons m:<screen>."""
    await answer_query(update)
    data = update.callback_query.data if update.callback_query else None
    await open_screen(update, context, str(data).partition(":")[2])


async def on_language_button(update: Update, context: KawanContext) -> None:
    """Buttons l:<locale>: store the choice and show the menu in that language."""
    data = str(update.callback_query.data if update.callback_query else "")
    locale = data.partition(":")[2]
    services = context.services
    if locale not in LOCALES or update.effective_user is None:
        await answer_query(update)
        return
    await services.repos.users.set_locale(update.effective_user.id, locale)
    context.t = services.catalogs.get(locale)
    await answer_query(update, context.t("Language saved."))
    await show(update, context, home_screen(context.t, context))


DEEP_LINKS: dict[str, str] = {
    "darurat": "emergency", "emergency": "emergency", "aturan": "rules", "rules": "rules",
    "scam": "scam", "penipuan": "scam", "keluarga_info": "families", "families": "families",
    "bantuan_info": "help", "bahasa": "lang", "menu": "home",
}  # fmt: skip


def register(app: Application, registry: CommandRegistry) -> None:  # type: ignore[type-arg]
    """Wire the menu commands and buttons."""
    registry.add(app, "start", start, N_("Start and main menu"))
    registry.add(app, "menu", menu_command, N_("Main menu"))
    registry.add(app, "bahasa", language_command, N_("Language / Bahasa"), aliases=("language",))
    app.add_handler(CallbackQueryHandler(on_menu_button, pattern=r"^m:[a-z]{1,16}$"))
    app.add_handler(CallbackQueryHandler(on_language_button, pattern=r"^l:[a-z]{2}$"))
