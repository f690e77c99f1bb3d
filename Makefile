# Two commands do all set-up on a fresh machine:  make run  (chat with the bot)  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run shell test lint format i18n migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## The bot: on Telegram with TELEGRAM_BOT_TOKEN, else the local shell chat on SQLite
	$(BIN)/python -m bot

shell: $(STAMP)
	$(BIN)/python -m bot shell

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

test: $(STAMP)  ## The whole suite; TEST_DATABASE_URL=postgresql+asyncpg://... runs it on PostgreSQL
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy bot

format: $(STAMP)
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

i18n: $(STAMP)  ## Re-extract messages into locales/ after adding or changing a user-facing string (keywords: babel.cfg)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project "Quota Coach" -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
