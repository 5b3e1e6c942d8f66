package dev.jvmm.memory.sys;

/**
 * A system call failed. Carries errno (number and name), the operation, the context it ran in and, where
 * one is known, the fix. The message reads: {@code KVM_CREATE_VM on /dev/kvm failed: EACCES (13). Fix: ...}.
 */
public final class ErrnoException extends RuntimeException {
    private final int errno;
    private final String operation;
    private final String context;
    private final String fix;

    public ErrnoException(int errno, String operation, String context, String fix) {
        super(format(errno, operation, context, fix));
        this.errno = errno;
        this.operation = operation;
        this.context = context;
        this.fix = fix;
    }

    public ErrnoException(int errno, String operation) {
        this(errno, operation, null, null);
    }

    private static String format(int errno, String operation, String context, String fix) {
        StringBuilder b = new StringBuilder(operation);
        if (context != null && !context.isEmpty()) {
            b.append(" (").append(context).append(')');
        }
        b.append(" failed: ").append(Errno.name(errno)).append(" (").append(errno).append(')');
        if (fix != null && !fix.isEmpty()) {
            b.append(". Fix: ").append(fix);
        }
        return b.toString();
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    public String operation() {
        return operation;
    }

    public String context() {
        return context;
    }

    public String fix() {
        return fix;
    }

    /** The same failure with (more) context, e.g. the device or address range it concerned. */
    public ErrnoException withContext(String more) {
        String joined = context == null || context.isEmpty() ? more : context + ", " + more;
        ErrnoException e = new ErrnoException(errno, operation, joined, fix);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The same failure with advice on what to do about it. */
    public ErrnoException withFix(String advice) {
        ErrnoException e = new ErrnoException(errno, operation, context, advice);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
