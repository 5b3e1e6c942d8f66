package dev.jvmm.vfio.fake;

import dev.jvmm.kvm.IrqRoute;
import dev.jvmm.kvm.Memslots;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.sys.Errno;
import dev.jvmm.memory.sys.ErrnoException;
import dev.jvmm.memory.sys.Fd;
import dev.jvmm.vfio.pci.KvmBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model of the KVM side of device assignment: memory slots (refusing overlaps, as {@code Memslots}
 * does), MSI routes from GSI 24 up (refusing messages outside the interrupt window, as {@code IrqRoute}
 * does), irqfds (EBUSY for an eventfd already assigned, ENOENT when deassigning one that is not, EBADF for
 * a closed eventfd). Every call goes into the {@link FakeVfioKernel}'s log, with its injections, so the
 * order of KVM and VFIO calls can be asserted. A route changed or removed while an irqfd is assigned to
 * it is recorded as a violation (the kernel bug Cloud Hypervisor guards against).
 */
public final class FakeKvm implements KvmBinding {

    private record Irqfd(Fd eventfd, int gsi, Optional<Fd> resample) {}

    private final FakeVfioKernel log;
    private final TreeMap<Integer, Memslots.Slot> slots = new TreeMap<>();
    private final TreeMap<Integer, IrqRoute.Msi> routes = new TreeMap<>();
    private final Map<String, Irqfd> irqfds = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private boolean quiet;

    public FakeKvm(FakeVfioKernel log) {
        this.log = log;
    }

    /** Stops logging calls (the model still checks them), for long random runs. */
    public FakeKvm quiet(boolean on) {
        quiet = on;
        return this;
    }

    private void record(String op, String detail) {
        if (!quiet) {
            log.recordNeighbourCall(op, detail);
        }
    }

    @Override
    public Memslots.Slot addMemslot(GpaRange gpa, Hva hva) {
        record("KVM_SET_USER_MEMORY_REGION", "add " + gpa + " hva=" + hva);
        for (Memslots.Slot s : slots.values()) {
            if (s.gpa().overlaps(gpa)) {
                throw new IllegalArgumentException(gpa + " overlaps memslot " + s.id() + " " + s.gpa());
            }
        }
        int id = 0;
        while (slots.containsKey(id)) {
            id++;
        }
        Memslots.Slot slot = new Memslots.Slot(id, gpa, hva, false);
        slots.put(id, slot);
        return slot;
    }

    @Override
    public void removeMemslot(Memslots.Slot slot) {
        record("KVM_SET_USER_MEMORY_REGION", "remove " + slot.gpa());
        if (!slot.equals(slots.remove(slot.id()))) {
            throw new IllegalArgumentException("memslot " + slot.id() + " is not mapped");
        }
    }

    @Override
    public int addMsiRoute(long address, int data) {
        record("KVM_SET_GSI_ROUTING", String.format("add 0x%x/0x%x", address, data));
        int gsi = 24;
        while (routes.containsKey(gsi)) {
            gsi++;
        }
        routes.put(gsi, new IrqRoute.Msi(gsi, address, data));
        return gsi;
    }

    @Override
    public void updateMsiRoute(int gsi, long address, int data) {
        record("KVM_SET_GSI_ROUTING", String.format("update GSI %d 0x%x/0x%x", gsi, address, data));
        requireRoute(gsi);
        checkNoIrqfd(gsi, "changed");
        routes.put(gsi, new IrqRoute.Msi(gsi, address, data));
    }

    @Override
    public void removeMsiRoute(int gsi) {
        record("KVM_SET_GSI_ROUTING", "remove GSI " + gsi);
        requireRoute(gsi);
        checkNoIrqfd(gsi, "removed");
        routes.remove(gsi);
    }

    private void requireRoute(int gsi) {
        if (!routes.containsKey(gsi)) {
            throw new IllegalArgumentException("GSI " + gsi + " is not an allocated MSI route");
        }
    }

    private void checkNoIrqfd(int gsi, String what) {
        irqfds.values().stream().filter(i -> i.gsi() == gsi).forEach(i ->
                violations.add("route " + gsi + " " + what + " while irqfd " + i.eventfd().name() + " was assigned"));
    }

    @Override
    public void assignIrqfd(Fd eventfd, int gsi, Optional<Fd> resample) {
        record("KVM_IRQFD", "assign " + eventfd.name() + " GSI " + gsi + resample.map(r -> " resample " + r.name()).orElse(""));
        if (!eventfd.isOpen() || resample.map(r -> !r.isOpen()).orElse(false)) {
            throw new ErrnoException(Errno.EBADF, "KVM_IRQFD", eventfd.name(), null);
        }
        if (irqfds.containsKey(eventfd.name())) {
            throw new ErrnoException(Errno.EBUSY, "KVM_IRQFD", eventfd.name(), null);
        }
        if (gsi >= 24 && !routes.containsKey(gsi)) {
            violations.add("irqfd " + eventfd.name() + " assigned to GSI " + gsi + ", which has no route");
        }
        irqfds.put(eventfd.name(), new Irqfd(eventfd, gsi, resample));
    }

    @Override
    public void deassignIrqfd(Fd eventfd, int gsi) {
        record("KVM_IRQFD", "deassign " + eventfd.name() + " GSI " + gsi);
        Irqfd i = irqfds.get(eventfd.name());
        if (i == null || i.gsi() != gsi) {
            throw new ErrnoException(Errno.ENOENT, "KVM_IRQFD", eventfd.name(), null);
        }
        irqfds.remove(eventfd.name());
    }

    // ---- inspection ---------------------------------------------------------------------------------

    public Map<Integer, Memslots.Slot> memslots() {
        return Map.copyOf(slots);
    }

    public Map<Integer, IrqRoute.Msi> routes() {
        return Map.copyOf(routes);
    }

    /** Assigned irqfds as "eventfd name -> GSI". */
    public Map<String, Integer> irqfds() {
        Map<String, Integer> out = new LinkedHashMap<>();
        irqfds.forEach((name, i) -> out.put(name, i.gsi()));
        return out;
    }

    /** The resample eventfd's name of the irqfd on {@code eventfd}, if any. */
    public Optional<String> resampleOf(String eventfd) {
        return Optional.ofNullable(irqfds.get(eventfd)).flatMap(Irqfd::resample).map(Fd::name);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** What KVM still holds: memory slots, routes, irqfds, plus every violation. */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        slots.values().forEach(s -> left.add("memslot " + s.gpa()));
        routes.values().forEach(r -> left.add("MSI route " + r));
        irqfds.keySet().forEach(n -> left.add("irqfd " + n));
        violations.forEach(v -> left.add("violation: " + v));
        return left;
    }
}
