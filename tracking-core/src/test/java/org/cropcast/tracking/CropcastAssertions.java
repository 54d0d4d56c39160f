package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on cropcast's failures, shared by the contract suites. */
public final class CropcastAssertions {
    private CropcastAssertions() {}

    /** The call fails with a one-line {@link CropcastException} of this code whose message contains every part. */
    public static void assertFails(ThrowingCallable call, ErrorCode code, String... messageParts) {
        assertThatThrownBy(call)
                .isInstanceOf(CropcastException.class)
                .satisfies(e -> assertThat(((CropcastException) e).errorCode()).isEqualTo(code))
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }
}
