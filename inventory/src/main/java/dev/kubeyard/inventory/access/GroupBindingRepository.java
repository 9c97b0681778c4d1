package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class GroupBindingRepository implements PanacheRepository<GroupBinding> {

    public List<GroupBinding> listAll() {
        return list("from GroupBinding b left join fetch b.team order by b.groupName");
    }

    /** The bindings of any of the groups (matched exactly, as the directory names them). */
    public List<GroupBinding> listByGroups(Collection<String> groupNames) {
        if (groupNames.isEmpty()) {
            return List.of();
        }
        return list("from GroupBinding b left join fetch b.team where b.groupName in ?1", groupNames);
    }
}
