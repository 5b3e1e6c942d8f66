package dev.jvmm.testhost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The images one L1 kernel needs, built (or found in the cache) by {@code images/build.sh}.
 *
 * @param l1Kernel       the kernel L1 boots
 * @param l1Initrd       L1's agent initramfs
 * @param l2Kernel       the kernel of L2 guests (always Debian's stock 6.1)
 * @param l2Initrd       the L2 checks' initramfs
 * @param containerImage the local docker image holding L1's QEMU
 */
public record TestHostImages(Path l1Kernel, Path l1Initrd, Path l2Kernel, Path l2Initrd, String containerImage) {
    /** A cold feature kernel build takes ~16 min on 2 cores; this bounds a stuck one. */
    private static final long BUILD_TIMEOUT_MINUTES = 45;
    private static final Map<String, Path> BUILT = new HashMap<>();

    /** Builds what {@code kernel} needs, once per JVM; later calls return at once. */
    public static synchronized TestHostImages forKernel(L1Kernel kernel) {
        List<String> targets = List.of(kernel.buildTarget(), "stock-kernel", "l1-initramfs", "l2-initramfs",
                "host-image");
        List<String> missing = targets.stream().filter(t -> !BUILT.containsKey(t)).distinct().toList();
        if (!missing.isEmpty()) {
            BUILT.putAll(build(missing));
        }
        try {
            return new TestHostImages(
                    BUILT.get(kernel.buildTarget()).resolve("vmlinuz"),
                    BUILT.get("l1-initramfs").resolve("initrd.gz"),
                    BUILT.get("stock-kernel").resolve("vmlinuz"),
                    BUILT.get("l2-initramfs").resolve("initrd.gz"),
                    Files.readString(BUILT.get("host-image").resolve("image")).strip());
        } catch (IOException e) {
            throw new TestHostException("images/build.sh reported host-image but left no readable 'image' file", e);
        }
    }

    /** Runs build.sh; its stderr (progress) goes to ours, its stdout carries TARGET=DIR lines. */
    private static Map<String, Path> build(List<String> targets) {
        Path script = script();
        var command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(targets);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new TestHostException("cannot run " + script + ": " + e.getMessage(), e);
        }
        Deque<String> log = new ArrayDeque<>();
        Thread pump = Thread.ofVirtual().start(() -> {
            try (var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    System.err.println(line);
                    synchronized (log) {
                        log.addLast(line);
                        if (log.size() > 40) {
                            log.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended; what was read is in the log
            }
        });
        Map<String, Path> dirs = new HashMap<>();
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    dirs.put(line.substring(0, eq), Path.of(line.substring(eq + 1)));
                }
            }
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new TestHostException(script + " " + targets + " took over " + BUILD_TIMEOUT_MINUTES + " min");
            }
            pump.join();
        } catch (IOException e) {
            throw new TestHostException("lost the output of " + script, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TestHostException("interrupted while building images " + targets, e);
        }
        if (process.exitValue() != 0 || !dirs.keySet().containsAll(targets)) {
            String tail;
            synchronized (log) {
                tail = String.join("\n", log);
            }
            throw new TestHostException(script + " " + String.join(" ", targets) + " failed (exit status "
                    + process.exitValue() + "). Run images/setup-host.sh as root if packages or the docker"
                    + " engine are missing. Last lines:\n" + tail);
        }
        return dirs;
    }

    /** images/build.sh: from system property jvmm.images.script, else found above the working directory. */
    private static Path script() {
        String configured = System.getProperty("jvmm.images.script");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("images/build.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new TestHostException("cannot find images/build.sh: set -Djvmm.images.script=/path/to/images/build.sh");
    }
}
