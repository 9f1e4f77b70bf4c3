/** Retry pacing as values: the delay before the next attempt is a pure function of the policy and the attempt. */
@NullMarked
package io.pulse.common.retry;

import org.jspecify.annotations.NullMarked;
