package dev.jvmm.vfio.pci;

import static dev.jvmm.vfio.sys.VfioConstants.VFIO_PCI_INTX_IRQ_INDEX;

import dev.jvmm.memory.sys.Fd;
import dev.jvmm.memory.sys.Posix;
import dev.jvmm.vfio.Closer;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.kernel.IrqInfo;
import java.util.Optional;

/**
 * The device's INTx pin wired to a GSI with no VMM thread on the path: vfio-pci signals the trigger
 * eventfd and masks the line when the device asserts it; KVM's irqfd (with resample) raises the GSI
 * level-triggered until the guest's EOI, then signals the resample eventfd, which vfio-pci takes as its
 * unmask eventfd and unmasks the line (the scheme of QEMU's vfio_intx_enable_kvm and kvmtool).
 *
 * <p>vfio-pci has one of INTx, MSI and MSI-X enabled at a time: {@link #suspend} disables INTx in VFIO
 * while the guest uses MSI or MSI-X (the KVM irqfd stays), {@link #resume} enables it again. The guest's
 * Command.INTx-disable bit masks the line in VFIO ({@link #guestDisabled}).
 *
 * <p>Order: the irqfd is assigned before VFIO gets the trigger eventfd, so the first assertion reaches
 * the guest; on {@link #close()} VFIO lets go of the eventfds before the irqfd is deassigned and they are
 * closed.
 */
final class IntxRoute implements AutoCloseable {

    private final VfioDevice device;
    private final KvmBinding kvm;
    private final int gsi;
    private final boolean maskable;
    private final Fd trigger;
    private final Fd resample;
    private boolean irqfd;
    private boolean vfioEnabled;
    private boolean guestDisabled;

    private IntxRoute(VfioDevice device, KvmBinding kvm, int gsi, boolean maskable, Fd trigger, Fd resample) {
        this.device = device;
        this.kvm = kvm;
        this.gsi = gsi;
        this.maskable = maskable;
        this.trigger = trigger;
        this.resample = resample;
    }

    /** Whether the device offers INTx through eventfds (an interrupt pin and an eventfd-capable INTx index). */
    static boolean available(VfioDevice device, int pin) {
        return pin >= 1 && pin <= 4 && device.irqs().size() > VFIO_PCI_INTX_IRQ_INDEX
                && device.irqs().get(VFIO_PCI_INTX_IRQ_INDEX).count() >= 1
                && device.irqs().get(VFIO_PCI_INTX_IRQ_INDEX).eventfd();
    }

    /** Wires INTx to {@code gsi} and enables it in VFIO. */
    static IntxRoute connect(VfioDevice device, KvmBinding kvm, int gsi, boolean guestDisabled) {
        IrqInfo info = device.irqs().get(VFIO_PCI_INTX_IRQ_INDEX);
        String name = device.address() + " INTx";
        Fd trigger = Posix.eventfd(0, Posix.EFD_CLOEXEC, name + " trigger");
        Fd resample;
        try {
            resample = Posix.eventfd(0, Posix.EFD_CLOEXEC, name + " resample");
        } catch (RuntimeException e) {
            trigger.close();
            throw e;
        }
        IntxRoute route = new IntxRoute(device, kvm, gsi, info.maskable(), trigger, resample);
        route.guestDisabled = guestDisabled;
        try {
            kvm.assignIrqfd(trigger, gsi, info.maskable() ? Optional.of(resample) : Optional.empty());
            route.irqfd = true;
            route.resume();
            return route;
        } catch (RuntimeException e) {
            try {
                route.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    int gsi() {
        return gsi;
    }

    /** INTx is enabled in VFIO (the guest uses neither MSI nor MSI-X). */
    boolean enabled() {
        return vfioEnabled;
    }

    /** The guest turned to MSI or MSI-X: INTx off in VFIO, as vfio-pci requires before enabling them. */
    void suspend() {
        if (vfioEnabled) {
            vfioEnabled = false;
            device.disableIrq(VFIO_PCI_INTX_IRQ_INDEX);
        }
    }

    /** Back to INTx: trigger and unmask eventfds to VFIO again, masked if the guest disabled INTx. */
    void resume() {
        if (vfioEnabled) {
            return;
        }
        device.setIrqEventfd(VFIO_PCI_INTX_IRQ_INDEX, 0, Optional.of(trigger));
        vfioEnabled = true;
        if (maskable) {
            device.setIrqUnmaskEventfd(VFIO_PCI_INTX_IRQ_INDEX, 0, Optional.of(resample));
            if (guestDisabled) {
                device.maskIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
            }
        }
    }

    /** The guest set or cleared Command.INTx-disable (PCI 3.0 6.2.2): mask or unmask the line in VFIO. */
    void guestDisabled(boolean disabled) {
        if (disabled == guestDisabled) {
            return;
        }
        guestDisabled = disabled;
        if (vfioEnabled && maskable) {
            if (disabled) {
                device.maskIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
            } else {
                device.unmaskIrq(VFIO_PCI_INTX_IRQ_INDEX, 0);
            }
        }
    }

    /** INTx off in VFIO, the irqfd deassigned, both eventfds closed; every step runs. */
    @Override
    public void close() {
        Closer closer = new Closer();
        closer.run(() -> {
            if (device.isOpen()) {
                suspend();
            }
        });
        closer.run(() -> {
            if (irqfd) {
                irqfd = false;
                kvm.deassignIrqfd(trigger, gsi);
            }
        });
        closer.run(trigger::close);
        closer.run(resample::close);
        closer.rethrow();
    }
}
