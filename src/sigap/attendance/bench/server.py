"""gunicorn for the bench: start it on the bench database, wait until it answers, stop it."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sigap.attendance.bench.environment import children_of


@dataclass(frozen=True)
class ServerConfig:
    port: int
    workers: int
    threads: int  # 1: gunicorn's sync worker; more: the gthread worker
    timeout: int = 60

    @property
    def worker_class(self) -> str:
        return "sync" if self.threads <= 1 else "gthread"

    def describe(self) -> str:
        if self.threads <= 1:
            return f"gunicorn {self.workers} sync workers"
        return f"gunicorn {self.workers} gthread workers x {self.threads} threads"

    def argv(self) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "sigap.config.wsgi:application",
            "-b",
            f"127.0.0.1:{self.port}",
            "-w",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        if self.threads > 1:
            args += ["--threads", str(self.threads)]
        return args


class Server:
    def __init__(self, config: ServerConfig, env: dict[str, str], log_path: Path) -> None:
        self.config = config
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            self.config.argv(),
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches us; we stop gunicorn ourselves
        )

    def wait_ready(self, timeout: float = 60, *, prime_token: str = "") -> None:
        """Until every worker has booted and the app answers (any HTTP status); then
        primes the workers, with an authenticated GET /api/v1/me when given a token."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            if self._answers() and len(self.worker_pids()) >= self.config.workers:
                self._prime(token=prime_token)
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def _prime(self, rounds: int = 3, token: str = "") -> None:
        """Concurrent requests, as many as the server's slots, a few times: every worker
        then has imported its URLconf, views and cache client (about 2.5 s of CPU each
        on first use), which would otherwise land in the measured window."""
        slots = self.config.workers * self.config.threads
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for _ in range(rounds):
            threads = [
                threading.Thread(target=self._answers, kwargs={"headers": headers})
                for _ in range(slots)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def _answers(self, headers: dict[str, str] | None = None) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.config.port, timeout=30)
        try:
            conn.request("GET", "/api/v1/me", headers=headers or {})
            conn.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            conn.close()

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return children_of(self.process.pid)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)  # the master and its workers
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])
