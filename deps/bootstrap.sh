#!/usr/bin/env bash
# Installs and builds everything scale needs that the repository does not contain, into a cache
# outside the checkout, and prints the CMake prefix path to use. Safe to run again: each step
# checks a stamp keyed by its pinned versions and does nothing when the stamp matches.
# Two stages, so that a first `make demo` builds only what the demo runs:
#
#   deps/bootstrap.sh            # what building and running `scale` needs: apt packages,
#                                # tree-sitter sources, llama.cpp's libllama + ggml (if no packaged one)
#   deps/bootstrap.sh --tools    # also what the tests and benchmarks need: the language judges,
#                                # clang, pre-commit, and llama.cpp's reference tools (llama-server,
#                                # llama-batched-bench, llama-finetune, ...) in the same prefix's bin/
#   SCALE_DEPS_DIR=/x deps/bootstrap.sh   # another cache location
#   SCALE_SKIP_APT=1             # never call apt-get (the caller promises the packages are there)
#   SCALE_USE_SYSTEM_LLAMA=1     # require a packaged llama.cpp (find_package(llama)) and skip the build
set -euo pipefail

stage=base
case "${1:-}" in
  "") ;;
  --tools) stage=tools ;;
  *) printf 'usage: deps/bootstrap.sh [--tools]\n' >&2; exit 2 ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
deps_dir="${SCALE_DEPS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scale/deps}"
jobs="${SCALE_BUILD_JOBS:-$(nproc)}"
mkdir -p "$deps_dir"

log() { printf '[deps] %s\n' "$*" >&2; }
die() { printf '[deps] error: %s\n' "$*" >&2; exit 3; }

hash_of() { sha256sum | cut -c1-12; }

# --- 1. Debian packages ----------------------------------------------------------------------
# Building and running scale. GoogleTest and cpp-httplib are headers CMake's configure step asks
# for (the build dir is shared with `make test`), so they are here although only tests use them.
apt_packages=(cmake ninja-build g++ pkg-config git nodejs npm
              libcli11-dev nlohmann-json3-dev libsqlite3-dev libcurl4-openssl-dev
              libgtest-dev libgmock-dev libtomlplusplus-dev libxxhash-dev libssl-dev libgit2-dev python3
              libcpp-httplib-dev)
# Tests, fuzzing and benchmarks only (most of the download: the JDK, Go, Mono and clang alone are
# several hundred MB).
apt_test_packages=(pre-commit   # cli.PreCommitTest runs .pre-commit-hooks.yaml through pre-commit itself
                   clang libclang-rt-14-dev   # make fuzz / the sanitizer builds
                   zsh fish   # cli.Completions checks the generated zsh and fish scripts with the shells
                   # the round-trip corpora's independent judges (docs/languages.md): each language's own
                   # compiler or parser says the patched file is the same program
                   ruby lua5.4 golang-go php8.2-cli mono-mcs openjdk-17-jdk-headless)
[ "$stage" = tools ] && apt_packages+=("${apt_test_packages[@]}")

