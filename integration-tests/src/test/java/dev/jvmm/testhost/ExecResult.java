package dev.jvmm.testhost;

/**
 * What one shell script run in L1 did.
 *
 * @param exitCode the script's exit status; 124 or 137 when L1's timeout stopped it
 * @param output   its standard output and standard error, interleaved
 */
public record ExecResult(String script, int exitCode, String output) {
    /** Returns this result if the script exited 0, else throws with its output. */
    public ExecResult requireSuccess() {
        if (exitCode != 0) {
            throw new TestHostException("L1 command failed with exit status " + exitCode
                    + (exitCode == 124 || exitCode == 137 ? " (its timeout stopped it)" : "")
                    + "\n--- script ---\n" + script.strip() + "\n--- output ---\n" + Text.tail(output, 40));
        }
        return this;
    }
}
