"""The kiosk under Xvfb: cold start, screen changes, 読み上げ to sound, memory after every guide.

Each figure has a baseline measured in the same run, in the same way:
- cold start: from just before spawning the process to its first frame flipped (the app
  prints a marker from its first ``on_flip``), the kiosk's home screen against an empty
  Kivy app configured the same way (kiosk.cli.configure_kivy), median of a few runs each;
- screen change: home → guides → guide step 1 → home ... in one app, from ``app.show``
  to the next frame flipped (median ms), against redrawing the same screen unchanged;
- (読み上げ tap → first sound is measured by bench/speech_bench.py);
- memory: VmRSS after walking every step of every guide, against the kiosk at its first
  home frame and the empty Kivy app at its first frame.

Both apps run as an installed kiosk does: from bytecode compiled by a first start of
each (into the run's own PYTHONPYCACHEPREFIX), not compiling the sources every time.

Run: .venv/bin/python bench/kiosk_bench.py   (starts xvfb-run itself when DISPLAY is unset)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: a start is half a second; on a shared 2-core VM single starts of either app swing by
#: a third, and with 3 each the ratio's median moved 1.26-1.43x run to run (9 each: 1.04x)
COLD_RUNS = 7
SWITCH_ROUNDS = 15
TAPS = 10
MARK = "KIOSK-BENCH "
#: seconds to wait for a frame that may never be redrawn
FRAME_TIMEOUT = 1.0


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def speech_process_kib(app) -> int:
    """VmRSS of the kiosk's speech process (kiosk.services.speech_process), 0 when none runs."""
    pid = getattr(app.visit_clips.engine, "pid", None)
    try:
        status = Path(f"/proc/{pid}/status").read_text() if pid else ""
    except OSError:
        return 0
    return next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)


def say(**values) -> None:
    print(MARK + json.dumps(values), flush=True)


# -- the child processes ------------------------------------------------------------------
def child_start(kind: str) -> None:
    """An app that says when its first frame is flipped, with its RSS, then quits."""
    from kiosk.cli import configure_kivy

    configure_kivy(screenshot=True)
    from kivy.app import App
    from kivy.core.window import Window

    def first_frame(*_args):
        Window.unbind(on_flip=first_frame)
        say(first_frame=time.time(), rss_kib=rss_kib())
        App.get_running_app().stop()

    if kind == "empty":
        from kivy.uix.widget import Widget

        class EmptyApp(App):
            def build(self):
                return Widget()

            def on_start(self):
                Window.bind(on_flip=first_frame)

        EmptyApp().run()
        return
    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig

    class BenchKiosk(KioskApp):
        def on_start(self):
            super().on_start()
            Window.bind(on_flip=first_frame)

    BenchKiosk(config=KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="kiosk-bench-")))).run()


def child_walk(guide_id: str) -> None:
    """One kiosk: screen changes, then every step of every guide."""
    from kiosk.cli import configure_kivy

    configure_kivy(screenshot=True)
    from kivy.config import Config

    Config.set("graphics", "maxfps", "0")  # frames as fast as they are drawn, not 60 a second
    from kivy.clock import Clock
    from kivy.core.window import Window

    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig

    app = KioskApp(config=KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="kiosk-bench-"))))
    results: dict = {}
    waiting: list = []
    phase = ["start"]

    def flipped(*_args):
        if waiting:
            waiting.pop()(time.perf_counter())

    def run(steps):
        """Advance the generator; it yields 'frame' (resume after the next flip), 'tick' or seconds."""

        def advance(now=None):
            try:
                what = steps.send(now)
            except StopIteration:
                say(**results)
                app.stop()
                return
            if what == "frame":

                def resume(now):
                    advance(now)

                waiting.append(resume)

                def late(_dt, waited=resume):
                    if waiting and waiting[-1] is waited:  # nothing was redrawn: go on anyway
                        waiting.pop()
                        results.setdefault("frames_missed", []).append(phase[0])
                        waited(time.perf_counter())

                Clock.schedule_once(late, FRAME_TIMEOUT)
            else:  # "tick", or seconds to wait
                delay = what if isinstance(what, float) else 0
                Clock.schedule_once(lambda _dt: advance(time.perf_counter()), delay)

        advance()

    def walk():
        for _ in range(10):
            yield "tick"
        results["rss_home_kib"] = rss_kib()
        app.speech = False
        changes, calls, redraws = [], [], []
        route = [("guides", {}), ("guide", {"guide_id": guide_id, "step": 1}), ("home", {})]
        for _ in range(SWITCH_ROUNDS):
            for name, params in route:
                phase[0] = name
                t0 = time.perf_counter()
                app.show(name, remember=False, **params)
                calls.append(time.perf_counter() - t0)
                changes.append((yield "frame") - t0)
                yield "tick"
                t0 = time.perf_counter()  # the same screen drawn again, nothing changed
                app.root.opacity = 0.999 if app.root.opacity == 1 else 1
                phase[0] = "redraw"
                redraws.append((yield "frame") - t0)
                yield "tick"
        results.update(
            change_ms=statistics.median(changes) * 1000,
            show_call_ms=statistics.median(calls) * 1000,
            redraw_ms=statistics.median(redraws) * 1000,
        )
        app.speech = True
        walked = 0
        app.end_visit()  # from home, so that the first guide is a change too
        yield "tick"
        for guide in app.catalog.active_guides:
            phase[0] = "walk-show"
            app.show("guide", guide_id=guide.id, step=1)
            yield "frame"
            phase[0] = "walk-next"
            walked += 1
            for _ in range(len(guide.steps) - 1):
                app.root.get_screen("guide").next_step()
                walked += 1
                yield "frame"
            app.end_visit()
            yield "tick"
        yield 2.0  # at rest, as a kiosk stands between residents (the visit's memory given back)
        results.update(
            rss_walked_kib=rss_kib(),
            guides=len(app.catalog.active_guides),
            steps=walked,
            speech_rss_kib=speech_process_kib(app),
        )

    Window.bind(on_flip=flipped)
    Clock.schedule_once(lambda _dt: run(walk()), 0)
    app.run()


