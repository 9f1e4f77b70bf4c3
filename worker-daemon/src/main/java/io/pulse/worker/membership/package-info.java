/**
 * The worker's membership in the cluster: it registers with the control plane (retrying with backoff while the control
 * plane is away), then heartbeats its sandboxes, and registers again when the control plane says it forgot the worker.
 * Driven by Vert.x timers on one context; calls are asynchronous, so no event loop ever waits.
 */
@NullMarked
package io.pulse.worker.membership;

import org.jspecify.annotations.NullMarked;
