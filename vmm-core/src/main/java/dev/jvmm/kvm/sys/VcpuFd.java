package dev.jvmm.kvm.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.jvmm.kvm.CpuidEntry;
import dev.jvmm.kvm.ExitHandler;
import dev.jvmm.kvm.VcpuExit;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Mapping;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.memory.sys.ThreadSignals;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * A vCPU file descriptor and its mmap'd {@code kvm_run} page. {@link #run(ExitHandler)} enters the guest
 * and serves port-I/O and MMIO exits in place; everything else comes back as a {@link VcpuExit}.
 *
 * <p>Threading: {@link #run}, {@link #prepareThread()} and the register accessors belong to the vCPU's
 * own thread; {@link #requestImmediateExit(boolean)} may be called from any thread (followed by a kick).
 */
public final class VcpuFd implements AutoCloseable {
    private static final VcpuExit INTERRUPTED = new VcpuExit.Interrupted();
    private static final VcpuExit HLT = new VcpuExit.Hlt();
    private static final VcpuExit SHUTDOWN = new VcpuExit.Shutdown();

    private final int id;
    private final Fd fd;
    private final Mapping runMapping;
    private final MemorySegment run;

    VcpuFd(int id, Fd fd, int mmapSize) {
        this.id = id;
        this.fd = fd;
        this.runMapping = Posix.mmap(mmapSize, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, fd, 0,
                "kvm_run of vcpu " + id);
        this.run = runMapping.segment();
    }

    public int id() {
        return id;
    }

    /**
     * Makes the calling thread this vCPU's runner: blocks the kick signal in it and tells KVM to unblock
     * it only inside KVM_RUN. Returns the thread's pthread_t for {@link ThreadSignals#kick(long)}.
     */
    public long prepareThread() {
        long mask = ThreadSignals.blockKickSignal();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = KvmSignalMask.allocate(a);
            KvmSignalMask.sigset(s).set(JAVA_LONG_UNALIGNED, 0, mask);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_SIGNAL_MASK, s, "KVM_SET_SIGNAL_MASK");
        }
        return ThreadSignals.currentThread();
    }

    /** {@link #lastExitReason()} after a KVM_RUN that returned an error (EINTR: a kick) instead of an exit. */
    private static final int NO_EXIT = -1;

    /** Written and read by the vCPU's own thread only. */
    private int lastExitReason = NO_EXIT;

    /**
     * The {@code kvm_run.exit_reason} of the last {@link #run} ({@link KvmExit} constants), or
     * -1 when KVM_RUN returned an error (a kick's EINTR); for the vCPU's own thread.
     */
    public int lastExitReason() {
        return lastExitReason;
    }

    /** Sets kvm_run.immediate_exit: while set, KVM_RUN returns EINTR at once instead of entering the guest. */
    public void requestImmediateExit(boolean exit) {
        KvmRun.setImmediateExit(run, exit);
    }

    /**
     * One KVM_RUN. Returns null when the exit was a port-I/O or MMIO access served through
     * {@code handler}; otherwise the reason the guest stopped.
     */
    public VcpuExit run(ExitHandler handler) {
        int rc = Posix.ioctlErrno(fd, KvmIoctls.KVM_RUN, 0L);
        if (rc < 0) {
            lastExitReason = NO_EXIT;
            if (-rc == Errno.EINTR || -rc == Errno.EAGAIN) {
                ThreadSignals.drainPendingKicks();
                return INTERRUPTED;
            }
            throw new ErrnoException(-rc, "KVM_RUN", fd.name(), null);
        }
        int reason = KvmRun.exitReason(run);
        lastExitReason = reason;
        switch (reason) {
            case KvmExit.KVM_EXIT_IO -> {
                serveIo(handler);
                return null;
            }
            case KvmExit.KVM_EXIT_MMIO -> {
                serveMmio(handler);
                return null;
            }
            case KvmExit.KVM_EXIT_HLT -> {
                return HLT;
            }
            case KvmExit.KVM_EXIT_SHUTDOWN -> {
                return SHUTDOWN;
            }
            case KvmExit.KVM_EXIT_INTR -> {
                return INTERRUPTED;
            }
            case KvmExit.KVM_EXIT_SYSTEM_EVENT -> {
                return new VcpuExit.SystemEvent(KvmRun.systemEventType(run));
            }
            case KvmExit.KVM_EXIT_FAIL_ENTRY -> {
                return new VcpuExit.FailEntry(KvmRun.failEntryHardwareEntryFailureReason(run),
                        KvmRun.failEntryCpu(run));
            }
            case KvmExit.KVM_EXIT_INTERNAL_ERROR -> {
                int n = Math.min(KvmRun.internalNdata(run), 16);
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = KvmRun.internalData(run, i);
                }
                return new VcpuExit.InternalError(KvmRun.internalSuberror(run), data);
            }
            default -> {
                return new VcpuExit.Unhandled(reason);
            }
        }
    }

    private void serveIo(ExitHandler handler) {
        MemorySegment data = KvmRun.ioData(run);
        int size = KvmRun.ioSize(run);
        int port = KvmRun.ioPort(run);
        long count = data.byteSize() / size;
        boolean out = KvmRun.ioDirection(run) == KvmExit.KVM_EXIT_IO_OUT;
        for (long i = 0; i < count; i++) {
            long offset = i * size;
            if (out) {
                handler.pioWrite(port, size, load(data, offset, size));
            } else {
                store(data, offset, size, handler.pioRead(port, size));
            }
        }
    }

    private void serveMmio(ExitHandler handler) {
        MemorySegment data = KvmRun.mmioData(run);
        long gpa = KvmRun.mmioPhysAddr(run);
        int len = (int) data.byteSize();
        boolean write = KvmRun.mmioIsWrite(run);
        if (len == 1 || len == 2 || len == 4 || len == 8) {
            if (write) {
                handler.mmioWrite(gpa, len, load(data, 0, len));
            } else {
                store(data, 0, len, handler.mmioRead(gpa, len));
            }
            return;
        }
        // KVM splits an access that crosses a page into pieces of any length: serve those byte by byte.
        for (int i = 0; i < len; i++) {
            if (write) {
                handler.mmioWrite(gpa + i, 1, load(data, i, 1));
            } else {
                store(data, i, 1, handler.mmioRead(gpa + i, 1));
            }
        }
    }

    static long load(MemorySegment s, long offset, int size) {
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(s.get(JAVA_BYTE, offset));
            case 2 -> Short.toUnsignedLong(s.get(JAVA_SHORT_UNALIGNED, offset));
            case 4 -> Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, offset));
            case 8 -> s.get(JAVA_LONG_UNALIGNED, offset);
            default -> throw new IllegalArgumentException("access size " + size);
        };
    }

    static void store(MemorySegment s, long offset, int size, long value) {
        switch (size) {
            case 1 -> s.set(JAVA_BYTE, offset, (byte) value);
            case 2 -> s.set(JAVA_SHORT_UNALIGNED, offset, (short) value);
            case 4 -> s.set(JAVA_INT_UNALIGNED, offset, (int) value);
            case 8 -> s.set(JAVA_LONG_UNALIGNED, offset, value);
            default -> throw new IllegalArgumentException("access size " + size);
        }
    }

    // ---- state ---------------------------------------------------------------------------------

    public dev.jvmm.kvm.Regs getRegs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(KvmRegs.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_REGS, r, "KVM_GET_REGS");
            return KvmStateCodec.regs(r);
        }
    }

    public void setRegs(dev.jvmm.kvm.Regs regs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(KvmRegs.LAYOUT);
            KvmStateCodec.fillRegs(r, regs);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_REGS, r, "KVM_SET_REGS");
        }
    }

    public dev.jvmm.kvm.Sregs getSregs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmSregs.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_SREGS, s, "KVM_GET_SREGS");
            return KvmStateCodec.sregs(s);
        }
    }

    /** KVM_SET_SREGS; the pending-interrupt bitmap is kept as KVM has it. */
    public void setSregs(dev.jvmm.kvm.Sregs sregs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmSregs.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_SREGS, s, "KVM_GET_SREGS");
            KvmStateCodec.fillSregs(s, sregs);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_SREGS, s, "KVM_SET_SREGS");
        }
    }

    /** KVM_SET_CPUID2. */
    public void setCpuid(List<CpuidEntry> entries) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cpuid = KvmCpuid2.allocate(a, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                CpuidEntry c = entries.get(i);
                MemorySegment e = KvmCpuid2.entry(cpuid, i);
                KvmCpuidEntry2.setFunction(e, c.function());
                KvmCpuidEntry2.setIndex(e, c.index());
                KvmCpuidEntry2.setFlags(e, c.flags());
                KvmCpuidEntry2.setEax(e, c.eax());
                KvmCpuidEntry2.setEbx(e, c.ebx());
                KvmCpuidEntry2.setEcx(e, c.ecx());
                KvmCpuidEntry2.setEdx(e, c.edx());
            }
            Posix.ioctl(fd, KvmIoctls.KVM_SET_CPUID2, cpuid, "KVM_SET_CPUID2");
        }
    }

    /** KVM_SET_MSRS; fails naming the first MSR KVM refused. */
    public void setMsrs(Map<Integer, Long> msrs) {
        List<Map.Entry<Integer, Long>> list = List.copyOf(msrs.entrySet());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = KvmMsrs.allocate(a, list.size());
            for (int i = 0; i < list.size(); i++) {
                MemorySegment e = KvmMsrs.entry(s, i);
                KvmMsrEntry.setIndex(e, list.get(i).getKey());
                KvmMsrEntry.setData(e, list.get(i).getValue());
            }
            int set = Posix.ioctl(fd, KvmIoctls.KVM_SET_MSRS, s, "KVM_SET_MSRS");
            if (set < list.size()) {
                throw new KvmUnsupportedException(String.format("KVM_SET_MSRS on vcpu %d refused MSR 0x%x = 0x%x",
                        id, list.get(set).getKey(), list.get(set).getValue()));
            }
        }
    }

    /** KVM_GET_MSRS of one MSR. */
    public long getMsr(int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = KvmMsrs.allocate(a, 1);
            KvmMsrEntry.setIndex(KvmMsrs.entry(s, 0), index);
            int got = Posix.ioctl(fd, KvmIoctls.KVM_GET_MSRS, s, "KVM_GET_MSRS");
            if (got != 1) {
                throw new KvmUnsupportedException(String.format("KVM_GET_MSRS on vcpu %d: MSR 0x%x unknown", id, index));
            }
            return KvmMsrEntry.data(KvmMsrs.entry(s, 0));
        }
    }

    /** KVM_SET_FPU with the x87/SSE reset state Linux expects (FCW 0x37f, MXCSR 0x1f80). */
    public void resetFpu() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmFpu.LAYOUT);
            KvmFpu.setFcw(s, 0x37f);
            KvmFpu.setMxcsr(s, 0x1f80);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_FPU, s, "KVM_SET_FPU");
        }
    }

    /** APIC register offsets and LVT delivery modes (Intel SDM Vol. 3A, 11.5.1). */
    private static final int APIC_LVT0 = 0x350, APIC_LVT1 = 0x360;
    private static final int DELIVERY_EXTINT = 0x7 << 8, DELIVERY_NMI = 0x4 << 8, DELIVERY_MASK = 0x7 << 8;

    /**
     * Wires LINT0 to ExtINT (the PIC's output) and LINT1 to NMI, as a PC's firmware leaves them: Linux
     * relies on it for the timer check through the PIC and for NMIs.
     */
    public void configureLocalInterrupts() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmLapicState.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_LAPIC, s, "KVM_GET_LAPIC");
            KvmLapicState.setReg(s, APIC_LVT0, (KvmLapicState.reg(s, APIC_LVT0) & ~DELIVERY_MASK) | DELIVERY_EXTINT);
            KvmLapicState.setReg(s, APIC_LVT1, (KvmLapicState.reg(s, APIC_LVT1) & ~DELIVERY_MASK) | DELIVERY_NMI);
            Posix.ioctl(fd, KvmIoctls.KVM_SET_LAPIC, s, "KVM_SET_LAPIC");
        }
    }

    /** The LVT0/LVT1 registers, for checks. */
    public int[] localInterruptVectors() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(KvmLapicState.LAYOUT);
            Posix.ioctl(fd, KvmIoctls.KVM_GET_LAPIC, s, "KVM_GET_LAPIC");
            return new int[] {KvmLapicState.reg(s, APIC_LVT0), KvmLapicState.reg(s, APIC_LVT1)};
        }
    }

    /** Unmaps kvm_run and closes the vCPU; its thread must have left KVM_RUN. */
    @Override
    public void close() {
        try {
            runMapping.close();
        } finally {
            fd.close();
        }
    }
}
