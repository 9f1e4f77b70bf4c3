/**
 * Async invocations: accepted requests kept durable in the registry's store (the same writer, sequence, RocksDB and
 * replicated map), the leader's dispatcher that runs them through the data planes at least once, and the pure rules
 * it follows ({@link io.pulse.controlplane.async.Dispatch}).
 */
@NullMarked
package io.pulse.controlplane.async;

import org.jspecify.annotations.NullMarked;
