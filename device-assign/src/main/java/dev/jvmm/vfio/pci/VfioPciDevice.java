package dev.jvmm.vfio.pci;

import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_INTX_DISABLE;
import static dev.jvmm.vfio.config.PciRegs.PCI_INTERRUPT_PIN;

import dev.jvmm.bus.Bus;
import dev.jvmm.kvm.Memslots;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.pci.PciBar;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciBarType;
import dev.jvmm.pci.PciDevice;
import dev.jvmm.pci.PciIntxRouting;
import dev.jvmm.vfio.MappedArea;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.config.BarKind;
import dev.jvmm.vfio.config.BarListener;
import dev.jvmm.vfio.config.BarSpec;
import dev.jvmm.vfio.config.BarSpecs;
import dev.jvmm.vfio.config.BarState;
import dev.jvmm.vfio.config.BarStatus;
import dev.jvmm.vfio.config.ConfigSpaceOptions;
import dev.jvmm.vfio.config.GuestWindows;
import dev.jvmm.vfio.config.InterruptListener;
import dev.jvmm.vfio.config.IoPortRange;
import dev.jvmm.vfio.config.MsiVector;
import dev.jvmm.vfio.config.MsixTable;
import dev.jvmm.vfio.config.PciRegs;
import dev.jvmm.vfio.config.VfioConfigSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An assigned PCI function as the guest's PCI bus sees it: config space virtualized by
 * {@link VfioConfigSpace} over the device's config region; BARs placed by {@link BarMapper} (mmap'ed
 * areas as KVM memory slots, the rest trapped and forwarded by {@link TrappedAccess}); MSI and MSI-X by
 * {@link MsiRouting}, INTx by {@link IntxRoute}, all through eventfds and irqfds with no VMM thread on the
 * interrupt path.
 *
 * <p>Life cycle: {@link #create} (the device's memory BARs mmap'ed, the config view built, nothing in the
 * guest yet), placed on the bus by the caller, then {@link #assignBars} (firmware's job: every BAR an
 * address inside the guest's windows, decoding off) and {@link #connectIntx} with the slot the bus gave.
 * {@link #close()} takes everything out of the guest and the kernel (memory slots, bus ranges, VFIO
 * interrupts, irqfds, routes, eventfds); the {@link VfioDevice} itself (mmaps, reset, fd) is closed
 * afterwards by its owner.
 *
 * <p>Threads: config accesses (under the PCI bus lock) and trapped BAR accesses (from any vCPU) take this
 * device's lock, so config space, MSI-X table and interrupt routing change one access at a time. BAR
 * mapping follows {@code VfioConfigSpace}'s {@link BarListener}, which unmaps everything one guest write
 * moves before it maps anything (so a BAR moving onto another's old place never collides with it);
 * the bus's per-BAR {@link #barMoved} calls are therefore not needed and do nothing.
 */
public final class VfioPciDevice implements PciDevice, AutoCloseable {

    private final Object lock;
    private final VfioDevice device;
    private final KvmBinding kvm;
    private final String name;
    private final VfioConfigSpace config;
    private final BarMapper mapper;
    private final MsiRouting msi;
    private final TrappedAccess trapped;
    private IntxRoute intx;
    private boolean closed;

    private VfioPciDevice(Object lock, VfioDevice device, KvmBinding kvm, String name, VfioConfigSpace config,
                          BarMapper mapper, MsiRouting msi, TrappedAccess trapped) {
        this.lock = lock;
        this.device = device;
        this.kvm = kvm;
        this.name = name;
        this.config = config;
        this.mapper = mapper;
        this.msi = msi;
        this.trapped = trapped;
    }

    /**
     * Builds the guest's view of {@code device} and mmaps the mmap-able areas of its memory BARs.
     *
     * @param mmio     the bus trapped pieces of memory BARs go on
     * @param pio      the bus I/O BARs go on
     * @param pageSize the host page size: memory slots are made of whole pages
     * @throws dev.jvmm.vfio.config.ConfigSpaceException if the device is not an endpoint or its config space is broken
     */
    public static VfioPciDevice create(VfioDevice device, KvmBinding kvm, Bus mmio, Bus pio, GuestWindows windows,
                                       ConfigSpaceOptions options, long pageSize) {
        String name = "vfio " + device.address();
        Object lock = new Object();
        List<BarSpec> bars = BarSpecs.probe(device.config(), device::regionSize);
        Listeners listeners = new Listeners();
        VfioConfigSpace config = VfioConfigSpace.create(device.config(), bars, windows, listeners, listeners, options);
        Optional<MsixTable> table = config.msixTable();
        Map<Integer, List<MappedArea>> areas = new HashMap<>();
        Map<Integer, BarLayout> layouts = new HashMap<>();
        for (BarState state : config.bars()) {
            BarSpec b = state.spec();
            if (b.kind() == BarKind.MEMORY32 || b.kind() == BarKind.MEMORY64) {
                areas.put(b.index(), device.mmap(b.index()));
            }
            layouts.put(b.index(), BarLayout.of(b, device.region(b.index()).orElseThrow(), table, pageSize));
        }
        TrappedAccess trapped = new TrappedAccess(lock, device, table);
        BarMapper mapper = new BarMapper(name, kvm, mmio, pio, layouts, areas, trapped);
        MsiRouting msi = new MsiRouting(device, kvm, () -> table.map(MsixTable::vectors).orElse(List.<MsiVector>of()));
        listeners.bars = mapper;
        listeners.interrupts = msi;
        return new VfioPciDevice(lock, device, kvm, name, config, mapper, msi, trapped);
    }

    /**
     * Gives every BAR (and the expansion ROM) an address from {@code allocator}, as firmware does before the
     * guest boots; decoding stays off, so nothing is mapped until the guest's driver enables it.
     */
    public void assignBars(PciBarAllocator allocator) {
        synchronized (lock) {
            for (BarState state : config.bars()) {
                BarSpec b = state.spec();
                int offset = b.kind() == BarKind.ROM ? PciRegs.PCI_ROM_ADDRESS : PciRegs.PCI_BASE_ADDRESS_0 + 4 * b.index();
                long address = allocator.allocate(type(b.kind()), b.size());
                config.write(offset, 4, (int) address);
                if (b.kind() == BarKind.MEMORY64) {
                    config.write(offset + 4, 4, (int) (address >>> 32));
                }
            }
        }
    }

    /**
     * Wires the device's INTx pin, if it has one VFIO can signal, to the GSI {@link PciIntxRouting} gives
     * {@code slot}. Returns that GSI, or empty when the device has no INTx.
     */
    public OptionalInt connectIntx(int slot) {
        synchronized (lock) {
            if (intx != null) {
                throw new IllegalStateException(name + ": INTx is connected already (GSI " + intx.gsi() + ")");
            }
            int pin = config.read(PCI_INTERRUPT_PIN, 1);
            if (!IntxRoute.available(device, pin)) {
                return OptionalInt.empty();
            }
            boolean disabled = (config.read(PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE) != 0;
            intx = IntxRoute.connect(device, kvm, PciIntxRouting.gsi(slot, pin), disabled);
            msi.useIntx(intx);
            return OptionalInt.of(intx.gsi());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int configRead(int offset, int size) {
        synchronized (lock) {
            if (closed) {
                return size == 4 ? -1 : (1 << (8 * size)) - 1;
            }
            return config.read(offset, size);
        }
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            config.write(offset, size, value);
            if (intx != null && offset < PCI_COMMAND + 2 && offset + size > PCI_COMMAND) {
                intx.guestDisabled((config.read(PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE) != 0);
            }
        }
    }

    /** The BARs (not the ROM) as programmed; a BAR decodes where it is mapped. */
    @Override
    public List<PciBar> bars() {
        synchronized (lock) {
            List<PciBar> out = new ArrayList<>();
            for (BarState s : config.bars()) {
                BarSpec b = s.spec();
                if (b.kind() != BarKind.ROM) {
                    out.add(new PciBar(b.index(), type(b.kind()), b.size(), b.prefetchable(), s.address(),
                            s.status() == BarStatus.MAPPED ? OptionalLong.of(s.address()) : OptionalLong.empty()));
                }
            }
            return out;
        }
    }

    private static PciBarType type(BarKind kind) {
        return switch (kind) {
            case MEMORY32, ROM -> PciBarType.MEMORY32;
            case MEMORY64 -> PciBarType.MEMORY64;
            case IO -> PciBarType.IO;
        };
    }

    /**
     * A reset of the machine with the VM kept (not how {@code bin/vmm} resets: it rebuilds the VM, which
     * detaches and re-attaches): the config view back to power-on (BARs unmapped, MSI and MSI-X off), then
     * {@code VFIO_DEVICE_RESET} when the device supports it.
     */
    public void reset() {
        synchronized (lock) {
            config.reset();
            if (intx != null) {
                intx.guestDisabled(false);
            }
            if (device.info().canReset()) {
                device.reset();
            }
        }
    }

    /** The guest's config-space view, for diagnostics and tests. */
    public VfioConfigSpace config() {
        return config;
    }

    public VfioDevice device() {
        return device;
    }

    /** The GSI INTx is wired to, when connected. */
    public OptionalInt intxGsi() {
        synchronized (lock) {
            return intx == null ? OptionalInt.empty() : OptionalInt.of(intx.gsi());
        }
    }

    /** MSI, MSI-X, INTx or none: how the device interrupts now. */
    public String interruptMode() {
        synchronized (lock) {
            return msi.mode();
        }
    }

    /** The memory slots the device's BARs hold now. */
    public List<Memslots.Slot> memslots() {
        synchronized (lock) {
            return mapper.memslots();
        }
    }

    /** Guest requests the device dropped (bad trapped accesses, refused BAR pieces, conflicting interrupt modes). */
    public long ignoredGuestRequests() {
        synchronized (lock) {
            return trapped.ignoredAccesses() + mapper.refusedPieces() + msi.ignoredRequests() + config.badAccesses();
        }
    }

    /**
     * Takes the device out of the guest and the kernel: BARs unmapped (memory slots and bus ranges),
     * MSI/MSI-X off in VFIO and their irqfds, routes and eventfds released, INTx likewise. Every step runs;
     * the first failure is thrown.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            for (Runnable step : List.<Runnable>of(mapper::unmapAll, msi::close, () -> {
                if (intx != null) {
                    intx.close();
                }
            })) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Forwards the config space's reports to the BAR mapper and interrupt routing, which need it built first. */
    private static final class Listeners implements BarListener, InterruptListener {
        BarListener bars;
        InterruptListener interrupts;

        @Override
        public void barMapped(int index, GpaRange range) {
            bars.barMapped(index, range);
        }

        @Override
        public void barUnmapped(int index, GpaRange range) {
            bars.barUnmapped(index, range);
        }

        @Override
        public void ioBarMapped(int index, IoPortRange ports) {
            bars.ioBarMapped(index, ports);
        }

        @Override
        public void ioBarUnmapped(int index, IoPortRange ports) {
            bars.ioBarUnmapped(index, ports);
        }

        @Override
        public void msiConfigured(List<MsiVector> vectors) {
            interrupts.msiConfigured(vectors);
        }

        @Override
        public void msiVectorChanged(MsiVector vector) {
            interrupts.msiVectorChanged(vector);
        }

        @Override
        public void msixConfigured(boolean enabled, boolean functionMasked) {
            interrupts.msixConfigured(enabled, functionMasked);
        }

        @Override
        public void msixVectorChanged(MsiVector vector) {
            interrupts.msixVectorChanged(vector);
        }
    }
}
