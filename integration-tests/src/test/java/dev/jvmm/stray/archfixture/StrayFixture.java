package dev.jvmm.stray.archfixture;

/** Violation: a class in a top-level package that no module's list in the architecture rules names. */
public final class StrayFixture {
    public int value() {
        return 1;
    }
}
