package dev.jvmm.kvm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A guest program assembled from a test resource into the flat bytes a test copies into guest RAM.
 *
 * <p>{@link #assemble(String)} runs {@code gcc -c -x assembler-with-cpp} and then
 * {@code objcopy -O binary -j .text}, so the result is exactly the program's {@code .text} section.
 * Because a flat binary has no loader, the object is checked first: relocations (an absolute address only
 * a linker could fill in) and content in any other loadable section are refused. The entry point is the
 * first byte. The contracts of the programs under {@code guest/} (CPU mode, load address, ports) are in
 * {@code guest/README.md}.
 */
public final class GuestProgram {
    /** Where the vmm-core tests load guest programs; every program under {@code guest/} is position independent. */
    public static final long LOAD_GPA = 0x1000;
    /** Initial RSP of the long-mode contract; the 16/32-bit programs set this stack themselves. */
    public static final long STACK_TOP_GPA = 0x8000;

    private static final String INSTALL_HINT = "install the assembler toolchain: apt-get install gcc binutils";
    private static final long TOOL_TIMEOUT_SECONDS = 60;
    private static final Map<String, GuestProgram> CACHE = new ConcurrentHashMap<>();

    /** The external tools used; package-private so a test can point them at something that does not exist. */
    record Toolchain(String gcc, String objcopy) {
        static final Toolchain DEFAULT = new Toolchain("gcc", "objcopy");
    }

    private final String name;
    private final byte[] bytes;

    private GuestProgram(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    /**
     * Assembles the classpath resource {@code resourceName} (for example {@code "guest/realmode_hello.S"})
     * once per JVM and returns the cached program afterwards.
     *
     * @throws GuestAssemblyException if the resource is missing, gcc or objcopy is missing or fails, or
     *     the object cannot be flattened (relocations, content outside {@code .text}, empty)
     */
    public static GuestProgram assemble(String resourceName) {
        return CACHE.computeIfAbsent(resourceName, r -> assemble(r, Toolchain.DEFAULT));
    }

    /** The program's name: the resource's file name without its extension, e.g. {@code realmode_hello}. */
    public String name() {
        return name;
    }

    /** A copy of the flat binary; its first byte is the entry point. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The binary's length in bytes. */
    public int size() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "GuestProgram[" + name + ", " + bytes.length + " bytes]";
    }

    /** Uncached assembly with the given tools. */
    static GuestProgram assemble(String resourceName, Toolchain tools) {
        String fileName = resourceName.substring(resourceName.lastIndexOf('/') + 1);
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        Path dir;
        try {
            dir = Files.createTempDirectory("jvmm-guest-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory to assemble " + resourceName, e);
        }
        GuestProgram program;
        try {
            program = assembleIn(dir, resourceName, name, tools);
        } catch (RuntimeException e) {
            try {
                deleteRecursively(dir);
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        deleteRecursively(dir);
        return program;
    }

    private static GuestProgram assembleIn(Path dir, String resourceName, String name, Toolchain tools) {
        try {
            Path source = dir.resolve(name + ".S");
            try (InputStream in = GuestProgram.class.getClassLoader().getResourceAsStream(resourceName)) {
                if (in == null) {
                    throw new GuestAssemblyException("guest program resource " + resourceName
                            + " is not on the test classpath; guest programs live in vmm-core/src/test/resources/guest/");
                }
                Files.copy(in, source);
            }
            Path object = dir.resolve(name + ".o");
            Path flat = dir.resolve(name + ".bin");
            run(resourceName, dir, List.of(tools.gcc(), "-c", "-x", "assembler-with-cpp", "-Wa,--fatal-warnings",
                    "-o", object.toString(), source.toString()));
            checkFlattenable(resourceName, Files.readAllBytes(object));
            run(resourceName, dir, List.of(tools.objcopy(), "-O", "binary", "-j", ".text",
                    object.toString(), flat.toString()));
            byte[] bytes = Files.readAllBytes(flat);
            if (bytes.length == 0) {
                throw new GuestAssemblyException(resourceName + " assembled to an empty .text section: put the code in .text");
            }
            return new GuestProgram(name, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("assembling " + resourceName + " in " + dir, e);
        }
    }

    private static void checkFlattenable(String resourceName, byte[] object) {
        List<ElfSections.Section> sections;
        try {
            sections = ElfSections.parse(object);
        } catch (IllegalArgumentException e) {
            throw new GuestAssemblyException("gcc's output for " + resourceName + " is unreadable: " + e.getMessage()
                    + "; the guest programs need an x86-64 gcc", e);
        }
        String relocations = sections.stream().filter(ElfSections.Section::isRelocations)
                .map(ElfSections.Section::name).collect(Collectors.joining(", "));
        if (!relocations.isEmpty()) {
            throw new GuestAssemblyException(resourceName + " has relocations (" + relocations
                    + "): it refers to a symbol's absolute address, which stays unresolved in a flat binary."
                    + " Use RIP-relative addressing in 64-bit code or call/pop in 16/32-bit code");
        }
        String stray = sections.stream()
                .filter(s -> s.isLoadableContent() && !s.name().equals(".text") && s.size() != 0)
                .map(s -> s.name() + " (" + s.size() + " bytes)").collect(Collectors.joining(", "));
        if (!stray.isEmpty()) {
            throw new GuestAssemblyException(resourceName + " puts content in " + stray
                    + ", which objcopy -j .text would drop: keep code and data in .text");
        }
    }

    private static void run(String resourceName, Path dir, List<String> command) throws IOException {
        Path log = dir.resolve("tool-output.txt");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new GuestAssemblyException("cannot run " + command.getFirst() + " to assemble " + resourceName
                    + " (" + e.getMessage() + "); " + INSTALL_HINT, e);
        }
        try {
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GuestAssemblyException(command.getFirst() + " did not finish within " + TOOL_TIMEOUT_SECONDS
                        + " s assembling " + resourceName);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GuestAssemblyException("interrupted while assembling " + resourceName, e);
        }
        if (process.exitValue() != 0) {
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            throw new GuestAssemblyException(String.join(" ", command) + " failed with exit code "
                    + process.exitValue() + " for " + resourceName + ":\n" + output
                    + "\n(fix the source; if the tool itself is broken or missing, " + INSTALL_HINT + ")");
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary directory " + dir, e);
        }
    }

    /** Hex dump of the bytes, for assertion messages. */
    public String hex() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** Whether {@code needle} occurs in the binary. */
    public boolean contains(byte... needle) {
        return indexOf(needle) >= 0;
    }

    /** The first offset of {@code needle} in the binary, or -1. */
    public int indexOf(byte... needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
