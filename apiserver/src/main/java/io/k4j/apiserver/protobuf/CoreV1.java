package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/**
 * The core ("v1") group, field numbers from k8s.io/api/core/v1/generated.proto. The pod spec covers what clients
 * commonly send (volumes of the usual kinds, containers with probes, lifecycle and security contexts, scheduling
 * fields); rarer volume plugins and status details are skipped like any unknown field.
 */
final class CoreV1 {

    // ---- references and selectors

    static final Schema LOCAL_OBJECT_REFERENCE = message().string(1, "name");

    static final Schema OBJECT_REFERENCE = message()
            .string(1, "kind").string(2, "namespace").string(3, "name").string(4, "uid").string(5, "apiVersion")
            .string(6, "resourceVersion").string(7, "fieldPath");

    static final Schema TYPED_LOCAL_OBJECT_REFERENCE = message()
            .string(1, "*apiGroup").string(2, "*kind").string(3, "*name");

    static final Schema TYPED_OBJECT_REFERENCE = message()
            .string(1, "*apiGroup").string(2, "*kind").string(3, "*name").string(4, "*namespace");

    static final Schema KEY_TO_PATH = message().string(1, "*key").string(2, "*path").int32(3, "*mode");

    static final Schema OBJECT_FIELD_SELECTOR = message().string(1, "apiVersion").string(2, "*fieldPath");

    static final Schema RESOURCE_FIELD_SELECTOR = message()
            .string(1, "containerName").string(2, "*resource").quantity(3, "divisor");

    static final Schema CONFIG_MAP_KEY_SELECTOR = message()
            .inline(1, LOCAL_OBJECT_REFERENCE).string(2, "*key").bool(3, "*optional");

    static final Schema SECRET_KEY_SELECTOR = message()
            .inline(1, LOCAL_OBJECT_REFERENCE).string(2, "*key").bool(3, "*optional");

    // ---- containers

    static final Schema ENV_VAR_SOURCE = message()
            .object(1, "fieldRef", OBJECT_FIELD_SELECTOR).object(2, "resourceFieldRef", RESOURCE_FIELD_SELECTOR)
            .object(3, "configMapKeyRef", CONFIG_MAP_KEY_SELECTOR).object(4, "secretKeyRef", SECRET_KEY_SELECTOR);

    static final Schema ENV_VAR = message()
            .string(1, "*name").string(2, "value").object(3, "valueFrom", ENV_VAR_SOURCE);

    static final Schema CONFIG_MAP_ENV_SOURCE = message().inline(1, LOCAL_OBJECT_REFERENCE).bool(2, "*optional");

    static final Schema SECRET_ENV_SOURCE = message().inline(1, LOCAL_OBJECT_REFERENCE).bool(2, "*optional");

    static final Schema ENV_FROM_SOURCE = message()
            .string(1, "prefix").object(2, "configMapRef", CONFIG_MAP_ENV_SOURCE)
            .object(3, "secretRef", SECRET_ENV_SOURCE);

    static final Schema CONTAINER_PORT = message()
            .string(1, "name").int32(2, "hostPort").int32(3, "*containerPort").string(4, "protocol")
            .string(5, "hostIP");

    static final Schema RESOURCE_CLAIM = message().string(1, "*name").string(2, "request");

    static final Schema RESOURCE_REQUIREMENTS = message()
            .quantityMap(1, "limits").quantityMap(2, "requests").objects(3, "claims", RESOURCE_CLAIM);

    static final Schema CONTAINER_RESIZE_POLICY = message()
            .string(1, "*resourceName").string(2, "*restartPolicy");

    static final Schema VOLUME_MOUNT = message()
            .string(1, "*name").bool(2, "readOnly").string(7, "*recursiveReadOnly").string(3, "*mountPath")
            .string(4, "subPath").string(5, "*mountPropagation").string(6, "subPathExpr");

    static final Schema VOLUME_DEVICE = message().string(1, "*name").string(2, "*devicePath");

    static final Schema EXEC_ACTION = message().strings(1, "command");

    static final Schema HTTP_HEADER = message().string(1, "*name").string(2, "*value");

    static final Schema HTTP_GET_ACTION = message()
            .string(1, "path").intOrString(2, "port").string(3, "host").string(4, "scheme")
            .objects(5, "httpHeaders", HTTP_HEADER);

    static final Schema TCP_SOCKET_ACTION = message().intOrString(1, "port").string(2, "host");

