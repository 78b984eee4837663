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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Sandboxes and containers as JSON files, one directory each, written atomically (a crash leaves the old file).
 * The records are read from disk once and kept in memory after that: this store is their only writer, and the
 * kubelet lists them every second and twice per pod sync. A record whose file went away (removed with its
 * directory) is dropped when next looked at.
 */
final class StateStore {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String SANDBOX_FILE = "sandbox.json";
    private static final String CONTAINER_FILE = "container.json";

    private final Path sandboxes;
    private final Path containers;
    private final Map<String, SandboxRecord> sandboxRecords = new ConcurrentHashMap<>();
    private final Map<String, ContainerRecord> containerRecords = new ConcurrentHashMap<>();

    StateStore(Path stateDir) throws IOException {
        this.sandboxes = Files.createDirectories(stateDir.resolve("sandboxes"));
        this.containers = Files.createDirectories(stateDir.resolve("containers"));
        for (SandboxRecord sandbox : readAll(sandboxes, SANDBOX_FILE, SandboxRecord.class)) {
            sandboxRecords.put(sandbox.id(), sandbox);
        }
        for (ContainerRecord container : readAll(containers, CONTAINER_FILE, ContainerRecord.class)) {
            containerRecords.put(container.id(), container);
        }
    }

    Path sandboxDir(String id) {
        return sandboxes.resolve(id);
    }

    Path containerDir(String id) {
        return containers.resolve(id);
    }

    void save(SandboxRecord sandbox) throws IOException {
        write(sandbox.dir().resolve(SANDBOX_FILE), sandbox);
        sandboxRecords.put(sandbox.id(), sandbox);
    }

    void save(ContainerRecord container) throws IOException {
        write(container.dir().resolve(CONTAINER_FILE), container);
        containerRecords.put(container.id(), container);
    }

    SandboxRecord sandbox(String id) throws IOException {
        SandboxRecord sandbox = findSandbox(id);
        if (sandbox == null) {
            throw new IOException("pod sandbox " + id + " not found");
        }
        return sandbox;
    }

    ContainerRecord container(String id) throws IOException {
        ContainerRecord container = findContainer(id);
        if (container == null) {
            throw new IOException("container " + id + " not found");
        }
        return container;
    }

    /** The sandbox's record, or null when there is none. */
    SandboxRecord findSandbox(String id) {
        return present(sandboxRecords, id, sandboxDir(id).resolve(SANDBOX_FILE));
    }

    /** The container's record, or null when there is none. */
    ContainerRecord findContainer(String id) {
        return present(containerRecords, id, containerDir(id).resolve(CONTAINER_FILE));
    }

    List<SandboxRecord> sandboxes() {
        return sandboxes(sandbox -> true);
    }

    /** The sandboxes {@code filter} accepts; only those are checked on disk (a pod's sync lists its own). */
    List<SandboxRecord> sandboxes(Predicate<SandboxRecord> filter) {
        return sandboxRecords.values().stream().filter(filter).map(sandbox -> findSandbox(sandbox.id()))
                .filter(Objects::nonNull).toList();
    }

    List<ContainerRecord> containers() {
        return containers(container -> true);
    }

    /** The containers {@code filter} accepts; only those are checked on disk. */
    List<ContainerRecord> containers(Predicate<ContainerRecord> filter) {
        return containerRecords.values().stream().filter(filter).map(container -> findContainer(container.id()))
                .filter(Objects::nonNull).toList();
    }

    private static <T> T present(Map<String, T> records, String id, Path file) {
        T record = records.get(id);
        if (record != null && !Files.exists(file)) {
            records.remove(id, record);
            return null;
        }
        return record;
    }

    private static <T> List<T> readAll(Path dir, String name, Class<T> type) throws IOException {
        List<T> result = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path file : children.map(child -> child.resolve(name)).filter(Files::exists).toList()) {
                try {
                    result.add(JSON.readValue(file.toFile(), type));
                } catch (JacksonException e) {
                    throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return result;
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
