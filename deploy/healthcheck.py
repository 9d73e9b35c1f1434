"""Container HEALTHCHECK: GET /healthz on the local gunicorn as nginx would send it.

The production profile redirects plain HTTP and checks the Host header, so the probe
sends X-Forwarded-Proto: https and the first of ALLOWED_HOSTS. Exit 0 when it answers 200.
"""

from __future__ import annotations

import http.client
import os
import sys


def main() -> int:
    bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")[0]
    port = int(bind.rsplit(":", 1)[1])
    host = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    host = host if host and host != "*" else "localhost"
    path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
