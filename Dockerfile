# syntax=docker/dockerfile:1
# SIGAP container image: the same processes as the systemd units (docs/deploy.md).
#   web:    gunicorn -c /app/deploy/gunicorn.conf.py sigap.config.wsgi:application (default)
#   worker: celery -A sigap.config.celery worker --loglevel INFO
#   beat:   celery -A sigap.config.celery beat --loglevel INFO --schedule /var/lib/sigap/celerybeat-schedule
# compose.yaml runs them with PostgreSQL, Redis and nginx.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: the virtual environment from the hash-checked lock ----------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
# every dependency pinned and checked against its sha256 in the lock; nothing else resolved
RUN /opt/venv/bin/pip install --require-hashes --no-deps --only-binary=:all: \
        -r /tmp/requirements.lock
COPY pyproject.toml README.md /src/
COPY src /src/src
# the project itself (no dependencies: they all came from the lock above)
RUN /opt/venv/bin/pip install --no-deps /src && rm -rf /src

# --- runtime --------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SIGAP_PROFILE=production \
    SIGAP_HOME=/app \
    SIGAP_VAR_DIR=/var/lib/sigap \
    MEDIA_ROOT=/var/lib/sigap/media \
    STATIC_ROOT=/app/static \
    LOG_FORMAT=json \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 sigap \
    && useradd --system --uid 10001 --gid sigap --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin sigap
COPY --from=build /opt/venv /opt/venv
COPY deploy/gunicorn.conf.py deploy/healthcheck.py /app/deploy/
# static files collected into the image (the manifest the pages link to); the key is only
# for this build step, the running container must be given its own SECRET_KEY
RUN SECRET_KEY=collectstatic-only-build-key-never-used-at-run-time-0000 \
        sigap collectstatic --noinput -v 0 \
    && mkdir -p /var/lib/sigap/media /srv/static \
    && chown -R sigap:sigap /var/lib/sigap /srv/static
WORKDIR /app
USER sigap:sigap
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py", "/healthz"]
CMD ["gunicorn", "--config", "/app/deploy/gunicorn.conf.py", "sigap.config.wsgi:application"]
