package org.cropcast.tracking;

/**
 * Who is to blame for a failure. The command line maps each category to its exit code:
 * {@link #USER_INPUT} to 2, {@link #EXTERNAL_SYSTEM} to 3, {@link #INTERNAL} to 1.
 */
public enum ErrorCategory {
    /** Bad input: a configuration, a URI, a key, a data file. The user can fix it. */
    USER_INPUT,
    /** A system outside the process failed: a tracking server, S3, a database file locked too long. */
    EXTERNAL_SYSTEM,
    /** A bug or a broken invariant inside cropcast. */
    INTERNAL
}
