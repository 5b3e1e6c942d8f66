package dev.jvmm.qmp;

import java.util.Objects;

/**
 * The version announced in the greeting and by {@code query-version} ({@code VersionInfo}): the QEMU
 * version whose QMP behaviour the server follows, and a free-form package string.
 */
public record QmpVersion(int major, int minor, int micro, String packageName) {

    /**
     * jvmm follows the wire behaviour of QEMU 7.2 (what /work/shared/QMP-FACTS.md records), so clients
     * that gate features on the version see the level they actually get.
     */
    public static final QmpVersion JVMM = new QmpVersion(7, 2, 0, "jvmm");

    public QmpVersion {
        if (major < 0 || minor < 0 || micro < 0) {
            throw new IllegalArgumentException("version " + major + "." + minor + "." + micro + " has a negative part");
        }
        Objects.requireNonNull(packageName, "packageName");
    }
}
