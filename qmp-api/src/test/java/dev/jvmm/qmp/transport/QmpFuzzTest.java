package dev.jvmm.qmp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jvmm.qmp.QmpServerOptions;
import dev.jvmm.qmp.RunState;
import dev.jvmm.qmp.testing.FakeVm;
import dev.jvmm.qmp.testing.QmpTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 random and mutated inputs over a real UNIX socket. The seed is printed; rerun one with
 * {@code -Dqmp.fuzz.seed=N}.
 *
 * <p>After every input the client sends a valid {@code query-status} whose reply must come back: the
 * server never dies and a valid command always works afterwards. What came before that reply is checked
 * against an oracle built from a plain Jackson parser and a model of QMP framing:
 * <ul>
 *   <li>input that is a sequence of k JSON values gets exactly k replies, each echoing its request's id
 *       (or carrying none when there was none);</li>
 *   <li>input that is not valid JSON gets at least one error without id;</li>
 *   <li>input that leaves a message open is followed by a {@code 0x01} byte, QMP's way to reset the
 *       parser, and the last error before the sync reply is that byte's {@code stray} error.</li>
 * </ul>
 * Inputs are written from a second thread in random-sized pieces, so messages are split and merged at
 * arbitrary points.
 */
class QmpFuzzTest {

    private static final int INPUTS = 100_000;
    private static final int PER_CONNECTION = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory ORACLE = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper ORACLE_MAPPER = new ObjectMapper(ORACLE);
    private static final byte[] ALPHABET =
            "{}[]\"':,\\ \t\r\n0123456789-+.eEtruefalsnl_xabcdqupyi".getBytes(StandardCharsets.US_ASCII);
    private static final String[] COMMANDS = {"query-status", "query-version", "query-commands", "stop", "cont",
        "system_reset", "system_powerdown", "query-pci", "query-cpus-fast", "qmp_capabilities", "device_add"};

    @TempDir
    Path dir;

    /** What the oracle expects for one input. */
    private sealed interface Expect {
        record Open() implements Expect {
        }

        record Invalid() implements Expect {
        }

        record Values(List<JsonNode> values) implements Expect {
        }
    }

    private record Case(byte[] input, Expect expect, JsonNode syncId) {
    }

