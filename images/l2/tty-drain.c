/*
 * tty-drain: waits until everything written to the terminal on standard output has left it
 * (tcdrain(3): the tty layer's buffer is empty and the UART's transmitter too).
 *
 *   tty-drain > /dev/console
 *
 * L2's init runs it between its last console line and "poweroff -f": a forced power-off does not wait
 * for the console's interrupt-driven transmit queue, so without it the RESULT line can be cut short.
 * Exits 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>

int main(void) {
    if (tcdrain(1) != 0) {
        fprintf(stderr, "tty-drain: tcdrain(stdout): %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
