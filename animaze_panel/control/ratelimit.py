"""Per-client rate limiting: a token bucket per key, with an injectable clock (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets keyed by client: ``rate`` requests a second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float],
                 max_clients: int = 1024) -> None:
        """Create the limiter.

        Args:
            rate: Sustained requests per second per client.
            burst: Requests a client may send at once after being idle.
            clock: Monotonic seconds.
            max_clients: Buckets kept; the oldest idle ones are forgotten beyond this (a full
                bucket is the same as no bucket, so forgetting never lets more through).
        """
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max = max_clients
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> float:
        """Take one request's token for ``key``.

        Returns:
            0.0 when allowed, else the seconds until a token is available.
        """
        now = self._clock()
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            bucket = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        self._buckets[key] = bucket  # re-inserted: dict order is least recently used first
        if len(self._buckets) > self._max:
            del self._buckets[next(iter(self._buckets))]
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate
