package dev.jvmm.kvm.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an ABI table must cover: every struct class ({@code public static final StructLayout LAYOUT}) and
 * every class of numeric constants in a {@code sys} package's main classes. Shared by the KVM and VFIO
 * ABI tests (the latter through vmm-core's test-jar), so that a new struct class cannot go unchecked.
 */
public final class AbiCoverage {
    private AbiCoverage() {
    }

    /** A text resource next to {@code anchor} (the C prelude of an ABI test). */
    public static String resource(Class<?> anchor, String name) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + anchor.getPackageName().replace('.', '/') + "/"
                        + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The top-level classes compiled into the main output directory of {@code anchor}'s package (not the
     * tests'); fails when there are fewer than {@code atLeast}, which would mean the walk found nothing.
     */
    public static List<Class<?>> mainClasses(Class<?> anchor, int atLeast)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = anchor.getPackageName();
        Path dir = root.resolve(pkg.replace('.', '/'));
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("expected the main classes as a directory, got " + root);
        }
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
                    classes.add(Class.forName(pkg + "." + name.substring(0, name.length() - 6)));
                }
            }
        }
        if (classes.size() < atLeast) {
            throw new AssertionError("found only " + classes + " in " + dir);
        }
        return classes;
    }

    /** The class's {@code LAYOUT} when it is a struct class, else null. */
    public static StructLayout structLayoutOf(Class<?> c) throws IllegalAccessException {
        try {
            Field f = c.getField("LAYOUT");
            return f.get(null) instanceof StructLayout s ? s : null;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /**
     * What {@code table} leaves unchecked among the main classes of {@code anchor}'s package: each entry
     * names the class and the row to add. Empty when everything is covered.
     */
    public static List<String> unprobed(List<CAbiProbe.Probe> table, Class<?> anchor, int atLeast) throws Exception {
        Set<String> probed = new HashSet<>();
        table.forEach(p -> probed.add(p.c()));
        List<String> missing = new ArrayList<>();
        for (Class<?> c : mainClasses(anchor, atLeast)) {
            StructLayout layout = structLayoutOf(c);
            if (layout != null) {
                if (!probed.contains("sizeof(struct " + layout.name().orElse("?") + ")")) {
                    missing.add(c.getSimpleName() + ": add struct(" + c.getSimpleName() + ".LAYOUT)");
                }
            } else if (hasNumericConstants(c)) {
                for (CAbiProbe.Probe p : CAbiProbe.constants(c)) {
                    if (!probed.contains(p.c())) {
                        missing.add(c.getSimpleName() + "." + p.c() + ": add constants(" + c.getSimpleName() + ".class)");
                    }
                }
            }
        }
        return missing;
    }

    private static boolean hasNumericConstants(Class<?> c) {
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                    && (f.getType() == int.class || f.getType() == long.class)) {
                return true;
            }
        }
        return false;
    }
}
