package dev.jvmm.kvm;

import dev.jvmm.kvm.sys.VmFd;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The VM's GSI routing table. KVM_SET_GSI_ROUTING replaces the whole table, so this class keeps it: the
 * legacy irqchip routes QEMU installs (ISA IRQs on the PICs, GSI 0 on IOAPIC pin 2 for the PIT, GSIs 1-23
 * on the matching IOAPIC pins) plus the MSI routes devices allocate from GSI 24 upward.
 */
public final class GsiRouting {
    /** GSIs below this are the IOAPIC's pins; MSI routes start here. */
    public static final int FIRST_MSI_GSI = 24;
    /** KVM_MAX_IRQ_ROUTES. */
    public static final int MAX_ROUTES = 4096;

    private final VmFd vm;
    private final List<IrqRoute> legacy;
    private final TreeMap<Integer, IrqRoute.Msi> msi = new TreeMap<>();
    private final BitSet used = new BitSet();

    public GsiRouting(VmFd vm) {
        this.vm = vm;
        this.legacy = legacyRoutes();
    }

    /** QEMU's kvm_pc_setup_irq_routing: PIC pins for ISA IRQs (not the cascade), IOAPIC pins for 0-23. */
    static List<IrqRoute> legacyRoutes() {
        List<IrqRoute> routes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i != 2) {
                routes.add(new IrqRoute.Irqchip(i, IrqRoute.Irqchip.PIC_MASTER, i));
            }
        }
        for (int i = 8; i < 16; i++) {
            routes.add(new IrqRoute.Irqchip(i, IrqRoute.Irqchip.PIC_SLAVE, i - 8));
        }
        for (int i = 0; i < 24; i++) {
            if (i == 0) {
                routes.add(new IrqRoute.Irqchip(0, IrqRoute.Irqchip.IOAPIC, 2));
            } else if (i != 2) {
                routes.add(new IrqRoute.Irqchip(i, IrqRoute.Irqchip.IOAPIC, i));
            }
        }
        return List.copyOf(routes);
    }

    /** Installs the table as it stands (legacy routes plus every MSI route). */
    public synchronized void commit() {
        List<IrqRoute> all = new ArrayList<>(legacy);
        all.addAll(msi.values());
        vm.setGsiRouting(all);
    }

    /** Allocates a GSI delivering the MSI {@code address}/{@code data} and installs the table. */
    public synchronized int addMsi(long address, int data) {
        int gsi = used.nextClearBit(FIRST_MSI_GSI);
        if (gsi >= MAX_ROUTES) {
            throw new IllegalStateException("all " + (MAX_ROUTES - FIRST_MSI_GSI) + " MSI routes are in use");
        }
        IrqRoute.Msi route = new IrqRoute.Msi(gsi, address, data);
        msi.put(gsi, route);
        used.set(gsi);
        try {
            commit();
        } catch (RuntimeException e) {
            msi.remove(gsi);
            used.clear(gsi);
            throw e;
        }
        return gsi;
    }

    /**
     * Points an allocated GSI at a new address/data. Callers with an irqfd on the GSI deassign it first
     * (changing a route under a live irqfd is what Cloud Hypervisor found to crash older kernels).
     */
    public synchronized void updateMsi(int gsi, long address, int data) {
        requireMsi(gsi);
        msi.put(gsi, new IrqRoute.Msi(gsi, address, data));
        commit();
    }

    /** Frees an MSI GSI and installs the table. */
    public synchronized void removeMsi(int gsi) {
        requireMsi(gsi);
        msi.remove(gsi);
        used.clear(gsi);
        commit();
    }

    private void requireMsi(int gsi) {
        if (!msi.containsKey(gsi)) {
            throw new IllegalArgumentException("GSI " + gsi + " is not an allocated MSI route");
        }
    }

    public synchronized List<IrqRoute> routes() {
        List<IrqRoute> all = new ArrayList<>(legacy);
        all.addAll(msi.values());
        return all;
    }
}