ensure_apt() {
  [ "${SCALE_SKIP_APT:-0}" = 1 ] && return 0
  command -v dpkg-query >/dev/null || { log "not a Debian system: install the equivalents of: ${apt_packages[*]}"; return 0; }
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # nodejs/npm may come from elsewhere (nvm, nodesource): only install them if the commands are missing.
  local need=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs) command -v node >/dev/null || need+=("$p") ;;
      npm) command -v npm >/dev/null || need+=("$p") ;;
      python3) command -v python3 >/dev/null || need+=("$p") ;;
      *) need+=("$p") ;;
    esac
  done
  [ ${#need[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing Debian packages ($stage set, ~1 min per 100 MB): ${need[*]}"
  $sudo apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" \
    >"$deps_dir/apt.log" 2>&1 || { tail -5 "$deps_dir/apt.log" >&2; die "apt-get install ${need[*]} failed"; }
}

# --- 2. tree-sitter sources (npm lock file) ---------------------------------------------------
npm_dir=""
ensure_npm_sources() {
  local key
  key="$(cat "$here/npm/package-lock.json" "$here/npm/package.json" | hash_of)"
  npm_dir="$deps_dir/npm-$key"
  [ -f "$npm_dir/.ok" ] && return 0
  log "fetching tree-sitter sources (npm ci, pinned by deps/npm/package-lock.json)"
  local tmp="$deps_dir/.npm-tmp-$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  cp "$here/npm/package.json" "$here/npm/package-lock.json" "$here/npm/.npmrc" "$tmp/"
  (cd "$tmp" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) || { rm -rf "$tmp"; die "npm ci failed (is the npm registry reachable?)"; }
  touch "$tmp/.ok"
  rm -rf "$npm_dir"; mv "$tmp" "$npm_dir"
}

# --- 3. llama.cpp + ggml -----------------------------------------------------------------------
system_llama_usable() {
  # A packaged llama.cpp counts only when CMake can find it; scale's CMake tries it first anyway.
  [ -n "${SCALE_LLAMA_PREFIX:-}" ] && return 0
  local probe="$deps_dir/.probe-$$"
  mkdir -p "$probe"
  printf 'cmake_minimum_required(VERSION 3.16)\nproject(p CXX)\nfind_package(llama REQUIRED)\n' > "$probe/CMakeLists.txt"
  if cmake -S "$probe" -B "$probe/b" >/dev/null 2>&1; then rm -rf "$probe"; return 0; fi
  rm -rf "$probe"; return 1
}

# Seconds since $1, as "N s" or "N min".
took() { local s=$(( $(date +%s) - $1 )); [ "$s" -lt 120 ] && echo "$s s" || echo "$(( (s + 30) / 60 )) min"; }

llama_prefix=""
llama_work=""   # the source and build trees, kept beside the prefix so that --tools reuses them
llama_common=()
llama_opts=()
llama_paths() {
  local cpu
  # Native SIMD: the build is only valid on CPUs with the same feature flags and the same compiler.
  cpu="$( (grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m; c++ --version | head -1) | hash_of)"
  local key
  key="$( (cat "$here/versions.env" "$here/ggml.pc.in"; sed -n '/^# --- 3a/,/^# --- end 3a/p' "$0") | hash_of)"
  llama_prefix="$deps_dir/llama-${LLAMA_VERSION}-${cpu}-${key}"
  llama_work="$llama_prefix.work"
}

# The pinned llama.cpp source tree into $llama_work/src (from the npm package's git bundle).
fetch_llama_source() {
  local work="$llama_work"
  (cd "$work" && npm pack --silent "$LLAMA_NPM_PACKAGE@$LLAMA_NPM_VERSION" >/dev/null 2>&1) \
    || die "npm pack $LLAMA_NPM_PACKAGE@$LLAMA_NPM_VERSION failed (is the npm registry reachable?)"
  local tgz="$work/$LLAMA_NPM_PACKAGE-$LLAMA_NPM_VERSION.tgz"
  local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [ "$got" = "$LLAMA_NPM_INTEGRITY" ] || die "integrity mismatch for $tgz: got $got"
  tar -xzf "$tgz" -C "$work" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
  grep -q "\"v$LLAMA_VERSION\"" "$work/package/llama/binariesGithubRelease.json" \
    || die "the npm package does not carry llama.cpp v$LLAMA_VERSION"
  git clone -q "$work/package/llama/gitRelease.bundle" "$work/src" 2>/dev/null || die "git clone of the llama.cpp bundle failed"
  rm -rf "$work/package" "$tgz"
  cp "$here/ggml.pc.in" "$work/src/ggml/ggml.pc.in"
}

# --- 3a: libllama + ggml (every scale build needs them); the cache key covers this part only
ensure_llama() {
  [ -f "$llama_prefix/.ok" ] && return 0
  local start; start=$(date +%s)
  log "building llama.cpp v$LLAMA_VERSION: libllama + ggml only, no tools (one time, ~4 min on 2 cores)"
  log "  into $llama_prefix"
  # Installed straight into the final prefix (its .pc and CMake files name it), which counts only
  # once .ok is written last; the build trees stay in $llama_work for the tools stage.
  rm -rf "$llama_prefix" "$llama_work"; mkdir -p "$llama_work"
  trap 'rm -rf "$llama_work"' EXIT
  fetch_llama_source
  local work="$llama_work"
  llama_common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
                -DCMAKE_INSTALL_PREFIX="$llama_prefix" -DCMAKE_INSTALL_LIBDIR=lib
                -DCMAKE_INSTALL_RPATH='$ORIGIN;$ORIGIN/../lib' -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON)

  # AMX off even where the CPU flags list it: VMs (Firecracker here) advertise amx_tile but do
  # not enable its register state, so ggml's AMX kernels die with SIGILL on the first Q8_0/Q4_0
  # matmul. GCC lets explicit -mno-* win over -march=native whatever their order.
  local no_amx=()
  case "$(uname -m)" in
    x86_64|amd64) no_amx=(-DCMAKE_C_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
                          -DCMAKE_CXX_FLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16") ;;
  esac
  log "  ggml (CPU, native without AMX, llamafile sgemm; ~1.5 min on 2 cores)"
  cmake -S "$work/src/ggml" -B "$work/ggml-build" "${llama_common[@]}" "${no_amx[@]}" \
    -DGGML_NATIVE=ON -DGGML_LLAMAFILE=ON -DGGML_CPU=ON -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF \
    -DGGML_OPENMP=ON >"$work/ggml-configure.log" 2>&1 || { tail -20 "$work/ggml-configure.log" >&2; die "ggml configure failed"; }
  cmake --build "$work/ggml-build" -j "$jobs" >"$work/ggml-build.log" 2>&1 || { tail -30 "$work/ggml-build.log" >&2; die "ggml build failed"; }
  DESTDIR="" cmake --install "$work/ggml-build" >/dev/null || die "ggml install failed"

  log "  libllama (~2.5 min on 2 cores)"
  llama_opts=(-DLLAMA_USE_SYSTEM_GGML=ON -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_IS_DEV=OFF
              -DLLAMA_BUILD_TESTS=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_PREFIX_PATH="$llama_prefix")
  cmake -S "$work/src" -B "$work/llama-build" "${llama_common[@]}" "${llama_opts[@]}" \
    -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_APP=OFF \
    >"$work/llama-configure.log" 2>&1 || { tail -20 "$work/llama-configure.log" >&2; die "llama configure failed"; }
  cmake --build "$work/llama-build" -j "$jobs" >"$work/llama-build.log" 2>&1 || { tail -30 "$work/llama-build.log" >&2; die "llama build failed"; }
  DESTDIR="" cmake --install "$work/llama-build" >/dev/null || die "llama install failed"

  # Vocab-only GGUFs (real tokenizers and chat templates) for the random-weight test models.
  mkdir -p "$llama_prefix/share/scale/vocab"
  cp "$work/src/models/"ggml-vocab-*.gguf "$llama_prefix/share/scale/vocab/"
  touch "$llama_prefix/.ok"
  trap - EXIT
  log "llama.cpp libraries ready ($(took "$start"))"
}
# --- end 3a

