package dev.kubeyard.rancher.sim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** An {@code ext.cattle.io} Kubeconfig; the YAML is returned only in the create response. */
public record KubeconfigObject(Meta meta, ObjectNode spec, List<String> tokenNames) {}
