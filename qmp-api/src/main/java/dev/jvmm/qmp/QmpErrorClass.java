package dev.jvmm.qmp;

/** QEMU's {@code QapiErrorClass} ({@code qapi/error.json}): the {@code class} member of an error reply. */
public enum QmpErrorClass {
    GenericError,
    CommandNotFound,
    DeviceNotActive,
    DeviceNotFound,
    KVMMissingCap
}
