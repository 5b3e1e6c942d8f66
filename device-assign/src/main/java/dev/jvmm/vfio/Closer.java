package dev.jvmm.vfio;

/**
 * Runs teardown steps in order, carrying on after a failure so that one failing step does not leak what
 * the later ones release; the first failure is rethrown at the end with the others suppressed. Public for
 * the teardown of {@code dev.jvmm.vfio.pci}.
 */
public final class Closer {

    private RuntimeException failure;

    /** A closer with no failure yet, for a teardown sequence. */
    public Closer() {
    }

    /** A closer that adds later failures to {@code primary}, for cleaning up after a failed set-up step. */
    public static Closer after(RuntimeException primary) {
        Closer c = new Closer();
        c.failure = primary;
        return c;
    }

    public void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else if (failure != e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Throws the first failure, if any step failed. */
    public void rethrow() {
        if (failure != null) {
            throw failure;
        }
    }
}
