package dev.jvmm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Parsers for the option values whose syntax QEMU defines. */
final class OptionParsers {
    static final long MIB = 1L << 20;
    private static final Pattern BDF = Pattern.compile("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[01][0-9a-fA-F]\\.[0-7]");

    private OptionParsers() {
    }

    /** {@code -m}: a number of MiB, or a number with a K/M/G/T suffix (QEMU's rules). */
    static long memory(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIZE=")) {
            t = t.substring(5);
        }
        long unit = MIB;
        if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMGT".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("B")) {
            unit = 1;
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ConfigException("-m " + text + ": not a size; write it like 512 (MiB), 512M or 2G");
        }
        if (n <= 0 || n > Long.MAX_VALUE / unit) {
            throw new ConfigException("-m " + text + ": the size must be positive and below 8 EiB");
        }
        long bytes = n * unit;
        if (bytes % (4 * 1024) != 0) {
            throw new ConfigException("-m " + text + ": guest RAM must be a multiple of 4 KiB");
        }
        return bytes;
    }

    /** {@code -smp N} or {@code -smp cpus=N}. */
    static int smp(String text) {
        String t = text.trim();
        if (t.startsWith("cpus=")) {
            t = t.substring(5);
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= 255) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ConfigException("-smp " + text + ": give a vCPU count from 1 to 255");
    }

    /** {@code -serial stdio|none|file:PATH}. */
    static VmConfig.SerialSpec serial(String text) {
        if (text.equals("stdio") || text.equals("mon:stdio")) {
            return new VmConfig.SerialSpec.Stdio();
        }
        if (text.equals("none") || text.equals("null")) {
            return new VmConfig.SerialSpec.None();
        }
        if (text.startsWith("file:") && text.length() > 5) {
            return new VmConfig.SerialSpec.File(Path.of(text.substring(5)));
        }
        throw new ConfigException("-serial " + text + ": use stdio, none or file:PATH");
    }

    /** {@code driver,key=value,...} into an ordered map; the driver name under key "". */
    static Map<String, String> keyValues(String option, String text, Set<String> allowed) {
        Map<String, String> kv = new LinkedHashMap<>();
        String[] parts = text.split(",", -1);
        kv.put("", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(option + " " + text + ": '" + parts[i] + "' is not key=value");
            }
            String key = parts[i].substring(0, eq);
            if (!allowed.contains(key)) {
                throw new ConfigException(option + " " + text + ": unknown property '" + key + "' (known: "
                        + String.join(", ", allowed) + ")");
            }
            if (kv.put(key, parts[i].substring(eq + 1)) != null) {
                throw new ConfigException(option + " " + text + ": '" + key + "' given twice");
            }
        }
        return kv;
    }

    /** {@code -device vfio-pci,host=BDF|sysfsdev=PATH[,id=NAME][,addr=SLOT]}. */
    static VmConfig.DeviceSpec device(String text, int index) {
        String driver = text.split(",", -1)[0];
        if (!driver.equals("vfio-pci")) {
            throw new ConfigException("-device " + text + ": unknown device '" + driver + "' (supported: vfio-pci)");
        }
        Map<String, String> kv = keyValues("-device", text, Set.of("host", "sysfsdev", "id", "addr"));
        Optional<String> host = Optional.ofNullable(kv.get("host"));
        Optional<Path> sysfs = Optional.ofNullable(kv.get("sysfsdev")).map(Path::of);
        if (host.isPresent() == sysfs.isPresent()) {
            throw new ConfigException("-device " + text + ": give exactly one of host=DDDD:BB:DD.F or sysfsdev=PATH");
        }
        if (host.isPresent() && !BDF.matcher(host.get()).matches()) {
            throw new ConfigException("-device " + text + ": host=" + host.get()
                    + " is not a PCI address; write it as 0000:01:00.0 or 01:00.0 (see lspci -D)");
        }
        Optional<Integer> addr = Optional.empty();
        if (kv.containsKey("addr")) {
            String a = kv.get("addr");
            try {
                String slot = a.contains(".") ? a.substring(0, a.indexOf('.')) : a;
                int n = Integer.decode(slot.startsWith("0x") ? slot : "0x" + slot);
                if (n < 1 || n > 31 || (a.contains(".") && !a.endsWith(".0"))) {
                    throw new NumberFormatException();
                }
                addr = Optional.of(n);
            } catch (NumberFormatException e) {
                throw new ConfigException("-device " + text + ": addr=" + a
                        + " is not a guest slot; use 1 to 1f (slot 0 is the host bridge), function 0");
            }
        }
        String id = kv.getOrDefault("id", "vfio" + index);
        if (!id.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
            throw new ConfigException("-device " + text + ": id=" + id
                    + " must start with a letter and use letters, digits, '-', '_' or '.'");
        }
        return new VmConfig.DeviceSpec.VfioPci(host, sysfs, id, addr);
    }

    /** {@code -qmp unix:PATH,server=on,wait=off} or {@code tcp:HOST:PORT,server=on,wait=off}. */
    static VmConfig.QmpSpec qmp(String text) {
        Map<String, String> kv = keyValues("-qmp", text, Set.of("server", "wait"));
        String where = kv.get("");
        if (!"on".equals(kv.getOrDefault("server", "off")) || !"off".equals(kv.getOrDefault("wait", "on"))) {
            throw new ConfigException("-qmp " + text + ": jvmm only listens: add ,server=on,wait=off");
        }
        if (where.startsWith("unix:") && where.length() > 5) {
            return new VmConfig.QmpSpec.Unix(Path.of(where.substring(5)));
        }
        if (where.startsWith("tcp:")) {
            int colon = where.lastIndexOf(':');
            String host = where.substring(4, colon);
            try {
                int port = Integer.parseInt(where.substring(colon + 1));
                if (port > 0 && port < 65536 && colon > 3) {
                    return new VmConfig.QmpSpec.Tcp(host.isEmpty() ? "127.0.0.1" : host, port);
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ConfigException("-qmp " + text + ": use unix:PATH,server=on,wait=off or tcp:HOST:PORT,server=on,wait=off");
    }

    /** A file option that must name a readable regular file. */
    static Path existingFile(String option, String text) {
        Path p = Path.of(text);
        if (!Files.exists(p)) {
            throw new ConfigException(option + " " + text + ": no such file");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(option + " " + text + ": not a readable file");
        }
        return p;
    }

    static List<VmConfig.DeviceSpec> devices(List<String> texts) {
        List<VmConfig.DeviceSpec> out = new ArrayList<>();
        for (String t : texts) {
            VmConfig.DeviceSpec d = device(t, out.size());
            if (out.stream().anyMatch(o -> o.id().equals(d.id()))) {
                throw new ConfigException("-device " + t + ": id '" + d.id() + "' is already used");
            }
            out.add(d);
        }
        return out;
    }
}