    static final Schema GRPC_ACTION = message().int32(1, "*port").string(2, "*service");

    static final Schema SLEEP_ACTION = message().int64(1, "*seconds");

    static final Schema PROBE_HANDLER = message()
            .object(1, "exec", EXEC_ACTION).object(2, "httpGet", HTTP_GET_ACTION)
            .object(3, "tcpSocket", TCP_SOCKET_ACTION).object(4, "grpc", GRPC_ACTION);

    static final Schema PROBE = message()
            .inline(1, PROBE_HANDLER).int32(2, "initialDelaySeconds").int32(3, "timeoutSeconds")
            .int32(4, "periodSeconds").int32(5, "successThreshold").int32(6, "failureThreshold")
            .int64(7, "*terminationGracePeriodSeconds");

    static final Schema LIFECYCLE_HANDLER = message()
            .object(1, "exec", EXEC_ACTION).object(2, "httpGet", HTTP_GET_ACTION)
            .object(3, "tcpSocket", TCP_SOCKET_ACTION).object(4, "sleep", SLEEP_ACTION);

    static final Schema LIFECYCLE = message()
            .object(1, "postStart", LIFECYCLE_HANDLER).object(2, "preStop", LIFECYCLE_HANDLER);

    static final Schema CAPABILITIES = message().strings(1, "add").strings(2, "drop");

    static final Schema SE_LINUX_OPTIONS = message()
            .string(1, "user").string(2, "role").string(3, "type").string(4, "level");

    static final Schema WINDOWS_SECURITY_CONTEXT_OPTIONS = message()
            .string(1, "*gmsaCredentialSpecName").string(2, "*gmsaCredentialSpec").string(3, "*runAsUserName")
            .bool(4, "*hostProcess");

    static final Schema SECCOMP_PROFILE = message().string(1, "*type").string(2, "*localhostProfile");

    static final Schema APP_ARMOR_PROFILE = message().string(1, "*type").string(2, "*localhostProfile");

    static final Schema SECURITY_CONTEXT = message()
            .object(1, "capabilities", CAPABILITIES).bool(2, "*privileged")
            .object(3, "seLinuxOptions", SE_LINUX_OPTIONS)
            .object(10, "windowsOptions", WINDOWS_SECURITY_CONTEXT_OPTIONS).int64(4, "*runAsUser")
            .int64(8, "*runAsGroup").bool(5, "*runAsNonRoot").bool(6, "*readOnlyRootFilesystem")
            .bool(7, "*allowPrivilegeEscalation").string(9, "*procMount").object(11, "seccompProfile", SECCOMP_PROFILE)
            .object(12, "appArmorProfile", APP_ARMOR_PROFILE);

    static final Schema CONTAINER = message()
            .string(1, "*name").string(2, "image").strings(3, "command").strings(4, "args").string(5, "workingDir")
            .objects(6, "ports", CONTAINER_PORT).objects(19, "envFrom", ENV_FROM_SOURCE).objects(7, "env", ENV_VAR)
            .object(8, "resources", RESOURCE_REQUIREMENTS).objects(23, "resizePolicy", CONTAINER_RESIZE_POLICY)
            .string(24, "*restartPolicy").objects(9, "volumeMounts", VOLUME_MOUNT)
            .objects(21, "volumeDevices", VOLUME_DEVICE).object(10, "livenessProbe", PROBE)
            .object(11, "readinessProbe", PROBE).object(22, "startupProbe", PROBE).object(12, "lifecycle", LIFECYCLE)
            .string(13, "terminationMessagePath").string(20, "terminationMessagePolicy").string(14, "imagePullPolicy")
            .object(15, "securityContext", SECURITY_CONTEXT).bool(16, "stdin").bool(17, "stdinOnce").bool(18, "tty");

    /** EphemeralContainerCommon has Container's field numbers; it is inlined. */
    static final Schema EPHEMERAL_CONTAINER = message().inline(1, CONTAINER).string(2, "targetContainerName");

    // ---- volumes

    static final Schema HOST_PATH_VOLUME_SOURCE = message().string(1, "*path").string(2, "*type");

    static final Schema EMPTY_DIR_VOLUME_SOURCE = message().string(1, "medium").quantity(2, "sizeLimit");

