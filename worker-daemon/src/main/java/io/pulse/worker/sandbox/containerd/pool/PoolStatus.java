package io.pulse.worker.sandbox.containerd.pool;

import org.jspecify.annotations.Nullable;

/**
 * One pool now: its target, members ready to claim, members being created, and the failures of its creations in a
 * row with the last one's message (null after a success).
 */
public record PoolStatus(PoolKey key, int target, int ready, int creating, int failures, @Nullable String lastError) {}
