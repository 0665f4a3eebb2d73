"""The officers' group pacer: a sliding window on a clock we move by hand, and Telegram's pauses."""

from __future__ import annotations

from bot.queue.pacing import GROUP_MESSAGES_PER_MINUTE, GroupPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_holds_the_limit_and_frees_a_slot_as_the_oldest_send_ages_out() -> None:
    clock = Clock()
    pacer = GroupPacer(limit=3, window=60.0, clock=clock)
    assert pacer.available() == 3 and pacer.wait_time() == 0.0
    assert pacer.take() and pacer.take(2)
    assert pacer.available() == 0 and not pacer.take()
    assert pacer.wait_time() == 60.0
    clock.now += 59.9
    assert not pacer.take()
    assert abs(pacer.wait_time() - 0.1) < 1e-9
    clock.now += 0.1  # the first three sends are exactly one window old
    assert pacer.available() == 3


def test_a_batch_that_does_not_fit_reserves_nothing() -> None:
    pacer = GroupPacer(limit=3, window=60.0, clock=Clock())
    assert pacer.take(2)
    assert not pacer.take(2)
    assert pacer.available() == 1  # the refused batch took no slot


def test_retry_after_pauses_everything_and_never_shortens_a_longer_pause() -> None:
    clock = Clock()
    pacer = GroupPacer(limit=20, window=60.0, clock=clock)
    pacer.pause(30)
    pacer.pause(5)  # a shorter RetryAfter later does not cut the first one short
    assert pacer.available() == 0 and not pacer.take()
    assert pacer.wait_time() == 30
    clock.now += 30
    assert pacer.available() == 20 and pacer.take()


def test_forget_starts_over_and_the_default_is_telegrams_group_limit() -> None:
    clock = Clock()
    pacer = GroupPacer(clock=clock)
    assert pacer.available() == GROUP_MESSAGES_PER_MINUTE == 20
    assert pacer.take(20)
    pacer.pause(10)
    pacer.forget()
    assert pacer.available() == 20 and pacer.wait_time() == 0.0
