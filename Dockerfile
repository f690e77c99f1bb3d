# syntax=docker/dockerfile:1
# Quota Coach: wheels are built in one stage, installed into a slim runtime that runs as a non-root user.
# The same steps run without Docker in tests/test_image_steps.py (wheel -> fresh venv -> migrate, no-token exit).

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, so a code change does not rebuild them: the project's metadata is enough for them.
COPY pyproject.toml README.md ./
RUN mkdir bot && touch bot/__init__.py && pip wheel --wheel-dir /wheels . && rm /wheels/quota_coach-*.whl
COPY bot bot
RUN pip wheel --no-deps --wheel-dir /wheels .
# The catalogs sit beside the package (bot/i18n.py reads <site-packages>/locales); carried with the wheels.
COPY locales /wheels/locales

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv /opt/venv \
    && pip install --no-index --find-links=/wheels quota-coach \
    && cp -r /wheels/locales "$(python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/locales" \
    && useradd --create-home --uid 10001 coach \
    && mkdir -p /app/data && chown coach /app/data
WORKDIR /app
USER coach
VOLUME ["/app/data"]
# /readyz on WEBHOOK_PORT (webhook mode) or HEALTH_PORT (polling): database, migrations, dispatcher, inbox lag.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot.healthcheck"]
ENTRYPOINT ["python", "-m", "bot"]
# `run` is Telegram only: without TELEGRAM_BOT_TOKEN it exits 2 with one line (the local shell is
# `docker run -it IMAGE shell`). It applies migrations at start too; compose runs `migrate` first.
CMD ["run"]
