# fdyno build entry points. See README.md.
BUILD ?= build
BUILD_TYPE ?= Release
LISTEN ?= 127.0.0.1:8000
DATA_DIR ?= ./fdyno-data
PYTHON ?= /usr/bin/python3
JOBS ?= $(shell nproc)
# ccache keys on paths relative to the checkout, so clones and worktrees share hits.
export CCACHE_BASEDIR ?= $(CURDIR)

# The sanitizer build (ASan + UBSan, clang, libFuzzer instrumentation): one
# build directory for the sanitized unit tests, a sanitized fdyno for a short
# integration subset, and the fuzz targets. See docs/reliability.md.
SAN_BUILD ?= build-san
SAN_CXX ?= clang++-14
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_TARGETS ?=
SAN_INTEGRATION ?= tests/integration/test_items.py tests/integration/test_update_item.py tests/integration/test_conditions.py \
	tests/integration/test_batch.py tests/integration/test_partiql.py tests/integration/test_protocol.py
# Halt on the first finding; every UBSan finding is fatal (also -fno-sanitize-recover).
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all deps configure build run run-shared test unit integration bench clean \
	san-build san-unit san-integration fuzz-smoke sanitize fuzz thread-safety

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	@scripts/install-deps.sh
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD)/build.ninja

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/fdyno serve --listen $(LISTEN) --data-dir $(DATA_DIR)

# A private PostgreSQL and three fdyno servers on it (127.0.0.1:8000-8002).
run-shared: build
	FDYNO_BIN=$(abspath $(BUILD))/fdyno scripts/run-shared.sh

# The shared store's tests need a real PostgreSQL: one private cluster per
# target (scripts/with-postgres.sh), not one per test process.
unit: build
	scripts/with-postgres.sh sh -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300'

integration: build
	FDYNO_BIN=$(abspath $(BUILD))/fdyno scripts/with-postgres.sh $(PYTHON) -m pytest tests/integration -q -p no:cacheprovider --timeout 300

# clang's thread-safety analysis over the files annotated with
# common/mutex.h (seconds: syntax only).
thread-safety: build
	scripts/thread-safety.sh $(BUILD)

test: thread-safety unit integration sanitize

$(SAN_BUILD)/build.ninja:
	@scripts/install-deps.sh
	cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_COMPILER=$(SAN_CXX) \
		-DFDYNO_SANITIZE=ON -DFDYNO_FUZZ=ON -DFDYNO_BUILD_BENCH=OFF

san-build: deps $(SAN_BUILD)/build.ninja
	cmake --build $(SAN_BUILD) -j $(JOBS)

san-unit: san-build
	scripts/with-postgres.sh sh -c 'cd $(SAN_BUILD) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) --timeout 600'

# The server writes sanitizer reports to files (its stderr goes to a log the
# tests may never show); any report fails the run, even if every test passed.
san-integration: san-build
	rm -rf $(SAN_BUILD)/san-logs && mkdir -p $(SAN_BUILD)/san-logs
	FDYNO_BIN=$(abspath $(SAN_BUILD))/fdyno scripts/with-postgres.sh env \
		ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:log_path=$(abspath $(SAN_BUILD))/san-logs/asan \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(abspath $(SAN_BUILD))/san-logs/ubsan \
		$(PYTHON) -m pytest $(SAN_INTEGRATION) -q -p no:cacheprovider --timeout 600
	@if [ -n "$$(ls $(SAN_BUILD)/san-logs)" ]; then cat $(SAN_BUILD)/san-logs/*; \
		echo "sanitizer reports from fdyno: $(SAN_BUILD)/san-logs" >&2; exit 1; fi

fuzz-smoke: san-build
	scripts/fuzz.sh smoke $(SAN_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

sanitize: san-unit san-integration fuzz-smoke

# FUZZ_SECONDS per target (default 60); FUZZ_TARGETS="expr http" picks some.
fuzz: san-build
	scripts/fuzz.sh run $(SAN_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
