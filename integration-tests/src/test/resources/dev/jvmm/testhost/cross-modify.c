/*
 * Cross-modifying code probe. One thread rewrites a tiny function, "mov eax, imm32; ret", with single
 * aligned 8-byte stores, alternating two immediates; the other threads keep calling it. On x86 hardware
 * every call returns one of the two immediates, each about half of the time. An emulator that runs code
 * another CPU has since rewritten returns the stale one for long stretches (or a torn mix of both).
 * JIT compilers rely on this when they patch code that other threads execute (HotSpot's nmethod entry
 * patching, inline caches), and so does the Linux kernel's text patching.
 *
 * Usage: cross-modify SECONDS READERS. Prints one line:
 *   CROSS-MODIFY calls=N first=N second=N other=N writes=N
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_READERS 8

/* b8 imm32 = mov eax, imm32; c3 = ret; 90 90 = padding. Little-endian, so the opcode is the low byte. */
static const uint64_t FIRST = 0x9090c311111111b8ull;
static const uint64_t SECOND = 0x9090c322222222b8ull;

static uint64_t *code;
static volatile int stop;

struct counts {
    unsigned long calls, first, second, other;
};

static void *writer(void *arg) {
    unsigned long *writes = arg;
    while (!stop) {
        __atomic_store_n(code, (*writes)++ & 1 ? SECOND : FIRST, __ATOMIC_SEQ_CST);
        for (volatile int i = 0; i < 50; i++) {
        }
    }
    return NULL;
}

static void *reader(void *arg) {
    struct counts *c = arg;
    unsigned (*fn)(void) = (unsigned (*)(void))(void *)code;
    while (!stop) {
        unsigned v = fn();
        c->calls++;
        if (v == (unsigned)(FIRST >> 8)) {
            c->first++;
        } else if (v == (unsigned)(SECOND >> 8)) {
            c->second++;
        } else {
            c->other++;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int seconds = argc > 1 ? atoi(argv[1]) : 10;
    int readers = argc > 2 ? atoi(argv[2]) : 1;
    if (seconds < 1 || readers < 1 || readers > MAX_READERS) {
        fprintf(stderr, "usage: cross-modify SECONDS READERS (1..%d)\n", MAX_READERS);
        return 64;
    }
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("cross-modify: mmap of a writable, executable page");
        return 1;
    }
    *code = FIRST;

    unsigned long writes = 0;
    struct counts counts[MAX_READERS] = {0};
    pthread_t w, r[MAX_READERS];
    pthread_create(&w, NULL, writer, &writes);
    for (int i = 0; i < readers; i++) {
        pthread_create(&r[i], NULL, reader, &counts[i]);
    }
    sleep(seconds);
    stop = 1;

    struct counts total = {0};
    for (int i = 0; i < readers; i++) {
        pthread_join(r[i], NULL);
        total.calls += counts[i].calls;
        total.first += counts[i].first;
        total.second += counts[i].second;
        total.other += counts[i].other;
    }
    pthread_join(w, NULL);
    printf("CROSS-MODIFY calls=%lu first=%lu second=%lu other=%lu writes=%lu\n", total.calls, total.first,
           total.second, total.other, writes);
    return 0;
}
