package io.smeflow.secrets.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TokenReview endpoint of a Kubernetes API server, for OpenBao's Kubernetes auth method where
 * no real API server runs (the real one is in the e2e tier). It answers like the real endpoint:
 * authenticated with the service account's user name for tokens it issued, unauthenticated for any
 * other.
 */
public final class FakeTokenReviewer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private final AtomicInteger reviews = new AtomicInteger();

    public FakeTokenReviewer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/apis/authentication.k8s.io/v1/tokenreviews",
                exchange -> {
                    reviews.incrementAndGet();
                    JsonNode request = JSON.readTree(exchange.getRequestBody());
                    String token = request.path("spec").path("token").asText();
                    String user = issued.get(token);
                    Map<String, Object> status =
                            user == null
                                    ? Map.of(
                                            "authenticated", false, "error", "invalid bearer token")
                                    : Map.of(
                                            "authenticated",
                                            true,
                                            "user",
                                            Map.of(
                                                    "username",
                                                    user,
                                                    "uid",
                                                    "uid-" + user.hashCode(),
                                                    "groups",
                                                    Set.of(
                                                            "system:serviceaccounts",
                                                            "system:authenticated")));
                    byte[] body =
                            JSON.writeValueAsBytes(
                                    Map.of(
                                            "apiVersion",
                                            "authentication.k8s.io/v1",
                                            "kind",
                                            "TokenReview",
                                            "status",
                                            status));
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Issues a service-account JWT (unsigned claims in JWS form) and remembers it as valid. */
    public String issue(String namespace, String serviceAccount) {
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
        Map<String, Object> claims =
                Map.of(
                        "iss", "kubernetes/serviceaccount",
                        "sub", user,
                        "kubernetes.io/serviceaccount/namespace", namespace,
                        "kubernetes.io/serviceaccount/service-account.name", serviceAccount,
                        "kubernetes.io/serviceaccount/service-account.uid",
                                "uid-" + user.hashCode());
        String jwt =
                b64url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")
                        + "."
                        + b64url(toJson(claims))
                        + "."
                        + b64url("signature-" + java.util.UUID.randomUUID());
        issued.put(jwt, user);
        return jwt;
    }

    /**
     * A CA certificate for OpenBao's kubernetes_ca_cert, which it demands even for a plain-HTTP
     * host; made with openssl, never used for TLS here.
     */
    public static String caCertificate() throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                "openssl",
                                "req",
                                "-x509",
                                "-newkey",
                                "ec",
                                "-pkeyopt",
                                "ec_paramgen_curve:P-256",
                                "-nodes",
                                "-subj",
                                "/CN=test-ca",
                                "-days",
                                "1",
                                "-keyout",
                                "/dev/null",
                                "-out",
                                "/dev/stdout")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String pem = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !pem.contains("BEGIN CERTIFICATE")) {
            throw new IOException("openssl could not make a test CA certificate");
        }
        return pem;
    }

    public int reviews() {
        return reviews.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64url(String s) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
