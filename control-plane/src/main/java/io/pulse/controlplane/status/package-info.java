/**
 * What went right and wrong for each function on the workers, as the leader hears it: image preparation per worker,
 * the last failed creation, the last sandbox exit (an OOM kill among them) and the recent failures behind the refs
 * that gateways gave their callers instead of the details. Soft state of the leader's term, shown
 * on {@code GET /v1/functions/{name}} so that a bad image or a function that runs out of memory is a clear status
 * rather than something to dig out of worker logs.
 */
@NullMarked
package io.pulse.controlplane.status;

import org.jspecify.annotations.NullMarked;
