package dev.jvmm.vfio.fake;

import dev.jvmm.vfio.kernel.KernelHandle;

/** A descriptor of the fake kernel; closing it runs the kernel's release logic and is logged. */
final class FakeHandle implements KernelHandle {

    enum Kind { CONTAINER, GROUP, DEVICE, KVM_DEVICE }

    final FakeVfioKernel kernel;
    final Kind kind;
    final String name;
    final int fd;
    private boolean open = true;

    FakeHandle(FakeVfioKernel kernel, Kind kind, String name, int fd) {
        this.kernel = kernel;
        this.kind = kind;
        this.name = name;
        this.fd = fd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            kernel.released(this);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + " " + name;
    }
}
