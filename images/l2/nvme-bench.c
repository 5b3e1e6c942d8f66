/*
 * nvme-bench: the NVMe read figures both VMMs are compared by, from inside the L2 guest.
 *
 *   nvme-bench /dev/nvme0n1 SEQ_MIB RANDOM_READS [PASSES]
 *
 * With O_DIRECT (no page cache), PASSES times (default 1): SEQ_MIB MiB read sequentially in 1 MiB requests
 * from offset 0, then RANDOM_READS reads of 4 KiB at 4 KiB-aligned offsets drawn (fixed seed, the same for
 * every pass and run) from the first SEQ_MIB MiB. Prints
 * "seq_mib=N seq_s=S seq_mib_s=R rand_reads=N rand_s=S rand_us=U passes=P seq_mib_s_each=R1,R2,..
 * rand_us_each=U1,U2,.." and exits 0, or names the failed step on stderr and exits 1. seq_s and rand_s
 * are medians over the passes (seq_mib_s and rand_us follow from them), so one disturbed pass does not
 * decide a boot's figures.
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

/* One pass: the sequential and the random part's durations in seconds; 0 when it failed (reported). */
static int one_pass(int fd, void *buf, long mib, long reads, double *seq_s, double *rand_s) {
    double t0 = now();
    for (long i = 0; i < mib; i++) {
        if (pread(fd, buf, 1 << 20, (off_t)i << 20) != 1 << 20) {
            fprintf(stderr, "sequential read of MiB %ld failed: %s\n", i, strerror(errno));
            return 0;
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
            return 0;
        }
    }
    *seq_s = t1 - t0;
    *rand_s = now() - t1;
    return 1;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *values, int n) {
    double sorted[64];
    memcpy(sorted, values, n * sizeof *values);
    qsort(sorted, n, sizeof *sorted, by_value);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: nvme-bench /dev/nvmeXnY SEQ_MIB RANDOM_READS [PASSES]\n");
        return 2;
    }
    long mib = atol(argv[2]), reads = atol(argv[3]);
    int passes = argc == 5 ? atoi(argv[4]) : 1;
    if (mib < 1 || reads < 1 || passes < 1 || passes > 64) {
        fprintf(stderr, "SEQ_MIB and RANDOM_READS must be positive and PASSES within 1..64\n");
        return 2;
    }
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
    double seq_s[64], rand_s[64];
    for (int p = 0; p < passes; p++) {
        if (!one_pass(fd, buf, mib, reads, &seq_s[p], &rand_s[p])) {
            return 1;
        }
    }
    double seq = median(seq_s, passes), rnd = median(rand_s, passes);
    printf("seq_mib=%ld seq_s=%.3f seq_mib_s=%.1f rand_reads=%ld rand_s=%.3f rand_us=%.1f passes=%d", mib, seq,
           mib / seq, reads, rnd, rnd * 1e6 / reads, passes);
    printf(" seq_mib_s_each=");
    for (int p = 0; p < passes; p++) {
        printf("%s%.1f", p ? "," : "", mib / seq_s[p]);
    }
    printf(" rand_us_each=");
    for (int p = 0; p < passes; p++) {
        printf("%s%.1f", p ? "," : "", rand_s[p] * 1e6 / reads);
    }
    printf("\n");
    return 0;
}
