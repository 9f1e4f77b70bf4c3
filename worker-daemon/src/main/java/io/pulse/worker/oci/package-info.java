/**
 * OCI runtime specs, built by a pure function ({@link io.pulse.worker.oci.RuntimeSpecs#build}) from the image's
 * config, the function's spec and the sandbox's placement: argv/env/workdir/user (the function's command overrides
 * the image's entrypoint and cmd), cgroup limits from the resources, own PID/mount/IPC/UTS (and network, in CNI mode)
 * namespaces, a minimal capability set with no-new-privileges, optionally a read-only root filesystem.
 */
@NullMarked
package io.pulse.worker.oci;

import org.jspecify.annotations.NullMarked;
