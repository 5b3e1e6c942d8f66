/*
 * kernel_stub.S: stands in for a Linux kernel under dev.jvmm.vmm.LinuxVm, to test the assembled VM on
 * this machine's KVM (which cannot boot a real kernel in useful time).
 *
 * Contract "boot" (see README.md): entered at a bzImage's 64-bit entry in long mode, RSI = zero page.
 * It prints "kernel stub on ttyS0\n" through the platform's 16550 (polling LSR.THRE at 0x3fd as a
 * driver would), then the number of e820 entries the loader gave it as one decimal digit and "\n",
 * then asks the i8042 for a CPU reset (command 0xFE on port 0x64, Linux's reboot=k path) and halts.
 */
        .code64
        .text
        .globl  _start
_start:
        cli
        movq    %rsi, %r12              /* keep the zero page */
        leaq    .Lmessage(%rip), %rbx
.Lnext:
        movb    (%rbx), %cl
        testb   %cl, %cl
        jz      .Ldigit
        call    .Lputc
        incq    %rbx
        jmp     .Lnext
.Ldigit:
        movb    0x1e8(%r12), %cl        /* boot_params.e820_entries */
        addb    $'0', %cl
        call    .Lputc
        movb    $'\n', %cl
        call    .Lputc
        movb    $0xfe, %al              /* i8042: pulse the reset line */
        outb    %al, $0x64
.Lhalt:
        hlt
        jmp     .Lhalt

/* putc(%cl): waits for LSR.THRE (bit 5 of port 0x3fd), then writes THR (0x3f8). */
.Lputc:
        movw    $0x3fd, %dx
.Lwait:
        inb     %dx, %al
        testb   $0x20, %al
        jz      .Lwait
        movw    $0x3f8, %dx
        movb    %cl, %al
        outb    %al, %dx
        ret

.Lmessage:
        .asciz  "kernel stub on ttyS0\n"
