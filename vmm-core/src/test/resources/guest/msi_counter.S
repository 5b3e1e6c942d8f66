/*
 * msi_counter.S: counts interrupts on vector 0x40 delivered by the in-kernel local APIC,
 * e.g. MSIs the VMM injects with KVM_SIGNAL_MSI (address 0xFEE00000, data 0x0040: fixed
 * delivery, edge, vector 0x40, to APIC ID 0).
 *
 * Contract: the long-mode entry of longmode_hello.S (CS = 0x10 64-bit, SS = 0x18,
 * RIP = load address, RSP = 0x8000), plus:
 *   - the VM has an in-kernel irqchip (KVM_CREATE_IRQCHIP) so the vCPU has a local APIC,
 *     at its reset base 0xFEE00000 (IA32_APIC_BASE untouched), inside the identity map;
 *   - the GDT is really in guest memory and GDTR points at it: taking an interrupt loads
 *     CS from the gate's selector 0x10 and IRETQ reloads CS = 0x10 and SS = 0x18 from the
 *     GDT, so both descriptors must be readable there (KVM_SET_SREGS alone is not enough);
 *   - the binary is loaded into writable RAM: the IDT and the counter live inside it;
 *   - stack below 0x8000: the main loop uses none, each interrupt uses 40 bytes of frame
 *     plus 16 bytes of saved registers.
 *
 * Exits the VMM sees, in this order:
 *   1. KVM_EXIT_IO out, port 0x504, size 1, value 1: "ready", the IDT is loaded and the
 *      APIC software-enabled. Interrupts sent from now on are counted (an MSI that
 *      arrives before the guest executes STI waits pending in the APIC's IRR).
 *   2. for each vector-0x40 interrupt, KVM_EXIT_IO out, port 0x503, size 1: the low byte
 *      of the running count, so 01, 02, 03, 04, 05;
 *   3. after the fifth, KVM_EXIT_IO out, port 0x501, size 1: exit code 0; then HLT with
 *      IF = 0 forever (with an in-kernel irqchip KVM keeps a halted vCPU inside KVM_RUN:
 *      stop the vCPU on the 0x501 write instead of waiting for KVM_EXIT_HLT).
 * While waiting, the guest sits in HLT with IF = 1; with the in-kernel irqchip KVM_RUN
 * does not return for that.
 *
 * Any vector other than 0x40 (an exception, a stray interrupt) finds no IDT entry, so
 * the vCPU triple-faults and KVM_RUN returns KVM_EXIT_SHUTDOWN: a bug shows, never hangs.
 */
        .code64
        .text

        .set    VECTOR,         0x40
        .set    TARGET_COUNT,   5
        .set    LAPIC_BASE,     0xFEE00000
        .set    LAPIC_EOI,      0xB0    /* end-of-interrupt register, write 0 */
        .set    LAPIC_SVR,      0xF0    /* spurious-interrupt vector register */
        .set    SVR_ENABLE,     0x1FF   /* bit 8 = APIC software enable, spurious vector 0xFF */
        .set    GATE_SIZE,      16      /* a 64-bit IDT gate descriptor */
        .set    KERNEL_CS,      0x10
        .set    INTERRUPT_GATE, 0x8E    /* P = 1, DPL = 0, type 0xE = 64-bit interrupt gate */

        .globl  _start
_start:
        cli

        /* ---- The gate for VECTOR: offset 15:0 | selector | IST, type | offset 31:16 |
         *      offset 63:32 | reserved. The rest of the IDT is zero (not present). */
        leaq    idt(%rip), %rdi
        leaq    (VECTOR * GATE_SIZE)(%rdi), %rbx
        leaq    on_vector(%rip), %rax
        movw    %ax, 0(%rbx)                            /* offset 15:0 */
        movw    $KERNEL_CS, 2(%rbx)                     /* code segment selector */
        movw    $(INTERRUPT_GATE << 8), 4(%rbx)         /* IST = 0, type/attributes */
        shrq    $16, %rax
        movw    %ax, 6(%rbx)                            /* offset 31:16 */
        shrq    $16, %rax
        movl    %eax, 8(%rbx)                           /* offset 63:32 */
        movl    $0, 12(%rbx)                            /* reserved */

        /* ---- lidt takes limit (2 bytes) then base (8 bytes). */
        leaq    idtr(%rip), %rsi
        movq    %rdi, 2(%rsi)
        lidt    (%rsi)

        /* ---- Software-enable the local APIC. Its base goes through a register: a
         *      32-bit absolute address would be sign-extended to 0xFFFFFFFFFEE00000. */
        movl    $LAPIC_BASE, %ebx
        movl    $SVR_ENABLE, LAPIC_SVR(%rbx)

        /* ---- Ready. */
        movw    $0x504, %dx
        movb    $1, %al
        outb    %al, %dx

        /* ---- Wait. cli, test, then "sti; hlt": STI delays interrupts by one
         *      instruction, so an interrupt cannot slip in between the test and the HLT
         *      (which would leave us halted with the fifth interrupt already counted). */
wait:
        cli
        cmpl    $TARGET_COUNT, counter(%rip)
        jae     done
        sti
        hlt
        jmp     wait

done:
        movw    $0x501, %dx             /* test exit device */
        xorb    %al, %al                /* exit code 0 */
        outb    %al, %dx
1:      hlt                             /* IF = 0 here */
        jmp     1b

        /* ---- Vector 0x40. Entered through an interrupt gate, so IF = 0 inside. */
on_vector:
        pushq   %rax
        pushq   %rdx
        incl    counter(%rip)
        movl    counter(%rip), %eax
        movw    $0x503, %dx
        outb    %al, %dx                /* the count's low byte */
        movl    $LAPIC_BASE, %eax
        movl    $0, LAPIC_EOI(%rax)     /* EOI: lets the next vector-0x40 interrupt in */
        popq    %rdx
        popq    %rax
        iretq

        .balign 4
counter:
        .long   0

        .balign 2
idtr:
        .word   (VECTOR + 1) * GATE_SIZE - 1    /* limit: gates 0..VECTOR */
        .quad   0                               /* base: filled in at run time */

        .balign 16
idt:
        .fill   (VECTOR + 1) * GATE_SIZE, 1, 0
