/** The {@code pulse} command. */
@NullMarked
package io.pulse.cli;

import org.jspecify.annotations.NullMarked;
