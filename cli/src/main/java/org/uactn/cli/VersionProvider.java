// The project version for --version and `uactn info`, from a Maven-filtered resource so that it is
// right both in the fat jar and when running from the classes folder (tests, IDE).
package org.uactn.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

final class VersionProvider implements IVersionProvider {
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown (version.properties missing from the class path)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading org/uactn/cli/version.properties", e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "uactn " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name") + ")"
        };
    }
}
