package org.cropcast.pipeline.cli;

import org.cropcast.pipeline.runs.LibraryVersions;
import picocli.CommandLine;

/** {@code --version}: cropcast's version (filtered in at build time), Java and OS. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "cropcast " + LibraryVersions.cropcast(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
