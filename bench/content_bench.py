"""Benchmark the content package: offline synthesis, no-change speech rebuild, bundle, load.

Run: .venv/bin/python bench/content_bench.py
Each line prints a time and a ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from content import loader
from content.bundle import build_bundle
from content.loader import CONTENT_DIR, load_catalog
from content.speech import (
    AudioCache,
    OfflineEngine,
    Utterance,
    build_speech,
    cache_key,
    utterances,
)

SENTENCES_PER_LANGUAGE = 5
#: a stand-in clip for the no-change and bundle runs: about one OGG sentence
CLIP_BYTES = 20_000


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """The median wall time of ``action`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds_of(path: Path) -> float:
    """The duration of an audio file, as soxi reads it."""
    out = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def synthesis(language: str, items: list[Utterance], scratch: Path) -> None:
    """Print the median synthesis time per sentence and the real-time factor."""
    engine = OfflineEngine()
    engine.synthesise(items[0], scratch / "warm-up.ogg")  # dictionary and voice load once
    costs, durations = [], []
    for n, utterance in enumerate(items):
        target = scratch / f"{language}-{n}{engine.extension(language)}"
        costs.append(timed(lambda u=utterance, t=target: engine.synthesise(u, t)))
        durations.append(seconds_of(target))
    cost, audio = statistics.median(costs), statistics.median(durations)
    print(
        f"offline synthesis {language:8} median {cost * 1000:6.0f} ms per sentence "
        f"for {audio:4.1f} s of audio: real-time factor {cost / audio:.3f}"
    )


def fill_cache(cache: AudioCache, items: list[Utterance]) -> None:
    """Put a stand-in clip for every utterance in the cache, as a finished run would."""
    engine = OfflineEngine()
    cache.ensure_writable()
    for utterance in items:
        path = cache.file_for(utterance, engine)
        path.write_bytes(os.urandom(CLIP_BYTES))
        cache.record(utterance, engine, path)
    cache.save()


def main() -> None:
    """Run every measurement on the shipped content and print one line each."""
    catalog = load_catalog(CONTENT_DIR)
    every = utterances(catalog)
    print(
        f"content: {len(catalog.guides)} guides, {len(catalog.lessons)} lessons, "
        f"{len(catalog.faq)} FAQ topics; {len(every)} clips to speak (all languages, 2 speeds)"
    )

    files = [p for paths in loader.section_files(CONTENT_DIR).values() for p in paths]
    read_only = timed(lambda: [p.read_bytes() for p in files], repeat=5)
    cold = timed(lambda: (loader.forget_parsed(), load_catalog(CONTENT_DIR)), repeat=5)
    warm = timed(lambda: load_catalog(CONTENT_DIR), repeat=5)
    print(
        f"load catalog: cold {cold * 1000:.1f} ms ({cold / read_only:.0f}x reading the bytes), "
        f"warm {warm * 1000:.1f} ms ({cold / warm:.0f}x faster than cold)"
    )

    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        for language in ("ja", "ja-easy", "en", "zh-Hans", "ko"):
            items = [u for u in every if u.language == language and u.speed == "normal"]
            if items:
                synthesis(language, items[:SENTENCES_PER_LANGUAGE], scratch)

        cache = AudioCache.open(scratch / "audio")
        fill_cache(cache, every)

        def rebuild() -> None:
            report = build_speech(every, AudioCache.open(cache.root), "auto", progress=False)
            assert report.synthesised == 0 and report.cached == len(every)

        def hash_texts() -> None:
            for u in every:
                cache_key(u.text, u.language, "offline", "v", u.speed)

        rebuild_time = timed(rebuild, repeat=3)
        hash_time = timed(hash_texts, repeat=3)
        print(
            f"no-change speech rebuild: {rebuild_time * 1000:.0f} ms for {len(every)} clips, "
            f"{rebuild_time / hash_time:.1f}x just hashing the texts ({hash_time * 1000:.1f} ms)"
        )

        out = scratch / "bundles"
        bundle_time = timed(lambda: build_bundle(catalog, AudioCache.open(cache.root), out), 3)
        archive = next(out.glob("*.zip"))
        payload = [p.read_bytes() for p in cache.root.iterdir()] + [p.read_bytes() for p in files]
        sha_time = timed(lambda: [hashlib.sha256(b).digest() for b in payload], repeat=3)
        print(
            f"bundle build: {bundle_time * 1000:.0f} ms, {archive.stat().st_size / 1e6:.1f} MB "
            f"with {CLIP_BYTES // 1000} kB stand-in clips; "
            f"{bundle_time / sha_time:.1f}x only sha256 of the same bytes"
        )


if __name__ == "__main__":
    main()
