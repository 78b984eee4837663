package io.k4j.kubelet.volume;

/**
 * A volume that cannot be set up (or torn down). The message is upstream's error (such as
 * {@code configmap "x" not found}); {@link #failedMountMessage} is the FailedMount event's text.
 */
public class VolumeException extends Exception {

    public static final String FAILED_MOUNT = "FailedMount";

    private final String volume;

    public VolumeException(String volume, String message) {
        super(message);
        this.volume = volume;
    }

    public VolumeException(String volume, String message, Throwable cause) {
        super(message, cause);
        this.volume = volume;
    }

    /** The pod volume's name, or null when the error is not about one volume. */
    public String volume() {
        return volume;
    }

    /** Upstream's FailedMount event message: {@code MountVolume.SetUp failed for volume "v" : MESSAGE}. */
    public String failedMountMessage() {
        return volume == null ? getMessage()
                : "MountVolume.SetUp failed for volume \"" + volume + "\" : " + getMessage();
    }
}
