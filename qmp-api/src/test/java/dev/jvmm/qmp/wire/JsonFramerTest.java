package dev.jvmm.qmp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonFramerTest {

    /** What a framer reported: "M:" + message text, or "E:" + error text. */
    private static final class Recorder implements JsonFramer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(byte[] bytes, int length) {
            events.add("M:" + new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onError(String description) {
            events.add("E:" + description);
        }
    }

    private static List<String> frame(JsonFramer framer, String... chunks) {
        Recorder r = new Recorder();
        for (String chunk : chunks) {
            byte[] b = chunk.getBytes(StandardCharsets.ISO_8859_1);
            framer.feed(b, 0, b.length, r);
        }
        return r.events;
    }

    private static List<String> frame(String... chunks) {
        return frame(new JsonFramer(1 << 20, JsonFramer.DEFAULT_MAX_DEPTH), chunks);
    }

    @Test
    void messageWithoutNewlineIsCompleteAtItsClosingBrace() {
        assertEquals(List.of("M:{\"execute\":\"qmp_capabilities\",\"arguments\":{}}"),
                frame("{\"execute\":\"qmp_capabilities\",\"arguments\":{}}"));
    }

    @Test
    void severalMessagesInOneRead() {
        assertEquals(List.of("M:{\"a\":1}", "M:[2]", "M:{\"b\":{}}"), frame("{\"a\":1}[2]{\"b\":{}}"));
    }

    @Test
    void everySplitPointOfTwoMessagesGivesTheSameMessages() {
        String stream = " {\"execute\":\"stop\",\"id\":\"}{[\\\"\"}\r\n{'x':['}']} ";
        List<String> whole = frame(stream);
        assertEquals(List.of("M:{\"execute\":\"stop\",\"id\":\"}{[\\\"\"}", "M:{'x':['}']}"), whole);
        for (int i = 0; i <= stream.length(); i++) {
            for (int j = i; j <= stream.length(); j += 3) {
                assertEquals(whole, frame(stream.substring(0, i), stream.substring(i, j), stream.substring(j)),
                        "split at " + i + "," + j);
            }
        }
    }

    @Test
    void byteAtATimeGivesTheSameMessages() {
        String stream = "{\"execute\":\"query-status\"}  42 \"s\" {\"a\":[1,{\"b\":\"\\\\\"}]}";
        JsonFramer framer = new JsonFramer(1 << 20, 64);
        Recorder r = new Recorder();
        for (byte b : stream.getBytes(StandardCharsets.ISO_8859_1)) {
            framer.feed(new byte[] {b}, 0, 1, r);
        }
        framer.feed("\n".getBytes(StandardCharsets.ISO_8859_1), 0, 1, r);
        assertEquals(List.of("M:{\"execute\":\"query-status\"}", "M:42", "M:\"s\"", "M:{\"a\":[1,{\"b\":\"\\\\\"}]}"),
                r.events);
    }

    @Test
    void prettyPrintedMessageAcrossLinesIsOneMessage() {
        assertEquals(List.of("M:{\r\n  \"execute\": \"cont\",\r\n  \"id\": [1,\n 2]\r\n}"),
                frame("\r\n\t {\r\n  \"execute\": \"cont\",\r\n  \"id\": [1,\n 2]\r\n}\r\n"));
    }

    @Test
    void topLevelScalarsEndWithTheirToken() {
        assertEquals(List.of("M:nonsense", "M:12", "M:true", "M:\"x y\""), frame("nonsense 12\ttrue\"x y\""));
        // A bare token at the end of input waits for the byte that ends it.
        JsonFramer framer = new JsonFramer(1024, 8);
        assertEquals(List.of(), frame(framer, "12"));
        assertTrue(framer.inMessage());
        assertEquals(List.of("M:123", "M:{}"), frame(framer, "3{}"));
    }

    @Test
    void loneClosersAndSeparatorsAreErrors() {
        assertEquals(List.of("E:JSON parse error, expecting value", "E:JSON parse error, expecting value",
                "E:JSON parse error, expecting value", "E:JSON parse error, expecting value"), frame("} ] , :"));
    }

    @Test
    void unbalancedCloserEndsTheMessageSoTheParserCanReportIt() {
        assertEquals(List.of("M:[}", "M:{]"), frame("[}{]"));
    }

    @Test
    void controlCharacterThrowsAwayThePartialMessageWithOneError() {
        // QMP-FACTS section 6: the QEMU 7.2 recovery example.
        List<String> out = frame("{\"execute\":\"query-status\",\"id\":\"x\", ", "\u0001",
                "{\"execute\":\"query-status\"}");
        assertEquals(List.of("E:JSON parse error, stray '\u0001'", "M:{\"execute\":\"query-status\"}"), out);
    }

    @Test
    void impossibleUtf8BytesAndControlCharactersInStringsAreStray() {
        assertEquals(List.of("E:JSON parse error, stray '\uFFFD'", "M:{}"), frame("{\"a\":\"b\u00ff", "{}"));
        assertEquals(List.of("E:JSON parse error, stray '\uFFFD'"), frame("\u00fe"));
        assertEquals(List.of("E:JSON parse error, stray '\n'", "M:[1]"), frame("{\"unterminated\n[1]"));
        assertEquals(List.of("E:JSON parse error, stray '\u001b'"), frame("\u001bx "));
    }

    @Test
    void byteThatStartsNoTokenIsStrayAtOnceAndTheRestOfTheLineIsSkipped() {
        // QEMU 7.2: "@" alone gives stray '@' without waiting for more input.
        assertEquals(List.of("E:JSON parse error, stray '@'"), frame("@"));
        assertEquals(List.of("E:JSON parse error, stray '@'", "M:{}"), frame("@foo \"bar\" 12\t:,{}"));
        assertEquals(List.of("E:JSON parse error, stray '@'", "M:ok"), frame("@@@ garbage\nok "));
        assertEquals(List.of("E:JSON parse error, stray 'A'", "M:[1]"), frame("Abc[1]"));
        assertEquals(List.of("E:JSON parse error, stray '\uFFFD'", "M:[]"), frame("\u00c3\u00a9 []"));
        assertEquals(List.of("M:nonsense", "E:JSON parse error, stray '@'", "M:{}"), frame("nonsense@x {}"));
        // After the resync byte the same skipping applies, as in QEMU's lexer.
        assertEquals(List.of("E:JSON parse error, stray '\u0001'", "E:JSON parse error, stray '\u0001'", "M:[]"),
                frame("\u0001\"skipped\" \u0001x\r[]"));
    }

    @Test
    void numbersAndKeywordsKeepTheirWholeToken() {
        assertEquals(List.of("M:-1.5e+3", "M:true", "M:\"\"", "M:nul", "E:JSON parse error, expecting value", "M:1E5"),
                frame("-1.5e+3 true\"", "\"", "nul,1E5 "));
    }

    @Test
    void tooLargeMessageIsReportedOnceSkippedAndTheNextOneWorks() {
        JsonFramer framer = new JsonFramer(32, 16);
        String big = "{\"execute\":\"query-status\",\"arguments\":{\"pad\":\"" + "x".repeat(100) + "\"}}";
        List<String> out = frame(framer, big.substring(0, 40), big.substring(40), "{\"execute\":\"cont\"}");
        assertEquals(2, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("E:Message too large: a QMP message may hold at most 32 bytes"), out.get(0));
        assertEquals("M:{\"execute\":\"cont\"}", out.get(1));
        // Exactly the limit is still fine.
        String exact = "[" + "1,".repeat(14) + "11]";
        assertEquals(32, exact.length());
        assertEquals(List.of("M:" + exact), frame(new JsonFramer(32, 16), exact));
    }

    @Test
    void tooLargeTopLevelStringAndBareTokenAreSkippedToo() {
        JsonFramer framer = new JsonFramer(8, 4);
        List<String> out = frame(framer, "\"" + "a}{".repeat(10) + "\" ", "abcdefghijklmnop {}");
        assertEquals(3, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("E:Message too large"));
        assertTrue(out.get(1).startsWith("E:Message too large"));
        assertEquals("M:{}", out.get(2));
    }

    @Test
    void tooDeepMessageIsReportedOnceAndSkipped() {
        JsonFramer framer = new JsonFramer(1 << 20, 10);
        String deep = "[".repeat(11) + "]".repeat(11);
        assertEquals(List.of("E:JSON nesting depth limit exceeded: more than 10 levels", "M:[]"), frame(framer, deep, "[]"));
        String ok = "[".repeat(5) + "{".repeat(5) + "}".repeat(5) + "]".repeat(5);
        assertEquals(List.of("M:" + ok), frame(new JsonFramer(1 << 20, 10), ok));
    }

    @Test
    void controlCharacterAlsoEndsSkipping() {
        JsonFramer framer = new JsonFramer(8, 4);
        List<String> out = frame(framer, "[1,2,3,4,5,6,7,8,9", "\u0001", "[0]");
        assertEquals(3, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("E:Message too large"));
        assertEquals("E:JSON parse error, stray '\u0001'", out.get(1));
        assertEquals("M:[0]", out.get(2));
        assertFalse(framer.inMessage());
    }

    @Test
    void escapedQuotesAndBackslashesDoNotEndStrings() {
        assertEquals(List.of("M:{\"a\":\"\\\"}\\\\\"}", "M:['\\'']"), frame("{\"a\":\"\\\"}\\\\\"}['\\'']"));
    }

    @Test
    void randomSplitsOfAManyMessageStreamNeverChangeTheResult() {
        long seed = System.nanoTime();
        System.out.println("JsonFramerTest.randomSplits seed=" + seed);
        Random random = new Random(seed);
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            stream.append(switch (random.nextInt(5)) {
                case 0 -> "{\"execute\":\"query-status\",\"id\":" + i + "}";
                case 1 -> " [\"]\",{\"k\":'v\\''}]\r\n";
                case 2 -> "\u0001";
                case 3 -> "nonsense ";
                default -> "{\n \"a\" : { \"b\" : [ ] } }";
            });
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.ISO_8859_1);
        Recorder whole = new Recorder();
        new JsonFramer(1 << 20, 64).feed(bytes, 0, bytes.length, whole);
        for (int round = 0; round < 50; round++) {
            JsonFramer framer = new JsonFramer(1 << 20, 64);
            Recorder r = new Recorder();
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(40));
                framer.feed(bytes, at, n, r);
                at += n;
            }
            assertEquals(whole.events, r.events, "seed " + seed + " round " + round);
        }
    }
}
