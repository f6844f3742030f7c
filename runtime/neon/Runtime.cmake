# How an app's build compiles the NEON runtime (read by Mote's mote_add_model, cmake/MoteFunctions.cmake,
# from the installed runtime folder). One file per runtime/T: adding a target adds its own.
#   MOTE_RUNTIME_SOURCES    the .cpp files of runtime/neon and the .c files of runtime/integer the generated code
#                           links against
#   MOTE_RUNTIME_FLAGS      compile options of the runtime and the generated code
#   MOTE_RUNTIME_FLAGS_F16  added for PRECISION f16 (half-precision arithmetic of ARMv8.2-A)
file(GLOB MOTE_RUNTIME_SOURCES "${CMAKE_CURRENT_LIST_DIR}/*.cpp")
list(FILTER MOTE_RUNTIME_SOURCES EXCLUDE REGEX "Runner\\.cpp$") # motec generate's simulation driver
# The integer pipeline's kernels (--neon-activation-type=i8), plain C that compiles as C++ too: built as C++, so
# that an app's project need not enable C.
file(GLOB MOTE_RUNTIME_INTEGER_SOURCES "${CMAKE_CURRENT_LIST_DIR}/../integer/*.c")
set_source_files_properties(${MOTE_RUNTIME_INTEGER_SOURCES} PROPERTIES LANGUAGE CXX)
list(APPEND MOTE_RUNTIME_SOURCES ${MOTE_RUNTIME_INTEGER_SOURCES})
set(MOTE_RUNTIME_FLAGS -O3 -fno-exceptions)
set(MOTE_RUNTIME_FLAGS_F16 -march=armv8.2-a+fp16)
