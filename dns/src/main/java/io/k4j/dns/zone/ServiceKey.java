package io.k4j.dns.zone;

import java.util.Locale;

/** Namespace and name of a Service, lower case. */
public record ServiceKey(String namespace, String name) {

    public ServiceKey {
        namespace = namespace.toLowerCase(Locale.ROOT);
        name = name.toLowerCase(Locale.ROOT);
    }
}
