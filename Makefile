# needle — top-level convenience targets. The real build is CMake.
#   make run      install missing packages, build, run the default full-face simulation
#   make test     the same set-up, then the whole test suite (plain and ASan+UBSan builds)
#   make bench    throughput benchmarks
#   make install PREFIX=/usr/local

BUILD     ?= build
SAN_BUILD ?= build-san
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps build run test test-plain test-san bench install format clean

all: build

deps:
	@scripts/install-deps.sh

test-deps: deps
	@scripts/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DND_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@./$(BUILD)/needle simulate --out out/default

test: test-deps test-plain test-san

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-san: test-deps
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DND_WERROR=ON -DND_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

bench: build
	@./$(BUILD)/nd_bench
	@./$(BUILD)/nd_bench_tissue
	@./$(BUILD)/nd_bench_plan

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD) $(SAN_BUILD)
