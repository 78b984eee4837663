package io.k4j.controllers.localpath;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic provisioner like k3s's local-path-provisioner: it keeps a default StorageClass {@code local-path}
 * (provisioner {@code rancher.io/local-path}, WaitForFirstConsumer), and for each claim of that class makes a
 * hostPath PersistentVolume at {@code BASE/pvc-<uid>_<namespace>_<name>} (DirectoryOrCreate, so the kubelet creates
 * the directory), pinned to the node of the first pod that uses the claim, and binds the two both ways (k4j has no
 * separate binder controller). When a claim is deleted its volume is deleted too (reclaimPolicy Delete), with its
 * directory if that is on this machine; with Retain the volume becomes Released.
 *
 * <p>With WaitForFirstConsumer the node is the claim's {@code volume.kubernetes.io/selected-node} annotation, or
 * else the spec.nodeName of a pod using the claim: k4j's scheduler places pods without looking at claims.
 */
public final class LocalPathProvisioner implements Reconciler {

    public static final String NAME = "local-path-provisioner";
    public static final String PROVISIONER = "rancher.io/local-path";
    public static final String STORAGE_CLASS = "local-path";
    public static final Path DEFAULT_BASE = Path.of("/var/lib/k4j/storage");

    static final String IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    static final String STORAGE_PROVISIONER_BETA = "volume.beta.kubernetes.io/storage-provisioner";
    static final String BY_CLAIM = "claim";
    private static final ObjectKey CLASS_KEY = ObjectKey.cluster("storageclass/" + STORAGE_CLASS);
    private static final Logger LOG = LoggerFactory.getLogger(LocalPathProvisioner.class);

    private final Path base;

    public LocalPathProvisioner(Path base) {
        this.base = base;
    }

    public LocalPathProvisioner() {
        this(DEFAULT_BASE);
    }

