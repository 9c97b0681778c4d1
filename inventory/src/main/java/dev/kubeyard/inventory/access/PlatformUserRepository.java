package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PlatformUserRepository implements PanacheRepository<PlatformUser> {

    public Optional<PlatformUser> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Users whose rights come from the directory: the ones a directory sync re-reads. */
    public List<PlatformUser> listFromDirectory() {
        return list("source = ?1 order by name", PlatformUser.SOURCE_DIRECTORY);
    }

    public List<PlatformUser> listByName() {
        return list("order by name");
    }
}
