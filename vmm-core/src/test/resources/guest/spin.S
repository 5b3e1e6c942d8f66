/*
 * spin.S: a vCPU that never exits on its own. Used to test stopping a running vCPU from
 * another thread (signal + immediate_exit, or KVM_RUN returning EINTR).
 *
 * The whole program is the two bytes EB FE: "jmp rel8" with displacement -2, i.e. a jump to
 * itself. The short-jump encoding is the same in 16-, 32- and 64-bit mode, so this binary
 * runs unchanged under the real-mode, protected-mode and long-mode entry contracts.
 *
 * It touches no memory, no ports and no stack, and leaves IF as the VMM set it.
 * Expected output: nothing, ever; KVM_RUN only returns when the VMM interrupts it.
 */
        .text
        .globl  _start
_start:
        jmp     .
