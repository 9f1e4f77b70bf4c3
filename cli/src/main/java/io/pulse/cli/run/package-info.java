/** Running Pulse: the all-in-one {@code pulse up} and each component as its own process. */
@NullMarked
package io.pulse.cli.run;

import org.jspecify.annotations.NullMarked;
