package dev.jvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineOptionsTest {
    @TempDir
    Path dir;
    Path kernel;

    @BeforeEach
    void files() throws IOException {
        kernel = Files.write(dir.resolve("bzImage"), new byte[] {1});
    }

    private VmConfig parse(String... extra) {
        List<String> args = new ArrayList<>(List.of("-kernel", kernel.toString()));
        args.addAll(List.of(extra));
        return CommandLineOptions.parse(args.toArray(String[]::new), new PrintWriter(new StringWriter()));
    }

    private String error(String... args) {
        return assertThrows(ConfigException.class,
                () -> CommandLineOptions.parse(args, new PrintWriter(new StringWriter()))).getMessage();
    }

    @Test
    void ordinaryCommandLinesSkipPicocliAndParseAsItWould() throws IOException {
        Path initrd = Files.write(dir.resolve("initrd.gz"), new byte[] {2});
        String k = kernel.toString();
        List<String[]> lines = List.of(
                new String[] {"-kernel", k},
                new String[] {"-smp", "2", "-m", "512", "-no-reboot", "-serial", "file:/run/c.log", "-kernel", k,
                    "-initrd", initrd.toString(), "-append", "console=ttyS0 panic=-1 quiet jvmm.test=boot"},
                new String[] {"-kernel", k, "-device", "vfio-pci,host=0000:01:00.0", "-device",
                    "vfio-pci,host=0000:02:00.0,id=b", "-qmp", "tcp:127.0.0.1:4444,server=on,wait=off", "-m", "2G",
                    "-stats", "/run/vm-stats.json"});
        for (String[] args : lines) {
            CommandLineOptions plain = CommandLineOptions.plain(args);
            assertTrue(plain != null, String.join(" ", args));
            assertEquals(CommandLineOptions.parseWithPicocli(args, new PrintWriter(new StringWriter())),
                    plain.toConfig(), String.join(" ", args));
        }
        for (String[] args : List.<String[]>of(new String[] {"--help"}, new String[] {"-kernel", k, "-m", "1", "-m", "2"},
                new String[] {"-kernel", k, "-append"}, new String[] {"-kernel", k, "-bogus", "x"},
                new String[] {"-m", "512"}, new String[] {"-kernel", k, "-no-reboot", "-no-reboot"},
                new String[] {"-kernel", k, "-append", "-x"})) {
            assertNull(CommandLineOptions.plain(args), "left to picocli: " + String.join(" ", args));
        }
    }

    @Test
    void qemuSpellingParsesIntoOneConfig() throws IOException {
        Path initrd = Files.write(dir.resolve("initrd.gz"), new byte[] {2});
        VmConfig c = parse("-initrd", initrd.toString(), "-append", "console=ttyS0 quiet", "-m", "2G", "-smp", "2",
                "-serial", "file:/tmp/console.log", "-device", "vfio-pci,host=0000:01:00.0,id=nvme0,addr=4",
                "-device", "vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:02:00.0",
                "-qmp", "unix:/tmp/q.sock,server=on,wait=off", "-no-reboot");
        assertEquals(kernel, c.kernel());
        assertEquals(Optional.of(initrd), c.initrd());
        assertEquals("console=ttyS0 quiet", c.cmdline());
        assertEquals(2L << 30, c.memoryBytes());
        assertEquals(2, c.vcpus());
        assertEquals(new VmConfig.SerialSpec.File(Path.of("/tmp/console.log")), c.serial());
        assertEquals(new VmConfig.DeviceSpec.VfioPci(Optional.of("0000:01:00.0"), Optional.empty(), "nvme0",
                Optional.of(4)), c.devices().get(0));
        assertEquals("vfio1", c.devices().get(1).id());
        assertEquals(new VmConfig.QmpSpec.Unix(Path.of("/tmp/q.sock")), c.qmp().orElseThrow());
        assertTrue(c.noReboot());
    }

    @Test
    void defaultsAreQemuLike() {
        VmConfig c = parse();
        assertEquals(512L << 20, c.memoryBytes());
        assertEquals(1, c.vcpus());
        assertEquals(new VmConfig.SerialSpec.Stdio(), c.serial());
        assertEquals("console=ttyS0", c.cmdline());
        assertTrue(c.devices().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "512|536870912", "512M|536870912", "2g|2147483648", "1048576K|1073741824", "4096B|4096"})
    void memorySizes(String text, long bytes) {
        assertEquals(bytes, parse("-m", text).memoryBytes());
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter out = new StringWriter();
        assertNull(CommandLineOptions.parse(new String[] {"--help"}, new PrintWriter(out)));
        for (String option : List.of("-kernel", "-initrd", "-append", "-m", "-smp", "-serial", "-device", "-qmp")) {
            assertTrue(out.toString().contains(option), option + " missing from help:\n" + out);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-m|lots|-m lots: not a size; write it like 512 (MiB), 512M or 2G",
        "-m|0|-m 0: the size must be positive",
        "-m|1001B|-m 1001B: guest RAM must be a multiple of 4 KiB",
        "-smp|0|-smp 0: give a vCPU count from 1 to 255",
        "-smp|two|-smp two: give a vCPU count from 1 to 255",
        "-serial|tcp:1|-serial tcp:1: use stdio, none or file:PATH",
        "-device|e1000|-device e1000: unknown device 'e1000' (supported: vfio-pci)",
        "-device|vfio-pci|give exactly one of host=DDDD:BB:DD.F or sysfsdev=PATH",
        "-device|vfio-pci,host=1:2:3|host=1:2:3 is not a PCI address; write it as 0000:01:00.0",
        "-device|vfio-pci,host=01:00.0,bogus=1|unknown property 'bogus'",
        "-device|vfio-pci,host=01:00.0,addr=0|addr=0 is not a guest slot",
        "-device|vfio-pci,host=01:00.0,addr=32|addr=32 is not a guest slot",
        "-device|vfio-pci,host=01:00.0,id=9x|id=9x must start with a letter",
        "-device|vfio-pci,host=01:00.0,host=02:00.0|'host' given twice",
        "-qmp|unix:/x|jvmm only listens: add ,server=on,wait=off",
        "-qmp|stdio,server=on,wait=off|use unix:PATH,server=on,wait=off or tcp:HOST:PORT",
    })
    void badValuesGetOneLineNamingTheOptionAndTheFix(String option, String value, String expected) {
        String message = error("-kernel", kernel.toString(), option, value);
        assertTrue(message.contains(expected), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void missingFilesAndOptionsAreNamed() {
        assertTrue(error("-kernel", dir.resolve("nope").toString()).endsWith("nope: no such file"));
        assertTrue(error("-kernel", dir.toString()).endsWith(": not a readable file"));
        assertTrue(error("-kernel", kernel.toString(), "-initrd", "/nonexistent/initrd").contains("-initrd /nonexistent/initrd: no such file"));
        assertTrue(error("-m", "512").contains("Missing required option: '-kernel=BZIMAGE'"), error("-m", "512"));
        assertTrue(error("-kernel", kernel.toString(), "-frobnicate").contains("Unknown option: '-frobnicate'"));
        String dup = error("-kernel", kernel.toString(), "-device", "vfio-pci,host=01:00.0,id=a",
                "-device", "vfio-pci,host=02:00.0,id=a");
        assertTrue(dup.contains("id 'a' is already used"), dup);
    }
}
