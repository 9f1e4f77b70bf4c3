/**
 * Following the control plane's routes: {@link io.pulse.common.routes.WatchRoutesClient} keeps one {@code WatchRoutes}
 * stream open to the leader (snapshot first, then deltas, each acknowledged) and reconnects with backoff; the data
 * plane and the Kubernetes bridge only say what an update means to them.
 */
@NullMarked
package io.pulse.common.routes;

import org.jspecify.annotations.NullMarked;
