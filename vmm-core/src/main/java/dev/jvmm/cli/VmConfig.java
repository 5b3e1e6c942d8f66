package dev.jvmm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A VM as the command line describes it, validated.
 *
 * @param stats where to write the exit statistics of each VM run ({@code -stats PATH}), if anywhere
 */
public record VmConfig(Path kernel, Optional<Path> initrd, String cmdline, long memoryBytes, int vcpus,
                       SerialSpec serial, List<DeviceSpec> devices, Optional<QmpSpec> qmp, boolean noReboot,
                       Optional<Path> stats) {

    /** Where the guest's 16550 console goes ({@code -serial}). */
    public sealed interface SerialSpec {
        record Stdio() implements SerialSpec {
        }

        record File(Path path) implements SerialSpec {
        }

        record None() implements SerialSpec {
        }
    }

    /** One {@code -device}. */
    public sealed interface DeviceSpec {
        String id();

        /**
         * {@code vfio-pci,host=BDF} or {@code vfio-pci,sysfsdev=PATH}; {@code addr} is the guest slot
         * (0-31) or empty for the next free one.
         */
        record VfioPci(Optional<String> host, Optional<Path> sysfsdev, String id, Optional<Integer> addr)
                implements DeviceSpec {
        }
    }

    /** {@code -qmp unix:PATH,server=on,wait=off} or {@code -qmp tcp:HOST:PORT,server=on,wait=off}. */
    public sealed interface QmpSpec {
        record Unix(Path path) implements QmpSpec {
        }

        record Tcp(String host, int port) implements QmpSpec {
        }
    }
}
