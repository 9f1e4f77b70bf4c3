/**
 * Pre-pulling: when a function with an image is registered, or a worker joins, the leader asks workers to make the
 * image present ({@code PrepareImage}) so that the first cold start does not pay for the pull. Asynchronous and best
 * effort: a registration never waits for it; failures become the function's status and are asked again after a
 * backoff. {@link io.pulse.controlplane.images.ImagePreparer} decides; the instances' {@code PlanApplier} sends.
 */
@NullMarked
package io.pulse.controlplane.images;

import org.jspecify.annotations.NullMarked;
