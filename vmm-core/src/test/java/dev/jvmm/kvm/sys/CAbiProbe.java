package dev.jvmm.kvm.sys;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Checks Java's view of a C ABI against gcc's. Each {@link Probe} pairs a C integer expression with the
 * Java value it must equal; {@link #check} writes one C program that prints every expression as
 * {@code expression=value}, compiles it with gcc against the installed headers, runs it, and fails
 * listing every probe whose values differ.
 *
 * <p>Reusable for any uapi header: {@link #struct} expands a {@link StructLayout} into probes for its
 * {@code sizeof}, {@code _Alignof} and the offset and size of every named member, recursively;
 * {@link #constants} turns a class of {@code static final} numbers named like C macros into probes.
 */
public final class CAbiProbe {

    /** Shown whenever gcc or the headers are missing. */
    public static final String INSTALL_HINT = "apt-get install gcc linux-libc-dev";

    private static final long TIMEOUT_SECONDS = 120;

    private CAbiProbe() {}

    /** A C integer expression and the Java value it must equal; the expression is also the probe's name. */
    public record Probe(String c, LongSupplier java) {
        public static Probe of(String c, LongSupplier java) {
            return new Probe(c, java);
        }
    }

    /** A named member of a struct, as C spells its path ({@code io.port}, {@code entries[0].eax}). */
    public record Member(String cPath, long offset, long size, MemoryLayout layout) {}

    /** Flattens the rows of a probe table. */
    @SafeVarargs
    public static List<Probe> table(List<Probe>... rows) {
        List<Probe> all = new ArrayList<>();
        for (List<Probe> row : rows) {
            all.addAll(row);
        }
        return List.copyOf(all);
    }

    /** One probe: {@code c} must evaluate to {@code java}. */
    public static List<Probe> value(String c, LongSupplier java) {
        return List.of(Probe.of(c, java));
    }

    /**
     * {@code sizeof}, {@code _Alignof}, and for each named member its {@code offsetof} and {@code sizeof}.
     * The layout's name is the C struct tag.
     */
    public static List<Probe> struct(StructLayout layout) {
        String type = "struct " + layout.name().orElseThrow(
                () -> new IllegalArgumentException("struct layout needs the C tag as its name: " + layout));
        List<Probe> probes = new ArrayList<>();
        probes.add(Probe.of("sizeof(" + type + ")", layout::byteSize));
        probes.add(Probe.of("_Alignof(" + type + ")", layout::byteAlignment));
        for (Member m : members(layout)) {
            probes.add(Probe.of("offsetof(" + type + ", " + m.cPath() + ")", m::offset));
            if (!isFlexibleArray(m.layout())) { // sizeof a flexible array member does not compile
                probes.add(Probe.of("sizeof(((" + type + " *)0)->" + m.cPath() + ")", m::size));
            }
        }
        return probes;
    }

    /**
     * Every named member of {@code layout}, depth first: members of nested structs and unions, and
     * element 0 of arrays (so {@code xcrs[0].value} and {@code entries[0].eax}). Unnamed groups are
     * anonymous C unions and contribute no path component; padding layouts are skipped.
     */
    public static List<Member> members(StructLayout layout) {
        List<Member> out = new ArrayList<>();
        walkGroup(layout, layout, List.of(), 0, "", out);
        return out;
    }

    /**
     * One probe per {@code public static final int} or {@code long} field of {@code holder}: the field's
     * name is the C macro, its value the Java side.
     */
    public static List<Probe> constants(Class<?> holder) {
        List<Probe> probes = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            int mod = f.getModifiers();
            boolean number = f.getType() == int.class || f.getType() == long.class;
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && number) {
                probes.add(Probe.of(f.getName(), () -> {
                    try {
                        return f.getLong(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
        }
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(holder + " has no public static final int/long constants");
        }
        return probes;
    }

    /**
     * Compiles and runs the probe program in {@code workDir} and fails with every mismatch.
     *
     * @param prelude C text placed before {@code main}: the {@code #include}s and any compatibility macros
     */
    public static void check(Path workDir, String prelude, List<Probe> probes) {
        Map<String, Long> c = evaluate(workDir, prelude, probes.stream().map(Probe::c).toList());
        List<String> mismatches = new ArrayList<>();
        for (Probe p : probes) {
            Long cValue = c.get(p.c());
            String cText = cValue == null ? "(not printed)" : show(cValue);
            long javaValue;
            try {
                javaValue = p.java().getAsLong();
            } catch (RuntimeException e) {
                mismatches.add("  " + p.c() + ": C=" + cText + " Java threw " + e);
                continue;
            }
            if (cValue == null || cValue != javaValue) {
                mismatches.add("  " + p.c() + ": C=" + cText + " Java=" + show(javaValue));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " of " + probes.size()
                    + " ABI values differ between the Java layouts/constants and gcc (probe program: "
                    + workDir.resolve("probe.c") + "):\n" + String.join("\n", mismatches));
        }
    }

    /** Compiles (with {@code gcc}) and runs a program printing each expression; returns expression to value. */
    public static Map<String, Long> evaluate(Path workDir, String prelude, List<String> expressions) {
        return evaluate(workDir, prelude, expressions, "gcc");
    }

    static Map<String, Long> evaluate(Path workDir, String prelude, List<String> expressions, String compiler) {
        try {
            Files.createDirectories(workDir);
            Path source = workDir.resolve("probe.c");
            Path binary = workDir.resolve("probe");
            Files.writeString(source, program(prelude, expressions), StandardCharsets.UTF_8);
            List<String> compile = List.of(compiler, "-std=gnu11", "-Wall", "-o", binary.toString(), source.toString());
            Path compileLog = workDir.resolve("compile.log");
            Process gcc;
            try {
                gcc = start(compile, compileLog);
            } catch (IOException e) {
                throw new AssertionError(compiler + " is not installed (or not on PATH), so the Java struct layouts"
                        + " cannot be checked against the kernel headers: " + INSTALL_HINT + " (" + e.getMessage()
                        + ")", e);
            }
            finish(gcc, String.join(" ", compile), compileLog);
            Path runLog = workDir.resolve("probe.out");
            return parse(finish(start(List.of(binary.toString()), runLog), binary.toString(), runLog));
        } catch (IOException e) {
            throw new AssertionError("could not write or run the ABI probe in " + workDir + ": " + e, e);
        }
    }

    static String program(String prelude, List<String> expressions) {
        StringBuilder b = new StringBuilder();
        b.append("/* Generated by ").append(CAbiProbe.class.getName()).append(": prints expression=value. */\n");
        b.append("#include <stdio.h>\n#include <stddef.h>\n");
        b.append(prelude).append("\n\nint main(void)\n{\n");
        for (String e : expressions) {
            b.append("    printf(\"%s=%lld\\n\", \"").append(cString(e)).append("\", (long long)(")
                    .append(e).append("));\n");
        }
        return b.append("    return 0;\n}\n").toString();
    }

    private static Map<String, Long> parse(String out) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq < 0) {
                throw new AssertionError("unexpected probe output line (no '='): " + line);
            }
            values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        return values;
    }

    /** Starts {@code command}, its stdout and stderr going to {@code log}. */
    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).directory(log.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for {@code p}; returns its output, or fails showing it if {@code p} did not exit with 0. */
    private static String finish(Process p, String what, Path log) throws IOException {
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(what + " failed with exit status " + p.exitValue()
                    + ". If a header is missing: " + INSTALL_HINT + ". Its output:\n" + output);
        }
        return output;
    }

    private static void walkGroup(MemoryLayout root, GroupLayout group, List<PathElement> path, long base,
                                  String cPrefix, List<Member> out) {
        List<MemoryLayout> members = group.memberLayouts();
        for (int i = 0; i < members.size(); i++) {
            MemoryLayout member = members.get(i);
            if (member instanceof PaddingLayout) {
                continue;
            }
            List<PathElement> memberPath = append(path, member.name().isPresent()
                    ? PathElement.groupElement(member.name().get()) : PathElement.groupElement(i));
            if (member.name().isEmpty()) {
                if (!(member instanceof GroupLayout anonymous)) {
                    throw new IllegalArgumentException("unnamed non-group member " + member + " in " + group
                            + ": only anonymous unions/structs may be unnamed");
                }
                walkGroup(root, anonymous, memberPath, base, cPrefix, out);
                continue;
            }
            String cPath = cPrefix + member.name().get();
            long offset = base + root.byteOffset(memberPath.toArray(PathElement[]::new));
            out.add(new Member(cPath, offset, member.byteSize(), member));
            walkInto(root, member, memberPath, base, offset, cPath, out);
        }
    }

    private static void walkInto(MemoryLayout root, MemoryLayout member, List<PathElement> path, long base,
                                 long offset, String cPath, List<Member> out) {
        if (member instanceof GroupLayout g) {
            walkGroup(root, g, path, base, cPath + ".", out);
        } else if (member instanceof SequenceLayout s) {
            MemoryLayout element = s.elementLayout();
            String elementPath = cPath + "[0]";
            out.add(new Member(elementPath, offset, element.byteSize(), element));
            if (s.elementCount() > 0) {
                walkInto(root, element, append(path, PathElement.sequenceElement(0)), base, offset, elementPath, out);
            } else { // a flexible array has no element 0 to select: restart the paths at the element
                walkInto(element, element, List.of(), offset, offset, elementPath, out);
            }
        }
    }

    private static boolean isFlexibleArray(MemoryLayout layout) {
        return layout instanceof SequenceLayout s && s.elementCount() == 0;
    }

    private static List<PathElement> append(List<PathElement> path, PathElement next) {
        List<PathElement> longer = new ArrayList<>(path);
        longer.add(next);
        return longer;
    }

    /** Decimal, plus hex where that helps (ioctl numbers, flags). */
    private static String show(long v) {
        return v >= 0 && v < 10 ? Long.toString(v) : v + " (0x" + Long.toHexString(v) + ")";
    }

    private static String cString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
