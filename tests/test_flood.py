"""Flood control: a panicking sender is slowed down for a while, warned once, never banned."""

from __future__ import annotations

from bot.flood import COOLDOWN, LIMIT, WINDOW, FloodGuard


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_up_to_the_limit_in_the_window_is_allowed() -> None:
    guard = FloodGuard(FakeClock())
    assert all(guard.check(1) == (True, False) for _ in range(LIMIT))


def test_one_more_slows_the_sender_down_and_warns_once() -> None:
    guard = FloodGuard(FakeClock())
    for _ in range(LIMIT):
        guard.check(1)
    assert guard.check(1) == (False, True)
    assert guard.check(1) == (False, False)  # the calm notice is sent once, not per message
    assert guard.check(2) == (True, False)  # other people are not affected


def test_the_sender_is_read_again_after_the_cooldown() -> None:
    clock = FakeClock()
    guard = FloodGuard(clock)
    for _ in range(LIMIT + 1):
        guard.check(1)
    clock.now += COOLDOWN - 0.1
    assert guard.check(1) == (False, False)
    clock.now += 0.2
    assert guard.check(1) == (True, False)


def test_messages_spread_over_more_than_the_window_never_count_together() -> None:
    clock = FakeClock()
    guard = FloodGuard(clock)
    for _ in range(LIMIT * 3):
        assert guard.check(1)[0]
        clock.now += WINDOW / LIMIT + 0.01


def test_a_second_slow_down_warns_again_after_a_calm_period() -> None:
    clock = FakeClock()
    guard = FloodGuard(clock)
    for _ in range(LIMIT + 1):
        guard.check(1)
    clock.now += COOLDOWN + WINDOW + 1
    assert guard.check(1) == (True, False)
    clock.now += WINDOW + 1
    for _ in range(LIMIT):
        guard.check(1)
    assert guard.check(1) == (False, True)


def test_memory_stays_bounded_under_a_surge_of_new_users() -> None:
    clock = FakeClock()
    guard = FloodGuard(clock, max_users=100)
    for user_id in range(100):
        guard.check(user_id)
    clock.now += WINDOW + 1  # all of them idle now
    guard.check(10_000)
    assert len(guard._senders) == 1
