/**
 * The durable side of the registry: {@link io.pulse.controlplane.state.StoredFunction} entries (a function record or
 * a tombstone, each stamped with the cluster-wide sequence number of the write that produced it), the pure
 * {@link io.pulse.controlplane.state.RegistryApply} that turns a command into the next entry, and the
 * {@link io.pulse.controlplane.state.StateStore} every replica writes them to (RocksDB, or memory in tests). Merging
 * copies is "highest sequence wins", per name; that is all a whole-cluster restart needs.
 */
@NullMarked
package io.pulse.controlplane.state;

import org.jspecify.annotations.NullMarked;
