#define _GNU_SOURCE
#include <stddef.h>
#include <errno.h>
#include "CAllocationCounter.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CALLOCATION_COUNTER_OFF 1
#endif
#endif

#ifdef CALLOCATION_COUNTER_OFF
// Under a sanitizer the sanitizer owns the malloc family: no interposer, and the tests that count say so.
int callocation_counter_available(void) { return 0; }
unsigned long callocation_counter_thread_count(void) { return 0; }
void callocation_counter_trace(int on) { (void)on; }
#else
int callocation_counter_available(void) { return 1; }

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

#include <execinfo.h>
static __thread unsigned long allocations;
static __thread int tracing, inside;

void callocation_counter_trace(int on) { tracing = on; }

static void note(void) {
    allocations++;
    if (tracing && !inside) {
        inside = 1;
        void *frames[24];
        int n = backtrace(frames, 24);
        backtrace_symbols_fd(frames, n, 2);
        inside = 0;
    }
}

unsigned long callocation_counter_thread_count(void) { return allocations; }

void *malloc(size_t size) { note(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { note(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { note(); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { note(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { note(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    note();
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
#endif
