package dev.jvmm.kvm;

/** The general-purpose registers of one vCPU (struct kvm_regs), as values. */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                   long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                   long rip, long rflags) {
    /** RFLAGS bit 1 is reserved and reads as one. */
    public static final long RFLAGS_RESERVED = 0x2;

    /** Registers for entering guest code at {@code rip} with stack {@code rsp} and {@code rsi} (boot_params). */
    public static Regs entry(long rip, long rsp, long rsi) {
        return new Regs(0, 0, 0, 0, rsi, 0, rsp, 0, 0, 0, 0, 0, 0, 0, 0, 0, rip, RFLAGS_RESERVED);
    }
}
