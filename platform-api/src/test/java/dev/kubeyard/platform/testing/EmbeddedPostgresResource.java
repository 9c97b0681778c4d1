package dev.kubeyard.platform.testing;

import dev.kubeyard.platform.sandbox.SandboxDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real PostgreSQL (embedded binaries, the production major) for the tests, started once: use it with
 * {@code @WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)} on every
 * {@code @QuarkusTest}, so that all of them share one application start and one server.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private SandboxDatabase database;

    /** Kept so the level set on it is not lost to garbage collection. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky.test.db.postgres");

    @Override
    public Map<String, String> start() {
        // initdb and postmaster write a page of INFO lines per start; keep warnings only.
        ZONKY.setLevel(Level.WARNING);
        database = SandboxDatabase.start();
        System.out.printf(
                "Embedded PostgreSQL for tests on port %d, started in %d ms%n",
                database.port(), database.startTime().toMillis());
        return database.datasourceProperties();
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
