package dev.jvmm.vmm;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code RunFlatProgram MODE FILE}: runs a flat guest program on /dev/kvm and copies its console to
 * stdout; exits with the program's exit code. One line of error and exit 2 on bad input.
 */
public final class RunFlatProgram {
    private RunFlatProgram() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RunFlatProgram real|protected|long FILE");
            System.exit(2);
        }
        FlatProgramVm.Mode mode;
        try {
            mode = FlatProgramVm.Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("jvmm: unknown mode '" + args[0] + "': use real, protected or long");
            System.exit(2);
            return;
        }
        byte[] program;
        try {
            program = Files.readAllBytes(Path.of(args[1]));
        } catch (NoSuchFileException e) {
            System.err.println("jvmm: guest program " + args[1] + " does not exist");
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        try (FlatProgramVm vm = new FlatProgramVm(mode, false, program, System.out)) {
            var stop = vm.run(60);
            System.out.flush();
            System.err.printf("jvmm: guest ended (%s) with exit code %d after %d ms%n", stop.reason(),
                    vm.exitCode(), (System.nanoTime() - t0) / 1_000_000);
            System.exit(vm.exitCode() < 0 ? 1 : vm.exitCode());
        } catch (RuntimeException e) {
            System.err.println("jvmm: " + e.getMessage());
            System.exit(1);
        }
    }
}