    @Override
    public void watch(Watches watches) {
        watches.atStart(CLASS_KEY)
                .primary(PersistentVolumeClaim.class)
                .mapped(PersistentVolume.class, pv -> claimKey(pv).stream().toList())
                .index(PersistentVolume.class, BY_CLAIM, pv -> claimKey(pv).map(ObjectKey::cacheKey).stream().toList())
                .mapped(Pod.class, LocalPathProvisioner::scheduledClaims)
                .index(Pod.class, BY_CLAIM, pod -> scheduledClaims(pod).stream().map(ObjectKey::cacheKey).toList())
                .cached(StorageClass.class);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) throws Exception {
        if (key.equals(CLASS_KEY)) {
            ensureStorageClass(context);
            return Result.done();
        }
        Optional<PersistentVolumeClaim> found = context.cache(PersistentVolumeClaim.class).get(key);
        releaseVolumes(key, found.map(claim -> claim.getMetadata().getUid()).orElse(null), context);
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        PersistentVolumeClaim claim = found.get();
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName != null && !volumeName.isEmpty()) {
            context.cache(PersistentVolume.class).get(ObjectKey.cluster(volumeName))
                    .ifPresent(pv -> bind(claim, pv, context));
            return Result.done();
        }
        Optional<StorageClass> storageClass = storageClass(claim, context);
        if (storageClass.isEmpty()) {
            return Result.done();
        }
        String node = selectedNode(claim, context);
        if (node == null && "WaitForFirstConsumer".equals(storageClass.get().getVolumeBindingMode())) {
            return Result.done(); // waits for a pod using it to be scheduled (pod events queue the claim)
        }
        if (requestedStorage(claim) == null) {
            context.events().warning(claim, "ProvisioningFailed", "the claim requests no storage size");
            return Result.done();
        }
        PersistentVolume pv = context.cache(PersistentVolume.class).get(ObjectKey.cluster(volumeName(claim)))
                .orElseGet(() -> createVolume(claim, storageClass.get(), node, context));
        bind(claim, pv, context);
        return Result.done();
    }

    private void ensureStorageClass(Context context) {
        if (context.cache(StorageClass.class).get(ObjectKey.cluster(STORAGE_CLASS)).isPresent()) {
            return;
        }
        StorageClass storageClass = new StorageClassBuilder().withNewMetadata().withName(STORAGE_CLASS)
                .addToAnnotations(IS_DEFAULT_CLASS, "true").endMetadata()
                .withProvisioner(PROVISIONER).withVolumeBindingMode("WaitForFirstConsumer")
                .withReclaimPolicy("Delete").build();
        try {
            context.client().storage().v1().storageClasses().resource(storageClass).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** The claim's class when this provisioner serves it. */
    private static Optional<StorageClass> storageClass(PersistentVolumeClaim claim, Context context) {
        String name = claim.getSpec().getStorageClassName();
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        return context.cache(StorageClass.class).get(ObjectKey.cluster(name))
                .filter(storageClass -> PROVISIONER.equals(storageClass.getProvisioner()));
    }

    private static String selectedNode(PersistentVolumeClaim claim, Context context) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(SELECTED_NODE) != null && !annotations.get(SELECTED_NODE).isEmpty()) {
            return annotations.get(SELECTED_NODE);
        }
        return context.cache(Pod.class).indexed(BY_CLAIM, ObjectKey.of(claim).cacheKey()).stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .min(Comparator.comparing(pod -> pod.getMetadata().getCreationTimestamp()))
                .map(pod -> pod.getSpec().getNodeName()).orElse(null);
    }

    private static io.fabric8.kubernetes.api.model.Quantity requestedStorage(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        return resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
    }

    static String volumeName(PersistentVolumeClaim claim) {
        return "pvc-" + claim.getMetadata().getUid();
    }

    /** k3s's directory name: pvc-UID_NAMESPACE_NAME. */
    Path directory(PersistentVolumeClaim claim) {
        return base.resolve(volumeName(claim) + "_" + claim.getMetadata().getNamespace() + "_"
                + claim.getMetadata().getName());
    }

    private PersistentVolume createVolume(PersistentVolumeClaim claim, StorageClass storageClass, String node,
            Context context) {
        var builder = new PersistentVolumeBuilder().withNewMetadata().withName(volumeName(claim))
                .addToAnnotations(PROVISIONED_BY, PROVISIONER).endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", requestedStorage(claim)))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withPersistentVolumeReclaimPolicy(Objects.requireNonNullElse(storageClass.getReclaimPolicy(), "Delete"))
                .withStorageClassName(storageClass.getMetadata().getName())
                .withVolumeMode(Objects.requireNonNullElse(claim.getSpec().getVolumeMode(), "Filesystem"))
                .withNewHostPath().withPath(directory(claim).toString()).withType("DirectoryOrCreate").endHostPath()
                .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid()).build())
                .endSpec();
        if (node != null) {
            builder.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm()
                    .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname")
                            .withOperator("In").withValues(node).build())
                    .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec();
        }
        try {
            PersistentVolume created = context.client().persistentVolumes().resource(builder.build()).create();
            context.events().normal(claim, "ProvisioningSucceeded", "Successfully provisioned volume "
                    + created.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return context.client().persistentVolumes().withName(volumeName(claim)).get();
            }
            throw e;
        }
    }

    /** Completes the binding both ways: the volume's claimRef and Bound phase, the claim's volumeName and phase. */
    private static void bind(PersistentVolumeClaim claim, PersistentVolume pv, Context context) {
        var ref = pv.getSpec().getClaimRef();
        String uid = claim.getMetadata().getUid();
        if (ref != null && ref.getUid() != null && !ref.getUid().equals(uid)) {
            return; // bound to another claim (or an earlier one of this name)
        }
        if (ref == null || ref.getUid() == null) {
            pv = context.client().persistentVolumes().resource(new PersistentVolumeBuilder(pv).editSpec()
                    .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                            .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                            .withUid(uid).build()).endSpec().build()).update();
        }
        if (pv.getStatus() == null || !"Bound".equals(pv.getStatus().getPhase())) {
            context.client().persistentVolumes().resource(new PersistentVolumeBuilder(pv).editOrNewStatus()
                    .withPhase("Bound").endStatus().build()).updateStatus();
        }
        Map<String, String> annotations = claim.getMetadata().getAnnotations() == null ? Map.of()
                : claim.getMetadata().getAnnotations();
        String volumeName = pv.getMetadata().getName();
        boolean ours = PROVISIONER.equals(pv.getMetadata().getAnnotations() == null ? null
                : pv.getMetadata().getAnnotations().get(PROVISIONED_BY));
        if (!volumeName.equals(claim.getSpec().getVolumeName()) || !"yes".equals(annotations.get(BIND_COMPLETED))) {
            var builder = new PersistentVolumeClaimBuilder(claim).editMetadata().addToAnnotations(BIND_COMPLETED, "yes")
                    .endMetadata().editSpec().withVolumeName(volumeName).endSpec();
            if (!volumeName.equals(claim.getSpec().getVolumeName())) {
                builder.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            if (ours) {
                builder.editMetadata().addToAnnotations(STORAGE_PROVISIONER, PROVISIONER)
                        .addToAnnotations(STORAGE_PROVISIONER_BETA, PROVISIONER).endMetadata();
            }
            claim = context.client().persistentVolumeClaims().resource(builder.build()).update();
        }
        if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
            context.client().persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder(claim).editOrNewStatus()
                    .withPhase("Bound").withAccessModes(pv.getSpec().getAccessModes())
                    .withCapacity(pv.getSpec().getCapacity()).endStatus().build()).updateStatus();
        }
    }

    /**
     * Volumes whose claim (by namespace and name) is gone or was replaced by a new claim of that name: deleted with
     * their directory under reclaimPolicy Delete when this provisioner made them, otherwise Released.
     */
    private void releaseVolumes(ObjectKey key, String currentUid, Context context) {
        for (PersistentVolume pv : context.cache(PersistentVolume.class).indexed(BY_CLAIM, key.cacheKey())) {
            String boundUid = pv.getSpec().getClaimRef().getUid();
            if (boundUid == null || boundUid.equals(currentUid) || pv.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            boolean ours = PROVISIONER.equals(pv.getMetadata().getAnnotations() == null ? null
                    : pv.getMetadata().getAnnotations().get(PROVISIONED_BY));
            if (ours && "Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
                removeDirectory(pv);
                context.client().persistentVolumes().withName(pv.getMetadata().getName()).delete();
            } else if (pv.getStatus() == null || !"Released".equals(pv.getStatus().getPhase())) {
                context.client().persistentVolumes().resource(new PersistentVolumeBuilder(pv).editOrNewStatus()
                        .withPhase("Released").endStatus().build()).updateStatus();
            }
        }
    }

    /**
     * Removes a deleted volume's directory when it is on this machine (the all-in-one server). Only a directory
     * directly under the base whose name this provisioner makes is touched; on other nodes the data stays.
     */
    private void removeDirectory(PersistentVolume pv) {
        if (pv.getSpec().getHostPath() == null) {
            return;
        }
        Path dir = Path.of(pv.getSpec().getHostPath().getPath()).normalize();
        if (!base.equals(dir.getParent()) || !dir.getFileName().toString().startsWith(pv.getMetadata().getName() + "_")
                || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the directory {} of deleted volume {}: {}", dir, pv.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static Optional<ObjectKey> claimKey(PersistentVolume pv) {
        var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
        return ref == null || ref.getName() == null ? Optional.empty()
                : Optional.of(new ObjectKey(ref.getNamespace(), ref.getName()));
    }

    /** The claims a scheduled pod uses: they can be provisioned on its node now. */
    private static List<ObjectKey> scheduledClaims(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        return pod.getSpec().getVolumes().stream().map(Volume::getPersistentVolumeClaim).filter(Objects::nonNull)
                .map(source -> new ObjectKey(pod.getMetadata().getNamespace(), source.getClaimName())).toList();
    }
}
