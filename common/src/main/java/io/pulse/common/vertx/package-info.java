/**
 * How every Pulse process makes its Vert.x instance: generated wire classes initialized first, and a blocked-thread
 * checker that says where a thread is stuck (its whole stack, and a thread dump when it stays stuck).
 */
@NullMarked
package io.pulse.common.vertx;

import org.jspecify.annotations.NullMarked;
