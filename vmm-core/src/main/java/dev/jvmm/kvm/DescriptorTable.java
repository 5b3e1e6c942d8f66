package dev.jvmm.kvm;

/** GDTR or IDTR (struct kvm_dtable): base and limit (size in bytes minus one). */
public record DescriptorTable(long base, int limit) {
}
