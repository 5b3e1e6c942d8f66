package dev.jvmm.vfio.config;

/**
 * The guest's programming of one MSI or MSI-X vector: the message it asked for ({@code address},
 * {@code data}) and whether it has masked the vector. For multi-message MSI, {@code data} already has
 * the vector number in its low bits, as the device would send it.
 */
public record MsiVector(int vector, long address, int data, boolean masked) {

    @Override
    public String toString() {
        return String.format("MsiVector[%d: 0x%x <- 0x%x%s]", vector, address, data, masked ? ", masked" : "");
    }
}
