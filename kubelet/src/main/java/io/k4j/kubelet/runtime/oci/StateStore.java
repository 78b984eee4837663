package io.k4j.kubelet.runtime.oci;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Sandboxes and containers as JSON files, one directory each, written atomically (a crash leaves the old file). */
final class StateStore {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path sandboxes;
    private final Path containers;

    StateStore(Path stateDir) throws IOException {
        this.sandboxes = Files.createDirectories(stateDir.resolve("sandboxes"));
        this.containers = Files.createDirectories(stateDir.resolve("containers"));
    }

    Path sandboxDir(String id) {
        return sandboxes.resolve(id);
    }

    Path containerDir(String id) {
        return containers.resolve(id);
    }

    void save(SandboxRecord sandbox) throws IOException {
        write(sandbox.dir().resolve("sandbox.json"), sandbox);
    }

    void save(ContainerRecord container) throws IOException {
        write(container.dir().resolve("container.json"), container);
    }

    SandboxRecord sandbox(String id) throws IOException {
        Path file = sandboxDir(id).resolve("sandbox.json");
        if (!Files.exists(file)) {
            throw new IOException("pod sandbox " + id + " not found");
        }
        return JSON.readValue(file.toFile(), SandboxRecord.class);
    }

    ContainerRecord container(String id) throws IOException {
        Path file = containerDir(id).resolve("container.json");
        if (!Files.exists(file)) {
            throw new IOException("container " + id + " not found");
        }
        return JSON.readValue(file.toFile(), ContainerRecord.class);
    }

    List<SandboxRecord> sandboxes() throws IOException {
        List<SandboxRecord> result = new ArrayList<>();
        for (Path file : files(sandboxes, "sandbox.json")) {
            readIfPresent(file, SandboxRecord.class, result);
        }
        return result;
    }

    List<ContainerRecord> containers() throws IOException {
        List<ContainerRecord> result = new ArrayList<>();
        for (Path file : files(containers, "container.json")) {
            readIfPresent(file, ContainerRecord.class, result);
        }
        return result;
    }

    private static List<Path> files(Path dir, String name) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(child -> child.resolve(name)).filter(Files::exists).toList();
        }
    }

    /** Reads a record unless it was removed meanwhile (a concurrent remove). */
    private static <T> void readIfPresent(Path file, Class<T> type, List<T> into) throws IOException {
        try {
            into.add(JSON.readValue(file.toFile(), type));
        } catch (JacksonException e) {
            if (Files.exists(file)) {
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    static void writeJson(Path file, Object value) throws IOException {
        write(file, value);
    }

    private static void write(Path file, Object value) throws IOException {
        // a temp file of its own: kubelet workers may save the same record at once
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        JSON.writeValue(temp.toFile(), value);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
