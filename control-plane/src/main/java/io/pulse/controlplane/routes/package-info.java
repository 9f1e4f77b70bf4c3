/**
 * The routing state data planes watch: every function with its ready instances, plus the live workers. The publisher
 * keeps the last table it sent, coalesces changes for a few milliseconds, and sends each subscriber a full snapshot
 * first and deltas after. A subscriber that cannot keep up is skipped and later resynchronised with a full snapshot,
 * so nothing queues without bound and nothing blocks.
 */
@NullMarked
package io.pulse.controlplane.routes;

import org.jspecify.annotations.NullMarked;