# --- 3b: the reference tools (benchmarks and tests only), into the same prefix's bin/, where the
# build points SCALE_LLAMA_BIN_DIR; its own stamp, so a changed tool list never rebuilds libllama.
llama_tools=(llama-bench llama-batched-bench llama-server llama-perplexity llama-finetune llama-quantize llama-export-lora)
ensure_llama_tools() {
  local stamp
  stamp="$llama_prefix/.tools-$(sed -n '/^# --- 3b/,/^# --- end 3b/p' "$0" | hash_of)"
  [ -f "$stamp" ] && return 0
  local start; start=$(date +%s)
  log "building llama.cpp's reference tools for tests and benchmarks (one time, ~5 min on 2 cores):"
  log "  ${llama_tools[*]}"
  local work="$llama_work"
  # The libraries' build tree when it is still there (libllama is then not compiled again); else a
  # fresh one against the installed ggml.
  if [ ! -f "$work/llama-build/CMakeCache.txt" ]; then
    rm -rf "$work"; mkdir -p "$work"
    fetch_llama_source
  fi
  llama_common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
                -DCMAKE_INSTALL_PREFIX="$llama_prefix" -DCMAKE_INSTALL_LIBDIR=lib
                -DCMAKE_INSTALL_RPATH='$ORIGIN;$ORIGIN/../lib' -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON)
  llama_opts=(-DLLAMA_USE_SYSTEM_GGML=ON -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_IS_DEV=OFF
              -DLLAMA_BUILD_TESTS=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_PREFIX_PATH="$llama_prefix")
  cmake -S "$work/src" -B "$work/llama-build" "${llama_common[@]}" "${llama_opts[@]}" \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_COMMON=ON \
    >>"$work/llama-configure.log" 2>&1 || { tail -20 "$work/llama-configure.log" >&2; die "llama tools configure failed"; }
  cmake --build "$work/llama-build" -j "$jobs" --target "${llama_tools[@]}" >"$work/tools-build.log" 2>&1 \
    || { tail -30 "$work/tools-build.log" >&2; die "llama tools build failed"; }
  mkdir -p "$llama_prefix/bin"
  for t in "${llama_tools[@]}"; do cp "$work/llama-build/bin/$t" "$llama_prefix/bin/$t.tmp" && mv "$llama_prefix/bin/$t.tmp" "$llama_prefix/bin/$t"; done
  # Shared libraries the tools need beside libllama (e.g. libmtmd), into lib/ where their RPATH looks.
  find "$work/llama-build/bin" -maxdepth 1 -name 'lib*.so*' ! -name 'libllama.so*' -exec cp -P {} "$llama_prefix/lib/" \;
  rm -f "$llama_prefix"/.tools-*
  touch "$stamp"
  # The trees are only kept for this stage.
  rm -rf "$work"
  log "llama.cpp tools ready ($(took "$start"))"
}
# --- end 3

ensure_apt
ensure_npm_sources
if [ "${SCALE_USE_SYSTEM_LLAMA:-0}" = 1 ] || { [ "${SCALE_BUILD_LLAMA:-0}" != 1 ] && system_llama_usable; }; then
  log "using the installed llama.cpp (find_package(llama))"
  llama_prefix="${SCALE_LLAMA_PREFIX:-}"
else
  llama_paths
  ensure_llama
  [ "$stage" = tools ] && ensure_llama_tools
fi
# Output for the Makefile: KEY=VALUE lines.
echo "SCALE_TS_DIR=$npm_dir/node_modules"
echo "SCALE_LLAMA_PREFIX=$llama_prefix"
