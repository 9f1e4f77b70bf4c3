/**
 * What the bridge knows of Pulse: immutable records of the live workers and of the functions with their ready Regular
 * Instances, as the control-plane leader streams them. Emergency Instances never enter this view. Protobuf stays out:
 * the {@code watch} package converts.
 */
@NullMarked
package io.pulse.k8sbridge.view;

import org.jspecify.annotations.NullMarked;
