/* Refused: nothing in .text. */
        .text
