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
 * <p>The client is the same for any QMP server, so the numbers compare directly:
 * <pre>
 *   # against jvmm's server with a fake VM (started here, in a temp directory)
 *   bin/mvn -q -pl qmp-api -am -Pbench -DskipTests verify
 *   # against QEMU: qemu-system-x86_64 ... -qmp unix:/tmp/qemu-qmp.sock,server=on,wait=off
 *   bin/mvn -q -pl qmp-api -am -Pbench -DskipTests verify -Dbench.args="--socket /tmp/qemu-qmp.sock"
 * </pre>
 * Options: {@code --socket PATH} (default: start our own server), {@code --commands N} (default 2000),
 * {@code --rounds R} (default 7, after 3 warm-up rounds). Prints each round and the median.
 */
public final class QueryStatusBench {

    private QueryStatusBench() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        int commands = 2000;
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]);
                case "--commands" -> commands = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --socket PATH, --commands N, --rounds R");
            }
        }
        if (socket != null) {
            run("QMP server at " + socket, socket, commands, rounds);
            return;
        }
        Path dir = Files.createTempDirectory("qmp-bench");
        Path ours = dir.resolve("qmp.sock");
        try (FakeVm vm = new FakeVm(RunState.RUNNING);
                QmpServer server = QmpServer.start(QmpServerOptions.unixSocket(ours), vm)) {
            run("jvmm QmpServer (fake VM) at " + ours, ours, commands, rounds);
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private static void run(String target, Path socket, int commands, int rounds) throws Exception {
        System.out.println("query-status benchmark against " + target + ": " + commands + " commands per round");
        try (QmpTestClient client = QmpTestClient.connect(socket)) {
            JsonNode greeting = client.negotiate();
            System.out.println("greeting: " + greeting);
            byte[] batch = batch(commands);
            for (int w = 0; w < 3; w++) {
                pipelined(client, batch, commands);
            }
            double[] pipelined = new double[rounds];
            double[] sequential = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                pipelined[r] = pipelined(client, batch, commands);
                sequential[r] = sequential(client, commands);
                System.out.printf("round %d: pipelined %,.0f commands/s, one at a time %,.0f commands/s%n", r + 1,
                        pipelined[r], sequential[r]);
            }
            System.out.printf("median: pipelined %,.0f commands/s, one at a time %,.0f commands/s%n",
                    median(pipelined), median(sequential));
        }
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
