/**
 * The I/O side of the harness: how a Pulse is started ({@link io.pulse.bench.driver.PulseLauncher}, implemented by the
 * {@code pulse} command over its all-in-one, or pointed at a running cluster), the REST client, and the open-loop
 * driver that sends every request at its scheduled time whatever the latency of the others (no coordinated
 * omission), on a Vert.x HTTP client.
 */
@NullMarked
package io.pulse.bench.driver;

import org.jspecify.annotations.NullMarked;
