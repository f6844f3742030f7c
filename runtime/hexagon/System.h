// The Hexagon runtime's freestanding system layer: Linux system calls through `trap0` (what qemu-hexagon's
// user mode and a DSP's simulator accept), the `_start` entry point, and the few C library functions a
// compiler may call on its own. No libc exists for this target in Debian; nothing here allocates.
#ifndef MOTE_RUNTIME_HEXAGON_SYSTEM_H
#define MOTE_RUNTIME_HEXAGON_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Linux's generic system call numbers (r6), as Hexagon uses them.
enum {
  MOTE_SYS_OPENAT = 56,
  MOTE_SYS_CLOSE = 57,
  MOTE_SYS_READ = 63,
  MOTE_SYS_WRITE = 64,
  MOTE_SYS_EXIT = 93,
};
enum { MOTE_AT_FDCWD = -100, MOTE_O_RDONLY = 0, MOTE_O_WRONLY_CREAT_TRUNC = 01 | 0100 | 01000 };

/// A system call with up to four arguments; returns the kernel's result (negative: -errno).
long mote_syscall(long number, long a, long b, long c, long d);

/// Writes all of `bytes` to `fd`; 0, or -1 on a failed or short write.
int mote_write_all(int fd, const void *bytes, size_t size);
/// Reads exactly `size` bytes from `fd`; 0, or -1 on an error or early end of file.
int mote_read_all(int fd, void *bytes, size_t size);
/// Opens `path` for reading (flags MOTE_O_RDONLY) or writing (MOTE_O_WRONLY_CREAT_TRUNC, mode 0644).
int mote_open(const char *path, int flags);
void mote_close(int fd);
__attribute__((noreturn)) void mote_exit(int status);

/// Writes a NUL-terminated string / a signed or unsigned decimal integer to `fd` (no formatting library).
void mote_print(int fd, const char *text);
void mote_print_int(int fd, long long value);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_SYSTEM_H
