/*
 * edu-test: checks QEMU's "edu" teaching device (hw/misc/edu.c, docs/specs/edu.rst) through BAR0,
 * from user space, without a driver.
 *
 *   edu-test /sys/bus/pci/devices/BDF
 *
 * Enables the device (sysfs "enable") and bus mastering (command register bit 2, through the sysfs
 * config file), maps resource0 and checks what the spec promises:
 *   - the identification register (0x00) reads 0xRRrr00ed;
 *   - the liveness register (0x04) returns the bitwise inverse of what was written;
 *   - the factorial unit (0x08, status 0x20 bit 0 = busy) computes 10! = 3628800;
 *   - DMA: DMA_BYTES of a page of this process's RAM (its guest-physical address from /proc/self/pagemap, below
 *     edu's 28-bit DMA mask) is copied into edu's buffer (0x40000) and back into a second page; the
 *     second page then holds the first page's bytes. The device addresses guest RAM by guest-physical
 *     address, so this holds only when the VMM mapped the guest's RAM for DMA at IOVA = GPA;
 *   - MSI: the MSI capability is programmed with address 0xfee00000 (LAPIC of CPU 0) and data VECTOR
 *     (fixed, edge) and enabled; edu then raises its interrupt once through the raise register (0x60)
 *     and once at the end of a DMA (command bit 2). No driver owns VECTOR, so the guest kernel logs
 *     "common_interrupt: 0.VECTOR No irq handler for vector" for each: the caller counts those lines.
 * Prints "id=0x... live=ok fact=3628800 dma_bytes=4096 dma_src=0x... dma_dst=0x... msi_vector=N
 * msi_sent=2" and exits 0, or names the failed step on stderr and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID 0x00
#define EDU_LIVE 0x04
#define EDU_FACT 0x08
#define EDU_STATUS 0x20
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 1u
#define EDU_DMA_TO_RAM 2u
#define EDU_DMA_IRQ 4u
#define EDU_BUFFER 0x40000u
#define EDU_DMA_MASK ((1ull << 28) - 1)
#define PAGE 4096
/*
 * Less than edu's whole 4 KiB buffer: QEMU 7.2's range check is off by one and stops the whole machine
 * ("hardware error: EDU: DMA range 0x40000-0x40fff out of bounds") for a transfer that fills it.
 */
#define DMA_BYTES 2048
#define POOL_PAGES 256
#define MSI_VECTOR 0xe0 /* far above the vectors Linux hands out first (0x21 up), below the system ones */

static volatile uint32_t *bar;