    static final Schema SECRET_VOLUME_SOURCE = message()
            .string(1, "secretName").objects(2, "items", KEY_TO_PATH).int32(3, "*defaultMode").bool(4, "*optional");

    static final Schema CONFIG_MAP_VOLUME_SOURCE = message()
            .inline(1, LOCAL_OBJECT_REFERENCE).objects(2, "items", KEY_TO_PATH).int32(3, "*defaultMode")
            .bool(4, "*optional");

    static final Schema PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE = message()
            .string(1, "*claimName").bool(2, "readOnly");

    static final Schema NFS_VOLUME_SOURCE = message().string(1, "*server").string(2, "*path").bool(3, "readOnly");

    static final Schema DOWNWARD_API_VOLUME_FILE = message()
            .string(1, "*path").object(2, "fieldRef", OBJECT_FIELD_SELECTOR)
            .object(3, "resourceFieldRef", RESOURCE_FIELD_SELECTOR).int32(4, "*mode");

    static final Schema DOWNWARD_API_VOLUME_SOURCE = message()
            .objects(1, "items", DOWNWARD_API_VOLUME_FILE).int32(2, "*defaultMode");

    static final Schema DOWNWARD_API_PROJECTION = message().objects(1, "items", DOWNWARD_API_VOLUME_FILE);

    static final Schema SECRET_PROJECTION = message()
            .inline(1, LOCAL_OBJECT_REFERENCE).objects(2, "items", KEY_TO_PATH).bool(4, "*optional");

    static final Schema CONFIG_MAP_PROJECTION = message()
            .inline(1, LOCAL_OBJECT_REFERENCE).objects(2, "items", KEY_TO_PATH).bool(4, "*optional");

    static final Schema SERVICE_ACCOUNT_TOKEN_PROJECTION = message()
            .string(1, "audience").int64(2, "*expirationSeconds").string(3, "*path");

    static final Schema VOLUME_PROJECTION = message()
            .object(1, "secret", SECRET_PROJECTION).object(2, "downwardAPI", DOWNWARD_API_PROJECTION)
            .object(3, "configMap", CONFIG_MAP_PROJECTION)
            .object(4, "serviceAccountToken", SERVICE_ACCOUNT_TOKEN_PROJECTION);

    static final Schema PROJECTED_VOLUME_SOURCE = message()
            .objects(1, "sources", VOLUME_PROJECTION).int32(2, "*defaultMode");

    static final Schema CSI_VOLUME_SOURCE = message()
            .string(1, "*driver").bool(2, "*readOnly").string(3, "*fsType").stringMap(4, "volumeAttributes")
            .object(5, "nodePublishSecretRef", LOCAL_OBJECT_REFERENCE);

    static final Schema VOLUME_RESOURCE_REQUIREMENTS = message().quantityMap(1, "limits").quantityMap(2, "requests");

    static final Schema PERSISTENT_VOLUME_CLAIM_SPEC = message()
            .strings(1, "accessModes").object(4, "selector", MetaV1.LABEL_SELECTOR)
            .object(2, "resources", VOLUME_RESOURCE_REQUIREMENTS).string(3, "volumeName")
            .string(5, "*storageClassName").string(6, "*volumeMode")
            .object(7, "dataSource", TYPED_LOCAL_OBJECT_REFERENCE)
            .object(8, "dataSourceRef", TYPED_OBJECT_REFERENCE).string(9, "*volumeAttributesClassName");

    static final Schema PERSISTENT_VOLUME_CLAIM_TEMPLATE = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", PERSISTENT_VOLUME_CLAIM_SPEC);

    static final Schema EPHEMERAL_VOLUME_SOURCE = message()
            .object(1, "volumeClaimTemplate", PERSISTENT_VOLUME_CLAIM_TEMPLATE);

    // The volume plugins below are mostly legacy in-tree ones, but a pod template that names them (copied by
    // kubectl create job --from=cronjob/..., or kubectl debug --copy-to) must keep them.

    static final Schema GCE_PERSISTENT_DISK_VOLUME_SOURCE = message()
            .string(1, "*pdName").string(2, "fsType").int32(3, "partition").bool(4, "readOnly");

    static final Schema AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE = message()
            .string(1, "*volumeID").string(2, "fsType").int32(3, "partition").bool(4, "readOnly");

    static final Schema GIT_REPO_VOLUME_SOURCE = message()
            .string(1, "*repository").string(2, "revision").string(3, "directory");

