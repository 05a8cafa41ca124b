# The two commands a new user needs (README.md):
#   make demo   installs what is missing, builds, and runs `scale comment` on samples/sample.py
#   make test   installs what is missing, builds, and runs every test
# `make` alone just builds. Dependencies land in ~/.cache/scale/deps (deps/bootstrap.sh).

BUILD ?= build
DEPS_ENV := $(BUILD)/deps.env
CMAKE_FLAGS ?=

.PHONY: all deps build demo test bench clean
all: build

deps:
	@mkdir -p $(BUILD)
	@deps/bootstrap.sh > $(DEPS_ENV).new
	@cmp -s $(DEPS_ENV).new $(DEPS_ENV) && rm -f $(DEPS_ENV).new || mv $(DEPS_ENV).new $(DEPS_ENV)

$(BUILD)/build.ninja: $(DEPS_ENV) CMakeLists.txt cmake/treesitter.cmake
	@. ./$(DEPS_ENV) && cmake -S . -B $(BUILD) -G Ninja -DSCALE_TS_DIR="$$SCALE_TS_DIR" \
	  -DCMAKE_PREFIX_PATH="$$SCALE_LLAMA_PREFIX" $(CMAKE_FLAGS) > $(BUILD)/configure.log \
	  || { cat $(BUILD)/configure.log; exit 1; }

build: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@cd $(BUILD) && ctest --output-on-failure --no-tests=error -j $$(nproc)

bench: build
	@$(BUILD)/scale bench

clean:
	rm -rf $(BUILD)

# --- robustness (docs/robustness.md): fuzzing and sanitizer builds ------------------------------
#   make fuzz              build-fuzz/ (clang, libFuzzer+ASan+UBSan), each target FUZZ_SECONDS (60)
#   make fuzz-smoke        the same, FUZZ_SMOKE_SECONDS (15) per target: what CI runs
#   make fuzz-run          run only (no build step); FUZZ_TARGETS="python c" picks targets
#   make test-asan         build-asan/ (ASan+UBSan, every target), then the whole ctest suite
#   make test-asan-ci      the same build dir, only the test binaries in ASAN_CI_TESTS (fits CI's budget)
FUZZ_BUILD ?= build-fuzz
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_TARGETS ?= python c javascript languages sanitize gitignore gguf undo_manifest dataset score consistency
ASAN_CI_TESTS ?= util walk engine languages annotate summarize
ASAN_CI_EXCLUDE ?= \.(CommentCliTest|SafetyCliTest|SummarizeE2ETest|SummarizeSafetyTest)\.
SANITIZE ?= address,undefined
fuzz_empty :=
fuzz_space := $(fuzz_empty) $(fuzz_empty)
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp:print_suppressions=0

.PHONY: fuzz-build fuzz fuzz-smoke fuzz-run asan-build test-asan asan-ci-build test-asan-ci

$(FUZZ_BUILD)/build.ninja: $(DEPS_ENV) CMakeLists.txt cmake/treesitter.cmake cmake/fuzz.cmake cmake/sanitizers.cmake
	@mkdir -p $(FUZZ_BUILD)
	@. ./$(DEPS_ENV) && cmake -S . -B $(FUZZ_BUILD) -G Ninja -DSCALE_TS_DIR="$$SCALE_TS_DIR" \
	  -DCMAKE_PREFIX_PATH="$$SCALE_LLAMA_PREFIX" -DSCALE_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ $(CMAKE_FLAGS) > $(FUZZ_BUILD)/configure.log \
	  || { cat $(FUZZ_BUILD)/configure.log; exit 1; }

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	@cmake --build $(FUZZ_BUILD) --target fuzz_all

fuzz: fuzz-build
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-run:
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(ASAN_BUILD)/build.ninja: $(DEPS_ENV) CMakeLists.txt cmake/treesitter.cmake cmake/sanitizers.cmake
	@mkdir -p $(ASAN_BUILD)
	@. ./$(DEPS_ENV) && cmake -S . -B $(ASAN_BUILD) -G Ninja -DSCALE_TS_DIR="$$SCALE_TS_DIR" \
	  -DCMAKE_PREFIX_PATH="$$SCALE_LLAMA_PREFIX" -DSCALE_SANITIZE=$(SANITIZE) $(CMAKE_FLAGS) \
	  > $(ASAN_BUILD)/configure.log || { cat $(ASAN_BUILD)/configure.log; exit 1; }

asan-build: deps $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD)

test-asan: asan-build
	@cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure --no-tests=error -j $$(nproc)

asan-ci-build: deps $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD) --target $(ASAN_CI_TESTS:%=%_tests)

# The subset needs no `scale` binary (building it and every module behind it is most of the ASan
# build), so the suites that run it are left out; make test-asan runs them.
test-asan-ci: asan-ci-build
	@cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure --no-tests=error -j $$(nproc) \
	  -R '^($(subst $(fuzz_space),|,$(strip $(ASAN_CI_TESTS))))\.' -E '$(ASAN_CI_EXCLUDE)'
