package dev.jvmm.testhost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one L2 guest reported on its console, and how its VMM ended.
 *
 * @param passed  true only when the console holds {@code JVMM-L2 RESULT <test> PASS}
 * @param detail  the rest of the RESULT line (facts after PASS, the reason after FAIL), or why there is none
 * @param irqs    the {@code /proc/interrupts} lines the guest printed ({@code JVMM-L2 IRQ})
 * @param console the guest's whole serial console, terminal escapes removed
 * @param vmm     the VMM command's exit status and output in L1
 */
public record L2Result(L2Test test, boolean passed, String detail, List<String> irqs, String console, ExecResult vmm) {
    private static final Pattern RESULT = Pattern.compile("^JVMM-L2 RESULT (\\S+) (PASS|FAIL) ?(.*)$", Pattern.MULTILINE);
    private static final Pattern IRQ = Pattern.compile("^JVMM-L2 IRQ (.*)$", Pattern.MULTILINE);
    private static final Pattern FACT = Pattern.compile("(\\w+)=(\\S+)");

    public L2Result {
        irqs = List.copyOf(irqs);
    }

    static L2Result parse(L2Test test, String rawConsole, ExecResult vmm) {
        String console = Text.clean(rawConsole);
        Matcher m = RESULT.matcher(console);
        boolean passed = false;
        String detail = "the guest printed no JVMM-L2 RESULT line";
        if (m.find()) {
            if (!m.group(1).equals(test.param())) {
                detail = "the guest ran check '" + m.group(1) + "', not '" + test.param() + "'";
            } else {
                passed = m.group(2).equals("PASS");
                detail = m.group(3).strip();
            }
        }
        return new L2Result(test, passed, detail, IRQ.matcher(console).results().map(r -> r.group(1).strip()).toList(),
                console, vmm);
    }

    /** The key=value facts of a PASS line ({@code bytes=8388608 msix_irqs=38 ...}). */
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        FACT.matcher(detail).results().forEach(r -> facts.put(r.group(1), r.group(2)));
        return facts;
    }

    /** A fact of the PASS line as a number; fails naming the line when it is missing. */
    public long fact(String key) {
        String value = facts().get(key);
        if (value == null) {
            throw new AssertionError("L2 " + test.param() + " reported no " + key + "= in: " + detail);
        }
        return Long.parseLong(value);
    }

    /** The rest of every console line {@code JVMM-L2 <kind> ...}, in order ({@code markers("E820")}). */
    public List<String> markers(String kind) {
        Pattern marker = Pattern.compile("^JVMM-L2 " + Pattern.quote(kind) + " (.*)$", Pattern.MULTILINE);
        return marker.matcher(console).results().map(r -> r.group(1).strip()).toList();
    }

    /** Returns this result when the check passed, else fails with the guest's console tail. */
    public L2Result assertPassed() {
        if (!passed) {
            throw new AssertionError(failureReport());
        }
        return this;
    }

    /** The failure message: the check, its reason, the VMM's exit and output, the L2 console tail. */
    public String failureReport() {
        return "L2 check " + test.param() + " did not pass: " + detail
                + "\n--- VMM in L1 (exit status " + vmm.exitCode() + (vmm.timedOut() ? ", stopped at its timeout" : "")
                + ") ---\n" + Text.tail(vmm.output(), 20)
                + "\n--- L2 console tail ---\n" + Text.tail(console, 40);
    }
}
