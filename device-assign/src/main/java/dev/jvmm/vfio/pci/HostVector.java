package dev.jvmm.vfio.pci;

import dev.jvmm.memory.sys.Fd;
import dev.jvmm.vfio.config.MsiVector;

/**
 * The host side of one MSI or MSI-X vector: the eventfd vfio-pci signals for it, the GSI whose MSI route
 * carries the guest's message, and whether KVM's irqfd joins the two. {@link #reconcile} brings it in
 * line with the guest's programming; it is the one place that does, in the order the kernel needs: a
 * route is never changed or removed while an irqfd is assigned to it (Cloud Hypervisor documents kernel
 * crashes otherwise).
 *
 * <p>A vector the guest masked (or whose function is masked) keeps its route but has no irqfd: what the
 * device signals meanwhile accumulates in the eventfd, and KVM injects it when the irqfd is assigned
 * again at unmask, as a pending bit would be delivered.
 */
final class HostVector {

    /** x86 MSI messages go to 0xfeeXXXXX (Intel SDM vol. 3, 11.11.1). */
    static boolean deliverableAddress(long address) {
        return (address >>> 20) == 0xfeeL;
    }

    private final int vector;
    private final Fd eventfd;
    private int gsi = -1;
    private long address;
    private int data;
    private boolean irqfd;

    HostVector(int vector, Fd eventfd) {
        this.vector = vector;
        this.eventfd = eventfd;
    }

    Fd eventfd() {
        return eventfd;
    }

    int gsi() {
        return gsi;
    }

    boolean irqfdAssigned() {
        return irqfd;
    }

    /**
     * Makes the host match guest vector {@code guest} with the function masked or not. Returns false when
     * the guest unmasked a vector whose address is no interrupt message (nothing is routed then).
     */
    boolean reconcile(MsiVector guest, boolean functionMasked, KvmBinding kvm) {
        boolean wanted = !guest.masked() && !functionMasked;
        boolean valid = deliverableAddress(guest.address());
        if (!wanted || !valid) {
            if (irqfd) {
                irqfd = false;
                kvm.deassignIrqfd(eventfd, gsi);
            }
            return !wanted || valid;
        }
        if (gsi < 0) {
            gsi = kvm.addMsiRoute(guest.address(), guest.data());
        } else if (address != guest.address() || data != guest.data()) {
            if (irqfd) {
                irqfd = false;
                kvm.deassignIrqfd(eventfd, gsi);
            }
            kvm.updateMsiRoute(gsi, guest.address(), guest.data());
        }
        address = guest.address();
        data = guest.data();
        if (!irqfd) {
            kvm.assignIrqfd(eventfd, gsi, java.util.Optional.empty());
            irqfd = true;
        }
        return true;
    }

    /** irqfd deassigned, route freed, eventfd closed: after VFIO stopped signalling it. Every step runs. */
    void release(KvmBinding kvm) {
        try {
            if (irqfd) {
                irqfd = false;
                kvm.deassignIrqfd(eventfd, gsi);
            }
            if (gsi >= 0) {
                int g = gsi;
                gsi = -1;
                kvm.removeMsiRoute(g);
            }
        } finally {
            eventfd.close();
        }
    }

    @Override
    public String toString() {
        return "vector " + vector + (gsi < 0 ? " (no route)" : " -> GSI " + gsi) + (irqfd ? " irqfd" : "");
    }
}
