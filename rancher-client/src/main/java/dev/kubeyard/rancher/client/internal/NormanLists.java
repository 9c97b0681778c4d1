package dev.kubeyard.rancher.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/** Reads a whole Norman ({@code /v3}) collection by following {@code pagination.next}. */
public final class NormanLists {

    private NormanLists() {}

    public static <T> List<T> listAll(RancherHttp http, HttpUrl first, Class<T> type) {
        List<T> out = new ArrayList<>();
        HttpUrl url = first;
        while (url != null) {
            JsonNode page = http.getJson(url);
            for (JsonNode item : page.path("data")) {
                out.add(Resources.read(item, type));
            }
            JsonNode next = page.path("pagination").get("next");
            url = next == null || next.isNull() || next.asText().isEmpty() ? null : http.link(next.asText());
        }
        return out;
    }
}