    static final Schema ISCSI_VOLUME_SOURCE = message()
            .string(1, "*targetPortal").string(2, "*iqn").int32(3, "*lun").string(4, "iscsiInterface")
            .string(5, "fsType").bool(6, "readOnly").strings(7, "portals").bool(8, "chapAuthDiscovery")
            .bool(11, "chapAuthSession").object(10, "secretRef", LOCAL_OBJECT_REFERENCE)
            .string(12, "*initiatorName");

    static final Schema GLUSTERFS_VOLUME_SOURCE = message()
            .string(1, "*endpoints").string(2, "*path").bool(3, "readOnly");

    static final Schema RBD_VOLUME_SOURCE = message()
            .strings(1, "monitors").string(2, "*image").string(3, "fsType").string(4, "pool").string(5, "user")
            .string(6, "keyring").object(7, "secretRef", LOCAL_OBJECT_REFERENCE).bool(8, "readOnly");

    static final Schema FLEX_VOLUME_SOURCE = message()
            .string(1, "*driver").string(2, "fsType").object(3, "secretRef", LOCAL_OBJECT_REFERENCE)
            .bool(4, "readOnly").stringMap(5, "options");

    static final Schema CINDER_VOLUME_SOURCE = message()
            .string(1, "*volumeID").string(2, "fsType").bool(3, "readOnly")
            .object(4, "secretRef", LOCAL_OBJECT_REFERENCE);

    static final Schema CEPHFS_VOLUME_SOURCE = message()
            .strings(1, "monitors").string(2, "path").string(3, "user").string(4, "secretFile")
            .object(5, "secretRef", LOCAL_OBJECT_REFERENCE).bool(6, "readOnly");

    static final Schema FLOCKER_VOLUME_SOURCE = message().string(1, "datasetName").string(2, "datasetUUID");

    static final Schema FC_VOLUME_SOURCE = message()
            .strings(1, "targetWWNs").int32(2, "*lun").string(3, "fsType").bool(4, "readOnly").strings(5, "wwids");

    static final Schema AZURE_FILE_VOLUME_SOURCE = message()
            .string(1, "*secretName").string(2, "*shareName").bool(3, "readOnly");

    static final Schema VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE = message()
            .string(1, "*volumePath").string(2, "fsType").string(3, "storagePolicyName")
            .string(4, "storagePolicyID");

    static final Schema QUOBYTE_VOLUME_SOURCE = message()
            .string(1, "*registry").string(2, "*volume").bool(3, "readOnly").string(4, "user").string(5, "group")
            .string(6, "tenant");

    static final Schema AZURE_DISK_VOLUME_SOURCE = message()
            .string(1, "*diskName").string(2, "*diskURI").string(3, "*cachingMode").string(4, "*fsType")
            .bool(5, "*readOnly").string(6, "*kind");

    static final Schema PHOTON_PERSISTENT_DISK_VOLUME_SOURCE = message().string(1, "*pdID").string(2, "fsType");

    static final Schema PORTWORX_VOLUME_SOURCE = message()
            .string(1, "*volumeID").string(2, "fsType").bool(3, "readOnly");

    static final Schema SCALE_IO_VOLUME_SOURCE = message()
            .string(1, "*gateway").string(2, "*system").object(3, "secretRef", LOCAL_OBJECT_REFERENCE)
            .bool(4, "sslEnabled").string(5, "protectionDomain").string(6, "storagePool").string(7, "storageMode")
            .string(8, "volumeName").string(9, "fsType").bool(10, "readOnly");

    static final Schema STORAGE_OS_VOLUME_SOURCE = message()
            .string(1, "volumeName").string(2, "volumeNamespace").string(3, "fsType").bool(4, "readOnly")
            .object(5, "secretRef", LOCAL_OBJECT_REFERENCE);

    static final Schema IMAGE_VOLUME_SOURCE = message().string(1, "reference").string(2, "pullPolicy");

