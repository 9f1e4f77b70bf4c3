/** The control plane's REST API: handlers, JSON mapping, and the narrow views it reads. */
@NullMarked
package io.pulse.controlplane.api;

import org.jspecify.annotations.NullMarked;
