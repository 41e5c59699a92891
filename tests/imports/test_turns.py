"""The turn-taking between the importer's checking thread and the writer
(scorecard.imports.turns): a turn begins only once the checker is at a pause point, idle
or done, and the checker goes on only once the turn is over."""

from __future__ import annotations

import threading

from scorecard.imports.turns import Turns

WAIT = 5.0  # seconds, at most: an event that should happen happens long before


def _writer(turns: Turns, began: threading.Event, release: threading.Event) -> threading.Thread:
    def run() -> None:
        with turns.writer_turn():
            began.set()
            release.wait(WAIT)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_turn_waits_for_the_checkers_pause_point_and_the_checker_for_its_end() -> None:
    turns = Turns()
    turns.checker_started()
    began, release = threading.Event(), threading.Event()
    writer = _writer(turns, began, release)
    assert not began.wait(0.2)  # the checker is running: no turn yet
    paused = threading.Event()

    def pause() -> None:
        turns.checker_pause()
        paused.set()

    checker = threading.Thread(target=pause, daemon=True)
    checker.start()
    assert began.wait(WAIT)  # the checker is at its pause point: the turn begins
    assert not paused.wait(0.2)  # and the checker waits for its end
    release.set()
    assert paused.wait(WAIT)
    writer.join(WAIT)
    checker.join(WAIT)


def test_a_pause_point_without_a_turn_goes_on_at_once() -> None:
    turns = Turns()
    turns.checker_started()
    done = threading.Event()
    thread = threading.Thread(target=lambda: (turns.checker_pause(), done.set()), daemon=True)
    thread.start()
    assert done.wait(WAIT)
    thread.join(WAIT)


def test_an_idle_or_ended_checker_lets_the_writer_in() -> None:
    turns = Turns()
    turns.checker_started()
    began, release = threading.Event(), threading.Event()
    with turns.checker_idle():  # waiting for the writer to take rows, say
        writer = _writer(turns, began, release)
        assert began.wait(WAIT)
        release.set()
    writer.join(WAIT)
    began, release = threading.Event(), threading.Event()
    writer = _writer(turns, began, release)
    assert not began.wait(0.2)  # running again after the idle spell
    turns.checker_ended()
    assert began.wait(WAIT)
    release.set()
    writer.join(WAIT)
