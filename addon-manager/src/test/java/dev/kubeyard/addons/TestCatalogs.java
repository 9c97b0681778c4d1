package dev.kubeyard.addons;

import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.CatalogLoader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The test catalog of this module's test resources (demo-web: two chart versions and a manifest set). */
public final class TestCatalogs {

    private TestCatalogs() {}

    public static Path root() {
        try {
            return Path.of(TestCatalogs.class.getResource("/test-catalog").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Catalog load(Path work) {
        return new Catalog(new CatalogLoader(work).loadRoot(root()));
    }

    public static Catalog loadWithShipped(Path work) {
        return new CatalogLoader(work).load(TestCatalogs.class.getClassLoader(), List.of(root()));
    }
}
