package dev.jvmm.kvm;

import dev.jvmm.kvm.sys.VmFd;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.Hva;
import java.util.Map;
import java.util.TreeMap;

/**
 * KVM memslot numbers and what each maps. Guest RAM takes the first slots; BARs mapped into the guest
 * take and give back slots as the guest enables, moves and disables them.
 */
public final class Memslots {
    /** A mapped slot: {@code gpa} backed by host memory at {@code hva}. */
    public record Slot(int id, GpaRange gpa, Hva hva, boolean readOnly) {
    }

    private final VmFd vm;
    private final int limit;
    private final TreeMap<Integer, Slot> slots = new TreeMap<>();

    public Memslots(VmFd vm, int limit) {
        this.vm = vm;
        this.limit = limit;
    }

    /** Maps {@code gpa} to {@code hva} in a free slot and returns it; fails naming an overlapping slot. */
    public synchronized Slot add(GpaRange gpa, Hva hva, boolean readOnly) {
        for (Slot s : slots.values()) {
            if (s.gpa().overlaps(gpa)) {
                throw new IllegalArgumentException(gpa + " overlaps memslot " + s.id() + " " + s.gpa());
            }
        }
        int id = 0;
        while (slots.containsKey(id)) {
            id++;
        }
        if (id >= limit) {
            throw new IllegalStateException("all " + limit + " KVM memslots are in use (KVM_CAP_NR_MEMSLOTS)");
        }
        vm.setUserMemoryRegion(id, gpa.start(), gpa.length(), hva, readOnly);
        Slot slot = new Slot(id, gpa, hva, readOnly);
        slots.put(id, slot);
        return slot;
    }

    /** Unmaps a slot (KVM_SET_USER_MEMORY_REGION with size 0). */
    public synchronized void remove(Slot slot) {
        if (slots.remove(slot.id()) == null) {
            throw new IllegalArgumentException("memslot " + slot.id() + " is not mapped");
        }
        vm.setUserMemoryRegion(slot.id(), slot.gpa().start(), 0, slot.hva(), slot.readOnly());
    }

    /** Unmaps every slot, e.g. before the memory behind them goes away. */
    public synchronized void removeAll() {
        for (Slot s : Map.copyOf(slots).values()) {
            remove(s);
        }
    }

    public synchronized Map<Integer, Slot> slots() {
        return Map.copyOf(slots);
    }
}
