"""What the load generator measures: each request's kind, latency, time and error."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    at: float
    error: str | None


class Recorder:
    """Every request's kind, latency, time and error, from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []

    def add(self, kind: str, seconds: float, at: float, error: str | None) -> None:
        with self._lock:
            self.samples.append(Sample(kind, seconds, at, error))

    def between(self, start: float, end: float) -> list[Sample]:
        with self._lock:
            return [s for s in self.samples if start <= s.at <= end]


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def latency(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": ms(percentile(values, 50)),
        "p95_ms": ms(percentile(values, 95)),
        "max_ms": ms(max(values, default=None)),
    }
