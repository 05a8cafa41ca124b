#!/usr/bin/env bash
# Installs and builds everything scale needs that the repository does not contain, into a cache
# outside the checkout, and prints the CMake prefix path to use. Safe to run again: each step
# checks a stamp keyed by its pinned versions and does nothing when the stamp matches.
#
#   deps/bootstrap.sh            # apt packages + tree-sitter sources + llama.cpp (if no packaged one)
#   SCALE_DEPS_DIR=/x deps/bootstrap.sh   # another cache location
#   SCALE_SKIP_APT=1             # never call apt-get (the caller promises the packages are there)
#   SCALE_USE_SYSTEM_LLAMA=1     # require a packaged llama.cpp (find_package(llama)) and skip the build
set -euo pipefail

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
apt_packages=(cmake ninja-build g++ pkg-config git nodejs npm
              libcli11-dev nlohmann-json3-dev libsqlite3-dev libcurl4-openssl-dev
              libgtest-dev libgmock-dev libtomlplusplus-dev libxxhash-dev libssl-dev libgit2-dev python3
              libcpp-httplib-dev
              pre-commit   # cli.PreCommitTest runs .pre-commit-hooks.yaml through pre-commit itself
              clang libclang-rt-14-dev
              # the round-trip corpora's independent judges (docs/languages.md): each language's own
              # compiler or parser says the patched file is the same program
              ruby lua5.4 golang-go php8.2-cli mono-mcs openjdk-17-jdk-headless)

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
  log "installing Debian packages: ${need[*]}"
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

