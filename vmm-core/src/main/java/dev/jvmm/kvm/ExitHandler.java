package dev.jvmm.kvm;

/**
 * Serves the port-I/O and MMIO exits of a vCPU. Sizes are 1, 2, 4 or 8; values little-endian,
 * zero-extended. Called on the vCPU thread.
 */
public interface ExitHandler {
    long pioRead(int port, int size);

    void pioWrite(int port, int size, long value);

    long mmioRead(long gpa, int size);

    void mmioWrite(long gpa, int size, long value);
}
