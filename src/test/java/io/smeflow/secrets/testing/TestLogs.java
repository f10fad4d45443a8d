package io.smeflow.secrets.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

/** The operator's log as the test profile writes it (target/quarkus-test.log). */
public final class TestLogs {

    public static final Path FILE = Paths.get("target", "quarkus-test.log");

    private TestLogs() {}

    public static String all() throws IOException {
        return Files.exists(FILE) ? Files.readString(FILE) : "";
    }

    /** Audit lines (JSON) that mention {@code text}. */
    public static List<String> auditLinesWith(String text) throws IOException {
        return all().lines()
                .filter(l -> l.contains("[audit]") && l.contains(text))
                .collect(Collectors.toList());
    }
}
