/**
 * How Pulse writes its own log: one logfmt line per event, every field escaped, so that nothing an event quotes (a
 * function's output, a name, an exception message) can end the line early or look like another event.
 */
@NullMarked
package io.pulse.common.log;

import org.jspecify.annotations.NullMarked;
