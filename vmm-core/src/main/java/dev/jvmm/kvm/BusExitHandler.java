package dev.jvmm.kvm;

import dev.jvmm.bus.Bus;

/** Serves vCPU exits from a port-I/O bus and an MMIO bus. */
public record BusExitHandler(Bus pio, Bus mmio) implements ExitHandler {
    @Override
    public long pioRead(int port, int size) {
        return pio.read(port, size);
    }

    @Override
    public void pioWrite(int port, int size, long value) {
        pio.write(port, size, value);
    }

    @Override
    public long mmioRead(long gpa, int size) {
        return mmio.read(gpa, size);
    }

    @Override
    public void mmioWrite(long gpa, int size, long value) {
        mmio.write(gpa, size, value);
    }
}
