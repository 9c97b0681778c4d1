package dev.kubeyard.addons.catalog;

import java.nio.file.Path;

/**
 * Where an addon version's objects come from. Whatever the form in the catalog, the loader turns a packaged chart and
 * a manifest set into a chart directory on disk, so that Helm renders all of them alike.
 */
public sealed interface AddonSource {

    /** A short description for the API and the console. */
    String describe();

    /** A Helm chart packaged in the catalog (its directory, with Chart.yaml, values.yaml, values.schema.json). */
    record Chart(Path directory) implements AddonSource {
        @Override
        public String describe() {
            return "chart";
        }
    }

    /**
     * A set of plain manifests (Go templates over {@code .Values} and {@code .Release} allowed), wrapped by the loader
     * into the chart directory given here.
     */
    record Manifests(Path directory) implements AddonSource {
        @Override
        public String describe() {
            return "manifests";
        }
    }

    /** A chart from a Helm chart repository, fetched by Helm when first rendered. */
    record ChartRepository(String url, String chart, String chartVersion) implements AddonSource {
        @Override
        public String describe() {
            return "repository " + url + " chart " + chart + " " + chartVersion;
        }
    }
}
