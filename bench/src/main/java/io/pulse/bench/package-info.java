/**
 * The benchmark harness ({@code pulse bench}): trace readers ({@code trace}) feed a seeded, pure schedule generator
 * ({@code schedule}); a driver does the I/O against a Pulse it starts through a {@link
 * io.pulse.bench.driver.PulseLauncher} or one already running ({@code driver}); the figures and charts are computed
 * from what was measured ({@code report}). {@code experiment} holds the four experiments: trace replay with a policy
 * comparison, the cold-start sweep, control-plane throughput and warm-path overhead.
 */
@NullMarked
package io.pulse.bench;

import org.jspecify.annotations.NullMarked;
