# mote_add_model: compile an ONNX model while the app builds (installed with the Mote package; see
# README "Mote in an app's build").
#
#   mote_add_model(NAME MODEL path.onnx
#                  [TARGET neon]                      default neon
#                  [INPUT_SHAPES name:dims ...]       e.g. sample:1x4x64x64 (as motec --input-shape)
#                  [PRECISION f32|f16]                the target's precision flag (one per target and app)
#                  [QUANTIZE w8|w4|w4a8|w8a8|w8a16]   int8 / int4 weights, int8 / int16 activations (motec
#                                                     --quantize; PRECISION f32)
#                  [CALIBRATION dir]                  QUANTIZE w8a8's / w8a16's samples (motec --calibration; a folder of
#                                                     test_data_set_* folders or input_K.pb files)
#                  [OPTIONS motec-flag ...])          passed to `motec compile` as they are
#
# At build time `motec compile --name=NAME` writes NAME.h (the C API), NAME.cpp and NAME.weights into
# ${CMAKE_CURRENT_BINARY_DIR}/mote/NAME; it reruns when the model, its external data or motec change (motec
# writes a depfile), and not otherwise. NAME becomes a static library target (the generated code and the
# target's runtime, compiled with the app's toolchain) whose include directory holds NAME.h. The weights
# file's path is in the variable NAME_WEIGHTS and the target property MOTE_WEIGHTS (for install rules).
# Mistakes (a missing model, an unknown target, a bad input shape) stop the configure step with a message
# naming the model.

# The static library of `target`'s runtime for `precision` (once per project): its name in `out_var`, the
# compile options of the code that calls it in `flags_var`. One precision per target and app: the f32 and
# f16 builds of a runtime define the same symbols, so linking both would give one model the other's.
function(_mote_runtime_library target precision model out_var flags_var)
  set(lib "mote_runtime_${target}_${precision}")
  get_property(chosen GLOBAL PROPERTY MOTE_RUNTIME_PRECISION_${target})
  if(chosen AND NOT chosen STREQUAL precision)
    message(FATAL_ERROR "mote_add_model(${model}): PRECISION ${precision}, but this project's models for ${target} "
                        "are ${chosen} (one runtime per target and app: use one precision)")
  endif()
  set_property(GLOBAL PROPERTY MOTE_RUNTIME_PRECISION_${target} ${precision})
  if(NOT TARGET ${lib})
    set(MOTE_RUNTIME_SOURCES "")
    set(MOTE_RUNTIME_FLAGS "")
    set(MOTE_RUNTIME_FLAGS_F16 "")
    set(MOTE_RUNTIME_PACKAGES "")
    set(MOTE_RUNTIME_LINK "")
    include("${MOTE_DATA_DIR}/runtime/${target}/Runtime.cmake")
    foreach(package IN LISTS MOTE_RUNTIME_PACKAGES)
      find_package(${package} REQUIRED)
    endforeach()
    file(GLOB core "${MOTE_DATA_DIR}/runtime/core/*.cpp")
    add_library(${lib} STATIC ${core} ${MOTE_RUNTIME_SOURCES})
    target_include_directories(${lib} PRIVATE "${MOTE_DATA_DIR}")
    target_compile_features(${lib} PRIVATE cxx_std_17)
    set(flags ${MOTE_RUNTIME_FLAGS})
    if(precision STREQUAL "f16")
      list(APPEND flags ${MOTE_RUNTIME_FLAGS_F16})
    endif()
    # Only the runtime and the generated code get these (not the app that links them).
    target_compile_options(${lib} PRIVATE ${flags})
    set_target_properties(${lib} PROPERTIES MOTE_FLAGS "${flags}")
    find_package(Threads REQUIRED)
    target_link_libraries(${lib} PUBLIC Threads::Threads ${MOTE_RUNTIME_LINK})
  endif()
  get_target_property(flags ${lib} MOTE_FLAGS)
  set(${out_var} ${lib} PARENT_SCOPE)
  set(${flags_var} "${flags}" PARENT_SCOPE)
endfunction()

