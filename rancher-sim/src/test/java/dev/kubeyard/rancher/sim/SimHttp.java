package dev.kubeyard.rancher.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small OkHttp client for the simulator's REST API, as a Rancher client would call it. */
public final class SimHttp {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String JSON = "application/json";
    public static final String DEFAULT_TOKEN = "token-tests:secret";

    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .followRedirects(false)
            .callTimeout(Duration.ofSeconds(30))
            .build();

    private final String base;
    private final String authorization;

    public SimHttp(String base) {
        this(base, "Bearer " + DEFAULT_TOKEN);
    }

    public SimHttp(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public SimHttp withAuthorization(String header) {
        return new SimHttp(base, header);
    }

    /** An HTTP answer: status, body and headers. */
    public record Resp(int code, String body, Headers headers) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + code + "): " + body, e);
            }
        }

        public String contentType() {
            return headers.get("Content-Type");
        }
    }

    public Resp get(String path) {
        return call("GET", path, null, null);
    }

    public Resp post(String path, Object body) {
        return call("POST", path, body, JSON);
    }

    public Resp put(String path, Object body) {
        return call("PUT", path, body, JSON);
    }

    public Resp patch(String path, Object body, String contentType) {
        return call("PATCH", path, body, contentType);
    }

    public Resp delete(String path) {
        return call("DELETE", path, null, null);
    }

    public Resp call(String method, String path, Object body, String contentType) {
        RequestBody requestBody = null;
        if (body != null) {
            String text = body instanceof String s ? s : write(body);
            requestBody = RequestBody.create(text, contentType == null ? null : MediaType.get(contentType));
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            requestBody = RequestBody.create("", MediaType.get(JSON));
        }
        Request.Builder request = new Request.Builder()
                .url(base + path)
                .method(method, requestBody)
                .header("Accept", JSON);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = SHARED.newCall(request.build()).execute()) {
            return new Resp(response.code(), response.body().string(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    private static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fabric8 client to a cluster's API through {@code /k8s/clusters/<mgmtId>}, as a Rancher kubeconfig sets it up. */
    public static KubernetesClient proxyClient(String simUrl, String managementId) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(simUrl + "/k8s/clusters/" + managementId)
                .withOauthToken(DEFAULT_TOKEN)
                .withNamespace("default")
                .withRequestTimeout(10_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    // ---- Rancher-shaped helpers ------------------------------------------------------------------------------

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Creates an OpenstackConfig with {@code generateName} and returns its name. */
    public String createOpenstackConfig(String generateName) {
        ObjectNode body = object();
        body.put("type", "rke-machine-config.cattle.io.openstackconfig");
        body.putObject("metadata").put("generateName", generateName).put("namespace", "fleet-default");
        body.put("flavorName", "m1.large");
        body.put("imageName", "ubuntu-24.04");
        Resp r = post("/v1/rke-machine-config.cattle.io.openstackconfigs/fleet-default", body);
        if (r.code() != 201) {
            throw new AssertionError("config create failed: " + r.code() + " " + r.body());
        }
        return r.json().at("/metadata/name").asText();
    }

    /** A provisioning cluster body with one pool per role. */
    public static ObjectNode clusterBody(String name, String config, int etcd, int controlPlane, int workers) {
        ObjectNode body = object();
        body.put("type", "provisioning.cattle.io.cluster");
        body.putObject("metadata").put("name", name).put("namespace", "fleet-default");
        ObjectNode spec = body.putObject("spec");
        spec.put("kubernetesVersion", "v1.33.5+rke2r1");
        ArrayNode pools = spec.putObject("rkeConfig").putArray("machinePools");
        pools.add(pool("etcd", config, etcd, true, false, false));
        pools.add(pool("cp", config, controlPlane, false, true, false));
        pools.add(pool("workers", config, workers, false, false, true));
        return body;
    }

    public static ObjectNode pool(String name, String config, int quantity, boolean etcd, boolean cp, boolean worker) {
        ObjectNode p = object();
        p.put("name", name);
        p.put("quantity", quantity);
        p.put("etcdRole", etcd);
        p.put("controlPlaneRole", cp);
        p.put("workerRole", worker);
        p.putObject("machineConfigRef").put("kind", "OpenstackConfig").put("name", config);
        return p;
    }

    public JsonNode cluster(String name) {
        Resp r = get("/v1/provisioning.cattle.io.clusters/fleet-default/" + name);
        if (r.code() != 200) {
            throw new AssertionError("GET cluster " + name + ": " + r.code() + " " + r.body());
        }
        return r.json();
    }

    public JsonNode machines(String clusterName) {
        return get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + clusterName)
                .json();
    }

    public JsonNode controlPlane(String clusterName) {
        return get("/v1/rke.cattle.io.rkecontrolplanes/fleet-default/" + clusterName)
                .json();
    }

    public boolean ready(String clusterName) {
        JsonNode c = cluster(clusterName);
        return c.at("/status/ready").asBoolean()
                && "active".equals(c.at("/metadata/state/name").asText())
                && condition(c, "Ready").path("status").asText().equals("True")
                && condition(c, "Updated").path("status").asText().equals("True");
    }

    /** A condition of {@code status.conditions}, or a missing node. */
    public static JsonNode condition(JsonNode obj, String type) {
        for (JsonNode c : obj.at("/status/conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return MAPPER.missingNode();
    }

    /** GET-modify-PUT of a cluster's spec, retried on 409 as a real client must. */
    public JsonNode updateSpec(String clusterName, java.util.function.Consumer<ObjectNode> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            ObjectNode c = (ObjectNode) cluster(clusterName);
            change.accept((ObjectNode) c.get("spec"));
            Resp r = put("/v1/provisioning.cattle.io.clusters/fleet-default/" + clusterName, c);
            if (r.code() == 200) {
                return r.json();
            }
            if (r.code() != 409) {
                throw new AssertionError("PUT failed: " + r.code() + " " + r.body());
            }
        }
        throw new AssertionError("PUT kept conflicting");
    }
}
