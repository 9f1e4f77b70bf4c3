/**
 * OCI images for the containerd runtime: parsing references, talking to registries over the distribution API
 * ({@link io.pulse.worker.image.RegistryClient}: HTTPS, or plain HTTP for configured insecure registries; anonymous,
 * basic and bearer-token auth; manifest lists resolved to linux/amd64), and {@link io.pulse.worker.image.ImagePuller},
 * which writes blobs through containerd's content service and unpacks layers through its snapshot and diff services
 * under a lease, so that nothing is collected half-way and nothing outlives a failed pull.
 */
@NullMarked
package io.pulse.worker.image;

import org.jspecify.annotations.NullMarked;
