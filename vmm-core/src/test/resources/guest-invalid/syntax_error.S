/* Refused: gas reports an error. */
        .code64
        .text
        frobnicate %rax
