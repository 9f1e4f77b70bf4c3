/**
 * The load data planes report: the latest sample per (function, data plane), expired when a data plane goes quiet or
 * its route stream closes, and summed over data planes for the autoscaler. Immutable values; updates return new ones.
 */
@NullMarked
package io.pulse.controlplane.load;

import org.jspecify.annotations.NullMarked;
