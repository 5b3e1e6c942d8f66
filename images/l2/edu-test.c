/*
 * edu-test: checks QEMU's "edu" teaching device (hw/misc/edu.c, docs/specs/edu.rst) through BAR0,
 * from user space, without a driver.
 *
 *   edu-test /sys/bus/pci/devices/BDF
 *
 * Enables the device (sysfs "enable"), maps resource0 and checks the three things the spec promises:
 * the identification register (0x00) reads 0xRRrr00ed, the liveness register (0x04) returns the
 * bitwise inverse of what was written, and the factorial unit (0x08, status 0x20 bit 0 = busy)
 * computes 10! = 3628800. Prints "id=0x... live=ok fact=3628800" and exits 0, or names the failed
 * step on stderr and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, const char *path) {
    fprintf(stderr, "%s %s: %s\n", what, path, strerror(errno));
    return 1;
}

int main(int argc, char **argv) {
    char path[512];
    if (argc != 2) {
        fprintf(stderr, "usage: edu-test /sys/bus/pci/devices/BDF\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/enable", argv[1]);
    int en = open(path, O_WRONLY);
    if (en < 0 || write(en, "1", 1) != 1) return fail("cannot enable the device through", path);
    close(en);

    snprintf(path, sizeof path, "%s/resource0", argv[1]);
    int fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0) return fail("cannot open", path);
    volatile uint32_t *bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (bar == MAP_FAILED) return fail("cannot mmap", path);

    uint32_t id = bar[0];
    if ((id & 0xff) != 0xed) {
        fprintf(stderr, "identification register reads 0x%08x, expected 0x......ed\n", id);
        return 1;
    }
    bar[1] = 0x12345678;
    uint32_t live = bar[1];
    if (live != ~0x12345678u) {
        fprintf(stderr, "liveness register returned 0x%08x for 0x12345678, expected 0x%08x\n", live,
                ~0x12345678u);
        return 1;
    }
    bar[2] = 10;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (bar[8] & 1) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 5) {
            fprintf(stderr, "factorial unit still busy after 5 s (status 0x%08x)\n", bar[8]);
            return 1;
        }
    }
    uint32_t fact = bar[2];
    if (fact != 3628800) {
        fprintf(stderr, "factorial of 10 reads %u, expected 3628800\n", fact);
        return 1;
    }
    printf("id=0x%08x live=ok fact=%u\n", id, fact);
    return 0;
}
