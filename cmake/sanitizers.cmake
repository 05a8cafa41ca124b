# Sanitizer builds (docs/robustness.md). Included at the end of CMakeLists.txt, after every target
# is defined, so that it can instrument all of them; imported targets (llama.cpp, ggml, system
# libraries) stay uninstrumented.
#
#   cmake -B build-asan -DSCALE_SANITIZE=address,undefined ...   (make test-asan does this)
#
# UBSan findings abort (-fno-sanitize-recover), so a test that triggers one fails instead of
# printing a warning nobody reads.
include_guard(GLOBAL)

set(SCALE_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list for every target, e.g. address,undefined")

# Adds -fsanitize=<list> (plus `extra` compile flags) to every compiled target of this directory.
function(scale_instrument_targets sanitizers extra)
  set(_compile -fsanitize=${sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all ${extra})
  set(_link -fsanitize=${sanitizers})
  get_property(_targets DIRECTORY "${CMAKE_SOURCE_DIR}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_t ${_targets})
    get_target_property(_type ${_t} TYPE)
    if(_type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      target_compile_options(${_t} PRIVATE ${_compile})
      target_link_options(${_t} PRIVATE ${_link})
    endif()
  endforeach()
endfunction()

if(SCALE_SANITIZE)
  message(STATUS "sanitizers: -fsanitize=${SCALE_SANITIZE} on every scale target")
  scale_instrument_targets("${SCALE_SANITIZE}" "")
endif()
