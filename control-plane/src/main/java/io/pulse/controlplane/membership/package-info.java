/**
 * Worker membership: which worker daemons registered, when each last sent a heartbeat, which are alive, and the epoch
 * this control plane stamps on its commands. Confined to the control plane's context; readers get immutable copies.
 */
@NullMarked
package io.pulse.controlplane.membership;

import org.jspecify.annotations.NullMarked;
