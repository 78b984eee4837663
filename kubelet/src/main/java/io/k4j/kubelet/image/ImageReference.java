package io.k4j.kubelet.image;

import java.util.regex.Pattern;

/**
 * A parsed image reference in its fully qualified form, the way the container runtime normalises what a pod spec
 * says: {@code busybox} is {@code docker.io/library/busybox:latest}, {@code host:5000/app:v1} keeps its registry, and
 * {@code name@sha256:...} names one manifest.
 *
 * @param registry   e.g. {@code docker.io} or {@code 127.0.0.1:5000}
 * @param repository e.g. {@code library/busybox}
 * @param tag        null when only a digest was given
 * @param digest     {@code sha256:...} or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:.]+])(?::[0-9]+)?");
    private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?[0-9a-f]{64}");

    /**
     * Parses and normalises a reference.
     *
     * @throws IllegalArgumentException with the reason, for a reference the runtime would call an invalid name
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("invalid reference format: empty image name");
        }
        String rest = reference.strip();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(reference, "bad digest " + digest);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(reference, "bad tag " + tag);
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                registry = first;
                rest = rest.substring(slash + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw invalid(reference, "bad registry host " + registry);
                }
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (!rest.equals(rest.toLowerCase(java.util.Locale.ROOT))) {
            throw invalid(reference, "repository name must be lowercase");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(reference, "bad repository name " + rest);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest == null ? null : digest.toLowerCase(java.util.Locale.ROOT));
    }

    /** True for {@code sha256:<64 hex>} or 64 hex digits alone: an image id rather than a name. */
    public static boolean isImageId(String reference) {
        return reference != null && IMAGE_ID.matcher(reference).matches();
    }

    private static IllegalArgumentException invalid(String reference, String why) {
        return new IllegalArgumentException("couldn't parse image name \"" + reference
                + "\": invalid reference format (" + why + ")");
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** {@code name:tag}, or null for a digest-only reference. */
    public String tagged() {
        return tag == null ? null : name() + ":" + tag;
    }

    /** {@code name@digest} for a digest. */
    public String withDigest(String manifestDigest) {
        return name() + "@" + manifestDigest;
    }

    /** The reference to ask {@code host} (the registry itself or a mirror) for: digest if given, else the tag. */
    String at(String host) {
        return host + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
    }

    /** Loopback registries ({@code localhost}, 127.0.0.0/8, ::1) are reached over plain http without config. */
    static boolean isLoopback(String host) {
        String name = host;
        if (name.startsWith("[")) {
            name = name.substring(1, name.indexOf(']'));
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        return name.equals("localhost") || name.equals("::1") || name.matches("127(?:\\.[0-9]{1,3}){3}");
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
