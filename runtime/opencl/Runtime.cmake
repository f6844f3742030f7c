# How an app's build compiles the OpenCL host runtime (read by Mote's mote_add_model, cmake/MoteFunctions.cmake,
# from the installed runtime folder). The kernels are OpenCL C in the generated NAME.cpp, built by the device's
# driver when the model opens: the app's compiler builds only the host side, for the app's machine.
#   MOTE_RUNTIME_SOURCES    the .cpp files of runtime/opencl the generated code links against
#   MOTE_RUNTIME_FLAGS      compile options of the runtime and the generated code
#   MOTE_RUNTIME_FLAGS_F16  added for PRECISION f16 (none: half storage needs nothing of the host compiler)
#   MOTE_RUNTIME_PACKAGES   find_package()'d by the app's build (CMake's FindOpenCL: headers and ICD loader)
#   MOTE_RUNTIME_LINK       what the runtime library links
file(GLOB MOTE_RUNTIME_SOURCES "${CMAKE_CURRENT_LIST_DIR}/*.cpp")
set(MOTE_RUNTIME_FLAGS -O2 -fno-exceptions)
set(MOTE_RUNTIME_FLAGS_F16 "")
set(MOTE_RUNTIME_PACKAGES OpenCL)
set(MOTE_RUNTIME_LINK OpenCL::OpenCL)