    static final Schema VOLUME_SOURCE = message()
            .object(1, "hostPath", HOST_PATH_VOLUME_SOURCE).object(2, "emptyDir", EMPTY_DIR_VOLUME_SOURCE)
            .object(3, "gcePersistentDisk", GCE_PERSISTENT_DISK_VOLUME_SOURCE)
            .object(4, "awsElasticBlockStore", AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE)
            .object(5, "gitRepo", GIT_REPO_VOLUME_SOURCE)
            .object(6, "secret", SECRET_VOLUME_SOURCE).object(7, "nfs", NFS_VOLUME_SOURCE)
            .object(8, "iscsi", ISCSI_VOLUME_SOURCE).object(9, "glusterfs", GLUSTERFS_VOLUME_SOURCE)
            .object(10, "persistentVolumeClaim", PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE)
            .object(11, "rbd", RBD_VOLUME_SOURCE).object(12, "flexVolume", FLEX_VOLUME_SOURCE)
            .object(13, "cinder", CINDER_VOLUME_SOURCE).object(14, "cephfs", CEPHFS_VOLUME_SOURCE)
            .object(15, "flocker", FLOCKER_VOLUME_SOURCE)
            .object(16, "downwardAPI", DOWNWARD_API_VOLUME_SOURCE).object(17, "fc", FC_VOLUME_SOURCE)
            .object(18, "azureFile", AZURE_FILE_VOLUME_SOURCE).object(19, "configMap", CONFIG_MAP_VOLUME_SOURCE)
            .object(20, "vsphereVolume", VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE)
            .object(21, "quobyte", QUOBYTE_VOLUME_SOURCE).object(22, "azureDisk", AZURE_DISK_VOLUME_SOURCE)
            .object(23, "photonPersistentDisk", PHOTON_PERSISTENT_DISK_VOLUME_SOURCE)
            .object(24, "portworxVolume", PORTWORX_VOLUME_SOURCE).object(25, "scaleIO", SCALE_IO_VOLUME_SOURCE)
            .object(26, "projected", PROJECTED_VOLUME_SOURCE).object(27, "storageos", STORAGE_OS_VOLUME_SOURCE)
            .object(28, "csi", CSI_VOLUME_SOURCE).object(29, "ephemeral", EPHEMERAL_VOLUME_SOURCE)
            .object(30, "image", IMAGE_VOLUME_SOURCE);

    static final Schema VOLUME = message().string(1, "*name").inline(2, VOLUME_SOURCE);

    // ---- scheduling

    static final Schema NODE_SELECTOR_REQUIREMENT = message()
            .string(1, "*key").string(2, "*operator").strings(3, "values");

    static final Schema NODE_SELECTOR_TERM = message()
            .objects(1, "matchExpressions", NODE_SELECTOR_REQUIREMENT)
            .objects(2, "matchFields", NODE_SELECTOR_REQUIREMENT);

    static final Schema NODE_SELECTOR = message().objects(1, "nodeSelectorTerms", NODE_SELECTOR_TERM);

    static final Schema PREFERRED_SCHEDULING_TERM = message()
            .int32(1, "*weight").object(2, "preference", NODE_SELECTOR_TERM);

    static final Schema NODE_AFFINITY = message()
            .object(1, "requiredDuringSchedulingIgnoredDuringExecution", NODE_SELECTOR)
            .objects(2, "preferredDuringSchedulingIgnoredDuringExecution", PREFERRED_SCHEDULING_TERM);

    static final Schema POD_AFFINITY_TERM = message()
            .object(1, "labelSelector", MetaV1.LABEL_SELECTOR).strings(2, "namespaces").string(3, "*topologyKey")
            .object(4, "namespaceSelector", MetaV1.LABEL_SELECTOR).strings(5, "matchLabelKeys")
            .strings(6, "mismatchLabelKeys");

    static final Schema WEIGHTED_POD_AFFINITY_TERM = message()
            .int32(1, "*weight").object(2, "podAffinityTerm", POD_AFFINITY_TERM);

    static final Schema POD_AFFINITY = message()
            .objects(1, "requiredDuringSchedulingIgnoredDuringExecution", POD_AFFINITY_TERM)
            .objects(2, "preferredDuringSchedulingIgnoredDuringExecution", WEIGHTED_POD_AFFINITY_TERM);

    static final Schema AFFINITY = message()
            .object(1, "nodeAffinity", NODE_AFFINITY).object(2, "podAffinity", POD_AFFINITY)
            .object(3, "podAntiAffinity", POD_AFFINITY);

    static final Schema TOLERATION = message()
            .string(1, "key").string(2, "operator").string(3, "value").string(4, "effect")
            .int64(5, "*tolerationSeconds");

