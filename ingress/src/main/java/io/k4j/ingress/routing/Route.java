package io.k4j.ingress.routing;

/** One path of one host: {@code path} is normalised (no trailing slash except the root). */
record Route(String path, PathType type, java.util.List<String> pathElements, Backend backend) {

    static Route of(String rawPath, PathType type, Backend backend) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String normalised = type == PathType.PREFIX ? Paths.trimTrailingSlash(path) : path;
        return new Route(normalised, type, java.util.List.copyOf(Paths.elements(normalised)), backend);
    }

    int elements() {
        return pathElements.size();
    }

    /**
     * Prefix matching is element-wise: "/foo" matches "/foo", "/foo/" and "/foo/bar", never "/foobar". Compared
     * as strings on the hot path; only paths with empty elements ("//") are split to compare element by element.
     */
    boolean matches(String requestPath) {
        if (type == PathType.EXACT) {
            return path.equals(requestPath);
        }
        if (pathElements.isEmpty()) {
            return true;
        }
        if (requestPath.contains("//") || path.contains("//")) {
            java.util.List<String> requestElements = Paths.elements(requestPath);
            return requestElements.size() >= pathElements.size()
                    && requestElements.subList(0, pathElements.size()).equals(pathElements);
        }
        return requestPath.startsWith(path)
                && (requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/');
    }
}
