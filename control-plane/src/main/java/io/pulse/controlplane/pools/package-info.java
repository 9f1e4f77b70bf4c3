/** Sandbox pools on the workers, as the leader sees and steers them. */
@NullMarked
package io.pulse.controlplane.pools;

import org.jspecify.annotations.NullMarked;
