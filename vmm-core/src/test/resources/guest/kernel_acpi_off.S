/*
 * kernel_acpi_off.S: a stand-in kernel that powers the machine off the ACPI way, for the LinuxVm tests.
 *
 * Contract "boot" (see README.md). It reads boot_params.acpi_rsdp_addr (zero page + 0x70), compares the
 * 8 bytes there with "RSD PTR " (the RSDP signature; the boot page tables identity-map the first 4 GiB),
 * prints "rsdp ok\n" or "rsdp bad\n" through the 16550 (polling LSR.THRE), then writes
 * SLP_TYP = 5 (S5) | SLP_EN (bit 13) = 0x3400 to PM1a_CNT at port 0x604 with a 16-bit outw, as Linux's
 * acpi_enter_sleep_state(ACPI_STATE_S5) does, and halts.
 */
        .code64
        .text
        .globl  _start
_start:
        cli
        movq    0x70(%rsi), %rax        /* boot_params.acpi_rsdp_addr */
        movq    (%rax), %rax
        leaq    .Lsignature(%rip), %rbx
        leaq    .Lbad(%rip), %r12
        cmpq    (%rbx), %rax
        jne     .Lprint
        leaq    .Lok(%rip), %r12
.Lprint:
        movb    (%r12), %cl
        testb   %cl, %cl
        jz      .Loff
        call    .Lputc
        incq    %r12
        jmp     .Lprint
.Loff:
        movw    $0x604, %dx
        movw    $0x3400, %ax
        outw    %ax, %dx
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

.Lsignature:
        .ascii  "RSD PTR "
.Lok:
        .asciz  "rsdp ok\n"
.Lbad:
        .asciz  "rsdp bad\n"
