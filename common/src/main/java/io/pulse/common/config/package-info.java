/**
 * Config records' shared mechanics: {@link io.pulse.common.config.Records#with} copies a record with some components
 * changed through its canonical constructor (so the copy is validated like the original), which is what every
 * config record's {@code withX} needs, without a hand-kept mutable draft per record.
 */
@NullMarked
package io.pulse.common.config;

import org.jspecify.annotations.NullMarked;
