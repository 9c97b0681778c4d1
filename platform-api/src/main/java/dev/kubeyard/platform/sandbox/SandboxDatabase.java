package dev.kubeyard.platform.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * An embedded PostgreSQL server (real binaries, pinned to the production major in the parent POM) for sandbox mode and
 * for tests. One per JVM: {@link #shared()} starts it on first use and a shutdown hook stops it (SIGTERM cleans up; a
 * SIGKILL leaves the postgres process behind).
 */
public final class SandboxDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SandboxDatabase.class);
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private static SandboxDatabase shared;

    private final EmbeddedPostgres postgres;
    private final Duration startTime;

    private SandboxDatabase(EmbeddedPostgres postgres, Duration startTime) {
        this.postgres = postgres;
        this.startTime = startTime;
    }

    /** Starts a new embedded server; the caller closes it. */
    public static SandboxDatabase start() {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new SandboxDatabase(postgres, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    /** The JVM's one sandbox server, started on first call and stopped when the JVM exits. */
    public static synchronized SandboxDatabase shared() {
        if (shared == null) {
            SandboxDatabase database = start();
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "sandbox-database-stop"));
            LOG.warnf(
                    "SANDBOX: no database configured (quarkus.datasource.jdbc.url / KUBEYARD_DB_URL), started an"
                            + " embedded PostgreSQL on port %d in %d ms. Its data is thrown away when Kubeyard stops.",
                    database.port(), database.startTime().toMillis());
            shared = database;
        }
        return shared;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    public Duration startTime() {
        return startTime;
    }

    /** The datasource keys that point Quarkus at this server. */
    public Map<String, String> datasourceProperties() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }
}