static int fail(const char *what, const char *path) {
    fprintf(stderr, "%s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static uint32_t reg(unsigned off) { return bar[off / 4]; }
static void set_reg(unsigned off, uint32_t v) { bar[off / 4] = v; }

static int elapsed_over(const struct timespec *start, int seconds) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec - start->tv_sec > seconds;
}

/* The guest-physical address of the page at va (which must be resident), or 0. */
static uint64_t physical(int pagemap, void *va) {
    uint64_t entry;
    if (pread(pagemap, &entry, sizeof entry, (uint64_t)(uintptr_t)va / PAGE * 8) != sizeof entry) return 0;
    if (!(entry & (1ull << 63))) return 0;
    uint64_t pfn = entry & ((1ull << 55) - 1);
    return pfn * PAGE;
}

static int cfg_read(int cfg, unsigned off, void *buf, size_t n) { return pread(cfg, buf, n, off) == (ssize_t)n; }
static int cfg_write(int cfg, unsigned off, const void *buf, size_t n) { return pwrite(cfg, buf, n, off) == (ssize_t)n; }

static int dma(uint64_t src, uint64_t dst, uint32_t cmd) {
    set_reg(EDU_DMA_SRC, (uint32_t)src);
    set_reg(EDU_DMA_DST, (uint32_t)dst);
    set_reg(EDU_DMA_COUNT, DMA_BYTES);
    set_reg(EDU_DMA_CMD, cmd | EDU_DMA_START);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (reg(EDU_DMA_CMD) & EDU_DMA_START) {
        if (elapsed_over(&start, 5)) {
            fprintf(stderr, "DMA 0x%llx -> 0x%llx still running after 5 s (command 0x%08x)\n",
                    (unsigned long long)src, (unsigned long long)dst, reg(EDU_DMA_CMD));
            return 0;
        }
        usleep(1000);
    }
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

    snprintf(path, sizeof path, "%s/config", argv[1]);
    int cfg = open(path, O_RDWR);
    if (cfg < 0) return fail("cannot open", path);
    uint16_t command;
    if (!cfg_read(cfg, 0x04, &command, 2)) return fail("cannot read the command register through", path);
    command |= 0x4; /* bus master */
    if (!cfg_write(cfg, 0x04, &command, 2)) return fail("cannot set bus mastering through", path);

    snprintf(path, sizeof path, "%s/resource0", argv[1]);
    int fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0) return fail("cannot open", path);
    bar = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (bar == MAP_FAILED) return fail("cannot mmap", path);

    uint32_t id = reg(EDU_ID);
    if ((id & 0xff) != 0xed) {
        fprintf(stderr, "identification register reads 0x%08x, expected 0x......ed\n", id);
        return 1;
    }
    set_reg(EDU_LIVE, 0x12345678);
    uint32_t live = reg(EDU_LIVE);
    if (live != ~0x12345678u) {
        fprintf(stderr, "liveness register returned 0x%08x for 0x12345678, expected 0x%08x\n", live,
                ~0x12345678u);
        return 1;
    }
    set_reg(EDU_FACT, 10);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (reg(EDU_STATUS) & 1) {
        if (elapsed_over(&start, 5)) {
            fprintf(stderr, "factorial unit still busy after 5 s (status 0x%08x)\n", reg(EDU_STATUS));
            return 1;
        }
    }
    uint32_t fact = reg(EDU_FACT);
    if (fact != 3628800) {
        fprintf(stderr, "factorial of 10 reads %u, expected 3628800\n", fact);
        return 1;
    }

    /* MSI first, so the DMA's completion interrupt is an MSI too. */
    uint8_t cap;
    if (!cfg_read(cfg, 0x34, &cap, 1)) return fail("cannot read the capability pointer through", "config");
    unsigned msi = 0;
    for (int hops = 0; cap >= 0x40 && hops < 48; hops++) {
        uint8_t hdr[2];
        if (!cfg_read(cfg, cap & ~3u, hdr, 2)) return fail("cannot read a capability through", "config");
        if (hdr[0] == 0x05) {
            msi = cap & ~3u;
            break;
        }
        cap = hdr[1];
    }
    if (!msi) {
        fprintf(stderr, "the device lists no MSI capability (ID 0x05)\n");
        return 1;
    }
    uint16_t control;
    if (!cfg_read(cfg, msi + 2, &control, 2)) return fail("cannot read the MSI control through", "config");
    uint32_t addr_lo = 0xfee00000u, addr_hi = 0, data = MSI_VECTOR;
    unsigned data_off = (control & 0x80) ? msi + 12 : msi + 8;
    if (!cfg_write(cfg, msi + 4, &addr_lo, 4) || ((control & 0x80) && !cfg_write(cfg, msi + 8, &addr_hi, 4))
        || !cfg_write(cfg, data_off, &data, 2))
        return fail("cannot program the MSI address and data through", "config");
    control = (control & ~0x70u) | 1; /* one vector, enabled */
    if (!cfg_write(cfg, msi + 2, &control, 2)) return fail("cannot enable MSI through", "config");
    set_reg(EDU_IRQ_RAISE, 0x1);
    usleep(100000);
    set_reg(EDU_IRQ_ACK, 0x1);

    /* DMA: RAM page -> edu buffer -> another RAM page. */
    uint8_t *pool = mmap(NULL, POOL_PAGES * PAGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
    if (pool == MAP_FAILED) return fail("cannot allocate", "the DMA pages");
    int pagemap = open("/proc/self/pagemap", O_RDONLY);
    if (pagemap < 0) return fail("cannot open", "/proc/self/pagemap");
    uint8_t *src = NULL, *dst = NULL;
    uint64_t src_pa = 0, dst_pa = 0;
    for (int i = 0; i < POOL_PAGES && !dst; i++) {
        uint8_t *page = pool + (size_t)i * PAGE;
        page[0] = 1; /* resident */
        uint64_t pa = physical(pagemap, page);
        if (pa == 0 || pa > EDU_DMA_MASK - PAGE) continue;
        if (!src) {
            src = page;
            src_pa = pa;
        } else {
            dst = page;
            dst_pa = pa;
        }
    }
    if (!dst) {
        fprintf(stderr, "no two of %d locked pages lie below edu's 256 MiB DMA limit (pagemap)\n", POOL_PAGES);
        return 1;
    }
    srandom((unsigned)time(NULL));
    for (int i = 0; i < PAGE; i++) src[i] = (uint8_t)random();
    memset(dst, 0, PAGE);
    dst[DMA_BYTES] = 0x5a; /* the byte after the transfer must stay */
    if (!dma(src_pa, EDU_BUFFER, 0)) return 1;
    if (!dma(EDU_BUFFER, dst_pa, EDU_DMA_TO_RAM | EDU_DMA_IRQ)) return 1;
    uint32_t irq_status = reg(EDU_IRQ_STATUS);
    set_reg(EDU_IRQ_ACK, irq_status);
    if (memcmp(src, dst, DMA_BYTES) != 0) {
        int at = 0;
        while (at < DMA_BYTES - 1 && src[at] == dst[at]) at++;
        fprintf(stderr, "DMA round trip 0x%llx -> edu -> 0x%llx changed byte %d: 0x%02x became 0x%02x\n",
                (unsigned long long)src_pa, (unsigned long long)dst_pa, at, src[at], dst[at]);
        return 1;
    }
    if (dst[DMA_BYTES] != 0x5a) {
        fprintf(stderr, "DMA of %d bytes to 0x%llx wrote past its end\n", DMA_BYTES, (unsigned long long)dst_pa);
        return 1;
    }
    if (!(irq_status & 0x100)) {
        fprintf(stderr, "edu's interrupt status 0x%08x lacks the DMA-done bit 0x100\n", irq_status);
        return 1;
    }
    usleep(100000);
    printf("id=0x%08x live=ok fact=%u dma_bytes=%d dma_src=0x%llx dma_dst=0x%llx msi_vector=%d msi_sent=2\n", id,
           fact, DMA_BYTES, (unsigned long long)src_pa, (unsigned long long)dst_pa, MSI_VECTOR);
    return 0;
}
