package dev.jvmm.testhost;

/** The test host itself failed (images, container, L1 boot, an L1 command): not the code under test. */
public final class TestHostException extends RuntimeException {
    public TestHostException(String message) {
        super(message);
    }

    public TestHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
