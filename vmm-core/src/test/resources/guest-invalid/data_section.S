/* Refused: the dword in .data would be missing from a flat binary cut from .text. */
        .code64
        .text
        hlt
        .data
        .long   1
