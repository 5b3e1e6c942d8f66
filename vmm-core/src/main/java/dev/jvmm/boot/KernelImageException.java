package dev.jvmm.boot;

/**
 * A kernel image that cannot be booted: not a bzImage, too old a boot protocol, no 64-bit entry,
 * truncated. The message names the image, the header field at fault and what to pass instead.
 */
public final class KernelImageException extends RuntimeException {
    private final String image;
    private final String field;

    public KernelImageException(String image, String field, String message) {
        super(image + ": " + message);
        this.image = image;
        this.field = field;
    }

    public KernelImageException(String image, String field, String message, Throwable cause) {
        super(image + ": " + message, cause);
        this.image = image;
        this.field = field;
    }

    /** The file (or name) the image came from. */
    public String image() {
        return image;
    }

    /** The setup-header field (as named in bootparam.h) or file property that was refused. */
    public String field() {
        return field;
    }
}
