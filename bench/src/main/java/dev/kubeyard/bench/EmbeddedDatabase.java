package dev.kubeyard.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/**
 * An embedded PostgreSQL 17 (zonky's binaries, the production major) in a data directory of its own, its schema made by
 * Flyway from the application's migrations; the start and migration times are kept for the reports.
 */
record EmbeddedDatabase(EmbeddedPostgres postgres, Duration startTime, Duration migrateTime) implements AutoCloseable {

    /** Kept so that the level set on it is not lost to garbage collection. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky.test.db.postgres");

    /**
     * Starts the server in {@code dataDir} (emptied first) and migrates it.
     *
     * @param durable PostgreSQL's own defaults (fsync, synchronous_commit and full_page_writes on), as in production;
     *     else zonky's test settings (all three off)
     */
    static EmbeddedDatabase start(Path dataDir, boolean durable) throws IOException {
        ZONKY.setLevel(Level.WARNING);
        Files.createDirectories(dataDir);
        long t0 = System.nanoTime();
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true);
        if (durable) {
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        EmbeddedPostgres postgres = builder.start();
        Duration started = SimProcess.since(t0);
        long t1 = System.nanoTime();
        Flyway.configure()
                .dataSource(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new EmbeddedDatabase(postgres, started, SimProcess.since(t1));
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not stop", e);
        }
    }
}
