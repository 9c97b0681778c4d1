package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The unauthenticated channel-server list {@code /v1-rke2-release/releases}. */
public final class Releases {

    /** RKE2 versions offered, oldest first. */
    public static final List<String> VERSIONS =
            List.of("v1.32.9+rke2r1", "v1.33.5+rke2r1", "v1.34.2+rke2r1", "v1.35.0+rke2r1");

    /** The version demo clusters run: the newest but one (the newest may be too new to provision). */
    public static final String DEFAULT_VERSION = VERSIONS.get(VERSIONS.size() - 2);

    private Releases() {}

    public static ObjectNode collection(String base) {
        ObjectNode out = Json.object();
        out.put("type", "collection");
        out.putObject("links").put("self", base + "/v1-rke2-release/releases");
        out.putObject("actions");
        out.put("resourceType", "release");
        ArrayNode data = out.putArray("data");
        for (String version : VERSIONS) {
            ObjectNode r = data.addObject();
            r.put("id", version);
            r.put("type", "release");
            r.putObject("links").put("self", base + "/v1-rke2-release/releases/" + version);
            r.put("maxChannelServerVersion", "v2.15.99");
            r.put("minChannelServerVersion", "v2.12.0-alpha1");
            r.put("version", version);
        }
        return out;
    }
}
