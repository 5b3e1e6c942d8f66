package dev.jvmm.testhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times one L2 boot in L1, from the moment the VMM command starts to the moment the guest's first init
 * line ({@code JVMM-L2 START}) is in its console log. Both ends are read from L1's {@code /proc/uptime}
 * (10 ms resolution). The figure includes the VMM's own start (for jvmm: the JVM's), the guest kernel's
 * boot, and up to one poll period of 20 ms: one {@code tail -F} follows the log (on 9p it polls, without
 * forking) and a {@code grep} takes the first marker. A loop forking {@code grep} every 20 ms, as this
 * timer did before, took a good share of L1's one vCPU away from the boot it was timing.
 */
public final class BootTimer {
    private static final Pattern LINE = Pattern.compile(
            "JVMM-BENCH t0=(\\S+) start=(\\S+) end=(\\S+) rc=(\\d+)");
    private static final String MARKER = "JVMM-L2 START";

    /** One timed boot: seconds to the first init line, seconds until the VMM exited, and its status. */
    public record Timing(String vmm, double toInit, double toExit, int exitCode) {
    }

    private BootTimer() {
    }

    /** The L1 script that starts {@code vmmCommand} and reports the times on its last line. */
    static String script(String vmmCommand, String consoleLog) {
        return "log=" + consoleLog + "\n"
                + "rm -f \"$log\"\n"
                + "read t0 rest < /proc/uptime\n"
                + "(\n" + vmmCommand.strip() + "\n) > \"$log.vmm\" 2>&1 &\n"
                + "pid=$!\n"
                // The time is taken as grep matches; tail lives on until its next write fails or the VMM ends
                // (--pid), so a VMM that never brings the guest to init leaves no time.
                + "rm -f \"$log.t1\"\n"
                + "tail -s 0.02 --pid=$pid -n +1 -F \"$log\" 2>/dev/null | { grep -q -m1 '" + MARKER + "'"
                + " && cut -d' ' -f1 /proc/uptime > \"$log.t1\"; }\n"
                + "wait $pid\n"
                + "rc=$?\n"
                + "read t2 rest < /proc/uptime\n"
                + "t1=$(cat \"$log.t1\" 2>/dev/null || echo none)\n"
                + "echo \"JVMM-BENCH t0=$t0 start=$t1 end=$t2 rc=$rc\"\n";
    }

    /** Boots {@code launch} with {@code vmm} once in {@code host} and times it; throws when the guest never got to init. */
    public static Timing time(TestHost host, L2Vmm vmm, L2Launch launch, Duration timeout) {
        String log = host.newL2Log(vmm, "bench");
        String l1Log = L1Machine.L1_RUN + "/" + log;
        ExecResult run = host.exec(script(vmm.command(launch.withConsoleLog(l1Log)), l1Log), timeout);
        Matcher m = LINE.matcher(run.output());
        String console = read(host.runDir().resolve(log));
        String vmmOutput = read(host.runDir().resolve(log + ".vmm"));
        if (!m.find() || m.group(2).equals("none")) {
            throw new AssertionError(vmm.name() + " did not bring the guest to init (" + MARKER + ")\n--- timer ---\n"
                    + Text.tail(run.output(), 5) + "\n--- VMM output ---\n" + Text.tail(vmmOutput, 20)
                    + "\n--- L2 console tail ---\n" + Text.tail(console, 30));
        }
        double t0 = Double.parseDouble(m.group(1));
        return new Timing(vmm.name(), Double.parseDouble(m.group(2)) - t0, Double.parseDouble(m.group(3)) - t0,
                Integer.parseInt(m.group(4)));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
