package dev.jvmm.testhost;

/** The checks the L2 initramfs knows (images/l2/init), chosen by {@code jvmm.test=} on its command line. */
public enum L2Test {
    /** The assigned NVMe binds to the stock nvme driver; 8 MiB written and read back with O_DIRECT match; MSI-X counted. */
    NVME_RW("nvme-rw"),
    /** The assigned edu device answers its ID, liveness and factorial registers through BAR0. */
    EDU("edu"),
    /** Reaching init is the check. */
    BOOT("boot");

    private final String param;

    L2Test(String param) {
        this.param = param;
    }

    /** The value of {@code jvmm.test=}. */
    public String param() {
        return param;
    }
}
