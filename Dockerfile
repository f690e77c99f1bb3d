# Quota Coach: slim Python, non-root, migrations then the bot.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 coach
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY bot/__init__.py bot/__init__.py
RUN pip install .

COPY bot bot
COPY locales locales
COPY alembic.ini ./
RUN pip install --no-deps -e . && mkdir -p /app/data && chown coach /app/data

USER coach
VOLUME ["/app/data"]
# `migrate` applies migrations and exits; the bot also applies them at start, so the run alone is enough.
CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
