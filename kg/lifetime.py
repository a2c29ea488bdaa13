"""Processes that end with their parent: ``kg serve --workers``'s workers with their supervisor, a
SPARQL query's child with the server process that forked it.

A child outlives a parent killed with SIGKILL: it is re-parented and goes on (a worker keeps the
listening socket, and a restart finds the address in use).  On Linux the kernel is asked to signal
the child when its parent dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes: the standard library
has no binding); elsewhere, and as a second line on Linux, a daemon thread polls the parent's pid.
Hand-written: no well-kept package does this (``python-prctl`` is Linux-only and needs a compiler).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, sig: int = signal.SIGTERM, grace_s: float = 5.0, poll_s: float = 0.5) -> None:
    """End this process when ``parent`` (the pid it was started by) is gone: ``sig`` at once, then,
    if it is still alive ``grace_s`` later, ``os._exit``.  Call it early in the child."""
    _ask_the_kernel(sig)
    if os.getppid() != parent:  # the parent died before we asked
        os.kill(os.getpid(), sig)
    threading.Thread(target=_watch, args=(parent, sig, grace_s, poll_s), name="kg-parent-watch",
                     daemon=True).start()


def _find_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


#: found at import, not in a forked child (where the loader's lock may be held by a thread that is gone)
_PRCTL = _find_prctl()


def _ask_the_kernel(sig: int) -> bool:
    return _PRCTL is not None and _PRCTL(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def _watch(parent: int, sig: int, grace_s: float, poll_s: float) -> None:
    stop = threading.Event()
    while os.getppid() == parent:
        stop.wait(poll_s)
    os.kill(os.getpid(), sig)
    stop.wait(grace_s)
    os._exit(1)
