"""The results as markdown: one summary table against the issue's targets, then the details."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("✅" if ok else "❌")


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _throughput_rows(t: dict[str, Any]) -> list[Row]:
    mix, echo, replay = t["mix"], t["echo"], t["replay"]
    floor = replay["updates_per_s"] / echo["updates_per_s"]
    wired = ", ".join(k for k, v in mix["features"].items() if v) or "none"
    return [
        (f"Mix: {mix['updates']:,} updates from {mix['users']:,} users "
         f"(optional features wired: {wired})", f"{_n(mix['updates_per_s'])} upd/s", "", ""),
        ("Bare PTB echo bot, same offline transport, same run",
         f"{_n(echo['updates_per_s'])} upd/s", "", ""),
        ("Work per update: Bot API calls · SQL statements (mix; echo makes 1 call, no SQL)",
         f"{mix['api_calls_per_update']:.2f} · {mix['sql_statements_per_update']:.1f}", "", ""),
        ("Throughput ratio mix / echo", f"{t['ratio']:.3f}×", "≥ 0.5×", _mark(t["ratio"] >= 0.5)),
        ("Same updates, same Bot API calls, no other work (replay through a bare PTB app)",
         f"{_n(replay['updates_per_s'])} upd/s = {floor:.2f}× echo", "", ""),
        ("Per update: PTB for Kawan's calls · Kawan's own work (mix − replay)",
         f"{t['framework_us']:.0f} µs · {t['own_work_us']:.0f} µs "
         f"(ratio mix / replay {t['ratio_to_replay']:.2f}×)", "", ""),
        ("Mix latency per update p50 / p99 (max)",
         f"{mix['p50_ms']:.1f} / {mix['p99_ms']:.1f} ms ({mix['max_ms']:.0f})", "p99 < 50 ms",
         _mark(mix["p99_ms"] < 50)),
    ]  # fmt: skip


def _people_rows(p: dict[str, Any] | None) -> list[Row]:
    if not p:
        return []
    rss = p["after"]["rss_mb"]
    return [(f"RSS after {p['people']:,} distinct people sent 2 updates each (fresh process)",
             f"{rss:.1f} MB (+{rss - p['before']['rss_mb']:.1f} MB)", "< 200 MB",
             _mark(rss < 200))]  # fmt: skip


def _footprint_rows(f: dict[str, Any]) -> list[Row]:
    start = f["idle"]["startup"]
    cases = f"{f['cases']:,}"
    rows: list[Row] = [
        ("Idle RSS, all content loaded (fresh process, after warm-up)",
         f"{f['rss_idle_mb']:.1f} MB", "< 150 MB", _mark(f["rss_idle_mb"] < 150)),
        (f"RSS with {cases} cases (same work, fresh process)",
         f"{f['rss_loaded_mb']:.1f} MB (+{f['rss_growth_mb']:.1f} MB)", "≤ +50 MB",
         _mark(f["rss_growth_mb"] <= 50)),
        (f"Database bytes per case (events, outbox, links, indexes; {cases} cases)",
         f"{f['bytes_per_case']:,} B ({f['seed']['db_bytes'] / 1e6:.0f} MB)", "", ""),
        *_people_rows(f.get("people")),
        ("Start-up to first handled /start: new process / build_application → handled",
         f"{start['process_to_first_update_s']:.2f} s / {start['build_to_first_update_s']:.2f} s",
         "", ""),
    ]  # fmt: skip
    for name, label, target in (
        ("antrian", "/antrian (a page of 10 with claimers and last activity)", 20.0),
        ("statistik", "/statistik (30 days)", None),
        ("kasus", "/kasus (get_by_ref + events + media)", 20.0),
    ):
        q = f["loaded"]["queries"][name]
        repo, command = q["repository"], q["command"]
        ok = None if target is None else repo["p99_ms"] < target
        rows.append((
            f"{label} at {cases} cases, p50 / p99: query · whole command",
            f"{repo['p50_ms']:.1f} / {repo['p99_ms']:.1f} · {command['p50_ms']:.1f} / "
            f"{command['p99_ms']:.1f} ms", "< 20 ms" if target else "", _mark(ok),
        ))  # fmt: skip
    return rows


def _surge_rows(s: dict[str, Any]) -> list[Row]:
    faults = s["faults"]
    return [
        (f"Surge: {s['cases_total']:,} requests at once ({s['cases_bulk']:,} committed as the "
         f"intake does + {s['intakes']['started']} full intakes), {faults['failed_share']:.0%} "
         "of Bot API calls failing", f"{s['commits_per_s']:,.0f} commits/s", "", ""),
        ("Cases lost / duplicate cards or topics", f"{s['lost']} / {s['duplicates']}", "0 / 0",
         _mark(s["lost"] == 0 and s["duplicates"] == 0)),
        ("Every case reachable in /antrian after (real time)",
         f"{s['reachable_all_s']:.1f} s", "< 60 s", _mark(s["reachable_all_s"] < 60)),
        ("Every case posted or digested in the group (simulated, 20 msg/min)",
         f"{s['posted_all_sim_s'] / 60:.1f} min ({s['cards_posted']} cards, "
         f"{s['digest_messages']} digests)", "", ""),
    ]  # fmt: skip


def _live_rows(v: dict[str, Any]) -> list[Row]:
    cb, first, danger = v["callback"], v["first_reply"], v["danger_screen"]
    lost = v["cases_lost"] + v["officer_replies_lost"]
    return [
        (f"Live surge, Telegram's limits on: {v['updates']:,} updates in {v['seconds']:.0f} s "
         f"({v['offered_rate']:.0f}/s) from {v['people']} people, officers at work",
         f"{v['telegram_429']} × 429 from Telegram · {v['handler_errors']} handler errors", "", ""),
        ("Button answered p50 / p99 · expired (15 s)",
         f"{cb['p50_ms']:.0f} / {cb['p99_ms']:.0f} ms · {v['callbacks_expired']}",
         "p99 < 1 s · 0", _mark(cb["p99_ms"] < 1000 and v["callbacks_expired"] == 0)),
        ("Emergency screen for a danger message p99",
         f"{danger['p99_ms']:.0f} ms (n={danger['n']})", "< 2 s", _mark(danger["p99_ms"] < 2000)),
        ("A new person's first reply p50 / p99",
         f"{first['p50_ms']:.0f} / {first['p99_ms']:.0f} ms", "p99 < 3 s",
         _mark(first["p99_ms"] < 3000)),
        ("Drained after the burst (every update handled, every reply owed delivered)",
         f"{v['drain_s']:.1f} s", "< 10 s", _mark(v["drain_s"] < 10)),
        ("Cases / officer replies lost (replies: made · delivered · waiting for contact rules)",
         f"{v['cases_lost']} / {v['officer_replies_lost']} ({v['officer_replies']} · "
         f"{v['officer_replies_delivered']} · {v['officer_replies_waiting_for_contact_rules']})",
         "0 / 0", _mark(lost == 0)),
    ]  # fmt: skip


def summary_table(result: dict[str, Any]) -> list[str]:
    """The headline table."""
    rows: list[Row] = []
    if "throughput" in result:
        rows += _throughput_rows(result["throughput"])
    if "footprint" in result:
        rows += _footprint_rows(result["footprint"])
    if "surge" in result:
        rows += _surge_rows(result["surge"])
    if "live" in result:
        rows += _live_rows(result["live"])
    lines = ["| measure | result | target | met |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return lines


def details(result: dict[str, Any]) -> list[str]:
    """Latency by kind of update, surge internals, slow query plans."""
    lines: list[str] = []
    if "throughput" in result:
        t = result["throughput"]
        mix, replay = t["mix"], t["replay"]
        lines += ["", "Mix latency by kind of update (ms); the replay makes the same calls only:",
                  "", "| kind | n | p50 | p99 | max | mean | replay mean | own work mean |",
                  "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for kind, s in mix["by_kind"].items():
            r = replay["by_kind"].get(kind, {})
            lines.append(
                f"| {kind} | {s['n']} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {s['max_ms']:.1f} "
                f"| {s['mean_ms']:.2f} | {r.get('mean_ms', 0):.2f} "
                f"| {s['mean_ms'] - r.get('mean_ms', 0):.2f} |"
            )
        calls, sql = mix["api_calls_per_update"], mix["sql_statements_per_update"]
        lines += [
            "",
            f"The echo bot makes 1 small Bot API call per update; the mix makes {calls:.2f} "
            f"(a button press is answered and its message edited, with a keyboard each way). "
            f"A bare PTB app making exactly those calls for the same updates, and nothing else, "
            f"runs at {replay['updates_per_s'] / t['echo']['updates_per_s']:.2f}× the echo: "
            f"that is the ceiling for any bot with Kawan's replies. Of Kawan's own "
            f"{t['own_work_us']:.0f} µs per update, waiting for SQLite is about "
            f"{sql:.1f} statements × {mix['sql_round_trip_us']:.0f} µs (one aiosqlite thread "
            f"round trip, measured in the same run).",
        ]
    if "surge" in result:
        s, i = result["surge"], result["surge"]["intakes"]
        lat, faults = i["update_latency"], s["faults"]
        lines += [
            "",
            f"Surge: burst {s['burst_real_s']:.1f} s real; commit latency p50/p99 "
            f"{s['commit_latency']['p50_ms']:.1f}/{s['commit_latency']['p99_ms']:.1f} ms "
            f"(32 committing at once); faults injected {faults['failed']:,} of "
            f"{faults['calls']:,} calls {faults['by_kind']}. Full intakes: "
            f"{i['acknowledged']}/{i['started']} saw their reference, "
            f"{i['committed_unacknowledged']} saved without seeing it, {i['abandoned']} gave up; "
            f"{i['retries']} presses repeated, {i['restarts']} restarts; intake update latency "
            f"p50/p99 {lat['p50_ms']:.1f}/{lat['p99_ms']:.1f} ms.",
        ]
    if "footprint" in result:
        for name, q in result["footprint"]["loaded"]["queries"].items():
            if q["repository"]["p99_ms"] >= 20:
                lines += ["", f"Plan of /{name} (p99 ≥ 20 ms):", ""]
                for plan in q["plans"]:
                    lines.append(f"- `{plan['sql'][:90]}…` → {'; '.join(plan['plan'])}")
    return lines


def markdown(result: dict[str, Any]) -> str:
    """Header with the machine, the summary table, then the details."""
    m = result["machine"]
    head = [
        f"Kawan benchmarks, {result.get('mode', 'full')} run of {result['generated_at']} "
        f"({result['duration_s']:.0f} s)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores · Python {m['python']} · "
        f"python-telegram-bot {m['ptb']} · SQLite {m['sqlite']} · {m['os']}",
        "",
    ]
    return "\n".join(head + summary_table(result) + details(result))
