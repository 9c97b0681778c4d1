package dev.kubeyard.serviceboard.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.ServiceRow;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A board row as a ServiceInfo object (the CRD in {@code deploy/crds/serviceinfos.kubeyard.dev.yaml}): its name, its
 * labels, its spec and the digest that tells whether the object in the management cluster is current. Pure.
 */
public final class ServiceInfos {

    public static final String GROUP = "kubeyard.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "ServiceInfo";
    public static final String PLURAL = "serviceinfos";

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "kubeyard";
    public static final String CLUSTER = "kubeyard.dev/cluster";
    public static final String SERVICE_NAMESPACE = "kubeyard.dev/service-namespace";
    public static final String STATUS = "kubeyard.dev/status";

    /** The annotation that carries {@link #digest} of the object's labels and spec. */
    public static final String DIGEST = "kubeyard.dev/digest";

    static final int MAX_NAME = 253;
    static final int MAX_LABEL_VALUE = 63;
    static final int HASH_CHARS = 10;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceInfos() {}

    /**
     * The object's name: {@code <cluster>.<namespace>.<service>} when each part is a DNS-1123 label (then no two
     * services share a name, as no part has a dot); otherwise each part made a label (lower case, other characters
     * {@code -}), the whole cut to fit 253 characters, and a hash of the exact three parts appended, so that services
     * whose names had to be changed never take another's name.
     */
    public static String objectName(String cluster, String namespace, String service) {
        String plain = cluster + "." + namespace + "." + service;
        if (DNS_LABEL.matcher(cluster).matches()
                && DNS_LABEL.matcher(namespace).matches()
                && DNS_LABEL.matcher(service).matches()
                && plain.length() <= MAX_NAME) {
            return plain;
        }
        String hash = hash(cluster + "\u0000" + namespace + "\u0000" + service);
        String base = String.join(".", asLabel(cluster), asLabel(namespace), asLabel(service));
        base = trimEnd(cut(base, MAX_NAME - 1 - HASH_CHARS), "-.");
        return base.isEmpty() ? hash : base + "-" + hash;
    }

    /** A label value for {@code value}: itself when valid, else made valid with a hash of it appended. */
    public static String labelValue(String value) {
        if (LABEL_VALUE.matcher(value).matches()) {
            return value;
        }
        String base = value.replaceAll("[^-A-Za-z0-9_.]", "-");
        base = trimStart(base, "-_.");
        base = trimEnd(cut(base, MAX_LABEL_VALUE - 1 - HASH_CHARS), "-_.");
        String hash = hash(value);
        return base.isEmpty() ? hash : base + "-" + hash;
    }

    /** The ServiceInfo of a row, in {@code namespace} of the management cluster, with its digest annotated. */
    public static GenericKubernetesResource toObject(ServiceRow row, String namespace) {
        Map<String, String> labels = labels(row);
        Map<String, Object> spec = spec(row);
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(API_VERSION);
        o.setKind(KIND);
        o.setMetadata(new ObjectMetaBuilder()
                .withName(objectName(row.cluster(), row.namespace(), row.name()))
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(Map.of(DIGEST, digest(labels, spec)))
                .build());
        o.setAdditionalProperty("spec", spec);
        return o;
    }

    /** The digest a row's object carries (what {@link #toObject} annotates). */
    public static String digest(ServiceRow row) {
        return digest(labels(row), spec(row));
    }

    static Map<String, String> labels(ServiceRow row) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, labelValue(row.cluster()));
        labels.put(SERVICE_NAMESPACE, labelValue(row.namespace()));
        labels.put(STATUS, row.status().wireName());
        return labels;
    }

    /** The spec, with the CRD's field names; a value the row does not have is left out. */
    static Map<String, Object> spec(ServiceRow row) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("cluster", row.cluster());
        spec.put("namespace", row.namespace());
        spec.put("service", row.name());
        putIfPresent(spec, "type", row.type());
        putIfPresent(spec, "clusterIP", row.clusterIp());
        List<Map<String, Object>> ports = new ArrayList<>();
        for (Facts.Port p : row.ports()) {
            Map<String, Object> port = new LinkedHashMap<>();
            putIfPresent(port, "name", p.name());
            putIfPresent(port, "protocol", p.protocol());
            port.put("port", p.port());
            putIfPresent(port, "targetPort", p.targetPort());
            putIfPresent(port, "nodePort", p.nodePort());
            ports.add(port);
        }
        spec.put("ports", ports);
        spec.put("ingressHosts", row.ingressHosts());
        spec.put("ingressAddresses", row.ingressAddresses());
        spec.put("loadBalancerAddresses", row.loadBalancerAddresses());
        spec.put("images", row.images());
        spec.put("pods", row.pods().asMap());
        spec.put("readyEndpoints", row.readyEndpoints());
        spec.put("notReadyEndpoints", row.notReadyEndpoints());
        spec.put("status", row.status().wireName());
        putIfPresent(spec, "statusReason", row.statusReason());
        spec.put("labels", new TreeMap<>(row.labels()));
        spec.put("updatedAt", row.updatedAt().toString());
        return spec;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String digest(Map<String, String> labels, Map<String, Object> spec) {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("labels", labels);
        both.put("spec", spec);
        try {
            return sha256(JSON.writeValueAsString(both)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ServiceInfo's spec could not be written as JSON", e);
        }
    }

    private static String asLabel(String part) {
        String s = part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        s = trimEnd(trimStart(s, "-"), "-");
        return s.isEmpty() ? "x" : s;
    }

    private static String hash(String text) {
        return sha256(text).substring(0, HASH_CHARS);
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String trimStart(String s, String chars) {
        int i = 0;
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    private static String trimEnd(String s, String chars) {
        int i = s.length();
        while (i > 0 && chars.indexOf(s.charAt(i - 1)) >= 0) {
            i--;
        }
        return s.substring(0, i);
    }
}
