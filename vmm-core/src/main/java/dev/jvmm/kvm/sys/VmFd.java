package dev.jvmm.kvm.sys;

import dev.jvmm.kvm.IrqRoute;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A KVM VM file descriptor: memslots, the in-kernel irqchip and PIT, GSI routing, irqfds and ioeventfds.
 * Methods take values and owned {@link Fd}s; the structs stay inside this package.
 */
public final class VmFd implements AutoCloseable {
    private final KvmSystem kvm;
    private final Fd fd;

    VmFd(KvmSystem kvm, Fd fd) {
        this.kvm = kvm;
        this.fd = fd;
    }

    public KvmSystem kvm() {
        return kvm;
    }

    /** KVM_SET_TSS_ADDR: three pages of guest-physical space KVM uses for real-mode emulation on Intel. */
    public void setTssAddr(Gpa gpa) {
        Posix.ioctl(fd, KvmIoctls.KVM_SET_TSS_ADDR, gpa.value(), "KVM_SET_TSS_ADDR");
    }

    /** KVM_SET_IDENTITY_MAP_ADDR: one page KVM uses for the identity page table on Intel. */
    public void setIdentityMapAddr(Gpa gpa) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(8);
            addr.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, gpa.value());
            Posix.ioctl(fd, KvmIoctls.KVM_SET_IDENTITY_MAP_ADDR, addr, "KVM_SET_IDENTITY_MAP_ADDR");
        }
    }

    /** KVM_CREATE_IRQCHIP: in-kernel PIC, IOAPIC and per-vCPU LAPIC. Must precede vCPU creation. */
    public void createIrqchip() {
        Posix.ioctl(fd, KvmIoctls.KVM_CREATE_IRQCHIP, 0L, "KVM_CREATE_IRQCHIP");
    }

    /** KVM_CREATE_PIT2: the in-kernel i8254, its speaker port emulation dummied. */
    public void createPit2() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cfg = a.allocate(KvmPitConfig.LAYOUT);
            KvmPitConfig.setFlags(cfg, KvmConstants.KVM_PIT_SPEAKER_DUMMY);
            Posix.ioctl(fd, KvmIoctls.KVM_CREATE_PIT2, cfg, "KVM_CREATE_PIT2");
        }
    }

    /**
     * KVM_SET_USER_MEMORY_REGION: maps {@code size} bytes at {@code hva} into the guest at {@code gpa} as
     * slot {@code slot}; size 0 deletes the slot.
     */
    public void setUserMemoryRegion(int slot, Gpa gpa, long size, Hva hva, boolean readOnly) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(KvmUserspaceMemoryRegion.LAYOUT);
            KvmUserspaceMemoryRegion.setSlot(r, slot);
            KvmUserspaceMemoryRegion.setFlags(r, readOnly ? KvmConstants.KVM_MEM_READONLY : 0);
            KvmUserspaceMemoryRegion.setGuestPhysAddr(r, gpa.value());
            KvmUserspaceMemoryRegion.setMemorySize(r, size);
            KvmUserspaceMemoryRegion.setUserspaceAddr(r, hva.value());
            int rc = Posix.ioctlErrno(fd, KvmIoctls.KVM_SET_USER_MEMORY_REGION, r);
            if (rc < 0) {
                String what = String.format("slot %d, %s +0x%x from %s", slot, gpa, size, hva);
                ErrnoException e = new ErrnoException(-rc, "KVM_SET_USER_MEMORY_REGION", what, null);
                throw -rc == Errno.EEXIST
                        ? e.withFix("the range overlaps another memslot: check the guest layout")
                        : e;
            }
        }
    }

    /** KVM_SET_GSI_ROUTING: replaces the whole routing table with {@code routes}. */
    public void setGsiRouting(List<IrqRoute> routes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment table = KvmIrqRouting.allocate(a, routes.size());
            for (int i = 0; i < routes.size(); i++) {
                MemorySegment e = KvmIrqRouting.entry(table, i);
                switch (routes.get(i)) {
                    case IrqRoute.Irqchip c -> KvmIrqRoutingEntry.setIrqchipRoute(e, c.gsi(), c.chip(), c.pin());
                    case IrqRoute.Msi m -> KvmIrqRoutingEntry.setMsiRoute(e, m.gsi(), m.address(), m.data());
                }
            }
            Posix.ioctl(fd, KvmIoctls.KVM_SET_GSI_ROUTING, table, "KVM_SET_GSI_ROUTING");
        }
    }

    /**
     * KVM_IRQFD: a write to {@code eventfd} raises {@code gsi} in the kernel, with no VMM thread involved.
     * With {@code resample} (level-triggered INTx) KVM signals it when the guest EOIs the line.
     */
    public void assignIrqfd(Fd eventfd, int gsi, Fd resample) {
        irqfd(eventfd, gsi, resample, resample == null ? 0 : KvmConstants.KVM_IRQFD_FLAG_RESAMPLE, "assign");
    }

    /** KVM_IRQFD with KVM_IRQFD_FLAG_DEASSIGN. */
    public void deassignIrqfd(Fd eventfd, int gsi) {
        irqfd(eventfd, gsi, null, KvmConstants.KVM_IRQFD_FLAG_DEASSIGN, "deassign");
    }

    private void irqfd(Fd eventfd, int gsi, Fd resample, int flags, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmIrqfd.LAYOUT);
            KvmIrqfd.setFd(s, eventfd.raw());
            KvmIrqfd.setGsi(s, gsi);
            KvmIrqfd.setFlags(s, flags);
            if (resample != null) {
                KvmIrqfd.setResamplefd(s, resample.raw());
            }
            int rc = Posix.ioctlErrno(fd, KvmIoctls.KVM_IRQFD, s);
            if (rc < 0) {
                throw new ErrnoException(-rc, "KVM_IRQFD", what + " " + eventfd.name() + " on GSI " + gsi, null);
            }
        }
    }

    /**
     * KVM_IOEVENTFD: a guest write of {@code length} bytes to {@code address} (port I/O when {@code pio})
     * signals {@code eventfd} inside the kernel, without an exit to the VMM. {@code datamatch} null matches
     * any value.
     */
    public void ioeventfd(Fd eventfd, long address, int length, boolean pio, Long datamatch, boolean deassign) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmIoeventfd.LAYOUT);
            KvmIoeventfd.setAddr(s, address);
            KvmIoeventfd.setLen(s, length);
            KvmIoeventfd.setFd(s, eventfd.raw());
            int flags = (pio ? KvmConstants.KVM_IOEVENTFD_FLAG_PIO : 0)
                    | (deassign ? KvmConstants.KVM_IOEVENTFD_FLAG_DEASSIGN : 0);
            if (datamatch != null) {
                flags |= KvmConstants.KVM_IOEVENTFD_FLAG_DATAMATCH;
                KvmIoeventfd.setDatamatch(s, datamatch);
            }
            KvmIoeventfd.setFlags(s, flags);
            int rc = Posix.ioctlErrno(fd, KvmIoctls.KVM_IOEVENTFD, s);
            if (rc < 0) {
                throw new ErrnoException(-rc, "KVM_IOEVENTFD", String.format("%s %s 0x%x len %d",
                        deassign ? "deassign" : "assign", pio ? "port" : "MMIO", address, length), null);
            }
        }
    }

    /** KVM_SIGNAL_MSI: injects one MSI now; returns false when the guest blocked it (no LAPIC accepted it). */
    public boolean signalMsi(long address, int data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmMsi.LAYOUT);
            KvmMsi.setAddressLo(s, (int) address);
            KvmMsi.setAddressHi(s, (int) (address >>> 32));
            KvmMsi.setData(s, data);
            return Posix.ioctl(fd, KvmIoctls.KVM_SIGNAL_MSI, s, "KVM_SIGNAL_MSI") > 0;
        }
    }

    /** KVM_IRQ_LINE: drives GSI {@code gsi} of the in-kernel irqchip high or low. */
    public void irqLine(int gsi, boolean high) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmIrqLevel.LAYOUT);
            KvmIrqLevel.setIrq(s, gsi);
            KvmIrqLevel.setLevel(s, high ? 1 : 0);
            Posix.ioctl(fd, KvmIoctls.KVM_IRQ_LINE, s, "KVM_IRQ_LINE");
        }
    }

    /** KVM_CREATE_VCPU and the mapping of its kvm_run page. */
    public VcpuFd createVcpu(int id) {
        int vcpu = Posix.ioctl(fd, KvmIoctls.KVM_CREATE_VCPU, id, "KVM_CREATE_VCPU");
        Fd vcpuFd = Fd.adopt(vcpu, "vcpu " + id);
        try {
            return new VcpuFd(id, vcpuFd, kvm.vcpuMmapSize());
        } catch (RuntimeException e) {
            vcpuFd.close();
            throw e;
        }
    }

    /** KVM_CREATE_DEVICE: e.g. the VFIO pseudo-device (KVM_DEV_TYPE_VFIO). */
    public Fd createDevice(int type, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmCreateDevice.LAYOUT);
            KvmCreateDevice.setType(s, type);
            Posix.ioctl(fd, KvmIoctls.KVM_CREATE_DEVICE, s, "KVM_CREATE_DEVICE(" + name + ")");
            return Fd.adopt(KvmCreateDevice.fd(s), name);
        }
    }

    /**
     * KVM_GET_CLOCK: the guest's kvmclock now, in nanoseconds. Read it when the vCPUs stop and give it
     * back with {@link #setClock} when they run again, and the guest sees no time pass while paused.
     */
    public long getClock() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmClockData.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_CLOCK, s, "KVM_GET_CLOCK");
            return KvmClockData.clock(s);
        }
    }

    /**
     * KVM_SET_CLOCK with {@code flags} 0: the kvmclock continues from exactly {@code nanoseconds} (with
     * KVM_CLOCK_REALTIME the kernel would add the host time elapsed since a KVM_GET_CLOCK, which is what
     * a paused guest must not see).
     */
    public void setClock(long nanoseconds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmClockData.LAYOUT);
            KvmClockData.setClock(s, nanoseconds);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_CLOCK, s, "KVM_SET_CLOCK");
        }
    }

    /** KVM_CHECK_EXTENSION on the VM (some capabilities answer per VM). */
    public int checkExtension(int capability) {
        return Posix.ioctl(fd, KvmIoctls.KVM_CHECK_EXTENSION, capability, "KVM_CHECK_EXTENSION");
    }

    /** Closing the VM frees every memslot, irqfd and ioeventfd the kernel held for it. */
    @Override
    public void close() {
        fd.close();
    }
}
