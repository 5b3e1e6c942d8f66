package dev.jvmm.vfio.pci;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_MSIX_IRQ_INDEX;
import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_MSI_IRQ_INDEX;

import dev.jvmm.bus.GuestAccessLog;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.config.InterruptListener;
import dev.jvmm.vfio.config.MsiVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * MSI and MSI-X of an assigned device, from the guest's programming (reported by {@code VfioConfigSpace}
 * and its MSI-X table) to VFIO and KVM: one eventfd per vector, which vfio-pci signals
 * ({@code VFIO_DEVICE_SET_IRQS}) and KVM's irqfd turns into the guest's message through an MSI route. No
 * VMM thread is on the interrupt path.
 *
 * <p>Enabling (the guest sets MSI or MSI-X enable): INTx off in VFIO, eventfds for every vector
 * (vfio-pci enables MSI and MSI-X with a fixed vector count, so MSI-X gets the whole table), routes and
 * irqfds for the vectors the guest left unmasked, then {@code SET_IRQS} with the eventfds, which sets the
 * device's own enable bit: all before the guest's config write completes. Later changes of one vector go
 * through {@link HostVector#reconcile}. Disabling: {@code SET_IRQS} off first (the device stops
 * signalling), then irqfds, routes and eventfds, and INTx back on.
 *
 * <p>A guest enabling MSI and MSI-X together (undefined, PCI 3.0 6.8.2) gets the first one it enabled;
 * the other is ignored, counted and logged, as is an unmasked vector whose address is no interrupt
 * message. Host failures (SET_IRQS, routes, irqfds) propagate.
 */
final class MsiRouting implements InterruptListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MsiRouting.class.getName());

    private enum Mode { NONE, MSI, MSIX }

    private final VfioDevice device;
    private final KvmBinding kvm;
    private Optional<IntxRoute> intx = Optional.empty();
    private final Supplier<List<MsiVector>> msixTable;
    private final GuestAccessLog ignored;
    private Mode mode = Mode.NONE;
    private boolean functionMasked;
    private List<HostVector> vectors = List.of();

    MsiRouting(VfioDevice device, KvmBinding kvm, Supplier<List<MsiVector>> msixTable) {
        this.device = device;
        this.kvm = kvm;
        this.msixTable = msixTable;
        this.ignored = new GuestAccessLog("vfio " + device.address() + " interrupts", LOG);
    }

    /** INTx, once connected: suspended while MSI or MSI-X is on. */
    void useIntx(IntxRoute route) {
        intx = Optional.of(route);
        if (mode != Mode.NONE) {
            route.suspend();
        }
    }

    @Override
    public void msiConfigured(List<MsiVector> guest) {
        if (mode == Mode.MSIX) {
            ignored.ignored(() -> "MSI enable while MSI-X is enabled");
            return;
        }
        if (mode == Mode.MSI) {
            disable();
        }
        if (!guest.isEmpty()) {
            enable(Mode.MSI, guest);
        }
    }

    @Override
    public void msiVectorChanged(MsiVector guest) {
        if (mode == Mode.MSI && guest.vector() < vectors.size()) {
            reconcile(vectors.get(guest.vector()), guest);
        }
    }

    @Override
    public void msixConfigured(boolean enabled, boolean masked) {
        if (mode == Mode.MSI) {
            if (enabled) {
                ignored.ignored(() -> "MSI-X enable while MSI is enabled");
            }
            return;
        }
        functionMasked = masked;
        if (!enabled) {
            if (mode == Mode.MSIX) {
                disable();
            }
        } else if (mode == Mode.NONE) {
            enable(Mode.MSIX, msixTable.get());
        } else {
            List<MsiVector> table = msixTable.get();
            for (int i = 0; i < vectors.size(); i++) {
                reconcile(vectors.get(i), table.get(i));
            }
        }
    }

    @Override
    public void msixVectorChanged(MsiVector guest) {
        if (mode == Mode.MSIX && guest.vector() < vectors.size()) {
            reconcile(vectors.get(guest.vector()), guest);
        }
    }

    private void reconcile(HostVector host, MsiVector guest) {
        if (!host.reconcile(guest, mode == Mode.MSIX && functionMasked, kvm)) {
            ignored.ignored(() -> "unmasked " + guest + ": its address is no interrupt message (0xfeeXXXXX)");
        }
    }

    private void enable(Mode m, List<MsiVector> guest) {
        intx.ifPresent(IntxRoute::suspend);
        List<HostVector> created = new ArrayList<>();
        mode = m;
        vectors = created;
        try {
            for (MsiVector v : guest) {
                created.add(new HostVector(v.vector(), Posix.eventfd(0, Posix.EFD_CLOEXEC,
                        device.address() + (m == Mode.MSI ? " MSI " : " MSI-X ") + v.vector())));
            }
            for (int i = 0; i < guest.size(); i++) {
                reconcile(created.get(i), guest.get(i));
            }
            device.enableIrqEventfds(index(m), created.stream().map(HostVector::eventfd).toList());
        } catch (RuntimeException e) {
            mode = Mode.NONE;
            vectors = List.of();
            release(created, e);
            intx.ifPresent(IntxRoute::resume);
            throw e;
        }
    }

    private void disable() {
        Mode was = mode;
        List<HostVector> old = vectors;
        mode = Mode.NONE;
        vectors = List.of();
        RuntimeException failure = null;
        try {
            device.disableIrq(index(was));
        } catch (RuntimeException e) {
            failure = e;
        }
        release(old, failure);
        if (failure != null) {
            throw failure;
        }
        intx.ifPresent(IntxRoute::resume);
    }

    private void release(List<HostVector> list, RuntimeException primary) {
        RuntimeException failure = primary;
        for (HostVector h : list) {
            try {
                h.release(kvm);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (primary == null && failure != null) {
            throw failure;
        }
    }

    private static int index(Mode m) {
        return m == Mode.MSI ? VFIO_PCI_MSI_IRQ_INDEX : VFIO_PCI_MSIX_IRQ_INDEX;
    }

    /** "MSI", "MSI-X" or "INTx"/"none": what the device interrupts with now. */
    String mode() {
        return switch (mode) {
            case MSI -> "MSI";
            case MSIX -> "MSI-X";
            case NONE -> intx.filter(IntxRoute::enabled).isPresent() ? "INTx" : "none";
        };
    }

    /** The host vectors now, for tests and diagnostics. */
    List<HostVector> vectors() {
        return List.copyOf(vectors);
    }

    long ignoredRequests() {
        return ignored.count();
    }

    /** MSI or MSI-X off (VFIO first), every vector released; INTx is left to its owner. */
    @Override
    public void close() {
        if (mode == Mode.NONE) {
            return;
        }
        Mode was = mode;
        List<HostVector> old = vectors;
        mode = Mode.NONE;
        vectors = List.of();
        RuntimeException failure = null;
        try {
            if (device.isOpen()) {
                device.disableIrq(index(was));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        release(old, failure);
        if (failure != null) {
            throw failure;
        }
    }
}
