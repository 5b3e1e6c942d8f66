/*
 * realmode_hello.S: the smallest useful guest. 16-bit real mode, prints a line on COM1, exits.
 *
 * Contract (see README.md in this directory):
 *   - entered in real mode (CR0.PE = 0) with CS:IP pointing at the first byte of this
 *     binary; the harness uses CS = 0 (base 0) and IP = 0x1000. The code is position
 *     independent: it finds its own address with call/pop, so any CS:IP works.
 *   - guest RAM is writable below 0x8000: the program sets SS:SP = 0000:8000 itself and
 *     uses 2 bytes of stack (one call).
 *   - no interrupts are needed; the program runs with IF = 0.
 *
 * Output, all byte-sized port writes (KVM_EXIT_IO, direction out, size 1, count 1):
 *   - port 0x3f8 (COM1 THR): the 21 bytes "Hello from real mode\n", one exit per byte,
 *     without polling the line status register;
 *   - port 0x501 (test exit device): one byte, the exit code 0;
 *   - then HLT forever (KVM_EXIT_HLT per HLT without an in-kernel irqchip).
 *
 * In .code16 a 16-bit register operand needs no operand-size prefix, so "mov $0x3f8, %dx"
 * assembles to BA F8 03 (in 32/64-bit code the same instruction is 66 BA F8 03).
 * GuestProgramTest checks that, which proves the .code16 directive took effect.
 */
        .code16
        .text
        .globl  _start
_start:
        cli                             /* no interrupts: nothing here handles them */
        cld                             /* lodsb must walk forwards */

        /* Our own stack, so we assume nothing about the SS:SP the VMM left. */
        xorw    %ax, %ax
        movw    %ax, %ss                /* loading SS also blocks interrupts for one insn */
        movw    $0x8000, %sp

        /* Data lives in this code: address it through the code segment's base. */
        movw    %cs, %ax
        movw    %ax, %ds

        /* Where are we? call pushes the offset of label 1 within CS; pop takes it back. */
        call    1f
1:      popw    %si
        addw    $(message - 1b), %si    /* SI = offset of message within CS (= DS) */

        movw    $(message_end - message), %cx
        movw    $0x3f8, %dx             /* COM1 transmit holding register */
2:      lodsb                           /* AL = DS:[SI++] */
        outb    %al, %dx                /* one KVM_EXIT_IO per character */
        loop    2b                      /* CX-- ; repeat while CX != 0 */

        /* Tell the test exit device we are done: exit code 0. */
        movw    $0x501, %dx
        xorb    %al, %al
        outb    %al, %dx

3:      hlt                             /* IF = 0: only an NMI or a reset ends this */
        jmp     3b

message:
        .ascii  "Hello from real mode\n"
message_end:
