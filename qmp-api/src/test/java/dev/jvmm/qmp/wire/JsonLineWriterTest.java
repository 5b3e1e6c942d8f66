package dev.jvmm.qmp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineWriterTest {

    @Test
    void compactAsciiLineEndingInCrlf() {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.putObject("return");
        reply.put("id", "\u00fc\u2713");
        byte[] line = JsonLineWriter.line(reply);
        // QEMU 7.2 sends "ü✓" back as "\u00FC\u2713": upper-case hex.
        assertEquals("{\"return\":{},\"id\":\"\\u00FC\\u2713\"}\r\n", new String(line, StandardCharsets.US_ASCII));
    }

    @Test
    void lineBreaksControlCharactersAndAstralCharactersAreEscaped() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("desc", "a\r\nb\u0001\uD83D\uDE00");
        String line = new String(JsonLineWriter.line(m), StandardCharsets.US_ASCII);
        assertEquals("{\"desc\":\"a\\r\\nb\\u0001\\uD83D\\uDE00\"}\r\n", line);
    }
}
