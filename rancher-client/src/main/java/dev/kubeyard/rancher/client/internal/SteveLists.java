package dev.kubeyard.rancher.client.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Reads a whole Steve ({@code /v1}) collection, page by page: {@code limit} plus the {@code continue}
 * token that Steve returns while more items remain. Filters use Steve's {@code filter=path=value}.
 */
public final class SteveLists {

    private SteveLists() {}

    /**
     * @param collectionPath for example {@code /v1/cluster.x-k8s.io.machines/fleet-default}
     * @param filters Steve filters, each {@code path=value}; several are ANDed
     */
    public static <T> List<T> listAll(
            RancherHttp http, String collectionPath, Map<String, String> filters, Class<T> type) {
        JavaType itemType = Json.mapper().constructType(type);
        List<T> out = new ArrayList<>();
        String cont = null;
        do {
            HttpUrl.Builder url = http.url(collectionPath)
                    .newBuilder()
                    .addQueryParameter("limit", Integer.toString(http.config().pageSize()));
            filters.forEach((path, value) -> url.addQueryParameter("filter", path + "=" + value));
            if (cont != null) {
                url.addQueryParameter("continue", cont);
            }
            JsonNode page = http.getJson(url.build());
            for (JsonNode item : page.path("data")) {
                out.add(Json.mapper().convertValue(item, itemType));
            }
            JsonNode next = page.get("continue");
            cont = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (cont != null);
        return out;
    }

    public static Map<String, String> filter(String path, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(path, value);
        return m;
    }
}
