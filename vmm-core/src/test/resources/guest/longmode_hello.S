/*
 * longmode_hello.S: the long-mode twin of realmode_hello.S.
 *
 * Contract (see README.md in this directory):
 *   - entered in 64-bit long mode: CR0.PE|PG, CR4.PAE, EFER.LME|LMA, CS = 0x10 (64-bit code,
 *     L = 1), DS = ES = SS = 0x18 (data), paging identity-maps at least the page holding this
 *     binary; RIP = first byte of this binary (the harness uses 0x1000), RSP = 0x8000.
 *   - position independent: the message is found with a RIP-relative lea.
 *   - uses no stack, no interrupts (runs with IF = 0).
 *
 * Output, all byte-sized port writes:
 *   - port 0x3f8: the 21 bytes "Hello from long mode\n", one KVM_EXIT_IO per byte;
 *   - port 0x501: one byte, the exit code 0;
 *   - then HLT forever.
 */
        .code64
        .text
        .globl  _start
_start:
        cli
        leaq    message(%rip), %rsi     /* RIP-relative: no relocation, works at any address */
        movl    $(message_end - message), %ecx
        movw    $0x3f8, %dx             /* COM1 transmit holding register */
1:      movb    (%rsi), %al
        outb    %al, %dx                /* one KVM_EXIT_IO per character */
        incq    %rsi
        decl    %ecx
        jnz     1b

        movw    $0x501, %dx             /* test exit device */
        xorb    %al, %al                /* exit code 0 */
        outb    %al, %dx

2:      hlt
        jmp     2b

message:
        .ascii  "Hello from long mode\n"
message_end:
