"""gunicorn settings for SIGAP (`gunicorn -c deploy/gunicorn.conf.py sigap.config.wsgi`).

Every value can be changed from the environment (the systemd EnvironmentFile or the
container's environment) without editing this file:

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2 x cores + 1), GUNICORN_THREADS (1),
GUNICORN_TIMEOUT (60 s), GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_KEEPALIVE (5 s),
GUNICORN_MAX_REQUESTS (2000, with up to 10 % jitter), GUNICORN_ACCESSLOG ("-": stdout).

The access log is one JSON object per request with the request id that nginx generated
($request_id, passed as X-Request-ID and echoed by the app), so a line here, the app's
own log line and nginx's access log line can be joined.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# sync workers: nginx buffers whole requests and responses, so a slow client never holds
# a worker; the work is CPU and database bound, hence about two per core.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # on TERM/HUP: finish requests
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# recycle workers now and then (bounded memory), not all at once
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(1, max_requests // 10))
# only these peers may set X-Forwarded-Proto for gunicorn itself (nginx on this host)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# heartbeat files in memory, not on a disk that may block (containers: /dev/shm)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
limit_request_line = 8190
limit_request_fields = 100
proc_name = "sigap-web"
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
capture_output = False


class JsonAccessLogger(Logger):
    """gunicorn's logger with the access log written as JSON lines (error log unchanged)."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i") or "-",
            "remote": atoms.get("h"),
            "forwarded_for": atoms.get("{x-forwarded-for}i"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q") or "",
            "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
            "bytes": atoms.get("B"),
            "duration_ms": round(atoms["D"] / 1000, 1),
            "user_agent": atoms.get("a"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))
        except Exception:
            self.exception("access log line could not be written")


logger_class = JsonAccessLogger
