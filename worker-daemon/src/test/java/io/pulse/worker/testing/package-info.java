/** Test fixtures shared by the worker's tests: a fake control plane and process checks. */
@NullMarked
package io.pulse.worker.testing;

import org.jspecify.annotations.NullMarked;
