# libFuzzer targets in fuzz/ (docs/robustness.md). Clang only:
#
#   cmake -B build-fuzz -DSCALE_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ ...
#   cmake --build build-fuzz --target fuzz_all          (make fuzz-build does both)
#
# Every scale target (the module libraries and tree-sitter included) is compiled with
# -fsanitize=fuzzer-no-link,address,undefined, so the fuzzers see coverage of our code and of the
# parser; each fuzz/fuzz_<name>.cc becomes an executable fuzz_<name> linked with -fsanitize=fuzzer.
# llama.cpp and ggml are imported, prebuilt libraries and stay uninstrumented.
include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/sanitizers.cmake")

option(SCALE_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(SCALE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SCALE_FUZZ needs clang: -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(SCALE_SANITIZE)
    message(FATAL_ERROR "SCALE_FUZZ chooses its own sanitizers (address,undefined); leave SCALE_SANITIZE empty")
  endif()
  set(_fuzz_sanitizers "address,undefined")
  # The tests and the scale binary are instrumented too (they link the same libraries), which is
  # harmless; only fuzz_all is built by make fuzz-build.
  scale_instrument_targets("${_fuzz_sanitizers}" "-fsanitize=fuzzer-no-link")

  # Which module library each target needs. The ignore matcher may live in a walk module (libgit2
  # backed) or in summarize; link whichever exists.
  set(_ignore_lib scale_summarize)
  if(TARGET scale_walk)
    set(_ignore_lib scale_walk)
  endif()
  set(SCALE_FUZZ_TARGETS python c javascript languages sanitize gitignore gguf undo_manifest dataset score consistency)
  set(_deps_python scale_languages)
  set(_deps_c scale_languages)
  set(_deps_javascript scale_languages)
  set(_deps_languages scale_languages)
  set(_deps_sanitize scale_annotate)
  set(_deps_gitignore ${_ignore_lib})
  set(_deps_gguf scale_engine)
  set(_deps_undo_manifest scale_annotate)
  set(_deps_dataset scale_eval)
  set(_deps_score scale_eval)
  set(_deps_consistency scale_consistency)

  add_custom_target(fuzz_all)
  foreach(_name ${SCALE_FUZZ_TARGETS})
    add_executable(fuzz_${_name} fuzz/fuzz_${_name}.cc)
    target_include_directories(fuzz_${_name} PRIVATE fuzz src)
    target_compile_options(fuzz_${_name} PRIVATE ${SCALE_WARNINGS}
      -fsanitize=fuzzer,${_fuzz_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(fuzz_${_name} PRIVATE -fsanitize=fuzzer,${_fuzz_sanitizers})
    target_link_libraries(fuzz_${_name} PRIVATE ${_deps_${_name}})
    add_dependencies(fuzz_all fuzz_${_name})
  endforeach()
  message(STATUS "fuzzing: ${SCALE_FUZZ_TARGETS} (target fuzz_all)")
endif()
