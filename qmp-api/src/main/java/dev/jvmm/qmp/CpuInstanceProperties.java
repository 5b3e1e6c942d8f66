package dev.jvmm.qmp;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where a vCPU sits in the machine topology ({@code CpuInstanceProperties}); QEMU sends only the members
 * the machine uses (for x86 typically socket, core and thread, plus node with NUMA).
 */
public record CpuInstanceProperties(
        OptionalInt nodeId,
        OptionalInt socketId,
        OptionalInt dieId,
        OptionalInt clusterId,
        OptionalInt coreId,
        OptionalInt threadId) {

    public CpuInstanceProperties {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(socketId, "socketId");
        Objects.requireNonNull(dieId, "dieId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(coreId, "coreId");
        Objects.requireNonNull(threadId, "threadId");
    }

    /** The usual x86 shape: socket, core and thread IDs. */
    public static CpuInstanceProperties of(int socketId, int coreId, int threadId) {
        return new CpuInstanceProperties(OptionalInt.empty(), OptionalInt.of(socketId), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.of(coreId), OptionalInt.of(threadId));
    }
}
