package io.smeflow.secrets.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One operator JVM ({@code java -jar quarkus-run.jar}) started by {@link E2eEnvironment}. */
public final class OperatorProcess {

    private final String identity;
    private final E2eEnvironment.Mode mode;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos;
    private long startupMillis;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    OperatorProcess(
            String identity,
            E2eEnvironment.Mode mode,
            Process process,
            int port,
            Path log,
            long startedNanos) {
        this.identity = identity;
        this.mode = mode;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    public String identity() {
        return identity;
    }

    public E2eEnvironment.Mode mode() {
        return mode;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long startupMillis() {
        return startupMillis;
    }

    /** Waits until Quarkus has started (the liveness endpoint answers 200). */
    void awaitStarted(Duration timeout) {
        E2eEnvironment.awaitTrue(
                identity + " to start",
                timeout,
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                identity
                                        + " exited with "
                                        + process.exitValue()
                                        + ":\n"
                                        + logTail(60));
                    }
                    return httpStatus("/q/health/live") == 200;
                },
                () -> logTail(40));
        startupMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    }

    public int httpStatus(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL, as a node failure or OOM kill would: no shutdown hooks, no lease release. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod; SIGKILL after {@code grace} (terminationGracePeriod).
     *
     * @return milliseconds until the process exited, or -1 if it had to be killed
     */
    public long stop(Duration grace) {
        if (!process.isAlive()) {
            return 0;
        }
        long t0 = System.nanoTime();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        E2eEnvironment.log(identity + " did not exit within " + grace + " of SIGTERM; killing");
        kill();
        return -1;
    }

    /** The log's JSON records (non-JSON lines are skipped). */
    public List<JsonNode> records() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines()) {
            if (line.startsWith("{")) {
                try {
                    out.add(E2eEnvironment.JSON.readTree(line));
                } catch (IOException ignored) {
                    // a partly written line
                }
            }
        }
        return out;
    }

    /** Audit records (category {@code audit}) as parsed JSON objects. */
    public List<JsonNode> auditRecords() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : records()) {
            if ("audit".equals(r.path("loggerName").asText())) {
                try {
                    out.add(E2eEnvironment.JSON.readTree(r.path("message").asText()));
                } catch (IOException ignored) {
                    // not an audit object
                }
            }
        }
        return out;
    }

    public boolean logContains(String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    /** The last lines, JSON records shortened to time, level, logger and message. */
    public String logTail(int n) {
        List<String> all = lines();
        List<String> out = new ArrayList<>();
        for (String line : all.subList(Math.max(0, all.size() - n), all.size())) {
            if (line.startsWith("{")) {
                try {
                    JsonNode r = E2eEnvironment.JSON.readTree(line);
                    String logger = r.path("loggerName").asText();
                    out.add(
                            r.path("timestamp").asText()
                                    + " "
                                    + r.path("level").asText()
                                    + " ["
                                    + logger.substring(logger.lastIndexOf('.') + 1)
                                    + "] "
                                    + r.path("message").asText()
                                    + (r.has("exception")
                                            ? " " + r.path("exception").toString()
                                            : ""));
                    continue;
                } catch (IOException ignored) {
                    // fall through
                }
            }
            out.add(line);
        }
        return "---- " + identity + " (" + log + ") ----\n" + String.join("\n", out);
    }

    private List<String> lines() {
        try {
            return Files.exists(log)
                    ? List.of(
                            new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"))
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return identity + "(pid " + process.pid() + ")";
    }
}
