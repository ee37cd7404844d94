"""Naming the process that holds something (a source's lease, a bulk import's missing
indexes), and telling whether it still runs."""

from __future__ import annotations

import os
import socket


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_dead(owner: str | None) -> bool:
    """A holder that was a process of this machine and no longer runs (killed) has let go;
    other machines' holders cannot be checked from here."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
