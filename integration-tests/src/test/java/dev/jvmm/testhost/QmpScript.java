package dev.jvmm.testhost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A scripted QMP client that runs in L1 next to the VMM (started by {@link TestHost#runL2WithQmp}), with no
 * dependency beyond the JDK so that L1 needs only this class's directory on the class path. It writes a
 * timestamped transcript that {@link QmpTranscript} parses on the host, where the assertions live:
 *
 * <pre>
 *   MILLIS send|recv|console|note TEXT
 * </pre>
 *
 * {@code recv} lines are the server's messages as sent; {@code console} lines are the guest's serial
 * console, tailed from its log file, stamped when they appear.
 *
 * <p>Usage: {@code QmpScript SOCKET CONSOLE_LOG STEP...}, steps run in order:
 * <ul>
 *   <li>{@code cmd:NAME} or {@code cmd:NAME:ARGUMENTS-JSON}: send with a numeric id, wait for its reply;</li>
 *   <li>{@code console:REGEX}: wait until a console line matches;</li>
 *   <li>{@code console-new:REGEX}: wait until a console line that appears after this step started matches;</li>
 *   <li>{@code fds:REGEX}: note what the one other process whose command line matches holds, as
 *       {@code fds PID VmLck=KB TARGET=COUNT...}: its open descriptors by target ({@code /proc/PID/fd},
 *       sockets and pipes without their inode numbers) and its locked (VFIO-pinned) memory;</li>
 *   <li>{@code event:NAME}: wait for the event (also counts one already received);</li>
 *   <li>{@code sleep:MILLIS};</li>
 *   <li>{@code eof}: wait until the server closes the connection.</li>
 * </ul>
 * Every wait gives up after {@value #WAIT_SECONDS} s; the exit status is 0 when every step completed.
 */
public final class QmpScript {
    static final int WAIT_SECONDS = 300;
    private static final Pattern EVENT = Pattern.compile("\"event\": *\"([A-Z_]+)\"");

    private final long start = System.nanoTime();
    private final PrintStream out;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> seenEvents = new ArrayList<>();
    private final List<String> consoleLines = new ArrayList<>();
    private int nextId = 1;

    private QmpScript(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: QmpScript SOCKET CONSOLE_LOG STEP...");
            System.exit(2);
        }
        QmpScript script = new QmpScript(System.out);
        boolean ok = script.run(Path.of(args[0]), Path.of(args[1]), List.of(args).subList(2, args.length));
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    private synchronized void log(String kind, String text) {
        out.println(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " " + kind + " " + text);
    }

    private boolean run(Path socket, Path consoleLog, List<String> steps) throws Exception {
        Thread tail = Thread.ofPlatform().daemon().name("console-tail").start(() -> tailConsole(consoleLog));
        try (SocketChannel channel = connect(socket)) {
            Thread reader = Thread.ofPlatform().daemon().name("qmp-reader").start(() -> readAll(channel));
            String greeting = next(WAIT_SECONDS);
            if (greeting == null || !greeting.contains("\"QMP\"")) {
                log("note", "FAIL no QMP greeting: " + greeting);
                return false;
            }
            if (!command(channel, "qmp_capabilities", null)) {
                log("note", "FAIL capabilities negotiation");
                return false;
            }
            for (String step : steps) {
                log("note", "step " + step);
                if (!runStep(channel, step)) {
                    log("note", "FAIL step " + step);
                    return false;
                }
            }
            log("note", "DONE");
            reader.interrupt();
            return true;
        } finally {
            Thread.sleep(300); // let the tail report the console's last lines
            tail.interrupt();
        }
    }

    private SocketChannel connect(Path socket) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try {
                    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    log("note", "connected " + socket);
                    return channel;
                } catch (IOException e) {
                    last = e;
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("no QMP server at " + socket + " within " + WAIT_SECONDS + " s", last);
    }

    private void readAll(SocketChannel channel) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log("recv", line);
                received.add(line);
            }
            log("note", "EOF");
        } catch (IOException e) {
            log("note", "EOF " + e.getMessage());
        }
        received.add("");
    }

    private String next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    private boolean runStep(SocketChannel channel, String step) throws Exception {
        String[] parts = step.split(":", 3);
        return switch (parts[0]) {
            case "cmd" -> command(channel, parts[1], parts.length > 2 ? parts[2] : null);
            case "event" -> awaitEvent(parts[1]);
            case "console" -> awaitConsole(Pattern.compile(step.substring("console:".length())), 0);
            case "console-new" -> awaitConsole(Pattern.compile(step.substring("console-new:".length())),
                    consoleLineCount());
            case "fds" -> noteDescriptors(Pattern.compile(step.substring("fds:".length())));
            case "sleep" -> {
                Thread.sleep(Long.parseLong(parts[1]));
                yield true;
            }
            case "eof" -> awaitEof();
            default -> throw new IllegalArgumentException("unknown step " + step);
        };
    }

    private boolean command(SocketChannel channel, String name, String arguments) throws Exception {
        int id = nextId++;
        String message = "{\"execute\": \"" + name + "\"" + (arguments == null ? "" : ", \"arguments\": " + arguments)
                + ", \"id\": " + id + "}";
        log("send", message);
        ByteBuffer bytes = ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        Pattern reply = Pattern.compile("\"id\": *" + id + "[,}]");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = next(1);
            if (line == null) {
                continue;
            }
            if (line.isEmpty()) {
                return false;
            }
            noteEvent(line);
            if (reply.matcher(line).find()) {
                return line.contains("\"return\"");
            }
        }
        return false;
    }

    private void noteEvent(String line) {
        var m = EVENT.matcher(line);
        if (m.find()) {
            seenEvents.add(m.group(1));
        }
    }

    private boolean awaitEvent(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!seenEvents.remove(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            String line = next(1);
            if (line != null && line.isEmpty()) {
                received.add(line); // keep the EOF mark for later steps
                return seenEvents.remove(name);
            }
            if (line != null) {
                noteEvent(line);
            }
        }
        return true;
    }

    private int consoleLineCount() {
        synchronized (consoleLines) {
            return consoleLines.size();
        }
    }

    /** Waits for a console line from the {@code from}-th on (0: the first the guest printed) to match. */
    private boolean awaitConsole(Pattern pattern, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        int checked = from;
        while (System.nanoTime() < deadline) {
            synchronized (consoleLines) {
                for (; checked < consoleLines.size(); checked++) {
                    if (pattern.matcher(consoleLines.get(checked)).find()) {
                        return true;
                    }
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    private boolean noteDescriptors(Pattern commandLine) throws IOException {
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> matching = ProcessHandle.allProcesses().filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(c -> commandLine.matcher(c).find()).orElse(false)).toList();
        if (matching.size() != 1) {
            log("note", "fds: " + matching.size() + " processes match " + commandLine);
            return false;
        }
        long pid = matching.getFirst().pid();
        Map<String, Integer> targets = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString().replaceAll("^(socket|pipe):\\[\\d+]$", "$1");
                    targets.merge(target.replace(' ', '_'), 1, Integer::sum);
                } catch (NoSuchFileException e) {
                    // closed while listing
                }
            }
        }
        String locked = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmLck:")).map(l -> l.replaceAll("\\D", "")).findFirst().orElse("?");
        StringBuilder note = new StringBuilder("fds " + pid + " VmLck=" + locked);
        targets.forEach((target, n) -> note.append(' ').append(target).append('=').append(n));
        log("note", note.toString());
        return true;
    }

    private boolean awaitEof() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = next(1);
            if (line != null && line.isEmpty()) {
                return true;
            }
            if (line != null) {
                noteEvent(line);
            }
        }
        return false;
    }

    private void tailConsole(Path file) {
        StringBuilder partial = new StringBuilder();
        long offset = 0;
        byte[] buffer = new byte[8192];
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (Files.exists(file)) {
                    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                        in.seek(offset);
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            offset += n;
                            partial.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        }
                    }
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl).replace("\r", "");
                        partial.delete(0, nl + 1);
                        log("console", line);
                        synchronized (consoleLines) {
                            consoleLines.add(line);
                        }
                    }
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log("note", "console " + e.getMessage());
            }
        }
    }
}
