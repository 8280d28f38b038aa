# The few verbs a newcomer needs. `make run` and `make test` set up everything themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Tests run with production-like settings (DEBUG off); these two make that possible locally.
TEST_KEY := ZGV2LW9ubHktaW5zZWN1cmUtZmllbGQta2V5LTAwMDE=
TEST_ENV := SECRET_KEY=test-only-not-secret SECURE_SSL_REDIRECT=0 DEBUG=0 FIELD_ENCRYPTION_KEYS=$(TEST_KEY)
# Production-like settings for `manage.py check --deploy` (HTTPS, secure cookies, HSTS).
DEPLOY_ENV := SECRET_KEY=deploy-check-only-$(shell printf '%064d' 0) DEBUG=0 \
	SECURE_SSL_REDIRECT=1 ALLOWED_HOSTS=pmw.example.nl FIELD_ENCRYPTION_KEYS=$(TEST_KEY)

.PHONY: bench run test test-browser browser-tools lint audit deploy-check format messages makemessages migrate worker clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

# Compiled translations are build output, not source: made from locale/*/django.po.
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@# No locale/ yet (no translation made): nothing to compile, and compilemessages would fail.
	@if [ -d locale ]; then DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

makemessages: $(BIN)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete

# What the browser tests need: Debian's Chromium (a Playwright browser download does not
# work everywhere), Java for the Nu Html Checker, and axe-core + vnu-jar from npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: node_modules/.installed
	@test -x /usr/bin/chromium && command -v java >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq chromium default-jre-headless >/dev/null)

var/celery:
	mkdir -p var/celery/queue var/celery/processed var/celery/control

migrate: $(BIN)/.installed messages var/celery
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

# The app on the embedded default: SQLite, kombu's filesystem broker, demo data, and a Celery
# worker with beat beside the web server (stopped again when the server stops).
run: migrate
	@DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	@DEBUG=1 $(BIN)/celery -A pmw worker --beat --loglevel=INFO --concurrency=1 \
		--logfile=var/celery/worker.log & celery_pid=$$!; \
	trap 'kill $$celery_pid 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: migrate
	DEBUG=1 $(BIN)/celery -A pmw worker --beat --loglevel=INFO --concurrency=1

lint: $(BIN)/.installed audit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

# Known vulnerabilities in the dependencies; fails soft only on a network error (says so).
audit: $(BIN)/.installed
	@BIN=$(BIN) scripts/pip_audit.sh

# Production settings must pass Django's deployment checklist without a single warning.
deploy-check: $(BIN)/.installed
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite: lint, migrations in step with the models, then every test.
test: lint deploy-check messages var/celery browser-tools
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	@# pytest exits 5 when it collected no test: say so, and fail.
	@$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest ran no tests" >&2; fi; exit $$rc

# National-size data in the local PostgreSQL (made once, then reused), every page measured
# through gunicorn against its SQL floor, and a load run. See the README for the latest table.
bench: $(BIN)/.installed messages
	$(BIN)/python bench/run.py

# Only the end-to-end journeys; screenshots land in test-artifacts/screenshots/.
test-browser:
	$(MAKE) test PYTEST_ARGS="-m browser -s"

clean:
	rm -rf $(VENV) var
