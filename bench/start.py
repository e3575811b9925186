"""Bench: how soon `zmot serve` answers after it is started.

Measures, from the moment the process is spawned: the first 200 from /healthz (goal: within 1 s), and
the first that says `"workers": "ready"`. Beside them, in the same run, the floor: how long
`python -c "import aiohttp"` takes to start and end (no server can answer sooner than it can import its
HTTP library), so that a busy machine's numbers can be read as a ratio.
    python bench/start.py [--runs 5] [--command "python -m server"]
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.0
POLL_S = 0.005
READY_POLL_S = 0.1  # once it answers: asking every 5 ms would slow down the warm-up it waits for
READY_WAIT_S = 180.0  # the workers load the language model: on a busy machine that takes a while


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def floor_s() -> float:
    """Seconds for a Python process that imports aiohttp and ends."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import aiohttp"], check=True)
    return time.perf_counter() - started


def health(base: str) -> dict | None:
    """/healthz's answer, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
            return json.load(response) if response.status == 200 else None
    except (OSError, urllib.error.URLError, ValueError):
        return None


def one_start(command: list[str], home: Path) -> tuple[float, float]:
    """(seconds to the first 200 from /healthz, seconds to workers ready, inf if never) of one `serve`."""
    port = free_port()
    config = home / "zmot.toml"
    config.write_text(
        f'[server]\nport = {port}\npairing = false\n[store]\npath = "{home / "start.sqlite3"}"\n'
        '[search]\nprovider = "none"\n'
    )
    base = f"http://127.0.0.1:{port}"
    with (home / "serve.log").open("w") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "serve", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT, cwd=home
        )
        try:
            first = ready = None
            while ready is None:
                waited = time.perf_counter() - started
                if first is not None and waited > READY_WAIT_S:
                    return first, float("inf")
                if process.poll() is not None or waited > READY_WAIT_S:
                    tail = "".join((home / "serve.log").read_text().splitlines(keepends=True)[-20:])
                    raise RuntimeError(f"serve did not start:\n{tail}")
                answer = health(base)
                if answer is not None:
                    now = time.perf_counter() - started
                    first = first if first is not None else now
                    if answer.get("workers", "ready") == "ready":
                        ready = now
                time.sleep(POLL_S if first is None else READY_POLL_S)
            return first, ready
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    zmot = shutil.which("zmot")
    default = zmot if zmot else f"{sys.executable} -m server"
    parser.add_argument("--command", default=default, help=f"the zmot command (default: {default})")
    args = parser.parse_args()
    command = shlex.split(args.command)
    rows = []
    for _ in range(args.runs):
        floor = floor_s()
        with tempfile.TemporaryDirectory() as tmp:
            first, ready = one_start(command, Path(tmp))
        rows.append((floor, first, ready))
    floor, first, ready = (statistics.median(column) for column in zip(*rows, strict=True))
    print(f"start of `{args.command} serve`, {args.runs} runs (medians):")
    print(f"  floor: python -c 'import aiohttp'   {floor * 1000:7.0f} ms")
    each = ", ".join(f"{r[1] * 1000:.0f}" for r in rows)
    verdict = "met" if first <= GOAL_S else "MISSED"
    print(f"  first 200 from /healthz            {first * 1000:7.0f} ms   (runs: {each})")
    print(f"  goal: first 200 <= {GOAL_S:g} s                     {verdict}")
    print(f"  /healthz over the floor                {first / floor:7.2f} x")
    print(f"  workers ready                      {ready * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
