/**
 * Functions as records, their validation, and the registry that stores them with revisions (their JSON form, parsed
 * and written, is the API layer's: {@code api.json}). The registry is the only durable state of the control plane;
 * everything about instances is soft and rebuilt from workers.
 */
@NullMarked
package io.pulse.controlplane.registry;

import org.jspecify.annotations.NullMarked;
