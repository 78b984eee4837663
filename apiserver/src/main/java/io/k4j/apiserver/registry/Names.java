package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Upstream's name rules (k8s.io/apimachinery validation): DNS-1123 labels and subdomains. */
public final class Names {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {
    }

    public static boolean isLabel(String name) {
        return name.length() <= 63 && LABEL.matcher(name).matches();
    }

    public static boolean isSubdomain(String name) {
        return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
    }

    /** The causes for an invalid name, as upstream words them; empty when valid. */
    public static List<Cause> check(String field, String name, boolean label) {
        List<Cause> causes = new ArrayList<>();
        if (label) {
            if (name.length() > 63) {
                causes.add(Cause.invalid(field, name, "must be no more than 63 characters"));
            } else if (!LABEL.matcher(name).matches()) {
                causes.add(Cause.invalid(field, name, "a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
            }
        } else if (name.length() > 253) {
            causes.add(Cause.invalid(field, name, "must be no more than 253 characters"));
        } else if (!SUBDOMAIN.matcher(name).matches()) {
            causes.add(Cause.invalid(field, name, "a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                    + "(e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
        return causes;
    }
}
