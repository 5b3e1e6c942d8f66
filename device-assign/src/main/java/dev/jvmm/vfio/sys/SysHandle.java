package dev.jvmm.vfio.sys;

import dev.jvmm.memory.sys.Fd;
import dev.jvmm.vfio.kernel.KernelHandle;

/** A {@link KernelHandle} of {@link SysVfioKernel}: an owned {@link Fd}. */
final class SysHandle implements KernelHandle {

    private final Fd fd;

    SysHandle(Fd fd) {
        this.fd = fd;
    }

    Fd fd() {
        return fd;
    }

    @Override
    public String name() {
        return fd.name();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return fd.toString();
    }
}
