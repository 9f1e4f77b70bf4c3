/**
 * Functions as records, their validation, and the registry that stores them with revisions. The registry is the only
 * durable state of the control plane; everything about instances is soft and rebuilt from workers.
 */
@NullMarked
package io.pulse.controlplane.registry;

import org.jspecify.annotations.NullMarked;
