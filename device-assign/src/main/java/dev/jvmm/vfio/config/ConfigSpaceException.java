package dev.jvmm.vfio.config;

/**
 * The device's config space or the description given for it cannot be virtualized (a bridge, a broken
 * capability list, a BAR size that is not a power of two). Thrown while building the guest's view, never
 * in response to a guest access.
 */
public final class ConfigSpaceException extends RuntimeException {

    public ConfigSpaceException(String message) {
        super(message);
    }
}
