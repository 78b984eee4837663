package io.k4j.ingress.routing;

import java.util.ArrayList;
import java.util.List;

/** Path helpers for Ingress matching: Prefix matching compares '/'-separated elements, not characters. */
final class Paths {

    private Paths() {
    }

    static String trimTrailingSlash(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    static List<String> elements(String path) {
        List<String> elements = new ArrayList<>();
        for (String element : path.split("/")) {
            if (!element.isEmpty()) {
                elements.add(element);
            }
        }
        return elements;
    }

    /** The path part of a request target (no query or fragment); absolute-form targets lose scheme and authority. */
    static String ofRequestTarget(String target) {
        String path = target;
        int schemeEnd = path.indexOf("://");
        if (schemeEnd >= 0 && schemeEnd < path.indexOf('/') + 1) {
            int slash = path.indexOf('/', schemeEnd + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int cut = path.length();
        for (char c : new char[] {'?', '#'}) {
            int at = path.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        path = path.substring(0, cut);
        return path.isEmpty() ? "/" : path;
    }
}
