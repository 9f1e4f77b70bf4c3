/** Collections the standard library lacks: {@link io.pulse.common.collect.ShardedMap}, an immutable map that shares. */
@NullMarked
package io.pulse.common.collect;

import org.jspecify.annotations.NullMarked;
