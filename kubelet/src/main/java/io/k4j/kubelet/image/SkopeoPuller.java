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
 * Fetches an image from a registry with {@code skopeo copy docker://… dir:…}, trying the registry's mirrors, then
 * the registry itself; at each, the matching pull-secret credentials in order, then the configured ones, then
 * none. Credentials reach skopeo in a private auth file, never on its command line.
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

    /** Pulls into {@code work}/image (a skopeo dir: layout) and returns that directory. */
    Path pull(ImageReference reference, List<ImageService.RegistryCredential> secrets, Path work)
            throws ImagePullException, IOException {
        if (!Commands.installed("skopeo")) {
            throw new ImagePullException("failed to pull image \"" + reference + "\": skopeo is not installed",
                    false, null);
        }
        Failure lastFailure = Failure.OTHER;
        String lastDetail = "no registry endpoint to try";
        int attempt = 0;
        for (RegistriesConfig.Endpoint endpoint : registries.endpoints(reference.registry())) {
            for (ImageService.RegistryCredential credential : credentialsFor(endpoint, reference.registry(), secrets)) {
                Path destination = work.resolve("attempt-" + attempt++);
                Commands.Result result = Commands.run(command(reference, endpoint, credential, work, destination),
                        timeout.toSeconds());
                if (result.ok()) {
                    log.debug("Pulled {} from {}", reference, endpoint);
                    return destination;
                }
                lastDetail = detail(result.output(), credential);
                lastFailure = classify(lastDetail);
                log.debug("Pull of {} from {} failed: {}", reference, endpoint, lastDetail);
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

    private List<String> command(ImageReference reference, RegistriesConfig.Endpoint endpoint,
            ImageService.RegistryCredential credential, Path work, Path destination) throws IOException {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--retry-times", "1"));
        if (endpoint.insecure()) {
            command.add("--src-tls-verify=false");
        }
        if (credential == null) {
            command.add("--src-no-creds");
        } else {
            command.add("--src-authfile");
            command.add(authFile(work, endpoint.host(), credential).toString());
        }
        command.add("docker://" + reference.at(endpoint.host()));
        command.add("dir:" + destination);
        return command;
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
