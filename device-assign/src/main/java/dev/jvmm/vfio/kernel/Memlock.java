package dev.jvmm.vfio.kernel;

/**
 * The locked-memory budget VFIO's type1 IOMMU charges when it pins guest RAM for DMA: it refuses
 * ({@code ENOMEM}) to pin beyond {@code RLIMIT_MEMLOCK} unless the process has {@code CAP_IPC_LOCK}.
 *
 * @param limit      the soft {@code RLIMIT_MEMLOCK} in bytes, {@link #UNLIMITED} for none
 * @param locked     bytes this process has locked already ({@code VmLck} in /proc/self/status)
 * @param capIpcLock the process has {@code CAP_IPC_LOCK} (root has), which lifts the limit
 */
public record Memlock(long limit, long locked, boolean capIpcLock) {

    /** {@code RLIM_INFINITY}. */
    public static final long UNLIMITED = -1L;

    /** Whether {@code bytes} more may be pinned. */
    public boolean allows(long bytes) {
        if (capIpcLock || limit == UNLIMITED) {
            return true;
        }
        long needed = neededFor(bytes);
        return needed >= 0 && Long.compareUnsigned(needed, limit) <= 0;
    }

    /** The limit that pinning {@code bytes} more needs: what is locked already plus {@code bytes}. */
    public long neededFor(long bytes) {
        return Math.addExact(locked, bytes);
    }
}
