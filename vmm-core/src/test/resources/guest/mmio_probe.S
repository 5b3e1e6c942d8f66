/*
 * mmio_probe.S: one MMIO write, one MMIO read, and the value read reported on a port.
 *
 * Contract: the long-mode entry of longmode_hello.S (CS = 0x10 64-bit, RIP = load address,
 * RSP = 0x8000), plus:
 *   - GPA 0xD0000000 lies in the identity map (the harness maps the first 4 GiB) and has
 *     no memslot, so each access there leaves KVM_RUN as KVM_EXIT_MMIO.
 *
 * Exits the VMM sees, in this order:
 *   1. KVM_EXIT_MMIO  is_write = 1, phys_addr = 0xD0000000, len = 4,
 *      data = 0D F0 FE CA (the dword 0xCAFEF00D, little endian);
 *   2. KVM_EXIT_MMIO  is_write = 0, phys_addr = 0xD0000004, len = 4: the VMM fills
 *      data[0..3] with a little-endian dword V before the next KVM_RUN;
 *   3. KVM_EXIT_IO    out, port 0x502, size 4: the dword V, unchanged;
 *   4. KVM_EXIT_IO    out, port 0x501, size 1: exit code 0;
 *   then HLT forever.
 *
 * Why the address goes through a register: an absolute 32-bit address in a 64-bit
 * instruction is sign-extended, so "movl $x, 0xD0000000" would address
 * 0xFFFFFFFFD0000000. "movl $imm32, %ebx" zero-extends into RBX, which is what we want.
 */
        .code64
        .text
        .globl  _start
_start:
        cli
        movl    $0xD0000000, %ebx       /* RBX = 0x00000000D0000000 (BB 00 00 00 D0) */

        movl    $0xCAFEF00D, (%rbx)     /* exit 1: 4-byte MMIO write */
        movl    4(%rbx), %eax           /* exit 2: 4-byte MMIO read into EAX */

        movw    $0x502, %dx
        outl    %eax, %dx               /* exit 3: report the value read, 4 bytes */

        movw    $0x501, %dx             /* test exit device */
        xorb    %al, %al                /* exit code 0 */
        outb    %al, %dx

1:      hlt
        jmp     1b
