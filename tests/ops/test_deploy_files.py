"""The deployment recipe (deploy/, Dockerfile, compose.yaml) matches the code it runs:
commands and modules exist, nginx lets the largest upload through, the image installs the
hash-checked lock and runs as non-root, compose has every service (issue 10)."""

from __future__ import annotations

import datetime as dt
import importlib
import ipaddress
import json
import logging
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.ops.yaml_subset import yaml_load

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_DIR = "/srv/sigap"  # where docs/deploy.md installs the checkout and its .venv
NGINX = (DEPLOY / "nginx" / "sigap.conf").read_text()
MB = 1024 * 1024


def _unit(name: str) -> dict[str, list[str]]:
    """A systemd unit as {key: [values]} (keys repeat; sections are not needed here)."""
    entries: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def _upload_limits() -> dict[str, int]:
    """Every `MAX_*BYTES = N * 1024 * 1024` in the code (selfies, face photos, attachments,
    evidence, and whatever is added later), plus Django's limit for the non-file body."""
    pattern = re.compile(r"^(MAX_\w*BYTES)\s*=\s*(\d+)\s*\*\s*1024\s*\*\s*1024", re.M)
    limits = {}
    for path in (ROOT / "src" / "sigap").rglob("*.py"):
        for name, megabytes in pattern.findall(path.read_text()):
            limits[f"{path.relative_to(ROOT)}:{name}"] = int(megabytes) * MB
    limits["DATA_UPLOAD_MAX_MEMORY_SIZE"] = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limits


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": MB, "g": 1024 * MB}[unit.lower()]


# --- systemd ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "program", "expected"),
    [
        ("sigap-web.service", "gunicorn", "sigap.config.wsgi:application"),
        ("sigap-worker.service", "celery", "worker"),
        ("sigap-beat.service", "celery", "beat"),
    ],
)
def test_units_run_commands_and_modules_that_exist(unit, program, expected) -> None:
    entries = _unit(unit)
    (command,) = entries["ExecStart"]
    argv = command.split()
    assert argv[0] == f"{INSTALL_DIR}/.venv/bin/{program}"
    assert (Path(sys.executable).parent / program).exists(), f"{program} is not installed"
    assert expected in argv
    if program == "gunicorn":
        module, _, attribute = expected.partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
        config = argv[argv.index("--config") + 1]
        assert config.startswith(f"{INSTALL_DIR}/")
        assert (ROOT / config.removeprefix(f"{INSTALL_DIR}/")).is_file()
    else:
        app = argv[argv.index("-A") + 1]
        assert importlib.import_module(app).app.main == "sigap"
    assert entries["EnvironmentFile"] == ["/etc/sigap/sigap.env"]
    assert entries["User"] == ["sigap"]
    assert entries["WantedBy"] == ["sigap.target"]
    assert entries["Restart"] == ["on-failure"]


def test_the_target_starts_all_three() -> None:
    wants = " ".join(_unit("sigap.target")["Wants"]).split()
    assert sorted(wants) == ["sigap-beat.service", "sigap-web.service", "sigap-worker.service"]


