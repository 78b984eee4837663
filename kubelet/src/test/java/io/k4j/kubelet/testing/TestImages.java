package io.k4j.kubelet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small busybox-based OCI images for tests, built with umoci from busybox-static: a base layer with /bin/busybox and
 * its applet links, then (when asked) one layer of added files and a layer per whiteout. Every image shares the
 * same base layer. Built images are cached for the JVM; {@link Builder#build(Path)} hands out a private copy.
 *
 * <pre>{@code
 * TestImages.assumeAvailable();
 * OciImage image = TestImages.busybox().cmd("sh", "-c", "echo hi").file("/etc/motd", "hello\n").build(tempDir);
 * }</pre>
 */
public final class TestImages {
    /** The tag every built layout names its one image with. */
    public static final String TAG = "latest";
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Map<Spec, Path> CACHE = new ConcurrentHashMap<>();
    private static volatile Path cacheDir;

    private TestImages() {
    }

    /** An OCI image layout directory holding one image under {@code tag}. */
    public record OciImage(Path layout, String tag) {
        /** The image as skopeo names it: {@code oci:DIR:TAG}. */
        public String skopeoReference() {
            return "oci:" + layout + ":" + tag;
        }
    }

    /**
     * Writes an image as a docker-archive tar (what {@code docker save} makes) named {@code repoTag}, e.g. for
     * {@code k4j images import} or {@code ImageService.importArchive}; needs skopeo.
     */
    public static Path dockerArchive(OciImage image, Path file, String repoTag) {
        Tools.assumeRootWith("skopeo");
        Tools.run(List.of("skopeo", "copy", "--quiet", image.skopeoReference(),
                "docker-archive:" + file + ":" + repoTag));
        return file;
    }

    /** Skips the calling test unless root, umoci and busybox-static are there. */
    public static void assumeAvailable() {
        Tools.assumeRootWith("umoci");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")),
                "needs /bin/busybox (apt-get install busybox-static)");
    }

    /** Plain busybox: Cmd ["sh"], PATH set. */
    public static OciImage busybox(Path workDir) {
        return busybox().build(workDir);
    }

    public static Builder busybox() {
        return new Builder();
    }

    /** What to put on top of the busybox base. */
    public static final class Builder {
        private List<String> entrypoint;
        private List<String> cmd = List.of("sh");
        private final List<String> env = new ArrayList<>(List.of(DEFAULT_PATH));
        private String user;
        private String workingDir;
        private String stopSignal;
        private final List<FileEntry> files = new ArrayList<>();
        private final List<String> whiteouts = new ArrayList<>();

        public Builder entrypoint(String... entrypoint) {
            this.entrypoint = List.of(entrypoint);
            return this;
        }

        public Builder cmd(String... cmd) {
            this.cmd = List.of(cmd);
            return this;
        }

        /** Adds NAME=VALUE to the image's Env (after PATH). */
        public Builder env(String nameEqualsValue) {
            env.add(nameEqualsValue);
            return this;
        }

        /** The image's User, e.g. {@code 1000} or {@code 1000:1000}. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder workingDir(String workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        public Builder stopSignal(String stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        /** A regular file (mode 0644) at an absolute path in the image; parent directories are made. */
        public Builder file(String path, String content) {
            return file(path, content, "rw-r--r--");
        }

        /** An executable file (mode 0755), e.g. a shell script with {@code #!/bin/sh}. */
        public Builder executable(String path, String content) {
            return file(path, content, "rwxr-xr-x");
        }

        private Builder file(String path, String content, String permissions) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("image paths are absolute: " + path);
            }
            files.add(new FileEntry(path, content, permissions));
            return this;
        }

        /** A layer that deletes a path of the layers below (an OCI whiteout). */
        public Builder whiteout(String path) {
            whiteouts.add(path);
            return this;
        }

        /** A private copy of the image (cached per JVM) in a new directory under workDir. */
        public OciImage build(Path workDir) {
            TestImages.assumeAvailable();
            Spec spec = new Spec(entrypoint, cmd, List.copyOf(env), user, workingDir, stopSignal, List.copyOf(files),
                    List.copyOf(whiteouts));
            Path cached = CACHE.computeIfAbsent(spec, TestImages::buildCached);
            try {
                Files.createDirectories(workDir);
                Path copy = Files.createTempDirectory(workDir, "oci-");
                Tools.copyRecursively(cached, copy);
                return new OciImage(copy, TAG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record FileEntry(String path, String content, String permissions) {
    }

    private record Spec(List<String> entrypoint, List<String> cmd, List<String> env, String user, String workingDir,
            String stopSignal, List<FileEntry> files, List<String> whiteouts) {
    }

    private static synchronized Path cacheDir() throws IOException {
        if (cacheDir == null) {
            Path dir = Files.createTempDirectory("k4j-test-images-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Tools.deleteRecursively(dir)));
            cacheDir = dir;
        }
        return cacheDir;
    }

    private static Path buildCached(Spec spec) {
        try {
            Path base = CACHE.computeIfAbsent(new Spec(null, null, List.of(), null, null, null, List.of(), List.of()),
                    ignored -> buildBase());
            Path layout = Files.createTempDirectory(cacheDir(), "image-");
            Tools.copyRecursively(base, layout);
            String image = layout + ":" + TAG;
            if (!spec.files().isEmpty()) {
                Path files = Files.createTempDirectory(cacheDir(), "files-");
                for (FileEntry file : spec.files()) {
                    Path target = files.resolve(file.path().substring(1));
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, file.content(), StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(file.permissions()));
                }
                Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
                Tools.run(List.of("umoci", "insert", "--image", image, files.toString(), "/"));
                Tools.deleteRecursively(files);
            }
            for (String whiteout : spec.whiteouts()) {
                Tools.run(List.of("umoci", "insert", "--image", image, "--whiteout", whiteout));
            }
            Tools.run(configCommand(image, spec));
            Tools.run(List.of("umoci", "gc", "--layout", layout.toString()));
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> configCommand(String image, Spec spec) {
        List<String> command = new ArrayList<>(List.of("umoci", "config", "--image", image,
                "--clear=config.env", "--clear=config.cmd", "--clear=config.entrypoint"));
        spec.env().forEach(env -> command.add("--config.env=" + env));
        if (spec.entrypoint() != null) {
            spec.entrypoint().forEach(arg -> command.add("--config.entrypoint=" + arg));
        }
        spec.cmd().forEach(arg -> command.add("--config.cmd=" + arg));
        if (spec.user() != null) {
            command.add("--config.user=" + spec.user());
        }
        if (spec.workingDir() != null) {
            command.add("--config.workingdir=" + spec.workingDir());
        }
        if (spec.stopSignal() != null) {
            command.add("--config.stopsignal=" + spec.stopSignal());
        }
        return command;
    }

    /** One layer: /bin/busybox and a symlink to it for each applet. */
    private static Path buildBase() {
        try {
            return io.k4j.kubelet.image.BusyboxImage.writeOciLayout(Files.createTempDirectory(cacheDir(), "base-"), TAG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
