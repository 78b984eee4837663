package io.k4j.kubelet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A container registry (distribution v2, Debian's {@code docker-registry}) on 127.0.0.1 for tests, as a child
 * process with its storage in a directory of its own; optionally inside a network namespace (so a node running in
 * that namespace reaches it on its own loopback) and optionally behind basic auth. {@link #close()} stops it by its
 * PID and deletes its directory.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.builder().start()) {
 *     String ref = registry.push(TestImages.busybox(tempDir), "library/busybox:1.36").reference();
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final boolean ownsDir;
    private final String netns;
    private final int port;
    private final String username;
    private final String password;
    private final Process process;

    /** What {@link #push} pushed: {@code 127.0.0.1:PORT/NAME:TAG} and the manifest digest. */
    public record PushedImage(String reference, String repository, String digest) {
        /** {@code 127.0.0.1:PORT/NAME@sha256:...}. */
        public String byDigest() {
            return repository + "@" + digest;
        }
    }

    /** Skips the calling test unless root, docker-registry and skopeo are there. */
    public static void assumeAvailable() {
        Tools.assumeRootWith("docker-registry", "skopeo");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to run the registry. */
    public static final class Builder {
        private Path workDir;
        private String netns;
        private String username;
        private String password;

        private Builder() {
        }

        /** Where to make the registry's directory (default: a new temp dir); it is deleted on close. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** Runs the registry (and pushes) in /run/netns/NAME, a namespace the caller created with loopback up. */
        public Builder networkNamespace(String name) {
            this.netns = name;
            return this;
        }

        /** Requires this user and password (htpasswd with bcrypt) for every request. */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public LocalRegistry start() {
            assumeAvailable();
            try {
                return new LocalRegistry(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private LocalRegistry(Builder builder) throws IOException {
        this.ownsDir = builder.workDir == null;
        this.dir = ownsDir ? Files.createTempDirectory("k4j-test-registry-")
                : Files.createTempDirectory(Files.createDirectories(builder.workDir), "registry-");
        this.netns = builder.netns;
        this.username = builder.username;
        this.password = builder.password;
        this.port = freePort();
        Path config = writeConfig();
        Path log = dir.resolve("registry.log");
        List<String> command = inNetns(List.of("docker-registry", "serve", config.toString()));
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            awaitListening(log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The PID of the registry process (tests may stop it to simulate an unreachable registry). */
    public long pid() {
        return process.pid();
    }

    /** Pushes an OCI layout's image as {@code nameAndTag} (e.g. {@code library/busybox:1.36}) with skopeo. */
    public PushedImage push(TestImages.OciImage image, String nameAndTag) {
        return push(image.skopeoReference(), nameAndTag);
    }

    /** Pushes any image skopeo can read ({@code oci:DIR:TAG}, {@code docker-archive:FILE}, ...). */
    public PushedImage push(String skopeoSource, String nameAndTag) {
        int colon = nameAndTag.lastIndexOf(':');
        if (colon < 0 || nameAndTag.indexOf('/', colon) >= 0) {
            throw new IllegalArgumentException("expected NAME:TAG, got " + nameAndTag);
        }
        try {
            Path digestFile = Files.createTempFile(dir, "digest-", "");
            List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                    "--digestfile", digestFile.toString()));
            if (username != null) {
                command.add("--dest-creds=" + username + ":" + password);
            }
            command.add(skopeoSource);
            command.add("docker://" + host() + "/" + nameAndTag);
            Tools.run(inNetns(command));
            String digest = Files.readString(digestFile).strip();
            Files.delete(digestFile);
            return new PushedImage(host() + "/" + nameAndTag, host() + "/" + nameAndTag.substring(0, colon), digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Tools.deleteRecursively(dir);
    }

    private List<String> inNetns(List<String> command) {
        if (netns == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
        wrapped.addAll(command);
        return wrapped;
    }

    private Path writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: info\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("storage")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: k4j-test-registry\n");
        if (username != null) {
            Path htpasswd = dir.resolve("htpasswd");
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
            Files.writeString(htpasswd, username + ":" + hash + "\n", StandardCharsets.UTF_8);
            yaml.append("auth:\n  htpasswd:\n    realm: k4j-test\n    path: ").append(htpasswd).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, yaml.toString(), StandardCharsets.UTF_8);
        return config;
    }

    /** The registry logs "listening on" once its socket is bound (connections queue from then on). */
    private void awaitListening(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (text.contains("listening on")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited " + process.exitValue() + ": " + text.strip());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the registry", e);
            }
        }
        throw new IllegalStateException("docker-registry did not listen within " + START_TIMEOUT + ": "
                + Files.readString(log, StandardCharsets.UTF_8).strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
