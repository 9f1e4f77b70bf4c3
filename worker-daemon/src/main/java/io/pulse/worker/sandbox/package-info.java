/**
 * Sandboxes: the one narrow {@link io.pulse.worker.sandbox.SandboxRuntime} interface (create, delete, list, recover)
 * and the records it speaks. Runtimes live in sub-packages ({@code process}, {@code fake}); none of them sees a
 * protobuf type, which stay in the gRPC adapter.
 */
@NullMarked
package io.pulse.worker.sandbox;

import org.jspecify.annotations.NullMarked;
