package io.k4j.ingress.routing;

/** One path of one host: {@code path} is normalised (no trailing slash except the root). */
record Route(String path, PathType type, int elements, Backend backend) {

    static Route of(String rawPath, PathType type, Backend backend) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String normalised = type == PathType.PREFIX ? Paths.trimTrailingSlash(path) : path;
        return new Route(normalised, type, Paths.elements(normalised).size(), backend);
    }

    boolean matches(String requestPath, java.util.List<String> requestElements) {
        if (type == PathType.EXACT) {
            return path.equals(requestPath);
        }
        java.util.List<String> mine = Paths.elements(path);
        return requestElements.size() >= mine.size() && requestElements.subList(0, mine.size()).equals(mine);
    }
}