function(mote_add_model name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;TARGET;PRECISION;QUANTIZE;CALIBRATION" "INPUT_SHAPES;OPTIONS")
  set(where "mote_add_model(${name})")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "${where}: the name prefixes the model's C API: use a C identifier")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target called '${name}' already exists")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "${where}: give the model: MODEL path/to/model.onnx")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}" OR IS_DIRECTORY "${model}")
    message(FATAL_ERROR "${where}: the model file '${model}' does not exist")
  endif()
  if(NOT ARG_TARGET)
    set(ARG_TARGET neon)
  endif()
  if(NOT ARG_TARGET IN_LIST MOTE_TARGETS)
    message(FATAL_ERROR "${where}: unknown target '${ARG_TARGET}' (this Mote writes code for: ${MOTE_TARGETS})")
  endif()
  set(args "")
  foreach(shape IN LISTS ARG_INPUT_SHAPES)
    if(NOT shape MATCHES "^[^:]+:([0-9]+(x[0-9]+)*)?$")
      message(FATAL_ERROR "${where}: bad input shape '${shape}' (expected name:dims, e.g. sample:1x4x64x64)")
    endif()
    list(APPEND args "--input-shape=${shape}")
  endforeach()
  if(NOT ARG_PRECISION)
    set(ARG_PRECISION f32)
  endif()
  if(NOT ARG_PRECISION MATCHES "^(f32|f16)$")
    message(FATAL_ERROR "${where}: PRECISION '${ARG_PRECISION}' is not f32 or f16")
  endif()
  list(APPEND args "--${ARG_TARGET}-precision=${ARG_PRECISION}")
  if(ARG_QUANTIZE)
    if(NOT ARG_QUANTIZE MATCHES "^(w8|w4|w4a8|w8a8|w8a16)$")
      message(FATAL_ERROR "${where}: QUANTIZE '${ARG_QUANTIZE}' is not a scheme of this Mote (w8, w4, w4a8, w8a8, w8a16)")
    endif()
    list(APPEND args "--quantize=${ARG_QUANTIZE}")
  endif()
  # The calibration samples are read by motec, which lists them in its depfile: a changed sample recompiles.
  if(ARG_CALIBRATION AND NOT ARG_QUANTIZE MATCHES "^(w8a8|w8a16)$")
    message(FATAL_ERROR "${where}: CALIBRATION goes with QUANTIZE w8a8 or w8a16 (the schemes with calibrated activation scales)")
  endif()
  if(ARG_QUANTIZE MATCHES "^(w8a8|w8a16)$")
    if(NOT ARG_CALIBRATION)
      message(FATAL_ERROR "${where}: QUANTIZE ${ARG_QUANTIZE} needs CALIBRATION dir (sample inputs to calibrate on)")
    endif()
    get_filename_component(calibration "${ARG_CALIBRATION}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${calibration}")
      message(FATAL_ERROR "${where}: the calibration folder '${calibration}' does not exist")
    endif()
    list(APPEND args "--calibration=${calibration}")
  endif()

  set(out "${CMAKE_CURRENT_BINARY_DIR}/mote/${name}")
  file(MAKE_DIRECTORY "${out}")
  # What motec writes (a byproduct it does not write would make Ninja rerun it on every build).
  set(byproducts "${out}/${name}.h" "${out}/${name}.cpp" "${out}/${name}.weights")
  if(ARG_TARGET STREQUAL "opencl")
    list(APPEND byproducts "${out}/${name}.cl") # the kernel library, also embedded in NAME.cpp
  endif()
  # The depfile's paths are absolute; CMP0116 NEW has CMake hand them to Ninja as they are.
  cmake_policy(PUSH)
  if(POLICY CMP0116)
    cmake_policy(SET CMP0116 NEW)
  endif()
  # The stamp is the command's output and the artifact its byproducts: motec leaves a generated source that
  # did not change untouched, and Ninja (restat) then recompiles nothing that includes it.
  add_custom_command(
    OUTPUT "${out}/${name}.stamp"
    BYPRODUCTS ${byproducts}
    COMMAND Mote::motec compile "${model}" --target=${ARG_TARGET} ${args} ${ARG_OPTIONS} --name=${name}
            -o "${out}" --depfile=${out}/${name}.d --depfile-target=${out}/${name}.stamp --quiet
    COMMAND ${CMAKE_COMMAND} -E touch "${out}/${name}.stamp"
    DEPENDS "${model}" Mote::motec
    DEPFILE "${out}/${name}.d"
    COMMENT "motec: compiling model ${name} (${ARG_MODEL}) for ${ARG_TARGET}"
    VERBATIM)
  cmake_policy(POP)

  _mote_runtime_library(${ARG_TARGET} ${ARG_PRECISION} ${name} runtime runtime_flags)
  add_custom_target(${name}_artifact DEPENDS "${out}/${name}.stamp")
  add_library(${name} STATIC "${out}/${name}.cpp" "${out}/${name}.h")
  add_dependencies(${name} ${name}_artifact)
  target_include_directories(${name} PUBLIC "${out}")
  # The generated code includes the runtime's headers: the runtime's include folder and options.
  target_include_directories(${name} PRIVATE "${MOTE_DATA_DIR}")
  target_compile_features(${name} PRIVATE cxx_std_17)
  target_compile_options(${name} PRIVATE ${runtime_flags})
  target_link_libraries(${name} PUBLIC ${runtime})
  set_target_properties(${name} PROPERTIES MOTE_WEIGHTS "${out}/${name}.weights")
  # The weights are an output of the same command: building the library builds them.
  set(${name}_WEIGHTS "${out}/${name}.weights" PARENT_SCOPE)
endfunction()
