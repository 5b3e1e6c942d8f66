package dev.jvmm.testhost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transcript {@link QmpScript} wrote in L1: what was sent and received on the QMP socket and what the
 * guest printed, each stamped with L1 milliseconds since the script started.
 *
 * @param text the raw transcript, for failure messages
 */
public record QmpTranscript(List<Entry> entries, String text) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE = Pattern.compile("^(\\d+) (send|recv|console|note) ?(.*)$");

    /** One line: {@code kind} is send, recv, console or note. */
    public record Entry(long millis, String kind, String text) {
        /** The message of a send or recv line. */
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON in the QMP transcript: " + text, e);
            }
        }
    }

    public QmpTranscript {
        entries = List.copyOf(entries);
    }

    /** Parses a transcript; lines that are not entries (a JVM warning, say) are kept only in {@link #text}. */
    public static QmpTranscript parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                entries.add(new Entry(Long.parseLong(m.group(1)), m.group(2), m.group(3)));
            }
        }
        return new QmpTranscript(entries, text);
    }

    /** True when the script ran every step (it wrote {@code note DONE}). */
    public boolean completed() {
        return entries.stream().anyMatch(e -> e.kind().equals("note") && e.text().equals("DONE"));
    }

    /** The received events, in order. */
    public List<Entry> events() {
        return entries.stream().filter(e -> e.kind().equals("recv") && e.text().contains("\"event\"")).toList();
    }

    /** The names of the received events, in order. */
    public List<String> eventNames() {
        return events().stream().map(e -> e.json().path("event").asText()).toList();
    }

    /** The first event named {@code name}. */
    public Entry event(String name) {
        return events().stream().filter(e -> e.json().path("event").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " event in the QMP transcript:\n" + text));
    }

    /** The first command named {@code name} as it was sent. */
    public Entry sent(String name) {
        return entries.stream().filter(e -> e.kind().equals("send") && e.json().path("execute").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " was sent:\n" + text));
    }

    /** The reply to the first command named {@code name} (matched by its id). */
    public Entry reply(String name) {
        Entry sent = sent(name);
        JsonNode id = sent.json().path("id");
        return entries.stream().filter(e -> e.kind().equals("recv") && e.millis() >= sent.millis()
                        && id.equals(e.json().path("id")))
                .findFirst().orElseThrow(() -> new AssertionError("no reply to " + name + " in the QMP transcript:\n" + text));
    }

    /** The console lines that match {@code filter}, in order. */
    public List<Entry> console(Predicate<String> filter) {
        return entries.stream().filter(e -> e.kind().equals("console") && filter.test(e.text())).toList();
    }

    /** The last console entry before {@code millis} that matches, if any. */
    public Optional<Entry> lastConsoleBefore(long millis, Predicate<String> filter) {
        return console(filter).stream().filter(e -> e.millis() < millis).reduce((a, b) -> b);
    }

    /** The first console entry after {@code millis} that matches, if any. */
    public Optional<Entry> firstConsoleAfter(long millis, Predicate<String> filter) {
        return console(filter).stream().filter(e -> e.millis() > millis).findFirst();
    }
}
