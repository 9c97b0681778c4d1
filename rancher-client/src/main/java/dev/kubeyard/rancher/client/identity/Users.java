package dev.kubeyard.rancher.client.identity;

import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.internal.SteveLists;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rancher users ({@code /v1/management.cattle.io.users}, writable through Steve). Deleting a user makes Rancher
 * remove its role bindings and tokens with it.
 */
public final class Users {

    /** The global role that lets a user log in and nothing more. */
    public static final String LOGIN_ROLE = "user-base";

    static final String GLOBAL_ROLE_BINDINGS = "management.cattle.io.globalrolebindings";

    private final RancherHttp http;

    public Users(RancherHttp http) {
        this.http = http;
    }

    /**
     * Creates the user under its own name (see {@link RancherUser#nameFor}).
     *
     * @throws RancherAlreadyExistsException when the name is taken
     * @throws dev.kubeyard.rancher.client.RancherInvalidRequestException when Rancher's webhook refuses it (for
     *     example, the username is already in use)
     */
    public RancherUser create(RancherUser user) {
        var body = Resources.writeBody(user, RancherUser.STEVE_TYPE);
        return Resources.read(
                http.send("POST", Resources.v1(http, RancherUser.COLLECTION, null, null), body, RancherHttp.JSON),
                RancherUser.class);
    }

    /**
     * Creates the user unless it exists, and lets it log in (global role {@value #LOGIN_ROLE}), which minting a
     * token for it needs. Safe to repeat.
     *
     * @throws IllegalStateException when a user of that name exists with another username
     */
    public RancherUser ensure(RancherUser user) {
        RancherUser out;
        try {
            out = create(user);
        } catch (RancherAlreadyExistsException e) {
            out = get(user.id());
            if (!out.username().equals(user.username())) {
                throw new IllegalStateException("Rancher user " + user.id() + " exists with username " + out.username()
                        + ", not " + user.username());
            }
        }
        allowLogin(out.id());
        return out;
    }

    /** Binds the user to the global role {@value #LOGIN_ROLE} under a fixed name; safe to repeat. */
    public void allowLogin(String userId) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", userId + "-" + LOGIN_ROLE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "management.cattle.io.globalrolebinding");
        body.put("metadata", metadata);
        body.put("globalRoleName", LOGIN_ROLE);
        body.put("userName", userId);
        try {
            http.send("POST", Resources.v1(http, GLOBAL_ROLE_BINDINGS, null, null), body, RancherHttp.JSON);
        } catch (RancherAlreadyExistsException e) {
            // Bound already: what we wanted.
        }
    }

    /** @throws RancherNotFoundException when there is no such user */
    public RancherUser get(String userId) {
        return Resources.read(http.getJson(url(userId)), RancherUser.class);
    }

    public Optional<RancherUser> find(String userId) {
        try {
            return Optional.of(get(userId));
        } catch (RancherNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Users whose labels carry every given key and value, all pages. */
    public List<RancherUser> list(Map<String, String> labels) {
        Map<String, String> filters = new LinkedHashMap<>();
        labels.forEach((k, v) -> filters.put("metadata.labels[" + k + "]", v));
        return SteveLists.listAll(http, "/v1/" + RancherUser.COLLECTION, filters, RancherUser.class);
    }

    /**
     * The one user with this label, for example {@code kubeyard.dev/user=alice}.
     *
     * @throws IllegalStateException when more than one user carries it
     */
    public Optional<RancherUser> findByLabel(String key, String value) {
        List<RancherUser> found = list(Map.of(key, value));
        if (found.size() > 1) {
            throw new IllegalStateException(found.size() + " Rancher users carry the label " + key + "=" + value + ": "
                    + found.stream().map(RancherUser::id).toList());
        }
        return found.stream().findFirst();
    }

    /** Deletes the user; Rancher removes its bindings and tokens. */
    public void delete(String userId) {
        http.send("DELETE", url(userId), null, RancherHttp.JSON);
    }

    /** v3 {@code setpassword}: an admin sets any local user's password without knowing the old one. */
    void setPassword(String userId, String password) {
        var url = http.url("/v3/users")
                .newBuilder()
                .addPathSegment(userId)
                .addQueryParameter("action", "setpassword")
                .build();
        http.send("POST", url, Map.of("newPassword", password), RancherHttp.JSON);
    }

    private okhttp3.HttpUrl url(String userId) {
        return Resources.v1(http, RancherUser.COLLECTION, null, userId);
    }
}
