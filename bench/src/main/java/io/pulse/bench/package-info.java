/** The benchmark harness: trace replay and policy comparison. Not built yet; see the project's issues. */
@NullMarked
package io.pulse.bench;

import org.jspecify.annotations.NullMarked;