    @Test
    void randomAndMutatedInputsNeverBreakTheServer() throws Exception {
        long seed = Long.getLong("qmp.fuzz.seed", System.nanoTime());
        System.out.println("QmpFuzzTest seed=" + seed + " (rerun with -Dqmp.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        Path socket = dir.resolve("qmp.sock");
        int[] counts = new int[3];
        long replies = 0;
        long idlessErrors = 0;
        long started = System.nanoTime();
        try (FakeVm vm = new FakeVm(RunState.RUNNING);
                QmpServer server = QmpServer.start(QmpServerOptions.unixSocket(socket), vm)) {
            for (int done = 0; done < INPUTS; done += PER_CONNECTION) {
                List<Case> cases = new ArrayList<>(PER_CONNECTION);
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                for (int i = 0; i < PER_CONNECTION; i++) {
                    Case c = newCase(random, done + i);
                    cases.add(c);
                    stream.writeBytes(c.input);
                    if (c.expect instanceof Expect.Open) {
                        stream.write(0x01);
                    }
                    stream.writeBytes(("{\"execute\":\"query-status\",\"id\":" + c.syncId + "}").getBytes(StandardCharsets.US_ASCII));
                    counts[c.expect instanceof Expect.Open ? 0 : c.expect instanceof Expect.Invalid ? 1 : 2]++;
                }
                try (QmpTestClient client = QmpTestClient.connect(socket)) {
                    client.negotiate();
                    AtomicReference<Throwable> writeFailure = new AtomicReference<>();
                    byte[] bytes = stream.toByteArray();
                    long writerSeed = random.nextLong();
                    Thread writer = Thread.ofPlatform().name("fuzz-writer").start(() -> {
                        Random r = new Random(writerSeed);
                        try {
                            for (int at = 0; at < bytes.length; ) {
                                int n = Math.min(bytes.length - at, 1 + r.nextInt(r.nextBoolean() ? 64 : 8192));
                                client.write(java.util.Arrays.copyOfRange(bytes, at, at + n));
                                at += n;
                            }
                        } catch (Throwable t) {
                            writeFailure.set(t);
                        }
                    });
                    for (Case c : cases) {
                        List<JsonNode> before = new ArrayList<>();
                        while (true) {
                            JsonNode m;
                            try {
                                m = client.readMessage();
                            } catch (Exception e) {
                                throw new AssertionError(describe(seed, c) + ": no sync reply (" + e + ")", e);
                            }
                            if (m.has("event")) {
                                continue;
                            }
                            if (c.syncId.equals(m.get("id"))) {
                                assertEquals("running", m.path("return").path("status").asText().isEmpty()
                                        ? "missing" : "running", describe(seed, c) + ": sync reply " + m);
                                break;
                            }
                            before.add(m);
                        }
                        check(seed, c, before);
                        replies += before.size();
                        idlessErrors += before.stream().filter(m -> m.has("error") && !m.has("id")).count();
                    }
                    writer.join(10_000);
                    if (writeFailure.get() != null) {
                        throw new AssertionError("writing inputs failed, seed " + seed, writeFailure.get());
                    }
                }
            }
            try (QmpTestClient after = QmpTestClient.connect(socket)) {
                after.negotiate();
                assertTrue(after.execute("query-status", "alive").has("return"));
            }
        }
        System.out.printf("QmpFuzzTest: %d inputs (%d left open, %d invalid, %d valid JSON), %d replies,"
                + " %d id-less errors, %.1f s%n", INPUTS, counts[0], counts[1], counts[2], replies, idlessErrors,
                (System.nanoTime() - started) / 1e9);
    }

    private static void check(long seed, Case c, List<JsonNode> replies) {
        for (JsonNode r : replies) {
            assertTrue(r.has("return") ^ r.has("error"), describe(seed, c) + ": reply " + r);
        }
        switch (c.expect) {
            case Expect.Open o -> {
                assertTrue(!replies.isEmpty(), describe(seed, c) + ": no error for an unfinished message");
                JsonNode last = replies.getLast();
                assertEquals("JSON parse error, stray '\u0001'", last.path("error").path("desc").asText(),
                        describe(seed, c) + ": " + replies);
                assertTrue(!last.has("id"));
            }
            case Expect.Invalid i -> assertTrue(replies.stream().anyMatch(r -> r.has("error") && !r.has("id")),
                    describe(seed, c) + ": invalid JSON got no id-less error: " + replies);
            case Expect.Values v -> {
                assertEquals(v.values.size(), replies.size(), describe(seed, c) + ": " + replies);
                for (int k = 0; k < replies.size(); k++) {
                    JsonNode request = v.values.get(k);
                    JsonNode expectedId = request.isObject() ? request.get("id") : null;
                    assertEquals(expectedId, replies.get(k).get("id"), describe(seed, c) + ": reply " + k);
                    if (!request.isObject()) {
                        assertEquals("QMP input must be a JSON object", replies.get(k).path("error").path("desc").asText());
                    }
                }
            }
        }
    }

    private static String describe(long seed, Case c) {
        return "seed " + seed + ", input " + c.syncId + " hex " + HexFormat.of().formatHex(c.input) + " ("
                + new String(c.input, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x1f]", "?") + ")";
    }

    private static Case newCase(Random r, int index) {
        JsonNode syncId = JsonNodeFactory.instance.objectNode().put("fuzz-sync", index);
        while (true) {
            byte[] input = switch (r.nextInt(10)) {
                case 0, 1 -> randomBytes(r);
                case 2, 3, 4, 5 -> mutate(r, command(r).getBytes(StandardCharsets.UTF_8));
                case 6, 7 -> value(r, 0).getBytes(StandardCharsets.UTF_8);
                case 8 -> command(r).getBytes(StandardCharsets.UTF_8);
                default -> concat(mutate(r, command(r).getBytes(StandardCharsets.UTF_8)), command(r).getBytes(StandardCharsets.UTF_8),
                        r.nextBoolean() ? randomBytes(r) : new byte[0]);
            };
            if (new String(input, StandardCharsets.ISO_8859_1).contains("quit")) {
                continue;
            }
            Expect expect = oracle(input);
            if (expect instanceof Expect.Values v && v.values.stream().anyMatch(QmpFuzzTest::isQuit)) {
                continue;
            }
            return new Case(input, expect, syncId);
        }
    }

