package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiToken, UUID> {

    /** The token whose secret hashes to {@code secretHash}, with its user. */
    public Optional<ApiToken> findBySecretHash(String secretHash) {
        return find("from ApiToken t join fetch t.user where t.secretHash = ?1", secretHash)
                .firstResultOptional();
    }

    /**
     * Notes a use of the token, at most once per {@code granularity}: a plain update outside optimistic locking, so
     * that two requests with the same token at the same moment never fail each other (the last use is a hint, not
     * state anyone decides on). Returns whether the row changed.
     */
    public boolean noteUse(UUID id, Instant now, String from, Duration granularity) {
        return getEntityManager()
                        .createNativeQuery("UPDATE api_tokens SET last_used_at = ?1, last_used_from = ?2 WHERE id = ?3"
                                + " AND (last_used_at IS NULL OR last_used_at < ?4"
                                + " OR last_used_from IS DISTINCT FROM ?2)")
                        .setParameter(1, now)
                        .setParameter(2, from)
                        .setParameter(3, id)
                        .setParameter(4, now.minus(granularity))
                        .executeUpdate()
                > 0;
    }

    /** A user's tokens, newest first. */
    public List<ApiToken> listByUser(PlatformUser user) {
        return list("user = ?1 order by createdAt desc", user);
    }
}
