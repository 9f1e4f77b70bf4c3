/**
 * Time as an injected service: {@link io.pulse.common.time.Timers} runs actions after delays (Vert.x, virtual threads,
 * or a test's manual timers), so that what waits can be tested without waiting; {@link io.pulse.common.time.PauseDetector}
 * tells a pause of the whole process from the gaps of a periodic task.
 */
@NullMarked
package io.pulse.common.time;

import org.jspecify.annotations.NullMarked;
