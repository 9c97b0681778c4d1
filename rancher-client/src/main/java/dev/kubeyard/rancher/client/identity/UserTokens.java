package dev.kubeyard.rancher.client.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.access.Kubeconfig;
import dev.kubeyard.rancher.client.internal.Json;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.internal.SteveLists;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tokens of other users, each valid for one cluster and at most {@link #MAX_TTL}: what a platform user's
 * kubeconfig carries. Rancher creates a token only for the user who asks (docs/decisions/0005), so {@link
 * #create} asks as that user: it sets a random one-time password (v3 {@code setpassword}), logs in with it
 * ({@code /v1-public/login}, a one-minute session), creates the ext token with that session and deletes the
 * session. Neither password nor session outlives the call, and neither is logged.
 *
 * <p>Listing and deleting need no such detour: an admin sees and deletes everyone's ext tokens.
 */
public final class UserTokens {

    /** The longest life Kubeyard gives a user's token. */
    public static final Duration MAX_TTL = Duration.ofHours(24);

    /** How long the login session used to mint a token may live if deleting it fails. */
    static final Duration SESSION_TTL = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(UserTokens.class.getName());
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RancherHttp http;
    private final Users users;

    public UserTokens(RancherHttp http, Users users) {
        this.http = http;
        this.users = users;
    }

    /**
     * Mints a token for the user, valid only on {@code /k8s/clusters/<clusterId>} and only for {@code ttl}. The
     * user must be able to log in ({@link Users#ensure}) and be bound to the cluster ({@link
     * ClusterRoleTemplateBindings}); Rancher propagates a new binding within seconds and refuses the token with
     * 403 until then.
     *
     * @param ttl more than zero, at most {@link #MAX_TTL}
     * @param labels put on the token, for finding it again
     * @throws IllegalArgumentException when the ttl is out of range
     * @throws dev.kubeyard.rancher.client.RancherForbiddenException when the user may not access the cluster
     * @throws dev.kubeyard.rancher.client.RancherInvalidRequestException when there is no such cluster
     */
    public UserToken create(
            RancherUser user, String clusterId, Duration ttl, String description, Map<String, String> labels) {
        Objects.requireNonNull(user, "user");
        if (clusterId == null || clusterId.isBlank() || clusterId.contains("/")) {
            throw new IllegalArgumentException("a management cluster id such as c-m-abcd1234 is required");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "a user's token lives more than zero and at most " + MAX_TTL + ", not " + ttl);
        }
        String password = oneTimePassword();
        users.setPassword(user.id(), password);
        RancherToken session = login(user.username(), password);
        RuntimeException failure = null;
        try {
            return mint(session, clusterId, ttl, description, labels);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            logout(session, failure);
        }
    }

    /** The ext tokens of a user (their kubeconfig tokens and any other), all pages. */
    public List<ExtToken> list(String userId) {
        return list(Map.of(ExtToken.USER_ID_LABEL, userId));
    }

    /** The ext tokens whose labels carry every given key and value, all users. */
    public List<ExtToken> list(Map<String, String> labels) {
        Map<String, String> filters = new LinkedHashMap<>();
        labels.forEach((k, v) -> filters.put("metadata.labels[" + k + "]", v));
        return SteveLists.listAll(http, "/v1/" + ExtToken.COLLECTION, filters, ExtToken.class);
    }

    /** @throws RancherNotFoundException when there is no such token */
    public ExtToken get(String name) {
        return Resources.read(http.getJson(url(name)), ExtToken.class);
    }

    /** Deletes the token; it stops working at once. */
    public void delete(String name) {
        http.send("DELETE", url(name), null, RancherHttp.JSON);
    }

    /**
     * Deletes every ext token of the user (someone left the group); a token already gone is not an error.
     *
     * @return how many were deleted
     */
    public int deleteAll(String userId) {
        int deleted = 0;
        for (ExtToken t : list(userId)) {
            try {
                delete(t.name());
                deleted++;
            } catch (RancherNotFoundException e) {
                // Deleted meanwhile (expired and purged, or by another replica): what we wanted.
            }
        }
        return deleted;
    }

    /**
     * A kubeconfig for the token's cluster through this Rancher's proxy ({@code <rancher>/k8s/clusters/<id>}),
     * with one cluster, user and context named {@code contextName}. Rancher's ext Kubeconfig would mint its own
     * token for the caller, so the file is written here.
     */
    public Kubeconfig kubeconfig(UserToken token, String contextName) {
        var config = http.config();
        return Kubeconfig.forToken(
                config.baseUrl().toString(),
                token.clusterId(),
                contextName,
                token.secret(),
                config.insecureSkipTlsVerify());
    }

    private RancherToken login(String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "localProvider");
        body.put("username", username);
        body.put("password", password);
        body.put("description", "kubeyard: one-time login to mint a cluster token");
        body.put("responseType", "json");
        body.put("ttl", SESSION_TTL.toMillis());
        JsonNode out = http.sendAs(null, "POST", http.url("/v1-public/login"), body, RancherHttp.JSON);
        String token = out.path("token").asText("");
        if (token.isEmpty()) {
            throw new IllegalStateException("Rancher logged " + username + " in without returning a session token");
        }
        return RancherToken.of(token);
    }

    private UserToken mint(
            RancherToken session, String clusterId, Duration ttl, String description, Map<String, String> labels) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("type", ExtToken.STEVE_TYPE);
        ObjectNode labelNode = body.putObject("metadata").putObject("labels");
        labels.forEach(labelNode::put);
        ObjectNode spec = body.putObject("spec");
        spec.put("clusterName", clusterId);
        spec.put("ttl", ttl.toMillis());
        if (description != null) {
            spec.put("description", description);
        }
        JsonNode out = http.sendAs(
                session, "POST", Resources.v1(http, ExtToken.COLLECTION, null, null), body, RancherHttp.JSON);
        String bearer = out.path("status").path("bearerToken").asText("");
        if (bearer.isEmpty()) {
            String value = out.path("status").path("value").asText("");
            if (value.isEmpty()) {
                throw new IllegalStateException("Rancher created a token without returning its value");
            }
            bearer = "ext/" + out.path("metadata").path("name").asText() + ":" + value;
        }
        return new UserToken(Resources.read(out, ExtToken.class), RancherToken.of(bearer));
    }

    /**
     * Deletes the login session with itself (a user may delete its own token; an admin may not delete another's
     * v3 token). A failure here must not lose a minted token: it is logged, or added to the failure already
     * under way; the session expires within {@link #SESSION_TTL} anyway.
     */
    private void logout(RancherToken session, RuntimeException failure) {
        String name = session.name();
        var url = name.startsWith("ext/")
                ? Resources.v1(http, ExtToken.COLLECTION, null, name.substring(4))
                : http.url("/v3/tokens").newBuilder().addPathSegment(name).build();
        try {
            http.sendAs(session, "DELETE", url, null, RancherHttp.JSON);
        } catch (RancherException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.log(
                        Level.WARNING,
                        () -> "Deleting login session " + name + " failed (" + e.getMessage() + "); it expires within "
                                + SESSION_TTL);
            }
        }
    }

    private static String oneTimePassword() {
        char[] out = new char[32];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(out);
    }

    private okhttp3.HttpUrl url(String name) {
        return Resources.v1(http, ExtToken.COLLECTION, null, name);
    }
}
