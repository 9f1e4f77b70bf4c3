/** The operational endpoints every component serves on its admin port. */
@NullMarked
package io.pulse.common.admin;

import org.jspecify.annotations.NullMarked;