    static final Schema TOPOLOGY_SPREAD_CONSTRAINT = message()
            .int32(1, "*maxSkew").string(2, "*topologyKey").string(3, "*whenUnsatisfiable")
            .object(4, "labelSelector", MetaV1.LABEL_SELECTOR).int32(5, "*minDomains")
            .string(6, "*nodeAffinityPolicy").string(7, "*nodeTaintsPolicy").strings(8, "matchLabelKeys");

    // ---- pods

    static final Schema SYSCTL = message().string(1, "*name").string(2, "*value");

    static final Schema POD_SECURITY_CONTEXT = message()
            .object(1, "seLinuxOptions", SE_LINUX_OPTIONS).object(8, "windowsOptions", WINDOWS_SECURITY_CONTEXT_OPTIONS)
            .int64(2, "*runAsUser").int64(6, "*runAsGroup").bool(3, "*runAsNonRoot").int64s(4, "supplementalGroups")
            .string(12, "*supplementalGroupsPolicy").int64(5, "*fsGroup").objects(7, "sysctls", SYSCTL)
            .string(9, "*fsGroupChangePolicy").object(10, "seccompProfile", SECCOMP_PROFILE)
            .object(11, "appArmorProfile", APP_ARMOR_PROFILE).string(13, "*seLinuxChangePolicy");

    static final Schema HOST_ALIAS = message().string(1, "*ip").strings(2, "hostnames");

    static final Schema POD_DNS_CONFIG_OPTION = message().string(1, "name").string(2, "*value");

    static final Schema POD_DNS_CONFIG = message()
            .strings(1, "nameservers").strings(2, "searches").objects(3, "options", POD_DNS_CONFIG_OPTION);

    static final Schema POD_READINESS_GATE = message().string(1, "*conditionType");

    static final Schema POD_OS = message().string(1, "*name");

    static final Schema POD_SCHEDULING_GATE = message().string(1, "*name");

    static final Schema POD_RESOURCE_CLAIM = message()
            .string(1, "*name").string(3, "*resourceClaimName").string(4, "*resourceClaimTemplateName");

    static final Schema POD_SPEC = message()
            .objects(1, "volumes", VOLUME).objects(20, "initContainers", CONTAINER).objects(2, "containers", CONTAINER)
            .objects(34, "ephemeralContainers", EPHEMERAL_CONTAINER).string(3, "restartPolicy")
            .int64(4, "*terminationGracePeriodSeconds").int64(5, "*activeDeadlineSeconds").string(6, "dnsPolicy")
            .stringMap(7, "nodeSelector").string(8, "serviceAccountName").string(9, "serviceAccount")
            .bool(21, "*automountServiceAccountToken").string(10, "nodeName").bool(11, "hostNetwork")
            .bool(12, "hostPID").bool(13, "hostIPC").bool(27, "*shareProcessNamespace")
            .object(14, "securityContext", POD_SECURITY_CONTEXT).objects(15, "imagePullSecrets", LOCAL_OBJECT_REFERENCE)
            .string(16, "hostname").string(17, "subdomain").object(18, "affinity", AFFINITY)
            .string(19, "schedulerName").objects(22, "tolerations", TOLERATION).objects(23, "hostAliases", HOST_ALIAS)
            .string(24, "priorityClassName").int32(25, "*priority").object(26, "dnsConfig", POD_DNS_CONFIG)
            .objects(28, "readinessGates", POD_READINESS_GATE).string(29, "*runtimeClassName")
            .bool(30, "*enableServiceLinks").string(31, "*preemptionPolicy").quantityMap(32, "overhead")
            .objects(33, "topologySpreadConstraints", TOPOLOGY_SPREAD_CONSTRAINT).bool(35, "*setHostnameAsFQDN")
            .object(36, "os", POD_OS).bool(37, "*hostUsers").objects(38, "schedulingGates", POD_SCHEDULING_GATE)
            .objects(39, "resourceClaims", POD_RESOURCE_CLAIM).object(40, "resources", RESOURCE_REQUIREMENTS)
            .string(41, "*hostnameOverride");

    static final Schema POD_CONDITION = message()
            .string(1, "*type").int64(7, "observedGeneration").string(2, "*status").time(3, "lastProbeTime")
            .time(4, "lastTransitionTime").string(5, "reason").string(6, "message");

    static final Schema POD_IP = message().string(1, "*ip");

