package dev.jvmm.memory;

/** One contiguous piece of guest RAM and where it lives in the VMM's address space (a KVM memslot). */
public record RamRegion(GpaRange gpa, Hva hva) {
    public long length() {
        return gpa.length();
    }
}
