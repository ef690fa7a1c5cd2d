package io.gifchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own JVM: started with a log file, probed for readiness on
 * {@code /actuator/health}, measured (CPU time of the whole process, live threads) and always stopped: every
 * started process is also killed by a shutdown hook, so a failed or interrupted benchmark leaves none behind.
 */
final class ServerProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "bench-kill-servers"));
    }

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private ServerProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --name=value} arguments, in order. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("options are --name=value: " + a);
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return options;
    }

    /** A whitespace-separated option value (JVM flags, app arguments) as a list; blank is none. */
    static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /** The launcher that pins a server to {@code cpus} ({@code taskset -c}); none when {@code cpus} is empty. */
    static List<String> pinnedTo(String cpus) {
        return cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus);
    }

    /** {@code jvm} plus, when pinned, {@code -XX:ActiveProcessorCount} for the CPUs it is pinned to. */
    static List<String> jvmFor(List<String> jvm, String cpus) {
        List<String> options = new ArrayList<>(jvm);
        if (!cpus.isEmpty()) {
            options.add("-XX:ActiveProcessorCount=" + cpus.split(",").length);
        }
        return options;
    }

    static String javaBin(String tool) {
        Path p = Path.of(System.getProperty("java.home"), "bin", tool);
        if (Files.isExecutable(p)) {
            return p.toString();
        }
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin", tool);
        return Files.isExecutable(jdk17) ? jdk17.toString() : tool;
    }

    static ServerProcess start(String name, int port, List<String> jvmOptions, String classpath, String mainClass,
                               List<String> args, Path logDir) throws IOException {
        return start(name, port, List.of(), jvmOptions, classpath, mainClass, args, logDir);
    }

    /** {@code launcher}: a command the JVM runs under, e.g. {@code taskset -c 1} to pin it to one CPU. */
    static ServerProcess start(String name, int port, List<String> launcher, List<String> jvmOptions, String classpath,
                               String mainClass, List<String> args, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(javaBin("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        LIVE.add(p);
        return new ServerProcess(name, port, log, p);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Polls GET /actuator/health until 200, the process dies, or the timeout passes. */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before it was ready; log " + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    return;
                }
                last = res.statusCode() + " " + res.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + " (last: " + last + "); log "
                + log + ":\n" + tail(40));
    }

    /** CPU time (user + system, all threads) the process has used so far. */
    Duration cpu() {
        return ProcessHandle.of(process.pid()).flatMap(h -> h.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + process.pid()));
    }

    /**
     * CPU time (user + system) the JIT's compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*})
     * have used so far, from Linux /proc; null if unknown. Tells when a server's warm-up is over.
     */
    Duration compilerCpu() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    ticks += cpuTicks(stat);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or gone
        }
        return Duration.ofMillis((long) (ticks * 1000 / CLOCK_TICKS));
    }

    /** USER_HZ: the unit of /proc's CPU times (100 on every Linux the benchmark targets; not readable from Java). */
    static final double CLOCK_TICKS = 100.0;

    /**
     * User + system CPU time, in {@link #CLOCK_TICKS}, of a {@code /proc/<pid>/stat} or {@code .../task/<tid>/stat}
     * line. The name in parentheses may contain spaces: fields are counted after its closing parenthesis, where
     * field 3 (state) comes first, so utime (14) and stime (15) are the 12th and 13th.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Live threads of the process (Linux /proc), -1 if unknown. */
    int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return -1;
    }

    /** Runs {@code jcmd <pid> <command...>} and returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin("jcmd"));
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Log lines matching WARN/ERROR/Exception, at most {@code max}, for the report. */
    List<String> problems(int max) {
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                        line = line.substring(0, Math.min(line.length(), 120)).replaceAll("(?i)password.*", "password ...")
                                + " (rest not echoed)";
                    }
                    found.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                    if (found.size() >= max) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            found.add("(log unreadable: " + e + ")");
        }
        return found;
    }

    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}
