package dev.jvmm.vfio;

/**
 * Device assignment cannot go ahead: the message says what is wrong on the host and, after
 * {@code "Fix: "}, what to run or change. Failures of a single syscall surface as
 * {@code ErrnoException} instead, with the same kind of advice attached.
 */
public final class VfioException extends RuntimeException {

    private final String problem;
    private final String fix;

    VfioException(String problem, String fix) {
        this(problem, fix, null);
    }

    VfioException(String problem, String fix, Throwable cause) {
        super(fix == null ? problem : problem + ". Fix: " + fix, cause);
        this.problem = problem;
        this.fix = fix;
    }

    /** What is wrong, without the advice. */
    public String problem() {
        return problem;
    }

    /** What to do about it; null when nothing but the cause's own advice applies. */
    public String fix() {
        return fix;
    }
}
