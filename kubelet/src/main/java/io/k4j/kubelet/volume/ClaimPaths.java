package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.kubelet.container.ApiObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A persistentVolumeClaim volume's node path: its bound PersistentVolume's hostPath or local path. */
final class ClaimPaths {

    private ClaimPaths() {
    }

    static Path resolve(ApiObjects objects, String namespace, String claimName, String volume)
            throws VolumeException, IOException {
        try {
            PersistentVolumeClaim claim = objects.persistentVolumeClaim(namespace, claimName).orElseThrow(() ->
                    new VolumeException(volume, "persistentvolumeclaim \"" + claimName + "\" not found"));
            String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
            if (volumeName == null || volumeName.isEmpty() || !"Bound".equals(phase)) {
                throw new VolumeException(volume, "persistentvolumeclaim " + claimName + " is not bound");
            }
            PersistentVolume pv = objects.persistentVolume(volumeName).orElseThrow(() ->
                    new VolumeException(volume, "persistentvolume \"" + volumeName + "\" not found"));
            var spec = pv.getSpec();
            if (spec.getHostPath() != null) {
                Path path = Path.of(spec.getHostPath().getPath());
                HostPathTypes.check(path, spec.getHostPath().getType());
                return path;
            }
            if (spec.getLocal() != null) {
                Path path = Path.of(spec.getLocal().getPath());
                if (!Files.exists(path)) {
                    throw new VolumeException(volume, "path \"" + path + "\" does not exist");
                }
                return path;
            }
            throw new VolumeException(volume, "persistentvolume " + volumeName
                    + " is neither hostPath nor local: k4j cannot mount it");
        } catch (KubernetesClientException e) {
            throw new VolumeException(volume, e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : String.valueOf(e.getMessage()), e);
        }
    }
}
