package dev.jvmm.vfio.pci;

import dev.jvmm.bus.Bus;
import dev.jvmm.memory.sys.GuestRam;
import dev.jvmm.pci.PciBarAllocator;
import dev.jvmm.pci.PciBdf;
import dev.jvmm.pci.PciBus;
import dev.jvmm.vfio.Closer;
import dev.jvmm.vfio.VfioAssignment;
import dev.jvmm.vfio.VfioDevice;
import dev.jvmm.vfio.config.ConfigSpaceOptions;
import dev.jvmm.vfio.config.GuestWindows;
import dev.jvmm.vfio.host.PciSysfs;
import dev.jvmm.vfio.kernel.VfioKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The assigned devices of one VM: the VFIO attach sequence for all of them ({@link VfioAssignment}, one
 * container), then for each a {@link VfioPciDevice} on the guest's PCI bus, its BARs given addresses as
 * firmware would and its INTx wired. {@link #close()} undoes it in reverse: each device off the bus and
 * out of KVM, then the assignment (devices reset and closed, DMA unmapped, groups, container), so guest
 * RAM may go afterwards.
 */
public final class AssignedDevices implements AutoCloseable {

    /** One device to assign: the host function and, optionally, the guest slot ({@code addr=}). */
    public record Request(PciBdf host, String id, Optional<Integer> slot) {
        public Request {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(slot, "slot");
        }
    }

    /** Where the devices go: the machine's buses, KVM, guest RAM and BAR allocator. */
    public record Target(KvmBinding kvm, GuestRam ram, PciBus pci, Bus mmio, Bus pio, PciBarAllocator barAllocator) {
        public Target {
            Objects.requireNonNull(kvm, "kvm");
            Objects.requireNonNull(ram, "ram");
            Objects.requireNonNull(pci, "pci");
            Objects.requireNonNull(mmio, "mmio");
            Objects.requireNonNull(pio, "pio");
            Objects.requireNonNull(barAllocator, "barAllocator");
        }
    }

    private record Placed(PciBdf guest, VfioPciDevice device) {}

    private final PciBus pci;
    private final VfioAssignment assignment;
    private final List<Placed> placed;

    private AssignedDevices(PciBus pci, VfioAssignment assignment, List<Placed> placed) {
        this.pci = pci;
        this.assignment = assignment;
        this.placed = placed;
    }

    /**
     * Assigns every requested device and plugs it into {@code target}. On failure everything done so far is
     * undone and the exception (VfioException, ErrnoException, ConfigSpaceException...) propagates.
     */
    public static AssignedDevices attach(VfioKernel kernel, PciSysfs sysfs, List<Request> requests, Target target) {
        VfioAssignment assignment = VfioAssignment.attach(kernel, sysfs, target.ram(),
                requests.stream().map(Request::host).toList());
        List<Placed> placed = new ArrayList<>();
        AssignedDevices devices = new AssignedDevices(target.pci(), assignment, placed);
        try {
            GuestWindows windows = GuestWindows.of(target.ram().layout(), GuestWindows.DEFAULT_IO_WINDOW);
            for (int i = 0; i < requests.size(); i++) {
                Request r = requests.get(i);
                VfioDevice host = assignment.devices().get(i);
                VfioPciDevice d = VfioPciDevice.create(host, target.kvm(), target.mmio(), target.pio(), windows,
                        ConfigSpaceOptions.DEFAULT, target.ram().layout().pageSize());
                PciBdf at;
                try {
                    at = r.slot().isPresent() ? target.pci().add(d, PciBdf.of(0, r.slot().get(), 0))
                            : target.pci().add(d);
                } catch (RuntimeException e) {
                    d.close();
                    throw e;
                }
                placed.add(new Placed(at, d));
                d.assignBars(target.barAllocator());
                d.connectIntx(at.device());
            }
            return devices;
        } catch (RuntimeException e) {
            try {
                devices.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The devices in request order, with the guest address each got. */
    public List<VfioPciDevice> devices() {
        return placed.stream().map(Placed::device).toList();
    }

    public PciBdf guestAddress(VfioPciDevice device) {
        return placed.stream().filter(p -> p.device() == device).findFirst().orElseThrow().guest();
    }

    public VfioAssignment assignment() {
        return assignment;
    }

    /** Each device off the bus and out of KVM (reverse order), then the VFIO assignment. Every step runs. */
    @Override
    public void close() {
        Closer closer = new Closer();
        for (Placed p : placed.reversed()) {
            pci.remove(p.guest());
            closer.run(p.device()::close);
        }
        placed.clear();
        closer.run(assignment::close);
        closer.rethrow();
    }
}
