# ctest install.IntoAScratchPrefix: `cmake --install` into a scratch prefix, then the installed
# binary, run from another folder, must use the prompts and profiles installed beside it.
#   cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<repo> -P cmake/install_test.cmake
cmake_minimum_required(VERSION 3.20)
set(_tmp "${BUILD_DIR}/test-tmp/install")
set(_prefix "${_tmp}/prefix")
set(_work "${_tmp}/elsewhere")
file(REMOVE_RECURSE "${_tmp}")
file(MAKE_DIRECTORY "${_work}")

function(check_run what)
  cmake_parse_arguments(R "" "EXPECT_RC" "COMMAND" ${ARGN})
  execute_process(COMMAND ${R_COMMAND} WORKING_DIRECTORY "${_work}" RESULT_VARIABLE _rc
                  OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  set(_ok FALSE)
  foreach(_want IN LISTS R_EXPECT_RC)
    if(_rc STREQUAL _want)
      set(_ok TRUE)
    endif()
  endforeach()
  if(NOT _ok)
    message(FATAL_ERROR "${what}: exit ${_rc} (wanted ${R_EXPECT_RC})\n${_out}\n${_err}")
  endif()
  set(OUT "${_out}" PARENT_SCOPE)
  set(ERR "${_err}" PARENT_SCOPE)
endfunction()

check_run("cmake --install" COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${_prefix}" EXPECT_RC 0)
foreach(_f bin/scale share/scale/scale-cfg/comment.txt share/scale/scale-cfg/python.txt
           share/scale/profiles/cpu-2core-8gb.toml share/bash-completion/completions/scale
           share/zsh/site-functions/_scale share/fish/vendor_completions.d/scale.fish share/man/man1/scale.1)
  if(NOT EXISTS "${_prefix}/${_f}")
    message(FATAL_ERROR "not installed: ${_prefix}/${_f}")
  endif()
  file(SIZE "${_prefix}/${_f}" _size)
  if(_size EQUAL 0)
    message(FATAL_ERROR "installed empty: ${_prefix}/${_f}")
  endif()
endforeach()
file(READ "${_prefix}/share/bash-completion/completions/scale" _bash)
if(NOT _bash MATCHES "complete -o default -o bashdefault -F _scale scale")
  message(FATAL_ERROR "the installed bash completion is not the generated script")
endif()

set(_scale "${_prefix}/bin/scale")
check_run("installed scale --version" COMMAND "${_scale}" --version EXPECT_RC 0)
# Profiles: the installed ones (the source tree has the same names, so the path tells them apart).
check_run("installed scale hw --profile" COMMAND "${_scale}" hw --profile cpu-2core-8gb EXPECT_RC 0)
string(FIND "${OUT}" "(${_prefix}/share/scale/profiles/cpu-2core-8gb.toml)" _at)
if(_at EQUAL -1)
  message(FATAL_ERROR "the installed binary did not use its installed profiles:\n${OUT}")
endif()

# Prompts: a real `scale comment` on a copy of the sample with a tiny random-weight model works...
file(COPY "${SOURCE_DIR}/samples/sample.py" DESTINATION "${_work}")
check_run("scale-testmodel" COMMAND "${BUILD_DIR}/scale-testmodel" --preset tiny --type q8_0 --seed 1
          -o "${_tmp}/tiny.gguf" EXPECT_RC 0)
check_run("installed scale comment" COMMAND "${_scale}" comment -m "${_tmp}/tiny.gguf" --max-tokens 4 sample.py
          EXPECT_RC 0 1)
if(NOT OUT MATCHES "def ")
  message(FATAL_ERROR "installed scale comment printed no Python:\n${OUT}\n${ERR}")
endif()
# ...and it read the installed prompts: emptied there, the run fails naming the installed file
# (the checkout's copy, which it would otherwise fall back to, is untouched).
file(WRITE "${_prefix}/share/scale/scale-cfg/python.txt" "")
check_run("installed scale comment, emptied template" COMMAND "${_scale}" comment -m "${_tmp}/tiny.gguf"
          --max-tokens 4 sample.py EXPECT_RC 2 3 4)
string(FIND "${ERR}" "${_prefix}/share/scale/scale-cfg" _at)
if(_at EQUAL -1)
  message(FATAL_ERROR "the error does not name the installed scale-cfg:\n${ERR}")
endif()
file(REMOVE_RECURSE "${_tmp}")
message(STATUS "install: ok (${_prefix})")
