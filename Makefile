# fdyno build entry points. See README.md.
BUILD ?= build
BUILD_TYPE ?= Release
LISTEN ?= 127.0.0.1:8000
DATA_DIR ?= ./fdyno-data
PYTHON ?= /usr/bin/python3
JOBS ?= $(shell nproc)
# ccache keys on paths relative to the checkout, so clones and worktrees share hits.
export CCACHE_BASEDIR ?= $(CURDIR)

.PHONY: all deps configure build run test unit integration bench clean

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

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300

integration: build
	FDYNO_BIN=$(abspath $(BUILD))/fdyno $(PYTHON) -m pytest tests/integration -q -p no:cacheprovider --timeout 300

test: unit integration

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD)