llama_prefix=""
ensure_llama() {
  local cpu
  # Native SIMD: the build is only valid on CPUs with the same feature flags and the same compiler.
  cpu="$( (grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m; c++ --version | head -1) | hash_of)"
  local key
  key="$( (cat "$here/versions.env" "$here/ggml.pc.in"; sed -n '/^# --- 3/,/^# --- end 3/p' "$0") | hash_of)"
  llama_prefix="$deps_dir/llama-${LLAMA_VERSION}-${cpu}-${key}"
  [ -f "$llama_prefix/.ok" ] && return 0

  log "building llama.cpp v$LLAMA_VERSION (ggml $GGML_VERSION) into $llama_prefix (one time, a few minutes)"
  # Configured for the final prefix, installed into prefix.tmp, renamed at the end: the installed
  # .pc and CMake files already name the final location.
  work="$deps_dir/.build-llama-$$"
  rm -rf "$work"; mkdir -p "$work"
  trap 'rm -rf "${work:-}"' EXIT
  (cd "$work" && npm pack --silent "$LLAMA_NPM_PACKAGE@$LLAMA_NPM_VERSION" >/dev/null 2>&1) \
    || die "npm pack $LLAMA_NPM_PACKAGE@$LLAMA_NPM_VERSION failed (is the npm registry reachable?)"
  local tgz="$work/$LLAMA_NPM_PACKAGE-$LLAMA_NPM_VERSION.tgz"
  local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [ "$got" = "$LLAMA_NPM_INTEGRITY" ] || die "integrity mismatch for $tgz: got $got"
  tar -xzf "$tgz" -C "$work" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
  grep -q "\"v$LLAMA_VERSION\"" "$work/package/llama/binariesGithubRelease.json" \
    || die "the npm package does not carry llama.cpp v$LLAMA_VERSION"
  git clone -q "$work/package/llama/gitRelease.bundle" "$work/src" 2>/dev/null || die "git clone of the llama.cpp bundle failed"
  cp "$here/ggml.pc.in" "$work/src/ggml/ggml.pc.in"

  local prefix_tmp="$llama_prefix.tmp"
  rm -rf "$prefix_tmp"
  local common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
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
  log "  ggml (CPU, native without AMX, llamafile sgemm)"
  cmake -S "$work/src/ggml" -B "$work/ggml-build" "${common[@]}" "${no_amx[@]}" \
    -DGGML_NATIVE=ON -DGGML_LLAMAFILE=ON -DGGML_CPU=ON -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF \
    -DGGML_OPENMP=ON >"$work/ggml-configure.log" 2>&1 || { tail -20 "$work/ggml-configure.log" >&2; die "ggml configure failed"; }
  cmake --build "$work/ggml-build" -j "$jobs" >"$work/ggml-build.log" 2>&1 || { tail -30 "$work/ggml-build.log" >&2; die "ggml build failed"; }
  DESTDIR="" cmake --install "$work/ggml-build" --prefix "$prefix_tmp" >/dev/null || die "ggml install failed"

  log "  libllama"
  local llama_opts=(-DLLAMA_USE_SYSTEM_GGML=ON -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_IS_DEV=OFF
                    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_PREFIX_PATH="$prefix_tmp")
  cmake -S "$work/src" -B "$work/llama-build" "${common[@]}" "${llama_opts[@]}" \
    -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_APP=OFF \
    >"$work/llama-configure.log" 2>&1 || { tail -20 "$work/llama-configure.log" >&2; die "llama configure failed"; }
  cmake --build "$work/llama-build" -j "$jobs" >"$work/llama-build.log" 2>&1 || { tail -30 "$work/llama-build.log" >&2; die "llama build failed"; }
  cmake --install "$work/llama-build" --prefix "$prefix_tmp" >/dev/null || die "llama install failed"

  if [ "${SCALE_SKIP_LLAMA_TOOLS:-0}" != 1 ]; then
    # The reference tools we benchmark against. Same build tree, so libllama is not rebuilt.
    log "  tools: llama-bench llama-batched-bench llama-server llama-perplexity llama-finetune"
    cmake -S "$work/src" -B "$work/llama-build" "${common[@]}" "${llama_opts[@]}" \
      -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_COMMON=ON \
      >>"$work/llama-configure.log" 2>&1 || { tail -20 "$work/llama-configure.log" >&2; die "llama tools configure failed"; }
    local tools=(llama-bench llama-batched-bench llama-server llama-perplexity llama-finetune llama-quantize llama-export-lora)
    cmake --build "$work/llama-build" -j "$jobs" --target "${tools[@]}" >"$work/tools-build.log" 2>&1 \
      || { tail -30 "$work/tools-build.log" >&2; die "llama tools build failed"; }
    mkdir -p "$prefix_tmp/bin"
    for t in "${tools[@]}"; do cp "$work/llama-build/bin/$t" "$prefix_tmp/bin/"; done
    find "$work/llama-build/bin" -maxdepth 1 -name 'lib*.so*' ! -name 'libllama.so*' -exec cp -P {} "$prefix_tmp/lib/" \;
  fi

  # Vocab-only GGUFs (real tokenizers and chat templates) for the random-weight test models.
  mkdir -p "$prefix_tmp/share/scale/vocab"
  cp "$work/src/models/"ggml-vocab-*.gguf "$prefix_tmp/share/scale/vocab/"
  # Move into place last so an interrupted build never looks complete.
  touch "$prefix_tmp/.ok"
  rm -rf "$llama_prefix"; mv "$prefix_tmp" "$llama_prefix"
  rm -rf "$work"; trap - EXIT
  log "llama.cpp ready"
}
# --- end 3

ensure_apt
ensure_npm_sources
if [ "${SCALE_USE_SYSTEM_LLAMA:-0}" = 1 ] || { [ "${SCALE_BUILD_LLAMA:-0}" != 1 ] && system_llama_usable; }; then
  log "using the installed llama.cpp (find_package(llama))"
  llama_prefix="${SCALE_LLAMA_PREFIX:-}"
else
  ensure_llama
fi
# Output for the Makefile: KEY=VALUE lines.
echo "SCALE_TS_DIR=$npm_dir/node_modules"
echo "SCALE_LLAMA_PREFIX=$llama_prefix"
