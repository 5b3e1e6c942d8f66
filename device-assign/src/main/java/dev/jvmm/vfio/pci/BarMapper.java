package dev.jvmm.vfio.pci;

import dev.jvmm.bus.Bus;
import dev.jvmm.bus.GuestAccessLog;
import dev.jvmm.kvm.Memslots;
import dev.jvmm.memory.Gpa;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.Hva;
import dev.jvmm.vfio.MappedArea;
import dev.jvmm.vfio.config.BarListener;
import dev.jvmm.vfio.config.IoPortRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the BARs where the guest programmed them, as {@code VfioConfigSpace} reports (a BAR is reported
 * only while it decodes inside its guest window, and all unmaps of one guest write come before its maps):
 * each direct piece of a memory BAR ({@link BarLayout}) becomes a KVM memory slot over its mmap'ed area,
 * each trapped piece a range on the MMIO bus; an I/O BAR becomes a range on the port bus. Unmapping
 * removes exactly what mapping installed.
 *
 * <p>Another device's memory slot or bus range where the guest put this BAR is the guest's error: that
 * piece stays unmapped (accesses to it go where the other device is), counted and logged.
 */
final class BarMapper implements BarListener {

    private static final System.Logger LOG = System.getLogger(BarMapper.class.getName());

    /** What one BAR's mapping installed. */
    private record Installed(List<Memslots.Slot> slots, List<Long> mmioBases, List<Long> pioBases) {}

    private final String name;
    private final KvmBinding kvm;
    private final Bus mmio;
    private final Bus pio;
    private final Map<Integer, BarLayout> layouts;
    private final Map<Integer, List<MappedArea>> areas;
    private final TrappedAccess trapped;
    private final Map<Integer, Installed> installed = new HashMap<>();
    private final GuestAccessLog refused;

    BarMapper(String name, KvmBinding kvm, Bus mmio, Bus pio, Map<Integer, BarLayout> layouts,
              Map<Integer, List<MappedArea>> areas, TrappedAccess trapped) {
        this.name = name;
        this.kvm = kvm;
        this.mmio = mmio;
        this.pio = pio;
        this.layouts = Map.copyOf(layouts);
        this.areas = Map.copyOf(areas);
        this.trapped = trapped;
        this.refused = new GuestAccessLog(name, LOG);
    }

    @Override
    public void barMapped(int index, GpaRange range) {
        BarLayout layout = layouts.get(index);
        Installed done = new Installed(new ArrayList<>(), new ArrayList<>(), List.of());
        installed.put(index, done);
        for (BarLayout.Direct d : layout.direct()) {
            GpaRange gpa = GpaRange.of(range.start().plus(d.piece().offset()), d.piece().length());
            Hva hva = areas.get(index).get(d.area()).mapping().hva().plus(d.areaOffset());
            try {
                done.slots().add(kvm.addMemslot(gpa, hva));
            } catch (IllegalArgumentException e) {
                refused.ignored(() -> "BAR " + index + " piece " + gpa + " (memory slot refused: " + e.getMessage() + ")");
            }
        }
        for (BarLayout.Piece p : layout.trapped()) {
            Gpa at = range.start().plus(p.offset());
            String what = name + " BAR" + index + "+0x" + Long.toHexString(p.offset());
            try {
                mmio.register(what, at.value(), p.length(), trapped.piece(index, p.offset()));
                done.mmioBases().add(at.value());
            } catch (IllegalArgumentException e) {
                refused.ignored(() -> what + " at " + at + " (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    public void barUnmapped(int index, GpaRange range) {
        Installed done = installed.remove(index);
        if (done == null) {
            throw new IllegalStateException(name + ": BAR " + index + " unmapped at " + range + " but never mapped");
        }
        for (Memslots.Slot s : done.slots()) {
            kvm.removeMemslot(s);
        }
        for (long base : done.mmioBases()) {
            mmio.unregister(base);
        }
    }

    @Override
    public void ioBarMapped(int index, IoPortRange ports) {
        String what = name + " BAR" + index + " (I/O)";
        try {
            pio.register(what, ports.first(), ports.length(), trapped.piece(index, 0));
            installed.put(index, new Installed(List.of(), List.of(), List.of((long) ports.first())));
        } catch (IllegalArgumentException e) {
            installed.put(index, new Installed(List.of(), List.of(), List.of()));
            refused.ignored(() -> what + " at " + ports + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void ioBarUnmapped(int index, IoPortRange ports) {
        Installed done = installed.remove(index);
        if (done == null) {
            throw new IllegalStateException(name + ": I/O BAR " + index + " unmapped at " + ports + " but never mapped");
        }
        for (long base : done.pioBases()) {
            pio.unregister(base);
        }
    }

    /** Removes every memory slot and bus range still installed, for teardown; every one is tried. */
    void unmapAll() {
        RuntimeException failure = null;
        for (Installed done : List.copyOf(installed.values())) {
            for (Memslots.Slot s : done.slots()) {
                try {
                    kvm.removeMemslot(s);
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            done.mmioBases().forEach(mmio::unregister);
            done.pioBases().forEach(pio::unregister);
        }
        installed.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Memory slots this device's BARs hold now. */
    List<Memslots.Slot> memslots() {
        return installed.values().stream().flatMap(i -> i.slots().stream()).toList();
    }

    /** BAR pieces the guest placed where something else already was. */
    long refusedPieces() {
        return refused.count();
    }
}
