package dev.kubeyard.addons.control;

import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.CatalogLoader;
import dev.kubeyard.addons.cluster.InstallationReconciler;
import dev.kubeyard.addons.cluster.KindRegistry;
import dev.kubeyard.addons.render.AddonRenderer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The catalog this replica serves (the shipped one plus {@code kubeyard.addons.catalog-directories}), loaded once at
 * start-up: a malformed definition stops the start, with the file and field at fault. Also owns the renderer and the
 * reconciler built on it.
 */
@ApplicationScoped
public class AddonCatalog {

    private static final Logger LOG = Logger.getLogger(AddonCatalog.class);

    @Inject
    AddonConfig config;

    private Catalog catalog;
    private AddonRenderer renderer;
    private InstallationReconciler reconciler;
    private final KindRegistry kinds = new KindRegistry(new KubernetesSerialization());

    @PostConstruct
    void load() {
        Path work;
        try {
            work = config.workDirectory().isPresent()
                    ? Files.createDirectories(Path.of(config.workDirectory().get()))
                    : Files.createTempDirectory("kubeyard-addons-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the addon work directory", e);
        }
        List<Path> extra = config.catalogDirectories().orElse(List.of()).stream()
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
        catalog = new CatalogLoader(work).load(AddonCatalog.class.getClassLoader(), extra);
        renderer = new AddonRenderer(work.resolve("render"));
        reconciler = new InstallationReconciler(catalog, renderer);
        LOG.infof(
                "Addon catalog: %d addons (%s)",
                catalog.addons().size(),
                String.join(", ", catalog.addons().stream().map(a -> a.name()).toList()));
    }

    public Catalog catalog() {
        return catalog;
    }

    public AddonRenderer renderer() {
        return renderer;
    }

    public InstallationReconciler reconciler() {
        return reconciler;
    }

    public KindRegistry kinds() {
        return kinds;
    }
}