    private static boolean isQuit(JsonNode value) {
        return value.isObject() && "quit".equals(value.path("execute").asText(null));
    }

    // ---- generators ----

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(48)];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return b;
    }

    private static String command(Random r) {
        StringBuilder s = new StringBuilder("{");
        List<String> members = new ArrayList<>();
        members.add(q(r) + "execute" + q(r) + ":\"" + COMMANDS[r.nextInt(COMMANDS.length)] + "\"");
        switch (r.nextInt(5)) {
            case 0 -> members.add("\"arguments\":{}");
            case 1 -> members.add("\"arguments\":" + value(r, 1));
            case 2 -> members.add("\"arguments\":{\"enable\":[\"oob\"],\"driver\":\"vfio-pci\"}");
            default -> {
            }
        }
        if (r.nextInt(4) != 0) {
            members.add("\"id\":" + value(r, 2));
        }
        if (r.nextInt(8) == 0) {
            members.add("\"" + (r.nextBoolean() ? "exec-oob" : "foo") + "\":1");
        }
        java.util.Collections.shuffle(members, r);
        String ws = r.nextInt(4) == 0 ? "\r\n  " : "";
        s.append(ws).append(String.join("," + ws, members)).append(ws).append('}');
        return s.toString();
    }

    private static String q(Random r) {
        return r.nextInt(6) == 0 ? "'" : "\"";
    }

    private static String value(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> Integer.toString(r.nextInt());
            case 1 -> Double.toString(r.nextGaussian() * 1e3);
            case 2 -> r.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> "\"" + string(r) + "\"";
            case 5 -> r.nextBoolean() ? "123456789012345678901234567890" : "-0.5e3";
            case 6 -> {
                StringBuilder a = new StringBuilder("[");
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.append(value(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield a.append(']').toString();
            }
            default -> {
                StringBuilder o = new StringBuilder("{");
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.append("\"k").append(i).append("\":").append(value(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield o.append('}').toString();
            }
        };
    }

    private static String string(Random r) {
        String[] pieces = {"a", "}", "{", "[", "]", ",", ":", "\\\"", "\\\\", "\\n", "\\u00fc", "\u00fc", "\u2713",
            "\uD83D\uDE00", "'", " ", "id", "execute"};
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            s.append(pieces[r.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    private static byte[] mutate(Random r, byte[] input) {
        byte[] b = input;
        for (int m = 1 + r.nextInt(4); m > 0 && b.length > 0; m--) {
            int at = r.nextInt(b.length);
            byte any = r.nextBoolean() ? ALPHABET[r.nextInt(ALPHABET.length)] : (byte) r.nextInt(256);
            b = switch (r.nextInt(6)) {
                case 0 -> {
                    byte[] c = b.clone();
                    c[at] = any;
                    yield c;
                }
                case 1 -> concat(java.util.Arrays.copyOfRange(b, 0, at), new byte[] {any}, java.util.Arrays.copyOfRange(b, at, b.length));
                case 2 -> concat(java.util.Arrays.copyOfRange(b, 0, at), java.util.Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> java.util.Arrays.copyOfRange(b, 0, at);
                case 4 -> {
                    int end = Math.min(b.length, at + 1 + r.nextInt(8));
                    yield concat(java.util.Arrays.copyOfRange(b, 0, end), java.util.Arrays.copyOfRange(b, at, b.length));
                }
                default -> {
                    byte[] c = b.clone();
                    int other = r.nextInt(b.length);
                    byte t = c[at];
                    c[at] = c[other];
                    c[other] = t;
                    yield c;
                }
            };
        }
        return b.length == 0 ? new byte[] {'{'} : b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- oracle ----

    static Expect oracle(byte[] input) {
        if (leavesMessageOpen(input)) {
            return new Expect.Open();
        }
        for (byte b : input) {
            int u = b & 0xFF;
            if (u == 0xFE || u == 0xFF || (u < 0x20 && u != '\t' && u != '\r' && u != '\n')) {
                // Control bytes are always "stray"; they also stop Jackson guessing UTF-16 from zero bytes.
                return new Expect.Invalid();
            }
        }
        if (input.length >= 3 && (input[0] & 0xFF) == 0xEF && (input[1] & 0xFF) == 0xBB && (input[2] & 0xFF) == 0xBF) {
            return new Expect.Invalid();
        }
        List<JsonNode> values = new ArrayList<>();
        try (JsonParser p = ORACLE.createParser(input)) {
            while (p.nextToken() != null) {
                values.add(ORACLE_MAPPER.readTree(p));
            }
        } catch (IOException e) {
            return new Expect.Invalid();
        }
        return new Expect.Values(values);
    }

    /**
     * A model of QMP framing (QMP-FACTS sections 1 and 6, QEMU's lexer): true when the input ends inside an
     * unfinished object, array or string, i.e. when a following command would be swallowed into it. A bare
     * token at the end is not open: the next command's '{' ends it. After a stray byte, bytes are skipped
     * up to a brace, bracket, CR, LF or control character.
     */
    static boolean leavesMessageOpen(byte[] input) {
        final int idle = 0;
        final int structure = 1;
        final int string = 2;
        final int bare = 3;
        final int recovery = 4;
        int mode = idle;
        int braces = 0;
        int brackets = 0;
        int quote = 0;
        boolean escaped = false;
        for (int i = 0; i < input.length; i++) {
            int u = input[i] & 0xFF;
            boolean ws = u == ' ' || u == '\t' || u == '\r' || u == '\n';
            if (u == 0xFE || u == 0xFF || (u < 0x20 && (quote != 0 || !ws))) {
                braces = brackets = quote = 0;
                escaped = false;
                mode = recovery;
                continue;
            }
            if (quote != 0) {
                if (escaped) {
                    escaped = false;
                } else if (u == '\\') {
                    escaped = true;
                } else if (u == quote) {
                    quote = 0;
                    if (mode == string) {
                        mode = idle;
                    }
                }
                continue;
            }
            if (mode == recovery) {
                if ("{}[]\r\n".indexOf(u) < 0) {
                    continue;
                }
                mode = idle;
            }
            if (mode == bare) {
                if (u == '-' || u == '+' || u == '.' || Character.isLetterOrDigit(u) && u < 0x80) {
                    continue;
                }
                mode = idle;
            }
            if (mode == idle) {
                if (ws || u == '}' || u == ']' || u == ',' || u == ':') {
                    continue;
                }
                if (u == '"' || u == '\'') {
                    quote = u;
                    mode = string;
                    continue;
                }
                if (u == '-' || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')) {
                    mode = bare;
                    continue;
                }
                if (u != '{' && u != '[') {
                    mode = recovery;
                    continue;
                }
                mode = structure;
            }
            switch (u) {
                case '"', '\'' -> quote = u;
                case '{' -> braces++;
                case '}' -> braces--;
                case '[' -> brackets++;
                case ']' -> brackets--;
                default -> {
                }
            }
            if (!((braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0)) {
                mode = idle;
                braces = brackets = 0;
            }
        }
        return mode == structure || mode == string;
    }

    @Test
    void framingModelAgreesWithTheDocumentedCases() {
        assertTrue(leavesMessageOpen("{\"execute\":\"query-status\",\"id\":\"x\", ".getBytes(StandardCharsets.UTF_8)));
        assertTrue(leavesMessageOpen("\"abc".getBytes(StandardCharsets.UTF_8)));
        assertTrue(leavesMessageOpen("['}'".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!leavesMessageOpen("{\"a\":\"}\"} 12 nul".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!leavesMessageOpen("{\"a\":[\u0001 ]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!leavesMessageOpen("[}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!leavesMessageOpen("@\"x".getBytes(StandardCharsets.UTF_8)), "the quote is skipped after @");
        assertTrue(leavesMessageOpen("@ {\"".getBytes(StandardCharsets.UTF_8)), "the brace ends the skipping");
        if (!(oracle("{\"a\":1} [2] \"s\"".getBytes(StandardCharsets.UTF_8)) instanceof Expect.Values v) || v.values.size() != 3) {
            fail("oracle should see three values");
        }
    }
}
