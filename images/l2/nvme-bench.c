/*
 * nvme-bench: the NVMe read figures both VMMs are compared by, from inside the L2 guest.
 *
 *   nvme-bench /dev/nvme0n1 SEQ_MIB RANDOM_READS
 *
 * With O_DIRECT (no page cache): SEQ_MIB MiB read sequentially in 1 MiB requests from offset 0, then
 * RANDOM_READS reads of 4 KiB at 4 KiB-aligned offsets drawn (fixed seed, the same for every run) from
 * the first SEQ_MIB MiB. Prints "seq_mib=N seq_s=S seq_mib_s=R rand_reads=N rand_s=S rand_us=U" and exits
 * 0, or names the failed step on stderr and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: nvme-bench /dev/nvmeXnY SEQ_MIB RANDOM_READS\n");
        return 2;
    }
    long mib = atol(argv[2]), reads = atol(argv[3]);
    int fd = open(argv[1], O_RDONLY | O_DIRECT);
    if (fd < 0) {
        fprintf(stderr, "cannot open %s with O_DIRECT: %s\n", argv[1], strerror(errno));
        return 1;
    }
    void *buf;
    if (posix_memalign(&buf, 4096, 1 << 20) != 0) {
        fprintf(stderr, "cannot allocate an aligned 1 MiB buffer\n");
        return 1;
    }
    double t0 = now();
    for (long i = 0; i < mib; i++) {
        if (pread(fd, buf, 1 << 20, (off_t)i << 20) != 1 << 20) {
            fprintf(stderr, "sequential read of MiB %ld failed: %s\n", i, strerror(errno));
            return 1;
        }
    }
    double t1 = now();
    uint64_t x = 0x9e3779b97f4a7c15ull;
    long pages = mib << 8;
    for (long i = 0; i < reads; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        off_t at = (off_t)(x % (uint64_t)pages) << 12;
        if (pread(fd, buf, 4096, at) != 4096) {
            fprintf(stderr, "random read at %lld failed: %s\n", (long long)at, strerror(errno));
            return 1;
        }
    }
    double t2 = now();
    printf("seq_mib=%ld seq_s=%.3f seq_mib_s=%.1f rand_reads=%ld rand_s=%.3f rand_us=%.1f\n", mib, t1 - t0,
           mib / (t1 - t0), reads, t2 - t1, (t2 - t1) * 1e6 / reads);
    return 0;
}
