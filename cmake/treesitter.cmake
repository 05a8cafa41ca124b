# tree-sitter core (the C library vendored in npm tree-sitter@0.25.1, ABI 15, loads grammars of
# ABI 13-15) and one static library holding every grammar we parse. Sources come from npm,
# pinned by deps/npm/package-lock.json and unpacked by deps/bootstrap.sh into SCALE_TS_DIR.
if(NOT SCALE_TS_DIR OR NOT EXISTS "${SCALE_TS_DIR}/tree-sitter/vendor/tree-sitter/lib/src/lib.c")
  message(FATAL_ERROR "SCALE_TS_DIR must point at the node_modules made by deps/bootstrap.sh (got '${SCALE_TS_DIR}'). Run `make` instead of cmake directly.")
endif()

set(_ts_core "${SCALE_TS_DIR}/tree-sitter/vendor/tree-sitter/lib")
set(_ts_sources "${_ts_core}/src/lib.c")
# One folder per grammar, relative to SCALE_TS_DIR (a package may hold several: typescript + tsx).
set(SCALE_GRAMMARS
  tree-sitter-python tree-sitter-javascript tree-sitter-c tree-sitter-cpp
  tree-sitter-typescript/typescript tree-sitter-typescript/tsx tree-sitter-java tree-sitter-go
  tree-sitter-rust tree-sitter-ruby tree-sitter-c-sharp tree-sitter-php/php
  @tree-sitter-grammars/tree-sitter-lua tree-sitter-bash)
foreach(grammar ${SCALE_GRAMMARS})
  set(_dir "${SCALE_TS_DIR}/${grammar}/src")
  if(NOT EXISTS "${_dir}/parser.c")
    message(FATAL_ERROR "${_dir}/parser.c is missing: deps/npm/package.json and the grammar list here disagree")
  endif()
  list(APPEND _ts_sources "${_dir}/parser.c")
  if(EXISTS "${_dir}/scanner.c")
    list(APPEND _ts_sources "${_dir}/scanner.c")
  endif()
  # Each grammar includes its own tree_sitter/parser.h; keep the include paths per file.
  set_source_files_properties("${_dir}/parser.c" "${_dir}/scanner.c" PROPERTIES INCLUDE_DIRECTORIES "${_dir}")
endforeach()

add_library(scale_treesitter STATIC ${_ts_sources})
set_target_properties(scale_treesitter PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_include_directories(scale_treesitter PUBLIC "${_ts_core}/include" PRIVATE "${_ts_core}/src")
# Third-party generated code: its warnings are not ours to fix.
target_compile_options(scale_treesitter PRIVATE -w -O2)
target_compile_definitions(scale_treesitter PRIVATE _DEFAULT_SOURCE _POSIX_C_SOURCE=200809L)
