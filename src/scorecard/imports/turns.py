"""Turn-taking between the importer's checking thread and the thread that writes.

The importer checks a file in a thread while the rows already checked are written
(``services._Feed``). Both are Python, so they share one interpreter lock (the GIL),
and that is fine while the writer waits for the database: the server (PostgreSQL), or
SQLite inside one long statement (an ``INSERT … SELECT`` of a round), runs without it.

One kind of writing does not mix with a busy thread: SQLite's ``executemany`` gives the
lock back and takes it again at every row. When another thread is running Python
meanwhile, each taking-back waits until that thread lets go, which it does only after
the interpreter's switch interval (5 ms): a few microseconds of work per row would cost
milliseconds. So the writer asks for its turn around such work
(:meth:`Turns.writer_turn`); the checking thread, at its next pause point (every
``PROGRESS_STEP`` rows, a few milliseconds apart), stops and waits until the writer is
done. The rest of the time both run, the checker mostly while SQLite works on its own.

It is advisory only: it changes who waits, never what is written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """The writer's turns, and the checker's pause points (see the module)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._writer = False  # the writer wants its turn or has it
        self._checking = False  # the checker is running between two pause points

    def checker_started(self) -> None:
        """The checking thread begins (it then runs until its first pause point)."""
        with self._changed:
            while self._writer:
                self._changed.wait()
            self._checking = True

    def checker_pause(self) -> None:
        """A pause point of the checking thread: if the writer wants its turn, wait
        until it is over."""
        if not self._writer:  # read without the lock: the common case costs nothing
            return
        with self.checker_idle():
            pass

    @contextmanager
    def checker_idle(self) -> Iterator[None]:
        """The checking thread waits for something else (the writer to take its rows,
        say): the writer may have its turn meanwhile; afterwards the checker waits
        until that turn is over."""
        with self._changed:
            self._checking = False
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                while self._writer:
                    self._changed.wait()
                self._checking = True

    def checker_ended(self) -> None:
        """The checking thread is done (or stopped): no turn waits for it any more."""
        with self._changed:
            self._checking = False
            self._changed.notify_all()

    @contextmanager
    def writer_turn(self) -> Iterator[None]:
        """The writer's turn: the checking thread is at a pause point (or not running)
        until the block ends."""
        with self._changed:
            self._writer = True
            while self._checking:
                self._changed.wait()
        try:
            yield
        finally:
            with self._changed:
                self._writer = False
                self._changed.notify_all()
