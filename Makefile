# The two commands (README.md): `make run` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
PORT ?= 8080
DB ?= accompany.db

.PHONY: run test test-asan fuzz bench soak deps build clean

deps:
	@scripts/install-deps

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)
	@cd web && npm run --silent build

# Creates (or migrates) the database, fills an empty one with synthetic children, prints demo
# logins, then serves on http://localhost:$(PORT).
run: build
	@$(BUILD_DIR)/src/accompany init --db $(DB)
	@$(BUILD_DIR)/src/accompany demo --db $(DB)
	@echo "Open http://localhost:$(PORT) and log in with a demo login above (Ctrl-C stops the server)."
	@$(BUILD_DIR)/src/accompany serve --db $(DB) --address 0.0.0.0 --port $(PORT) --web-root web/dist

# Every test: unit, store contract on SQLite and on a throwaway PostgreSQL, CLI integration.
test: build
	@ctest --preset $(PRESET)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer (CI runs this too).
test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@ctest --preset asan

# libFuzzer targets (clang) for a bounded time each; see docs/fuzzing.md.
FUZZ_SECONDS ?= 20
fuzz: deps
	@scripts/run-fuzzers $(FUZZ_SECONDS)

# Every bench/*.sh beside its baseline, one table, JSON in bench/results/ (bench/README.md).
SCALE ?= small
bench: deps
	@SCALE=$(SCALE) bench/run.sh

clean:
	rm -rf build
