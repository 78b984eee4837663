package io.k4j.kubelet.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches images from registries with skopeo: {@link #resolve} finds the manifest digest (trying the registry's
 * mirrors, then the registry itself; at each, the matching pull-secret credentials in order, then the configured
 * ones, then none) and {@link #fetch} copies the image pinned to that digest into a {@code dir:} layout.
 * Credentials reach skopeo in a private auth file, never on its command line.
 */
final class SkopeoPuller {
    private static final Logger log = LoggerFactory.getLogger(SkopeoPuller.class);
    private static final Pattern SKOPEO_MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final RegistriesConfig registries;
    private final Duration timeout;

    SkopeoPuller(RegistriesConfig registries, Duration timeout) {
        this.registries = registries;
        this.timeout = timeout;
    }

    /** What went wrong at one endpoint. */
    enum Failure { NOT_FOUND, UNAUTHORIZED, OTHER }

    /**
     * Where an image was found: the endpoint and credential that worked and the digest of the manifest (or index)
     * the reference names there.
     */
    record Resolved(RegistriesConfig.Endpoint endpoint, ImageService.RegistryCredential credential,
            String manifestDigest) {
        @Override
        public String toString() {
            return endpoint + " " + manifestDigest; // never the credential
        }
    }

    /**
     * Finds the image (skopeo inspect --raw, one small request): mirrors first, and at each endpoint the
     * credentials in order until one is not refused.
     */
    Resolved resolve(ImageReference reference, List<ImageService.RegistryCredential> secrets, Path work)
            throws ImagePullException, IOException {
        if (!Commands.installed("skopeo")) {
            throw new ImagePullException("failed to pull image \"" + reference + "\": skopeo is not installed",
                    false, null);
        }
        Failure lastFailure = Failure.OTHER;
        String lastDetail = "no registry endpoint to try";
        Path manifest = work.resolve("manifest.raw");
        for (RegistriesConfig.Endpoint endpoint : registries.endpoints(reference.registry())) {
            for (ImageService.RegistryCredential credential : credentialsFor(endpoint, reference.registry(), secrets)) {
                List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
                command.addAll(access("", endpoint, credential, work));
                command.add("docker://" + reference.at(endpoint.host()));
                Commands.Result result = Commands.runToFile(command, manifest, timeout.toSeconds());
                if (result.ok()) {
                    String digest = reference.digest() != null ? reference.digest() : Digests.of(manifest);
                    log.debug("Resolved {} at {} to {}", reference, endpoint, digest);
                    return new Resolved(endpoint, credential, digest);
                }
                lastDetail = detail(result.output(), credential);
                lastFailure = classify(lastDetail);
                log.debug("Resolving {} at {} failed: {}", reference, endpoint, lastDetail);
                if (lastFailure != Failure.UNAUTHORIZED) {
                    break; // other credentials won't help: on to the next endpoint
                }
            }
        }
        String prefix = "failed to pull and unpack image \"" + reference + "\": ";
        String resolve = "failed to resolve reference \"" + reference + "\": ";
        throw switch (lastFailure) {
            case NOT_FOUND -> new ImagePullException(prefix + resolve + reference + ": not found", true, null);
            case UNAUTHORIZED -> new ImagePullException(prefix + resolve + "pull access denied, repository does not "
                    + "exist or may require authorization: " + lastDetail, false, null);
            case OTHER -> new ImagePullException(prefix + lastDetail, false, null);
        };
    }

    /**
     * Copies the resolved image, pinned to its digest, into {@code work}/image (a skopeo dir: layout: manifest.json
     * and blobs named by their hex digests) and returns that directory.
     */
    Path fetch(ImageReference reference, Resolved resolved, Path work) throws ImagePullException, IOException {
        Path destination = work.resolve("image");
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--retry-times", "1"));
        command.addAll(access("src-", resolved.endpoint(), resolved.credential(), work));
        command.add("docker://" + resolved.endpoint().host() + "/" + reference.repository() + "@"
                + resolved.manifestDigest());
        command.add("dir:" + destination);
        Commands.Result result = Commands.run(command, timeout.toSeconds());
        if (!result.ok()) {
            throw new ImagePullException("failed to pull and unpack image \"" + reference + "\": "
                    + detail(result.output(), resolved.credential()), false, null);
        }
        return destination;
    }

    /** Matching pull secrets in their order, the endpoint's configured credential, then anonymous (null). */
    static List<ImageService.RegistryCredential> credentialsFor(RegistriesConfig.Endpoint endpoint,
            String registry, List<ImageService.RegistryCredential> secrets) {
        List<ImageService.RegistryCredential> candidates = new ArrayList<>();
        for (ImageService.RegistryCredential secret : secrets) {
            if (matches(secret.registry(), endpoint.host()) || matches(secret.registry(), registry)) {
                if (!candidates.contains(secret)) {
                    candidates.add(secret);
                }
            }
        }
        if (endpoint.credential() != null && !candidates.contains(endpoint.credential())) {
            candidates.add(endpoint.credential());
        }
        candidates.add(null);
        return candidates;
    }

    /**
     * Whether a docker config key ({@code https://index.docker.io/v1/}, {@code host:5000}, {@code *.example.com})
     * names a registry host.
     */
    static boolean matches(String configKey, String host) {
        String key = RegistriesConfig.hostOf(configKey.replace("*", "wildcard-label"))
                .replace("wildcard-label", "*").toLowerCase(Locale.ROOT);
        if (key.equals("index.docker.io") || key.equals("registry-1.docker.io")) {
            key = ImageReference.DOCKER_HUB;
        }
        String target = host.toLowerCase(Locale.ROOT);
        if (key.equals(target)) {
            return true;
        }
        String[] keyParts = key.split("\\.");
        String[] hostParts = target.split("\\.");
        if (!key.contains("*") || keyParts.length != hostParts.length) {
            return false;
        }
        for (int i = 0; i < keyParts.length; i++) {
            String regex = Pattern.quote(keyParts[i]).replace("*", "\\E[^.]*\\Q");
            if (!hostParts[i].matches(regex)) {
                return false;
            }
        }
        return true;
    }

    /** TLS and credential flags; {@code prefix} is "src-" for copy and "" for inspect. */
    private static List<String> access(String prefix, RegistriesConfig.Endpoint endpoint,
            ImageService.RegistryCredential credential, Path work) throws IOException {
        List<String> flags = new ArrayList<>();
        if (endpoint.insecure()) {
            flags.add("--" + prefix + "tls-verify=false");
        }
        if (credential == null) {
            flags.add("--" + prefix + "no-creds");
        } else {
            flags.add("--" + prefix + "authfile");
            flags.add(authFile(work, endpoint.host(), credential).toString());
        }
        return flags;
    }

    private static Path authFile(Path work, String host, ImageService.RegistryCredential credential)
            throws IOException {
        Path file = work.resolve("auth.json");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String auth = Base64.getEncoder().encodeToString((credential.username() + ":" + credential.password())
                .getBytes(StandardCharsets.UTF_8));
        String json = ImageStore.JSON.writeValueAsString(
                java.util.Map.of("auths", java.util.Map.of(host, java.util.Map.of("auth", auth))));
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** skopeo's own message (it logs {@code level=fatal msg="…"}), with no trace of a password. */
    static String detail(String output, ImageService.RegistryCredential credential) {
        Matcher matcher = SKOPEO_MESSAGE.matcher(output);
        String message = output.strip();
        while (matcher.find()) {
            message = matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (credential != null && credential.password() != null && !credential.password().isEmpty()) {
            message = message.replace(credential.password(), "********");
        }
        return message.isEmpty() ? "skopeo failed without a message" : message;
    }

    static Failure classify(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied")
                || lower.contains("401") || lower.contains("403")) {
            return Failure.UNAUTHORIZED;
        }
        if (lower.contains("manifest unknown") || lower.contains("name unknown") || lower.contains("not found")
                || lower.contains("404")) {
            return Failure.NOT_FOUND;
        }
        return Failure.OTHER;
    }
}