# -- the parent ----------------------------------------------------------------------------
def spawn(args: list[str], env: dict) -> tuple[float, dict]:
    """Seconds from just before the spawn to what the child says, and what it says."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, timeout=300
    )
    said = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not said:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"kiosk bench child {args} failed ({done.returncode})")
    values = json.loads(said[-1][len(MARK) :])
    return values.get("first_frame", started) - started, values


def make_clip(cache_dir: Path) -> str:
    """One sentence (the first guide's first step, ja) spoken offline into a cache; its guide."""
    from content.loader import load_catalog
    from content.speech import AudioCache, OfflineEngine, Utterance

    guide = load_catalog().active_guides[0]
    utterance = Utterance(guide.steps[0].text.get("ja"), "ja")
    cache, engine = AudioCache.open(cache_dir), OfflineEngine()
    cache.ensure_writable()
    path = cache.file_for(utterance, engine)
    engine.synthesise(utterance, path)
    cache.record(utterance, engine, path)
    cache.save()
    return guide.id


def main() -> None:
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            print("kiosk: no DISPLAY and no xvfb-run (apt install xvfb); skipped")
            return
        command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, __file__]
        raise SystemExit(subprocess.call(command))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            SDL_AUDIODRIVER="dummy",
            TSUNAGU_AUDIO_CACHE=str(Path(tmp) / "audio"),
            XDG_DATA_HOME=str(Path(tmp) / "data"),
            KIVY_HOME=str(Path(tmp) / "kivy"),
            # as installed (pip compiles every module): both apps start from bytecode,
            # kept in the run's own folder, even where PYTHONDONTWRITEBYTECODE is set
            PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        guide_id = make_clip(Path(tmp) / "audio")
        for kind in ("empty", "kiosk"):  # warm the disk cache and the bytecode of both
            spawn(["--child", "start", kind], env)
        empty, kiosk, empty_rss, kiosk_rss = [], [], [], []
        for _ in range(COLD_RUNS):
            seconds, said = spawn(["--child", "start", "empty"], env)
            empty.append(seconds)
            empty_rss.append(said["rss_kib"])
            seconds, said = spawn(["--child", "start", "kiosk"], env)
            kiosk.append(seconds)
            kiosk_rss.append(said["rss_kib"])
        _seconds, walk = spawn(["--child", "walk", guide_id], env)
    e, k = statistics.median(empty), statistics.median(kiosk)
    pairs = sorted(b / a for a, b in zip(empty, kiosk, strict=True))
    print(
        f"cold start to first frame: kiosk home {k * 1000:.0f} ms, empty Kivy app {e * 1000:.0f} ms "
        f"(median of {COLD_RUNS}, alternating); ratio {k / e:.2f}x "
        f"(each start against the empty one just before it: {pairs[0]:.2f}-{pairs[-1]:.2f}x)"
    )
    print(
        f"screen change home/guides/guide step ({SWITCH_ROUNDS * 3} changes): median "
        f"{walk['change_ms']:.1f} ms to the frame flipped (app.show itself {walk['show_call_ms']:.1f} ms); "
        f"redrawing the same screen {walk['redraw_ms']:.1f} ms; ratio {walk['change_ms'] / walk['redraw_ms']:.1f}x"
    )
    # 読み上げ tap → sound is measured by bench/speech_bench.py (cached and on the fly)
    if walk.get("frames_missed"):
        print(
            f"note: {len(walk['frames_missed'])} waits saw no new frame within {FRAME_TIMEOUT} s: "
            f"{sorted(set(walk['frames_missed']))}"
        )
    em, km = statistics.median(empty_rss) / 1024, statistics.median(kiosk_rss) / 1024
    walked = walk["rss_walked_kib"] / 1024
    print(
        f"resident memory: {walked:.0f} MiB after every step of every guide ({walk['guides']} guides, "
        f"{walk['steps']} steps); kiosk at first home frame {walk['rss_home_kib'] / 1024:.0f} MiB "
        f"(cold-start runs {km:.0f} MiB); empty Kivy app {em:.0f} MiB; ratio to empty {walked / em:.2f}x"
    )
    print(
        f"  the offline speech engine runs in its own process ({walk['speech_rss_kib'] / 1024:.0f} MiB "
        "after the walk), started for the first clip it must make and gone after 2 minutes idle"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "start":
            child_start(sys.argv[3])
        else:
            child_walk(sys.argv[3])
    else:
        main()
