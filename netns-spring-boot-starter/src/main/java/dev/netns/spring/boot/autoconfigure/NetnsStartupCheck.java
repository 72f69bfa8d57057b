package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.NsHandle;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says at start-up, once, what would otherwise surface only as the first failed call: one WARN
 * when this process lacks CAP_SYS_ADMIN (namespaces can then be listed but not entered, created or
 * deleted), and one WARN per alias whose namespace does not resolve now, with the reason.
 */
public class NetnsStartupCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(NetnsStartupCheck.class);

    private final NamespaceTemplate template;
    private final Set<String> requiredAliases;
    private final Supplier<ProcessPrivileges> privileges;

    public NetnsStartupCheck(NamespaceTemplate template, Set<String> requiredAliases, Supplier<ProcessPrivileges> privileges) {
        this.template = template;
        this.requiredAliases = Set.copyOf(requiredAliases);
        this.privileges = privileges;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ProcessPrivileges process = privileges.get();
        if (process.known() && !process.hasCapSysAdmin()) {
            log.warn("netns: this process lacks CAP_SYS_ADMIN ({}): namespaces can be listed, but entering, creating and"
                    + " deleting them will fail with NamespacePermissionException. {}", process.describe(), process.hint());
        }
        for (Map.Entry<String, NamespaceReference> alias : template.aliases().entrySet()) {
            try (NsHandle ns = template.resolver().resolve(alias.getValue())) {
                log.debug("netns alias '{}' ({}) is namespace {}", alias.getKey(), alias.getValue(), ns.id());
            } catch (RuntimeException e) {
                log.warn("netns alias '{}' ({}) does not resolve now: {}; netns health shows it DOWN{}", alias.getKey(),
                        alias.getValue(), e.getMessage(), requiredAliases.contains(alias.getKey())
                                ? " and is DOWN itself, as the alias is in netns.health.required-aliases" : "");
            }
        }
    }
}
