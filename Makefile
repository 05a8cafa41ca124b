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
