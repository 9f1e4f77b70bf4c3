/** What goes with the generated wire types of {@code io.pulse.api.v1}: their eager initialization. */
@NullMarked
package io.pulse.api;

import org.jspecify.annotations.NullMarked;
