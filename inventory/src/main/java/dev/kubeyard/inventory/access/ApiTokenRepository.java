package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** A user's tokens, newest first. */
    public List<ApiToken> listByUser(PlatformUser user) {
        return list("user = ?1 order by createdAt desc", user);
    }
}
