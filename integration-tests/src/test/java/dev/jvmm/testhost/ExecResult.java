package dev.jvmm.testhost;

/**
 * What one shell script run in L1 did.
 *
 * @param exitCode the script's exit status
 * @param output   its standard output and standard error, interleaved
 * @param timedOut whether L1's agent stopped it at its timeout (busybox timeout: SIGTERM, then SIGKILL)
 */
public record ExecResult(String script, int exitCode, String output, boolean timedOut) {
    /** Exit statuses of a command that busybox or coreutils timeout stopped (TERM, KILL, 124). */
    static boolean timeoutStatus(int exitCode) {
        return exitCode == 143 || exitCode == 137 || exitCode == 124;
    }

    /** Returns this result if the script exited 0, else throws with its output. */
    public ExecResult requireSuccess() {
        if (exitCode != 0) {
            throw new TestHostException("L1 command failed with exit status " + exitCode
                    + (timedOut ? " (stopped at its timeout)" : "")
                    + "\n--- script ---\n" + script.strip() + "\n--- output ---\n" + Text.tail(output, 40));
        }
        return this;
    }
}
