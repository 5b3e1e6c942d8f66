package dev.jvmm.vfio.pci;

import dev.jvmm.kvm.Memslots;
import dev.jvmm.kvm.Vm;
import dev.jvmm.memory.GpaRange;
import dev.jvmm.memory.Hva;
import dev.jvmm.memory.sys.Fd;
import java.util.Objects;
import java.util.Optional;

/** {@link KvmBinding} on a running VM: its {@code Memslots}, {@code GsiRouting} and VM fd. */
public record VmKvmBinding(Vm vm) implements KvmBinding {

    public VmKvmBinding {
        Objects.requireNonNull(vm, "vm");
    }

    @Override
    public Memslots.Slot addMemslot(GpaRange gpa, Hva hva) {
        return vm.memslots().add(gpa, hva, false);
    }

    @Override
    public void removeMemslot(Memslots.Slot slot) {
        vm.memslots().remove(slot);
    }

    @Override
    public int addMsiRoute(long address, int data) {
        return vm.routing().addMsi(address, data);
    }

    @Override
    public void updateMsiRoute(int gsi, long address, int data) {
        vm.routing().updateMsi(gsi, address, data);
    }

    @Override
    public void removeMsiRoute(int gsi) {
        vm.routing().removeMsi(gsi);
    }

    @Override
    public void assignIrqfd(Fd eventfd, int gsi, Optional<Fd> resample) {
        vm.fd().assignIrqfd(eventfd, gsi, resample.orElse(null));
    }

    @Override
    public void deassignIrqfd(Fd eventfd, int gsi) {
        vm.fd().deassignIrqfd(eventfd, gsi);
    }
}
