/**
 * The {@code containerd} runtime: sandboxes are containerd containers and tasks (runc) in a namespace of our own,
 * driven over containerd's gRPC API on its Unix socket. {@link io.pulse.worker.sandbox.containerd.ContainerdClient}
 * is the only class that holds the channel; {@link io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime} puts
 * image, spec, network and task together. Every call blocks, so every call runs on the runtime's virtual threads.
 * Generated wire types live in {@code io.pulse.worker.sandbox.containerd.api} and stay inside this package tree and
 * {@code io.pulse.worker.image}.
 */
@NullMarked
package io.pulse.worker.sandbox.containerd;

import org.jspecify.annotations.NullMarked;
