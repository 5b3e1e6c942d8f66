/* Refused: "$message" is an absolute address, resolved only by a linker (R_X86_64_32). */
        .code64
        .text
        movl    $message, %esi
        hlt
message:
        .ascii  "x"
