package dev.jvmm.qmp;

import java.util.Objects;
import java.util.Optional;

/**
 * One vCPU as {@code query-cpus-fast} reports it ({@code CpuInfoFast}).
 *
 * @param cpuIndex the CPU index (0-based)
 * @param qomPath the object path, e.g. {@code /machine/unattached/device[0]}
 * @param threadId the host thread ID (Linux TID) that runs this vCPU
 * @param props the CPU's place in the topology, if the machine defines one
 * @param target the emulated architecture, {@code "x86_64"} for jvmm
 */
public record CpuInfo(int cpuIndex, String qomPath, long threadId, Optional<CpuInstanceProperties> props,
        String target) {

    /** The target jvmm runs. */
    public static final String X86_64 = "x86_64";

    public CpuInfo {
        if (cpuIndex < 0) {
            throw new IllegalArgumentException("cpuIndex " + cpuIndex + " is negative");
        }
        Objects.requireNonNull(qomPath, "qomPath");
        Objects.requireNonNull(props, "props");
        Objects.requireNonNull(target, "target");
    }
}
