package dev.jvmm.qmp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.QmpTestClient;
import dev.jvmm.qmp.transport.QmpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * Benchmark, not a test: {@code query-status} commands per second over a UNIX socket, pipelined (N
 * commands written at once, then N replies read) and one at a time (send, wait, repeat).
 *
 * <p>By default it compares, in one run, jvmm's QMP server (with a fake VM, started in this JVM) with
 * QEMU's ({@code qemu-system-x86_64 -machine none}, started as a child process), alternating rounds between
 * them so both see the same machine load, and prints both medians and the ratio jvmm/QEMU:
 * <pre>
 *   bin/mvn -q -pl qmp-api -am -Pbench -DskipTests verify
 *   # one server only, e.g. a running VMM: -Dbench.args="--socket /tmp/vm.qmp"
 * </pre>
 * Options: {@code --socket PATH} (measure only that server), {@code --qemu PATH} (default
 * qemu-system-x86_64), {@code --commands N} (default 2000), {@code --rounds R} (default 7, after 3 warm-up
 * rounds).
 */
public final class QueryStatusBench {

    /** Medians of one server's rounds, in commands per second. */
    private record Figures(double pipelined, double sequential) {
    }

    private QueryStatusBench() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        String qemu = "qemu-system-x86_64";
        int commands = 2000;
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]);
                case "--qemu" -> qemu = args[++i];
                case "--commands" -> commands = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --socket PATH, --qemu PATH, --commands N, --rounds R");
            }
        }
        if (socket != null) {
            try (QmpTestClient client = open("QMP server at " + socket, socket)) {
                measure(client, batch(commands), commands, rounds, new double[rounds], new double[rounds]);
            }
            return;
        }
        compare(qemu, commands, rounds);
    }

    private static void compare(String qemuBinary, int commands, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("qmp-bench");
        Path ours = dir.resolve("jvmm.sock");
        Path theirs = dir.resolve("qemu.sock");
        Process qemu = startQemu(qemuBinary, theirs);
        try (FakeVm vm = new FakeVm(RunState.RUNNING);
                QmpServer server = QmpServer.start(QmpServerOptions.unixSocket(ours), vm);
                QmpTestClient jvmmClient = open("jvmm QmpServer (fake VM)", ours);
                QmpTestClient qemuClient = open("QEMU " + qemuBinary + " -machine none", theirs)) {
            byte[] batch = batch(commands);
            double[][] j = {new double[rounds], new double[rounds]};
            double[][] q = {new double[rounds], new double[rounds]};
            for (int w = 0; w < 3; w++) {
                pipelined(jvmmClient, batch, commands);
                pipelined(qemuClient, batch, commands);
            }
            for (int r = 0; r < rounds; r++) {
                j[0][r] = pipelined(jvmmClient, batch, commands);
                q[0][r] = pipelined(qemuClient, batch, commands);
                j[1][r] = sequential(jvmmClient, commands);
                q[1][r] = sequential(qemuClient, commands);
                System.out.printf("round %d: pipelined jvmm %,.0f / QEMU %,.0f commands/s; one at a time jvmm %,.0f"
                        + " / QEMU %,.0f commands/s%n", r + 1, j[0][r], q[0][r], j[1][r], q[1][r]);
            }
            Figures jvmm = new Figures(median(j[0]), median(j[1]));
            Figures ref = new Figures(median(q[0]), median(q[1]));
            System.out.printf("median, %d commands: pipelined jvmm %,.0f / QEMU %,.0f commands/s = %.1fx;"
                    + " one at a time jvmm %,.0f / QEMU %,.0f commands/s = %.1fx%n", commands, jvmm.pipelined(),
                    ref.pipelined(), jvmm.pipelined() / ref.pipelined(), jvmm.sequential(), ref.sequential(),
                    jvmm.sequential() / ref.sequential());
        } finally {
            qemu.destroy();
            if (!qemu.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
            Files.deleteIfExists(ours);
            Files.deleteIfExists(theirs);
            Files.deleteIfExists(dir);
        }
    }

    private static Process startQemu(String binary, Path socket) throws IOException, InterruptedException {
        Process qemu;
        try {
            qemu = new ProcessBuilder(binary, "-machine", "none", "-nodefaults", "-display", "none",
                    "-qmp", "unix:" + socket + ",server=on,wait=off").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + binary + " (" + e.getMessage() + "); install Debian's"
                    + " qemu-system-x86 (images/setup-host.sh does) or pass --socket PATH to measure one server", e);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(socket)) {
            if (!qemu.isAlive()) {
                throw new IOException(binary + " exited with status " + qemu.exitValue() + " before serving QMP");
            }
            if (System.nanoTime() > deadline) {
                qemu.destroyForcibly();
                throw new IOException(binary + " did not create " + socket + " within 30 s");
            }
            Thread.sleep(20);
        }
        return qemu;
    }

    private static QmpTestClient open(String target, Path socket) throws Exception {
        QmpTestClient client = QmpTestClient.connect(socket);
        System.out.println(target + ": " + client.negotiate());
        return client;
    }

    private static void measure(QmpTestClient client, byte[] batch, int commands, int rounds, double[] pipelined,
                                double[] sequential) throws Exception {
        for (int w = 0; w < 3; w++) {
            pipelined(client, batch, commands);
        }
        for (int r = 0; r < rounds; r++) {
            pipelined[r] = pipelined(client, batch, commands);
            sequential[r] = sequential(client, commands);
            System.out.printf("round %d: pipelined %,.0f commands/s, one at a time %,.0f commands/s%n", r + 1,
                    pipelined[r], sequential[r]);
        }
        System.out.printf("median, %d commands: pipelined %,.0f commands/s, one at a time %,.0f commands/s%n",
                commands, median(pipelined), median(sequential));
    }

    private static byte[] batch(int commands) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < commands; i++) {
            s.append("{\"execute\":\"query-status\",\"id\":").append(i).append('}');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes all commands from a second thread (a server may stop reading while we do not read). */
    private static double pipelined(QmpTestClient client, byte[] batch, int commands) throws Exception {
        long t0 = System.nanoTime();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                client.write(batch);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < commands; i++) {
            expectStatus(client.readReply(), i);
        }
        writer.join();
        return commands / ((System.nanoTime() - t0) / 1e9);
    }

    private static double sequential(QmpTestClient client, int commands) throws IOException, TimeoutException {
        long t0 = System.nanoTime();
        for (int i = 0; i < commands; i++) {
            client.write("{\"execute\":\"query-status\",\"id\":" + i + "}");
            expectStatus(client.readReply(), i);
        }
        return commands / ((System.nanoTime() - t0) / 1e9);
    }

    private static void expectStatus(JsonNode reply, int id) {
        if (reply.path("id").asInt(-1) != id || !reply.path("return").has("status")) {
            throw new IllegalStateException("expected the query-status reply with id " + id + ", got " + reply);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
