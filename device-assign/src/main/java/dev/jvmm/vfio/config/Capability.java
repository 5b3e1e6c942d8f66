package dev.jvmm.vfio.config;

/**
 * A capability in the device's list: its ID, where its header sits, and how many bytes of it the guest
 * sees (0 for capabilities that are hidden).
 */
public record Capability(int id, int offset, int length) {

    @Override
    public String toString() {
        return String.format("Capability[id 0x%02x at 0x%02x, %d bytes]", id, offset, length);
    }
}
