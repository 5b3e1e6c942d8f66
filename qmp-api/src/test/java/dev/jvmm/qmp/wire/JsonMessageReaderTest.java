package dev.jvmm.qmp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonMessageReaderTest {

    private final JsonMessageReader reader = new JsonMessageReader(JsonFramer.DEFAULT_MAX_DEPTH);

    private JsonNode read(String text) throws JsonSyntaxException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return reader.read(b, b.length);
    }

    private String error(byte[] b) {
        return assertThrows(JsonSyntaxException.class, () -> reader.read(b, b.length)).getMessage();
    }

    private String error(String text) {
        return error(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsObjectsKeepingMemberOrder() throws Exception {
        JsonNode n = read("{\"execute\":\"stop\",\"arguments\":{},\"id\":[1,{\"a\":null}]}");
        assertEquals(java.util.List.of("execute", "arguments", "id"), iterableToList(n.fieldNames()));
        assertEquals("[1,{\"a\":null}]", n.get("id").toString());
    }

    @Test
    void duplicateKeyIsQemusError() {
        assertEquals("JSON parse error, duplicate key", error("{\"id\":\"a\",\"id\":\"b\"}"));
        assertEquals("JSON parse error, duplicate key", error("{\"a\":{\"x\":1,\"x\":1}}"));
    }

    @Test
    void syntaxErrorsArePrefixedLikeQemus() {
        for (String bad : new String[] {"{\"execute\": }", "nonsense", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "@",
                "{\"a\":\"\\q\"}", "01", "[}"}) {
            String desc = error(bad);
            assertTrue(desc.startsWith("JSON parse error, "), bad + " -> " + desc);
            assertTrue(desc.indexOf('\n') < 0, "one line: " + desc);
        }
    }

    @Test
    void commonSyntaxErrorsUseQemusWording() {
        // The texts QMP-FACTS section 6 lists for QEMU 7.2 (json-parser.c).
        assertEquals("JSON parse error, expecting value", error("{\"execute\": }"));
        assertEquals("JSON parse error, expecting value", error("[1,]"));
        assertEquals("JSON parse error, invalid keyword 'nonsense'", error("nonsense"));
        assertEquals("JSON parse error, stray '@'", error("{\"a\":@}"));
        assertEquals("JSON parse error, missing : in object pair", error("{\"a\" 1}"));
        assertEquals("JSON parse error, expected separator in dict", error("{\"a\":1 \"b\":2}"));
        assertEquals("JSON parse error, expected separator in list", error("[1 2]"));
        assertEquals("JSON parse error, key is not a string in object", error("{1:2}"));
        assertEquals("JSON parse error, invalid escape sequence in string", error("{\"a\":\"\\q\"}"));
        assertEquals("JSON parse error, invalid UTF-8 sequence in string",
                error(new byte[] {'"', 'a', (byte) 0xC3, (byte) 0x28, '"'}));
        // Anything else keeps Jackson's text, without its source location.
        assertEquals("JSON parse error, Unexpected end-of-input: expected close marker for Object", error("{'a':'b'"));
    }

    @Test
    void invalidUtf8InAStringIsAnError() {
        byte[] bad = {'"', 'a', (byte) 0xC3, (byte) 0x28, '"'};
        assertTrue(error(bad).startsWith("JSON parse error, "));
    }

    @Test
    void singleQuotedStringsAndEscapedSingleQuoteAreAccepted() throws Exception {
        JsonNode n = read("{'execute':'qmp_capabilities','id':'it\\'s'}");
        assertEquals("it's", n.get("id").textValue());
    }

    @Test
    void scalarsAndNumbersKeepTheirValue() throws Exception {
        assertEquals(3.5, read("3.5").doubleValue());
        assertEquals(-0.5, read("-0.5").doubleValue());
        assertEquals(1000.0, read("1e3").doubleValue());
        assertEquals(new BigInteger("123456789012345678901234567890"),
                read("123456789012345678901234567890").bigIntegerValue());
        assertTrue(read("null").isNull());
        assertEquals("\u00fc\u2713", read("\"\\u00fc\u2713\"").textValue());
    }

    @Test
    void numbersBeyondDoubleRangeKeepTheirTextSoTheyEchoUnchanged() throws Exception {
        // Found by QmpFuzzTest: BigDecimal cannot take this exponent, so it must not reach BigDecimal.
        JsonNode id = read("{\"id\":123456789012345e78901234567890}").get("id");
        assertEquals("{\"id\":123456789012345e78901234567890}\r\n", new String(JsonLineWriter.line(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("id", id)),
                StandardCharsets.US_ASCII));
        assertEquals("1e999", read("[1e999]").get(0).toString());
    }

    @Test
    void emptyAndTrailingContentAreErrors() {
        assertEquals("JSON parse error, expecting value", error("   "));
        assertTrue(error("1.5.5").startsWith("JSON parse error, "));
    }

    private static <T> java.util.List<T> iterableToList(java.util.Iterator<T> it) {
        java.util.List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
