/** Test fixtures shared by every module's tests (through pulse-common's test-jar): a throw-away PKI, manual timers. */
@NullMarked
package io.pulse.common.testing;

import org.jspecify.annotations.NullMarked;