    static final Schema POD_STATUS = message()
            .string(1, "phase").objects(2, "conditions", POD_CONDITION).string(3, "message").string(4, "reason")
            .string(11, "nominatedNodeName").string(5, "hostIP").objects(16, "hostIPs", POD_IP).string(6, "podIP")
            .objects(12, "podIPs", POD_IP).time(7, "startTime").string(9, "qosClass");

    static final Schema POD = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", POD_SPEC).object(3, "status", POD_STATUS);

    static final Schema POD_TEMPLATE_SPEC = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", POD_SPEC);

    // ---- namespaces, config and identity

    static final Schema NAMESPACE_CONDITION = message()
            .string(1, "*type").string(2, "*status").time(4, "lastTransitionTime").string(5, "reason")
            .string(6, "message");

    static final Schema NAMESPACE = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().strings(1, "finalizers"))
            .object(3, "status", message().string(1, "phase").objects(2, "conditions", NAMESPACE_CONDITION));

    static final Schema CONFIG_MAP = message()
            .object(1, "metadata", MetaV1.OBJECT_META).bool(4, "*immutable").stringMap(2, "data")
            .bytesMap(3, "binaryData");

    static final Schema SECRET = message()
            .object(1, "metadata", MetaV1.OBJECT_META).bool(5, "*immutable").bytesMap(2, "data")
            .stringMap(4, "stringData").string(3, "type");

    static final Schema SERVICE_ACCOUNT = message()
            .object(1, "metadata", MetaV1.OBJECT_META).objects(2, "secrets", OBJECT_REFERENCE)
            .objects(3, "imagePullSecrets", LOCAL_OBJECT_REFERENCE).bool(4, "*automountServiceAccountToken");

    // ---- services and quotas

    static final Schema SERVICE_PORT = message()
            .string(1, "name").string(2, "protocol").string(6, "*appProtocol").int32(3, "*port")
            .intOrString(4, "targetPort").int32(5, "nodePort");

    static final Schema SESSION_AFFINITY_CONFIG = message()
            .object(1, "clientIP", message().int32(1, "*timeoutSeconds"));

    static final Schema SERVICE_SPEC = message()
            .objects(1, "ports", SERVICE_PORT).stringMap(2, "selector").string(3, "clusterIP")
            .strings(18, "clusterIPs").string(4, "type").strings(5, "externalIPs").string(7, "sessionAffinity")
            .string(8, "loadBalancerIP").strings(9, "loadBalancerSourceRanges").string(10, "externalName")
            .string(11, "externalTrafficPolicy").int32(12, "healthCheckNodePort")
            .bool(13, "publishNotReadyAddresses").object(14, "sessionAffinityConfig", SESSION_AFFINITY_CONFIG)
            .strings(19, "ipFamilies").string(17, "*ipFamilyPolicy").bool(20, "*allocateLoadBalancerNodePorts")
            .string(21, "*loadBalancerClass").string(22, "*internalTrafficPolicy").string(23, "*trafficDistribution");

    static final Schema PORT_STATUS = message().int32(1, "*port").string(2, "*protocol").string(3, "*error");

    static final Schema LOAD_BALANCER_INGRESS = message()
            .string(1, "ip").string(2, "hostname").string(3, "*ipMode").objects(4, "ports", PORT_STATUS);

    static final Schema SERVICE_STATUS = message()
            .object(1, "loadBalancer", message().objects(1, "ingress", LOAD_BALANCER_INGRESS))
            .objects(2, "conditions", MetaV1.CONDITION);

    static final Schema SERVICE = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", SERVICE_SPEC)
            .object(3, "status", SERVICE_STATUS);

    static final Schema SCOPED_RESOURCE_SELECTOR_REQUIREMENT = message()
            .string(1, "*scopeName").string(2, "*operator").strings(3, "values");

    static final Schema RESOURCE_QUOTA = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().quantityMap(1, "hard").strings(2, "scopes")
                    .object(3, "scopeSelector", message().objects(1, "matchExpressions",
                            SCOPED_RESOURCE_SELECTOR_REQUIREMENT)))
            .object(3, "status", message().quantityMap(1, "hard").quantityMap(2, "used"));

    static final Map<String, Schema> KINDS = Map.of(
            "Namespace", NAMESPACE,
            "ConfigMap", CONFIG_MAP,
            "Secret", SECRET,
            "ServiceAccount", SERVICE_ACCOUNT,
            "Service", SERVICE,
            "ResourceQuota", RESOURCE_QUOTA,
            "Pod", POD);

    private CoreV1() {
    }
}
