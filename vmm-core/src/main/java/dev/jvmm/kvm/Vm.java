package dev.jvmm.kvm;

import dev.jvmm.kvm.sys.KvmCaps;
import dev.jvmm.kvm.sys.KvmSystem;
import dev.jvmm.kvm.sys.VcpuFd;
import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.RamRegion;
import dev.jvmm.memory.sys.GuestRam;
import java.util.ArrayList;
import java.util.List;

/**
 * A KVM VM with its guest RAM in memslots, optionally the in-kernel irqchip (PIC, IOAPIC, LAPICs) and
 * PIT, its GSI routing table and its vCPUs.
 *
 * <p>Creation order is the kernel's: TSS and identity map, irqchip, PIT, routing, memslots, then vCPUs.
 * Close order is the reverse: vCPUs (after their threads stopped), memslots, the VM fd. Guest RAM
 * belongs to the caller and is closed after the VM.
 */
public final class Vm implements AutoCloseable {
    /** Three pages KVM needs for real-mode emulation on Intel (QEMU's address, in the platform window). */
    public static final Gpa TSS_ADDR = Gpa.of(0xfeff_d000L);
    /** One page for KVM's identity page table on Intel. */
    public static final Gpa IDENTITY_MAP_ADDR = Gpa.of(0xfeff_c000L);

    private final KvmSystem kvm;
    private final VmFd fd;
    private final GuestRam ram;
    private final Memslots memslots;
    private final GsiRouting routing;
    private final boolean irqchip;
    private final List<VcpuFd> vcpus = new ArrayList<>();

    private Vm(KvmSystem kvm, VmFd fd, GuestRam ram, boolean irqchip) {
        this.kvm = kvm;
        this.fd = fd;
        this.ram = ram;
        this.irqchip = irqchip;
        this.memslots = new Memslots(fd, Math.max(32, fd.checkExtension(KvmCaps.KVM_CAP_NR_MEMSLOTS)));
        this.routing = new GsiRouting(fd);
    }

    /**
     * Creates the VM and maps {@code ram}. With {@code irqchip} the kernel emulates the PIC, IOAPIC, LAPICs
     * and PIT; without, HLT and interrupts are the VMM's business (used by tiny test programs).
     */
    public static Vm create(KvmSystem kvm, GuestRam ram, boolean irqchip) {
        VmFd fd = kvm.createVm();
        try {
            Vm vm = new Vm(kvm, fd, ram, irqchip);
            fd.setIdentityMapAddr(IDENTITY_MAP_ADDR);
            fd.setTssAddr(TSS_ADDR);
            if (irqchip) {
                fd.createIrqchip();
                fd.createPit2();
                vm.routing.commit();
            }
            for (RamRegion r : ram.regions()) {
                vm.memslots.add(r.gpa(), r.hva(), false);
            }
            return vm;
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Creates vCPU {@code id} (ids are APIC ids, from 0) with the host's supported CPUID and reset FPU. */
    public synchronized VcpuFd createVcpu(int id, List<CpuidEntry> cpuid) {
        VcpuFd vcpu = fd.createVcpu(id);
        try {
            vcpu.setCpuid(cpuid);
            vcpu.resetFpu();
        } catch (RuntimeException e) {
            vcpu.close();
            throw e;
        }
        vcpus.add(vcpu);
        return vcpu;
    }

    public KvmSystem kvm() {
        return kvm;
    }

    public VmFd fd() {
        return fd;
    }

    public GuestRam ram() {
        return ram;
    }

    public Memslots memslots() {
        return memslots;
    }

    public GsiRouting routing() {
        return routing;
    }

    public boolean hasIrqchip() {
        return irqchip;
    }

    public synchronized List<VcpuFd> vcpus() {
        return List.copyOf(vcpus);
    }

    /** Closes vCPUs, unmaps every memslot and closes the VM fd. vCPU threads must have stopped. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (VcpuFd v : vcpus) {
            try {
                v.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        vcpus.clear();
        try {
            memslots.removeAll();
        } catch (RuntimeException e) {
            first = first == null ? e : first;
        }
        fd.close();
        if (first != null) {
            throw first;
        }
    }
}
