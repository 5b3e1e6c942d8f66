/*
 * boot_probe.S: a stand-in for a Linux kernel's startup_64, to check the direct-boot path.
 *
 * Contract "boot" (see README.md in this directory): Linux's 64-bit boot protocol. The harness
 * puts this binary at offset 0x200 of a bzImage's protected-mode kernel, loads it with
 * dev.jvmm.boot.LinuxLoader and enters it the way a kernel is entered: 64-bit mode with the
 * identity map of PageTables and the GDT of BootGdt, CS = 0x10, DS = ES = SS = 0x18,
 * RIP = load address + 0x200, RSI = the zero page (struct boot_params), RSP = 0x8ff0, IF = 0.
 * Position independent; uses 8 bytes of stack.
 *
 * Exits the VMM sees, in this order, all KVM_EXIT_IO out:
 *   1. port 0x502 size 4: the dword at RSI + 0x202 (boot_params.hdr.header, "HdrS" = 0x53726448);
 *   2. port 0x502 size 4: the low half of the address of this code (the entry point);
 *   3. port 0x502 size 4: the byte at RSI + 0x1e8 (boot_params.e820_entries);
 *   4. port 0x502 size 4: the first dword of the command line at hdr.cmd_line_ptr (RSI + 0x228);
 *   5. port 0x502 size 4: the first dword of the initrd at hdr.ramdisk_image (RSI + 0x218);
 *   6. port 0x502 size 4: CS;
 *   7. port 0x502 size 4: SS;
 *   8. port 0x502 size 4: the value popped after pushing 0x5afe57ac (the stack works);
 *   9. port 0x501 size 1: exit code 0;
 *   then HLT forever.
 */
        .code64
        .text
        .globl  _start
_start:
.Lentry:                                /* local: a RIP-relative lea of a global symbol needs a relocation */
        cli
        movw    $0x502, %dx

        movl    0x202(%rsi), %eax       /* 1: hdr.header */
        outl    %eax, %dx

        leaq    .Lentry(%rip), %rax     /* 2: where we run */
        outl    %eax, %dx

        movzbl  0x1e8(%rsi), %eax       /* 3: e820_entries */
        outl    %eax, %dx

        movl    0x228(%rsi), %ebx       /* 4: *cmd_line_ptr (below 4 GiB: zero-extended) */
        movl    (%rbx), %eax
        outl    %eax, %dx

        movl    0x218(%rsi), %ebx       /* 5: *ramdisk_image */
        movl    (%rbx), %eax
        outl    %eax, %dx

        movl    %cs, %eax               /* 6, 7: selectors */
        outl    %eax, %dx
        movl    %ss, %eax
        outl    %eax, %dx

        pushq   $0x5afe57ac             /* 8: through the stack */
        popq    %rax
        outl    %eax, %dx

        movw    $0x501, %dx             /* test exit device */
        xorb    %al, %al                /* exit code 0 */
        outb    %al, %dx

1:      hlt
        jmp     1b
