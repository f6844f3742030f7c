// Default sanitizer options of a -DMOTE_SANITIZE=ON build, linked into every executable of it.
//
// Mote's code is instrumented, LLVM's and MLIR's static libraries are not. LLVM's headers poison and
// unpoison the memory of their bump allocators when the including code is built with ASan, and the
// uninstrumented library code that shares those allocators does not: ASan then reports the library's
// own writes as use-after-poison. Manual poisoning is therefore ignored; every other check stays on.
extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }

// UBSan stops at the first report with a stack trace, so a test that trips it fails.
extern "C" const char *__ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }
