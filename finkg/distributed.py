"""The map of reports on a dask.distributed cluster (``finkg build --store DIR --scheduler ADDRESS``).

The workers read the inputs themselves: each path is sent as an absolute path, so every worker must see the
same filesystem as the machine that runs ``finkg build`` (a shared or network mount, at the same path).  Only
the built report comes back; the store is written by this process alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import SchedulerError

TIMEOUT = 10.0  # seconds to reach the scheduler, and for its first worker


def map_reports(tasks: list[tuple[int, tuple]], address: str) -> Iterator[tuple[int, tuple]]:
    """``(k, _one_report(*args))`` for each ``(k, args)`` of ``tasks``, as each finishes, on the workers of the
    dask.distributed scheduler at ``address``: at most two reports a worker thread in flight (at least two in
    all), so memory is bounded by the cluster, not by the corpus.  A task that fails on a worker with an
    exception of its own (a bug, a worker killed) is that input's ``("error", 1, line)``; the others go on.
    A scheduler that cannot be reached, has no workers or goes away is a :class:`SchedulerError`."""
    try:
        import distributed
    except ImportError:
        raise SchedulerError("--scheduler needs dask.distributed, which is not installed",
                             hint="pip install 'finkg[dask]'") from None
    from .api import _one_report

    quiet = _quiet_logs()  # dask's client logs what the SchedulerError says, on lines of its own
    client = None
    try:
        try:
            client = distributed.Client(address, timeout=TIMEOUT, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise SchedulerError(f"cannot reach the dask scheduler at {address} ({_line(exc)})") from None
        try:
            client.wait_for_workers(1, timeout=TIMEOUT)
        except (OSError, TimeoutError):
            raise SchedulerError(f"the dask scheduler at {address} has no workers after {TIMEOUT:g} s",
                                 hint="start workers with `dask worker ADDRESS` on machines that see the inputs") from None
        window = max(2, 2 * sum(client.nthreads().values()))
        waiting = iter(tasks)
        running = {}  # future: (k, path as given)
        done = distributed.as_completed(loop=client.loop)  # this client's, not the default client's

        def submit(k: int, args: tuple) -> None:
            path, glossary, *rest = args
            sent = (str(Path(path).resolve()), None if glossary is None else Path(glossary).resolve(), *rest)
            try:
                future = client.submit(_one_report, *sent, pure=False)  # the same input twice: two tasks
            except Exception as exc:
                raise _lost(client, address, exc) from None
            running[future] = (k, path)
            done.add(future)

        for k, args in waiting:
            submit(k, args)
            if len(running) >= window:
                break
        for future in done:
            k, path = running.pop(future)
            if future.status not in ("finished", "error") and client.status != "running":
                raise _lost(client, address, None)
            yield k, _answer(future, path)
            nxt = next(waiting, None)
            if nxt is not None:
                submit(*nxt)
    finally:
        if client is not None:
            client.close()
        quiet()


def _lost(client, address: str, exc: Exception | None) -> Exception:
    """The error of a submit that failed, or of a task cancelled: the scheduler went away, else ``exc``."""
    if client.status == "running" and exc is not None:
        return exc
    return SchedulerError(f"lost the dask scheduler at {address} during the build; the reports built before are stored",
                          hint="run the build again once the scheduler is back")


def _quiet_logs():
    """Silence dask's loggers below CRITICAL; the function returned puts their levels back."""
    import logging

    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)

    def restore() -> None:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)

    return restore


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _answer(future, path: str) -> tuple:
    """The answer of a finished task: its result, or an input's one-line error when the task failed."""
    if future.status == "finished":
        return future.result()
    if future.status == "error":
        exc = future.exception()
        what = f"{type(exc).__name__}: {_line(exc)}"
    else:  # cancelled or lost: the scheduler or the workers went away
        what = f"the task was {future.status}"
    return "error", 1, f"{path}: failed on a dask worker: {what}"
