# Real-code corpora for the round-trip property test (src/languages/roundtrip_test.cc), found or
# installed here at configure time so that the test never installs anything and never skips quietly:
#   SCALE_PY_CORPUS  the standard library of the Python CMake finds (sysconfig's "stdlib" path)
#   SCALE_JS_CORPUS  node_modules of deps/corpus (pinned npm packages), installed once per lock file
#   SCALE_DEBIAN_CORPUS  Debian source packages of deps/corpus/debian-sources.txt, one folder each
# A corpus that cannot be had is "" and said so here; the test then skips naming this file.
if(NOT TARGET languages_tests)
  return()
endif()

find_package(Python3 COMPONENTS Interpreter)
set(_py "")
if(Python3_Interpreter_FOUND)
  execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])"
                  OUTPUT_VARIABLE _py OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT EXISTS "${_py}/os.py")
    set(_py "")
  endif()
endif()
if(_py)
  message(STATUS "round-trip corpus: Python standard library ${_py}")
else()
  message(WARNING "round-trip corpus: no Python 3 standard library found; RoundTrip's Python cases will skip")
endif()

# Keyed by the lock file, so that changing the pinned set installs it afresh (and re-runs CMake).
set(_lock "${CMAKE_SOURCE_DIR}/deps/corpus/package-lock.json")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_lock}")
file(SHA256 "${_lock}" _key)
string(SUBSTRING "${_key}" 0 16 _key)
set(_js_dir "${CMAKE_BINARY_DIR}/js-corpus-${_key}")
set(_js "")
if(EXISTS "${_js_dir}/.ok")
  set(_js "${_js_dir}/node_modules")
elseif("$ENV{SCALE_OFFLINE}" STREQUAL "1")
  message(WARNING "round-trip corpus: SCALE_OFFLINE=1, deps/corpus not installed; RoundTrip.JavaScriptPackages will skip")
else()
  find_program(SCALE_NPM npm)
  if(SCALE_NPM)
    file(REMOVE_RECURSE "${_js_dir}.tmp")
    file(MAKE_DIRECTORY "${_js_dir}.tmp")
    foreach(_f package.json package-lock.json .npmrc)
      file(COPY "${CMAKE_SOURCE_DIR}/deps/corpus/${_f}" DESTINATION "${_js_dir}.tmp")
    endforeach()
    execute_process(COMMAND "${SCALE_NPM}" ci --no-audit --no-fund --ignore-scripts --loglevel=error
                    WORKING_DIRECTORY "${_js_dir}.tmp" RESULT_VARIABLE _rc ERROR_VARIABLE _err)
    if(_rc EQUAL 0)
      file(TOUCH "${_js_dir}.tmp/.ok")
      file(RENAME "${_js_dir}.tmp" "${_js_dir}")
      set(_js "${_js_dir}/node_modules")
    else()
      file(REMOVE_RECURSE "${_js_dir}.tmp")
      message(WARNING "round-trip corpus: npm ci in deps/corpus failed (${_rc}): ${_err}RoundTrip.JavaScriptPackages will skip")
    endif()
  else()
    message(WARNING "round-trip corpus: npm not found; RoundTrip.JavaScriptPackages will skip")
  endif()
endif()
if(_js)
  message(STATUS "round-trip corpus: JavaScript packages ${_js}")
endif()

# Debian source packages (C as projects write it, and the other languages' real code), unpacked
# once per list; apt verifies each against the signed index.
set(_deb_list "${CMAKE_SOURCE_DIR}/deps/corpus/debian-sources.txt")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_deb_list}")
file(SHA256 "${_deb_list}" _deb_key)
string(SUBSTRING "${_deb_key}" 0 16 _deb_key)
set(_deb_dir "${CMAKE_BINARY_DIR}/debian-corpus-${_deb_key}")
set(_deb "")
if(EXISTS "${_deb_dir}/.ok")
  set(_deb "${_deb_dir}")
elseif("$ENV{SCALE_OFFLINE}" STREQUAL "1")
  message(WARNING "round-trip corpus: SCALE_OFFLINE=1, Debian sources not fetched; their RoundTrip cases will skip")
else()
  execute_process(COMMAND "${CMAKE_SOURCE_DIR}/deps/fetch_debian_sources.sh" "${_deb_dir}"
                  RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(_rc EQUAL 0)
    file(TOUCH "${_deb_dir}/.ok")
    set(_deb "${_deb_dir}")
    message(STATUS "round-trip corpus: Debian sources ${_deb}")
  else()
    message(WARNING "round-trip corpus: deps/fetch_debian_sources.sh failed (${_rc}): ${_err}their RoundTrip cases will skip")
  endif()
endif()

target_compile_definitions(languages_tests PRIVATE SCALE_PY_CORPUS="${_py}" SCALE_JS_CORPUS="${_js}"
                                                   SCALE_TS_MODULES="${SCALE_TS_DIR}" SCALE_DEBIAN_CORPUS="${_deb}")
# One folder per language's group of Debian sources (deps/corpus/debian-sources.txt); a test whose
# definition is missing skips naming this file.
if(_deb)
  target_compile_definitions(languages_tests PRIVATE
    SCALE_JAVA_CORPUS="${_deb}/java" SCALE_CSHARP_CORPUS="${_deb}/csharp" SCALE_PHP_CORPUS="${_deb}/php"
    SCALE_RUBY_CORPUS="${_deb}/ruby/ruby3.1/lib" SCALE_BASH_CORPUS="${_deb}/bash/bash-completion"
    SCALE_LUA_CORPUS="${_deb}/lua" SCALE_GO_CORPUS="${_deb}/go" SCALE_RUST_CORPUS="${_deb}/rust")
endif()
# TypeScript: the npm corpus's TypeScript packages, judged by the TypeScript compiler under node.
find_program(SCALE_NODE_EXE node)
if(_js AND SCALE_NODE_EXE AND EXISTS "${_js}/typescript/lib/typescript.js")
  target_compile_definitions(languages_tests PRIVATE SCALE_TS_CORPUS="${_js}" SCALE_NODE="${SCALE_NODE_EXE}"
                             SCALE_TS_JUDGE="${CMAKE_SOURCE_DIR}/src/languages/testdata/ts_tokens.js")
else()
  message(WARNING "round-trip corpus: no typescript package or node; the TypeScript round trip will skip")
endif()
