"""Bounded waiting for platforms: rate-limit resets and back-off on server errors.

The platforms say when a rate limit lifts (``x-rate-limit-reset``, Unix seconds); we sleep until
then, but never longer than ``max_wait`` — a sync that would sleep for an hour reports instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from connectors.base import PlatformError

T = TypeVar("T")


class RateLimited(Exception):
    """Raised by a platform call when it was told to wait; carries the reset time."""

    def __init__(self, reset_at: float | None) -> None:
        super().__init__(f"rate limited until {reset_at}")
        self.reset_at = reset_at


class Transient(Exception):
    """A failure worth retrying: a 5xx answer, a timeout, a dropped connection."""


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 2.0
    max_wait: float = 900.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    faults: list[str] = field(default_factory=list)

    def take_faults(self) -> list[str]:
        """The faults met (and recovered from) since the last call: the source's status
        should show them even when the sync went on."""
        taken, self.faults = self.faults, []
        return taken

    def call(self, action: Callable[[], T], what: str) -> T:
        """Run ``action``; wait out rate limits and back off on transient errors, bounded."""
        for attempt in range(self.attempts):
            try:
                return action()
            except RateLimited as exc:
                self.faults.append(f"{what}: rate limited (attempt {attempt + 1})")
                wait = (exc.reset_at - self.clock() + 1) if exc.reset_at else self.base_delay
                if wait > self.max_wait:
                    raise PlatformError(
                        f"{what}: rate limited for {wait:.0f} s, more than "
                        f"the {self.max_wait:.0f} s we wait"
                    ) from None
                self.sleep(max(1.0, wait))
            except Transient as exc:
                self.faults.append(f"{what}: {exc} (attempt {attempt + 1})")
                if attempt == self.attempts - 1:
                    raise PlatformError(
                        f"{what}: {exc} (gave up after {self.attempts} attempts)"
                    ) from None
                self.sleep(min(self.max_wait, self.base_delay * 2**attempt))
        raise PlatformError(f"{what}: still rate limited after {self.attempts} attempts")
