/*
 * kernel_spin.S: stands in for a Linux kernel that keeps running, to test controlling a live VM
 * (pause, resume, reset, quit) on this machine's KVM.
 *
 * Contract "boot" (see README.md): entered at a bzImage's 64-bit entry in long mode. It prints
 * "kernel spin on ttyS0\n" through the platform's 16550 (polling LSR.THRE at 0x3fd as a driver would),
 * then spins on "jmp ." with interrupts off: KVM_RUN never returns on its own, so the vCPU thread burns
 * CPU exactly while the VMM lets it run.
 */
        .code64
        .text
        .globl  _start
_start:
        cli
        leaq    .Lmessage(%rip), %rbx
.Lnext:
        movb    (%rbx), %cl
        testb   %cl, %cl
        jz      .Lspin
        movw    $0x3fd, %dx
.Lwait:
        inb     %dx, %al
        testb   $0x20, %al
        jz      .Lwait
        movw    $0x3f8, %dx
        movb    %cl, %al
        outb    %al, %dx
        incq    %rbx
        jmp     .Lnext
.Lspin:
        jmp     .Lspin

.Lmessage:
        .asciz  "kernel spin on ttyS0\n"
