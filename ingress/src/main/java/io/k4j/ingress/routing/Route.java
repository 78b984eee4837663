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

    boolean matches(String requestPath, java.util.List<String> requestElements) {
        if (type == PathType.EXACT) {
            return path.equals(requestPath);
        }
        return requestElements.size() >= pathElements.size()
                && requestElements.subList(0, pathElements.size()).equals(pathElements);
    }
}
