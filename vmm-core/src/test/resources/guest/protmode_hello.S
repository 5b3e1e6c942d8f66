/*
 * protmode_hello.S: the 32-bit protected-mode twin of realmode_hello.S.
 *
 * Contract (see README.md in this directory):
 *   - entered in 32-bit protected mode without paging: CR0.PE = 1, CR0.PG = 0, CS = 0x08
 *     (32-bit flat code: base 0, limit 4 GiB, D = 1), DS = ES = SS = 0x18 (flat data);
 *     EIP = first byte of this binary (the harness uses 0x1000).
 *   - the program sets ESP = 0x8000 itself and uses 4 bytes of stack (one call), which it
 *     needs to find its own address (32-bit code has no EIP-relative addressing).
 *   - no interrupts (runs with IF = 0), so no IDT is needed; no segment register is
 *     reloaded, so the GDT need not exist in guest memory (KVM_SET_SREGS state suffices).
 *
 * Output, all byte-sized port writes:
 *   - port 0x3f8: the 26 bytes "Hello from protected mode\n", one KVM_EXIT_IO per byte;
 *   - port 0x501: one byte, the exit code 0;
 *   - then HLT forever.
 */
        .code32
        .text
        .globl  _start
_start:
        cli
        cld
        movl    $0x8000, %esp

        call    1f                      /* pushes the address of label 1 */
1:      popl    %esi
        addl    $(message - 1b), %esi   /* ESI = address of message */

        movl    $(message_end - message), %ecx
        movw    $0x3f8, %dx             /* COM1 transmit holding register */
2:      lodsb                           /* AL = [ESI++] */
        outb    %al, %dx
        loop    2b                      /* ECX-- ; repeat while ECX != 0 */

        movw    $0x501, %dx             /* test exit device */
        xorb    %al, %al                /* exit code 0 */
        outb    %al, %dx

3:      hlt
        jmp     3b

message:
        .ascii  "Hello from protected mode\n"
message_end:
