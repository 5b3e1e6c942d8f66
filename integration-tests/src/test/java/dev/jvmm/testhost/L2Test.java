package dev.jvmm.testhost;

/** The checks the L2 initramfs knows (images/l2/init), chosen by {@code jvmm.test=} on its command line. */
public enum L2Test {
    /** The assigned NVMe binds to the stock nvme driver; 8 MiB written and read back with O_DIRECT match; MSI-X counted. */
    NVME_RW("nvme-rw"),
    /** The assigned edu device answers its ID, liveness and factorial registers through BAR0. */
    EDU("edu"),
    /**
     * For the QMP tests: the guest runs busybox acpid (power button -> poweroff) and prints
     * {@code JVMM-L2 TICK <uptime>} every 0.2 s until the power button ends it with a PASS.
     */
    QMP("qmp"),
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
