package dev.jvmm.vmm;

/**
 * One vCPU of the running VM.
 *
 * @param index the vCPU index, which is also its APIC ID
 * @param hostThreadId the kernel thread ID of the host thread running it (as in /proc/PID/task), for
 *     pinning and monitoring; 0 if its thread has not started
 * @param socket the package it sits in (jvmm puts every vCPU in package 0)
 * @param core the core within the package (the vCPU index: one core per vCPU)
 * @param thread the SMT thread within the core (0: cores are single-threaded)
 */
public record VcpuInfo(int index, long hostThreadId, int socket, int core, int thread) {
    public VcpuInfo {
        if (index < 0 || hostThreadId < 0 || socket < 0 || core < 0 || thread < 0) {
            throw new IllegalArgumentException("vCPU " + index + ": negative field in " + hostThreadId + "/" + socket
                    + "/" + core + "/" + thread);
        }
    }
}
