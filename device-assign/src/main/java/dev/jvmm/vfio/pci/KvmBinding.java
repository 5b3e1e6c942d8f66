package dev.jvmm.vfio.pci;

import dev.jvmm.kvm.Memslots;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.sys.Fd;
import java.util.Optional;

/**
 * The VM operations an assigned device needs from KVM, one method per ioctl effect: memory slots for its
 * mmap'ed BAR areas, MSI routes in the GSI routing table, irqfds. {@link VmKvmBinding} is the real one
 * (on vmm-core's {@code Vm}); tests use a fake that records the calls in the same log as the fake VFIO
 * kernel, so that the order of VFIO and KVM calls can be asserted.
 *
 * <p>Contract: a refused call throws and changes nothing. {@link #addMemslot} throws
 * {@link IllegalArgumentException} when the range overlaps a slot already there (a guest placing BARs
 * over each other: the caller leaves the piece unmapped).
 */
public interface KvmBinding {

    /** {@code KVM_SET_USER_MEMORY_REGION}: guest range {@code gpa} backed by host memory at {@code hva}. */
    Memslots.Slot addMemslot(GpaRange gpa, Hva hva);

    /** {@code KVM_SET_USER_MEMORY_REGION} with size 0. */
    void removeMemslot(Memslots.Slot slot);

    /** Allocates a GSI delivering MSI {@code address}/{@code data} and installs the routing table. */
    int addMsiRoute(long address, int data);

    /** Points {@code gsi} at a new message; no irqfd may be assigned to it meanwhile. */
    void updateMsiRoute(int gsi, long address, int data);

    /** Frees {@code gsi}; no irqfd may be assigned to it. */
    void removeMsiRoute(int gsi);

    /**
     * {@code KVM_IRQFD}: a write to {@code eventfd} raises {@code gsi} in the kernel. With {@code resample}
     * the GSI is level-triggered: KVM keeps it asserted until the guest's EOI, then signals {@code resample}.
     */
    void assignIrqfd(Fd eventfd, int gsi, Optional<Fd> resample);

    /** {@code KVM_IRQFD} with {@code KVM_IRQFD_FLAG_DEASSIGN}. */
    void deassignIrqfd(Fd eventfd, int gsi);
}
