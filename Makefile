# Troupe front door. `make run` and `make test` work on a fresh Debian 12 machine as root.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CONFIG ?= config/paper.yaml
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test bench check format clean

all: build

deps:
	@tools/install-deps

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/bin/troupe-node --config $(CONFIG)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

bench: build
	tools/run-benchmarks $(BUILD_DIR)

check: deps configure
	tools/check $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
