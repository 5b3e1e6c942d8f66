package dev.jvmm.qmp.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one complete message, as cut by {@link JsonFramer}, into a Jackson tree. Jackson's streaming
 * parser checks the syntax and the UTF-8; this class adds QMP's rules: exactly one value per message, and
 * a key that appears twice in one object is an error ({@code JSON parse error, duplicate key}).
 * Single-quoted strings (QEMU's extension) are accepted. Thread-safe.
 */
public final class JsonMessageReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonFactory factory;

    /** {@code maxDepth} must be at least the framer's, which is what really limits nesting. */
    public JsonMessageReader(int maxDepth) {
        this.factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 1)
                        // The framer already bounds the whole message.
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxDocumentLength(-1)
                        .build())
                .build();
    }

    /** Parses {@code bytes[0, length)}. */
    public JsonNode read(byte[] bytes, int length) throws JsonSyntaxException {
        try (JsonParser parser = factory.createParser(bytes, 0, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonSyntaxException("JSON parse error, expecting value");
            }
            JsonNode value = value(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonSyntaxException("JSON parse error, unexpected " + trailing.asString()
                        + " after the end of a value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new JsonSyntaxException("JSON parse error, " + qemuWording(firstLine(e.getOriginalMessage())));
        } catch (NumberFormatException e) {
            // Jackson checks number syntax but may still refuse to convert an extreme value.
            throw new JsonSyntaxException("JSON parse error, number out of range: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            // Parsing a byte array does no I/O; anything else here is a bug in the parser's use.
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException, JsonSyntaxException {
        if (token == null) {
            throw new JsonSyntaxException("JSON parse error, unexpected end of message");
        }
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                double d = parser.getDoubleValue();
                // A valid number beyond double's range (1e999) is kept as its text, which is valid JSON and
                // echoes back unchanged; BigDecimal cannot hold every such exponent either.
                yield Double.isFinite(d) ? NODES.numberNode(d) : NODES.rawValueNode(new RawValue(parser.getText()));
            }
            // Jackson reports every other token (FIELD_NAME, END_*) as a syntax error before we see it.
            default -> throw new JsonSyntaxException("JSON parse error, unexpected " + token.asString());
        };
    }

    private static ObjectNode object(JsonParser parser) throws IOException, JsonSyntaxException {
        ObjectNode node = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String name = parser.currentName();
            JsonNode member = value(parser, parser.nextToken());
            if (node.putIfAbsent(name, member) != null) {
                throw new JsonSyntaxException("JSON parse error, duplicate key");
            }
        }
        return node;
    }

    private static ArrayNode array(JsonParser parser) throws IOException, JsonSyntaxException {
        ArrayNode node = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            node.add(value(parser, t));
        }
        return node;
    }

    /** Jackson's wording of the common syntax errors, and QEMU's (json-parser.c) for the same thing. */
    private static final List<Map.Entry<Pattern, String>> QEMU_WORDING = List.of(
            Map.entry(Pattern.compile("^Unrecognized token '(.*)': was expecting.*"), "invalid keyword '$1'"),
            Map.entry(Pattern.compile("^Unexpected character \\('([}\\],:])' \\(code \\d+\\)\\): expected a (valid )?value.*"),
                    "expecting value"),
            Map.entry(Pattern.compile("^Unexpected character \\('(.+)' \\(code \\d+\\)\\): expected a (valid )?value.*"),
                    "stray '$1'"),
            Map.entry(Pattern.compile(".*was expecting double-quote to start field name.*"), "key is not a string in object"),
            Map.entry(Pattern.compile(".*was expecting a colon to separate field name and value.*"), "missing : in object pair"),
            Map.entry(Pattern.compile(".*was expecting comma to separate Object entries.*"), "expected separator in dict"),
            Map.entry(Pattern.compile(".*was expecting comma to separate Array entries.*"), "expected separator in list"),
            Map.entry(Pattern.compile("^Unrecognized character escape.*"), "invalid escape sequence in string"),
            Map.entry(Pattern.compile("^Invalid UTF-8.*"), "invalid UTF-8 sequence in string"));

    /** QEMU's text where Jackson's means the same; otherwise Jackson's, without its source location. */
    static String qemuWording(String jackson) {
        for (Map.Entry<Pattern, String> e : QEMU_WORDING) {
            Matcher m = e.getKey().matcher(jackson);
            if (m.matches()) {
                return m.replaceFirst(e.getValue());
            }
        }
        int location = jackson.indexOf(" (start marker at ");
        return location < 0 ? jackson : jackson.substring(0, location);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed input";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
