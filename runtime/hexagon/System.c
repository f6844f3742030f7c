// See System.h. Also the integer division helpers clang calls on Hexagon (it has no divide instruction),
// and memcpy/memset/memmove, which the compiler emits for struct copies and zeroing even when freestanding.
#include "runtime/hexagon/System.h"

long mote_syscall(long number, long a, long b, long c, long d) {
  register long r0 __asm__("r0") = a;
  register long r1 __asm__("r1") = b;
  register long r2 __asm__("r2") = c;
  register long r3 __asm__("r3") = d;
  register long r6 __asm__("r6") = number;
  __asm__ volatile("trap0(#1)" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r6) : "memory");
  return r0;
}

/// read or write until `size` bytes have moved (both may move fewer per call).
static int transfer_all(long number, int fd, char *p, size_t size) {
  while (size > 0) {
    long n = mote_syscall(number, fd, (long)p, (long)size, 0);
    if (n <= 0)
      return -1;
    p += n;
    size -= (size_t)n;
  }
  return 0;
}

int mote_write_all(int fd, const void *bytes, size_t size) {
  return transfer_all(MOTE_SYS_WRITE, fd, (char *)(uintptr_t)bytes, size);
}

int mote_read_all(int fd, void *bytes, size_t size) { return transfer_all(MOTE_SYS_READ, fd, (char *)bytes, size); }

int mote_open(const char *path, int flags) {
  return (int)mote_syscall(MOTE_SYS_OPENAT, MOTE_AT_FDCWD, (long)path, flags, 0644);
}

void mote_close(int fd) { mote_syscall(MOTE_SYS_CLOSE, fd, 0, 0, 0); }

void mote_exit(int status) {
  mote_syscall(MOTE_SYS_EXIT, status, 0, 0, 0);
  for (;;) {
  }
}

void mote_print(int fd, const char *text) {
  size_t n = 0;
  while (text[n])
    ++n;
  mote_write_all(fd, text, n);
}

void mote_print_int(int fd, long long value) {
  char digits[24];
  int n = 0;
  unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v);
  if (value < 0)
    digits[sizeof digits - 1 - n++] = '-';
  mote_write_all(fd, digits + sizeof digits - n, (size_t)n);
}

int main(int argc, char **argv);

// The kernel starts a static program with sp at argc, followed by argv[0..argc-1] and a null.
__attribute__((naked, noreturn, used)) void _start(void) {
  __asm__ volatile("r0 = memw(r29+#0)\n"
                   "r1 = add(r29, #4)\n"
                   "r29 = and(r29, #-128)\n" // HVX spills want 128-byte frames; keep the stack aligned for them
                   "call main\n"
                   "call mote_exit\n");
}

// ---- what the compiler calls by name ----------------------------------------------------------------

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = (unsigned char *)dst;
  const unsigned char *s = (const unsigned char *)src;
  while (n--)
    *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = (unsigned char *)dst;
  const unsigned char *s = (const unsigned char *)src;
  if (d < s) {
    while (n--)
      *d++ = *s++;
  } else {
    while (n--)
      d[n] = s[n];
  }
  return dst;
}

void *memset(void *dst, int value, size_t n) {
  unsigned char *d = (unsigned char *)dst;
  while (n--)
    *d++ = (unsigned char)value;
  return dst;
}

// Unsigned division by shift and subtract (the runtime divides only in set-up code, never per element).
static unsigned long long udivmod64(unsigned long long n, unsigned long long d, unsigned long long *rem) {
  unsigned long long q = 0, r = 0;
  if (d == 0) { // as the hardware of other targets would trap; keep going with a defined value
    *rem = n;
    return ~0ull;
  }
  for (int i = 63; i >= 0; --i) {
    r = (r << 1) | ((n >> i) & 1u);
    if (r >= d) {
      r -= d;
      q |= 1ull << i;
    }
  }
  *rem = r;
  return q;
}

unsigned long long __hexagon_udivdi3(unsigned long long n, unsigned long long d) {
  unsigned long long r;
  return udivmod64(n, d, &r);
}
unsigned long long __hexagon_umoddi3(unsigned long long n, unsigned long long d) {
  unsigned long long r;
  udivmod64(n, d, &r);
  return r;
}
long long __hexagon_divdi3(long long n, long long d) {
  unsigned long long r, q = udivmod64(n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n,
                                      d < 0 ? 0ull - (unsigned long long)d : (unsigned long long)d, &r);
  return (n < 0) != (d < 0) ? (long long)(0ull - q) : (long long)q;
}
long long __hexagon_moddi3(long long n, long long d) {
  unsigned long long r;
  udivmod64(n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n,
            d < 0 ? 0ull - (unsigned long long)d : (unsigned long long)d, &r);
  return n < 0 ? (long long)(0ull - r) : (long long)r;
}
unsigned __hexagon_udivsi3(unsigned n, unsigned d) { return (unsigned)__hexagon_udivdi3(n, d); }
unsigned __hexagon_umodsi3(unsigned n, unsigned d) { return (unsigned)__hexagon_umoddi3(n, d); }
int __hexagon_divsi3(int n, int d) { return (int)__hexagon_divdi3(n, d); }
int __hexagon_modsi3(int n, int d) { return (int)__hexagon_moddi3(n, d); }
