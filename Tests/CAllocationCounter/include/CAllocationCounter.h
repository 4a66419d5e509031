#ifndef CALLOCATION_COUNTER_H
#define CALLOCATION_COUNTER_H
/// Heap allocations (malloc, calloc, realloc, aligned allocations) made by the calling thread so far.
/// The test binary's malloc family forwards to glibc's own (__libc_malloc …) and counts per thread, so a
/// test can check that a loop allocates nothing while other tests run on other threads.
unsigned long callocation_counter_thread_count(void);
/// 1 when the counter is compiled in; 0 in a sanitizer build, where the sanitizer owns malloc.
int callocation_counter_available(void);
/// While on, every counted allocation of this thread prints a backtrace to stderr (for finding one).
void callocation_counter_trace(int on);
#endif