def test_systemd_accepts_the_units(tmp_path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv = str(Path(sys.executable).parent.parent)
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(f"{INSTALL_DIR}/.venv", venv)
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- the environment file ----------------------------------------------------------------


def test_the_environment_template_names_real_settings() -> None:
    names = {
        line.partition("=")[0]
        for line in (DEPLOY / "sigap.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    read_by_app = set(
        re.findall(r'env_\w+\("([A-Z_]+)"', (ROOT / "src/sigap/config/settings.py").read_text())
    )
    read_by_gunicorn = set(
        re.findall(r'"(GUNICORN_[A-Z_]+)"', (DEPLOY / "gunicorn.conf.py").read_text())
    )
    assert names - read_by_app - read_by_gunicorn == set()
    required = {"SIGAP_PROFILE", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    required |= {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT", "LOG_FORMAT"}
    required |= {"SIGAP_TRUSTED_PROXIES", "SIGAP_SLOW_REQUEST_MS"}
    assert required <= names


# --- gunicorn ----------------------------------------------------------------------------


def _gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for key in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_TIMEOUT", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_settings_scale_and_recycle_workers(monkeypatch) -> None:
    conf = _gunicorn_settings(monkeypatch)
    assert conf["workers"] == os.cpu_count() * 2 + 1
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["timeout"] == 60 and conf["graceful_timeout"] == 30
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    changed = _gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="0.0.0.0:8000")
    assert changed["workers"] == 3 and changed["bind"] == ["0.0.0.0:8000"]
    # nginx waits a little longer than gunicorn lets a worker run
    read_timeout = re.search(r"proxy_read_timeout\s+(\d+)s;", NGINX)
    assert int(read_timeout.group(1)) > conf["timeout"]


def test_gunicorn_access_log_is_json_with_the_request_id(tmp_path, monkeypatch) -> None:
    from gunicorn.config import Config

    conf = _gunicorn_settings(monkeypatch)
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = conf["logger_class"](config)
    response = SimpleNamespace(
        status="200 OK", headers=[("X-Request-ID", "0123456789abcdef")], sent=16
    )
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "198.51.100.7")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/healthz?x=1",
        "PATH_INFO": "/healthz",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'agent "quoted"',
    }
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = json.loads((tmp_path / "access.log").read_text().splitlines()[-1])
    assert line["request_id"] == "0123456789abcdef"
    assert line["status"] == 200 and line["path"] == "/healthz" and line["query"] == "x=1"
    assert line["forwarded_for"] == "198.51.100.7" and line["user_agent"] == 'agent "quoted"'
    assert line["duration_ms"] == 12.0
    logging.getLogger("gunicorn.access").handlers.clear()


# --- nginx -------------------------------------------------------------------------------


def test_nginx_lets_the_largest_upload_through_and_no_more() -> None:
    (value,) = re.findall(r"client_max_body_size\s+(\w+);", NGINX)
    limit = _nginx_size(value)
    uploads = _upload_limits()
    assert any("selfie" in name for name in uploads), uploads
    largest_file = max(v for k, v in uploads.items() if k != "DATA_UPLOAD_MAX_MEMORY_SIZE")
    # the largest file with its multipart framing and form fields fits
    assert limit >= largest_file + 256 * 1024, (limit, uploads)
    assert limit >= uploads["DATA_UPLOAD_MAX_MEMORY_SIZE"]
    # and nginx refuses what the app would refuse anyway (413 before reading the body)
    app_limit = getattr(settings, "SIGAP_MAX_REQUEST_BYTES", limit)
    assert limit == app_limit, (limit, app_limit)


def test_nginx_passes_the_proxy_headers_and_serves_static_files() -> None:
    for header, value in [
        ("Host", "$host"),
        ("X-Forwarded-Proto", "$scheme"),
        ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
        ("X-Request-ID", "$request_id"),
    ]:
        assert re.search(rf"proxy_set_header\s+{header}\s+\{value};", NGINX), header
    assert "return 301 https://$host$request_uri;" in NGINX
    assert re.search(r"listen 443 ssl", NGINX) and "ssl_certificate_key" in NGINX
    env = (DEPLOY / "sigap.env.example").read_text()
    static_root = re.search(r"^STATIC_ROOT=(.+)$", env, re.M).group(1)
    assert f"alias {static_root}/;" in NGINX
    for probe in ("/healthz", "/readyz"):
        assert re.search(rf"location = {probe} \{{[^}}]*proxy_pass http://sigap_app;", NGINX)
    assert "client_body_timeout" in NGINX and "proxy_next_upstream off;" in NGINX


def test_nginx_accepts_the_site(tmp_path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed")
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=sigap.example.go.id", "-keyout", str(tls / "privkey.pem"),
         "-out", str(tls / "fullchain.pem")],
        capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    (tmp_path / "upstream.conf").write_text((DEPLOY / "nginx" / "upstream.conf").read_text())
    site = (
        NGINX.replace("/etc/nginx/sigap/upstream.conf", str(tmp_path / "upstream.conf"))
        .replace("/etc/sigap/tls", str(tls))
        .replace("/var/log/nginx", str(tmp_path))
    )
    (tmp_path / "sigap.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {tmp_path}/access.log;\n"
        f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" include {tmp_path}/sigap.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# --- the container recipe -----------------------------------------------------------------


def test_the_image_installs_the_hashed_lock_and_runs_as_non_root() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", dockerfile, re.M)
    assert len(stages) >= 2, "multi-stage build"
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm$", dockerfile, re.M)
    install = re.search(r"pip install --require-hashes[^\n]*\\\n\s*-r (\S+)", dockerfile)
    assert install and install.group(1) == "/tmp/requirements.lock"
    assert "COPY requirements.lock /tmp/requirements.lock" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert "collectstatic" in dockerfile
    assert re.search(r"HEALTHCHECK .*\n\s*CMD .*healthcheck\.py\", \"/healthz\"", dockerfile)
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored and "var" in ignored


def test_compose_has_every_service_and_runs_migrations_first() -> None:
    compose = yaml_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"}
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "sigap migrate --noinput" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["environment"]["SIGAP_PROFILE"] == "production"
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "sigap.config.celery", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "sigap.config.celery", "beat"]
    assert set(compose["volumes"]) >= {"media", "static", "pgdata"}
    assert "media:/var/lib/sigap/media" in services["web"]["volumes"]
    assert "static:/var/lib/sigap/static:ro" in services["nginx"]["volumes"]
    for mount in services["nginx"]["volumes"]:
        if mount.startswith("./deploy/nginx/"):
            assert (ROOT / mount.split(":")[0]).is_file(), mount
    # the app believes X-Forwarded-For only from the nginx container
    nginx_ip = services["nginx"]["networks"]["sigap"]["ipv4_address"]
    trusted = services["web"]["environment"]["SIGAP_TRUSTED_PROXIES"]
    assert ipaddress.ip_address(nginx_ip) in ipaddress.ip_network(trusted)


def test_compose_config_is_valid_for_docker_when_installed(tmp_path) -> None:
    env = {**os.environ, "SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "p", "SIGAP_HOST": "h"}
    docker, compose_v1 = shutil.which("docker"), shutil.which("docker-compose")
    has_plugin = docker is not None and (
        subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode
        == 0
    )
    if has_plugin:
        command = [docker, "compose", "-f", str(ROOT / "compose.yaml"), "config", "-q"]
    elif compose_v1 is not None:
        # compose v1 does not know the top-level `name:`; everything else must pass
        text = re.sub(r"^name: .*\n", "", (ROOT / "compose.yaml").read_text(), flags=re.M)
        (tmp_path / "compose.yaml").write_text(text)
        command = [compose_v1, "-f", str(tmp_path / "compose.yaml"),
                   "--project-directory", str(ROOT), "config", "-q"]  # fmt: skip
    else:
        pytest.skip("neither docker compose nor docker-compose is installed")
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


def test_production_static_files_collect(tmp_path) -> None:
    """`sigap collectstatic` with the manifest storage (what the image build runs) works:
    every file the static files reference exists."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DJANGO_"))} | {
        "SIGAP_PROFILE": "production",
        "SECRET_KEY": "collectstatic-only-build-key-never-used-at-run-time-0000",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SIGAP_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "sigap.manage", "collectstatic", "--noinput", "-v", "0"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert manifest["paths"], "no static files collected"
