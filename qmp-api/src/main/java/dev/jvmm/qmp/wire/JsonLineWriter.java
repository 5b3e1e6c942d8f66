package dev.jvmm.qmp.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;

/**
 * Encodes one server message the way QMP clients read it: compact JSON on a single line ending in CRLF,
 * ASCII only. Every non-ASCII character is written as a {@code \}{@code uXXXX} escape with upper-case hex
 * (characters outside the BMP as two surrogate escapes), control characters as JSON escapes, so no
 * message can contain a raw line break. Thread-safe.
 */
public final class JsonLineWriter {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private JsonLineWriter() {
    }

    /** The bytes of {@code message} followed by CR LF. */
    public static byte[] line(JsonNode message) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            // A tree of plain JSON nodes always serializes; failing here is a bug.
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
        byte[] line = Arrays.copyOf(json, json.length + 2);
        line[json.length] = '\r';
        line[json.length + 1] = '\n';
        return line;
    }
}
