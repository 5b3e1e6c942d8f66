package dev.jvmm.testhost;

/**
 * One L2 guest driven over QMP from L1 ({@link TestHost#runL2WithQmp}).
 *
 * @param l2         what the guest reported on its console
 * @param transcript the QMP exchange and console lines with L1 timestamps
 * @param run        the L1 script: its exit status is the VMM's; its output ends with the VMM's output
 */
public record QmpRun(L2Result l2, QmpTranscript transcript, ExecResult run) {
    /** Everything a failure message needs: the QMP transcript, the VMM's output and the L2 console tail. */
    public String diagnostics() {
        return "--- QMP transcript ---\n" + Text.tail(transcript.text(), 60)
                + "\n--- L1 script output (VMM) ---\n" + Text.tail(run.output(), 30)
                + "\n--- L2 console tail ---\n" + Text.tail(l2.console(), 30);
    }
}
