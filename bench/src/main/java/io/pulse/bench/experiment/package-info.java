/**
 * The experiments of {@code pulse bench}: {@code trace} (replay and policy comparison), {@code coldstart} (cold-start
 * rate sweep against the runtime's own creation time), {@code scale} (control-plane throughput with simulated
 * workers) and {@code warm} (data-plane overhead against a direct connection). Each writes its files through
 * {@code report}.
 */
@NullMarked
package io.pulse.bench.experiment;

import org.jspecify.annotations.NullMarked;
