package dev.jvmm.qmp.bridge;

import dev.jvmm.pci.PciBar;
import dev.jvmm.pci.PciBarType;
import dev.jvmm.pci.PciFunctionSummary;
import dev.jvmm.qmp.PciDeviceClass;
import dev.jvmm.qmp.PciDeviceId;
import dev.jvmm.qmp.PciDeviceInfo;
import dev.jvmm.qmp.PciInfo;
import dev.jvmm.qmp.PciMemoryRegion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * vmm-core's PCI functions as {@code query-pci} reports them, following QEMU's {@code qmp_query_pci}:
 * one {@link PciInfo} per bus; the class as base class and subclass with QEMU's description where it has
 * one; subsystem IDs only for a type 0 header; {@code irq} (the Interrupt Line register) only when the
 * function has an interrupt pin; a BAR's address only while it decodes, -1 otherwise. jvmm has no PCI
 * bridges yet and its devices carry no qdev ids, so {@code pci_bridge} is never sent and {@code qdev_id}
 * is {@code ""}.
 */
final class PciInventory {

    /** QEMU's {@code pci_class_descriptions} (hw/pci/pci.c), keyed by base class and subclass. */
    private static final Map<Integer, String> CLASS_NAMES = Map.ofEntries(
            Map.entry(0x0100, "SCSI controller"), Map.entry(0x0101, "IDE controller"),
            Map.entry(0x0102, "Floppy controller"), Map.entry(0x0103, "IPI controller"),
            Map.entry(0x0104, "RAID controller"), Map.entry(0x0106, "SATA controller"),
            Map.entry(0x0107, "SAS controller"), Map.entry(0x0180, "Storage controller"),
            Map.entry(0x0200, "Ethernet controller"), Map.entry(0x0201, "Token Ring controller"),
            Map.entry(0x0202, "FDDI controller"), Map.entry(0x0203, "ATM controller"),
            Map.entry(0x0280, "Network controller"), Map.entry(0x0300, "VGA controller"),
            Map.entry(0x0301, "XGA controller"), Map.entry(0x0302, "3D controller"),
            Map.entry(0x0380, "Display controller"), Map.entry(0x0400, "Video controller"),
            Map.entry(0x0401, "Audio controller"), Map.entry(0x0402, "Phone"),
            Map.entry(0x0403, "Audio controller"), Map.entry(0x0480, "Multimedia controller"),
            Map.entry(0x0500, "RAM controller"), Map.entry(0x0501, "Flash controller"),
            Map.entry(0x0580, "Memory controller"), Map.entry(0x0600, "Host bridge"),
            Map.entry(0x0601, "ISA bridge"), Map.entry(0x0602, "EISA bridge"),
            Map.entry(0x0603, "MC bridge"), Map.entry(0x0604, "PCI bridge"),
            Map.entry(0x0605, "PCMCIA bridge"), Map.entry(0x0606, "NUBUS bridge"),
            Map.entry(0x0607, "CARDBUS bridge"), Map.entry(0x0608, "RACEWAY bridge"),
            Map.entry(0x0680, "Bridge"), Map.entry(0x0700, "Serial port"),
            Map.entry(0x0701, "Parallel port"), Map.entry(0x0800, "Interrupt controller"),
            Map.entry(0x0801, "DMA controller"), Map.entry(0x0802, "Timer"), Map.entry(0x0803, "RTC"),
            Map.entry(0x0900, "Keyboard"), Map.entry(0x0901, "Pen"), Map.entry(0x0902, "Mouse"),
            Map.entry(0x0A00, "Dock station"), Map.entry(0x0B00, "i386 cpu"),
            Map.entry(0x0c00, "Firewire controller"), Map.entry(0x0c01, "Access bus controller"),
            Map.entry(0x0c02, "SSA controller"), Map.entry(0x0c03, "USB controller"),
            Map.entry(0x0c04, "Fibre channel controller"), Map.entry(0x0c05, "SMBus"));

    private PciInventory() {
    }

    static List<PciInfo> of(List<PciFunctionSummary> functions) {
        TreeMap<Integer, List<PciDeviceInfo>> buses = new TreeMap<>();
        for (PciFunctionSummary f : functions) {
            buses.computeIfAbsent(f.address().bus(), b -> new java.util.ArrayList<>()).add(device(f));
        }
        return buses.entrySet().stream().map(e -> new PciInfo(e.getKey(), e.getValue())).toList();
    }

    static PciDeviceInfo device(PciFunctionSummary f) {
        int classCode = f.identity().classCode() >>> 8;
        boolean type0 = f.headerType() == 0;
        PciDeviceId id = new PciDeviceId(f.identity().vendorId(), f.identity().deviceId(),
                type0 ? OptionalInt.of(f.identity().subsystemVendorId()) : OptionalInt.empty(),
                type0 ? OptionalInt.of(f.identity().subsystemId()) : OptionalInt.empty());
        return new PciDeviceInfo(f.address().bus(), f.address().device(), f.address().function(),
                new PciDeviceClass(classCode, Optional.ofNullable(CLASS_NAMES.get(classCode))), id,
                f.interruptPin() != 0 ? OptionalInt.of(f.interruptLine()) : OptionalInt.empty(),
                f.interruptPin(), "", Optional.empty(), f.bars().stream().map(PciInventory::region).toList());
    }

    static PciMemoryRegion region(PciBar bar) {
        long address = bar.decoding().orElse(PciMemoryRegion.UNASSIGNED);
        return bar.type() == PciBarType.IO
                ? new PciMemoryRegion.Io(bar.index(), address, bar.size())
                : new PciMemoryRegion.Memory(bar.index(), address, bar.size(), bar.prefetchable(),
                        bar.type() == PciBarType.MEMORY64);
    }
}
