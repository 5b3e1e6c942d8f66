package dev.jvmm.vfio.config;

import static dev.jvmm.vfio.config.PciRegs.PCI_BASE_ADDRESS_0;
import static dev.jvmm.vfio.config.PciRegs.PCI_BIST;
import static dev.jvmm.vfio.config.PciRegs.PCI_CACHE_LINE_SIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_CAPABILITY_LIST;
import static dev.jvmm.vfio.config.PciRegs.PCI_CARDBUS_CIS;
import static dev.jvmm.vfio.config.PciRegs.PCI_CFG_SPACE_EXP_SIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_CFG_SPACE_SIZE;
import static dev.jvmm.vfio.config.PciRegs.PCI_CLASS_REVISION;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_INTX_DISABLE;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_IO;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_MASTER;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_MEMORY;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_PARITY;
import static dev.jvmm.vfio.config.PciRegs.PCI_COMMAND_SERR;
import static dev.jvmm.vfio.config.PciRegs.PCI_HEADER_TYPE;
import static dev.jvmm.vfio.config.PciRegs.PCI_HEADER_TYPE_MASK;
import static dev.jvmm.vfio.config.PciRegs.PCI_HEADER_TYPE_NORMAL;
import static dev.jvmm.vfio.config.PciRegs.PCI_INTERRUPT_LINE;
import static dev.jvmm.vfio.config.PciRegs.PCI_INTERRUPT_PIN;
import static dev.jvmm.vfio.config.PciRegs.PCI_LATENCY_TIMER;
import static dev.jvmm.vfio.config.PciRegs.PCI_MIN_GNT;
import static dev.jvmm.vfio.config.PciRegs.PCI_ROM_ADDRESS;
import static dev.jvmm.vfio.config.PciRegs.PCI_STATUS;
import static dev.jvmm.vfio.config.PciRegs.PCI_STATUS_CAP_LIST;
import static dev.jvmm.vfio.config.PciRegs.PCI_SUBSYSTEM_VENDOR_ID;
import static dev.jvmm.vfio.config.PciRegs.PCI_VENDOR_ID;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The guest's view of an assigned device's configuration space. Each byte of the 256-byte header is
 * governed by one {@link RegisterRule}: identity registers, BARs, the expansion ROM, the capability
 * pointer, interrupt line and the MSI/MSI-X capabilities are emulated; status, power management and PCI
 * Express registers read from the device, and guest writes reach the device only for the bits a rule
 * lets through. Bytes no rule claims (hidden capabilities, reserved space) read 0 and ignore writes, as
 * does the extended space 0x100-0xfff, so the guest sees no extended capabilities.
 *
 * <p>Guest accesses ({@link #read}, {@link #write}) never throw for anything the guest does: an access of
 * a size other than 1, 2 or 4, outside 0-0xfff or crossing a 4-byte boundary reads all ones and is
 * dropped, counted and logged at a limited rate. Exceptions from the device or the listeners (host
 * failures) propagate.
 *
 * <p>Not thread-safe: one thread (the vCPU or bus thread that owns this device) makes all accesses.
 */
public final class VfioConfigSpace {

    private final DeviceConfigAccess device;
    private final ConfigRegisters regs;
    private final BarDecoder bars;
    private final CapabilityLayout caps;
    private final List<ConfigQuirk> appliedQuirks;
    private final RateLimitedLog badAccesses = new RateLimitedLog();

    private VfioConfigSpace(DeviceConfigAccess device, ConfigRegisters regs, BarDecoder bars, CapabilityLayout caps,
                            List<ConfigQuirk> appliedQuirks) {
        this.device = device;
        this.regs = regs;
        this.bars = bars;
        this.caps = caps;
        this.appliedQuirks = appliedQuirks;
    }

    /**
     * Reads the device's header and capability list once and builds the guest's view.
     *
     * @param deviceBars the device's implemented BARs (see {@link BarSpecs#probe}); a ROM entry exposes the
     *                   expansion ROM, none hides it
     * @throws ConfigSpaceException if the device is not a type-0 endpoint or its capability list is broken
     */
    public static VfioConfigSpace create(DeviceConfigAccess device, List<BarSpec> deviceBars, GuestWindows windows,
                                         BarListener barListener, InterruptListener interruptListener,
                                         ConfigSpaceOptions options) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(barListener, "barListener");
        Objects.requireNonNull(interruptListener, "interruptListener");
        int ids = device.read(PCI_VENDOR_ID, 4);
        int vendor = ids & 0xffff;
        int deviceId = ids >>> 16;
        if (vendor == 0xffff || vendor == 0) {
            throw new ConfigSpaceException(String.format("the device's config space reads vendor 0x%04x: it is absent,"
                    + " powered off (D3cold) or in reset; check that it is bound to vfio-pci and powered", vendor));
        }
        int headerType = device.read(PCI_HEADER_TYPE, 1);
        if ((headerType & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL) {
            throw new ConfigSpaceException(String.format("device %04x:%04x has header type %d: only endpoints (type 0)"
                    + " can be assigned, not bridges", vendor, deviceId, headerType & PCI_HEADER_TYPE_MASK));
        }
        List<ConfigQuirk> quirks = options.quirks().stream().filter(q -> q.matches(vendor, deviceId)).toList();
        Set<Integer> exposed = new HashSet<>(options.exposedCapabilities());
        List<BarSpec> barsShown = new ArrayList<>(deviceBars);
        for (ConfigQuirk q : quirks) {
            switch (q.action()) {
                case ConfigQuirk.HideRom r -> barsShown.removeIf(b -> b.kind() == BarKind.ROM);
                case ConfigQuirk.HideCapability h -> exposed.remove(h.capabilityId());
            }
        }
        checkDistinct(barsShown);

        ConfigRegisters regs = new ConfigRegisters();
        boolean hasList = (device.read(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST) != 0;
        CapabilityLayout caps = CapabilityLayout.build(device, hasList, exposed, barsShown, regs, interruptListener);
        BarDecoder decoder = new BarDecoder(regs, barsShown, windows, barListener);
        for (RegisterRule r : headerRules(device, caps)) {
            regs.apply(r);
        }
        decoder.rules().forEach(regs::apply);
        caps.rules.forEach(regs::apply);
        regs.sealInitialState();
        return new VfioConfigSpace(device, regs, decoder, caps, quirks);
    }

    private static void checkDistinct(List<BarSpec> bars) {
        Set<Integer> used = new HashSet<>();
        for (BarSpec b : bars) {
            boolean fresh = used.add(b.index()) && (b.kind() != BarKind.MEMORY64 || used.add(b.index() + 1));
            if (!fresh) {
                throw new IllegalArgumentException("BAR register " + b.index() + " is described twice: " + bars);
            }
        }
    }

    /** The type-0 header outside the BARs and the ROM (PCI 3.0 6.2, Figure 6-1). */
    private static List<RegisterRule> headerRules(DeviceConfigAccess device, CapabilityLayout caps) {
        int firstCap = caps.exposed.isEmpty() ? 0 : caps.exposed.getFirst().offset();
        int commandWritable = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY
                | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE;
        int decodeBits = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
        return List.of(
                RegisterRule.readOnly("vendor/device ID", PCI_VENDOR_ID, 4, device.read(PCI_VENDOR_ID, 4),
                        "identity, read once from the device"),
                new RegisterRule("command", PCI_COMMAND, 2, 0xffff, commandWritable, 0, decodeBits,
                        0xffff & ~decodeBits, 0,
                        "I/O, memory and bus-master enables reach the device; INTx disable is emulated (the VMM masks"
                                + " INTx through VFIO); parity/SERR response are kept for the guest only"),
                new RegisterRule("status", PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0, 0, 0xf900, 0,
                        firstCap != 0 ? PCI_STATUS_CAP_LIST : 0,
                        "the device's, except the capability-list bit, which follows the filtered list; the error"
                                + " bits 15:11 and 8 are write-1-to-clear in the device"),
                RegisterRule.readOnly("class/revision", PCI_CLASS_REVISION, 4, device.read(PCI_CLASS_REVISION, 4),
                        "identity, read once from the device"),
                RegisterRule.emulated("cache line size", PCI_CACHE_LINE_SIZE, 1, 0xff, 0,
                        "a guest-side hint, kept for the guest (PCI 3.0 6.2.4)"),
                RegisterRule.readOnly("latency timer", PCI_LATENCY_TIMER, 1, 0, "read-only 0 on PCI Express"),
                RegisterRule.readOnly("header type", PCI_HEADER_TYPE, 1, device.read(PCI_HEADER_TYPE, 1)
                        & PCI_HEADER_TYPE_MASK, "the function is alone in its guest slot: multi-function bit cleared"),
                RegisterRule.readOnly("BIST", PCI_BIST, 1, 0, "no built-in self test is offered to the guest"),
                RegisterRule.readOnly("CardBus CIS pointer", PCI_CARDBUS_CIS, 4, 0, "not CardBus"),
                RegisterRule.readOnly("subsystem vendor/ID", PCI_SUBSYSTEM_VENDOR_ID, 4,
                        device.read(PCI_SUBSYSTEM_VENDOR_ID, 4), "identity, read once from the device"),
                RegisterRule.readOnly("capabilities pointer", PCI_CAPABILITY_LIST, 1, firstCap,
                        "the first capability the guest may see"),
                RegisterRule.readOnly("reserved", PCI_CAPABILITY_LIST + 1, 1, 0, "reserved (PCI 3.0 6.1)"),
                RegisterRule.readOnly("reserved", PCI_CAPABILITY_LIST + 2, 2, 0, "reserved (PCI 3.0 6.1)"),
                RegisterRule.readOnly("reserved", PCI_CAPABILITY_LIST + 4, 4, 0, "reserved (PCI 3.0 6.1)"),
                RegisterRule.emulated("interrupt line", PCI_INTERRUPT_LINE, 1, 0xff, 0,
                        "scratch for the guest's firmware/OS (PCI 3.0 6.2.4)"),
                RegisterRule.readOnly("interrupt pin", PCI_INTERRUPT_PIN, 1, device.read(PCI_INTERRUPT_PIN, 1),
                        "the device's INTx pin"),
                RegisterRule.readOnly("min grant/max latency", PCI_MIN_GNT, 2, device.read(PCI_MIN_GNT, 2),
                        "the device's, read-only"));
    }

    /** A guest read of {@code size} bytes at {@code offset}; never throws for guest input. */
    public int read(int offset, int size) {
        if (!valid(offset, size)) {
            badAccesses.event(System.Logger.Level.DEBUG, () -> "bad " + size + "-byte config read at 0x"
                    + Integer.toHexString(offset));
            return allOnes(size);
        }
        if (offset >= PCI_CFG_SPACE_SIZE) {
            return 0; // no extended capabilities
        }
        int full = RegisterRule.mask(size);
        int emulated = regs.emulated(offset, size);
        int value = regs.value(offset, size) & emulated;
        if (emulated != full) {
            value |= device.read(offset, size) & ~emulated & full;
        }
        return value;
    }

    /** A guest write of the low {@code size} bytes of {@code value} at {@code offset}; never throws for guest input. */
    public void write(int offset, int size, int value) {
        if (!valid(offset, size)) {
            badAccesses.event(System.Logger.Level.DEBUG, () -> "bad " + size + "-byte config write at 0x"
                    + Integer.toHexString(offset));
            return;
        }
        if (offset >= PCI_CFG_SPACE_SIZE) {
            return;
        }
        int v = value & RegisterRule.mask(size);
        int writable = regs.writable(offset, size);
        int clear = regs.writeOneToClear(offset, size) & v;
        int old = regs.value(offset, size);
        int updated = ((old & ~writable) | (v & writable)) & ~clear;
        regs.setValue(offset, size, updated);
        forwardToDevice(offset, size, v);
        afterWrite(offset, size);
    }

    /**
     * Passes the device-writable bits of a guest write on. Only bytes whose rule passes or preserves
     * device bits are written, in naturally aligned pieces, and only pieces with a passed bit; preserved
     * device bits are read first and written back unchanged.
     */
    private void forwardToDevice(int offset, int size, int value) {
        int i = 0;
        while (i < size) {
            int at = offset + i;
            if (!involved(at, 1)) {
                i++;
                continue;
            }
            int piece = at % 4 == 0 && size - i >= 4 && involved(at, 4) ? 4
                    : at % 2 == 0 && size - i >= 2 && involved(at, 2) ? 2 : 1;
            int pass = regs.deviceWritable(at, piece);
            if (pass != 0) {
                int part = (value >>> (8 * i)) & RegisterRule.mask(piece);
                int keep = regs.devicePreserved(at, piece);
                int current = keep != 0 ? device.read(at, piece) : 0;
                device.write(at, piece, (part & pass) | (current & keep));
            }
            i += piece;
        }
    }

    /** Whether every byte of {@code [at, at + width)} passes or preserves some device bit. */
    private boolean involved(int at, int width) {
        for (int b = at; b < at + width; b++) {
            if ((regs.deviceWritable(b, 1) | regs.devicePreserved(b, 1)) == 0) {
                return false;
            }
        }
        return true;
    }

    private void afterWrite(int offset, int size) {
        int end = offset + size;
        if (overlaps(offset, end, PCI_COMMAND, PCI_COMMAND + 2)
                || overlaps(offset, end, PCI_BASE_ADDRESS_0, PCI_CARDBUS_CIS)
                || overlaps(offset, end, PCI_ROM_ADDRESS, PCI_ROM_ADDRESS + 4)) {
            bars.update();
        }
        for (Capability cap : caps.exposed) {
            if (overlaps(offset, end, cap.offset(), cap.offset() + cap.length())) {
                if (cap.id() == PciRegs.PCI_CAP_ID_MSI) {
                    caps.msi.reconcile();
                } else if (cap.id() == PciRegs.PCI_CAP_ID_MSIX) {
                    caps.msix.reconcile();
                }
            }
        }
    }

    /**
     * Returns every emulated register to its power-on value (BARs 0, decoding off, MSI and MSI-X off,
     * MSI-X entries masked), telling the listeners what that unmaps and disables. For a VM reset; the
     * device itself is reset separately ({@code VFIO_DEVICE_RESET}).
     */
    public void reset() {
        regs.reset();
        if (caps.msix != null) {
            caps.msix.table().reset();
        }
        bars.update();
        if (caps.msi != null) {
            caps.msi.reconcile();
        }
        if (caps.msix != null) {
            caps.msix.reconcile();
        }
    }

    private static boolean overlaps(int start, int end, int otherStart, int otherEnd) {
        return start < otherEnd && otherStart < end;
    }

    private static boolean valid(int offset, int size) {
        return (size == 1 || size == 2 || size == 4) && offset >= 0 && offset <= PCI_CFG_SPACE_EXP_SIZE - size
                && (offset & 3) + size <= 4;
    }

    private static int allOnes(int size) {
        return size == 1 || size == 2 ? RegisterRule.mask(size) : -1;
    }

    /** The emulated MSI-X table, when the device has an exposed MSI-X capability. */
    public Optional<MsixTable> msixTable() {
        return Optional.ofNullable(caps.msix).map(MsixCapability::table);
    }

    /** The enabled MSI vectors as the guest programmed them; empty while MSI is off or absent. */
    public List<MsiVector> msiVectors() {
        return caps.msi == null ? List.of() : caps.msi.vectors();
    }

    /** The capabilities the guest sees, in list order. */
    public List<Capability> exposedCapabilities() {
        return List.copyOf(caps.exposed);
    }

    /** Every capability in the device's list, in list order; hidden ones have length 0. */
    public List<Capability> deviceCapabilities() {
        return List.copyOf(caps.all);
    }

    /** Each implemented BAR's programmed address and mapping status. */
    public List<BarState> bars() {
        return bars.states();
    }

    /** BAR {@code index} (0-5, or {@link BarSpec#ROM_INDEX}), if implemented and shown to the guest. */
    public Optional<BarState> bar(int index) {
        return index < 0 || index > BarSpec.ROM_INDEX ? Optional.empty() : Optional.ofNullable(bars.state(index));
    }

    /** The quirks that matched this device. */
    public List<ConfigQuirk> appliedQuirks() {
        return appliedQuirks;
    }

    /** Which rule governs config byte {@code offset} (for diagnostics), or "hidden". */
    public String describe(int offset) {
        if (offset < 0 || offset >= PCI_CFG_SPACE_SIZE) {
            return offset >= 0 && offset < PCI_CFG_SPACE_EXP_SIZE ? "extended space (hidden)" : "outside config space";
        }
        String owner = regs.owner(offset);
        return owner == null ? "hidden" : owner;
    }

    /** Malformed guest accesses so far (bad size, range or alignment). */
    public long badAccesses() {
        return badAccesses.count();
    }

    /** Times a decoding BAR was programmed outside its window. */
    public long barsOutsideWindow() {
        return bars.outsideWindowEvents();
    }

    /** Capability IDs the guest sees, in list order (for logs). */
    public Set<Integer> exposedCapabilityIds() {
        Set<Integer> ids = new LinkedHashSet<>();
        caps.exposed.forEach(c -> ids.add(c.id()));
        return ids;
    }
}
