"""A small load generator for the benchmark: gunicorn as in docker compose (2 workers here),
on loopback, and threads that request one page back to back for a fixed time.

Requests go out with the session cookie of a user logged in through Django's test client
(sessions live in the database, so the gunicorn workers read the same session).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn bwise.wsgi with ``workers`` processes on a free loopback port."""

    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.process = None

    def __enter__(self) -> Gunicorn:
        # As in production: the pages name their static files through collectstatic's manifest.
        subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
        )
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "bwise.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # Other gunicorns on the machine own the default control socket.
            "--no-control-socket",
        ]
        environment = {**os.environ, "DEBUG": "0"}
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.base}/health/", timeout=2)
                return self
            except requests.RequestException:  # not listening yet, or the workers still booting
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def load(url: str, cookies: dict, *, seconds: float = 30, concurrency: int = 8) -> dict:
    """Requests per second and latency (median, p95, ms) of ``concurrency`` threads each
    requesting ``url`` back to back for ``seconds``; failures are counted, not timed."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run():
        session = requests.Session()
        session.cookies.update(cookies)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                ok = session.get(url, timeout=60, allow_redirects=False).status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "failures": failures[0],
        "per_second": len(latencies) / elapsed,
        "median": statistics.median(ordered) if ordered else None,
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else None,
    }
